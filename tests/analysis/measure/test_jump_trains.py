"""Candidate trains: echoes of a jump in the torso signal, on made-up peaks and motion."""

import numpy as np
import pytest

from analysis.measure.jumps.trains import (
    ALTERNATION_MAX_FEET_CORR,
    ECHO_PERIOD_SHARE,
    ECHO_PROMINENCE_RATIO,
    effective_samples,
    feet_correlation,
    feet_in_opposition,
    on_the_bounce_beat,
    suppress_echoes,
)
from analysis.pose.landmarks import Landmark as L
from tests.analysis.measure.test_jump_evidence import detect
from tests.fixtures.motion import make_motion
from tests.fixtures.signals import flat_signals

FPS = 30.0
T = np.arange(0, 20, 1 / FPS)


def frames(times_s):
    return np.searchsorted(T, np.asarray(times_s) - 1e-9)


def test_an_echo_beside_a_much_stronger_jump_is_dropped():
    jumps = 1.0 + 0.6 * np.arange(10)
    echoes = jumps[::3] + 0.25  # a small bump on the way down after every third jump
    idx = np.sort(np.concatenate([frames(jumps), frames(echoes)]))
    prom = np.where(np.isin(idx, frames(jumps)), 12.0, 2.0)
    kept = suppress_echoes(idx, prom, T, period_s=0.6)
    assert np.array_equal(kept, frames(jumps))


def test_equally_strong_faster_bounces_are_kept():
    """A stretch at twice the clip's dominant rhythm (bounces as high as the rest) is skipping."""
    slow = 1.0 + 0.6 * np.arange(8)
    fast = slow[-1] + 0.3 * np.arange(1, 12)
    idx = frames(np.concatenate([slow, fast]))
    kept = suppress_echoes(idx, np.full(idx.size, 10.0), T, period_s=0.6)
    assert np.array_equal(kept, idx)


def test_a_weak_peak_a_full_period_away_is_kept_and_no_period_keeps_all():
    idx = frames([1.0, 1.0 + 0.6, 1.0 + 1.2])
    prom = np.array([12.0, 12.0 / (ECHO_PROMINENCE_RATIO + 1), 12.0])
    assert np.array_equal(suppress_echoes(idx, prom, T, period_s=0.6), idx)  # 0.6 s > 0.55 period apart
    close = frames([1.0, 1.0 + 0.5 * ECHO_PERIOD_SHARE * 0.6, 2.0])
    assert np.array_equal(suppress_echoes(close, prom, T, period_s=float("nan")), close)


def test_an_echo_is_dropped_with_a_smaller_peak_between_it_and_its_jump():
    """A jump's echoes come in clusters: a first small bump right after the jump and a second
    a little later. The second is judged against the jump, not only against the bump beside
    it (which left it standing as a jump of its own)."""
    idx = frames([1.0, 1.1, 1.25, 1.6, 2.2])
    prom = np.array([12.0, 3.0, 2.0, 12.0, 12.0])
    kept = suppress_echoes(idx, prom, T, period_s=0.6)
    assert np.array_equal(kept, frames([1.0, 1.6, 2.2]))


def test_the_period_is_the_rhythm_not_a_multiple_of_it():
    """Boxer steps bounce a little less on one foot than on the other: every other cycle is
    weaker, and the autocorrelation is highest at a multiple of the step (here 6 steps). The
    period is the shortest repetition that reaches half the strongest: a multiple widens the
    echo window over real jumps (development seed 1920 and reporting seed 100034, read at 2x
    and 7x their interval, lost jumps once echoes were judged against every near peak)."""
    from analysis.measure.jumps.trains import dominant_period

    fps, step_s = 30.0, 0.5
    t = np.arange(0, 12, 1 / fps)
    weaker = np.floor(t / step_s).astype(int) % 2 == 1
    bounce = np.where(weaker, 0.6, 1.0) * np.clip(np.sin(2 * np.pi * t / step_s), 0.0, None)
    period, _ = dominant_period(bounce + np.random.default_rng(0).normal(0, 0.05, t.size), fps, 1 / 8, 8.0)
    assert period == pytest.approx(step_s, rel=0.1)


def with_torso_echoes(pose, times_s, rise_px):
    """The same clip with a brief rise of the torso landmarks (pose noise) at ``times_s``."""
    xy = pose.xy_px.copy()
    torso = [L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_EYE, L.RIGHT_EYE]
    for t0 in times_s:
        bump = rise_px * np.exp(-0.5 * ((pose.t_s - t0) / 0.04) ** 2)
        xy[:, torso, 1] -= bump[:, None]
    return type(pose)(pose.t_s, xy, pose.world_m, pose.visibility, pose.frame_size_px, pose.fps)


@pytest.mark.parametrize("fps, rise", [(25.0, 0.03), (30.0, 0.04)])
def test_torso_echoes_between_jumps_neither_count_nor_break_the_run(fps, rise):
    """Pose noise that lifts the torso landmarks by a few % of stature a little after every
    jump (a side view's wobbling hip landmarks; the bump's prominence ends up at a third of
    a jump's or less) doubles the bounce train. Counted as it comes, the hands turn at half
    the train's rate and the rope is not confirmed (12 and 0 of 16 counted before echoes
    were suppressed)."""
    m = make_motion(n_jumps=16, fps=fps)
    apexes = np.array([j.apex_s for j in detect(m.pose).jumps])
    assert len(apexes) == 16
    period = float(np.median(np.diff(apexes)))
    stature_px = float(np.nanmedian(m.pose.xy_px[:, L.LEFT_HEEL, 1] - m.pose.xy_px[:, L.LEFT_EYE, 1])) / 0.9
    ja = detect(with_torso_echoes(m.pose, apexes + 0.4 * period, rise * stature_px))
    assert ja.count == 16
    assert len(ja.runs) == 1
    got = np.array([j.apex_s for j in ja.jumps])
    assert np.max(np.abs(got - apexes)) <= 1.5 / fps


def test_the_dominant_period_is_read_only_where_it_repeats_twice():
    """A 5 s record: two double-unders' worth of bounce (0.93 s a cycle) in its middle, landmark
    noise, and the jumper standing a little higher at both ends (development seed 1060). The
    unbiased autocorrelation at a lag near the record's length rests on a few samples (the
    ends match each other) and read a 4.9 s "period"; a period must fit twice in the record."""
    from analysis.measure.jumps.trains import dominant_period

    fps = 30.0
    t = np.arange(0, 5.0, 1 / fps)
    rng = np.random.default_rng(0)
    bounce = np.where((t > 1.5) & (t < 3.3), 2.0 * np.sin(2 * np.pi * t / 0.93), 0.0)
    ends = np.where((t < 0.3) | (t > 4.6), 1.0, 0.0)
    period, _ = dominant_period(rng.normal(0, 0.3, t.size) + bounce + ends, fps, 1 / 8, 8.0)
    assert period == pytest.approx(0.93, rel=0.1)


def without_feet(pose):
    """The same clip filmed with the legs cut off below the knee: no ankle, heel or toe."""
    feet = [L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]
    xy, vis = pose.xy_px.copy(), pose.visibility.copy()
    xy[:, feet], vis[:, feet] = np.nan, 0.0
    return type(pose)(pose.t_s, xy, pose.world_m, vis, pose.frame_size_px, pose.fps)


def test_a_small_bounce_before_the_first_jump_or_after_the_last_is_not_counted():
    """The knees bending before the first jump and straightening after the last move the
    torso a fraction of a jump's rise, a beat before and after the run. With the feet seen,
    their staying on the floor refuses those bounces; with the feet out of frame only their
    size tells: a quarter of the run's bounce, so not one of its jumps (12 counted of 10
    before; development seeds 1098 and 1104, legs cut below the knee: 6 and 4 jumps counted
    8 and 6)."""
    m = make_motion(n_jumps=10, fps=30.0)
    apexes = np.array([j.apex_s for j in detect(m.pose).jumps])
    assert len(apexes) == 10
    period = float(np.median(np.diff(apexes)))
    stature_px = float(np.nanmedian(m.pose.xy_px[:, L.LEFT_HEEL, 1] - m.pose.xy_px[:, L.LEFT_EYE, 1])) / 0.9
    settle = [apexes[0] - period, apexes[-1] + period]
    ja = detect(without_feet(with_torso_echoes(m.pose, settle, 0.012 * stature_px)))
    assert ja.count == 10
    got = np.array([j.apex_s for j in ja.jumps])
    assert np.max(np.abs(got - apexes)) <= 1.5 / 30.0


def test_the_rope_is_judged_on_the_jumps_not_the_bobs_off_their_beat():
    """Small bounces off the beat of the jumps (the knees bobbing a beat and a half before the
    first jump and after the last; feet out of frame) are no jumps, and the rope's evidence is
    read without them: the span it judges starts and ends at the run's first and last jump.
    (Fresh seed 1263: bobs a tenth to a third of the jumps' bounce between them ran the train
    faster than the hands turned, and the rope was refused.) Left out of the rope's train,
    such bounces still stand in the beat that lets the rope vouch for a low hop
    (``test_a_very_low_jump_under_a_turning_rope_is_counted``)."""
    m = make_motion(n_jumps=10, fps=30.0)
    apexes = np.array([j.apex_s for j in detect(m.pose).jumps])
    period = float(np.median(np.diff(apexes)))
    stature_px = float(np.nanmedian(m.pose.xy_px[:, L.LEFT_HEEL, 1] - m.pose.xy_px[:, L.LEFT_EYE, 1])) / 0.9
    bobs = [apexes[0] - 1.5 * period, apexes[-1] + 1.5 * period]
    ja = detect(without_feet(with_torso_echoes(m.pose, bobs, 0.012 * stature_px)))
    (ev,) = ja.run_evidence
    assert ev.accepted and ja.count == 10
    assert ev.start_s == pytest.approx(apexes[0], abs=1.5 / 30.0)
    assert ev.end_s == pytest.approx(apexes[-1], abs=1.5 / 30.0)


def test_candidates_carry_each_bounce_prominence():
    from analysis.measure.jumps.signals import build_signals
    from analysis.measure.jumps.trains import find_candidates
    from analysis.measure.scale import estimate_scale
    from analysis.pipeline import clean_pose

    m = make_motion(n_jumps=10, fps=30.0, jump_height_m=0.03)
    clean = clean_pose(m.pose)
    _, cm, _ = estimate_scale(clean.xy_px, 30.0, 170.0)
    cand = find_candidates(build_signals(clean.xy_px, clean.t_s, 30.0, cm, 170.0, None))
    assert cand.kinds == ("bounce",) * 10 and cand.prominence_cm.shape == (10,)
    # The body rises with each 3 cm jump and the feet leave the floor by as much: a few
    # centimetres of prominence, the same for the jumps inside the run (the detrending
    # window reaches past the first and last, which stand out less).
    p = cand.prominence_cm
    assert np.all(p > 0.35 * np.median(p)) and np.all((p[2:-2] > 5.0) & (p[2:-2] < 12.0))
    assert np.ptp(p[2:-2]) < 0.3 * np.median(p)


def test_a_slower_stretch_after_a_long_fast_one_is_its_own_run():
    """60 alternate steps at 0.39 s, then 16 two-foot bounces at 0.73 s with no pause: every
    interval of the slower stretch is more than ``RHYTHM_BREAK`` times the whole train's
    median, so each of its jumps was cut off alone and dropped (development seed 1026: 120 of
    136 counted). Left-over events are grouped again on their own rhythm."""
    from analysis.measure.jumps.trains import MIN_RUN_JUMPS, RHYTHM_BREAK, group_runs

    t = np.arange(0, 80, 1 / 30.0)

    def at(times):
        return np.searchsorted(t, np.asarray(times) - 1e-9)

    fast = 1.0 + 0.39 * np.arange(60)
    slow = fast[-1] + 0.73 * np.arange(1, 17)
    assert 0.73 > RHYTHM_BREAK * 0.39
    assert [len(r) for r in group_runs(at(np.concatenate([fast, slow])), t, max_gap_s=1.0)] == [60, 16]
    # Left-overs on either side of a run are not joined across it, and fewer than
    # MIN_RUN_JUMPS of them together make no run.
    assert MIN_RUN_JUMPS == 3
    a = 1.0 + 0.39 * np.arange(20)
    b = a[-1] + 0.8 * np.arange(1, 3)  # two off-rhythm events
    c = b[-1] + 0.8 + 0.39 * np.arange(20)
    d = c[-1] + 0.8 * np.arange(1, 3)
    e = d[-1] + 0.8 + 0.39 * np.arange(20)
    runs = group_runs(at(np.concatenate([a, b, c, d, e])), t, max_gap_s=1.0)
    assert [len(r) for r in runs] == [20, 20, 20]


def test_fast_steps_in_a_short_break_of_a_bounce_train_keep_only_the_missed_beat():
    """Bounces every 0.45 s with one beat missed at 5.0 s, and three 'steps' 0.17 s apart in
    that break (the feet's height difference flickering, a side view at a low frame rate): a
    rope cannot turn 2.6 times faster for one beat, so only the step on the missed beat stays."""
    bounces = np.concatenate([1.4 + 0.45 * np.arange(8), 5.45 + 0.45 * np.arange(6)])  # 5.0 s missed
    steps = np.array([4.97, 5.14, 5.31])
    kept = on_the_bounce_beat(frames(steps), frames(bounces), T)
    assert np.array_equal(kept, frames([4.97]))


def test_steps_that_change_the_rhythm_for_good_or_at_its_pace_are_kept():
    bounces = 1.0 + 0.45 * np.arange(8)
    # A long stretch of steps after the bounces (a change of skill), fast or not.
    later = 5.0 + 0.2 * np.arange(20)
    assert np.array_equal(on_the_bounce_beat(frames(later), frames(bounces), T), frames(later))
    # Steps at the bounces' own pace inside a break: the rope's rhythm holds, nothing to drop.
    around = np.concatenate([bounces, 6.4 + 0.45 * np.arange(6)])
    paced = 4.6 + 0.45 * np.arange(4)
    assert np.array_equal(on_the_bounce_beat(frames(paced), frames(around), T), frames(paced))
    # A break longer than the rhythm takes to change (RHYTHM_WINDOW beats) may hold anything.
    wide = np.concatenate([bounces, 8.0 + 0.45 * np.arange(6)])
    fast = 4.8 + 0.17 * np.arange(15)
    assert np.array_equal(on_the_bounce_beat(frames(fast), frames(wide), T), frames(fast))


def _feet(left_cm: np.ndarray, right_cm: np.ndarray, fps: float = FPS):
    """Signals whose only content is the two feet's heights (cm)."""
    left, right = np.asarray(left_cm, float), np.asarray(right_cm, float)
    return flat_signals(
        len(left), fps, lift_left_cm=left, lift_right_cm=right, lower_lift_cm=np.fmin(left, right),
        foot_diff_cm=left - right,
    )


def _hops(n: int, period: int, rise_cm: float, flight: int) -> np.ndarray:
    """A foot that leaves the floor for ``flight`` frames of every ``period`` (a parabola)."""
    out = np.zeros(n)
    for start in range(period // 2, n - flight, period):
        tau = np.linspace(0.0, 1.0, flight + 2)[1:-1]
        out[start : start + flight] = 4.0 * rise_cm * tau * (1.0 - tau)
    return out


def test_effective_samples_shrink_with_the_series_own_rhythm():
    """Independent noise keeps about all its samples; two slow rhythms share far fewer
    independent pairs than frames (Bartlett's formula)."""
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=600), rng.normal(size=600)
    assert effective_samples(a, b) == pytest.approx(600, rel=0.15)
    slow = np.sin(2 * np.pi * np.arange(600) / 100.0)
    assert effective_samples(slow, slow) < 60


def _jitter(rng: np.random.Generator, n: int, sd_cm: float) -> np.ndarray:
    """Landmark noise as the cleaned series carries it: white noise low-passed over 5 frames."""
    w = np.convolve(rng.normal(0.0, 1.0, n + 4), np.ones(5) / 5, "valid")
    return sd_cm * w / w.std()


@pytest.mark.parametrize("seed", [16, 32, 36])
def test_feet_rising_together_under_noise_are_not_steps(seed):
    """Slow motion: two feet hop 2.5 cm together for 17 frames of a 98-frame cycle, under
    landmark noise of 2 cm each. The correlation is near 0; these seeds are the draws (of 40)
    where it came out negative by chance, as development seed 1089's did (-0.002): that is no
    evidence of opposition, and the plain sign alone would call the hops steps."""
    rng = np.random.default_rng(seed)
    n = 98 * 6
    hop = _hops(n, 98, 2.5, 17)
    sig = _feet(hop + _jitter(rng, n, 2.0), hop + _jitter(rng, n, 2.0))
    r = feet_correlation(sig, 0, n - 1, 147)
    assert -0.1 < r < ALTERNATION_MAX_FEET_CORR
    assert not feet_in_opposition(sig, 0, n - 1, 147)


def test_feet_stepping_in_turn_are_in_opposition_and_unseen_feet_are_not():
    """An alternate step: each foot lifts 6 cm in turn (noise 1 cm) is opposition beyond
    chance. Feet that cannot be measured are never called steps."""
    rng = np.random.default_rng(1)
    n = 15 * 24
    step = _hops(n, 30, 6.0, 12)
    left = step + _jitter(rng, n, 1.0)
    right = np.roll(step, 15) + _jitter(rng, n, 1.0)
    sig = _feet(left, right)
    assert feet_correlation(sig, 0, n - 1, 45) < -0.5
    assert feet_in_opposition(sig, 0, n - 1, 45)
    hidden = _feet(np.full(n, np.nan), right)
    assert not feet_in_opposition(hidden, 0, n - 1, 45)
