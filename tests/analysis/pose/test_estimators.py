import numpy as np
import pytest

from analysis.pose.landmarks import N_LANDMARKS
from analysis.pose.estimators import PoseFrame, PoseModelError, TaskPoseEstimator, estimate_pose, prepare_rgb
from analysis.io.video import Frame


class FakeEstimator:
    """Returns a fixed body shifted by the frame index; no person on every 5th frame."""

    name = "fake"

    def __init__(self):
        self.seen = []

    def process(self, rgb, t_s):
        self.seen.append((rgb.shape, t_s))
        i = len(self.seen) - 1
        if i % 5 == 4:
            return None
        xy = np.tile([[100.0 + i, 200.0]], (N_LANDMARKS, 1))
        return PoseFrame(xy, np.zeros((N_LANDMARKS, 3)), np.full(N_LANDMARKS, 0.9))

    def close(self):
        pass


def frames(n=10, h=120, w=160):
    for i in range(n):
        yield Frame(i, i / 30.0, np.full((h, w, 3), i, np.uint8))


def test_estimate_pose_collects_series_and_marks_missing_frames():
    est = FakeEstimator()
    ps = estimate_pose(frames(), est, (160, 120), 30.0)
    assert len(ps) == 10
    assert ps.found.tolist() == [i % 5 != 4 for i in range(10)]
    assert np.isnan(ps.xy_px[4]).all() and (ps.visibility[4] == 0).all()
    assert ps.xy_px[3, 0, 0] == pytest.approx(103.0)
    assert est.seen[0][0] == (120, 160, 3)  # RGB frame of the right size


def test_large_frames_downscaled_once_and_landmarks_mapped_back():
    est = FakeEstimator()
    ps = estimate_pose(frames(n=2, h=1080, w=1920), est, (1920, 1080), 30.0)
    assert est.seen[0][0] == (720, 1280, 3)
    assert ps.xy_px[0, 0, 0] == pytest.approx(100.0 * 1920 / 1280)


def test_prepare_rgb_converts_colour():
    bgr = np.zeros((10, 10, 3), np.uint8)
    bgr[..., 0] = 255  # blue
    rgb, s = prepare_rgb(bgr)
    assert s == 1.0 and rgb[0, 0, 2] == 255 and rgb[0, 0, 0] == 0


def test_on_frame_callback_called_per_frame():
    calls = []
    estimate_pose(frames(4), FakeEstimator(), (160, 120), 30.0, on_frame=lambda fr, pf: calls.append(fr.index))
    assert calls == [0, 1, 2, 3]


def test_missing_task_model_is_a_clear_error(tmp_path):
    with pytest.raises(PoseModelError, match="not found"):
        TaskPoseEstimator(tmp_path / "pose_landmarker_full.task")


def test_wrong_extension_is_a_clear_error(tmp_path):
    p = tmp_path / "model.tflite"
    p.write_bytes(b"x")
    with pytest.raises(PoseModelError, match="expected a .task file"):
        TaskPoseEstimator(p)


def test_invalid_task_file_is_a_clear_error(tmp_path):
    p = tmp_path / "broken.task"
    p.write_bytes(b"this is not a model bundle")
    with pytest.raises(PoseModelError, match="could not be loaded"):
        TaskPoseEstimator(p)


@pytest.mark.slow
def test_bundled_model_is_offline_and_finds_a_person(shared_videos):
    from analysis.pose.estimators import BundledPoseEstimator
    from analysis.io.video import iter_frames, read_meta

    clip = shared_videos / "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4"
    meta = read_meta(clip)
    est = BundledPoseEstimator()
    try:
        ps = estimate_pose(
            (f for f in iter_frames(clip, meta, stop=30)), est, (meta.width_px, meta.height_px), meta.fps
        )
    finally:
        est.close()
    assert ps.found.mean() > 0.9
    # Landmarks land inside the frame and the world landmarks are metric (a body ~1-2 m).
    assert np.nanmax(ps.xy_px[..., 1]) <= meta.height_px + 20
    extent = np.nanmax(ps.world_m[..., 1], axis=1) - np.nanmin(ps.world_m[..., 1], axis=1)
    assert 1.0 < np.nanmedian(extent) < 2.2


@pytest.mark.slow
def test_thread_count_does_not_change_the_landmarks():
    """The networks on two threads give the landmarks of one, bit for bit, frame after frame
    of tracking (XNNPACK splits a layer's outputs among threads, never a sum); a thread count
    under one is refused."""
    from pathlib import Path

    from analysis.io.video import iter_frames, read_meta
    from analysis.pose.estimators import BundledPoseEstimator

    clip = Path(__file__).resolve().parents[3] / "sample_videos" / "double_under_oblique.mp4"
    meta = read_meta(clip)
    series = []
    for threads in (1, 2):
        with BundledPoseEstimator(threads=threads) as est:
            assert est.threads == threads
            series.append(
                estimate_pose(iter_frames(clip, meta, stop=90), est, (meta.width_px, meta.height_px), meta.fps)
            )
    one, two = series
    assert one.found.mean() > 0.9
    np.testing.assert_array_equal(one.xy_px, two.xy_px)
    np.testing.assert_array_equal(one.world_m, two.world_m)
    np.testing.assert_array_equal(one.visibility, two.visibility)
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        BundledPoseEstimator(threads=0)
