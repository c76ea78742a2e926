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

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Sequence

import numpy as np

__all__ = [
    "AUDIO_THRESHOLDS",
    "Alignment",
    "AudioCount",
    "AudioError",
    "AudioThresholds",
    "AudioTrack",
    "Impacts",
    "LandingSound",
    "QuietLandingsResult",
    "SkipBout",
    "align_onsets",
    "assess_quiet_landings",
    "audio_jump_count",
    "compare_counts",
    "CountComparison",
    "detect_impacts",
    "landing_loudness",
    "read_audio",
]


class AudioError(ValueError):
    """The file has an audio stream but it cannot be decoded."""


@dataclass(frozen=True)
class AudioTrack:
    """Mono float32 audio in [-1, 1] at one sample rate.

    ``start_s`` is when the first sample plays on the video clock (audio stream start
    minus video stream start); ``duration_s`` is ``len(samples) / sample_rate_hz``.
    """

    samples: np.ndarray
    sample_rate_hz: int
    start_s: float = 0.0
    duration_s: float = field(default=-1.0)

    def __post_init__(self) -> None:
        samples = np.asarray(self.samples)
        if samples.dtype == np.float32:
            samples = samples.view()  # read-only view below; the caller's array stays writeable
        if samples.ndim != 1:
            raise ValueError(f"AudioTrack.samples must be 1-D (mono), got shape {samples.shape}")
        if samples.dtype != np.float32:
            samples = samples.astype(np.float32)
        if not np.all(np.isfinite(samples)):
            raise ValueError("AudioTrack.samples contains NaN or inf")
        if samples.size and float(np.max(np.abs(samples))) > 1.0 + 1e-4:
            raise ValueError("AudioTrack.samples must lie in [-1, 1] (float full scale)")
        if not isinstance(self.sample_rate_hz, (int, np.integer)) or self.sample_rate_hz <= 0:
            raise ValueError(f"AudioTrack.sample_rate_hz must be a positive int, got {self.sample_rate_hz!r}")
        if not math.isfinite(self.start_s):
            raise ValueError(f"AudioTrack.start_s must be finite, got {self.start_s!r}")
        samples.setflags(write=False)
        object.__setattr__(self, "samples", samples)
        object.__setattr__(self, "sample_rate_hz", int(self.sample_rate_hz))
        object.__setattr__(self, "start_s", float(self.start_s))
        expected = samples.size / self.sample_rate_hz
        if self.duration_s < 0:
            object.__setattr__(self, "duration_s", expected)
        elif abs(self.duration_s - expected) > 1.0 / self.sample_rate_hz:
            raise ValueError(
                f"AudioTrack.duration_s={self.duration_s} does not match "
                f"{samples.size} samples at {self.sample_rate_hz} Hz ({expected:.6f} s)"
            )

    def times_s(self) -> np.ndarray:
        """Video-clock time of every sample."""
        return self.start_s + np.arange(self.samples.size) / self.sample_rate_hz


# --------------------------------------------------------------------------- reading

#: Fraction of audio packets allowed to fail decoding before the stream counts as corrupt.
#: A phone clip may carry one damaged packet (a few ms of audio); more than this means
#: the stream is not the audio it claims to be.
_MAX_BAD_PACKET_FRACTION = 0.2


def _stream_start_s(stream) -> float | None:
    if stream.start_time is None or stream.time_base is None:
        return None
    return float(stream.start_time * stream.time_base)


def read_audio(
    path: str | Path,
    target_sr: int = 22050,
    max_duration_s: float | None = None,
) -> AudioTrack | None:
    """Read a clip's first audio stream as mono float32 at ``target_sr``.

    Returns ``None`` when the file has no audio stream. Raises ``FileNotFoundError`` for
    a missing file and :class:`AudioError` when the file cannot be opened as media or
    its audio stream cannot be decoded. Frames are decoded and resampled one by one
    (never the whole file in memory twice); ``max_duration_s`` stops early.
    ``start_s`` of the result is the audio start minus the video stream's start, so
    audio times line up with video frame times.
    """
    import av  # local: keeps `import analysis.audio` light

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if target_sr <= 0:
        raise ValueError(f"target_sr must be positive, got {target_sr}")
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        raise AudioError(f"{path.name}: cannot open as a media file ({exc})") from exc

    with container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        stream_index = stream.index
        video_start_s = 0.0
        if container.streams.video:
            video_start_s = _stream_start_s(container.streams.video[0]) or 0.0
        codec_name = getattr(stream.codec_context, "name", "?")
        if stream.codec_context is None or getattr(stream.codec_context, "sample_rate", 0) in (0, None):
            raise AudioError(f"{path.name}: audio stream #{stream_index} ({codec_name}) has no sample rate")

        resampler = av.AudioResampler(format="flt", layout="mono", rate=int(target_sr))
        chunks: list[np.ndarray] = []
        n_samples = 0
        max_samples = None if max_duration_s is None else int(round(max_duration_s * target_sr))
        first_pts_s: float | None = None
        n_packets = n_bad = 0
        last_error: Exception | None = None

        def _take(frames) -> None:
            nonlocal n_samples
            for out in frames:
                arr = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                chunks.append(arr)
                n_samples += arr.size

        try:
            for packet in container.demux(stream):
                if packet.size == 0 and packet.pts is None:
                    continue  # flush packet
                n_packets += 1
                try:
                    frames = packet.decode()
                except av.error.FFmpegError as exc:
                    n_bad += 1
                    last_error = exc
                    continue
                for frame in frames:
                    if frame.pts is not None and frame.time_base is not None:
                        frame_s = float(frame.pts * frame.time_base)
                        if first_pts_s is None:
                            first_pts_s = frame_s
                        # A packet lost to a decode error leaves a hole: fill it with
                        # silence so later samples keep their time stamps.
                        gap = int(round((frame_s - first_pts_s) * target_sr)) - n_samples
                        if gap > int(0.01 * target_sr):
                            chunks.append(np.zeros(gap, dtype=np.float32))
                            n_samples += gap
                    _take(resampler.resample(frame))
                if max_samples is not None and n_samples >= max_samples:
                    break
            try:
                for frame in stream.codec_context.decode(None):
                    _take(resampler.resample(frame))
            except av.error.FFmpegError:
                pass
            _take(resampler.resample(None))
        except av.error.FFmpegError as exc:
            raise AudioError(
                f"{path.name}: audio stream #{stream_index} ({codec_name}) failed to demux/decode: {exc}"
            ) from exc
        except ValueError as exc:  # e.g. resampler given a frame with an unknown layout
            raise AudioError(
                f"{path.name}: audio stream #{stream_index} ({codec_name}) cannot be converted: {exc}"
            ) from exc

    if n_packets and n_bad / n_packets > _MAX_BAD_PACKET_FRACTION:
        raise AudioError(
            f"{path.name}: audio stream #{stream_index} ({codec_name}) is corrupt: "
            f"{n_bad} of {n_packets} packets failed to decode (last error: {last_error})"
        )
    if n_samples == 0:
        if n_packets == 0:
            raise AudioError(f"{path.name}: audio stream #{stream_index} ({codec_name}) holds no packets")
        raise AudioError(
            f"{path.name}: audio stream #{stream_index} ({codec_name}) decoded to no samples"
            + (f" (last error: {last_error})" if last_error else "")
        )
    samples = np.concatenate(chunks)
    if max_samples is not None:
        samples = samples[:max_samples]
    np.clip(samples, -1.0, 1.0, out=samples)
    audio_start_s = first_pts_s if first_pts_s is not None else (_stream_start_s(stream) or 0.0)
    return AudioTrack(samples=samples, sample_rate_hz=int(target_sr), start_s=audio_start_s - video_start_s)


# --------------------------------------------------------------------------- thresholds


from ..config import AUDIO_THRESHOLDS, AudioThresholds  # noqa: E402 - thresholds live in config.py



def _db(x: np.ndarray | float, floor_dbfs: float) -> np.ndarray:
    """Amplitude -> dBFS with a floor (no -inf)."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(20.0 * np.log10(np.maximum(x, 1e-12)), floor_dbfs)


# --------------------------------------------------------------------------- impacts


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


def _framing(sr: int, th: AudioThresholds) -> tuple[int, int]:
    hop = int(2 ** round(math.log2(max(th.onset_hop_s * sr, 8.0))))
    return hop, 4 * hop


def _tonal_shares(y: np.ndarray, sr: int, onset_s: np.ndarray, th: AudioThresholds) -> tuple[float, float]:
    """Harmonic share of spectral power above ``harmonic_min_freq_hz`` (librosa HPSS):
    over the whole clip, and the median over ``impact_window_s`` after each onset.

    Sustained tones (music, voice) are harmonic; impacts are percussive. Bins below the
    cut are left out: a fast train of low thumps rings like a bass tone. The clip-wide
    share uses ~46 ms frames and a 17-frame (~0.4 s) median; the per-onset share ~23 ms
    frames every ~6 ms and a 31-frame (~0.18 s) median, so a syllable's vowel right
    after its consonant shows.
    """
    import librosa

    scale = 1 if sr <= 24000 else 2
    if y.size < 1024 * scale:
        return float("nan"), float("nan")
    n_fft = 1024 * scale
    power = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=n_fft // 2)) ** 2
    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz
    harmonic, percussive = librosa.decompose.hpss(power, kernel_size=17)
    h, p = float(harmonic[band].sum()), float(percussive[band].sum())
    overall = h / (h + p) if h + p > 0 else float("nan")
    if onset_s.size == 0:
        return overall, float("nan")

    # Per onset: HPSS only on the frames its medians need (the result equals HPSS of the
    # whole clip on the onset's frames), for at most 32 evenly spread onsets: a median
    # over 32 is a stable clip-level judgement and keeps long clips cheap.
    n_fft, hop, kernel = 512 * scale, 128 * scale, 31
    power = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop)) ** 2
    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz
    n_win = max(1, int(round(th.impact_window_s * sr / hop)))
    pick = onset_s if onset_s.size <= 32 else onset_s[np.linspace(0, onset_s.size - 1, 32).round().astype(int)]
    shares = []
    for t in pick:
        f = int(round(t * sr / hop))  # centred frames: frame f is centred on the onset
        lo, hi = max(0, f - kernel // 2), min(power.shape[1], f + n_win + 1 + kernel // 2)
        if hi - lo <= kernel // 2:
            continue
        harmonic, percussive = librosa.decompose.hpss(power[:, lo:hi], kernel_size=kernel)
        h = float(harmonic[band, f - lo: f - lo + n_win + 1].sum())
        p = float(percussive[band, f - lo: f - lo + n_win + 1].sum())
        if h + p > 0:
            shares.append(h / (h + p))
    return overall, (float(np.median(shares)) if shares else float("nan"))


def _frame_levels_dbfs(y: np.ndarray, sr: int, frame: int, hop: int, th: AudioThresholds) -> np.ndarray:
    """Short-time level (dBFS, RMS convention) of frames starting every ``hop`` samples.

    Frames start at their time stamp (no centring) so a level frame never reaches back
    before its onset. With ``level_weighting == "A"`` the power spectrum is A-weighted
    (calibrated so that a 1 kHz tone reads the same as plain RMS).
    """
    import librosa
    from scipy.signal import get_window

    padded = np.pad(y, (0, frame))
    if th.level_weighting == "flat":
        rms = librosa.feature.rms(y=padded, frame_length=frame, hop_length=hop, center=False)[0]
        return _db(rms, th.floor_dbfs)
    if th.level_weighting != "A":
        raise ValueError(f"level_weighting must be 'A' or 'flat', got {th.level_weighting!r}")
    power = np.abs(librosa.stft(padded, n_fft=frame, hop_length=hop, center=False, window="hann")) ** 2
    with np.errstate(divide="ignore"):
        weights = librosa.db_to_power(librosa.A_weighting(librosa.fft_frequencies(sr=sr, n_fft=frame),
                                                          min_db=-80.0))
    window = get_window("hann", frame, fftbins=True)
    # Parseval: mean square of the windowed frame = 2 * sum(one-sided |X|^2) / (N * sum(w^2)).
    mean_square = 2.0 * (weights[:, None] * power).sum(axis=0) / (frame * float(np.sum(window ** 2)))
    return np.maximum(10.0 * np.log10(np.maximum(mean_square, 1e-24)), th.floor_dbfs)


def detect_impacts(track: AudioTrack, thresholds: AudioThresholds = AUDIO_THRESHOLDS) -> Impacts:
    """Find impact onsets with librosa's onset detection and judge the track's usability."""
    import librosa

    th = thresholds
    y = np.asarray(track.samples, dtype=np.float32)
    sr = track.sample_rate_hz
    hop, n_fft = _framing(sr, th)
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
            duration_s=track.duration_s,
        )

    if y.size < max(n_fft * 4, int(0.5 * sr)):
        return _result(empty, empty, th.floor_dbfs, th.floor_dbfs, th.floor_dbfs, np.nan, 0.0,
                       f"audio too short ({track.duration_s:.2f} s)")

    level_frame = max(2 * hop, int(2 ** round(math.log2(th.level_frame_s * sr))))
    rms_db = _frame_levels_dbfs(y, sr, level_frame, hop, th)
    background = float(np.percentile(rms_db, th.background_percentile))
    bed = float(np.median(rms_db))
    loudest = float(rms_db.max())
    if loudest < th.near_silence_dbfs:
        return _result(empty, empty, background, bed, loudest, np.nan, 0.0,
                       f"near-silent audio (loudest {loudest:.0f} dBFS < {th.near_silence_dbfs:.0f} dBFS; "
                       f"microphone muted or sound removed?)")

    env = librosa.onset.onset_strength(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=32, fmax=sr / 2)
    frames = librosa.onset.onset_detect(
        onset_envelope=env, sr=sr, hop_length=hop, units="frames", backtrack=False,
        wait=max(1, int(round(th.onset_wait_s * sr / hop))),
    )
    win = max(1, int(round(th.impact_window_s * sr / hop)))
    levels = np.array([rms_db[f: f + win].max() for f in frames]) if len(frames) else empty
    keep = levels >= background + th.min_impact_rel_background_db
    frames, levels = np.asarray(frames)[keep], levels[keep]
    times = track.start_s + librosa.frames_to_time(frames, sr=sr, hop_length=hop)
    span = int(round(th.impact_window_s * sr)) + level_frame
    clip_amp = 10 ** (th.clip_dbfs / 20)
    clipped = np.array([np.max(np.abs(y[f * hop: f * hop + span])) >= clip_amp for f in frames], dtype=bool)

    # Rise of each impact over the quietest point since the previous one.
    look = max(1, int(round(th.trough_window_s * sr / hop)))
    rises = []
    for k, f in enumerate(frames):
        start = max(0, f - look, (frames[k - 1] + 1) if k else 0)
        if f > start:
            rises.append(levels[k] - float(rms_db[start: f + 1].min()))
    contrast = float(np.median(rises)) if rises else float("nan")
    harmonic, impact_harmonic = _tonal_shares(y, sr, times - track.start_s, th)

    trains = _periodic_trains(times, levels, th)
    # Merged doubles count as periodic too: use the impacts inside train spans.
    in_train = np.zeros(times.size, dtype=bool)
    for train in trains:
        in_train |= (times >= times[train[0]] - 1e-9) & (times <= times[train[-1]] + 1e-9)
    periodic_fraction = float(in_train.mean()) if times.size else 0.0

    if harmonic > th.max_harmonic_fraction:
        reason = (f"music or voice dominates ({harmonic:.0%} of the sound is tonal; "
                  f"max {th.max_harmonic_fraction:.0%})")
    elif times.size < th.min_impacts:
        reason = (f"no clear impacts ({times.size} onsets >= {th.min_impact_rel_background_db:.0f} dB "
                  f"above background): landings inaudible (soft floor, very quiet landings or a "
                  f"distant microphone)")
    elif impact_harmonic > th.max_impact_harmonic_fraction:
        reason = (f"onsets are tonal, like speech or music notes, not impacts ({impact_harmonic:.0%} "
                  f"tonal; max {th.max_impact_harmonic_fraction:.0%})")
    elif contrast < th.min_contrast_db:
        reason = (f"impacts drowned by continuous sound (they rise only {contrast:.1f} dB above the "
                  f"sound between them; need {th.min_contrast_db:.0f} dB)")
    elif periodic_fraction < th.min_periodic_fraction:
        reason = (f"onsets are not rhythmic ({periodic_fraction:.0%} in a periodic train; "
                  f"need {th.min_periodic_fraction:.0%})")
    else:
        reason = "ok"
    return _result(times, levels, background, bed, loudest, harmonic, periodic_fraction, reason, clipped,
                   contrast, impact_harmonic)


# --------------------------------------------------------------------------- periodic trains


def _bout_period(times: np.ndarray, th: AudioThresholds) -> tuple[float | None, float]:
    """Dominant period (s) of an impact train and its normalised autocorrelation there."""
    import librosa

    if times.size < 3:
        return None, 0.0
    dt = 0.005
    span = float(times[-1] - times[0])
    max_lag_s = 1.0 / th.min_cadence_hz * (1 + th.period_tolerance)
    n = int(math.ceil((span + 8 * th.periodicity_blur_s) / dt)) + 1
    grid = np.zeros(n)
    idx = np.round((times - times[0] + 4 * th.periodicity_blur_s) / dt).astype(int)
    np.add.at(grid, idx, 1.0)
    from scipy.ndimage import gaussian_filter1d

    grid = gaussian_filter1d(grid, th.periodicity_blur_s / dt, mode="constant")
    ac = librosa.autocorrelate(grid, max_size=min(n, int(max_lag_s / dt) + 2))
    if ac[0] <= 0:
        return None, 0.0
    lags = np.arange(ac.size)
    # Unbiased: a train of length L overlaps itself by (L - lag) at lag.
    overlap = np.clip((n - lags) / n, 1e-3, None)
    acn = ac / overlap / ac[0]
    lo = int(math.floor(1.0 / th.max_cadence_hz / dt))
    hi = min(ac.size - 1, int(math.ceil(1.1 / th.min_cadence_hz / dt)))  # margin: a peak needs a neighbour
    if hi <= lo + 1:
        return None, 0.0
    seg = acn[lo: hi + 1]
    # local maxima within the cadence range
    peaks = [i for i in range(1, seg.size - 1) if seg[i] >= seg[i - 1] and seg[i] >= seg[i + 1]]
    if not peaks:
        return None, 0.0
    best = max(seg[i] for i in peaks)
    # Smallest lag close to the best one: the fundamental, not a multiple of it.
    first = min(i for i in peaks if seg[i] >= 0.8 * best)
    return (lo + first) * dt, float(min(seg[first], 1.0))


def _periodic_trains(times: np.ndarray, levels: np.ndarray, th: AudioThresholds) -> list[np.ndarray]:
    """Index arrays (into ``times``) of the impacts that form periodic trains.

    Impacts are split into bouts at gaps longer than the slowest cadence allows; per bout
    the period comes from the autocorrelation of the impact train; impacts closer than
    ``merge_fraction_of_period`` of it are merged (louder kept); consecutive impacts one
    period apart (+-tolerance) are chained; chains of ``min_train_impacts`` or more count.
    """
    times = np.asarray(times, dtype=np.float64)
    levels = np.asarray(levels, dtype=np.float64)
    if times.size < th.min_train_impacts:
        return []
    order = np.argsort(times, kind="stable")
    ts, lv = times[order], levels[order]
    max_gap = (1.0 / th.min_cadence_hz) * (1 + th.period_tolerance)
    cuts = np.flatnonzero(np.diff(ts) > max_gap) + 1
    trains: list[np.ndarray] = []
    for bout in np.split(np.arange(ts.size), cuts):
        if bout.size < th.min_train_impacts:
            continue
        period, score = _bout_period(ts[bout], th)
        if period is None or score < th.min_periodicity:
            continue
        kept: list[int] = []
        for i in bout:
            if kept and ts[i] - ts[kept[-1]] < th.merge_fraction_of_period * period:
                if lv[i] > lv[kept[-1]]:
                    kept[-1] = i
                continue
            kept.append(i)
        lo, hi = (1 - th.period_tolerance) * period, (1 + th.period_tolerance) * period
        run = [kept[0]]
        for a, b in zip(kept[:-1], kept[1:]):
            if lo <= ts[b] - ts[a] <= hi:
                run.append(b)
            else:
                if len(run) >= th.min_train_impacts:
                    trains.append(order[np.array(run)])
                run = [b]
        if len(run) >= th.min_train_impacts:
            trains.append(order[np.array(run)])
    return trains


@dataclass(frozen=True)
class SkipBout:
    """One periodic run of impacts counted as jumps."""

    start_s: float
    end_s: float
    count: int
    period_s: float

    @property
    def cadence_hz(self) -> float:
        return 1.0 / self.period_s if self.period_s > 0 else float("nan")


@dataclass(frozen=True)
class AudioCount:
    """Jump count heard in the audio, independent of the video.

    ``count`` is None when the track is not usable (then ``raw_count`` is what the
    periodic-train rule would say, e.g. counting music beats). ``times_s`` are the
    counted impacts; ``ignored_times_s`` impacts outside any periodic train.
    """

    count: int | None
    raw_count: int
    times_s: np.ndarray
    ignored_times_s: np.ndarray
    bouts: tuple[SkipBout, ...]
    usable: bool
    reason: str

    @property
    def cadence_hz(self) -> float | None:
        """Median impact rate over the counted bouts."""
        if not self.bouts:
            return None
        return float(np.median([b.cadence_hz for b in self.bouts]))

    def as_dict(self) -> dict:
        """Plain JSON-ready summary."""
        return {
            "count": self.count,
            "raw_count": self.raw_count,
            "usable": self.usable,
            "reason": self.reason,
            "cadence_hz": self.cadence_hz,
            "times_s": [round(float(t), 4) for t in self.times_s],
            "ignored_times_s": [round(float(t), 4) for t in self.ignored_times_s],
            "bouts": [{"start_s": b.start_s, "end_s": b.end_s, "count": b.count, "period_s": b.period_s}
                      for b in self.bouts],
        }


def audio_jump_count(impacts: Impacts, thresholds: AudioThresholds = AUDIO_THRESHOLDS) -> AudioCount:
    """Count jumps as impacts in periodic trains (cadence within the thresholds' range)."""
    th = thresholds
    trains = _periodic_trains(impacts.times_s, impacts.peak_dbfs, th)
    counted = np.zeros(impacts.times_s.size, dtype=bool)
    bouts = []
    for train in trains:
        counted[train] = True
        t = impacts.times_s[train]
        bouts.append(SkipBout(start_s=float(t[0]), end_s=float(t[-1]), count=int(t.size),
                              period_s=float(np.median(np.diff(t)))))
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


# --------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Alignment:
    """Audio-video clock alignment: ``impact_time ~= touchdown_time + offset_s``.

    ``touchdown_index[k]`` is matched to ``impact_index[k]`` (one-to-one);
    ``residual_s[k]`` = impact - (touchdown + offset). ``match_rate`` is the matched
    share of touchdowns (0 when there are none).
    """

    offset_s: float
    touchdown_times_s: np.ndarray
    impact_times_s: np.ndarray
    touchdown_index: np.ndarray
    impact_index: np.ndarray
    residual_s: np.ndarray
    unmatched_touchdown_index: np.ndarray
    unmatched_impact_index: np.ndarray
    match_rate: float

    @property
    def n_matched(self) -> int:
        return int(self.touchdown_index.size)

    @property
    def pairs_s(self) -> list[tuple[float, float]]:
        """(touchdown_s, impact_s) per match."""
        return [(float(self.touchdown_times_s[i]), float(self.impact_times_s[j]))
                for i, j in zip(self.touchdown_index, self.impact_index)]


def _greedy_match(td: np.ndarray, imp: np.ndarray, offset: float, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matches within ``tol``, closest pairs first."""
    if td.size == 0 or imp.size == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    diff = imp[None, :] - (td[:, None] + offset)
    ii, jj = np.nonzero(np.abs(diff) <= tol)
    if ii.size == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    order = np.argsort(np.abs(diff[ii, jj]), kind="stable")
    used_t, used_i, out_t, out_i = set(), set(), [], []
    for k in order:
        a, b = int(ii[k]), int(jj[k])
        if a in used_t or b in used_i:
            continue
        used_t.add(a)
        used_i.add(b)
        out_t.append(a)
        out_i.append(b)
    srt = np.argsort(out_t)
    return np.asarray(out_t, dtype=int)[srt], np.asarray(out_i, dtype=int)[srt]


def align_onsets(
    impact_times_s: Sequence[float] | np.ndarray,
    touchdown_times_s: Sequence[float] | np.ndarray,
    max_offset_s: float = AUDIO_THRESHOLDS.max_offset_s,
    *,
    tolerance_s: float = AUDIO_THRESHOLDS.match_tolerance_s,
    step_s: float = AUDIO_THRESHOLDS.align_step_s,
) -> Alignment:
    """Estimate the audio-video offset and match each touchdown to at most one impact.

    Offsets in ``[-max_offset_s, max_offset_s]`` are tried in ``step_s`` steps; each run
    of offsets matching the most touchdowns within ``tolerance_s`` is refined by the
    median residual of its matches; the most matches win, ties go to the offset nearest
    zero (so landings beat rope slaps heard a fixed time before them).
    """
    imp = np.asarray(impact_times_s, dtype=np.float64).reshape(-1)
    td = np.asarray(touchdown_times_s, dtype=np.float64).reshape(-1)
    if not (np.all(np.isfinite(imp)) and np.all(np.isfinite(td))):
        raise ValueError("align_onsets: times must be finite")
    if max_offset_s < 0 or tolerance_s <= 0 or step_s <= 0:
        raise ValueError("align_onsets: max_offset_s >= 0, tolerance_s > 0 and step_s > 0 required")

    n_steps = int(round(max_offset_s / step_s))
    offsets = np.arange(-n_steps, n_steps + 1) * step_s
    counts = np.array([_greedy_match(td, imp, o, tolerance_s)[0].size for o in offsets])
    best_count = int(counts.max()) if counts.size else 0

    def _refine(offset: float) -> tuple[float, np.ndarray, np.ndarray]:
        a, b = _greedy_match(td, imp, offset, tolerance_s)
        for _ in range(3):  # move to the median residual while no match is lost
            if a.size == 0:
                break
            new = float(np.clip(offset + np.median(imp[b] - td[a] - offset), -max_offset_s, max_offset_s))
            a2, b2 = _greedy_match(td, imp, new, tolerance_s)
            if a2.size < a.size or abs(new - offset) < 1e-6:
                break
            offset, a, b = new, a2, b2
        return offset, a, b

    # Every run of offsets reaching the best count is a candidate (e.g. landings vs rope
    # slaps a fixed time earlier); refine each from its centre, then prefer the most
    # matches, then the offset nearest zero (phones keep A/V within tens of ms).
    candidates = []
    if best_count > 0:
        at_best = np.flatnonzero(counts == best_count)
        for run in np.split(at_best, np.flatnonzero(np.diff(at_best) > 1) + 1):
            candidates.append(_refine(float(offsets[run[len(run) // 2]])))
    if candidates:
        offset, a, b = max(candidates, key=lambda c: (c[1].size, -abs(c[0])))
    else:
        offset, a, b = 0.0, np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return Alignment(
        offset_s=float(offset),
        touchdown_times_s=td,
        impact_times_s=imp,
        touchdown_index=a,
        impact_index=b,
        residual_s=imp[b] - td[a] - offset,
        unmatched_touchdown_index=np.setdiff1d(np.arange(td.size), a),
        unmatched_impact_index=np.setdiff1d(np.arange(imp.size), b),
        match_rate=float(a.size / td.size) if td.size else 0.0,
    )


# --------------------------------------------------------------------------- loudness


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
        loud = rel_med > th.loud_rel_median_db and rel_bg >= th.loud_min_rel_background_db
        out.append(LandingSound(float(td), float(impacts.times_s[j]), lvl, rel_bg, rel_med, bool(loud),
                                clipped=bool(impacts.clipped[j])))
    return tuple(out)


# --------------------------------------------------------------------------- the rule's evidence


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
        return tuple(l for l in self.landings if l.loud)

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
                    "touchdown_s": _r(l.touchdown_s),
                    "impact_s": _r(l.impact_s),
                    "level_dbfs": _r(l.level_dbfs, 2),
                    "level_db_rel_background": _r(l.level_db_rel_background, 2),
                    "level_db_rel_median": _r(l.level_db_rel_median, 2),
                    "loud": l.loud,
                    "clipped": l.clipped,
                }
                for l in self.landings
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
    an earlier :func:`detect_impacts` result.
    """
    th = thresholds
    td = np.asarray(touchdown_times_s, dtype=np.float64).reshape(-1)
    td = np.sort(td[np.isfinite(td)])  # a touchdown the video could not time has no sound to match
    if track is None:
        return QuietLandingsResult("not_assessable", "no audio track in the clip")
    if impacts is None:
        impacts = detect_impacts(track, th)
    count = audio_jump_count(impacts, th)
    common = dict(audio_count=count, impacts=impacts, background_dbfs=impacts.background_dbfs)
    if not impacts.usable:
        return QuietLandingsResult("not_assessable", f"audio not usable: {impacts.reason}", **common)
    if td.size == 0:
        return QuietLandingsResult("not_assessable", "no touchdowns from the video to match", **common)
    al = align_onsets(impacts.times_s, td, th.max_offset_s, tolerance_s=th.match_tolerance_s,
                      step_s=th.align_step_s)
    common.update(offset_s=al.offset_s, match_rate=al.match_rate)
    if al.match_rate < th.min_match_rate:
        return QuietLandingsResult(
            "not_assessable",
            f"landing sounds do not match the video touchdowns ({al.n_matched}/{td.size} matched, "
            f"{al.match_rate:.0%} < {th.min_match_rate:.0%})",
            **common,
        )
    clipped = float(impacts.clipped[al.impact_index].mean())
    if clipped > th.max_clipped_fraction:
        return QuietLandingsResult(
            "not_assessable",
            f"landing sounds clip ({clipped:.0%} reach full scale): the recording saturated, "
            f"so their loudness cannot be compared",
            **common,
        )
    landings = landing_loudness(impacts, al, th)
    median = float(np.median(impacts.peak_dbfs[al.impact_index]))
    n_loud = sum(l.loud for l in landings)
    return QuietLandingsResult(
        "assessed",
        f"{al.n_matched}/{td.size} landings heard; {n_loud} loud",
        landings=landings,
        median_landing_dbfs=median,
        **common,
    )


# --------------------------------------------------------------------------- count comparison


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
    tolerance_s: float = AUDIO_THRESHOLDS.match_tolerance_s,
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
