"""The page's clip handling: uploads go to a SessionWorkspace only when needed, under a
safe name, and nothing is left behind."""

from __future__ import annotations

import threading

import pytest

from analysis.config import MAX_UPLOAD_MB
from analysis.io.workspace import PREFIX, UploadError
from review.session import ClipSource, lower_thread_priority


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
