"""Ground truth of a synthetic clip, measured on the posed 3D figure.

Every per-frame quantity is computed from the 3D joints actually drawn (not copied from
the parameters), so the truth stays right even where a parameter could not be met
exactly. Fault thresholds are the ``*_MAX``/``*_MIN`` constants below.
"""

from __future__ import annotations

import numpy as np

from synthetic.body import BodyDims, Skeleton, angle_deg, vec_angle_deg
from synthetic.motion import MotionResult
from synthetic.params import JumpParams
from synthetic.render import Camera

SCHEMA = "jumprope-synthetic-truth/1"
CONTACT_TOL_M = 1e-5  # a foot within this of the floor counts as on the ground

# Fault thresholds (what counts as injected).
TRUNK_LEAN_MAX_DEG = 10.0
HEAD_FORWARD_MAX_CM = 5.0
SHOULDERS_FORWARD_MAX_CM = 3.0
KNEE_LOCKED_MIN_DEG = 170.0
JUMP_HEIGHT_MAX_CM = 5.0
FEET_GAP_MAX_S = 0.05
FEET_GAP_MAX_FRAMES = 1.5
ABDUCTION_MAX_DEG = 30.0
HAND_HEIGHT_MAX_CM = 15.0
TRUNK_SWAY_MAX_DEG = 3.0

RULES = (
    "posture.trunk_upright", "posture.head_forward", "posture.shoulders_back", "landing.balls_of_feet",
    "landing.knees_soft", "landing.jump_height", "landing.feet_together", "arms.elbows_in",
    "arms.hands_hip_height", "arms.wrist_rotation", "core.trunk_steady",
)


def _r(a: np.ndarray, nd: int = 3) -> list:
    return np.round(np.asarray(a, float), nd).tolist()


def frame_truth(p: JumpParams, dims: BodyDims, sk: Skeleton, motion: MotionResult, cam: Camera,
                shake_px: np.ndarray) -> dict:
    """Per-frame arrays of the truth JSON (``frames``)."""
    J = sk.joints
    cm = 100.0
    clear = {s: np.minimum(J[f"{s}_heel_sole"][:, 1], J[f"{s}_toe_sole"][:, 1]) for s in ("left", "right")}
    clear = {s: np.where(c < CONTACT_TOL_M, 0.0, c) for s, c in clear.items()}
    low = np.minimum(clear["left"], clear["right"])
    high = np.maximum(clear["left"], clear["right"])
    airborne = (high if p.style == "alternate" else low) > 0
    out: dict = {
        "t_s": _r(motion.t_s, 6),
        "phase": ["flight" if a else "ground" for a in airborne],
        "foot_clearance_cm": _r(low * cm),
        "left_foot_clearance_cm": _r(clear["left"] * cm),
        "right_foot_clearance_cm": _r(clear["right"] * cm),
    }
    for s in ("left", "right"):
        out[f"knee_angle_deg_{s}"] = _r(angle_deg(J[f"{s}_hip"], J[f"{s}_knee"], J[f"{s}_ankle"]))
    for s in ("left", "right"):
        out[f"hip_angle_deg_{s}"] = _r(angle_deg(J[f"{s}_shoulder"], J[f"{s}_hip"], J[f"{s}_knee"]))
    for s in ("left", "right"):
        out[f"elbow_angle_deg_{s}"] = _r(angle_deg(J[f"{s}_shoulder"], J[f"{s}_elbow"], J[f"{s}_wrist"]))
    for s in ("left", "right"):
        out[f"upper_arm_abduction_deg_{s}"] = _r(vec_angle_deg(J[f"{s}_elbow"] - J[f"{s}_shoulder"],
                                                                J[f"{s}_hip"] - J[f"{s}_shoulder"]))
    trunk = J["mid_shoulder"] - J["mid_hip"]
    out["trunk_lean_deg"] = _r(np.degrees(np.arctan2(trunk[:, 2], trunk[:, 1])))
    out["head_forward_cm"] = _r((J["ear_mid"][:, 2] - J["mid_shoulder"][:, 2]) * cm)
    out["shoulders_forward_cm"] = _r(motion.pose.shoulders_forward_m * cm)
    for s in ("left", "right"):
        out[f"wrist_height_above_hip_cm_{s}"] = _r((J[f"{s}_wrist"][:, 1] - J[f"{s}_hip"][:, 1]) * cm)
    for s in ("left", "right"):
        out[f"heel_minus_toe_height_cm_{s}"] = _r((J[f"{s}_heel_sole"][:, 1] - J[f"{s}_toe_sole"][:, 1]) * cm)
    out["rope_angle_deg"] = _r(np.degrees(motion.rope_rad) % 360.0, 2)
    px, _ = cam.project(sk.landmarks)
    px = px + shake_px[:, None, :]
    out["landmarks_px"] = np.round(px, 2).tolist()
    return out


def jump_truth(p: JumpParams, motion: MotionResult, frames: dict) -> list[dict]:
    """Per-jump entries; frame indices taken from the per-frame phase."""
    fps = p.fps
    phase = np.array([ph == "flight" for ph in frames["phase"]])
    n = len(phase)
    out = []
    for j in motion.timeline.jumps:
        f0 = min(max(int(np.ceil(j.takeoff_s * fps - 1e-9)), 0), n - 1)
        f_land = min(int(np.ceil(j.landing_s * fps - 1e-9)), n - 1)
        while f0 < f_land and not phase[f0]:
            f0 += 1
        if not phase[f0]:  # a flight shorter than a frame: no frame shows it
            f0 = f_land
        f1 = f0
        while f1 < n and phase[f1]:
            f1 += 1
        apex = int(round(j.apex_s * fps))
        kt = j.knee_touchdown_deg
        out.append({
            "index": j.index,
            "takeoff_frame": f0, "apex_frame": apex, "landing_frame": f1,
            "takeoff_s": round(j.takeoff_s, 6), "apex_s": round(j.apex_s, 6), "landing_s": round(j.landing_s, 6),
            "height_cm": round(j.height_m * 100.0, 4), "flight_s": round(j.flight_s, 6),
            "contact_s_before": round(j.contact_s_before, 6), "knee_touchdown_deg": round(kt, 3),
            "foot": j.foot, "touchdown_gap_s": round(j.touchdown_gap_s, 6), "rope_passes": j.rope_passes,
            "rope_pass_s": [round(t, 6) for t in j.rope_pass_s],
        })
    return out


def faults_truth(p: JumpParams, motion: MotionResult, frames: dict, jumps: list[dict]) -> list[dict]:
    """Faults injected by the parameters (empty for a clean clip)."""
    if not jumps:
        return []
    all_idx = [j["index"] for j in jumps]
    start = max(jumps[0]["takeoff_frame"] - int(round(jumps[0]["contact_s_before"] * p.fps)), 0)
    end = min(jumps[-1]["landing_frame"] + int(round(0.8 * p.period_s * p.fps)), len(frames["t_s"]) - 1)
    faults: list[dict] = []

    def add(rule: str, value: float, idx: list[int] | None = None, f0: int | None = None, f1: int | None = None):
        faults.append({"rule": rule, "start_frame": int(start if f0 is None else f0),
                       "end_frame": int(end if f1 is None else f1), "jumps": idx if idx is not None else all_idx,
                       "value": round(float(value), 3)})

    win = slice(start, end + 1)
    lean = np.array(frames["trunk_lean_deg"][win])
    if p.trunk_lean_deg > TRUNK_LEAN_MAX_DEG:
        add("posture.trunk_upright", float(np.mean(lean)))
    if p.head_forward_cm > HEAD_FORWARD_MAX_CM:
        add("posture.head_forward", float(np.mean(frames["head_forward_cm"][win])))
    if p.shoulders_forward_cm > SHOULDERS_FORWARD_MAX_CM:
        add("posture.shoulders_back", p.shoulders_forward_cm)
    heel = [j for j, ev in zip(jumps, motion.timeline.jumps) if ev.landing == "heel"]
    if heel:
        vals = []
        for j in heel:
            s = "right" if j["foot"] == "both" else j["foot"]
            vals.append(frames[f"heel_minus_toe_height_cm_{s}"][min(j["landing_frame"], len(frames["t_s"]) - 1)])
        add("landing.balls_of_feet", float(np.mean(vals)), [j["index"] for j in heel])
    locked = [j for j in jumps if j["knee_touchdown_deg"] >= KNEE_LOCKED_MIN_DEG]
    if locked:
        add("landing.knees_soft", float(np.mean([j["knee_touchdown_deg"] for j in locked])), [j["index"] for j in locked])
    if p.style == "two_foot":  # alternate: the lowest foot only hops; double-unders jump high
        high = [j for j in jumps if j["height_cm"] > JUMP_HEIGHT_MAX_CM]
        if high:
            add("landing.jump_height", float(np.max([j["height_cm"] for j in high])), [j["index"] for j in high])
    gap = abs(p.lr_touchdown_offset_s)
    if p.style != "alternate" and (gap >= FEET_GAP_MAX_S or gap * p.fps > FEET_GAP_MAX_FRAMES):
        add("landing.feet_together", gap)
    abd = np.concatenate([np.array(frames[f"upper_arm_abduction_deg_{s}"][win]) for s in ("left", "right")])
    if p.elbow_abduction_deg > ABDUCTION_MAX_DEG:
        add("arms.elbows_in", float(np.mean(abd)))
    if abs(p.hand_height_cm) > HAND_HEIGHT_MAX_CM:
        wr = np.concatenate([np.array(frames[f"wrist_height_above_hip_cm_{s}"][win]) for s in ("left", "right")])
        add("arms.hands_hip_height", float(np.mean(wr)))
    if p.turning == "shoulder":
        add("arms.wrist_rotation", float(np.ptp(abd)))
    if p.trunk_sway_deg > TRUNK_SWAY_MAX_DEG:
        add("core.trunk_steady", float(np.ptp(lean) / 2))
    return faults
