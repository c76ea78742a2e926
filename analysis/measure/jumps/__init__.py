"""Jump events: take-off, apex and landing of every jump while a rope turns.

Named phases, each in its own module and readable on its own:

1. ``signals``  -- body signals in cm: torso, feet, foot difference, wrists.
2. ``trains``   -- candidate events of two trains (bounce, alternation) and the rhythm,
                   without assuming real time.
3. ``physics``  -- each hop's flight and height measured twice and checked against
                   gravity; the clip's time scale (slow motion) from the same check.
4. ``rope``     -- evidence for and against a turning rope, per run.
5. ``runs``     -- runs in physical time, rhythm checks, the summary.

``detect_jumps`` wires them; it is pure (arrays in, a ``JumpAnalysis`` out).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

import numpy as np
from scipy.stats import ttest_ind

from ...pose.landmarks import Landmark as L
from ...types import JumpAnalysis, JumpEvent, Run, RunEvidence, TimeScale
from ..view import facing_away
from .physics import (
    DISPLACEMENT_ERROR_CM,
    G_CM_S2,
    MIN_CLEARANCE_CM,
    Flight,
    combine_heights,
    estimate_time_scale,
    measure_flight,
    possibly_slowed,
)
from .rope import (
    LOCK_MIN_JUMPS,
    CountedRun,
    carry_rope,
    decide,
    feet_spread_cue,
    hands_cues,
    heard_cue,
    lateral_cue,
    stated_cue,
    swing_cue,
    tuck_cue,
)
from .rope_passes import rope_passes_cue
from .runs import (
    MAX_FLIGHT_SHARE,
    MAX_INTERVAL_S,
    MIN_HEIGHT_SHARE,
    SLOWEST_PERIOD_S,
    drop_off_rhythm,
    implausible,
    physical_runs,
    split_height_steps,
    summarise,
)
from .signals import TORSO_LANDMARKS, JumpSignals, build_signals, torso_cm_of
from .trains import (
    ALTERNATION_MAX_FEET_CORR,
    IN_RHYTHM_SHARE,
    MAX_CANDIDATE_GAP_S,
    MAX_RATE_HZ,
    MIN_RUN_JUMPS,
    RHYTHM_BREAK,
    Candidates,
    feet_correlation,
    feet_in_opposition,
    find_candidates,
    group_runs,
    split_rhythm,
)

__all__ = [
    "MAX_INTERVAL_S",
    "SLOWEST_PERIOD_S",
    "RHYTHM_BREAK",
    "TORSO_LANDMARKS",
    "JumpSignals",
    "RunEvidence",
    "TimeScale",
    "detect_jumps",
    "summarise",
]

#: Without the rope's or the hands' word on it, a two-foot jump is labelled a double-under
#: from its flight: a basic bounce of 2-5 cm flies 0.13-0.20 s; two passes of the rope need
#: about 0.3 s and a jump well above 2-5 cm.
DOUBLE_UNDER_FLIGHT_S = 0.30
DOUBLE_UNDER_MIN_CM = 10.0
#: A run whose feet rise together (``ALTERNATION_MAX_FEET_CORR`` does not call it stepping)
#: is still an alternate step where the foot held higher alternates jump by jump: Welch's
#: t-test of the feet's height difference at its odd against its even jumps, at the 1 % level
#: of the rules' test of alternating heights (``rules/landing.ALTERNATING_P``), with the two
#: means further apart than the pose model's displacement error (``DISPLACEMENT_ERROR_CM``),
#: as that test asks of heights. Each side needs as many jumps as a run
#: (``FEET_ALTERNATING_MIN_EACH`` = ``MIN_RUN_JUMPS``): on two a side Welch's test has about
#: one degree of freedom, and a double-under from behind whose five hops happened to read
#: 1.0, 2.6, 1.2, 2.6, 0.8 cm passed it (reporting seed 100077, seen after this was chosen on
#: the development seeds with two a side). An alternate step in which the support foot hops as
#: the rope passes lifts both feet in every jump, the stepping foot higher (the synthetic
#: jumper steps so): on 10 of the development seeds' 12 alternate steps filmed within 30 deg
#: of the front the feet's heights correlated positively (up to +0.98), and their runs were
#: labelled two-foot jumps (with this, 4 of the 7 counted are steps).
FEET_ALTERNATING_P = 0.01
FEET_ALTERNATING_MIN_EACH = MIN_RUN_JUMPS


def _neighbours(frames: np.ndarray, i: int, n: int, half_window: int) -> tuple[int, int]:
    prev_k = int(frames[i - 1]) if i > 0 else max(0, int(frames[i]) - half_window)
    next_k = int(frames[i + 1]) if i + 1 < len(frames) else min(n - 1, int(frames[i]) + half_window)
    k = int(frames[i])
    return max(prev_k, k - 2 * half_window), min(next_k, k + 2 * half_window)


def _foot(sig: JumpSignals, k: int, kind: str) -> str:
    if kind != "alternation":
        return "both"
    return "right" if sig.foot_diff_cm[k] < 0 else "left"


def _feet_alternate(sig: JumpSignals, frames: np.ndarray) -> bool:
    """The foot held higher alternates from jump to jump (see ``FEET_ALTERNATING_P``)."""
    d = sig.foot_diff_cm[np.asarray(frames, int)]
    odd, even = d[0::2], d[1::2]
    odd, even = odd[np.isfinite(odd)], even[np.isfinite(even)]
    if min(odd.size, even.size) < FEET_ALTERNATING_MIN_EACH:
        return False
    if abs(float(np.mean(odd)) - float(np.mean(even))) <= DISPLACEMENT_ERROR_CM:
        return False  # within the pose model's error
    if max(float(np.std(odd)), float(np.std(even))) < 1e-6:
        return True  # exactly two levels in turn (made-up motion): no spread to test against
    return bool(ttest_ind(odd, even, equal_var=False).pvalue < FEET_ALTERNATING_P)


def _flights(sig: JumpSignals, cand: Candidates) -> list[Flight]:
    frames = cand.frames
    out = []
    for i in range(len(frames)):
        d = np.diff(frames[max(0, i - 2) : i + 3])
        half = int(np.median(d)) if d.size else int(0.5 * sig.fps)
        prev_k, next_k = _neighbours(frames, i, sig.n, max(2, half))
        out.append(measure_flight(sig, int(frames[i]), prev_k, next_k, _foot(sig, int(frames[i]), cand.kinds[i])))
    return out


def _feet_seen(sig: JumpSignals, k: int) -> bool:
    return bool(sig.feet_visible[max(0, k - 2) : k + 3].any())


#: The feet rise and fall together (a two-foot bounce) when their heights correlate at least
#: this much: half of each foot's motion shared with the other (r^2 ~ 0.5). Development
#: seeds: two-foot bounces and one-foot hops 0.77-1.0, alternate steps read as bounces
#: 0.37-0.56.
FEET_TOGETHER_CORR = 0.7


def _small_bounces(cand: Candidates, idx: list[int]) -> list[bool]:
    """Per event of a stretch (``idx``: its candidates' indices): a bounce whose prominence
    in the bounce signal is under ``MIN_HEIGHT_SHARE`` of the stretch's median bounce. A
    turning rope sets one height for every jump of a run, and the body's rise with it; a
    bounce a third of the others is the knees bending before the first jump or straightening
    after the last (development seeds 1000-1109: 28 such events at the runs' edges, median
    0.25 of their run's bounce; the runs' true first and last jumps 0.64-0.71 at their 5th
    percentile). Alternation events, and stretches with fewer than ``MIN_RUN_JUMPS``
    bounces, are never flagged; the caller keeps a flagged event whose feet are seen leaving
    the floor, except off the beat before the stretch's first full bounce or after its last
    (``_at_edges``): a jump may rise above the crouch, or above standing, by little more
    than its flight, however deep the run's dips between jumps (made-up 1.5 cm bounces
    landing on knees bent to 150-160 deg: a bounce 0.34 of the run's)."""
    prom = cand.prominence_cm[idx] if cand.prominence_cm.size else np.full(len(idx), np.nan)
    seen = prom[np.isfinite(prom)]
    if seen.size < MIN_RUN_JUMPS:
        return [False] * len(idx)
    low = MIN_HEIGHT_SHARE * float(np.median(seen))
    return [bool(p < low) for p in prom]


def _settling(t: np.ndarray, frames: np.ndarray, small: list[bool]) -> list[bool]:
    """Per event of a stretch: a small bounce (``_small_bounces``) after the stretch's last
    full one, with the record going on for at least half a median interval after it. The
    body rising out of the last landing's crouch to stand; the feet cannot vouch for it, as
    they can for a first jump from standing: the knees straightening lift the pose model's
    ankles with them (development seeds 1014, 1061, 1101, 1143: the ankles rose 1.7-2.5 cm in
    such a 'flight' while the truth had both feet on the floor). A real jump's bounce is small
    only where its fall into the landing's crouch is not on record: the fall takes half a
    flight and the crouch about a quarter of a cycle more, both within half an interval, so
    where the record ends sooner the small bounce may be a last jump cut off, and the feet
    still decide."""
    tt = t[np.asarray(frames, int)]
    full = [i for i, tiny in enumerate(small) if not tiny]
    if not full or tt.size < 2:
        return [False] * len(small)
    step = float(np.median(np.diff(tt)))
    return [bool(small[i] and i > full[-1] and float(t[-1]) - tt[i] >= 0.5 * step) for i in range(len(small))]


#: A first jump comes one turn of the rope before the second: real skipping holds its
#: intervals within 5-15 % (``trains.IN_RHYTHM_SHARE``), and each event is timed to a frame.
#: A small bounce before a run further off its beat than that is the body's own timing.
READY_OFF_BEAT_SHARE = 0.15


def _getting_ready(t: np.ndarray, frames: np.ndarray, small: list[bool]) -> list[bool]:
    """Per event of a stretch: a small bounce (``_small_bounces``) before the stretch's first
    full one and off the run's beat (its interval to the next event further from the median
    interval than ``READY_OFF_BEAT_SHARE`` of it and a frame), with the record starting at
    least half a median interval before it. The body getting ready to jump: the knees bending
    and the heels rising lift the pose model's ankles with them, so the feet cannot vouch
    for it, and it is timed by the body, not by the rope. On the cached development, fresh
    and reporting sets (417 clips that skip) the feet had let eight such bounces be counted,
    none within half a period of a true jump: seven 0.2-0.8 s into the clip, while the
    renderer's jumper stood still or bent for the first take-off, one after a pause. A first
    jump from standing on the rope's beat may rise above standing by little more than its
    flight, a bounce a third of the run's that lands into deep dips (made-up 1.5 cm jumps):
    the feet decide it, as they do a first bounce whose rise out of the crouch before it is
    not on record (the clip starts inside the run; as with settling, ``_settling``)."""
    tt = t[np.asarray(frames, int)]
    full = [i for i, tiny in enumerate(small) if not tiny]
    if not full or tt.size < 2:
        return [False] * len(small)
    gaps = np.diff(tt)
    step = float(np.median(gaps))
    frame = float(np.median(np.diff(t))) if t.size >= 2 else 0.0
    off_beat = np.abs(gaps - step) > READY_OFF_BEAT_SHARE * step + frame
    return [
        bool(small[i] and i < full[0] and off_beat[i] and tt[i] - float(t[0]) >= 0.5 * step) for i in range(len(small))
    ]


def _at_edges(t: np.ndarray, frames: np.ndarray, small: list[bool]) -> list[bool]:
    """Per event of a stretch: a small bounce before its first full one and off its beat, or
    after its last (``_getting_ready``, ``_settling``), which the feet cannot vouch for."""
    return [a or b for a, b in zip(_getting_ready(t, frames, small), _settling(t, frames, small))]


def _small_at_edges(
    cand: Candidates, pos: Mapping[int, int], t: np.ndarray, frames: np.ndarray
) -> tuple[list[bool], list[bool]]:
    """Per event of a stretch (``frames``): (a small bounce, ``_small_bounces``; one at the
    stretch's edge, ``_at_edges``), as the rope's train and the count both read them."""
    small = _small_bounces(cand, [pos[int(k)] for k in frames])
    return small, _at_edges(t, frames, small)


def _possible_jumps(
    sig: JumpSignals, cand: Candidates, flights: list[Flight], pos: Mapping[int, int], frames: np.ndarray
) -> np.ndarray:
    """The run's events that can be jumps: without the small bounces that the count leaves out
    anyway (``_small_bounces``: getting ready before the first jump, settling after the last,
    or the feet not seen to leave the floor by a jump's clearance). The rope is judged on
    these: a rope sets the rhythm of the jumps, not of the knees' bobbing around them, and a
    train with such bobs in it runs faster than the hands turn or breaks their lock (fresh
    seed 1263, a back view in the dark: bobs a tenth to a third of the jumps' bounce, the
    hands at 0.63-0.74 x the train's rate, refused; judged on its jumps, 26 of 26 counted)."""
    small, settling = _small_at_edges(cand, pos, sig.t_s, frames)
    keep = [
        not _no_jump(sig, int(k), flights[pos[int(k)]], tiny, settles)
        for k, tiny, settles in zip(frames, small, settling)
    ]
    return np.asarray(frames, int)[np.asarray(keep, bool)]


def _no_jump(sig: JumpSignals, k: int, fl: Flight, tiny: bool, settles: bool) -> bool:
    """A small bounce (``_small_bounces``) that is no jump: getting ready before the run's
    first or settling after its last (``settles``, ``_at_edges``), or with the feet not seen
    to leave the floor by a jump's clearance."""
    return tiny and (settles or not (_feet_seen(sig, k) and fl.ok and fl.height_cm >= MIN_CLEARANCE_CM))


def _beat_context(run_all: np.ndarray, run: np.ndarray, stretch: np.ndarray) -> np.ndarray:
    """The events a stretch's beat is read on (``_in_rhythm``): the stretch's own, with the
    run's events that ``_possible_jumps`` left out put back between the kept events either side
    of it. Where nothing was left out, the stretch itself."""
    run_all, run = np.asarray(run_all, int), np.asarray(run, int)
    before, after = run[run < stretch[0]], run[run > stretch[-1]]
    lo = before[-1] if before.size else -1
    hi = after[0] if after.size else np.iinfo(np.int64).max
    dropped = np.setdiff1d(run_all, run)
    return np.union1d(np.asarray(stretch, int), dropped[(dropped > lo) & (dropped < hi)])


def _in_rhythm(t: np.ndarray, frames: np.ndarray, intervals: int = 1) -> list[bool]:
    """Per event of a run: the ``intervals`` intervals on each side all about one median
    interval long (1: both neighbours one beat away). Only such a bounce can be vouched for
    by the rope's rhythm (``_event``); the run's first and last events, and bounces off the
    beat (settling, a lead-in hop), are left to the feet."""
    tt = t[np.asarray(frames, int)]
    if tt.size < 3:
        return [False] * int(tt.size)
    d = np.diff(tt)
    med = float(np.median(d))
    ok = np.abs(d - med) <= IN_RHYTHM_SHARE * med
    return [
        bool(i >= intervals and i + intervals < tt.size and ok[i - intervals : i + intervals].all())
        for i in range(tt.size)
    ]


def _counted_parts(
    cands: list[JumpEvent],
    t_phys: np.ndarray,
    phys,
    frame_s: float,
    on_beat: Collection[int],
    beat: Mapping[int, float],
) -> list[tuple[list[JumpEvent], str | None]]:
    """A stretch's counted events as runs: split where their apexes are further apart than a
    run holds (``MAX_INTERVAL_S``, physical time ``t_phys`` per frame), events off the
    rhythm dropped (``runs.drop_off_rhythm``), split again where a dropped event leaves such
    a gap (the run breaks there, as at a jump never detected: development seed 1926, a lead-in
    bob 1.5 s before the first of double-unders a second apart was kept across a squeezed
    bounce dropped between them), and each run judged (``_plausible_parts``)."""
    out: list[tuple[list[JumpEvent], str | None]] = []
    for piece in physical_runs(np.array([e.apex_frame for e in cands], int), t_phys):
        keep = set(piece.tolist())
        kept = {
            e.apex_frame: e for e in drop_off_rhythm([e for e in cands if e.apex_frame in keep], phys, frame_s, on_beat)
        }
        for sub in physical_runs(np.array(list(kept), int), t_phys):
            js = [kept[int(k)] for k in sub]
            if len(js) >= MIN_RUN_JUMPS:
                out.extend(_plausible_parts(js, phys, frame_s, beat))
    return out


def _uncounted_why(bounces: int, timed: int) -> str:
    """Why a stretch whose rope evidence held gave no run (``_counted_parts`` left none):
    ``bounces`` in its rhythm, ``timed`` of them kept as jumps (``_event``)."""
    if timed < MIN_RUN_JUMPS:
        return (
            f"only {timed} of its {bounces} bounces could be timed as jumps (the others too small, or the feet "
            f"not seen to leave the floor), and a run needs {MIN_RUN_JUMPS}"
        )
    return (
        f"its {timed} timed jumps keep no steady beat over {MIN_RUN_JUMPS} jumps in a row (a jump missed or a "
        "bounce off the beat breaks it), so they cannot be told from bobs and steps"
    )


def _plausible_parts(
    js: list[JumpEvent], phys, frame_s: float, beat: Mapping[int, float] | None = None
) -> list[tuple[list[JumpEvent], str | None]]:
    """The run's parts with why each is not skipping (None where it is). A run that is too
    irregular as a whole is cut at its longest interval and each side judged again: a rope
    sets a steady beat within a run, so one long gap (a jump lost at a change of drill, a
    stumble) makes two runs, each of which may be steady; parts of fewer than
    ``MIN_RUN_JUMPS`` drop.

    The beat is each jump's candidate event (``beat``: apex frame -> clip seconds), the
    train's clock, where given, not the apex of the flight the feet time: in an alternate
    step the stepping foot's hop is timed off a foot the pose model half sees (side-on the
    feet hide each other), and its apex strays by up to half a step while the train's events
    keep the beat (development seed 1031: trained events every 0.37-0.42 s for steps every
    0.38-0.40 s; the timed apexes 0.15-0.62 s apart, "too irregular")."""
    when = [phys(beat.get(j.apex_frame, j.apex_s)) if beat else phys(j.apex_s) for j in js]
    why_not = implausible(js, phys, frame_s, when)
    if why_not is None or len(js) < 2 * MIN_RUN_JUMPS or "irregular" not in why_not:
        return [(js, why_not)]
    cut = int(np.argmax(np.diff(when))) + 1
    out: list[tuple[list[JumpEvent], str | None]] = []
    for part in (js[:cut], js[cut:]):
        if len(part) >= MIN_RUN_JUMPS:
            out.extend(_plausible_parts(part, phys, frame_s, beat))
    return out or [(js, why_not)]


def _evidence(
    sig: JumpSignals,
    xy_px: np.ndarray,
    frames: np.ndarray,
    fl: list[Flight],
    factor: float,
    stepping: bool,
    stature_px: np.ndarray,
    rope_band: np.ndarray | None,
    impacts_s: np.ndarray | None = None,
    rope_stated: bool = False,
) -> RunEvidence:
    """Every rope cue over the events ``frames`` of one stretch of a run (with the user's word
    that a rope was turning, where ``rope_stated``)."""
    t = sig.t_s
    a, b = int(frames[0]), int(frames[-1]) + 1
    rate = 1.0 / float(np.median(np.diff(t[frames])))
    # The hands' phase is tested at each jump's bounce (the torso's apex): a steadier clock
    # than take-offs timed on the feet, and the rope's phase is tied to both alike.
    # The hands' place at mid-flight tells one turn a jump from arms swung up with a hop, but
    # only on two-foot bounces (an alternate step's bounce is not the flight's middle), and
    # on flights too short for a double-under (whose two turns, read as one, have them high
    # then): on longer ones it leaves the hands unable to vouch for a rope.
    flight = [f.duration_s / factor for f in fl if f.ok]
    single = not flight or float(np.median(flight)) < DOUBLE_UNDER_FLIGHT_S
    together = feet_correlation(sig, a, b - 1, max(3, int(round(sig.fps / rate)) * 2 + 1)) >= FEET_TOGETHER_CORR
    cues, turns = hands_cues(
        sig,
        a,
        b,
        rate,
        np.asarray(frames, int),
        require_lock=True,
        bounce=together and not stepping,
        long_flight=not single,
    )
    cues.append(swing_cue(sig, a, b, rate))
    up = next((c.strength for c in cues if c.name == "hands overhead"), 0.0)
    cues.append(feet_spread_cue(_foot_spread(xy_px, a, b, stature_px), up))
    cues.append(lateral_cue(sig, np.asarray(frames, int)))
    if not stepping:
        disp = np.array([f.height_cm for f in fl])
        ball = np.array([G_CM_S2 * (f.duration_s / factor) ** 2 / 8.0 for f in fl])
        cues.append(tuck_cue(disp, ball))
    passes_cue, passes = rope_passes_cue(rope_band, t, fl, frames)
    cues.append(passes_cue)
    cues.append(heard_cue(impacts_s, fl, factor, t, sig.torso_cm))
    if rope_stated:
        hands = next((c for c in cues if c.name == "hands turning"), None)
        cues.append(stated_cue(len(frames), hands))
    return decide(cues, turns, float(t[a]), float(t[b - 1]), tuple(passes))


def _stretches(
    sig: JumpSignals,
    xy_px: np.ndarray,
    frames: np.ndarray,
    fl: list[Flight],
    factor: float,
    stepping: bool,
    stature_px: np.ndarray,
    rope_band: np.ndarray | None,
    impacts_s: np.ndarray | None = None,
    rope_stated: bool = False,
) -> list[tuple[np.ndarray, list[Flight], RunEvidence]]:
    """Split a run where its rhythm changes for good (skipping, then a drill, then skipping
    again; singles, then double-unders) and judge the rope on each stretch."""
    pos = {int(k): i for i, k in enumerate(frames)}
    out = []
    for part in split_rhythm(frames, sig.t_s):
        if part.size < MIN_RUN_JUMPS:
            continue
        sub = [fl[pos[int(k)]] for k in part]
        ev = _evidence(sig, xy_px, part, sub, factor, stepping, stature_px, rope_band, impacts_s, rope_stated)
        out.append((part, sub, ev))
    return out


def _rise_cut_cm(sig: JumpSignals, fl: Flight) -> float:
    """How much lower the top of this timed flight is after cleaning than before (cm, 0 where
    not lower or not known): the two-foot lift's highest frame in the flight, before and after."""
    if sig.lower_lift_raw_cm is None or not fl.ok:
        return 0.0
    a, b = (int(i) for i in np.searchsorted(sig.t_s, [fl.takeoff_s, fl.landing_s]))
    raw, clean = sig.lower_lift_raw_cm[a : b + 1], sig.lower_lift_cm[a : b + 1]
    if not (np.isfinite(raw).any() and np.isfinite(clean).any()):
        return 0.0
    return max(float(np.nanmax(raw) - np.nanmax(clean)), 0.0)


def _time_scale(
    sig: JumpSignals,
    xy_px: np.ndarray,
    cand: Candidates,
    flights: list[Flight],
    torso_cm: np.ndarray,
    scale_rel: float,
    user_factor: float | None,
    stature_px: np.ndarray,
    rope_band: np.ndarray | None,
    rope_stated: bool = False,
) -> TimeScale:
    """The clip's time scale: gravity first (``physics.estimate_time_scale``) on the two-foot
    hops of every candidate run, rope or not (any free flight falls at g, and a slowed-down
    clip's rope evidence is read at the physical rate only once the scale is known); failing
    that, the rhythm, where a rope is seen turning.

    The rhythm: real skipping's beat is never slower than ``SLOWEST_PERIOD_S`` (the rope
    must turn), so a stretch where a rope turns, the feet leave the floor, and the jumps'
    median interval is beyond even that beat's spread (``MAX_INTERVAL_S``) is slowed down.
    The factor is then a lower bound (``_least_factor``), or gravity's reading where it is
    larger. The bound is both the median interval over the slowest beat and the slowest of
    the stretch's intervals within its rhythm (``IN_RHYTHM_SHARE`` of its median; a longer
    one is a jump missed) over the longest interval a run holds: every interval of the run
    must fit real skipping once slowed down, and a bound read on the median alone left the
    slower half of the intervals above the limit, which then split the run into pieces too
    short to count (development seed 1952, 4x slow motion: 0 of 4 counted). Only stretches
    of ``LOCK_MIN_JUMPS`` jumps or more bound it: on fewer, the rope may stand on one hand
    signature locked over a few jumps, too little to overturn real time (development seed
    1113, squats every 2 s: three read as a rope by a lone wrist and the clip called 1.9x
    slow motion; counted 0 either way, as its jumps are too far apart for one run in real
    time).

    A stretch kept out of the bound this way (too few jumps, or feet that are not seen to
    leave the floor) still hints at slow motion where its beat is steady: the clip stays real
    time, and says that it may be slowed down (``_rhythm_hint``). Neither the bound nor the
    hint is read below twice the fastest skipping rate, where a slow beat may be a fast one
    aliased. A steady slow stretch with no rope confirmed on it is kept on a real-time verdict
    as what it showed (``TimeScale.slow_beat_s``, ``_slow_beat_note``), for the report to say
    instead of "no rhythm"."""
    pos = {int(k): i for i, k in enumerate(cand.frames)}
    use: list[Flight] = []
    slow_intervals: list[tuple[float, float]] = []  # (median, slowest in rhythm), once per jump
    hinted: list[tuple[float, float, int, str]] = []  # (slowest, median interval, jumps, why not)
    unroped: list[tuple[int, str, float]] = []  # slow steady stretches with no rope: (jumps, what was seen, beat)
    bounce = np.array([k for k, kind in zip(cand.frames, cand.kinds) if kind == "bounce"], int)
    for r in group_runs(bounce, sig.t_s, MAX_CANDIDATE_GAP_S):
        # Steps only where the feet's opposition is beyond chance (``trains.OPPOSITION_Z``).
        if feet_in_opposition(sig, int(r[0]), int(r[-1]), cand.detrend_window):
            continue
        fl = [flights[pos[int(k)]] for k in r]
        for frames, part, ev in _stretches(
            sig, xy_px, r, fl, 1.0, False, stature_px, rope_band, rope_stated=rope_stated
        ):
            gaps = np.diff(sig.t_s[frames])
            interval = float(np.median(gaps))
            # Flights that fill their cycles (``runs.MAX_FLIGHT_SHARE``, judged a frame shorter as
            # the run check judges them; a share any time scale leaves as it is) are not timed
            # as flights, so they cannot read gravity: hops of a centimetre or so, whose lift
            # the landmarks' noise spreads over most of a cycle, read as long, low flights, as
            # slow motion would show them (fresh development seed 1250, real time, 1 cm hops:
            # "flights" of 0.42-0.50 s every 0.45-0.75 s, called 2.6x slow motion).
            timed = [f.duration_s for f in part if f.ok]
            if not timed or not gaps.size or (float(np.median(timed)) - 1.0 / sig.fps) <= MAX_FLIGHT_SHARE * interval:
                use.extend(part)
            flew = float(np.mean([f.ok and f.height_cm >= MIN_CLEARANCE_CM for f in part]))
            seen = float(np.mean([_feet_seen(sig, int(k)) for k in frames]))
            # Below twice the fastest skipping rate (``MAX_RATE_HZ``) a fast rhythm can alias to
            # a slow one (the shared speed step, 7.5 steps a second, copied at 10 fps: a beat
            # every 1.8 s), so a slow beat there says nothing about slow motion.
            if interval <= MAX_INTERVAL_S or sig.fps < 2.0 * MAX_RATE_HZ:
                continue
            # A steady beat: as many intervals within the rhythm as a run has.
            steady = np.count_nonzero(np.abs(gaps - interval) <= IN_RHYTHM_SHARE * interval) >= MIN_RUN_JUMPS - 1
            if not ev.accepted:
                if steady:
                    # Said over its full-size bounces (``_small_bounces``: the knees' dips
                    # before the first and after the last are no part of the beat).
                    full = np.asarray(frames)[~np.asarray(_small_bounces(cand, [pos[int(k)] for k in frames]))]
                    full = full if full.size >= MIN_RUN_JUMPS else np.asarray(frames)
                    unroped.append((full.size, _slow_beat_note(sig.t_s, full, interval, flew, seen, ev), interval))
                continue
            slowest = _slowest_in_rhythm(sig.t_s, frames, part)
            if flew >= 0.5 and len(frames) >= LOCK_MIN_JUMPS:
                slow_intervals.extend([(interval, slowest)] * len(frames))
            elif slowest > MAX_INTERVAL_S and steady:
                # A hint only (``_rhythm_hint``), and only on a steady beat, the slowest of its
                # intervals slower than real skipping.
                why = (
                    "the feet are out of view, so their flights cannot be checked"
                    if seen < 0.5
                    else (
                        "the feet are not seen to leave the floor"
                        if flew < 0.5
                        else f"{len(frames)} jumps are too few to overturn real time"
                    )
                )
                hinted.append((slowest, interval, len(frames), why))
    ts = estimate_time_scale(use, sig.t_s, torso_cm, scale_rel, user_factor)
    if ts.source == "real time" and unroped:
        _, note, beat = max(unroped, key=lambda u: u[0])
        ts = replace(ts, slow_beat_s=beat, slow_beat_note=note)
    if ts.source == "real time" and hinted and not slow_intervals:
        return _rhythm_hint(ts, hinted)
    if ts.source != "real time" or not slow_intervals:
        return ts
    bound = _least_factor(np.array(slow_intervals))
    factor = max(bound, ts.estimate) if np.isfinite(ts.estimate) else bound
    return TimeScale(
        factor,
        "rhythm",
        ts.estimate,
        ts.uncertainty,
        ts.n_jumps,
        f"slow motion, at least {bound:.1f}x: a rope turns and the feet leave the floor, but the jumps come "
        f"slower than any skipping (a jump at least every {SLOWEST_PERIOD_S:g} s); gravity could not fix the factor "
        f"({ts.note}). Durations and speeds assume {factor:.1f}x: state the factor for exact figures",
    )


def _slow_beat_note(t: np.ndarray, frames: np.ndarray, beat_s: float, flew: float, seen: float, ev: RunEvidence) -> str:
    """What a stretch with a steady beat slower than any skipping, and no rope confirmed on
    it, showed (``TimeScale.slow_beat_s``): where, how slow, whether the feet left the floor,
    and the rope's verdict. Nothing is counted on it at real time; it is the one thing to
    say where the clip shows nothing else, as either a movement without a rope or skipping
    slowed down, which the clip could not tell apart."""
    feet = (
        "the feet out of view"
        if seen < 0.5
        else ("the feet leaving the floor" if flew >= 0.5 else "the feet not seen to leave the floor")
    )
    return (
        f"from {t[int(frames[0])]:.1f} to {t[int(frames[-1])]:.1f} s the body rises and falls {len(frames)} "
        f"times in a steady beat, one every {beat_s:.1f} s, with {feet}: slower than any skipping (a jump at "
        f"least every {SLOWEST_PERIOD_S:g} s); {ev.reason}"
    )


def _least_factor(intervals: np.ndarray) -> float:
    """The least slow-motion factor a beat too slow for real skipping implies (``intervals``:
    [n, 2] clip seconds, the median interval and the slowest within the rhythm, once per
    jump): real skipping's median beat is at most ``SLOWEST_PERIOD_S``, and once slowed
    down, every interval of the run must fit inside one (``MAX_INTERVAL_S``)."""
    med, slowest = np.median(np.asarray(intervals, float), axis=0)
    return float(max(med / SLOWEST_PERIOD_S, slowest / MAX_INTERVAL_S))


def _slowest_in_rhythm(t: np.ndarray, frames: np.ndarray, flights: list[Flight]) -> float:
    """The slowest interval within a stretch's rhythm (``IN_RHYTHM_SHARE`` over its median;
    a longer one is a jump missed), on both clocks the run is later timed by: the candidate
    events, and the flights' apexes where the feet time them (``_event``). The two differ by
    a frame or two at every jump, and a factor read on one clock alone left intervals of the
    other just over ``MAX_INTERVAL_S`` once slowed down, which split the run (made-up 4x slow
    motion played at 30 frames a second, 1 px of jitter: 4 of 10 counted)."""
    frames = np.asarray(frames, int)
    apex = np.array([f.apex if f.ok and 0 <= f.apex < len(t) else k for k, f in zip(frames, flights)], int)
    out = 0.0
    for clock in (frames, apex):
        gaps = np.diff(t[clock])
        med = float(np.median(gaps))
        out = max(out, float(np.max(gaps[gaps <= (1.0 + IN_RHYTHM_SHARE) * med])))
    return out


def _rhythm_hint(ts: TimeScale, hinted: list[tuple[float, float, int, str]]) -> TimeScale:
    """A real-time verdict that says the clip may be slow motion: stretches where a rope turns
    have jumps further apart than real skipping allows (``SLOWEST_PERIOD_S``), but the clip
    cannot confirm it (``_time_scale``: the feet hidden, or too few jumps; a slow squat whose
    hands ride with the body can pass for a few turns of a rope). Nothing is counted and no
    duration is corrected on it: the user is asked for the factor, with which those jumps
    count. As on any clip that may be slowed (``physics.possibly_slowed``), a height stands on
    the feet's rise alone, not on a flight time that may be stretched. Its least factor is
    read as the rhythm's bound is (``_least_factor``)."""
    bound = _least_factor(np.array([(h[1], h[0]) for h in hinted for _ in range(h[2])]))
    longest = max(hinted, key=lambda h: h[2])
    gravity = ts.note if possibly_slowed(ts) else ""
    return replace(
        ts,
        rhythm_hint=bound,
        note=(
            f"treated as real time, though the clip may be slow motion, at least {bound:.1f}x: a rope turns with "
            f"the jumps, but they come every {longest[1]:.1f} s, slower than any skipping (a jump at least every "
            f"{SLOWEST_PERIOD_S:g} s), and {longest[3]}"
            + (f" ({gravity})" if gravity else "")
            + "; if it was filmed in slow motion, state the factor to have those jumps counted and every "
            "duration, speed and flight-time height corrected"
        ),
    )


def _event(
    sig: JumpSignals,
    k: int,
    fl: Flight,
    foot: str,
    style: str,
    run: int,
    factor: float,
    scale_rel: float,
    passes: int,
    vouched: bool = False,
    toes_hidden: bool = False,
    time_in_doubt: bool = False,
    factor_rel: float = 0.0,
) -> JumpEvent | None:
    """One counted jump, or None when the feet are seen and stay on the floor.

    Where the feet are out of view, or their hop has no shape that times a flight (a foot
    the pose model only guesses), the jump is still counted from the torso's bounce, at
    the torso's apex, with its flight and height left unmeasured.

    ``vouched``: the rope itself says this bounce cleared it (the hands turn once or twice
    per bounce of the run, or the rope was seen passing in this jump's cycle). A rope that
    passes under the feet at every bounce leaves no bounce on the floor, so a hop that
    reads lower than ``MIN_CLEARANCE_CM`` is then a low jump measured within the pose
    model's error (``DISPLACEMENT_ERROR_CM``), or a far foot the model guesses, not a
    bounce of the knees: it is counted with the height as measured."""
    t, n = sig.t_s, sig.n
    feet_seen = _feet_seen(sig, k)
    if feet_seen and not vouched and not (fl.height_cm >= MIN_CLEARANCE_CM):
        return None  # the feet stay down: a bounce of the knees, a heel raise, a weight shift
    timed = feet_seen and fl.ok and 1 < fl.apex < n - 2 and fl.landing_s < t[-1]
    if timed:
        to_s, ld_s, apex = fl.takeoff_s, fl.landing_s, fl.apex
    else:
        apex = k
        to_s = ld_s = float(t[k])
    h = (
        combine_heights(
            fl,
            sig.fps,
            factor,
            scale_rel,
            foot == "both",
            toes_hidden,
            time_in_doubt,
            factor_rel,
            rise_cut_cm=_rise_cut_cm(sig, fl),
        )
        if timed
        else None
    )
    flight = (ld_s - to_s) / factor if timed else float("nan")
    return JumpEvent(
        index=0,
        takeoff_frame=min(int(np.searchsorted(t, to_s - 1e-9)), n - 1),
        apex_frame=int(apex),
        landing_frame=min(int(np.searchsorted(t, ld_s - 1e-9)), n - 1),
        takeoff_s=float(to_s),
        apex_s=float(t[apex]),
        landing_s=float(ld_s),
        flight_s=float(flight),
        contact_before_s=float("nan"),
        height_cm_displacement=float(h.displacement_cm) if h else (float(fl.height_cm) if feet_seen else float("nan")),
        height_cm_flight_time=float(h.flight_time_cm) if h else float("nan"),
        height_uncertainty_cm=float(h.flight_time_sigma_cm) if h else float("nan"),
        lr_touchdown_gap_s=float(fl.lr_gap_s / factor) if foot == "both" else float("nan"),
        lr_height_diff_cm=float(fl.lr_diff_cm) if foot == "both" else float("nan"),
        foot=foot,
        style=style,
        run=run,
        height_cm=float(h.best_cm) if h else float("nan"),
        height_sigma_cm=float(h.sigma_cm) if h else float("nan"),
        height_status=h.status if h else ("flight not measurable" if feet_seen else "feet not visible"),
        height_displacement_sigma_cm=float(h.displacement_sigma_cm) if h else float("nan"),
        rope_passes_seen=int(passes),
    )


def _style(stepping: bool, turns: float, passes: int, fl: Flight, factor: float, h_cm: float) -> str:
    """Alternate step, double-under or two-foot jump. A double-under is told by the rope:
    two turns of the hands per jump over the run, or two passes of the rope seen in this
    jump's cycle on a jump with room for two turns: risen ``DOUBLE_UNDER_MIN_CM`` or more,
    or, where its rise was not measured, flown ``DOUBLE_UNDER_FLIGHT_S`` or more.

    The rope seen passing twice speaks for this jump whatever the hands' rate says: that is
    read over the whole run, so in a run of single jumps with a few double-unders it says one
    turn, and it said one turn on 17 of the 18 runs of double-unders the hands vouched for on
    the development seeds (1000-1159 and 1920-1959), whose second turn is a quick flick of
    the wrists inside the flight. A second pass found in a jump too low for two turns is the
    tail of a pass over the head or the band's noise (the same seeds: of the jumps with two
    passes found, the 71 double-unders rose 10.6-19.6 cm, the 27 single jumps 1.2-8.4 cm)."""
    if stepping:
        return "alternate"
    flight = fl.duration_s / factor if fl.ok else float("nan")
    room_for_two = h_cm >= DOUBLE_UNDER_MIN_CM if np.isfinite(h_cm) else flight >= DOUBLE_UNDER_FLIGHT_S
    if turns == 2.0 or (passes >= 2 and room_for_two):
        return "double_under"
    if passes >= 1 or turns == 1.0:
        return "two_foot"
    return "double_under" if flight >= DOUBLE_UNDER_FLIGHT_S and h_cm >= DOUBLE_UNDER_MIN_CM else "two_foot"


def _last_counted(jumps: list[JumpEvent], runs: list[Run]) -> CountedRun | None:
    """The last run counted so far, as the rope's carry-over reads it (``rope.carry_rope``):
    its span, median interval between apexes, and turns per jump (2 where most of its jumps
    are double-unders)."""
    if not runs:
        return None
    last = [j for j in jumps if j.run == len(runs) - 1]
    apex = np.array([j.apex_s for j in last])
    interval = float(np.median(np.diff(apex))) if apex.size >= 2 else float("nan")
    turns = 2.0 if sum(j.style == "double_under" for j in last) * 2 > len(last) else 1.0
    return CountedRun(runs[-1].start_s, runs[-1].end_s, interval, turns)


def _foot_spread(xy_px: np.ndarray, a: int, b: int, stature_px: np.ndarray) -> np.ndarray:

    return np.abs(xy_px[a:b, L.LEFT_ANKLE, 0] - xy_px[a:b, L.RIGHT_ANKLE, 0]) / stature_px[a:b]


def detect_jumps(
    xy_px: np.ndarray,
    t_s: np.ndarray,
    fps: float,
    cm_per_px: np.ndarray,
    style_hint: str = "auto",
    *,
    stature_cm: float = 170.0,
    scale_rel_uncertainty: float = 0.06,
    feet_visible: np.ndarray | None = None,
    slowmo_factor: float | None = None,
    rope_band: np.ndarray | None = None,
    torso_xy_px_unsmoothed: np.ndarray | None = None,
    impacts_s: np.ndarray | None = None,
    camera_yaw_deg: float = float("nan"),
    hands_fore_aft: np.ndarray | None = None,
    rope_stated: bool = False,
    feet_bottom_raw_y: np.ndarray | None = None,
    wrists_xy_px_low_confidence: np.ndarray | None = None,
) -> JumpAnalysis:
    """Find every jump in a cleaned pose series (see the package docstring).

    Args:
        xy_px: [T, 33, 2] cleaned image landmarks (NaN where missing).
        t_s: [T] clip timestamps.
        fps: nominal frame rate.
        cm_per_px: [T] per-frame vertical scale.
        style_hint: "auto", "two_foot" (bounce train only) or "alternate" (alternation only).
        stature_cm: the standing height the scale assumes.
        scale_rel_uncertainty: the scale's relative uncertainty (heights, time scale).
        feet_visible: [T] feet inside the frame and seen (None: wherever landmarks exist).
        slowmo_factor: the user's statement that the clip is slowed down this many times.
        rope_band: [T] motion energy above the head (``pose/ropeband.py``), or None.
        impacts_s: impact onsets heard in a usable soundtrack (clip time), or None.
        torso_xy_px_unsmoothed: [T, 6, 2] the torso's landmarks (``signals.TORSO_LANDMARKS``,
            in that order) cleaned of outliers and short gaps but not low-passed
            (``measure.signals.unsmoothed_xy``): the torso's free fall is measured on these
            (``physics.py``). None: on the cleaned landmarks.
        camera_yaw_deg: the camera's yaw to the body (0 facing it, +-180 behind; NaN:
            unknown). From behind, the toes are hidden and heights come from the flight
            time alone (``view.facing_away``, ``physics.combine_heights``).
        hands_fore_aft: [T] left minus right wrist along the body's fore-aft axis, cm
            (``signals.hands_fore_aft_cm`` of the pose model's world landmarks), or None.
        rope_stated: the user says a rope was turning (``rope.stated_cue``): a stretch the
            clip cannot confirm is counted on that word, and said to be; a cue against a
            rope still refuses it.
        feet_bottom_raw_y: [T] the feet's bottom before cleaning (``measure.signals.feet_bottom_y_raw``,
            image rows), or None: a hop whose top the cleaning cut takes its height from the
            flight time (``physics.combine_heights``, ``rise_cut_cm``).
        wrists_xy_px_low_confidence: [T, 2, 2] the left and right wrists cleaned down to
            ``measure.signals.LOW_CONFIDENCE_MIN_VISIBILITY`` (``measure.signals.clean_xy``),
            or None: where the wrists seen do not vouch for a rope, the hands' cue takes a
            second look at these, which vouches only on both of its signatures and never
            refuses (``rope.hands_cues``).
    """
    t = np.asarray(t_s, float)
    n = len(t)
    if n < 5 or not np.isfinite(xy_px[:, :, 1]).any():
        return JumpAnalysis([], [], 0.0, 0.0, [], {}, "no pose found", [])
    sig = build_signals(
        xy_px,
        t,
        fps,
        cm_per_px,
        stature_cm,
        feet_visible,
        hands_fore_aft,
        camera_yaw_deg,
        feet_bottom_raw_y,
        wrists_xy_px_low_confidence,
    )
    cand = find_candidates(sig, style_hint)
    flights = _flights(sig, cand)
    # Gravity is read on the torso without the low-pass (which rounds a parabola's apex).
    torso_raw = sig.torso_cm if torso_xy_px_unsmoothed is None else torso_cm_of(torso_xy_px_unsmoothed, cm_per_px)
    stature_px = stature_cm / np.where(np.asarray(cm_per_px) > 0, cm_per_px, np.nan)
    ts = _time_scale(
        sig, xy_px, cand, flights, torso_raw, scale_rel_uncertainty, slowmo_factor, stature_px, rope_band, rope_stated
    )
    factor = ts.factor
    # Which height estimate to drop: the feet's rise from behind, the flight time on a clip
    # that may be slow motion (``physics.combine_heights``).
    # A factor that is only a bound (``rhythm``: the jumps too far apart for real time, gravity
    # unable to fix it) leaves every flight-time height too high by its square: the height is
    # then the feet's rise alone, as on a clip that may be slowed. An estimated factor is used
    # with its uncertainty, which the flight-time heights carry (``physics.flight_time_height``).
    toes_hidden = facing_away(camera_yaw_deg)
    time_in_doubt = possibly_slowed(ts) or ts.source == "rhythm"
    factor_rel = (
        float(ts.uncertainty / ts.factor)
        if ts.source == "estimated" and np.isfinite(ts.uncertainty) and ts.factor > 0
        else 0.0
    )
    t_phys = t / factor
    pos = {int(k): i for i, k in enumerate(cand.frames)}
    jumps: list[JumpEvent] = []
    runs_out: list[Run] = []
    accepted: list[str] = []
    rejected: list[str] = []
    evidence: list[RunEvidence] = []
    phys = lambda s: s / factor  # noqa: E731 - clip seconds -> physical seconds
    frame_phys_s = 1.0 / (sig.fps * factor)
    # Two-foot heights of the bounce candidates where the feet are seen, with the pose
    # model's error (an alternation event's hop is one foot's, not comparable).
    cand_h = np.array(
        [
            f.height_cm if kind == "bounce" and _feet_seen(sig, int(k)) else np.nan
            for k, f, kind in zip(cand.frames, flights, cand.kinds)
        ]
    )
    cand_sd = np.array([np.hypot(f.noise_cm, DISPLACEMENT_ERROR_CM) for f in flights])
    trains = split_height_steps(cand.frames, cand_h, cand_sd) if len(cand.frames) else []
    for r in (r for piece in trains for r in physical_runs(piece, t_phys)):
        r_all, r = r, _possible_jumps(sig, cand, flights, pos, r)
        if r.size < MIN_RUN_JUMPS:
            continue
        idx = [pos[int(k)] for k in r]
        kinds = {int(k): cand.kinds[i] for k, i in zip(r, idx)}
        kind = "alternation" if sum(k == "alternation" for k in kinds.values()) * 2 > len(kinds) else "bounce"
        stepping = (
            kind == "alternation"
            or feet_correlation(sig, int(r[0]), int(r[-1]), cand.detrend_window) < ALTERNATION_MAX_FEET_CORR
        )
        for frames, fl_run, ev in _stretches(
            sig, xy_px, r, [flights[i] for i in idx], factor, stepping, stature_px, rope_band, impacts_s, rope_stated
        ):
            a, b = int(frames[0]), int(frames[-1])
            # The rope turns on from the run counted just before, with no break between
            # (``rope.carry_rope``).
            ev = carry_rope(ev, _last_counted(jumps, runs_out), MAX_INTERVAL_S * factor)
            evidence.append(ev)
            if not ev.accepted:
                rejected.append(f"{t[a]:.1f}-{t[b]:.1f} s: {ev.reason}")
                continue
            accepted.append(ev.reason)
            run_no = len(runs_out)
            cands: list[JumpEvent] = []
            on_beat: set[int] = set()  # apex frames the rope vouches for, two beats either side
            beat: dict[int, float] = {}  # apex frame -> the candidate event's time (clip seconds)
            # The beat is read with the bounces left out of the rope's judgement back in place
            # (``_beat_context``): a low first jump, too small to be told from a bob, still
            # gives its neighbour the beat the rope vouches for.
            ctx = _beat_context(r_all, r, frames).tolist()
            one, two = dict(zip(ctx, _in_rhythm(t, ctx))), dict(zip(ctx, _in_rhythm(t, ctx, 2)))
            in_rhythm, inside = [one[int(k)] for k in frames], [two[int(k)] for k in frames]
            seen_h = [
                f.height_cm for k, f in zip(frames, fl_run) if _feet_seen(sig, int(k)) and np.isfinite(f.height_cm)
            ]
            low_h = MIN_HEIGHT_SHARE * float(np.median(seen_h)) if seen_h else 0.0
            # A bounce of the body far smaller than the run's is no jump, unless the feet are seen
            # to leave the floor between the run's full bounces: the knees bending before the
            # first jump or straightening after the last move the torso a fraction of a jump's
            # rise, and the ankles with it (``_small_bounces``, ``_at_edges``).
            small, settling = _small_at_edges(cand, pos, t, frames)
            # Feet that rise together but alternate which is higher step too: the jumps are
            # labelled so (the rope's evidence above was read as the feet's correlation says).
            steps = stepping or _feet_alternate(sig, frames)
            centre = float(np.nanmedian(sig.foot_diff_cm[np.asarray(frames, int)])) if steps and not stepping else 0.0
            for k, fl, passes, steady, deep, tiny, settles in zip(
                frames, fl_run, ev.rope_passes, in_rhythm, inside, small, settling
            ):
                if _no_jump(sig, int(k), fl, tiny, settles):
                    continue
                foot = (
                    "both"
                    if not steps
                    else (
                        _foot(sig, int(k), kinds[int(k)])
                        if kinds[int(k)] == "alternation"
                        else ("right" if sig.foot_diff_cm[int(k)] - centre < 0 else "left")
                    )
                )
                style = _style(steps, ev.turns_per_jump, passes, fl, factor, fl.height_cm)
                # On the beat of a run whose rope turns once or twice a jump (or is seen in
                # this cycle), the rope passes under the feet, so the bounce cleared it however
                # low its hop reads (``_event``). A hop far below the run's jumps only where
                # the beat holds two intervals either side: next to a run's edge one interval
                # on the beat can be a bob while standing (the shared riverside clip: a 1 cm
                # bob 0.5 s before the first step, and a flicker of the fade-in before it).
                # Such a hop is then not dropped as far below the run's jumps either
                # (``runs.drop_off_rhythm``): that drop is for hops off the beat.
                vouched = (
                    steady and (deep or not fl.height_cm < low_h) and (ev.turns_per_jump in (1.0, 2.0) or passes >= 1)
                )
                e = _event(
                    sig,
                    int(k),
                    fl,
                    foot,
                    style,
                    run_no,
                    factor,
                    scale_rel_uncertainty,
                    passes,
                    vouched,
                    toes_hidden=toes_hidden,
                    time_in_doubt=time_in_doubt,
                    factor_rel=factor_rel,
                )
                if e is not None:
                    cands.append(e)
                    if vouched and deep:
                        on_beat.add(e.apex_frame)
                    beat[e.apex_frame] = float(t[int(k)])
            counted_before, why_nots = len(jumps), []
            for part, why_not in _counted_parts(cands, t_phys, phys, frame_phys_s, on_beat, beat):
                if why_not:
                    rejected.append(f"{part[0].takeoff_s:.1f}-{part[-1].landing_s:.1f} s: {why_not}")
                    why_nots.append(why_not)
                    continue
                run_no = len(runs_out)
                part = [replace(e, run=run_no, index=len(jumps) + i) for i, e in enumerate(part)]
                jumps.extend(part)
                runs_out.append(
                    Run(
                        part[0].takeoff_s,
                        part[-1].landing_s,
                        len(part),
                        part[0].takeoff_frame,
                        part[-1].landing_frame,
                    )
                )
            if len(jumps) == counted_before:
                # The rope's evidence held, yet no jump was counted here: said, so that neither
                # the report nor the page calls the stretch counted, nor the clip "no rhythm".
                why = "; ".join(why_nots) or _uncounted_why(len(frames), len(cands))
                evidence[-1] = replace(ev, uncounted=why)
                if not why_nots:
                    rejected.append(f"{t[a]:.1f}-{t[b]:.1f} s: a rope turns there, but {why}")
    out = replace(summarise(jumps, runs_out, t, factor, accepted, rejected), time_scale=ts, run_evidence=evidence)
    if not jumps and not rejected and ts.slow_beat_note:
        out = replace(out, rope_evidence=f"no skipping: {ts.slow_beat_note}")
    return out
