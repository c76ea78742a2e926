"""Capture conditions of the renderer and their truth (issue 11, capture side)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.pose.landmarks import Landmark as L
from synthetic.body import BodyDims, forward_kinematics
from synthetic.capture import capture_tags, view_bin
from synthetic.clip import build_scene
from synthetic.motion import make_motion
from synthetic.params import JumpParams
from synthetic.presets import small_params
from synthetic.randomise_capture import _edge_fit, _vertical_px, draw_proportions
from synthetic.render import SUB, SUBF, Camera, SensorNoise, _contact_shadow


def _frame(sc, k: int) -> np.ndarray:
    for i, img in enumerate(sc.frames()):
        if i == k:
            return img
    raise IndexError(k)


# ----------------------------------------------------------------------------- defaults stay exact


@pytest.mark.parametrize("h", [120.0, 171.3, 199.0])
def test_adult_dimensions_are_the_published_fractions_to_the_bit(h: float) -> None:
    d = BodyDims.from_height(h)
    m = h / 100.0
    assert (d.hip_height_m, d.thigh_m, d.shank_m, d.trunk_m) == (0.530 * m, 0.245 * m, 0.246 * m, 0.288 * m)
    assert (d.ear_above_shoulder_m, d.head_radius_m) == (0.112 * m, 0.065 * m)


def test_child_proportions_keep_the_height_and_shift_head_and_hips() -> None:
    adult, child = BodyDims.from_height(125.0), BodyDims.from_height(125.0, 0.165, 0.505)
    assert child.head_radius_m > adult.head_radius_m and child.hip_height_m < adult.hip_height_m
    for d, head in ((adult, 0.130), (child, 0.165)):  # hip + trunk + neck (0.052 H) + head = H
        assert d.hip_height_m + d.trunk_m + (0.052 + head) * d.height_m == pytest.approx(d.height_m, abs=1e-9)
        assert d.ankle_height_m + d.shank_m + d.thigh_m == pytest.approx(d.hip_height_m, abs=1e-9)


def _noise_reference(noise: SensorNoise, img: np.ndarray, k: int, dy: int, dx: int, flip: int) -> np.ndarray:
    n = np.roll(noise.bank[k], (dy, dx), axis=(0, 1))
    if flip & 1:
        n = n[::-1]
    if flip & 2:
        n = n[:, ::-1]
    return cv2.add(img, np.ascontiguousarray(n), dtype=cv2.CV_8U)


def test_sensor_noise_equals_rolling_and_flipping_the_bank() -> None:
    shape = (37, 53, 3)
    img = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    noise = SensorNoise(9.0, shape, np.random.default_rng(1))
    for draws in ([1, 0, 0, 0], [2, 5, 7, 1], [3, 36, 52, 2], [0, 17, 1, 3], [1, 1, 30, 3]):
        class Fixed:  # the same draw for the fast path and the reference
            def integers(self, *_a, _d=draws):
                return np.array(_d)
        noise.rng = Fixed()
        assert np.array_equal(noise(img), _noise_reference(noise, img, *draws))


def test_contact_shadow_equals_the_full_frame_blend() -> None:
    sc = build_scene(small_params(n_jumps=2), 0)
    for f in (0, 20, 40):
        fast = sc.background.copy()
        _contact_shadow(fast, sc.camera, sc.skeleton, sc.dims, f)
        ref = sc.background.copy()  # the blend over the whole frame, as before
        feet = 0.5 * (sc.skeleton.joints["left_ankle"][f] + sc.skeleton.joints["right_ankle"][f])
        lift = min(feet[1], 0.6)
        a = np.linspace(0, 2 * np.pi, 24)
        ring = np.stack([0.15 * sc.dims.height_m * np.cos(a), np.zeros(24), 0.09 * sc.dims.height_m * np.sin(a)], -1)
        ring += np.array([feet[0], 0.0, feet[2] + 0.03])
        spx, _ = sc.camera.project(ring)
        overlay = ref.copy()
        cv2.fillPoly(overlay, [np.round(spx * SUBF).astype(np.int32)], (0, 0, 0), cv2.LINE_AA, SUB)
        alpha = 0.35 * (1 - lift / 0.6)
        cv2.addWeighted(overlay, alpha, ref, 1 - alpha, 0, dst=ref)
        assert np.array_equal(fast, ref)


# ----------------------------------------------------------------------------- camera and framing


def test_roll_turns_the_scene_counter_clockwise_and_tilt_moves_it_down() -> None:
    p = small_params()
    dims = BodyDims.from_height(p.standing_height_cm)
    cam = Camera.for_params(p, dims)
    right = cam.position + 5 * cam.rot[2] + 1.0 * cam.rot[0]  # a point to the right of the centre
    y0 = cam.project(right)[0][1]
    y1 = cam.tilted(0.0, 10.0).project(right)[0][1]
    assert y1 < y0 - 5  # moved up: the picture turned counter-clockwise
    centre = cam.position + 5 * cam.rot[2]
    assert cam.tilted(8.0, 0.0).project(centre)[0][1] > cam.cy + 5  # camera tilted up: the scene moves down


@pytest.mark.parametrize("cam_h,y_bot,y_top", [(1.2, 0.3, 1.9), (0.15, -0.1, 1.5), (2.3, 0.05, 2.2)])
def test_edge_fit_puts_the_chosen_heights_on_the_frame_edges(cam_h: float, y_bot: float, y_top: float) -> None:
    H = 1.7
    aim, fill = _edge_fit(H, cam_h, 4.0, y_bot, y_top)
    p = small_params(camera_height_m=cam_h, camera_aim_height_frac=aim, camera_fill=fill)
    rows = _vertical_px(p, [y_bot, y_top])[:, 1]
    h = p.frame_size[1]
    assert rows[0] == pytest.approx(h, abs=0.01) and rows[1] == pytest.approx(0.0, abs=0.01)


def test_cut_framing_is_measured_in_the_truth() -> None:
    H = 1.7
    aim, fill = _edge_fit(H, 1.0, 4.0, 0.17 * H, 1.3 * H)  # bottom edge mid-shank
    sc = build_scene(small_params(camera_aim_height_frac=aim, camera_fill=fill, camera_height_m=1.0), 0)
    cap = sc.truth["capture"]
    assert "below_knee_cut" in cap["tags"]
    assert cap["out_of_frame_share"]["ankles"] > 0.9 and cap["out_of_frame_share"]["knees"] == 0.0
    px = np.array(sc.truth["frames"]["landmarks_px"])
    inside = np.array(sc.truth["frames"]["landmarks_in_frame"], bool)
    w, h = sc.truth["width"], sc.truth["height"]
    expect = (px[..., 0] >= 0) & (px[..., 0] < w) & (px[..., 1] >= 0) & (px[..., 1] < h)
    assert np.array_equal(inside, expect)


def test_view_bins_cover_the_full_circle() -> None:
    assert [view_bin(y) for y in (0, 10, -30, 60, 90, -100, 130, -150, 170, 180, -180)] == [
        "front", "front", "oblique", "oblique", "side", "side", "back_oblique", "back_oblique", "back", "back", "back"]


# ----------------------------------------------------------------------------- occlusion and rope


def test_far_side_limbs_are_hidden_in_a_side_view_and_the_face_from_behind() -> None:
    side = build_scene(small_params(camera_yaw_deg=90.0), 0).truth["frames"]
    hid = np.array(side["landmarks_hidden"], bool)
    # The camera is on the jumper's left: the right knee and hip are behind the left leg.
    assert hid[:, L.RIGHT_KNEE].mean() > 0.8 and hid[:, L.RIGHT_HIP].mean() > 0.8
    assert hid[:, L.LEFT_KNEE].mean() == 0.0 and hid[:, L.RIGHT_EYE].mean() == 1.0
    front = np.array(build_scene(small_params(), 0).truth["frames"]["landmarks_hidden"], bool)
    assert front[:, [L.LEFT_KNEE, L.RIGHT_KNEE, L.NOSE, L.LEFT_SHOULDER]].sum() == 0
    back = np.array(build_scene(small_params(camera_yaw_deg=180.0), 0).truth["frames"]["landmarks_hidden"], bool)
    assert back[:, L.NOSE].all() and not back[:, L.LEFT_SHOULDER].any()


def test_rope_visibility_follows_contrast_and_width() -> None:
    clear = build_scene(small_params(rope_rgb=(230, 30, 30)), 0).truth
    assert all(all(j["rope_visible"]) for j in clear["jumps"])
    assert clear["capture"]["rope_visible_share"] == 1.0
    hidden = build_scene(small_params(rope_rgb=(150, 130, 110), rope_diameter_mm=3.0), 0).truth  # floor colour
    assert hidden["capture"]["rope_visible_share"] == 0.0
    assert "rope_hardly_visible" not in hidden["capture"]["tags"]  # a runner's tag, not the truth's


def test_a_thin_rope_is_fainter() -> None:
    thick = build_scene(small_params(rope_diameter_mm=8.0, resolution_p=240, noise_sigma=0.0, blur_sigma_px=0.0), 0)
    thin = build_scene(small_params(rope_diameter_mm=1.5, resolution_p=240, noise_sigma=0.0, blur_sigma_px=0.0), 0)
    bg = thick.background.astype(int)
    f = 30
    d_thick = np.abs(_frame(thick, f).astype(int) - bg).sum()
    d_thin = np.abs(_frame(thin, f).astype(int) - bg).sum()
    assert d_thin < d_thick


# ----------------------------------------------------------------------------- pans, light, second person


def test_a_pan_shifts_the_whole_picture() -> None:
    kw = {"noise_sigma": 0.0, "blur_sigma_px": 0.0, "background": "brick"}
    still = build_scene(small_params(**kw), 0)
    pan = build_scene(small_params(pan_px=40.0, pan_period_s=4.0, **kw), 0)
    f = 12  # a quarter of a cycle at 30 fps... dx = round(40 sin(2 pi 0.4 / 4))
    dx = int(pan.pan_px[f, 0])
    assert dx != 0
    a, b = _frame(still, f), _frame(pan, f)
    w = a.shape[1]
    same = b[:, max(dx, 0):w + min(dx, 0)].astype(int) - a[:, max(-dx, 0):w - max(dx, 0)].astype(int)
    assert np.mean(same == 0) > 0.995
    lm_still = np.array(still.truth["frames"]["landmarks_px"][f])
    lm_pan = np.array(pan.truth["frames"]["landmarks_px"][f])
    assert np.allclose(lm_pan - lm_still, [dx, 0], atol=0.02)


def test_light_backlight_and_haze_change_the_picture_as_labelled() -> None:
    base = small_params(noise_sigma=0.0)
    ref = _frame(build_scene(base, 0), 10).astype(float)
    dark = _frame(build_scene(base.replace(light_gain=0.3), 0), 10).astype(float)
    assert dark.mean() == pytest.approx(0.3 * ref.mean(), rel=0.05)
    hazy = _frame(build_scene(base.replace(haze=0.5), 0), 10).astype(float)
    assert hazy.std() < 0.7 * ref.std()  # contrast falls under the veil
    back = build_scene(base.replace(backlight=0.9, background="plain"), 0)
    img = _frame(back, 10).astype(float)
    px = np.array(back.truth["frames"]["landmarks_px"][10])
    sx, sy = (0.5 * (px[L.LEFT_SHOULDER] + px[L.RIGHT_SHOULDER])).astype(int)
    chest = img[sy + 10:sy + 20, sx - 3:sx + 3].mean()
    beside = img[sy + 10:sy + 20, sx + 60:sx + 66].mean()
    assert chest < 0.5 * beside  # a silhouette against a bright window
    assert {"dark"} <= set(capture_tags(base.replace(light_gain=0.3)))
    assert {"backlit", "haze"} <= set(capture_tags(base.replace(backlight=0.9, haze=0.5)))


@pytest.mark.parametrize("kind", ["passing", "standing"])
def test_a_second_person_leaves_the_jumper_and_its_truth_alone(kind: str) -> None:
    base = small_params(noise_sigma=0.0)
    one = build_scene(base, 0)
    two = build_scene(base.replace(second_person=kind, second_person_lateral_m=-1.2 if kind == "passing" else 0.9,
                                   second_person_depth_m=1.5), 0)
    assert two.truth["frames"]["landmarks_px"] == one.truth["frames"]["landmarks_px"]
    assert two.truth["jumps"] == one.truth["jumps"]
    boxes = two.truth["frames"]["second_person_bbox_px"]
    assert sum(b is not None for b in boxes) > len(boxes) // 2
    assert "second_person" in two.truth["capture"]["tags"]
    assert not np.array_equal(_frame(one, 15), _frame(two, 15))
    if kind == "passing":  # walks: the box moves across the frame
        xs = [0.5 * (b[0] + b[2]) for b in boxes if b is not None]
        assert abs(xs[-1] - xs[0]) > 50


def test_walker_feet_stay_on_the_floor() -> None:
    p = small_params(second_person="passing", second_person_lateral_m=-2.0)
    sc = build_scene(p, 0)
    sk = sc.walker.skeleton
    low = np.minimum.reduce([sk.joints[f"{s}_{k}_sole"][:, 1] for s in ("left", "right") for k in ("heel", "toe")])
    assert np.all(np.abs(low) < 0.02)


# ----------------------------------------------------------------------------- draws


def test_children_get_child_proportions_and_adults_adult_ones() -> None:
    rng = np.random.default_rng(0)
    kid = draw_proportions(rng, 125.0)
    assert kid["head_height_frac"] > 0.155 and kid["hip_height_frac"] < 0.515
    adult = [draw_proportions(rng, 175.0) for _ in range(50)]
    assert all(0.115 < a["head_height_frac"] < 0.135 and 0.50 <= a["hip_height_frac"] <= 0.555 for a in adult)


def test_child_figure_is_drawn_with_its_proportions() -> None:
    p = small_params(standing_height_cm=125.0, head_height_frac=0.165, hip_height_frac=0.505)
    dims = BodyDims.from_height(125.0, 0.165, 0.505)
    sk = forward_kinematics(dims, make_motion(p, dims, 0).pose)
    # Standing still (frame 0): hips at 0.505 H above the soles, the head's top near H.
    assert sk.joints["left_hip"][0, 1] == pytest.approx(0.505 * 1.25, abs=0.02)
    top = sk.joints["head"][0, 1] + 0.86 * dims.head_radius_m + 0.22 * dims.head_radius_m
    assert top == pytest.approx(1.25, abs=0.04)


def test_new_fields_are_validated_with_clear_messages() -> None:
    with pytest.raises(ValueError, match="backlight"):
        JumpParams(backlight=1.5)
    with pytest.raises(ValueError, match="second_person must be one of"):
        JumpParams(second_person="crowd")
    with pytest.raises(ValueError, match="fps must be one of"):
        JumpParams(fps=33.0)
    JumpParams(fps=240.0, jump_height_cm=3.0)
    JumpParams(fps=10.0, jump_height_cm=5.0)
