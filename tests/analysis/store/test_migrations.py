"""Migrations from an empty database, a downgrade/upgrade round trip, and the models
matching the migrations, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

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
    with engine.begin() as c:  # what a 0001 store could hold (0002's downgrade refuses 'borderline')
        c.exec_driver_sql("UPDATE session_rules SET status = 'pass' WHERE LENGTH(status) > 8")
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
    """Four at once, on 25 new stores: before the switch to the write-ahead log was tried
    again, 9 of 100 such races failed with "database is locked" (``engine._wal``)."""
    for k in range(25):
        url = f"sqlite:///{tmp_path / f'new{k}.sqlite3'}"
        errors: list[BaseException] = []

        def open_it(url: str = url, errors: list[BaseException] = errors) -> None:
            try:
                open_store(url).close()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == [], f"race {k}"
        engine = make_engine(parse_url(url))
        assert migrate.current_revision(engine) == "0002_wider_status" and _tables(engine) == TABLES
        engine.dispose()


def _length(engine, table: str, column: str) -> int | None:
    with engine.connect() as c:
        (col,) = (col for col in sa.inspect(c).get_columns(table) if col["name"] == column)
        return col["type"].length


def test_an_older_store_is_upgraded_with_its_data_and_takes_borderline(store_url, report_json):
    """0001 -> 0002 on a store with a session, its rules and corrections: the rows stay,
    'borderline' fits (PostgreSQL refused it in varchar(8)), the corrections' CHECK and
    the cascade on delete survive (SQLite rebuilds both tables)."""
    with open_store(store_url) as store:
        sid = store.save_session(report_json, jumper="Ann")
        store.save_corrections(sid, [{"action": "remove", "jump": 0}])
    engine = make_engine(parse_url(store_url))
    try:
        with engine.begin() as c:  # what a 0001 store could hold: statuses of at most 8 characters
            c.exec_driver_sql("UPDATE session_rules SET status = 'pass' WHERE LENGTH(status) > 8")
            n_rules = c.exec_driver_sql("SELECT COUNT(*) FROM session_rules").scalar()
        migrate.downgrade(engine, "0001_initial")
        assert (_length(engine, "session_rules", "status"), _length(engine, "corrections", "action")) == (8, 8)
        migrate.upgrade(engine)
        assert (_length(engine, "session_rules", "status"), _length(engine, "corrections", "action")) == (16, 16)
        assert _diff(engine) == []
        with engine.begin() as c:
            assert c.exec_driver_sql("SELECT COUNT(*) FROM session_rules").scalar() == n_rules > 0
            assert c.exec_driver_sql("SELECT action FROM corrections").scalars().all() == ["remove"]
            c.exec_driver_sql("UPDATE session_rules SET status = 'borderline'")
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as c:
            c.exec_driver_sql("UPDATE corrections SET action = 'bogus'")
    finally:
        engine.dispose()
    with open_store(store_url) as store:
        assert store.delete_session(sid).sessions == 1
    engine = make_engine(parse_url(store_url))
    try:
        with engine.connect() as c:
            left = [c.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar() for t in ("session_rules", "corrections")]
        assert left == [0, 0], "the rebuilt tables still cascade on delete"
    finally:
        engine.dispose()


def test_narrowing_back_over_a_borderline_status_is_refused(store_url, report_json):
    with open_store(store_url) as store:
        store.save_session(report_json, jumper="Ann")
    engine = make_engine(parse_url(store_url))
    try:
        with engine.begin() as c:
            c.exec_driver_sql("UPDATE session_rules SET status = 'borderline'")
        with pytest.raises(RuntimeError, match="cannot narrow session_rules.status back to 8 characters"):
            migrate.downgrade(engine, "0001_initial")
        assert migrate.current_revision(engine) == "0002_wider_status", "nothing half-done"
        assert _length(engine, "session_rules", "status") == 16
    finally:
        engine.dispose()
