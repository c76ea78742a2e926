"""Arms: elbows close to the sides, hands at hip height, turning from the wrists."""

from __future__ import annotations

import numpy as np

from ..config import THRESHOLDS as T
from ..pose.landmarks import Landmark as L
from .base import Limit, Measured, Rule
from .context import Ctx

ELBOW_OUT = Limit(T.upper_arm_abduction_max_deg, ">", "upper arm from the trunk")
HANDS_WIDE = Limit(T.wrist_out_max_cm, ">", "hands outside the hips")
HANDS_HIGH = Limit(T.hands_above_hip_max_cm, ">", "hands above the hips")
HANDS_LOW = Limit(T.hands_below_hip_max_cm, ">", "hands below the hips")
SHOULDER_TURNING = Limit(T.elbow_to_wrist_travel_max, ">", "elbow travel / wrist travel")


def _elbows(c: Ctx) -> Measured:
    ab = np.fmax(c.cycle_stat("upper_arm_abduction_deg_left"), c.cycle_stat("upper_arm_abduction_deg_right"))
    out = np.fmax(c.cycle_stat("wrist_out_cm_left"), c.cycle_stat("wrist_out_cm_right"))
    faults = ELBOW_OUT.fails(ab) | HANDS_WIDE.fails(out)
    both = np.fmax(c.metrics["upper_arm_abduction_deg_left"], c.metrics["upper_arm_abduction_deg_right"])
    return Measured(ab, faults, c.cycle_argworst(both))


def _hands(c: Ctx) -> Measured:
    h = (c.cycle_stat("wrist_above_hip_cm_left") + c.cycle_stat("wrist_above_hip_cm_right")) / 2.0
    faults = HANDS_HIGH.fails(h) | HANDS_LOW.fails(-h)
    per_frame = (c.metrics["wrist_above_hip_cm_left"] + c.metrics["wrist_above_hip_cm_right"]) / 2.0
    return Measured(h, faults, c.cycle_argworst(np.abs(per_frame)))


def _travel(xy: np.ndarray, a: int, b: int, joint: L, shoulder: L) -> float:
    rel = xy[a:b, joint] - xy[a:b, shoulder]
    ok = np.isfinite(rel).all(axis=1)
    if ok.sum() < 3:
        return float("nan")
    r = rel[ok]
    return float(np.hypot(*(np.percentile(r, 95, axis=0) - np.percentile(r, 5, axis=0))))


def _wrists(c: Ctx) -> Measured:
    """Elbow travel against wrist travel around the shoulder over each jump cycle."""
    ratio = np.full(c.n, np.nan)
    for i, (a, b) in enumerate(c.cycles()):
        rs = []
        for el, wr, sh in (
            (L.LEFT_ELBOW, L.LEFT_WRIST, L.LEFT_SHOULDER),
            (L.RIGHT_ELBOW, L.RIGHT_WRIST, L.RIGHT_SHOULDER),
        ):
            te, tw = _travel(c.xy_px, a, b, el, sh), _travel(c.xy_px, a, b, wr, sh)
            if np.isfinite(te) and np.isfinite(tw) and tw > 1.0:
                rs.append(te / tw)
        if rs:
            ratio[i] = max(rs)
    frames = np.array([a for a, _ in c.cycles()], int)
    return Measured(ratio, SHOULDER_TURNING.fails(ratio), frames)


RULES = [
    Rule(
        id="arms.elbows_in",
        area="arms",
        title="Elbows close to the sides",
        advice="Keep your elbows brushing your ribs and your hands just outside your hips.",
        limits=(ELBOW_OUT, HANDS_WIDE),
        views=("front", "oblique"),
        measure=_elbows,
    ),
    Rule(
        id="arms.hands_hip_height",
        area="arms",
        title="Hands at about hip height",
        advice="Hold the handles level with your hip bones, a little in front of you.",
        limits=(HANDS_HIGH, HANDS_LOW),
        views=("front", "side", "oblique"),
        measure=_hands,
    ),
    Rule(
        id="arms.wrist_rotation",
        area="arms",
        title="Turn the rope from the wrists, not the shoulders",
        advice="Make small circles with your wrists and keep your upper arms still.",
        limits=(SHOULDER_TURNING,),
        # The rope turns in the body's forward-backward plane: a front camera sees those
        # circles edge-on (measured on the synthetic suite: clean and shoulder-driven
        # turning give the same ratio in a front view, in 2D and in MediaPipe's 3D).
        views=("side", "oblique"),
        measure=_wrists,
    ),
]
