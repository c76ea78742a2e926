"""The rope band probe (``analysis.pose.ropeband``): its cheap steps give what the plain
ones give (OpenCV's phase correlation, the whole copy warped then cut), a camera shake is
aligned away while a rope crossing the band is seen, and the grey copy's grid."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.pose import ropeband
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


@pytest.mark.parametrize("size", [(240, 427), (360, 202), (240, 320)])
@pytest.mark.parametrize("shift", [(0.0, 0.0), (2.3, -1.7), (-6.6, 4.25)])
def test_phase_shift_from_kept_spectra_is_opencvs_phase_correlation(size, shift):
    h, w = size
    a = cv2.cvtColor(_scene(h + 20, w + 20), cv2.COLOR_BGR2GRAY).astype(np.float32)
    b = _shifted(a, *shift)
    a, b = a[10 : 10 + h, 10 : 10 + w], b[10 : 10 + h, 10 : 10 + w]
    expected = cv2.phaseCorrelate(a, b)[0]
    got = ropeband.phase_shift_px(ropeband.spectrum(a), ropeband.spectrum(b), cv2.getOptimalDFTSize(w))
    np.testing.assert_allclose(got, expected, atol=1e-5)
    # and it is the shift, to within a pixel: the 5 x 5 centroid leans toward the whole pixel
    # of the peak (by up to 0.9 px for a shift of 2.3 px here), in OpenCV's as in this one
    np.testing.assert_allclose(got, shift, atol=1.0)


def _plain_energy(before: np.ndarray, after: np.ndarray, xy: np.ndarray) -> float:
    """The band's energy the plain way: OpenCV's phase correlation of the whole copies, the
    whole previous copy warped, a whole-copy mask, then the band cut out of each."""
    a, s = ropeband.probe_grey(before)
    b, _ = ropeband.probe_grey(after)
    pts = xy * s
    stature = ropeband._stature_px(pts)
    top = np.nanmean(pts[[L.LEFT_EYE, L.RIGHT_EYE], 1]) - ropeband.HEAD_ABOVE_EYES_FRAC * stature
    cx = np.nanmean(pts[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP], 0])
    y0, y1 = max(0, int(top - ropeband.BAND_TOP_FRAC * stature)), int(top)
    x0, x1 = int(cx - ropeband.BAND_HALF_WIDTH_FRAC * stature), int(cx + ropeband.BAND_HALF_WIDTH_FRAC * stature)
    (dx, dy), _ = cv2.phaseCorrelate(a, b)
    warped = cv2.warpAffine(a, np.array([[1.0, 0, dx], [0, 1.0, dy]]), a.shape[::-1], borderMode=cv2.BORDER_REPLICATE)
    mask = ropeband._body_mask(a.shape, (0, 0), [pts, pts], stature)
    keep = mask[y0:y1, x0:x1] == 0
    return float(np.abs(b[y0:y1, x0:x1] - warped[y0:y1, x0:x1])[keep].mean())


@pytest.mark.parametrize("frame_size", [(480, 640), (720, 1280), (360, 640)])
def test_band_energy_is_the_plain_computation(frame_size):
    h, w = frame_size
    xy = _figure(h / 480)
    before = _scene(h, w, seed=1)
    after = _shifted(before, 1.6 * h / 480, -0.9 * h / 480)
    cv2.line(after, (0, int(0.25 * h)), (w, int(0.3 * h)), (20, 20, 20), max(2, h // 160))  # a rope above the head
    probe = ropeband.RopeBandProbe()
    probe.on_frame(0, before, xy)
    probe.on_frame(1, after, xy)
    assert probe.value(1) == pytest.approx(_plain_energy(before, after, xy), rel=1e-6)


def test_a_camera_shake_is_aligned_away_and_a_rope_is_seen():
    xy = _figure()
    still = _scene(480, 640, seed=2)
    # The whole image moves by (3, -2) pixels of the copy, no rope. Wrapped around (no new
    # border: the unwindowed phase correlation of real frames also sees the edges, whose own
    # peak at no shift pulls the estimate by a fraction of a pixel).
    shaken = np.roll(still, (-4, 6), axis=(0, 1))
    roped = shaken.copy()
    cv2.line(roped, (0, 125), (640, 140), (15, 15, 15), 3)  # the rope crosses the band (above the head)
    probe = ropeband.RopeBandProbe()
    for i, frame in enumerate([still, shaken, roped]):
        probe.on_frame(i, frame, xy)
    shake, rope = probe.value(1), probe.value(2)
    unaligned = float(np.abs(ropeband.probe_grey(shaken)[0] - ropeband.probe_grey(still)[0])[60:110, 240:400].mean())
    assert shake < 0.1 * unaligned  # without the alignment the shake alone would look like motion
    assert rope > 10 * shake


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
