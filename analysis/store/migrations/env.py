"""Alembic environment of the history store.

Run programmatically by :mod:`analysis.store.migrate`, which hands over an open
connection in ``config.attributes["connection"]`` (already inside the transaction that
serialises concurrent upgrades). A developer may also run the ``alembic`` command with
``-x url=...`` or ``JUMPROPE_DB_URL`` set, e.g. to write the next revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from analysis.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transactional_ddl=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():  # the caller's transaction: nothing new is begun
            context.run_migrations()
        return
    from analysis.store.location import parse_url, resolve_url  # noqa: PLC0415 - only when no connection is handed in

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(parse_url(resolve_url(url)))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover - SQL scripts are not part of the workflow
    raise SystemExit("offline (SQL script) mode is not supported: run against a database")
run_migrations_online()
