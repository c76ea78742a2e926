import numpy as np
import pytest

from analysis.pose.landmarks import LEFT_RIGHT_PAIRS, N_LANDMARKS, SKELETON_EDGES, Landmark
from analysis.types import PoseSeries, VideoMeta


def series(n=5):
    return PoseSeries(np.arange(n) / 30.0, np.zeros((n, N_LANDMARKS, 2)), np.zeros((n, N_LANDMARKS, 3)),
                      np.ones((n, N_LANDMARKS)), (640, 360), 29.97)


def test_landmarks_enum_matches_mediapipe_topology():
    assert N_LANDMARKS == 33
    assert Landmark.LEFT_KNEE == 25 and Landmark.RIGHT_FOOT_INDEX == 32
    assert (Landmark.LEFT_HIP, Landmark.RIGHT_HIP) in LEFT_RIGHT_PAIRS
    assert all(isinstance(a, Landmark) for e in SKELETON_EDGES for a in e)


def test_pose_series_validates_shapes_with_expected_and_actual():
    with pytest.raises(ValueError, match=r"xy_px: expected shape \[5, 33, 2\], got \[5, 32, 2\]"):
        PoseSeries(np.arange(5.0), np.zeros((5, 32, 2)), np.zeros((5, 33, 3)), np.ones((5, 33)), (1, 1), 30.0)


def test_pose_series_needs_increasing_time_and_fps():
    with pytest.raises(ValueError, match="strictly increasing"):
        PoseSeries(np.zeros(3), np.zeros((3, 33, 2)), np.zeros((3, 33, 3)), np.ones((3, 33)), (1, 1), 30.0)
    with pytest.raises(ValueError, match="fps"):
        PoseSeries(np.arange(3.0), np.zeros((3, 33, 2)), np.zeros((3, 33, 3)), np.ones((3, 33)), (1, 1), 0.0)


def test_slice_and_concatenate_round_trip():
    s = series(10)
    joined = PoseSeries.concatenate([s.slice(0, 4), s.slice(4, 10)])
    assert np.array_equal(joined.t_s, s.t_s) and joined.fps == pytest.approx(29.97)


def test_video_meta_keeps_float_fps():
    m = VideoMeta("a/b.mp4", 640, 360, 29.97, 100, 100 / 29.97)
    assert m.fps == 29.97 and m.name == "b.mp4"
    with pytest.raises(ValueError, match="fps"):
        VideoMeta("x.mp4", 640, 360, float("nan"), 1, 1.0)
