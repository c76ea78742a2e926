"""Stills of the capture conditions for ``synthetic/README.md``:
``python -m synthetic.capture_stills [OUTDIR]`` (default ``synthetic/stills``).

Each still is one frame of a short clip that differs from a plain front view in one
capture condition (or a few, where they come together in real footage), plus a few
frames of randomised clips exactly as the suite draws them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2

from synthetic.clip import build_scene
from synthetic.params import JumpParams
from synthetic.randomise import draw_clip
from synthetic.randomise_capture import MAX_CLEARANCE_M, _edge_fit


def _cut(y_bot_frac: float, y_top_frac: float, cam_h: float, extra_top_m: float = 0.0) -> dict:
    """Framing that puts body heights (fractions of 1.70 m) on the frame's edges."""
    aim, fill = _edge_fit(1.7, cam_h, 4.0, y_bot_frac * 1.7, y_top_frac * 1.7 + extra_top_m)
    return {"camera_aim_height_frac": aim, "camera_fill": fill, "camera_height_m": cam_h}


BASE = {"n_jumps": 3, "resolution_p": 360, "lead_in_s": 0.4, "background": "studio"}
CONDITIONS: dict[str, dict] = {
    "child": {"standing_height_cm": 124.0, "head_height_frac": 0.166, "hip_height_frac": 0.505,
              "skin_rgb": [130, 92, 67], "shirt_rgb": [230, 200, 40]},
    "dark": {"light_gain": 0.25, "noise_sigma": 9.0, "background": "gym"},
    "backlit": {"backlight": 0.9, "background": "plain", "background_rgb": [225, 225, 220]},
    "haze": {"haze": 0.5, "background": "outdoor", "background_rgb": [185, 195, 205], "floor_rgb": [95, 95, 100]},
    "cluttered": {"background": "cluttered", "skin_rgb": [96, 65, 52]},
    "outdoor": {"background": "outdoor", "background_rgb": [150, 190, 235], "floor_rgb": [90, 125, 60]},
    "brick_oblique": {"background": "brick", "background_rgb": [170, 85, 60], "camera_yaw_deg": 40.0},
    "back_view": {"camera_yaw_deg": 172.0, "hair_rgb": [200, 165, 110]},
    "second_person": {"second_person": "passing", "second_person_lateral_m": -2.4, "second_person_depth_m": 1.4,
                      "camera_yaw_deg": 20.0},
    "floor_camera": {"camera_height_m": 0.15, "camera_fill": 0.7},
    "high_camera": {"camera_height_m": 2.4, "camera_fill": 0.6},
    "feet_cut": _cut(0.035, 1.08, 1.2, MAX_CLEARANCE_M),
    "below_knee_cut": _cut(0.17, 1.08, 1.3, MAX_CLEARANCE_M),
    "head_cut": _cut(-0.05, 0.86, 0.9),
    "portrait_side_tilted": {"aspect": "portrait", "camera_yaw_deg": 90.0, "camera_roll_deg": 9.0},
    "clothes_like_wall": {"shirt_rgb": [195, 200, 205], "background": "plain"},
    "thin_rope_240p": {"resolution_p": 240, "rope_diameter_mm": 3.0, "rope_rgb": [140, 140, 145], "crf": 33,
                       "x264_preset": "superfast"},
}
RANDOM_SEEDS = (1003, 1011, 1017)


def _still(p: JumpParams, seed: int, frame: int):
    sc = build_scene(p, seed)
    k = min(frame, sc.n_frames - 1)
    for i, img in enumerate(sc.frames()):
        if i == k:
            return img
    raise RuntimeError("no frame")


def _save(img, path: Path, long_side: int = 320) -> None:
    h, w = img.shape[:2]
    s = long_side / max(h, w)
    small = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(path), small, [cv2.IMWRITE_JPEG_QUALITY, 78])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).resolve().parent / "stills"
    out.mkdir(parents=True, exist_ok=True)
    for name, kw in CONDITIONS.items():
        _save(_still(JumpParams.from_dict({**BASE, **kw}), 3, 25), out / f"capture_{name}.jpg")
        print(f"capture_{name}.jpg", flush=True)
    for seed in RANDOM_SEEDS:
        p, lab = draw_clip(seed, small=True)
        _save(_still(p, seed, lab["frames"] // 2), out / f"capture_random_{seed}.jpg")
        print(f"capture_random_{seed}.jpg {lab['movement']} {lab['view_bin']} {lab['tags']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
