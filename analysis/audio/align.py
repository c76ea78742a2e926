"""Audio/video clock alignment: which impact is which touchdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import AUDIO_THRESHOLDS


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
        return [
            (float(self.touchdown_times_s[i]), float(self.impact_times_s[j]))
            for i, j in zip(self.touchdown_index, self.impact_index)
        ]


def _candidates(
    td: np.ndarray, imp: np.ndarray, imp_order: np.ndarray, imp_sorted: np.ndarray, offset: float, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(touchdown index, impact index, impact - (touchdown + offset)) of every pair within
    ``tol``, in row-major (touchdown, impact) order: each touchdown's window of sorted
    impacts is found by binary search, so the work grows with the pairs, not n x m."""
    centre = td + offset
    margin = 1e-9 + 1e-12 * float(np.max(np.abs(imp_sorted)))  # the exact test below decides the edges
    lo = np.searchsorted(imp_sorted, centre - tol - margin, side="left")
    hi = np.searchsorted(imp_sorted, centre + tol + margin, side="right")
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0)
    ii = np.repeat(np.arange(td.size), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    jj = imp_order[np.repeat(lo, counts) + (np.arange(total) - first)]
    rank = np.lexsort((jj, ii))  # row-major, as np.nonzero of the dense matrix would give
    ii, jj = ii[rank], jj[rank]
    diff = imp[jj] - (td[ii] + offset)
    keep = np.abs(diff) <= tol
    return ii[keep], jj[keep], diff[keep]


def _greedy_match(
    td: np.ndarray, imp: np.ndarray, offset: float, tol: float, imp_order: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matches within ``tol``, closest pairs first (ties: earlier touchdown,
    then earlier impact index). ``imp_order``: ``np.argsort(imp, kind="stable")`` when the
    caller already has it."""
    if td.size == 0 or imp.size == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    order = np.argsort(imp, kind="stable") if imp_order is None else imp_order
    ii, jj, diff = _candidates(td, imp, order, imp[order], offset, tol)
    if ii.size == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    by_distance = np.argsort(np.abs(diff), kind="stable")
    used_t: set[int] = set()
    used_i: set[int] = set()
    out_t: list[int] = []
    out_i: list[int] = []
    for k in by_distance:
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
    max_offset_s: float = AUDIO_THRESHOLDS.max_offset_s.value,
    *,
    tolerance_s: float = AUDIO_THRESHOLDS.match_tolerance_s.value,
    step_s: float = AUDIO_THRESHOLDS.align_step_s.value,
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
    imp_order = np.argsort(imp, kind="stable")
    counts = np.array([_greedy_match(td, imp, o, tolerance_s, imp_order)[0].size for o in offsets])
    best_count = int(counts.max()) if counts.size else 0

    def _refine(offset: float) -> tuple[float, np.ndarray, np.ndarray]:
        a, b = _greedy_match(td, imp, offset, tolerance_s, imp_order)
        for _ in range(3):  # move to the median residual while no match is lost
            if a.size == 0:
                break
            new = float(np.clip(offset + np.median(imp[b] - td[a] - offset), -max_offset_s, max_offset_s))
            a2, b2 = _greedy_match(td, imp, new, tolerance_s, imp_order)
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
