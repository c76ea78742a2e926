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

from analysis.landmarks import Landmark as L
from synthetic.body import BodyDims, Skeleton
from synthetic.params import JumpParams

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
        """Camera at the parameterised yaw, distance and height, aimed at the figure."""
        yaw = np.radians(p.camera_yaw_deg)
        d = p.camera_distance_m
        pos = np.array([d * np.sin(yaw), p.camera_height_m, d * np.cos(yaw)])
        target = np.array([0.0, 0.52 * dims.height_m, 0.0])
        w, h = p.frame_size
        dist = float(np.linalg.norm(pos - target))
        focal = p.camera_fill * h * dist / (dims.height_m * 1.12)
        return cls.look_at(pos, target, focal, w, h)

    def to_cam(self, pts: Array) -> Array:
        return (np.asarray(pts, float) - self.position) @ self.rot.T

    def project(self, pts: Array) -> tuple[Array, Array]:
        """Pixel coordinates (..., 2) and depth (...) of world points (..., 3)."""
        c = self.to_cam(pts)
        z = np.maximum(c[..., 2], 1e-3)
        return np.stack([self.focal_px * c[..., 0] / z + self.cx, self.focal_px * c[..., 1] / z + self.cy], -1), z


# ----------------------------------------------------------------------------- background


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
    wall_pt = fwd_h * 3.0  # backdrop 3 m behind the jumper
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
    if p.background == "gym":
        across = wall_hit @ np.cross(fwd_h, [0.0, 1.0, 0.0])
        lines = (np.abs(((wall_hit[..., 1] * 4) % 1) - 0.5) < 0.03) | (np.abs(((across * 1.2) % 1) - 0.5) < 0.01)
        wall = np.where(lines[..., None], wall * 0.8, wall)
    elif p.background == "noise":
        tex = cv2.GaussianBlur(rng.standard_normal((h // 8 + 1, w // 8 + 1)).astype(np.float32), (0, 0), 1.5)
        tex = cv2.resize(tex, (w, h), interpolation=cv2.INTER_CUBIC)
        wall = wall * (1 + 0.25 * tex[..., None])
    img[:] = wall
    # Floor: planks along the camera axis, fading with distance.
    fhit = cam.position + dirs * np.where(floor, t_floor, 0)[..., None]
    across = fhit @ np.cross(fwd_h, [0.0, 1.0, 0.0])
    plank = 1.0 + 0.06 * np.sin(np.floor(across / 0.15) * 2.1) - 0.18 * (np.abs((across / 0.15) % 1 - 0.5) > 0.47)
    if p.background == "plain":
        plank = np.ones_like(across)
    dist = np.where(floor, t_floor, 0)
    fog = np.clip(1.0 - dist / 30.0, 0.6, 1.0)
    floor_col = fl * (plank * fog)[..., None]
    img = np.where(floor[..., None], floor_col, img)
    return np.clip(img * p.brightness, 0, 255).astype(np.uint8)


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


def draw_blob(img: Array, cam: Camera, blob: Blob) -> None:
    px, z = cam.project(blob.centers)
    r = blob.radii * cam.focal_px / z
    for scale, shift, k in LAYERS:
        pts = (px[:, None, :] + (shift * r)[:, None, None] * LIGHT2D + (scale * r)[:, None, None] * CIRCLE16).reshape(-1, 2)
        _fill_hull(img, pts, _shade(blob.color, k))


def draw_dot(img: Array, cam: Camera, dot: Dot) -> None:
    px, z = cam.project(dot.center[None])
    r = max(dot.radius_m * cam.focal_px / z[0], 0.7)
    view = cam.position - dot.center
    squeeze = float(np.clip(np.dot(view / np.linalg.norm(view), dot.normal), 0.3, 1.0))  # foreshortening
    c = (int(round(px[0, 0] * SUBF)), int(round(px[0, 1] * SUBF)))
    axes = (int(round(r * squeeze * SUBF)), int(round(r * dot.aspect * SUBF)))
    cv2.ellipse(img, c, axes, 0, 0, 360, dot.color, -1, cv2.LINE_AA, SUB)


def _bgr(rgb: tuple) -> tuple:
    return (int(rgb[2]), int(rgb[1]), int(rgb[0]))


# ----------------------------------------------------------------------------- figure


def figure_primitives(p: JumpParams, dims: BodyDims, sk: Skeleton, f: int, cam: Camera) -> list:
    """All blobs and dots of the figure at frame ``f``."""
    J = {k: v[f] for k, v in sk.joints.items()}
    H = dims.height_m
    skin, shirt, shorts, shoe = _bgr(p.skin_rgb), _bgr(p.shirt_rgb), _bgr(p.shorts_rgb), _bgr(p.shoe_rgb)
    legwear = shorts if p.trousers else skin
    prims: list = []
    up = J["mid_shoulder"] - J["mid_hip"]
    up /= np.linalg.norm(up)
    ex = np.array([1.0, 0.0, 0.0])
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

    def hv(v: list) -> Array:
        return np.asarray(v) if rot is None else rot @ np.asarray(v, float)

    prims.append(Blob(np.array([hc + hv([0, 0.22 * r, -0.12 * r]), hc + hv([0, 0.05 * r, -0.32 * r]),
                                hc + hv([0, 0.5 * r, 0.12 * r])]),
                      np.array([0.86 * r, 0.8 * r, 0.6 * r]), (30, 40, 60), bias=-0.02))
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
        if p.has_handles:
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


def rope_points(sk: Skeleton, dims: BodyDims, f: int, angle_rad: float, n: int = 48) -> Array:
    """3D polyline (n, 3) of the rope from the left handle to the right handle."""
    H = dims.height_m
    ends = [sk.joints[f"{s}_hand"][f] - 0.07 * H * sk.joints[f"{s}_hand_up"][f] for s in ("left", "right")]
    a, b = ends
    r_max = 0.5 * (a[1] + b[1]) - 0.008
    s = np.linspace(0, 1, n)
    prof = np.sin(np.pi * s) ** 0.35
    u = np.array([0.0, -np.cos(angle_rad), -np.sin(angle_rad)])
    pts = a[None] + s[:, None] * (b - a)[None] + (r_max * prof)[:, None] * u[None]
    pts[:, 1] = np.maximum(pts[:, 1], 0.004)
    return pts


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


def draw_frame(p: JumpParams, dims: BodyDims, sk: Skeleton, f: int, cam: Camera, background: Array,
               rope_rad: float, prev_rope_rad: float | None = None) -> Array:
    """Draw one frame (BGR uint8) without post effects."""
    img = background.copy()
    # Soft contact shadow on the floor under the feet.
    feet = 0.5 * (sk.joints["left_ankle"][f] + sk.joints["right_ankle"][f])
    lift = min(feet[1], 0.6)
    ring = np.stack([0.30 * dims.height_m * 0.5 * np.cos(np.linspace(0, 2 * np.pi, 24)), np.zeros(24),
                     0.18 * dims.height_m * 0.5 * np.sin(np.linspace(0, 2 * np.pi, 24))], -1)
    ring += np.array([feet[0], 0.0, feet[2] + 0.03])
    spx, _ = cam.project(ring)
    overlay = img.copy()
    cv2.fillPoly(overlay, [np.round(spx * SUBF).astype(np.int32)], (0, 0, 0), cv2.LINE_AA, SUB)
    alpha = 0.35 * (1 - lift / 0.6)
    cv2.addWeighted(overlay, alpha, img, 1 - alpha, 0, dst=img)

    # Sort by depth along the camera's horizontal viewing direction, so that parts of
    # one limb (differing only in height) are ordered by their bias alone.
    fwd_h = cam.rot[2] * np.array([1.0, 0.0, 1.0])
    fwd_h /= np.linalg.norm(fwd_h)

    def hdepth(pts: Array) -> float:
        return float(np.mean((pts - cam.position) @ fwd_h))

    items: list[tuple[float, object]] = []
    for prim in figure_primitives(p, dims, sk, f, cam):
        if isinstance(prim, Blob):
            depth = hdepth(prim.centers) - prim.bias
        else:
            view = cam.position - prim.center
            if np.dot(view, prim.normal) <= 0.15 * np.linalg.norm(view):
                continue
            depth = hdepth(prim.center[None]) - prim.bias
        items.append((depth, prim))
    rope = rope_points(sk, dims, f, rope_rad)
    rpx, rz = cam.project(rope)
    thick = max(1, int(round(0.008 * cam.focal_px / float(np.mean(rz)))))
    rope_col = _bgr(p.rope_rgb)
    # A fast rope smears over a frame (motion blur): fade it with its per-frame travel.
    if prev_rope_rad is not None:
        prev = rope_points(sk, dims, max(f - 1, 0), prev_rope_rad)
        ppx, _ = cam.project(prev)
        travel = float(np.max(np.linalg.norm(ppx - rpx, axis=1)))
        rope_alpha = float(np.clip(4.0 * thick / max(travel, 1e-6), 0.3, 1.0))
    else:
        rope_alpha = 1.0
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
            draw_blob(img, cam, prim)
        elif isinstance(prim, Dot):
            draw_dot(img, cam, prim)
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
        noise = np.roll(self.bank[k], (dy, dx), axis=(0, 1))
        if flip & 1:
            noise = noise[::-1]
        if flip & 2:
            noise = noise[:, ::-1]
        return cv2.add(img, np.ascontiguousarray(noise), dtype=cv2.CV_8U)  # saturating


def post_process(p: JumpParams, img: Array, shake: Array, noise: "SensorNoise | None") -> Array:
    """Camera shake (translation), lens blur and sensor noise."""
    if np.any(shake != 0):
        m = np.float32([[1, 0, shake[0]], [0, 1, shake[1]]])
        img = cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT)
    if p.blur_sigma_px > 0:
        img = cv2.GaussianBlur(img, (0, 0), p.blur_sigma_px)
    if noise is not None:
        img = noise(img)
    return img
