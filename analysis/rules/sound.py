"""Quiet, soft landings heard from the clip's soundtrack (``analysis/audio/``).

A landing is loud when its impact stands out from the jumper's own median landing (and
clearly from the room's background): relative levels, so any microphone works. Not
assessable without a soundtrack, when music or voice drowns the impacts, when the
recording saturated, or when the sounds do not line up with the video's landings.
"""

from __future__ import annotations

import numpy as np

from ..config import AUDIO_THRESHOLDS as A
from .base import Limit, Measured, Rule
from .context import Ctx

LOUD = Limit(
    A.loud_rel_median_db,
    ">",
    "above your median landing",
    also=Limit(A.loud_min_rel_background_db, ">=", "over the room"),
)


def _quiet(c: Ctx) -> Measured:
    ql = c.sound
    if ql is None:
        return Measured.not_assessable(c.n, "the soundtrack was not analysed")
    if not ql.assessable:
        return Measured.not_assessable(c.n, f"landing sounds not assessable: {ql.reason}")
    values = np.full(c.n, np.nan)
    faults = np.zeros(c.n, bool)
    jump_na: list[str | None] = ["no impact heard at this landing"] * c.n
    # The sound module was given exactly the jumps' landing times: look them up.
    by_landing = {round(j.landing_s, 6): i for i, j in enumerate(c.jumps)}
    for ls in ql.landings:
        if not ls.matched or ls.level_db_rel_median is None:
            continue
        i = by_landing.get(round(ls.touchdown_s, 6))
        if i is None:
            continue
        values[i] = ls.level_db_rel_median
        faults[i] = bool(ls.loud)
        jump_na[i] = "the impact clipped the microphone" if ls.clipped else None
    return Measured(values, faults, c.landing_frames(), jump_na=jump_na)


RULES = [
    Rule(
        id="landing.quiet_landings",
        area="landing",
        title="Quiet landings (heard from the soundtrack)",
        advice="Land softly and quietly on the balls of your feet; a slap you can hear is force your joints absorb.",
        limits=(LOUD,),  # applied by the sound module (audio/loudness.py) to each landing
        plane="any",
        measure=_quiet,
        fault_phrase="is loud",
    ),
]
