"""Jump events: take-off, apex and landing of every jump; count, cadence, heights, runs.

Method (documented like a gait-event tool: what each signal is good and bad at)
-------------------------------------------------------------------------------
Two candidate event trains are found on cleaned landmarks, both in centimetres through
the per-frame scale:

* **Bounce** -- peaks of the hip's vertical position (detrended by a rolling median).
  The hips carry the whole body's rise in a two-foot bounce, a boxer step or a
  double-under; they are the steadiest landmarks MediaPipe gives. Weak when the jumper
  barely lifts the body (fast alternate steps).
* **Alternation** -- extrema of the height difference between the two feet. In an
  alternate-foot (jogging / speed) step each foot switch is a take-off; the difference
  swings by the step's foot lift even when the hips hardly move. Noise in a two-foot
  bounce, where both feet move together.

Where both trains cover the same stretch, the one with more events wins (it sees jumps
the other misses; a spurious train would need prominent extrema that noise does not
make). Events are grouped into **runs** (continuous skipping between breaks); a run
needs at least ``MIN_RUN_JUMPS`` events at a plausible cadence.

**Rope evidence** keeps jumping jacks, squats and other bouncing out of the count: in
skipping the hands stay below the shoulders, turning the rope near the hips, and the
feet stay under the body. A run where the wrists spend a large share of the time above
the shoulders, or the feet spread and close (a jumping jack), is not counted.

**Timing and height** of each event come from the feet: the floor is the lowest foot
position in the contact phases around the jump; the hop's height above that local base
is the displacement height (scaled to cm); take-off and landing come from the hop's
full width at half height, which for a ballistic flight is 1/sqrt(2) of the flight time
(sub-frame, by interpolation, and free of the pixel scale), so the flight-time height
``h = g t^2 / 8`` is a second, independent estimate, reported with the uncertainty of
+-1 frame of timing.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.signal import find_peaks

from ..pose.landmarks import Landmark as L
from ..types import JumpAnalysis, JumpEvent, Run
from .kinematics import midpoint
from .scale import body_height_px, floor_line_y, foot_bottom_y
from .signals import median_filter_1d

G_CM_S2 = 981.0
#: Fastest plausible skipping: 8 take-offs a second (speed steps reach ~7/s).
MAX_RATE_HZ = 8.0
#: Slowest cadence inside a run: events further apart than this start a new run.
MAX_INTERVAL_S = 1.0
#: An interval this many times the run's median interval is a break in the rhythm.
RHYTHM_BREAK = 1.8
#: Events closer than this share of the run's median interval are off the rhythm.
MIN_INTERVAL_SHARE = 0.55
#: A run whose intervals vary more than this (coefficient of variation) is not skipping.
MAX_RUN_IRREGULARITY = 0.3
#: A two-foot run whose median flight fills more than this share of the median interval
#: has no contact phase: not skipping (measured: real skipping 0.55-0.7 with this method).
MAX_FLIGHT_SHARE = 0.8
#: A run's edge event lower than this share of the run's median height is not a jump.
EDGE_MIN_HEIGHT_SHARE = 0.35
#: A jump whose feet rise less than this (cm) is not counted: noise, a heel raise or a
#: weight shift (the article's jumps are 2-5 cm; even very low skipping clears ~1 cm).
MIN_CLEARANCE_CM = 1.2
#: A run needs this many events (a single hop or a rope swing is not skipping).
MIN_RUN_JUMPS = 3
#: Bounce prominence needed for an event, as a share of stature (~1.4 cm at 170 cm: a
#: 1.5 cm jump from standing still counts).
BOUNCE_PROMINENCE_FRAC = 0.008
#: Foot-height difference prominence for an alternation event, share of stature (~4 cm).
ALTERNATION_PROMINENCE_FRAC = 0.025
#: ... together with hands above the shoulders in at least this share of frames: in an
#: oblique view alternate steps also open and close the feet in the image, but the hands
#: stay low.
JACK_MIN_HANDS_UP = 0.05
#: Alternation runs need the feet to move in opposition (correlation below this).
ALTERNATION_MAX_FEET_CORR = 0.0
#: Rope evidence: share of run frames with both wrists below the shoulders.
MIN_WRISTS_BELOW_SHOULDERS = 0.8
#: Rope evidence: spread (p90 - p10) of the ankle separation, share of stature; a
#: jumping jack opens the feet by ~20-30 % of stature, skipping keeps them together.
MAX_FOOT_SPREAD_FRAC = 0.12
#: Flight timing is measured where the feet cross this share of the hop's height.
HALF = 0.5
#: Left/right touchdown gap: the descending edges of the two feet are compared at these
#: shares of each foot's own hop height.
DESCENT_LEVELS = (0.3, 0.5, 0.7)
#: Flight time from which a two-foot jump is labelled a double-under (a basic bounce of
#: 2-5 cm flies 0.13-0.20 s; a double-under needs the rope to pass twice, ~0.3 s+).
#: The rope itself is not tracked, so this label is a best guess from height and flight.
DOUBLE_UNDER_FLIGHT_S = 0.30
#: ... and clears at least this much (a double-under needs a jump well above 2-5 cm).
DOUBLE_UNDER_MIN_CM = 10.0


def _mid_y(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    return midpoint(xy, a, b)[:, 1]


def _detrend(x: np.ndarray, w: int) -> np.ndarray:
    ok = np.isfinite(x)
    out = np.full_like(x, np.nan)
    if ok.sum() > 3:
        base = median_filter_1d(x[ok], max(3, w | 1))
        out[ok] = x[ok] - base
    return out


def _peaks(x: np.ndarray, prominence: np.ndarray | float, distance: int) -> np.ndarray:
    y = np.where(np.isfinite(x), x, np.nanmin(x) if np.isfinite(x).any() else 0.0)
    idx, props = find_peaks(y, prominence=0.0, distance=max(1, distance))
    prom = np.broadcast_to(np.asarray(prominence, float), x.shape)
    keep = props["prominences"] >= prom[idx]
    keep &= np.isfinite(x[idx])
    return idx[keep]


def _split(idx: np.ndarray, t: np.ndarray, max_gap_s: float) -> list[np.ndarray]:
    if idx.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(t[idx]) > max_gap_s) + 1
    return np.split(idx, cuts)


def _group_runs(idx: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """Runs of rhythmic events: split at breaks longer than ``MAX_INTERVAL_S`` and where an
    interval exceeds ``RHYTHM_BREAK`` x the run's median interval (a lead-in hop, a rope
    swing or walking off is off the rhythm); runs shorter than ``MIN_RUN_JUMPS`` drop."""
    out: list[np.ndarray] = []
    for run in _split(np.asarray(idx, int), t, MAX_INTERVAL_S):
        if run.size < MIN_RUN_JUMPS:
            continue
        med = float(np.median(np.diff(t[run])))
        out.extend(r for r in _split(run, t, RHYTHM_BREAK * med) if r.size >= MIN_RUN_JUMPS)
    return out


def _cv(times: np.ndarray) -> float:
    """Coefficient of variation of the intervals between events (0 = perfectly regular)."""
    d = np.diff(np.asarray(times, float))
    return float(np.std(d) / np.mean(d)) if d.size >= 2 and np.mean(d) > 0 else float("inf")


def _feet_correlation(lift_l: np.ndarray, lift_r: np.ndarray, a: int, b: int, w: int) -> float:
    """Correlation of the two feet's detrended heights over [a, b] (+1 together, -1 opposed)."""
    seg = slice(a, b + 1)
    x, y = _detrend(lift_l, w)[seg], _detrend(lift_r, w)[seg]
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 5 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return 1.0
    return float(np.corrcoef(x[ok], y[ok])[0, 1])


def _rope_evidence(xy: np.ndarray, a: int, b: int, stature_px: np.ndarray) -> tuple[bool, str]:
    seg = slice(a, b + 1)
    sho = _mid_y(xy[seg], L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    wl, wr = xy[seg, L.LEFT_WRIST, 1], xy[seg, L.RIGHT_WRIST, 1]
    # In a side view the far wrist hides behind the body: judge the wrists that are seen.
    seen = np.isfinite(wl) | np.isfinite(wr)
    ok = np.isfinite(sho) & seen
    if ok.sum() < 3:
        return False, "wrists not visible, so rope turning cannot be confirmed"
    with np.errstate(invalid="ignore"):
        high = np.fmin(wl, wr)  # the higher wrist (image y down); NaN-aware
    below = float(np.mean(high[ok] > sho[ok]))
    sep = np.abs(xy[seg, L.LEFT_ANKLE, 0] - xy[seg, L.RIGHT_ANKLE, 0]) / stature_px[seg]
    sep = sep[np.isfinite(sep)]
    spread = float(np.percentile(sep, 90) - np.percentile(sep, 10)) if sep.size > 3 else 0.0
    if below < MIN_WRISTS_BELOW_SHOULDERS:
        return False, f"hands above the shoulders in {100 * (1 - below):.0f}% of frames (arm swings, not rope turning)"
    if spread > MAX_FOOT_SPREAD_FRAC and below < 1.0 - JACK_MIN_HANDS_UP:
        return False, f"feet open and close by {100 * spread:.0f}% of body height (a jumping jack, not skipping)"
    return True, f"hands below the shoulders in {100 * below:.0f}% of frames, feet kept under the body"


def _fit_flight(t: np.ndarray, lift: np.ndarray, k: int, lo: int, hi: int) -> tuple[float, float, float]:
    """(takeoff_s, landing_s, height) of the hop around index k in ``lift[lo:hi]``.

    The hump's base is the median of the lowest third of the window (the contact phase),
    so a floor line a little off does not bias the height. Flight time comes from the
    hump's full width at half its height: for a ballistic parabola the flight lasts
    sqrt(2) x that width, whatever the scale. The half-height level sits well above the
    noise and the heel raise that blur the hump's foot, and it needs no pixel-to-cm scale,
    so the flight-time height (h = g t^2 / 8) is independent of the displacement height.
    """
    hump = _hump(lift, k, lo, hi)
    if hump is None:
        return float("nan"), float("nan"), float("nan")
    apex, base, height = hump
    level = base + HALF * height
    limit = 2 * (hi - lo)
    left, right = _crossing(t, lift, apex, -1, level, limit), _crossing(t, lift, apex, +1, level, limit)
    if not (np.isfinite(left) and np.isfinite(right)) or right <= left:
        return float("nan"), float("nan"), float("nan")
    flight = (right - left) / np.sqrt(1.0 - HALF)
    mid = 0.5 * (left + right)
    return mid - flight / 2, mid + flight / 2, height


def _hump(lift: np.ndarray, k: int, lo: int, hi: int) -> tuple[int, float, float] | None:
    """(apex index, base, height) of the hop around k: the base is the median of the lowest
    third of ``lift[lo:hi]`` (the contact phase)."""
    seg = lift[lo:hi]
    ok = np.isfinite(seg)
    if ok.sum() < 3:
        return None
    vals = np.sort(seg[ok])
    base = float(np.median(vals[: max(1, len(vals) // 3)]))
    j = k - lo if np.isfinite(seg[k - lo]) else int(np.nanargmax(seg))
    height = float(seg[j]) - base
    return (lo + j, base, height) if height > 0 else None


def _crossing(t: np.ndarray, lift: np.ndarray, i: int, step: int, level: float, limit: int) -> float:
    """Time where ``lift`` falls to ``level`` walking from index i in direction ``step``
    (linear interpolation; past the search window if a neighbouring hop is close)."""
    start = i
    while 0 <= i + step < len(lift) and np.isfinite(lift[i + step]) and lift[i + step] > level:
        i += step
        if abs(i - start) > limit:
            return float("nan")
    o = i + step
    if not (0 <= o < len(lift)) or not np.isfinite(lift[o]):
        return float(t[i])  # the clip or the landmarks end inside the hop
    f = (lift[i] - level) / (lift[i] - lift[o])
    return float(t[i] + f * (t[o] - t[i]))


def _touchdown_time(t: np.ndarray, lift: np.ndarray, k: int, lo: int, hi: int) -> tuple[float, float]:
    """(one foot's descent time, its hop height): the mean time its lift falls through
    ``DESCENT_LEVELS`` of its own height. Averaging several levels of the descending edge
    steadies the left/right comparison against landmark noise; the offsets that the
    levels add are the same for both feet and cancel in their difference."""
    hump = _hump(lift, k, lo, hi)
    if hump is None:
        return float("nan"), float("nan")
    apex, base, height = hump
    times = [_crossing(t, lift, apex, +1, base + share * height, 2 * (hi - lo)) for share in DESCENT_LEVELS]
    times = [x for x in times if np.isfinite(x)]
    return (float(np.mean(times)) if len(times) == len(DESCENT_LEVELS) else float("nan")), height


def detect_jumps(
    xy_px: np.ndarray,
    t_s: np.ndarray,
    fps: float,
    cm_per_px: np.ndarray,
    style_hint: str = "auto",
) -> JumpAnalysis:
    """Find every jump in a cleaned pose series.

    Args:
        xy_px: [T, 33, 2] cleaned image landmarks (NaN where missing).
        t_s: [T] timestamps.
        fps: nominal frame rate (window sizes).
        cm_per_px: [T] per-frame vertical scale.
        style_hint: "auto", "two_foot" (bounce train only) or "alternate" (alternation only).
    """
    t = np.asarray(t_s, float)
    n = len(t)
    empty = JumpAnalysis([], [], 0.0, 0.0, [], {}, "no pose found", [])
    if n < 5 or not np.isfinite(xy_px[:, L.LEFT_HIP, 1]).any():
        return empty
    cm = np.asarray(cm_per_px, float)
    w_trend = int(round(1.2 * fps))
    fl, fr = foot_bottom_y(xy_px)
    floor = floor_line_y(xy_px, fps)
    # Bounce signal: the hips' detrended rise plus the lower foot's clearance (both feet
    # airborne). The hips are steady; the feet see a first jump from standing, where the
    # hips barely rise above their standing height.
    hip_up_cm = -_mid_y(xy_px, L.LEFT_HIP, L.RIGHT_HIP) * cm
    with np.errstate(all="ignore"):
        lower_lift_cm = np.clip((floor - np.fmax(fl, fr)) * cm, 0.0, None)
    bounce = _detrend(hip_up_cm, w_trend) + np.nan_to_num(lower_lift_cm)
    alt = (fl - fr) * cm  # + when the right foot is higher
    dist = int(fps / MAX_RATE_HZ)
    # Prominences scale with the body: stature in cm is the scale's own input.
    stature_px = body_height_px(xy_px, floor)
    stature_px = np.where(np.isfinite(stature_px) & (stature_px > 10), stature_px, np.nanmedian(stature_px))
    stature_cm = stature_px * cm
    stat = float(np.nanmedian(stature_cm)) if np.isfinite(stature_cm).any() else 170.0
    b_idx = _peaks(bounce, BOUNCE_PROMINENCE_FRAC * stat, dist) if style_hint != "alternate" else np.array([], int)
    if style_hint != "two_foot":
        a_hi = _peaks(alt, ALTERNATION_PROMINENCE_FRAC * stat, dist)
        a_lo = _peaks(-alt, ALTERNATION_PROMINENCE_FRAC * stat, dist)
        a_idx = np.sort(np.concatenate([a_hi, a_lo]))
    else:
        a_idx = np.array([], int)
    # Alternation runs must show the feet moving in opposition (negative correlation of
    # the two feet's heights); in a two-foot bounce, or a side view where one foot hides
    # the other, the difference signal can oscillate with both feet moving together.
    lift_l_raw, lift_r_raw = -fl * cm, -fr * cm
    a_runs = [
        r
        for r in _group_runs(a_idx, t)
        if _feet_correlation(lift_l_raw, lift_r_raw, r[0], r[-1], w_trend) < ALTERNATION_MAX_FEET_CORR
    ]
    # Where an alternation run and bounce events cover the same stretch, one train wins.
    kinds = {}
    keep_b = np.ones(len(b_idx), bool)
    for r in a_runs:
        t0, t1 = t[r[0]] - 0.5 / fps, t[r[-1]] + 0.5 / fps
        in_b = (t[b_idx] >= t0) & (t[b_idx] <= t1)
        # The alternation train wins a stretch when it sees at least as many events and is
        # about as regular as the bounce train there (noise makes irregular extrema).
        if in_b.sum() < MIN_RUN_JUMPS or (len(r) >= in_b.sum() and _cv(t[r]) <= 1.2 * _cv(t[b_idx[in_b]])):
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
    # A run is an alternation run when most of its events came from the alternation train.
    chosen = [
        (r, "alternation" if sum(kinds[int(k)] == "alternation" for k in r) * 2 > len(r) else "bounce")
        for r in _group_runs(ev, t)
    ]

    jumps: list[JumpEvent] = []
    runs_out: list[Run] = []
    rejected: list[str] = []
    accepted: list[str] = []
    for r, kind in chosen:
        ok, why = _rope_evidence(xy_px, int(r[0]), int(r[-1]), stature_px)
        if not ok:
            rejected.append(f"{t[r[0]]:.1f}-{t[r[-1]]:.1f} s: {why}")
            continue
        accepted.append(why)
        run_no = len(runs_out)
        first_jump = len(jumps)
        # A bounce train whose feet move in opposition is an alternate (jogging) step.
        stepping = (
            kind == "alternation"
            or _feet_correlation(lift_l_raw, lift_r_raw, r[0], r[-1], w_trend) < ALTERNATION_MAX_FEET_CORR
        )
        for i, k in enumerate(r):
            prev_k = r[i - 1] if i > 0 else max(0, k - int(0.5 * fps))
            next_k = r[i + 1] if i + 1 < len(r) else min(n - 1, k + int(0.5 * fps))
            lo, hi = (prev_k + k) // 2, (k + next_k) // 2 + 1
            lo = max(0, min(lo, k - 1))
            hi = min(n, max(hi, k + 2))
            wlo, whi = max(0, prev_k), min(n, next_k + 1)
            if kind == "alternation":
                foot = "right" if alt[k] > 0 else "left"
                fy = fr if foot == "right" else fl
                floor_k = np.nanpercentile(fy[wlo:whi], 95) if np.isfinite(fy[wlo:whi]).any() else np.nan
                lift = (floor_k - fy) * cm
                apex = lo + int(np.nanargmax(np.where(np.isfinite(lift[lo:hi]), lift[lo:hi], -np.inf)))
                to_s, ld_s, peak = _fit_flight(t, lift, apex, lo, hi)
                lr_gap, lr_diff = float("nan"), float("nan")
            else:
                foot = "both"
                with np.errstate(all="ignore"):
                    lower = np.fmax(fl, fr)  # both feet must leave: the lower foot sets flight
                floor_k = np.nanpercentile(lower[wlo:whi], 95) if np.isfinite(lower[wlo:whi]).any() else np.nan
                lift = (floor_k - lower) * cm
                apex = lo + int(np.nanargmax(np.where(np.isfinite(lift[lo:hi]), lift[lo:hi], -np.inf)))
                to_s, ld_s, peak = _fit_flight(t, lift, apex, lo, hi)
                lift_l = (floor_k - fl) * cm
                lift_r = (floor_k - fr) * cm
                ld_l, pk_l = _touchdown_time(t, lift_l, apex, lo, hi)
                ld_r, pk_r = _touchdown_time(t, lift_r, apex, lo, hi)
                lr_gap = abs(ld_l - ld_r) if np.isfinite(ld_l) and np.isfinite(ld_r) else float("nan")
                lr_diff = pk_l - pk_r if np.isfinite(pk_l) and np.isfinite(pk_r) else float("nan")
            if not (np.isfinite(to_s) and np.isfinite(ld_s)) or ld_s <= to_s:
                continue  # no measurable flight: a weight shift or noise, not a jump
            if not peak >= MIN_CLEARANCE_CM or apex <= 1 or apex >= n - 2 or ld_s >= t[-1]:
                continue  # too small to be a jump, or cut by the clip's edge
            flight = ld_s - to_s
            h_flight = G_CM_S2 * flight**2 / 8.0
            h_unc = G_CM_S2 * max(flight, 1.0 / fps) / (4.0 * fps)
            if stepping:
                style = "alternate"
                if kind != "alternation":
                    foot = "right" if fr[apex] < fl[apex] else "left"  # the higher foot steps
                    lr_gap, lr_diff = float("nan"), float("nan")
            elif flight >= DOUBLE_UNDER_FLIGHT_S and peak >= DOUBLE_UNDER_MIN_CM:
                style = "double_under"
            else:
                style = "two_foot"
            contact = float("nan")
            if len(jumps) > first_jump:
                contact = to_s - jumps[-1].landing_s
            jumps.append(
                JumpEvent(
                    index=len(jumps),
                    takeoff_frame=min(int(np.searchsorted(t, to_s - 1e-9)), n - 1),
                    apex_frame=int(apex),
                    landing_frame=min(int(np.searchsorted(t, ld_s - 1e-9)), n - 1),
                    takeoff_s=float(to_s),
                    apex_s=float(t[apex]),
                    landing_s=float(ld_s),
                    flight_s=float(flight),
                    contact_before_s=float(contact),
                    height_cm_displacement=float(peak),
                    height_cm_flight_time=float(h_flight),
                    height_uncertainty_cm=float(h_unc),
                    lr_touchdown_gap_s=float(lr_gap),
                    lr_height_diff_cm=float(lr_diff),
                    foot=foot,
                    style=style,
                    run=run_no,
                )
            )
        candidates = jumps[first_jump:]
        del jumps[first_jump:]
        # Filtering can open gaps in the rhythm: split again on the kept events.
        idx = np.array([j.apex_frame for j in candidates], int)
        for piece in _group_runs(idx, t):
            in_piece = set(piece.tolist())
            js = _drop_off_rhythm([j for j in candidates if j.apex_frame in in_piece])
            if len(js) < MIN_RUN_JUMPS:
                continue
            why_not = _implausible(js)
            if why_not:
                rejected.append(f"{js[0].takeoff_s:.1f}-{js[-1].landing_s:.1f} s: {why_not}")
                continue
            run_no = len(runs_out)
            js = [replace(j, run=run_no, index=len(jumps) + i) for i, j in enumerate(js)]
            jumps.extend(js)
            runs_out.append(Run(js[0].takeoff_s, js[-1].landing_s, len(js), js[0].takeoff_frame, js[-1].landing_frame))
    return summarise(jumps, runs_out, t, accepted, rejected)


def _implausible(js: list[JumpEvent]) -> str | None:
    """Why a run cannot be rope skipping, or None. Skipping is rhythmic, and each flight is
    shorter than the interval between jumps (the feet spend part of every cycle on the
    floor); walking or stepping toward the camera breaks one or the other."""
    apex = np.array([j.apex_s for j in js])
    d = np.diff(apex)
    cv = float(np.std(d) / np.mean(d)) if d.size >= 2 and np.mean(d) > 0 else 0.0
    if cv > MAX_RUN_IRREGULARITY:
        return f"movement too irregular for skipping (interval variation {100 * cv:.0f}%)"
    two_foot = [j for j in js if j.foot == "both"]
    if len(two_foot) >= MIN_RUN_JUMPS and d.size:
        ratio = float(np.median([j.flight_s for j in two_foot]) / np.median(d))
        if ratio > MAX_FLIGHT_SHARE:
            return f"flights fill {100 * ratio:.0f}% of each cycle (no ground contact rhythm)"
    return None


def _drop_off_rhythm(js: list[JumpEvent]) -> list[JumpEvent]:
    """Drop events squeezed between two jumps of the rhythm (interval under ``MIN_INTERVAL_SHARE``
    x the run's median interval): a second peak inside one flight, or a bump of noise
    during contact. Of each too-close pair the lower one goes."""
    js = list(js)
    # No flight lasts a whole cycle: the feet land between two take-offs (in a step, each
    # foot's own cycle spans two steps).
    if len(js) >= 3:
        period = float(np.median(np.diff([j.apex_s for j in js])))
        js = [j for j in js if j.flight_s < (period if j.foot == "both" else 2 * period)]
    # A run's first and last events are where standing, swinging the rope over and
    # walking off creep in: trim edge events far smaller than the run's typical jump.
    while len(js) >= MIN_RUN_JUMPS:
        med_h = float(np.median([j.height_cm_displacement for j in js]))
        if js[0].height_cm_displacement < EDGE_MIN_HEIGHT_SHARE * med_h:
            js.pop(0)
        elif js[-1].height_cm_displacement < EDGE_MIN_HEIGHT_SHARE * med_h:
            js.pop()
        else:
            break
    while len(js) >= 3:
        apex = np.array([j.apex_s for j in js])
        d = np.diff(apex)
        med = float(np.median(d))
        i = int(np.argmin(d))
        if d[i] >= MIN_INTERVAL_SHARE * med:
            break
        a, b = js[i], js[i + 1]
        js.pop(i if a.height_cm_displacement < b.height_cm_displacement else i + 1)
    out: list[JumpEvent] = []
    for j in js:
        contact = j.takeoff_s - out[-1].landing_s if out else float("nan")
        out.append(replace(j, contact_before_s=contact))
    return out


def summarise(
    jumps: list[JumpEvent], runs: list[Run], t: np.ndarray, accepted: list[str], rejected: list[str]
) -> JumpAnalysis:
    active = 0.0
    for r in runs:
        js = [j for j in jumps if j.run == runs.index(r)]
        if len(js) >= 2:
            span = js[-1].takeoff_s - js[0].takeoff_s
            active += span * len(js) / (len(js) - 1)
    jpm = 60.0 * len(jumps) / active if active > 0 else 0.0
    windows = []
    if len(t):
        start = float(t[0])
        while start < t[-1]:
            end = min(start + 10.0, float(t[-1]))
            k = sum(1 for j in jumps if start <= j.takeoff_s < end)
            if end - start > 1.0:
                windows.append((start, end, 60.0 * k / (end - start)))
            start += 10.0
    styles: dict[str, int] = {}
    for j in jumps:
        styles[j.style] = styles.get(j.style, 0) + 1
    if jumps:
        evidence = "; ".join(sorted(set(accepted)))
    elif rejected:
        evidence = "no skipping: " + "; ".join(rejected)
    else:
        evidence = "no periodic jumping found"
    notes = [f"not counted: {x}" for x in rejected] if jumps else []
    return JumpAnalysis(jumps, runs, active, jpm, windows, styles, evidence, notes)
