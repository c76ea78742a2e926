"""Pure signal functions on time series (NumPy/SciPy): masking, gap filling, outliers, low-pass.

Every function takes arrays whose first axis is time and returns new arrays (inputs are
never modified). Missing samples are NaN. The recipe, in order (see ``clean_series``):

1. mask landmarks whose visibility is below a threshold;
2. Hampel filter: replace samples further than ``n_sigma`` scaled MADs from a rolling
   median (pose "jumps" to the wrong limb for a frame or two);
3. fill gaps up to ``max_gap_s`` by linear interpolation (longer gaps stay NaN);
4. zero-phase Butterworth low-pass (``filtfilt``) on each NaN-free segment separately,
   so a gap never smears into its neighbours.

Why the cut-off is 10 Hz: skipping runs at 2-4 jumps a second (the article's small
2-5 cm jumps give flights of 0.13-0.20 s, h = g t^2 / 8), and alternate-foot steps reach
7 steps a second. The body's vertical path is a train of parabolas with corners at
take-off and landing; keeping the timing of those corners within one frame needs the
first few harmonics of the step rate, so the cut-off sits well above 4 Hz. At 25-30 fps
the Nyquist frequency is 12.5-15 Hz, so the cut-off is capped at 0.8 x Nyquist. The test
``tests/analysis/test_signals.py::test_lowpass_keeps_flight_timing`` checks on a synthetic
4 jumps/s signal that take-off and landing move by less than one frame.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import butter, filtfilt

from ..pose.landmarks import Landmark as L
from ..types import PoseSeries


def median_filter_1d(x: np.ndarray, size: int) -> np.ndarray:
    """``scipy.ndimage.median_filter(x, size, mode="nearest")`` with the window clamped to
    the series' length (odd). SciPy returns zeros when the window is much longer than the
    series (a clip of a second or two against a 4 s window), which broke the scale."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    if n == 0:
        return x.copy()
    size = max(1, min(int(size), n if n % 2 else n - 1))
    return median_filter(x, size=size, mode="nearest")


#: Default low-pass cut-off (Hz); see the module docstring for the reason.
LOWPASS_CUTOFF_HZ = 10.0
#: Gaps up to this long are interpolated (a tenth of a second is shorter than any flight
#: or contact phase worth keeping; longer gaps are left missing).
MAX_GAP_S = 0.1
#: Hampel window (s, at least 5 samples): short, so a window inside a flight is mostly
#: flight; the filter is for one- or two-frame landmark jumps, not for real motion.
HAMPEL_WINDOW_S = 0.1
#: Hampel's deviation floor as a share of the body's size: an outlier worth removing is a
#: landmark jumping to the wrong limb, far larger than landmark jitter or a small jump.
HAMPEL_MIN_DEVIATION_FRAC = 0.04
#: Landmarks below this visibility are treated as missing (MediaPipe's own drawing
#: utilities use 0.5).
MIN_VISIBILITY = 0.5
#: Where the wrists seen at ``MIN_VISIBILITY`` do not show a rope turning (a rope turned
#: fast blurs the hands, and the model's confidence in them drops while it still places
#: them), jump detection takes a second look at them down to this visibility, with a
#: stricter test (``jumps.rope.hands_cues``). Chosen on the development seeds' landmark
#: truth, not on counts (``python -m bench.visibility``; 1000-1159, 1920-1959: 144,793
#: wrist frames in view; ``bench/RESULTS.md``, twenty-first stop): the lowest visibility
#: band, with every band above it, in which fewer than one wrist in ten is in truth hidden
#: behind the body (0.3-0.4: 9 %; 0.2-0.3: 17 %) and the wrist's median error, relative to
#: the shoulders, stays within 1.5 times that of wrists seen at 0.5 or more (2.3 against
#: 1.6 % of stature).
LOW_CONFIDENCE_MIN_VISIBILITY = 0.3


def nan_segments(valid: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) index pairs of the runs where ``valid`` is True."""
    v = np.concatenate([[False], np.asarray(valid, dtype=bool), [False]])
    d = np.diff(v.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def mask_low_visibility(xy: np.ndarray, visibility: np.ndarray, min_visibility: float = MIN_VISIBILITY) -> np.ndarray:
    """NaN out samples of ``xy[T, K, D]`` whose ``visibility[T, K]`` is below the threshold."""
    out = np.array(xy, dtype=float, copy=True, order="C")  # C order: the filters work in place on it
    out[np.asarray(visibility) < min_visibility] = np.nan
    return out


def hampel(
    x: np.ndarray, window: int = 7, n_sigma: float = 3.0, min_deviation: float = 0.0, inplace: bool = False
) -> np.ndarray:
    """Hampel outlier filter along axis 0.

    A sample is replaced by the rolling median (odd ``window`` samples) when it lies more
    than ``n_sigma`` x 1.4826 x MAD from it *and* more than ``min_deviation`` (data units).
    The floor matters for pose: a foot resting on the floor has a MAD near zero, and
    without it every genuine flight would look like an outlier. NaNs stay NaN and are
    ignored in the medians (edges of NaN runs use the available neighbours). ``inplace``:
    in ``x`` itself (each column is read before it is written).
    """
    if np.shape(x)[0] < 3:
        return x if inplace else np.array(x, dtype=float)
    window = max(3, window | 1)
    shape = np.shape(x)
    out = _columns(x, inplace)
    for j in range(out.shape[1]):
        col = out[:, j]
        ok = np.isfinite(col)
        if ok.sum() < 3:
            continue
        # Median filter on the finite samples only (their order is the time order).
        vals = col[ok]
        med = median_filter_1d(vals, window)
        mad = median_filter_1d(np.abs(vals - med), window)
        dev = np.abs(vals - med)
        bad = (dev > n_sigma * 1.4826 * mad) & (dev > max(min_deviation, 1e-9))
        vals = np.where(bad, med, vals)
        out[ok, j] = vals
    return out.reshape(shape)


def _columns(x: np.ndarray, inplace: bool) -> np.ndarray:
    """``x`` as [T, columns]: a view of ``x`` itself when ``inplace`` (``x`` must then be a
    C-contiguous float array the caller owns), else a copy."""
    if inplace:
        if not (isinstance(x, np.ndarray) and x.dtype == np.float64 and x.flags.c_contiguous):
            raise ValueError("inplace: expected a C-contiguous float64 array")
        return x.reshape(x.shape[0], -1)
    x = np.asarray(x, dtype=float)
    return x.reshape(x.shape[0], -1).copy()


def fill_gaps(x: np.ndarray, t_s: np.ndarray, max_gap_s: float = MAX_GAP_S, inplace: bool = False) -> np.ndarray:
    """Linearly interpolate NaN runs no longer than ``max_gap_s`` (interior gaps only);
    ``inplace``: in ``x`` itself (no copy of a long series)."""
    t = np.asarray(t_s, dtype=float)
    shape = np.shape(x)
    flat = _columns(x, inplace)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        ok = np.isfinite(col)
        if ok.all() or ok.sum() < 2:
            continue
        for a, b in nan_segments(~ok):
            if a == 0 or b == len(col):
                continue  # never extrapolate at the ends
            if t[b] - t[a - 1] <= max_gap_s + 1e-9 + (t[b] - t[b - 1]):
                col[a:b] = np.interp(t[a:b], [t[a - 1], t[b]], [col[a - 1], col[b]])
    return flat.reshape(shape)


def lowpass(
    x: np.ndarray, fs_hz: float, cutoff_hz: float = LOWPASS_CUTOFF_HZ, order: int = 2, inplace: bool = False
) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0, on each NaN-free segment separately
    (``inplace``: in ``x`` itself).

    Segments too short for ``filtfilt``'s padding are left as they are. The cut-off is
    capped at 0.8 x Nyquist so low frame rates still get a valid filter.
    """
    wn = min(cutoff_hz, 0.8 * fs_hz / 2.0) / (fs_hz / 2.0)
    b, a = butter(order, wn, btype="low")
    pad = 3 * max(len(a), len(b))
    shape = np.shape(x)
    flat = _columns(x, inplace)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for s, e in nan_segments(np.isfinite(col)):
            if e - s > pad:
                col[s:e] = filtfilt(b, a, col[s:e])
    return flat.reshape(shape)


def resample_uniform(x: np.ndarray, t_s: np.ndarray, fs_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Resample ``x[T, ...]`` with timestamps ``t_s`` (variable frame rate) onto a uniform grid."""
    t = np.asarray(t_s, dtype=float)
    grid = np.arange(t[0], t[-1] + 0.5 / fs_hz, 1.0 / fs_hz)
    flat = np.asarray(x, dtype=float).reshape(len(t), -1)
    out = np.column_stack([np.interp(grid, t, c, left=np.nan, right=np.nan) for c in flat.T])
    return out.reshape((len(grid),) + np.shape(x)[1:]), grid


def hampel_window(fps: float, window_s: float = HAMPEL_WINDOW_S) -> int:
    """The Hampel filter's window in samples: ``window_s`` at ``fps``, odd, at least 5 (below
    about 50 fps the five samples span more than ``window_s``: 0.5 s at 10 fps)."""
    return max(5, int(round(window_s * fps)) | 1)


def clean_series(
    x: np.ndarray,
    t_s: np.ndarray,
    fps: float,
    *,
    hampel_window_s: float = HAMPEL_WINDOW_S,
    min_deviation: float = 0.0,
    max_gap_s: float = MAX_GAP_S,
    cutoff_hz: float = LOWPASS_CUTOFF_HZ,
    inplace: bool = False,
) -> np.ndarray:
    """Hampel -> gap fill -> zero-phase low-pass, in that order (see the module docstring).
    One new array (Hampel's output; none with ``inplace``, in ``x`` itself), filled and
    filtered in place: a long clip's series is never copied more than once."""
    window = hampel_window(fps, hampel_window_s)
    y = hampel(x, window=window, min_deviation=min_deviation, inplace=inplace)
    fill_gaps(y, t_s, max_gap_s=max_gap_s, inplace=True)
    return lowpass(y, fps, cutoff_hz=cutoff_hz, inplace=True)


def _masked(pose: PoseSeries, landmarks: Sequence[int] | None, min_visibility: float) -> np.ndarray:
    """A copy of the image landmarks (all 33, or these in this order) with those under
    ``min_visibility`` NaN: the copy the cleaning then works on in place."""
    if landmarks is None:
        return mask_low_visibility(pose.xy_px, pose.visibility, min_visibility)
    idx = [int(i) for i in landmarks]
    return mask_low_visibility(pose.xy_px[:, idx], pose.visibility[:, idx], min_visibility)


def unsmoothed_xy(pose: PoseSeries, landmarks: Sequence[int] | None = None) -> np.ndarray:
    """Image landmarks cleaned like :func:`clean_pose` but without the low-pass: outliers
    replaced and short gaps filled. For measurements that the low-pass would bias, such
    as the curvature of a free fall (``measure/jumps/physics.py``). ``landmarks``: only
    these, in this order ([T, len(landmarks), 2]; each landmark is cleaned on its own, so
    its values are the same as in the whole series); None: all 33. One new array (the
    masked copy, then filtered and filled in place)."""
    xy = _masked(pose, landmarks, MIN_VISIBILITY)
    window = hampel_window(pose.fps)
    return fill_gaps(hampel(xy, window=window, inplace=True), pose.t_s, inplace=True)


#: The feet's landmarks: the lowest of them is the bottom of the lower foot, whose rise is a
#: two-foot hop's (``scale.foot_bottom_y``, ``jumps.signals.build_signals``).
_FEET = (L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE)


def feet_bottom_y_raw(pose: PoseSeries) -> np.ndarray:
    """[T] image row of the feet's bottom (the lowest of both feet's heels, toes and ankles)
    as the pose model gave it, masked for visibility but not cleaned: what a hop's top was
    before the outlier filter and the low-pass (``physics.combine_heights``, ``rise_cut_cm``)."""
    xy = _masked(pose, _FEET, MIN_VISIBILITY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without feet stay NaN
        return np.nanmax(xy[..., 1], axis=1)


def clean_xy(
    pose: PoseSeries, landmarks: Sequence[int] | None = None, min_visibility: float = MIN_VISIBILITY
) -> np.ndarray:
    """[T, 33, 2] the image landmarks of :func:`clean_pose` alone (visibility mask, Hampel
    with its floor, short-gap fill, zero-phase low-pass), for a reading that needs no world
    landmarks. ``landmarks``: only these, in this order ([T, len(landmarks), 2]; each is
    cleaned on its own, so its values are the whole series'); ``min_visibility``: their
    mask's floor (the outlier filter's floor is read on the body as :func:`clean_pose`
    reads it). One new array."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a pose are all-NaN
        y = np.where(np.asarray(pose.visibility) >= MIN_VISIBILITY, pose.xy_px[..., 1], np.nan)
        extent = np.nanmedian(np.nanmax(y, axis=1) - np.nanmin(y, axis=1))
    extent = float(extent) if np.isfinite(extent) else 0.0
    del y
    xy = _masked(pose, landmarks, min_visibility)
    return clean_series(xy, pose.t_s, pose.fps, min_deviation=HAMPEL_MIN_DEVIATION_FRAC * extent, inplace=True)


def clean_pose(pose: PoseSeries) -> PoseSeries:
    """Visibility mask, Hampel, short-gap fill and zero-phase low-pass on every landmark."""
    xy = clean_xy(pose)
    world = np.where((pose.visibility >= MIN_VISIBILITY)[..., None], pose.world_m, np.nan)
    world = clean_series(world, pose.t_s, pose.fps, min_deviation=HAMPEL_MIN_DEVIATION_FRAC * 1.7, inplace=True)
    return PoseSeries(pose.t_s, xy, world, pose.visibility, pose.frame_size_px, pose.fps)
