"""Phase 2 of jump detection: candidate event trains and the clip's rhythm.

Two candidate trains, as a gait-event tool documents its detectors:

* **Bounce** -- peaks of the torso's height (detrended by a rolling median over a window
  longer than one cycle) plus the lower foot's clearance. The whole body rises with every
  two-foot bounce, boxer step or double-under; the torso is what MediaPipe tracks best
  and what stays in frame when the feet are cut off, and the feet add the first jump from
  standing, where the torso barely rises above its standing height. Weak when the body
  hardly rises (fast alternate steps).
* **Alternation** -- extrema of the left-minus-right foot height. In an alternate
  (jogging) step each foot switch is a take-off while the torso barely moves. It is
  noise in a two-foot bounce, where both feet move together, so an alternation run must
  show the feet moving in opposition.

Nothing here assumes real time: a slow-motion clip stretches every interval, so the
detrend window follows the clip's own rhythm (the dominant period of the torso signal,
from its autocorrelation) and runs are split where the rhythm breaks, relative to the
run's own interval. Absolute time limits are applied later, on physical time
(``physics.py`` estimates the time scale).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks

from ..signals import median_filter_1d
from .signals import JumpSignals

#: Fastest plausible skipping: 8 take-offs a second in real time (speed steps reach about
#: 7/s). In a slow-motion clip events are further apart, so this is a safe lower bound
#: on the spacing of candidates in clip time too.
MAX_RATE_HZ = 8.0
#: Bounce prominence needed for a candidate, as a share of stature (~1.4 cm at 170 cm: a
#: 1.5 cm jump from standing still counts).
BOUNCE_PROMINENCE_FRAC = 0.008
#: Foot-height difference prominence for an alternation event, share of stature (~4 cm:
#: a jogging step lifts the stepping foot well above the hop of the support foot).
ALTERNATION_PROMINENCE_FRAC = 0.025
#: The feet's opposition is only judged where both feet are seen in this share of frames.
FEET_MIN_SEEN = 0.8
#: The alternation train needs the feet to move in opposition (correlation below this).
ALTERNATION_MAX_FEET_CORR = 0.0
#: Gravity's reading of the time scale (``jumps._time_scale``) leaves out a group of bounces
#: whose feet move in opposition (steps: one foot's hop is no two-foot flight) only where the
#: correlation is below ``ALTERNATION_MAX_FEET_CORR`` by more than chance: the one-sided test
#: at the conventional 5 % level (z = -1.645) on the effective number of independent samples
#: of two autocorrelated series (Bartlett's formula; Bretherton et al. 1999, J. Climate
#: 12:1990). Two feet whose shared rise is small against their landmarks' noise (a 2-3 cm
#: hop in slow motion, each flight a few frames of a long cycle) read a correlation about 0
#: however together they move (development seed 1089, 4x slow motion, five 2.5 cm hops: r =
#: -0.002, so the clip was never read against gravity and counted 0 of 5). The labels of
#: steps and the alternation train keep the plain sign: judged there by this test, an
#: alternate step filmed from behind at 12 fps (development seed 1936) read as two-foot
#: bounces and raised a false "feet together" fault.
OPPOSITION_Z = -1.645
#: An interval this many times the run's median interval is a break in the rhythm (a
#: lead-in hop, a rope swing or walking off is off the rhythm); 1.8 sits just short of a
#: missed beat (2 intervals) so that one missed jump splits the run.
RHYTHM_BREAK = 1.8
#: A lasting change of interval by more than this factor starts a new stretch: real
#: skipping holds its cadence within about 10 %, while a switch to double-unders or to a
#: drill changes it by 1.5-2x.
RHYTHM_CHANGE = 1.4
#: Intervals on each side of a possible change of rhythm.
RHYTHM_WINDOW = 5
#: A run needs this many events (a single hop or a rope swing is not skipping).
MIN_RUN_JUMPS = 3
#: A bounce is inside a run's rhythm when both its neighbours are one median interval away
#: within this share of it: real skipping holds its intervals within 5-15 %
#: (``runs.MAX_RUN_IRREGULARITY``), so 30 % keeps every beat of a steady run and leaves out
#: a lead-in hop or a settling bounce.
IN_RHYTHM_SHARE = 0.3
#: Echo suppression in the bounce train: a peak closer than this share of the clip's
#: dominant period to a neighbour at least ``ECHO_PROMINENCE_RATIO`` times as prominent is
#: that jump's echo (pose noise on the way up or down), not a jump of its own. A turning
#: rope passes under the feet once per turn, so two jumps half a period apart cannot both
#: be real. 0.55 of a period leaves a change of rhythm by up to 1.8x (``RHYTHM_BREAK``)
#: alone. The ratio keeps genuinely faster stretches: inside one, neighbours bounce about
#: as high as each other (one skipper's heights vary by 10-20 %, 1.1-1.25x), so at most the
#: first jump next to a much higher one can be lost; three times as prominent is well beyond
#: that spread and below the ratio of a jump to the pose noise seen on development clips
#: (seed 1014: jumps 10-17, echoes 1.6-4.2 in the bounce signal). Twice was tried on the
#: development seeds and counted worse (``bench/RESULTS.md``, counting changes of 2026-12-02).
ECHO_PERIOD_SHARE = 0.55
ECHO_PROMINENCE_RATIO = 3.0
#: Search range for the clip's dominant period in clip time: from the fastest real-time
#: skipping (1/8 s) to the slowest skipping (1 jump/s) filmed in 8x slow motion.
PERIOD_RANGE_S = (1.0 / MAX_RATE_HZ, 8.0)
#: A period is only read where the record holds at least this many of it: the unbiased
#: autocorrelation at a lag near the record's length rests on a few overlapping samples
#: and its normalisation (``n / (n - lag)``) blows their noise up, so a short clip's
#: standing drift could pass for a slow rhythm (a 5 s clip of three double-unders read a
#: 4.5 s "period" that stretched the detrend window over the whole clip). Two cycles are
#: the least that shows a repetition.
MIN_PERIOD_REPEATS = 2
#: The clip's period is the shortest lag whose autocorrelation peak reaches this share of the
#: strongest peak, not the strongest itself: a rhythm repeats at every multiple of its period,
#: and the left-right asymmetry of steps, a missed beat or drift can lift a multiple above
#: the period itself, as in pitch detection (McLeod & Wyvill 2005, "A smarter way to find
#: pitch": the first key maximum within a share of the highest). A period read as a multiple
#: widens the echo window (``ECHO_PERIOD_SHARE``) over real jumps and the detrend window over
#: whole cycles. Chosen on the development seeds 1000-1248 (share 1, the strongest peak: 190
#: of 223 skipping clips read within 20 % of their true interval, 25 as a multiple; 0.9: 202;
#: 0.3-0.6: 208-211, one read as half at every share) and checked on the reporting and fresh
#: seeds (1: 155 of 174, 0.5: 168, none read as half); ``bench/RESULTS.md``.
PERIOD_PEAK_SHARE = 0.5
#: Detrend window in dominant periods (longer than one cycle, so a cycle's own rise and
#: fall survive), and never shorter than this in seconds (the real-time default).
DETREND_PERIODS = 1.5
DETREND_MIN_S = 1.2
#: Longest gap between events of one candidate run in clip time before the time scale is
#: known: one 60-per-minute jump in 8x slow motion.
MAX_CANDIDATE_GAP_S = 8.0


@dataclass(frozen=True)
class Candidates:
    """Candidate events (frame indices) and which train each came from."""

    frames: np.ndarray  # [K] sorted frame indices of apexes (bounce) or foot switches (alternation)
    kinds: tuple[str, ...]  # per event: "bounce" or "alternation"
    detrend_window: int  # samples
    dominant_period_s: float  # in clip time (NaN if no rhythm was found)
    #: [K] per event: the bounce signal's prominence at a bounce (cm; how far the body rose
    #: above the dips either side), NaN at an alternation event. Empty: not given.
    prominence_cm: np.ndarray = field(default_factory=lambda: np.zeros(0))


def fill_nan(x: np.ndarray) -> np.ndarray:
    """Linear interpolation over NaN samples (edges held); all-NaN stays all-NaN."""
    ok = np.isfinite(x)
    if ok.all() or not ok.any():
        return x.copy()
    idx = np.arange(len(x))
    return np.interp(idx, idx[ok], x[ok])


def detrend(x: np.ndarray, window: int) -> np.ndarray:
    """``x`` minus its rolling median over ``window`` samples (NaN samples stay NaN)."""
    ok = np.isfinite(x)
    out = np.full_like(x, np.nan, dtype=float)
    if ok.sum() > 3:
        out[ok] = x[ok] - median_filter_1d(x[ok], max(3, window | 1))
    return out


def dominant_period(x: np.ndarray, fps: float, lo_s: float, hi_s: float) -> tuple[float, float]:
    """(period in s, strength 0-1) of the rhythm in ``x``: the shortest lag whose
    autocorrelation maximum reaches ``PERIOD_PEAK_SHARE`` of the highest one inside
    [lo_s, hi_s], at lags of at most ``MIN_PERIOD_REPEATS``-th of the record. NaN where no
    rhythm."""
    y = fill_nan(np.asarray(x, float))
    if not np.isfinite(y).any() or len(y) < 8:
        return float("nan"), 0.0
    y = y - np.mean(y)
    n = len(y)
    spec = np.fft.rfft(y, 2 * n)
    ac = np.fft.irfft(spec * np.conj(spec))[:n]
    if ac[0] <= 0:
        return float("nan"), 0.0
    ac = ac / ac[0] * n / np.maximum(n - np.arange(n), 1)  # unbiased, normalised
    lo, hi = max(2, int(lo_s * fps)), min(n // MIN_PERIOD_REPEATS, int(hi_s * fps))
    if hi <= lo:
        return float("nan"), 0.0
    peaks, _ = find_peaks(ac[lo : hi + 1])
    if peaks.size == 0:
        return float("nan"), 0.0
    heights = ac[lo + peaks]
    pick = int(np.argmax(heights))
    # The rhythm's own period, not a multiple of it: the first repetition that holds at least
    # ``PERIOD_PEAK_SHARE`` of the strongest one's correlation (see the constant).
    if heights[pick] > 0:
        pick = int(np.flatnonzero(heights >= PERIOD_PEAK_SHARE * heights[pick])[0])
    best = lo + int(peaks[pick])
    return best / fps, float(np.clip(ac[best], 0.0, 1.0))


def peaks(x: np.ndarray, prominence: float, distance: int) -> np.ndarray:
    """Indices of peaks of ``x`` with at least ``prominence`` (NaN samples never peak)."""
    return peaks_with_prominence(x, prominence, distance)[0]


def peaks_with_prominence(x: np.ndarray, prominence: float, distance: int) -> tuple[np.ndarray, np.ndarray]:
    """As ``peaks``, with each peak's prominence."""
    if not np.isfinite(x).any():
        return np.zeros(0, int), np.zeros(0)
    y = np.where(np.isfinite(x), x, np.nanmin(x))
    idx, props = find_peaks(y, prominence=max(prominence, 1e-9), distance=max(1, distance))
    ok = np.isfinite(x[idx])
    return idx[ok], props["prominences"][ok]


def suppress_echoes(idx: np.ndarray, prominence: np.ndarray, t: np.ndarray, period_s: float) -> np.ndarray:
    """Drop peaks that sit within ``ECHO_PERIOD_SHARE`` of a period of a peak at least
    ``ECHO_PROMINENCE_RATIO`` times as prominent (see the constants), whether or not a third
    peak lies between them. Without a period, all stay."""
    idx = np.asarray(idx, int)
    if idx.size < 2 or not np.isfinite(period_s):
        return idx
    close = ECHO_PERIOD_SHARE * period_s
    at = t[idx]
    prom = np.asarray(prominence, float)
    keep = np.ones(idx.size, bool)
    for j in range(idx.size):
        near = np.abs(at - at[j]) < close
        near[j] = False
        if np.any(prom[near] >= ECHO_PROMINENCE_RATIO * prom[j]):
            keep[j] = False
    return idx[keep]


def split_gaps(idx: np.ndarray, t: np.ndarray, max_gap_s: float) -> list[np.ndarray]:
    if idx.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(t[idx]) > max_gap_s) + 1
    return np.split(idx, cuts)


def group_runs(idx: np.ndarray, t: np.ndarray, max_gap_s: float) -> list[np.ndarray]:
    """Runs of rhythmic events: split at gaps longer than ``max_gap_s`` and where an interval
    exceeds ``RHYTHM_BREAK`` x the run's median interval; runs shorter than
    ``MIN_RUN_JUMPS`` drop."""
    out: list[np.ndarray] = []
    for run in split_gaps(np.asarray(idx, int), t, max_gap_s):
        if run.size < MIN_RUN_JUMPS:
            continue
        med = float(np.median(np.diff(t[run])))
        # Events cut apart by the median of a longer, faster run beside them (a stretch of
        # slower two-foot bounces after a minute of alternate steps) are judged on their own
        # rhythm: each stretch of consecutive left-over pieces is grouped again by itself.
        left: list[np.ndarray] = []
        for piece in split_gaps(run, t, RHYTHM_BREAK * med) + [np.zeros(0, int)]:
            if 0 < piece.size < MIN_RUN_JUMPS:
                left.append(piece)
                continue
            rest = np.concatenate(left) if left else np.zeros(0, int)
            if MIN_RUN_JUMPS <= rest.size < run.size:
                out.extend(group_runs(rest, t, max_gap_s))
            left = []
            if piece.size:
                out.append(piece)
    return out


def split_rhythm(idx: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """Split an event train where its interval changes for good: the median of the next
    ``RHYTHM_WINDOW`` intervals differs from the median of the previous ones by more than
    ``RHYTHM_CHANGE`` times. Medians of five ignore one odd interval pair (a stumble, a
    doubled peak); a new skill or a drill shifts them all."""
    idx = np.asarray(idx, int)
    w = RHYTHM_WINDOW
    if idx.size < 2 * w + 1:
        return [idx]
    d = np.diff(t[idx])
    parts, start = [], 0
    i = w
    while i <= d.size - w:
        before = float(np.median(d[max(start, i - w) : i]))
        after = float(np.median(d[i : i + w]))
        if not (1.0 / RHYTHM_CHANGE <= after / before <= RHYTHM_CHANGE) and i - start >= MIN_RUN_JUMPS - 1:
            # Cut at the interval that moves furthest toward the new rhythm.
            j = i + int(np.argmin(np.abs(d[i - 1 : i + 2] - after))) - 1
            parts.append(idx[start : j + 1])
            start = j + 1
            i = start + w
            continue
        i += 1
    parts.append(idx[start:])
    return parts


def interval_cv(times: np.ndarray) -> float:
    """Coefficient of variation of the intervals between events (0 = perfectly regular)."""
    d = np.diff(np.asarray(times, float))
    return float(np.std(d) / np.mean(d)) if d.size >= 2 and np.mean(d) > 0 else float("inf")


def _feet_heights(sig: JumpSignals, a: int, b: int, window: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The two feet's detrended heights over frames [a, b], on the frames both are seen; None
    where their correlation cannot be measured."""
    seg = slice(a, b + 1)
    x, y = detrend(sig.lift_left_cm, window)[seg], detrend(sig.lift_right_cm, window)[seg]
    ok = np.isfinite(x) & np.isfinite(y)
    # Both feet must be seen through most of the stretch: in a side view the pose model
    # guesses the far foot now and then, and its guesses say nothing about opposition.
    if ok.mean() < FEET_MIN_SEEN or ok.sum() < 5 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return None
    return x[ok], y[ok]


def feet_correlation(sig: JumpSignals, a: int, b: int, window: int) -> float:
    """Correlation of the two feet's detrended heights over frames [a, b] (+1 together,
    -1 in opposition); +1 when it cannot be measured (no evidence of opposition)."""
    feet = _feet_heights(sig, a, b, window)
    return 1.0 if feet is None else float(np.corrcoef(*feet)[0, 1])


def effective_samples(x: np.ndarray, y: np.ndarray) -> float:
    """Bartlett's effective number of independent pairs behind the correlation of two
    autocorrelated series: n / (1 + 2 sum_k rho_x(k) rho_y(k)), over lags up to a quarter of
    the record (beyond it the autocorrelations are read on too few pairs)."""
    n = len(x)
    if n < 4:
        return float(n)
    x = np.asarray(x, float) - np.mean(x)
    y = np.asarray(y, float) - np.mean(y)
    fx, fy = np.fft.rfft(x, 2 * n), np.fft.rfft(y, 2 * n)
    ax, ay = np.fft.irfft(fx * np.conj(fx))[:n], np.fft.irfft(fy * np.conj(fy))[:n]
    if ax[0] <= 0 or ay[0] <= 0:
        return float(n)
    k = np.arange(1, n // 4 + 1)
    s = float(np.sum(ax[k] / ax[0] * ay[k] / ay[0]))
    return float(n / max(1.0, 1.0 + 2.0 * s))


def feet_in_opposition(sig: JumpSignals, a: int, b: int, window: int) -> bool:
    """The two feet's detrended heights over frames [a, b] move in opposition (stepping):
    their correlation is below ``ALTERNATION_MAX_FEET_CORR`` by more than chance
    (``OPPOSITION_Z``, Fisher's z on the effective samples). False where it cannot be measured
    (``feet_correlation``: no evidence of opposition)."""
    feet = _feet_heights(sig, a, b, window)
    if feet is None:
        return False
    r = float(np.corrcoef(*feet)[0, 1])
    if not r < ALTERNATION_MAX_FEET_CORR:
        return False
    n_eff = effective_samples(*feet)
    if n_eff <= 3:
        return False
    return bool(np.arctanh(max(r, -0.999999)) * np.sqrt(n_eff - 3.0) < OPPOSITION_Z)


def bounce_signal(sig: JumpSignals, window: int) -> np.ndarray:
    """Detrended torso height plus the lower foot's clearance (cm)."""
    return detrend(sig.torso_cm, window) + np.nan_to_num(sig.lower_lift_cm)


def on_the_bounce_beat(run: np.ndarray, b_idx: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The events of an alternation run to keep: all of them, unless the run sits in a short
    break of a bounce train and is much faster than the bounces on both sides; then only those
    on the bounces' beat (within ``IN_RHYTHM_SHARE`` of it), which fill the beats the bounce
    train missed there.

    A rope turns at one rate and changes it over several turns (``RHYTHM_WINDOW``,
    ``RHYTHM_CHANGE``): between bounces that keep its rhythm on either side, a break shorter
    than that many of their intervals cannot hold steps ``RHYTHM_CHANGE`` times faster. They
    are the feet's height difference flickering where the bounce train missed a beat (a side
    view at 12 fps, where the far foot is guessed: three 'steps' 0.17 s apart among bounces
    0.45 s apart split a run of 20 two-foot jumps in two), and the one on the missed beat is
    that jump."""
    run = np.asarray(run, int)
    if run.size < 2 or b_idx.size < 4:
        return run
    before, after = b_idx[t[b_idx] < t[run[0]]], b_idx[t[b_idx] > t[run[-1]]]
    if before.size < 2 or after.size < 2:
        return run
    sides = np.concatenate([np.diff(t[before[-RHYTHM_WINDOW:]]), np.diff(t[after[:RHYTHM_WINDOW]])])
    beat = float(np.median(sides))
    t0, gap = float(t[before[-1]]), float(t[after[0]] - t[before[-1]])
    steps = float(np.median(np.diff(t[run])))
    if gap > RHYTHM_WINDOW * beat or steps * RHYTHM_CHANGE >= beat:
        return run
    beats = max(1, int(round(gap / beat)))
    expected = t0 + gap / beats * np.arange(1, beats)
    keep = [
        int(run[np.argmin(np.abs(t[run] - e))])
        for e in expected
        if np.min(np.abs(t[run] - e)) <= IN_RHYTHM_SHARE * beat
    ]
    return np.asarray(sorted(set(keep)), int)


def find_candidates(sig: JumpSignals, style_hint: str = "auto") -> Candidates:
    """Candidate events of both trains, one train per stretch (see the module docstring)."""
    t, fps = sig.t_s, sig.fps
    period, _ = dominant_period(detrend(sig.torso_cm, int(PERIOD_RANGE_S[1] * 2 * fps)), fps, *PERIOD_RANGE_S)
    span_s = DETREND_PERIODS * period if np.isfinite(period) else 0.0
    window = int(round(max(DETREND_MIN_S, span_s) * fps)) | 1
    dist = max(1, int(fps / MAX_RATE_HZ))
    stat = sig.stature_cm
    b_idx = np.zeros(0, int)
    prom_of: dict[int, float] = {}
    if style_hint != "alternate":
        b_idx, b_prom = peaks_with_prominence(bounce_signal(sig, window), BOUNCE_PROMINENCE_FRAC * stat, dist)
        prom_of = {int(k): float(p) for k, p in zip(b_idx, b_prom)}
        b_idx = suppress_echoes(b_idx, b_prom, t, period)
    a_idx = np.zeros(0, int)
    if style_hint != "two_foot":
        prom = ALTERNATION_PROMINENCE_FRAC * stat
        a_idx = np.sort(np.concatenate([peaks(sig.foot_diff_cm, prom, dist), peaks(-sig.foot_diff_cm, prom, dist)]))
    a_runs = [
        on_the_bounce_beat(r, b_idx, t)
        for r in group_runs(a_idx, t, MAX_CANDIDATE_GAP_S)
        if feet_correlation(sig, int(r[0]), int(r[-1]), window) < ALTERNATION_MAX_FEET_CORR
    ]
    a_runs = [r for r in a_runs if r.size]
    kinds: dict[int, str] = {}
    keep_b = np.ones(len(b_idx), bool)
    for r in a_runs:
        t0, t1 = t[r[0]] - 0.5 / fps, t[r[-1]] + 0.5 / fps
        in_b = (t[b_idx] >= t0) & (t[b_idx] <= t1)
        # The alternation train wins a stretch when it sees at least as many events and is
        # about as regular as the bounce train there (noise makes irregular extrema).
        if in_b.sum() < MIN_RUN_JUMPS or (
            len(r) >= in_b.sum() and interval_cv(t[r]) <= 1.2 * interval_cv(t[b_idx[in_b]])
        ):
            keep_b &= ~in_b
            for k in r:
                kinds[int(k)] = "alternation"
    alt_t = np.sort(t[np.fromiter(kinds, int, len(kinds))]) if kinds else np.zeros(0)
    for k in b_idx[keep_b]:
        i = int(np.searchsorted(alt_t, t[k]))
        near = min((abs(t[k] - alt_t[j]) for j in (i - 1, i) if 0 <= j < alt_t.size), default=np.inf)
        if near >= 0.5 / MAX_RATE_HZ:
            kinds[int(k)] = "bounce"
    ev = np.array(sorted(kinds), int)
    if ev.size:
        keep = [ev[0]]
        for k in ev[1:]:
            if t[k] - t[keep[-1]] >= 1.0 / MAX_RATE_HZ:
                keep.append(k)
        ev = np.asarray(keep, int)
    ev_prom = np.array([prom_of.get(int(k), np.nan) if kinds[int(k)] == "bounce" else np.nan for k in ev], float)
    return Candidates(ev, tuple(kinds[int(k)] for k in ev), window, period, ev_prom)
