"""Shared test helpers: where the real clips are, and how to treat their absence; every
test's history store in a temporary folder (never the user's own)."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / "shared" / "videos"


def require_shared_videos() -> Path:
    """The shared real clips: a clear failure in CI (CI=true), a skip elsewhere."""
    if (SHARED_VIDEOS / "manifest.json").is_file():
        return SHARED_VIDEOS
    msg = (
        f"real clips not found at {SHARED_VIDEOS} (expected ../shared/videos beside the checkout, "
        "with manifest.json)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def require_ray() -> None:
    """Ray (the batch command's cluster engine, an optional extra): a clear failure in CI
    (CI=true; requirements-dev.txt installs it), a skip elsewhere."""
    if importlib.util.find_spec("ray") is None:
        msg = "Ray is not installed (requirements-dev.txt installs it; the engine's extra is [ray])"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)


def timing_tolerance_frames(x, y) -> int:
    """How many frames two readings of one jump may differ by: one where both timed its flight
    on the feet; two where either read it off the body's bounce (the feet unseen: its apex,
    ``flight_s`` NaN). Near a bounce's top the torso moves little: a 12 cm bounce at 1.3 Hz
    (double-unders) is within 1 cm of its peak for 2 frames either side at 30 fps, about the
    landmarks' noise, so a seam's sub-pixel differences can move that apex by 2 frames."""
    return 1 if math.isfinite(x.flight_s) and math.isfinite(y.flight_s) else 2


def manifest_clips() -> list[dict]:
    if not (SHARED_VIDEOS / "manifest.json").is_file():
        return []
    return json.loads((SHARED_VIDEOS / "manifest.json").read_text())["clips"]


@pytest.fixture
def shared_videos() -> Path:
    return require_shared_videos()


@pytest.fixture(autouse=True)
def private_history_store(monkeypatch, tmp_path_factory) -> str:
    """``JUMPROPE_DB_URL`` of each test: a SQLite file of its own in a temporary folder (made
    on first use), so nothing a test runs (the page, the command line) writes into the
    user's history. Tests of the default location unset it themselves."""
    base = tmp_path_factory.getbasetemp() / "history-stores"
    base.mkdir(exist_ok=True)
    url = f"sqlite:///{base / uuid.uuid4().hex}.sqlite3"
    monkeypatch.setenv("JUMPROPE_DB_URL", url)
    return url
