"""How loud each landing is, against the room and against the jumper's own median landing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config import AUDIO_THRESHOLDS, AudioThresholds
from .align import Alignment
from .onsets import Impacts


@dataclass(frozen=True)
class LandingSound:
    """Audio evidence for one video touchdown (levels are None when unmatched)."""

    touchdown_s: float
    impact_s: float | None
    level_dbfs: float | None
    level_db_rel_background: float | None
    level_db_rel_median: float | None
    loud: bool
    #: The impact reached full scale: its level is a lower bound.
    clipped: bool = False

    @property
    def matched(self) -> bool:
        return self.impact_s is not None


def landing_loudness(
    impacts: Impacts,
    alignment: Alignment,
    thresholds: AudioThresholds = AUDIO_THRESHOLDS,
) -> tuple[LandingSound, ...]:
    """Per touchdown: level vs background and vs the median matched landing; loud flag.

    ``alignment`` must have been made from ``impacts.times_s``. Loud = more than
    ``loud_rel_median_db`` above the median landing AND at least
    ``loud_min_rel_background_db`` above the background.
    """
    th = thresholds
    if alignment.impact_times_s.size != impacts.times_s.size:
        raise ValueError("landing_loudness: alignment was not made from these impacts")
    levels = impacts.peak_dbfs[alignment.impact_index]
    median = float(np.median(levels)) if levels.size else float("nan")
    by_td = {int(t): int(i) for t, i in zip(alignment.touchdown_index, alignment.impact_index)}
    out = []
    for k, td in enumerate(alignment.touchdown_times_s):
        j = by_td.get(k)
        if j is None:
            out.append(LandingSound(float(td), None, None, None, None, False))
            continue
        lvl = float(impacts.peak_dbfs[j])
        rel_bg = lvl - impacts.background_dbfs
        rel_med = lvl - median
        loud = rel_med > th.loud_rel_median_db.value and rel_bg >= th.loud_min_rel_background_db.value
        out.append(
            LandingSound(
                float(td), float(impacts.times_s[j]), lvl, rel_bg, rel_med, bool(loud), clipped=bool(impacts.clipped[j])
            )
        )
    return tuple(out)
