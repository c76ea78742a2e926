"""History store: what a session costs to keep and to reopen, against analysing it again.

    python -m bench.store [CLIP ...] [--no-write]

For each clip (default: the sample clips and two shared real clips when present): the
analysis time (pose and everything after), then on SQLite (a temporary file) and, when
``JUMPROPE_TEST_PG_URL`` is set (``.ci/with_postgres python -m bench.store``), on
PostgreSQL: the time to save the session, to reopen it in a new connection as a
``Report`` ready for the frame review (``Store.load_report``), and to save a correction;
the sizes of the pose blob and the report JSON. Times are medians of 3, measured side by
side in one run; the ratio is reopening against analysing. Writes the ``store`` section
of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from analysis.config import AnalysisConfig
from analysis.pipeline import analyze_video
from analysis.store import open_store
from analysis.store.posedata import PoseData, pack

from .results import update_section

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "videos"
DEFAULT_CLIPS = [REPO / "sample_videos" / "clean_front.mp4", REPO / "sample_videos" / "double_under_oblique.mp4",
                 SHARED / "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",
                 SHARED / "front_woman_boxer_step_garage_timer_panel_720p_30fps.mp4"]
REPEATS = 3


def _median_s(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(clip: Path, urls: dict[str, str]) -> list[dict]:
    t0 = time.perf_counter()
    report = analyze_video(clip, AnalysisConfig())
    analysis_s = time.perf_counter() - t0
    blob = pack(PoseData.from_report(report))
    doc = json.dumps(report.to_dict())
    duration = max(report.summary()["duration_s"], 1e-9)
    rows = []
    for backend, url in urls.items():
        with open_store(url) as store:
            sids: list[int] = []
            save_s = _median_s(lambda st=store, ids=sids: ids.append(st.save_session(report, jumper="bench")))
            sid = sids[-1]
            fix_s = _median_s(lambda st=store, i=sid: st.save_corrections(i, [{"action": "remove", "jump": 0}]))

        def reopen(u: str = url, i: int = sid) -> None:
            with open_store(u) as s:
                s.load_report(i)

        reopen_s = _median_s(reopen)
        rows.append({"clip": clip.name, "backend": backend, "frames": len(report.t_s), "duration_s": duration,
                     "jumps": report.jumps.count, "analysis_s": analysis_s, "save_s": save_s, "reopen_s": reopen_s,
                     "correct_s": fix_s, "blob_kb": len(blob) / 1000, "blob_kb_per_s": len(blob) / 1000 / duration,
                     "json_kb": len(doc) / 1000})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.split("\n\n")[0])
    ap.add_argument("clips", nargs="*", type=Path)
    ap.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore", RuntimeWarning)
    clips = [c for c in (args.clips or DEFAULT_CLIPS) if c.is_file()]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        urls = {"SQLite": f"sqlite:///{Path(tmp) / 'history.sqlite3'}"}
        if os.environ.get("JUMPROPE_TEST_PG_URL"):
            urls["PostgreSQL"] = os.environ["JUMPROPE_TEST_PG_URL"]
        rows = [r for c in clips for r in measure(c, urls)]
    lines = [
        "## History store: keeping and reopening a session (`python -m bench.store`)",
        "",
        "Per clip: analysis (pose and every stage after it), then saving the session, reopening it",
        "from a new connection as a `Report` ready for the frame review (`Store.load_report`, no",
        f"analysis), and saving one correction; medians of {REPEATS}, side by side in one run on the",
        "shared 2-core machine. The pose blob is what the frame review needs per frame (landmarks,",
        "metrics, times); the JSON is the full report. The analysis column is slower than on an",
        f"idle machine (load average {load:.1f} at the start); the store's own times are small either way.",
        "",
        "| clip | store | frames | s of video | jumps | analysis s | save s | reopen s | reopen / analysis | correction s | pose blob kB | kB per s of video | report JSON kB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['clip']} | {r['backend']} | {r['frames']} | {r['duration_s']:.1f} | {r['jumps']} | {r['analysis_s']:.1f} | "
            f"{r['save_s']:.3f} | {r['reopen_s']:.3f} | {100 * r['reopen_s'] / r['analysis_s']:.1f}% | "
            f"{r['correct_s']:.3f} | {r['blob_kb']:.0f} | {r['blob_kb_per_s']:.0f} | {r['json_kb']:.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        update_section("store", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
