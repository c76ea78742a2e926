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
