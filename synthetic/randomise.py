"""The randomised synthetic suite: one seed -> one clip's parameters and condition labels.

``draw_clip(seed) -> (JumpParams, labels)`` draws the frame rate and the clip length
under a frame budget (this module), the motion (``randomise_motion.draw_motion``: who
jumps, what they do, which faults at what strength) and the capture
(``randomise_capture.draw_capture``: body proportions, appearance, scene, light, camera,
framing, shake, blur, noise, compression, a second person). Each side draws from its own
random stream (``SeedSequence(seed).spawn``), so a change on one side leaves the other
side's draws for a seed unchanged.

Seed ranges (never tune on the seeds you report):

* DEVELOPMENT seeds ``DEV_SEEDS`` (1000-1999): look at failures, choose thresholds.
* REPORTING seeds from ``REPORT_SEED_START`` (100000): the figures in bench/RESULTS.md
  that claim generalisation; nothing is tuned on them.

Frame budget. ``python -m bench.generalise --n 200 --workers 2`` must render and analyse
200 clips in about an hour on the 2-core machine. MediaPipe runs ~24 frames/s on one core
and two processes give ~1.3x one; the renderer's speed by resolution is in
bench/RESULTS.md ("generalise"). So the frame rate is drawn first (weighted to phone
rates), then a per-clip frame budget ``BUDGET_MIN * (MAX_FRAMES / BUDGET_MIN) ** (u **
BUDGET_SHAPE)`` (u uniform; ``BUDGET_SHAPE`` chosen so the mean over the frame-rate mix
is ``TARGET_MEAN_FRAMES``, see ``mean_frames``), and the clip length is the budget's
duration at that rate, held to 5-90 s and to ``MAX_FRAMES`` frames. A 240 fps clip is
therefore 5 s (1200 frames), a 10 fps clip up to 90 s. 1080p clips are cut to
``MAX_FRAMES_1080`` frames, as they render ~3x slower than 720p (otherwise drawn 1080p
clips with a bigger budget are rendered at 720p). Long real clips are represented by
their low-frame-rate versions and by 30-40 s at 30 fps; the analysis has no behaviour
between 40 and 90 s that shorter clips would not show (its windows are 10 s long).
"""

from __future__ import annotations

import math

import numpy as np

import synthetic.randomise_motion as motion_draw
from synthetic.capture import capture_tags, view_bin
from synthetic.params import JumpParams
from synthetic.randomise_capture import draw_capture, framing_tags
from synthetic.randomise_motion import n_video_frames

DEV_SEEDS = range(1000, 2000)
REPORT_SEED_START = 100_000

#: Frame rates: 30 fps dominates phone video; 60 is the common "smooth" setting; 24/25
#: film and PAL rates; 29.97/59.94 NTSC-derived exports; 120/240 high-rate capture
#: played at its own rate (slow motion, where the physics is slowed, is drawn on the
#: motion side); 10-15 fps are GIF conversions, webcams and screen recordings (rare).
FPS_P = {10.0: 0.02, 12.0: 0.02, 15.0: 0.03, 24.0: 0.06, 25.0: 0.07, 29.97: 0.06, 30.0: 0.36, 50.0: 0.04,
         59.94: 0.04, 60.0: 0.19, 120.0: 0.07, 240.0: 0.04}
#: Slow motion (the physics slowed, drawn on the motion side) is recorded at 60-240 fps
#: and played back at these rates (iPhone and most Android exports: 30 fps).
SLOWMO_FPS_P = {30.0: 0.6, 29.97: 0.1, 25.0: 0.1, 24.0: 0.2}
#: A slow-motion clip covers a few jumps of physical time: 2.5 s at 8x and 30 fps is 600
#: frames (the motion side's minimum physical stretch).
SLOWMO_MIN_FRAMES = 600
SMALL_SLOWMO_FRAMES = 320
MIN_DURATION_S, MAX_DURATION_S = 5.0, 90.0
MAX_FRAMES = 1200
MAX_FRAMES_1080 = 600
#: The CI variant (``draw_clip(seed, small=True)``): short and small.
SMALL_FRAMES = 240
SMALL_RESOLUTION_P = 360
SMALL_MAX_FPS = 30.0
BUDGET_MIN = 120
BUDGET_SHAPE = 2.0
TARGET_MEAN_FRAMES = 400

#: fps bands of the report tables.
FPS_BANDS = ((0.0, 20.0, "10-15"), (20.0, 40.0, "24-30"), (40.0, 90.0, "50-60"), (90.0, 1e9, "120-240"))


def fps_band(fps: float) -> str:
    return next(name for lo, hi, name in FPS_BANDS if lo <= fps < hi)


def draw_budget(rng: np.random.Generator, slowmo: bool = False) -> tuple[float, float, int]:
    """(fps, duration s, frame budget) of one clip. A slow-motion clip plays back at a
    phone's playback rate (``SLOWMO_FPS_P``) and gets at least ``SLOWMO_MIN_FRAMES``."""
    shares = SLOWMO_FPS_P if slowmo else FPS_P
    keys = list(shares)
    fps = float(keys[int(rng.choice(len(keys), p=np.array([shares[k] for k in keys])))])
    u = float(rng.random())
    budget = BUDGET_MIN * (MAX_FRAMES / BUDGET_MIN) ** (u ** BUDGET_SHAPE)
    if slowmo:
        budget = max(budget, SLOWMO_MIN_FRAMES)
    # The motion side fills 70-100 % of the budget: a budget of 5 s / 0.7 keeps clips >= 5 s
    # (except at 240 fps, where MAX_FRAMES is 5 s: those clips are 3.5-5 s).
    duration = min(max(budget / fps, MIN_DURATION_S / 0.7), MAX_DURATION_S)
    frames = min(int(math.floor(duration * fps)) + 1, MAX_FRAMES)
    return fps, frames / fps, frames


def _streams(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    ss = np.random.SeedSequence(int(seed))
    a, b, c = ss.spawn(3)
    return np.random.default_rng(a), np.random.default_rng(b), np.random.default_rng(c)


def draw_clip(seed: int, small: bool = False) -> tuple[JumpParams, dict]:
    """Parameters and condition labels of the randomised clip ``seed`` (deterministic).

    ``small``: the CI variant of the same draw: at most ``SMALL_FRAMES`` frames,
    ``SMALL_MAX_FPS`` and ``SMALL_RESOLUTION_P`` (everything else as drawn; shake, pans
    and blur scaled with the frame).

    Labels: ``movement`` (skipping style, or the no-rope movement), ``view_bin``,
    ``fps_band``, ``tags`` (capture conditions, plus ``slowmo``), ``framing`` (intended
    cut, from the geometry of the standing jumper), ``seed_range`` ("dev"/"report"/"other")
    and a few raw values (yaw, fps, resolution, duration, frames).
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    r_budget, r_motion, r_capture = _streams(int(seed))
    # The motion side may say first whether the clip is slow motion (it plays back at a
    # playback rate, not a capture rate).
    kind = motion_draw.draw_kind(r_motion) if hasattr(motion_draw, "draw_kind") else None
    fps, _, frames = draw_budget(r_budget, slowmo=kind == "slowmo")
    if small:
        fps = min(fps, SMALL_MAX_FPS)
        frames = min(frames, SMALL_SLOWMO_FRAMES if kind == "slowmo" else SMALL_FRAMES)
    motion = motion_draw.draw_motion(r_motion, fps=fps, max_frames=frames, **({"kind": kind} if kind else {}))
    n_frames = n_video_frames(motion, fps)
    duration = n_frames / fps
    capture = draw_capture(r_capture, fps=fps, standing_height_cm=float(motion["standing_height_cm"]),
                           duration_s=duration)
    if capture["resolution_p"] == 1080 and frames > MAX_FRAMES_1080:  # 1080p renders ~3x slower
        _rescale(capture, 720)
    if small and capture["resolution_p"] > SMALL_RESOLUTION_P:
        _rescale(capture, SMALL_RESOLUTION_P)
    p = JumpParams.from_dict({**motion, **capture, "fps": fps})
    movement = getattr(p, "movement", "skipping")
    slowmo = float(getattr(p, "slowmo_factor", 1.0) or 1.0)
    tags = capture_tags(p) + framing_tags(p) + (["slowmo"] if slowmo > 1 else [])
    labels = {
        "seed": int(seed),
        "seed_range": "dev" if seed in DEV_SEEDS else "report" if seed >= REPORT_SEED_START else "other",
        "movement": (getattr(p, "style_label", p.style) if movement == "skipping" else str(movement)),
        "view_bin": view_bin(p.camera_yaw_deg),
        "camera_yaw_deg": float(p.camera_yaw_deg),
        "fps": float(p.fps),
        "fps_band": fps_band(p.fps),
        "resolution_p": int(p.resolution_p),
        "slowmo_factor": slowmo,
        "duration_s": round(duration, 3),
        "frames": int(n_frames),
        "frame_budget": int(frames),
        "tags": tags,
    }
    return p, labels


def _rescale(capture: dict, resolution_p: int) -> None:
    """Render a drawn capture at a lower resolution (pixel-sized effects scale with it)."""
    k = resolution_p / capture["resolution_p"]
    capture["resolution_p"] = resolution_p
    for key in ("blur_sigma_px", "shake_px", "pan_px"):
        capture[key] = round(capture[key] * k, 3)


def mean_frames(n: int = 4000, seed: int = 0) -> dict:
    """Expected frames per clip and the share of each resolution, by simulation of the
    budget alone (``python -c 'from synthetic.randomise import mean_frames; print(mean_frames())'``);
    the motion side fills 70-100 % of each budget."""
    rng = np.random.default_rng(seed)
    draws = [draw_budget(rng) for _ in range(n)]
    fr = np.array([d[2] for d in draws])
    du = np.array([d[1] for d in draws])
    return {"mean_budget_frames": round(float(np.mean(fr)), 1), "p90_frames": float(np.percentile(fr, 90)),
            "max_frames": int(np.max(fr)), "median_s": round(float(np.median(du)), 2),
            "p90_s": round(float(np.percentile(du, 90)), 1), "max_s": round(float(np.max(du)), 1)}
