"""Database engines for the store: SQLite with real transactions, or any server SQLAlchemy knows.

SQLite: Python's driver opens transactions itself and commits before DDL; here the store
issues ``BEGIN`` (or ``BEGIN IMMEDIATE`` for writes, so two writers queue instead of one
failing on a lock upgrade) and nothing else, so every write, migrations included, is one
atomic transaction. Foreign keys are switched on (SQLite leaves them off), and a file
database uses the write-ahead log: the page reads while the batch command writes.
"""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import StaticPool

from .location import sqlite_path

#: How long a SQLite writer waits for another one (seconds): a session is written in well
#: under a second, so 30 s only runs out when another process is stuck mid-write; then the
#: error says the store is busy instead of waiting for ever.
SQLITE_BUSY_TIMEOUT_S = 30.0
#: Pause before trying the switch to the write-ahead log again (:func:`_wal`): the other
#: connection holds the database for a few milliseconds.
WAL_RETRY_S = 0.01
#: Execution option naming SQLite's BEGIN mode ("" deferred, "IMMEDIATE" for writers).
BEGIN_MODE = "jumprope_sqlite_begin"


def _wal(cur) -> None:
    """Switch a file database to the write-ahead log. The switch needs the database to
    itself and SQLite answers "database is locked" at once, without waiting for the busy
    timeout, while another connection holds it (several programs opening a new store at the
    same moment: 9 of 100 tries of four threads here failed so): try again until the busy
    timeout has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_S)


def make_engine(u: URL) -> Engine:
    if u.get_backend_name() != "sqlite":
        return create_engine(u, pool_pre_ping=True)
    path = sqlite_path(u)
    if path is None:  # in memory: one connection shared by every user of this engine
        engine = create_engine(u, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # the driver issues no BEGIN/COMMIT of its own
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        if path is not None:
            _wal(cur)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE, "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, beginning transactions that write (SQLite: ``BEGIN IMMEDIATE``)."""
    return engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"}) if engine.dialect.name == "sqlite" else engine
