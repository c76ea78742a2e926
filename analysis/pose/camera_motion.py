"""Camera motion: how far the scene moved in the image from one frame to the next.

A hand-held phone shakes (tremor and sway move the picture by up to about 1 % of its
height, several centimetres at the jumper) and a camera operator pans to follow the
jumper. Either moves every point of the image together, the jumper's landmarks with the
floor, so a shake of the picture reads as a hop of the whole body. A jump moves the body
against the scene; the camera moves the scene. The scene's own shift is measured beside
the jumper, in the strips of the frame left and right of the body (phase correlation of
each strip with the same strip of the previous frame, as OpenCV's ``phaseCorrelate``),
and the jump detection reads landmarks with the shake taken out (``stabilised_xy``):
the fast part of the summed shifts (slower motion, a pan, is left to the detection's own
detrending), and only where it is large enough to make or hide a hop (a still camera's
landmarks are never touched). The report then says the camera shook.

Where the strips are too narrow (the jumper fills the frame), too plain to correlate
(a bare wall in the dark), disagree, or move without the jumper's torso moving with them,
the frame's shift is not measured and counts as none: the landmarks are then read as the
pose model gave them. A scene the video encoder kept still (a dark, heavily compressed
clip whose background is copied from frame to frame) shows no shake to take out.

Trade-off: two phase correlations of a 240-pixel copy's strips cost about 1.8 ms a frame,
some 8 % of the pose model's time on a 720p clip (``python -m bench.probes``).
"""

from __future__ import annotations

from array import array

import cv2
import numpy as np
from scipy.signal import savgol_filter

from .landmarks import Landmark as L
from .ropeband import _stature_px, probe_grey

#: The body's box is widened by this share of stature each side before the strips are
#: cut: the hands and a turning rope reach about a third of stature either side of the
#: body's axis (``ropeband.BAND_HALF_WIDTH_FRAC``), i.e. 0.1-0.15 beyond the shoulders.
BODY_MARGIN_FRAC = 0.15
#: A strip narrower than this (probe pixels) holds too little scene to correlate.
MIN_STRIP_PX = 24
#: A strip's correlation peak must stand this many times above the highest peak two
#: unrelated images of the strip's size give (about ``sqrt(2 ln N) / sqrt(N)`` for N pixels:
#: the largest of N independent unit-variance values, normalised): below it, the strip is
#: plain or all noise and its shift says nothing. Read on the development seeds
#: (1000-1109): strips of shaken clips peak at 13-45 times chance; false peaks on plain
#: walls in dim light, up to 175 px away, at 1-9 times.
MIN_PEAK_OVER_CHANCE = 10.0
#: Camera motion slower than this (s) is left to the jump detection's own detrending.
SLOW_WINDOW_S = 1.2
#: A vertical shake smaller than this share of stature (RMS) is left alone: a quarter of the smallest
#: bounce jump detection counts (``trains.BOUNCE_PROMINENCE_FRAC``, 0.8 % of stature) can
#: neither make nor hide a hop, and taking it out would add the measurement's own noise
#: (a tripod's clip reads 0.1-0.2 px of frame-to-frame jitter).
MIN_SHAKE_STATURE_FRAC = 0.002
#: Two strips whose shifts differ by more than this (probe pixels) disagree (something
#: moves in one of them: a passer-by, a swinging door); the stronger peak is then kept only
#: when it is at least twice the weaker.
STRIP_AGREEMENT_PX = 1.0


#: The jumper moves with the picture: a shift of the scene that the torso does not share is
#: a false peak (a plain wall correlates weakly everywhere). Against the scene the torso
#: moves at most at a jump's take-off speed, ~1.5 m/s for 12 cm and 3 m/s for a 45 cm tuck
#: jump: this many statures a second (3 m/s over 1.7 m), plus the landmarks' own noise
#: (a torso point's frame-to-frame jitter, about 1-2 % of stature); and taking the shift out
#: must not leave the torso moving more than it was seen to move.
MAX_BODY_SPEED_STATURES_S = 1.75
BODY_NOISE_FRAC = 0.02
_TORSO = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP]


def _strip_shift(before: np.ndarray, after: np.ndarray) -> tuple[float, float, float]:
    """(dx, dy, response) of ``after`` against ``before`` (probe pixels), or NaNs where the
    peak does not clear chance."""
    h, w = before.shape
    win = cv2.createHanningWindow((w, h), cv2.CV_32F)
    # Each strip's mean level taken out first: the window times a uniform level is the same
    # picture in both frames and would peak at no shift whatever the camera did.
    a = (before - before.mean()).astype(np.float32)
    b = (after - after.mean()).astype(np.float32)
    (dx, dy), resp = cv2.phaseCorrelate(a, b, win)
    n = float(h * w)
    chance = np.sqrt(2.0 * np.log(n)) / np.sqrt(n)
    if not resp >= MIN_PEAK_OVER_CHANCE * chance:
        return float("nan"), float("nan"), float(resp)
    return float(dx), float(dy), float(resp)


def frame_shift(before: np.ndarray, after: np.ndarray, xs: np.ndarray, stature: float) -> tuple[float, float]:
    """(dx, dy) the scene moved from ``before`` to ``after`` (probe copies), measured in the
    strips left and right of the body whose landmarks' x (probe pixels, both frames) are
    ``xs``; NaNs where not measurable."""
    xs = xs[np.isfinite(xs)]
    if xs.size == 0 or not np.isfinite(stature) or stature <= 0:
        return float("nan"), float("nan")
    w = before.shape[1]
    lo = int(np.floor(xs.min() - BODY_MARGIN_FRAC * stature))
    hi = int(np.ceil(xs.max() + BODY_MARGIN_FRAC * stature))
    found = []
    for a, b in ((0, lo), (hi, w)):
        a, b = max(0, a), min(w, b)
        if b - a >= MIN_STRIP_PX:
            dx, dy, resp = _strip_shift(before[:, a:b], after[:, a:b])
            if np.isfinite(dx):
                found.append((dx, dy, resp))
    if not found:
        return float("nan"), float("nan")
    if len(found) == 2:
        (x0, y0, r0), (x1, y1, r1) = found
        if np.hypot(x0 - x1, y0 - y1) <= STRIP_AGREEMENT_PX:
            return (x0 * r0 + x1 * r1) / (r0 + r1), (y0 * r0 + y1 * r1) / (r0 + r1)
        if max(r0, r1) < 2.0 * min(r0, r1):
            return float("nan"), float("nan")
        found = [found[0] if r0 > r1 else found[1]]
    return found[0][0], found[0][1]


class CameraMotionProbe:
    """Per-frame shift of the scene (image pixels of the full frame) from the previous frame.

    Feed every decoded frame in order with its landmarks (full-frame pixels, or None);
    ``shifts(n)`` returns [n, 2] (dx, dy), NaN where not measured (the first frame, a gap
    in the frames fed, no pose, no usable strip)."""

    def __init__(self, fps: float = 30.0) -> None:
        self.fps = float(fps) if fps > 0 else 30.0
        self._prev: np.ndarray | None = None
        self._prev_xy: np.ndarray | None = None
        self._last = -1
        self._first = -1
        self._values = array("d")  # dx, dy pairs for frames [_first, ...)

    def on_frame(
        self, index: int, bgr: np.ndarray, xy_px: np.ndarray | None, grey_s: tuple[np.ndarray, float] | None = None
    ) -> None:
        """``grey_s``: :func:`ropeband.probe_grey` of the frame when already made."""
        grey, s = grey_s if grey_s is not None else probe_grey(bgr)
        value = (float("nan"), float("nan"))
        xy = None if xy_px is None else np.asarray(xy_px, float) * s
        if self._prev is not None and xy is not None and self._last == index - 1 and self._prev.shape == grey.shape:
            xs = xy[:, 0] if self._prev_xy is None else np.concatenate([xy[:, 0], self._prev_xy[:, 0]])
            stature = _stature_px(xy)
            dx, dy = frame_shift(self._prev, grey, xs, stature)
            if np.isfinite(dx) and self._prev_xy is not None and self._body_disagrees(dx, dy, xy, stature):
                dx = dy = float("nan")
            value = (dx / s, dy / s)
        if self._first < 0:
            self._first = index
        at = index - self._first
        if 2 * at < len(self._values):
            raise ValueError(
                f"CameraMotionProbe: expected frames in increasing order, got frame {index} after {self._last}"
            )
        self._values.extend([float("nan")] * (2 * at - len(self._values)))
        self._values.extend(value)
        self._prev, self._prev_xy, self._last = grey, xy, index

    def _body_disagrees(self, dx: float, dy: float, xy: np.ndarray, stature: float) -> bool:
        """The torso did not move with the measured shift (see ``MAX_BODY_SPEED_STATURES_S``)."""
        assert self._prev_xy is not None
        moved = xy[_TORSO] - self._prev_xy[_TORSO]
        moved = moved[np.isfinite(moved).all(axis=1)]
        if not moved.size or not np.isfinite(stature):
            return False
        seen = np.median(moved, axis=0)
        own = float(np.hypot(*(seen - np.array([dx, dy]))))
        noise = BODY_NOISE_FRAC * stature
        # Taking the camera's motion out must not leave the torso moving more than it was
        # seen to move (beyond the landmarks' noise): a false peak moves the scene alone.
        return bool(own > MAX_BODY_SPEED_STATURES_S / self.fps * stature + noise or own > np.hypot(*seen) + noise)

    def value(self, index: int) -> tuple[float, float]:
        """The shift of frame ``index`` from the frame before (NaNs where not measured or not fed)."""
        at = index - self._first
        if self._first < 0 or not 0 <= 2 * at < len(self._values):
            return float("nan"), float("nan")
        return self._values[2 * at], self._values[2 * at + 1]

    def shifts(self, n: int) -> np.ndarray:
        """[n, 2] the shift of frames [0, n) from the frame before (NaN where not measured)."""
        out = np.full((n, 2), np.nan)
        if self._first >= 0 and self._first < n:
            vals = np.frombuffer(self._values, float).reshape(-1, 2) if len(self._values) else np.zeros((0, 2))
            m = min(len(vals), n - self._first)
            out[self._first : self._first + m] = vals[:m]
        return out


def scene_offset_px(shifts_px: np.ndarray) -> np.ndarray:
    """[T, 2] where the scene sits in each frame relative to the clip's mean position: the
    running sum of the frame-to-frame shifts (a frame not measured counts as no motion)."""
    d = np.nan_to_num(np.asarray(shifts_px, float), nan=0.0)
    cum = np.cumsum(d, axis=0)
    return cum - cum.mean(axis=0) if len(cum) else cum


def shake_px(shifts_px: np.ndarray, fps: float) -> np.ndarray:
    """[T, 2] the fast part of the scene's offset: :func:`scene_offset_px` minus its mean over
    ``SLOW_WINDOW_S``. Slower motion (a pan, a slow sway, and the drift that summing the
    shifts' own errors makes) is left in the landmarks: jump detection takes out such trends
    itself, over a window as long (``trains.DETREND_MIN_S``)."""
    off = scene_offset_px(shifts_px)
    w = max(3, int(round(SLOW_WINDOW_S * fps)) | 1)
    if len(off) <= w:
        return off - off.mean(axis=0)
    # A straight line fitted over the window, so a steady pan leaves nothing behind, even at
    # the clip's ends (a plain moving average leaves half a window's drift there).
    return off - savgol_filter(off, w, 1, axis=0, mode="interp")


def _measured_shake(shifts_px: np.ndarray | None, fps: float) -> np.ndarray | None:
    """:func:`shake_px`, or None where nothing was measured."""
    if shifts_px is None or not np.isfinite(shifts_px).any():
        return None
    return shake_px(shifts_px, fps)


def _rms_up_px(shake: np.ndarray) -> float:
    """RMS of the shake's up-and-down part: what could make or hide a hop."""
    return float(np.sqrt(np.mean(shake[:, 1] ** 2)))


def _matters(shake: np.ndarray | None, stature_px: float) -> bool:
    return shake is not None and not _rms_up_px(shake) < MIN_SHAKE_STATURE_FRAC * stature_px


def vertical_shake_rms_px(shifts_px: np.ndarray | None, fps: float) -> float:
    """RMS of the shake's up-and-down part (px; NaN where nothing was measured)."""
    shake = _measured_shake(shifts_px, fps)
    return float("nan") if shake is None else _rms_up_px(shake)


def shake_matters(shifts_px: np.ndarray | None, fps: float, stature_px: float) -> bool:
    """The camera's vertical shake could make or hide a hop (``MIN_SHAKE_STATURE_FRAC``);
    True where the stature is unknown and a shake was measured."""
    return _matters(_measured_shake(shifts_px, fps), stature_px)


def stabilised_xy(
    xy_px: np.ndarray, shifts_px: np.ndarray | None, fps: float = 30.0, stature_px: float = float("nan")
) -> np.ndarray:
    """Landmarks [T, 33, 2] with the camera's shake taken out (see the module docstring): the
    same array where nothing was measured or the shake is too small to matter
    (``MIN_SHAKE_STATURE_FRAC``), so a still camera's landmarks are never touched."""
    shake = _measured_shake(shifts_px, fps)
    if shake is None or not _matters(shake, stature_px):
        return xy_px
    return xy_px - shake[:, None, :]
