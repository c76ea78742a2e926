"""Many clips at once: ``python -m analysis batch PATHS_OR_DIR --out DIR [--workers N]
[--engine local|ray] [--address ADDR]``.

* Each clip's outputs go to ``--out/<safe clip name>/`` (``report.json``, ``frames.csv``,
  ``jumps.csv``); one row per clip goes to ``--out/summary.csv`` (rewritten after every
  clip, so an interrupted run still leaves a summary of what finished).
* Resumable: a clip whose ``report.json`` exists is not analysed again; its summary row is
  rebuilt from that file (``cached`` = 1). Outputs are written into a temporary folder and
  renamed into place, so a ``report.json`` is only ever there complete.
* A clip that cannot be analysed (unreadable file, no person, a crash of its worker) gets a
  row with ``status`` = ``error`` and the reason; the batch goes on. Its folder holds
  ``error.txt`` and no report, so the next run tries it again.
* Output names come from the file name with everything but ``A-Za-z0-9._-`` replaced, so
  no file name can write outside ``--out``; two clips with the same name in different
  folders get a short hash of their path appended.
* ``--engine local`` (default): a ``ProcessPoolExecutor`` (forkserver/spawn) with
  ``--workers`` processes, one clip per process at a time: clips are the unit of parallel
  work (it wastes nothing, unlike sharing one clip's pose). A clip's pose is shared among
  processes (``analysis.pose.parallel``) only where that pays: a lone clip, or the last
  clip to start while cores are free.
* ``--engine ray``: one Ray task per clip (``ray.remote``, 1 CPU each, one pose process).
  Ray is optional (the ``[ray]`` extra); without it the command says how to install it.
  ``--address`` connects to an existing cluster (clip paths must be readable on its nodes;
  the code is shipped with ``runtime_env py_modules``; results come back to the driver,
  which writes them, so a clip is written once even if its task ran twice); without it
  ``ray.init`` starts a local instance with ``num_cpus=--workers``. A task whose worker or
  node is lost is run again elsewhere (:data:`RAY_TASK_RETRIES`); a clip whose task still
  failed gets an error row and is analysed again by the next run.

* ``--store [URL]`` also saves every analysed clip as a session in the history store
  (``analysis/store``; ``--out`` becomes optional), for the jumper given by ``--jumpers
  MAP.csv``, ``--jumper-from-folder`` or ``--jumper`` (see ``analysis/store/batchsink.py``);
  a clip the store already holds for that jumper with the same options is not analysed
  again. ``--keep-clips`` keeps a copy of each clip in the store.

Exit status: 0 when every clip has a report, 1 when some clip failed, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import queue as queue_mod
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import AnalysisConfig
from .io.tables import dict_rows, table_bytes, write_table
from .types import AnalysisError, Verdict

if TYPE_CHECKING:
    from .store.batchsink import StoreSink

VIDEO_EXTS = {".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv"}
#: Ray is optional (the ``[ray]`` extra; ``requirements.txt`` does not install it).
RAY_MISSING = (
    "--engine ray needs Ray, which is not installed here: pip install 'jumprope-form[ray]' "
    "(or pip install 'ray[default]>=2.9,<2.61'), or use --engine local"
)
#: A Ray task (one clip) is run again this many times when its worker or node is lost
#: (a machine of the cluster fails mid-clip); the clip's result is still written once.
RAY_TASK_RETRIES = 3
OUTPUT_FILES = ("report.json", "frames.csv", "jumps.csv")
BASE_FIELDS = [
    "clip",
    "name",
    "status",
    "error",
    "cached",
    "jumps",
    "jumps_per_minute",
    "mean_height_cm",
    "duration_s",
    "view",
    "partial",
    "quality_warnings",
    "messages",
    "seconds",
]


def rule_ids() -> list[str]:
    from .rules import RULES  # noqa: PLC0415 - keeps `python -m analysis batch --help` fast

    return [r.id for r in RULES]


def summary_fields() -> list[str]:
    return BASE_FIELDS + [f"pass_{rid}" for rid in rule_ids()]


# -- inputs and names ------------------------------------------------------------------
def collect_clips(inputs: Iterable[str | os.PathLike], recursive: bool = False) -> list[Path]:
    """Files as given (whatever their extension) and video files inside given folders."""
    seen: set[Path] = set()
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            it = p.rglob("*") if recursive else p.iterdir()
            found = sorted(
                f for f in it if f.is_file() and f.suffix.lower() in VIDEO_EXTS and not f.name.startswith(".")
            )
        else:
            found = [p]
        for f in found:
            r = f.resolve()
            if r not in seen:
                seen.add(r)
                out.append(r)
    return out


def safe_name(path: str | os.PathLike) -> str:
    """A folder name from a file name that cannot escape ``--out`` (no separators, no '..')."""
    stem = Path(str(path).replace("\\", "/")).stem
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:100]
    return s or "clip"


def assign_names(clips: list[Path]) -> dict[Path, str]:
    """Safe, unique, deterministic output names (stable across runs, for resuming)."""
    base = {c: safe_name(c) for c in clips}
    counts: dict[str, int] = {}
    for n in base.values():
        counts[n.lower()] = counts.get(n.lower(), 0) + 1
    names = {}
    for c, n in base.items():
        if counts[n.lower()] > 1:
            n = f"{n}-{hashlib.sha1(str(c).encode()).hexdigest()[:8]}"
        names[c] = n
    return names


# -- one clip (runs in a worker) -------------------------------------------------------
_QUEUE = None


def _init_worker(q) -> None:
    global _QUEUE
    _QUEUE = q


def analyze_clip_task(
    path: str, config: dict, workers: int = 1, key: int = -1, with_pose: bool = False
) -> dict[str, Any]:
    """Analyse one clip; never raises. Returns ``{"ok", "error", "seconds", "files"}`` where
    ``files`` maps output file names to their bytes (written by the driver), and with
    ``with_pose`` also ``pose_npz``: the pose series for a history store (``analysis.store``)."""
    t0 = time.perf_counter()
    try:
        from .pipeline import analyze_video  # noqa: PLC0415 - a worker loads the analysis when it runs a clip

        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if _QUEUE is not None and (now - last[0] > 0.5 or done >= total):
                last[0] = now
                try:
                    _QUEUE.put_nowait((key, stage, done, total))
                except Exception:  # noqa: BLE001 - progress is best effort
                    pass

        try:
            report = analyze_video(path, AnalysisConfig(**config), progress=progress, workers=workers)
        except AnalysisError as exc:
            return {"ok": False, "error": str(exc), "seconds": time.perf_counter() - t0, "files": {}}
        files = {
            "report.json": report.to_json().encode("utf-8"),
            "frames.csv": table_bytes(*report.iter_frame_rows()),
            "jumps.csv": table_bytes(*report.jump_rows()),
        }
        res: dict[str, Any] = {"ok": True, "error": "", "seconds": time.perf_counter() - t0, "files": files}
        if with_pose:
            from .store import posedata  # noqa: PLC0415 - only a batch that saves into a store needs it

            res["pose_npz"] = posedata.pack(posedata.PoseData.from_report(report))
        return res
    except Exception as exc:  # noqa: BLE001 - one bad clip must not stop a batch
        tb = traceback.format_exc(limit=8)
        return {
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": tb,
            "seconds": time.perf_counter() - t0,
            "files": {},
        }


# -- outputs ---------------------------------------------------------------------------
def _fmt(v: Any) -> Any:
    if isinstance(v, float):
        return "" if v != v else round(v, 4)  # NaN -> empty
    return "" if v is None else v


def row_from_report(clip: Path, name: str, d: dict, *, cached: bool, seconds: float | None) -> dict[str, Any]:
    s = d.get("summary", {})
    rules = {r.get("id"): r for r in d.get("rules") or []}
    row = {
        "clip": str(clip),
        "name": name,
        "status": "partial" if d.get("partial") else "ok",
        "error": "",
        "cached": int(cached),
        "jumps": s.get("jump_count"),
        "jumps_per_minute": s.get("jumps_per_minute"),
        "mean_height_cm": s.get("mean_height_cm"),
        "duration_s": s.get("duration_s"),
        "view": s.get("view"),
        "partial": int(bool(d.get("partial"))),
        "quality_warnings": " | ".join((d.get("quality") or {}).get("warnings") or []),
        "messages": " | ".join(d.get("messages") or []),
        "seconds": seconds if seconds is not None else (d.get("timings_s") or {}).get("total"),
    }
    for rid in rule_ids():
        r = rules.get(rid)
        ps = r.get("pass_share") if r and r.get("status") != Verdict.NA else None
        row[f"pass_{rid}"] = ps
    return {k: _fmt(v) for k, v in row.items()}


def error_row(clip: Path, name: str, error: str, seconds: float | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {k: "" for k in summary_fields()}
    row.update(
        clip=str(clip), name=name, status="error", error=" ".join(error.split())[:500], cached=0, seconds=_fmt(seconds)
    )
    return row


def write_outputs(out: Path, name: str, files: dict[str, bytes]) -> None:
    """Write into a temporary sibling folder, then move it into place (atomic per clip)."""
    final = out / name
    tmp = out / f".tmp-{name}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for fname, data in files.items():
        (tmp / fname).write_bytes(data)
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)


def write_error(out: Path, name: str, error: str, tb: str = "") -> None:
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "report.json").unlink(missing_ok=True)
    (d / "error.txt").write_text(error + ("\n\n" + tb if tb else "") + "\n", encoding="utf-8")


def write_summary(out: Path, rows: list[dict[str, Any]]) -> Path:
    names = summary_fields()
    return write_table(out / "summary.csv", names, dict_rows(names, rows))


# -- progress --------------------------------------------------------------------------
class BatchProgress:
    """One line on stderr: clips done/total and the running clips' stage."""

    def __init__(self, total: int, stream=sys.stderr, enabled: bool = True):
        self.total, self.done, self.failed = total, 0, 0
        self.running: dict[str, tuple[str, int, int]] = {}
        self.stream, self.enabled = stream, enabled
        self._last = ""
        self._t = 0.0

    def update(self, name: str, stage: str, done: int, total: int) -> None:
        self.running[name] = (stage, done, total)
        now = time.monotonic()
        if now - self._t >= 0.5:  # at most two redraws a second for in-clip progress
            self._t = now
            self.render()

    def finish(self, name: str, ok: bool) -> None:
        self.running.pop(name, None)
        self.done += 1
        self.failed += 0 if ok else 1
        self.render()

    def render(self) -> None:
        if not self.enabled:
            return
        frac = self.done / max(self.total, 1)
        bar = "#" * int(frac * 24)
        run = ", ".join(f"{n[:24]} {s} {100 * d // max(t, 1)}%" for n, (s, d, t) in list(self.running.items())[:3])
        line = f"\rbatch [{bar:<24s}] {self.done}/{self.total} clips" + (
            f" ({self.failed} failed)" if self.failed else ""
        )
        line += f"  {run}" if run else ""
        line = line[:160]
        if line != self._last:
            pad = max(0, len(self._last) - len(line))
            self.stream.write(line + " " * pad)
            self.stream.flush()
            self._last = line

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# -- engines ---------------------------------------------------------------------------
Done = Callable[[int, dict[str, Any]], None]


def _run_local(
    todo: list[tuple[int, Path]],
    config: dict,
    workers: int,
    on_done: Done,
    bar: BatchProgress,
    names: dict[int, str],
    with_pose: bool = False,
) -> None:
    if not todo:
        return
    if len(todo) == 1 or workers <= 1:
        # In this process (one worker, or one clip).
        global _QUEUE

        class _ToBar:  # progress of the clip analysed in this process, straight to the bar
            def put_nowait(self, msg) -> None:
                key, stage, d, t = msg
                bar.update(names.get(key, "?"), stage, d, t)

        _QUEUE = _ToBar()
        try:
            for key, clip in todo:
                # A lone clip may share its pose among processes when that pays (``choose_workers``).
                lone = len(todo) == 1 and workers > 1
                on_done(key, analyze_clip_task(str(clip), config, 0 if lone else 1, key, with_pose))
        finally:
            _QUEUE = None
        return
    from .pose.parallel import mp_context  # noqa: PLC0415 - multiprocessing only when several clips run

    ctx = mp_context()
    q = ctx.Queue()
    pending_clips = list(todo)
    n = min(workers, len(todo))

    def drain() -> None:
        while True:
            try:
                key, stage, d, t = q.get_nowait()
            except (queue_mod.Empty, EOFError, OSError):
                return
            if key in names:
                bar.update(names[key], stage, d, t)

    while pending_clips:
        broken = False
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker, initargs=(q,)) as ex:
            in_flight: dict[Any, tuple[int, Path]] = {}
            while (pending_clips or in_flight) and not broken:
                while pending_clips and len(in_flight) < n:  # a sliding window: we know what runs
                    key, clip = pending_clips.pop(0)
                    # Clips are the unit of parallel work: one pose process each, except the last
                    # clip to start, which may share its pose when cores are free (the clips still
                    # running elsewhere count as busy in ``choose_workers``).
                    per_clip = 0 if not pending_clips else 1
                    in_flight[ex.submit(analyze_clip_task, str(clip), config, per_clip, key, with_pose)] = (key, clip)
                finished, _ = wait(list(in_flight), timeout=0.3, return_when=FIRST_COMPLETED)
                drain()
                for f in finished:
                    key, clip = in_flight.pop(f)
                    try:
                        res = f.result()
                    except BrokenProcessPool:
                        broken = True
                        res = {"ok": False, "error": "the worker process analysing this clip crashed", "files": {}}
                    except Exception as exc:  # noqa: BLE001 - one clip's failure, reported in its row
                        res = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "files": {}}
                    on_done(key, res)
            if broken:  # every clip that was running when the pool broke is reported; start a new pool
                for key, _clip in in_flight.values():
                    on_done(
                        key, {"ok": False, "error": "a worker process crashed while this clip was running", "files": {}}
                    )
                ex.shutdown(wait=False, cancel_futures=True)
    drain()
    q.close()


def ray_available() -> bool:
    return importlib.util.find_spec("ray") is not None


def _run_ray(
    todo: list[tuple[int, Path]],
    config: dict,
    workers: int,
    address: str | None,
    on_done: Done,
    with_pose: bool = False,
) -> None:
    try:
        import ray  # noqa: PLC0415 - optional dependency (extra [ray]), only for --engine ray
    except ImportError:
        raise ValueError(RAY_MISSING) from None

    pkg = Path(__file__).resolve().parent
    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, runtime_env={"py_modules": [str(pkg)]}, log_to_driver=False)
        else:
            env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(pkg.parent), os.environ.get("PYTHONPATH", "")]))}
            ray.init(
                num_cpus=max(1, workers),
                include_dashboard=False,
                runtime_env={"env_vars": env},
                log_to_driver=False,
                configure_logging=False,
            )
        started = True
    try:
        task = ray.remote(num_cpus=1, max_retries=RAY_TASK_RETRIES)(analyze_clip_task)
        refs = {task.remote(str(clip), config, 1, key, with_pose): key for key, clip in todo}
        while refs:
            ready, _ = ray.wait(list(refs), num_returns=1, timeout=1.0)
            for r in ready:
                key = refs.pop(r)
                try:
                    res = ray.get(r)
                except Exception as exc:  # noqa: BLE001 - a crashed task is one clip's error
                    res = {
                        "ok": False,
                        "error": f"ray task failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}",
                        "files": {},
                    }
                on_done(key, res)
    finally:
        if started:
            ray.shutdown()


# -- driver ----------------------------------------------------------------------------
def run_batch(
    inputs: Iterable[str | os.PathLike],
    out: str | os.PathLike | None,
    *,
    workers: int = 1,
    engine: str = "local",
    address: str | None = None,
    config: dict | None = None,
    recursive: bool = False,
    progress: bool = True,
    sink: StoreSink | None = None,
) -> list[dict[str, Any]]:
    """Analyse every clip; returns the summary rows (also written to ``out/summary.csv``).

    ``sink``: an ``analysis.store.batchsink.StoreSink`` that writes every analysed clip into
    a history store; then ``out`` may be None (no files), and a clip is skipped when the
    store already has it (same jumper, content and options) instead of when ``out`` has
    its report."""

    config = AnalysisConfig(**(config or {})).to_dict()  # validated before any work starts
    if out is None and sink is None:
        raise ValueError("batch: expected an output folder (--out) or a store (--store)")
    out_dir = Path(out) if out is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in out_dir.glob(".tmp-*"):  # a run killed while writing a clip's outputs left these
            shutil.rmtree(stale, ignore_errors=True)
    clips = collect_clips(inputs, recursive)
    names = assign_names(clips)
    rows: list[dict[str, Any] | None] = [None] * len(clips)
    bar = BatchProgress(len(clips), enabled=progress)
    todo: list[tuple[int, Path]] = []

    def summary() -> None:
        if out_dir is not None:
            write_summary(out_dir, [r for r in rows if r is not None])

    for i, clip in enumerate(clips):
        stored = sink.existing(clip, config) if sink is not None else None
        if stored is not None:
            rows[i] = row_from_report(clip, names[clip], stored, cached=True, seconds=None)
            bar.finish(names[clip], True)
            continue
        rep = out_dir / names[clip] / "report.json" if out_dir is not None and sink is None else None
        if rep is not None and rep.is_file():
            try:
                rows[i] = row_from_report(
                    clip, names[clip], json.loads(rep.read_text(encoding="utf-8")), cached=True, seconds=None
                )
                bar.finish(names[clip], True)
                continue
            except (ValueError, OSError):
                pass  # unreadable report: analyse again
        todo.append((i, clip))
    summary()

    def on_done(key: int, res: dict[str, Any]) -> None:
        clip = clips[key]
        name = names[clip]
        if res.get("ok"):
            try:
                if out_dir is not None:
                    write_outputs(out_dir, name, res["files"])
                d = json.loads(res["files"]["report.json"])
                rows[key] = row_from_report(clip, name, d, cached=False, seconds=res.get("seconds"))
            except Exception as exc:  # noqa: BLE001 - e.g. disk full: this clip's error
                res = {"ok": False, "error": f"could not write outputs: {exc}"}
            else:
                if sink is not None:
                    try:
                        sink.save(clip, d, res.get("pose_npz"))
                    except Exception as exc:  # noqa: BLE001 - the store refused this clip: its error, the batch goes on
                        res = {"ok": False, "error": f"could not save to the store: {exc}"}
        if not res.get("ok"):
            if out_dir is not None:
                write_error(out_dir, name, res.get("error", "unknown error"), res.get("traceback", ""))
            rows[key] = error_row(clip, name, res.get("error", "unknown error"), res.get("seconds"))
        bar.finish(name, bool(res.get("ok")))
        summary()

    key_names = {i: names[c] for i, c in todo}
    with_pose = sink is not None
    try:
        if engine == "ray":
            _run_ray(todo, config, workers, address, on_done, with_pose)
        elif engine == "local":
            _run_local(todo, config, workers, on_done, bar, key_names, with_pose)
        else:
            raise ValueError(f"engine: expected local or ray, got {engine!r}")
    finally:
        bar.close()
        summary()
    return [r for r in rows if r is not None]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis batch", description="Analyse many jump-rope clips.")
    ap.add_argument("inputs", nargs="+", help="video files and/or folders of videos")
    ap.add_argument(
        "--out", default=None, help="output folder (one subfolder per clip, plus summary.csv); optional with --store"
    )
    ap.add_argument(
        "--workers", type=int, default=0, help="parallel processes / Ray CPUs (default: the number of cores)"
    )
    ap.add_argument("--engine", choices=("local", "ray"), default="local")
    ap.add_argument("--address", default=None, help="Ray cluster address (ray engine; default: start a local one)")
    ap.add_argument("--recursive", action="store_true", help="also look for videos in sub-folders")
    ap.add_argument("--height-cm", type=float, default=None, help="standing height of the jumper(s) in cm")
    ap.add_argument("--model", default=None, help="MediaPipe pose_landmarker .task file")
    ap.add_argument(
        "--rope-turning",
        action="store_true",
        help="a rope was turning in every clip: count the jumps where a clip cannot show the rope (said in its report)",
    )
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    st = ap.add_argument_group("history store (see README: History store)")
    st.add_argument(
        "--store",
        nargs="?",
        const="default",
        default=None,
        metavar="URL",
        help="also save every clip as a session in the history store: an SQLAlchemy URL, or nothing "
        "for JUMPROPE_DB_URL / the default store in the user's data folder",
    )
    st.add_argument("--jumper", default=None, help="the jumper of every clip (default 'me')")
    st.add_argument(
        "--jumpers",
        default=None,
        metavar="MAP.csv",
        help="CSV with columns clip,jumper[,date]: the jumper (and filming date) per clip",
    )
    st.add_argument(
        "--jumper-from-folder",
        action="store_true",
        help="the jumper is the name of the sub-folder holding the clip (use with --recursive)",
    )
    st.add_argument("--date", default=None, help="filming date of the clips, YYYY-MM-DD (default: now)")
    st.add_argument("--keep-clips", action="store_true", help="keep a copy of each clip in the store (for the review)")
    args = ap.parse_args(argv)
    if args.address and args.engine != "ray":
        ap.error("--address needs --engine ray")
    if args.out is None and args.store is None:
        ap.error("give --out DIR, --store [URL], or both")
    if args.store is None and (args.jumper or args.jumpers or args.jumper_from_folder or args.date or args.keep_clips):
        ap.error("--jumper, --jumpers, --jumper-from-folder, --date and --keep-clips need --store")
    if args.engine == "ray" and not ray_available():
        print(f"error: {RAY_MISSING}", file=sys.stderr)
        return 2
    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    clips = collect_clips(args.inputs, args.recursive)
    missing = [p for p in clips if not p.exists()]
    if not clips:
        print("error: no video files found in the given paths", file=sys.stderr)
        return 2
    sink = None
    try:
        if args.store is not None:
            sink = _store_sink(args, clips)
        rows = run_batch(
            args.inputs,
            args.out,
            workers=workers,
            engine=args.engine,
            address=args.address,
            config={"standing_height_cm": args.height_cm, "model_path": args.model, "rope_turning": args.rope_turning},
            recursive=args.recursive,
            progress=not args.quiet,
            sink=sink,
        )
    except ValueError as exc:  # StoreError is a ValueError too
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if sink is not None:
            sink.store.close()
    n_err = sum(r["status"] == "error" for r in rows)
    n_cached = sum(int(r["cached"] or 0) for r in rows)
    where = f"Summary: {Path(args.out) / 'summary.csv'}" if args.out else ""
    if sink is not None:
        where += f"{'; s' if where else 'S'}essions saved in the store at {sink.store.url}"
    print(
        f"{len(rows)} clips: {len(rows) - n_err} analysed ({n_cached} already done), {n_err} failed"
        f"{' (' + str(len(missing)) + ' not found)' if missing else ''}. {where}"
    )
    for r in rows:
        if r["status"] == "error":
            print(f"  {r['name']}: {r['error']}")
    return 1 if n_err else 0


def _store_sink(args: argparse.Namespace, clips: list[Path]) -> StoreSink:
    """The history store and jumper assignment from the command line (``analysis.store``)."""
    from .store import open_store  # noqa: PLC0415 - the store (SQLAlchemy) loads only for --store
    from .store.batchsink import StoreSink, read_jumper_map  # noqa: PLC0415 - as above
    from .store.store import DEFAULT_JUMPER, as_datetime, clean_name  # noqa: PLC0415 - as above

    mapping = read_jumper_map(args.jumpers) if args.jumpers else {}
    jumper, when = clean_name(args.jumper or DEFAULT_JUMPER), as_datetime(args.date)
    store = open_store(None if args.store == "default" else args.store)
    sink = StoreSink(
        store,
        jumper=jumper,
        mapping=mapping,
        from_folder=args.jumper_from_folder,
        input_dirs=[Path(p).resolve() for p in args.inputs if Path(p).is_dir()],
        keep_clips=args.keep_clips,
        recorded_at=when,
    )
    for k in sink.unmatched(clips):
        print(f"warning: --jumpers entry {k!r} matches no clip", file=sys.stderr)
    return sink
