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
position in the contact phases around the jump; a parabola fitted to the samples above
a share of the peak gives take-off and landing where it meets the floor (sub-frame), so
flight time survives a low frame rate; a plain threshold crossing is the fallback.
Height is reported two ways: the feet's peak displacement scaled to cm, and from flight
time, ``h = g t^2 / 8``, with the uncertainty from +-1 frame of timing.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from .landmarks import Landmark as L
from .signals import median_filter_1d
from .scale import foot_bottom_y
from .types import JumpAnalysis, JumpEvent, Run

G_CM_S2 = 981.0
#: Fastest plausible skipping: 8 take-offs a second (speed steps reach ~7/s).
MAX_RATE_HZ = 8.0
#: Slowest cadence inside a run: events further apart than this start a new run.
MAX_INTERVAL_S = 1.0
#: An interval this many times the run's median interval is a break in the rhythm.
RHYTHM_BREAK = 2.2
#: Events closer than this share of the run's median interval are off the rhythm.
MIN_INTERVAL_SHARE = 0.55
#: A jump whose feet rise less than this (cm) is not counted: noise, a heel raise or a
#: weight shift (the article's jumps are 2-5 cm; even very low skipping clears ~1 cm).
MIN_CLEARANCE_CM = 1.2
#: A run needs this many events (a single hop or a rope swing is not skipping).
MIN_RUN_JUMPS = 3
#: Hip bob prominence needed for a bounce event, as a share of stature (~2 cm at 170 cm).
BOUNCE_PROMINENCE_FRAC = 0.012
#: Foot-height difference prominence for an alternation event, share of stature (~4 cm).
ALTERNATION_PROMINENCE_FRAC = 0.025
#: Alternation runs need the feet to move in opposition (correlation below this).
ALTERNATION_MAX_FEET_CORR = 0.0
#: Rope evidence: share of run frames with both wrists below the shoulders.
MIN_WRISTS_BELOW_SHOULDERS = 0.8
#: Rope evidence: spread (p90 - p10) of the ankle separation, share of stature; a
#: jumping jack opens the feet by ~20-30 % of stature, skipping keeps them together.
MAX_FOOT_SPREAD_FRAC = 0.12
#: Parabola fit uses samples above this share of the peak lift.
FIT_LEVEL = 0.3
#: Threshold-crossing fallback level (share of the peak lift).
CROSS_LEVEL = 0.15
#: Flight time from which a two-foot jump is labelled a double-under (a basic bounce of
#: 2-5 cm flies 0.13-0.20 s; a double-under needs the rope to pass twice, ~0.35 s+).
DOUBLE_UNDER_FLIGHT_S = 0.35


def _mid_y(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    return (xy[:, a, 1] + xy[:, b, 1]) / 2.0


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
    out = []
    for run in _split(np.asarray(idx, int), t, MAX_INTERVAL_S):
        if run.size < MIN_RUN_JUMPS:
            continue
        med = float(np.median(np.diff(t[run])))
        out.extend(r for r in _split(run, t, RHYTHM_BREAK * med) if r.size >= MIN_RUN_JUMPS)
    return out


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
    ok = np.isfinite(sho) & np.isfinite(wl) & np.isfinite(wr)
    if ok.sum() < 3:
        return False, "wrists not visible, so rope turning cannot be confirmed"
    below = float(np.mean((wl[ok] > sho[ok]) & (wr[ok] > sho[ok])))
    sep = np.abs(xy[seg, L.LEFT_ANKLE, 0] - xy[seg, L.RIGHT_ANKLE, 0]) / stature_px[seg]
    sep = sep[np.isfinite(sep)]
    spread = float(np.percentile(sep, 90) - np.percentile(sep, 10)) if sep.size > 3 else 0.0
    if below < MIN_WRISTS_BELOW_SHOULDERS:
        return False, f"hands above the shoulders in {100 * (1 - below):.0f}% of frames (arm swings, not rope turning)"
    if spread > MAX_FOOT_SPREAD_FRAC:
        return False, f"feet open and close by {100 * spread:.0f}% of body height (a jumping jack, not skipping)"
    return True, f"hands below the shoulders in {100 * below:.0f}% of frames, feet kept under the body"


def _fit_flight(t: np.ndarray, lift: np.ndarray, k: int, lo: int, hi: int, fps: float) -> tuple[float, float, float]:
    """(takeoff_s, landing_s, peak_cm) of the hop around index k in lift[lo:hi] (cm above floor)."""
    seg_t, seg = t[lo:hi], lift[lo:hi]
    j = k - lo
    peak = float(seg[j]) if np.isfinite(seg[j]) else float(np.nanmax(seg))
    if not np.isfinite(peak) or peak <= 0:
        return float("nan"), float("nan"), float("nan")
    # Contiguous stretch above FIT_LEVEL * peak around the apex.
    above = np.isfinite(seg) & (seg >= FIT_LEVEL * peak)
    s = j
    while s - 1 >= 0 and above[s - 1]:
        s -= 1
    e = j
    while e + 1 < len(seg) and above[e + 1]:
        e += 1
    if e - s + 1 >= 3:
        tt = seg_t[s : e + 1] - seg_t[j]
        c2, c1, c0 = np.polyfit(tt, seg[s : e + 1], 2)
        disc = c1 * c1 - 4 * c2 * c0
        if c2 < 0 and disc > 0:
            r1 = (-c1 + np.sqrt(disc)) / (2 * c2)
            r2 = (-c1 - np.sqrt(disc)) / (2 * c2)
            lo_r, hi_r = sorted((r1, r2))
            half = 1.5 * (e - s + 2) / fps
            if -half <= lo_r < 0 < hi_r <= half and seg_t[j] + lo_r >= seg_t[0] - 1.0 / fps and seg_t[j] + hi_r <= seg_t[-1] + 1.0 / fps:
                vertex = c0 - c1 * c1 / (4 * c2)
                return seg_t[j] + lo_r, seg_t[j] + hi_r, float(min(vertex, 1.5 * peak))
    # Fallback: linear interpolation of the crossings of CROSS_LEVEL * peak.
    lvl = CROSS_LEVEL * peak
    s = j
    while s - 1 >= 0 and np.isfinite(seg[s - 1]) and seg[s - 1] > lvl:
        s -= 1
    e = j
    while e + 1 < len(seg) and np.isfinite(seg[e + 1]) and seg[e + 1] > lvl:
        e += 1

    def cross(i0: int, i1: int) -> float:
        if not (0 <= i0 < len(seg) and 0 <= i1 < len(seg)) or not np.isfinite(seg[i0]) or seg[i1] == seg[i0]:
            return float(seg_t[min(max(i1, 0), len(seg) - 1)])
        f = (lvl - seg[i0]) / (seg[i1] - seg[i0])
        return float(seg_t[i0] + f * (seg_t[i1] - seg_t[i0]))

    return cross(s - 1, s), cross(e + 1, e), peak


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
    stature_cm = np.nanmedian(cm_per_px * 0 + 1) * 0  # placeholder to keep dtype
    cm = np.asarray(cm_per_px, float)
    stature_cm = 1.0 / cm  # px per cm
    hip_up_cm = -_mid_y(xy_px, L.LEFT_HIP, L.RIGHT_HIP) * cm
    w_trend = int(round(1.2 * fps))
    bounce = _detrend(hip_up_cm, w_trend)
    fl, fr = foot_bottom_y(xy_px)
    alt = (fl - fr) * cm  # + when the right foot is higher
    height_cm = float(np.nanmedian(cm * (1.0 / cm)))  # 1.0, units check
    del stature_cm, height_cm
    # Stature in cm is the scale's input: recover it from any frame (cm_per_px * stature_px).
    dist = int(fps / MAX_RATE_HZ)
    from .scale import body_height_px, floor_line_y  # noqa: PLC0415

    floor = floor_line_y(xy_px, fps)
    stature_px = body_height_px(xy_px, floor)
    stature_px = np.where(np.isfinite(stature_px) & (stature_px > 10), stature_px, np.nanmedian(stature_px))
    stature_cm_arr = stature_px * cm
    stat = float(np.nanmedian(stature_cm_arr)) if np.isfinite(stature_cm_arr).any() else 170.0
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
    a_runs = [r for r in _group_runs(a_idx, t) if _feet_correlation(lift_l_raw, lift_r_raw, r[0], r[-1], w_trend) < ALTERNATION_MAX_FEET_CORR]
    # Where an alternation run and bounce events cover the same stretch, the denser train wins.
    kinds = {}
    keep_b = np.ones(len(b_idx), bool)
    for r in a_runs:
        t0, t1 = t[r[0]] - 0.5 / fps, t[r[-1]] + 0.5 / fps
        in_b = (t[b_idx] >= t0) & (t[b_idx] <= t1)
        if len(r) >= in_b.sum():
            keep_b &= ~in_b
            for k in r:
                kinds[int(k)] = "alternation"
    for k in b_idx[keep_b]:
        if not any(abs(t[k] - t[a]) < 0.5 / MAX_RATE_HZ for a in kinds):
            kinds[int(k)] = "bounce"
    ev = np.array(sorted(kinds), int)
    if ev.size:
        keep = [ev[0]]
        for k in ev[1:]:
            if t[k] - t[keep[-1]] >= 1.0 / MAX_RATE_HZ:
                keep.append(k)
        ev = np.asarray(keep, int)
    chosen = [(r, kinds[int(r[0])]) for r in _group_runs(ev, t)]
    chosen = [(r, "alternation" if sum(kinds[int(k)] == "alternation" for k in r) * 2 > len(r) else "bounce") for r, _ in chosen]

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
                to_s, ld_s, peak = _fit_flight(t, lift, apex, lo, hi, fps)
                lr_gap, lr_diff = float("nan"), float("nan")
            else:
                foot = "both"
                with np.errstate(all="ignore"):
                    lower = np.fmax(fl, fr)  # both feet must leave: the lower foot sets flight
                floor_k = np.nanpercentile(lower[wlo:whi], 95) if np.isfinite(lower[wlo:whi]).any() else np.nan
                lift = (floor_k - lower) * cm
                apex = lo + int(np.nanargmax(np.where(np.isfinite(lift[lo:hi]), lift[lo:hi], -np.inf)))
                to_s, ld_s, peak = _fit_flight(t, lift, apex, lo, hi, fps)
                lift_l = (floor_k - fl) * cm
                lift_r = (floor_k - fr) * cm
                _, ld_l, pk_l = _fit_flight(t, lift_l, apex, lo, hi, fps)
                _, ld_r, pk_r = _fit_flight(t, lift_r, apex, lo, hi, fps)
                lr_gap = abs(ld_l - ld_r) if np.isfinite(ld_l) and np.isfinite(ld_r) else float("nan")
                lr_diff = pk_l - pk_r if np.isfinite(pk_l) and np.isfinite(pk_r) else float("nan")
            if not (np.isfinite(to_s) and np.isfinite(ld_s)) or ld_s <= to_s:
                continue  # no measurable flight: a weight shift or noise, not a jump
            if not peak >= MIN_CLEARANCE_CM or apex in (0, n - 1):
                continue  # too small to be a jump, or cut by the clip's edge
            flight = ld_s - to_s
            h_flight = G_CM_S2 * flight**2 / 8.0
            h_unc = G_CM_S2 * max(flight, 1.0 / fps) / (4.0 * fps)
            if kind == "alternation":
                style = "alternate"
            else:
                style = "double_under" if flight >= DOUBLE_UNDER_FLIGHT_S else "two_foot"
            contact = float("nan")
            if len(jumps) > first_jump:
                contact = to_s - jumps[-1].landing_s
            jumps.append(
                JumpEvent(
                    index=len(jumps),
                    takeoff_frame=int(min(np.searchsorted(t, to_s - 1e-9), n - 1)),
                    apex_frame=int(apex),
                    landing_frame=int(min(np.searchsorted(t, ld_s - 1e-9), n - 1)),
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
        js = _drop_off_rhythm(jumps[first_jump:])
        del jumps[first_jump:]
        jumps.extend(js)
        if len(js) < MIN_RUN_JUMPS:
            del jumps[first_jump:]
            continue
        runs_out.append(Run(js[0].takeoff_s, js[-1].landing_s, len(js), js[0].takeoff_frame, js[-1].landing_frame))
    # Events dropped off the rhythm leave gaps in the indices: number the kept jumps 0..n-1
    # (rule columns and CSV rows are looked up by this index).
    from dataclasses import replace  # noqa: PLC0415

    jumps = [replace(j, index=i) for i, j in enumerate(jumps)]
    return summarise(jumps, runs_out, t, accepted, rejected)


def _drop_off_rhythm(js: list[JumpEvent]) -> list[JumpEvent]:
    """Drop events squeezed between two jumps of the rhythm (interval under ``MIN_INTERVAL_SHARE``
    x the run's median interval): a second peak inside one flight, or a bump of noise
    during contact. Of each too-close pair the lower one goes."""
    js = list(js)
    while len(js) >= 3:
        apex = np.array([j.apex_s for j in js])
        d = np.diff(apex)
        med = float(np.median(d))
        i = int(np.argmin(d))
        if d[i] >= MIN_INTERVAL_SHARE * med:
            break
        a, b = js[i], js[i + 1]
        js.pop(i if a.height_cm_displacement < b.height_cm_displacement else i + 1)
    from dataclasses import replace  # noqa: PLC0415

    out = []
    for j in js:
        contact = j.takeoff_s - out[-1].landing_s if out else float("nan")
        out.append(replace(j, contact_before_s=contact))
    return out


def summarise(jumps: list[JumpEvent], runs: list[Run], t: np.ndarray, accepted: list[str], rejected: list[str]) -> JumpAnalysis:
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
