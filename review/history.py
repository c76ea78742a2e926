"""The history views' data (no Streamlit): jumpers, a jumper's sessions, trends with
personal bests, two sessions side by side, and the coach's class table, as strings,
dicts and pandas DataFrames built from what ``analysis.store`` returns.

The figures are the store's (after corrections); trends, bests and comparisons come from
``analysis.store.trends`` (which says why a change is real: Fisher's exact test on the
pass/fail counts, a height change beyond the combined uncertainty).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import THRESHOLDS
from analysis.measure.jumps import SLOWEST_PERIOD_S
from analysis.report import Report
from analysis.store import DEFAULT_JUMPER, JumperInfo, SessionInfo
from analysis.store import trends as store_trends
from analysis.store.classview import sort_rows

from .viewmodel import MISSING, score_text

#: The side-by-side slider reaches this far either side of the aligned jump's take-off
#: (real seconds): one jump cycle at the slowest cadence the detector counts as skipping
#: (``measure.jumps.SLOWEST_PERIOD_S``), so any phase of the jump can be matched.
ALIGN_REACH_S = float(SLOWEST_PERIOD_S)
#: Trend figures charted, in order: (figure key, chart title, unit).
TREND_FIGURES = (
    ("jump_count", "Jumps per session", "jumps"),
    ("jumps_per_minute", "Cadence", "jumps / min"),
    ("longest_streak", "Longest unbroken streak", "jumps"),
    ("mean_height_cm", "Jump height", "cm"),
)
#: Figures with a personal best (height has none: higher is not better, the aim is a band).
BEST_KEYS = {"jump_count": "most_jumps", "longest_streak": "longest_streak", "jumps_per_minute": "fastest_cadence"}
#: The class table's columns as shown: (heading, key in ``Store.class_rows``).
CLASS_COLUMNS = (
    ("jumper", "jumper"),
    ("date", "recorded_at"),
    ("jumps", "jump_count"),
    ("jumps / min", "jumps_per_minute"),
    ("height cm", "mean_height_cm"),
    ("longest streak", "longest_streak"),
    ("misses", "n_misses"),
    ("top fault", "top_fault"),
    ("clip", "clip_name"),
    ("corrections", "n_corrections"),
)


def when(dt: datetime | None, with_time: bool = True) -> str:
    """A stored date in this machine's time zone ('2024-03-05 18:30')."""
    if dt is None:
        return MISSING
    return dt.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _num(x: Any, fmt: str = "{:.0f}") -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return MISSING
    return fmt.format(v) if math.isfinite(v) else MISSING


def _float(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


# -- jumpers ----------------------------------------------------------------------------
def jumper_options(jumpers: Iterable[JumperInfo], current: str | None = None) -> list[str]:
    """Names for the jumper selector: "me" first, then every profile by name, and the
    current choice if it is not stored yet (a new name before its first session)."""
    names = [j.name for j in jumpers]
    keys = {" ".join(n.split()).casefold() for n in names}
    out = [DEFAULT_JUMPER] if DEFAULT_JUMPER not in keys else []
    out += sorted(names, key=lambda n: (n.casefold() != DEFAULT_JUMPER, n.casefold()))
    if current and " ".join(current.split()).casefold() not in keys | {DEFAULT_JUMPER}:
        out.append(current)
    return out


def jumper_caption(name: str, jumpers: Iterable[JumperInfo]) -> str:
    key = " ".join(name.split()).casefold()
    j = next((j for j in jumpers if " ".join(j.name.split()).casefold() == key), None)
    if j is None or not j.n_sessions:
        return f"{name}: no sessions yet"
    n = j.n_sessions
    return f"{j.name}: {n} session{'s' if n != 1 else ''}, the last on {when(j.last_recorded_at, False)}"


def empty_history_text(name: str) -> str:
    return (
        f"No sessions yet for {name}. Analyse a clip with {name} chosen as the jumper (tab *Analyse a clip*) "
        "and it is saved here; a coach can add many clips at once in the *Class view*."
    )


# -- sessions ---------------------------------------------------------------------------
def session_label(info: SessionInfo, with_jumper: bool = False) -> str:
    """'2024-03-05 18:30 · week3.mp4 · 52 jumps' (with the jumper first when asked)."""
    parts = [when(info.recorded_at), info.clip_name, f"{info.jump_count} jump{'s' if info.jump_count != 1 else ''}"]
    if with_jumper:
        parts.insert(0, info.jumper)
    return " · ".join(parts)


def sessions_table(infos: Sequence[SessionInfo]) -> pd.DataFrame:
    """A jumper's sessions, newest first: date, clip, the figures after corrections, the top
    fault, corrections, whether the frames can be shown; ``session`` is the id."""
    cols = [
        "date",
        "clip",
        "jumps",
        "jumps / min",
        "longest streak",
        "misses",
        "height cm",
        "top fault",
        "corrections",
        "frames",
        "session",
    ]
    rows = []
    for i in sorted(infos, key=lambda s: (s.recorded_at, s.id), reverse=True):
        rows.append(
            {
                "date": when(i.recorded_at),
                "clip": i.clip_name,
                "jumps": i.jump_count,
                "jumps / min": _num(i.jumps_per_minute),
                "longest streak": i.longest_streak,
                "misses": i.n_misses,
                "height cm": _height(i.mean_height_cm, i.mean_height_uncertainty_cm),
                "top fault": i.top_fault_title or "",
                "corrections": i.n_corrections,
                "frames": "clip kept" if i.clip_kept else "not kept",
                "session": i.id,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _height(h: Any, u: Any) -> str:
    v = _float(h)
    if v is None:
        return MISSING
    s = _float(u)
    return f"{v:.1f} ± {s:.1f}" if s is not None else f"{v:.1f}"


def delete_session_text(info: SessionInfo) -> str:
    kept = " and its kept clip" if info.clip_kept else ""
    return (
        f"Delete the session of {when(info.recorded_at)} ({info.clip_name}, {info.jump_count} jumps){kept} "
        f"from {info.jumper}'s history? This cannot be undone."
    )


def delete_profile_text(name: str, infos: Sequence[SessionInfo]) -> str:
    n, kept = len(infos), sum(i.clip_kept for i in infos)
    what = f"{n} session{'s' if n != 1 else ''}" + (f" and {kept} kept clip{'s' if kept != 1 else ''}" if kept else "")
    return f"Delete {name}'s profile with {what}? This cannot be undone."


# -- trends -----------------------------------------------------------------------------
SUSTAINED = f"over at least {store_trends.SUSTAINED_CADENCE_S:g} s of skipping (a sustained pace)"


def best_cards(bests: dict[str, Any]) -> list[dict[str, str]]:
    """The personal bests as cards: label, value, and when it was first reached."""
    out = []
    for key, label, fmt in (
        ("most_jumps", "Most jumps", "{:.0f}"),
        ("longest_streak", "Longest streak", "{:.0f} jumps"),
        ("fastest_cadence", "Fastest cadence", "{:.0f} / min"),
    ):
        b = bests.get(key)
        out.append(
            {
                "label": label,
                "value": fmt.format(b["value"]) if b else MISSING,
                "when": f"on {when(b['recorded_at'], False)}" if b else "none yet",
                "help": SUSTAINED if key == "fastest_cadence" else "in one session",
            }
        )
    return out


def trend_frames(figures: Sequence[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Chart data of a jumper's sessions (``Store.figures`` rows), oldest first.

    ``figures``: one row per session and figure (``TREND_FIGURES``): session, date (ISO, local
    time), label, value, low/high (height: ± its uncertainty), best (the personal best's
    session). ``rules``: one row per session and check: the share of passing jumps (%), the
    number assessed, and best (the check's best share, where first reached)."""
    rows = sorted(figures, key=lambda r: (r["recorded_at"], r["session_id"]))
    bests = store_trends.personal_bests(rows)
    fig_rows = []
    for r in rows:
        date_iso = r["recorded_at"].astimezone().isoformat(timespec="seconds")
        for key, title, unit in TREND_FIGURES:
            v = _float(r.get(key))
            if v is None:
                continue
            b = bests.get(BEST_KEYS.get(key, ""))
            lo = hi = v
            if key == "mean_height_cm":
                u = _float(r.get("mean_height_uncertainty_cm")) or 0.0
                lo, hi = v - u, v + u
            fig_rows.append(
                {
                    "session": r["session_id"],
                    "date": date_iso,
                    "figure": key,
                    "title": title,
                    "unit": unit,
                    "value": v,
                    "low": lo,
                    "high": hi,
                    "best": bool(b and b["session_id"] == r["session_id"]),
                }
            )
    rule_rows = []
    for r in rows:
        date_iso = r["recorded_at"].astimezone().isoformat(timespec="seconds")
        for rid, fig in (r.get("rules") or {}).items():
            share = _float(fig.get("pass_share"))
            if share is None or not fig.get("n_assessed"):
                continue
            b = bests["rules"].get(rid)
            rule_rows.append(
                {
                    "session": r["session_id"],
                    "date": date_iso,
                    "rule": rid,
                    "check": fig.get("title") or rid,
                    "share_pct": round(100 * share, 1),
                    "n_assessed": int(fig["n_assessed"]),
                    "score": score_text(share, int(fig["n_assessed"])),
                    "best": bool(b and b["session_id"] == r["session_id"]),
                }
            )
    return {
        "figures": pd.DataFrame(
            fig_rows, columns=["session", "date", "figure", "title", "unit", "value", "low", "high", "best"]
        ),
        "rules": pd.DataFrame(
            rule_rows, columns=["session", "date", "rule", "check", "share_pct", "n_assessed", "score", "best"]
        ),
    }


def default_checks(rules: pd.DataFrame, limit: int = 4) -> list[str]:
    """Checks shown first in the per-check trend: those that failed most often (lowest mean
    share of passing jumps below 100 %), at most ``limit``; else the first ones."""
    if rules.empty:
        return []
    mean = rules.groupby("check")["share_pct"].mean().sort_values()
    failing = [c for c, v in mean.items() if v < 100.0]
    return (failing or list(mean.index))[:limit]


def height_band() -> tuple[float, float]:
    """The article's 2-5 cm height band, drawn on the height trend."""
    return 2.0, float(THRESHOLDS.jump_height_max_cm.value)


# -- side by side -----------------------------------------------------------------------
def _factor(report: Report) -> float:
    f = getattr(getattr(report.jumps, "time_scale", None), "factor", 1.0)
    try:
        v = float(f)
    except (TypeError, ValueError):
        return 1.0
    return v if math.isfinite(v) and v > 0 else 1.0


def aligned_frame(report: Report, jump: int, offset_s: float) -> int | None:
    """The frame ``offset_s`` real seconds from jump ``jump``'s take-off (0-based; a
    slow-motion clip's seconds are scaled to real time), clamped to the clip; None when the
    session has no such jump."""
    js = report.jumps.jumps
    if not 0 <= jump < len(js) or not len(report.t_s):
        return None
    t = np.asarray(report.t_s, float)
    target = float(t[js[jump].takeoff_frame]) + offset_s * _factor(report)
    k = int(np.searchsorted(t, target))
    if k > 0 and (k == len(t) or abs(t[k - 1] - target) <= abs(t[k] - target)):
        k -= 1
    return int(min(max(k, 0), len(t) - 1))


def align_step_s(a: Report, b: Report) -> float:
    """The slider's step: one frame of the faster clip, in real seconds."""
    fps = max(float(a.meta.fps) * _factor(a), float(b.meta.fps) * _factor(b), 1.0)
    return round(1.0 / fps, 3) or 0.001


def compare_summary(cmp: dict[str, Any]) -> pd.DataFrame:
    """The summary figures of two sessions side by side, with the change."""
    fmt = {"mean_height_cm": "{:.1f}", "active_time_s": "{:.1f}"}
    rows = []
    for s in cmp["summary"]:
        f = fmt.get(s["figure"], "{:.0f}")
        change = s["change"]
        rows.append(
            {
                "figure": s["label"],
                "A": _num(s["a"], f),
                "B": _num(s["b"], f),
                "change": MISSING if change is None else ("+" if change > 0 else "") + f.format(change),
            }
        )
    return pd.DataFrame(rows, columns=["figure", "A", "B", "change"])


VERDICT_WORDS = {
    "better": "better",
    "worse": "worse",
    "no clear change": "no clear change",
    "too few jumps": "too few jumps to tell",
    "not assessed": "not assessed in both",
}


def compare_rules(cmp: dict[str, Any]) -> pd.DataFrame:
    """Every check of two sessions side by side: A's and B's score, the change in
    percentage points, and whether it is a real change (``trends.share_change``)."""
    rows = []
    for r in cmp["rules"]:
        a = score_text(r["a_pass_share"], r["a_n_assessed"]) if r["a_pass_share"] is not None else "not assessed"
        b = score_text(r["b_pass_share"], r["b_n_assessed"]) if r["b_pass_share"] is not None else "not assessed"
        ch = r["change"]
        rows.append(
            {
                "check": r["title"],
                "A": a,
                "B": b,
                "change": MISSING if ch is None else f"{100 * ch:+.0f} points",
                "verdict": VERDICT_WORDS.get(r["verdict"], r["verdict"]),
                "p": MISSING if r.get("p_value") is None else f"{r['p_value']:.3f}",
            }
        )
    order = {"worse": 0, "better": 1}
    rows.sort(key=lambda x: order.get(x["verdict"], 2))
    return pd.DataFrame(rows, columns=["check", "A", "B", "change", "verdict", "p"])


def changed_text(cmp: dict[str, Any]) -> list[str]:
    """What changed from A to B in sentences (only real changes), or one sentence saying none did."""
    out = list(cmp.get("changed") or [])
    if not out:
        return [
            "No check changed clearly between the two sessions (a change counts when Fisher's exact test on the "
            "pass/fail counts gives p < 0.05), and the height did not change beyond its uncertainty."
        ]
    return out


# -- class view -------------------------------------------------------------------------
def class_table(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The class table as shown (order of ``rows`` kept): jumper, date, count, cadence,
    height ± uncertainty, longest streak, misses, top fault (with its share), clip,
    corrections; ``session`` is the id."""
    out = []
    for r in rows:
        share = _float(r.get("top_fault_share"))
        top = r.get("top_fault") or ""
        if top and share is not None:
            top = f"{top} ({100 * share:.0f}% of jumps)"
        out.append(
            {
                "jumper": r["jumper"],
                "date": when(r["recorded_at"]),
                "jumps": r["jump_count"],
                "jumps / min": _float(r.get("jumps_per_minute")),
                "height cm": _height(r.get("mean_height_cm"), r.get("mean_height_uncertainty_cm")),
                "longest streak": r.get("longest_streak"),
                "misses": r.get("n_misses"),
                "top fault": top,
                "clip": r.get("clip_name"),
                "corrections": r.get("n_corrections"),
                "session": r["session_id"],
            }
        )
    cols = [h for h, _ in CLASS_COLUMNS] + ["session"]
    df = pd.DataFrame(out, columns=cols)
    df["jumps / min"] = df["jumps / min"].round(0)
    return df


def sort_class_rows(rows: Sequence[dict[str, Any]], heading: str, descending: bool) -> list[dict[str, Any]]:
    """Rows sorted by a shown column (missing values last either way)."""
    key = dict(CLASS_COLUMNS).get(heading)
    if key is None:
        raise ValueError(f"sort: expected one of {', '.join(h for h, _ in CLASS_COLUMNS)}, got {heading!r}")
    return sort_rows(rows, key, descending)


def class_outcome_lines(outcomes: Iterable[Any]) -> list[tuple[str, str]]:
    """(status, sentence) per analysed clip of the class view."""
    icon = {"saved": "saved", "already": "already", "failed": "failed"}
    return [(icon.get(o.status, o.status), f"{o.name} ({o.jumper}): {o.message}") for o in outcomes]
