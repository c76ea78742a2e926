"""Framing (``analysis/pose/framing.py``) on made-up frames and trackers with known answers.

A frame holds the person as a block of value 255 in the red channel. The made-up
detector, like BlazePose's, finds the person only when the block fills at least
``DETECT_SHARE`` of the image's longer side (the image is letterboxed to a square); once
found, the made-up tracker follows the block at any size, as the landmark model does.
Landmarks are the block's corners and centre, so where they land in the frame is known.
"""

import math

import numpy as np
import pytest

from analysis.pose import framing
from analysis.pose.estimators import PoseFrame
from analysis.pose.framing import FramingEstimator, near_inner_edge, search_windows, window_about
from analysis.pose.landmarks import N_LANDMARKS

DETECT_SHARE = 0.4
FPS = 30.0


def block_of(rgb):
    ys, xs = np.nonzero(rgb[..., 0] == 255)
    if len(xs) == 0:
        return None
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def landmarks_of(box):
    x0, y0, x1, y1 = box
    xy = np.empty((N_LANDMARKS, 2))
    xy[:] = [(x0 + x1) / 2, (y0 + y1) / 2]
    xy[0], xy[1], xy[2], xy[3] = (x0, y0), (x1 - 1, y0), (x0, y1 - 1), (x1 - 1, y1 - 1)
    return PoseFrame(xy, np.zeros((N_LANDMARKS, 3)), np.full(N_LANDMARKS, 0.9))


class MadeUpTracker:
    name = "made-up"
    made = 0

    def __init__(self, static=False):
        self.static, self.tracking, self.calls = static, False, 0
        MadeUpTracker.made += 1

    def process(self, rgb, t_s):
        self.calls += 1
        box = block_of(rgb)
        if box is None:
            self.tracking = False
            return None
        big = (box[3] - box[1]) >= DETECT_SHARE * max(rgb.shape[:2])
        if not (big or (self.tracking and not self.static)):
            return None
        self.tracking = True
        return landmarks_of(box)

    def close(self):
        pass


def framing_estimator():
    return FramingEstimator(MadeUpTracker, lambda: MadeUpTracker(static=True))


def frame(box, w=640, h=360):
    rgb = np.zeros((h, w, 3), np.uint8)
    if box is not None:
        x0, y0, x1, y1 = box
        rgb[y0:y1, x0:x1, 0] = 255
    return rgb


def run(est, boxes, w=640, h=360):
    return [est.process(frame(b, w, h), i / FPS) for i, b in enumerate(boxes)]


def test_windows_hold_anyone_under_half_the_shorter_side():
    rng = np.random.default_rng(0)
    for w, h in [(640, 360), (360, 640), (854, 480), (500, 500)]:
        wins = search_windows(w, h)
        assert all(0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h and x1 - x0 == y1 - y0 for x0, y0, x1, y1 in wins)
        short = min(w, h)
        for _ in range(300):
            bw, bh = rng.uniform(1, short / 2, size=2)
            x0, y0 = rng.uniform(0, w - bw), rng.uniform(0, h - bh)
            assert any(a <= x0 and b <= y0 and x0 + bw <= c and y0 + bh <= d for a, b, c, d in wins)
        assert (wins[0][2] - wins[0][0]) == short  # largest first


def test_window_about_a_person_is_square_inside_the_frame_and_centred_where_it_can_be():
    assert window_about((300, 100, 340, 200), 640, 360) == (230, 60, 410, 240)
    x0, y0, x1, y1 = window_about((600, 10, 630, 200), 640, 360)  # at the frame's corner
    assert (x1 - x0, y1 - y0) == (342, 342) and x1 == 640 and y0 == 0
    assert window_about((0, 0, 640, 360), 640, 360) == (140, 0, 500, 360)  # never beyond the shorter side


def test_near_inner_edge_ignores_the_frames_own_edges():
    win = (100, 0, 300, 200)
    assert near_inner_edge((105, 50, 150, 100), win, 640, 360)  # near the window's left edge
    assert not near_inner_edge((150, 2, 200, 100), win, 640, 360)  # near the top: the frame's edge
    assert not near_inner_edge((150, 50, 200, 100), win, 640, 360)


def test_a_person_the_full_frame_finds_gives_the_plain_trackers_landmarks_and_no_search():
    boxes = [(300 + i, 40, 400 + i, 320) for i in range(40)]  # 280 of 640: found at once
    plain = MadeUpTracker()
    expected = [plain.process(frame(b), i / FPS) for i, b in enumerate(boxes)]
    est = framing_estimator()
    got = run(est, boxes)
    assert est.searches == 0 and est.windows == []
    for a, b in zip(expected, got):
        np.testing.assert_array_equal(a.xy_px, b.xy_px)


def test_a_small_person_is_found_in_a_window_and_mapped_back_to_the_frame():
    box = (500, 200, 530, 300)  # 100 px tall in a 640 px frame: the detector misses it
    n = 60
    assert all(p is None for p in run(MadeUpTracker(), [box] * n))
    est = framing_estimator()
    got = run(est, [box] * n)
    first = next(i for i, p in enumerate(got) if p is not None)
    assert first == math.ceil(framing.SEARCH_AFTER_S * FPS)  # the search waits half a second
    assert all(p is not None for p in got[first:])
    np.testing.assert_allclose(got[-1].xy_px[:4], [(500, 200), (529, 200), (500, 299), (529, 299)])
    assert est.searches == 1 and len(est.windows) == 1
    assert est.framed_frames == n - first  # every frame from the window on came from it


def test_the_window_follows_a_person_walking_across():
    boxes = [(100 + 6 * i, 200, 130 + 6 * i, 300) for i in range(80)]  # 6 px a frame to the right
    est = framing_estimator()
    got = run(est, boxes)
    found = [i for i, p in enumerate(got) if p is not None]
    assert found[0] == 15 and found == list(range(15, 80))
    for i in found:
        np.testing.assert_allclose(got[i].xy_px[0], boxes[i][:2])
    assert len(est.windows) > 2  # centred again as the person neared the window's edge
    assert est.searches == 1


def test_searches_at_most_once_a_second_while_no_one_is_there_and_again_after_the_person_leaves():
    est = framing_estimator()
    run(est, [None] * int(5 * FPS))
    assert est.searches == 5  # at 0.5, 1.5, 2.5, 3.5 and 4.5 s

    est = framing_estimator()
    box = (500, 200, 530, 300)
    got = run(est, [box] * 30 + [None] * 60 + [box] * 60)
    assert got[20] is not None and all(p is None for p in got[30:90])
    assert est._window is not None and got[-1] is not None  # found again by a later search
    assert est.searches >= 2


@pytest.mark.parametrize("w,h", [(640, 360), (360, 640)])
def test_no_window_for_a_find_without_shoulders_and_hips(w, h, monkeypatch):
    class Faint(MadeUpTracker):
        def process(self, rgb, t_s):
            pf = super().process(rgb, t_s)
            return None if pf is None else PoseFrame(pf.xy_px, pf.world_m, np.full(N_LANDMARKS, 0.2))

    est = FramingEstimator(MadeUpTracker, lambda: Faint(static=True))
    got = run(est, [(20, 20, 40, 80)] * 40, w, h)
    assert all(p is None for p in got) and est.windows == []


@pytest.mark.slow
def test_a_jumper_filmed_from_afar_is_counted_where_the_full_frame_finds_no_one(tmp_path):
    """A rendered jumper spanning a fifth of a 480p landscape frame (about 90 px): the
    bundled tracker on the full frame finds no one; framed, every jump is counted."""
    from analysis.config import AnalysisConfig
    from analysis.pipeline import NoPersonError, analyze_video
    from analysis.types import NoticeKind
    from analysis.pose.estimators import BundledPoseEstimator
    from synthetic.clip import generate
    from synthetic.presets import small_params

    clip = tmp_path / "far.mp4"
    truth = generate(small_params(camera_fill=0.2, resolution_p=480, n_jumps=10), clip, seed=3)
    config = AnalysisConfig(standing_height_cm=truth["standing_height_cm"])
    with pytest.raises(NoPersonError, match="no person was found"):
        with BundledPoseEstimator() as plain:
            analyze_video(clip, config, estimator=plain, workers=1)
    report = analyze_video(clip, config, workers=1)
    assert report.jumps.count == 10
    assert report.pose.found.mean() > 0.85
    (small,) = [n for n in report.notices if n.kind == NoticeKind.JUMPER_SMALL]
    assert "small in the frame" in small.text and "Film closer" in small.text


@pytest.mark.slow
def test_the_default_tracker_gives_the_bundled_models_landmarks_where_the_full_frame_finds_the_jumper():
    """The default estimator (framing about the bundled model) on a sample clip whose jumper
    the full frame finds: no search runs and every landmark is the plain model's, bit for bit."""
    from pathlib import Path

    from analysis.io.video import iter_frames, read_meta
    from analysis.pose.estimators import BundledPoseEstimator, estimate_pose, make_estimator

    clip = Path(__file__).resolve().parents[3] / "sample_videos" / "double_under_oblique.mp4"
    meta = read_meta(clip)
    size = (meta.width_px, meta.height_px)
    with BundledPoseEstimator() as plain:
        a = estimate_pose(iter_frames(clip, meta, stop=90), plain, size, meta.fps)
    with make_estimator() as framed:
        b = estimate_pose(iter_frames(clip, meta, stop=90), framed, size, meta.fps)
        assert isinstance(framed, FramingEstimator) and framed.searches == 0 and framed.windows == []
    assert a.found.mean() > 0.9
    np.testing.assert_array_equal(a.xy_px, b.xy_px)
    np.testing.assert_array_equal(a.world_m, b.world_m)
    np.testing.assert_array_equal(a.visibility, b.visibility)
