"""Pinhole camera, shaded-capsule figure, rope and background drawn with OpenCV.

The figure is a set of "blobs": convex hulls of spheres (a capsule is a blob of two
spheres). Blobs, face features and rope pieces are sorted far-to-near by camera depth
and painted in that order (painter's algorithm), each in three shading layers (dark rim,
base, highlight toward an upper-left light).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from analysis.pose.landmarks import Landmark as L
from synthetic.body import BodyDims, Skeleton
from synthetic.params import ROPE_OVER_HEIGHT_CM, JumpParams

Array = np.ndarray
SUB = 4  # fixed-point bits for sub-pixel drawing
SUBF = float(1 << SUB)


@dataclass(frozen=True)
class Camera:
    """Pinhole camera. ``rot`` rows are the camera's right, down and forward axes."""

    position: Array  # (3,)
    rot: Array  # (3, 3)
    focal_px: float
    cx: float
    cy: float
    width: int
    height: int

    @classmethod
    def look_at(cls, position: Array, target: Array, focal_px: float, width: int, height: int) -> "Camera":
        fwd = target - position
        fwd = fwd / np.linalg.norm(fwd)
        right = np.cross(fwd, [0.0, 1.0, 0.0])
        right /= np.linalg.norm(right)
        down = np.cross(fwd, right)
        return cls(np.asarray(position, float), np.stack([right, down, fwd]), float(focal_px),
                   width / 2.0, height / 2.0, int(width), int(height))

    @classmethod
    def for_params(cls, p: JumpParams, dims: BodyDims) -> "Camera":
        """Camera at the parameterised yaw, distance and height, aimed at the figure
        (``camera_aim_height_frac`` of its height), then tilted and rolled."""
        yaw = np.radians(p.camera_yaw_deg)
        d = p.camera_distance_m
        pos = np.array([d * np.sin(yaw), p.camera_height_m, d * np.cos(yaw)])
        target = np.array([0.0, p.camera_aim_height_frac * dims.height_m, 0.0])
        w, h = p.frame_size
        dist = float(np.linalg.norm(pos - target))
        focal = p.camera_fill * h * dist / (dims.height_m * 1.12)
        cam = cls.look_at(pos, target, focal, w, h)
        if p.camera_tilt_deg or p.camera_roll_deg:
            cam = cam.tilted(p.camera_tilt_deg, p.camera_roll_deg)
        return cam

    def tilted(self, tilt_deg: float, roll_deg: float) -> "Camera":
        """The same camera pitched up by ``tilt_deg`` (about its right axis), then rolled by
        ``roll_deg`` about its viewing axis (+ = the phone turned clockwise, so the scene
        appears turned counter-clockwise in the image)."""
        right, down, fwd = self.rot
        t = np.radians(tilt_deg)
        fwd2 = np.cos(t) * fwd - np.sin(t) * down  # up = -down
        right2 = np.cross(fwd2, [0.0, 1.0, 0.0])
        right2 /= np.linalg.norm(right2)
        down2 = np.cross(fwd2, right2)
        r = np.radians(roll_deg)
        right3 = np.cos(r) * right2 + np.sin(r) * down2
        down3 = -np.sin(r) * right2 + np.cos(r) * down2
        return Camera(self.position, np.stack([right3, down3, fwd2]), self.focal_px, self.cx, self.cy,
                      self.width, self.height)

    def shifted(self, dx: float, dy: float, width: int, height: int) -> "Camera":
        """The same view on a larger canvas: principal point moved by (dx, dy) px."""
        return Camera(self.position, self.rot, self.focal_px, self.cx + dx, self.cy + dy, int(width), int(height))

    def to_cam(self, pts: Array) -> Array:
        return (np.asarray(pts, float) - self.position) @ self.rot.T

    def project(self, pts: Array) -> tuple[Array, Array]:
        """Pixel coordinates (..., 2) and depth (...) of world points (..., 3)."""
        c = self.to_cam(pts)
        z = np.maximum(c[..., 2], 1e-3)
        return np.stack([self.focal_px * c[..., 0] / z + self.cx, self.focal_px * c[..., 1] / z + self.cy], -1), z


# ----------------------------------------------------------------------------- background


WALL_DISTANCE_M = 3.0  # the backdrop behind the jumper (indoor backgrounds)
OUTDOOR_BACKDROP_M = 40.0  # trees/buildings far behind the jumper (outdoor)


def render_background(p: JumpParams, cam: Camera, rng: np.random.Generator) -> Array:
    """Wall and floor per pixel by casting rays onto a ground plane and a backdrop."""
    w, h = cam.width, cam.height
    u, v = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    dirs = np.stack([(u - cam.cx) / cam.focal_px, (v - cam.cy) / cam.focal_px, np.ones_like(u)], -1) @ cam.rot
    oy = cam.position[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(dirs[..., 1] < -1e-6, -oy / dirs[..., 1], np.inf)
    fwd_h = cam.rot[2] * np.array([1.0, 0.0, 1.0])
    fwd_h /= np.linalg.norm(fwd_h)
    wall_m = OUTDOOR_BACKDROP_M if p.background == "outdoor" else WALL_DISTANCE_M
    wall_pt = fwd_h * wall_m  # backdrop behind the jumper
    denom = dirs @ fwd_h
    with np.errstate(divide="ignore", invalid="ignore"):
        t_wall = np.where(denom > 1e-6, ((wall_pt - cam.position) @ fwd_h) / denom, np.inf)
    floor = t_floor < t_wall
    bg = np.array(p.background_rgb, float)[::-1]
    fl = np.array(p.floor_rgb, float)[::-1]
    img = np.zeros((h, w, 3), np.float32)
    # Wall: vertical gradient, darker toward the top.
    wall_hit = cam.position + dirs * np.where(np.isfinite(t_wall), t_wall, 0)[..., None]
    wy = np.clip(wall_hit[..., 1] / 3.0, 0, 1)
    shade = (1.05 - 0.25 * wy)[..., None]
    wall = bg * shade
    across_wall = None
    if p.background in ("gym", "brick", "cluttered", "outdoor") or p.backlight > 0:
        across_wall = wall_hit @ np.cross(fwd_h, [0.0, 1.0, 0.0])
    if p.background == "gym":
        lines = (np.abs(((wall_hit[..., 1] * 4) % 1) - 0.5) < 0.03) | (np.abs(((across_wall * 1.2) % 1) - 0.5) < 0.01)
        wall = np.where(lines[..., None], wall * 0.8, wall)
    elif p.background == "noise":
        tex = cv2.GaussianBlur(rng.standard_normal((h // 8 + 1, w // 8 + 1)).astype(np.float32), (0, 0), 1.5)
        tex = cv2.resize(tex, (w, h), interpolation=cv2.INTER_CUBIC)
        wall = wall * (1 + 0.25 * tex[..., None])
    elif p.background == "brick":
        wall = _brick_wall(wall, wall_hit[..., 1], across_wall)
    elif p.background == "cluttered":
        wall = _clutter_wall(wall, wall_hit[..., 1], across_wall, rng)
    elif p.background == "outdoor":
        wall = _outdoor_backdrop(bg, wall_hit[..., 1], across_wall, rng)
    img[:] = wall
    # Floor: planks along the camera axis, fading with distance.
    fhit = cam.position + dirs * np.where(floor, t_floor, 0)[..., None]
    across = fhit @ np.cross(fwd_h, [0.0, 1.0, 0.0])
    plank = 1.0 + 0.06 * np.sin(np.floor(across / 0.15) * 2.1) - 0.18 * (np.abs((across / 0.15) % 1 - 0.5) > 0.47)
    if p.background == "plain":
        plank = np.ones_like(across)
    elif p.background == "outdoor":  # grass or asphalt: fine texture, no planks
        along = fhit @ fwd_h
        plank = 1.0 + 0.05 * np.sin(across * 23.0) * np.sin(along * 19.0) + 0.04 * np.sin(across * 7.3 + along * 5.1)
    dist = np.where(floor, t_floor, 0)
    fog = np.clip(1.0 - dist / 30.0, 0.6, 1.0)
    floor_col = fl * (plank * fog)[..., None]
    img = np.where(floor[..., None], floor_col, img)
    img = img * p.brightness
    if p.backlight > 0:
        img = _backlit(img, p.backlight, wall_hit[..., 1], across_wall, floor, p.background == "outdoor")
    return np.clip(img, 0, 255).astype(np.uint8)


def _brick_wall(wall: Array, y: Array, across: Array) -> Array:
    """Running-bond bricks (0.215 x 0.065 m with 10 mm joints), each a little different."""
    row = np.floor(y / 0.075)
    x = across + 0.1075 * (row % 2)
    col = np.floor(x / 0.225)
    mortar = ((y / 0.075) % 1 < 0.13) | ((x / 0.225) % 1 < 0.045)
    var = 1.0 + 0.09 * np.sin(row * 12.9898 + col * 78.233) * np.cos(row * 4.1 - col * 7.7)
    return np.where(mortar[..., None], wall * 1.25, wall * var[..., None])


def _clutter_wall(wall: Array, y: Array, across: Array, rng: np.random.Generator) -> Array:
    """A lived-in wall: furniture, shelves, posters, a door, in random colours."""
    out = wall.copy()
    for _ in range(int(rng.integers(8, 16))):
        kind = rng.random()
        x0 = float(rng.uniform(-4.0, 4.0))
        if kind < 0.35:  # furniture standing on the floor
            wd, y0, y1 = rng.uniform(0.5, 1.6), 0.0, rng.uniform(0.4, 1.3)
        elif kind < 0.5:  # a door
            wd, y0, y1 = 0.85, 0.0, 2.05
        else:  # posters, pictures, shelves
            wd = rng.uniform(0.25, 1.0)
            y0 = rng.uniform(0.9, 2.0)
            y1 = y0 + rng.uniform(0.1, 0.8)
        col = rng.uniform(20, 235, 3)
        m = (across >= x0) & (across < x0 + wd) & (y >= y0) & (y < y1)
        shade = 1.0 - 0.15 * ((y - y0) / max(y1 - y0, 1e-6))
        out = np.where(m[..., None], col * shade[..., None], out)
    return out


def _outdoor_backdrop(sky: Array, y: Array, across: Array, rng: np.random.Generator) -> Array:
    """Sky (``background_rgb``) brightening toward the horizon over a band of trees or
    buildings with a ragged top, 4-12 m high at 40 m."""
    elev = np.clip(y / OUTDOOR_BACKDROP_M, 0, 1)
    out = sky * (1.12 - 0.6 * np.sqrt(elev))[..., None]
    knots = rng.uniform(3.0, 12.0, 40)
    top = np.interp(across, np.linspace(-60, 60, 40), knots) + 0.8 * np.sin(across * 1.7)
    tree = np.array(rng.uniform([20, 45, 25], [70, 110, 80]))[::-1]  # RGB -> BGR
    tex = 1.0 + 0.12 * np.sin(across * 5.0) * np.sin(y * 4.0)
    return np.where((y < top)[..., None], tree * tex[..., None], out)


def _backlit(img: Array, strength: float, y: Array, across: Array, floor: Array, outdoor: bool) -> Array:
    """A bright window (indoor) or bright sky (outdoor) behind the jumper, blown out
    toward white; the floor near it catches a little of the light."""
    if outdoor:
        glow = np.clip(1.0 - np.abs(across) / 40.0, 0, 1) * np.clip(y / 8.0, 0, 1)
    else:  # a window about 2.4 m wide and 1.8 m high, centred behind the jumper at 1.3 m
        glow = np.exp(-((across / 1.4) ** 4) - (((y - 1.3) / 1.0) ** 4))
    glow = np.where(floor, 0.25 * glow.max() * np.exp(-(across / 2.0) ** 2), glow)
    target = 255.0 * 1.4
    return img + (strength * glow)[..., None] * (target - img)


# ----------------------------------------------------------------------------- primitives


@dataclass
class Blob:
    """Convex hull of spheres with one colour (BGR), drawn shaded."""

    centers: Array  # (k, 3) world
    radii: Array  # (k,)
    color: tuple
    bias: float = 0.0  # subtracted from the depth for sorting (m): > 0 draws later


@dataclass
class Dot:
    """Small 2D feature (eye, nostril, mouth) attached to a 3D point."""

    center: Array  # (3,)
    radius_m: float
    color: tuple
    normal: Array  # (3,) outward normal; skipped when facing away
    aspect: float = 1.0
    bias: float = 0.0


def _circle_pts(n: int) -> Array:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([np.cos(a), np.sin(a)], -1)


CIRCLE16 = _circle_pts(16)
LAYERS = ((1.0, 0.0, 0.62), (0.86, 0.10, 0.92), (0.52, 0.30, 1.12))
LIGHT2D = np.array([-0.55, -0.83])


def _fill_hull(img: Array, pts: Array, color: tuple) -> None:
    hull = cv2.convexHull(np.round(pts * SUBF).astype(np.int32))
    cv2.fillConvexPoly(img, hull, color, lineType=cv2.LINE_AA, shift=SUB)


def _shade(color: tuple, k: float) -> tuple:
    return tuple(int(min(255, max(0, c * k))) for c in color)


def draw_blob(img: Array, cam: Camera, blob: Blob, gain: float = 1.0) -> None:
    """Three shading layers; ``gain`` scales the colour (the figure in shadow when back-lit)."""
    px, z = cam.project(blob.centers)
    r = blob.radii * cam.focal_px / z
    for scale, shift, k in LAYERS:
        pts = (px[:, None, :] + (shift * r)[:, None, None] * LIGHT2D + (scale * r)[:, None, None] * CIRCLE16).reshape(-1, 2)
        _fill_hull(img, pts, _shade(blob.color, k * gain))


def draw_dot(img: Array, cam: Camera, dot: Dot, gain: float = 1.0) -> None:
    px, z = cam.project(dot.center[None])
    r = max(dot.radius_m * cam.focal_px / z[0], 0.7)
    view = cam.position - dot.center
    squeeze = float(np.clip(np.dot(view / np.linalg.norm(view), dot.normal), 0.3, 1.0))  # foreshortening
    c = (int(round(px[0, 0] * SUBF)), int(round(px[0, 1] * SUBF)))
    axes = (int(round(r * squeeze * SUBF)), int(round(r * dot.aspect * SUBF)))
    color = dot.color if gain == 1.0 else _shade(dot.color, gain)
    cv2.ellipse(img, c, axes, 0, 0, 360, color, -1, cv2.LINE_AA, SUB)


def _bgr(rgb: tuple) -> tuple:
    return (int(rgb[2]), int(rgb[1]), int(rgb[0]))


# ----------------------------------------------------------------------------- figure


def figure_primitives(p: JumpParams, dims: BodyDims, sk: Skeleton, f: int, cam: Camera,
                      heading: Array | None = None, handles: bool = True) -> list:
    """All blobs and dots of the figure at frame ``f``.

    ``heading``: 3x3 rotation (about the vertical) of a figure that does not face +z
    (the second person); its skeleton is already in world coordinates, this turns the
    few fixed offsets (hair, face, nose). ``handles``: draw rope handles in the fists."""
    J = {k: v[f] for k, v in sk.joints.items()}
    H = dims.height_m
    skin, shirt, shorts, shoe = _bgr(p.skin_rgb), _bgr(p.shirt_rgb), _bgr(p.shorts_rgb), _bgr(p.shoe_rgb)
    hair = _bgr(p.hair_rgb)
    legwear = shorts if p.trousers else skin
    prims: list = []
    up = J["mid_shoulder"] - J["mid_hip"]
    up /= np.linalg.norm(up)
    if heading is None:
        ex = np.array([1.0, 0.0, 0.0])

        def o(v: list) -> list:  # a body-frame offset in world axes
            return v
    else:
        ex = heading @ np.array([1.0, 0.0, 0.0])

        def o(v: list) -> Array:
            return heading @ np.asarray(v, float)
    fwd = np.cross(ex, up)
    # Torso: tapered hull from chest to waist (shirt), pelvis (shorts).
    td = 0.055 * H  # half torso depth
    chest = [J["left_shoulder"] - 0.035 * H * up - 0.012 * H * ex, J["right_shoulder"] - 0.035 * H * up + 0.012 * H * ex]
    waist_c = J["mid_hip"] + 0.10 * H * up
    prims.append(Blob(np.array([chest[0], chest[1], waist_c + 0.06 * H * ex, waist_c - 0.06 * H * ex,
                                J["mid_shoulder"] - 0.01 * H * up]),
                      np.array([td * 0.95, td * 0.95, td * 0.9, td * 0.9, td * 0.8]), shirt))
    prims.append(Blob(np.array([J["left_hip"] - 0.01 * H * up, J["right_hip"] - 0.01 * H * up,
                                waist_c + 0.05 * H * ex, waist_c - 0.05 * H * ex]),
                      np.array([0.06 * H, 0.06 * H, 0.045 * H, 0.045 * H]), shorts, bias=0.002))
    # Neck and head (+ hair).
    prims.append(Blob(np.array([J["neck_base"], J["neck_top"]]), np.array([0.03 * H, 0.027 * H]), skin, bias=-0.01))
    r = dims.head_radius_m
    hc = J["head"]
    rot = J.get("head_rot")  # a pitched head (plank): its offsets turn with it

    def hv(v: list) -> Array:  # a head-frame offset in world axes (pitch, then the body's heading)
        return o(np.asarray(v) if rot is None else rot @ np.asarray(v, float))

    prims.append(Blob(np.array([hc + hv([0, 0.22 * r, -0.12 * r]), hc + hv([0, 0.05 * r, -0.32 * r]),
                                hc + hv([0, 0.5 * r, 0.12 * r])]),
                      np.array([0.86 * r, 0.8 * r, 0.6 * r]), hair, bias=-0.02))
    prims.append(Blob(np.array([hc + hv([0, 0.1 * r, -0.05 * r]), hc + hv([0, -0.05 * r, 0.2 * r]),
                                hc + hv([0, -0.5 * r, 0.33 * r]), hc + hv([0, 0.38 * r, 0.28 * r])]),
                      np.array([0.80 * r, 0.62 * r, 0.42 * r, 0.48 * r]), skin, bias=0.0))
    lm = sk.landmarks[f]

    def face_dot(pt: Array, rad: float, color: tuple, aspect: float = 1.0, bias: float = 0.02) -> None:
        nrm = pt - hc
        prims.append(Dot(pt, rad, color, nrm / np.linalg.norm(nrm), aspect, bias))

    for side in ("LEFT", "RIGHT"):
        eye = lm[L[f"{side}_EYE"]]
        face_dot(eye, 0.14 * r, (245, 245, 245), 0.7)
        face_dot(eye + hv([0, 0, 0.02 * r]), 0.075 * r, (40, 30, 20), 1.0, 0.03)
        face_dot(lm[L[f"{side}_EYE_INNER"]] + hv([0, 0.22 * r, 0]), 0.16 * r, (40, 50, 70), 0.3)  # brow
        ear = lm[L[f"{side}_EAR"]]
        prims.append(Blob(np.array([ear, ear + hv([0, -0.2 * r, 0])]), np.array([0.16 * r, 0.12 * r]),
                          _shade(skin, 0.9), bias=0.0))
    nose = lm[L.NOSE]
    prims.append(Blob(np.array([nose - hv([0, -0.15 * r, 0.18 * r]), nose]), np.array([0.09 * r, 0.11 * r]),
                      _shade(skin, 0.95), bias=0.015))
    mouth = 0.5 * (lm[L.MOUTH_LEFT] + lm[L.MOUTH_RIGHT])
    face_dot(mouth, 0.2 * r, (60, 60, 170), 0.35)
    # Arms.
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        sh, el, wr = J[f"{side}_shoulder"], J[f"{side}_elbow"], J[f"{side}_wrist"]
        prims.append(Blob(np.array([sh - 0.012 * H * up, 0.55 * sh + 0.45 * el]), np.array([0.036 * H, 0.031 * H]), shirt))  # sleeve
        prims.append(Blob(np.array([0.45 * (sh + el) + 0.1 * sh, el]), np.array([0.029 * H, 0.024 * H]), skin))
        prims.append(Blob(np.array([el, wr]), np.array([0.023 * H, 0.017 * H]), skin))
        hand, hup = J[f"{side}_hand"], J[f"{side}_hand_up"]
        prims.append(Blob(np.array([wr, hand, hand + 0.01 * H * hup]), np.array([0.018 * H, 0.02 * H, 0.017 * H]),
                          _shade(skin, 1.02), bias=0.004))
        # Rope handle held in the fist, pointing down and a little forward (none in a
        # no-rope movement unless it is done holding handles).
        if handles and p.has_handles:
            top = hand + 0.02 * H * hup
            bot = hand - 0.07 * H * hup
            prims.append(Blob(np.array([top, bot]), np.array([0.011 * H, 0.009 * H]), (40, 40, 40), bias=0.003))
    # Legs and shoes.
    for side in ("left", "right"):
        hp, kn, an = J[f"{side}_hip"], J[f"{side}_knee"], J[f"{side}_ankle"]
        prims.append(Blob(np.array([hp, hp + 0.45 * (kn - hp)]), np.array([0.06 * H, 0.05 * H]), shorts, bias=0.001))
        prims.append(Blob(np.array([hp + 0.3 * (kn - hp), kn]), np.array([0.047 * H, 0.034 * H]), legwear))
        prims.append(Blob(np.array([kn, an]), np.array([0.033 * H, 0.021 * H]), legwear))
        # Calf bulge behind the upper shank and a kneecap in front of the joint.
        shank = (an - kn) / np.linalg.norm(an - kn)
        front = np.cross(shank, ex)  # forward, perpendicular to the shank
        prims.append(Blob(np.array([kn + 0.3 * (an - kn) - 0.012 * H * front, kn + 0.55 * (an - kn) - 0.006 * H * front]),
                          np.array([0.034 * H, 0.027 * H]), legwear, bias=-0.001))
        thigh = (kn - hp) / np.linalg.norm(kn - hp)
        prims.append(Blob(np.array([kn - 0.012 * H * thigh + 0.018 * H * np.cross(thigh, ex)]), np.array([0.02 * H]),
                          _shade(legwear, 1.05), bias=0.002))
        if not p.trousers:
            prims.append(Blob(np.array([an + 0.15 * (kn - an), an]), np.array([0.022 * H, 0.021 * H]),
                              (230, 230, 230), bias=0.001))  # sock
        heel, toe, fup = J[f"{side}_heel_sole"], J[f"{side}_toe_sole"], J[f"{side}_foot_up"]
        fdir = (toe - heel) / np.linalg.norm(toe - heel)
        rs, rh, rm, rt = 0.011 * H, 0.021 * H, 0.021 * H, 0.016 * H
        # White sole, then the upper (low-cut: the ankle stays visible above it).
        prims.append(Blob(np.array([heel + rs * fup + rs * fdir, toe + rs * fup - rs * fdir]),
                          np.array([rs, rs]), (235, 235, 235), bias=0.003))
        mid = an - 0.012 * H * fup + 0.03 * H * fdir
        prims.append(Blob(np.array([heel + (rs + 0.6 * rh) * fup + 0.7 * rh * fdir, mid,
                                    toe + (rs + 0.4 * rt) * fup - 0.9 * rt * fdir]),
                          np.array([rh, rm, rt]), shoe, bias=0.004))
        # Dark heel counter and light toe cap make heel and toe distinct.
        prims.append(Blob(np.array([heel + (rs + 0.6 * rh) * fup + 0.6 * rh * fdir]), np.array([rh * 0.8]),
                          (25, 25, 30), bias=0.005))
        prims.append(Blob(np.array([toe + (rs + 0.4 * rt) * fup - 1.0 * rt * fdir]), np.array([rt * 0.75]),
                          (200, 200, 205), bias=0.005))
    return prims


#: Height (m) of the rope's centre line where it lies on the floor (half a thick rope).
ROPE_FLOOR_M = 0.004


def rope_points(sk: Skeleton, dims: BodyDims, f: int, angle_rad: float, rope_length_m: float | None = None,
                n: int = 48) -> Array:
    """3D polyline (n, 3) of the rope from the left handle to the right handle.

    The loop turns about the line through the handles' ends, at ``angle_rad`` (0 =
    straight down, pi/2 = behind, pi = over the head, 3 pi/2 = in front). Its shape is a
    fixed profile across the handles (steep at the handles, flat at the far end) scaled
    out to the radius at which the polyline is ``rope_length_m`` long (default: the
    sizing rule of ``synthetic.params.ROPE_OVER_HEIGHT_CM``), so a longer rope or closer
    hands make a larger loop. Where the loop would go below the floor the rope lies on
    it (the slap in front of the feet as it comes down, the rope under the feet)."""
    length = dims.height_m + ROPE_OVER_HEIGHT_CM / 100.0 if rope_length_m is None else float(rope_length_m)
    H = dims.height_m
    ends = [sk.joints[f"{s}_hand"][f] - 0.07 * H * sk.joints[f"{s}_hand_up"][f] for s in ("left", "right")]
    a, b = ends
    s = np.linspace(0, 1, n)
    prof = np.sin(np.pi * s) ** 0.35
    u = np.array([0.0, -np.cos(angle_rad), -np.sin(angle_rad)])
    r = loop_radius(b - a, u, prof, length)
    pts = a[None] + s[:, None] * (b - a)[None] + (r * prof)[:, None] * u[None]
    pts[:, 1] = np.maximum(pts[:, 1], ROPE_FLOOR_M)
    return pts


def loop_radius(chord: Array, u: Array, prof: Array, length_m: float) -> float:
    """Radius R at which the polyline ``a + s chord + R prof(s) u`` (s evenly spaced over
    [0, 1], ``prof`` 0 at both ends) is ``length_m`` long; 0 when the chord alone is as
    long. The length is convex in R with zero slope at R = 0, so Newton's method from
    a start beyond the root converges monotonically."""
    ds = 1.0 / (len(prof) - 1)
    dp = np.diff(prof)
    c2 = float(chord @ chord) * ds * ds
    cu = float(chord @ u) * ds * dp

    def seg(r: float) -> Array:
        return np.sqrt(np.maximum(c2 + 2.0 * r * cu + r * r * dp * dp, 1e-18))

    if float(np.sqrt(c2)) * (len(prof) - 1) >= length_m:
        return 0.0
    r = length_m / 2.0
    while float(seg(r).sum()) < length_m:  # start beyond the root
        r *= 2.0
    for _ in range(30):
        q = seg(r)
        excess = float(q.sum()) - length_m
        if excess < 1e-7:
            break
        r -= excess / float(np.sum((cu + r * dp * dp) / q))
    return r


def _rope_pieces(img: Array, pieces: list, color: tuple, thick: int, alpha: float) -> None:
    """Draw rope pieces ("rope", a, b) as anti-aliased lines on one layer, blended with
    ``alpha`` inside their common bounding box only."""
    h, w = img.shape[:2]
    pts = np.array([[a, b] for _, a, b in pieces]).reshape(-1, 2)
    pad = thick + 2
    x0, y0 = np.maximum(np.floor(pts.min(0) - pad), 0).astype(int)
    x1, y1 = np.minimum(np.ceil(pts.max(0) + pad + 1), [w, h]).astype(int)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    layer = roi.copy()
    off = np.array([x0, y0])
    for _, a, b in pieces:
        pa, pb = (np.asarray(a) - off) * SUBF, (np.asarray(b) - off) * SUBF
        if np.all(np.abs(np.concatenate([pa, pb])) < 2 ** 30):
            cv2.line(layer, (int(pa[0]), int(pa[1])), (int(pb[0]), int(pb[1])), color, thick, cv2.LINE_AA, SUB)
    if alpha >= 0.999:
        roi[:] = layer
    else:
        cv2.addWeighted(layer, alpha, roi, 1 - alpha, 0, dst=roi)


def rope_width_px(p: JumpParams, cam: Camera, depth_m: float) -> float:
    """Drawn width of the rope (px) at ``depth_m`` from the camera."""
    return p.rope_diameter_mm / 1000.0 * cam.focal_px / depth_m


def _contact_shadow(img: Array, cam: Camera, sk: Skeleton, dims: BodyDims, f: int) -> None:
    """Soft shadow on the floor under the feet (blended inside its bounding box only)."""
    feet = 0.5 * (sk.joints["left_ankle"][f] + sk.joints["right_ankle"][f])
    lift = min(feet[1], 0.6)
    ring = np.stack([0.30 * dims.height_m * 0.5 * np.cos(np.linspace(0, 2 * np.pi, 24)), np.zeros(24),
                     0.18 * dims.height_m * 0.5 * np.sin(np.linspace(0, 2 * np.pi, 24))], -1)
    ring += np.array([feet[0], 0.0, feet[2] + 0.03])
    spx, _ = cam.project(ring)
    pts = np.round(spx * SUBF).astype(np.int64)
    h, w = img.shape[:2]
    x0, y0 = np.maximum((pts.min(0) >> SUB) - 3, 0)
    x1, y1 = np.minimum((pts.max(0) >> SUB) + 4, [w, h])
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    overlay = roi.copy()
    local = (pts - (np.array([x0, y0]) << SUB)).astype(np.int32)
    cv2.fillPoly(overlay, [local], (0, 0, 0), cv2.LINE_AA, SUB)
    alpha = 0.35 * (1 - lift / 0.6)
    cv2.addWeighted(overlay, alpha, roi, 1 - alpha, 0, dst=roi)


def draw_frame(p: JumpParams, dims: BodyDims, sk: Skeleton, f: int, cam: Camera, background: Array,
               rope_rad: float, prev_rope_rad: float | None = None, others: list | None = None,
               gain: float = 1.0) -> Array:
    """Draw one frame (BGR uint8) without post effects.

    ``others``: primitives of other figures (the second person), depth-sorted with the
    jumper's; ``gain``: colour scale of the jumper, the rope and the others (back-light)."""
    img = background.copy()
    _contact_shadow(img, cam, sk, dims, f)

    # Sort by depth along the camera's horizontal viewing direction, so that parts of
    # one limb (differing only in height) are ordered by their bias alone.
    fwd_h = cam.rot[2] * np.array([1.0, 0.0, 1.0])
    fwd_h /= np.linalg.norm(fwd_h)

    def hdepth(pts: Array) -> float:
        return float(np.mean((pts - cam.position) @ fwd_h))

    items: list[tuple[float, object]] = []
    for prim in figure_primitives(p, dims, sk, f, cam) + list(others or ()):
        if isinstance(prim, Blob):
            depth = hdepth(prim.centers) - prim.bias
        else:
            view = cam.position - prim.center
            if np.dot(view, prim.normal) <= 0.15 * np.linalg.norm(view):
                continue
            depth = hdepth(prim.center[None]) - prim.bias
        items.append((depth, prim))
    rope = rope_points(sk, dims, f, rope_rad, p.rope_length_m)
    rpx, rz = cam.project(rope)
    width = rope_width_px(p, cam, float(np.mean(rz)))
    thick = max(1, int(round(width)))
    rope_col = _bgr(p.rope_rgb) if gain == 1.0 else _shade(_bgr(p.rope_rgb), gain)
    # A fast rope smears over a frame (motion blur): fade it with its per-frame travel.
    if prev_rope_rad is not None:
        prev = rope_points(sk, dims, max(f - 1, 0), prev_rope_rad, p.rope_length_m)
        ppx, _ = cam.project(prev)
        travel = float(np.max(np.linalg.norm(ppx - rpx, axis=1)))
        rope_alpha = float(np.clip(4.0 * thick / max(travel, 1e-6), 0.3, 1.0))
    else:
        rope_alpha = 1.0
    if width < 1.0:  # thinner than the 1-px line drawn: it covers only part of each pixel
        rope_alpha *= width
    for k in range(len(rope) - 1 if p.has_rope else 0):
        items.append((hdepth(rope[k:k + 2]), ("rope", rpx[k], rpx[k + 1])))
    items.sort(key=lambda it: -it[0])
    batch: list = []  # consecutive rope pieces, blended together (no double-blended joints)
    for _, prim in items + [(0.0, None)]:
        if isinstance(prim, tuple):
            batch.append(prim)
            continue
        if batch:
            _rope_pieces(img, batch, rope_col, thick, rope_alpha)
            batch = []
        if isinstance(prim, Blob):
            draw_blob(img, cam, prim, gain)
        elif isinstance(prim, Dot):
            draw_dot(img, cam, prim, gain)
    return img


def shake_offsets(p: JumpParams, n: int, rng: np.random.Generator) -> Array:
    """Per-frame camera shake (n, 2) pixels: smoothed noise with RMS ~ ``shake_px``."""
    if p.shake_px <= 0:
        return np.zeros((n, 2))
    raw = rng.standard_normal((n + 20, 2))
    k = max(1, int(p.fps / 10))
    ker = np.ones(k) / k
    sm = np.stack([np.convolve(raw[:, i], ker, mode="same") for i in range(2)], -1)[10:10 + n]
    sm /= max(float(np.sqrt(np.mean(sm ** 2))), 1e-9)
    return sm * p.shake_px


class SensorNoise:
    """Gaussian sensor noise drawn from a small seeded bank of noise images, each frame
    a randomly shifted and flipped bank image (fast and deterministic)."""

    BANK = 4

    def __init__(self, sigma: float, shape: tuple[int, int, int], rng: np.random.Generator) -> None:
        self.rng = rng
        self.bank = [np.round(rng.standard_normal(shape) * sigma).astype(np.int16) for _ in range(self.BANK)]

    def __call__(self, img: Array) -> Array:
        k, dy, dx, flip = (int(v) for v in self.rng.integers(0, [self.BANK, img.shape[0], img.shape[1], 4]))
        # img + flip(roll(bank)) == flip(flip(img) + roll(bank)): the flips move a uint8
        # frame, and the roll is added in four blocks, so no shifted copy of the int16
        # bank is made (same result, bit for bit, as rolling and flipping the bank).
        code = {0: None, 1: 0, 2: 1, 3: -1}[flip]
        src = img if code is None else cv2.flip(img, code)
        out = np.empty_like(src)
        bank = self.bank[k]
        h, w = src.shape[:2]
        for r0, r1, b0 in ((0, dy, h - dy), (dy, h, 0)):
            for c0, c1, d0 in ((0, dx, w - dx), (dx, w, 0)):
                if r1 > r0 and c1 > c0:
                    out[r0:r1, c0:c1] = cv2.add(src[r0:r1, c0:c1], bank[b0:b0 + r1 - r0, d0:d0 + c1 - c0],
                                                dtype=cv2.CV_8U)  # saturating
        return out if code is None else cv2.flip(out, code)


HAZE_BGR = (205.0, 200.0, 195.0)  # a light, slightly blue-grey veil


def post_process(p: JumpParams, img: Array, shake: Array, noise: "SensorNoise | None") -> Array:
    """Camera shake (translation), exposure, back-light glare, haze, lens blur and sensor noise."""
    if np.any(shake != 0):
        m = np.float32([[1, 0, shake[0]], [0, 1, shake[1]]])
        img = cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT)
    if p.backlight > 0:  # veiling glare: light from the bright backdrop spills over the silhouette
        # A wide blur is low-pass: blur a quarter-size copy and scale it back (~16x cheaper).
        h, w = img.shape[:2]
        small = cv2.resize(img, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
        glow = cv2.resize(cv2.GaussianBlur(small, (0, 0), 0.005 * h), (w, h), interpolation=cv2.INTER_LINEAR)
        img = cv2.addWeighted(img, 1.0 - 0.35 * p.backlight, glow, 0.35 * p.backlight, 0)
    if p.light_gain != 1.0:
        img = cv2.convertScaleAbs(img, alpha=p.light_gain)
    if p.haze > 0:
        veil = np.empty_like(img)
        veil[:] = np.round(np.array(HAZE_BGR) * min(p.light_gain, 1.0)).astype(np.uint8)
        img = cv2.addWeighted(img, 1.0 - p.haze, veil, p.haze, 0)
    if p.blur_sigma_px > 0:
        img = cv2.GaussianBlur(img, (0, 0), p.blur_sigma_px)
    if noise is not None:
        img = noise(img)
    return img
