"""Posture: stand tall, shoulders back and chest up, eyes forward, spine neutral."""

from __future__ import annotations

import numpy as np

from ..config import THRESHOLDS as T
from .base import Measured, Rule
from .context import Ctx

SIDE = ("side", "oblique")


def _trunk(c: Ctx) -> Measured:
    v = c.cycle_stat("trunk_lean_deg")
    return Measured(v, v > T["trunk_lean_max_deg"], c.cycle_argworst(c.metrics["trunk_lean_deg"]))


def _shoulders(c: Ctx) -> Measured:
    v = c.cycle_stat("neck_flexion_deg")
    return Measured(v, v > T["neck_flexion_max_deg"], c.cycle_argworst(c.metrics["neck_flexion_deg"]))


def _eyes(c: Ctx) -> Measured:
    pitch = c.cycle_stat("head_pitch_deg")
    fwd = c.cycle_stat("head_forward_cm")
    # One value per jump: the larger of the two exceedances, as a share of its threshold.
    ratio = np.fmax(pitch / T["head_pitch_max_deg"], fwd / T["head_forward_max_cm"])
    value = pitch
    faults = (pitch > T["head_pitch_max_deg"]) | (fwd > T["head_forward_max_cm"])
    m = Measured(value, faults, c.cycle_argworst(c.metrics["head_pitch_deg"]))
    m.values = np.where(np.isfinite(ratio), value, np.nan)
    return m


def _spine(c: Ctx) -> Measured:
    return Measured.not_assessable(
        c.n,
        "the pose model gives the trunk as one segment (shoulders to hips), so arching or rounding of the "
        "spine between them cannot be seen; trunk lean and head position are checked instead",
    )


RULES = [
    Rule("posture.trunk_upright", "posture", "Stand tall: trunk upright, not leaning forward",
         "Stack your shoulders over your hips and think of growing tall through the crown of your head.",
         "trunk_lean_max_deg", f"> {T['trunk_lean_max_deg']:g} deg forward lean is a fault", SIDE, _trunk),
    Rule("posture.shoulders_back", "posture", "Shoulders back and chest up, no hunching",
         "Draw your shoulder blades gently back and down and lift your chest as if showing your shirt's logo.",
         "neck_flexion_max_deg", f"> {T['neck_flexion_max_deg']:g} deg between trunk and neck line is a fault", SIDE, _shoulders),
    Rule("posture.eyes_forward", "posture", "Eyes forward: head up, not dropped or pushed forward",
         "Pick a spot on the wall at eye height and keep looking at it instead of at your feet.",
         "head_pitch_max_deg",
         f"> {T['head_pitch_max_deg']:g} deg head drop or > {T['head_forward_max_cm']:g} cm head forward is a fault", SIDE, _eyes),
    Rule("posture.spine_neutral", "posture", "Neutral spine: no marked arching or rounding",
         "Keep a long, natural spine; brace lightly rather than arching your lower back.",
         "trunk_lean_max_deg", "not measurable from pose landmarks", ("front", "side", "oblique"), _spine),
]
