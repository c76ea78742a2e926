"""Shared helpers of the robustness tests: real clips (skip or fail clearly) and a quiet analysis."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VIDEOS = (REPO / ".." / "shared" / "videos").resolve()
SIDE = "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4"
FRONT = "front_girl_basic_bounce_studio_idle_start_25fps.mp4"


def real_clip(name: str) -> Path:
    """Path of a shared real clip; fails with a clear message under CI=true, else skips."""
    p = VIDEOS / name
    if not p.is_file():
        msg = f"real clip {name} not found in {VIDEOS} (expected at ../shared/videos from the repo root)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; CI must provide the shared videos")
        pytest.skip(msg)
    return p
