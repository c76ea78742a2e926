"""The page's per-session workspace: safe names, size limit, nothing left behind."""

from __future__ import annotations

import gc
import io
import os
import tempfile
from pathlib import Path

import pytest

from analysis.io.workspace import PREFIX, SessionWorkspace, UploadError, sweep_stale_workspaces


def _ours() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(PREFIX + "*"))


def test_workspace_removes_everything_on_close():
    before = _ours()
    ws = SessionWorkspace(max_mb=1)
    assert ws.path.parent == Path(tempfile.gettempdir()) and ws.path.name.startswith(PREFIX)
    assert (ws.path.stat().st_mode & 0o777) == 0o700
    clip = ws.save_upload("clip.mp4", b"x" * 1000)
    out = ws.output_dir("clip.mp4")
    (out / "report.json").write_text("{}")
    assert clip.is_file() and len(ws.files()) == 2
    ws.close()
    ws.close()  # idempotent
    assert ws.closed and not ws.path.exists()
    assert _ours() == before
    with pytest.raises(UploadError, match="closed"):
        ws.save_upload("again.mp4", b"x")


def test_context_manager_and_garbage_collection_clean_up():
    before = _ours()
    with SessionWorkspace() as ws:
        ws.save_upload("a.mov", io.BytesIO(b"abc"))
        path = ws.path
    assert not path.exists()
    ws2 = SessionWorkspace()
    ws2.save_upload("b.mp4", b"abc")
    path2 = ws2.path
    del ws2
    gc.collect()
    assert not path2.exists()
    assert _ours() == before


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd", "..\\..\\evil.mp4", "/abs/path/clip.mp4", "a;rm -rf ~;$(id)`x`.mp4", "跳绳 ünï.mp4", "..",
     "", None, "CON.mp4", "x" * 500 + ".mp4", "\x00\n.mp4"],
)
def test_hostile_names_stay_inside(name):
    with SessionWorkspace() as ws:
        p = ws.save_upload(name, b"data")
        assert p.parent == ws.path
        assert p.read_bytes() == b"data"
        assert len(p.name.encode()) < 255
        out = ws.output_dir(name)
        assert ws.path in out.resolve().parents


def test_same_name_twice_does_not_overwrite():
    with SessionWorkspace() as ws:
        a = ws.save_upload("clip.mp4", b"one")
        b = ws.save_upload("clip.mp4", b"two")
        assert a != b and a.read_bytes() == b"one" and b.read_bytes() == b"two"
        assert ws.output_dir("clip.mp4") != ws.output_dir("clip.mp4")


def test_size_limit_is_enforced_with_a_clear_message():
    with SessionWorkspace(max_mb=0.001) as ws:  # about 1 KB
        with pytest.raises(UploadError, match=r"limit is 0 MB|limit"):
            ws.save_upload("big.mp4", b"x" * 5000)

        class Stream(io.BytesIO):  # a file-like upload that does not declare its size
            pass

        with pytest.raises(UploadError, match="larger than the"):
            ws.save_upload("big2.mp4", Stream(b"x" * 5000))
        assert ws.files() == []  # the partial copy was removed
        with pytest.raises(UploadError, match="empty"):
            ws.save_upload("empty.mp4", b"")
        assert ws.files() == []


def test_declared_size_is_refused_before_copying():
    class Upload(io.BytesIO):
        size = 10 * 1024 * 1024

        def read(self, *a):  # pragma: no cover - must not be called
            raise AssertionError("copied an oversized upload")

    with SessionWorkspace(max_mb=1) as ws:
        with pytest.raises(UploadError, match="10 MB; the limit is 1 MB"):
            ws.save_upload("big.mp4", Upload())


def test_remove_only_inside_and_sweep_stale(tmp_path):
    with SessionWorkspace() as ws:
        p = ws.save_upload("a.mp4", b"x")
        ws.remove(p)
        assert not p.exists()
        with pytest.raises(ValueError):
            ws.remove(tmp_path)
    old = tmp_path / (PREFIX + "stale")
    old.mkdir()
    (old / "f").write_bytes(b"x")
    fresh = tmp_path / (PREFIX + "fresh")
    fresh.mkdir()
    other = tmp_path / "not-ours"
    other.mkdir()
    os.utime(old, (0, 0))
    removed = sweep_stale_workspaces(3600, base=tmp_path)
    assert removed == [old] and fresh.exists() and other.exists()


def test_describe_error_is_one_sentence_without_internals():
    from analysis.io.workspace import describe_error
    from analysis.io.video import VideoError

    msg, user = describe_error(VideoError("x.mp4: this is a text file, not a video."), "x.mp4")
    assert user and msg.startswith("x.mp4: this is a text file")
    msg, user = describe_error(RuntimeError("/tmp/jumprope-123/secret/path exploded"), "../x.mp4")
    assert not user and "/tmp" not in msg and "RuntimeError" in msg and msg.startswith("x:")
