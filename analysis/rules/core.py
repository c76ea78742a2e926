"""Core: trunk held steady ("tall and tight") so the spine is spared rotation."""

from __future__ import annotations

import numpy as np

from ..config import THRESHOLDS as T
from .base import Measured, Rule
from .context import Ctx


def _steady(c: Ctx) -> Measured:
    tilt = c.metrics["trunk_tilt_side_deg"]
    sway = c.cycle_stat("trunk_tilt_side_deg", lambda s: np.nanmax(s) - np.nanmin(s))
    faults = sway > T["trunk_sway_max_deg"]
    if c.view in ("front", "oblique"):
        rot = c.cycle_stat("shoulder_width_px", lambda s: (np.nanmax(s) - np.nanmin(s)) / max(np.nanmedian(s), 1e-6))
        faults = faults | (rot > T["trunk_rotation_max"])
    return Measured(sway, faults, c.cycle_argworst(np.abs(tilt - np.nanmedian(tilt))))


RULES = [
    Rule("core.trunk_steady", "core", "Core braced: trunk steady, no sway or twist between jumps",
         "Brace your midsection lightly, tall and tight, so your chest and hips move as one block.",
         "trunk_sway_max_deg", f"> {T['trunk_sway_max_deg']:g} deg trunk sway in a jump is a fault",
         ("front", "side", "oblique"), _steady),
]
