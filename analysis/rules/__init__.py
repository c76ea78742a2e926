"""Technique rules from the coaching article, checked per jump and per frame.

Registry: :data:`RULES` (posture, core, landing, sound, arms), each a keyword row
(``base.Rule``); session advice comes from the user's inputs (``session.py``).
:func:`evaluate_rules` turns the stage results of one clip into a ``RulesResult``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..audio.evidence import QuietLandingsResult
from ..config import AnalysisConfig
from ..measure.coherence import MAX_LOST_SHARE, coherent_frames
from ..measure.view import ViewAngle, feet_visible
from ..types import JumpAnalysis, PoseSeries, Scale, Verdict
from . import arms, core, landing, posture, sound
from .base import BORDERLINE, FAULT, NA, PASS, Limit, Measured, Rule, RuleResult, RulesResult, judge
from .context import Ctx
from .session import DISCLAIMER, session_advice

RULES: list[Rule] = [*posture.RULES, *core.RULES, *landing.RULES, *sound.RULES, *arms.RULES]
_SEVERITY_WEIGHT = {"high": 3.0, "medium": 2.0, "low": 1.0, "none": 0.0}

__all__ = [
    "BORDERLINE",
    "FAULT",
    "NA",
    "PASS",
    "RULES",
    "Limit",
    "Measured",
    "Rule",
    "RuleResult",
    "RulesResult",
    "Verdict",
    "evaluate_rules",
]


def evaluate_rules(
    *,
    metrics: Mapping[str, np.ndarray],
    jumps: JumpAnalysis,
    pose: PoseSeries,
    fps: float,
    view: ViewAngle,
    scale: Scale,
    config: AnalysisConfig,
    sound: QuietLandingsResult | None = None,
) -> RulesResult:
    """Every rule on one clip. ``pose`` is the cleaned series the metrics came from (its
    ``t_s`` are the clip's frame times); ``sound`` the soundtrack's landing evidence."""
    events = jumps.jumps
    w, h = pose.frame_size_px
    # Frames where the pose model lost the body's shape say nothing about form.
    kept = coherent_frames(pose.xy_px, fps)
    found = np.isfinite(pose.xy_px[:, :, 0]).any(axis=1)
    lost = found & ~kept
    if lost.any():
        metrics = {k: np.where(lost, np.nan, v) if np.shape(v)[:1] == lost.shape else v for k, v in metrics.items()}
    ctx = Ctx(
        metrics=metrics,
        jumps=events,
        t_s=pose.t_s,
        fps=fps,
        view_angle=view,
        xy_px=np.where(lost[:, None, None], np.nan, pose.xy_px) if lost.any() else pose.xy_px,
        cm_per_px=scale.cm_per_px,
        scale_rel_uncertainty=scale.relative_uncertainty,
        sound=sound,
        feet_ok=feet_visible(pose.xy_px, pose.visibility, w, h, scale.body_height_px, fps),
    )
    lost_share = float(lost.sum() / max(int(found.sum()), 1))
    lost_reason = (
        f"the pose model lost the body's shape in {100 * lost_share:.0f}% of the frames (shoulders, hips or "
        "trunk changing length from one moment to the next), so no frame's landmarks can be trusted for form; "
        "film with the whole body clearly against the background"
        if lost_share > MAX_LOST_SHARE
        else None
    )
    results = []
    for rule in RULES:
        if not events:
            m = Measured.not_assessable(0, "no jumps to assess")
        elif lost_reason is not None:
            m = Measured.not_assessable(len(events), lost_reason)
        else:
            m = rule.measure(ctx)
        results.append(judge(rule, m, events, view))
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
    t_s = pose.t_s
    clip_min = float(t_s[-1] - t_s[0]) / 60.0 if len(t_s) > 1 else 0.0
    return RulesResult(
        rules=results,
        session=session_advice(config, clip_min, jumps.active_time_s / 60.0),
        priorities=priorities,
        disclaimer=DISCLAIMER,
        n_frames=len(t_s),
        jump_frames=ctx.cycles(),
    )
