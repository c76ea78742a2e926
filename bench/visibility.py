"""How far the pose model's wrists can be trusted below its visibility threshold, on cached
development seeds, and the low-confidence floor that follows.

The analysis treats a landmark under visibility 0.5 as missing (``measure.signals.MIN_VISIBILITY``).
A rope turned fast blurs the hands and the model's confidence in them drops, so jump
detection may take a second look at the wrists down to a lower visibility
(``measure.signals.LOW_CONFIDENCE_MIN_VISIBILITY``, read by ``measure.jumps.rope.hands_cues``).
This reads, for every wrist frame in view, the model's error against the renderer's truth
(the wrist relative to the shoulders' midpoint, as the hands' cue reads it, as a share of the
figure's height) and whether the truth has that wrist hidden behind the body, by visibility
band. The floor is the lowest band's lower edge where fewer than ``MAX_HIDDEN_SHARE`` of the
wrists are hidden and the median error is within ``MAX_ERROR_RATIO`` of that of wrists seen
at 0.5 or more; every band above it must pass too.

    python -m bench.visibility --dir DIR [--seeds 1000-1159,1920-1959]

``DIR`` is a ``bench.replay`` cache (pose stages and truth). Only development seeds are read
(the reporting seeds, from ``synthetic.randomise.REPORT_SEED_START``, are refused).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from bench.calibrate import REPORT_SEED_START
from bench.replay import parse_seeds

#: Visibility bands (lower edges; the last runs to 1).
BANDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9)
#: A band is usable where fewer than this share of its wrists are hidden behind the body in
#: truth (the model then places them from the arm around them) ...
MAX_HIDDEN_SHARE = 0.10
#: ... and its median error is within this multiple of the wrists seen at 0.5 or more.
MAX_ERROR_RATIO = 1.5


def wrist_errors(cache: Path, seeds: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(error as a share of the figure's height, visibility, hidden in truth) of every wrist
    frame in view of the seeds' clips."""
    from analysis.pose.landmarks import Landmark as L  # noqa: PLC0415

    errs, vis, hid = [], [], []
    for s in seeds:
        pk, tj = cache / "pose" / f"{s}.pkl", cache / "truth" / f"{s}.json"
        if not (pk.exists() and tj.exists()):
            continue
        stage = pickle.loads(pk.read_bytes())
        truth = json.loads(tj.read_text())["truth"]
        frames = truth["frames"]
        true_px = np.asarray(frames["landmarks_px"], float)
        hidden = np.asarray(frames["landmarks_hidden"], bool)
        in_frame = np.asarray(frames["landmarks_in_frame"], bool)
        xy, v = stage.pose.xy_px, stage.pose.visibility
        n = min(len(xy), len(true_px))
        height = float(truth["capture"]["figure_height_px"])
        seen_sh = 0.5 * (xy[:n, L.LEFT_SHOULDER] + xy[:n, L.RIGHT_SHOULDER])
        true_sh = 0.5 * (true_px[:n, L.LEFT_SHOULDER] + true_px[:n, L.RIGHT_SHOULDER])
        for w in (L.LEFT_WRIST, L.RIGHT_WRIST):
            e = np.linalg.norm((xy[:n, w] - seen_sh) - (true_px[:n, w] - true_sh), axis=1) / height
            ok = np.isfinite(e) & in_frame[:n, w]
            errs.append(e[ok])
            vis.append(v[:n, w][ok])
            hid.append(hidden[:n, w][ok])
    if not errs:
        return np.zeros(0), np.zeros(0), np.zeros(0, bool)
    return np.concatenate(errs), np.concatenate(vis), np.concatenate(hid)


def table(err: np.ndarray, vis: np.ndarray, hid: np.ndarray) -> tuple[list[dict], float]:
    """Per band: frames, hidden share, error median and 90th percentile; and the floor."""
    seen_median = float(np.median(err[vis >= 0.5])) if (vis >= 0.5).any() else float("nan")
    rows = []
    for lo, hi in zip(BANDS, (*BANDS[1:], 1.01)):
        m = (vis >= lo) & (vis < hi)
        if not m.any():
            continue
        rows.append(
            {
                "band": (lo, min(hi, 1.0)),
                "frames": int(m.sum()),
                "hidden_share": float(hid[m].mean()),
                "error_median": float(np.median(err[m])),
                "error_p90": float(np.percentile(err[m], 90)),
                "usable": bool(hid[m].mean() < MAX_HIDDEN_SHARE and np.median(err[m]) <= MAX_ERROR_RATIO * seen_median),
            }
        )
    floor = 0.5
    for r in sorted((r for r in rows if r["band"][0] < 0.5), key=lambda r: -r["band"][0]):
        if not r["usable"]:
            break
        floor = r["band"][0]
    return rows, floor


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True, type=Path, help="a bench.replay cache")
    ap.add_argument("--seeds", default="1000-1159,1920-1959")
    args = ap.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    if any(s >= REPORT_SEED_START for s in seeds):
        print(f"error: reporting seeds (from {REPORT_SEED_START}) only measure; choose on development seeds")
        return 2
    err, vis, hid = wrist_errors(args.dir, seeds)
    if err.size == 0:
        print(f"error: no pose stage with truth for these seeds under {args.dir}")
        return 2
    rows, floor = table(err, vis, hid)
    print(f"{err.size} wrist frames in view; error: the wrist relative to the shoulders, share of the figure's height")
    print("| visibility | frames | hidden in truth | error median | error p90 | usable |")
    print("|---|---:|---:|---:|---:|---|")
    for r in rows:
        lo, hi = r["band"]
        print(
            f"| {lo:.2f}-{hi:.2f} | {r['frames']} | {100 * r['hidden_share']:.0f}% | {100 * r['error_median']:.1f}% "
            f"| {100 * r['error_p90']:.1f}% | {'yes' if r['usable'] else 'no'} |"
        )
    print(f"floor: {floor:.2f} (hidden under {100 * MAX_HIDDEN_SHARE:.0f}%, median error within {MAX_ERROR_RATIO}x of the wrists seen at 0.5 or more)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
