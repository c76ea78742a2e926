"""History of analysed sessions (no Streamlit): a database through SQLAlchemy, migrated
with Alembic, plus the pure functions built on stored reports.

* ``store.py``     -- :class:`Store` / :func:`open_store`: save, list, reopen, correct, delete,
  trends, personal bests, comparison, class view, printable report.
* ``location.py``  -- where it lives: ``JUMPROPE_DB_URL`` or an argument, else SQLite in the
  user's data folder.
* ``models.py``, ``migrations/``, ``migrate.py``, ``engine.py`` -- schema and transactions.
* ``files.py``     -- kept clips, crash-safe.
* ``posedata.py``, ``reopen.py`` -- the pose blob and a ``Report`` rebuilt from JSON + blob.
* ``corrections.py``, ``streaks.py``, ``trends.py``, ``classview.py``, ``printable.py`` --
  pure functions of report JSON or per-session figures.
* ``batchsink.py``, ``cli.py`` -- ``python -m analysis batch ... --store`` and
  ``python -m analysis store ...``.
"""

from __future__ import annotations

from .corrections import ADD, REMOVE, Correction, apply_corrections, parse_corrections
from .location import ENV_URL, StoreError, data_dir, default_url, resolve_url
from .store import (
    DEFAULT_JUMPER,
    DeleteResult,
    JumperInfo,
    ReplaceResult,
    SessionInfo,
    Store,
    StoredSession,
    open_store,
)
from .streaks import run_endings, streak_summary

__all__ = [
    "ADD",
    "DEFAULT_JUMPER",
    "ENV_URL",
    "REMOVE",
    "ReplaceResult",
    "Correction",
    "DeleteResult",
    "JumperInfo",
    "SessionInfo",
    "Store",
    "StoreError",
    "StoredSession",
    "apply_corrections",
    "data_dir",
    "default_url",
    "open_store",
    "parse_corrections",
    "resolve_url",
    "run_endings",
    "streak_summary",
]
