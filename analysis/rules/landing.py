"""Landing mechanics: balls of the feet, soft knees, small jumps, both feet together, soft landings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..config import THRESHOLDS as T
from ..measure.kinematics import vertical_acceleration
from .base import Limit, Measured, Rule
from .context import Ctx

ALL = ("front", "side", "oblique")
G_M_S2 = 9.81

HEEL_ABOVE_TOE = Limit(T.heel_above_toe_min_cm, "<", "heel above the toe at touchdown")
KNEE_LOCKED = Limit(T.knee_locked_deg, ">=", "knee angle at touchdown")
JUMP_HEIGHT = Limit(T.jump_height_max_cm, ">", "foot clearance")
TOUCHDOWN_GAP = Limit(
    T.touchdown_gap_max_s, ">", "between the feet's touchdowns", also=Limit(T.touchdown_gap_min_frames, ">", "")
)
FOOT_HEIGHT_DIFF = Limit(T.foot_height_diff_max_cm, ">", "between the feet's clearances")
LANDING_FORCE = Limit(T.landing_force_max_bw, ">", "of hip deceleration")


def _needs_feet(measure: Callable[[Ctx], Measured]) -> Callable[[Ctx], Measured]:
    """Landing checks are not assessable (with the reason) when the feet cannot be seen:
    for the whole rule when they are out of frame in most jumps, else per jump."""

    def wrapped(c: Ctx) -> Measured:
        reason, per_jump = c.feet_assessability()
        if reason is not None:
            return Measured.not_assessable(c.n, reason)
        m = measure(c)
        if any(per_jump):
            own = m.jump_na or [None] * c.n
            m = replace(m, jump_na=[a or b for a, b in zip(own, per_jump)])
        return m

    wrapped.__name__ = measure.__name__
    wrapped.__doc__ = measure.__doc__
    return wrapped


@_needs_feet
def _balls(c: Ctx) -> Measured:
    # Per foot at touchdown; the lower of the two decides (one heel strike is a heel strike).
    v = np.fmin(c.at_landing("heel_above_toe_cm_left"), c.at_landing("heel_above_toe_cm_right"))
    return Measured(v, HEEL_ABOVE_TOE.fails(v), c.landing_frames())


@_needs_feet
def _knees(c: Ctx) -> Measured:
    # The straighter knee at touchdown, and whether the knees bend at all afterwards.
    v = np.fmax(c.at_landing("knee_angle_deg_left"), c.at_landing("knee_angle_deg_right"))
    lowest = np.full(c.n, np.nan)
    for i, (_start, b) in enumerate(c.cycles()):
        j = c.jumps[i]
        seg = np.fmax(c.metrics["knee_angle_deg_left"], c.metrics["knee_angle_deg_right"])[j.landing_frame : b]
        if np.isfinite(seg).any():
            lowest[i] = np.nanmin(seg)
    faults = KNEE_LOCKED.fails(v) | KNEE_LOCKED.fails(lowest)
    return Measured(v, faults, c.landing_frames())


@_needs_feet
def _height(c: Ctx) -> Measured:
    h = np.array([j.height_cm_displacement for j in c.jumps], float)
    # Flag only what is clearly above the limit: subtract the scale's own uncertainty.
    unc = np.abs(h) * (c.scale_rel_uncertainty if np.isfinite(c.scale_rel_uncertainty) else 0.0)
    jump_na = [
        "double-unders need a higher jump by design"
        if j.style == "double_under"
        else "in an alternate step the stepping foot lifts by design; height is judged on two-foot jumps"
        if j.foot != "both"
        else None
        for j in c.jumps
    ]
    apex = np.array([j.apex_frame for j in c.jumps], int)
    return Measured(h, JUMP_HEIGHT.fails(h - unc), apex, jump_na=jump_na)


@_needs_feet
def _together(c: Ctx) -> Measured:
    if c.n and all(j.foot != "both" for j in c.jumps):
        return Measured.not_assessable(c.n, "alternate-foot steps land one foot at a time by design")
    gap = np.array([j.lr_touchdown_gap_s for j in c.jumps], float)
    dh = np.abs(np.array([j.lr_height_diff_cm for j in c.jumps], float))
    gap_max = max(TOUCHDOWN_GAP.threshold.value, T.touchdown_gap_min_frames.value / c.fps)
    faults = TOUCHDOWN_GAP.fails(gap, gap_max) | FOOT_HEIGHT_DIFF.fails(dh)
    jump_na = ["one-foot step by design" if j.foot != "both" else None for j in c.jumps]
    return Measured(gap, faults, c.landing_frames(), jump_na=jump_na)


@_needs_feet
def _soft(c: Ctx) -> Measured:
    """Peak upward acceleration of the hips in the 0.15 s after touchdown, as body weights."""
    t = c.t_s
    a = vertical_acceleration(c.metrics["hip_height_cm"] / 100.0, t)
    out = np.full(c.n, np.nan)
    frames = c.landing_frames().copy()
    for i, j in enumerate(c.jumps):
        lo = j.landing_frame
        hi = int(np.searchsorted(t, t[min(lo, len(t) - 1)] + 0.15)) + 1
        seg = a[lo:hi]
        if np.isfinite(seg).any():
            k = int(np.nanargmax(seg))
            out[i] = seg[k] / G_M_S2 + 1.0
            frames[i] = lo + k
    return Measured(out, LANDING_FORCE.fails(out), frames)


RULES = [
    Rule(
        id="landing.balls_of_feet",
        area="landing",
        title="Land on the balls of the feet, heels off the ground",
        advice="Stay light on the front of your feet; let the heels hover and only kiss the floor.",
        limits=(HEEL_ABOVE_TOE,),
        views=("side", "oblique"),
        measure=_balls,
    ),
    Rule(
        id="landing.knees_soft",
        area="landing",
        title="Knees slightly bent on landing, never locked",
        advice="Keep a soft bend in your knees as you land so they work like springs.",
        limits=(KNEE_LOCKED,),
        views=ALL,
        measure=_knees,
        fault_phrase="is locked",
    ),
    Rule(
        id="landing.jump_height",
        area="landing",
        title="Jump only as high as needed (about 2-5 cm)",
        advice="Clear the rope by a finger's width or two; a higher jump only adds impact.",
        limits=(JUMP_HEIGHT,),
        views=ALL,
        measure=_height,
        note=" (lower is fine)",
    ),
    Rule(
        id="landing.feet_together",
        area="landing",
        title="Both feet land together in a two-foot bounce",
        advice="Keep your feet side by side and let them leave and touch the floor at the same moment.",
        limits=(TOUCHDOWN_GAP, FOOT_HEIGHT_DIFF),
        views=("front", "oblique"),
        measure=_together,
    ),
    Rule(
        id="landing.soft_landing",
        area="landing",
        title="Soft, quiet landings (video proxy: how abruptly the body stops)",
        advice="Land quietly: roll through the forefoot and let ankles and knees absorb the landing.",
        limits=(LANDING_FORCE,),
        views=ALL,
        measure=_soft,
        fault_phrase="is a hard landing",
    ),
]
