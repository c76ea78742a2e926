"""Phase 4 of jump detection: is a rope turning? Evidence per run, for and against.

A count is only given where a rope is shown to be turning, from evidence that bouncing
without a rope does not produce. Each cue is physical and says what it measured:

For a rope
* **hands turning** -- one rope joins the two handles, so both hands circle *together*
  (their vertical motion is in phase), at the jumps' rhythm (one turn per jump, two per
  double-under). Moving together and a hand circling are two signatures; with both the
  cue holds, with one it must also be locked to the take-offs (Rayleigh test of the
  turning phase at each take-off). A lone wrist (the far hand hidden in a side view) must
  be locked, and not swing fore and aft at half the step rate wider than a handle's
  circle (a running arm); from near the front or back, where that swing is in depth, a lone
  wrist cannot tell and says so. With one turn per jump the rope is under the feet at mid-flight
  and the hands low in their circle; hands at the top then are arms swung up with a hop.
* **rope seen** -- the rope passes over the head once per turn: a brief burst of motion
  in a band above the head, outside the body, between flights and at the same point of
  every cycle (``pose/ropeband.py`` measures that band in the decoding pass;
  ``rope_passes.py`` reads it).
* **rope heard** -- the rope strikes the floor as the feet leave it: an impact in the
  soundtrack at the take-offs, apart from the landings' thuds (a landing comes while the
  torso still falls, the strike once it rises again).
* **rope stated** -- the user's word that a rope was turning (``--rope-turning``, the page's
  "A rope was turning"): it stands in for evidence the clip cannot give (hands hidden or
  too small to read, the rope thin or out of frame, too few jumps to test the hands' lock),
  and is reported as the user's, not as seen. It never overrules a cue against a rope: a
  statement about the clip cannot make jumping jacks in its warm-up skipping. Nor does it
  count bounces over which the hands were seen turning at no rhythm of theirs
  (``stated_cue``).

Against a rope
* **hands overhead** -- the handles hang from the hands and the loop must pass under the
  feet and over the head; both hands held above the shoulders (jumping jacks, a boxing
  guard, arm swings) cannot turn it.
* **arms pumping** -- running arms swing in opposition (one up while the other is down),
  further apart than a rope's handles can part while the rope turns. Hands in opposition by
  less than that refuse nothing (it is as often the pose model's error on a rope's small
  circles), but they vouch for nothing either.
* **arms swinging** -- the same opposition fore and aft, read on the pose model's 3D
  landmarks: seen from the front, running arms swing in depth and the image shows only both
  hands rising and falling together at every step, as a rope's do.
* **feet opening and closing** -- a jumping jack spreads the feet far wider than the
  rope's loop.
* **lateral bounds** -- a rope's loop is about as wide as the hands are apart (about a
  quarter of body height); landing further sideways than that at every jump (skater
  jumps) would land outside it.
* **legs tucked high** -- a rope needs the feet to clear it by a few centimetres (the
  article: 2-5 cm; double-unders about 10-20 cm); feet pulled up far above the body's
  ballistic rise, by more than 20 cm (tuck jumps), are not clearing a rope.

A run is counted when at least one cue speaks for a rope and none against it; without
evidence there is no count, and the report says which cue decided. A stretch too short or
too poorly seen to show the rope itself, right after a counted run and no faster than its
rope turned, takes the rope from that run (``carry_rope``), and says so.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import NamedTuple

import numpy as np
from scipy.signal import butter, filtfilt, hilbert

from ...types import Cue, RunEvidence
from .physics import MIN_CLEARANCE_CM
from .signals import JumpSignals
from .trains import IN_RHYTHM_SHARE, fill_nan

#: Hands: share of the run's frames where both wrists must be seen to judge the hands.
HANDS_MIN_SEEN = 0.5
#: In-phase coupling of the two wrists' vertical motion needed for "turning together":
#: half of perfect coupling (measured 0.74-1.00 on the shared skipping clips).
HANDS_MIN_IN_PHASE = 0.5
#: Anti-phase coupling at or below this is arms pumping in opposition, where the opposition
#: is wide enough (``ARMS_PUMP_MIN_SD_CM``).
HANDS_MAX_ANTI_PHASE = -0.3
#: A single visible wrist (side view) must circle: at least half a net revolution per cycle
#: on average (a swinging arm goes back and forth: about zero).
MIN_TURNS_PER_CYCLE = 0.5
#: The hands' rhythm must match one or two turns per jump within this share.
TURN_RATIO_TOLERANCE = 0.2
#: Rayleigh test of the hands' phase at each take-off: locked at the conventional p < 0.05
#: (the test only guards against a chance match of rhythms; coupling and rate carry the cue).
PHASE_LOCK_P = 0.05
LOCK_MIN_JUMPS = 6
#: Hands at mid-flight within this angle of the top of their rise and fall contradict one
#: rope turn per jump (``hands_cues``): halfway between the top (0 deg: arms swung up with
#: the hop) and the edge of the low half (90 deg) where the rope's hands are then.
HANDS_TOP_AT_APEX_DEG = 45.0
#: Share of the run's frames with both wrists above the shoulders (the one seen, where the
#: other is hidden) that rules a rope out (a stray frame or two of tracking error is
#: tolerated). Both: a rope's two handles are held alike, and what the cue guards against (a
#: boxer's guard, arms raised in a jumping jack, hands held up) raises both hands, while the
#: pose model can put one wrist at the shoulder with the other turning at the hip. (Reporting
#: seed 100061, 64 jumps, was refused on its right wrist, read 52 px above where it was drawn
#: in 46 % of frames; the development seeds' counts are the same either way.)
MAX_HANDS_OVERHEAD = 0.2
#: Jumping jack: the ankles' separation spreads (p90 - p10) by more than this share of
#: stature (a jack opens the feet by 20-30 % of stature; skipping keeps them together).
MAX_FOOT_SPREAD_FRAC = 0.12
#: Lateral bounds: median sideways travel of the hips between consecutive jumps, share of
#: stature (the rope loop's half-width is about an eighth; a quarter leaves it).
MAX_LATERAL_TRAVEL_FRAC = 0.25
#: Rope heard: an impact from 80 ms before to 30 ms after a take-off (the rope strikes the
#: floor as the feet leave; the soundtrack's onsets are timed to a few ms, the take-off to
#: about a frame), at half of at least four timed take-offs.
HEARD_BEFORE_S = 0.08
HEARD_AFTER_S = 0.03
HEARD_MIN_SHARE = 0.5
HEARD_MIN_JUMPS = 4
#: A lone wrist swinging fore and aft at half the step rate is a pumping arm only when the
#: swing is wider than a rope handle's circle: a handle turned from the wrists circles a few
#: centimetres, one turned from the elbows or shoulders up to about 15 cm in radius (standard
#: deviation of a circle's coordinate: radius / sqrt(2) ~ 10 cm); a running arm swings the
#: hand 40-60 cm fore and aft (standard deviation 15-20 cm). Side-to-side sway of a boxer
#: step also runs at half the step rate, with a few centimetres.
PENDULUM_MIN_SD_CM = 10.0
#: The hands' shared rise and fall (both wrists' mean height against the shoulders,
#: band-passed to the jumps' rhythm) can be no wider than a handle's circle: 15 cm in radius
#: at the widest (turned from the shoulder, above), whose height has a standard deviation of
#: 15 / sqrt(2) = 10.6 cm, with the pose model's error on the two wrists' mean (about 3 cm)
#: in quadrature, 11 cm. Wider, the arms move with the body (a squat's arms raised forward as
#: it sinks, a jumping jack's, a burpee's): the hands then vouch for nothing. On the cached
#: sets the hands vouched for 367 skipping runs at 0.2-4.3 cm (95th percentile; 99th 9.3) and
#: for squats at 10.5-19 cm, jumping jacks 14-23, tuck jumps 15-28, burpees 30-40; squats were
#: counted on it (held-out no-rope seed 1316, 13; reporting seeds 100116 and 100138, 6 and 3,
#: read as slow motion). The shared real burpees and jumping jacks read 27 and 19 cm, every
#: shared real skipping run under it. Above it, one skipping run: development seed 1076's
#: second look at wrists placed with low confidence (18 cm, their noise), 67 -> 63 of 66.
HAND_CIRCLE_MAX_SD_CM = 11.0
#: A lone wrist vouches for a rope only where a pumping arm would show as one: the pendulum
#: test reads the fore-aft swing across the image, which shows it shortened by |sin yaw| (0
#: from the front or back, where the swing is in depth). A running arm's swing (standard
#: deviation 15 cm at the least, above) clears ``PENDULUM_MIN_SD_CM`` from |sin yaw| >= 10/15,
#: within about 48 deg of side-on. Nearer the front or back, a lone wrist rising and falling
#: in step with the hops is just what a pumping arm shows (its hand is highest at both ends of
#: its swing) and the hidden hand cannot show the opposition: the lone wrist must circle.
RUNNING_ARM_MIN_SD_CM = 15.0
ALONE_MIN_SIN_YAW = PENDULUM_MIN_SD_CM / RUNNING_ARM_MIN_SD_CM
#: Arms pumping in opposition: only where the opposition is wider than a rope's two handles
#: can show, the standard deviation of half the wrists' height difference (the part of their
#: rise and fall in opposition) at least this. A rope joins the handles, which circle in
#: step; the most their heights can part is one handle circling at the widest (15 cm in
#: radius, turned from the shoulder: a height standard deviation of ``PENDULUM_MIN_SD_CM``)
#: while the other holds still, half of which is 5 cm. A pumping arm, elbow bent, raises the hand by the forearm's
#: length per radian of its swing: an arm swinging as little as a running arm's least
#: (``RUNNING_ARM_MIN_SD_CM`` fore and aft, by the upper arm's length per radian) moves each
#: hand's height 15 x 0.146 / 0.186 ~ 12 cm (Winter's segment proportions), both hands in
#: opposition. Below the limit the coupling is the pose model's: it places both wrists with
#: errors of a few centimetres, and small circles turned from the wrists leave the two
#: heights' shared rise too small to dominate them (development replay, twenty-sixth stop:
#: six rope runs across the development and reporting seeds were refused as pumping arms
#: at 0.4-4.7 cm, three of them now counted on the rope seen; the three no-rope runs with
#: this cue read 0.1-2.4 cm: other cues refuse two, and the hands in opposition vouch for
#: nothing on the third, ``_hands_cues``).
ARMS_PUMP_MIN_SD_CM = PENDULUM_MIN_SD_CM / 2
#: The caveat the hands' cue carries where both hands rise and fall together at each jump,
#: no hand is seen to circle and the view is within ``ALONE_MIN_SIN_YAW`` of the front or back:
#: arms swinging fore and aft (jogging or high knees in place) are highest at both ends of
#: their swing, so both hands rise and fall together at every step, and from there the swing
#: is in depth. The cue still vouches (a rope turned from the wrists shows no more than that
#: from the front: the shared real alternate step), but the report says the rope is not
#: confirmed (bench/RESULTS.md, twenty-fifth stop).
RUNNING_ARMS_ALIKE = "hands as running arms"
#: Arms swinging in opposition: the two wrists' fore-aft difference (``hands_fore_aft_cm``,
#: band-passed to the jumps' rhythm and the half rhythm of an arm's swing) varies with at
#: least this standard deviation. A rope joins the two handles, so they circle in step and
#: the difference varies only by tracking error and one hand leading; even one hand held
#: still while the other circles 15 cm in radius (turning from the shoulder, the widest a
#: handle goes) would vary it by 15 / sqrt(2) ~ 10 cm. Running arms swing each hand 40-60 cm
#: fore and aft, one forward as the other goes back, their difference twice that. The pose
#: model's depth is compressed: on the development seeds' runs, rope runs read 0-9 cm (one
#: 0.8 s run 10), high knees and jogging 11-28 cm where refused by this cue and 5-10 cm where
#: they are left to the other cues.
SWING_MIN_SD_CM = 10.0

#: Tucked legs: feet rise this many times the ballistic rise of the body ...
TUCK_RATIO = 2.0
#: ... and clear more than this (cm): above the top of the skipping range.
TUCK_MIN_CLEARANCE_CM = 20.0


def _mean_where_seen(x: np.ndarray) -> np.ndarray:
    """Mean over axis 0 of the finite values; NaN where none is (without numpy's warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(x, axis=0)


def bandpass(x: np.ndarray, fs: float, lo_hz: float, hi_hz: float) -> np.ndarray:
    """Zero-phase band-pass of a series with gaps (gaps filled for the filter, NaN again after)."""
    ok = np.isfinite(x)
    out = np.full(len(x), np.nan)
    hi_hz = min(hi_hz, 0.45 * fs)
    if ok.sum() < 16 or lo_hz <= 0 or hi_hz <= lo_hz:
        return out
    b, a = butter(2, [lo_hz / (fs / 2), hi_hz / (fs / 2)], btype="band")
    y = fill_nan(np.asarray(x, float))
    if len(y) <= 3 * max(len(a), len(b)):
        return out
    out[:] = filtfilt(b, a, y)
    out[~ok] = np.nan
    return out


def bandpass_span(x: np.ndarray, a: int, b: int, fs: float, lo_hz: float, hi_hz: float) -> np.ndarray:
    """:func:`bandpass` of ``x[a:b]``, filtered over the span padded by two periods of the
    lowest frequency either side (the filter settles there, and the work stays the span's)."""
    pad = int(np.ceil(2.0 * fs / max(lo_hz, 1e-3)))
    a0, b0 = max(0, a - pad), min(len(x), b + pad)
    return bandpass(x[a0:b0], fs, lo_hz, hi_hz)[a - a0 : b - a0]


def rayleigh_p(phases: np.ndarray) -> tuple[float, float]:
    """(mean resultant length R, p-value) of the Rayleigh test of uniformity (Zar 1999)."""
    n = len(phases)
    if n < 3:
        return 0.0, 1.0
    r = float(np.abs(np.mean(np.exp(1j * phases))))
    z = n * r * r
    p = float(np.exp(np.sqrt(1 + 4 * n + 4 * (n * n - (n * r) ** 2)) - (1 + 2 * n)))
    return r, min(1.0, max(p, 0.0)) if np.isfinite(p) else float(np.exp(-z))


def _spectral_peak(x: np.ndarray, fs: float, lo_hz: float, hi_hz: float) -> float:
    y = fill_nan(x)
    y = y - np.mean(y)
    n = len(y)
    nf = 1 << int(np.ceil(np.log2(8 * n)))
    spec = np.abs(np.fft.rfft(y * np.hanning(n), nf))
    f = np.fft.rfftfreq(nf, 1.0 / fs)
    band = (f >= lo_hz) & (f <= hi_hz)
    return float(f[band][np.argmax(spec[band])]) if band.any() else float("nan")


def _turns_of(ratio: float) -> float:
    """1 or 2 (turns per jump) where ``ratio`` (a rhythm over the jumps' rate) is within
    ``TURN_RATIO_TOLERANCE`` of one, else NaN."""
    return next((m for m in (1.0, 2.0) if abs(ratio - m) <= TURN_RATIO_TOLERANCE * m), float("nan"))


def _turns_per_cycle(x: np.ndarray, y: np.ndarray, fs: float, rate_hz: float) -> float:
    """Net revolutions of a wrist around its mean position per cycle (signed): the unwrapped
    angle of its band-passed path. A hand turning a rope circles (about +-1 per turn); a
    swinging or pumping arm goes back and forth along an arc (about 0)."""
    bx = bandpass(x, fs, 0.6 * rate_hz, 1.5 * rate_hz)
    by = bandpass(y, fs, 0.6 * rate_hz, 1.5 * rate_hz)
    ok = np.isfinite(bx) & np.isfinite(by)
    if ok.sum() < 8:
        return float("nan")
    sx, sy = float(np.std(bx[ok])), float(np.std(by[ok]))
    if min(sx, sy) <= 1e-9 * max(sx, sy):
        # A path with no width across one axis (a circle seen exactly edge-on, as made-up
        # motion seen from the front is) is a line: no turn. Its angle would only flip
        # between two opposite directions, which the unwrapping counts as turns or not by
        # the rounding of the last digit.
        return 0.0
    ang = np.unwrap(np.arctan2(by[ok], bx[ok]))
    cycles = ok.sum() / fs * rate_hz
    return float((ang[-1] - ang[0]) / (2 * np.pi) / cycles) if cycles > 0 else float("nan")


def hands_cues(
    sig: JumpSignals,
    a: int,
    b: int,
    rate_hz: float,
    beats: np.ndarray,
    require_lock: bool = True,
    bounce: bool = False,
    long_flight: bool = False,
) -> tuple[list[Cue], float]:
    """Hands turning (for), hands overhead and arms pumping (against) over frames [a, b):
    :func:`_hands_cues` on the wrists seen, then, where they do not vouch for a rope, a
    second look on the wrists the pose model placed with low confidence too
    (``JumpSignals.wrist_rel_low_conf_cm``: a rope turned fast blurs the hands, and the
    model's confidence in them drops). The second look can only vouch, never refuse (the
    first look's cues against a rope stand), and only on both of the hands' signatures at
    once (both hands rising and falling together and a hand circling, at one or two turns
    per jump), with none of its own cues against a rope. A wrist hidden behind the body is
    placed by the model from the arm around it, and a running arm's guessed hand can trace
    a loop locked to the steps, which a lone signature would take for a rope (development
    replay, twenty-first stop: jogging filmed from behind at an angle, counted on one such
    hand)."""
    args = (a, b, rate_hz, beats, require_lock, bounce, long_flight)
    cues, turns = _hands_cues(sig, *args)
    low = sig.wrist_rel_low_conf_cm
    first = next((c for c in cues if c.name == "hands turning"), None)
    if low is None or first is None or first.verdict == "for":
        return cues, turns
    if np.isfinite(low[a:b, :, 1]).sum() <= np.isfinite(sig.wrist_rel_cm[a:b, :, 1]).sum():
        return cues, turns  # no wrist placed with low confidence here: nothing new to read
    unsure = replace(sig, wrist_rel_cm=low, wrist_rel_low_conf_cm=None)
    more, more_turns = _hands_cues(unsure, *args, low_confidence=True)
    second = next((c for c in more if c.name == "hands turning"), None)
    if second is None or second.verdict == "unknown" and second.detail.startswith("wrists seen in only"):
        return cues, turns  # no more wrists the second time: nothing more to say
    again = f"{first.detail}; read again with the wrists the pose model placed with low confidence: {second.detail}"
    objection = next((c for c in more if c.verdict == "against"), None)
    if objection is not None and second.verdict == "for":
        # The second look contradicts itself (its own hands overhead or pumping arms): it
        # vouches for nothing, and refuses nothing either.
        again += f", but they also show {objection.name} ({objection.detail})"
        second = replace(second, verdict="none", strength=0.0)
    if second.verdict != "for":
        return [replace(first, detail=again) if c is first else c for c in cues], turns
    return [replace(second, detail=again) if c is first else c for c in cues], more_turns


def _hands_cues(
    sig: JumpSignals,
    a: int,
    b: int,
    rate_hz: float,
    beats: np.ndarray,
    require_lock: bool = True,
    bounce: bool = False,
    long_flight: bool = False,
    low_confidence: bool = False,
) -> tuple[list[Cue], float]:
    """Hands turning (for), hands overhead and arms pumping (against) over frames [a, b).

    Both wrists seen (front, back, oblique views): they must move together (or one must
    circle). One wrist seen (a side view hides the far hand): its rhythm, significantly
    locked to the jumps. Either way at one or two turns per jump, locked to the jumps
    (``beats``: one frame per jump; ``require_lock``: a short window has too few jumps for
    the test). The rhythm is read on the hands' rise and fall, or, where that has none, on
    the wider hand's path across the image, which must then be locked on its own.
    ``bounce``: the beats are the torso's apexes of two-foot bounces (where the hands' place
    at mid-flight is judged); ``long_flight``: the flights are long enough for a double-under
    (whose two turns read as one put the hands high at mid-flight too).

    ``low_confidence``: the wrists include those placed with low confidence (the second
    look of :func:`hands_cues`): the hands then vouch only on both signatures at once."""
    wr = sig.wrist_rel_cm[a:b]
    seen = np.isfinite(wr[:, :, 1])  # [frames, side]
    seen_any = seen.any(axis=1)
    cues: list[Cue] = []
    if seen_any.mean() < HANDS_MIN_SEEN:
        msg = f"wrists seen in only {100 * seen_any.mean():.0f}% of the frames"
        return [Cue("hands turning", "unknown", 0.0, msg), Cue("hands overhead", "unknown", 0.0, msg)], float("nan")
    with np.errstate(invalid="ignore"):
        lower = np.fmin(wr[:, 0, 1], wr[:, 1, 1])
    up = float(np.mean(lower[seen_any] > 0.0))
    cues.append(
        Cue(
            "hands overhead",
            "against" if up > MAX_HANDS_OVERHEAD else "none",
            up,
            f"both hands above the shoulders in {100 * up:.0f}% of the frames",
        )
    )
    if not np.isfinite(rate_hz):
        cues.append(Cue("hands turning", "unknown", 0.0, "no rhythm"))
        return cues, float("nan")
    fs = sig.fps
    sides = [k for k in (0, 1) if seen[:, k].mean() >= HANDS_MIN_SEEN]
    if not sides:
        cues.append(Cue("hands turning", "unknown", 0.0, "neither wrist is seen for most of the run"))
        return cues, float("nan")
    band = (0.5 * rate_hz, 2.6 * rate_hz)
    vert = {k: bandpass_span(sig.wrist_rel_cm[:, k, 1], a, b, fs, *band) for k in sides}
    corr = float("nan")
    if len(sides) == 2:
        ok = np.isfinite(vert[0]) & np.isfinite(vert[1])
        if ok.sum() >= 8 and np.std(vert[0][ok]) > 0 and np.std(vert[1][ok]) > 0:
            corr = float(np.corrcoef(vert[0][ok], vert[1][ok])[0, 1])
            apart_cm = float(np.std((vert[0][ok] - vert[1][ok]) / 2))
            if corr <= HANDS_MAX_ANTI_PHASE and apart_cm >= ARMS_PUMP_MIN_SD_CM:
                cues.append(
                    Cue(
                        "arms pumping",
                        "against",
                        -corr,
                        f"the hands move in opposition (coupling {corr:+.2f}, {apart_cm:.0f} cm apart), as arms pump"
                        " in running",
                    )
                )
    together = _mean_where_seen(np.stack([vert[k] for k in sides]))
    ok = np.isfinite(together)
    if ok.sum() < 8 or np.nanstd(together) == 0:
        cues.append(Cue("hands turning", "unknown", 0.0, "the wrists do not move"))
        return cues, float("nan")
    rise_sd = float(np.nanstd(together))
    if rise_sd > HAND_CIRCLE_MAX_SD_CM:
        cues.append(
            Cue(
                "hands turning",
                "none",
                0.0,
                f"the hands rise and fall by {rise_sd:.0f} cm (standard deviation), wider than a rope handle's "
                f"circle ({HAND_CIRCLE_MAX_SD_CM:.0f} cm at the most): arms moving with the body",
            )
        )
        return cues, float("nan")
    ratio = _spectral_peak(np.where(ok, together, np.nan), fs, *band) / rate_hz
    turns = _turns_of(ratio)
    # A handle circles in the body's fore-aft and vertical plane, which the camera sees
    # edge-on from the front (the hands only rise and fall), whole from the side and as an
    # ellipse between, tilted by the camera's height; a turner's circle is often flattened
    # to a sweep fore and aft. Where the rise and fall carries no rhythm of the jumps, the
    # hand's path across the image is read the same way (the wider of the two hands'), and
    # the lock is then tested on it. (Development seed 1142, a back-oblique boxer step: the
    # hand's rise and fall peaked at 0.76 x the jumps' rhythm, its path across, three times
    # as wide, at 1.00 x.)
    across = sd_h = float("nan")
    axis, axis_sides = 1, sides
    if not np.isfinite(turns):
        horiz = [bandpass_span(sig.wrist_rel_cm[:, k, 0], a, b, fs, *band) for k in sides]
        sds = [float(np.nanstd(h)) if np.isfinite(h).sum() >= 8 else 0.0 for h in horiz]
        k_h = int(np.argmax(sds))
        sd_h = sds[k_h]
        # No wider than a handle's circle (PENDULUM_MIN_SD_CM): a skater's arms swing 25 cm
        # across the image.
        if 0 < sd_h <= PENDULUM_MIN_SD_CM:
            across = _spectral_peak(horiz[k_h], fs, *band) / rate_hz
            turns = _turns_of(across)
            if np.isfinite(turns):
                axis, axis_sides = 0, [sides[k_h]]
    if not np.isfinite(turns):
        cues.append(
            Cue(
                "hands turning",
                "none",
                0.0,
                f"the hands move at {ratio:.2f} x the jump rate, not once or twice per jump"
                + (
                    f" (across the image at {across:.2f} x)"
                    if np.isfinite(across)
                    else (
                        f" (across the image wider than a handle's circle: {sd_h:.0f} cm)"
                        if sd_h > PENDULUM_MIN_SD_CM
                        else ""
                    )
                ),
            )
        )
        return cues, float("nan")
    circles = [
        c
        for c in (
            abs(_turns_per_cycle(sig.wrist_rel_cm[a:b, k, 0], sig.wrist_rel_cm[a:b, k, 1], fs, turns * rate_hz))
            for k in sides
        )
        if np.isfinite(c)
    ]
    circling = max(circles) if circles else float("nan")
    narrow = _mean_where_seen(
        np.stack(
            [
                bandpass_span(sig.wrist_rel_cm[:, k, axis], a, b, fs, 0.7 * turns * rate_hz, 1.4 * turns * rate_hz)
                for k in axis_sides
            ]
        )
    )
    tk = beats[(beats >= a) & (beats < b)]
    phases = np.angle(hilbert(fill_nan(narrow)))[tk - a] if tk.size else np.zeros(0)
    r_lock, p = rayleigh_p(phases) if tk.size else (0.0, 1.0)
    # Where the hands are at mid-flight (0 deg: the top of their rise and fall).
    at_apex = float(np.degrees(np.angle(np.mean(np.exp(1j * phases))))) if tk.size else float("nan")
    together_ok = np.isfinite(corr) and corr >= HANDS_MIN_IN_PHASE
    circling_ok = np.isfinite(circling) and circling >= MIN_TURNS_PER_CYCLE
    # With fewer than LOCK_MIN_JUMPS jumps the test has little power (five jumps need R > 0.77)
    # and cannot vouch for a lone signature: a short run needs both signatures (below).
    few = tk.size < LOCK_MIN_JUMPS
    locked = p < PHASE_LOCK_P or not require_lock
    how = []
    if np.isfinite(corr):
        # Said as measured: "together" only as far as the cue counts it so.
        if together_ok:
            how.append(f"the hands move together (coupling {corr:+.2f})")
        elif corr <= HANDS_MAX_ANTI_PHASE:
            how.append(f"the hands move in opposition (coupling {corr:+.2f})")
        else:
            how.append(f"the hands' rise and fall are only loosely coupled ({corr:+.2f})")
    if np.isfinite(circling):
        how.append(
            f"a hand circles ({circling:.1f} turns per cycle)"
            if circling_ok
            else f"no hand circles (at most {circling:.2f} turns per cycle)"
        )
    detail = (
        ", ".join(how)
        + (
            f" at {ratio:.2f} x the jump rate"
            if axis == 1
            else f" at {across:.2f} x the jump rate across the image (rising and falling at {ratio:.2f} x)"
        )
        + (
            f", locked to the jumps (p = {p:.3f})"
            if locked
            else (
                f", too few jumps ({tk.size}) to test the lock"
                if few and require_lock
                else f", not locked to the jumps (p = {p:.2f})"
            )
        )
    )
    # One wrist seen (the far hand hidden in a side view): its rhythm locked to the jumps
    # carries the cue (pumping arms run at half the step rate; arm swings that move with a
    # jump are ruled out by their own cues); it must then be locked on its own merit.
    yaw = sig.camera_yaw_deg
    swing_shows = not np.isfinite(yaw) or abs(np.sin(np.radians(yaw))) >= ALONE_MIN_SIN_YAW
    lone_locked = len(sides) == 1 and p < PHASE_LOCK_P
    alone = lone_locked and swing_shows and not _pendulum(sig, sides[0], a, b, fs, rate_hz, vert[sides[0]])
    # Both hands rising and falling together AND a hand circling, at one or two turns per
    # jump, are two separate signatures of turning a rope: together they hold without the
    # phase test, which has little power where the hands' phase at take-off is read from
    # noisy landmarks or few frames a jump (development seeds: rope clips at 10-30 fps with
    # coupling 0.79-0.92 and circles of 0.8-0.9 turns failed it at p = 0.11-0.41; no no-rope
    # movement of the development seeds or the shared clips shows both). One signature
    # alone must also be locked to the jumps.
    holds = (together_ok and circling_ok) or ((together_ok or circling_ok) and locked) or alone
    if low_confidence and holds and not (together_ok and circling_ok):
        holds = False
        detail += "; on wrists placed with low confidence, only both signatures together vouch for a rope"
    # Read across the image, the coupling of the rise and fall says nothing of the turning
    # (it is the rise and fall's, at another rhythm): the path across must be locked to
    # the jumps on its own merit, over enough jumps for the test to have power.
    if axis == 0:
        holds = p < PHASE_LOCK_P and not few and not low_confidence
        if low_confidence:
            detail += "; on wrists placed with low confidence, a path across the image does not vouch"
        if few:
            detail += f"; a path across the image vouches only over {LOCK_MIN_JUMPS} jumps or more"
    # Hands in opposition too little for pumping arms (``ARMS_PUMP_MIN_SD_CM``) refuse nothing,
    # but the rope joins its two handles, which do not part so: the hands vouch for nothing
    # either, and other cues decide (development seed 1001, hopping on one foot from the
    # front, a hand looping at the hop rate with the other against it).
    if holds and np.isfinite(corr) and corr <= HANDS_MAX_ANTI_PHASE:
        holds = False
        detail += "; but a rope's two handles rise and fall together, so hands in opposition vouch for nothing"
    # One turn per jump passes the rope under the feet around mid-flight, with the hands
    # leading it by less than a quarter turn: they are in the low half of their circle then
    # (the shared real clips: 124-180 deg from the top at the bounce's apex). Arms that rise
    # with each hop (hopping on one foot, burpees, tuck jumps: arms swung up for lift) are at
    # the top at mid-flight. Judged on two-foot bounces only (``bounce``: the beats are the
    # torso's apexes; an alternate step's beats are foot switches) and where the phase is
    # concentrated (the lock test), so a wandering phase never vetoes. A double-under's two
    # turns, read as one (the hands' spectrum can peak at the jump rate), also have the hands
    # high at mid-flight: where the flights are long enough for one (``long_flight``) the
    # hands cannot tell it from arms swung up with a hop (development seeds: a double-under
    # at 15 deg, a one-foot hop at 12), so they vouch for nothing and other cues must decide.
    rising = (
        holds
        and bounce
        and axis == 1
        and turns == 1.0
        and p < PHASE_LOCK_P
        and np.isfinite(at_apex)
        and abs(at_apex) < HANDS_TOP_AT_APEX_DEG
    )
    if rising:
        holds = False
        detail += f"; but the hands are at the top of their rise at mid-flight ({abs(at_apex):.0f} deg from it)" + (
            ": flights this long fit a double-under's two turns read as one as well as arms swung up with each "
            "hop, so the hands cannot tell a rope from none"
            if long_flight
            else ", as arms swung up with each hop are: a rope turned once a jump has them low then"
        )
    if holds and axis == 1 and together_ok and not circling_ok and not swing_shows:
        cues.append(
            Cue(
                RUNNING_ARMS_ALIKE,
                "unknown",
                0.0,
                "from near the front or back, both hands rising and falling together at each jump with no hand "
                "seen to circle is also what arms swinging fore and aft show (jogging or high knees in place): "
                "the hands alone cannot tell them from a rope's handles here",
            )
        )
    if not holds and not rising and lone_locked and not swing_shows:
        # Locked to the hops, but from this view that is all one hand can show: the clip cannot
        # tell, which leaves the rope to other cues, or to the user's word (``stated_cue``).
        detail += (
            "; but from near the front or back, one hand rising and falling with the hops cannot tell a "
            "rope's handle from a running arm (its swing is in depth, and the hidden hand would show the opposition)"
        )
        cues.append(Cue("hands turning", "unknown", 0.0, detail))
        return cues, float("nan")
    strength = max(corr if together_ok else 0.0, min(circling, 1.0) if circling_ok else 0.0)
    if axis == 0:
        strength = r_lock  # the lock's mean resultant length, 0-1
    cues.append(Cue("hands turning", "for" if holds else "none", float(strength) if holds else 0.0, detail))
    return cues, turns if holds else float("nan")


def _pendulum(sig: JumpSignals, k: int, a: int, b: int, fs: float, rate_hz: float, vert: np.ndarray) -> bool:
    """A lone wrist that swings like a pendulum (a pumping arm seen from the side): its
    fore-aft motion runs at half the step rate (one swing forward and back per two steps)
    and is wider than its rise and fall, while its height peaks at both ends of the swing,
    so the rise and fall alone runs at the step rate and looks locked to the hops. A rope's
    handle circles at the turning rate in both directions."""
    fore_aft = bandpass_span(sig.wrist_rel_cm[:, k, 0], a, b, fs, 0.3 * rate_hz, 2.6 * rate_hz)
    ok = np.isfinite(fore_aft)
    if ok.sum() < 8 or not np.nanstd(fore_aft) > 0:
        return False
    ratio = _spectral_peak(fore_aft, fs, 0.3 * rate_hz, 2.6 * rate_hz) / rate_hz
    sd = float(np.nanstd(fore_aft))
    wide = sd >= PENDULUM_MIN_SD_CM and sd > np.nanstd(vert)
    return bool(abs(ratio - 0.5) <= TURN_RATIO_TOLERANCE * 0.5 and wide)


def swing_cue(sig: JumpSignals, a: int, b: int, rate_hz: float) -> Cue:
    """Arms swinging in opposition fore and aft over frames [a, b): in a front or back view
    the swing is in depth, where the image shows both hands rising and falling together at
    every step as a rope's do; the pose model's 3D landmarks show one hand forward as the
    other goes back, which a rope's handles, joined by the rope, cannot do."""
    x = sig.hands_fore_aft_cm
    if x is None:
        return Cue("arms swinging", "unknown", 0.0, "no 3D landmarks")
    seen = float(np.mean(np.isfinite(x[a:b]))) if b > a else 0.0
    if seen < HANDS_MIN_SEEN or not np.isfinite(rate_hz):
        return Cue(
            "arms swinging", "unknown", 0.0, f"both wrists placed in depth in only {100 * seen:.0f}% of the frames"
        )
    sd = float(np.nanstd(bandpass_span(x, a, b, sig.fps, 0.3 * rate_hz, 2.6 * rate_hz)))
    if not np.isfinite(sd):
        return Cue("arms swinging", "unknown", 0.0, "too few frames to read the hands' swing")
    strength = min(1.0, sd / SWING_MIN_SD_CM)  # how near the swing of running arms
    if sd >= SWING_MIN_SD_CM:
        return Cue(
            "arms swinging",
            "against",
            strength,
            f"the hands swing fore and aft in opposition, one forward as the other goes back (their difference "
            f"varies by {sd:.0f} cm), as running arms do: a rope's handles circle together",
        )
    return Cue(
        "arms swinging",
        "none",
        strength,
        f"the hands keep together fore and aft (their difference varies by {sd:.0f} cm)",
    )


def feet_spread_cue(xy_spread_frac: np.ndarray, hands_up_share: float) -> Cue:
    """Jumping jack: the feet open and close far wider than a rope's loop while the hands rise."""
    s = xy_spread_frac[np.isfinite(xy_spread_frac)]
    if s.size < 4:
        return Cue("feet opening", "unknown", 0.0, "feet not seen")
    spread = float(np.percentile(s, 90) - np.percentile(s, 10))
    if spread > MAX_FOOT_SPREAD_FRAC and hands_up_share > 0.05:
        return Cue(
            "feet opening",
            "against",
            spread,
            f"the feet open and close by {100 * spread:.0f}% of body height (a jumping jack)",
        )
    return Cue("feet opening", "none", spread, f"the feet stay together (spread {100 * spread:.0f}% of body height)")


#: The hips cannot move sideways faster than this many statures a second (about 5 m/s; a
#: lateral bound leaves the floor at 2-3 m/s): a faster move between two frames is the
#: tracker jumping to another body, not the jumper.
MAX_LATERAL_SPEED_STATURES_S = 3.0


def _travel(sig: JumpSignals, frames: np.ndarray, x: np.ndarray, landed: bool, min_moves: int) -> float:
    """Median sideways move of ``x`` between consecutive ``frames``, NaN over fewer than
    ``min_moves`` moves. Moves across which the hips' path jumps faster than a body moves
    (``MAX_LATERAL_SPEED_STATURES_S``) are the tracker's, not the jumper's, and are left out;
    ``landed``: so are moves from or to a frame where the feet are not seen (where the feet
    land is the point)."""
    step = np.abs(np.diff(sig.hip_x_cm)) * sig.fps / sig.stature_cm  # statures a second, per frame
    moves = []
    for a, b in zip(frames[:-1], frames[1:]):
        if landed and not (sig.feet_visible[a] and sig.feet_visible[b]):
            continue
        if np.isfinite(x[a]) and np.isfinite(x[b]) and not (step[a:b] > MAX_LATERAL_SPEED_STATURES_S).any():
            moves.append(abs(x[b] - x[a]))
    return float(np.median(moves)) if len(moves) >= min_moves else float("nan")


def lateral_cue(sig: JumpSignals, apexes: np.ndarray) -> Cue:
    """Lateral bounds, read where the feet land as well as at the bounces: a skater's bound
    peaks half-way between its two landing spots, so at every apex the hips are at the same
    place (held-out development seeds 1484 and 1491, skater jumps from behind: 3-4 % and 1 %
    of the height between apexes) while they land a bound apart. The contact between two
    bounces is taken half-way between their frames and read on the hips and on the foot that
    bears the weight (``signals.JumpSignals.support_x_cm``: a skater's hips stay inside the
    landing foot); the largest of the travels counts (``_travel``)."""
    apexes = np.asarray(apexes, int)
    contacts = (apexes[:-1] + apexes[1:]) // 2
    travels = [_travel(sig, apexes, sig.hip_x_cm, False, 2), _travel(sig, contacts, sig.hip_x_cm, True, 3)]
    if sig.support_x_cm is not None:
        travels.append(_travel(sig, contacts, sig.support_x_cm, True, 3))
    travels = [v for v in travels if np.isfinite(v)]
    if not travels:
        return Cue("lateral bounds", "unknown", 0.0, "hips not seen")
    travel = max(travels) / sig.stature_cm
    if travel > MAX_LATERAL_TRAVEL_FRAC:
        return Cue(
            "lateral bounds",
            "against",
            travel,
            f"the body bounds {100 * travel:.0f}% of its height sideways at every jump (skater jumps)",
        )
    return Cue(
        "lateral bounds",
        "none",
        travel,
        f"the body stays in place ({100 * travel:.0f}% of its height sideways per jump)",
    )


def tuck_cue(displacement_cm: np.ndarray, ballistic_cm: np.ndarray) -> Cue:
    ok = np.isfinite(displacement_cm) & np.isfinite(ballistic_cm) & (ballistic_cm > 0)
    if ok.sum() < 3:
        return Cue("legs tucked", "unknown", 0.0, "flights not measured")
    d, h = float(np.median(displacement_cm[ok])), float(np.median(ballistic_cm[ok]))
    # A flight whose time gives less lift than any jump needs (``MIN_CLEARANCE_CM``) lasts
    # under 0.1 s: feet cannot be pulled up 20 cm and put down again within it (over 30 g
    # each way), so one of the two readings is wrong and they cannot be compared.
    # (Development seeds 1025 and 1140: double-unders whose flights read one or two frames,
    # 0-1 cm, against feet read 28-36 cm up, were called tuck jumps; the shared tuck-jump
    # clip's flights give 17 cm.)
    if h < MIN_CLEARANCE_CM:
        return Cue(
            "legs tucked",
            "unknown",
            0.0,
            f"the flights were not timed (they give {h:.1f} cm of lift while the feet read {d:.0f} cm up)",
        )
    if d > TUCK_MIN_CLEARANCE_CM and d > TUCK_RATIO * h:
        return Cue(
            "legs tucked",
            "against",
            d / h,
            f"the feet rise {d:.0f} cm while the body's flight lifts it {h:.0f} cm (knees pulled up: tuck jumps)",
        )
    return Cue("legs tucked", "none", d / max(h, 1e-6), f"feet rise {d:.0f} cm against a ballistic {h:.0f} cm")


def heard_cue(
    impacts_s: np.ndarray | None,
    flights: list,
    factor: float,
    t_s: np.ndarray | None = None,
    torso_cm: np.ndarray | None = None,
) -> Cue:
    """The rope heard: it strikes the floor just in front of the feet as they leave it, a
    sound of its own before each take-off, apart from the landing's thud a flight later.
    Impacts within ``HEARD_BEFORE_S`` before to ``HEARD_AFTER_S`` after a take-off (real
    time), that are not the previous landing's, in at least ``HEARD_MIN_SHARE`` of the jumps.

    A take-off timed late or early by the feet can put a landing's thud in that window (in
    a jog the other foot lands as one leaves), so the body decides which it is: a landing
    comes while the torso still falls, the rope's strike once it is pushed up again. An
    impact only counts after the lowest point of the torso's bounce around it (within half
    a hop either side; located to a frame), so ``t_s`` and ``torso_cm`` (the torso's height,
    + up) are needed: without them no impact is taken for the rope."""
    if impacts_s is None:
        return Cue("rope heard", "unknown", 0.0, "no usable soundtrack (none, music or voice over it)")
    timed = [f for f in flights if getattr(f, "ok", False)]
    if len(timed) < HEARD_MIN_JUMPS:
        return Cue("rope heard", "unknown", 0.0, "too few timed take-offs to listen for the rope")
    t = np.sort(np.asarray(impacts_s, float))
    hop_s = float(np.median(np.diff([f.takeoff_s for f in timed])))
    body = None  # the torso's time axis and height, where a bounce's bottom can be looked for
    if t_s is not None and torso_cm is not None and len(t_s) >= 3 and np.isfinite(hop_s) and hop_s > 0:
        body = (t_s, torso_cm)
    frame_s = float(np.median(np.diff(t_s))) if body is not None and t_s is not None else 0.0
    hits = falling = 0
    for k, f in enumerate(timed):
        lo, hi = f.takeoff_s - HEARD_BEFORE_S * factor, f.takeoff_s + HEARD_AFTER_S * factor
        if k > 0:
            lo = max(lo, timed[k - 1].landing_s + HEARD_AFTER_S * factor)  # not the last landing's thud
        heard = t[(t >= lo) & (t <= hi)]
        rope = body is not None and any(_torso_rising(x, hop_s, frame_s, *body) for x in heard)
        hits += rope
        falling += bool(heard.size) and not rope
    share = hits / len(timed)
    if share >= HEARD_MIN_SHARE:
        return Cue(
            "rope heard", "for", share, f"the rope is heard striking the floor at {100 * share:.0f}% of the take-offs"
        )
    detail = f"a strike of the rope is heard at only {100 * share:.0f}% of the take-offs"
    if falling:
        detail += f" (the sounds at {falling} more came while the body was still falling: landings)"
    return Cue("rope heard", "none", share, detail)


def _torso_rising(at_s: float, hop_s: float, frame_s: float, t_s: np.ndarray, torso_cm: np.ndarray) -> bool:
    """Whether the torso has passed the lowest point of its bounce at ``at_s`` (to within a
    frame of ``frame_s``): the lowest point within half a hop either side, which a periodic
    bounce has once; one at the span's edge (the body still falling or rising throughout) is
    no bottom."""
    a, b = np.searchsorted(t_s, [at_s - hop_s / 2, at_s + hop_s / 2])
    seg = torso_cm[a:b]
    if seg.size < 3 or np.isfinite(seg).sum() < 3:
        return False
    i = int(np.nanargmin(seg))
    if i in (0, seg.size - 1):
        return False
    return bool(at_s >= t_s[a + i] - frame_s)


def stated_cue(n_jumps: int, hands: Cue | None) -> Cue:
    """The user's statement that a rope was turning, over a stretch of ``n_jumps`` bounces
    whose hands cue is ``hands`` (see the module docstring). It stands in only where the clip
    cannot show the rope: the hands not seen or without a rhythm (``hands`` unknown), or
    fewer bounces than the hands' lock needs (``LOCK_MIN_JUMPS``). Where the hands were seen
    over enough bounces and did not turn at their rhythm, the clip itself says these bounces
    are not the rope's jumps (standing bobs read in a slow-motion clip, the pose model's
    noise while standing): the statement then says nothing for them."""
    if _cannot_show(n_jumps, hands):
        return Cue("rope stated", "for", 1.0, "you said a rope was turning")
    return Cue(
        "rope stated",
        "none",
        0.0,
        f"you said a rope was turning, but over these {n_jumps} bounces the hands were seen and did not turn "
        "at their rhythm: they are not the rope's jumps",
    )


def _cannot_show(n_jumps: int, hands: Cue | None) -> bool:
    """The clip cannot show a rope over these bounces: the hands unseen or without a rhythm,
    or too few bounces for their lock."""
    return hands is None or hands.verdict == "unknown" or n_jumps < LOCK_MIN_JUMPS


def statement_would_count(ev: RunEvidence) -> bool:
    """Whether the user's word that a rope was turning would count this refused stretch:
    nothing spoke against a rope, and the clip could not show one (``stated_cue``). What the
    report and the page offer the statement on."""
    if ev.accepted or any(c.verdict == "against" for c in ev.cues):
        return False
    return _cannot_show(len(ev.rope_passes), ev.cue("hands turning"))


class CountedRun(NamedTuple):
    """The run counted just before a stretch, as the rope's carry-over needs it (clip seconds):
    its first take-off, last landing, median interval between jumps, and the rope's turns per
    jump there (2 for double-unders, else 1)."""

    start_s: float
    end_s: float
    interval_s: float
    turns_per_jump: float


def carry_rope(ev: RunEvidence, counted: CountedRun | None, max_gap_s: float) -> RunEvidence:
    """A stretch's verdict, with the rope carried over into it from the run counted just
    before it (``counted``) where it follows that run with no break (its first bounce within
    ``max_gap_s``, the longest interval a run holds, ``runs.MAX_INTERVAL_S``, at the clip's
    time scale), no faster than that rope turned, the clip could not show the rope over it
    and nothing spoke against one (``statement_would_count``: the same stretches the user's
    word would count).

    A rope that turns to the end of one run turns on into the next unless the jumper stops:
    starting it again takes a few turns' worth of time (``store.streaks``), and a change of
    skill (singles to double-unders, a two-foot bounce to an alternate step) is where a run
    splits into stretches too short for the hands' lock (``LOCK_MIN_JUMPS``; development seed
    1935: four double-unders 0.6 s after four counted alternate steps, refused on "too few
    jumps to test the lock"). The rope passes under the feet at most once a turn, so the
    stretch's jumps may come no faster than the run's turns, within the rhythm's spread
    (``IN_RHYTHM_SHARE``): bounces faster than that are the body settling or the pose
    model's echoes, not the rope's jumps (development seed 1205: candidates at twice the
    counted run's rate after it, carried, 15 counted for 9). Carried forward only: before the
    first turn the jumper may be standing and bobbing with the rope still (development seed
    1152: two lead-in bobs were carried back from the steps after them). Only from a run
    that was counted, not from a stretch whose rope cue held but whose bounces were not
    skipping (a held-out no-rope clip, 1276: a stretch read as a rope by a hand's lock, none
    of its bounces counted, carried its rope to three bounces after it). A stretch whose
    hands were seen over enough bounces without turning, or with any cue against a rope,
    keeps its refusal."""
    if counted is None or not statement_would_count(ev):
        return ev
    if not 0.0 <= ev.start_s - counted.end_s <= max_gap_s:
        return ev
    n = len(ev.rope_passes)
    interval = (ev.end_s - ev.start_s) / (n - 1) if n >= 2 else float("nan")
    turn_s = counted.interval_s / max(counted.turns_per_jump, 1.0)
    if not interval >= turn_s / (1.0 + IN_RHYTHM_SHARE):
        return ev
    carried = f"carried over from the run counted at {counted.start_s:.1f}-{counted.end_s:.1f} s, with no break between"
    return replace(
        ev,
        accepted=True,
        reason=f"rope turning: {carried}; here alone {ev.reason}",
        cues=(*ev.cues, Cue("rope carried over", "for", 1.0, carried)),
    )


def decide(
    cues: list[Cue], turns: float, start_s: float, end_s: float, rope_passes: tuple[int, ...] = ()
) -> RunEvidence:
    """The verdict on one stretch: counted when a cue speaks for a rope and none against it."""
    span = (float(start_s), float(end_s))
    against = [c for c in cues if c.verdict == "against"]
    support = [c for c in cues if c.verdict == "for"]
    if against:
        strongest = max(against, key=lambda c: c.strength)
        if support and all(c.name == "hands overhead" for c in against):
            # Raised hands are the only objection while other cues speak for a rope: a rope
            # turned with the hands at the shoulders (a fault of form) and a boxer's guard
            # bobbing with each hop look alike here, so the run is refused as undecided,
            # not as proven ropeless (bench/RESULTS.md, eighth stop: letting such hands
            # through counted boxing footwork).
            names = " and ".join(c.name for c in support)
            why = (
                f"{strongest.detail}, while {names} spoke for a rope: a rope turned with the hands that high "
                "cannot be told from hands held up in a guard, bobbing with each hop"
            )
            return RunEvidence(
                *span, False, f"rope turning could not be confirmed ({why})", tuple(cues), turns, rope_passes
            )
        return RunEvidence(*span, False, f"jumping without a rope: {strongest.detail}", tuple(cues), turns, rope_passes)
    if not support:
        hands = next((c for c in cues if c.name == "hands turning"), None)
        rope = next((c for c in cues if c.name == "rope seen"), None)
        stated = next((c for c in cues if c.name == "rope stated"), None)
        why = "; ".join(c.detail for c in (hands, rope, stated) if c is not None) or "no rope evidence"
        return RunEvidence(
            *span, False, f"rope turning could not be confirmed ({why})", tuple(cues), turns, rope_passes
        )
    if all(c.name == "rope stated" for c in support):
        # The user's word alone: counted, and said to rest on it, with what the clip lacked.
        hands = next((c for c in cues if c.name == "hands turning"), None)
        rope = next((c for c in cues if c.name == "rope seen"), None)
        why = "; ".join(c.detail for c in (hands, rope) if c is not None) or "no rope evidence"
        return RunEvidence(
            *span,
            True,
            f"rope turning as you said (the clip alone did not confirm it: {why})",
            tuple(cues),
            turns,
            rope_passes,
        )
    names = " and ".join(c.name for c in support if c.name != "rope stated")
    details = "; ".join(c.detail for c in support if c.name != "rope stated")
    return RunEvidence(*span, True, f"rope turning: {names} ({details})", tuple(cues), turns, rope_passes)
