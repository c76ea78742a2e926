"""Posture: stand tall, shoulders back and chest up, eyes forward, spine neutral."""

from __future__ import annotations

import numpy as np

from ..config import THRESHOLDS as T
from .base import Limit, Measured, Rule
from .context import Ctx

SIDE = ("side", "oblique")

TRUNK_LEAN = Limit(T.trunk_lean_max_deg, ">", "forward lean")
NECK_FLEXION = Limit(T.neck_flexion_max_deg, ">", "between trunk and neck line")
HEAD_DROP = Limit(T.head_pitch_max_deg, ">", "head drop")
HEAD_FORWARD = Limit(T.head_forward_max_cm, ">", "head forward")


def _trunk(c: Ctx) -> Measured:
    v = c.cycle_stat("trunk_lean_deg")
    return Measured(v, TRUNK_LEAN.fails(v), c.cycle_argworst(c.metrics["trunk_lean_deg"]))


def _shoulders(c: Ctx) -> Measured:
    v = c.cycle_stat("neck_flexion_deg")
    return Measured(v, NECK_FLEXION.fails(v), c.cycle_argworst(c.metrics["neck_flexion_deg"]))


def _eyes(c: Ctx) -> Measured:
    pitch = c.cycle_stat("head_pitch_deg")
    fwd = c.cycle_stat("head_forward_cm")
    # One value per jump: the head drop, where either cue could be measured.
    ratio = np.fmax(pitch / HEAD_DROP.threshold.value, fwd / HEAD_FORWARD.threshold.value)
    faults = HEAD_DROP.fails(pitch) | HEAD_FORWARD.fails(fwd)
    return Measured(np.where(np.isfinite(ratio), pitch, np.nan), faults, c.cycle_argworst(c.metrics["head_pitch_deg"]))


def _spine(c: Ctx) -> Measured:
    return Measured.not_assessable(
        c.n,
        "the pose model gives the trunk as one segment (shoulders to hips), so arching or rounding of the "
        "spine between them cannot be seen; trunk lean and head position are checked instead",
    )


RULES = [
    Rule(
        id="posture.trunk_upright",
        area="posture",
        title="Stand tall: trunk upright, not leaning forward",
        advice="Stack your shoulders over your hips and think of growing tall through the crown of your head.",
        limits=(TRUNK_LEAN,),
        views=SIDE,
        measure=_trunk,
    ),
    Rule(
        id="posture.shoulders_back",
        area="posture",
        title="Shoulders back and chest up, no hunching",
        advice="Draw your shoulder blades gently back and down and lift your chest as if showing your shirt's logo.",
        limits=(NECK_FLEXION,),
        views=SIDE,
        measure=_shoulders,
    ),
    Rule(
        id="posture.eyes_forward",
        area="posture",
        title="Eyes forward: head up, not dropped or pushed forward",
        advice="Pick a spot on the wall at eye height and keep looking at it instead of at your feet.",
        limits=(HEAD_DROP, HEAD_FORWARD),
        views=SIDE,
        measure=_eyes,
    ),
    Rule(
        id="posture.spine_neutral",
        area="posture",
        title="Neutral spine: no marked arching or rounding",
        advice="Keep a long, natural spine; brace lightly rather than arching your lower back.",
        limits=(TRUNK_LEAN,),  # checked instead (see the reason)
        views=("front", "side", "oblique"),
        measure=_spine,
        comparison_override="not measurable from pose landmarks",
    ),
]
