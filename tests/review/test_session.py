"""The page's clip handling: uploads go to a SessionWorkspace only when needed, under a
safe name, and nothing is left behind."""

from __future__ import annotations

import threading

import pytest

from analysis.config import MAX_UPLOAD_MB
from analysis.io.workspace import PREFIX, UploadError
from review.session import ClipSource, Jobs, lower_thread_priority


@pytest.fixture
def tmpdir_is(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_upload_written_lazily_and_removed(tmpdir_is):
    clip = ClipSource("../evil name.mp4", data=b"bytes", tag="abc123")
    assert list(tmpdir_is.iterdir()) == []  # nothing written until a path is asked for
    with clip:
        p = clip.path
        assert p.read_bytes() == b"bytes" and p.name == "evil_name.mp4"
        assert p.parent.parent == tmpdir_is and p.parent.name.startswith(PREFIX + "abc123-")
        out = clip.scratch_path("annotated.mp4")
        assert clip.workspace.path in out.parents and out != p
        assert clip.path == p  # stored once
    assert list(tmpdir_is.iterdir()) == []


def test_sample_keeps_its_file(tmpdir_is):
    f = tmpdir_is / "s.mp4"
    f.write_bytes(b"x")
    clip = ClipSource("s.mp4", sample=f)
    assert clip.path == f
    out = clip.scratch_path("v.mp4")
    out.write_bytes(b"y")
    clip.cleanup()
    assert f.exists() and not out.exists()
    assert [p.name for p in tmpdir_is.iterdir()] == ["s.mp4"]


def test_hostile_upload_names_stay_inside(tmpdir_is):
    for hostile in ("..", "../../evil.mp4", "a/b\\c;rm -rf ~.MOV", "clip.exe"):
        with ClipSource(hostile, data=b"data") as clip:
            p = clip.path
            assert p.parent == clip.workspace.path and p.read_bytes() == b"data"
            assert p.parent in clip.scratch_path(hostile).resolve().parents
    assert list(tmpdir_is.iterdir()) == []


def test_the_one_upload_limit_applies(tmpdir_is):
    assert ClipSource("a.mp4", data=b"x").workspace.max_bytes == MAX_UPLOAD_MB * 1024 * 1024
    with ClipSource("big.mp4", data=b"x" * 5000, max_mb=0.001) as clip, pytest.raises(UploadError, match="limit"):
        _ = clip.path


def test_one_source_only():
    with pytest.raises(ValueError, match="either"):
        ClipSource("a.mp4")


def test_lower_thread_priority_runs():
    res = []
    t = threading.Thread(target=lambda: res.append(lower_thread_priority(1)))
    t.start()
    t.join()
    assert res and isinstance(res[0], bool)


def test_detached_copy_has_its_own_workspace(tmpdir_is):
    clip = ClipSource("a.mp4", data=b"bytes", tag="t")
    p = clip.path
    copy = clip.detached()
    clip.cleanup()
    assert not p.exists()
    with copy:
        q = copy.path
        assert q.read_bytes() == b"bytes" and q != p
    assert list(tmpdir_is.iterdir()) == []
    f = tmpdir_is / "s.mp4"
    f.write_bytes(b"x")
    assert ClipSource("s.mp4", sample=f).detached().path == f


def test_jobs_run_once_per_key_and_hand_over_the_result():
    jobs = Jobs()
    gate = threading.Event()
    calls = []

    def work(x):
        calls.append(x)
        gate.wait(5)
        return x * 2

    first = jobs.submit("k", work, 21)
    assert jobs.submit("k", work, 99) is first  # one job per key
    assert jobs.running("k") and jobs.take("k") == (False, None)
    gate.set()
    first.result(5)
    assert not jobs.running("k") and jobs.take("k") == (True, 42)
    assert jobs.take("k") == (False, None) and calls == [21]  # taken once, then forgotten

    def boom():
        raise ValueError("bad clip")

    jobs.submit("e", boom).exception(5)
    with pytest.raises(ValueError, match="bad clip"):
        jobs.take("e")


def test_safe_name_is_the_stored_name(tmpdir_is):
    clip = ClipSource("../my clip.MOV", data=b"x")
    with clip:
        assert clip.safe_name == clip.path.name == "my_clip.mov"
    assert ClipSource("notes.txt", data=b"x").safe_name.endswith(".video")
    f = tmpdir_is / "s.mp4"
    f.write_bytes(b"x")
    assert ClipSource("s.mp4", sample=f).safe_name == "s.mp4"
