"""Ground truth of a synthetic clip, measured on the posed 3D figure.

Every per-frame quantity is computed from the 3D joints actually drawn (not copied from
the parameters), so the truth stays right even where a parameter could not be met
exactly. Fault verdicts use the analysis's own thresholds (``synthetic/faults.py``).

Times: every ``*_s`` is in VIDEO time (what a player and the analysis see), which is the
physical time stretched by ``slowmo_factor``; ``t_phys_s``, ``flight_phys_s`` and the
heights are physical.
"""

from __future__ import annotations

import numpy as np

from synthetic.body import BodyDims, Skeleton, angle_deg, vec_angle_deg
from synthetic.faults import RULES, faults_list, measure_rules
from synthetic.motion import MotionResult
from synthetic.params import JumpParams
from synthetic.render import Camera

SCHEMA = "jumprope-synthetic-truth/2"
CONTACT_TOL_M = 1e-5  # a foot within this of the floor counts as on the ground

__all__ = ["RULES", "SCHEMA", "faults_truth", "frame_truth", "jump_truth", "rule_truth"]


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
    n = len(motion.t_s)
    any_foot = motion.any_foot_flight if motion.any_foot_flight is not None else np.zeros(n, bool)
    airborne = np.where(any_foot, high, low) > 0
    if motion.hands_on_floor is not None:
        airborne &= ~motion.hands_on_floor
    out: dict = {
        "t_s": _r(np.arange(n) / p.fps, 6),
        "t_phys_s": _r(motion.t_s, 6),
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
    # The same angle as the analysis's: upper arm against the trunk axis (shoulders->hips).
    axis = J["mid_hip"] - J["mid_shoulder"]
    for s in ("left", "right"):
        out[f"upper_arm_trunk_angle_deg_{s}"] = _r(vec_angle_deg(J[f"{s}_elbow"] - J[f"{s}_shoulder"], axis))
    for s, sgn in (("left", 1.0), ("right", -1.0)):  # wrist outside its hip, frontal plane
        out[f"wrist_out_cm_{s}"] = _r((J[f"{s}_wrist"][:, 0] - J[f"{s}_hip"][:, 0]) * sgn * cm)
    trunk = J["mid_shoulder"] - J["mid_hip"]
    out["trunk_lean_deg"] = _r(np.degrees(np.arctan2(trunk[:, 2], trunk[:, 1])))
    out["trunk_side_tilt_deg"] = _r(np.degrees(np.arctan2(trunk[:, 0], trunk[:, 1])))
    # Side-view (sagittal) neck flexion: trunk line against the shoulder->ear line.
    neck = J["ear_mid"] - J["mid_shoulder"]
    out["neck_flexion_deg"] = _r(np.abs(np.degrees(np.arctan2(neck[:, 2], neck[:, 1])
                                               - np.arctan2(trunk[:, 2], trunk[:, 1]))))
    nose = sk.landmarks[:, 0]  # nose below the ear, side view (as the analysis's head pitch)
    out["head_pitch_deg"] = _r(np.degrees(np.arctan2(J["ear_mid"][:, 1] - nose[:, 1],
                                                     np.abs(nose[:, 2] - J["ear_mid"][:, 2]))))
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
    """Per-jump entries; frame indices taken from the per-frame phase, times in video time."""
    fps = p.physical_fps  # frames per physical second
    k = float(p.slowmo_factor)
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
            "takeoff_s": round(j.takeoff_s * k, 6), "apex_s": round(j.apex_s * k, 6), "landing_s": round(j.landing_s * k, 6),
            "height_cm": round(j.height_m * 100.0, 4), "flight_s": round(j.flight_s * k, 6),
            "flight_phys_s": round(j.flight_s, 6), "flight_frames": f1 - f0,
            "contact_s_before": round(j.contact_s_before * k, 6), "knee_touchdown_deg": round(kt, 3),
            "foot": j.foot, "style": j.style, "touchdown_gap_s": round(j.touchdown_gap_s * k, 6),
            "rope_passes": j.rope_passes, "rope_pass_s": [round(t * k, 6) for t in j.rope_pass_s],
        })
    return out


def rule_truth(p: JumpParams, dims: BodyDims, sk: Skeleton, motion: MotionResult, frames: dict,
               jumps: list[dict]) -> dict[str, dict]:
    """Every rule's verdict on the figure (``synthetic/faults.py``)."""
    return measure_rules(p, dims, sk, motion, frames, jumps)


def faults_truth(p: JumpParams, motion: MotionResult, frames: dict, jumps: list[dict],
                 rules: dict[str, dict] | None = None) -> list[dict]:
    """Faults the figure shows: every rule with at least one faulty jump (empty for a
    clean clip); ``clip_fault`` says whether enough jumps fail for a clip-level fault."""
    if not jumps or rules is None:
        return []
    start = max(jumps[0]["takeoff_frame"] - int(round(jumps[0]["contact_s_before"] * p.fps)), 0)
    end = len(frames["t_s"]) - 1
    return faults_list(rules, start, end)
