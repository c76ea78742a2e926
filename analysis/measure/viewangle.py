"""The camera's direction relative to the body, as a continuous angle with its uncertainty.

``yaw_deg`` runs over the full circle: 0 = the camera faces the jumper's front, +90 = the
camera is on the jumper's left (the jumper faces image left... or right, as the image
mirrors), 180 = behind, -90 = on the right. Rules need it for geometry, not labels: an
elbow's distance from the trunk shrinks as ``|cos(yaw)|`` in the image, a forward lean
as ``|sin(yaw)|``; each rule states the range of yaw where its quantity is seen well enough
(``rules``), and corrects the image value for the known yaw where that is sound.

Two cues, combined:

* **world landmarks** -- MediaPipe's 3D shoulder and hip lines in its camera-aligned
  frame: their angle in the horizontal plane is the body's yaw, with the sign and the
  front/back distinction (the nose ahead of or behind the ears). MediaPipe compresses
  depth, so side views read low (66 deg on the shared side clip, 87 deg on the synthetic
  side views).
* **image proportions** -- the shoulders' width against the trunk's length in the image
  falls as ``|cos(yaw)|``: facing the camera it is about 0.72 (shoulder joints 0.207 H
  apart over a 0.288 H trunk; Drillis & Contini), side-on about 0.

The world cue decides (it has the sign and tells front from back); the image cue stands
in where the world landmarks are missing. The uncertainty combines the frame-to-frame
spread of the estimate with the model error measured on synthetic clips
(``YAW_MODEL_SIGMA_DEG``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..pose.landmarks import Landmark as L

#: Shoulder joints' separation over the trunk's length facing the camera (0.80 x 0.259 H
#: over 0.288 H; Drillis & Contini 1966 via Winter 2009).
FRONT_SHOULDER_TO_TRUNK = 0.72
#: Model error of the yaw estimate (1 sigma, deg): MediaPipe's depth is a guess from one
#: camera. Measured on the fixed synthetic suite: 4-6 deg off in front and side views, 8-12
#: deg low in oblique ones (depth compressed); 12 deg covers them.
YAW_MODEL_SIGMA_DEG = 12.0
#: Named sectors, for people (rules use the angle): front up to 22.5 deg off the camera
#: axis, side within 22.5 deg of 90, back beyond 157.5, oblique between.
SECTOR_HALF_WIDTH_DEG = 22.5


@dataclass(frozen=True)
class ViewAngle:
    yaw_deg: float  # (-180, 180]; NaN when unknown
    sigma_deg: float  # 1 sigma
    label: str  # "front", "oblique", "side", "back", "unknown"
    world_yaw_deg: float  # the world-landmark cue alone
    image_abs_yaw_deg: float  # the image-proportion cue alone (0-90, no sign)

    @property
    def abs_yaw_deg(self) -> float:
        """0 (facing the camera) to 180 (back to the camera)."""
        return abs(self.yaw_deg)

    @property
    def side_factor(self) -> float:
        """|sin(yaw)|: how much of a forward-backward offset the image shows."""
        return float(abs(np.sin(np.radians(self.yaw_deg)))) if np.isfinite(self.yaw_deg) else float("nan")

    @property
    def front_factor(self) -> float:
        """|cos(yaw)|: how much of a sideways (left-right) offset the image shows."""
        return float(abs(np.cos(np.radians(self.yaw_deg)))) if np.isfinite(self.yaw_deg) else float("nan")

    def to_dict(self) -> dict:
        return {
            "yaw_deg": self.yaw_deg,
            "sigma_deg": self.sigma_deg,
            "label": self.label,
            "world_yaw_deg": self.world_yaw_deg,
            "image_abs_yaw_deg": self.image_abs_yaw_deg,
        }


def label_for(abs_yaw: float) -> str:
    if not np.isfinite(abs_yaw):
        return "unknown"
    if abs_yaw <= SECTOR_HALF_WIDTH_DEG:
        return "front"
    if abs_yaw >= 180.0 - SECTOR_HALF_WIDTH_DEG:
        return "back"
    if abs(abs_yaw - 90.0) <= SECTOR_HALF_WIDTH_DEG:
        return "side"
    return "oblique"


def _circular_median_deg(a: np.ndarray) -> tuple[float, float]:
    """(centre, robust spread) of angles in degrees on the circle."""
    a = a[np.isfinite(a)]
    if a.size == 0:
        return float("nan"), float("nan")
    mean = np.degrees(np.angle(np.mean(np.exp(1j * np.radians(a)))))
    dev = (a - mean + 180.0) % 360.0 - 180.0
    centre = mean + float(np.median(dev))
    spread = 1.4826 * float(np.median(np.abs(dev - np.median(dev))))
    return float((centre + 180.0) % 360.0 - 180.0), spread


def estimate_view(xy_px: np.ndarray, world_m: np.ndarray | None) -> ViewAngle:
    """The camera's yaw relative to the body over a clip (median over frames)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sw = np.linalg.norm(xy_px[:, L.LEFT_SHOULDER] - xy_px[:, L.RIGHT_SHOULDER], axis=-1)
        hip = np.nanmean(xy_px[:, [L.LEFT_HIP, L.RIGHT_HIP]], axis=1)
        sho = np.nanmean(xy_px[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]], axis=1)
        ratio = sw / np.linalg.norm(sho - hip, axis=-1)
    ratio = ratio[np.isfinite(ratio)]
    img = (
        float(np.degrees(np.arccos(np.clip(np.median(ratio) / FRONT_SHOULDER_TO_TRUNK, 0.0, 1.0))))
        if ratio.size
        else float("nan")
    )
    world = float("nan")
    spread = float("nan")
    if world_m is not None and np.isfinite(world_m).any():
        per_frame = []
        for a, b in ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP)):
            d = world_m[:, a] - world_m[:, b]
            # The person's left-to-right axis in the camera frame (x right, z away): facing the
            # camera it points along +x; its angle toward -z (the left side nearer) is the yaw.
            per_frame.append(np.degrees(np.arctan2(-d[:, 2], d[:, 0])))
        world, spread = _circular_median_deg(np.concatenate(per_frame))
    yaw = world if np.isfinite(world) else img
    sigma = float(np.hypot(YAW_MODEL_SIGMA_DEG, spread if np.isfinite(spread) else 0.0))
    return ViewAngle(float(yaw), sigma, label_for(abs(yaw)), world, img)
