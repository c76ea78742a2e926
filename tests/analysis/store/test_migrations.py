"""Migrations from an empty database, a downgrade/upgrade round trip, and the models
matching the migrations, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from analysis.store import StoreError, migrate, open_store
from analysis.store.engine import make_engine
from analysis.store.location import parse_url
from analysis.store.models import Base

TABLES = {"jumpers", "sessions", "session_jumps", "session_rules", "corrections", "session_pose", "session_files"}


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _diff(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def test_upgrade_from_empty_then_down_and_up_again(store_url):
    engine = make_engine(parse_url(store_url))
    try:
        assert _tables(engine) == set() and migrate.current_revision(engine) is None
        assert migrate.ensure_schema(engine) == "0002_wider_status" == migrate.head_revision()
        assert _tables(engine) == TABLES
        assert _diff(engine) == []  # the models are exactly what the migrations build
        migrate.downgrade(engine, "base")
        assert _tables(engine) == set() and migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert _tables(engine) == TABLES and migrate.current_revision(engine) == "0002_wider_status"
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_a_store_opens_migrated_and_works_after_a_round_trip(store_url, report_json):
    with open_store(store_url) as store:
        sid = store.save_session(report_json, jumper="Ann")
    engine = make_engine(parse_url(store_url))
    if engine.dialect.name == "postgresql":
        # A "borderline" verdict does not fit the first schema: PostgreSQL refuses to narrow
        # the column (the whole downgrade is one transaction, so nothing changed).
        with pytest.raises(sa.exc.DataError, match="too long"):
            migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) == migrate.head_revision()
        with open_store(store_url) as store:
            store.delete_session(sid)
    migrate.downgrade(engine, "base")
    engine.dispose()
    with open_store(store_url) as store:  # upgraded again on opening: an empty store
        assert store.list_sessions() == []
        assert store.save_session(report_json, jumper="Ann") >= sid


def test_a_store_from_a_newer_program_is_refused_with_a_reason(store_url):
    engine = make_engine(parse_url(store_url))
    migrate.ensure_schema(engine)
    with engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
    engine.dispose()
    with pytest.raises(StoreError, match="newer version of this program"):
        open_store(store_url)


def test_two_programs_opening_a_new_store_at_once_both_get_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_store(url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    engine = make_engine(parse_url(url))
    assert migrate.current_revision(engine) == "0002_wider_status" and _tables(engine) == TABLES
    engine.dispose()


def test_a_first_version_store_is_upgraded_and_then_holds_a_borderline_verdict(store_url, report_json):
    """A store written by the first schema keeps its rows through 0002, which widens the
    verdict column so that "borderline" (10 characters) fits on PostgreSQL too."""
    engine = make_engine(parse_url(store_url))
    migrate.upgrade(engine, "0001_initial")
    with engine.begin() as c:  # a jumper written by the first version
        c.exec_driver_sql(
            "INSERT INTO jumpers (name, name_key, created_at) VALUES ('Ann', 'ann', '2026-11-01 10:00:00')"
        )
    engine.dispose()
    with open_store(store_url) as store:  # opening upgrades to the newest revision
        sid = store.save_session(report_json, jumper="Ann")
        (row,) = store.figures(session_ids=[sid])
        statuses = {rid: r["status"] for rid, r in row["rules"].items()}
        assert statuses == {r["id"]: r["status"] for r in report_json["rules"]}
        assert "borderline" in statuses.values()  # the fixture has one (soft knees)
        assert [j.name for j in store.list_jumpers()] == ["Ann"]  # the older row is kept
    engine = make_engine(parse_url(store_url))
    assert migrate.current_revision(engine) == migrate.head_revision() == "0002_wider_status"
    engine.dispose()
