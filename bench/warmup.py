"""How short can a segment's tracker warm-up be? ``python -m bench.warmup [--real] [--write]``.

A clip of ``stage.MIN_SPLIT_FRAMES`` frames or more (643; 920 when this was measured) is
cut into segments (``analysis/pose/stage.py``), each with a fresh MediaPipe tracker that
starts a few frames before the segment's first kept frame (the seam); those warm-up frames
are dropped. This benchmark measures, for each candidate
warm-up length, how far the landmarks after a seam are from one tracker that ran over the
whole clip, with the tolerance the parallel test holds the stitched result to
(``stage.SEAM_TOLERANCE``).

Procedure (step 3 was revised once: the first rule, "the shortest warm-up with every seam of
the choosing clips within the tolerance", found none, because at some seams no warm-up
brings two trackers that close; its figures are kept in ``bench/RESULTS.md``):

1. Per clip, one tracker over every frame: the reference.
2. Seams at 1/5, 2/5, 3/5 and 4/5 of the clip. For each seam ``s`` and each warm-up ``w``
   in :data:`CANDIDATES` (frames), a fresh tracker runs over frames ``[s - w, s + K)``
   (``K`` = ``--window-s`` seconds, 1.5 s by default: the window where a seam transient would
   show) and frames ``[s, s + K)`` are compared with the reference: frames found by one and
   not the other, and the landmark distance (pixels scaled to a 360-pixel short side, as in
   the test) of frames found by both: median, 99th percentile, maximum, and the 99th
   percentile of the visibility difference.
3. A seam *needs* the shortest warm-up from which it is within the tolerance with every
   longer warm-up tried too. A seam that no warm-up tried brings within it is a place where
   two trackers differ whatever their history (a person hard to see, another person in
   view); it is counted apart and does not decide.
4. Choice: the largest need among the seams of the *choosing clips*: the synthetic sample
   clips in ``sample_videos/`` (never the real clips that the tests score). ``--real`` adds
   the shared real clips as a check, reported beside the choice and never used to make it.

``--write`` replaces the "warmup" section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "videos"
CHOOSING = sorted((REPO / "sample_videos").glob("*.mp4"))
#: Warm-up lengths tried (frames before the seam).
CANDIDATES = (0, 2, 4, 8, 15, 30, 45)
SEAM_FRACTIONS = (0.2, 0.4, 0.6, 0.8)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def measure_clip(path: Path, window_s: float) -> list[dict]:
    """One row per (seam, warm-up) with the comparison figures."""
    from analysis.io.video import iter_frames, read_meta  # noqa: PLC0415
    from analysis.pose.estimators import estimate_pose, make_estimator  # noqa: PLC0415
    from analysis.pose.stage import seam_differences  # noqa: PLC0415

    meta = read_meta(path)
    size = (meta.width_px, meta.height_px)
    with make_estimator() as est:
        reference = estimate_pose(iter_frames(path, meta), est, size, meta.fps)
    n = len(reference)
    k = max(1, int(round(window_s * meta.fps)))
    seams = sorted({int(f * n) for f in SEAM_FRACTIONS if int(f * n) - max(CANDIDATES) >= 0 and int(f * n) + k <= n})
    wanted = {i for s in seams for i in range(s - max(CANDIDATES), s + k)}
    frames = {fr.index: fr for fr in iter_frames(path, meta) if fr.index in wanted}  # only the windows, in memory
    rows = []
    for s in seams:
        for w in CANDIDATES:
            with make_estimator() as est:
                part = estimate_pose((frames[i] for i in range(s - w, s + k)), est, size, meta.fps)
            d = seam_differences(reference.slice(s, s + k), part.slice(w, w + k), size)
            rows.append({"clip": path.name, "frames": n, "seam": s, "warmup": w, **d})
    return rows


def needs(rows: list[dict]) -> dict[tuple[str, int], int | None]:
    """Per seam, the warm-up it needs (None: no warm-up tried brings it within the tolerance)."""
    from analysis.pose.stage import SEAM_TOLERANCE  # noqa: PLC0415

    out: dict[tuple[str, int], int | None] = {}
    for key in sorted({(r["clip"], r["seam"]) for r in rows}):
        ok = {r["warmup"]: SEAM_TOLERANCE.holds(r) for r in rows if (r["clip"], r["seam"]) == key}
        need = None
        for w in sorted(ok, reverse=True):
            if not ok[w]:
                break
            need = w
        out[key] = need
    return out


def summarise(rows: list[dict]) -> list[dict]:
    from analysis.pose.stage import SEAM_TOLERANCE  # noqa: PLC0415

    out = []
    for w in CANDIDATES:
        r = [x for x in rows if x["warmup"] == w]
        if not r:
            continue
        ok = [SEAM_TOLERANCE.holds(x) for x in r]
        out.append({
            "warmup": w,
            "seams": len(r),
            "within": int(sum(ok)),
            "found_mismatch_frames": int(sum(x["found_mismatch"] for x in r)),
            "median_px": float(np.median([x["median_px"] for x in r])),
            "worst_median_px": float(max(x["median_px"] for x in r)),
            "worst_p99_px": float(max(x["p99_px"] for x in r)),
            "worst_max_px": float(max(x["max_px"] for x in r)),
            "worst_visibility_p99": float(max(x["visibility_p99"] for x in r)),
        })
    return out


def table(summary: list[dict]) -> list[str]:
    lines = [
        "| warm-up (frames) | seams within tolerance | frames found by one only | median px (median / worst seam) "
        "| worst p99 px | worst max px | worst visibility p99 |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summary:
        lines.append(
            f"| {s['warmup']} | {s['within']}/{s['seams']} | {s['found_mismatch_frames']} | "
            f"{s['median_px']:.3f} / {s['worst_median_px']:.3f} | {s['worst_p99_px']:.2f} | {s['worst_max_px']:.2f} | "
            f"{s['worst_visibility_p99']:.3f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.warmup", description=__doc__.splitlines()[0])
    ap.add_argument("--real", action="store_true", help="also check on the shared real clips (not used to choose)")
    ap.add_argument("--window-s", type=float, default=1.5, help="seconds compared after each seam")
    ap.add_argument("--write", action="store_true", help="write the 'warmup' section of bench/RESULTS.md")
    ap.add_argument("--json", default=str(REPO / "bench" / "out" / "warmup.json"))
    ap.add_argument("--from-json", default=None, help="report an earlier run's figures again (no measuring)")
    args = ap.parse_args(argv)
    os.environ.setdefault("GLOG_minloglevel", "2")
    from analysis.pose.stage import SEAM_TOLERANCE, WARMUP_FRAMES  # noqa: PLC0415

    res: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "window_s": args.window_s, "rows": {}}
    groups = {"choosing": CHOOSING}
    if args.from_json:
        res = json.loads(Path(args.from_json).read_text())
        groups = {}
        args.real, args.window_s = "real" in res["rows"], res["window_s"]
    if args.real and not args.from_json:
        if not (VIDEOS / "manifest.json").is_file():
            print(f"error: real clips not found at {VIDEOS}", file=sys.stderr)
            return 2
        groups["real"] = sorted(VIDEOS / c["file"] for c in json.loads((VIDEOS / "manifest.json").read_text())["clips"])
    for group, clips in groups.items():
        rows: list[dict] = []
        for clip in clips:
            t0 = time.perf_counter()
            got = measure_clip(clip, args.window_s)
            rows += got
            bad = sorted({r["warmup"] for r in got if not SEAM_TOLERANCE.holds(r)})
            log(f"{group} {clip.name}: {len({r['seam'] for r in got})} seams in {time.perf_counter() - t0:.0f} s; "
                f"warm-ups outside the tolerance: {bad or 'none'}")
        res["rows"][group] = rows
    summaries = {g: summarise(r) for g, r in res["rows"].items()}
    need = {g: needs(r) for g, r in res["rows"].items()}
    fixable = [v for v in need["choosing"].values() if v is not None]
    chosen = max(fixable) if fixable else None
    res["chosen"] = chosen
    res["needs"] = {g: {f"{c}@{s}": v for (c, s), v in n.items()} for g, n in need.items()}
    res["summaries"] = summaries
    if not args.from_json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, indent=1))
    lines = [
        "# Tracker warm-up at a segment seam (bench/warmup.py)",
        "",
        f"Measured {res['when']} with `python -m bench.warmup{' --real' if args.real else ''}`: {args.window_s:g} s "
        f"compared after each seam, tolerance {SEAM_TOLERANCE.describe()}.",
        "",
    ]
    for g, s in summaries.items():
        n_clips = len({r["clip"] for r in res["rows"][g]})
        what = ("choosing clips: the synthetic sample clips" if g == "choosing"
                else "check: the shared real clips (not used to choose)")
        lines += [f"**{what}** ({n_clips} clips, {s[0]['seams'] if s else 0} seams)", "", *table(s), ""]
    for g, n in need.items():
        got = [v for v in n.values() if v is not None]
        hist = ", ".join(f"{w}: {got.count(w)}" for w in CANDIDATES if got.count(w))
        lines.append(
            f"- {'Choosing' if g == 'choosing' else 'Real'} clips: the warm-up each seam needs "
            f"(frames: seams) {hist or '-'}; "
            f"{sum(v is None for v in n.values())} of {len(n)} seams that no warm-up tried brings within it "
            "(left out: the trackers differ there whatever their history)."
        )
    lines.append(
        f"- Chosen: the largest need on the choosing clips, **{chosen} frames**; "
        f"`stage.WARMUP_FRAMES` = {WARMUP_FRAMES}."
    )
    lines += [f"- {n}" for n in res.get("notes", [])]
    print("\n".join(lines))
    if args.write:
        from bench.results import update_section  # noqa: PLC0415

        update_section("warmup", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
