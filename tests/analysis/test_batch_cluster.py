"""``python -m analysis batch --engine ray --address ...`` on a real multi-node Ray cluster
started on this machine (``tests/analysis/ray_cluster.py``: a head node and a worker node,
each a separate ``ray start`` process with its own ports, temporary folder and one CPU).

* The batch driver is killed mid-batch: a rerun resumes (clips already written are not
  analysed again) and finishes with every clip exactly once.
* A worker node is killed while it runs a clip: the batch still finishes, every clip is in
  the summary exactly once with its report, and a rerun redoes nothing.

Slow (a cluster start-up and real pose on a few short real clips, about three minutes);
every process the tests start is stopped by the module's fixture, also on failure.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.analysis.ray_cluster import LocalRayCluster, ray_env
from tests.conftest import REPO, require_ray, require_shared_videos

pytestmark = [pytest.mark.slow, pytest.mark.cluster]

CLIPS = (
    "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4",  # 151 frames
    "edge_long_rope_entry_trip_fall_multi_person_gif_14fps.mp4",  # 94 frames
    "negative_tuck_jumps_side_gym_portrait_30fps.mp4",  # 141 frames
    "front_boy_alternate_step_gym_portrait_walks_off_30fps.mp4",  # 211 frames
    "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",  # 275 frames
)
BATCH_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def cluster():
    require_ray()
    c = LocalRayCluster()
    try:
        c.start_head()
        c.wait_for_nodes(1)
        c.add_worker("worker1")
        c.wait_for_nodes(2)
        yield c
    finally:
        c.close()


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A folder of clips: links to the shared real clips (never copies) and one file that is
    not a video."""
    videos = require_shared_videos()
    d = tmp_path / "in"
    d.mkdir()
    for name in CLIPS:
        (d / name).symlink_to(videos / name)
    (d / "not_a_video.mp4").write_bytes(bytes(range(256)) * 400)
    return d


def _batch(inputs: Path, out: Path, address: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "analysis", "batch", str(inputs), "--out", str(out), "--engine", "ray",
           "--address", address, "--quiet"]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=REPO, env=ray_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip


def _finish(p: subprocess.Popen) -> tuple[int, str]:
    try:
        out, _ = p.communicate(timeout=BATCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        pytest.fail(f"the batch did not finish in {BATCH_TIMEOUT_S} s:\n{out[-3000:]}")
    return p.returncode, out


def _summary(out: Path) -> list[dict]:
    with (out / "summary.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _check_complete(out: Path) -> dict[str, dict]:
    """Every clip exactly once; the real ones analysed with their files, the bad one an error."""
    rows = _summary(out)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), f"a clip is counted twice: {names}"
    by = {r["name"]: r for r in rows}
    assert set(by) == {Path(c).stem for c in CLIPS} | {"not_a_video"}, names
    for c in CLIPS:
        r = by[Path(c).stem]
        assert r["status"] in ("ok", "partial"), (c, r["error"])
        for f in ("report.json", "frames.csv", "jumps.csv"):
            assert (out / r["name"] / f).is_file(), (c, f)
    assert by["not_a_video"]["status"] == "error" and "not a readable video" in by["not_a_video"]["error"]
    assert not list(out.glob(".tmp-*")), "partial outputs left behind"
    return by


def _wait_for(cond, p: subprocess.Popen, timeout_s: float, what: str) -> None:
    t_end = time.monotonic() + timeout_s
    while time.monotonic() < t_end:
        if cond():
            return
        if p.poll() is not None:
            pytest.fail(f"the batch ended before {what}:\n{p.communicate()[0][-3000:]}")
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL)
    pytest.fail(f"timed out waiting for {what}")


def test_a_killed_driver_resumes_on_rerun(cluster, inputs, tmp_path):
    out = tmp_path / "out"
    p = _batch(inputs, out, cluster.address)

    def one_clip_written() -> bool:
        try:
            return any(r["status"] in ("ok", "partial") for r in _summary(out))
        except (OSError, csv.Error):
            return False

    _wait_for(one_clip_written, p, BATCH_TIMEOUT_S, "a first clip was written")
    os.killpg(p.pid, signal.SIGKILL)  # the driver and anything it started, mid-batch
    p.wait()
    written = {r["name"] for r in _summary(out) if r["status"] in ("ok", "partial")}
    stamps = {n: (out / n / "report.json").stat().st_mtime_ns for n in written}
    assert 0 < len(written) < len(CLIPS), f"the driver should die mid-batch; written: {written}"

    rc, log = _finish(_batch(inputs, out, cluster.address))
    assert rc == 1, log[-3000:]  # the file that is not a video fails; everything else holds
    by = _check_complete(out)
    for name in written:  # resumed: what the first run wrote is taken as it is
        assert by[name]["cached"] == "1", name
        assert (out / name / "report.json").stat().st_mtime_ns == stamps[name]
    assert any(by[Path(c).stem]["cached"] == "0" for c in CLIPS), "the rerun analysed nothing"


def test_a_worker_node_killed_mid_clip_loses_no_clip(cluster, inputs, tmp_path):
    out = tmp_path / "out"
    node = next(n for n in cluster.nodes if n.name == "worker1")
    p = _batch(inputs, out, cluster.address)

    def worker_node_busy() -> bool:
        return any(cmd.startswith("ray::analyze_clip_task") for _, cmd in node.processes())

    _wait_for(worker_node_busy, p, BATCH_TIMEOUT_S, "the worker node ran a clip")
    node.kill()  # the whole node, as a machine failure: raylet, agents and the task's worker
    assert not node.processes()
    rc, log = _finish(p)
    assert rc == 1, log[-3000:]
    by = _check_complete(out)
    assert all(by[Path(c).stem]["cached"] == "0" for c in CLIPS)
    stamps = {n: (out / n / "report.json").stat().st_mtime_ns for n in by if n != "not_a_video"}

    # A rerun (the head node alone now) resumes: nothing is analysed again.
    rc, log = _finish(_batch(inputs, out, cluster.address))
    assert rc == 1, log[-3000:]
    by = _check_complete(out)
    for name, t in stamps.items():
        assert by[name]["cached"] == "1" and (out / name / "report.json").stat().st_mtime_ns == t, name
