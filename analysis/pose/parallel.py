"""Pose estimation of one clip split into time segments run by worker processes.

The expensive stage is pose estimation (MediaPipe keeps about one core busy per process;
everything after it is a fraction of a second). ``run_pose_parallel`` cuts the frame range
into ``workers`` contiguous *core* segments. Each segment is decoded from ``overlap_s``
seconds before its core start so the worker's own tracker (detector + landmark smoothing,
a new one per segment) has settled by the time the kept frames begin; those warm-up frames
are dropped and the cores are concatenated in order. Every frame is therefore estimated by
exactly one tracker that has seen at least ``overlap_s`` of history (or the clip's start),
which is what makes the result match a single-process run within a small tolerance (see
``tests/analysis/test_parallel.py``).

Workers are spawned (never forked: MediaPipe and OpenCV hold threads), each builds its own
estimator, decodes its own frames (frames never cross process boundaries; only the
landmark arrays come back: ~1 kB a frame) and reports progress through a queue.

When is it worth it? Measured in ``bench/speed.py`` (the speed section of ``bench/RESULTS.md``): on a
2-core machine two processes give ~1.3x on clips of a minute or more; each extra segment
costs ``overlap_s`` of repeated pose work plus decoding the frames before its start, so
short clips (< ``MIN_SEGMENT_S`` per worker) stay single-process. :func:`auto_workers`
encodes that choice.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue as queue_mod
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from ..io.video import Frame
from ..types import PoseSeries, VideoMeta
from .estimators import make_estimator
from .stage import PROGRESS_EVERY, FrameProbe, FrameSampler, Progress, pose_of_range

#: Seconds decoded before each segment's first kept frame so its tracker settles.
#: MediaPipe's landmark smoothing (one-euro filter) converges within a few frames once the
#: person is tracked; 1.5 s also covers a re-detection after a miss at the boundary.
OVERLAP_S = 1.5
#: A segment shorter than this is not worth a process (start-up ~1-2 s, model load, overlap).
MIN_SEGMENT_S = 20.0


@dataclass(frozen=True)
class Segment:
    """Frames [start, stop) are decoded; frames [keep_from, stop) are kept."""

    index: int
    start: int
    keep_from: int
    stop: int | None  # None: to the end of the clip (the container's count is an estimate)

    @property
    def warmup(self) -> int:
        return self.keep_from - self.start


def plan_segments(n_frames: int, fps: float, workers: int, overlap_s: float = OVERLAP_S) -> list[Segment]:
    """Split frames [0, n_frames) into ``workers`` contiguous kept ranges with warm-up."""
    workers = max(1, int(workers))
    overlap = int(round(overlap_s * fps))
    bounds = [round(k * n_frames / workers) for k in range(workers + 1)]
    segs = []
    for k in range(workers):
        a, b = bounds[k], bounds[k + 1]
        segs.append(Segment(k, max(0, a - overlap), a, None if k == workers - 1 else b))
    return segs


def auto_workers(
    meta: VideoMeta, cpu_count: int | None = None, min_segment_s: float = MIN_SEGMENT_S, load: float | None = None
) -> int:
    """Processes worth using for one clip: one per *idle* core (cores minus the 1-min load
    average: on a busy machine a second process only competes), each segment >= ``min_segment_s``."""
    cpus = cpu_count or os.cpu_count() or 1
    if load is None:
        try:
            load = os.getloadavg()[0] if cpu_count is None else 0.0
        except OSError:
            load = 0.0
    idle = max(1, int(round(cpus - load)))
    by_length = int(meta.duration_s // min_segment_s)
    return max(1, min(cpus, idle, by_length))


#: What the last ``run_pose_parallel`` in this process cost, per segment: CPU seconds of the
#: worker (all its threads), frames decoded and kept (for benchmarks).
LAST_STATS: dict = {}


# -- worker side ---------------------------------------------------------------------
_QUEUE = None


def _init_worker(q) -> None:  # runs once in each worker process
    global _QUEUE
    _QUEUE = q
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _put(msg) -> None:
    if _QUEUE is not None:
        try:
            _QUEUE.put_nowait(msg)
        except Exception:  # noqa: BLE001 - progress is best effort
            pass


def _run_segment(path: str, meta: VideoMeta, seg: Segment, model_path: str | None, probe: FrameProbe | None = None):
    """Worker: pose of one segment; returns (segment index, kept PoseSeries, quality samples,
    model name, cost figures)."""
    c0 = time.process_time()
    # The same global frame indices as a single-process run: the same frames are sampled.
    sampler = FrameSampler(probe=probe, keep_from=seg.keep_from)

    def report_progress(fr: Frame) -> None:
        if fr.index >= seg.keep_from and sampler.kept % PROGRESS_EVERY == 0:
            _put((seg.index, sampler.kept))

    with make_estimator(model_path) as est:
        name = getattr(est, "name", type(est).__name__)
        pose = pose_of_range(path, meta, est, sampler, start=seg.start, stop=seg.stop, on_frame=report_progress)
    _put((seg.index, sampler.kept))
    samples = sampler.samples
    warm = min(seg.warmup, len(pose))
    band = sampler.rope_band(seg.start + warm, seg.start + len(pose))
    stats = {
        "cpu_s": time.process_time() - c0,
        "decoded": len(pose),
        "kept": len(pose) - warm,
        "probe_frames": list(probe.frames) if probe is not None else [],
    }
    return seg.index, pose.slice(warm, len(pose)), samples, name, stats, band


# -- driver side ---------------------------------------------------------------------
def _fix_monotonic(pose: PoseSeries) -> PoseSeries:
    """Segments are stitched on frame index; keep timestamps strictly increasing at seams
    (only matters for containers without usable timestamps)."""
    t = np.asarray(pose.t_s, float).copy()
    bad = np.diff(t) <= 0
    if not bad.any():
        return pose
    for i in np.flatnonzero(bad) + 1:
        t[i] = max(t[i], t[i - 1] + 1e-3)
    return PoseSeries(t, pose.xy_px, pose.world_m, pose.visibility, pose.frame_size_px, pose.fps)


def mp_context(method: str | None = None):
    """``forkserver`` where available (cheap start-ups after the first), else ``spawn``."""
    if method:
        return mp.get_context(method)
    return mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")


def run_pose_parallel(
    path: str | os.PathLike,
    meta: VideoMeta,
    workers: int,
    *,
    stop: int | None = None,
    model_path: str | None = None,
    progress: Progress | None = None,
    overlap_s: float = OVERLAP_S,
    start_method: str | None = None,
    probe=None,
) -> tuple[PoseSeries, list[tuple[float, float]], str, np.ndarray]:
    """Pose of frames [0, stop) with ``workers`` processes.

    Returns the stitched :class:`PoseSeries` (one row per decoded frame, as
    ``stage.run_pose`` gives), the brightness/sharpness samples of every
    ``stage.QUALITY_SAMPLE_EVERY``-th frame, the pose model's name and the rope band's
    energy per frame (``FrameSampler.rope_band``). ``probe``: an
    object with ``on_frame(index, bgr)`` and a ``frames`` list (``people.OtherPersonProbe``):
    each worker feeds a copy with its kept frames, and the frames come back into ``probe``.
    Progress: ``progress("pose", kept frames done, total)``.
    """
    n = min(stop, meta.n_frames) if stop is not None else meta.n_frames  # the cut, or the clip's frames
    segs = plan_segments(n, meta.fps, workers, overlap_s)
    if stop is not None:
        segs[-1] = Segment(segs[-1].index, segs[-1].start, segs[-1].keep_from, stop)
    ctx = mp_context(start_method)
    LAST_STATS.clear()
    LAST_STATS["segments"] = []
    q = ctx.Queue()
    done = [0] * len(segs)
    results: dict[int, tuple[PoseSeries, list, np.ndarray]] = {}
    model_name = ""

    def drain() -> None:
        changed = False
        while True:
            try:
                k, d = q.get_nowait()
            except queue_mod.Empty:
                break
            except (EOFError, OSError):
                break
            done[k] = max(done[k], d)
            changed = True
        if changed and progress is not None:
            tot = sum(done)
            progress("pose", tot, max(n, tot))

    with ProcessPoolExecutor(max_workers=len(segs), mp_context=ctx, initializer=_init_worker, initargs=(q,)) as ex:
        futs = {ex.submit(_run_segment, str(path), meta, s, model_path, probe) for s in segs}
        pending = set(futs)
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            drain()
            for f in finished:
                k, pose, samples, name, stats, band = f.result()  # re-raises a worker's error here
                results[k] = (pose, samples, band)
                model_name = name
                if probe is not None:
                    probe.frames.extend(stats.pop("probe_frames"))
                LAST_STATS["segments"].append({"index": k, **{a: b for a, b in stats.items() if a != "probe_frames"}})
    drain()
    q.close()
    parts = [results[k][0] for k in sorted(results)]
    # A segment past the real end of a clip (the container over-announced frames) is empty.
    parts = [p for p in parts if len(p)] or parts[:1]
    pose = _fix_monotonic(PoseSeries.concatenate(parts))
    samples = [s for k in sorted(results) for s in results[k][1]]
    band = np.concatenate([results[k][2] for k in sorted(results) if len(results[k][0])] or [np.zeros(0)])
    if probe is not None:
        probe.frames.sort(key=lambda f: f[0])
        del probe.frames[getattr(probe, "samples", len(probe.frames)) :]
    if progress is not None:
        progress("pose", len(pose), max(len(pose), 1))
    return pose, samples, model_name, band[: len(pose)]
