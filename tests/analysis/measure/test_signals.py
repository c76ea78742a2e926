import numpy as np
import pytest

from analysis.measure import signals


def test_nan_segments():
    v = np.array([0, 1, 1, 0, 1, 0, 0, 1], bool)
    assert signals.nan_segments(v) == [(1, 3), (4, 5), (7, 8)]


def test_mask_low_visibility():
    xy = np.ones((3, 2, 2))
    vis = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    out = signals.mask_low_visibility(xy, vis, 0.5)
    assert np.isnan(out[0, 1]).all() and np.isfinite(out[0, 0]).all()
    assert np.isnan(out[2, 0]).all() and np.isfinite(out[2, 1]).all()
    assert np.isfinite(xy).all()  # input untouched


def test_hampel_removes_spike_keeps_signal():
    t = np.linspace(0, 2, 121)
    x = np.sin(2 * np.pi * 2 * t)
    noisy = x.copy()
    noisy[40] += 5.0
    out = signals.hampel(noisy, window=7)
    assert abs(out[40] - x[40]) < 0.3
    assert np.allclose(np.delete(out, 40), np.delete(x, 40), atol=0.2)


def test_hampel_min_deviation_keeps_real_hop_on_flat_floor():
    # A foot resting on the floor (MAD ~ 0) that hops by 9 px for 9 frames: a real event.
    x = np.zeros(60)
    x[20:29] = 9 * np.sin(np.linspace(0, np.pi, 9))
    assert np.allclose(signals.hampel(x, window=7, min_deviation=20.0), x)
    # Without the floor the hop's edges are treated as outliers.
    assert not np.allclose(signals.hampel(x, window=7), x)


def test_hampel_ignores_nan():
    x = np.array([1.0, np.nan, 1.0, 1.0, 50.0, 1.0, 1.0, np.nan, 1.0])
    out = signals.hampel(x, window=5, min_deviation=1.0)
    assert np.isnan(out[1]) and np.isnan(out[7])
    assert out[4] == pytest.approx(1.0)


def test_fill_gaps_short_only():
    t = np.arange(20) / 30.0
    x = np.arange(20, dtype=float)
    x[3:5] = np.nan  # 2 frames: filled
    x[10:16] = np.nan  # 6 frames (0.2 s): left missing
    out = signals.fill_gaps(x, t, max_gap_s=0.1)
    assert np.allclose(out[3:5], [3, 4])
    assert np.isnan(out[10:16]).all()
    lead = np.array([np.nan, 1.0, 2.0])
    assert np.isnan(signals.fill_gaps(lead, np.arange(3) / 30.0)[0])  # never extrapolates


def test_lowpass_per_segment_never_crosses_gaps():
    fs = 60.0
    x = np.r_[np.full(60, 10.0), np.full(5, np.nan), np.full(60, -10.0)]
    out = signals.lowpass(x, fs)
    assert np.isnan(out[60:65]).all()
    assert np.allclose(out[:60], 10.0) and np.allclose(out[65:], -10.0)


def test_lowpass_removes_noise():
    fs = 60.0
    t = np.arange(0, 4, 1 / fs)
    clean = np.sin(2 * np.pi * 2 * t)
    rng = np.random.default_rng(0)
    noisy = clean + rng.normal(0, 0.3, t.size)
    out = signals.lowpass(noisy, fs)
    # a 10 Hz pass band keeps about sqrt(10 / 30) of white noise at 60 fps
    assert np.std(out - clean) < 0.65 * np.std(noisy - clean)


def _hops(fs: float, rate_hz: float, h: float = 3.0, n: int = 10):
    """Feet height (cm) of n ballistic hops at rate_hz; returns t, x, take-offs, landings."""
    g = 981.0
    flight = np.sqrt(8 * h / g)
    t = np.arange(0, n / rate_hz + 1.0, 1 / fs)
    x = np.zeros_like(t)
    tos = 0.5 + np.arange(n) / rate_hz
    for t0 in tos:
        m = (t >= t0) & (t <= t0 + flight)
        x[m] = 0.5 * g * (t[m] - t0) * (t0 + flight - t[m])
    return t, x, tos, tos + flight


def _crossings(t, x, level):
    up = np.flatnonzero((x[:-1] <= level) & (x[1:] > level))
    down = np.flatnonzero((x[:-1] > level) & (x[1:] <= level))
    return t[up + 1], t[down + 1]


@pytest.mark.parametrize("fs", [30.0, 60.0, 120.0])
@pytest.mark.parametrize("rate", [2.0, 3.0, 4.0])
def test_lowpass_keeps_flight_timing(fs, rate):
    """The documented cut-off keeps take-off and landing of 2-4 jumps/s within one frame."""
    t, x, _, _ = _hops(fs, rate)
    out = signals.lowpass(x, fs)
    level = 0.3 * x.max()
    up0, down0 = _crossings(t, x, level)
    up1, down1 = _crossings(t, out, level)
    assert len(up0) == len(up1) and len(down0) == len(down1)
    assert np.max(np.abs(up1 - up0)) <= 1.0 / fs + 1e-9
    assert np.max(np.abs(down1 - down0)) <= 1.0 / fs + 1e-9
    assert out.max() == pytest.approx(x.max(), rel=0.15)


def test_clean_series_shapes_and_nan_handling():
    t = np.arange(90) / 30.0
    x = np.random.default_rng(1).normal(size=(90, 33, 2))
    x[10:12] = np.nan
    out = signals.clean_series(x, t, 30.0)
    assert out.shape == x.shape
    assert np.isfinite(out[10:12]).all()  # short gap filled


def test_resample_uniform_variable_frame_rate():
    t = np.array([0.0, 0.03, 0.07, 0.1, 0.135, 0.17])
    x = 2 * t
    y, grid = signals.resample_uniform(x, t, 100.0)
    assert np.allclose(y, 2 * grid, atol=1e-9)


def test_clean_series_in_place_gives_the_same_numbers_and_leaves_the_input_alone_otherwise():
    rng = np.random.default_rng(7)
    t = np.arange(400) / 30.0
    x = np.cumsum(rng.normal(0, 1, (400, 33, 2)), axis=0)
    x[rng.random(x.shape) < 0.05] = np.nan  # gaps, short and long
    x[100:110] = np.nan
    x[rng.random(x.shape) < 0.01] += 80.0  # spikes for the Hampel filter
    kept = x.copy()
    fresh = signals.clean_series(x, t, 30.0, min_deviation=2.0)
    np.testing.assert_array_equal(x, kept)  # not in place: the input is untouched
    own = x.copy()
    same = signals.clean_series(own, t, 30.0, min_deviation=2.0, inplace=True)
    assert np.shares_memory(same, own)  # in place: no copy of the series
    np.testing.assert_array_equal(same, fresh)
    with pytest.raises(ValueError, match="C-contiguous float64"):
        signals.clean_series(x[:, :, 0].T.copy().T, t, 30.0, inplace=True)


def test_unsmoothed_xy_is_the_masked_series_filtered_and_filled_leaving_the_pose_alone():
    from analysis.types import PoseSeries

    rng = np.random.default_rng(3)
    t = np.arange(300) / 30.0
    xy = np.cumsum(rng.normal(0, 1, (300, 33, 2)), axis=0) + 300.0
    xy[rng.random(xy.shape[:2]) < 0.03] = np.nan
    xy[rng.random(xy.shape) < 0.01] += 60.0
    vis = rng.uniform(0.3, 1.0, (300, 33))
    pose = PoseSeries(t, xy, np.zeros((300, 33, 3)), vis, (640, 360), 30.0)
    kept = xy.copy()
    got = signals.unsmoothed_xy(pose)
    window = max(5, int(round(signals.HAMPEL_WINDOW_S * 30.0)) | 1)
    want = signals.fill_gaps(signals.hampel(signals.mask_low_visibility(kept, vis), window=window), t)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(pose.xy_px, kept)
    # A few landmarks alone, in the order asked: each is cleaned on its own, so its values
    # are the whole series' (a long clip need not hold the other landmarks' copies).
    some = signals.unsmoothed_xy(pose, [24, 11, 2])
    assert some.shape == (300, 3, 2)
    np.testing.assert_array_equal(some, want[:, [24, 11, 2]])


def test_clean_xy_is_clean_poses_image_landmarks_and_reads_a_few_down_to_a_lower_visibility():
    from analysis.types import PoseSeries

    rng = np.random.default_rng(5)
    t = np.arange(300) / 30.0
    xy = np.cumsum(rng.normal(0, 1, (300, 33, 2)), axis=0) + 300.0
    xy[rng.random(xy.shape) < 0.01] += 60.0
    vis = rng.uniform(0.2, 1.0, (300, 33))
    pose = PoseSeries(t, xy, np.zeros((300, 33, 3)), vis, (640, 360), 30.0)
    kept = xy.copy()
    whole = signals.clean_xy(pose)
    np.testing.assert_array_equal(whole, signals.clean_pose(pose).xy_px)
    np.testing.assert_array_equal(signals.clean_xy(pose, [16, 15]), whole[:, [16, 15]])
    # Down to 0.3: the wrists' frames at 0.3-0.5 are kept; those under 0.3 still go (where
    # no gap fill reaches them).
    low = signals.clean_xy(pose, [15, 16], signals.LOW_CONFIDENCE_MIN_VISIBILITY)
    unsure = (vis[:, [15, 16]] >= 0.3) & (vis[:, [15, 16]] < 0.5)
    assert np.isfinite(low[..., 0][unsure]).all()
    assert np.isfinite(low[..., 0]).sum() > np.isfinite(whole[:, [15, 16], 0]).sum()
    np.testing.assert_array_equal(pose.xy_px, kept)  # the pose itself is never written


def test_the_feet_bottom_before_cleaning_is_the_lowest_visible_foot_landmark():
    from analysis.pose.landmarks import Landmark as L
    from analysis.types import PoseSeries

    n = 4
    xy = np.zeros((n, 33, 2))
    vis = np.ones((n, 33))
    xy[:, L.LEFT_HEEL, 1] = [500.0, 480.0, 500.0, 500.0]
    xy[:, L.RIGHT_FOOT_INDEX, 1] = [505.0, 470.0, 510.0, 505.0]
    xy[:, L.NOSE, 1] = 900.0  # not a foot: never the feet's bottom
    vis[2, L.RIGHT_FOOT_INDEX] = 0.1  # hidden: the other landmarks decide
    vis[3] = 0.0  # no landmark seen
    pose = PoseSeries(np.arange(n) / 30.0, xy, np.zeros((n, 33, 3)), vis, (640, 360), 30.0)
    out = signals.feet_bottom_y_raw(pose)
    assert out[:3].tolist() == [505.0, 480.0, 500.0] and np.isnan(out[3])
