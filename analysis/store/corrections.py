"""Corrections of the jump detection, and every figure recomputed from them at once.

A person reviewing a clip can say that a detected jump was not one (``remove``, by its
index in the original detection) or that a jump was missed (``add``, at a frame). From
the report's JSON and the list of corrections, :func:`apply_corrections` returns the
corrected report: jump list, runs, count, cadence over active time, streaks, and each
rule's verdicts, share of passing jumps, status, episodes and the top priorities. The
original JSON is never changed; the corrected one carries ``corrections`` and
``original_detection`` (the detection's jumps, runs, summary and per-rule figures).

Decisions (documented in ``docs/report_schema.md``):

* **An added jump counts** for the jump count, cadence, runs and streaks, but **has no rule
  verdicts**: its take-off, flight and landing were never measured (the detector did not
  find them), so every rule marks it ``na`` ("added by hand: not measured") and it is
  left out of every rule's share, like any jump a rule cannot assess. It has no height,
  flight or contact time; foot and style are ``unknown``.
* **A removed jump** disappears from everything; the measurements of the other jumps are
  kept as measured (e.g. the contact time of the jump after it).
* **Runs** keep the detector's grouping. A run that lost a jump is split again where the
  interval between apexes now exceeds the detector's own rhythm-break rule
  (``measure.jumps.MAX_INTERVAL_S``, or ``RHYTHM_BREAK`` x the run's median interval); an
  added jump joins the run(s) it is within that interval of (so adding a missed jump can
  join two runs into one), else it starts a run of its own.
* Cadence, active time and the 10 s cadence windows use the detector's own formulas
  (``measure.jumps.summarise``), the summary uses ``Report.summary``'s, and a rule's status uses
  the judge's (``rules.base.clip_status``): a fault when at least ``rule_fault_share`` of the
  assessed jumps fail, and at least ``rule_fault_min_jumps`` of them. A rule whose verdicts
  changed gets its severity recomputed with the judge's formula (its failing jumps' median
  excess over the threshold, in the direction the rule registry says is worse; for a rule
  the registry no longer has, the distance from the threshold).
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..measure.jumps import MAX_INTERVAL_S, RHYTHM_BREAK, summarise
from ..measure.view import ViewAngle
from ..report import Report, _clean
from ..rules import _SEVERITY_WEIGHT, RULES
from ..rules.base import _severity as judge_severity
from ..rules.base import clip_verdict
from ..rules.context import Ctx
from ..types import JumpEvent, Run, Scale
from .reopen import from_json, jump_events, time_scale_from_dict
from .streaks import clip_span_s, streak_summary

REMOVE, ADD = "remove", "add"
#: Which direction of each rule's value is worse ("high" or "low"), for its severity.
_WORSE = {rule.id: rule.worse for rule in RULES}
ADDED_REASON = "added by hand: not measured"
DETECTED, ADDED = "detected", "added"


@dataclass(frozen=True)
class Correction:
    """One correction. ``remove``: ``jump`` is the index in the original detection.
    ``add``: ``frame`` (0-based) and/or ``t_s`` place the missed jump; ``t_s`` is filled in
    from the frame when missing. ``note``: free text from the person correcting."""

    action: str
    jump: int | None = None
    frame: int | None = None
    t_s: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.action not in (REMOVE, ADD):
            raise ValueError(f"correction: expected action 'remove' or 'add', got {self.action!r}")
        if self.action == REMOVE and (self.jump is None or int(self.jump) < 0):
            raise ValueError(f"remove: expected the index of a detected jump (0 or more), got {self.jump!r}")
        if self.action == ADD:
            if self.frame is None and self.t_s is None:
                raise ValueError("add: expected the frame (or time) of the missed jump, got neither")
            if self.frame is not None and int(self.frame) < 0:
                raise ValueError(f"add: expected a frame of 0 or more, got {self.frame!r}")
            if self.t_s is not None and not math.isfinite(float(self.t_s)):
                raise ValueError(f"add: expected a finite time in seconds, got {self.t_s!r}")
        if len(self.note) > 500:
            raise ValueError(f"correction note: expected at most 500 characters, got {len(self.note)}")

    @classmethod
    def from_dict(cls, d: dict[str, Any] | Correction) -> Correction:
        if isinstance(d, Correction):
            return d
        if not isinstance(d, dict):
            raise ValueError(f"correction: expected an object with 'action', got {type(d).__name__}")
        unknown = set(d) - {"action", "jump", "frame", "t_s", "note"}
        if unknown:
            raise ValueError(f"correction: unknown field(s) {', '.join(sorted(unknown))}")
        return cls(
            action=str(d.get("action")),
            jump=None if d.get("jump") is None else int(d["jump"]),
            frame=None if d.get("frame") is None else int(d["frame"]),
            t_s=None if d.get("t_s") is None else float(d["t_s"]),
            note=str(d.get("note") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_corrections(items: Iterable[dict[str, Any] | Correction] | None) -> list[Correction]:
    return [Correction.from_dict(c) for c in (items or [])]


# -- jumps and runs ---------------------------------------------------------------------
@dataclass
class _Jump:
    ev: JumpEvent
    source: str
    original_index: int | None


def _added_event(frame: int, t: float) -> JumpEvent:
    nan = float("nan")
    return JumpEvent(
        index=-1,
        takeoff_frame=frame,
        apex_frame=frame,
        landing_frame=frame,
        takeoff_s=t,
        apex_s=t,
        landing_s=t,
        flight_s=nan,
        contact_before_s=nan,
        height_cm_displacement=nan,
        height_cm_flight_time=nan,
        height_uncertainty_cm=nan,
        lr_touchdown_gap_s=nan,
        lr_height_diff_cm=nan,
        foot="unknown",
        style="unknown",
        run=-1,
    )


def _link_limit_s(group: list[_Jump]) -> float:
    """The detector's rhythm-break rule for a run: the largest apex interval inside a run."""
    apex = [j.ev.apex_s for j in group]
    if len(apex) < 2:
        return MAX_INTERVAL_S
    return min(MAX_INTERVAL_S, RHYTHM_BREAK * float(np.median(np.diff(apex))))


def _split(group: list[_Jump], limit_s: float) -> list[list[_Jump]]:
    out = [[group[0]]] if group else []
    for a, b in itertools.pairwise(group):
        if b.ev.apex_s - a.ev.apex_s > limit_s:
            out.append([b])
        else:
            out[-1].append(b)
    return out


def _groups(original: list[JumpEvent], removed: set[int], added: list[_Jump]) -> list[list[_Jump]]:
    by_run: dict[int, list[_Jump]] = {}
    for i, ev in enumerate(original):
        by_run.setdefault(ev.run, []).append(_Jump(ev, DETECTED, i))
    groups: list[list[_Jump]] = []
    for members in by_run.values():
        kept = [j for j in members if j.original_index not in removed]
        if len(kept) == len(members):
            groups.append(kept)
        elif kept:
            groups.extend(_split(kept, _link_limit_s(members)))
    groups.sort(key=lambda g: g[0].ev.apex_s)
    for a in sorted(added, key=lambda j: j.ev.apex_s):
        t = a.ev.apex_s
        inside = next((g for g in groups if g[0].ev.apex_s <= t <= g[-1].ev.apex_s), None)
        if inside is not None:
            inside.append(a)
            inside.sort(key=lambda j: j.ev.apex_s)
            continue
        before = [g for g in groups if g[-1].ev.apex_s < t]
        after = [g for g in groups if g[0].ev.apex_s > t]
        prev = before[-1] if before and t - before[-1][-1].ev.apex_s <= _link_limit_s(before[-1]) else None
        nxt = after[0] if after and after[0][0].ev.apex_s - t <= _link_limit_s(after[0]) else None
        if prev is not None and nxt is not None:
            prev.extend([a, *nxt])
            groups.remove(nxt)
        elif prev is not None:
            prev.append(a)
        elif nxt is not None:
            nxt.insert(0, a)
        else:
            groups.append([a])
        groups.sort(key=lambda g: g[0].ev.apex_s)
    return groups


# -- rules --------------------------------------------------------------------------------
def _share(verdicts: list[str], idx: range) -> float:
    a = [i for i in idx if verdicts[i] != "na"]
    return float(sum(verdicts[i] == "fault" for i in a) / len(a)) if a else float("nan")


def _severity(rule_id: str, values: list[float | None], verdicts: list[str], threshold: float | None) -> str:
    """The judge's severity (``rules.base``) with the rule's direction from the registry; a
    rule no longer in the registry (a report from another version): the distance from the
    threshold, on the same scale."""
    worse = _WORSE.get(rule_id)
    if worse is not None and threshold is not None:
        x = np.array([np.nan if v is None else float(v) for v in values], float)
        return judge_severity(x, np.array([s == "fault" for s in verdicts], bool), threshold, worse)
    v = np.array([x for x, s in zip(values, verdicts) if s == "fault" and x is not None and math.isfinite(x)], float)
    if v.size == 0 or not threshold:
        return "none"
    excess = abs(float(np.median(v)) - threshold) / abs(threshold)
    return "high" if excess > 0.5 else "medium" if excess > 0.2 else "low"


def _frame_owner(cycles: list[tuple[int, int]], frame: int) -> int | None:
    return next((i for i, (a, b) in enumerate(cycles) if a <= frame < b), None)


def _rule(r: dict, jumps: list[_Jump], removed: set[int], cycles: list[tuple[int, int]]) -> dict:
    out = copy.deepcopy(r)
    old_v, old_x = r.get("jump_verdicts") or [], r.get("jump_values") or []
    old_s = r.get("jump_sigmas") or []
    verdicts = [old_v[j.original_index] if j.original_index is not None else "na" for j in jumps]
    values: list[float | None] = [old_x[j.original_index] if j.original_index is not None else None for j in jumps]
    out["jump_verdicts"], out["jump_values"] = verdicts, values
    if old_s:
        out["jump_sigmas"] = [
            old_s[j.original_index] if j.original_index is not None and j.original_index < len(old_s) else None
            for j in jumps
        ]
    n = len(jumps)
    assessed = [i for i, v in enumerate(verdicts) if v != "na"]
    n_fault = sum(v == "fault" for v in verdicts)
    n_border = sum(v == "borderline" for v in verdicts)
    whole_rule_na = r.get("status") == "na" and not r.get("n_assessed")
    if whole_rule_na:
        pass  # the rule could not be assessed on this clip at all: corrections do not change that
    elif assessed:
        # The judge's clip verdict (rules.base.judge): clear faults, then faults with borderline
        # jumps; where no jump could pass (``unresolved``), only a fault stands.
        status, out["reason"] = clip_verdict(n_fault, n_border, len(assessed), r.get("unresolved"))
        out["status"] = status.value
    else:
        out["status"], out["reason"] = "na", "no assessed jump is left after the corrections"
    out["n_borderline"] = n_border
    out["pass_share"] = float(1 - n_fault / len(assessed)) if assessed else None
    out["n_assessed"] = len(assessed)
    fin = [x for x in values if x is not None and math.isfinite(x)]
    out["value_median"] = float(np.median(fin)) if fin else None
    changed = any(old_v[i] != "na" for i in removed if i < len(old_v)) or r.get("status") != out["status"]
    if out["status"] != "fault":
        out["severity"] = "none"
    elif changed:
        out["severity"] = _severity(str(r.get("id")), values, verdicts, r.get("threshold"))
    thirds = n // 3
    first, last = (
        (_share(verdicts, range(thirds)), _share(verdicts, range(n - thirds, n)))
        if thirds
        else (float("nan"), float("nan"))
    )
    out["drift"] = {"first_third_fault_share": first, "last_third_fault_share": last, "change": last - first}
    # Episodes: the original ones, without removed jumps, split where the run or a
    # non-failing (e.g. added) jump now breaks them.
    new_of = {j.original_index: k for k, j in enumerate(jumps) if j.source == DETECTED}
    episodes = []
    if out["status"] != "na":
        for ep in r.get("episodes") or []:
            idx = sorted(new_of[i] for i in ep.get("jumps") or [] if i in new_of)
            pieces: list[list[int]] = []
            for k in idx:
                if pieces and k == pieces[-1][-1] + 1 and jumps[k].ev.run == jumps[pieces[-1][-1]].ev.run:
                    pieces[-1].append(k)
                else:
                    pieces.append([k])
            for p in pieces:
                first_j, last_j = jumps[p[0]].ev, jumps[p[-1]].ev
                worst = ep.get("worst_value")
                has_worst = worst is not None and any(values[k] == worst for k in p)
                k = p[0]
                if not has_worst:
                    fin_p = [(float(v), i) for i in p if (v := values[i]) is not None and math.isfinite(v)]
                    thr = float(r.get("threshold") or 0.0)
                    sign = {"high": 1.0, "low": -1.0}.get(_WORSE.get(str(r.get("id")), ""))

                    def badness(vk: tuple[float, int], thr: float = thr, sign: float | None = sign) -> float:
                        return sign * vk[0] if sign is not None else abs(vk[0] - thr)

                    worst, k = max(fin_p, key=badness) if fin_p else (None, p[0])
                episodes.append(
                    {
                        "start_frame": int(first_j.takeoff_frame),
                        "end_frame": int(last_j.landing_frame),
                        "start_s": float(first_j.takeoff_s),
                        "end_s": float(last_j.landing_s),
                        "jumps": p,
                        "worst_value": worst,
                        "worst_frame": ep.get("worst_frame") if has_worst else int(jumps[k].ev.landing_frame),
                    }
                )
    out["episodes"] = episodes
    return out


def _best_frames(r: dict, removed_cycles: list[tuple[int, int]]) -> list[int]:
    return [f for f in r.get("best_frames") or [] if not any(a <= f < b for a, b in removed_cycles)]


# -- the whole report ---------------------------------------------------------------------
def _cycles(events: list[JumpEvent], n_frames: int) -> list[tuple[int, int]]:
    """Each jump's frames [start, end), as the rules define them (``rules.context.Ctx.cycles``)."""
    ctx = Ctx(
        metrics={},
        jumps=events,
        t_s=np.zeros(n_frames),
        fps=1.0,
        view_angle=ViewAngle(float("nan"), float("nan"), "unknown", float("nan"), float("nan")),
        xy_px=np.zeros((0, 33, 2)),
        cm_per_px=float("nan"),
        scale_rel_uncertainty=float("nan"),
    )
    return ctx.cycles()


def _time_of(frame: int, t_s: np.ndarray | None, fps: float, t0: float) -> float:
    if t_s is not None and 0 <= frame < len(t_s):
        return float(t_s[frame])
    return t0 + frame / fps


def _original_detection(report: dict) -> dict[str, Any]:
    keep = ("id", "status", "reason", "severity", "pass_share", "n_assessed", "jump_verdicts")
    return {
        "summary": copy.deepcopy(report.get("summary")),
        "jumps": copy.deepcopy(report.get("jumps") or []),
        "runs": copy.deepcopy(report.get("runs") or []),
        "cadence_windows": copy.deepcopy(report.get("cadence_windows") or []),
        "rules": [{k: copy.deepcopy(r.get(k)) for k in keep} for r in report.get("rules") or []],
        "priorities": copy.deepcopy(report.get("priorities") or []),
    }


def apply_corrections(
    report: dict[str, Any],
    corrections: Iterable[dict[str, Any] | Correction] | None = None,
    *,
    t_s: np.ndarray | None = None,
) -> dict[str, Any]:
    """The report with the corrections applied (a new dict; ``report`` is not changed).

    ``report``: a report's JSON (``Report.to_dict()``) as the analysis wrote it, never an
    already corrected one. ``t_s``: the clip's frame times, for placing added jumps exactly
    (without it a frame's time is ``frame / fps``). Raises ``ValueError`` saying which
    correction does not fit this report (a jump that does not exist, a frame outside the
    clip or inside a detected jump's flight, the same correction twice).
    """
    if "original_detection" in report and report.get("original_detection") is not None:
        raise ValueError("apply_corrections: expected the report as analysed, got an already corrected one")
    items = parse_corrections(corrections)
    original = jump_events(report.get("jumps") or [])
    summary = report.get("summary") or {}
    n_frames = int(summary.get("frames") or (len(t_s) if t_s is not None else 0))
    fps = float(summary.get("fps") or (report.get("clip") or {}).get("fps") or 30.0)
    t0, t_end = clip_span_s(report)
    removed: set[int] = set()
    added: list[_Jump] = []
    resolved: list[Correction] = []
    for c in items:
        if c.action == REMOVE:
            if c.jump is None or c.jump >= len(original):
                raise ValueError(
                    f"remove: jump {c.jump} does not exist (the detection found {len(original)} "
                    f"jumps, numbered 0-{max(len(original) - 1, 0)})"
                )
            if c.jump in removed:
                raise ValueError(f"remove: jump {c.jump} is removed twice")
            removed.add(c.jump)
            resolved.append(c)
            continue
        if c.frame is not None:
            frame = c.frame
        else:
            assert c.t_s is not None  # an add has a frame or a time (checked on construction)
            at = float(c.t_s)
            frame = int(np.searchsorted(t_s, at)) if t_s is not None else round((at - t0) * fps)
        if n_frames and not 0 <= frame < n_frames:
            raise ValueError(f"add: frame {frame} is outside the clip (frames 0-{n_frames - 1})")
        t = float(c.t_s) if c.t_s is not None else _time_of(frame, t_s, fps, t0)
        resolved.append(Correction(ADD, frame=frame, t_s=t, note=c.note))
        if any(a.ev.takeoff_frame == frame for a in added):
            raise ValueError(f"add: a jump at frame {frame} is added twice")
        added.append(_Jump(_added_event(frame, t), ADDED, None))
    for a in added:
        f = a.ev.takeoff_frame
        hit = next(
            (i for i, ev in enumerate(original) if i not in removed and ev.takeoff_frame <= f <= ev.landing_frame), None
        )
        if hit is not None:
            ev = original[hit]
            raise ValueError(
                f"add: frame {f} is inside detected jump {hit} (frames {ev.takeoff_frame}-"
                f"{ev.landing_frame}), which is already counted"
            )

    groups = _groups(original, removed, added)
    jumps: list[_Jump] = []
    runs: list[Run] = []
    for r, g in enumerate(groups):
        first = len(jumps)
        for j in g:
            jumps.append(
                _Jump(JumpEvent(**{**asdict(j.ev), "index": len(jumps), "run": r}), j.source, j.original_index)
            )
        js = [j.ev for j in jumps[first:]]
        runs.append(Run(js[0].takeoff_s, js[-1].landing_s, len(js), js[0].takeoff_frame, js[-1].landing_frame))
    events = [j.ev for j in jumps]
    times = t_s if t_s is not None else np.array([t0, t_end])
    stored_scale = time_scale_from_dict(report.get("time_scale"))
    analysis = replace(summarise(events, runs, times, stored_scale.factor, [], []), time_scale=stored_scale)
    # Report.summary reads only these attributes; the clip's own figures are kept below.
    scale = from_json(Scale, report["scale"]) if report.get("scale") else None
    proxy = SimpleNamespace(
        jumps=analysis,
        scale=scale,
        quality=SimpleNamespace(view=summary.get("view")),
        t_s=times,
        meta=SimpleNamespace(fps=fps),
    )
    new_summary = {**summary, **Report.summary(proxy)}  # type: ignore[arg-type]
    for k in ("view", "duration_s", "frames", "fps"):
        if k in summary:
            new_summary[k] = summary[k]

    out = copy.deepcopy(report)
    out["summary"] = new_summary
    out["jumps"] = [asdict(j.ev) | {"source": j.source, "original_index": j.original_index} for j in jumps]
    out["runs"] = [asdict(r) for r in runs]
    out["cadence_windows"] = [{"start_s": a, "end_s": b, "jumps_per_minute": c} for a, b, c in analysis.cadence_windows]
    removed_cycles = [c for i, c in enumerate(_cycles(original, n_frames)) if i in removed]
    cycles = _cycles(events, n_frames)
    rules = []
    for r in report.get("rules") or []:
        nr = _rule(r, jumps, removed, cycles)
        nr["best_frames"] = _best_frames(r, removed_cycles)
        rules.append(nr)
    out["rules"] = rules
    out["findings"] = [
        {"rule": r["id"], **ep, "advice": r["advice"], "severity": r["severity"]} for r in rules for ep in r["episodes"]
    ]
    faults = [r for r in rules if r["status"] == "fault"]
    ranked = sorted(faults, key=lambda r: -(1 - r["pass_share"]) * _SEVERITY_WEIGHT.get(r["severity"], 1.0))
    out["priorities"] = [
        {
            "rule": r["id"],
            "title": r["title"],
            "advice": r["advice"],
            "severity": r["severity"],
            "fault_share": 1 - r["pass_share"],
            "frames": r["best_frames"],
        }
        for r in ranked[:3]
    ]
    out["corrections"] = [c.to_dict() for c in resolved]
    out["original_detection"] = _original_detection(report) if resolved else None
    out = _clean(out)
    out["streaks"] = streak_summary(out)
    return out


def is_added(jump: dict[str, Any]) -> bool:
    return jump.get("source") == ADDED


__all__ = [
    "ADD",
    "ADDED_REASON",
    "REMOVE",
    "Correction",
    "apply_corrections",
    "is_added",
    "parse_corrections",
]
