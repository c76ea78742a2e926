"""Trends, personal bests and side-by-side comparison, as pure functions of per-session
figures (the rows :meth:`Store.figures` returns; plain data the page charts).

A figure row: ``session_id``, ``recorded_at`` (datetime), ``jump_count``,
``jumps_per_minute``, ``active_time_s``, ``longest_streak``, ``n_misses``, ``n_stops``,
``mean_height_cm``, ``mean_height_uncertainty_cm``, ``top_fault_rule``,
``top_fault_title`` and ``rules``: rule id -> ``{"title", "status", "pass_share",
"n_assessed"}`` (after corrections).

Whether a change is real, not chance:

* a rule's share of passing jumps: Fisher's exact test on the two sessions' pass/fail
  counts, two-sided, at the 5 % level (exact for any number of jumps, where a normal
  approximation would need many); when even the most extreme split (every jump passing in
  one session, every jump failing in the other) would not be significant with these
  numbers of assessed jumps (e.g. 3 against 3: p = 0.1), it says "too few jumps" rather
  than "no clear change";
* jump height: a change larger than the two measurements' combined uncertainty
  (root-sum-square of the reported +- values);
* counts, cadence and streaks are reported as they are: they are counted, not estimated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from scipy.stats import fisher_exact

#: Cadence is a personal best only over at least this much active skipping: the report's
#: own cadence window (10 s); a few quick hops are not a sustained pace.
SUSTAINED_CADENCE_S = 10.0
#: Significance level of the comparison of two shares (two-sided): the conventional 5 %.
ALPHA = 0.05

SUMMARY_FIGURES = ("jump_count", "jumps_per_minute", "active_time_s", "longest_streak", "n_misses", "mean_height_cm")
LABELS = {
    "jump_count": "jumps",
    "jumps_per_minute": "jumps per minute",
    "active_time_s": "active time (s)",
    "longest_streak": "longest streak",
    "n_misses": "misses",
    "mean_height_cm": "jump height (cm)",
}


def _num(x: Any) -> float | None:
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def _ordered(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["recorded_at"], r["session_id"]))


# -- trends ---------------------------------------------------------------------------------
def trend_table(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per session, oldest first: the summary figures and ``pass:<rule id>``
    (share of passing jumps, None where not assessed)."""
    out = []
    for r in _ordered(rows):
        row = {"session_id": r["session_id"], "recorded_at": r["recorded_at"]}
        row |= {k: r.get(k) for k in SUMMARY_FIGURES}
        row["mean_height_uncertainty_cm"] = r.get("mean_height_uncertainty_cm")
        for rid, fig in sorted((r.get("rules") or {}).items()):
            row[f"pass:{rid}"] = _num(fig.get("pass_share"))
        out.append(row)
    return out


def trend_series(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Long format for charts: ``{session_id, recorded_at, figure, value}`` (None values left out)."""
    out = []
    for r in trend_table(rows):
        for k, v in r.items():
            if k in ("session_id", "recorded_at", "mean_height_uncertainty_cm") or v is None:
                continue
            out.append({"session_id": r["session_id"], "recorded_at": r["recorded_at"], "figure": k, "value": v})
    return out


def personal_bests(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Most jumps, longest streak and fastest sustained cadence in one session, and each
    rule's best share of passing jumps, each with the session and date where it was first
    reached (None when no session qualifies). Height has no best: higher is not better."""
    rows = _ordered(rows)

    def best(key: str, eligible=lambda r: True) -> dict[str, Any] | None:
        cands = [(r[key], r) for r in rows if _num(r.get(key)) is not None and eligible(r)]
        if not cands:
            return None
        top = max(v for v, _ in cands)
        v, r = next((v, r) for v, r in cands if v == top)  # the first session to reach it
        return {"value": v, "session_id": r["session_id"], "recorded_at": r["recorded_at"]}

    rule_best: dict[str, Any] = {}
    for r in rows:
        for rid, fig in (r.get("rules") or {}).items():
            share = _num(fig.get("pass_share"))
            if share is None or not fig.get("n_assessed"):
                continue
            cur = rule_best.get(rid)
            if cur is None or share > cur["value"]:
                rule_best[rid] = {
                    "value": share,
                    "session_id": r["session_id"],
                    "recorded_at": r["recorded_at"],
                    "n_assessed": fig["n_assessed"],
                    "title": fig.get("title", rid),
                }
    return {
        "most_jumps": best("jump_count", lambda r: r["jump_count"] > 0),
        "longest_streak": best("longest_streak", lambda r: r["longest_streak"] > 0),
        "fastest_cadence": best(
            "jumps_per_minute", lambda r: (_num(r.get("active_time_s")) or 0) >= SUSTAINED_CADENCE_S
        ),
        "rules": rule_best,
    }


# -- comparing two sessions --------------------------------------------------------------
def share_change(a_share: float | None, a_n: int, b_share: float | None, b_n: int) -> dict[str, Any]:
    """``{change, p_value, verdict}``: verdict is ``better``, ``worse``, ``no clear change``,
    ``too few jumps`` or ``not assessed`` (B against A)."""
    a, b = _num(a_share), _num(b_share)
    if a is None or b is None or not a_n or not b_n:
        return {"change": None, "p_value": None, "verdict": "not assessed"}
    change = b - a
    if fisher_exact([[a_n, 0], [0, b_n]], alternative="two-sided")[1] >= ALPHA:
        return {"change": change, "p_value": None, "verdict": "too few jumps"}
    a_pass, b_pass = round(a * a_n), round(b * b_n)
    _, p = fisher_exact([[a_pass, a_n - a_pass], [b_pass, b_n - b_pass]], alternative="two-sided")
    verdict = "no clear change" if p >= ALPHA else ("better" if change > 0 else "worse")
    return {"change": change, "p_value": float(p), "verdict": verdict}


def height_change(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    ha, hb = _num(a.get("mean_height_cm")), _num(b.get("mean_height_cm"))
    if ha is None or hb is None:
        return {"change": None, "verdict": "not measured"}
    ua, ub = _num(a.get("mean_height_uncertainty_cm")) or 0.0, _num(b.get("mean_height_uncertainty_cm")) or 0.0
    change = hb - ha
    real = abs(change) > math.hypot(ua, ub)
    return {
        "change": change,
        "uncertainty": math.hypot(ua, ub),
        "verdict": ("higher" if change > 0 else "lower") if real else "within the measurement's uncertainty",
    }


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Session ``b`` against session ``a`` (e.g. this week against a month ago): summary
    figures with their change, every rule's figures side by side with a verdict, and
    ``changed``: one sentence per real change (a rule's share, the height)."""
    summary = []
    for k in SUMMARY_FIGURES:
        va, vb = _num(a.get(k)), _num(b.get(k))
        summary.append(
            {"figure": k, "label": LABELS[k], "a": va, "b": vb, "change": None if va is None or vb is None else vb - va}
        )
    h = height_change(a, b)
    rules = []
    changed = []
    ids = list(dict.fromkeys([*(a.get("rules") or {}), *(b.get("rules") or {})]))
    for rid in ids:
        fa, fb = (a.get("rules") or {}).get(rid, {}), (b.get("rules") or {}).get(rid, {})
        c = share_change(
            fa.get("pass_share"), fa.get("n_assessed") or 0, fb.get("pass_share"), fb.get("n_assessed") or 0
        )
        title = fb.get("title") or fa.get("title") or rid
        rules.append(
            {
                "rule": rid,
                "title": title,
                "a_status": fa.get("status"),
                "a_pass_share": _num(fa.get("pass_share")),
                "a_n_assessed": fa.get("n_assessed") or 0,
                "b_status": fb.get("status"),
                "b_pass_share": _num(fb.get("pass_share")),
                "b_n_assessed": fb.get("n_assessed") or 0,
                **c,
            }
        )
        if c["verdict"] in ("better", "worse"):
            changed.append(
                f"{title}: {_pct(_num(fa.get('pass_share')))} -> {_pct(_num(fb.get('pass_share')))} "
                f"of jumps pass ({c['verdict']}, {_p(c['p_value'])})"
            )
    if h["verdict"] in ("higher", "lower"):
        changed.append(
            f"Jump height: {a['mean_height_cm']:.1f} -> {b['mean_height_cm']:.1f} cm ({h['verdict']}, "
            f"beyond the +-{h['uncertainty']:.1f} cm uncertainty)"
        )
    return {
        "a": a["session_id"],
        "b": b["session_id"],
        "summary": summary,
        "height": h,
        "rules": rules,
        "changed": changed,
    }


def against_previous(current: dict[str, Any], previous: list[dict[str, Any]]) -> dict[str, Any]:
    """This session against the jumper's sessions before it (for the printable report):
    the summary figures with the previous session's value and the mean of all earlier
    ones, and the comparison with the previous session (None when it is the first)."""
    prev = _ordered(previous)
    rows = []
    for k in SUMMARY_FIGURES:
        vals = [v for v in (_num(p.get(k)) for p in prev) if v is not None]
        rows.append(
            {
                "figure": k,
                "label": LABELS[k],
                "this": _num(current.get(k)),
                "previous": _num(prev[-1].get(k)) if prev else None,
                "mean_before": sum(vals) / len(vals) if vals else None,
                "n_before": len(vals),
            }
        )
    return {"figures": rows, "n_previous": len(prev), "versus_previous": compare(prev[-1], current) if prev else None}


def as_iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()
