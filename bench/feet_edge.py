"""Where the pose model reads a foot that the frame cut off: the procedure behind
``measure.view.FEET_EDGE_MARGIN_FRAC``.

    python -m bench.feet_edge --dir DIR [--seeds 1000-1159,1920-1959]

``DIR`` is a ``bench.replay`` cache (pose stages and the renderer's truth); the jumper's
stature in pixels is the truth's nose-to-ankles span / 0.897 (Drillis & Contini).

1. **How far in the guesses reach.** For every frame and every heel and toe landmark that the
   model read inside the frame with a visibility of 0.5 or more: its distance from the bottom
   edge as a share of stature, and whether the drawn landmark was truly inside the frame. Per
   band of 0.005 of stature, the share truly outside (a foot the frame cut off).
2. **The margin for the floor.** ``view.feet_visible`` takes a foot as seen only where the
   floor it stands on is a margin above the bottom edge. For each margin tried, the frames
   (with a person) whose cut-off feet were taken as seen, and whose feet in the frame were
   taken as not seen (a foot is in the frame when its heel, toe and ankle are drawn inside).
   The margin is the smallest tried that takes fewer than one cut-off frame in a thousand as
   seen (``MAX_CUT_TAKEN``): each step past it loses hundreds of frames of feet in view for a
   handful of cut-off ones.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from analysis.measure.view import FEET_EDGE_MARGIN_FRAC, feet_visible
from analysis.pose.landmarks import Landmark as L

from .replay import parse_seeds

#: The nose sits at about 0.936 - 0.039 = 0.897 of stature above the ankles (Drillis &
#: Contini's eye height, with the nose a little below the eyes; the ankle at 0.039).
NOSE_TO_ANKLES_FRAC = 0.897
FEET = (L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)
FOOT_SIDES = ((L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX), (L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX))
BAND = 0.005
MARGINS = (0.005, 0.01, 0.015, 0.02, 0.03, 0.05)
#: The share of cut-off frames a margin may take as seen.
MAX_CUT_TAKEN = 0.001


def _clips(cache: Path, seeds: set[int] | None) -> Iterator[tuple[object, dict, float]]:
    """(pose series, truth frames, stature in pixels) of every cached clip with both."""
    for truth_path in sorted((cache / "truth").glob("*.json")):
        seed = int(truth_path.stem)
        pose_path = cache / "pose" / f"{seed}.pkl"
        if (seeds is not None and seed not in seeds) or not pose_path.exists():
            continue
        frames = json.loads(truth_path.read_text())["truth"]["frames"]
        pose = pickle.loads(pose_path.read_bytes()).pose
        drawn = np.asarray(frames["landmarks_px"], float)
        if drawn.shape[0] != len(pose):
            continue
        span = np.nanmax(drawn[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE], 1], axis=1) - drawn[:, L.NOSE, 1]
        yield pose, frames, float(np.median(span)) / NOSE_TO_ANKLES_FRAC


def _inside(xy: np.ndarray, w: int, h: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (xy[..., 0] >= 0) & (xy[..., 0] < w) & (xy[..., 1] >= 0) & (xy[..., 1] < h)


def readings(cache: Path, seeds: set[int] | None) -> np.ndarray:
    """[N, 2]: (distance from the bottom edge / stature, truly inside) per foot reading."""
    out = []
    for pose, frames, stature in _clips(cache, seeds):
        w, h = pose.frame_size_px
        drawn = np.asarray(frames["landmarks_px"], float)
        for k in FEET:
            read_in = (pose.visibility[:, k] >= 0.5) & _inside(pose.xy_px[:, k], w, h)
            truly_in = _inside(drawn[read_in, k], w, h)
            out.append(np.column_stack([(h - pose.xy_px[read_in, k, 1]) / stature, truly_in]))
    return np.concatenate(out) if out else np.zeros((0, 2))


def confusion(cache: Path, seeds: set[int] | None, margins=MARGINS) -> dict[float, tuple[int, int, int, int]]:
    """Per margin: (cut-off frames, of them taken as seen, frames in view, of them taken as not
    seen), over the frames where the model found a person."""
    out = {m: np.zeros(4, int) for m in (0.0, *margins)}
    for pose, frames, stature in _clips(cache, seeds):
        w, h = pose.frame_size_px
        drawn = np.asarray(frames["landmarks_px"], float)
        found = np.isfinite(pose.xy_px[:, :, 0]).any(axis=1)
        in_view = np.zeros(len(pose), bool)
        for side in FOOT_SIDES:
            in_view |= _inside(drawn[:, list(side)], w, h).all(axis=1)
        for m in out:
            # feet_visible's margin is FEET_EDGE_MARGIN_FRAC of the stature it is given.
            body = m * stature / FEET_EDGE_MARGIN_FRAC if m else float("nan")
            seen = feet_visible(pose.xy_px, pose.visibility, w, h, body, pose.fps)
            cut, view = found & ~in_view, found & in_view
            out[m] += [int(cut.sum()), int((cut & seen).sum()), int(view.sum()), int((view & ~seen).sum())]
    return {m: (int(a), int(b), int(c), int(d)) for m, (a, b, c, d) in out.items()}


def chosen_margin(table: dict[float, tuple[int, int, int, int]]) -> float:
    """The smallest margin tried that takes under ``MAX_CUT_TAKEN`` of the cut-off frames as
    seen (NaN: none does)."""
    return next((m for m in sorted(table) if m > 0 and table[m][1] < MAX_CUT_TAKEN * table[m][0]), float("nan"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.feet_edge", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, required=True, help="a bench.replay cache")
    ap.add_argument("--seeds", default=None, help="seeds to read (default: every cached one)")
    ap.add_argument("--upto", type=float, default=0.10, help="bands up to this share of stature (default 0.10)")
    args = ap.parse_args(argv)
    if not (args.dir / "truth").is_dir():
        print(f"{args.dir}: expected a bench.replay cache (with truth/ and pose/), found none", file=sys.stderr)
        return 2
    seeds = set(parse_seeds(args.seeds)) if args.seeds else None
    r = readings(args.dir, seeds)
    if not len(r):
        print(f"{args.dir}: no cached clip with a pose and a truth", file=sys.stderr)
        return 2
    print(f"Heel and toe readings inside the frame: {len(r)}; truly outside: {int((r[:, 1] == 0).sum())}\n")
    print("| from the bottom edge (share of stature) | readings | truly outside |")
    print("|---|---:|---:|")
    for lo in np.arange(0.0, args.upto, BAND):
        m = (r[:, 0] >= lo) & (r[:, 0] < lo + BAND)
        share = float(1.0 - r[m, 1].mean()) if m.any() else 0.0
        print(f"| {lo:.3f}-{lo + BAND:.3f} | {int(m.sum())} | {100 * share:.1f} % |")
    beyond = r[:, 0] >= args.upto
    print(f"| {args.upto:.3f} and more | {int(beyond.sum())} | {100 * (1 - r[beyond, 1].mean()):.1f} % |\n")
    table = confusion(args.dir, seeds)
    print("| floor's margin (share of stature) | cut-off feet taken as seen | feet in view taken as not seen |")
    print("|---|---:|---:|")
    for m, (cut, seen, view, lost) in table.items():
        taken = f"{seen} of {cut} ({100 * seen / max(cut, 1):.2f} %)"
        print(f"| {m:.3f} | {taken} | {lost} of {view} ({100 * lost / max(view, 1):.1f} %) |")
    print(
        f"\nmargin (the smallest taking under {1000 * MAX_CUT_TAKEN:g} in a thousand cut-off frames as seen): "
        f"{chosen_margin(table):.3f} of stature"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
