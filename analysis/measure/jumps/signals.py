"""Phase 1 of jump detection: the body signals every later phase reads.

All vertical quantities are in centimetres through the per-frame scale (``cm_per_px``,
from the jumper's standing height; see ``scale.py``), positive upwards. Where the feet
are out of frame or hidden, the feet's signals are NaN rather than guessed: counting then
rests on the torso, and heights are not measured.

Signals and why each is there:

* ``torso_cm`` -- mean height of the visible torso points (hips, shoulders, eyes). The
  whole body rises and falls with every jump; the torso is the part MediaPipe tracks
  best and the part that stays in frame when the feet are cut off.
* ``lower_lift_cm`` -- the lower foot's clearance above the local floor: both feet are
  off the ground only when the lower one is, so this is the two-foot flight signal.
* ``foot_diff_cm`` -- left minus right foot height: in an alternate (jogging) step each
  foot switch is an extremum of this signal while the torso barely moves.
* ``wrist_rel`` -- each wrist relative to the shoulder midpoint, in cm (x along the
  image, y up): the hands turn the rope, so their rhythm is the rope's rhythm. Also read on
  wrists the pose model placed with low confidence (``wrist_rel_low_conf_cm``), which the
  hands' cue takes a second, stricter look at where the wrists seen do not vouch for a rope.
* ``hands_fore_aft_cm`` -- left wrist minus right wrist along the body's fore-aft axis, from
  the pose model's 3D world landmarks (``hands_fore_aft_cm()``): a rope's two handles circle
  together and keep it nearly steady, while arms swinging in opposition (running, high
  knees) swing it by their reach. In a front or back view that swing is in depth, where
  the image shows only both hands rising and falling together at every step.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ...pose.landmarks import Landmark as L
from ..kinematics import midpoint
from ..scale import floor_line_y, foot_bottom_y


@dataclass(frozen=True)
class JumpSignals:
    """Per-frame signals of one clip (arrays of length T; NaN where not measurable)."""

    t_s: np.ndarray
    fps: float
    cm_per_px: np.ndarray  # [T] vertical scale at the jumper
    torso_cm: np.ndarray  # [T] mean height of hips, shoulders and eyes, + up (image-referenced)
    hip_cm: np.ndarray  # [T] mid-hip height, + up
    shoulder_cm: np.ndarray  # [T] mid-shoulder height, + up
    lift_left_cm: np.ndarray  # [T] left foot's lowest point above the floor line
    lift_right_cm: np.ndarray  # [T]
    lower_lift_cm: np.ndarray  # [T] the lower foot's clearance (both feet airborne when > 0)
    foot_diff_cm: np.ndarray  # [T] left minus right foot height
    wrist_rel_cm: np.ndarray  # [T, 2, 2] (left, right) x (x right, y up) relative to mid-shoulder
    hip_x_cm: np.ndarray  # [T] mid-hip horizontal position (image x), cm
    stature_cm: float  # the standing height the scale assumes
    feet_visible: np.ndarray  # [T] bool: the feet's signals are measured
    hands_fore_aft_cm: np.ndarray | None = None  # [T] left minus right wrist, fore-aft (None: no 3D)
    #: [T] image x of the lower foot's ankle (the foot bearing the weight), cm; NaN where the
    #: feet are not measured (None: not given).
    support_x_cm: np.ndarray | None = None
    #: The camera's yaw to the body the signals are seen from (0 facing it, +-90 side-on,
    #: +-180 behind; NaN: unknown): how much of the body's fore-aft motion the image shows.
    camera_yaw_deg: float = float("nan")
    #: [T] ``lower_lift_cm`` read on the landmarks before cleaning (the outlier filter and the
    #: low-pass): how high a hop's top was before them (None: not given).
    lower_lift_raw_cm: np.ndarray | None = None
    #: [T, 2, 2] ``wrist_rel_cm`` read on wrists kept down to the low-confidence visibility
    #: (``measure.signals.LOW_CONFIDENCE_MIN_VISIBILITY``): what the hands' cue takes a second,
    #: stricter look at where the wrists seen do not vouch for a rope (None: not given).
    wrist_rel_low_conf_cm: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.t_s)
        for name in (
            "cm_per_px",
            "torso_cm",
            "hip_cm",
            "shoulder_cm",
            "lift_left_cm",
            "lift_right_cm",
            "lower_lift_cm",
            "foot_diff_cm",
            "hip_x_cm",
            "feet_visible",
        ):
            arr = getattr(self, name)
            if arr.shape != (n,):
                raise ValueError(f"JumpSignals.{name}: expected shape [{n}], got {list(arr.shape)}")
        if self.wrist_rel_cm.shape != (n, 2, 2):
            raise ValueError(
                f"JumpSignals.wrist_rel_cm: expected shape [{n}, 2, 2], got {list(self.wrist_rel_cm.shape)}"
            )
        if self.wrist_rel_low_conf_cm is not None and self.wrist_rel_low_conf_cm.shape != (n, 2, 2):
            raise ValueError(
                f"JumpSignals.wrist_rel_low_conf_cm: expected shape [{n}, 2, 2], got "
                f"{list(self.wrist_rel_low_conf_cm.shape)}"
            )
        if self.lower_lift_raw_cm is not None and self.lower_lift_raw_cm.shape != (n,):
            raise ValueError(
                f"JumpSignals.lower_lift_raw_cm: expected shape [{n}], got {list(self.lower_lift_raw_cm.shape)}"
            )
        if self.hands_fore_aft_cm is not None and self.hands_fore_aft_cm.shape != (n,):
            raise ValueError(
                f"JumpSignals.hands_fore_aft_cm: expected shape [{n}], got {list(self.hands_fore_aft_cm.shape)}"
            )

    @property
    def n(self) -> int:
        return len(self.t_s)


def _mean_finite(*arrays: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN frames stay NaN
        return np.nanmean(np.stack(arrays), axis=0)


def _torso_cm(hip_up: np.ndarray, sho_up: np.ndarray, xy_px: np.ndarray, cm: np.ndarray) -> np.ndarray:
    eye_up = -midpoint(xy_px, L.LEFT_EYE, L.RIGHT_EYE)[:, 1] * cm
    return _mean_finite(hip_up, sho_up, eye_up)


#: Feet whose lowest points are within this of each other (cm) both bear the weight: less
#: than a jump clears (``physics.MIN_CLEARANCE_CM``), so neither is off the floor.
BOTH_FEET_DOWN_CM = 1.2


def _support_x_px(xy_px: np.ndarray, fl: np.ndarray, fr: np.ndarray, cm: np.ndarray) -> np.ndarray:
    """[T] image x of what bears the weight: the ankle of the lower foot, or the two ankles'
    mean where both feet are down (``BOTH_FEET_DOWN_CM``), or the one foot seen."""
    xl, xr = xy_px[:, L.LEFT_ANKLE, 0], xy_px[:, L.RIGHT_ANKLE, 0]
    with np.errstate(invalid="ignore"):
        gap = (fl - fr) * cm  # image y down: > 0 when the left foot is lower
        out = np.where(gap > 0, xl, xr)
        out = np.where(np.abs(gap) <= BOTH_FEET_DOWN_CM, 0.5 * (xl + xr), out)
    out = np.where(np.isfinite(gap), out, np.where(np.isfinite(fl), xl, xr))
    return out


#: The landmarks the torso's height is read on, in the order ``torso_cm_of`` expects them:
#: hips, shoulders and eyes, each pair left then right.
TORSO_LANDMARKS = (L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_EYE, L.RIGHT_EYE)


def torso_cm_of(torso_xy_px: np.ndarray, cm_per_px: np.ndarray) -> np.ndarray:
    """[T] height of the torso (mean of hips, shoulders and eyes; cm up), as ``build_signals``
    reads it, from the torso's landmarks alone: ``torso_xy_px[T, 6, 2]`` in the order of
    :data:`TORSO_LANDMARKS` (a long clip's unsmoothed series need not hold the other 27)."""
    if np.shape(torso_xy_px)[1:] != (len(TORSO_LANDMARKS), 2):
        raise ValueError(
            f"torso_cm_of: expected [T, {len(TORSO_LANDMARKS)}, 2] torso landmarks, got {list(np.shape(torso_xy_px))}"
        )
    cm = np.asarray(cm_per_px, float)
    # Each pair's midpoint, the side seen standing for both (as ``kinematics.midpoint``).
    hip, sho, eye = (_mean_finite(torso_xy_px[:, 2 * k, 1], torso_xy_px[:, 2 * k + 1, 1]) for k in range(3))
    return _mean_finite(-hip * cm, -sho * cm, -eye * cm)


def hands_fore_aft_cm(world_m: np.ndarray) -> np.ndarray:
    """[T] left wrist minus right wrist along the body's fore-aft axis, in cm, from world
    landmarks ``world_m[T, 33, 3]`` (metres; NaN where a wrist or shoulder is missing). The
    axis is horizontal and square to the shoulder line, so the measure is the same from any
    camera angle (its sign, which way is forward, does not matter to its spread)."""
    w = np.asarray(world_m, float)
    sho = w[:, L.RIGHT_SHOULDER] - w[:, L.LEFT_SHOULDER]
    axis = np.stack([-sho[:, 2], np.zeros(len(w)), sho[:, 0]], axis=1)
    norm = np.linalg.norm(axis, axis=1)
    diff = w[:, L.LEFT_WRIST] - w[:, L.RIGHT_WRIST]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100.0 * np.sum(diff * axis, axis=1) / norm
    return np.where(norm > 1e-6, out, np.nan)


def build_signals(
    xy_px: np.ndarray,
    t_s: np.ndarray,
    fps: float,
    cm_per_px: np.ndarray,
    stature_cm: float,
    feet_visible: np.ndarray | None = None,
    hands_fore_aft: np.ndarray | None = None,
    camera_yaw_deg: float = float("nan"),
    feet_bottom_raw_y: np.ndarray | None = None,
    wrists_low_conf_xy: np.ndarray | None = None,
) -> JumpSignals:
    """Body signals from cleaned landmarks ``xy_px[T, 33, 2]`` (image y down).

    ``feet_visible``: [T] bool from the capture check (feet inside the frame and seen);
    where False the feet's signals are NaN. None: wherever the foot landmarks exist.
    ``hands_fore_aft``: [T] ``hands_fore_aft_cm()`` of the world landmarks, or None.
    ``camera_yaw_deg``: the view's yaw (``JumpSignals.camera_yaw_deg``; NaN: unknown).
    ``feet_bottom_raw_y``: [T] ``measure.signals.feet_bottom_y_raw`` (the feet's bottom before
    cleaning, image rows), or None.
    ``wrists_low_conf_xy``: [T, 2, 2] the left and right wrists cleaned down to the
    low-confidence visibility (``measure.signals.clean_xy``), or None.
    """
    t = np.asarray(t_s, float)
    cm = np.asarray(cm_per_px, float)
    hip = midpoint(xy_px, L.LEFT_HIP, L.RIGHT_HIP)
    sho = midpoint(xy_px, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    hip_up = -hip[:, 1] * cm
    sho_up = -sho[:, 1] * cm
    torso = _torso_cm(hip_up, sho_up, xy_px, cm)
    fl, fr = foot_bottom_y(xy_px)
    feet_ok = np.isfinite(fl) | np.isfinite(fr)
    if feet_visible is not None:
        feet_ok &= np.asarray(feet_visible, bool)
    fl = np.where(feet_ok, fl, np.nan)
    fr = np.where(feet_ok, fr, np.nan)
    floor = floor_line_y(np.where(feet_ok[:, None, None], xy_px, np.nan), fps)
    with np.errstate(all="ignore"):
        lift_l = (floor - fl) * cm
        lift_r = (floor - fr) * cm
        lower = np.clip((floor - np.fmax(fl, fr)) * cm, 0.0, None)
        lower_raw = (
            None
            if feet_bottom_raw_y is None
            else np.where(feet_ok, np.clip((floor - np.asarray(feet_bottom_raw_y, float)) * cm, 0.0, None), np.nan)
        )
    support_x = _support_x_px(xy_px, fl, fr, cm)
    support_x = np.where(feet_ok, support_x, np.nan) * cm
    wr = _wrists_rel_cm(xy_px[:, [L.LEFT_WRIST, L.RIGHT_WRIST]], sho, cm)
    low = None
    if wrists_low_conf_xy is not None:
        if np.shape(wrists_low_conf_xy) != (len(t), 2, 2):
            raise ValueError(
                f"build_signals: expected wrists_low_conf_xy of shape [{len(t)}, 2, 2], got "
                f"{list(np.shape(wrists_low_conf_xy))}"
            )
        low = _wrists_rel_cm(np.asarray(wrists_low_conf_xy, float), sho, cm)
    return JumpSignals(
        t_s=t,
        fps=float(fps),
        cm_per_px=cm,
        torso_cm=torso,
        hip_cm=hip_up,
        shoulder_cm=sho_up,
        lift_left_cm=lift_l,
        lift_right_cm=lift_r,
        lower_lift_cm=lower,
        foot_diff_cm=(fr - fl) * cm,
        wrist_rel_cm=wr,
        hip_x_cm=hip[:, 0] * cm,
        stature_cm=float(stature_cm),
        feet_visible=feet_ok,
        hands_fore_aft_cm=None if hands_fore_aft is None else np.asarray(hands_fore_aft, float),
        camera_yaw_deg=float(camera_yaw_deg),
        support_x_cm=support_x,
        lower_lift_raw_cm=lower_raw,
        wrist_rel_low_conf_cm=low,
    )


def _wrists_rel_cm(wrists_px: np.ndarray, sho_px: np.ndarray, cm: np.ndarray) -> np.ndarray:
    """[T, 2, 2] the wrists ``wrists_px[T, 2, 2]`` (left, right; image pixels) relative to
    the shoulders' midpoint ``sho_px[T, 2]``, in cm, x right and y up."""
    out = np.empty((len(cm), 2, 2))
    out[..., 0] = (wrists_px[..., 0] - sho_px[:, None, 0]) * cm[:, None]
    out[..., 1] = -(wrists_px[..., 1] - sho_px[:, None, 1]) * cm[:, None]
    return out
