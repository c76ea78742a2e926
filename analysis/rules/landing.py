"""Landing mechanics: balls of the feet, soft knees, small jumps, both feet together, soft landings."""

from __future__ import annotations

import numpy as np

from ..config import THRESHOLDS as T
from .base import Measured, Rule
from .context import Ctx

ALL = ("front", "side", "oblique")


def _needs_feet(measure):
    """Landing checks are not assessable (with the reason) when the feet cannot be seen:
    for the whole rule when they are out of frame in most jumps, else per jump."""

    def wrapped(c: Ctx) -> Measured:
        reason, per_jump = c.feet_assessability()
        if reason is not None:
            return Measured.not_assessable(c.n, reason)
        m = measure(c)
        if any(per_jump):
            own = m.jump_na or [None] * c.n
            m.jump_na = [a or b for a, b in zip(own, per_jump)]
        return m

    wrapped.__name__ = measure.__name__
    wrapped.__doc__ = measure.__doc__
    return wrapped


@_needs_feet
def _balls(c: Ctx) -> Measured:
    # Per foot at touchdown; the lower of the two decides (one heel strike is a heel strike).
    v = np.fmin(c.at_landing("heel_above_toe_cm_left"), c.at_landing("heel_above_toe_cm_right"))
    return Measured(v, v < T["heel_above_toe_min_cm"], c.landing_frames(), worse="low")


@_needs_feet
def _knees(c: Ctx) -> Measured:
    # The straighter knee at touchdown, and whether the knees bend at all afterwards.
    v = np.fmax(c.at_landing("knee_angle_deg_left"), c.at_landing("knee_angle_deg_right"))
    lowest = np.full(c.n, np.nan)
    for i, (a, b) in enumerate(c.cycles()):
        j = c.jumps[i]
        seg = np.fmax(c.metrics["knee_angle_deg_left"], c.metrics["knee_angle_deg_right"])[j.landing_frame : b]
        if np.isfinite(seg).any():
            lowest[i] = np.nanmin(seg)
    faults = (v >= T["knee_locked_deg"]) | (lowest >= T["knee_locked_deg"])
    return Measured(v, faults, c.landing_frames())


@_needs_feet
def _height(c: Ctx) -> Measured:
    h = np.array([j.height_cm_displacement for j in c.jumps], float)
    # Flag only what is clearly above the limit: subtract the scale's own uncertainty.
    unc = np.abs(h) * (c.scale_rel_uncertainty if np.isfinite(c.scale_rel_uncertainty) else 0.0)
    jump_na = [
        "double-unders need a higher jump by design" if j.style == "double_under"
        else "in an alternate step the stepping foot lifts by design; height is judged on two-foot jumps" if j.foot != "both"
        else None
        for j in c.jumps
    ]
    apex = np.array([j.apex_frame for j in c.jumps], int)
    return Measured(h, (h - unc) > T["jump_height_max_cm"], apex, jump_na=jump_na)


@_needs_feet
def _together(c: Ctx) -> Measured:
    if c.n and all(j.foot != "both" for j in c.jumps):
        return Measured.not_assessable(c.n, "alternate-foot steps land one foot at a time by design")
    gap = np.array([j.lr_touchdown_gap_s for j in c.jumps], float)
    dh = np.abs(np.array([j.lr_height_diff_cm for j in c.jumps], float))
    gap_max = max(T["touchdown_gap_max_s"], T["touchdown_gap_min_frames"] / c.fps)
    faults = (gap > gap_max) | (dh > T["foot_height_diff_max_cm"])
    jump_na = ["one-foot step by design" if j.foot != "both" else None for j in c.jumps]
    return Measured(gap, faults, c.landing_frames(), jump_na=jump_na)


@_needs_feet
def _soft(c: Ctx) -> Measured:
    """Peak upward acceleration of the hips in the 0.15 s after touchdown, as body weights."""
    h = c.metrics["hip_height_cm"] / 100.0
    t = c.t_s
    v = np.gradient(h, t)
    a = np.gradient(v, t)
    out = np.full(c.n, np.nan)
    frames = c.landing_frames().copy()
    for i, j in enumerate(c.jumps):
        lo = j.landing_frame
        hi = int(np.searchsorted(t, t[min(lo, len(t) - 1)] + 0.15)) + 1
        seg = a[lo:hi]
        if np.isfinite(seg).any():
            k = int(np.nanargmax(seg))
            out[i] = seg[k] / 9.81 + 1.0
            frames[i] = lo + k
    return Measured(out, out > T["landing_force_max_bw"], frames)


RULES = [
    Rule("landing.balls_of_feet", "landing", "Land on the balls of the feet, heels off the ground",
         "Stay light on the front of your feet; let the heels hover and only kiss the floor.",
         "heel_above_toe_min_cm", f"heel less than {T['heel_above_toe_min_cm']:g} cm above the toe at touchdown is a fault",
         ("side", "oblique"), _balls),
    Rule("landing.knees_soft", "landing", "Knees slightly bent on landing, never locked",
         "Keep a soft bend in your knees as you land so they work like springs.",
         "knee_locked_deg", f">= {T['knee_locked_deg']:g} deg knee angle at touchdown is locked", ALL, _knees),
    Rule("landing.jump_height", "landing", "Jump only as high as needed (about 2-5 cm)",
         "Clear the rope by a finger's width or two; a higher jump only adds impact.",
         "jump_height_max_cm", f"> {T['jump_height_max_cm']:g} cm foot clearance is a fault (lower is fine)", ALL, _height),
    Rule("landing.feet_together", "landing", "Both feet land together in a two-foot bounce",
         "Keep your feet side by side and let them leave and touch the floor at the same moment.",
         "touchdown_gap_max_s", f"> {T['touchdown_gap_max_s']:g} s (and > {T['touchdown_gap_min_frames']:g} frames) between the feet's touchdowns is a fault",
         ("front", "oblique"), _together),
    Rule("landing.soft_landing", "landing", "Soft, quiet landings (video proxy: how abruptly the body stops)",
         "Land quietly: roll through the forefoot and let ankles and knees absorb the landing.",
         "landing_force_max_bw", f"> {T['landing_force_max_bw']:g} body weights of hip deceleration is a hard landing", ALL, _soft),
]
