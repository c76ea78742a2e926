"""Rule machinery: a rule measures one value per jump with its uncertainty; the machinery
turns values into verdicts, episodes, shares, drift and priorities. Every rule traces to
the coaching article's technique rules (paraphrased in each rule's ``title`` and ``advice``).

Verdicts per jump: ``fault`` when the value is past the threshold by more than
``THRESHOLDS.verdict_sigmas`` of its standard deviations, ``borderline`` when it is within
that band of the threshold (on either side), ``pass`` otherwise, ``na`` (not assessable,
with the reason) where the footage cannot show it. A rule never passes or fails what the
camera cannot see: each rule names the plane its quantity lies in, and the camera's yaw
decides whether that plane is seen (``measure/view.py``).

Over a clip: ``fault`` when clear faults reach ``THRESHOLDS.rule_fault_share`` of the
assessed jumps and number at least ``THRESHOLDS.rule_fault_min_jumps``; ``borderline`` when
faults and borderline jumps together reach the share; ``pass`` otherwise. Priorities use
clear faults only.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..config import THRESHOLDS, Threshold
from ..measure.view import MIN_PROJECTION, ViewAngle
from ..types import JumpEvent, Verdict

PASS, BORDERLINE, FAULT, NA = Verdict.PASS, Verdict.BORDERLINE, Verdict.FAULT, Verdict.NA
#: Planes a rule's quantity lies in: "sagittal" (forward-backward: lean, head, heel-toe,
#: turning circles) is seen as |sin(yaw)|, "frontal" (left-right: elbows out, feet apart,
#: side tilt) as |cos(yaw)|; "any" is seen from every direction (heights, timing, 3D angles).
PLANES = ("sagittal", "frontal", "any")

_OPS: dict[str, Callable[[Any, Any], Any]] = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
#: Units that read as plain numbers in a sentence ("> 0.6 elbow travel / wrist travel").
_UNITLESS = ("share", "ratio")


@dataclass(frozen=True)
class Limit:
    """One condition that makes a fault: the measured quantity ``what`` past ``threshold``
    in the direction ``fault_if``. ``also`` is a further condition that must hold too
    (written in brackets). The rule's comparison text is built from its limits, so the
    number a user reads is the number the rule applies."""

    threshold: Threshold
    fault_if: str  # ">", ">=", "<" or "<="
    what: str  # the quantity, in words: "forward lean"
    also: Limit | None = None

    def __post_init__(self) -> None:
        if self.fault_if not in _OPS:
            raise ValueError(f"fault_if: expected one of {', '.join(_OPS)}, got {self.fault_if!r}")

    @property
    def worse(self) -> str:
        """Which direction of the value is worse: "high" or "low"."""
        return "high" if self.fault_if.startswith(">") else "low"

    def fails(self, values: Any, limit: float | None = None) -> np.ndarray:
        """Element-wise: the value is past the threshold (or past ``limit`` when the rule
        derives the effective limit, e.g. from the frame rate). NaN never fails."""
        return np.asarray(_OPS[self.fault_if](values, self.threshold.value if limit is None else limit))

    def text(self) -> str:
        th = self.threshold
        unit = "" if th.unit in _UNITLESS else f" {th.unit}"
        out = " ".join(p for p in (f"{self.fault_if} {th.value:g}{unit}", self.what) if p)
        return f"{out} (and {self.also.text()})" if self.also is not None else out


@dataclass(frozen=True)
class Measured:
    """What a rule's measure function returns: one value per jump, its uncertainty and
    its grade.

    ``values``: [n_jumps] the measured value (NaN where not assessable);
    ``faults``: [n_jumps] bool, clearly past the threshold; ``borderline``: [n_jumps]
    bool, within the measurement's uncertainty of it (see :func:`grade`);
    ``sigma``: [n_jumps] one standard deviation of the value;
    ``frames``: [n_jumps] the frame that shows it best;
    ``na_reason``: why the whole rule cannot be assessed on this clip (None if it can);
    ``jump_na``: per-jump reason where a single jump cannot be assessed;
    ``unresolved``: why no jump of this clip could pass (the limit is finer than the
    measurement, see :func:`resolves`): the rule then says fault on clear faults and is not
    assessable otherwise, with this reason, where it would have said borderline or pass.
    """

    values: np.ndarray
    faults: np.ndarray
    frames: np.ndarray
    na_reason: str | None = None
    jump_na: list[str | None] | None = None
    sigma: np.ndarray | None = None
    borderline: np.ndarray | None = None
    unresolved: str | None = None

    @classmethod
    def not_assessable(cls, n: int, reason: str) -> Measured:
        return cls(np.full(n, np.nan), np.zeros(n, bool), np.zeros(n, int), reason)


def grade(
    limit: Limit, values: np.ndarray, sigma: np.ndarray | float, limit_value: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(clear faults, borderline) of values with standard deviations ``sigma`` against one
    limit: past it by more than ``verdict_sigmas`` sigma is a fault, within that band of it
    (either side) borderline. NaN values are neither."""
    v = np.asarray(values, float)
    s = np.broadcast_to(np.asarray(sigma, float), v.shape)
    th = limit.threshold.value if limit_value is None else limit_value
    excess = v - th if limit.worse == "high" else th - v  # > 0: past the threshold
    band = THRESHOLDS.verdict_sigmas.value * np.where(np.isfinite(s), s, 0.0)
    with np.errstate(invalid="ignore"):
        faults = np.isfinite(v) & (excess > band)
        borderline = np.isfinite(v) & (np.abs(excess) <= band) & ~faults
    return faults, borderline


def grade_uncertain_limit(
    limit: Limit, values: np.ndarray, sigma: np.ndarray | float, lower: float, upper: float
) -> tuple[np.ndarray, np.ndarray]:
    """(clear faults, borderline) against a limit known only to lie between ``lower`` and
    ``upper`` (a limit that depends on the camera's view, read from the yaw's band): a fault
    must be clear of the limit's worst case for the jumper and a pass clear of its best, so
    the limit's own uncertainty widens the borderline band on both sides without moving
    its middle (:func:`grade` at each end)."""
    strict, lenient = (lower, upper) if limit.worse == "high" else (upper, lower)
    faults, _ = grade(limit, values, sigma, lenient)
    f_strict, b_strict = grade(limit, values, sigma, strict)
    return faults, (f_strict | b_strict) & ~faults


def resolves(limit: Limit, best: float, sigma: np.ndarray | float, limit_value: float | None = None) -> np.ndarray:
    """Whether the measurement can pass a jump at all: the best value the quantity can take
    (``best``: no gap, no difference) lies more than ``verdict_sigmas`` of ``sigma`` on the
    good side of the threshold. Where it does not, even a perfect jump reads borderline: the
    limit is finer than the measurement, so only clear faults can be told (:func:`grade`)."""
    s = np.asarray(sigma, float)
    faults, borderline = grade(limit, np.full(s.shape, best), s, limit_value)
    return ~(faults | borderline)


def graded(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Several limits on one jump: a fault if any is clearly passed, borderline if none is
    and any is borderline."""
    faults = np.logical_or.reduce([f for f, _ in parts])
    borderline = np.logical_or.reduce([b for _, b in parts]) & ~faults
    return faults, borderline


@dataclass(frozen=True)
class Rule:
    """One technique rule, written as a keyword row: what it checks (``title``, in our
    words of the article's rule), the coaching sentence (``advice``), the ``limits`` that
    make a fault (the first one is the rule's headline threshold), the ``views`` that can
    show it and the ``measure`` function (one value per jump)."""

    id: str
    area: str  # posture, core, landing, arms
    title: str
    advice: str
    limits: tuple[Limit, ...]
    plane: str  # the plane its quantity lies in (PLANES): decides the views that show it
    measure: Callable[[Any], Measured]
    #: The plane's projection factor below which the view cannot show the quantity
    #: (``measure.view.MIN_PROJECTION`` unless the rule needs a squarer view).
    min_projection: float = MIN_PROJECTION
    #: Why a squarer view is needed, for the not-assessable reason.
    view_note: str = ""
    #: How a fault is named after the comparison ("is a fault", "is locked", ...).
    fault_phrase: str = "is a fault"
    note: str = ""  # appended to the comparison text, e.g. " (lower is fine)"
    #: The comparison text when the rule cannot be measured at all (its limits are then
    #: those of the checks done instead).
    comparison_override: str | None = None

    def __post_init__(self) -> None:
        if not self.limits:
            raise ValueError(f"rule {self.id}: expected at least one limit")
        if self.plane not in PLANES:
            raise ValueError(f"rule {self.id}: plane expected one of {', '.join(PLANES)}, got {self.plane!r}")

    def view_reason(self, view: ViewAngle) -> str | None:
        """Why this view cannot show the rule's quantity, or None when it can."""
        if self.plane == "any":
            return None
        factor = view.side_factor if self.plane == "sagittal" else view.front_factor
        if np.isfinite(factor) and factor >= self.min_projection:
            return None
        if self.min_projection > MIN_PROJECTION:
            need = "a side" if self.plane == "sagittal" else "a front or back"
        else:
            need = "a side or oblique" if self.plane == "sagittal" else "a front, back or oblique"
        seen = (
            f"the camera is {abs(view.yaw_deg):.0f} deg off the jumper's front"
            if np.isfinite(view.yaw_deg)
            else ("the view is unknown")
        )
        return f"needs {need} view; {seen} ({view.label}){self.view_note}"

    @property
    def threshold(self) -> Threshold:
        return self.limits[0].threshold

    @property
    def worse(self) -> str:
        return self.limits[0].worse

    @property
    def comparison(self) -> str:
        """E.g. "> 12 deg forward lean is a fault"."""
        if self.comparison_override is not None:
            return self.comparison_override
        return f"{' or '.join(limit.text() for limit in self.limits)} {self.fault_phrase}{self.note}"


@dataclass(frozen=True)
class RuleResult:
    """A rule's verdicts on one clip: per jump, and over the clip (``status``)."""

    id: str
    area: str
    title: str
    advice: str
    status: Verdict  # pass, borderline, fault or na
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
    jump_sigmas: list[float]  # one standard deviation of each jump's value
    jump_verdicts: list[Verdict]
    episodes: list[dict[str, Any]]
    best_frames: list[int]
    drift: dict[str, float]
    n_borderline: int = 0
    #: Why no jump of this clip could pass (``Measured.unresolved``); None where one could.
    unresolved: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _severity(values: np.ndarray, faults: np.ndarray, threshold: float, worse: str) -> str:
    v = values[faults & np.isfinite(values)]
    if v.size == 0 or not threshold:
        return "none"
    excess = (
        (np.median(v) - threshold) / abs(threshold) if worse == "high" else (threshold - np.median(v)) / abs(threshold)
    )
    return "high" if excess > 0.5 else "medium" if excess > 0.2 else "low"


def _episodes(
    verdicts: list[Verdict], jumps: Sequence[JumpEvent], values: np.ndarray, frames: np.ndarray, worse: str
) -> list[dict[str, Any]]:
    eps: list[dict[str, Any]] = []
    cur: list[int] = []
    for i, v in enumerate([*verdicts, PASS]):
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


def clip_status(n_fault: int, n_borderline: int, n_assessed: int) -> Verdict:
    """A rule's verdict over a clip from its jumps' verdicts (see the module docstring)."""
    if n_assessed <= 0:
        return NA
    limit = THRESHOLDS.rule_fault_share.value
    if n_fault / n_assessed >= limit and n_fault >= THRESHOLDS.rule_fault_min_jumps.value:
        return FAULT
    return BORDERLINE if (n_fault + n_borderline) / n_assessed >= limit else PASS


def clip_verdict(
    n_fault: int, n_borderline: int, n_assessed: int, unresolved: str | None = None
) -> tuple[Verdict, str]:
    """A rule's verdict over a clip and its reason, from its assessed jumps' verdicts
    (:func:`clip_status`). Where the measurement cannot pass a jump (``unresolved``), only a
    fault stands; otherwise the rule is not assessable, with that reason."""
    status = clip_status(n_fault, n_borderline, n_assessed)
    reason = f"{n_fault} of {n_assessed} assessed jumps fail" + (
        f", {n_borderline} within the measurement's uncertainty of the limit" if n_borderline else ""
    )
    if unresolved is not None and status != FAULT:
        return NA, f"{unresolved} ({reason})"
    return status, reason


def judge(rule: Rule, m: Measured, jumps: Sequence[JumpEvent], view: ViewAngle) -> RuleResult:
    """Verdicts per jump and over the clip from a rule's measurement (see the module docstring)."""
    th = rule.threshold
    n = len(jumps)
    reason = ""
    if n == 0:
        m = Measured.not_assessable(0, "no jumps to assess")
    elif m.na_reason is None and rule.view_reason(view) is not None:
        m = Measured.not_assessable(n, str(rule.view_reason(view)))
    borderline = m.borderline if m.borderline is not None else np.zeros(n, bool)
    verdicts: list[Verdict] = []
    for i in range(n):
        if m.na_reason is not None or not np.isfinite(m.values[i]) or (m.jump_na and m.jump_na[i]):
            verdicts.append(NA)
        else:
            verdicts.append(FAULT if m.faults[i] else BORDERLINE if borderline[i] else PASS)
    assessed = [i for i, v in enumerate(verdicts) if v != NA]
    n_fault = sum(v == FAULT for v in verdicts)
    n_border = sum(v == BORDERLINE for v in verdicts)
    if m.na_reason is not None:
        status, reason = NA, m.na_reason
    elif not assessed:
        status = NA
        reasons = [r for r in (m.jump_na or []) if r]
        # The reason most jumps give (the first of equals): the first jump's alone may be its
        # own (the run's first landing unseen) where the rest share another.
        reason = Counter(reasons).most_common(1)[0][0] if reasons else "landmarks not visible in the jumps"
    else:
        status, reason = clip_verdict(n_fault, n_border, len(assessed), m.unresolved)
    vals = m.values if len(m.values) else np.zeros(0)
    sig = m.sigma if m.sigma is not None and len(m.sigma) == len(vals) else np.full(len(vals), np.nan)
    fin = vals[np.isfinite(vals)] if vals.size else vals
    thirds = n // 3

    def share_failing(idx: range) -> float:
        a = [i for i in idx if verdicts[i] != NA]
        return float(sum(verdicts[i] == FAULT for i in a) / len(a)) if a else float("nan")

    if thirds:
        first, last = share_failing(range(0, thirds)), share_failing(range(n - thirds, n))
    else:
        first, last = float("nan"), float("nan")
    faults_arr = np.array([v == FAULT for v in verdicts], bool)
    worse = rule.worse
    # The example frames of a fault are the clearest ones: furthest past the threshold in
    # standard deviations.
    clearness = (vals - th.value if worse == "high" else th.value - vals) / np.where(
        np.isfinite(sig) & (sig > 0), sig, 1.0
    )
    order = [i for i in np.argsort(-clearness) if faults_arr[i]] if n and status != NA else []
    return RuleResult(
        id=rule.id,
        area=rule.area,
        title=rule.title,
        advice=rule.advice,
        status=status,
        reason=reason,
        unit=th.unit,
        threshold=th.value,
        comparison=rule.comparison,
        source=th.source,
        severity=_severity(vals, faults_arr, th.value, worse) if status == FAULT else "none",
        value_median=float(np.median(fin)) if fin.size else float("nan"),
        pass_share=float(1 - n_fault / len(assessed)) if assessed else float("nan"),
        n_assessed=len(assessed),
        jump_values=[float(v) for v in vals],
        jump_sigmas=[float(v) for v in sig],
        jump_verdicts=verdicts,
        episodes=_episodes(verdicts, jumps, vals, m.frames, worse) if status != NA else [],
        best_frames=[int(m.frames[i]) for i in order[:3]],
        drift={"first_third_fault_share": first, "last_third_fault_share": last, "change": last - first},
        n_borderline=n_border,
        unresolved=m.unresolved if m.na_reason is None else None,
    )


@dataclass(frozen=True)
class RulesResult:
    """Every rule's result on one clip, the session advice and the top priorities."""

    rules: list[RuleResult]
    session: list[dict[str, Any]]
    priorities: list[dict[str, Any]]
    disclaimer: str
    n_frames: int
    jump_frames: list[tuple[int, int]]  # per jump, the frames [start, end) of its cycle

    def by_id(self, rule_id: str) -> RuleResult:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
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

    def frame_verdicts(self, rule_id: str) -> list[Verdict]:
        """Per-frame verdict of one rule: the verdict of the jump whose cycle holds the frame."""
        out = [Verdict.NONE] * self.n_frames
        r = self.by_id(rule_id)
        for (a, b), v in zip(self.jump_frames, r.jump_verdicts):
            for f in range(a, min(b, self.n_frames)):
                out[f] = v
        return out

    def frame_columns(self) -> dict[str, list[Verdict]]:
        return {f"rule:{r.id}": self.frame_verdicts(r.id) for r in self.rules}

    def jump_columns(self) -> dict[str, list[Verdict]]:
        return {f"rule:{r.id}": r.jump_verdicts for r in self.rules}

    def at_frame(self, frame: int) -> list[dict[str, Any]]:
        """Every check at one frame: rule, value of its jump, threshold and verdict."""
        j = next((i for i, (a, b) in enumerate(self.jump_frames) if a <= frame < b), None)
        rows: list[dict[str, Any]] = []
        for r in self.rules:
            if j is None:
                rows.append(
                    {
                        "rule": r.id,
                        "title": r.title,
                        "value": None,
                        "threshold": r.comparison,
                        "verdict": Verdict.NONE,
                        "unit": r.unit,
                    }
                )
            else:
                v = r.jump_values[j] if j < len(r.jump_values) else float("nan")
                rows.append(
                    {
                        "rule": r.id,
                        "title": r.title,
                        "value": v if np.isfinite(v) else None,
                        "threshold": r.comparison,
                        "verdict": r.jump_verdicts[j] if j < len(r.jump_verdicts) else NA,
                        "unit": r.unit,
                        "reason": r.reason if r.status == NA else "",
                    }
                )
        return rows
