"""A second person behind the jumper: walking across the picture or standing.

The same articulated figure as the jumper (``body.forward_kinematics`` in its own body
frame, facing +z), posed with a simple walking gait, then turned to its heading and
moved along its path in world coordinates. Gait: hip flexion +-18 deg and knee flexion
up to ~60 deg in swing, arms swinging against the legs; stride length 0.83 x height at
1.3 m/s, which gives about 110 steps per minute (ordinary adult walking is 100-120
steps/min at 1.2-1.4 m/s; e.g. Tudor-Locke et al. 2018, Br J Sports Med 52:776).
The pelvis height keeps the lower foot on the floor; feet may slide a little, which is
fine for a background figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.body import BodyDims, PoseAngles, Skeleton, foot_lowest_offset, forward_kinematics
from synthetic.params import JumpParams
from synthetic.render import Camera, figure_primitives

Array = np.ndarray
#: Joint entries of a Skeleton that are directions (rotated, not moved).
_DIRECTIONS = ("_up", "_in")


@dataclass
class Walker:
    """The second person: its params (colours), body, posed skeleton in world
    coordinates and heading rotation (constant over the clip)."""

    params: JumpParams
    dims: BodyDims
    skeleton: Skeleton
    heading: Array  # (3, 3) rotation about the vertical
    kind: str  # "passing" | "standing"

    def primitives(self, f: int, cam: Camera) -> list:
        return figure_primitives(self.params, self.dims, self.skeleton, f, cam, heading=self.heading, handles=False)


def _rot_y(psi: float) -> Array:
    """Rotation about +y turning the body's facing (+z) to (sin psi, 0, cos psi)."""
    c, s = np.cos(psi), np.sin(psi)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _gait(dims: BodyDims, phase: Array, walking: Array) -> PoseAngles:
    """Body-frame pose for a gait ``phase`` (rad, per frame); ``walking`` (0..1) blends
    from quiet standing to the full gait."""
    n = len(phase)
    pose: dict[str, Array] = {}
    for side, sgn, off in (("left", 1.0, 0.0), ("right", -1.0, np.pi)):
        ph = phase + off
        thigh = walking * (18.0 * np.sin(ph) + 3.0)
        swing = np.maximum(0.0, np.cos(ph + np.pi / 4)) ** 2
        knee = 177.0 - walking * (5.0 + 55.0 * swing)
        pitch = walking * 12.0 * swing
        pose[f"thigh_deg_{side}"], pose[f"knee_deg_{side}"], pose[f"foot_pitch_deg_{side}"] = thigh, knee, pitch
        s = np.radians(-14.0 * walking * np.sin(ph))
        pose[f"upper_arm_dir_{side}"] = np.stack([np.full(n, sgn * 0.12), -np.cos(s), np.sin(s)], -1)
        s2 = s + np.radians(20.0)
        pose[f"forearm_dir_{side}"] = np.stack([np.full(n, sgn * 0.08), -np.cos(s2), np.sin(s2)], -1)
    drops = []
    for side in ("left", "right"):
        a = np.radians(pose[f"thigh_deg_{side}"])
        b = a - (np.pi - np.radians(pose[f"knee_deg_{side}"]))
        drop = dims.thigh_m * np.cos(a) + dims.shank_m * np.cos(b)
        drops.append(drop - foot_lowest_offset(dims, np.radians(pose[f"foot_pitch_deg_{side}"])))
    hip_y = np.maximum(drops[0], drops[1])
    return PoseAngles(
        mid_hip=np.stack([np.zeros(n), hip_y, np.zeros(n)], -1),
        trunk_lean_deg=np.full(n, 3.0),
        shoulders_forward_m=np.zeros(n),
        head_forward_m=np.full(n, 0.02),
        **pose,
    )


def _to_world(sk: Skeleton, rot: Array, pos: Array) -> Skeleton:
    """Turn a body-frame skeleton by ``rot`` and move it to ``pos`` (n, 3) per frame."""
    joints = {}
    for name, v in sk.joints.items():
        v = v @ rot.T
        joints[name] = v if name.endswith(_DIRECTIONS) else v + pos
    return Skeleton(joints=joints, landmarks=sk.landmarks @ rot.T + pos[:, None, :])


def make_walker(p: JumpParams, cam: Camera, t_s: Array) -> Walker | None:
    """The second person of ``p`` (None when ``p.second_person == "none"``)."""
    if p.second_person == "none":
        return None
    dims = BodyDims.from_height(p.second_person_height_cm)
    n = len(t_s)
    fwd_h = cam.rot[2] * np.array([1.0, 0.0, 1.0])
    fwd_h /= np.linalg.norm(fwd_h)
    right_h = np.cross(fwd_h, [0.0, 1.0, 0.0])  # the camera's right on the floor
    right_h /= np.linalg.norm(right_h)
    base = fwd_h * p.second_person_depth_m
    if p.second_person == "passing":
        direction = -1.0 if p.second_person_lateral_m > 0 else 1.0  # walk toward the other side
        dist = np.maximum(0.0, t_s - p.second_person_start_s) * p.second_person_speed_m_s
        lateral = p.second_person_lateral_m + direction * dist
        facing = direction * right_h
        stride = 0.83 * dims.height_m * np.sqrt(p.second_person_speed_m_s / 1.3)
        phase = 2 * np.pi * dist / stride
        walking = np.clip(dist / 0.3, 0.0, 1.0)  # eases in over the first 0.3 m
    else:  # standing: facing roughly the camera, a slow weight shift
        lateral = np.full(n, p.second_person_lateral_m)
        facing = -fwd_h
        phase = np.zeros(n)
        walking = np.zeros(n)
    psi = float(np.arctan2(facing[0], facing[2]))
    rot = _rot_y(psi)
    sk = forward_kinematics(dims, _gait(dims, phase, walking))
    sway = 0.01 * np.sin(2 * np.pi * t_s / 4.0) * (p.second_person == "standing")
    pos = base[None, :] + lateral[:, None] * right_h[None, :] + sway[:, None] * right_h[None, :]
    look = p.replace(shirt_rgb=p.second_person_shirt_rgb, shorts_rgb=p.second_person_trousers_rgb, trousers=True,
                     shoe_rgb=(90, 90, 90))
    return Walker(look, dims, _to_world(sk, rot, pos), rot, p.second_person)
