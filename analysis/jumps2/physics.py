"""Phase 3 of jump detection: flights, heights and the clip's time scale, checked against gravity.

A body in flight falls at g. Each jump is measured twice, independently:

* **displacement height** ``h_d``: how far the feet rise above their contact level, through
  the pixel scale (the jumper's stature is the ruler);
* **flight-time height** ``h_t = g t^2 / 8`` from the flight time ``t``, which comes from
  the hop's width at half its height (a ballistic hop is ``sqrt(2)`` times wider at its
  base than at half height, whatever the scale), so it needs no pixel scale at all.

Where both exist and agree within their uncertainties the jump's height is their
inverse-variance mean; where they disagree the height is *not* reported as a number
(the rules that need it say not assessable) and the reason is kept.

**Time scale.** A slow-motion clip replays a flight ``k`` times slower: the clip's flight
time is ``k t``, so the flight-time height read off the clip is ``k^2`` times the true
one while the displacement height is unchanged. The median ratio ``h_t / h_d`` over a
clip's two-foot jumps therefore estimates ``k^2``. Real-time footage gives ratios around 1
(0.7-1.2 on the shared real clips: knees tucking in flight and the scale's own error
spread it); phones record slow motion at 2x or more, so a clip is called slow motion only
when the estimate's lower bound clears ``sqrt(2)`` (halfway between 1x and 2x on a log
scale). A real-time clip is never called slow motion on weak evidence: too few jumps or
feet out of view leave the time scale at 1 and say it could not be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .signals import JumpSignals

G_CM_S2 = 981.0
#: Flight timing is measured where the feet cross this share of the hop's height.
HALF = 0.5
#: Left/right touchdown gap: the descending edges of the two feet are compared at these
#: shares of each foot's own hop height (averaging levels steadies it against noise).
DESCENT_LEVELS = (0.3, 0.5, 0.7)
#: A hop whose feet rise less than this (cm) is not a jump: noise, a heel raise or a
#: weight shift (the article's jumps are 2-5 cm; even very low skipping clears ~1 cm).
MIN_CLEARANCE_CM = 1.2
#: Both feet time a two-foot flight only where both are seen in this share of the hop's
#: window; otherwise the foot that is seen stands for both.
BOTH_FEET_MIN_SEEN = 0.8
#: Agreement of the two height estimates: within this many combined standard deviations.
AGREE_SIGMAS = 2.0
#: Slow motion is called when the time-scale estimate's lower bound (this many standard
#: errors below it) exceeds sqrt(2): see the module docstring.
SLOWMO_MIN_FACTOR = float(np.sqrt(2.0))
SLOWMO_SIGMAS = 2.0
#: Jumps needed for a time-scale estimate (fewer cannot separate a trend from noise).
SLOWMO_MIN_JUMPS = 4
#: A jump enters the time-scale estimate only when its displacement is at least this many
#: times its own landmark noise (a hop lost in the noise gives a meaningless ratio).
SLOWMO_MIN_SNR = 4.0


@dataclass(frozen=True)
class Flight:
    """One hop measured on the feet (clip time; NaN where not measurable)."""

    apex: int  # frame of the hop's apex
    takeoff_s: float
    landing_s: float
    height_cm: float  # displacement height (feet above their contact level)
    noise_cm: float  # landmark noise of this hop's lift signal (1 sigma)
    lr_gap_s: float  # |left - right| touchdown time (two-foot hops)
    lr_diff_cm: float  # left minus right peak clearance (two-foot hops)

    @property
    def ok(self) -> bool:
        return bool(np.isfinite(self.takeoff_s) and np.isfinite(self.landing_s) and self.landing_s > self.takeoff_s)

    @property
    def duration_s(self) -> float:
        return self.landing_s - self.takeoff_s if self.ok else float("nan")


@dataclass(frozen=True)
class TimeScale:
    """How much slower than real time the clip plays (1 = real time)."""

    factor: float
    source: str  # "real time" | "estimated" | "user"
    estimate: float  # the gravity estimate (NaN when it could not be made)
    uncertainty: float  # 1 sigma of the estimate
    n_jumps: int  # jumps the estimate rests on
    note: str  # one sentence for the report

    def to_dict(self) -> dict:
        return {"factor": self.factor, "source": self.source, "estimate": self.estimate,
                "uncertainty": self.uncertainty, "n_jumps": self.n_jumps, "note": self.note}


@dataclass(frozen=True)
class Height:
    """A jump's height from both estimates, with the verdict of the gravity check."""

    displacement_cm: float
    displacement_sigma_cm: float
    flight_time_cm: float
    flight_time_sigma_cm: float
    best_cm: float  # NaN when the two disagree or neither exists
    sigma_cm: float
    status: str  # "ok" | "disagree" | "displacement only" | "flight time only" | "not measured"


def _hump(lift: np.ndarray, k: int, lo: int, hi: int) -> tuple[int, float, float, float] | None:
    """(apex index, base, height, noise) of the hop around k in ``lift[lo:hi]``: the base is
    the median of the window's lowest third (the contact phase); the noise is the spread of
    that lowest third."""
    seg = lift[lo:hi]
    ok = np.isfinite(seg)
    if ok.sum() < 3:
        return None
    vals = np.sort(seg[ok])
    low = vals[: max(1, len(vals) // 3)]
    base = float(np.median(low))
    noise = float(0.5 * (np.percentile(low, 84) - np.percentile(low, 16))) if low.size >= 3 else 0.0
    j = k - lo if np.isfinite(seg[k - lo]) else int(np.nanargmax(seg))
    height = float(seg[j]) - base
    return (lo + j, base, height, noise) if height > 0 else None


def _crossing(t: np.ndarray, lift: np.ndarray, i: int, step: int, level: float, limit: int) -> float:
    """Time where ``lift`` falls to ``level`` walking from index i in direction ``step``
    (linear interpolation); NaN when it has not fallen within ``limit`` samples (the hop
    runs into its neighbour's window: its shape cannot time a flight)."""
    start = i
    while 0 <= i + step < len(lift) and np.isfinite(lift[i + step]) and lift[i + step] > level:
        i += step
        if abs(i - start) >= limit:
            return float("nan")
    o = i + step
    if not (0 <= o < len(lift)) or not np.isfinite(lift[o]):
        return float(t[i])  # the clip or the landmarks end inside the hop
    f = (lift[i] - level) / (lift[i] - lift[o])
    return float(t[i] + f * (t[o] - t[i]))


def _descent_time(t: np.ndarray, lift: np.ndarray, k: int, lo: int, hi: int) -> tuple[float, float]:
    """(one foot's descent time, its hop height): mean time its lift falls through
    ``DESCENT_LEVELS`` of its own height. The offsets the levels add are the same for
    both feet and cancel in their difference."""
    hump = _hump(lift, k, lo, hi)
    if hump is None:
        return float("nan"), float("nan")
    apex, base, height, _ = hump
    times = [_crossing(t, lift, apex, +1, base + share * height, 2 * (hi - lo)) for share in DESCENT_LEVELS]
    times = [x for x in times if np.isfinite(x)]
    return (float(np.mean(times)) if len(times) == len(DESCENT_LEVELS) else float("nan")), height


def measure_flight(sig: JumpSignals, k: int, prev_k: int, next_k: int, foot: str) -> Flight:
    """Measure the hop at candidate frame ``k`` between its neighbours ``prev_k`` and ``next_k``.

    ``foot`` is "both" (two-foot: the lower foot sets the flight), "left" or "right" (the
    stepping foot of an alternate step). The local floor is the 95th percentile of the foot's
    image row around the hop, so a floor line a little off does not bias the height.
    """
    t, n = sig.t_s, sig.n
    lo, hi = (prev_k + k) // 2, (k + next_k) // 2 + 1
    lo, hi = max(0, min(lo, k - 1)), min(n, max(hi, k + 2))
    wlo, whi = max(0, prev_k), min(n, next_k + 1)
    nan = float("nan")
    if foot == "both":
        # Both feet leave the floor only when the lower one does. Where one foot is seen in
        # only part of the window (the far foot in a side view, which the pose model guesses
        # now and then), the foot that is seen stands for both.
        seen_l = float(np.isfinite(sig.lift_left_cm[wlo:whi]).mean()) if whi > wlo else 0.0
        seen_r = float(np.isfinite(sig.lift_right_cm[wlo:whi]).mean()) if whi > wlo else 0.0
        if min(seen_l, seen_r) >= BOTH_FEET_MIN_SEEN:
            lift = np.fmin(sig.lift_left_cm, sig.lift_right_cm)
        else:
            lift = sig.lift_left_cm if seen_l >= seen_r else sig.lift_right_cm
    else:
        lift = sig.lift_left_cm if foot == "left" else sig.lift_right_cm
    if not np.isfinite(lift[wlo:whi]).any():
        return Flight(k, nan, nan, nan, nan, nan, nan)
    lift = lift - np.nanpercentile(lift[wlo:whi], 5)
    seg = lift[lo:hi]
    apex = lo + int(np.nanargmax(np.where(np.isfinite(seg), seg, -np.inf)))
    hump = _hump(lift, apex, lo, hi)
    if hump is None:
        return Flight(apex, nan, nan, nan, nan, nan, nan)
    apex, base, height, noise = hump
    level = base + HALF * height
    left = _crossing(t, lift, apex, -1, level, max(1, apex - lo + 1))
    right = _crossing(t, lift, apex, +1, level, max(1, hi - apex))
    if not (np.isfinite(left) and np.isfinite(right)) or right <= left:
        return Flight(apex, nan, nan, height, noise, nan, nan)
    flight = (right - left) / np.sqrt(1.0 - HALF)
    mid = 0.5 * (left + right)
    gap, diff = nan, nan
    if foot == "both" and min(seen_l, seen_r) >= BOTH_FEET_MIN_SEEN:
        base_l, base_r = sig.lift_left_cm - np.nanpercentile(sig.lift_left_cm[wlo:whi], 5), \
            sig.lift_right_cm - np.nanpercentile(sig.lift_right_cm[wlo:whi], 5)
        ld_l, pk_l = _descent_time(t, base_l, apex, lo, hi)
        ld_r, pk_r = _descent_time(t, base_r, apex, lo, hi)
        gap = abs(ld_l - ld_r) if np.isfinite(ld_l) and np.isfinite(ld_r) else nan
        diff = pk_l - pk_r if np.isfinite(pk_l) and np.isfinite(pk_r) else nan
    return Flight(apex, mid - flight / 2, mid + flight / 2, height, noise, gap, diff)


def estimate_time_scale(
    flights: list[Flight], scale_rel_uncertainty: float, user_factor: float | None = None
) -> TimeScale:
    """The clip's time scale from its two-foot flights (see the module docstring)."""
    usable = [f for f in flights if f.ok and f.height_cm >= max(MIN_CLEARANCE_CM, SLOWMO_MIN_SNR * f.noise_cm)]
    ratios = np.array([G_CM_S2 * f.duration_s**2 / 8.0 / f.height_cm for f in usable], float)
    est, sig = float("nan"), float("nan")
    if ratios.size >= SLOWMO_MIN_JUMPS:
        k = np.sqrt(ratios)
        est = float(np.median(k))
        # Standard error of a median (1.2533 x the MAD-based sigma / sqrt(n)), plus the scale's
        # share: h_d is proportional to the scale, so k goes with its square root.
        spread = 1.4826 * float(np.median(np.abs(k - est)))
        rel_scale = 0.5 * (scale_rel_uncertainty if np.isfinite(scale_rel_uncertainty) else 0.1)
        sig = float(np.hypot(1.2533 * spread / np.sqrt(k.size), rel_scale * est))
    if user_factor is not None:
        note = f"slow motion {user_factor:g}x as stated; every duration and speed is corrected for it"
        if np.isfinite(est):
            note += f" (gravity gives {est:.1f}x +- {sig:.1f})"
        return TimeScale(float(user_factor), "user", est, sig, int(ratios.size), note)
    if np.isfinite(est) and est - SLOWMO_SIGMAS * sig > SLOWMO_MIN_FACTOR:
        return TimeScale(est, "estimated", est, sig, int(ratios.size),
                         f"the clip plays about {est:.1f}x slower than real time (flights fall at "
                         f"{G_CM_S2 / est**2 / 100:.1f} m/s^2 instead of 9.8): it is treated as slow motion and "
                         "every duration, speed and flight-time height is corrected; state the factor if you know it")
    if np.isfinite(est):
        return TimeScale(1.0, "real time", est, sig, int(ratios.size),
                         f"real time (the flights fall at gravity's rate: time-scale estimate {est:.2f} +- {sig:.2f})")
    return TimeScale(1.0, "real time", est, sig, int(ratios.size),
                     "assumed real time: too few two-foot flights with the feet in view to check it against gravity; "
                     "state the slow-motion factor if the clip is slowed down")


def flight_time_height(duration_s: float, fps: float, factor: float) -> tuple[float, float]:
    """(h, sigma) from a clip-time flight duration: h = g t^2 / 8 in physical time, with the
    uncertainty of +-1 frame of timing (dh = g t dt / 4)."""
    if not np.isfinite(duration_s):
        return float("nan"), float("nan")
    t = duration_s / factor
    dt = 1.0 / (fps * factor)
    return G_CM_S2 * t * t / 8.0, G_CM_S2 * max(t, dt) * dt / 4.0


def combine_heights(flight: Flight, fps: float, factor: float, scale_rel: float, two_foot: bool) -> Height:
    """Both height estimates of one hop, and whether they agree (see the module docstring).

    A stepping foot's lift in an alternate step is not a ballistic flight of the body, so
    only its displacement is reported there."""
    h_d = flight.height_cm
    rel = scale_rel if np.isfinite(scale_rel) else 0.1
    s_d = float(np.hypot(h_d * rel, flight.noise_cm)) if np.isfinite(h_d) else float("nan")
    h_t, s_t = flight_time_height(flight.duration_s, fps, factor) if two_foot else (float("nan"), float("nan"))
    has_d, has_t = bool(np.isfinite(h_d)), bool(np.isfinite(h_t))
    if has_d and has_t:
        if abs(h_d - h_t) <= AGREE_SIGMAS * np.hypot(s_d, s_t):
            w_d, w_t = 1.0 / max(s_d, 1e-6) ** 2, 1.0 / max(s_t, 1e-6) ** 2
            best = (w_d * h_d + w_t * h_t) / (w_d + w_t)
            return Height(h_d, s_d, h_t, s_t, float(best), float(1.0 / np.sqrt(w_d + w_t)), "ok")
        return Height(h_d, s_d, h_t, s_t, float("nan"), float("nan"), "disagree")
    if has_d:
        return Height(h_d, s_d, h_t, s_t, h_d, s_d, "displacement only")
    if has_t:
        return Height(h_d, s_d, h_t, s_t, h_t, s_t, "flight time only")
    return Height(h_d, s_d, h_t, s_t, float("nan"), float("nan"), "not measured")
