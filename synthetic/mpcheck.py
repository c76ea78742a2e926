"""How far MediaPipe's landmarks land from the drawn joints (development check).

``python -m synthetic.mpcheck [--preset NAME] [--param key=value ...] [--seed N]`` renders
a clip in memory, runs BlazePose (``model_complexity=1``, which ships in the wheel) and
prints the median / 90th-percentile pixel error per joint and side.

``python -m synthetic.mpcheck --conditions`` does it for each capture condition of
``synthetic.capture_stills`` (one condition changed from a plain front view) and prints
the share of frames with a pose and the median error on the landmarks inside the frame
and not hidden, in px and as a share of the standing figure's height.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from analysis.pose.landmarks import Landmark
from synthetic.clip import Scene, build_scene
from synthetic.params import JumpParams, parse_value
from synthetic.presets import PRESETS

JOINTS = ("SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")


def landmark_errors_px(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame error (n, 33) in pixels (NaN where nothing was detected) and the
    detected positions (n, 33, 2)."""
    import cv2
    import mediapipe as mp

    truth = np.array(scene.truth["frames"]["landmarks_px"])
    err = np.full(truth.shape[:2], np.nan)
    det_all = np.full(truth.shape, np.nan)
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False) as pose:
        for f, img in enumerate(scene.frames()):
            res = pose.process(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
            if res.pose_landmarks is None:
                continue
            det = np.array([[lm.x * scene.camera.width, lm.y * scene.camera.height]
                            for lm in res.pose_landmarks.landmark])
            det_all[f] = det
            err[f] = np.linalg.norm(det - truth[f], axis=1)
    return err, det_all


def summary(err: np.ndarray) -> dict[str, dict[str, float]]:
    """Median and 90th percentile error per joint name and side."""
    out: dict[str, dict[str, float]] = {}
    for j in JOINTS:
        for side in ("LEFT", "RIGHT"):
            e = err[:, Landmark[f"{side}_{j}"]]
            e = e[~np.isnan(e)]
            out[f"{side}_{j}"] = {"median": float(np.median(e)) if len(e) else np.nan,
                                  "p90": float(np.percentile(e, 90)) if len(e) else np.nan}
    e = err[:, Landmark.NOSE]
    out["NOSE"] = {"median": float(np.nanmedian(e)), "p90": float(np.nanpercentile(e, 90))}
    return out


def visible_error(scene: Scene, err: np.ndarray) -> dict:
    """Pose-found share and error on landmarks inside the frame and not hidden."""
    fr = scene.truth["frames"]
    vis = np.asarray(fr["landmarks_in_frame"], bool) & ~np.asarray(fr["landmarks_hidden"], bool)
    found = ~np.isnan(err[:, 0])
    e = err[found][vis[found]]
    fig = scene.truth["capture"]["figure_height_px"]
    med = float(np.median(e)) if e.size else float("nan")
    return {"found": float(found.mean()), "median_px": med, "median_frac": med / fig, "figure_px": fig}


def condition_check(names: list[str] | None = None, n_jumps: int = 6) -> dict[str, dict]:
    """``visible_error`` for each capture condition of ``synthetic.capture_stills``."""
    from synthetic.capture_stills import BASE, CONDITIONS  # noqa: PLC0415

    out = {}
    for name in names or ["plain", *CONDITIONS]:
        kw = {} if name == "plain" else CONDITIONS[name]
        scene = build_scene(JumpParams.from_dict({**BASE, "n_jumps": n_jumps, **kw}), 3)
        err, _ = landmark_errors_px(scene)
        out[name] = visible_error(scene, err)
        r = out[name]
        print(f"{name:24s} found {r['found']:.2f}  median {r['median_px']:5.1f} px = {r['median_frac']:.3f} of "
              f"{r['figure_px']:.0f} px", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthetic.mpcheck")
    ap.add_argument("--conditions", action="store_true", help="the capture conditions of synthetic.capture_stills")
    ap.add_argument("--preset", default="clean_front", choices=sorted(PRESETS))
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.conditions:
        condition_check()
        return 0
    d = dict(PRESETS[args.preset])
    for item in args.param:
        k, v = item.split("=", 1)
        d[k] = parse_value(v)
    scene = build_scene(JumpParams.from_dict(d), args.seed)
    err, _ = landmark_errors_px(scene)
    found = float(np.mean(~np.isnan(err[:, 0])))
    s = summary(err)
    print(f"{args.preset} {scene.truth['view']} {scene.camera.width}x{scene.camera.height}: "
          f"pose found in {found:.0%} of {scene.n_frames} frames; median / p90 px error")
    print(f"{'joint':12s} {'left':>11s} {'right':>11s}")
    for j in JOINTS:
        left, right = s[f"LEFT_{j}"], s[f"RIGHT_{j}"]
        print(f"{j.lower():12s} {left['median']:5.1f}/{left['p90']:5.1f} {right['median']:5.1f}/{right['p90']:5.1f}")
    print(f"{'nose':12s} {s['NOSE']['median']:5.1f}/{s['NOSE']['p90']:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
