"""Where the history store lives: one setting, ``JUMPROPE_DB_URL``, or a function argument.

* Nothing set: a SQLite file ``history.sqlite3`` in the user's data folder
  (``platformdirs.user_data_path("jumprope-form")``: ``$XDG_DATA_HOME/jumprope-form`` or
  ``~/.local/share/jumprope-form`` on Linux, ``~/Library/Application Support/jumprope-form``
  on macOS, ``%LOCALAPPDATA%\\jumprope-form`` on Windows), created on first use.
* Any SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db`` for a club's server,
  ``sqlite:////path/file.sqlite3``) through the argument, else ``JUMPROPE_DB_URL``. The word
  ``default`` (the batch command's ``--store`` with no value) means the default file.

Kept clips go to a files folder the store manages: beside a SQLite file
(``<file stem>-files/``), or, for a server database, in the user's data folder under a
name derived from the server and database (``files-<host>-<db>/``), unless ``files_dir``
is given (e.g. a folder every machine of the club mounts).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ENV_URL = "JUMPROPE_DB_URL"
APP_NAME = "jumprope-form"
DB_FILENAME = "history.sqlite3"


class StoreError(ValueError):
    """A store that cannot be opened or an operation it refuses; the message says what to do."""


def data_dir() -> Path:
    """The user's data folder for this application (not created here)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_url() -> str:
    return f"sqlite:///{data_dir() / DB_FILENAME}"


def resolve_url(url: str | None = None) -> str:
    """The store URL: the argument, else ``JUMPROPE_DB_URL``, else the default SQLite file."""
    chosen = (url or "").strip() or os.environ.get(ENV_URL, "").strip()
    if not chosen or chosen.lower() == "default":
        return default_url()
    return chosen


def parse_url(url: str) -> URL:
    try:
        u = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"store URL: expected an SQLAlchemy URL such as sqlite:////path/history.sqlite3 or "
            f"postgresql+psycopg://user:password@host/database, got {safe_url(url)!r} ({exc})"
        ) from None
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        # Only psycopg (v3) is a dependency; SQLAlchemy 2.0 maps a bare postgresql:// to psycopg2.
        u = u.set(drivername="postgresql+psycopg")
    return u


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden (for messages and logs)."""
    try:
        return make_url(str(url) if isinstance(url, URL) else url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", str(url))


def sqlite_path(u: URL) -> Path | None:
    """The database file of a SQLite URL (None for in-memory or other back-ends)."""
    if u.get_backend_name() != "sqlite":
        return None
    db = u.database or ""
    if db in ("", ":memory:") or db.startswith("file::memory:") or u.query.get("mode") == "memory":
        return None
    return Path(db).expanduser()


def files_dir_for(u: URL) -> Path | None:
    """The default files folder of a store (None: in-memory SQLite has none)."""
    path = sqlite_path(u)
    if path is not None:
        return path.parent / f"{path.stem}-files"
    if u.get_backend_name() == "sqlite":
        return None
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{u.host or 'local'}-{u.port or ''}-{u.database or ''}").strip("._-")
    return data_dir() / f"files-{slug or 'server'}"
