"""The rope band probe (``analysis.pose.ropeband``): its cheap steps give what the plain
ones give (the whole copy moved by the scene's shift, then cut), a camera shake measured
beside the jumper is aligned away while a rope crossing the band is seen, a large jumper
does not move a still wall, a thin rope stands out, and the grey copy's grid."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.pose import ropeband
from analysis.pose.camera_motion import CameraMotionProbe
from analysis.pose.landmarks import N_LANDMARKS
from analysis.pose.landmarks import Landmark as L


def _figure(scale: float = 1.0) -> np.ndarray:
    """A standing figure 270 px tall in a 640x480 frame (times ``scale``)."""
    xy = np.full((N_LANDMARKS, 2), np.nan)
    xy[[L.LEFT_EYE, L.RIGHT_EYE]] = [[315, 200], [325, 200]]
    xy[[L.LEFT_EAR, L.RIGHT_EAR, L.NOSE]] = [[305, 205], [335, 205], [320, 210]]
    xy[[L.LEFT_ANKLE, L.RIGHT_ANKLE]] = [[300, 440], [340, 440]]
    xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP]] = [[280, 250], [360, 250], [300, 330], [340, 330]]
    xy[[L.LEFT_ELBOW, L.RIGHT_ELBOW, L.LEFT_WRIST, L.RIGHT_WRIST]] = [[250, 300], [390, 300], [240, 340], [400, 340]]
    xy[[L.LEFT_INDEX, L.RIGHT_INDEX]] = [[238, 350], [402, 350]]
    return xy * scale


def _scene(h: int, w: int, seed: int = 0) -> np.ndarray:
    """A textured BGR scene (blurred noise: edges at every scale, as a room has)."""
    rng = np.random.default_rng(seed)
    img = cv2.GaussianBlur(rng.uniform(0, 255, (h, w, 3)).astype(np.float32), (0, 0), 3)
    return cv2.normalize(img, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)


def _shifted(img: np.ndarray, dx: float, dy: float) -> np.ndarray:
    m = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]])
    return cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def _plain_energy(before: np.ndarray, after: np.ndarray, xy: np.ndarray, shift: tuple[float, float]) -> float:
    """The band's value the plain way: the whole previous copy moved by the scene's shift
    (full-frame pixels), a whole-copy mask, then the band cut out of each."""
    a, s = ropeband.probe_grey(before)
    b, _ = ropeband.probe_grey(after)
    pts = xy * s
    stature = ropeband._stature_px(pts)
    top = np.nanmean(pts[[L.LEFT_EYE, L.RIGHT_EYE], 1]) - ropeband.HEAD_ABOVE_EYES_FRAC * stature
    cx = np.nanmean(pts[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP], 0])
    y0, y1 = max(0, int(top - ropeband.BAND_TOP_FRAC * stature)), int(top - ropeband.BAND_GAP_FRAC * stature)
    x0, x1 = int(cx - ropeband.BAND_HALF_WIDTH_FRAC * stature), int(cx + ropeband.BAND_HALF_WIDTH_FRAC * stature)
    dx, dy = shift[0] * s, shift[1] * s
    warped = cv2.warpAffine(a, np.array([[1.0, 0, dx], [0, 1.0, dy]]), a.shape[::-1], borderMode=cv2.BORDER_REPLICATE)
    mask = ropeband._body_mask(a.shape, (0, 0), [pts, pts], stature)
    keep = mask[y0:y1, x0:x1] == 0
    return float(np.percentile(np.abs(b[y0:y1, x0:x1] - warped[y0:y1, x0:x1])[keep], ropeband.BAND_PERCENTILE))


@pytest.mark.parametrize("frame_size", [(480, 640), (720, 1280), (360, 640)])
def test_band_value_is_the_plain_computation(frame_size):
    h, w = frame_size
    xy = _figure(h / 480)
    before = _scene(h, w, seed=1)
    shift = (1.6 * h / 480, -0.9 * h / 480)
    after = _shifted(before, *shift)
    cv2.line(after, (0, int(0.25 * h)), (w, int(0.3 * h)), (20, 20, 20), max(2, h // 160))  # a rope above the head
    probe = ropeband.RopeBandProbe()
    probe.on_frame(0, before, xy)
    probe.on_frame(1, after, xy, scene_shift_px=shift)
    assert probe.value(1) == pytest.approx(_plain_energy(before, after, xy, shift), rel=1e-6)


def _probe_with_camera(
    frames: list[np.ndarray], xys: list[np.ndarray]
) -> tuple[ropeband.RopeBandProbe, CameraMotionProbe]:
    """The two probes fed as the pose stage feeds them: the camera's shift first, then the band."""
    rope, camera = ropeband.RopeBandProbe(), CameraMotionProbe(30.0)
    for i, (frame, xy) in enumerate(zip(frames, xys)):
        grey = ropeband.probe_grey(frame)
        camera.on_frame(i, frame, xy, grey)
        rope.on_frame(i, frame, xy, grey, camera.value(i))
    return rope, camera


def test_a_camera_shake_is_aligned_away_and_a_rope_is_seen():
    xy = _figure()
    still = _scene(480, 640, seed=2)
    shaken = np.roll(still, (-4, 6), axis=(0, 1))  # the whole image moves by (6, -4) pixels, no rope
    roped = shaken.copy()
    cv2.line(roped, (0, 115), (640, 125), (15, 15, 15), 3)  # the rope crosses the band (above the head)
    moved = xy + [6.0, -4.0]  # the jumper moves with the picture
    rope, camera = _probe_with_camera([still, shaken, roped], [xy, moved, moved])
    np.testing.assert_allclose(camera.value(1), (6.0, -4.0), atol=0.5)  # measured beside the jumper
    shake, seen = rope.value(1), rope.value(2)
    a, _ = ropeband.probe_grey(still)
    b, _ = ropeband.probe_grey(shaken)
    unaligned = float(np.percentile(np.abs(b - a)[55:90, 80:240], ropeband.BAND_PERCENTILE))
    assert shake < 0.1 * unaligned  # without the alignment the shake alone would look like motion
    assert seen > 10 * max(shake, 1.0)


def test_without_the_cameras_shift_a_rope_before_a_still_scene_is_kept():
    """A plain wall gives the camera probe nothing to correlate: the band is compared as it is."""
    xy = _figure()
    wall = np.full((480, 640, 3), 90, np.uint8)
    roped = wall.copy()
    cv2.line(roped, (200, 120), (440, 118), (230, 230, 230), 2)
    probe = ropeband.RopeBandProbe()
    probe.on_frame(0, wall, xy, scene_shift_px=(float("nan"), float("nan")))
    probe.on_frame(1, roped, xy, scene_shift_px=(float("nan"), float("nan")))
    assert probe.value(1) > 10.0


def test_a_jumper_filling_the_frame_does_not_move_a_still_background():
    """A large jumper moving in front of a still textured wall: the band compares the wall
    with itself (aligning on the whole frame would follow the jumper and make the wall move)."""
    xy = _figure()
    wall = _scene(480, 640, seed=4)
    frames = []
    for k in range(3):
        f = wall.copy()
        cv2.rectangle(f, (200, 200 - 12 * k), (440, 480), (200, 180, 160), -1)  # the body rising
        frames.append(f)
    rope, _ = _probe_with_camera(frames, [xy - [0.0, 12.0 * k] for k in range(3)])
    assert rope.value(1) < 1.0 and rope.value(2) < 1.0


def test_a_frame_cut_close_above_the_head_still_sees_the_rope():
    """The rope's loop goes round the head, so the band's rows up to its least clearance
    (``BAND_MIN_TOP_FRAC``) see every pass: measured there, not where even those are cut."""
    stature = 240 / ropeband.EYES_TO_ANKLES_FRAC  # the figure's, in full-frame pixels
    top = 200 - ropeband.HEAD_ABOVE_EYES_FRAC * stature  # the top of its head
    wall = np.full((480, 640, 3), 90, np.uint8)

    def band_value(head_at: float, rope_y: int) -> float:
        xy = _figure() - [0.0, top - head_at]
        roped = wall.copy()
        cv2.line(roped, (200, rope_y), (440, rope_y), (230, 230, 230), 2)
        probe = ropeband.RopeBandProbe()
        probe.on_frame(0, wall, xy, scene_shift_px=(float("nan"), float("nan")))
        probe.on_frame(1, roped, xy, scene_shift_px=(float("nan"), float("nan")))
        return probe.value(1)

    # Most of the band above the frame's edge, its rows up to the least clearance inside.
    head_at = ropeband.BAND_MIN_TOP_FRAC * stature + 4
    assert head_at < ropeband.BAND_TOP_FRAC * stature / 2
    assert band_value(head_at, rope_y=int(head_at - 0.045 * stature)) > 10.0
    # Cut closer than the least clearance: the rope may pass above the frame, not measured.
    assert np.isnan(band_value(ropeband.BAND_MIN_TOP_FRAC * stature - 4, rope_y=2))


def test_a_thin_rope_stands_out_where_the_mean_would_dilute_it():
    xy = _figure()
    still = _scene(480, 640, seed=5)
    roped = still.copy()
    cv2.line(roped, (180, 120), (460, 118), (255, 255, 255), 1)  # one pixel wide in the full frame
    rope, _ = _probe_with_camera([still, roped], [xy, xy])
    assert rope.value(1) > 10.0  # a mean over the band would be under 1 grey level


def test_grey_copy_is_an_exact_box_average_when_the_short_side_is_a_multiple():
    frame = _scene(720, 1280, seed=3)
    grey, s = ropeband.probe_grey(frame)
    assert s == pytest.approx(1 / 3) and grey.shape == (240, 427)
    full = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(float)
    boxes = full[:, :1278].reshape(240, 3, 426, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(grey[:, :426], boxes, atol=0.5)  # 3 x 3 squares, to the 8-bit rounding
    np.testing.assert_allclose(grey[:, 426], full[:, 1278:].reshape(240, 3, 2).mean(axis=(1, 2)), atol=0.5)
    grey, s = ropeband.probe_grey(_scene(360, 640))  # not a multiple: the area resize to 240 px
    assert s == pytest.approx(240 / 360) and grey.shape == (240, 427)
    grey, s = ropeband.probe_grey(_scene(200, 300))  # small frames are used as they are
    assert s == 1.0 and grey.shape == (200, 300) and grey.dtype == np.float32
