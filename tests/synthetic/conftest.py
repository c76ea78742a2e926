"""Shared fixtures of the synthetic-renderer tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from synthetic.clip import Scene, build_scene  # noqa: E402
from synthetic.params import JumpParams  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ~10 s (deselect with -m 'not slow')")


SMALL = {"resolution_p": 360, "lead_in_s": 0.5, "end_stand_s": 0.3, "n_jumps": 4, "noise_sigma": 0.0}


def small_params(**kw) -> JumpParams:
    """A short, small clip's parameters with overrides."""
    return JumpParams.from_dict({**SMALL, **kw})


@pytest.fixture(scope="session")
def scene_cache():
    cache: dict = {}

    def get(seed: int = 0, **kw) -> Scene:
        key = (seed, tuple(sorted((k, str(v)) for k, v in kw.items())))
        if key not in cache:
            cache[key] = build_scene(small_params(**kw), seed)
        return cache[key]

    return get
