"""Schema migrations, run from code on first use (no ``alembic.ini``, no command to type).

``ensure_schema(engine)`` brings a store to the newest revision: an empty database gets
every table, an older store is upgraded, a store at the newest revision is left alone.
The whole upgrade is one transaction (SQLite's DDL included, see ``engine.py``), taken
under a lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-level advisory lock),
so two programs opening a new store at once do not both create it.

Revisions (``migrations/versions``): ``0001_initial``, ``0002_wider_status`` (a rule's status widened
to 16 characters for "borderline", a correction's action with it).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Engine

from .engine import writer
from .location import StoreError, safe_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Key of PostgreSQL's advisory lock held while migrating (any fixed 64-bit number; this
#: one is the ASCII of "jumprope").
PG_MIGRATION_LOCK = 0x6A756D70726F7065


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder holds no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, fn, revision: str) -> None:
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
        try:
            fn(alembic_config(conn), revision)
        except CommandError as exc:
            current = MigrationContext.configure(conn).get_current_revision()
            known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
            if current is not None and current not in known:
                raise StoreError(
                    f"the store at {safe_url(engine.url)} was written by a newer version of this program "
                    f"(schema revision {current!r}); update the program to open it"
                ) from None
            raise StoreError(f"could not migrate the store at {safe_url(engine.url)}: {exc}") from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Back to ``revision`` ("base": an empty database). For tests and for undoing a bad upgrade."""
    _run(engine, command.downgrade, revision)


def ensure_schema(engine: Engine) -> str:
    """Upgrade to the newest revision when needed; returns the revision the store is at."""
    head = head_revision()
    if current_revision(engine) != head:
        upgrade(engine)
    return head
