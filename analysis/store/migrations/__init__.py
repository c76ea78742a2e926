"""Alembic migrations of the history store, shipped inside the package (run by
``analysis.store.migrate``; no ``alembic.ini`` needed)."""
