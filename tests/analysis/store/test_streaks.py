"""How runs end, from hand-built runs with known gaps (table-driven)."""

from __future__ import annotations

import pytest

from analysis.store.streaks import RESTART_WINDOW_S, run_endings, streak_summary


def report(runs: list[tuple[float, float, int]], duration_s: float, period_s: float = 0.4) -> dict:
    """Runs as (start_s, end_s, n_jumps) with evenly spaced jumps of ``period_s``."""
    jumps, out = [], []
    for k, (a, b, n) in enumerate(runs):
        for i in range(n):
            jumps.append({"run": k, "apex_s": a + 0.1 + i * period_s})
        out.append({"start_s": a, "end_s": b, "n_jumps": n, "start_frame": int(30 * a), "end_frame": int(30 * b)})
    return {"runs": out, "jumps": jumps, "summary": {"duration_s": duration_s}, "cadence_windows": []}


@pytest.mark.parametrize("gap_s, ended_by, cause", [
    (0.5, "continued", "new_rhythm"),
    (1.0, "continued", "new_rhythm"),
    (1.01, "miss", "restarted"),
    (2.0, "miss", "restarted"),
    (RESTART_WINDOW_S, "miss", "restarted"),
    (RESTART_WINDOW_S + 0.01, "stop", "long_pause"),
    (8.0, "stop", "long_pause"),
])
def test_the_gap_before_the_next_run_says_how_a_run_ended(gap_s, ended_by, cause):
    r = report([(1.0, 5.0, 10), (5.0 + gap_s, 9.0 + gap_s, 10)], duration_s=10.0 + gap_s)
    first = run_endings(r)[0]
    assert (first.ended_by, first.cause) == (ended_by, cause)
    assert first.gap_after_s == pytest.approx(gap_s)


@pytest.mark.parametrize("tail_s, cause", [(0.2, "clip_ended"), (0.39, "clip_ended"), (0.41, "stood"), (3.0, "stood")])
def test_the_last_run_ends_with_the_clip_or_a_stand(tail_s, cause):
    r = report([(1.0, 5.0, 10)], duration_s=5.0 + tail_s)
    last = run_endings(r)[-1]
    assert (last.ended_by, last.cause, last.gap_after_s) == ("stop", cause, None)


def test_the_longest_streak_runs_through_rhythm_changes_but_not_through_misses():
    r = report([(1.0, 3.0, 5), (3.5, 6.0, 6), (8.0, 12.0, 10), (12.6, 13.0, 2)], duration_s=20.0)
    s = streak_summary(r)
    assert [e["ended_by"] for e in s["runs"]] == ["continued", "miss", "continued", "stop"]
    assert s["longest_streak"] == 12 and s["longest_streak_runs"] == [2, 3]
    assert (s["longest_streak_start_s"], s["longest_streak_end_s"]) == (8.0, 13.0)
    assert (s["n_misses"], s["n_stops"]) == (1, 1)


def test_equal_streaks_name_the_first_and_no_runs_mean_no_streak():
    r = report([(1.0, 3.0, 5), (9.0, 11.0, 5)], duration_s=20.0)
    assert streak_summary(r)["longest_streak_runs"] == [0]
    empty = streak_summary(report([], duration_s=5.0))
    assert (empty["longest_streak"], empty["longest_streak_runs"], empty["n_stops"]) == (0, [], 0)
