"""Soundtrack: a landing thump at each touchdown, optional tone music and noise."""

from __future__ import annotations

import numpy as np

from synthetic.params import JumpParams


def thump(sr: int, amplitude: float, rng: np.random.Generator) -> np.ndarray:
    """Short low thump: decaying 70 Hz + 140 Hz burst with a 4 ms noise transient.

    Scaled so its absolute peak equals ``amplitude`` (full scale = 1).
    """
    n = int(0.18 * sr)
    t = np.arange(n) / sr
    env = np.exp(-t / 0.035)
    body = np.sin(2 * np.pi * 70 * t) + 0.4 * np.sin(2 * np.pi * 140 * t + 0.5)
    click = rng.standard_normal(n) * np.exp(-t / 0.004)
    sig = env * body + 0.8 * click
    sig *= np.minimum(1.0, t / 0.0015)  # 1.5 ms attack, no click at sample 0
    return amplitude * sig / np.max(np.abs(sig))


def make_audio(p: JumpParams, landings_s: list[tuple[int, float]], duration_s: float,
               seed: int) -> tuple[np.ndarray, dict]:
    """Mono float32 signal and the ``audio`` truth block."""
    rng = np.random.default_rng(seed + 7)
    sr = p.sample_rate
    n = int(np.ceil(duration_s * sr)) + 1
    sig = np.zeros(n, np.float64)
    if p.music:
        t = np.arange(n) / sr
        notes = [220.0, 277.18, 329.63, 440.0]
        beat = 0.5
        idx = (t // beat).astype(int) % len(notes)
        freq = np.array(notes)[idx]
        env = np.exp(-(t % beat) / 0.25)
        sig += 10 ** (-30 / 20) * env * np.sin(2 * np.pi * freq * t)
    if p.audio_noise_dbfs > -120:
        sig += 10 ** (p.audio_noise_dbfs / 20) * rng.standard_normal(n)
    base = 10 ** (p.thump_dbfs / 20)
    thumps = []
    loud = set(p.loud_landings)
    for idx, t_s in landings_s:
        amp = base * (p.loud_factor if idx in loud else 1.0) * (1 + 0.05 * rng.standard_normal())
        amp = min(amp, 0.99)
        th = thump(sr, amp, rng)
        k = int(round(t_s * sr))
        m = min(len(th), n - k)
        if m <= 0:
            continue
        sig[k:k + m] += th[:m]
        thumps.append({"jump": int(idx), "t_s": round(k / sr, 6), "peak_dbfs": round(20 * np.log10(amp), 3),
                       "loud": idx in loud})
    sig = np.clip(sig, -1.0, 1.0).astype(np.float32)
    info = {"sample_rate": sr, "thumps": thumps, "music": bool(p.music), "noise_dbfs": float(p.audio_noise_dbfs)}
    return sig, info
