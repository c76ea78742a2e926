"""Shared fixtures of the synthetic-renderer tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from synthetic.clip import build_scene  # noqa: E402
from synthetic.presets import small_params  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ~10 s (deselect with -m 'not slow')")


@pytest.fixture(scope="session")
def scene_cache():
    cache: dict = {}

    def get(seed: int = 0, **kw):
        key = (seed, tuple(sorted((k, str(v)) for k, v in kw.items())))
        if key not in cache:
            cache[key] = build_scene(small_params(**kw), seed)
        return cache[key]

    return get
