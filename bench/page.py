"""What the review page pays for a settings change and for the first answer while the pose runs.

For each clip, in one run: the pose stage once (single process) with the first-answer
callback, then the analysis after it (``pipeline.analyze_pose``) under the changes a
person makes on the page (back pain, surface, rope, height, view, style), and the cost
of the page's caches (pickling the stored pose stage and report, as ``st.cache_data``
does). Figures are ratios to the pose stage measured in the same run, so the machine's
load cancels out as far as it can; the load average is printed beside them.

    python -m bench.page [--clips NAME ...] [--no-write]

Writes the "page" section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import statistics
import time
from pathlib import Path

import numpy as np

from analysis.config import AnalysisConfig
from analysis.pipeline import PoseStage, analyze_pose, prepare_pose, reanalyze, run_pose_stage
from analysis.pose.partial import PARTIAL_EVERY_S, PARTIAL_MAX_SHARE, PartialResult
from analysis.types import PoseSeries

from .results import update_section

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "videos"
CLIPS = (
    "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",
    "front_boy_barefoot_speed_step_gym_portrait_count_overlay_24fps.mp4",
    "front_man_double_unders_outdoor_stop_and_walk_30fps.mp4",
)
#: The settings a person changes after seeing the results (one at a time, as on the page).
CHANGES = {
    "back pain": AnalysisConfig(back_pain=True),
    "surface": AnalysisConfig(surface="concrete"),
    "rope": AnalysisConfig(rope="beaded"),
    "height": AnalysisConfig(standing_height_cm=158),
    "view": AnalysisConfig(view="front"),
    "style": AnalysisConfig(style="two_foot"),
}


def changes(stage) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per settings change: ``analyze_pose`` on the stored stage, and the page's
    path (``reanalyze`` from the report before the change: the advice alone where only
    advice options changed)."""
    base = analyze_pose(stage, AnalysisConfig())
    full, page = {}, {}
    for name, cfg in CHANGES.items():
        t = time.perf_counter()
        analyze_pose(stage, cfg)
        full[name] = time.perf_counter() - t
        t = time.perf_counter()
        reanalyze(base, stage, cfg)
        page[name] = time.perf_counter() - t
    return full, page


def long_clip(stage, minutes: float = 5.0) -> dict:
    """The same changes on the clip's landmarks repeated to ``minutes`` (the page's longest
    clip): how the analysis after the pose scales, without running the pose model for 5 min."""
    p = stage.pose
    period = float(p.t_s[-1] - p.t_s[0]) + 1.0 / p.fps
    k = max(1, int(np.ceil(minutes * 60.0 / period)))
    tiled = PoseSeries.concatenate(
        [PoseSeries(p.t_s + i * period, p.xy_px, p.world_m, p.visibility, p.frame_size_px, p.fps) for i in range(k)]
    )
    meta = dataclasses.replace(stage.meta, n_frames=len(tiled), duration_s=period * k)
    t = time.perf_counter()
    long_stage = PoseStage(tiled, meta, prepared=prepare_pose(tiled))
    prepare_s = time.perf_counter() - t
    full, page = changes(long_stage)
    return {"frames": len(tiled), "prepare_s": prepare_s, "full": full, "page": page}


def measure(path: Path) -> dict:
    partials: list[PartialResult] = []
    t0 = time.perf_counter()
    stage = run_pose_stage(path, AnalysisConfig(), on_partial=partials.append)
    stage_s = time.perf_counter() - t0
    pose_s = stage.timings_s["pose"]
    times, page = changes(stage)
    report = analyze_pose(stage, AnalysisConfig())
    t = time.perf_counter()
    blob = pickle.dumps(stage)
    pickle.loads(blob)
    stage_cache_s = time.perf_counter() - t
    t = time.perf_counter()
    rblob = pickle.dumps(report)
    pickle.loads(rblob)
    report_cache_s = time.perf_counter() - t
    counted = sum(p.cost_s for p in partials)
    return {
        "clip": path.name,
        "frames": len(stage.pose),
        "duration_s": float(stage.pose.t_s[-1] - stage.pose.t_s[0]),
        "stage_s": stage_s,
        "pose_s": pose_s,
        "partials": len(partials),
        "first_partial_frames": partials[0].frames_done if partials else None,
        "partial_cost_s": counted,
        "partial_max_s": max((p.cost_s for p in partials), default=0.0),
        "changes_s": times,
        "page_s": page,
        "long": long_clip(stage),
        "stage_mb": len(blob) / 1e6,
        "stage_cache_s": stage_cache_s,
        "report_mb": len(rblob) / 1e6,
        "report_cache_s": report_cache_s,
        "jumps": report.jumps.count,
    }


def _med_max(d: dict[str, float]) -> str:
    return f"{statistics.median(d.values()):.2f} / {max(d.values()):.2f}"


def markdown(rows: list[dict], load: float) -> str:
    lines = [
        "## Page: a settings change, and the first answer while the pose runs",
        "",
        f"`python -m bench.page` (1-min load average {load:.1f} on {os.cpu_count()} cores while it ran: "
        "absolute times are slower than on an idle machine; the ratios to the pose stage hold better).",
        "",
        "A settings change on the page re-runs the analysis after the pose on the stored pose stage "
        "(`analyze_pose`), or only the session advice where only rope, surface or back pain changed "
        "(`reanalyze`); the pose model does not run. Changes: " + ", ".join(CHANGES) + ".",
        "",
        "| clip | frames | pose stage (s) | `analyze_pose` median / max (s) | max / pose stage | "
        "page path median / max (s) | stored pose stage (MB; pickle round trip s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ch = r["changes_s"]
        lines.append(
            f"| {r['clip']} | {r['frames']} | {r['stage_s']:.1f} | {_med_max(ch)} | "
            f"{max(ch.values()) / r['stage_s']:.3f} | {_med_max(r['page_s'])} | "
            f"{r['stage_mb']:.1f}; {r['stage_cache_s']:.3f} |"
        )
    lines += [
        "",
        "The same changes on each clip's landmarks repeated to 5 minutes (the page's longest clip; the "
        "option-free part, following the jumper and cleaning the series, is done once with the pose stage):",
        "",
        "| landmarks of | frames | once with the pose stage (s) | `analyze_pose` median / max (s) | "
        "rope, surface, back pain: page path max (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lg = r["long"]
        advice = max(v for k, v in lg["page"].items() if k in ("back pain", "surface", "rope"))
        lines.append(
            f"| {r['clip']} | {lg['frames']} | {lg['prepare_s']:.1f} | {_med_max(lg['full'])} | {advice:.3f} |"
        )
    lines += [
        "",
        f"First answers (`pose.partial`, every {PARTIAL_EVERY_S:g} s at most, counting capped at "
        f"{100 * PARTIAL_MAX_SHARE:g}% of the time so far):",
        "",
        "| clip | first answers | first after (frames) | counting time (s) | share of the pose time "
        "| slowest count (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['clip']} | {r['partials']} | {r['first_partial_frames']} | {r['partial_cost_s']:.2f} | "
            f"{100 * r['partial_cost_s'] / r['pose_s']:.1f}% | {r['partial_max_s']:.2f} |"
        )
    lines += [
        "",
        "The counting time is measured inside the run (each count's own clock), not as a difference of two "
        "runs: on a shared machine two pose runs differ by more than a few percent on their own.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", nargs="*", default=list(CLIPS))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    for name in args.clips:
        path = SHARED / name
        if not path.exists():
            print(f"skipped: {path} not found")
            continue
        r = measure(path)
        ch, lg = r["changes_s"], r["long"]
        print(
            f"{r['clip']}: pose stage {r['stage_s']:.1f} s; "
            f"changes {', '.join(f'{k} {v:.2f}' for k, v in ch.items())} s; "
            f"5 min of landmarks: {', '.join(f'{k} {v:.2f}' for k, v in lg['full'].items())} s "
            f"(advice only: {max(lg['page'].values()):.3f} s max); "
            f"{r['partials']} first answers, counting {r['partial_cost_s']:.2f} s "
            f"({100 * r['partial_cost_s'] / r['pose_s']:.1f}% of pose)"
        )
        rows.append(r)
    if rows and not args.no_write:
        update_section("page", markdown(rows, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
