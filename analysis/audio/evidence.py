"""The sound evidence of one clip: quiet landings for the rule, and the audio count against the video's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np

from ..config import AUDIO_THRESHOLDS, AudioThresholds
from ..io.soundtrack import AudioTrack
from .align import align_onsets
from .count import AudioCount, CountComparison, audio_jump_count, compare_counts
from .loudness import LandingSound, landing_loudness
from .onsets import Impacts, detect_impacts


@dataclass(frozen=True)
class QuietLandingsResult:
    """Audio evidence for the "quiet, soft landings" rule.

    ``status`` is 'assessed' (``landings`` hold per-touchdown levels and loud flags) or
    'not_assessable' (``reason`` says why: no audio, unusable audio, no match).
    Not assessable is never a fault.
    """

    status: Literal["assessed", "not_assessable"]
    reason: str
    landings: tuple[LandingSound, ...] = ()
    offset_s: float | None = None
    match_rate: float | None = None
    median_landing_dbfs: float | None = None
    background_dbfs: float | None = None
    audio_count: AudioCount | None = None
    impacts: Impacts | None = None

    @property
    def assessable(self) -> bool:
        return self.status == "assessed"

    @property
    def loud_landings(self) -> tuple[LandingSound, ...]:
        return tuple(ls for ls in self.landings if ls.loud)

    @property
    def n_loud(self) -> int:
        return len(self.loud_landings)

    def as_dict(self) -> dict:
        """Plain JSON-ready summary (per-landing evidence, offset, audio count)."""

        def _r(x: float | None, nd: int = 4) -> float | None:
            return None if x is None or x != x else round(float(x), nd)

        return {
            "status": self.status,
            "reason": self.reason,
            "offset_s": _r(self.offset_s),
            "match_rate": _r(self.match_rate, 3),
            "median_landing_dbfs": _r(self.median_landing_dbfs, 2),
            "background_dbfs": _r(self.background_dbfs, 2),
            "n_loud": self.n_loud,
            "landings": [
                {
                    "touchdown_s": _r(ls.touchdown_s),
                    "impact_s": _r(ls.impact_s),
                    "level_dbfs": _r(ls.level_dbfs, 2),
                    "level_db_rel_background": _r(ls.level_db_rel_background, 2),
                    "level_db_rel_median": _r(ls.level_db_rel_median, 2),
                    "loud": ls.loud,
                    "clipped": ls.clipped,
                }
                for ls in self.landings
            ],
            "audio_count": self.audio_count.as_dict() if self.audio_count is not None else None,
        }


def assess_quiet_landings(
    track: AudioTrack | None,
    touchdown_times_s: Sequence[float] | np.ndarray,
    thresholds: AudioThresholds = AUDIO_THRESHOLDS,
    impacts: Impacts | None = None,
) -> QuietLandingsResult:
    """Audio evidence for quiet landings: per-touchdown loudness, or why it can't be judged.

    ``touchdown_times_s`` are video-clock landing times from the pose track (non-finite
    ones are dropped; ``landings`` come back in time order). Pass ``impacts`` to reuse
    an earlier :func:`detect_impacts` result (then ``track`` is not needed; None for both:
    the clip has no soundtrack).
    """
    th = thresholds
    td = np.asarray(touchdown_times_s, dtype=np.float64).reshape(-1)
    td = np.sort(td[np.isfinite(td)])  # a touchdown the video could not time has no sound to match
    if impacts is None:
        if track is None:
            return QuietLandingsResult("not_assessable", "no audio track in the clip")
        impacts = detect_impacts(track, th)
    count = audio_jump_count(impacts, th)
    heard = partial(QuietLandingsResult, audio_count=count, impacts=impacts, background_dbfs=impacts.background_dbfs)
    if not impacts.usable:
        return heard("not_assessable", f"audio not usable: {impacts.reason}")
    if td.size == 0:
        return heard("not_assessable", "no touchdowns from the video to match")
    al = align_onsets(
        impacts.times_s, td, th.max_offset_s.value, tolerance_s=th.match_tolerance_s.value, step_s=th.align_step_s.value
    )
    aligned = partial(heard, offset_s=al.offset_s, match_rate=al.match_rate)
    if al.match_rate < th.min_match_rate.value:
        return aligned(
            "not_assessable",
            f"landing sounds do not match the video touchdowns ({al.n_matched}/{td.size} matched, "
            f"{al.match_rate:.0%} < {th.min_match_rate.value:.0%})",
        )
    clipped = float(impacts.clipped[al.impact_index].mean())
    if clipped > th.max_clipped_fraction.value:
        return aligned(
            "not_assessable",
            f"landing sounds clip ({clipped:.0%} reach full scale): the recording saturated, "
            f"so their loudness cannot be compared",
        )
    landings = landing_loudness(impacts, al, th)
    median = float(np.median(impacts.peak_dbfs[al.impact_index]))
    n_loud = sum(ls.loud for ls in landings)
    return aligned(
        "assessed",
        f"{al.n_matched}/{td.size} landings heard; {n_loud} loud",
        landings=landings,
        median_landing_dbfs=median,
    )


@dataclass(frozen=True)
class SoundEvidence:
    """Everything the soundtrack says about one clip, in one place: the quiet-landings
    evidence (for the rule) and, where the sound could count landings, the audio count
    against the video's jumps. ``to_dict()`` is the report's ``audio`` section."""

    quiet_landings: QuietLandingsResult
    count_comparison: CountComparison | None = None

    def to_dict(self) -> dict[str, Any]:
        cc = self.count_comparison
        return {
            "quiet_landings": self.quiet_landings.as_dict(),
            "count_comparison": None
            if cc is None
            else {
                "audio_count": cc.audio_count,
                "video_count": cc.video_count,
                "matched": cc.matched,
                "difference": cc.difference,
                "audio_only_s": list(cc.audio_only_s),
                "video_only_s": list(cc.video_only_s),
                "offset_s": cc.offset_s,
            },
        }


def sound_evidence(
    track: AudioTrack | None, touchdown_times_s: Sequence[float], impacts: Impacts | None = None
) -> SoundEvidence:
    """The clip's sound evidence from its track, the video's touchdown times and, when
    already detected, the track's impacts (the track is then not needed; both None: no
    audio stream)."""
    ql = assess_quiet_landings(track, touchdown_times_s, impacts=impacts)
    ac = ql.audio_count
    cc = None
    if ac is not None and ac.usable and ac.count is not None:
        cc = compare_counts(ac, touchdown_times_s)
    return SoundEvidence(ql, cc)
