"""Misses and streaks: how each run of skipping ended, and the longest unbroken streak.

Computed from what every report has: its ``runs`` (start and end of each stretch of
continuous skipping, ``measure/jumps.py``) and the clip's length. The gap after a run (the next
run's first take-off minus this run's last landing) says how it ended:

* ``continued`` -- gap up to ``measure.jumps.SLOWEST_PERIOD_S`` (1 s, one turn of the slowest rope
  the detector counts as skipping): the jumper never stood still; the detector split the run
  because the rhythm changed (a new skill or speed). Not a break: the streak goes on.
* ``miss`` -- gap up to ``RESTART_WINDOW_S``, then skipping again: the rope stopped and was
  restarted at once, which is what a rope catching the feet looks like. Restarting takes
  getting the rope back behind the heels (stepping over it or swinging it back, about one
  turn's worth of movement), a set-up swing and the first turn: about three rope turns,
  3 s at the slowest counted cadence. The video cannot see the rope reliably, so a
  deliberate pause shorter than that also reads as a miss (and a trip followed by a
  longer recovery as a stop). Not measured: no shared clip has a labelled trip.
* ``stop`` -- a longer pause (cause ``long_pause``), or the last run: the clip ended while
  skipping (cause ``clip_ended``: less than one of the run's own jump intervals was left)
  or the jumper stood until the end (cause ``stood``).

A **streak** is a chain of runs joined by ``continued``; ``longest_streak`` is its jump
count (0 without jumps).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..measure.jumps import SLOWEST_PERIOD_S

#: Longest restart after the rope stops that still reads as a miss: three rope turns at the
#: slowest counted cadence (see the module's docstring).
RESTART_WINDOW_S = 3.0 * SLOWEST_PERIOD_S

CONTINUED, MISS, STOP = "continued", "miss", "stop"


@dataclass(frozen=True)
class RunEnd:
    """One run of skipping and how it ended (times in s, frames 0-based, as in the report)."""

    run: int
    start_s: float
    end_s: float
    n_jumps: int
    start_frame: int
    end_frame: int
    ended_by: str  # continued / miss / stop
    cause: str  # new_rhythm / restarted / long_pause / clip_ended / stood
    gap_after_s: float | None  # to the next run's first take-off (None for the last run)
    streak: int  # index of the streak this run belongs to


def clip_span_s(report: dict[str, Any]) -> tuple[float, float]:
    """(first, last) frame time of the analysed clip, from the report's summary and windows."""
    windows = report.get("cadence_windows") or []
    t0 = float(windows[0]["start_s"]) if windows else 0.0
    return t0, t0 + float((report.get("summary") or {}).get("duration_s") or 0.0)


def _period_s(jumps: list[dict], run: int) -> float:
    apex = [j["apex_s"] for j in jumps if j.get("run") == run and j.get("apex_s") is not None]
    return float(np.median(np.diff(apex))) if len(apex) >= 2 else SLOWEST_PERIOD_S


def run_endings(report: dict[str, Any]) -> list[RunEnd]:
    runs = report.get("runs") or []
    jumps = report.get("jumps") or []
    _, clip_end = clip_span_s(report)
    out: list[RunEnd] = []
    streak = 0
    for i, r in enumerate(runs):
        if i + 1 < len(runs):
            gap = float(runs[i + 1]["start_s"]) - float(r["end_s"])
            if gap <= SLOWEST_PERIOD_S:
                ended, cause = CONTINUED, "new_rhythm"
            elif gap <= RESTART_WINDOW_S:
                ended, cause = MISS, "restarted"
            else:
                ended, cause = STOP, "long_pause"
        else:
            gap = None
            tail = clip_end - float(r["end_s"])
            ended, cause = STOP, ("clip_ended" if tail <= _period_s(jumps, i) else "stood")
        out.append(
            RunEnd(
                i,
                float(r["start_s"]),
                float(r["end_s"]),
                int(r["n_jumps"]),
                int(r["start_frame"]),
                int(r["end_frame"]),
                ended,
                cause,
                gap,
                streak,
            )
        )
        if ended != CONTINUED:
            streak += 1
    return out


def streak_summary(report: dict[str, Any]) -> dict[str, Any]:
    """Plain data for the report's ``streaks`` key: every run's ending, the longest streak
    (jumps, its runs, start and end), and how many runs ended in a miss or a stop."""
    ends = run_endings(report)
    totals: dict[int, int] = {}
    for e in ends:
        totals[e.streak] = totals.get(e.streak, 0) + e.n_jumps
    best = max(totals, key=lambda k: (totals[k], -k)) if totals else None
    members = [e for e in ends if e.streak == best]
    return {
        "longest_streak": totals.get(best, 0) if best is not None else 0,
        "longest_streak_runs": [e.run for e in members],
        "longest_streak_start_s": members[0].start_s if members else None,
        "longest_streak_end_s": members[-1].end_s if members else None,
        "n_misses": sum(e.ended_by == MISS for e in ends),
        "n_stops": sum(e.ended_by == STOP for e in ends),
        "restart_window_s": RESTART_WINDOW_S,
        "runs": [asdict(e) for e in ends],
    }
