"""Named parameter sets (overrides of the ``JumpParams`` defaults)."""

from __future__ import annotations

PRESETS: dict[str, dict] = {
    "clean_front": {},
    "clean_side": {"camera_yaw_deg": 90.0},
    "clean_oblique": {"camera_yaw_deg": 45.0},
    "alternate_front": {"style": "alternate", "cadence_jpm": 150.0, "jump_height_cm": 8.0},
    "double_under_side": {"style": "double_under", "cadence_jpm": 75.0, "jump_height_cm": 16.0,
                          "camera_yaw_deg": 90.0},
    "faults_side": {"camera_yaw_deg": 90.0, "trunk_lean_deg": 16.0, "landing": "heel",
                    "knee_touchdown_deg": 178.0, "knee_flex_depth_deg": 6.0, "head_forward_cm": 8.0},
    "faults_front_arms": {"elbow_abduction_deg": 45.0, "hand_height_cm": 22.0, "turning": "shoulder"},
    "faults_front_landing": {"lr_touchdown_offset_s": 0.08, "jump_height_cm": 9.0, "cadence_jpm": 100.0},
    "sway_oblique": {"camera_yaw_deg": 45.0, "trunk_sway_deg": 7.0, "shoulders_forward_cm": 5.0},
    "portrait_phone": {"aspect": "portrait", "camera_distance_m": 3.0, "shake_px": 2.0, "noise_sigma": 3.0},
}


#: A short, small, noise-free clip (tests and quick checks).
SMALL: dict = {"resolution_p": 360, "lead_in_s": 0.5, "end_stand_s": 0.3, "n_jumps": 4, "noise_sigma": 0.0}


def small_params(**overrides):
    """``JumpParams`` of a short small clip with ``overrides`` applied."""
    from synthetic.params import JumpParams

    return JumpParams.from_dict({**SMALL, **overrides})
