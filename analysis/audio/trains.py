"""Periodic trains of impacts: the rhythm that tells skipping from noise, and the audio count's bouts."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter1d

from ..config import AudioThresholds
from .librosa_import import librosa_module


def bout_period(times: np.ndarray, th: AudioThresholds) -> tuple[float | None, float]:
    """Dominant period (s) of an impact train and its normalised autocorrelation there."""
    librosa = librosa_module()  # imported on first use (~2 s), one process at a time

    if times.size < 3:
        return None, 0.0
    dt = 0.005
    span = float(times[-1] - times[0])
    max_lag_s = 1.0 / th.min_cadence_hz.value * (1 + th.period_tolerance.value)
    n = int(math.ceil((span + 8 * th.periodicity_blur_s.value) / dt)) + 1
    grid = np.zeros(n)
    idx = np.round((times - times[0] + 4 * th.periodicity_blur_s.value) / dt).astype(int)
    np.add.at(grid, idx, 1.0)

    grid = gaussian_filter1d(grid, th.periodicity_blur_s.value / dt, mode="constant")
    ac = librosa.autocorrelate(grid, max_size=min(n, int(max_lag_s / dt) + 2))
    if ac[0] <= 0:
        return None, 0.0
    lags = np.arange(ac.size)
    # Unbiased: a train of length L overlaps itself by (L - lag) at lag.
    overlap = np.clip((n - lags) / n, 1e-3, None)
    acn = ac / overlap / ac[0]
    lo = int(math.floor(1.0 / th.max_cadence_hz.value / dt))
    hi = min(ac.size - 1, int(math.ceil(1.1 / th.min_cadence_hz.value / dt)))  # margin: a peak needs a neighbour
    if hi <= lo + 1:
        return None, 0.0
    seg = acn[lo : hi + 1]
    # local maxima within the cadence range
    peaks = [i for i in range(1, seg.size - 1) if seg[i] >= seg[i - 1] and seg[i] >= seg[i + 1]]
    if not peaks:
        return None, 0.0
    best = max(seg[i] for i in peaks)
    # Smallest lag close to the best one: the fundamental, not a multiple of it.
    first = min(i for i in peaks if seg[i] >= 0.8 * best)
    return (lo + first) * dt, float(min(seg[first], 1.0))


def periodic_trains(times: np.ndarray, levels: np.ndarray, th: AudioThresholds) -> list[np.ndarray]:
    """Index arrays (into ``times``) of the impacts that form periodic trains.

    Impacts are split into bouts at gaps longer than the slowest cadence allows; per bout
    the period comes from the autocorrelation of the impact train; impacts closer than
    ``merge_fraction_of_period`` of it are merged (louder kept); consecutive impacts one
    period apart (+-tolerance) are chained; chains of ``min_train_impacts`` or more count.
    """
    times = np.asarray(times, dtype=np.float64)
    levels = np.asarray(levels, dtype=np.float64)
    if times.size < th.min_train_impacts.value:
        return []
    order = np.argsort(times, kind="stable")
    ts, lv = times[order], levels[order]
    max_gap = (1.0 / th.min_cadence_hz.value) * (1 + th.period_tolerance.value)
    cuts = np.flatnonzero(np.diff(ts) > max_gap) + 1
    trains: list[np.ndarray] = []
    for bout in np.split(np.arange(ts.size), cuts):
        if bout.size < th.min_train_impacts.value:
            continue
        period, score = bout_period(ts[bout], th)
        if period is None or score < th.min_periodicity.value:
            continue
        kept: list[int] = []
        for i in bout:
            if kept and ts[i] - ts[kept[-1]] < th.merge_fraction_of_period.value * period:
                if lv[i] > lv[kept[-1]]:
                    kept[-1] = i
                continue
            kept.append(i)
        lo, hi = (1 - th.period_tolerance.value) * period, (1 + th.period_tolerance.value) * period
        run = [kept[0]]
        for a, b in zip(kept[:-1], kept[1:]):
            if lo <= ts[b] - ts[a] <= hi:
                run.append(b)
            else:
                if len(run) >= th.min_train_impacts.value:
                    trains.append(order[np.array(run)])
                run = [b]
        if len(run) >= th.min_train_impacts.value:
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
            "bouts": [
                {"start_s": b.start_s, "end_s": b.end_s, "count": b.count, "period_s": b.period_s} for b in self.bouts
            ],
        }
