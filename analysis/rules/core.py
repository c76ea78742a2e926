"""Core: trunk held steady ("tall and tight") so the spine is spared rotation."""

from __future__ import annotations

import numpy as np

from ..config import MEASUREMENT_ERRORS as E
from ..config import THRESHOLDS as T
from ..measure.view import MIN_PROJECTION
from .base import Limit, Measured, Rule, grade, graded
from .context import Ctx

TRUNK_SWAY = Limit(T.trunk_sway_max_deg, ">", "trunk sway in a jump")
TRUNK_TWIST = Limit(T.trunk_rotation_max, ">", "change of shoulder width in a jump (front and oblique views)")


def _steady(c: Ctx) -> Measured:
    """Sway: the range of the trunk's side tilt within each jump (a left-right angle, seen
    as |cos(yaw)|); twist: the relative change of the shoulders' width within a jump
    (shoulders turning toward the camera shrink, where the view shows their width)."""
    tilt = c.metrics["trunk_tilt_side_deg"]
    sway_img = c.cycle_stat("trunk_tilt_side_deg", lambda s: np.nanmax(s) - np.nanmin(s))
    sway, yaw_part = c.projected(sway_img, "frontal", "angle")
    s_sway = np.sqrt(E.trunk_sway_deg.value**2 + yaw_part**2)
    parts = [grade(TRUNK_SWAY, sway, s_sway)]
    if c.view_angle.front_factor >= MIN_PROJECTION:
        rot = c.cycle_stat("shoulder_width_px", lambda s: (np.nanmax(s) - np.nanmin(s)) / max(np.nanmedian(s), 1e-6))
        parts.append(grade(TRUNK_TWIST, rot, E.trunk_rotation_share.value))
    faults, borderline = graded(parts)
    return Measured(
        sway, faults, c.cycle_argworst(np.abs(tilt - np.nanmedian(tilt))), sigma=s_sway, borderline=borderline
    )


RULES = [
    Rule(
        id="core.trunk_steady",
        area="core",
        title="Core braced: trunk steady, no sway or twist between jumps",
        advice="Brace your midsection lightly, tall and tight, so your chest and hips move as one block.",
        limits=(TRUNK_SWAY, TRUNK_TWIST),
        plane="frontal",
        measure=_steady,
    ),
]
