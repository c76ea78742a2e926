"""analysis/pose/forkserver.py: the helpers' fork server, started early, and its CPU kept out
of the meter of other programs' load."""

from __future__ import annotations

import os
import time
from multiprocessing import forkserver as std_forkserver

import pytest

from analysis.pose import forkserver, parallel


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_the_servers_cpu_is_read_from_proc(monkeypatch):
    if not os.path.exists(f"/proc/{os.getpid()}/stat"):
        pytest.skip("no /proc here")
    monkeypatch.setattr(std_forkserver._forkserver, "_forkserver_pid", None)
    assert forkserver.server_cpu_s() == 0.0  # no server
    monkeypatch.setattr(std_forkserver._forkserver, "_forkserver_pid", 2**22 + 12345)
    assert forkserver.server_cpu_s() == 0.0  # no such process
    # This process stands in for the server: /proc's figure follows its own CPU time.
    monkeypatch.setattr(std_forkserver._forkserver, "_forkserver_pid", os.getpid())
    before = forkserver.server_cpu_s()
    _spin(0.3)
    grew = forkserver.server_cpu_s() - before
    t = os.times()
    assert 0.2 <= grew <= 1.0 and forkserver.server_cpu_s() <= t.user + t.system + 0.05


def test_the_meter_counts_the_server_as_this_programs_own(monkeypatch):
    """The server's imports must not read as another program's busy core, which would keep
    the clip in one process (measured: with the server started early and not counted, the
    29 s clip ran in one process, 24 s against 16)."""
    monkeypatch.setattr(parallel, "server_cpu_s", lambda: 100.0)
    t = os.times()
    assert parallel._own_cpu_s() == pytest.approx(t.user + t.system + 100.0, abs=0.05)


def test_it_starts_only_where_helpers_can_run(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert forkserver.start_early() is False  # one core: no helper would ever run
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(forkserver.mp, "get_all_start_methods", lambda: ["spawn"])
    assert forkserver.start_early() is False  # no fork server on this platform
    assert forkserver.context().get_start_method() == "spawn"


@pytest.mark.parametrize(("workers", "early"), [([], True), (["--workers", "2"], True), (["--workers", "1"], False)])
def test_the_command_line_starts_the_server_before_its_own_imports_unless_one_process_is_asked(
    monkeypatch, tmp_path, workers, early
):
    import analysis.__main__ as cli
    import analysis.pipeline as pipeline
    from analysis.types import AnalysisError

    calls: list[str] = []
    monkeypatch.setattr(forkserver, "start_early", lambda: calls.append("server") or True)

    def analyse(*args, **kwargs):
        calls.append("analysis")
        raise AnalysisError("stopped here by the test")

    monkeypatch.setattr(pipeline, "analyze_video", analyse)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not looked at")
    assert cli.main([str(clip), "--out", str(tmp_path / "out"), "--quiet", *workers]) == 2
    assert calls == (["server", "analysis"] if early else ["analysis"])
