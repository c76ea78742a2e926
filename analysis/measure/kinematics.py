"""Per-frame kinematics from cleaned landmarks: one angle table, one vectorised angle function.

Which landmarks each metric uses, and why:

* Joint angles (knee, hip, elbow) and the upper arm's angle from the trunk use the 3D
  **world** landmarks in front and oblique views: a joint angle is a property of the
  body, and a front view foreshortens knee and elbow flexion that the world landmarks
  still see. In a **side** view the legs and arms swing in the image plane, so the image
  (2D) angle is exact there, while the world landmarks' depth (which MediaPipe guesses
  from one camera) is at its worst: measured on the synthetic side-view clips, 3D knee
  angles erred by ~15 deg, 2D ones by a few. 180 deg is a straight joint.
* Trunk lean, head and shoulder position, wrist height, heel-versus-toe height and foot
  separation use the **image** (2D) landmarks scaled to centimetres: they are measured
  against the vertical and the floor, which the image shows directly in a level camera,
  while MediaPipe's world frame is centred on the hips and estimated per frame.
  Forward/backward offsets (lean, head forward) are only meaningful in a side or oblique
  view; the rules decide what a view can assess (``view.py``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..pose.landmarks import Landmark as L
from .scale import foot_bottom_y

#: angle name -> (a, vertex, c): the angle at ``vertex`` between the rays to a and c.
ANGLE_TABLE: dict[str, tuple[L, L, L]] = {
    "knee_angle_deg_left": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
    "knee_angle_deg_right": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE),
    "hip_angle_deg_left": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE),
    "hip_angle_deg_right": (L.RIGHT_SHOULDER, L.RIGHT_HIP, L.RIGHT_KNEE),
    "elbow_angle_deg_left": (L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
    "elbow_angle_deg_right": (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST),
}

#: Upper arm against the trunk's axis (mid-shoulder -> mid-hip), measured at each shoulder:
#: 0 deg = the upper arm hangs parallel to the trunk, elbow at the side.
ARM_FROM_TRUNK: dict[str, tuple[L, L]] = {
    "upper_arm_abduction_deg_left": (L.LEFT_ELBOW, L.LEFT_SHOULDER),
    "upper_arm_abduction_deg_right": (L.RIGHT_ELBOW, L.RIGHT_SHOULDER),
}


@dataclass(frozen=True)
class MetricInfo:
    unit: str
    source: str  # "world 3D" or "image 2D"
    description: str


METRICS: dict[str, MetricInfo] = {
    **{
        name: MetricInfo(
            "deg",
            "world 3D (image 2D in side views)",
            f"angle at {v.name.lower()} between {a.name.lower()} and {c.name.lower()}",
        )
        for name, (a, v, c) in ANGLE_TABLE.items()
    },
    **{
        name: MetricInfo(
            "deg",
            "world 3D (image 2D in side views)",
            f"{el.name.lower()} from the trunk axis at {sh.name.lower()}; 0 = arm at the side",
        )
        for name, (el, sh) in ARM_FROM_TRUNK.items()
    },
    "trunk_lean_deg": MetricInfo(
        "deg", "image 2D", "mid-hip to mid-shoulder against vertical; + = toward the facing side"
    ),
    "trunk_tilt_side_deg": MetricInfo(
        "deg", "image 2D", "mid-hip to mid-shoulder against vertical, signed image left/right"
    ),
    "neck_flexion_deg": MetricInfo(
        "deg", "image 2D", "angle between the trunk line and shoulder->ear line; grows when hunched"
    ),
    "head_forward_cm": MetricInfo(
        "cm", "image 2D", "ear midpoint ahead of the shoulder midpoint along the facing side"
    ),
    "head_pitch_deg": MetricInfo(
        "deg", "image 2D", "ear->nose line below horizontal; grows when the head drops (side view)"
    ),
    "wrist_above_hip_cm_left": MetricInfo("cm", "image 2D", "left wrist height above the hip midpoint"),
    "wrist_above_hip_cm_right": MetricInfo("cm", "image 2D", "right wrist height above the hip midpoint"),
    "wrist_out_cm_left": MetricInfo("cm", "image 2D", "left wrist horizontal distance outside the hip (front view)"),
    "wrist_out_cm_right": MetricInfo("cm", "image 2D", "right wrist horizontal distance outside the hip (front view)"),
    "heel_above_toe_cm_left": MetricInfo(
        "cm", "image 2D", "left heel height above the left toe; + = on the ball of the foot"
    ),
    "heel_above_toe_cm_right": MetricInfo("cm", "image 2D", "right heel height above the right toe"),
    "foot_separation_cm": MetricInfo("cm", "image 2D", "horizontal distance between the ankles"),
    "hip_height_cm": MetricInfo("cm", "image 2D", "mid-hip height above the floor line"),
    "foot_clearance_cm_left": MetricInfo("cm", "image 2D", "lowest point of the left foot above the floor line"),
    "foot_clearance_cm_right": MetricInfo("cm", "image 2D", "lowest point of the right foot above the floor line"),
    "shoulder_width_px": MetricInfo("px", "image 2D", "distance between the shoulders (view cue)"),
}


def joint_angle_deg(a: np.ndarray, v: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle at ``v`` between rays v->a and v->c, for arrays [..., D] (D = 2 or 3); degrees."""
    u = np.asarray(a, float) - v
    w = np.asarray(c, float) - v
    nu = np.linalg.norm(u, axis=-1)
    nw = np.linalg.norm(w, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * w, axis=-1) / (nu * nw)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def angle_table(points: np.ndarray, table: dict[str, tuple[L, L, L]] = ANGLE_TABLE) -> dict[str, np.ndarray]:
    """Evaluate every angle of ``table`` on ``points[T, 33, D]``; returns name -> [T] degrees."""
    return {name: joint_angle_deg(points[:, a], points[:, v], points[:, c]) for name, (a, v, c) in table.items()}


def vertical_acceleration(height_m: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """[T] second time derivative (m/s^2, up positive) of a height series in metres over the
    frame times (uneven spacing allowed): central differences, twice (``np.gradient``)."""
    return np.gradient(np.gradient(height_m, t_s), t_s)


def midpoint(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    """Midpoint of a left/right pair per frame; where one side is missing (hidden behind
    the body in a side view), the visible side stands for both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # both missing: NaN, on purpose
        return np.nanmean(np.stack([xy[:, a], xy[:, b]]), axis=0)


_mid = midpoint


def facing_sign(xy_px: np.ndarray) -> float:
    """+1 if the person faces image-right (nose right of the ears), -1 if left, 0 if unclear."""
    d = xy_px[:, L.NOSE, 0] - _mid(xy_px, L.LEFT_EAR, L.RIGHT_EAR)[:, 0]
    d = d[np.isfinite(d)]
    if d.size == 0:
        return 0.0
    return float(np.sign(np.median(d)))


def frame_metrics(
    xy_px: np.ndarray, world_m: np.ndarray, cm_per_px: np.ndarray, floor_y_px: np.ndarray, view: str = "front"
) -> dict[str, np.ndarray]:
    """Every per-frame metric in :data:`METRICS`.

    Args:
        xy_px: [T, 33, 2] cleaned image landmarks.
        world_m: [T, 33, 3] cleaned world landmarks.
        cm_per_px: [T] vertical scale at the jumper (see ``scale.py``).
        floor_y_px: [T] image row of the floor under the jumper.
        view: "side" takes joint angles from the image, other views from the world landmarks.
    """
    pts = xy_px if view == "side" else world_m
    out = angle_table(pts)
    axis = _mid(pts, L.LEFT_HIP, L.RIGHT_HIP) - _mid(pts, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    for name, (el, sh) in ARM_FROM_TRUNK.items():
        out[name] = joint_angle_deg(pts[:, el], pts[:, sh], pts[:, sh] + axis)
    face = facing_sign(xy_px)
    hip = _mid(xy_px, L.LEFT_HIP, L.RIGHT_HIP)
    sho = _mid(xy_px, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    ear = _mid(xy_px, L.LEFT_EAR, L.RIGHT_EAR)
    trunk = sho - hip
    # Image y points down; the trunk vector points up (negative y).
    side = np.degrees(np.arctan2(trunk[:, 0], -trunk[:, 1]))
    out["trunk_tilt_side_deg"] = side
    out["trunk_lean_deg"] = side * face if face else np.full(len(side), np.nan)
    out["neck_flexion_deg"] = joint_angle_deg(hip, sho, ear)
    out["neck_flexion_deg"] = 180.0 - out["neck_flexion_deg"]
    out["head_forward_cm"] = (ear[:, 0] - sho[:, 0]) * face * cm_per_px if face else np.full(len(side), np.nan)
    nose = xy_px[:, L.NOSE]
    if face:
        dx = (nose[:, 0] - ear[:, 0]) * face
        out["head_pitch_deg"] = np.degrees(np.arctan2(nose[:, 1] - ear[:, 1], np.abs(dx)))
    else:
        out["head_pitch_deg"] = np.full(len(side), np.nan)
    for s, wrist, hip_lm in (("left", L.LEFT_WRIST, L.LEFT_HIP), ("right", L.RIGHT_WRIST, L.RIGHT_HIP)):
        out[f"wrist_above_hip_cm_{s}"] = (hip[:, 1] - xy_px[:, wrist, 1]) * cm_per_px
        # Outward = away from the body's midline, on the side of that hip.
        side_dir = np.sign(xy_px[:, hip_lm, 0] - hip[:, 0])
        out[f"wrist_out_cm_{s}"] = (xy_px[:, wrist, 0] - xy_px[:, hip_lm, 0]) * side_dir * cm_per_px
    for s, heel, toe in (("left", L.LEFT_HEEL, L.LEFT_FOOT_INDEX), ("right", L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)):
        out[f"heel_above_toe_cm_{s}"] = (xy_px[:, toe, 1] - xy_px[:, heel, 1]) * cm_per_px
    out["foot_separation_cm"] = np.abs(xy_px[:, L.LEFT_ANKLE, 0] - xy_px[:, L.RIGHT_ANKLE, 0]) * cm_per_px
    out["hip_height_cm"] = (floor_y_px - hip[:, 1]) * cm_per_px
    fl, fr = foot_bottom_y(xy_px)
    out["foot_clearance_cm_left"] = (floor_y_px - fl) * cm_per_px
    out["foot_clearance_cm_right"] = (floor_y_px - fr) * cm_per_px
    out["shoulder_width_px"] = np.linalg.norm(xy_px[:, L.LEFT_SHOULDER] - xy_px[:, L.RIGHT_SHOULDER], axis=-1)
    assert set(out) == set(METRICS), set(out) ^ set(METRICS)
    return out
