"""Pixels to centimetres from the jumper's standing height.

The body's height in pixels is measured from the eyes to the floor line (the lowest
foot landmark) in frames where the feet are on the floor, and converted to stature with
the anthropometric eye-height ratio (eyes at 0.936 of stature; Drillis & Contini 1966,
as tabulated in Winter, *Biomechanics and Motor Control of Human Movement*). Skipping
keeps the knees slightly bent, so an upper percentile of the per-frame values over a
window (the tallest, most upright contact frames) stands for standing height.

Uncertainty (relative, added in quadrature):
* the height input: given by the user +-2 cm; the default 170 cm +-10 cm (adult range
  roughly 155-185 cm; a child's clip needs the real height);
* the eye-height ratio varies between people by about +-1.5 %;
* the spread of the per-frame pixel height (knee bend, lean, landmark noise).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.ndimage import maximum_filter1d

from ..pose.landmarks import Landmark as L
from ..types import Scale
from .signals import median_filter_1d

DEFAULT_STANDING_HEIGHT_CM = 170.0
DEFAULT_HEIGHT_UNCERTAINTY_CM = 10.0
GIVEN_HEIGHT_UNCERTAINTY_CM = 2.0
EYE_HEIGHT_FRACTION = 0.936
EYE_RATIO_REL_UNCERTAINTY = 0.015
#: Below this share of the frames with a person measuring eyes to floor (the feet out of
#: view), the scale comes from eyes to hips instead.
FEET_SCALE_MIN_SHARE = 0.25
#: Eyes-to-hips as a share of stature (0.936 - 0.530, Drillis & Contini), its spread between
#: people and MediaPipe's hip placement (about 3 cm above the joint: ~4 % of 69 cm), and the
#: frames needed to calibrate it on the jumper where the feet are seen too.
EYES_TO_HIPS_FRACTION = 0.406
EYES_TO_HIPS_REL_UNCERTAINTY = 0.05
TRUNK_CALIBRATION_MIN_FRAMES = 10
#: Window for the floor line and the rolling body height (s): longer than a few jumps,
#: short enough to follow a jumper who drifts toward or away from the camera.
FLOOR_WINDOW_S = 1.5


def foot_bottom_y(xy_px: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Image row of the lowest point of each foot (left, right): max y of heel and toe."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows stay NaN, on purpose
        left = np.nanmax(xy_px[:, [L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE], 1], axis=1)
        right = np.nanmax(xy_px[:, [L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE], 1], axis=1)
    return left, right


def _rolling(fn, x: np.ndarray, w: int) -> np.ndarray:
    """Rolling ``fn`` (max) that ignores NaNs; NaN where the whole window is NaN."""
    filled = np.where(np.isfinite(x), x, -np.inf)
    out = fn(filled, size=max(1, w), mode="nearest")
    return np.where(np.isfinite(out), out, np.nan)


def floor_line_y(xy_px: np.ndarray, fps: float, window_s: float = FLOOR_WINDOW_S) -> np.ndarray:
    """[T] image row of the floor under the jumper: the rolling lowest foot point."""
    left, right = foot_bottom_y(xy_px)
    with np.errstate(all="ignore"):
        feet = np.fmax(left, right)
    w = int(round(window_s * fps)) | 1
    floor = _rolling(maximum_filter1d, feet, w)
    # Smooth the steps of the rolling max with a centred moving median.

    ok = np.isfinite(floor)
    if ok.sum() > w:
        floor[ok] = median_filter_1d(floor[ok], w)
    return floor


def body_height_px(xy_px: np.ndarray, floor_y: np.ndarray) -> np.ndarray:
    """[T] stature in pixels estimated per frame (eyes to floor / eye-height ratio)."""
    eye = (xy_px[:, L.LEFT_EYE, 1] + xy_px[:, L.RIGHT_EYE, 1]) / 2.0
    return (floor_y - eye) / EYE_HEIGHT_FRACTION


def _scale_from_trunk(
    xy_px: np.ndarray, fps: float, h_cm: float, given: bool, eyes_to_floor_px: np.ndarray, window_s: float
) -> tuple[Scale, np.ndarray] | None:
    """The scale from the eyes-to-hips distance where the feet are out of view (legs cut off
    by the frame): eyes at 0.936 and hip joints at 0.530 of stature (Drillis & Contini), so
    eyes-to-hips is 0.406 of stature. Where some frames show both, their ratio calibrates
    this jumper's proportions; otherwise the table's ratio is used with its spread."""
    eye = (xy_px[:, L.LEFT_EYE, 1] + xy_px[:, L.RIGHT_EYE, 1]) / 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without hips stay NaN
        hip = np.nanmean(xy_px[:, [L.LEFT_HIP, L.RIGHT_HIP], 1], axis=1)
    trunk = hip - eye
    trunk = np.where(trunk > 5, trunk, np.nan)
    if np.isfinite(trunk).sum() < 3:
        return None
    both = np.isfinite(trunk) & np.isfinite(eyes_to_floor_px)
    if both.sum() >= TRUNK_CALIBRATION_MIN_FRAMES:
        ratio = float(np.median(trunk[both] / eyes_to_floor_px[both]))
        ratio_rel, how = 0.02, "calibrated on the frames that show the feet"
    else:
        ratio, ratio_rel, how = EYES_TO_HIPS_FRACTION, EYES_TO_HIPS_REL_UNCERTAINTY, "Drillis & Contini ratio"
    body = trunk / ratio
    w = int(round(window_s * fps)) | 1
    rolling = body.copy()
    ok = np.isfinite(rolling)
    rolling[ok] = median_filter_1d(rolling[ok], w)
    body_med = float(np.nanmedian(rolling))
    rel_h = (GIVEN_HEIGHT_UNCERTAINTY_CM if given else DEFAULT_HEIGHT_UNCERTAINTY_CM) / h_cm
    rel = float(np.sqrt(rel_h**2 + ratio_rel**2))
    scale = Scale(
        cm_per_px=h_cm / body_med,
        cm_per_px_uncertainty=rel * h_cm / body_med,
        body_height_px=body_med,
        standing_height_cm=h_cm,
        height_was_given=given,
        frames_used=int(ok.sum()),
        method=f"eyes-to-hips / {ratio:.3f} ({how}): the feet are out of view",
    )
    cm_per_px = np.where(np.isfinite(rolling), h_cm / rolling, scale.cm_per_px)
    return scale, cm_per_px


def estimate_scale(
    xy_px: np.ndarray,
    fps: float,
    standing_height_cm: float | None = None,
    window_s: float = 4.0,
) -> tuple[Scale, np.ndarray, np.ndarray]:
    """Scale of the clip and per-frame scale.

    Returns:
        (scale, cm_per_px[T], floor_y_px[T]). Per-frame values follow a jumper who moves
        toward or away from the camera; ``scale`` summarises the clip (median).
    """
    given = standing_height_cm is not None
    h_cm = float(standing_height_cm) if standing_height_cm is not None else DEFAULT_STANDING_HEIGHT_CM
    if not (50.0 <= h_cm <= 250.0):
        raise ValueError(f"standing height: expected 50-250 cm, got {h_cm:g} cm")
    floor = floor_line_y(xy_px, fps)
    body = body_height_px(xy_px, floor)
    body = np.where(body > 10, body, np.nan)
    w = int(round(window_s * fps)) | 1
    rolling = _rolling(maximum_filter1d, body, max(3, w // 4))  # upright frames nearby

    ok = np.isfinite(rolling)
    if ok.sum() > 0:
        rolling[ok] = median_filter_1d(rolling[ok], w)
    n_used = int(ok.sum())
    found = int(np.isfinite(xy_px[:, :, 1]).any(axis=1).sum())
    if n_used < FEET_SCALE_MIN_SHARE * max(found, 1):
        fallback = _scale_from_trunk(xy_px, fps, h_cm, given, body, window_s)
        if fallback is not None:
            return fallback[0], fallback[1], floor
    if n_used == 0:
        nan = float("nan")
        return Scale(nan, nan, nan, h_cm, given, 0, "no frame with eyes and feet"), np.full(len(body), np.nan), floor
    body_med = float(np.nanmedian(rolling))
    cm_per_px = h_cm / rolling
    spread = float(np.nanstd(body[ok & np.isfinite(body)]) / body_med) if np.isfinite(body).sum() > 2 else 0.05
    rel_h = (GIVEN_HEIGHT_UNCERTAINTY_CM if given else DEFAULT_HEIGHT_UNCERTAINTY_CM) / h_cm
    rel = float(np.sqrt(rel_h**2 + EYE_RATIO_REL_UNCERTAINTY**2 + (spread / np.sqrt(max(1, n_used / fps))) ** 2))
    scale = Scale(
        cm_per_px=h_cm / body_med,
        cm_per_px_uncertainty=rel * h_cm / body_med,
        body_height_px=body_med,
        standing_height_cm=h_cm,
        height_was_given=given,
        frames_used=n_used,
        method="eyes-to-floor / 0.936 (Drillis & Contini), upright contact frames",
    )
    # Fill frames without a measurement with the clip's median so metrics stay defined.
    cm_per_px = np.where(np.isfinite(cm_per_px), cm_per_px, scale.cm_per_px)
    return scale, cm_per_px, floor
