"""Capture conditions in the truth: what the camera could see, and condition tags.

* ``landmark_visibility``: per frame and landmark, inside the frame? hidden behind
  another body part? Occlusion uses a capsule model of the figure (radii as fractions
  of standing height, close to the drawn blobs): a landmark is hidden when a capsule
  that does not contain it covers its image point and lies in front of it. Face points
  (nose, eyes, ears, mouth) are hidden when they face away from the camera.
* ``rope_passes``: for every pass of the rope under the feet, whether the rope is in
  the frame, not hidden, and drawn with enough contrast to be seen.
* ``capture_tags``: condition labels from the parameters (dark, backlit, low_res, ...),
  with the thresholds below; ``cut_tags`` from the measured out-of-frame shares.
"""

from __future__ import annotations

import numpy as np

from analysis.pose.landmarks import Landmark as L
from synthetic.body import BodyDims, Skeleton
from synthetic.params import JumpParams
from synthetic.render import Camera, rope_points, rope_width_px

Array = np.ndarray

#: (joint a, joint b, radius as a fraction of standing height) of the occluding capsules.
CAPSULES = (
    ("left_shoulder", "left_hip", 0.06), ("right_shoulder", "right_hip", 0.06), ("mid_shoulder", "mid_hip", 0.06),
    ("neck_base", "neck_top", 0.03), ("head", "head", None),
    ("left_shoulder", "left_elbow", 0.033), ("right_shoulder", "right_elbow", 0.033),
    ("left_elbow", "left_wrist", 0.02), ("right_elbow", "right_wrist", 0.02),
    ("left_wrist", "left_hand", 0.018), ("right_wrist", "right_hand", 0.018),
    ("left_hip", "left_knee", 0.055), ("right_hip", "right_knee", 0.055),
    ("left_knee", "left_ankle", 0.03), ("right_knee", "right_ankle", 0.03),
    ("left_heel_sole", "left_toe_sole", 0.02), ("right_heel_sole", "right_toe_sole", 0.02),
)
#: A landmark's own surface lies about this far (fraction of height) in front of it.
OWN_RADIUS_FRAC = 0.02
FACE = (L.NOSE, L.LEFT_EYE_INNER, L.LEFT_EYE, L.LEFT_EYE_OUTER, L.RIGHT_EYE_INNER, L.RIGHT_EYE, L.RIGHT_EYE_OUTER,
        L.LEFT_EAR, L.RIGHT_EAR, L.MOUTH_LEFT, L.MOUTH_RIGHT)
FEET = (L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)
ANKLES = (L.LEFT_ANKLE, L.RIGHT_ANKLE)
KNEES = (L.LEFT_KNEE, L.RIGHT_KNEE)
HEAD = (L.NOSE, L.LEFT_EYE, L.RIGHT_EYE, L.LEFT_EAR, L.RIGHT_EAR)

#: Rope visibility: the rope's colour contrast against what is behind it (RGB distance
#: over sqrt 3, in grey levels), after its thinness
#: (pixel coverage), motion smear and lens blur, must reach this many grey levels and
#: three times the sensor noise (a line about 3 sigma above the noise is detectable,
#: the Rose criterion's order of magnitude). A pass counts as visible when at least half
#: of the rope is in the frame and at least half of that is not hidden by the body.
ROPE_MIN_CONTRAST_GREY = 10.0
ROPE_NOISE_FACTOR = 3.0
ROPE_MIN_SHARE = 0.5
#: "faint": visible, but with less than this effective contrast (grey levels).
ROPE_FAINT_GREY = 25.0
#: A body part counts as cut off when its landmarks are outside the frame in at least
#: this share of the frames.
CUT_SHARE = 0.5
BELOW_KNEE_SHARE = 0.75

# Thresholds of the parameter tags (what a coach would call a hard capture).
DARK_GAIN = 0.45  # exposure under ~half: a dim gym, dusk, a dark room
BRIGHT_GAIN = 1.5  # highlights clip
BACKLIT = 0.4
HAZY = 0.25
LOW_RES_P = 360
SHAKE_FRAC = 0.006  # RMS shake >= 0.6 % of the frame height (~4 px at 720p)
BLUR_PX_720 = 1.8  # lens/motion blur sigma, in px of a 720p frame
NOISE_SIGMA = 6.0  # grey levels
COMPRESSED_CRF = 32
LOW_CAMERA_M = 0.4
HIGH_CAMERA_M = 1.9
TILTED_DEG = 5.0
CLOTHES_CLOSE = 45.0  # RGB distance of the shirt to the wall, or of long trousers to the floor
CHILD_HEAD_FRAC = 0.14  # head taller than 1/7 of the body: about 12 years or younger


def view_bin(yaw_deg: float) -> str:
    """Camera yaw relative to the jumper's facing -> front / oblique / side / back_oblique / back."""
    a = abs(((yaw_deg + 180.0) % 360.0) - 180.0)
    if a <= 22.5:
        return "front"
    if a < 67.5:
        return "oblique"
    if a <= 112.5:
        return "side"
    if a < 157.5:
        return "back_oblique"
    return "back"


def _rgb_dist(a: tuple, b: tuple) -> float:
    return float(np.linalg.norm(np.subtract(a, b, dtype=float)))


def capture_tags(p: JumpParams) -> list[str]:
    """Condition tags that follow from the parameters alone."""
    tags = []
    if p.light_gain <= DARK_GAIN:
        tags.append("dark")
    if p.light_gain >= BRIGHT_GAIN:
        tags.append("overexposed")
    if p.backlight >= BACKLIT:
        tags.append("backlit")
    if p.haze >= HAZY:
        tags.append("haze")
    if p.resolution_p <= LOW_RES_P:
        tags.append("low_res")
    if p.shake_px >= SHAKE_FRAC * p.frame_size[1]:
        tags.append("shake")
    if p.pan_px > 0:
        tags.append("pan")
    if p.blur_sigma_px * 720.0 / p.resolution_p >= BLUR_PX_720:
        tags.append("blur")
    if p.noise_sigma >= NOISE_SIGMA:
        tags.append("noisy")
    if p.crf >= COMPRESSED_CRF:
        tags.append("compressed")
    if p.aspect == "portrait":
        tags.append("portrait")
    if p.camera_height_m <= LOW_CAMERA_M:
        tags.append("low_camera")
    if p.camera_height_m >= HIGH_CAMERA_M:
        tags.append("high_camera")
    if abs(p.camera_roll_deg) >= TILTED_DEG or abs(p.camera_tilt_deg) >= TILTED_DEG:
        tags.append("tilted")
    near = [_rgb_dist(p.shirt_rgb, p.background_rgb)] + ([_rgb_dist(p.shorts_rgb, p.floor_rgb)] if p.trousers else [])
    if min(near) < CLOTHES_CLOSE:
        tags.append("clothes_like_background")
    if p.second_person != "none":
        tags.append("second_person")
    if p.head_height_frac >= CHILD_HEAD_FRAC:
        tags.append("child")
    if p.background in ("cluttered", "outdoor"):
        tags.append(p.background)
    return tags


def cut_tags(out_share: dict[str, float]) -> list[str]:
    """feet_cut / below_knee_cut / legs_cut / head_cut from the measured out-of-frame shares.

    below_knee_cut: the ankles out of the frame nearly throughout (they come in only at the
    top of high jumps) with the knees in; feet_cut: heels and toes out in at least half
    the frames otherwise."""
    tags = []
    if out_share["knees"] >= CUT_SHARE:
        tags.append("legs_cut")
    elif out_share["ankles"] >= BELOW_KNEE_SHARE:
        tags.append("below_knee_cut")
    elif out_share["feet"] >= CUT_SHARE:
        tags.append("feet_cut")
    if out_share["head"] >= CUT_SHARE:
        tags.append("head_cut")
    return tags


def _capsule_arrays(sk: Skeleton, dims: BodyDims, frames: Array | slice) -> tuple[Array, Array, Array]:
    """Capsule end points (n, C, 2, 3) and radii (C,) in metres at the given frames."""
    a = np.stack([sk.joints[c[0]][frames] for c in CAPSULES], 1)
    b = np.stack([sk.joints[c[1]][frames] for c in CAPSULES], 1)
    r = np.array([dims.head_radius_m if c[2] is None else c[2] * dims.height_m for c in CAPSULES])
    return a, b, r


def _hidden(pts: Array, a: Array, b: Array, r: Array, cam: Camera, own_m: float) -> Array:
    """(n, P) bool: world points ``pts`` (n, P, 3) hidden behind a capsule (a, b, r) of
    the same frame that does not contain them."""
    pa, za = cam.project(a)  # (n, C, 2), (n, C)
    pb, zb = cam.project(b)
    pp, zp = cam.project(pts)  # (n, P, 2)
    d2 = (pb - pa)[:, None]  # (n, 1, C, 2)
    rel = pp[:, :, None] - pa[:, None]  # (n, P, C, 2)
    t = np.clip(np.sum(rel * d2, -1) / np.maximum(np.sum(d2 * d2, -1), 1e-9), 0.0, 1.0)
    dist2 = np.linalg.norm(rel - t[..., None] * d2, axis=-1)
    z = za[:, None] + t * (zb - za)[:, None]
    r_px = r[None, None, :] * cam.focal_px / np.maximum(z, 1e-3)
    # 3D: does the capsule contain the point (its own limb)?
    d3 = (b - a)[:, None]
    rel3 = pts[:, :, None] - a[:, None]
    t3 = np.clip(np.sum(rel3 * d3, -1) / np.maximum(np.sum(d3 * d3, -1), 1e-12), 0.0, 1.0)
    inside = np.linalg.norm(rel3 - t3[..., None] * d3, axis=-1) <= r[None, None, :] * 1.01
    covers = (dist2 < r_px) & (z - r[None, None, :] < zp[:, :, None] - own_m) & ~inside
    return covers.any(-1)


def landmark_visibility(sk: Skeleton, dims: BodyDims, cam: Camera, offsets_px: Array) -> tuple[Array, Array]:
    """(in_frame, hidden): (n, 33) bool each. ``offsets_px`` (n, 2): shake + pan."""
    px, _ = cam.project(sk.landmarks)
    px = px + offsets_px[:, None, :]
    in_frame = (px[..., 0] >= 0) & (px[..., 0] < cam.width) & (px[..., 1] >= 0) & (px[..., 1] < cam.height)
    n = sk.n_frames
    hidden = np.zeros((n, sk.landmarks.shape[1]), bool)
    for s in range(0, n, 256):  # bounded memory on long clips
        sl = slice(s, min(n, s + 256))
        a, b, r = _capsule_arrays(sk, dims, sl)
        hidden[sl] = _hidden(sk.landmarks[sl], a, b, r, cam, OWN_RADIUS_FRAC * dims.height_m)
    face = list(FACE)
    normal = sk.landmarks[:, face] - sk.joints["head"][:, None, :]
    view = cam.position[None, None, :] - sk.landmarks[:, face]
    cos = np.sum(normal * view, -1) / np.maximum(np.linalg.norm(normal, axis=-1) * np.linalg.norm(view, axis=-1), 1e-9)
    hidden[:, face] = cos < -0.1
    return in_frame, hidden


def rope_passes(p: JumpParams, dims: BodyDims, sk: Skeleton, rope_rad: Array, cam: Camera, canvas_cam: Camera,
                background: Array, offsets_px: Array, jumps: list[dict]) -> list[list[dict]]:
    """Per jump, per rope pass: in-frame share, unhidden share, effective contrast
    (grey levels) and ``visible``. ``canvas_cam``/``background``: the drawing canvas
    (larger than the frame when the camera pans)."""
    fps = p.fps
    n = len(rope_rad)
    gain = 1.0 - 0.75 * p.backlight
    rope_bgr = np.array(p.rope_rgb[::-1], float) * gain
    noise_floor = max(ROPE_MIN_CONTRAST_GREY, ROPE_NOISE_FACTOR * p.noise_sigma)
    out = []
    for j in jumps:
        passes = []
        for tp in j["rope_pass_s"]:
            f = int(min(max(round(tp * fps), 0), n - 1))
            pts = rope_points(sk, dims, f, float(rope_rad[f]), p.rope_length_m)
            px, z = cam.project(pts)
            px = px + offsets_px[f]
            inside = (px[:, 0] >= 0) & (px[:, 0] < cam.width) & (px[:, 1] >= 0) & (px[:, 1] < cam.height)
            a, b, r = _capsule_arrays(sk, dims, slice(f, f + 1))
            hid = _hidden(pts[None], a, b, r, cam, 0.0)[0]
            width = rope_width_px(p, cam, float(np.mean(z)))
            prev = rope_points(sk, dims, max(f - 1, 0), float(rope_rad[max(f - 1, 0)]), p.rope_length_m)
            travel = float(np.max(np.linalg.norm(cam.project(prev)[0] - cam.project(pts)[0], axis=1)))
            smear = float(np.clip(4.0 * max(1, round(width)) / max(travel, 1e-6), 0.3, 1.0))
            cpx, _ = canvas_cam.project(pts)
            ci = np.clip(np.round(cpx).astype(int), 0, [background.shape[1] - 1, background.shape[0] - 1])
            behind = background[ci[:, 1], ci[:, 0]].astype(float)
            # Colour difference in grey-level units (RGB distance / sqrt 3): a red rope
            # on a brown floor differs in hue more than in brightness.
            diff = np.linalg.norm(rope_bgr - behind, axis=1) / np.sqrt(3.0)
            contrast = float(np.median(diff)) * p.light_gain * (1.0 - p.haze)
            eff = contrast * min(1.0, width) * smear
            if p.blur_sigma_px > 0:
                eff *= min(1.0, width / (2.5 * p.blur_sigma_px))
            in_share = float(np.mean(inside))
            seen = inside & ~hid
            un_share = float(np.sum(seen) / max(np.sum(inside), 1))
            passes.append({"frame": f, "in_frame_share": round(in_share, 3), "unhidden_share": round(un_share, 3),
                           "width_px": round(width, 3), "contrast_grey": round(eff, 2),
                           "visible": bool(in_share >= ROPE_MIN_SHARE and un_share >= ROPE_MIN_SHARE
                                           and eff >= noise_floor)})
        out.append(passes)
    return out


def out_of_frame_shares(in_frame: Array) -> dict[str, float]:
    """Share of frames in which every landmark of a group is outside the frame."""
    def share(group: tuple) -> float:
        return round(float(np.mean(~in_frame[:, list(group)].any(1))), 4)

    return {"feet": share(FEET), "ankles": share(ANKLES), "knees": share(KNEES), "head": share(HEAD)}
