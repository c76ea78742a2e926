"""The rope in the pixels: motion in a band above the head, where only the rope passes.

Whatever the camera's angle (front, side, back, oblique), a turning rope passes over the
jumper's head once per turn. A band from just above the head to about a third of the
body's height above it holds nothing else that moves in rhythm with the jumps once the
arms and head are masked out, so a brief burst of frame-to-frame change there, once
per cycle and between flights (the rope is under the feet at mid-flight and over the head
half a turn later), is the rope. A double-under puts a second pass over the head during
the flight.

``RopeBandProbe`` measures the band in the same decoding pass as the pose (a few
milliseconds a frame on a 240-pixel copy); ``measure/jumps/rope_passes.py`` reads the
series per run.
Camera shake and pans move the whole image, so the previous frame is first aligned to the
current one (phase correlation) and only what moved relative to the scene counts.
"""

from __future__ import annotations

import warnings
from array import array

import cv2
import numpy as np

from .landmarks import Landmark as L

#: Frames are measured on a copy whose short side is at most this many pixels: a rope is
#: a few pixels wide at phone resolutions, and a smaller copy keeps the probe cheap.
PROBE_SHORT_SIDE_PX = 240
#: The band above the head, as shares of the body's height (stature): from the top of the
#: head to a third of stature above it (a rope sized to the armpits clears the head by
#: 10-40 cm while turning; a third of 170 cm is 57 cm).
BAND_TOP_FRAC = 0.33
#: Half-width of the band either side of the body's axis (the rope's loop is about as wide
#: as the hands are apart plus its bow).
BAND_HALF_WIDTH_FRAC = 0.35
#: Top of the head above the eyes (Drillis & Contini: eyes at 0.936 of stature).
HEAD_ABOVE_EYES_FRAC = 0.064
#: Eyes-to-ankles as a share of stature (0.936 - 0.039), the probe's ruler when the feet are seen;
#: eyes-to-hips (0.936 - 0.530) otherwise.
EYES_TO_ANKLES_FRAC = 0.897
EYES_TO_HIPS_FRAC = 0.406
#: Arms and head are masked out with lines this thick (share of stature), in this frame and
#: the previous one; the head with a disc around the ears and nose reaching just past the
#: top of the head (which is 0.064 of stature above the eyes).
MASK_THICKNESS_FRAC = 0.06
HEAD_MASK_RADIUS_FRAC = 0.085

_LIMBS = (
    (L.LEFT_SHOULDER, L.LEFT_ELBOW),
    (L.LEFT_ELBOW, L.LEFT_WRIST),
    (L.RIGHT_SHOULDER, L.RIGHT_ELBOW),
    (L.RIGHT_ELBOW, L.RIGHT_WRIST),
    (L.LEFT_WRIST, L.LEFT_INDEX),
    (L.RIGHT_WRIST, L.RIGHT_INDEX),
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
)


def _stature_px(p: np.ndarray) -> float:
    eye = np.nanmean(p[[L.LEFT_EYE, L.RIGHT_EYE], 1])
    ankle = np.nanmax(p[[L.LEFT_ANKLE, L.RIGHT_ANKLE], 1])
    if np.isfinite(ankle) and np.isfinite(eye) and ankle > eye:
        return float((ankle - eye) / EYES_TO_ANKLES_FRAC)
    hip = np.nanmean(p[[L.LEFT_HIP, L.RIGHT_HIP], 1])
    if np.isfinite(hip) and np.isfinite(eye) and hip > eye:
        return float((hip - eye) / EYES_TO_HIPS_FRAC)
    return float("nan")


def _body_mask(shape: tuple[int, ...], points: list[np.ndarray], stature: float) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    th = max(2, int(MASK_THICKNESS_FRAC * stature))
    for p in points:
        for a, b in _LIMBS:
            if np.isfinite(p[[a, b]]).all():
                cv2.line(mask, (int(p[a, 0]), int(p[a, 1])), (int(p[b, 0]), int(p[b, 1])), (255,), th)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # no ears or nose: no head to mask
            head = np.nanmean(p[[L.LEFT_EAR, L.RIGHT_EAR, L.NOSE]], axis=0)
        if np.isfinite(head).all():
            cv2.circle(mask, (int(head[0]), int(head[1])), int(HEAD_MASK_RADIUS_FRAC * stature), (255,), -1)
    return mask


class RopeBandProbe:
    """Per-frame motion energy in the band above the head (see the module docstring).

    Feed it every decoded frame in order with that frame's landmarks (image pixels of the
    full frame, or None); ``energy()`` returns [n] mean absolute change (grey levels) of
    the unmasked band pixels, NaN where the band could not be measured (no pose, the band
    outside the frame, the first frame). Frames come in increasing index order; the values
    are kept in a flat array (8 bytes a frame) from the first frame fed."""

    def __init__(self) -> None:
        self._prev: np.ndarray | None = None
        self._prev_pts: np.ndarray | None = None
        self._first = -1  # index of the first frame fed
        self._values = array("d")  # frames [_first, _first + len)
        self._last = -1

    def on_frame(self, index: int, bgr: np.ndarray, xy_px: np.ndarray | None) -> None:
        h, w = bgr.shape[:2]
        s = min(1.0, PROBE_SHORT_SIDE_PX / max(1, min(h, w)))
        small = (
            cv2.resize(bgr, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
            if s < 1
            else bgr
        )
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32)
        pts = None if xy_px is None else np.asarray(xy_px, float) * s
        value = float("nan")
        if self._prev is not None and pts is not None and self._last == index - 1 and self._prev.shape == grey.shape:
            value = self._measure(grey, pts)
        if self._first < 0:
            self._first = index
        at = index - self._first
        if at < len(self._values):
            raise ValueError(
                f"RopeBandProbe: expected frames in increasing order, got frame {index} after {self._last}"
            )
        self._values.extend([float("nan")] * (at - len(self._values)))  # frames not decoded: not measured
        self._values.append(value)
        self._prev, self._prev_pts, self._last = grey, pts, index

    def _measure(self, grey: np.ndarray, pts: np.ndarray) -> float:
        stature = _stature_px(pts)
        if not np.isfinite(stature) or stature < 20:
            return float("nan")
        eye_y = np.nanmean(pts[[L.LEFT_EYE, L.RIGHT_EYE], 1])
        cx = np.nanmean(pts[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP], 0])
        top_of_head = eye_y - HEAD_ABOVE_EYES_FRAC * stature
        y0, y1 = int(top_of_head - BAND_TOP_FRAC * stature), int(top_of_head)
        x0, x1 = int(cx - BAND_HALF_WIDTH_FRAC * stature), int(cx + BAND_HALF_WIDTH_FRAC * stature)
        hh, ww = grey.shape
        y0, y1, x0, x1 = max(0, y0), min(hh, y1), max(0, x0), min(ww, x1)
        # At least half of the band must be inside the frame to say anything.
        if (y1 - y0) < 0.5 * BAND_TOP_FRAC * stature or (x1 - x0) < BAND_HALF_WIDTH_FRAC * stature:
            return float("nan")
        before = self._prev
        assert before is not None  # on_frame measures only from the second frame on
        (dx, dy), _ = cv2.phaseCorrelate(before, grey)
        warp = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]], np.float32)
        prev = cv2.warpAffine(before, warp, (ww, hh), borderMode=cv2.BORDER_REPLICATE)
        diff = np.abs(grey[y0:y1, x0:x1] - prev[y0:y1, x0:x1])
        keep = (
            _body_mask(grey.shape, [pts] + ([self._prev_pts] if self._prev_pts is not None else []), stature)[
                y0:y1, x0:x1
            ]
            == 0
        )
        if keep.sum() < 0.25 * keep.size:
            return float("nan")
        return float(diff[keep].mean())

    def value(self, index: int) -> float:
        """The energy of frame ``index`` (NaN where not measured or not fed)."""
        at = index - self._first
        return self._values[at] if self._first >= 0 and 0 <= at < len(self._values) else float("nan")

    def energy(self, n: int) -> np.ndarray:
        """[n] the energy of frames [0, n) (NaN where not measured or not fed)."""
        out = np.full(n, np.nan)
        if self._first >= 0 and self._first < n:
            vals = np.frombuffer(self._values, float) if len(self._values) else np.zeros(0)
            m = min(len(vals), n - self._first)
            out[self._first : self._first + m] = vals[:m]
        return out
