"""Phase 5 of jump detection: runs of skipping in physical time, and the clip summary.

By here the time scale is known, so real-time limits apply: a break longer than
``MAX_INTERVAL_S`` ends a run, a run must be rhythmic, and no flight lasts a whole cycle.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

import numpy as np

from ...types import JumpAnalysis, JumpEvent, Run
from .physics import G_CM_S2
from .trains import IN_RHYTHM_SHARE, MIN_RUN_JUMPS, group_runs

#: The slowest skipping's beat (physical time): at least one jump a second (the issue's
#: range is 60-220 a minute; beginners' basic bounce and fitness double-unders both start
#: at about 60). A steady beat slower than this is not skipping in real time.
SLOWEST_PERIOD_S = 1.0
#: The longest interval inside a run (physical time): the slowest beat's, within the rhythm's
#: own spread (``trains.IN_RHYTHM_SHARE``); events further apart start a new run. Set at the
#: slowest beat itself, a run at 60 a minute broke wherever one interval ran a frame long
#: (development seed 1161: four double-unders 1.00-1.03 s apart, counted 0).
MAX_INTERVAL_S = SLOWEST_PERIOD_S * (1.0 + IN_RHYTHM_SHARE)
#: Events closer than this share of the run's median interval are off the rhythm.
MIN_INTERVAL_SHARE = 0.55
#: A run whose intervals vary more than this (coefficient of variation) is not skipping: a
#: turning rope sets a steady beat (real skipping measured 5-15 %; walking and fidgeting 40 %+).
MAX_RUN_IRREGULARITY = 0.3
#: A two-foot run whose median flight fills more than this share of the median interval
#: has no contact phase: not skipping (real skipping 0.55-0.7 with this timing method).
#: The share already allows for this timing's long reading (the heel rises before the toes
#: leave, the low-pass spreads the hop); the frame's own resolution is allowed for in
#: ``implausible``.
MAX_FLIGHT_SHARE = 0.8
#: An event whose feet rise less than this share of the run's median hop is not one of its
#: jumps: a turning rope sets one height for every jump of a run (within about +-30 %), so
#: a hop a third of the others is a stumble, a rope swing or a weight shift at a run's edge.
MIN_HEIGHT_SHARE = 0.35


#: A lasting change of hop height by more than this factor ends a run: a turning rope sets
#: one height for every jump of a run, within about +-30 % (``MIN_HEIGHT_SHARE``), so the
#: medians of consecutive jumps differ by at most 1.3 / 0.7 ~ 1.9x; a change beyond 2x is a
#: change of activity (standing, where the pose model's noise makes hops of a few
#: centimetres, then double-unders clearing 15-20 cm; singles, then double-unders).
HEIGHT_CHANGE = 2.0
#: ... and by more than this many standard deviations of the difference (a 1.5 cm and a
#: 3.5 cm reading of two 2.5 cm jumps differ 2.3x within the pose model's error).
HEIGHT_CHANGE_SIGMAS = 2.0


def physical_runs(frames: np.ndarray, t_phys: np.ndarray) -> list[np.ndarray]:
    return group_runs(frames, t_phys, MAX_INTERVAL_S)


def split_height_steps(frames: np.ndarray, height_cm: np.ndarray, sigma_cm: np.ndarray) -> list[np.ndarray]:
    """Split an event train where the hop height changes for good: the median of the next
    ``MIN_RUN_JUMPS`` measured heights and that of the previous ones differ by more than
    ``HEIGHT_CHANGE`` times and by more than ``HEIGHT_CHANGE_SIGMAS`` of their error. One
    odd jump (a single double-under among singles, a stumble) moves neither median; a
    standing stretch next to a burst of double-unders moves both. Events without a
    measured height (feet out of view) never split a train."""
    frames = np.asarray(frames, int)
    h = np.asarray(height_cm, float)
    sd = np.asarray(sigma_cm, float)
    w = MIN_RUN_JUMPS

    def side(lo: int, hi: int) -> tuple[float, float]:
        ok = np.isfinite(h[lo:hi]) & (h[lo:hi] > 0)
        if ok.sum() < 2:
            return float("nan"), float("nan")
        return float(np.median(h[lo:hi][ok])), float(np.median(sd[lo:hi][ok]))

    def spread(lo: int, hi: int) -> float:
        """Sum of the log heights' distances to their median (how mixed a window is)."""
        x = np.log(h[lo:hi][np.isfinite(h[lo:hi]) & (h[lo:hi] > 0)])
        return float(np.abs(x - np.median(x)).sum()) if x.size else 0.0

    def steps(start: int, i: int) -> bool:
        (hb, sb), (ha, sa) = side(max(start, i - w), i), side(i, i + w)
        if not (np.isfinite(hb) and np.isfinite(ha)):
            return False
        return max(hb, ha) > HEIGHT_CHANGE * min(hb, ha) and abs(ha - hb) > HEIGHT_CHANGE_SIGMAS * float(
            np.hypot(sb, sa)
        )

    parts, start, i = [], 0, w
    while i <= frames.size - w:
        if steps(start, i):
            # A window that straddles the step already reads it; cut where both sides are
            # least mixed, anywhere in the windows either side of where it was read (the
            # same span for every cut, so that a short side is not favoured). The cut may leave
            # fewer than a window's events on one side: a run's last jump followed by two
            # settling bobs reads as a step at the last jump (the window after it holds the
            # jump and the bobs), and cutting there made the jump a stretch with the bobs,
            # refused with them (development seeds 1933, 1938: a double-under's last jump;
            # 1937: a run's first jump, after a lead-in whose height read 87 cm).
            lo, hi = max(start, i - w), min(i + w, frames.size)
            j = min(range(lo + 1, hi), key=lambda j: spread(lo, j) + spread(j, hi))
            parts.append(frames[start:j])
            start, i = j, j + w
            continue
        i += 1
    parts.append(frames[start:])
    return parts


def implausible(
    js: list[JumpEvent], t_phys_of, frame_s: float = 0.0, beat_s: Sequence[float] | None = None
) -> str | None:
    """Why a run cannot be rope skipping, or None: skipping is rhythmic, and each flight is
    shorter than the interval between jumps (the feet spend part of every cycle down).

    ``frame_s``: one frame in physical seconds. A flight is timed on whole frames, so it
    can read up to a frame long; the share is judged on the median flight one frame
    shorter, so that a 12 fps clip (a frame is half of a 0.16 s flight) is not refused on
    its frame rate alone. On the development seeds the measured share reached 79 % on a
    12 fps clip of two-foot skipping and 87 % on a 30 fps alternate step read as bounces
    (true flights 0.15-0.2 s every 0.3-0.35 s); no movement without a rope was refused by
    this test there.

    ``beat_s``: each jump's beat in physical seconds where it is timed better than by its
    flight's apex (the candidate train's event, ``detect_jumps``); default the apex.

    Each flight is taken as far as gravity allows it (``_flight_gravity_allows``): a flight
    timed far longer than the feet's rise allows is not evidence of flights that fill the
    cycle."""
    apex = np.asarray(beat_s, float) if beat_s is not None else np.array([t_phys_of(j.apex_s) for j in js])
    d = np.diff(apex)
    cv = float(np.std(d) / np.mean(d)) if d.size >= 2 and np.mean(d) > 0 else 0.0
    if cv > MAX_RUN_IRREGULARITY:
        return f"movement too irregular for skipping (interval variation {100 * cv:.0f}%)"
    two_foot = [j for j in js if j.foot == "both" and np.isfinite(j.flight_s)]
    if len(two_foot) >= MIN_RUN_JUMPS and d.size:
        period = float(np.median(d))
        flight = float(np.median([_flight_gravity_allows(j) for j in two_foot]))
        share, share_short = flight / period, (flight - frame_s) / period
        if share_short > MAX_FLIGHT_SHARE:
            return (
                f"flights fill {100 * share:.0f}% of each cycle ({100 * share_short:.0f}% "
                "a frame shorter: no ground contact rhythm)"
            )
    return None


def _flight_gravity_allows(j: JumpEvent) -> float:
    """The jump's flight (physical seconds) as far as gravity allows it: its timed flight,
    except where that disagrees with the feet's rise beyond both errors (``height_status``
    "disagree", ``physics.combine_heights``): a body that rose h cm was in the air
    sqrt(8 h / g), and a timed flight far longer is the feet's signal hovering in its noise
    at take-off and landing (jumps of 1-3 cm, whose rise is a few pixels), not a flight.
    Then the rise's own flight time stands in, so that noise in the timing does not read as
    flights that fill the cycle (fresh seed 1250: 1.2 cm jumps timed 0.47-0.50 s against
    0.51 s cycles, two parts of a run refused as "no ground contact rhythm")."""
    h = j.height_cm_displacement
    if j.height_status == "disagree" and np.isfinite(h) and h > 0 and j.height_cm_flight_time > h:
        return float(min(j.flight_s, np.sqrt(8.0 * h / G_CM_S2)))
    return float(j.flight_s)


def drop_off_rhythm(
    js: list[JumpEvent], t_phys_of, frame_s: float = 0.0, on_beat: Collection[int] = frozenset()
) -> list[JumpEvent]:
    """Drop events squeezed between two jumps of the rhythm (a second peak inside one
    flight, a bump of noise during contact) and events far smaller than the run's jumps
    (standing, swinging the rope over, walking off), except those ``on_beat``: apex frames
    the rope's rhythm vouches for (``detect_jumps``: on the beat two intervals either side,
    the rope turning), where a low hop is still a jump the rope passed under (development
    seeds 1000 and 1032, an alternate and a boxer
    step: a lighter step read 1.4 cm among steps of 2-8 cm, and 0.3 cm among 1-3 cm, and
    went; on 1000 the gap it left made the run too irregular, and cut there, the two jumps
    before it were too few to count). Of each too-close pair the lower one goes:
    two flights' apexes, as the feet time them, too close for two jumps (unlike the run's
    regularity, ``implausible``, this is read on the flights, not on the train's beat: a
    second event in one flight is what it catches; read on the beat, the shared montage clip
    kept such an event and was counted past its hand count). An event whose flight outlasts
    the cycle goes too, judged a frame shorter (``frame_s``, physical seconds), as a flight
    timed on whole frames can read up to a frame long (``implausible``): at 10 fps a 0.3 s
    step read 0.4-0.42 s in a 0.4 s cycle (development seed 1008, where four steps were
    dropped on it). Where the rope vouches for the event on the beat (``on_beat``), its
    flight is the one gravity allows for the feet's rise (``_flight_gravity_allows``): the
    rope passed under the feet, and a flight timed far longer than the rise allows is the
    timing's noise; off the beat (a bob after the run) the flight as timed still drops it."""
    js = list(js)
    if len(js) >= 3:
        period = float(np.median(np.diff([t_phys_of(j.apex_s) for j in js])))
        js = [
            j
            for j in js
            if not np.isfinite(j.flight_s)
            or (_flight_gravity_allows(j) if j.apex_frame in on_beat else j.flight_s) - frame_s
            < (period if j.foot == "both" else 2 * period)
        ]

    def h(j: JumpEvent) -> float:
        return j.height_cm_displacement if np.isfinite(j.height_cm_displacement) else np.inf

    hs = [h(j) for j in js if np.isfinite(h(j))]
    if len(hs) >= MIN_RUN_JUMPS:
        med_h = float(np.median(hs))
        js = [j for j in js if j.apex_frame in on_beat or not h(j) < MIN_HEIGHT_SHARE * med_h]
    while len(js) >= 3:
        apex = np.array([t_phys_of(j.apex_s) for j in js])
        d = np.diff(apex)
        i = int(np.argmin(d))
        if d[i] >= MIN_INTERVAL_SHARE * float(np.median(d)):
            break
        a, b = js[i], js[i + 1]
        js.pop(i if h(a) < h(b) else i + 1)
    out: list[JumpEvent] = []
    for j in js:
        contact = (t_phys_of(j.takeoff_s) - t_phys_of(out[-1].landing_s)) if out else float("nan")
        out.append(replace(j, contact_before_s=contact))
    return out


def summarise(
    jumps: list[JumpEvent], runs: list[Run], t: np.ndarray, factor: float, accepted: list[str], rejected: list[str]
) -> JumpAnalysis:
    """Count, active time and cadence in physical time (clip seconds / ``factor``)."""
    active = 0.0
    for k, _ in enumerate(runs):
        js = [j for j in jumps if j.run == k]
        if len(js) >= 2:
            span = (js[-1].takeoff_s - js[0].takeoff_s) / factor
            active += span * len(js) / (len(js) - 1)
    jpm = 60.0 * len(jumps) / active if active > 0 else 0.0
    windows = []
    if len(t):
        start = float(t[0])
        step = 10.0 * factor  # 10 s of real time
        while start < t[-1]:
            end = min(start + step, float(t[-1]))
            k = sum(1 for j in jumps if start <= j.takeoff_s < end)
            if end - start > 1.0 * factor:
                windows.append((start, end, 60.0 * k * factor / (end - start)))
            start += step
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
