"""Articulated 3D figure: anthropometric dimensions and forward kinematics.

World frame (metres): the jumper stands at the origin facing **+z**; **+y** is up with
the ground at y = 0; **+x** is the jumper's own **left** (right-handed: x = left,
y = up, z = forward). All joint arrays have shape ``(n_frames, 3)``.

Segment lengths are fractions of standing height H after the figure of
Drillis & Contini (1966) as reproduced in D. A. Winter, *Biomechanics and Motor
Control of Human Movement*, 4th ed. (2009), Fig. 4.1: shoulder height 0.818 H,
hip (greater trochanter) 0.530 H, knee 0.285 H, ankle 0.039 H, upper arm 0.186 H,
forearm 0.146 H, hand 0.108 H, foot length 0.152 H, foot width 0.055 H,
shoulder width 0.259 H, hip width 0.191 H, chin 0.870 H. Joint-centre spacings
(hip joints, shoulder joints) are narrower than the outer breadths; the factors used
are given beside each field.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.pose.landmarks import N_LANDMARKS, Landmark

Array = np.ndarray


@dataclass(frozen=True)
class BodyDims:
    """Segment lengths (metres) of a figure of standing height ``height_m``."""

    height_m: float
    hip_height_m: float  # 0.530 H (greater trochanter ~ hip joint)
    thigh_m: float  # 0.530 H - 0.285 H = 0.245 H
    shank_m: float  # 0.285 H - 0.039 H = 0.246 H
    ankle_height_m: float  # 0.039 H (ankle above the sole)
    foot_length_m: float  # 0.152 H
    foot_width_m: float  # 0.055 H
    trunk_m: float  # hip to shoulder: 0.818 H - 0.530 H = 0.288 H
    upper_arm_m: float  # 0.186 H
    forearm_m: float  # 0.146 H
    hand_m: float  # 0.108 H
    shoulder_sep_m: float  # 0.259 H outer breadth -> ~0.80 of it between joint centres
    hip_sep_m: float  # 0.191 H outer breadth -> ~0.62 of it between joint centres
    ear_above_shoulder_m: float  # ear ~0.93 H -> 0.112 H above the shoulder
    head_radius_m: float  # (1.0 H - 0.870 H) / 2 = 0.065 H vertical semi-axis

    @classmethod
    def from_height(cls, height_cm: float, head_height_frac: float = 0.130,
                    hip_height_frac: float = 0.530) -> "BodyDims":
        """Dimensions for a standing height; the defaults are the adult figure above.

        Children have a larger head and shorter legs for their height (see
        ``synthetic/randomise_capture.py`` for the sources): ``head_height_frac`` is the
        vertex-to-chin height and ``hip_height_frac`` the hip-joint height, both as
        fractions of standing height. The neck (chin to shoulder, 0.052 H) is kept; the
        trunk takes up the rest; thigh and shank share the leg's change in proportion
        to their adult lengths; the ear stays at 46 % of the head height above the chin.
        Each length is the adult value plus a change that is exactly zero for the
        defaults, so the adult figure is unchanged to the last bit.
        """
        if not 100.0 <= height_cm <= 230.0:
            raise ValueError(f"standing height must be 100..230 cm, got {height_cm!r}")
        if not (0.10 <= head_height_frac <= 0.20 and 0.45 <= hip_height_frac <= 0.56):
            raise ValueError(f"head_height_frac must be 0.10..0.20 and hip_height_frac 0.45..0.56, got "
                             f"{head_height_frac!r}, {hip_height_frac!r}")
        h = height_cm / 100.0
        d_head = head_height_frac - 0.130  # 0.0 exactly for the adult figure
        d_hip = hip_height_frac - 0.530
        leg = 0.530 - 0.039  # hip joint to ankle, adult
        return cls(
            height_m=h,
            hip_height_m=0.530 * h + d_hip * h,
            thigh_m=0.245 * h + d_hip * (0.245 / leg) * h,
            shank_m=0.246 * h + d_hip * (0.246 / leg) * h,
            ankle_height_m=0.039 * h,
            foot_length_m=0.152 * h,
            foot_width_m=0.055 * h,
            trunk_m=0.288 * h - (d_head + d_hip) * h,
            upper_arm_m=0.186 * h,
            forearm_m=0.146 * h,
            hand_m=0.108 * h,
            shoulder_sep_m=0.80 * 0.259 * h,
            hip_sep_m=0.62 * 0.191 * h,
            ear_above_shoulder_m=0.112 * h + 0.46 * d_head * h,
            head_radius_m=0.065 * h + 0.5 * d_head * h,
        )

    # Foot geometry in the foot frame (origin at the ankle joint, +z toe-ward, +y up).
    @property
    def heel_back_m(self) -> float:
        """Horizontal distance from the ankle joint back to the heel's sole point."""
        return 0.22 * self.foot_length_m

    @property
    def toe_front_m(self) -> float:
        """Horizontal distance from the ankle joint forward to the toe's sole point."""
        return 0.78 * self.foot_length_m


def foot_sole_points(dims: BodyDims, pitch_rad: Array) -> tuple[Array, Array]:
    """(y, z) offsets of the heel and toe sole points from the ankle for a foot pitch.

    ``pitch_rad`` > 0 raises the heel (plantar flexion, toe down). Returns two arrays of
    shape (n, 2) holding (dy, dz) for the heel and for the toe.
    """
    p = np.asarray(pitch_rad, dtype=float)
    c, s = np.cos(p), np.sin(p)
    ya = -dims.ankle_height_m

    def rot(z: float) -> Array:
        return np.stack([ya * c - z * s, z * c + ya * s], axis=-1)

    return rot(-dims.heel_back_m), rot(dims.toe_front_m)


def foot_lowest_offset(dims: BodyDims, pitch_rad: Array) -> Array:
    """Height of the foot's lowest sole point relative to the ankle joint (negative)."""
    heel, toe = foot_sole_points(dims, pitch_rad)
    return np.minimum(heel[..., 0], toe[..., 0])


def leg_length_vertical(dims: BodyDims, knee_deg: Array) -> Array:
    """Hip-to-ankle distance for an interior knee angle (law of cosines)."""
    k = np.radians(np.asarray(knee_deg, dtype=float))
    t, s = dims.thigh_m, dims.shank_m
    return np.sqrt(np.maximum(t * t + s * s - 2 * t * s * np.cos(k), 1e-12))


def leg_ik(dims: BodyDims, vertical_m: Array, forward_m: Array) -> tuple[Array, Array]:
    """Thigh angle from vertical (forward +) and interior knee angle, both degrees,
    for an ankle ``vertical_m`` below and ``forward_m`` ahead of the hip joint.

    The knee bends forward (in front of the hip-ankle line). Unreachable targets
    are clamped to a straight leg.
    """
    v = np.asarray(vertical_m, dtype=float)
    f = np.asarray(forward_m, dtype=float)
    t, s = dims.thigh_m, dims.shank_m
    d = np.clip(np.hypot(v, f), abs(t - s) + 1e-6, t + s - 1e-9)
    cos_k = np.clip((t * t + s * s - d * d) / (2 * t * s), -1.0, 1.0)
    knee = np.degrees(np.arccos(cos_k))
    cos_h = np.clip((t * t + d * d - s * s) / (2 * t * d), -1.0, 1.0)
    line = np.degrees(np.arctan2(f, v))  # hip->ankle line from vertical, forward +
    thigh = line + np.degrees(np.arccos(cos_h))
    return thigh, knee


@dataclass
class PoseAngles:
    """Per-frame driving variables of the figure (arrays of length n_frames).

    Angles are degrees; positions metres. ``*_dir`` arrays are unit vectors (n, 3) in the
    world frame.
    """

    mid_hip: Array  # (n,3) pelvis centre
    trunk_lean_deg: Array  # forward tilt of the trunk about the hips
    shoulders_forward_m: Array  # shoulder joints moved forward of the trunk line
    head_forward_m: Array  # ear midpoint ahead of the shoulder midpoint (horizontal)
    thigh_deg_left: Array
    thigh_deg_right: Array
    knee_deg_left: Array
    knee_deg_right: Array
    foot_pitch_deg_left: Array
    foot_pitch_deg_right: Array
    upper_arm_dir_left: Array
    upper_arm_dir_right: Array
    forearm_dir_left: Array
    forearm_dir_right: Array
    # Optional degrees of freedom (None = 0, and the figure is placed exactly as before
    # they existed): legs swung out of the sagittal plane at the hip (abduction, +
    # outward), the trunk tilted sideways (+ toward the jumper's left) and the head
    # pitched forward (+ chin down, e.g. following the trunk into a plank).
    leg_abduction_deg_left: Array | None = None
    leg_abduction_deg_right: Array | None = None
    trunk_side_deg: Array | None = None
    head_pitch_deg: Array | None = None

    def __post_init__(self) -> None:
        n = len(self.mid_hip)
        for name, val in vars(self).items():
            if val is None:
                continue
            arr = np.asarray(val, dtype=float)
            setattr(self, name, arr)
            if arr.shape[0] != n:
                raise ValueError(f"PoseAngles.{name}: expected {n} frames, got shape {arr.shape}")


@dataclass
class Skeleton:
    """3D joint and surface points of the posed figure, each (n, 3) metres."""

    joints: dict[str, Array]
    landmarks: Array  # (n, 33, 3) in MediaPipe order

    @property
    def n_frames(self) -> int:
        return int(self.landmarks.shape[0])


def _unit(v: Array) -> Array:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def forward_kinematics(dims: BodyDims, pose: PoseAngles) -> Skeleton:
    """Place every joint from the pose angles (forward kinematics)."""
    n = len(pose.mid_hip)
    ex = np.tile([1.0, 0.0, 0.0], (n, 1))  # jumper's left
    lam = np.radians(pose.trunk_lean_deg)
    if pose.trunk_side_deg is None:
        up_t = np.stack([np.zeros(n), np.cos(lam), np.sin(lam)], axis=1)
        fwd_t = np.stack([np.zeros(n), -np.sin(lam), np.cos(lam)], axis=1)
        ex_t = ex
    else:  # lean about the jumper's left-right axis, then tilt about the forward axis
        up_t, fwd_t, ex_t = trunk_axes(lam, np.radians(pose.trunk_side_deg))
    hip_c = pose.mid_hip
    sh_c = hip_c + dims.trunk_m * up_t + pose.shoulders_forward_m[:, None] * fwd_t
    j: dict[str, Array] = {"mid_hip": hip_c, "mid_shoulder": sh_c}
    # Shoulders: protraction also narrows them slightly.
    half_sh = dims.shoulder_sep_m / 2 - 0.3 * pose.shoulders_forward_m
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        j[f"{side}_shoulder"] = sh_c + sgn * half_sh[:, None] * ex_t
        j[f"{side}_hip"] = hip_c + sgn * dims.hip_sep_m / 2 * ex
    # Neck and head: ear midpoint placed head_forward ahead of the shoulder midpoint.
    # Horizontal offset from the shoulder midpoint (not along the leaning trunk); a
    # pitched head (``head_pitch_deg``) turns these offsets with it.
    rot = None if pose.head_pitch_deg is None else pitch_matrices(np.radians(pose.head_pitch_deg))

    def hv(v: list[float]) -> Array:
        return np.array(v) if rot is None else rot @ np.array(v)

    if rot is None:
        ear_mid = sh_c + np.stack([np.zeros(n), np.full(n, dims.ear_above_shoulder_m), pose.head_forward_m], axis=1)
    else:
        ear_off = np.stack([np.zeros(n), np.full(n, dims.ear_above_shoulder_m), pose.head_forward_m], axis=1)
        ear_mid = sh_c + np.einsum("nij,nj->ni", rot, ear_off)
        j["head_rot"] = rot
    r = dims.head_radius_m
    head_c = ear_mid + hv([0.0, 0.15 * r, 0.12 * r])
    j["ear_mid"] = ear_mid
    j["head"] = head_c
    j["neck_base"] = sh_c + 0.03 * dims.height_m * up_t
    j["neck_top"] = head_c + hv([0.0, -0.65 * r, -0.15 * r])
    h = dims.height_m
    lm = np.zeros((n, N_LANDMARKS, 3))
    L = Landmark
    lm[:, L.NOSE] = head_c + hv([0.0, -0.18 * r, 0.98 * r])
    for side, sgn in (("LEFT", 1.0), ("RIGHT", -1.0)):
        lm[:, L[f"{side}_EYE_INNER"]] = head_c + hv([sgn * 0.17 * r, 0.12 * r, 0.76 * r])
        lm[:, L[f"{side}_EYE"]] = head_c + hv([sgn * 0.30 * r, 0.12 * r, 0.70 * r])
        lm[:, L[f"{side}_EYE_OUTER"]] = head_c + hv([sgn * 0.43 * r, 0.12 * r, 0.60 * r])
        lm[:, L[f"{side}_EAR"]] = ear_mid + hv([sgn * 0.74 * r, 0.0, 0.0])
        lm[:, L[f"MOUTH_{side}"]] = head_c + hv([sgn * 0.20 * r, -0.52 * r, 0.70 * r])
    # Limbs.
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        S = side.upper()
        sh = j[f"{side}_shoulder"]
        elbow = sh + dims.upper_arm_m * _unit(getattr(pose, f"upper_arm_dir_{side}"))
        fdir = _unit(getattr(pose, f"forearm_dir_{side}"))
        wrist = elbow + dims.forearm_m * fdir
        # Hand frame: along the forearm, palm facing inward (-sgn x), thumb up.
        thumb_up = _unit(np.cross(fdir, sgn * ex) * -1.0)
        thumb_up = np.where(thumb_up[:, 1:2] < 0, -thumb_up, thumb_up)
        inward = -sgn * _unit(np.cross(thumb_up, fdir))  # toward the body midline
        knuckles = wrist + 0.55 * dims.hand_m * fdir
        j[f"{side}_elbow"], j[f"{side}_wrist"] = elbow, wrist
        j[f"{side}_hand"] = knuckles
        j[f"{side}_hand_up"] = thumb_up
        j[f"{side}_hand_in"] = inward
        lm[:, L[f"{S}_SHOULDER"]] = sh
        lm[:, L[f"{S}_ELBOW"]] = elbow
        lm[:, L[f"{S}_WRIST"]] = wrist
        # Fist around a vertical handle: index knuckle on top, pinky knuckle below,
        # thumb wrapped over the top toward the inside.
        hl = dims.hand_m
        lm[:, L[f"{S}_INDEX"]] = wrist + 0.50 * hl * fdir + 0.12 * hl * thumb_up
        lm[:, L[f"{S}_PINKY"]] = wrist + 0.45 * hl * fdir - 0.22 * hl * thumb_up
        lm[:, L[f"{S}_THUMB"]] = wrist + 0.40 * hl * fdir + 0.22 * hl * thumb_up + 0.10 * hl * inward
        # Leg in the sagittal plane (legs parallel, feet under the hip joints).
        hip = j[f"{side}_hip"]
        a = np.radians(getattr(pose, f"thigh_deg_{side}"))
        kappa = np.radians(getattr(pose, f"knee_deg_{side}"))
        b = a - (np.pi - kappa)
        abd = getattr(pose, f"leg_abduction_deg_{side}")
        if abd is None:
            knee = hip + dims.thigh_m * np.stack([np.zeros(n), -np.cos(a), np.sin(a)], axis=1)
            ankle = knee + dims.shank_m * np.stack([np.zeros(n), -np.cos(b), np.sin(b)], axis=1)
        else:  # the leg's plane turned about the forward axis through the hip (foot stays level)
            th = sgn * np.radians(abd)
            knee = hip + dims.thigh_m * np.stack([np.cos(a) * np.sin(th), -np.cos(a) * np.cos(th), np.sin(a)], axis=1)
            ankle = knee + dims.shank_m * np.stack([np.cos(b) * np.sin(th), -np.cos(b) * np.cos(th), np.sin(b)], axis=1)
        p = np.radians(getattr(pose, f"foot_pitch_deg_{side}"))
        heel, toe = foot_sole_points(dims, p)
        heel3 = ankle + np.stack([np.zeros(n), heel[:, 0], heel[:, 1]], axis=1)
        toe3 = ankle + np.stack([np.zeros(n), toe[:, 0], toe[:, 1]], axis=1)
        j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ankle
        j[f"{side}_heel_sole"], j[f"{side}_toe_sole"] = heel3, toe3
        up_f = np.stack([np.zeros(n), np.cos(p), np.sin(p)], axis=1)  # foot's up axis
        j[f"{side}_foot_up"] = up_f
        lm[:, L[f"{S}_HIP"]] = hip
        lm[:, L[f"{S}_KNEE"]] = knee
        lm[:, L[f"{S}_ANKLE"]] = ankle
        lm[:, L[f"{S}_HEEL"]] = heel3 + 0.35 * dims.ankle_height_m * up_f
        lm[:, L[f"{S}_FOOT_INDEX"]] = toe3 + 0.35 * dims.ankle_height_m * up_f
    return Skeleton(joints=j, landmarks=lm)


def trunk_axes(lean_rad: Array, side_rad: Array) -> tuple[Array, Array, Array]:
    """Trunk up, forward and left axes (each (n, 3)) for a forward lean and a sideways
    tilt (+ toward the jumper's left): the lean about the left-right axis, then the tilt
    about the world's forward axis."""
    cl, sl = np.cos(lean_rad), np.sin(lean_rad)
    cs, ss = np.cos(side_rad), np.sin(side_rad)
    up = np.stack([cl * ss, cl * cs, sl], axis=1)
    fwd = np.stack([-sl * ss, -sl * cs, cl], axis=1)
    left = np.stack([cs, -ss, np.zeros_like(cs)], axis=1)
    return up, fwd, left


def pitch_matrices(pitch_rad: Array) -> Array:
    """(n, 3, 3) rotations about the jumper's left-right axis turning up toward forward."""
    c, s = np.cos(pitch_rad), np.sin(pitch_rad)
    z, o = np.zeros_like(c), np.ones_like(c)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], axis=1)


def angle_deg(a: Array, b: Array, c: Array) -> Array:
    """Interior angle at ``b`` of the 3D triangle a-b-c, degrees (per frame)."""
    u, v = _unit(a - b), _unit(c - b)
    return np.degrees(np.arccos(np.clip(np.sum(u * v, axis=-1), -1.0, 1.0)))


def vec_angle_deg(u: Array, v: Array) -> Array:
    """Angle between two vectors (per frame), degrees."""
    return np.degrees(np.arccos(np.clip(np.sum(_unit(u) * _unit(v), axis=-1), -1.0, 1.0)))
