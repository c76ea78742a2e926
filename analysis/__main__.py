"""Command line: ``python -m analysis CLIP [--out DIR] [--height-cm N] [--model PATH.task] [--view ...]``.

Prints a progress bar on stderr and a readable summary on stdout, writes report.json,
frames.csv and jumps.csv, and exits 0. Input that cannot be analysed exits 2 with a
one-line reason and no traceback. ``python -m analysis batch ...`` analyses many clips;
``--store [URL]`` also saves the session in the history store, and ``python -m analysis
store ...`` looks into that store (``analysis/store/``).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ROPES, STYLES, SURFACES, VIEWS, AnalysisConfig
from .io.safepath import safe_output_dir
from .types import AnalysisError, Verdict

if TYPE_CHECKING:
    from .store import Store


class ProgressBar:
    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        total = max(total, 1)
        frac = min(1.0, done / total)
        bar = "#" * int(frac * 30)
        line = f"\r{stage:8s} [{bar:<30s}] {done}/{total}"
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def format_summary(report) -> str:
    s = report.summary()
    q = report.quality
    lines = [
        f"Clip: {report.meta.name}  ({s['duration_s']:.1f} s, {report.meta.fps:.2f} fps, {q.view} view)",
        f"Jumps: {s['jump_count']}  at {s['jumps_per_minute']:.0f} per minute over "
        f"{s['active_time_s']:.1f} s of skipping"
        f" ({s['breaks']} break{'s' if s['breaks'] != 1 else ''})",
    ]
    ts = report.jumps.time_scale
    if ts.slowed:
        lines.append(f"Slow motion: {ts.factor:.1f}x ({ts.source}); durations and speeds are corrected for it")
    if s["jump_count"]:
        if s["heights_reliable"]:
            lines.append(
                f"Jump height: {s['mean_height_cm']:.1f} +- {s['mean_height_uncertainty_cm']:.1f} cm "
                f"({s['heights_reliable']} of {s['heights_measured']} jumps where the feet's rise and the flight time "
                f"agree; feet {s['mean_height_cm_displacement']:.1f} cm, flight time "
                f"{s['mean_height_cm_flight_time']:.1f} cm)"
            )
        else:
            lines.append(
                "Jump height: not measured reliably (the feet's rise and the flight time disagree, or the feet "
                "are out of view)"
            )
        lines.append(
            f"Flight {1000 * s['mean_flight_time_s']:.0f} ms, ground contact "
            f"{1000 * s['mean_contact_time_s']:.0f} ms; styles {s['styles']}"
        )
    sc = report.scale
    lines.append(
        f"Scale: {sc.cm_per_px:.3f} cm/px +- {100 * sc.relative_uncertainty:.0f}% "
        f"(standing height {sc.standing_height_cm:g} cm{'' if sc.height_was_given else ' assumed; pass --height-cm'})"
    )
    if report.rules is not None:
        lines.append("Technique:")
        for r in report.rules.rules:
            mark = {Verdict.PASS: "ok  ", Verdict.FAULT: "FAULT", Verdict.NA: "n/a "}.get(r.status, str(r.status))
            share = f"{100 * r.pass_share:.0f}% of jumps pass" if r.status != Verdict.NA else r.reason
            lines.append(f"  {mark:5s} {r.title}: {share}")
        if report.rules.priorities:
            lines.append("Work on:")
            for i, p in enumerate(report.rules.priorities, 1):
                lines.append(f"  {i}. {p['title']} - {p['advice']} (frames {', '.join(map(str, p['frames']))})")
        for a in report.rules.session:
            if a["status"] in (Verdict.FAULT, Verdict.INFO):
                lines.append(f"  Session: {a['message']}")
        lines.append(report.rules.disclaimer)
    for w in q.warnings:
        lines.append(f"Capture: {w}")
    for m in report.messages:
        lines.append(f"Note: {m}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "batch":
        from .batch import main as batch_main  # noqa: PLC0415 - the batch command's imports only when asked for

        return batch_main(argv[1:])
    if argv and argv[0] == "store":
        from .store.cli import main as store_main  # noqa: PLC0415 - the store command's imports only when asked for

        return store_main(argv[1:])
    ap = argparse.ArgumentParser(prog="python -m analysis", description="Jump-rope form analysis of one clip.")
    ap.add_argument("clip", help="video file (mp4, mov, m4v, avi, webm)")
    ap.add_argument("--out", default=None, help="output folder (default: ./out/<clip name, made safe>)")
    ap.add_argument("--height-cm", type=float, default=None, help="jumper's standing height in cm (default 170 +- 10)")
    ap.add_argument(
        "--model", default=None, help="MediaPipe pose_landmarker .task file (default: bundled BlazePose Full)"
    )
    ap.add_argument("--view", choices=VIEWS, default="auto")
    ap.add_argument("--style", choices=STYLES, default="auto")
    ap.add_argument("--rope", choices=ROPES, default="unknown")
    ap.add_argument("--surface", choices=SURFACES, default="unknown")
    ap.add_argument("--back-pain", action="store_true", help="the jumper has back pain")
    ap.add_argument(
        "--slowmo",
        type=float,
        default=None,
        metavar="FACTOR",
        help="the clip is slow motion, slowed down FACTOR times (default: read off gravity)",
    )
    ap.add_argument(
        "--rope-turning",
        action="store_true",
        help="a rope was turning: where the clip cannot show it (hands hidden, the rope out of frame, too few "
        "jumps), the jumps are counted on your word and the report says so",
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=0,
        help="pose processes for this clip (default 0: chosen by clip length, frame size and the cores "
        "other programs leave free; the results are the same for any number of 2 or more)",
    )
    ap.add_argument(
        "--pose-threads",
        type=int,
        default=0,
        metavar="N",
        help="threads for each pose process's networks (default 0: the free cores beyond two spare, so one on "
        "a 2-core machine; the results are the same for any number). More threads than idle cores slow pose "
        "down many times over: force it only on an otherwise idle machine",
    )
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    ap.add_argument(
        "--store",
        nargs="?",
        const="default",
        default=None,
        metavar="URL",
        help="also save the session in the history store (an SQLAlchemy URL, or nothing for "
        "JUMPROPE_DB_URL / the default store)",
    )
    ap.add_argument("--jumper", default=None, help="with --store: whose session this is (default 'me')")
    ap.add_argument("--date", default=None, help="with --store: when the clip was filmed, YYYY-MM-DD (default: now)")
    ap.add_argument("--keep-clip", action="store_true", help="with --store: keep a copy of the clip for the review")
    args = ap.parse_args(argv)
    if args.store is None and (args.jumper or args.date or args.keep_clip):
        ap.error("--jumper, --date and --keep-clip need --store")
    store: Store | None = None
    if args.store is not None:  # opened first: a wrong URL is said before minutes of analysis
        from .store import StoreError, open_store  # noqa: PLC0415 - SQLAlchemy loads only for --store
        from .store.store import as_datetime  # noqa: PLC0415 - as above

        try:
            args.date = as_datetime(args.date)
            store = open_store(None if args.store == "default" else args.store)
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        return _analyse(args, store)
    finally:
        if store is not None:
            store.close()


def _analyse(args: argparse.Namespace, store: Store | None) -> int:
    if args.workers != 1:
        # Pose helpers may be wanted: their fork server imports while this process does.
        from .pose.forkserver import start_early  # noqa: PLC0415 - standard library only

        start_early()
    from .pipeline import analyze_video  # noqa: PLC0415 - keeps --help fast

    # NumPy's "All-NaN slice" and "divide by zero" notes are expected on frames without a
    # person; the report says what did not hold, so keep them off the user's terminal.
    warnings.simplefilter("ignore", RuntimeWarning)
    try:
        out = Path(args.out) if args.out else safe_output_dir(Path("out"), args.clip)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bar = None if args.quiet else ProgressBar()
    try:
        config = AnalysisConfig(
            standing_height_cm=args.height_cm,
            view=args.view,
            style=args.style,
            model_path=args.model,
            rope=args.rope,
            surface=args.surface,
            back_pain=args.back_pain,
            slowmo_factor=args.slowmo,
            rope_turning=args.rope_turning,
        )
        report = analyze_video(
            args.clip, config, progress=bar, workers=max(0, args.workers), threads=max(0, args.pose_threads)
        )
    except (AnalysisError, ValueError) as exc:
        if bar:
            bar.close()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        if bar:
            bar.close()
        print(
            f"error: {Path(args.clip).name}: ran out of memory. Try a shorter or lower-resolution clip.",
            file=sys.stderr,
        )
        return 3
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, reported in one line, exit 3
        if bar:
            bar.close()
        print(
            f"error: {Path(args.clip).name}: internal error ({type(exc).__name__}: {str(exc)[:200]}). "
            "This is a bug in the analysis; please report it with the clip.",
            file=sys.stderr,
        )
        return 3
    if bar:
        bar.close()
    try:
        paths = report.write(out)
    except OSError as exc:
        print(
            f"error: could not write the results to {out}: {exc.strerror or exc}. Choose another --out folder.",
            file=sys.stderr,
        )
        return 2
    print(format_summary(report))
    print(f"Wrote {', '.join(str(p) for p in paths.values())}")
    if store is not None:
        from .store import StoreError  # noqa: PLC0415 - as above

        try:
            sid = store.save_session(
                report, jumper=args.jumper or "me", recorded_at=args.date, clip=args.clip, keep_clip=args.keep_clip
            )
        except (StoreError, OSError) as exc:
            print(f"error: the results are written, but could not be saved in the store: {exc}", file=sys.stderr)
            return 2
        print(f"Saved as session {sid} of {args.jumper or 'me'} in {store.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
