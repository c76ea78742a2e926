"""Runs of counted jumps: a run too irregular as a whole is cut at its longest gap."""

from dataclasses import replace

import numpy as np

from analysis.measure.jumps import _plausible_parts
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
    parts = _plausible_parts(jumps_at(np.concatenate([first, second])), lambda s: s)
    assert [len(p) for p, why in parts] == [5, 4]
    assert all(why is None for _, why in parts)


def test_an_irregular_run_with_no_steady_part_stays_rejected():
    rng = np.random.default_rng(3)
    apex = np.cumsum(rng.uniform(0.2, 1.2, 9))
    parts = _plausible_parts(jumps_at(apex), lambda s: s)
    assert parts and all(why is not None and "irregular" in why for _, why in parts)


def test_a_steady_run_is_left_whole():
    parts = _plausible_parts(jumps_at(0.5 + 0.45 * np.arange(10)), lambda s: s)
    assert len(parts) == 1 and len(parts[0][0]) == 10 and parts[0][1] is None
