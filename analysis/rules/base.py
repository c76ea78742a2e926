"""Rule machinery: a rule measures one value per jump; the machinery turns values into
verdicts, episodes, shares, drift and priorities. Every rule traces to the coaching
article's technique rules (paraphrased in each rule's ``title`` and ``advice``).

Verdicts: ``pass``, ``fault`` or ``na`` (not assessable, with the reason). A rule never
passes or fails what the camera cannot see: each rule names the views that show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..config import THRESHOLDS

PASS, FAULT, NA = "pass", "fault", "na"


@dataclass
class Measured:
    """What a rule's measure function returns: one value per jump and its verdict.

    ``values``: [n_jumps] the measured value (NaN where not assessable);
    ``faults``: [n_jumps] bool; ``frames``: [n_jumps] the frame that shows it best;
    ``na_reason``: why the whole rule cannot be assessed on this clip (None if it can);
    ``jump_na``: per-jump reason where a single jump cannot be assessed.
    """

    values: np.ndarray
    faults: np.ndarray
    frames: np.ndarray
    na_reason: str | None = None
    jump_na: list[str | None] | None = None
    worse: str = "high"  # which direction of the value is worse ("high" or "low")

    @classmethod
    def not_assessable(cls, n: int, reason: str) -> Measured:
        return cls(np.full(n, np.nan), np.zeros(n, bool), np.zeros(n, int), reason)


@dataclass(frozen=True)
class Rule:
    id: str
    area: str  # posture, core, landing, arms, session
    title: str  # the article's rule, in our words
    advice: str  # one sentence of coaching, in our words
    threshold_key: str
    comparison: str  # e.g. "> 12 deg is a fault"
    views: tuple[str, ...]  # views that can assess it
    measure: Callable[[Any], Measured]


@dataclass
class RuleResult:
    id: str
    area: str
    title: str
    advice: str
    status: str  # pass, fault, na, info
    reason: str
    unit: str
    threshold: float | None
    comparison: str
    source: str
    severity: str  # none, low, medium, high
    value_median: float
    pass_share: float  # share of assessable jumps that pass
    n_assessed: int
    jump_values: list[float]
    jump_verdicts: list[str]
    episodes: list[dict]
    best_frames: list[int]
    drift: dict[str, float]

    def to_dict(self) -> dict:
        from dataclasses import asdict  # noqa: PLC0415

        return asdict(self)


def _severity(values: np.ndarray, faults: np.ndarray, threshold: float, worse: str) -> str:
    v = values[faults & np.isfinite(values)]
    if v.size == 0 or not threshold:
        return "none"
    excess = (np.median(v) - threshold) / abs(threshold) if worse == "high" else (threshold - np.median(v)) / abs(threshold)
    return "high" if excess > 0.5 else "medium" if excess > 0.2 else "low"


def _episodes(verdicts: list[str], jumps, values: np.ndarray, frames: np.ndarray, worse: str) -> list[dict]:
    eps, cur = [], []
    for i, v in enumerate(verdicts + [PASS]):
        if i < len(verdicts) and v == FAULT and (not cur or jumps[i].run == jumps[cur[-1]].run):
            cur.append(i)
            continue
        if cur:
            vals = values[cur]
            k = cur[int(np.nanargmax(vals) if worse == "high" else np.nanargmin(vals))]
            eps.append(
                {
                    "start_frame": int(jumps[cur[0]].takeoff_frame),
                    "end_frame": int(jumps[cur[-1]].landing_frame),
                    "start_s": float(jumps[cur[0]].takeoff_s),
                    "end_s": float(jumps[cur[-1]].landing_s),
                    "jumps": [int(c) for c in cur],
                    "worst_value": float(values[k]),
                    "worst_frame": int(frames[k]),
                }
            )
            cur = []
        if i < len(verdicts) and v == FAULT:
            cur = [i]
    return eps


def judge(rule: Rule, m: Measured, jumps, view: str, unit: str) -> RuleResult:
    th = THRESHOLDS.describe(rule.threshold_key)
    n = len(jumps)
    reason = ""
    if n == 0:
        m = Measured.not_assessable(0, "no jumps to assess")
    elif view not in rule.views and m.na_reason is None:
        m = Measured.not_assessable(n, f"needs a {' or '.join(rule.views)} view; this clip is {view}")
    verdicts: list[str] = []
    for i in range(n):
        if m.na_reason is not None or not np.isfinite(m.values[i]) or (m.jump_na and m.jump_na[i]):
            verdicts.append(NA)
        else:
            verdicts.append(FAULT if m.faults[i] else PASS)
    assessed = [i for i, v in enumerate(verdicts) if v != NA]
    n_fault = sum(v == FAULT for v in verdicts)
    if m.na_reason is not None:
        status, reason = NA, m.na_reason
    elif not assessed:
        status = NA
        reasons = [r for r in (m.jump_na or []) if r]
        reason = reasons[0] if reasons else "landmarks not visible in the jumps"
    else:
        share = n_fault / len(assessed)
        status = FAULT if share >= THRESHOLDS["rule_fault_share"] else PASS
        reason = f"{n_fault} of {len(assessed)} assessed jumps fail"
    vals = m.values if len(m.values) else np.zeros(0)
    fin = vals[np.isfinite(vals)] if vals.size else vals
    thirds = n // 3

    def share(idx: range) -> float:
        a = [i for i in idx if verdicts[i] != NA]
        return float(sum(verdicts[i] == FAULT for i in a) / len(a)) if a else float("nan")

    first, last = (share(range(0, thirds)), share(range(n - thirds, n))) if thirds else (float("nan"), float("nan"))
    faults_arr = np.array([v == FAULT for v in verdicts], bool)
    order = [i for i in np.argsort(-vals if m.worse == "high" else vals) if faults_arr[i]] if n and status != NA else []
    return RuleResult(
        id=rule.id,
        area=rule.area,
        title=rule.title,
        advice=rule.advice,
        status=status,
        reason=reason,
        unit=unit or th.unit,
        threshold=th.value,
        comparison=rule.comparison,
        source=th.source,
        severity=_severity(vals, faults_arr, th.value, m.worse) if status == FAULT else "none",
        value_median=float(np.median(fin)) if fin.size else float("nan"),
        pass_share=float(1 - n_fault / len(assessed)) if assessed else float("nan"),
        n_assessed=len(assessed),
        jump_values=[float(v) for v in vals],
        jump_verdicts=verdicts,
        episodes=_episodes(verdicts, jumps, vals, m.frames, m.worse) if status != NA else [],
        best_frames=[int(m.frames[i]) for i in order[:3]],
        drift={"first_third_fault_share": first, "last_third_fault_share": last, "change": last - first},
    )


@dataclass
class RulesResult:
    rules: list[RuleResult]
    session: list[dict]
    priorities: list[dict]
    disclaimer: str
    n_frames: int
    jump_frames: list[tuple[int, int]]  # per jump, the frames [start, end) of its cycle
    extra: dict[str, Any] = field(default_factory=dict)

    def by_id(self, rule_id: str) -> RuleResult:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def to_dict(self) -> dict:
        return {
            "rules": [r.to_dict() for r in self.rules],
            "findings": [
                {"rule": r.id, **ep, "advice": r.advice, "severity": r.severity}
                for r in self.rules
                for ep in r.episodes
            ],
            "priorities": self.priorities,
            "session": self.session,
            "disclaimer": self.disclaimer,
        }

    def frame_verdicts(self, rule_id: str) -> list[str]:
        """Per-frame verdict of one rule: the verdict of the jump whose cycle holds the frame."""
        out = [""] * self.n_frames
        r = self.by_id(rule_id)
        for (a, b), v in zip(self.jump_frames, r.jump_verdicts):
            for f in range(a, min(b, self.n_frames)):
                out[f] = v
        return out

    def frame_columns(self) -> dict[str, list[str]]:
        return {f"rule:{r.id}": self.frame_verdicts(r.id) for r in self.rules}

    def jump_columns(self) -> dict[str, list[str]]:
        return {f"rule:{r.id}": r.jump_verdicts for r in self.rules}

    def at_frame(self, frame: int) -> list[dict]:
        """Every check at one frame: rule, value of its jump, threshold and verdict."""
        j = next((i for i, (a, b) in enumerate(self.jump_frames) if a <= frame < b), None)
        rows = []
        for r in self.rules:
            if j is None:
                rows.append({"rule": r.id, "title": r.title, "value": None, "threshold": r.comparison, "verdict": "", "unit": r.unit})
            else:
                v = r.jump_values[j] if j < len(r.jump_values) else float("nan")
                rows.append(
                    {"rule": r.id, "title": r.title, "value": v if np.isfinite(v) else None, "threshold": r.comparison,
                     "verdict": r.jump_verdicts[j] if j < len(r.jump_verdicts) else NA, "unit": r.unit,
                     "reason": r.reason if r.status == NA else ""}
                )
        return rows
