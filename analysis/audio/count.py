"""The jump count heard in the soundtrack, and where it disagrees with the video's count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import AUDIO_THRESHOLDS, AudioThresholds
from .align import Alignment, align_onsets
from .onsets import Impacts
from .trains import AudioCount, SkipBout, periodic_trains


def audio_jump_count(impacts: Impacts, thresholds: AudioThresholds = AUDIO_THRESHOLDS) -> AudioCount:
    """Count jumps as impacts in periodic trains (cadence within the thresholds' range)."""
    th = thresholds
    trains = periodic_trains(impacts.times_s, impacts.peak_dbfs, th)
    counted = np.zeros(impacts.times_s.size, dtype=bool)
    bouts = []
    for train in trains:
        counted[train] = True
        t = impacts.times_s[train]
        bouts.append(
            SkipBout(start_s=float(t[0]), end_s=float(t[-1]), count=int(t.size), period_s=float(np.median(np.diff(t))))
        )
    bouts.sort(key=lambda b: b.start_s)
    times = np.sort(impacts.times_s[counted])
    raw = int(times.size)
    return AudioCount(
        count=raw if impacts.usable else None,
        raw_count=raw,
        times_s=times,
        ignored_times_s=np.sort(impacts.times_s[~counted]),
        bouts=tuple(bouts),
        usable=impacts.usable,
        reason=impacts.reason,
    )


@dataclass(frozen=True)
class CountComparison:
    """Audio count vs video count, jump by jump (video-clock times)."""

    audio_count: int
    video_count: int
    matched: int
    audio_only_s: tuple[float, ...]
    video_only_s: tuple[float, ...]
    offset_s: float

    @property
    def difference(self) -> int:
        """Audio count minus video count."""
        return self.audio_count - self.video_count


def compare_counts(
    audio_count: AudioCount,
    video_times_s: Sequence[float] | np.ndarray,
    offset_s: float | None = None,
    tolerance_s: float = AUDIO_THRESHOLDS.match_tolerance_s.value,
) -> CountComparison:
    """Pair the counted impacts with the video's jump (touchdown) times to show where
    the two counts disagree. ``offset_s`` (audio minus video) is estimated when None."""
    video = np.asarray(video_times_s, dtype=np.float64).reshape(-1)
    audio = np.asarray(audio_count.times_s, dtype=np.float64)
    if offset_s is None:
        al = align_onsets(audio, video, tolerance_s=tolerance_s)
    else:
        al = align_onsets(audio - offset_s, video, 0.0, tolerance_s=tolerance_s)
        al = Alignment(**{**al.__dict__, "offset_s": float(offset_s), "impact_times_s": audio})
    return CountComparison(
        audio_count=int(audio.size),
        video_count=int(video.size),
        matched=al.n_matched,
        audio_only_s=tuple(float(audio[i]) for i in al.unmatched_impact_index),
        video_only_s=tuple(float(video[i]) for i in al.unmatched_touchdown_index),
        offset_s=float(al.offset_s),
    )
