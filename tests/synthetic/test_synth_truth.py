"""Determinism, touchdown angles, styles, faults, audio and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from synthetic.body import BodyDims
from synthetic.clip import build_scene
from synthetic.params import JumpParams
from synthetic.presets import small_params
from synthetic.render import rope_points
from synthetic.suite import FULL, QUICK
from synthetic.truth import RULES


def _frames(sc, k: int) -> list[np.ndarray]:
    out = []
    for i, img in enumerate(sc.frames()):
        if i >= k:
            break
        out.append(img)
    return out


def test_same_seed_same_frames_and_truth() -> None:
    p = small_params(n_jumps=2, noise_sigma=3.0, shake_px=2.0, background="noise")
    a, b = build_scene(p, seed=11), build_scene(p, seed=11)
    assert json.dumps(a.truth) == json.dumps(b.truth)
    assert np.array_equal(a.audio, b.audio)
    for fa, fb in zip(_frames(a, 6), _frames(b, 6)):
        assert np.array_equal(fa, fb)
    c = build_scene(p, seed=12)
    assert json.dumps(c.truth) != json.dumps(a.truth)
    assert not np.array_equal(_frames(c, 1)[0], _frames(a, 1)[0])


@pytest.mark.parametrize("knee", [150.0, 165.0, 178.0])
def test_knee_at_touchdown_equals_parameter(knee: float) -> None:
    # No jitter, 120 jumps/min at 30 fps: every landing falls exactly on a frame.
    sc = build_scene(small_params(knee_touchdown_deg=knee, height_jitter_frac=0.0), seed=0)
    fr = sc.truth["frames"]
    for j in sc.truth["jumps"]:
        assert j["knee_touchdown_deg"] == knee
        assert j["landing_frame"] / sc.truth["fps"] == pytest.approx(j["landing_s"], abs=1e-9)
        for s in ("left", "right"):
            assert fr[f"knee_angle_deg_{s}"][j["landing_frame"]] == pytest.approx(knee, abs=0.01)


def test_alternate_style_steps_one_foot_at_a_time(scene_cache) -> None:
    sc = scene_cache(style="alternate", cadence_jpm=150.0, jump_height_cm=8.0, n_jumps=6, height_jitter_frac=0.0)
    fr = sc.truth["frames"]
    feet = [j["foot"] for j in sc.truth["jumps"]]
    assert feet == ["right", "left"] * 3
    for j in sc.truth["jumps"]:
        step = np.array(fr[f"{j['foot']}_foot_clearance_cm"][j["takeoff_frame"]:j["landing_frame"]])
        other = "left" if j["foot"] == "right" else "right"
        still = np.array(fr[f"{other}_foot_clearance_cm"][j["takeoff_frame"]:j["landing_frame"]])
        assert step.min() > 0 and step.max() > 6.0
        assert still.max() < 1.5  # the support foot only hops as the rope passes


def _rope_below_feet(sc, frame: int) -> bool:
    dims = BodyDims.from_height(sc.params.standing_height_cm)
    rope = rope_points(sc.skeleton, dims, frame, float(sc.motion.rope_rad[frame]))
    bottom = rope[np.argmin(rope[:, 1])]
    feet_low = min(sc.skeleton.joints[f"{s}_{k}_sole"][frame, 1] for s in ("left", "right") for k in ("heel", "toe"))
    return bottom[1] < feet_low and abs(bottom[2]) < 0.25


@pytest.mark.parametrize("style,kw,passes", [
    ("two_foot", {}, 1),
    ("double_under", {"cadence_jpm": 75.0, "jump_height_cm": 16.0}, 2),
])
def test_rope_passes_under_feet_in_flight_and_over_head_in_contact(scene_cache, style, kw, passes) -> None:
    sc = scene_cache(style=style, fps=60.0, **kw)
    fr = sc.truth["frames"]
    fps = sc.truth["fps"]
    for j in sc.truth["jumps"]:
        assert j["rope_passes"] == passes and len(j["rope_pass_s"]) == passes
        for tp in j["rope_pass_s"]:
            f = int(round(tp * fps))
            assert fr["phase"][f] == "flight"
            assert _rope_below_feet(sc, f)
    jumps = sc.truth["jumps"]
    for a, b in zip(jumps[:-1], jumps[1:]):
        mid = (a["landing_frame"] + b["takeoff_frame"]) // 2
        ang = np.radians(fr["rope_angle_deg"][mid])
        assert -np.cos(ang) > 0.0  # rope in the upper half: behind, over or in front of the head


def test_feet_apart_offsets_touchdown() -> None:
    sc = build_scene(small_params(fps=120.0, lr_touchdown_offset_s=0.06, height_jitter_frac=0.0), seed=0)
    fr = sc.truth["frames"]
    for j in sc.truth["jumps"]:
        f = j["landing_frame"]
        assert fr["right_foot_clearance_cm"][f] == 0.0 and fr["left_foot_clearance_cm"][f] > 0.0
        left_land = next(k for k in range(f, len(fr["t_s"])) if fr["left_foot_clearance_cm"][k] == 0.0)
        assert (left_land - f) / 120.0 == pytest.approx(0.06, abs=1.5 / 120)
        assert j["touchdown_gap_s"] == pytest.approx(0.06)
    assert [f["rule"] for f in sc.truth["faults"]] == ["landing.feet_together"]


@pytest.mark.parametrize("landing,sign", [("forefoot", 1.0), ("heel", -1.0)])
def test_landing_foot_pitch(scene_cache, landing: str, sign: float) -> None:
    sc = scene_cache(landing=landing, height_jitter_frac=0.0)
    fr = sc.truth["frames"]
    for j in sc.truth["jumps"]:
        assert sign * fr["heel_minus_toe_height_cm_left"][j["landing_frame"]] > 1.0


def test_clean_clip_has_no_faults(scene_cache) -> None:
    assert scene_cache().truth["faults"] == []


FAULT_CASES = {
    "posture.trunk_upright": {"trunk_lean_deg": 17.0},
    "posture.head_forward": {"head_forward_cm": 10.0},
    # Neck flexion > 40 deg needs the head far forward: eyes-forward fails as well.
    "posture.shoulders_back": {"head_forward_cm": 25.0},
    "landing.balls_of_feet": {"landing": "heel"},
    "landing.knees_soft": {"knee_touchdown_deg": 178.0},
    "landing.jump_height": {"jump_height_cm": 10.0, "cadence_jpm": 100.0},
    "landing.feet_together": {"lr_touchdown_offset_s": 0.12},
    "arms.elbows_in": {"elbow_abduction_deg": 45.0},
    "arms.hands_hip_height": {"hand_height_cm": 25.0},
    "arms.wrist_rotation": {"turning": "shoulder", "shoulder_turning_cone_deg": 30.0},
    "core.trunk_steady": {"trunk_sway_deg": 9.0},
}


@pytest.mark.parametrize("rule", sorted(FAULT_CASES))
def test_each_fault_is_recorded_alone(scene_cache, rule: str) -> None:
    sc = scene_cache(**FAULT_CASES[rule])
    faults = {f["rule"]: f for f in sc.truth["faults"]}
    also = {"posture.head_forward"} if rule == "posture.shoulders_back" else set()
    assert set(faults) == {rule} | also
    f = faults[rule]
    assert f["clip_fault"] and not f["borderline"]
    assert sc.truth["rules"][rule]["fault"]
    assert 0 <= f["start_frame"] < f["end_frame"] < sc.truth["n_frames"]
    assert f["jumps"] and all(0 <= i < sc.params.n_jumps for i in f["jumps"])


def test_double_unders_are_exempt_from_jump_height(scene_cache) -> None:
    sc = scene_cache(style="double_under", cadence_jpm=75.0, jump_height_cm=16.0)
    assert sc.truth["faults"] == []


def test_audio_thumps_at_landings_with_loud_ones_louder() -> None:
    sc = build_scene(small_params(n_jumps=6, loud_landings=[2, 4], music=True), seed=5)
    audio = sc.truth["audio"]
    thumps = audio["thumps"]
    assert [t["jump"] for t in thumps] == list(range(6))
    for t, j in zip(thumps, sc.truth["jumps"]):
        assert t["t_s"] == pytest.approx(j["landing_s"], abs=1.0 / audio["sample_rate"])
        assert t["loud"] == (j["index"] in (2, 4))
    quiet = np.mean([t["peak_dbfs"] for t in thumps if not t["loud"]])
    loud = np.mean([t["peak_dbfs"] for t in thumps if t["loud"]])
    assert loud - quiet == pytest.approx(20 * np.log10(4.0), abs=1.5)
    k = int(thumps[2]["t_s"] * audio["sample_rate"])
    seg = sc.audio[k:k + 2000]
    assert 20 * np.log10(np.abs(seg).max()) == pytest.approx(thumps[2]["peak_dbfs"], abs=1.0)


def test_pauses_and_misses_stop_the_jumper() -> None:
    sc = build_scene(small_params(n_jumps=6, pauses=[[2, 1.0]], misses=[4]), seed=0)
    stands = {s["reason"]: s for s in sc.truth["stands"]}
    assert set(stands) == {"lead_in", "pause", "miss", "end"}
    fr = sc.truth["frames"]
    fps = sc.truth["fps"]
    for reason in ("pause", "miss"):
        s = stands[reason]
        a, b = int(np.ceil(s["start_s"] * fps)), int(s["end_s"] * fps)
        assert b - a >= int(0.8 * fps)
        assert set(fr["phase"][a:b]) == {"ground"}
    assert len(sc.truth["jumps"]) == 6


def test_params_validation_messages() -> None:
    with pytest.raises(ValueError, match="style must be one of"):
        JumpParams(style="criss_cross")
    with pytest.raises(ValueError, match="contact time"):
        JumpParams(jump_height_cm=30.0, cadence_jpm=200.0)
    with pytest.raises(ValueError, match="unknown JumpParams keys"):
        JumpParams.from_dict({"jump_hieght_cm": 3})


def test_suite_covers_views_styles_fps_aspects_and_every_fault() -> None:
    assert len(FULL) >= 24 and 5 <= len(QUICK) <= 8
    ps = [c.params() for c in QUICK + FULL]
    assert {p.view for p in ps} == {"front", "side", "oblique"}
    assert {p.style for p in ps} == {"two_foot", "alternate", "double_under"}
    assert {24.0, 30.0, 60.0, 120.0} <= {p.fps for p in ps}
    assert {p.aspect for p in ps} == {"landscape", "portrait"}
    covered = {r for c in QUICK + FULL for r in c.expected_faults}
    assert covered == set(RULES)
    assert len({c.name for c in QUICK + FULL}) == len(QUICK + FULL)
    for c in QUICK:
        p = c.params()
        assert p.fps in (30.0, 60.0) and p.frame_size[1] <= 400 and p.total_duration_s <= 5.0


def test_per_jump_overrides_fault_only_those_jumps() -> None:
    p = small_params(n_jumps=6, height_jitter_frac=0.0, jump_overrides=[
        {"jump": 2, "knee_touchdown_deg": 178.0}, {"jump": 3, "knee_touchdown_deg": 179.0},
        {"jump": 4, "height_cm": 9.0}, {"jump": 5, "landing": "heel"}])
    sc = build_scene(p, seed=0)
    jumps = sc.truth["jumps"]
    assert [j["knee_touchdown_deg"] for j in jumps] == [160.0, 160.0, 178.0, 179.0, 160.0, 160.0]
    assert jumps[4]["height_cm"] == pytest.approx(9.0)
    faults = {f["rule"]: f for f in sc.truth["faults"]}
    assert set(faults) == {"landing.knees_soft", "landing.jump_height", "landing.balls_of_feet"}
    assert faults["landing.balls_of_feet"]["jumps"] == [5] and faults["landing.balls_of_feet"]["value"] < -1.0
    assert faults["landing.knees_soft"]["jumps"] == [2, 3]
    assert faults["landing.jump_height"]["jumps"] == [4]
    fr = sc.truth["frames"]
    assert fr["heel_minus_toe_height_cm_left"][jumps[4]["landing_frame"]] > 1.0  # others land on the forefoot
    for j in jumps[:4]:  # 3 cm jumps at 120/min and 30 fps land exactly on frames
        assert fr["knee_angle_deg_left"][j["landing_frame"]] == pytest.approx(j["knee_touchdown_deg"], abs=0.01)
    with pytest.raises(ValueError, match="jump_overrides"):
        small_params(jump_overrides=[{"jump": 1, "knees": 170}])
