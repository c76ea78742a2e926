"""Helpers of the page tests: where the real clips are, and how to treat their absence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / "shared" / "videos"
SIDE_CLIP = SHARED_VIDEOS / "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need(path: Path, what: str) -> Path:
    """Return ``path`` if it exists; otherwise fail in CI (it must be there) or skip."""
    if path.exists():
        return path
    msg = f"{what} not found at {path}"
    if in_ci():
        pytest.fail(f"{msg} (CI=true: the shared clips must be beside the repository)")
    pytest.skip(msg)
    return path


@pytest.fixture
def side_clip() -> Path:
    return need(SIDE_CLIP, "real clip")
