"""Posture: stand tall, shoulders back and chest up, eyes forward, spine neutral."""

from __future__ import annotations

import numpy as np

from ..config import MEASUREMENT_ERRORS
from ..config import THRESHOLDS as T
from .base import Limit, Measured, Rule, grade, graded
from .context import Ctx

E = MEASUREMENT_ERRORS

TRUNK_LEAN = Limit(T.trunk_lean_max_deg, ">", "forward lean")
NECK_FLEXION = Limit(T.neck_flexion_max_deg, ">", "between trunk and neck line")
HEAD_DROP = Limit(T.head_pitch_max_deg, ">", "head drop")
HEAD_FORWARD = Limit(T.head_forward_max_cm, ">", "head forward")


def _sagittal(c: Ctx, name: str, kind: str, model: float, scale_share: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A cycle median of a forward-backward image quantity, corrected for the camera's yaw,
    with its standard deviation: the pose model's error, the cycle's noise, the yaw's
    uncertainty and (lengths) the scale's."""
    raw = c.cycle_stat(name)
    value, yaw_part = c.projected(raw, "sagittal", kind)
    parts = [np.full(c.n, model), c.cycle_noise(name), yaw_part]
    if scale_share and np.isfinite(c.scale_rel_uncertainty):
        parts.append(np.abs(value) * c.scale_rel_uncertainty)
    sigma = np.sqrt(np.nansum(np.square(parts), axis=0))
    return value, sigma


def _trunk(c: Ctx) -> Measured:
    v, s = _sagittal(c, "trunk_lean_deg", "angle", E.trunk_lean_deg.value)
    f, b = grade(TRUNK_LEAN, v, s)
    return Measured(v, f, c.cycle_argworst(c.metrics["trunk_lean_deg"]), sigma=s, borderline=b)


def _shoulders(c: Ctx) -> Measured:
    v, s = _sagittal(c, "neck_flexion_deg", "angle", E.neck_flexion_deg.value)
    f, b = grade(NECK_FLEXION, v, s)
    return Measured(v, f, c.cycle_argworst(c.metrics["neck_flexion_deg"]), sigma=s, borderline=b)


def _eyes(c: Ctx) -> Measured:
    if c.view_angle.facing_away:
        return Measured.not_assessable(
            c.n,
            "the camera is behind the jumper, so the face is turned away and the pose model only guesses "
            "where the eyes and nose are; film from the front or the side to check the head",
        )
    pitch_img = c.cycle_stat("head_pitch_deg")
    # A line in the forward-backward plane shows its vertical extent whole and its horizontal
    # one shrunk by f, so its angle below the horizontal reads tan(p) / f: undo with f.
    f_side = c.view_angle.side_factor
    pitch = np.degrees(np.arctan(np.tan(np.radians(pitch_img)) * (f_side if np.isfinite(f_side) else 1.0)))
    s_pitch = np.sqrt(E.head_pitch_deg.value**2 + np.nan_to_num(c.cycle_noise("head_pitch_deg")) ** 2)
    fwd, s_fwd = _sagittal(c, "head_forward_cm", "length", E.head_forward_cm.value, scale_share=True)
    faults, borderline = graded([grade(HEAD_DROP, pitch, s_pitch), grade(HEAD_FORWARD, fwd, s_fwd)])
    # One value per jump: the head drop (its limit is the headline), where either cue was measured.
    value = np.where(np.isfinite(pitch) | np.isfinite(fwd), pitch, np.nan)
    return Measured(value, faults, c.cycle_argworst(c.metrics["head_pitch_deg"]), sigma=s_pitch, borderline=borderline)


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
        plane="sagittal",
        measure=_trunk,
    ),
    Rule(
        id="posture.shoulders_back",
        area="posture",
        title="Shoulders back and chest up, no hunching",
        advice="Draw your shoulder blades gently back and down and lift your chest as if showing your shirt's logo.",
        limits=(NECK_FLEXION,),
        plane="sagittal",
        measure=_shoulders,
    ),
    Rule(
        id="posture.eyes_forward",
        area="posture",
        title="Eyes forward: head up, not dropped or pushed forward",
        advice="Pick a spot on the wall at eye height and keep looking at it instead of at your feet.",
        limits=(HEAD_DROP, HEAD_FORWARD),
        plane="sagittal",
        measure=_eyes,
    ),
    Rule(
        id="posture.spine_neutral",
        area="posture",
        title="Neutral spine: no marked arching or rounding",
        advice="Keep a long, natural spine; brace lightly rather than arching your lower back.",
        limits=(TRUNK_LEAN,),  # checked instead (see the reason)
        plane="any",
        measure=_spine,
        comparison_override="not measurable from pose landmarks",
    ),
]
