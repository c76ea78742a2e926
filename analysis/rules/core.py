"""Core: trunk held steady ("tall and tight") so the spine is spared rotation."""

from __future__ import annotations

import numpy as np

from ..config import THRESHOLDS as T
from .base import Limit, Measured, Rule
from .context import Ctx

TRUNK_SWAY = Limit(T.trunk_sway_max_deg, ">", "trunk sway in a jump")
TRUNK_TWIST = Limit(T.trunk_rotation_max, ">", "change of shoulder width in a jump (front and oblique views)")


def _steady(c: Ctx) -> Measured:
    tilt = c.metrics["trunk_tilt_side_deg"]
    sway = c.cycle_stat("trunk_tilt_side_deg", lambda s: np.nanmax(s) - np.nanmin(s))
    faults = TRUNK_SWAY.fails(sway)
    if c.view in ("front", "oblique"):
        rot = c.cycle_stat("shoulder_width_px", lambda s: (np.nanmax(s) - np.nanmin(s)) / max(np.nanmedian(s), 1e-6))
        faults = faults | TRUNK_TWIST.fails(rot)
    return Measured(sway, faults, c.cycle_argworst(np.abs(tilt - np.nanmedian(tilt))))


RULES = [
    Rule(
        id="core.trunk_steady",
        area="core",
        title="Core braced: trunk steady, no sway or twist between jumps",
        advice="Brace your midsection lightly, tall and tight, so your chest and hips move as one block.",
        limits=(TRUNK_SWAY, TRUNK_TWIST),
        views=("front", "side", "oblique"),
        measure=_steady,
    ),
]
