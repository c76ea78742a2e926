"""Technique rules from the coaching article, checked per jump and per frame.

Registry: :data:`RULES` (posture, core, landing, arms); session advice comes from the
user's inputs (``session.py``). ``evaluate_rules(report)`` returns a ``RulesResult``.
"""

from __future__ import annotations

import numpy as np

from . import arms, core, landing, posture, sound
from .base import FAULT, NA, PASS, Measured, Rule, RuleResult, RulesResult, judge
from .context import Ctx
from .session import DISCLAIMER, session_advice

RULES: list[Rule] = [*posture.RULES, *core.RULES, *landing.RULES, *sound.RULES, *arms.RULES]
_SEVERITY_WEIGHT = {"high": 3.0, "medium": 2.0, "low": 1.0, "none": 0.0}

__all__ = ["RULES", "evaluate_rules", "RulesResult", "RuleResult", "Rule", "Measured", "PASS", "FAULT", "NA"]


def _feet_in_frame(report) -> np.ndarray | None:
    """[T] at least one foot (heel, toe, ankle) inside the frame and visible (None if unknown)."""
    from ..measure.view import feet_visible  # noqa: PLC0415

    pose = getattr(report, "pose", None)
    if pose is None or getattr(pose, "visibility", None) is None:
        return None
    w, h = pose.frame_size_px
    return feet_visible(pose.xy_px, pose.visibility, w, h)


def evaluate_rules(report) -> RulesResult:
    jumps = report.jumps.jumps
    ctx = Ctx(
        metrics=report.metrics,
        jumps=jumps,
        t_s=report.t_s,
        fps=report.meta.fps,
        view=report.quality.view,
        xy_px=report.pose.xy_px,
        cm_per_px=report.scale.cm_per_px,
        scale_rel_uncertainty=report.scale.relative_uncertainty,
        sound=getattr(report, "sound", None),
        feet_ok=_feet_in_frame(report),
    )
    results = []
    for rule in RULES:
        m = rule.measure(ctx) if jumps else Measured.not_assessable(0, "no jumps to assess")
        results.append(judge(rule, m, jumps, ctx.view, ""))
    ranked = sorted(
        (r for r in results if r.status == FAULT),
        key=lambda r: -(1 - r.pass_share) * _SEVERITY_WEIGHT.get(r.severity, 1.0),
    )
    priorities = [
        {
            "rule": r.id,
            "title": r.title,
            "advice": r.advice,
            "severity": r.severity,
            "fault_share": 1 - r.pass_share,
            "frames": r.best_frames,
        }
        for r in ranked[:3]
    ]
    clip_min = float(report.t_s[-1] - report.t_s[0]) / 60.0 if len(report.t_s) > 1 else 0.0
    return RulesResult(
        rules=results,
        session=session_advice(report.config, clip_min, report.jumps.active_time_s / 60.0),
        priorities=priorities,
        disclaimer=DISCLAIMER,
        n_frames=len(report.t_s),
        jump_frames=ctx.cycles(),
        extra={"assessable": {r.id: r.status != NA for r in results}, "has_faults": bool(np.any([r.status == FAULT for r in results]))},
    )
