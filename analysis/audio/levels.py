"""Short-time levels, onset framing and tonal shares of a soundtrack (librosa)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import get_window

from ..config import AudioThresholds
from ..io.soundtrack import SampleSource
from .librosa_import import librosa_module

#: Level frames whose spectrum is computed at once (a few seconds of sound at any rate).
LEVEL_BLOCK_FRAMES = 2048


def level_dbfs(x: np.ndarray | float, floor_dbfs: float) -> np.ndarray:
    """Amplitude -> dBFS with a floor (no -inf)."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(20.0 * np.log10(np.maximum(x, 1e-12)), floor_dbfs)


def onset_framing(sr: int, th: AudioThresholds) -> tuple[int, int]:
    hop = int(2 ** round(math.log2(max(th.onset_hop_s.value * sr, 8.0))))
    return hop, 4 * hop


def centred_frames(y: SampleSource, n_fft: int, hop: int, lo: int, hi: int) -> np.ndarray:
    """The samples of centred frames [lo, hi) (frame ``t`` centred on sample ``t * hop``),
    zero-padded past the ends exactly as ``librosa.stft(center=True)`` pads the whole
    signal: ``librosa.stft(..., center=False)`` of them gives those frames' columns."""
    a, b = lo * hop - n_fft // 2, (hi - 1) * hop - n_fft // 2 + n_fft
    return np.pad(y[max(0, a) : min(y.size, b)], (max(0, -a), max(0, b - y.size)))


def _mel_blocks(
    y: SampleSource, sr: int, n_fft: int, hop: int, n_mels: int, fmax: float
) -> Iterator[tuple[int, int, np.ndarray]]:
    """(lo, hi, mel power of centred frames [lo, hi)) for the blocks of
    :data:`LEVEL_BLOCK_FRAMES` frames that :func:`mel_power` is made of, in order."""
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    basis = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmax=fmax)
    n = 1 + y.size // hop
    dtype = np.result_type(y.dtype, np.float32)
    for lo in range(0, n, LEVEL_BLOCK_FRAMES):
        hi = min(n, lo + LEVEL_BLOCK_FRAMES)
        power = np.abs(librosa.stft(centred_frames(y, n_fft, hop, lo, hi), n_fft=n_fft, hop_length=hop, center=False))
        yield lo, hi, np.einsum("...ft,mf->...mt", power**2, basis, optimize=True).astype(dtype, copy=False)


def mel_power(y: SampleSource, sr: int, n_fft: int, hop: int, n_mels: int, fmax: float) -> np.ndarray:
    """``librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels,
    fmax=fmax)`` computed a block of frames at a time: the same numbers, without ever holding
    the whole clip's (much larger) linear spectrogram."""
    n = 1 + y.size // hop
    out = np.empty((n_mels, n), dtype=np.result_type(y.dtype, np.float32))
    for lo, hi, mel in _mel_blocks(y, sr, n_fft, hop, n_mels, fmax):
        out[:, lo:hi] = mel
    return out


def onset_envelope(
    y: SampleSource, sr: int, n_fft: int, hop: int, n_mels: int, fmax: float, top_db: float = 80.0
) -> np.ndarray:
    """``librosa.onset.onset_strength(S=librosa.power_to_db(mel_power(y, ...), top_db=top_db),
    sr=sr, n_fft=n_fft, hop_length=hop)`` a block of frames at a time: the same numbers,
    without holding the clip's mel spectrogram (32 values a frame every 3 ms) or its dB copy.

    The dB spectrogram is floored at ``top_db`` below its loudest bin over the whole clip,
    known only at the end: each block's envelope is computed without the floor, and a block
    holding a bin under the final floor (silence 80 dB below the loudest sound) is
    computed again with it."""
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    n = 1 + y.size // hop
    lag = 1  # onset_strength's defaults: difference with the frame before, no maximum filter
    rise = np.zeros(n, dtype=np.result_type(y.dtype, np.float32))  # [t]: the envelope's value from frames t-1, t
    blocks: list[tuple[int, int, np.ndarray, np.ndarray | None]] = []  # (lo, hi, [lowest dB], dB of frame lo - 1)
    peak = None
    before: np.ndarray | None = None  # dB of the last frame of the previous block

    def rises(db: np.ndarray, prev: np.ndarray | None) -> np.ndarray:
        """The envelope's values at the block's frames (from its first frame's predecessor on)."""
        cols = db if prev is None else np.concatenate([prev[:, None], db], axis=1)
        # librosa's own steps on these columns (center=False: no shift, one leading zero).
        return librosa.onset.onset_strength(S=cols, sr=sr, n_fft=n_fft, hop_length=hop, lag=lag, center=False)[1:]

    for lo, hi, mel in _mel_blocks(y, sr, n_fft, hop, n_mels, fmax):
        db = librosa.power_to_db(mel, top_db=None)
        block_peak = db.max()
        peak = block_peak if peak is None else max(peak, block_peak)
        low = np.array([db.min() if before is None else min(db.min(), before.min())])  # [1], db's dtype
        rise[lo + (before is None) : hi] = rises(db, before)
        blocks.append((lo, hi, low, before))
        before = db[:, -1].copy()
    if peak is not None:
        floor = peak - top_db  # as power_to_db floors: log_spec.max() - top_db
        # A block is computed again where the floor raises its lowest bin (compared as the floor is applied).
        redo = [(lo, hi, prev) for lo, hi, low, prev in blocks if np.maximum(low, floor)[0] != low[0]]
        if redo:
            todo = {lo: (hi, prev) for lo, hi, prev in redo}
            for lo, hi, mel in _mel_blocks(y, sr, n_fft, hop, n_mels, fmax):
                if lo in todo:
                    prev = todo[lo][1]
                    db = np.maximum(librosa.power_to_db(mel, top_db=None), floor)
                    rise[lo + (prev is None) : hi] = rises(db, None if prev is None else np.maximum(prev, floor))
    # onset_strength(center=True) shifts by lag + n_fft // (2 * hop) frames with leading zeros.
    shift = lag + n_fft // (2 * hop)
    env = np.zeros_like(rise)
    env[shift:] = rise[lag : n - shift + lag]
    return env


def hpss_power(power: np.ndarray, kernel: int) -> tuple[np.ndarray, np.ndarray]:
    """(harmonic, percussive) parts of a power spectrogram [bins, frames]: the same numbers as
    ``librosa.decompose.hpss(power, kernel_size=kernel)`` (median filters along time and
    along frequency, soft masks of power 2, margin 1), step for step, without importing
    ``librosa.decompose``, which imports scikit-learn and pandas at its top (about a second
    of CPU per analysis for nothing HPSS uses)."""
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    harm = np.empty_like(power)
    harm[:] = median_filter(power, size=[1, kernel], mode="reflect")
    perc = np.empty_like(power)
    perc[:] = median_filter(power, size=[kernel, 1], mode="reflect")
    mask_harm = librosa.util.softmask(harm, perc, power=2.0, split_zeros=True)
    mask_perc = librosa.util.softmask(perc, harm, power=2.0, split_zeros=True)
    return power * mask_harm, power * mask_perc


def tonal_shares(y: SampleSource, sr: int, onset_s: np.ndarray, th: AudioThresholds) -> tuple[float, float]:
    """Harmonic share of spectral power above ``harmonic_min_freq_hz`` (librosa HPSS):
    over the whole clip, and the median over ``impact_window_s`` after each onset.

    Sustained tones (music, voice) are harmonic; impacts are percussive. Bins below the
    cut are left out: a fast train of low thumps rings like a bass tone. The clip-wide
    share uses ~46 ms frames and a 17-frame (~0.4 s) median; the per-onset share ~23 ms
    frames every ~6 ms and a 31-frame (~0.18 s) median, so a syllable's vowel right
    after its consonant shows.
    """
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    scale = 1 if sr <= 24000 else 2
    if y.size < 1024 * scale:
        return float("nan"), float("nan")
    n_fft, hop, kernel = 1024 * scale, 512 * scale, 17
    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz.value
    # HPSS of the whole clip's spectrogram, a block of frames at a time: the time median
    # needs kernel // 2 frames either side, so each block is computed with that margin and
    # only its own frames are summed (the same harmonic and percussive power per bin and
    # frame as HPSS of the whole spectrogram; the sums are taken in double precision, block
    # by block, so no array of the clip's length is ever held).
    n_cols = 1 + y.size // hop
    h = p = 0.0
    for lo in range(0, n_cols, LEVEL_BLOCK_FRAMES):
        hi = min(n_cols, lo + LEVEL_BLOCK_FRAMES)
        a, b = max(0, lo - kernel // 2), min(n_cols, hi + kernel // 2)
        frames = centred_frames(y, n_fft, hop, a, b)
        power = np.abs(librosa.stft(frames, n_fft=n_fft, hop_length=hop, center=False)) ** 2
        hp, pp = hpss_power(power, kernel)
        h += float(np.sum(hp[band, lo - a : hi - a], dtype=np.float64))
        p += float(np.sum(pp[band, lo - a : hi - a], dtype=np.float64))
    overall = h / (h + p) if h + p > 0 else float("nan")
    if onset_s.size == 0:
        return overall, float("nan")

    # Per onset: the spectrum and HPSS only on the frames its medians need (the result
    # equals HPSS of the whole clip on the onset's frames), for at most 32 evenly spread
    # onsets: a median over 32 is a stable clip-level judgement and keeps long clips cheap
    # in time and memory.
    n_fft, hop, kernel = 512 * scale, 128 * scale, 31
    n_cols = 1 + y.size // hop  # frames of the centred spectrogram of the whole clip

    def columns(lo: int, hi: int) -> np.ndarray:
        """Power of centred frames [lo, hi) only (the same numbers as the whole clip's)."""
        return (
            np.abs(librosa.stft(centred_frames(y, n_fft, hop, lo, hi), n_fft=n_fft, hop_length=hop, center=False)) ** 2
        )

    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz.value
    n_win = max(1, int(round(th.impact_window_s.value * sr / hop)))
    pick = onset_s if onset_s.size <= 32 else onset_s[np.linspace(0, onset_s.size - 1, 32).round().astype(int)]
    shares = []
    for t in pick:
        f = int(round(t * sr / hop))  # centred frames: frame f is centred on the onset
        lo, hi = max(0, f - kernel // 2), min(n_cols, f + n_win + 1 + kernel // 2)
        if hi - lo <= kernel // 2:
            continue
        harmonic, percussive = hpss_power(columns(lo, hi), kernel)
        h = float(harmonic[band, f - lo : f - lo + n_win + 1].sum())
        p = float(percussive[band, f - lo : f - lo + n_win + 1].sum())
        if h + p > 0:
            shares.append(h / (h + p))
    return overall, (float(np.median(shares)) if shares else float("nan"))


def frame_levels_dbfs(y: SampleSource, sr: int, frame: int, hop: int, th: AudioThresholds) -> np.ndarray:
    """Short-time level (dBFS, RMS convention) of frames starting every ``hop`` samples.

    Frames start at their time stamp (no centring) so a level frame never reaches back
    before its onset. With ``level_weighting == "A"`` the power spectrum is A-weighted
    (calibrated so that a 1 kHz tone reads the same as plain RMS).
    """
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    if th.level_weighting not in ("flat", "A"):
        raise ValueError(f"level_weighting must be 'A' or 'flat', got {th.level_weighting!r}")
    # Frames are independent (no centring) over the samples followed by ``frame`` zeros:
    # they are measured a block at a time, so a long soundtrack's frames (or their spectrum,
    # or a padded copy of it) are never held whole; the numbers are the same.
    n = 1 + y.size // hop

    def padded(a: int, b: int) -> np.ndarray:
        """Samples [a, b) of the soundtrack followed by ``frame`` zeros."""
        part = y[a : min(b, y.size)]
        return np.pad(part, (0, b - a - part.size)) if part.size < b - a else part

    blocks = [(f0, min(n, f0 + LEVEL_BLOCK_FRAMES)) for f0 in range(0, n, LEVEL_BLOCK_FRAMES)]
    if th.level_weighting == "flat":
        rms = np.empty(n, dtype=y.dtype)
        for f0, f1 in blocks:
            part = padded(f0 * hop, (f1 - 1) * hop + frame)
            rms[f0:f1] = librosa.feature.rms(y=part, frame_length=frame, hop_length=hop, center=False)[0]
        return level_dbfs(rms, th.floor_dbfs.value)
    with np.errstate(divide="ignore"):
        weights = librosa.db_to_power(librosa.A_weighting(librosa.fft_frequencies(sr=sr, n_fft=frame), min_db=-80.0))
    window = get_window("hann", frame, fftbins=True)
    norm = frame * float(np.sum(window**2))
    mean_square = np.empty(n)
    for f0, f1 in blocks:
        part = padded(f0 * hop, (f1 - 1) * hop + frame)
        power = np.abs(librosa.stft(part, n_fft=frame, hop_length=hop, center=False, window="hann")) ** 2
        # Parseval: mean square of the windowed frame = 2 * sum(one-sided |X|^2) / (N * sum(w^2)).
        mean_square[f0:f1] = 2.0 * (weights[:, None] * power).sum(axis=0) / norm
    return np.maximum(10.0 * np.log10(np.maximum(mean_square, 1e-24)), th.floor_dbfs.value)
