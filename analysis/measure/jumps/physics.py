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
feet out of view leave the time scale at 1 and say it could not be checked. The torso's fall
in the middle of each flight reads the same factor a second way (``g / k^2``); on a short
slow-motion clip, whose few flights each span many frames, it may decide alone
(``fall_alone``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...types import TimeScale
from ..signals import hampel_window
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
#: The shape check: a free flight is a parabola, whose width at a share ``s`` of its height
#: is ``t sqrt(1 - s)``; the flight read at 30 % and at 70 % of the height must then agree
#: within this factor. A hop that rises early (the heel lifting before take-off, a foot
#: landmark that lags) reads longer low down and is no clock for gravity.
SHAPE_LEVELS = (0.5, 0.8)
SHAPE_TOLERANCE = 1.2
#: Both feet time a two-foot flight only where both are seen in this share of the hop's
#: window; otherwise the foot that is seen stands for both.
BOTH_FEET_MIN_SEEN = 0.8
#: The pose model's error on a hop's displacement beyond the clip's own landmark noise (the
#: foot's lowest point is a guess between heel and toe landmarks), and on its flight time
#: as a share of the flight (a foot landmark that lags or a heel that rises early widens the
#: hop). Provisional, from the randomised suite's first development seeds (1000-1033:
#: displacement 0.8 cm RMS side-on, up to 2 cm from the front and back; flight times 10-35 %
#: long); ``bench/calibrate.py`` re-measures them.
DISPLACEMENT_ERROR_CM = 1.5
FLIGHT_TIME_REL_ERROR = 0.2
#: Agreement of the two height estimates: within this many combined standard deviations.
AGREE_SIGMAS = 2.0
#: Slow motion is called when the time-scale estimate's lower bound (this many standard
#: errors below it) exceeds sqrt(2): see the module docstring.
SLOWMO_MIN_FACTOR = float(np.sqrt(2.0))
SLOWMO_SIGMAS = 2.0
#: Jumps needed for a time-scale estimate (fewer cannot separate a trend from noise).
SLOWMO_MIN_JUMPS = 4
#: The torso's free fall is fitted over the middle 60 % of each flight, on at least four
#: frames (a parabola through fewer is all noise). A real-time hop at 30 fps gives too
#: few: real time is then assumed, and said; slow motion stretches flights over many.
FREE_FALL_SHARE = 0.6
FREE_FALL_MIN_FRAMES = 4
#: The two readings of the time scale must agree within this factor for slow motion to be
#: called (their errors are of that order on slowed-down synthetic clips: 20-40 %).
SLOWMO_AGREEMENT = 1.5
#: A jump enters the time-scale estimate only when its displacement is at least this many
#: times its own landmark noise (a hop lost in the noise gives a meaningless ratio).
SLOWMO_MIN_SNR = 4.0
#: The torso's fall alone (``fall_alone``), where gravity's two readings do not both stand
#: (the feet's is usually missing: too few free-flight hops clear of their noise on a short
#: slow-motion clip of 3-5 jumps). Each flight's parabola must be fitted on at least this
#: many frames (three numbers fitted, two degrees of freedom left for its error) ...
FALL_FIT_MIN_FRAMES = 5
#: ... to within this share of its time scale (1 sigma): half the gap between real time
#: and sqrt(2), the smallest factor called slow motion.
FALL_FIT_MAX_REL = 0.2
#: Flights needed: one flight can be a stumble or a landmark's glitch; two must agree.
FALL_ALONE_MIN_JUMPS = 2
#: The bias a clip's flights share (1 sigma, relative; see ``fall_alone``): the root mean
#: square of log k read this way on real-time clips, 0.26 on the 7 shared real clips that
#: give a reading (every one of them reads slow: 1.15-1.48, the double-unders most) and 0.25
#: on the 73 real-time development seeds of 1000-1159 that give one. With ``SLOWMO_SIGMAS``
#: the torso alone calls slow motion only from about 2.9x: a phone's 4x and 8x, never 2x.
FALL_SYSTEMATIC_REL = 0.25
#: What each of gravity's two readings shares across a clip's flights (1 sigma, relative),
#: which weighs them where both exist (``combine_readings``): the root mean square of log k
#: read on real-time clips, the larger of two sets. The feet's flights (``k_flight``): 0.10 on
#: the 7 shared real clips that give a reading (0.81-1.01) and 0.27 on the 79 real-time
#: development seeds of 1000-1159 that give one. The torso's fall on every flight
#: (``free_fall_curvature``, without ``fall_alone``'s precision filter): 0.42 on the same 7
#: real clips (every one reads slow, 1.17-1.83: a real body's hips and shoulders do not fall
#: freely while its legs move under them) and 0.22 on 71 development seeds.
FLIGHT_SHARED_REL = 0.27
FALL_SHARED_REL = 0.42


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
    #: Flight time read at 50 % and at 80 % of the hop's height (each corrected by the
    #: parabola's width at that level); a ballistic hop gives the same flight at both.
    shape_ratio: float = float("nan")

    @property
    def ballistic(self) -> bool:
        """The hop has the shape of a free flight (see ``SHAPE_TOLERANCE``)."""
        return bool(np.isfinite(self.shape_ratio) and abs(np.log(self.shape_ratio)) <= np.log(SHAPE_TOLERANCE))

    @property
    def ok(self) -> bool:
        return bool(np.isfinite(self.takeoff_s) and np.isfinite(self.landing_s) and self.landing_s > self.takeoff_s)

    @property
    def duration_s(self) -> float:
        return self.landing_s - self.takeoff_s if self.ok else float("nan")


@dataclass(frozen=True)
class Height:
    """A jump's height from both estimates, with the verdict of the gravity check."""

    displacement_cm: float
    displacement_sigma_cm: float
    flight_time_cm: float
    flight_time_sigma_cm: float
    best_cm: float  # NaN when the two disagree or neither exists
    sigma_cm: float
    #: "ok" | "disagree" | "displacement only" | "flight time only" | "toes hidden" |
    #: "rise cut" | "not measured"
    status: str


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
    base = float(low[(low.size - 1) // 2] + low[low.size // 2]) / 2.0  # median of the sorted third
    m = low.size - 1
    noise = float(0.5 * (low[round(0.84 * m)] - low[round(0.16 * m)])) if low.size >= 3 else 0.0
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


def _floor5(x: np.ndarray) -> float:
    """The 5th percentile of the finite values (the foot's contact level in its window)."""
    v = x[np.isfinite(x)]
    return float(np.partition(v, int(0.05 * (v.size - 1)))[int(0.05 * (v.size - 1))]) if v.size else float("nan")


def measure_flight(sig: JumpSignals, k: int, prev_k: int, next_k: int, foot: str) -> Flight:
    """Measure the hop at candidate frame ``k`` between its neighbours ``prev_k`` and ``next_k``.

    ``foot`` is "both" (two-foot: the lower foot sets the flight), "left" or "right" (the
    stepping foot of an alternate step). The local floor is the 5th percentile of the foot's
    lift around the hop, so a floor line a little off does not bias the height. Everything is
    read inside the window between the neighbours (one hop's work does not grow with the clip).
    """
    n = sig.n
    wlo, whi = max(0, prev_k), min(n, next_k + 1)
    lo, hi = (prev_k + k) // 2, (k + next_k) // 2 + 1
    lo, hi = max(wlo, min(lo, k - 1)), min(whi, max(hi, k + 2))
    t = sig.t_s[wlo:whi]
    left_w, right_w = sig.lift_left_cm[wlo:whi], sig.lift_right_cm[wlo:whi]
    lo, hi, kk = lo - wlo, hi - wlo, k - wlo  # window-local indices from here on
    nan = float("nan")
    seen_l = float(np.isfinite(left_w).mean()) if whi > wlo else 0.0
    seen_r = float(np.isfinite(right_w).mean()) if whi > wlo else 0.0
    if foot == "both":
        # Both feet leave the floor only when the lower one does. Where one foot is seen in
        # only part of the window (the far foot in a side view, which the pose model guesses
        # now and then), the foot that is seen stands for both.
        if min(seen_l, seen_r) >= BOTH_FEET_MIN_SEEN:
            lift = np.fmin(left_w, right_w)
        else:
            lift = left_w if seen_l >= seen_r else right_w
    else:
        lift = left_w if foot == "left" else right_w
    if not np.isfinite(lift).any():
        return Flight(k, nan, nan, nan, nan, nan, nan)
    lift = lift - _floor5(lift)
    seg = lift[lo:hi]
    apex = lo + int(np.nanargmax(np.where(np.isfinite(seg), seg, -np.inf)))
    hump = _hump(lift, apex, lo, hi)
    if hump is None:
        return Flight(wlo + apex, nan, nan, nan, nan, nan, nan)
    apex, base, height, noise = hump
    level = base + HALF * height
    left = _crossing(t, lift, apex, -1, level, max(1, apex - lo + 1))
    right = _crossing(t, lift, apex, +1, level, max(1, hi - apex))
    if not (np.isfinite(left) and np.isfinite(right)) or right <= left:
        return Flight(wlo + apex, nan, nan, height, noise, nan, nan)
    flight = (right - left) / np.sqrt(1.0 - HALF)
    mid = 0.5 * (left + right)
    widths = []
    for share in SHAPE_LEVELS:
        lv = base + share * height
        a_ = _crossing(t, lift, apex, -1, lv, max(1, apex - lo + 1))
        b_ = _crossing(t, lift, apex, +1, lv, max(1, hi - apex))
        widths.append(
            (b_ - a_) / np.sqrt(1.0 - share) if np.isfinite(a_) and np.isfinite(b_) and b_ > a_ else float("nan")
        )
    shape = widths[0] / widths[1] if all(np.isfinite(widths)) and widths[1] > 0 else float("nan")
    gap, diff = nan, nan
    if foot == "both" and min(seen_l, seen_r) >= BOTH_FEET_MIN_SEEN:
        ld_l, pk_l = _descent_time(t, left_w - _floor5(left_w), apex, lo, hi)
        ld_r, pk_r = _descent_time(t, right_w - _floor5(right_w), apex, lo, hi)
        gap = abs(ld_l - ld_r) if np.isfinite(ld_l) and np.isfinite(ld_r) else nan
        diff = pk_l - pk_r if np.isfinite(pk_l) and np.isfinite(pk_r) else nan
    del kk
    return Flight(wlo + apex, mid - flight / 2, mid + flight / 2, height, noise, gap, diff, float(shape))


def _flight_middle(t: np.ndarray, torso_cm: np.ndarray, flight: Flight) -> tuple[np.ndarray, float]:
    """(frames in the middle ``FREE_FALL_SHARE`` of the flight where the torso is seen, the
    flight's middle time); no frames where the flight is not timed."""
    if not flight.ok:
        return np.zeros(len(t), bool), float("nan")
    mid, half = 0.5 * (flight.takeoff_s + flight.landing_s), 0.5 * FREE_FALL_SHARE * flight.duration_s
    return (t >= mid - half) & (t <= mid + half) & np.isfinite(torso_cm), mid


def free_fall_curvature(t: np.ndarray, torso_cm: np.ndarray, flight: Flight) -> float:
    """The torso's vertical acceleration (cm/s^2, clip time; negative = downward) fitted
    as a parabola over the middle of one flight, NaN where too few frames lie in it.

    Only the middle ``FREE_FALL_SHARE`` of the flight is used: the feet time the flight's
    edges least well (a heel that rises early, a foot landmark that lags), while in its
    middle the body is certainly airborne and falls freely."""
    sel, mid = _flight_middle(t, torso_cm, flight)
    if sel.sum() < FREE_FALL_MIN_FRAMES:
        return float("nan")
    return float(2.0 * np.polyfit(t[sel] - mid, torso_cm[sel], 2)[0])


def free_fall_fit(t: np.ndarray, torso_cm: np.ndarray, flight: Flight) -> tuple[float, float]:
    """``free_fall_curvature`` with its own standard error (cm/s^2): the least-squares
    parabola's covariance from its residuals. NaN where fewer than ``FALL_FIT_MIN_FRAMES``
    frames lie in the flight's middle (the error needs degrees of freedom of its own)."""
    sel, mid = _flight_middle(t, torso_cm, flight)
    n = int(sel.sum())
    if n < FALL_FIT_MIN_FRAMES:
        return float("nan"), float("nan")
    tt = t[sel] - mid
    x = np.stack([tt * tt, tt, np.ones_like(tt)], axis=1)
    beta, *_ = np.linalg.lstsq(x, torso_cm[sel], rcond=None)
    resid = torso_cm[sel] - x @ beta
    var = float(resid @ resid) / (n - 3)
    cov = var * np.linalg.pinv(x.T @ x)
    return float(2.0 * beta[0]), float(2.0 * np.sqrt(max(cov[0, 0], 0.0)))


def fall_alone(
    flights: list[Flight], t: np.ndarray, torso_cm: np.ndarray, scale_rel: float
) -> tuple[float, float, int]:
    """The torso's fall read on its own (``FALL_ALONE_*``): (time scale, its uncertainty,
    flights used), NaN where fewer than ``FALL_ALONE_MIN_JUMPS`` flights give a precise fit.

    Each flight's fit gives ``k = sqrt(g / |a|)`` with the fit's own error; only fits within
    ``FALL_FIT_MAX_REL`` of their value are used (a fit that cannot tell 1x from sqrt(2) x
    says nothing). The clip's reading is their median; its uncertainty adds the spread of
    the readings, the pixel scale's share (``k`` goes with its square root) and
    ``FALL_SYSTEMATIC_REL``, the bias that every flight of a clip shares (the torso is not
    the body's centre of mass; the pose model's hip and shoulder points move with the
    limbs), which no number of flights averages away."""
    ks = []
    for f in flights:
        a, se = free_fall_fit(t, torso_cm, f)
        if np.isfinite(a) and np.isfinite(se) and a < 0:
            k = float(np.sqrt(G_CM_S2 / -a))
            if 0.5 * se / -a <= FALL_FIT_MAX_REL:
                ks.append(k)
    est, sig = _pooled(np.array(ks, float), scale_rel, FALL_ALONE_MIN_JUMPS)
    return est, float(np.hypot(sig, FALL_SYSTEMATIC_REL * est)), len(ks)


def _feet_rel_uncertainty(flights: list[Flight], ratio: np.ndarray) -> float:
    """The relative uncertainty of the feet's reading of the time scale (the median of
    ``sqrt(ratio)`` over the flights where it is finite), from what each flight is worth
    rather than their spread (too few to have one): ``k = sqrt(g t^2 / 8 h)`` errs by the
    flight time's share (``FLIGHT_TIME_REL_ERROR``) and half the displacement's (the clip's
    noise and ``DISPLACEMENT_ERROR_CM``); a median over n flights by 1.2533 / sqrt(n) of that,
    and the bias a clip's flights share (``FLIGHT_SHARED_REL``) on top."""
    rel = [
        float(np.hypot(FLIGHT_TIME_REL_ERROR, 0.5 * np.hypot(f.noise_cm, DISPLACEMENT_ERROR_CM) / f.height_cm))
        for f, r in zip(flights, ratio)
        if np.isfinite(r)
    ]
    if not rel:
        return float("nan")
    return float(np.hypot(1.2533 * float(np.median(rel)) / np.sqrt(len(rel)), FLIGHT_SHARED_REL))


def _pooled(k: np.ndarray, scale_rel: float, min_jumps: int = SLOWMO_MIN_JUMPS) -> tuple[float, float]:
    """(median, its standard error with the scale's share) of per-jump time-scale values:
    a median's standard error is 1.2533 x the MAD-based sigma / sqrt(n); both estimators
    scale with the square root of the pixel scale. NaN with fewer than ``min_jumps``."""
    k = k[np.isfinite(k)]
    if k.size < min_jumps:
        return float("nan"), float("nan")
    est = float(np.median(k))
    spread = 1.4826 * float(np.median(np.abs(k - est)))
    rel_scale = 0.5 * (scale_rel if np.isfinite(scale_rel) else 0.1)
    return est, float(np.hypot(1.2533 * spread / np.sqrt(k.size), rel_scale * est))


def combine_readings(k_flight: float, s_flight: float, k_fall: float, s_fall: float) -> tuple[float, float]:
    """Gravity's two readings of the time scale as one (value, uncertainty): their mean in
    log k, each weighted by the inverse of its variance, which holds the bias that a clip's
    flights share (``FLIGHT_SHARED_REL``, ``FALL_SHARED_REL``) beside the reading's own error:
    no number of flights averages a shared bias away, so the reading that errs less from clip
    to clip counts for more. The uncertainty is the weighted mean's, from the readings' own
    errors (as their geometric mean's was, with equal weights). Either reading alone where
    the other is NaN."""
    if not (np.isfinite(k_flight) and np.isfinite(k_fall)):
        return (k_flight, s_flight) if np.isfinite(k_flight) else (k_fall, s_fall)
    rel_f, rel_c = s_flight / k_flight, s_fall / k_fall
    w_f = 1.0 / (rel_f**2 + FLIGHT_SHARED_REL**2)
    w_c = 1.0 / (rel_c**2 + FALL_SHARED_REL**2)
    a = w_f / (w_f + w_c)
    est = float(np.exp(a * np.log(k_flight) + (1.0 - a) * np.log(k_fall)))
    return est, float(est * np.hypot(a * rel_f, (1.0 - a) * rel_c))


def clip_uncertainty(k_flight: float, s_flight: float, k_fall: float, s_fall: float) -> float:
    """What a clip's time scale read off gravity is worth (1 sigma, in the factor's units): the
    uncertainty of the readings' weighted mean (``combine_readings``) with the bias each
    reading shares across a clip's flights counted in (``FLIGHT_SHARED_REL``,
    ``FALL_SHARED_REL``: their root mean square of log k on real-time clips). The readings'
    own errors shrink with the number of flights; the shared bias does not, and a factor read
    as 2.34 +- 0.07 on a clip slowed 2x (development seed 1012) would claim a precision the
    method does not have. Either reading alone where the other is NaN."""
    terms = [
        1.0 / ((s / k) ** 2 + shared**2)
        for k, s, shared in ((k_flight, s_flight, FLIGHT_SHARED_REL), (k_fall, s_fall, FALL_SHARED_REL))
        if np.isfinite(k) and np.isfinite(s) and k > 0
    ]
    if not terms:
        return float("nan")
    est, _ = combine_readings(k_flight, s_flight, k_fall, s_fall)
    return float(est / np.sqrt(sum(terms)))


def _hinted(est: float, sig: float) -> bool:
    """Gravity's combined reading clears real time by its uncertainty (``SLOWMO_SIGMAS``) though
    not both readings do: the clip may be slow motion. It is said, not corrected for: on the
    development seeds one reading alone read up to 1.7x on a real-time 10 fps clip."""
    return bool(np.isfinite(est) and np.isfinite(sig) and est - SLOWMO_SIGMAS * sig > SLOWMO_MIN_FACTOR)


def possibly_slowed(ts: TimeScale) -> bool:
    """A real-time verdict whose gravity reading hints at slow motion (see ``_hinted``), or
    whose rope-turning jumps are too far apart for real time (``TimeScale.rhythm_hint``)."""
    hint = ts.rhythm_hint
    return ts.source == "real time" and (_hinted(ts.estimate, ts.uncertainty) or bool(np.isfinite(hint) and hint > 1.0))


def estimate_time_scale(
    flights: list[Flight],
    t: np.ndarray,
    torso_cm: np.ndarray,
    scale_rel_uncertainty: float,
    user_factor: float | None = None,
) -> TimeScale:
    """The clip's time scale, read twice off gravity (see the module docstring):

    * **flight**: the flight-time height against the displacement (``k^2 = h_t / h_d``), on
      hops whose shape is a free flight (``Flight.ballistic``);
    * **fall**: the torso's downward acceleration in the middle of each flight (``g / k^2``).

    Each can be fooled (a foot landmark that lags widens a hop; legs tucking in the air flatten
    the torso's arc), in different ways; slow motion is called when both clear
    ``SLOWMO_MIN_FACTOR`` with ``SLOWMO_SIGMAS`` to spare and agree within
    ``SLOWMO_AGREEMENT``. The factor is their mean weighted by how much each errs from clip
    to clip (``combine_readings``): on real footage mostly the feet's.

    Where the feet give too few free flights for their reading (a few seconds of slow motion
    hold 3-5 jumps), the torso's fall may decide alone (``fall_alone``): each slowed flight
    is many frames long, so each flight's parabola reads the time scale; it must then clear
    ``SLOWMO_MIN_FACTOR`` with the bias all of a clip's flights share counted in, and the
    feet's timed flights, however few, must not disagree with it."""
    ratio = np.array(
        [
            G_CM_S2 * f.duration_s**2 / 8.0 / f.height_cm
            if f.ok and f.ballistic and f.height_cm >= max(MIN_CLEARANCE_CM, SLOWMO_MIN_SNR * f.noise_cm)
            else np.nan
            for f in flights
        ],
        float,
    )
    k_flight, s_flight = _pooled(np.sqrt(ratio), scale_rel_uncertainty)
    # A flight is timed between frames by one rule on every hop of the clip, so its error of
    # up to a frame is shared by all of them and pooling does not shrink it: the reading
    # carries it as a share of the median flight it times (k grows as the flight's duration).
    read_s = np.array([f.duration_s for f, r in zip(flights, ratio) if np.isfinite(r)], float)
    if np.isfinite(k_flight) and read_s.size and len(t) > 1:
        frame_s = float(np.median(np.diff(t)))
        s_flight = float(np.hypot(s_flight, k_flight * frame_s / float(np.median(read_s))))
    curv = np.array([free_fall_curvature(t, torso_cm, f) for f in flights], float)
    k_fall, s_fall = _pooled(np.where(curv < 0, np.sqrt(G_CM_S2 / np.abs(curv)), np.nan), scale_rel_uncertainty)
    n = int(max(np.isfinite(ratio).sum(), np.isfinite(curv).sum()))
    both = np.isfinite(k_flight) and np.isfinite(k_fall)
    est, sig = combine_readings(k_flight, s_flight, k_fall, s_fall)
    readings = ", ".join(
        f"{name} {k:.2f} +- {s:.2f}"
        for name, k, s in (("flight", k_flight, s_flight), ("fall", k_fall, s_fall))
        if np.isfinite(k)
    )
    if user_factor is not None:
        note = f"slow motion {user_factor:g}x as stated; every duration and speed is corrected for it"
        if readings:
            note += f" (gravity's readings: {readings})"
        return TimeScale(float(user_factor), "user", est, sig, n, note)
    clear = both and min(k_flight - SLOWMO_SIGMAS * s_flight, k_fall - SLOWMO_SIGMAS * s_fall) > SLOWMO_MIN_FACTOR
    # Slow motion is called on both readings' own errors (two readings with biases of their
    # own, each clearing real time, seldom do so by chance); the factor is reported with what
    # it is worth from clip to clip (``clip_uncertainty``), which every corrected figure carries.
    honest = clip_uncertainty(k_flight, s_flight, k_fall, s_fall)
    if clear and abs(np.log(k_flight / k_fall)) <= np.log(SLOWMO_AGREEMENT):
        return TimeScale(
            est,
            "estimated",
            est,
            honest,
            n,
            f"the clip plays about {est:.1f}x (+- {honest:.1f}) slower than real time (gravity's readings: "
            f"{readings}): it is treated as slow motion and every duration, speed and flight-time height is "
            "corrected; state the factor if you know it",
        )
    if clear:
        # Both readings rule real time out on their own, but they disagree on how slow: slow
        # motion it is, at their weighted mean, with an uncertainty that spans both.
        wide = float(max(honest, 0.5 * abs(k_fall - k_flight)))
        return TimeScale(
            est,
            "estimated",
            est,
            wide,
            n,
            f"the clip plays slower than real time, about {est:.1f}x (+- {wide:.1f}; gravity's two readings both "
            f"rule real time out but differ: {readings}): it is treated as slow motion at {est:.1f}x and every "
            "duration, speed and flight-time height is corrected; state the factor for exact figures",
        )
    # The torso's fall alone, where the feet's free flights, however few, do not disagree
    # with it (they err the other way when the legs tuck: see ``fall_alone``).
    k_alone, s_alone, n_alone = fall_alone(flights, t, torso_cm, scale_rel_uncertainty)
    feet = np.sqrt(ratio[np.isfinite(ratio)])
    k_feet = float(np.median(feet)) if feet.size else float("nan")
    apart = abs(np.log(k_feet / k_alone)) if feet.size else 0.0
    usual = apart <= np.log(SLOWMO_AGREEMENT)  # within the readings' usual error of each other
    # The feet agree within the factor the readings err by on slowed clips, or within their
    # and the torso's combined uncertainty (``AGREE_SIGMAS``): one or two foot flights are
    # each timed to a fifth and measured to a displacement error, so on their own they may
    # lie further off and still not contradict the torso (development seed 1136, 8x: the torso
    # 7.2 +- 1.8, its one foot flight 4.4 +- 2.0).
    sigma_apart = float(np.hypot(_feet_rel_uncertainty(flights, ratio), s_alone / k_alone)) if feet.size else 0.0
    feet_agree = not feet.size or usual or apart <= AGREE_SIGMAS * sigma_apart
    if np.isfinite(k_alone) and feet_agree and k_alone - SLOWMO_SIGMAS * s_alone > SLOWMO_MIN_FACTOR:
        # The feet's few flights err the other way (``fall_alone``): where there are any, the
        # factor is the geometric mean of the two, as with both readings; where they lie
        # further apart than the readings' usual error, its uncertainty spans both.
        k = float(np.sqrt(k_alone * k_feet)) if feet.size else k_alone
        unc = s_alone if usual else float(max(s_alone, 0.5 * abs(k_alone - k_feet)))
        timed = "one timed flight reads" if feet.size == 1 else f"{feet.size} timed flights read"
        feet_note = f"; the feet's {timed} {k_feet:.2f}, and the factor is between the two"
        return TimeScale(
            k,
            "estimated",
            k,
            unc,
            n_alone,
            f"the clip plays about {k:.1f}x slower than real time: the body falls {k_alone:.1f}x slower than "
            f"gravity in the middle of {n_alone} flights (read on the torso, {k_alone:.2f} +- {s_alone:.2f}"
            + (feet_note if feet.size else "")
            + "): it is treated as slow motion and every duration, speed and flight-time height is corrected; "
            "state the factor if you know it",
        )
    if readings and _hinted(est, sig):
        return TimeScale(
            1.0,
            "real time",
            est,
            sig,
            n,
            f"treated as real time, though the clip may be slow motion: gravity reads it about {est:.1f}x "
            f"slower ({readings}), but its two readings do not both clear real time by their uncertainty; "
            "if it was filmed in slow motion, state the factor and every duration, speed and flight-time "
            "height is corrected",
        )
    if readings:
        return TimeScale(1.0, "real time", est, sig, n, f"real time (gravity's readings: {readings})")
    return TimeScale(
        1.0,
        "real time",
        est,
        sig,
        n,
        "assumed real time: too few flights long enough on screen to check against gravity; "
        "state the slow-motion factor if the clip is slowed down",
    )


def flight_time_height(duration_s: float, fps: float, factor: float, factor_rel: float = 0.0) -> tuple[float, float]:
    """(h, sigma) from a clip-time flight duration: h = g t^2 / 8 in physical time. Its
    uncertainty: +-1 frame of timing (dh = g t dt / 4), the feet's timing error as a share
    of the flight (``FLIGHT_TIME_REL_ERROR``) and the time scale's own relative uncertainty
    ``factor_rel`` (an estimated slow-motion factor; 0 in real time or where the user stated
    it), the last two doubled in h (h grows with t^2, and t with 1 / factor)."""
    if not np.isfinite(duration_s):
        return float("nan"), float("nan")
    t = duration_s / factor
    dt = 1.0 / (fps * factor)
    h = G_CM_S2 * t * t / 8.0
    rel = float(np.hypot(FLIGHT_TIME_REL_ERROR, factor_rel if np.isfinite(factor_rel) else 0.0))
    return h, float(np.hypot(G_CM_S2 * max(t, dt) * dt / 4.0, 2.0 * rel * h))


def top_may_be_cut(duration_s: float, fps: float) -> bool:
    """The cleaning's outlier filter (``signals.hampel``) can take this hop's top for a
    landmark's error: the flight spans no more frames than the filter's window, with a frame
    to spare at each end where the take-off and the landing are each timed to a frame (at 10
    fps development seed 1127's flights of 0.37-0.40 s read 0.43-0.59 s). The window's median
    can then sit on the floor while the top frames stand out of it. A longer flight fills the
    window around its top, which the filter then keeps; where the landmarks before cleaning
    rise higher on such a flight, it is a jolt of the feet's landmarks that the filter rightly
    took out (development seeds 1016 at 60 fps and 1056 at 30 fps: 2-3 cm hops whose raw feet
    spiked 4-6 cm higher for a frame)."""
    return bool(np.isfinite(duration_s) and fps > 0 and duration_s * fps < hampel_window(fps) + 2)


def combine_heights(
    flight: Flight,
    fps: float,
    factor: float,
    scale_rel: float,
    two_foot: bool,
    toes_hidden: bool = False,
    time_in_doubt: bool = False,
    factor_rel: float = 0.0,
    rise_cut_cm: float = 0.0,
) -> Height:
    """Both height estimates of one hop, and whether they agree (see the module docstring).

    A stepping foot's lift in an alternate step is not a ballistic flight of the body, so
    only its displacement is reported there.

    ``toes_hidden`` (the camera is behind the jumper, ``view.facing_away``): it looks along
    the foot from the heel, and the pose model places the hidden toe landmark near the heel.
    The foot's lowest landmark then rises with the heel, which lifts by the foot's pitch in
    flight (a 25 cm foot pitched 15-20 deg toe-down: 6-8 cm) on top of the jump. Development
    seeds (v3 renderer, jumps of about 2 cm): the displacement read +1.8 cm on the median
    from behind, against +0.6 cm from the front and +0.8 cm side-on. The flight time is read
    off the same landmarks' timing, not their height, and stands: the displacement is kept
    as read but not used, and the height is the flight time's alone (status "toes hidden").
    ``time_in_doubt`` (the clip may be slow motion, ``possibly_slowed``): a flight read on a
    slowed clip gives k^2 times the height, so the flight time is kept as read but not used;
    the height is the displacement's alone. ``factor_rel``: the relative uncertainty of an
    estimated slow-motion factor, which the flight-time height carries (``flight_time_height``).
    ``rise_cut_cm``: how much lower the hop's top is after cleaning than before
    (``jumps._rise_cut_cm``). Where the cleaning may have cut a real top (``top_may_be_cut``) by
    more than the feet's rise can answer for (``AGREE_SIGMAS`` of its uncertainty), the rise is
    kept as read but not used, and the height is the flight time's alone, with its own (wide,
    at such frame rates) uncertainty (status "rise cut"): the cut rise would otherwise pass the
    agreement test only because the flight time, timed to a frame of 0.07-0.1 s, can disagree
    with nothing, and set the height with its own small uncertainty (development seed 1127, 10
    fps: double-unders of 17-20 cm read 5-14 cm, +-1.5 cm)."""
    h_d = flight.height_cm
    rel = scale_rel if np.isfinite(scale_rel) else 0.1
    s_d = (
        float(np.sqrt((h_d * rel) ** 2 + flight.noise_cm**2 + DISPLACEMENT_ERROR_CM**2))
        if np.isfinite(h_d)
        else float("nan")
    )
    h_t, s_t = (
        flight_time_height(flight.duration_s, fps, factor, factor_rel) if two_foot else (float("nan"), float("nan"))
    )
    has_d, has_t = bool(np.isfinite(h_d)), bool(np.isfinite(h_t))
    if time_in_doubt:
        has_t = False
    if toes_hidden and two_foot:
        if has_t:
            return Height(h_d, s_d, h_t, s_t, h_t, s_t, "toes hidden")
        return Height(h_d, s_d, h_t, s_t, float("nan"), float("nan"), "not measured")
    if has_d and has_t and rise_cut_cm > AGREE_SIGMAS * s_d and top_may_be_cut(flight.duration_s, fps):
        return Height(h_d, s_d, h_t, s_t, h_t, s_t, "rise cut")
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
