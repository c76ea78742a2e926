"""Impact onsets (landings, rope slaps) heard in a soundtrack, and whether the track is usable."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..config import AUDIO_THRESHOLDS, AudioThresholds
from ..io.soundtrack import AudioTrack, SampleSource
from .levels import frame_levels_dbfs, onset_envelope, onset_framing, tonal_shares
from .librosa_import import librosa_module
from .trains import periodic_trains


@dataclass(frozen=True)
class Impacts:
    """Impact onsets (landings, rope slaps) heard in a track, plus whether it is usable.

    ``times_s`` are video-clock onset times; ``peak_dbfs`` the level (loudest ~12 ms
    RMS within ``impact_window_s`` after the onset). Only onsets at least
    ``min_impact_rel_background_db`` above ``background_dbfs`` are kept. ``clipped``
    marks impacts whose sample peak reached ``clip_dbfs`` (level is a lower bound).
    Usability evidence: ``bed_dbfs`` (median level), ``contrast_db`` (median rise of an
    impact over the trough before it), ``harmonic_fraction`` (tonal share of the clip),
    ``impact_harmonic_fraction`` (median tonal share right after onsets) and
    ``periodic_fraction`` (share of impacts inside periodic trains).
    """

    times_s: np.ndarray
    peak_dbfs: np.ndarray
    clipped: np.ndarray
    background_dbfs: float
    bed_dbfs: float
    max_dbfs: float
    contrast_db: float
    harmonic_fraction: float
    impact_harmonic_fraction: float
    periodic_fraction: float
    usable: bool
    reason: str
    duration_s: float

    @property
    def level_db_rel_background(self) -> np.ndarray:
        return self.peak_dbfs - self.background_dbfs

    def __len__(self) -> int:
        return int(self.times_s.size)


def detect_impacts(track: AudioTrack, thresholds: AudioThresholds = AUDIO_THRESHOLDS) -> Impacts:
    """Find impact onsets with librosa's onset detection and judge the track's usability."""
    return impacts_of_samples(track.samples, track.sample_rate_hz, track.start_s, track.duration_s, thresholds)


def impacts_of_samples(
    y: SampleSource,
    sr: int,
    start_s: float = 0.0,
    duration_s: float | None = None,
    thresholds: AudioThresholds = AUDIO_THRESHOLDS,
) -> Impacts:
    """:func:`detect_impacts` of mono float32 samples at ``sr`` Hz whose first plays at
    ``start_s`` (video clock): an array, or a soundtrack spooled to a file
    (``io.soundtrack.spool_audio``). Every step reads the samples a block at a time, so
    the memory it needs does not grow with the soundtrack's length beyond a few values
    per 3-ms frame (levels and onset strength)."""
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    th = thresholds
    duration_s = y.size / sr if duration_s is None else duration_s
    hop, n_fft = onset_framing(sr, th)
    empty = np.zeros(0)

    def _result(times, levels, bg, bed, mx, hf, pf, reason, clipped=None, contrast=np.nan, ihf=np.nan):
        return Impacts(
            times_s=np.asarray(times, dtype=np.float64),
            peak_dbfs=np.asarray(levels, dtype=np.float64),
            clipped=np.zeros(len(times), dtype=bool) if clipped is None else np.asarray(clipped, dtype=bool),
            background_dbfs=float(bg),
            bed_dbfs=float(bed),
            max_dbfs=float(mx),
            contrast_db=float(contrast),
            harmonic_fraction=float(hf),
            impact_harmonic_fraction=float(ihf),
            periodic_fraction=float(pf),
            usable=reason == "ok",
            reason=reason,
            duration_s=duration_s,
        )

    if y.size < max(n_fft * 4, int(0.5 * sr)):
        return _result(
            empty,
            empty,
            th.floor_dbfs.value,
            th.floor_dbfs.value,
            th.floor_dbfs.value,
            np.nan,
            0.0,
            f"audio too short ({duration_s:.2f} s)",
        )

    level_frame = max(2 * hop, int(2 ** round(math.log2(th.level_frame_s.value * sr))))
    rms_db = frame_levels_dbfs(y, sr, level_frame, hop, th)
    background = float(np.percentile(rms_db, th.background_percentile.value))
    bed = float(np.median(rms_db))
    loudest = float(rms_db.max())
    if loudest < th.near_silence_dbfs.value:
        return _result(
            empty,
            empty,
            background,
            bed,
            loudest,
            np.nan,
            0.0,
            f"near-silent audio (loudest {loudest:.0f} dBFS < {th.near_silence_dbfs.value:.0f} dBFS; "
            f"microphone muted or sound removed?)",
        )

    # librosa.onset.onset_strength(y=y, ..., n_mels=32, fmax=sr / 2), a block of frames at a
    # time (``onset_envelope``: the same numbers).
    env = onset_envelope(y, sr, n_fft, hop, n_mels=32, fmax=sr / 2)
    frames = librosa.onset.onset_detect(
        onset_envelope=env,
        sr=sr,
        hop_length=hop,
        units="frames",
        backtrack=False,
        wait=max(1, int(round(th.onset_wait_s.value * sr / hop))),
    )
    win = max(1, int(round(th.impact_window_s.value * sr / hop)))
    levels = np.array([rms_db[f : f + win].max() for f in frames]) if len(frames) else empty
    keep = levels >= background + th.min_impact_rel_background_db.value
    frames, levels = np.asarray(frames)[keep], levels[keep]
    times = start_s + librosa.frames_to_time(frames, sr=sr, hop_length=hop)
    span = int(round(th.impact_window_s.value * sr)) + level_frame
    clip_amp = 10 ** (th.clip_dbfs.value / 20)
    clipped = np.array([np.max(np.abs(y[f * hop : f * hop + span])) >= clip_amp for f in frames], dtype=bool)

    # Rise of each impact over the quietest point since the previous one.
    look = max(1, int(round(th.trough_window_s.value * sr / hop)))
    rises = []
    for k, f in enumerate(frames):
        start = max(0, f - look, (frames[k - 1] + 1) if k else 0)
        if f > start:
            rises.append(levels[k] - float(rms_db[start : f + 1].min()))
    contrast = float(np.median(rises)) if rises else float("nan")
    harmonic, impact_harmonic = tonal_shares(y, sr, times - start_s, th)

    trains = periodic_trains(times, levels, th)
    # Merged doubles count as periodic too: use the impacts inside train spans.
    in_train = np.zeros(times.size, dtype=bool)
    for train in trains:
        in_train |= (times >= times[train[0]] - 1e-9) & (times <= times[train[-1]] + 1e-9)
    periodic_fraction = float(in_train.mean()) if times.size else 0.0

    if harmonic > th.max_harmonic_fraction.value:
        reason = (
            f"music or voice dominates ({harmonic:.0%} of the sound is tonal; max {th.max_harmonic_fraction.value:.0%})"
        )
    elif times.size < th.min_impacts.value:
        reason = (
            f"no clear impacts ({times.size} onsets >= {th.min_impact_rel_background_db.value:.0f} dB "
            f"above background): landings inaudible (soft floor, very quiet landings or a "
            f"distant microphone)"
        )
    elif impact_harmonic > th.max_impact_harmonic_fraction.value:
        reason = (
            f"onsets are tonal, like speech or music notes, not impacts ({impact_harmonic:.0%} "
            f"tonal; max {th.max_impact_harmonic_fraction.value:.0%})"
        )
    elif contrast < th.min_contrast_db.value:
        reason = (
            f"impacts drowned by continuous sound (they rise only {contrast:.1f} dB above the "
            f"sound between them; need {th.min_contrast_db.value:.0f} dB)"
        )
    elif periodic_fraction < th.min_periodic_fraction.value:
        reason = (
            f"onsets are not rhythmic ({periodic_fraction:.0%} in a periodic train; "
            f"need {th.min_periodic_fraction.value:.0%})"
        )
    else:
        reason = "ok"
    return _result(
        times, levels, background, bed, loudest, harmonic, periodic_fraction, reason, clipped, contrast, impact_harmonic
    )
