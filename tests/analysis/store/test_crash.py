"""A crash in the middle of a write leaves the store as it was, on SQLite and PostgreSQL:
an exception raised inside the transaction (after rows were sent to the database), and a
writer process killed with SIGKILL while its transaction is open. Kept files are never
orphaned nor referenced without existing."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from analysis.store import open_store
from analysis.store.files import FileArea
from analysis.store.models import Base, Correction, SessionJump
from analysis.store.models import Session as SessionRow
from analysis.store.posedata import PoseData, pack

REPO = Path(__file__).resolve().parents[3]


class SimulatedCrash(RuntimeError):
    pass


def snapshot(store) -> dict:
    """Every row of every table, and every file in the files folder."""
    out = {}
    with store._engine.connect() as c:
        for t in Base.metadata.sorted_tables:
            rows = [tuple(hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else
                          json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v for v in r)
                    for r in c.execute(sa.select(t))]
            out[t.name] = sorted(rows, key=repr)
    root = store.files.root
    out["files"] = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    return out


def crash_when(predicate):
    """Raise inside the transaction right after a flush for which ``predicate(session)`` holds
    (the statements have reached the database; the commit has not happened)."""

    def listener(session, _ctx) -> None:
        if predicate(session):
            raise SimulatedCrash("simulated crash in the middle of the write")

    return listener


@pytest.fixture
def crash_after_flush():
    added = []

    def install(predicate) -> None:
        fn = crash_when(predicate)
        sa.event.listen(OrmSession, "after_flush", fn)
        added.append(fn)

    yield install
    for fn in added:
        sa.event.remove(OrmSession, "after_flush", fn)


@pytest.fixture
def clip(tmp_path):
    p = tmp_path / "clip.mp4"
    p.write_bytes(os.urandom(200_000))
    return p


def test_a_crash_while_saving_leaves_no_session_no_jumper_and_no_file(store_url, two_runs_report, clip,
                                                                       crash_after_flush):
    with open_store(store_url) as store:
        store.save_session(two_runs_report, jumper="Ann", clip=clip, keep_clip=True)
        before = snapshot(store)
        crash_after_flush(lambda s: any(isinstance(o, SessionJump) for o in s.new))
        with pytest.raises(SimulatedCrash):
            store.save_session(two_runs_report, jumper="New jumper", clip=clip, keep_clip=True)
        assert snapshot(store) == before
        assert [j.name for j in store.list_jumpers()] == ["Ann"]


def test_a_crash_while_correcting_keeps_the_previous_corrections(store_url, two_runs_report, crash_after_flush):
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report)
        store.save_corrections(sid, [{"action": "remove", "jump": 2}])
        before = snapshot(store)
        crash_after_flush(lambda s: any(isinstance(o, Correction) for o in s.new))  # old ones already gone
        with pytest.raises(SimulatedCrash):
            store.save_corrections(sid, [{"action": "remove", "jump": 3}, {"action": "remove", "jump": 4}])
        assert snapshot(store) == before
        assert store.session_info(sid).jump_count == 19


def test_a_crash_while_deleting_keeps_the_session_and_its_clip(store_url, two_runs_report, clip, crash_after_flush):
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report, clip=clip, keep_clip=True)
        before = snapshot(store)
        crash_after_flush(lambda s: any(isinstance(o, SessionRow) for o in s.deleted))
        with pytest.raises(SimulatedCrash):
            store.delete_session(sid)
        assert snapshot(store) == before
        assert store.clip_path(sid).read_bytes() == clip.read_bytes()


CHILD = r"""
import json, sys, time
import sqlalchemy as sa
from sqlalchemy.orm import Session
from analysis.store import open_store
from analysis.store.models import SessionJump

url, report_path, pose_path, clip_path = sys.argv[1:5]
store = open_store(url)

def pause(session, _ctx):
    if any(isinstance(o, SessionJump) for o in session.new):
        print("MID-WRITE", flush=True)
        time.sleep(300)

sa.event.listen(Session, "after_flush", pause)
with open(report_path) as f:
    report = json.load(f)
with open(pose_path, "rb") as f:
    pose = f.read()
store.save_session(report, jumper="Killed", clip=clip_path, keep_clip=True, pose=pose)
print("DONE", flush=True)
"""


def _first_line(proc: subprocess.Popen, timeout_s: float) -> str:
    q: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: q.put(proc.stdout.readline()), daemon=True).start()
    try:
        return q.get(timeout=timeout_s).strip()
    except queue.Empty:
        return ""


def test_a_writer_killed_mid_write_leaves_the_store_as_it_was(store_url, two_runs_report, clip, tmp_path):
    with open_store(store_url) as store:
        store.save_session(two_runs_report, jumper="Ann", clip=clip, keep_clip=True)
        before = snapshot(store)
    report_path, pose_path = tmp_path / "report.json", tmp_path / "pose.npz"
    report_path.write_text(json.dumps(two_runs_report.to_dict()))
    pose_path.write_bytes(pack(PoseData.from_report(two_runs_report)))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, store_url, str(report_path), str(pose_path), str(clip)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = _first_line(proc, 120)
        assert line == "MID-WRITE", f"the writer did not reach the middle of its write: {proc.stderr.read() if proc.poll() is not None else line!r}"
        with open_store(store_url) as peek:
            staged = sorted(p.name for p in (peek.files.root / "clips").iterdir())
        assert len(staged) == 2, "the kept clip is in place before the commit (the sweep must not take it)"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    t0 = time.monotonic()
    with open_store(store_url) as store:  # opening sweeps the unreferenced clip
        assert snapshot(store) == before
        assert [j.name for j in store.list_jumpers()] == ["Ann"]
        sid = store.save_session(two_runs_report, jumper="Killed", clip=clip, keep_clip=True)  # not locked
        assert store.clip_path(sid).is_file()
    assert time.monotonic() - t0 < 20


def test_the_sweep_leaves_a_file_a_live_writer_holds_and_takes_it_once_abandoned(tmp_path, clip):
    area = FileArea(tmp_path / "files")

    def nothing_referenced(relpaths):
        return set()

    with pytest.raises(SimulatedCrash), area.stage(clip, "abc123", ".mp4", committed=lambda: None) as staged:
        assert staged.path.is_file()
        assert area.sweep(nothing_referenced) == []  # locked by this writer: kept
        raise SimulatedCrash("the commit's outcome is unknown")
    assert staged.path.is_file()  # unknown outcome: left for the sweep
    assert area.sweep(nothing_referenced) == ["clips/abc123.mp4"]
    assert not staged.path.exists()
    with pytest.raises(SimulatedCrash), area.stage(clip, "def456", ".mp4", committed=lambda: False):
        raise SimulatedCrash("rolled back")
    assert list((tmp_path / "files" / "clips").iterdir()) == []
