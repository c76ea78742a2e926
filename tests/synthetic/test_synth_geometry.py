"""Projection and physics of the synthetic renderer agree with the parameters."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.pose.landmarks import Landmark as L
from synthetic.body import BodyDims
from synthetic.clip import build_scene
from synthetic.params import G_M_S2, ROPE_OVER_HEIGHT_CM
from synthetic.presets import small_params
from synthetic.render import ROPE_FLOOR_M, rope_points


@pytest.mark.parametrize("yaw", [0.0, 90.0])
def test_standing_hip_projects_to_expected_pixel(yaw: float) -> None:
    h_cm = 175.0
    H = h_cm / 100
    # Camera level with its aim point (0.52 H) so the expected pixel is pure pinhole algebra.
    p = small_params(standing_height_cm=h_cm, knee_stand_deg=180.0, camera_yaw_deg=yaw,
                     camera_height_m=0.52 * H, camera_distance_m=4.0)
    sc = build_scene(p, seed=0)
    cam = sc.camera
    f = cam.focal_px
    hip_y = 0.530 * H  # Winter: hip (greater trochanter) height, straight legs, flat feet
    half = BodyDims.from_height(h_cm).hip_sep_m / 2
    lm = np.array(sc.truth["frames"]["landmarks_px"][0])
    for idx, x in ((L.LEFT_HIP, +half), (L.RIGHT_HIP, -half)):
        if yaw == 0.0:  # camera on +z looking at the jumper: jumper's left (+x) is image right
            depth, u = 4.0, cam.cx + f * x / 4.0
        else:  # camera on +x (jumper's left side): the hip sits on the optical axis column
            depth, u = 4.0 - x, cam.cx
        v = cam.cy - f * (hip_y - 0.52 * H) / depth
        assert lm[idx] == pytest.approx([u, v], abs=0.05), f"{idx.name} at yaw {yaw}"


@pytest.mark.parametrize("fps", [24.0, 30.0, 60.0, 120.0])
def test_flight_time_and_height_follow_ballistics(fps: float) -> None:
    p = small_params(fps=fps, n_jumps=5, jump_height_cm=4.0, height_jitter_frac=0.08)
    sc = build_scene(p, seed=3)
    fr = sc.truth["frames"]
    clear = np.array(fr["foot_clearance_cm"])
    phase = np.array(fr["phase"])
    assert set(phase[clear > 0]) == {"flight"} and set(phase[clear == 0]) == {"ground"}
    heights = []
    for j in sc.truth["jumps"]:
        t, h = j["flight_s"], j["height_cm"] / 100
        assert h == pytest.approx(G_M_S2 * t * t / 8, rel=1e-4)
        assert j["landing_s"] - j["takeoff_s"] == pytest.approx(t, abs=1e-5)
        n_flight = j["landing_frame"] - j["takeoff_frame"]
        assert abs(n_flight / fps - t) <= 1 / fps + 1e-9
        assert np.all(phase[j["takeoff_frame"]:j["landing_frame"]] == "flight")
        assert phase[j["takeoff_frame"] - 1] == "ground" and phase[j["landing_frame"]] == "ground"
        peak = clear[j["takeoff_frame"]:j["landing_frame"]].max() / 100
        half_frame = 0.5 / fps
        assert h - G_M_S2 / 2 * half_frame ** 2 - 1e-4 <= peak <= h + 1e-4
        heights.append(h)
    assert np.std(heights) > 0  # the seeded jitter varies the heights


def test_contact_phase_flexes_knee_deeper_than_touchdown() -> None:
    sc = build_scene(small_params(fps=60.0, height_jitter_frac=0.0, knee_touchdown_deg=160.0,
                                  knee_flex_depth_deg=15.0), seed=0)
    knee = np.array(sc.truth["frames"]["knee_angle_deg_left"])
    jumps = sc.truth["jumps"]
    for a, b in zip(jumps[:-1], jumps[1:]):
        contact = knee[a["landing_frame"]:b["takeoff_frame"]]
        assert contact.min() < 160.0 - 10.0 and contact.min() > 160.0 - 16.0
        assert contact[0] == pytest.approx(160.0, abs=1.5)


def test_truth_contract_keys_and_lengths(scene_cache) -> None:
    t = scene_cache()
    assert t.truth["schema"] == "jumprope-synthetic-truth/2"
    for k in ("params", "seed", "fps", "n_frames", "width", "height", "standing_height_cm", "view", "style",
              "movement", "true_count", "slowmo_factor", "frames", "jumps", "faults", "rules", "reps", "audio"):
        assert k in t.truth, k
    n = t.truth["n_frames"]
    keys = ["t_s", "t_phys_s", "phase", "foot_clearance_cm", "left_foot_clearance_cm", "right_foot_clearance_cm",
            "trunk_lean_deg", "trunk_side_tilt_deg", "neck_flexion_deg", "head_pitch_deg", "head_forward_cm",
            "landmarks_px"]
    for name in ("knee_angle_deg", "hip_angle_deg", "elbow_angle_deg", "upper_arm_abduction_deg",
                 "upper_arm_trunk_angle_deg", "wrist_out_cm", "wrist_height_above_hip_cm", "heel_minus_toe_height_cm"):
        keys += [f"{name}_left", f"{name}_right"]
    for k in keys:
        assert len(t.truth["frames"][k]) == n, k
    assert np.array(t.truth["frames"]["landmarks_px"]).shape == (n, 33, 2)
    j = t.truth["jumps"][0]
    assert set(j) >= {"index", "takeoff_frame", "apex_frame", "landing_frame", "takeoff_s", "apex_s", "landing_s",
                      "height_cm", "flight_s", "flight_phys_s", "flight_frames", "contact_s_before",
                      "knee_touchdown_deg", "foot", "style", "touchdown_gap_s", "rope_passes"}


def test_posture_angles_match_parameters(scene_cache) -> None:
    sc = scene_cache(trunk_lean_deg=7.0, head_forward_cm=4.0, elbow_abduction_deg=20.0, hand_height_cm=5.0)
    fr = sc.truth["frames"]
    assert np.allclose(fr["trunk_lean_deg"], 7.0, atol=1e-3)
    assert np.allclose(fr["head_forward_cm"], 4.0, atol=1e-3)
    for s in ("left", "right"):
        assert np.allclose(fr[f"upper_arm_abduction_deg_{s}"], 20.0, atol=1e-3)
        # Wrist circles (rope turning) of 3.5 cm radius about the requested height.
        w = np.array(fr[f"wrist_height_above_hip_cm_{s}"])
        assert abs(np.mean(w) - 5.0) < 2.0 and np.ptp(w) <= 7.5


def test_duration_and_shake_are_in_the_truth() -> None:
    p = small_params(n_jumps=3, pauses=[[1, 0.7]], misses=[2])
    sc = build_scene(p, seed=0)
    assert sc.truth["n_frames"] == int(np.floor(p.total_duration_s * p.fps)) + 1
    shaken = build_scene(p.replace(shake_px=3.0), seed=0)
    still = np.array(sc.truth["frames"]["landmarks_px"])
    moved = np.array(shaken.truth["frames"]["landmarks_px"])
    offs = moved - still
    assert np.allclose(offs, offs[:, :1, :], atol=0.02)  # one image translation per frame
    assert np.allclose(offs[:, 0, :], shaken.shake_px, atol=0.02)
    assert 1.5 < np.sqrt(np.mean(np.sum(shaken.shake_px ** 2, axis=1) / 2)) < 4.5


@pytest.mark.parametrize("h_cm,extra", [(120.0, {"head_height_frac": 0.16, "hip_height_frac": 0.48}), (150.0, {}),
                                        (170.0, {}), (200.0, {})])
def test_a_rope_sized_by_the_rule_clears_the_head_and_reaches_the_floor(h_cm: float, extra: dict) -> None:
    # The sizing rule (stature + 90 cm): over the head the loop clears the head top by the
    # 10-30 cm a real rope of that length does; at the bottom part of it lies on the floor.
    sc = build_scene(small_params(standing_height_cm=h_cm, **extra), seed=0)
    sk, dims, p = sc.skeleton, sc.dims, sc.params
    assert p.rope_length_m == pytest.approx((h_cm + ROPE_OVER_HEIGHT_CM) / 100.0)
    ground = [f for f, ph in enumerate(sc.truth["frames"]["phase"]) if ph == "ground"]
    for f in ground[::5]:
        top = sk.joints["head"][f, 1] + dims.head_radius_m
        over = rope_points(sk, dims, f, np.pi, p.rope_length_m)
        assert 0.10 <= over[:, 1].max() - top <= 0.30
        assert np.sum(np.linalg.norm(np.diff(over, axis=0), axis=1)) == pytest.approx(p.rope_length_m, abs=1e-5)
        under = rope_points(sk, dims, f, 0.0, p.rope_length_m)
        assert np.mean(under[:, 1] == ROPE_FLOOR_M) > 0.3


def test_a_longer_rope_makes_a_larger_loop() -> None:
    sc = build_scene(small_params(), seed=0)
    apex = [rope_points(sc.skeleton, sc.dims, 0, np.pi, cm / 100.0)[:, 1].max() for cm in (230.0, 260.0, 290.0)]
    assert apex[0] < apex[1] < apex[2]
    assert apex[2] - apex[0] == pytest.approx(0.30, abs=0.03)  # ~ half the added length on each side


def test_rope_length_must_let_the_rope_pass_over_the_head_and_under_the_feet() -> None:
    with pytest.raises(ValueError, match="rope_length_cm"):
        small_params(standing_height_cm=170.0, rope_length_cm=150.0)
    assert small_params(rope_length_cm=250.0).rope_length_m == pytest.approx(2.5)
