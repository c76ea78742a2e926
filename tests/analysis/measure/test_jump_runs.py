"""Runs of counted jumps: a run too irregular as a whole is cut at its longest gap; a run
whose flights fill the cycle is refused only beyond the flights' timing error."""

from dataclasses import replace

import numpy as np

from analysis.measure.jumps import (
    _at_edges,
    _counted_parts,
    _getting_ready,
    _in_rhythm,
    _plausible_parts,
    _settling,
)
from analysis.measure.jumps.runs import drop_off_rhythm, implausible
from tests.fixtures.report import make_jumps

TEMPLATE = make_jumps(50).jumps[0]


def jumps_at(apex_s):
    return [replace(TEMPLATE, apex_s=float(a), takeoff_s=float(a) - 0.07, landing_s=float(a) + 0.07,
                    flight_s=0.14) for a in apex_s]


def test_a_long_gap_splits_an_irregular_run_into_two_steady_ones():
    """Five steady jumps, a jump lost at a change of drill (a 1.6 s gap), four steady jumps:
    as one run the intervals vary by 60 %; cut at the gap, both halves are skipping."""
    first = 0.5 + 0.45 * np.arange(5)
    second = first[-1] + 1.6 + 0.45 * np.arange(4)
    parts = _plausible_parts(jumps_at(np.concatenate([first, second])), lambda s: s, 1 / 30)
    assert [len(p) for p, why in parts] == [5, 4]
    assert all(why is None for _, why in parts)


def test_a_gap_left_by_a_dropped_event_breaks_the_run_as_a_missed_jump_would():
    """A bob 1.5 s before the first of five jumps a second apart, and a bump of noise during
    contact between them (read at 0.3 cm among 3 cm jumps): with the bump the events are
    never further apart than a run holds (1.3 s); dropped off the rhythm, it leaves the bob
    1.5 s from the first jump, where the run breaks, so the bob is no jump. Without the bob's
    gap (a bump between two jumps a second apart) the run stays whole."""
    fps = 30.0
    t_phys = np.arange(300) / fps
    apex = np.array([0.4, 1.15, 1.9, 2.9, 3.9, 4.9, 5.9])
    js = [replace(j, apex_frame=int(round(a * fps)), height_cm_displacement=3.0) for j, a in zip(jumps_at(apex), apex)]
    js[1] = replace(js[1], height_cm_displacement=0.3)
    parts = _counted_parts(js, t_phys, lambda s: s, 1 / fps, frozenset(), {})
    assert [[j.apex_s for j in p] for p, why in parts] == [[1.9, 2.9, 3.9, 4.9, 5.9]]
    assert all(why is None for _, why in parts)
    whole = [replace(j, apex_frame=int(round(a * fps)), height_cm_displacement=3.0)
             for j, a in zip(jumps_at(apex[2:]), apex[2:])]
    bump = replace(whole[0], apex_s=2.4, apex_frame=72, takeoff_s=2.33, landing_s=2.47, height_cm_displacement=0.3)
    parts = _counted_parts(sorted([*whole, bump], key=lambda j: j.apex_s), t_phys, lambda s: s, 1 / fps, frozenset(), {})
    assert [len(p) for p, _ in parts] == [5]


def test_an_irregular_run_with_no_steady_part_stays_rejected():
    rng = np.random.default_rng(3)
    apex = np.cumsum(rng.uniform(0.2, 1.2, 9))
    parts = _plausible_parts(jumps_at(apex), lambda s: s, 1 / 30)
    assert parts and all(why is not None and "irregular" in why for _, why in parts)


def test_a_steady_run_is_left_whole():
    parts = _plausible_parts(jumps_at(0.5 + 0.45 * np.arange(10)), lambda s: s, 1 / 30)
    assert len(parts) == 1 and len(parts[0][0]) == 10 and parts[0][1] is None


def test_the_beat_is_read_on_the_trains_events_where_the_feet_time_the_apex_badly():
    """Steps every 0.38 s whose timed apexes stray by up to 0.13 s (the stepping foot half
    seen, side-on): irregular by the apexes, steady by the train's own events."""
    beat_s = 1.0 + 0.38 * np.arange(8)
    stray = np.array([0.0, -0.07, 0.13, -0.09, 0.05, -0.05, 0.03, -0.05])
    js = [replace(j, apex_frame=i) for i, j in enumerate(jumps_at(beat_s + stray))]
    assert "irregular" in (implausible(js, lambda s: s, 1 / 60) or "")
    beat = {j.apex_frame: float(b) for j, b in zip(js, beat_s)}
    parts = _plausible_parts(js, lambda s: s, 1 / 60, beat)
    assert len(parts) == 1 and len(parts[0][0]) == 8 and parts[0][1] is None


def test_a_flight_a_frame_long_at_a_low_frame_rate_does_not_drop_the_jump():
    """At 10 fps a 0.3 s flight can read 0.42 s, longer than the 0.4 s cycle: judged a frame
    shorter it fits, so the jump stays; one more than a frame past the cycle is no jump's."""
    apex = 1.0 + 0.4 * np.arange(8)
    js = [replace(j, apex_frame=i, flight_s=0.42) for i, j in enumerate(jumps_at(apex))]
    assert len(drop_off_rhythm(js, lambda s: s, 0.1)) == 8
    assert drop_off_rhythm(js, lambda s: s, 0.0) == []
    assert drop_off_rhythm([replace(j, flight_s=0.52) for j in js], lambda s: s, 0.1) == []


def test_a_hop_far_below_the_runs_goes_unless_the_rope_vouches_for_it_on_the_beat():
    """Eight steps every 0.4 s at 3 cm, one of them read at 0.4 cm (a lighter step): off the
    beat's vouching it is dropped as far below the run's jumps; on the beat of a run whose
    rope turns, it stays. A standing bob with nothing vouching for it still goes."""
    apex = 1.0 + 0.4 * np.arange(8)
    js = [replace(j, apex_frame=i, height_cm_displacement=3.0) for i, j in enumerate(jumps_at(apex))]
    js[4] = replace(js[4], height_cm_displacement=0.4)
    assert [j.apex_frame for j in drop_off_rhythm(js, lambda s: s, 0.0)] == [0, 1, 2, 3, 5, 6, 7]
    kept = drop_off_rhythm(js, lambda s: s, 0.0, on_beat={1, 2, 3, 4, 5, 6})
    assert [j.apex_frame for j in kept] == list(range(8))
    assert kept[4].height_cm_displacement == 0.4
    assert len(drop_off_rhythm(js, lambda s: s, 0.0, on_beat={1, 2, 3, 5, 6})) == 7


def test_the_beat_holds_one_or_two_intervals_either_side():
    """A bob 0.47 s before a run of steps every 0.45 s, and a flicker before it: the bob has a
    beat's interval on each side, but not two; the run's third event has two."""
    t = np.arange(0.0, 5.0, 0.01)
    apex_s = np.array([0.13, 0.60, 1.13, 1.60, 2.04, 2.50, 2.94, 3.40, 3.87, 4.27])
    frames = np.searchsorted(t, apex_s - 1e-9)
    one, two = _in_rhythm(t, frames), _in_rhythm(t, frames, 2)
    assert one == [False] + [True] * 8 + [False]
    assert two == [False, False] + [True] * 6 + [False, False]
    late = frames.copy()
    late[5] += 20  # one step 0.2 s late: it and its neighbours leave the beat
    assert _in_rhythm(t, late, 2)[3:8] == [False] * 5


def _with_flight(apex_s, flight_s):
    return [replace(j, flight_s=flight_s) for j in jumps_at(apex_s)]


def test_flights_that_fill_the_cycle_only_by_a_frame_are_kept():
    """A 12 fps clip of short hops every 0.34 s times each flight at 0.30 s (a frame is 83
    ms): 88 % of the cycle as measured, 64 % a frame shorter. Counted as skipping."""
    js = _with_flight(0.5 + 0.34 * np.arange(10), 0.30)
    assert implausible(js, lambda s: s, 1 / 12) is None
    # At 240 fps a frame is no allowance: the same 88 % is refused
    why = implausible(js, lambda s: s, 1 / 240)
    assert why is not None and "flights fill 88%" in why


def test_flights_that_fill_the_cycle_beyond_a_frame_are_refused():
    js = _with_flight(0.5 + 0.45 * np.arange(10), 0.42)  # 93 %, 86 % a 60 fps frame shorter
    why = implausible(js, lambda s: s, 1 / 60)
    assert why is not None and "no ground contact" in why


def _hovering(apex_s, flight_s=0.48, rise_cm=2.5):
    """Jumps whose feet rose ``rise_cm`` but whose flights the feet's signal timed at
    ``flight_s``: gravity gives such a flight 9.81 * 0.48**2 / 8 = 28 cm, far above the rise
    (``physics.combine_heights`` calls the two estimates in disagreement)."""
    return [
        replace(j, flight_s=flight_s, height_cm_displacement=rise_cm, height_cm_flight_time=981 * flight_s**2 / 8,
                height_status="disagree")
        for j in jumps_at(apex_s)
    ]


def test_flights_timed_far_longer_than_the_feet_rose_do_not_read_as_filling_the_cycle():
    """Jumps of 2.5 cm every 0.51 s (fresh seed 1250: 1-3 cm jumps whose feet hover in the
    landmarks' noise at take-off and landing), timed at 0.48 s of flight: the feet were in
    the air at most sqrt(8 * 2.5 / 981) = 0.14 s, 28 % of the cycle, so the run is skipping.
    The same flights with heights that agree (a 28 cm rise) fill the cycle and are refused."""
    apex = 0.5 + 0.51 * np.arange(10)
    assert implausible(_hovering(apex), lambda s: s, 1 / 30) is None
    agreeing = [replace(j, height_cm_displacement=28.0, height_status="ok") for j in _hovering(apex)]
    why = implausible(agreeing, lambda s: s, 1 / 30)
    assert why is not None and "no ground contact" in why


def test_a_flight_timed_past_the_cycle_is_judged_by_gravity_only_where_the_rope_vouches_for_the_jump():
    """A 2.5 cm jump timed at 0.56 s in a 0.51 s cycle: on the rope's beat its flight is the
    rise's 0.14 s and the jump stays; off it (a bob after the run, development seed 1123) the
    flight as timed drops it, as before."""
    apex = 0.5 + 0.51 * np.arange(8)
    js = [replace(j, apex_frame=i) for i, j in enumerate(jumps_at(apex))]
    odd = _hovering([apex[4]], flight_s=0.56)[0]
    js[4] = replace(odd, apex_frame=4)
    assert len(drop_off_rhythm(js, lambda s: s, 1 / 30, on_beat=set(range(8)))) == 8
    kept = drop_off_rhythm(js, lambda s: s, 1 / 30, on_beat={0, 1, 2, 3, 5, 6, 7})
    assert [j.apex_frame for j in kept] == [0, 1, 2, 3, 5, 6, 7]


def _split(heights, sigma=1.5):
    from analysis.measure.jumps.runs import split_height_steps

    h = np.asarray(heights, float)
    parts = split_height_steps(np.arange(h.size), h, np.full(h.size, sigma))
    return [p.tolist() for p in parts]


def test_a_burst_of_double_unders_between_standing_noise_is_its_own_train():
    """Three double-unders (15-22 cm) between stands where the pose model's noise makes hops
    of 2-6 cm (development seed 1062): the double-unders are cut out exactly."""
    assert _split([4.6, 4.8, 5.1, 5.0, 22.4, 21.3, 20.3, 4.7, 2.9, 1.6, 3.0]) == [
        [0, 1, 2, 3],
        [4, 5, 6],
        [7, 8, 9, 10],
    ]


def test_a_runs_last_jump_stays_with_the_run_not_with_the_settling_bobs_after_it():
    """Three double-unders, a fourth a little higher, then two bobs of the body settling
    (development seed 1933): the step is read at the fourth jump, but the least mixed cut
    is after it; the two bobs are a piece too short to be a run."""
    assert _split([13.3, 13.2, 13.9, 17.5, 0.7, 0.5]) == [[0, 1, 2, 3], [4, 5]]


def test_a_runs_first_jump_stays_with_the_run_not_with_a_lead_in_before_it():
    """A lead-in read at 87 cm (and one not measured) before 5-6 cm jumps (seed 1937)."""
    assert _split([np.nan, 86.7, 5.8, 4.7, 5.9, 4.6, 4.2, 4.2]) == [[0, 1], [2, 3, 4, 5, 6, 7]]


def test_one_odd_jump_or_noisy_low_jumps_do_not_split_a_run():
    # a single double-under among singles moves neither side's median
    assert _split([3.0, 3.2, 2.9, 15.0, 3.1, 3.0, 2.8]) == [list(range(7))]
    # 1.5 cm and 3.5 cm readings of 2.5 cm jumps differ 2.3x but within the pose model's error
    assert _split([1.5, 1.6, 1.4, 3.5, 3.4, 3.6, 1.5]) == [list(range(7))]
    # heights not measured (feet out of view) never split
    assert _split([np.nan] * 4 + [20.0] * 3) == [list(range(7))]
    assert _split([]) == [[]]


# A stretch of six bounces 0.4 s apart; the record runs to 3.0 s unless cut.
_T = np.arange(0.0, 3.0, 0.01)
_FRAMES = np.array([20, 60, 100, 140, 180, 220])


def test_a_small_bounce_after_the_last_jump_is_the_body_settling():
    """The knees straightening out of the last landing: the feet cannot vouch for it."""
    small = [False, False, False, False, False, True]
    assert _settling(_T, _FRAMES, small) == [False] * 5 + [True]


def test_every_small_bounce_after_the_last_jump_settles():
    small = [False, False, False, False, True, True]
    assert _settling(_T, _FRAMES, small) == [False] * 4 + [True, True]


def test_a_small_first_bounce_is_not_settling():
    small = [True, False, False, False, False, False]
    assert _settling(_T, _FRAMES, small) == [False] * 6


def test_a_small_bounce_before_the_first_jump_and_off_its_beat_is_the_body_getting_ready():
    """The knees bending and the heels rising before the first take-off lift the ankles too
    (on the cached sets every such bounce the feet let through was 0.2-0.9 s into the clip,
    none within half a period of a true jump): the feet cannot vouch for a small bounce
    before the first full one that the rope's beat does not time either (0.5 s before the
    next, the run's beat 0.4 s). Every such bounce before the first full one is, and none
    after it."""
    off = np.array([30, 80, 120, 160, 200, 240])  # 0.3 s into the record, 0.5 s before the next
    assert _getting_ready(_T, off, [True] + [False] * 5) == [True] + [False] * 5
    assert _getting_ready(_T, off, [False, True] + [False] * 4) == [False] * 6
    assert _getting_ready(_T, off, [True] * 6) == [False] * 6  # no full bounce: nothing to get ready for
    # Both edges together, as the count reads them.
    assert _at_edges(_T, off, [True] + [False] * 4 + [True]) == [True] + [False] * 4 + [True]


def test_a_small_first_bounce_on_the_runs_beat_is_left_to_the_feet():
    """A first jump from standing, one beat before the second, may rise above standing by
    little more than its flight (made-up 1.5 cm jumps landing into deep dips): the feet
    decide, as before (``tests/analysis/test_rules.py``: twelve such jumps count twelve)."""
    on = _FRAMES + 10  # 0.3 s into the record, one 0.4 s beat before the next
    assert _getting_ready(_T, on, [True] + [False] * 5) == [False] * 6


def test_a_small_first_bounce_whose_crouch_was_cut_off_is_left_to_the_feet():
    """The record starts 0.15 s before it (under half the 0.4 s interval): the clip may start
    inside the run, its rise out of the crouch not on record, so it is not called getting
    ready and the feet decide."""
    off = np.array([20, 70, 110, 150, 190, 230])
    assert _getting_ready(_T[5:], off - 5, [True] + [False] * 5) == [False] * 6
    assert _getting_ready(_T, off + 10, [True] + [False] * 5) == [True] + [False] * 5


def test_a_small_bounce_between_jumps_is_left_to_the_feet():
    small = [False, False, True, False, False, False]
    assert _settling(_T, _FRAMES, small) == [False] * 6


def test_a_small_last_bounce_whose_landing_was_cut_off_is_left_to_the_feet():
    """The record ends 0.15 s after it (under half the 0.4 s interval): its fall into the
    landing's crouch may be what is missing, so it is not called settling."""
    small = [False, False, False, False, False, True]
    assert _settling(_T[:236], _FRAMES, small) == [False] * 6
    assert _settling(_T[:245], _FRAMES, small) == [False] * 5 + [True]


def test_with_no_full_bounce_nothing_is_called_settling():
    assert _settling(_T, _FRAMES, [True] * 6) == [False] * 6
