"""Passes of the rope over the head read from the band above it (``rope_passes_cue``), on
made-up band series whose answer is known: a pass at the same point of every cycle is a
rope, bursts anywhere in the cycle are not, a level or two of flicker is not a pass, a
rope that stays in the band for much of the cycle or a drifting level still shows its
passes, and a second pass during the flight marks a double-under."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from analysis.measure.jumps.rope_passes import rope_passes_cue

FPS = 30.0
PERIOD = 15  # frames between apexes: 2 jumps a second
N_JUMPS = 10


def _run(n_frames: int = 200):
    t = np.arange(n_frames) / FPS
    apex = 20 + PERIOD * np.arange(N_JUMPS)
    flights = [SimpleNamespace(ok=True, takeoff_s=t[k - 3], landing_s=t[k + 3]) for k in apex]
    return t, apex, flights


def _band(n_frames: int, seed: int = 0) -> np.ndarray:
    """A still scene: the 99th percentile of its change flickers between 0 and 2 grey levels."""
    return np.random.default_rng(seed).integers(0, 3, n_frames).astype(float)


def test_a_pass_at_the_same_point_of_every_cycle_is_the_rope():
    t, apex, flights = _run()
    band = _band(t.size)
    band[apex + 7] = 30.0  # over the head half a turn after the rope passed under the feet
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "for" and cue.strength == 1.0
    assert passes == [1] * N_JUMPS


def test_bursts_anywhere_in_the_cycle_are_not_a_rope():
    """A hand-held camera's jolts that could not be aligned away: as many bursts between
    flights as a rope gives, but at no steady point of the cycle."""
    t, apex, flights = _run()
    band = _band(t.size, seed=1)
    rng = np.random.default_rng(2)
    band[apex + rng.integers(4, PERIOD, N_JUMPS)] = 30.0
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "none" and "no steady point" in cue.detail
    assert all(p <= 0 for p in passes)  # no jump is said to have its rope seen


def test_a_few_bursts_are_too_few_to_say_they_are_not_a_rope():
    """Three jumps: two cycles with a burst cannot show a steady point (the test has no power
    there), so the cue says too few, not that the bursts are no rope."""
    t, apex, flights = _run()
    apex, flights = apex[:3], flights[:3]
    band = _band(t.size, seed=3)
    band[apex[:2] + [5, 11]] = 30.0
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "none" and "too few (2)" in cue.detail and "no steady point" not in cue.detail
    assert all(p <= 0 for p in passes)


def test_a_level_or_two_of_flicker_is_not_a_pass():
    """On a still background the band's level never varies, so its robust spread is zero: a
    pass must still stand four grey levels above it (8-bit video records no less than one),
    and flicker of a level or two at no steady point of the cycle is no faint rope either."""
    t, apex, flights = _run()
    band = np.zeros(t.size)
    rng = np.random.default_rng(8)
    band[apex + rng.integers(2, PERIOD - 2, N_JUMPS)] = 2.0
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "none" and passes == [0] * N_JUMPS


def test_a_faint_pass_at_the_same_point_of_every_cycle_is_a_faint_rope():
    """Two grey levels at the same point of every cycle, half a turn after mid-flight: no
    jump's pass stands out on its own, but averaged over the run's cycles the rope does (a
    thin or blurred rope). The jumps themselves are not said to have their rope seen."""
    t, apex, flights = _run()
    band = _band(t.size, seed=9)
    band[apex + 7] += 2.0
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert passes == [0] * N_JUMPS
    assert cue.verdict == "for" and "faint rope" in cue.detail and "averaged over 10 jumps" in cue.detail


def test_a_flicker_under_a_grey_level_is_no_faint_rope_however_steady():
    """A still background (its level never varies) with a change of one grey level at the
    rope's point of the cycle in a third of the cycles: steady enough for the average to
    single it out, but on average under one grey level, the least change 8-bit video
    records: most cycles show nothing there (a still scene's flicker locked to the body's
    rhythm, not a rope)."""
    t, apex, flights = _run()
    band = np.zeros(t.size)
    band[apex[::3] + 7] = 1.0
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "none" and passes == [0] * N_JUMPS


def test_a_faint_burst_where_no_rope_passes_is_not_a_rope():
    """The same faint burst at the same point of every cycle, but near the top of the jump (a
    head or arms swung up with each hop, at the band's edge): not where a rope passes over
    the head, half a turn from the pass under the feet."""
    t, apex, flights = _run()
    band = _band(t.size, seed=9)
    band[apex + 2] += 2.0
    cue, _ = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "none"


def test_a_faint_pass_over_too_few_jumps_is_not_enough():
    """Five cycles: too few for the average to tell a steady pass from chance (the lock tests'
    six jumps)."""
    t, apex, flights = _run()
    apex, flights = apex[:5], flights[:5]
    band = _band(t.size, seed=9)
    band[apex + 7] += 2.0
    cue, _ = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "none"


def test_a_second_pass_during_the_flight_marks_a_double_under():
    t, apex, flights = _run()
    band = _band(t.size, seed=3)
    band[apex + 7] = 30.0
    band[apex] = 30.0  # over the head again at mid-flight: the rope went under the feet twice
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "for" and passes == [2] * N_JUMPS


def test_a_rope_in_the_band_for_much_of_the_cycle_still_shows_its_passes():
    """A long rope, or a high frame rate, keeps the rope in the band for a third of the cycle
    or more: the run's median is lifted to the passes' own level, the cycle's quiet part is
    not."""
    t, apex, flights = _run()
    band = _band(t.size, seed=4)
    for k in apex:
        band[k + 5 : k + 11] = 15.0  # six frames of fifteen
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert float(np.median(band[apex[0] : apex[-1]])) >= 2.0  # what a run-wide level would stand on
    assert cue.verdict == "for" and passes == [1] * N_JUMPS


def test_passes_over_a_drifting_level_are_read_against_each_cycle():
    """A hand-held camera's alignment leaves the band's level drifting by more than a pass
    stands above it; each cycle is read against its own quiet level."""
    t, apex, flights = _run()
    band = _band(t.size, seed=5) + 20.0 * (1.0 + np.sin(2 * np.pi * t / 10.0))  # 0 to 40 grey levels, 10 s period
    band[apex + 7] += 12.0
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "for" and passes == [1] * N_JUMPS


def test_a_pass_late_in_the_cycle_as_on_alternate_steps_is_found():
    """On alternate steps the rope passes over the head 0.6-0.8 of the way from one step's
    apex to the next."""
    t, apex, flights = _run()
    band = _band(t.size, seed=6)
    band[apex + 12] = 30.0  # 0.8 of the way
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "for" and passes == [1] * N_JUMPS


def test_the_tail_of_a_pass_at_take_off_is_not_a_double_under():
    """A pass over the head can last into the flight's first or last frames on single jumps;
    only the flight's middle holds a double-under's second pass."""
    t, apex, flights = _run()
    band = _band(t.size, seed=7)
    band[apex + 7] = 30.0
    band[apex + 2] = 30.0  # in the last quarter of every flight (take-off 3 frames before the apex, landing 3 after)
    cue, passes = rope_passes_cue(band, t, flights, apex)
    assert cue.verdict == "for" and passes == [1] * N_JUMPS
