"""Short-time levels, onset framing and tonal shares of a soundtrack (librosa)."""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import get_window

from ..config import AudioThresholds


def level_dbfs(x: np.ndarray | float, floor_dbfs: float) -> np.ndarray:
    """Amplitude -> dBFS with a floor (no -inf)."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(20.0 * np.log10(np.maximum(x, 1e-12)), floor_dbfs)


def onset_framing(sr: int, th: AudioThresholds) -> tuple[int, int]:
    hop = int(2 ** round(math.log2(max(th.onset_hop_s.value * sr, 8.0))))
    return hop, 4 * hop


def tonal_shares(y: np.ndarray, sr: int, onset_s: np.ndarray, th: AudioThresholds) -> tuple[float, float]:
    """Harmonic share of spectral power above ``harmonic_min_freq_hz`` (librosa HPSS):
    over the whole clip, and the median over ``impact_window_s`` after each onset.

    Sustained tones (music, voice) are harmonic; impacts are percussive. Bins below the
    cut are left out: a fast train of low thumps rings like a bass tone. The clip-wide
    share uses ~46 ms frames and a 17-frame (~0.4 s) median; the per-onset share ~23 ms
    frames every ~6 ms and a 31-frame (~0.18 s) median, so a syllable's vowel right
    after its consonant shows.
    """
    import librosa  # noqa: PLC0415 - librosa takes ~1 s to import: only when a soundtrack is analysed

    scale = 1 if sr <= 24000 else 2
    if y.size < 1024 * scale:
        return float("nan"), float("nan")
    n_fft = 1024 * scale
    power = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=n_fft // 2)) ** 2
    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz.value
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
    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz.value
    n_win = max(1, int(round(th.impact_window_s.value * sr / hop)))
    pick = onset_s if onset_s.size <= 32 else onset_s[np.linspace(0, onset_s.size - 1, 32).round().astype(int)]
    shares = []
    for t in pick:
        f = int(round(t * sr / hop))  # centred frames: frame f is centred on the onset
        lo, hi = max(0, f - kernel // 2), min(power.shape[1], f + n_win + 1 + kernel // 2)
        if hi - lo <= kernel // 2:
            continue
        harmonic, percussive = librosa.decompose.hpss(power[:, lo:hi], kernel_size=kernel)
        h = float(harmonic[band, f - lo : f - lo + n_win + 1].sum())
        p = float(percussive[band, f - lo : f - lo + n_win + 1].sum())
        if h + p > 0:
            shares.append(h / (h + p))
    return overall, (float(np.median(shares)) if shares else float("nan"))


def frame_levels_dbfs(y: np.ndarray, sr: int, frame: int, hop: int, th: AudioThresholds) -> np.ndarray:
    """Short-time level (dBFS, RMS convention) of frames starting every ``hop`` samples.

    Frames start at their time stamp (no centring) so a level frame never reaches back
    before its onset. With ``level_weighting == "A"`` the power spectrum is A-weighted
    (calibrated so that a 1 kHz tone reads the same as plain RMS).
    """
    import librosa  # noqa: PLC0415 - librosa takes ~1 s to import: only when a soundtrack is analysed

    padded = np.pad(y, (0, frame))
    if th.level_weighting == "flat":
        rms = librosa.feature.rms(y=padded, frame_length=frame, hop_length=hop, center=False)[0]
        return level_dbfs(rms, th.floor_dbfs.value)
    if th.level_weighting != "A":
        raise ValueError(f"level_weighting must be 'A' or 'flat', got {th.level_weighting!r}")
    power = np.abs(librosa.stft(padded, n_fft=frame, hop_length=hop, center=False, window="hann")) ** 2
    with np.errstate(divide="ignore"):
        weights = librosa.db_to_power(librosa.A_weighting(librosa.fft_frequencies(sr=sr, n_fft=frame), min_db=-80.0))
    window = get_window("hann", frame, fftbins=True)
    # Parseval: mean square of the windowed frame = 2 * sum(one-sided |X|^2) / (N * sum(w^2)).
    mean_square = 2.0 * (weights[:, None] * power).sum(axis=0) / (frame * float(np.sum(window**2)))
    return np.maximum(10.0 * np.log10(np.maximum(mean_square, 1e-24)), th.floor_dbfs.value)
