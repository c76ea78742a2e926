"""Sound evidence for the "quiet, soft landings" rule and an independent jump count.

Pure analysis code (no Streamlit, no MediaPipe): the clip's audio track is read with
PyAV, impacts (landings and rope slaps) are found with librosa's onset detection, the
audio clock is aligned to the video touchdowns, and each matched landing gets a level
relative to the clip's background and to the jumper's median landing.

Times are seconds on the *video* clock unless a name says otherwise: sample ``i`` of
an :class:`AudioTrack` plays at ``track.start_s + i / track.sample_rate_hz``.

Typical use::

    track = read_audio(clip_path)                       # None: no audio stream
    result = assess_quiet_landings(track, touchdown_times_s)
    if result.assessable:
        loud = [l.touchdown_s for l in result.landings if l.loud]
    else:
        print(result.reason)                            # never a fault
    if result.audio_count and result.audio_count.count is not None:
        diff = compare_counts(result.audio_count, video_touchdown_times_s, result.offset_s or 0.0)
"""

from __future__ import annotations

from ..config import AUDIO_THRESHOLDS, AudioThresholds
from ..io.soundtrack import AudioError, AudioTrack, read_audio
from .align import Alignment, align_onsets
from .count import CountComparison, audio_jump_count, compare_counts
from .evidence import QuietLandingsResult, SoundEvidence, assess_quiet_landings, sound_evidence
from .loudness import LandingSound, landing_loudness
from .onsets import Impacts, detect_impacts
from .trains import AudioCount, SkipBout

__all__ = [
    "AUDIO_THRESHOLDS",
    "Alignment",
    "AudioCount",
    "AudioError",
    "AudioThresholds",
    "AudioTrack",
    "CountComparison",
    "Impacts",
    "LandingSound",
    "QuietLandingsResult",
    "SkipBout",
    "SoundEvidence",
    "align_onsets",
    "assess_quiet_landings",
    "audio_jump_count",
    "compare_counts",
    "detect_impacts",
    "landing_loudness",
    "read_audio",
    "sound_evidence",
]
