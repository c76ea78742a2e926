"""The one CSV writer: a table is (column names, rows); every CSV the package writes
(``frames.csv``, ``jumps.csv``, the batch's ``summary.csv``, the page's downloads) goes
through here, so they share one dialect (``csv.writer`` defaults: comma, ``\\r\\n``)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def table_text(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The table as CSV text (header row first)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(names)
    w.writerows(rows)
    return buf.getvalue()


def table_bytes(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The table as UTF-8 CSV bytes (a download, a file written elsewhere)."""
    return table_text(names, rows).encode("utf-8")


def write_table(path: str | os.PathLike, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write the table to ``path``, atomically (a temporary sibling renamed into place), so
    a reader never sees half a file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(table_bytes(names, rows))
    os.replace(tmp, path)
    return path


def dict_rows(names: Sequence[str], rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Rows of dicts as lists in the order of ``names`` (missing keys empty, extra keys left out)."""
    return [[r.get(k, "") for k in names] for r in rows]
