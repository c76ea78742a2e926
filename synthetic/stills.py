"""Stills of the randomised suite's motions for ``synthetic/README.md``.

``python -m synthetic.stills [OUTDIR]`` (default ``synthetic/stills``) writes one small
JPEG strip per movement and skipping style (frames spread over one repetition, cropped
to the figure), a slow-motion strip (consecutive video frames of a 4x clip) and one
rope turn seen from the front and the side (cropped to the figure and the rope).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from synthetic.clip import build_scene
from synthetic.params import JumpParams
from synthetic.render import rope_points

BASE = {"resolution_p": 540, "noise_sigma": 1.0, "lead_in_s": 0.6, "end_stand_s": 0.3, "audio": False,
        "camera_yaw_deg": 35.0, "fps": 60.0, "camera_fill": 0.62}
#: name: (params, frames per strip)
STILLS: dict[str, tuple[dict, int]] = {
    "two_foot": ({"n_jumps": 3}, 5),
    "alternate": ({"style": "alternate", "cadence_jpm": 150.0, "jump_height_cm": 9.0, "n_jumps": 4}, 5),
    "boxer": ({"style": "boxer", "n_jumps": 4, "boxer_switch_every": 1, "cadence_jpm": 140.0}, 5),
    "double_under": ({"style": "double_under", "cadence_jpm": 75.0, "jump_height_cm": 16.0, "n_jumps": 3}, 5),
    "high_knees": ({"movement": "high_knees", "reps": 4}, 5),
    "jogging": ({"movement": "jogging", "reps": 4}, 5),
    "tuck_jumps": ({"movement": "tuck_jumps", "reps": 2}, 6),
    "skater": ({"movement": "skater", "reps": 3, "camera_yaw_deg": 15.0}, 6),
    "jumping_jacks": ({"movement": "jumping_jacks", "reps": 2}, 6),
    "burpees": ({"movement": "burpees", "reps": 1, "camera_yaw_deg": 70.0}, 7),
    "squats": ({"movement": "squats", "reps": 2}, 5),
    "hop_one_foot": ({"movement": "hop_one_foot", "reps": 3}, 5),
    "boxing_footwork": ({"movement": "boxing_footwork", "reps": 6, "camera_yaw_deg": 20.0}, 5),
}
HEIGHT_PX = 200  # each strip's height


def _span(truth: dict) -> tuple[float, float]:
    """Video seconds of the second repetition (or the first): where the motion is steady."""
    if truth["reps"]:
        r = truth["reps"][min(1, len(truth["reps"]) - 1)]
        return r["start_s"], r["end_s"]
    j = truth["jumps"][min(1, len(truth["jumps"]) - 1)]
    return j["takeoff_s"] - j["contact_s_before"], j["landing_s"]


def _crop(img: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    out = img[y0:y1, x0:x1]
    return cv2.resize(out, (int(round(out.shape[1] * HEIGHT_PX / out.shape[0])), HEIGHT_PX), interpolation=cv2.INTER_AREA)


def strip(params: dict, n: int, frames: list[int] | None = None, seed: int = 1) -> np.ndarray:
    """Frames of one clip side by side, cropped to the figure (landmarks + margin)."""
    sc = build_scene(JumpParams.from_dict({**BASE, **params}), seed)
    fps = sc.truth["fps"]
    if frames is None:
        a, b = _span(sc.truth)
        frames = np.linspace(a * fps, b * fps, n).round().astype(int).clip(0, sc.n_frames - 1).tolist()
    lm = np.array(sc.truth["frames"]["landmarks_px"])[frames]
    h, w = sc.camera.height, sc.camera.width
    pad = 0.18 * (lm[..., 1].max() - lm[..., 1].min())
    x0, y0 = np.maximum(lm.reshape(-1, 2).min(0) - pad, 0).astype(int)
    x1, y1 = np.minimum(lm.reshape(-1, 2).max(0) + pad, [w, h]).astype(int)
    want, got = set(frames), {}
    for f, img in enumerate(sc.frames()):
        if f in want:
            got[f] = _crop(img, (x0, y0, x1, y1))
        if f >= max(frames):
            break
    return np.hstack([got[f] for f in frames])


def slowmo_strip(seed: int = 1) -> np.ndarray:
    """Six consecutive video frames around a take-off of a 4x slow-motion clip (30 fps)."""
    p = {"n_jumps": 2, "slowmo_factor": 4.0, "fps": 30.0, "camera_yaw_deg": 90.0}
    sc = build_scene(JumpParams.from_dict({**BASE, **p}), seed)
    f0 = sc.truth["jumps"][0]["takeoff_frame"] - 2
    return strip(p, 6, list(range(f0, f0 + 6)), seed)


def rope_turn_strip(seed: int = 1) -> np.ndarray:
    """One rope turn, six frames 60 deg apart (under the feet, behind, over the head, in
    front), in a front view (left) and a side view (right), each cropped to the figure
    and the whole rope."""
    rows = []
    for yaw in (0.0, 90.0):
        p = {"n_jumps": 4, "camera_yaw_deg": yaw, "camera_fill": 0.5}
        sc = build_scene(JumpParams.from_dict({**BASE, **p}), seed)
        ang = np.asarray(sc.motion.rope_rad)
        base = (ang[len(ang) // 2] // (2 * np.pi)) * 2 * np.pi
        frames = [int(np.argmin(np.abs(ang - (base + k * np.pi / 3)))) for k in range(6)]
        pts = [np.array(sc.truth["frames"]["landmarks_px"])[frames].reshape(-1, 2)]
        for f in frames:
            px, _ = sc.camera.project(rope_points(sc.skeleton, sc.dims, f, float(ang[f]), sc.params.rope_length_m))
            pts.append(px + sc.shake_px[f])
        xy = np.concatenate(pts)
        h, w = sc.camera.height, sc.camera.width
        pad = 0.04 * (xy[:, 1].max() - xy[:, 1].min())
        x0, y0 = np.maximum(xy.min(0) - pad, 0).astype(int)
        x1, y1 = np.minimum(xy.max(0) + pad, [w, h]).astype(int)
        want, got = set(frames), {}
        for f, img in enumerate(sc.frames()):
            if f in want:
                got[f] = _crop(img, (x0, y0, x1, y1))
            if f >= max(frames):
                break
        rows.append(np.hstack([got[f] for f in frames]))
    gap = np.full((HEIGHT_PX, 8, 3), 255, np.uint8)
    return np.hstack([rows[0], gap, rows[1]])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthetic.stills")
    ap.add_argument("outdir", nargs="?", type=Path, default=Path(__file__).parent / "stills")
    args = ap.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    total = 0
    items = [(name, lambda p=p, k=k: strip(p, k)) for name, (p, k) in STILLS.items()]
    items.append(("slowmo_4x", slowmo_strip))
    items.append(("rope_turn", rope_turn_strip))
    for name, make in items:
        out = args.outdir / f"{name}.jpg"
        cv2.imwrite(str(out), make(), [cv2.IMWRITE_JPEG_QUALITY, 78])
        total += out.stat().st_size
        print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)", flush=True)
    print(f"total {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
