"""Frames where the pose model kept the body's shape: rigid trunk segments keep their length.

The shoulders' width, the hips' width and the trunk's length are rigid: in the image they
change only as the body turns or leans, which takes more than a moment. A frame where one of
them is suddenly far from its own length around that moment is a frame where the model lost
the body (a second person, a background that looks like clothes, the model flipping front and
back). Form checks read nothing from such frames; the jump count does not use this (its
signals have their own outlier handling).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..pose.landmarks import Landmark as L

#: The window of the running length (s): a jumper skipping in place turns far less than the
#: tolerance below within half a second either side.
WINDOW_S = 1.0
#: How far a rigid segment may stray from its running length, as a share of the trunk's
#: length. Landmark noise is a few per cent of it (measured on the shared clips: the trunk's
#: length stays within +-10 % of its median on every skipping clip, 5th-95th percentile); a
#: quarter is far outside that and far inside what a lost body shows (a shoulder width
#: collapsing to a fifth and back from one frame to the next).
MAX_DEVIATION_OF_TRUNK = 0.25
#: Above this share of the frames with a pose, the model's hold on the body is too loose for
#: form checks at all: the frames it keeps are no better placed than the ones it lost
#: (development seeds: clips where the model held the body lost at most 2 % of their frames,
#: the shared real clips at most 3 %; a back view against a background like the clothes
#: lost 16 % and read a 40-60 % shoulder twist in a figure that never twists).
MAX_LOST_SHARE = 0.1


def _running_median(x: np.ndarray, k: int) -> np.ndarray:
    pad = k // 2
    xp = np.concatenate([np.full(pad, np.nan), x, np.full(pad, np.nan)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows
        return np.nanmedian(sliding_window_view(xp, 2 * pad + 1), axis=1)


def coherent_frames(xy_px: np.ndarray, fps: float) -> np.ndarray:
    """[T] bool: the trunk's rigid segments are near their running lengths (False where a
    segment is missing or strays by more than ``MAX_DEVIATION_OF_TRUNK`` of the trunk)."""
    xy = np.asarray(xy_px, float)
    n = len(xy)
    if n == 0:
        return np.zeros(0, bool)
    mid_sh = (xy[:, L.LEFT_SHOULDER] + xy[:, L.RIGHT_SHOULDER]) / 2.0
    mid_hip = (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP]) / 2.0
    segs = np.stack(
        [
            np.linalg.norm(mid_sh - mid_hip, axis=1),
            np.linalg.norm(xy[:, L.LEFT_SHOULDER] - xy[:, L.RIGHT_SHOULDER], axis=1),
            np.linalg.norm(xy[:, L.LEFT_HIP] - xy[:, L.RIGHT_HIP], axis=1),
        ],
        axis=1,
    )
    k = max(3, int(round(WINDOW_S * fps)) | 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        trunk = float(np.nanmedian(segs[:, 0]))
    if not np.isfinite(trunk) or trunk <= 0:
        return np.zeros(n, bool)
    ok = np.isfinite(segs).all(axis=1)
    for j in range(segs.shape[1]):
        ref = _running_median(segs[:, j], k)
        with np.errstate(invalid="ignore"):
            ok &= np.abs(segs[:, j] - ref) <= MAX_DEVIATION_OF_TRUNK * trunk
    return ok
