"""Fixtures of the page's store tests: reports from synthetic motion (every stage after the
pose, no video) and a store in a temporary SQLite file."""

from __future__ import annotations

import pytest

from analysis.store import open_store
from tests.analysis.store.conftest import make_report


@pytest.fixture(scope="session")
def two_runs():
    """20 jumps in two runs of 10, 0.9 s apart (a miss), leaning forward on every jump."""
    return make_report(n_jumps=20, pause_after=9, pause_s=0.9, view="side", trunk_lean_deg=25.0)


@pytest.fixture(scope="session")
def upright():
    return make_report(n_jumps=30, view="side", trunk_lean_deg=3.0)


@pytest.fixture
def store(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'history.sqlite3'}") as s:
        yield s
