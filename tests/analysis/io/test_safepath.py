"""Names from users never lead outside the folder we chose."""

from __future__ import annotations

import os

import pytest

from analysis.io.safepath import MAX_STEM_CHARS, safe_output_dir, safe_stem

HOSTILE = [
    "../../etc/passwd", "..", ".", "", "/", "a/b/../../c.mp4", "..\\..\\win.mp4", "C:\\Users\\x\\clip.mp4",
    "clip; rm -rf ~ &.mp4", "$(reboot).mp4", "`id`.mp4", "-rf.mp4", "--out=x.mp4", "a\nb\rc\td.mp4",
    "nul\x00byte.mp4", "CON", "aux.mp4", "\u202eevil\u202c.mp4", "跳绳" * 200 + ".mp4", "x" * 1000, ".hidden.mp4",
    "~/clip.mp4", "*?<>|\".mp4", "   .mp4", "ﬁle.mp4",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_stem_is_harmless(name):
    s = safe_stem(name)
    assert s and s not in (".", "..")
    assert "/" not in s and "\\" not in s and "\x00" not in s
    assert not s.startswith((".", "-"))
    assert all(ch.isalnum() or ch in "-_." for ch in s)
    assert len(s) <= MAX_STEM_CHARS and len(s.encode("utf-8")) < 200
    assert s.split(".")[0].lower() not in ("con", "aux", "nul")


def test_safe_stem_keeps_readable_names():
    assert safe_stem("front_girl_25fps.mp4") == "front_girl_25fps"
    assert safe_stem("Seil über 跳绳.mov") == "Seil_über_跳绳"
    assert safe_stem(None) == "clip"


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_output_dir_stays_inside(tmp_path, name):
    out = safe_output_dir(tmp_path, name)
    assert tmp_path.resolve() in out.resolve().parents


def test_planted_symlink_is_refused(tmp_path):
    (tmp_path / "base").mkdir()
    os.symlink("/", tmp_path / "base" / "clip")
    with pytest.raises(ValueError, match="outside"):
        safe_output_dir(tmp_path / "base", "clip.mp4")


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_name_stays_inside(tmp_path_factory, name):
    base = tmp_path_factory.getbasetemp() / "prop"
    s = safe_stem(name)
    assert s and s not in (".", "..") and "/" not in s and "\\" not in s and not s.startswith((".", "-"))
    assert len(s.encode("utf-8")) < 200
    out = safe_output_dir(base, name)
    assert out.parent == base
