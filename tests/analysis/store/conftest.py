"""Fixtures of the store's tests: a store on SQLite (a temporary file) and on a real
PostgreSQL server (``JUMPROPE_TEST_PG_URL``, started by ``.ci/with_postgres``; a fresh
database per test), and reports made from synthetic motion (no video, no pose model)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from analysis.config import AnalysisConfig
from analysis.pipeline import PoseStage, analyze_pose
from analysis.types import VideoMeta
from tests.fixtures.motion import make_motion

PG_ENV = "JUMPROPE_TEST_PG_URL"


def require_postgres() -> str:
    """The test server's URL: a clear failure in CI (CI=true) when missing, a skip elsewhere."""
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    msg = (f"{PG_ENV} is not set: these tests need a PostgreSQL server (run them through "
           ".ci/with_postgres, which starts one on localhost)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def fresh_pg_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the test server for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> Iterator[str]:
    """An empty store's URL on each back-end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.sqlite3'}"
    else:
        yield from fresh_pg_database(require_postgres())


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from fresh_pg_database(require_postgres())


def make_report(**kw):
    """A real ``Report`` from synthetic motion (``analyze_pose``: every stage after pose)."""
    kw.setdefault("n_jumps", 20)
    m = make_motion(**kw)
    meta = VideoMeta("synthetic.mp4", *m.pose.frame_size_px, m.params.fps, len(m.pose), len(m.pose) / m.params.fps)
    return analyze_pose(PoseStage(m.pose, meta, pose_model="fake"), AnalysisConfig(standing_height_cm=170.0))


@pytest.fixture(scope="session")
def two_runs_report():
    """20 jumps in two runs of 10 with a 0.9 s stand between them; side view, leaning
    forward (a posture fault on every jump)."""
    return make_report(n_jumps=20, pause_after=9, pause_s=0.9, view="side", trunk_lean_deg=25.0)


@pytest.fixture
def report_json(two_runs_report) -> dict:
    return json.loads(json.dumps(two_runs_report.to_dict()))
