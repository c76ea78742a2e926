"""The class view for coaches: one row per session (jumper, date, count, cadence, height,
longest streak, top fault), sortable by any column, exportable as CSV. Pure functions of
the rows :meth:`Store.class_rows` returns."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

COLUMNS = (
    "session_id",
    "jumper",
    "recorded_at",
    "clip_name",
    "jump_count",
    "jumps_per_minute",
    "mean_height_cm",
    "mean_height_uncertainty_cm",
    "longest_streak",
    "n_misses",
    "top_fault",
    "top_fault_share",
    "n_corrections",
    "partial",
)


def sort_rows(
    rows: Iterable[dict[str, Any]], by: str = "recorded_at", descending: bool = False
) -> list[dict[str, Any]]:
    """Rows sorted by one column; missing values (None, NaN) last in either direction,
    ties broken by jumper and date."""
    rows = list(rows)
    if rows and by not in rows[0]:
        raise ValueError(f"sort: expected one of {', '.join(rows[0])}, got {by!r}")

    def missing(v: Any) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    present = [r for r in rows if not missing(r.get(by))]
    absent = [r for r in rows if missing(r.get(by))]
    tie = sorted(
        present + absent,
        key=lambda r: (str(r.get("jumper", "")).casefold(), r.get("recorded_at") or 0, r.get("session_id") or 0),
    )
    order = {id(r): i for i, r in enumerate(tie)}
    present.sort(key=lambda r: order[id(r)])
    present.sort(key=lambda r: r[by].casefold() if isinstance(r[by], str) else r[by], reverse=descending)
    absent.sort(key=lambda r: order[id(r)])
    return present + absent


def _cell(v: Any, tz: tzinfo | None) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(tz).isoformat(timespec="minutes")
    if isinstance(v, float):
        return "" if not math.isfinite(v) else round(v, 3)
    if isinstance(v, bool):
        return int(v)
    return "" if v is None else v


def to_csv(rows: Iterable[dict[str, Any]], tz: tzinfo | None = None) -> str:
    """CSV text (header + one line per row); dates in ``tz`` (default: this machine's zone)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(r.get(k), tz) for k in COLUMNS})
    return buf.getvalue()
