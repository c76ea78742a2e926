"""No-rope movements, boxer step, mixed styles, slow motion and the end-of-skipping miss:
truth consistency, ballistic flights, determinism (no MediaPipe)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from synthetic.body import BodyDims, forward_kinematics
from synthetic.clip import build_scene
from synthetic.movements import BUILDERS, RANGES, make_movement
from synthetic.params import G_M_S2, MOVEMENTS, JumpParams
from synthetic.presets import small_params

NO_ROPE = [m for m in MOVEMENTS if m != "skipping"]
REPS = {"burpees": 2, "squats": 2, "tuck_jumps": 3, "skater": 4}


def _movement(m: str, seed: int = 0, **kw):
    return build_scene(small_params(movement=m, reps=REPS.get(m, 5), **kw), seed)


@pytest.fixture(scope="module")
def movement_scenes() -> dict:
    return {m: _movement(m) for m in NO_ROPE}


def test_every_builder_is_a_movement_with_ranges() -> None:
    assert set(BUILDERS) == set(NO_ROPE) == set(RANGES)


@pytest.mark.parametrize("m", NO_ROPE)
def test_no_rope_movement_counts_zero_and_lists_its_repetitions(movement_scenes, m: str) -> None:
    sc = movement_scenes[m]
    t = sc.truth
    assert t["movement"] == m and t["style"] == "none"
    assert t["true_count"] == 0 and t["jumps"] == [] and t["faults"] == []
    assert not any(r["applies"] or r["fault"] for r in t["rules"].values())
    reps = t["reps"]
    assert len(reps) == sc.params.reps
    starts = [r["start_s"] for r in reps]
    assert starts == sorted(starts) and 0.0 < starts[0] and reps[-1]["end_s"] < t["duration_s"]
    assert not sc.params.has_rope and not sc.params.has_handles


@pytest.mark.parametrize("m", NO_ROPE)
def test_movement_is_physical(movement_scenes, m: str) -> None:
    """Flights ballistic under g (the pelvis), feet never below the floor, every foot
    target reachable (planted feet stay where they were put), flight phases only when
    no foot (nor hand) touches the floor, and each repetition's flight covers frames."""
    sc = movement_scenes[m]
    p, t = sc.params, sc.motion.t_s
    dims = BodyDims.from_height(p.standing_height_cm)
    spec = BUILDERS[m](p, dims, np.random.default_rng(0), t)
    J = sc.skeleton.joints
    for s in ("left", "right"):
        assert np.abs(J[f"{s}_ankle"] - spec.ankle[s]).max() < 1e-4, f"{s} foot target out of reach"
        for k in ("heel", "toe"):
            assert J[f"{s}_{k}_sole"][:, 1].min() > -1e-6
    fr = sc.truth["frames"]
    phase = np.array(fr["phase"])
    off = (np.array(fr["left_foot_clearance_cm"]) > 0) & (np.array(fr["right_foot_clearance_cm"]) > 0)
    hands = sc.motion.hands_on_floor if sc.motion.hands_on_floor is not None else np.zeros(len(t), bool)
    assert np.array_equal(phase == "flight", off & ~hands)
    flights = [f for r in sc.motion.reps for f in ([r] + r.get("flights", [])[1:]) if "takeoff_s" in f]
    if RANGES[m][1] is None:
        assert not flights and not (phase == "flight").any()
        return
    assert len(flights) == p.reps * (2 if m == "jumping_jacks" else 1)
    for f in flights:
        tf = f["landing_s"] - f["takeoff_s"]
        assert f["height_cm"] == pytest.approx(100 * G_M_S2 * tf * tf / 8, rel=1e-3)
        inside = (t > f["takeoff_s"] + 2e-6) & (t < f["landing_s"] - 2e-6)  # times rounded to 1e-6
        assert inside.sum() >= 3 and (phase[inside] == "flight").all()
        a = np.polyfit(t[inside], J["mid_hip"][inside, 1], 2)[0]
        assert a == pytest.approx(-G_M_S2 / 2, abs=1e-6)


def test_movements_look_like_themselves(movement_scenes) -> None:
    """The defining pose of each movement is there (angles on the drawn figure)."""
    def fr(m, k):
        return np.array(movement_scenes[m].truth["frames"][k])

    knee_min = {m: min(fr(m, "knee_angle_deg_left").min(), fr(m, "knee_angle_deg_right").min()) for m in NO_ROPE}
    hip_min = {m: min(fr(m, "hip_angle_deg_left").min(), fr(m, "hip_angle_deg_right").min()) for m in NO_ROPE}
    assert hip_min["high_knees"] < 110 and knee_min["high_knees"] < 100  # thigh up toward horizontal
    assert hip_min["tuck_jumps"] < 100  # knees pulled toward the chest
    assert knee_min["squats"] < 105 and fr("squats", "trunk_lean_deg").max() > 35
    assert fr("burpees", "trunk_lean_deg").max() > 60  # plank
    lift = np.array(fr("jumping_jacks", "wrist_height_above_hip_cm_left"))
    assert lift.max() > 80  # arms overhead
    sk = movement_scenes["skater"].skeleton.joints["mid_hip"][:, 0]
    assert np.ptp(sk) > 0.4  # bounds sideways
    hop = movement_scenes["hop_one_foot"].truth["frames"]
    free = np.array(hop["left_foot_clearance_cm" if small_params().lead_side == "right" else "right_foot_clearance_cm"])
    assert np.median(free) > 15  # the free foot stays up
    box = movement_scenes["boxing_footwork"].truth["frames"]
    assert np.median(np.array(box["wrist_height_above_hip_cm_left"])) > 35  # guard up at the chin
    arms = movement_scenes["high_knees"].truth["frames"]
    el = np.array(arms["elbow_angle_deg_left"])
    assert np.median(el) < 110  # arms pumping with bent elbows


def test_movement_is_deterministic_for_a_seed() -> None:
    a, b, c = _movement("skater", 3), _movement("skater", 3), _movement("skater", 4)
    assert json.dumps(a.truth) == json.dumps(b.truth)
    assert json.dumps(a.truth["reps"]) != json.dumps(c.truth["reps"])


def test_movement_params_are_validated() -> None:
    with pytest.raises(ValueError, match="rep_rate_per_min for burpees"):
        JumpParams(movement="burpees", rep_rate_per_min=40.0)
    with pytest.raises(ValueError, match="too long"):
        JumpParams(movement="jumping_jacks", rep_rate_per_min=90.0, rep_height_cm=12.0)
    with pytest.raises(ValueError, match="no flight"):
        JumpParams(movement="squats", rep_height_cm=5.0)
    with pytest.raises(ValueError, match="movement must be one of"):
        JumpParams(movement="cartwheels")


def test_handles_without_rope_variant() -> None:
    p = small_params(movement="jogging", no_rope_handles=True)
    assert p.has_handles and not p.has_rope


# ------------------------------------------------------------------ skipping additions

@pytest.mark.parametrize("every", [1, 2])
def test_boxer_step_hops_on_alternating_feet(every: int) -> None:
    sc = build_scene(small_params(style="boxer", n_jumps=6, boxer_switch_every=every, height_jitter_frac=0.0,
                                  fps=60.0), 0)
    jumps = sc.truth["jumps"]
    feet = [j["foot"] for j in jumps]
    want = [("right" if (i // every) % 2 == 0 else "left") for i in range(6)]
    assert feet == want
    assert all(j["rope_passes"] == 1 and j["style"] == "boxer" for j in jumps)
    fr = sc.truth["frames"]
    hip_x = sc.skeleton.joints["mid_hip"][:, 0]
    for j in jumps:
        mid = j["takeoff_frame"] - 3  # on the ground before the hop
        free = "left" if j["foot"] == "right" else "right"
        assert fr[f"heel_minus_toe_height_cm_{free}"][mid] > fr[f"heel_minus_toe_height_cm_{j['foot']}"][mid] + 3
        assert fr[f"{free}_foot_clearance_cm"][mid] == 0.0  # the free foot taps the floor
        assert np.sign(hip_x[mid]) == (1.0 if j["foot"] == "left" else -1.0)  # weight over the hopping foot


def test_mixed_styles_in_one_clip() -> None:
    seq = [["two_foot", 3], ["alternate", 3, 160.0, 8.0], ["double_under", 2, 75.0, 16.0], ["boxer", 3]]
    sc = build_scene(small_params(n_jumps=11, style_sequence=seq, height_jitter_frac=0.0), 0)
    t = sc.truth
    assert t["style"] == "mixed" and t["true_count"] == 11
    assert [j["style"] for j in t["jumps"]] == ["two_foot"] * 3 + ["alternate"] * 3 + ["double_under"] * 2 + ["boxer"] * 3
    assert [j["rope_passes"] for j in t["jumps"]] == [1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1]
    assert t["jumps"][4]["height_cm"] == pytest.approx(8.0) and t["jumps"][6]["height_cm"] == pytest.approx(16.0)
    assert "landing.jump_height" in t["rules"] and t["rules"]["landing.jump_height"]["jump_values"][3] is None
    with pytest.raises(ValueError, match="add up to n_jumps"):
        small_params(n_jumps=5, style_sequence=seq)


def test_slow_motion_stretches_video_time_not_physics() -> None:
    a = build_scene(small_params(n_jumps=3, height_jitter_frac=0.05), 2)
    b = build_scene(small_params(n_jumps=3, height_jitter_frac=0.05, slowmo_factor=4.0), 2)
    assert b.truth["slowmo_factor"] == 4.0
    assert b.n_frames == pytest.approx(4 * a.n_frames, abs=4)
    for ja, jb in zip(a.truth["jumps"], b.truth["jumps"]):
        for k in ("takeoff_s", "landing_s", "apex_s", "flight_s", "contact_s_before"):
            assert jb[k] == pytest.approx(4 * ja[k], abs=1e-5)
        assert jb["flight_phys_s"] == pytest.approx(ja["flight_s"], abs=1e-9)
        assert jb["height_cm"] == ja["height_cm"]
        assert jb["takeoff_frame"] / 30.0 == pytest.approx(jb["takeoff_s"], abs=1 / 30)
    # Video frame 4k shows the physical instant of real-time frame k.
    assert np.allclose(b.skeleton.landmarks[::4][:a.n_frames], a.skeleton.landmarks[:len(b.skeleton.landmarks[::4])])
    for sa, sb in zip(a.truth["stands"], b.truth["stands"]):
        assert sb["end_s"] == pytest.approx(4 * sa["end_s"], abs=1e-5)
    # Audio thumps where the video shows the landings.
    assert [t["t_s"] for t in b.truth["audio"]["thumps"]] == pytest.approx([j["landing_s"] for j in b.truth["jumps"]],
                                                                           abs=1e-4)
    assert b.truth["frames"]["t_s"][8] == pytest.approx(8 / 30.0, abs=1e-6)
    assert b.truth["frames"]["t_phys_s"][8] == pytest.approx(8 / 120.0, abs=1e-6)


def test_slow_motion_no_rope_movement() -> None:
    sc = _movement("tuck_jumps", slowmo_factor=2.0)
    r = sc.truth["reps"][0]
    assert r["flight_s"] == pytest.approx(2 * r["flight_phys_s"], abs=1e-5)
    assert r["landing_s"] == pytest.approx(2 * sc.motion.reps[0]["landing_s"], abs=1e-5)


def test_end_with_miss_stops_with_the_rope_at_the_toes() -> None:
    sc = build_scene(small_params(n_jumps=4, end_with_miss=True), 0)
    last = sc.truth["stands"][-1]
    assert last["reason"] == "miss_end"
    fr = sc.truth["frames"]
    a = int(np.ceil(last["start_s"] * sc.truth["fps"]))
    rope = np.array(fr["rope_angle_deg"][a:])
    assert np.ptp(rope) < 1e-6 and rope[0] == pytest.approx(360 - np.degrees(0.25), abs=0.01)
    assert sc.truth["true_count"] == 4


def test_flights_shorter_than_two_frames_keep_an_exact_truth() -> None:
    sc = build_scene(small_params(n_jumps=6, fps=24.0, jump_height_cm=0.5, cadence_jpm=200.0, height_jitter_frac=0.0), 0)
    assert sc.truth["true_count"] == 6
    for j in sc.truth["jumps"]:
        assert j["flight_phys_s"] == pytest.approx(np.sqrt(8 * 0.005 / G_M_S2), abs=1e-6)
        assert 0 <= j["flight_frames"] <= 2 and j["takeoff_frame"] <= j["landing_frame"]


def test_movement_frame_counts_follow_duration() -> None:
    for m in ("squats", "jogging"):
        p = small_params(movement=m, reps=3)
        mo = make_movement(p, BodyDims.from_height(p.standing_height_cm), 0)
        assert len(mo.t_s) == int(np.floor(p.total_duration_s * p.fps)) + 1
        sk = forward_kinematics(BodyDims.from_height(p.standing_height_cm), mo.pose)
        assert sk.landmarks.shape == (len(mo.t_s), 33, 3)
