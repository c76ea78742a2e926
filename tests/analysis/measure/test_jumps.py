"""Jump events on made-up motion with answers known in advance."""

import numpy as np
import pytest

from analysis.measure.jumps import detect_jumps
from analysis.pipeline import clean_pose
from analysis.measure.scale import estimate_scale
from tests.fixtures.motion import make_motion


def run(**kw):
    m = make_motion(**kw)
    clean = clean_pose(m.pose)
    _, cm, _ = estimate_scale(clean.xy_px, m.params.fps, 100 * m.params.height_m)
    return m, detect_jumps(clean.xy_px, clean.t_s, m.params.fps, cm)


@pytest.mark.parametrize("fps", [30.0, 60.0, 120.0])
@pytest.mark.parametrize("view", ["front", "side"])
def test_two_foot_bounce_count_timing_height(fps, view):
    m, ja = run(fps=fps, view=view, n_jumps=12, cadence_hz=2.5, jump_height_m=0.03)
    assert ja.count == 12
    frame = 1.0 / fps
    assert np.max(np.abs([j.takeoff_s - t for j, t in zip(ja.jumps, m.takeoff_s)])) <= frame
    assert np.max(np.abs([j.landing_s - t for j, t in zip(ja.jumps, m.landing_s)])) <= frame
    assert np.mean([j.height_cm_displacement for j in ja.jumps]) == pytest.approx(3.0, abs=0.5)
    assert np.mean([j.height_cm_flight_time for j in ja.jumps]) == pytest.approx(3.0, abs=1.0)
    assert all(j.style == "two_foot" and j.foot == "both" for j in ja.jumps)
    assert ja.jumps_per_minute == pytest.approx(150.0, rel=0.05)


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("view", ["front", "side"])
@pytest.mark.parametrize("low", [(5,), (4, 8)])
def test_a_low_jump_on_the_beat_of_a_turning_rope_is_counted(fps, view, low):
    """Jumps of 3 cm with one or two of 0.5 cm among them, on the beat: the hands turn once a
    jump throughout, so the rope passed under the low ones too. Each is counted where it
    was, with the height its feet read (below the 1.2 cm that a hop needs on its own)."""
    m, ja = run(fps=fps, view=view, n_jumps=12, cadence_hz=2.5, jump_height_m=0.03, low_jumps=low)
    assert ja.count == 12
    frame = 1.0 / fps
    assert np.max(np.abs([j.takeoff_s - t for j, t in zip(ja.jumps, m.takeoff_s)])) <= frame
    for i in low:
        assert ja.jumps[i].height_cm_displacement == pytest.approx(0.5, abs=0.3)
    others = [j.height_cm_displacement for i, j in enumerate(ja.jumps) if i not in low]
    assert np.mean(others) == pytest.approx(3.0, abs=0.5)


@pytest.mark.parametrize("rate", [2.0, 3.0, 4.0])
def test_cadence_range(rate):
    _, ja = run(cadence_hz=rate, n_jumps=15, jump_height_m=0.025)
    assert ja.count == 15
    assert ja.jumps_per_minute == pytest.approx(60 * rate, rel=0.05)


def test_flight_time_uncertainty_reflects_frame_rate():
    from analysis.measure.jumps.physics import FLIGHT_TIME_REL_ERROR, flight_time_height

    _, ja30 = run(fps=30.0)
    _, ja120 = run(fps=120.0)
    # A frame of timing is worth 1-2 cm of height at 30 fps and a quarter of that at 120 fps;
    # on top comes the feet's own timing error, the same at every frame rate.
    assert ja30.jumps[0].height_uncertainty_cm > 1.3 * ja120.jumps[0].height_uncertainty_cm
    h30, s30 = flight_time_height(0.156, 30.0, 1.0)
    h120, s120 = flight_time_height(0.156, 120.0, 1.0)
    floor = 2 * FLIGHT_TIME_REL_ERROR * h30
    assert s30 > s120 > floor
    assert 1.0 <= float(np.sqrt(s30**2 - floor**2)) <= 2.0 and float(np.sqrt(s120**2 - floor**2)) < 0.5


def test_alternate_step_counts_each_foot_switch():
    m, ja = run(style="alternate", n_jumps=14, cadence_hz=3.5, jump_height_m=0.06)
    assert ja.count == 14
    assert all(j.style == "alternate" for j in ja.jumps)
    feet = [j.foot for j in ja.jumps]
    assert feet[:4] in (["left", "right", "left", "right"], ["right", "left", "right", "left"])


def test_jumping_jacks_are_not_skips():
    _, ja = run(style="jacks", n_jumps=12, cadence_hz=1.5, jump_height_m=0.08)
    assert ja.count == 0
    assert "not" in ja.rope_evidence or "no" in ja.rope_evidence


def test_pause_splits_runs_and_breaks_are_counted():
    m, ja = run(n_jumps=12, pause_after=5, pause_s=2.0)
    assert ja.count == 12
    assert len(ja.runs) == 2 and [r.n_jumps for r in ja.runs] == [6, 6]
    assert np.isnan(ja.jumps[6].contact_before_s)  # first jump after a break
    assert ja.active_time_s < m.pose.t_s[-1] - 2.0


def test_standing_still_is_not_skipping():
    _, ja = run(n_jumps=3, jump_height_m=0.0, lead_in_s=2.0)
    assert ja.count == 0


def test_noise_and_gaps():
    m = make_motion(fps=30.0, noise_px=1.0, n_jumps=12)
    # Knock out landmarks for a few 2-frame gaps (short enough to be filled).
    pose = m.pose
    vis = pose.visibility.copy()
    for start in (40, 80, 120):
        vis[start : start + 2] = 0.0
    from analysis.types import PoseSeries

    noisy = PoseSeries(pose.t_s, pose.xy_px, pose.world_m, vis, pose.frame_size_px, pose.fps)
    clean = clean_pose(noisy)
    _, cm, _ = estimate_scale(clean.xy_px, 30.0, 170.0)
    ja = detect_jumps(clean.xy_px, clean.t_s, 30.0, cm)
    assert ja.count == 12


def test_double_under_told_by_the_hands_two_turns():
    _, ja = run(n_jumps=8, cadence_hz=1.8, jump_height_m=0.13, turns_per_jump=2)
    assert ja.count == 8
    assert all(j.style == "double_under" for j in ja.jumps)
    assert all(ev.turns_per_jump == 2.0 for ev in ja.run_evidence if ev.accepted)


def test_high_single_under_is_not_a_double_under():
    # Flight and height alone would say double-under; the hands turn once per jump.
    _, ja = run(n_jumps=8, cadence_hz=1.8, jump_height_m=0.13, turns_per_jump=1)
    assert ja.count == 8
    assert all(j.style == "two_foot" for j in ja.jumps)


def test_left_right_touchdown_gap_measured():
    _, ja = run(n_jumps=10, fps=120.0, lr_offset_s=0.06)
    gaps = [j.lr_touchdown_gap_s for j in ja.jumps]
    assert np.median(gaps) == pytest.approx(0.06, abs=0.02)


def test_style_hint_two_foot_ignores_alternation():
    m = make_motion(style="alternate", n_jumps=10, cadence_hz=3.0, jump_height_m=0.06)
    clean = clean_pose(m.pose)
    _, cm, _ = estimate_scale(clean.xy_px, 60.0, 170.0)
    ja = detect_jumps(clean.xy_px, clean.t_s, 60.0, cm, style_hint="two_foot")
    assert all(j.style != "alternate" or j.foot != "both" for j in ja.jumps)


def test_empty_and_tiny_inputs():
    m = make_motion(n_jumps=2)
    xy = np.full_like(m.pose.xy_px, np.nan)
    ja = detect_jumps(xy, m.pose.t_s, 60.0, np.full(len(xy), 0.3))
    assert ja.count == 0 and ja.jumps_per_minute == 0.0
    ja = detect_jumps(m.pose.xy_px[:3], m.pose.t_s[:3], 60.0, np.full(3, 0.3))
    assert ja.count == 0


def test_torso_height_from_its_six_landmarks_equals_the_one_among_all_the_jump_signals():
    from analysis.measure.jumps.signals import TORSO_LANDMARKS, build_signals, torso_cm_of

    rng = np.random.default_rng(12)
    xy = np.cumsum(rng.normal(0, 1, (200, 33, 2)), axis=0) + 300.0
    xy[rng.random(xy.shape[:2]) < 0.1] = np.nan  # one side hidden now and then
    cm = np.full(200, 0.4)
    t = np.arange(200) / 30.0
    got = torso_cm_of(xy[:, list(TORSO_LANDMARKS)], cm)
    np.testing.assert_array_equal(got, build_signals(xy, t, 30.0, cm, 170.0).torso_cm)
    with pytest.raises(ValueError, match=r"expected \[T, 6, 2\] torso landmarks, got \[200, 33, 2\]"):
        torso_cm_of(xy, cm)


def test_the_low_confidence_wrists_are_read_like_the_wrists_and_their_shape_is_checked():
    from analysis.measure.jumps.signals import build_signals
    from analysis.pose.landmarks import Landmark as L

    rng = np.random.default_rng(4)
    xy = np.cumsum(rng.normal(0, 1, (120, 33, 2)), axis=0) + 300.0
    cm = np.full(120, 0.4)
    t = np.arange(120) / 30.0
    wrists = xy[:, [L.LEFT_WRIST, L.RIGHT_WRIST]]
    sig = build_signals(xy, t, 30.0, cm, 170.0, wrists_low_conf_xy=wrists)
    np.testing.assert_array_equal(sig.wrist_rel_low_conf_cm, sig.wrist_rel_cm)
    assert build_signals(xy, t, 30.0, cm, 170.0).wrist_rel_low_conf_cm is None
    with pytest.raises(ValueError, match=r"wrists_low_conf_xy of shape \[120, 2, 2\], got \[120, 33, 2\]"):
        build_signals(xy, t, 30.0, cm, 170.0, wrists_low_conf_xy=xy)


def test_the_hands_fore_aft_difference_reads_the_same_from_the_front_and_the_side():
    """The wrists' fore-aft difference is taken along the body's own axis from the 3D
    landmarks: the same motion filmed from the front and from the side gives the same series;
    a rope's handles keep it steady, running arms swing it by their reach."""
    from analysis.measure.jumps.signals import hands_fore_aft_cm

    # running arms: 56 cm arms swung 45 deg either way, each hand +-40 cm, in opposition
    for kw, lo, hi in (({}, 0.0, 1.0), ({"arms_running": True}, 150.0, 165.0)):
        front = hands_fore_aft_cm(make_motion(view="front", **kw).pose.world_m)
        side = hands_fore_aft_cm(make_motion(view="side", **kw).pose.world_m)
        np.testing.assert_allclose(np.abs(front), np.abs(side), atol=1e-6)
        assert lo <= np.ptp(front) <= hi
    gone = make_motion().pose.world_m.copy()
    gone[5:9] = np.nan
    assert np.isnan(hands_fore_aft_cm(gone)[5:9]).all()


def _hop(flight_s: float, height_cm: float):
    from analysis.measure.jumps.physics import Flight

    return Flight(10, 1.0, 1.0 + flight_s, height_cm, 0.3, 0.0, 0.0)


@pytest.mark.parametrize("turns", [1.0, float("nan")])
def test_the_rope_seen_passing_twice_in_a_high_flight_is_a_double_under(turns):
    """Two passes seen in one jump's flight tell a double-under even where the run's hands
    read one turn a jump; a second pass in a flight with no room for two turns does not."""
    from analysis.measure.jumps import _style

    assert _style(False, turns, 2, _hop(0.33, 14.0), 1.0, 14.0) == "double_under"
    assert _style(False, turns, 2, _hop(0.28, 12.0), 1.0, 12.0) == "double_under"  # risen enough
    assert _style(False, turns, 2, _hop(0.33, 4.0), 1.0, 4.0) == "two_foot"  # too low for two turns
    assert _style(False, turns, 2, _hop(0.33, float("nan")), 1.0, float("nan")) == "double_under"
    assert _style(False, turns, 2, _hop(0.18, float("nan")), 1.0, float("nan")) == "two_foot"
    assert _style(False, turns, 1, _hop(0.33, 14.0), 1.0, 14.0) == "two_foot"  # one pass seen
    assert _style(True, turns, 2, _hop(0.33, 14.0), 1.0, 14.0) == "alternate"


def test_hands_turning_twice_a_jump_make_a_double_under_without_the_rope_seen():
    from analysis.measure.jumps import _style

    assert _style(False, 2.0, -1, _hop(0.33, 14.0), 1.0, 14.0) == "double_under"
    assert _style(False, 1.0, 0, _hop(0.33, 14.0), 1.0, 14.0) == "two_foot"  # the hands say one turn


def test_feet_rising_together_but_alternating_which_is_higher_are_steps():
    """An alternate step in which the support foot hops too: both feet rise every jump, the
    stepping foot higher. The higher foot alternating jump by jump labels the run stepping;
    a steady bias of one foot, or an alternation within the pose model's error, does not."""
    from types import SimpleNamespace

    from analysis.measure.jumps import _feet_alternate

    rng = np.random.default_rng(0)
    frames = np.arange(10) * 12 + 5
    diff = np.full(130, np.nan)

    def alternates(values) -> bool:
        diff[frames] = values
        return _feet_alternate(SimpleNamespace(foot_diff_cm=diff), frames)

    sign = np.where(np.arange(10) % 2 == 0, 1.0, -1.0)
    assert alternates(0.5 + 3.5 * sign + rng.normal(0, 0.5, 10))
    assert not alternates(2.0 + rng.normal(0, 0.5, 10))  # one foot always read higher
    assert not alternates(0.6 * sign + rng.normal(0, 0.2, 10))  # within the displacement error
    assert not alternates(np.r_[3.5 * sign[:5], [np.nan] * 5])  # two even jumps: too few to test
    assert alternates(np.r_[3.5 * sign[:6], [np.nan] * 4])  # exactly two levels in turn
    assert alternates(2.2 * sign + rng.normal(0, 0.3, 10))  # apart by more than the error
