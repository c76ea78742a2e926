"""Corrections in the frame review (no Streamlit): what the two buttons can do at the
current frame, the list of corrections in words, and its edits (add one, undo one).

The store keeps a session's corrections as one list (``Store.save_corrections`` replaces
it; ``analysis.store.corrections`` recomputes every figure from it). A removed jump is
named by its index in the *original* detection; the page shows the corrected report, whose
jumps carry ``source`` ("detected" or "added") and ``original_index`` in its JSON. So:

* "Not a jump" on a detected jump adds ``{"action": "remove", "jump": <original index>}``;
  on a jump added by hand it undoes that addition (nothing else could mean "not a jump").
* "Add a missed jump here" adds ``{"action": "add", "frame": f}``, except inside a counted
  jump's flight (take-off to landing: that jump is there already; the store refuses it too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.report import Report
from analysis.store.corrections import ADD, REMOVE

from .viewmodel import clip_time, jump_at_frame


@dataclass(frozen=True)
class FrameActions:
    """What the correction buttons do at one frame (``None``: the button is disabled, and
    ``*_why`` says why)."""

    frame: int
    #: Position (0-based) of the shown jump whose cycle holds the frame, or None.
    jump: int | None
    remove_label: str
    #: The new corrections list when "Not a jump" is pressed.
    remove: list[dict[str, Any]] | None
    remove_why: str
    add_label: str
    add: list[dict[str, Any]] | None
    add_why: str


def jump_sources(report: Report, corrected: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Per shown jump: ``source`` and ``original_index`` (from the corrected JSON; a report
    without corrections: every jump detected, numbered as shown)."""
    js = (corrected or {}).get("jumps")
    if js is not None and len(js) == report.jumps.count:
        return [
            {"source": j.get("source", "detected"), "original_index": j.get("original_index", i)}
            for i, j in enumerate(js)
        ]
    return [{"source": "detected", "original_index": i} for i in range(report.jumps.count)]


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("action") != b.get("action"):
        return False
    return a.get("jump") == b.get("jump") if a.get("action") == REMOVE else a.get("frame") == b.get("frame")


def frame_actions(
    report: Report, corrected: dict[str, Any] | None, corrections: Sequence[dict[str, Any]], frame: int
) -> FrameActions:
    """The two buttons at ``frame`` of the shown (maybe corrected) report."""
    current = [dict(c) for c in corrections]
    sources = jump_sources(report, corrected)
    n_frames = len(report.t_s)
    k = jump_at_frame(report, frame)
    remove: list[dict[str, Any]] | None = None
    if k is None or k >= len(sources):
        remove_label, remove_why = "Not a jump", "this frame is between jumps: move to a jump to remove it"
    else:
        ev = report.jumps.jumps[k]
        src = sources[k]
        if src["source"] == "added":
            remove_label = f"Not a jump: undo the jump added at frame {ev.takeoff_frame}"
            remove = [c for c in current if not (c.get("action") == ADD and c.get("frame") == ev.takeoff_frame)]
            remove_why = ""
            if len(remove) == len(current):  # the addition is not in the list (changed elsewhere)
                remove, remove_why = None, "this jump was added by hand, but its correction is not in the list"
        else:
            remove_label = f"Not a jump: remove jump {k + 1} (take-off at frame {ev.takeoff_frame})"
            new = {"action": REMOVE, "jump": int(src["original_index"])}
            remove = None if any(_same(c, new) for c in current) else [*current, new]
            remove_why = "" if remove is not None else "this jump is removed already"
    inside = next(
        (
            (i, j)
            for i, j in enumerate(report.jumps.jumps)
            if j.takeoff_frame <= frame <= max(j.landing_frame, j.takeoff_frame)
        ),
        None,
    )
    add_label = f"Add a missed jump at frame {frame}"
    add: list[dict[str, Any]] | None = None
    if not 0 <= frame < max(n_frames, 1):
        add_why = f"frame {frame} is outside the clip"
    elif inside is not None:
        i, j = inside
        add_why = (
            f"frame {frame} is inside jump {i + 1} (take-off {j.takeoff_frame} to landing {j.landing_frame}), "
            "which is counted already"
        )
    else:
        add, add_why = [*current, {"action": ADD, "frame": int(frame)}], ""
    return FrameActions(int(frame), k, remove_label, remove, remove_why, add_label, add, add_why)


def undo(corrections: Sequence[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    """The list without correction ``index``."""
    if not 0 <= index < len(corrections):
        raise ValueError(f"undo: expected a correction 0-{len(corrections) - 1}, got {index}")
    return [dict(c) for i, c in enumerate(corrections) if i != index]


def describe(corrections: Sequence[dict[str, Any]], corrected: dict[str, Any] | None, report: Report) -> list[str]:
    """Each correction in words, with its frame and time from the clip's start."""
    original = ((corrected or {}).get("original_detection") or {}).get("jumps") or []
    t0 = float(report.t_s[0]) if len(report.t_s) else 0.0
    out = []
    for c in corrections:
        if c.get("action") == REMOVE:
            k = int(c.get("jump") or 0)
            j = original[k] if k < len(original) else None
            where = ""
            if j is not None:
                where = f" (take-off at frame {j['takeoff_frame']}, {float(j['takeoff_s']) - t0:.2f} s)"
            out.append(f"Jump {k + 1} of the detection is not a jump{where}")
        else:
            f = int(c.get("frame") or 0)
            t = c.get("t_s")
            secs = float(t) - t0 if t is not None and math.isfinite(float(t)) else clip_time(report, f)
            out.append(f"Missed jump added at frame {f} ({secs:.2f} s)")
    return out


def summary_change(corrected: dict[str, Any] | None) -> str | None:
    """'Corrected by hand: 21 jumps (the detection found 22).' or None without corrections."""
    c = corrected or {}
    items = c.get("corrections") or []
    if not items:
        return None
    before = ((c.get("original_detection") or {}).get("summary") or {}).get("jump_count")
    now = (c.get("summary") or {}).get("jump_count")
    n = len(items)
    return (
        f"Corrected by hand ({n} correction{'s' if n != 1 else ''}): {now} jumps; the detection found {before}. "
        "Cadence, streaks and every check's share are recomputed; the original detection is kept in the JSON."
    )
