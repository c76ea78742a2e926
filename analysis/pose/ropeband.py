"""The rope in the pixels: motion in a band above the head, where only the rope passes.

Whatever the camera's angle (front, side, back, oblique), a turning rope passes over the
jumper's head once per turn. A band from just above the head to about a third of the
body's height above it holds nothing else that moves in rhythm with the jumps once the
arms and head are masked out, so a brief burst of frame-to-frame change there, once
per cycle and between flights (the rope is under the feet at mid-flight and over the head
half a turn later), is the rope. A double-under puts a second pass over the head during
the flight.

``RopeBandProbe`` measures the band in the same decoding pass as the pose (well under a
millisecond a frame on a 240-pixel grey copy); ``measure/jumps/rope_passes.py`` reads the
series per run.

What is measured is a high quantile of the change, not its mean: a rope is a thin curve
that crosses the band and changes a few percent of its pixels (about twice its width over
the band's height), so the band's mean dilutes a pass into the background's noise (on the
development seeds a clearly drawn rope passing over the head lifted the mean by under one
grey level and the 99th percentile by 10-50).

A hand-held camera shakes and pans and moves the whole image, so the previous frame is
first moved by the scene's own shift, which ``camera_motion.CameraMotionProbe`` measures
beside the jumper in the same pass; only what moved against the scene counts. Where that
shift could not be measured, the frames are compared as they are: a still camera needs
nothing, and a shaking one then adds bursts of change at its jolts, which
``rope_passes`` refuses unless they come at a steady point of every cycle, as a rope's
passes do. (Aligning on the whole frame, as this probe once did, follows the jumper
when the jumper fills much of the frame, and turned a still textured wall into a band
full of change.)
"""

from __future__ import annotations

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
#: The band starts this share of stature above the top of the head: the rope clears the
#: head by 10-40 cm (6-23 % of a 170 cm stature), so nothing of it is lost there, while the
#: head's own edge (hair, and the landmarks' jitter of 1-2 % of stature that places the head
#: mask) stays out of the band (with the band starting at the head, a jogger's bobbing head
#: showed as a burst at every stride once the band was read by its high percentile).
BAND_GAP_FRAC = 0.03
#: Half-width of the band either side of the body's axis (the rope's loop is about as wide
#: as the hands are apart plus its bow).
BAND_HALF_WIDTH_FRAC = 0.35
#: The band is measured wherever the frame holds it up to this share of stature above the top
#: of the head, the least a turning rope clears the head by (10 cm of a 170 cm stature): the
#: rope's loop goes round the head, so every pass crosses the band's rows up to there, and a
#: frame cut closer above the head than the whole band still sees every pass. (Half of the
#: band, as this once asked, was out of frame at the top of each flight on clips framed
#: tightly above the head: the band went unmeasured exactly where a double-under's second
#: pass comes, mid-flight; development seeds 1000-1159 and 1920-1959, double-under jumps with
#: both passes found: 10 of 93 measured, 54 of 93 with this.)
BAND_MIN_TOP_FRAC = 0.06
#: Top of the head above the eyes (Drillis & Contini: eyes at 0.936 of stature).
HEAD_ABOVE_EYES_FRAC = 0.064
#: Eyes-to-ankles as a share of stature (0.936 - 0.039), the probe's ruler when the feet are seen;
#: eyes-to-hips (0.936 - 0.530) otherwise.
EYES_TO_ANKLES_FRAC = 0.897
EYES_TO_HIPS_FRAC = 0.406
#: The band's change is read as this percentile of its unmasked pixels: a rope crossing the
#: band changes about twice its width over the band's height (2-5 % of the pixels for a
#: rope of 1-2 probe pixels in a band 40-80 pixels high; the mean dilutes it). Chosen on the
#: development seeds 1000-1109 among the 98th, 99th and 99.5th (passes found on clips whose
#: rope is drawn visible: 35 %, 45 %, 29 % of the jumps at the same threshold).
BAND_PERCENTILE = 99.0
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


_HEAD = [L.LEFT_EAR, L.RIGHT_EAR, L.NOSE]


def _body_mask(shape: tuple[int, int], origin: tuple[int, int], points: list[np.ndarray], stature: float) -> np.ndarray:
    """255 on the arms and the head of each pose in ``points`` (probe pixels), 0 elsewhere, over
    the window of ``shape`` (rows, columns) whose top-left pixel is ``origin`` (x, y)."""
    mask = np.zeros(shape, np.uint8)
    ox, oy = origin
    th = max(2, int(MASK_THICKNESS_FRAC * stature))
    for p in points:
        seen = np.isfinite(p).all(axis=1)
        q = [(int(x) - ox, int(y) - oy) if ok else (0, 0) for (x, y), ok in zip(p.tolist(), seen)]
        for a, b in _LIMBS:
            if seen[a] and seen[b]:
                cv2.line(mask, q[a], q[b], (255,), th)
        hp = p[_HEAD]
        n = np.isfinite(hp).sum(axis=0)
        if (n > 0).all():  # the mean of the ears and nose seen (no ears or nose: no head to mask)
            head = np.nansum(hp, axis=0) / n
            cv2.circle(mask, (int(head[0]) - ox, int(head[1]) - oy), int(HEAD_MASK_RADIUS_FRAC * stature), (255,), -1)
    return mask


def probe_grey(bgr: np.ndarray) -> tuple[np.ndarray, float]:
    """The probe's copy of a frame: (grey levels as float32, short side at most
    :data:`PROBE_SHORT_SIDE_PX`; the scale from the frame's pixels to the copy's).

    Grey first, then an area average (each pixel of the copy is the mean of the frame's
    pixels it covers, so a thin rope fades instead of flickering). When the short side is an
    exact multiple of the copy's, the average is over exact k x k squares (OpenCV's integer
    area path; a last partial column or row averages what is left), so the copy's grid is
    the frame's scaled by exactly 1/k, as the landmarks are."""
    h, w = bgr.shape[:2]
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    short = max(1, min(h, w))
    if short <= PROBE_SHORT_SIDE_PX:
        return grey.astype(np.float32), 1.0
    if short % PROBE_SHORT_SIDE_PX == 0:
        k = short // PROBE_SHORT_SIDE_PX
        small = cv2.resize(grey, None, fx=1.0 / k, fy=1.0 / k, interpolation=cv2.INTER_AREA)
        return small.astype(np.float32), 1.0 / k
    s = PROBE_SHORT_SIDE_PX / short
    small = cv2.resize(grey, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32), s


class RopeBandProbe:
    """Per-frame motion energy in the band above the head (see the module docstring).

    Feed it every decoded frame in order with that frame's landmarks (image pixels of the
    full frame, or None) and the scene's shift from the frame before (full-frame pixels, as
    ``camera_motion.CameraMotionProbe`` measures it; None or NaN: not measured, the frames
    are compared as they are); ``energy()`` returns [n] the :data:`BAND_PERCENTILE`-th
    percentile of the absolute change (grey levels) over the unmasked band pixels, NaN where
    the band could not be measured (no pose, the band outside the frame, the first frame).
    Frames come in increasing index order; the values are kept in a flat array (8 bytes a
    frame) from the first frame fed."""

    def __init__(self) -> None:
        self._prev: np.ndarray | None = None
        self._prev_pts: np.ndarray | None = None
        self._first = -1  # index of the first frame fed
        self._values = array("d")  # frames [_first, _first + len)
        self._last = -1

    def on_frame(
        self,
        index: int,
        bgr: np.ndarray,
        xy_px: np.ndarray | None,
        grey_s: tuple[np.ndarray, float] | None = None,
        scene_shift_px: tuple[float, float] | None = None,
    ) -> None:
        """``grey_s``: :func:`probe_grey` of the frame when already made."""
        grey, s = grey_s if grey_s is not None else probe_grey(bgr)
        pts = None if xy_px is None else np.asarray(xy_px, float) * s
        value = float("nan")
        if self._prev is not None and pts is not None and self._last == index - 1 and self._prev.shape == grey.shape:
            dx, dy = scene_shift_px if scene_shift_px is not None else (0.0, 0.0)
            shift = (dx * s, dy * s) if np.isfinite(dx) and np.isfinite(dy) else (0.0, 0.0)  # not measured: as they are
            value = self._measure(grey, pts, shift)
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

    def _measure(self, grey: np.ndarray, pts: np.ndarray, shift: tuple[float, float]) -> float:
        """The band's change from the previous copy moved by ``shift`` (probe pixels)."""
        stature = _stature_px(pts)
        if not np.isfinite(stature) or stature < 20:
            return float("nan")
        eye_y = np.nanmean(pts[[L.LEFT_EYE, L.RIGHT_EYE], 1])
        cx = np.nanmean(pts[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP], 0])
        top_of_head = eye_y - HEAD_ABOVE_EYES_FRAC * stature
        y0, y1 = int(top_of_head - BAND_TOP_FRAC * stature), int(top_of_head - BAND_GAP_FRAC * stature)
        x0, x1 = int(cx - BAND_HALF_WIDTH_FRAC * stature), int(cx + BAND_HALF_WIDTH_FRAC * stature)
        hh, ww = grey.shape
        y0, y1, x0, x1 = max(0, y0), min(hh, y1), max(0, x0), min(ww, x1)
        # The band's rows up to the rope's least clearance must be inside the frame
        # (``BAND_MIN_TOP_FRAC``), and half of its width.
        if (y1 - y0) < (BAND_MIN_TOP_FRAC - BAND_GAP_FRAC) * stature or (x1 - x0) < BAND_HALF_WIDTH_FRAC * stature:
            return float("nan")
        before = self._prev
        assert before is not None  # on_frame measures only from the second frame on
        dx, dy = shift
        # The previous frame moved by the scene's shift, over the band's pixels only (the
        # same bilinear samples as warping the whole copy and cutting the band out).
        warp = np.array([[1.0, 0.0, dx - x0], [0.0, 1.0, dy - y0]])
        prev = cv2.warpAffine(before, warp, (x1 - x0, y1 - y0), borderMode=cv2.BORDER_REPLICATE)
        diff = np.abs(grey[y0:y1, x0:x1] - prev)
        points = [pts] + ([self._prev_pts] if self._prev_pts is not None else [])
        keep = _body_mask((y1 - y0, x1 - x0), (x0, y0), points, stature) == 0
        if keep.sum() < 0.25 * keep.size:
            return float("nan")
        return float(np.percentile(diff[keep], BAND_PERCENTILE))

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
