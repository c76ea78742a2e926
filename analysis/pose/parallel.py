"""The pose stage shared among processes, and the choice of how many to use.

Pose estimation is the expensive stage (MediaPipe keeps about one core busy per process;
everything after it takes a fraction of a second). A clip is cut into segments by
``stage.plan_segments`` (a function of the clip alone), and :class:`PoseRunner` runs them in
this process and in ``workers - 1`` helper processes: each process takes the next free
segment (its own next one first: its tracker starts on the frames it is reading, nothing is
skipped), decodes with its own reader (frames never cross process boundaries; only
landmarks, ~1.6 kB a frame, and a few probe frames come back) and runs each segment with a
fresh tracker warmed up on the frames before it. Each segment is computed the same way
whichever process runs it, and the seams are then judged in order as one process judges
them while reading (``stage.settle_seams``: a seam whose fresh tracker disagrees with the
tracker before it is given up, and the part before it estimated again across it), so one
process and several give bit-identical results; the number of processes (and so the
machine's load) never changes an analysis.

Helpers come from the ``forkserver``, which imports the pose code and MediaPipe once for the
life of the program (the page and the batch command pay that once; a command-line run pays
it while this process already works on the first segment). Never a plain ``fork`` of this
process: MediaPipe's native state does not survive it (measured here: heap corruption in
the child). A helper that dies or fails leaves its segments to this process.

When is it worth it? :func:`choose_workers`: only when the clip has at least two segments
(``stage.MIN_SPLIT_FRAMES`` frames or more), frames of at most :data:`MAX_PARALLEL_PIXELS`
(a helper decodes every frame before its first segment; that decoding grows with the frame
size while pose does not) and, of the cores this process may use, as many as the other
programs leave free (measured by :class:`CpuMeter`). Measured in ``bench/speed.py`` (the
speed section of ``bench/RESULTS.md``).
"""

from __future__ import annotations

import os
import queue as queue_mod
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from ..io.video import FrameReader
from ..types import VideoMeta
from .forkserver import context as forkserver_context
from .forkserver import server_cpu_s
from .stage import (
    PROGRESS_EVERY,
    FrameProbe,
    OnPose,
    PoseStageResult,
    Progress,
    Segment,
    SegmentPose,
    Stitcher,
    plan_segments,
    run_pose_stage_here,
    run_segments,
    segment_count,
    settle_seams,
)

#: Frames larger than this (pixels) stay in one process: a helper decodes every frame before
#: its first segment, and decoding grows with the frame size while pose, which works on a
#: copy of at most 1280 pixels (``estimators.POSE_MAX_SIDE_PX``), does not. At 1920x1080
#: decoding a frame costs about a seventh of estimating its pose; above that, a helper spends
#: a quarter or more of its work decoding frames it skips.
MAX_PARALLEL_PIXELS = 1920 * 1080

#: What the last ``PoseRunner.run`` in this process did (for benchmarks): processes, threads
#: each; per segment the process that ran it (0: this one), its CPU seconds and frames
#: decoded; helper start-up.
LAST_STATS: dict[str, Any] = {}


# -- how many processes --------------------------------------------------------------
def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    try:  # cgroup v2: "max 100000" or "200000 100000"
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()[:2]
        if quota != "max":
            n = min(n, max(1, int(int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, n)


def _proc_stat() -> tuple[float, float, int] | None:
    """(busy seconds, idle seconds, CPUs) of the whole machine since boot (Linux)."""
    try:
        with open("/proc/stat") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    v = [int(x) for x in lines[0].split()[1:9]]  # user nice system idle iowait irq softirq steal
    idle = v[3] + v[4]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    cpus = sum(1 for line in lines if line.startswith("cpu") and line[3:4].isdigit())
    return busy / ticks, idle / ticks, max(1, cpus)


def _own_cpu_s() -> float:
    """CPU seconds of this process and of its fork server (``forkserver.server_cpu_s``)."""
    t = os.times()
    return t.user + t.system + server_cpu_s()


class CpuMeter:
    """How many cores the *other* programs leave free: the machine's busy time over a short
    window (``/proc/stat``), minus this process's own and its fork server's. Start it early
    (it measures from its creation); ``free_cores`` waits until the window is at least
    ``min_window_s`` long."""

    def __init__(self) -> None:
        self._t0 = time.monotonic()
        self._stat0 = _proc_stat()
        self._own0 = _own_cpu_s()

    def free_cores(self, min_window_s: float = 0.2) -> float:
        if self._stat0 is None:  # not Linux: the load average, else assume the cores are free
            try:
                return max(0.0, usable_cores() - os.getloadavg()[0])
            except (AttributeError, OSError):
                return float(usable_cores())
        wait = min_window_s - (time.monotonic() - self._t0)
        if wait > 0:
            time.sleep(wait)
        stat1 = _proc_stat()
        if stat1 is None:
            return float(usable_cores())
        window = time.monotonic() - self._t0
        busy = stat1[0] - self._stat0[0]
        own = _own_cpu_s() - self._own0
        others_cores = max(0.0, (busy - own) / max(window, 1e-3))
        return max(0.0, min(float(usable_cores()), stat1[2] - others_cores))


def _cores_and_free(free_cores: CpuMeter | float | None, cores: int | None) -> tuple[int, int]:
    """(usable cores, free cores rounded to whole ones): ``free_cores`` a number, or a
    :class:`CpuMeter` started earlier (read now), or None (measured now)."""
    if free_cores is None:
        free_cores = CpuMeter()
    free = free_cores.free_cores() if isinstance(free_cores, CpuMeter) else float(free_cores)
    return cores or usable_cores(), int(free + 0.5)


def choose_workers(
    meta: VideoMeta, n_frames: int, free_cores: CpuMeter | float | None = None, cores: int | None = None
) -> int:
    """Processes worth using for the pose of one clip of ``n_frames`` frames (see the
    module docstring): 1 unless the clip has two segments or more, its frames are at most
    :data:`MAX_PARALLEL_PIXELS` and two cores or more are free (``free_cores`` rounded:
    a number, or a :class:`CpuMeter` started earlier, read only when it matters; None:
    measured now); never more than the segments or the usable cores."""
    segments = segment_count(n_frames)
    if segments < 2 or meta.width_px * meta.height_px > MAX_PARALLEL_PIXELS:
        return 1
    cores, free = _cores_and_free(free_cores, cores)
    return max(1, min(segments, cores, free))


#: Cores left to the rest when the pose networks get threads: one for this program's own
#: threads beside pose (the sampler's, ``stage.SideWork``, and the soundtrack's) and one for
#: other programs. The networks' threads wait for each other at every layer, so one of them
#: taken off its core by another busy thread stalls all: measured here (2 cores, the 29 s
#: 720p clip, 100 frames) with one other program spinning on a core, two threads ran at
#: 5.1 frames/s against 45 for one. Processes (``choose_workers``) do not wait for each
#: other and slow down gently instead.
SPARE_CORES_FOR_THREADS = 2


def choose_threads(workers: int, free_cores: CpuMeter | float | None = None, cores: int | None = None) -> int:
    """Threads for each pose process's networks (``estimators.BundledPoseEstimator``) when
    ``workers`` processes run: the free cores (rounded, as in :func:`choose_workers`) less
    :data:`SPARE_CORES_FOR_THREADS`, shared among the processes, at least one each. Threads
    cost no seam (one tracker, the same landmarks whatever the number), so a clip too short
    to cut gets the spare cores too; on idle cores two threads ran BlazePose Full 1.67x as
    fast as one (speed section of ``bench/RESULTS.md``). On a 2-core machine this is always
    one: ``--pose-threads`` forces more."""
    cores, free = _cores_and_free(free_cores, cores)
    return max(1, (min(cores, free) - SPARE_CORES_FOR_THREADS) // max(1, int(workers)))


# -- helper processes ----------------------------------------------------------------
class Claims:
    """Who runs which segment, in a table shared by the processes (0: free, ``k + 1``:
    process ``k``). Process ``who`` takes the segment after its last one if free (no frames
    to skip; its tracker can start on the frames it is reading), else the first free one
    from ``first`` on (its share of the clip), else any free one."""

    def __init__(self, table, segments: list[Segment], who: int, first: int):
        self.table, self.segments, self.who, self.first = table, segments, who, first

    def claim(self, after: int | None) -> Segment | None:
        n = len(self.segments)
        order = ([after + 1] if after is not None and after + 1 < n else []) + list(range(self.first, n))
        for j in order + list(range(self.first)):
            seg = self.claim_next(j)
            if seg is not None:
                return seg
        return None

    def claim_next(self, j: int) -> Segment | None:
        with self.table.get_lock():
            if j < len(self.segments) and self.table[j] == 0:
                self.table[j] = self.who + 1
                return self.segments[j]
        return None


def _one_after_another(segments: list[Segment]):
    """A ``claim`` that gives these segments in order (no neighbour is started early)."""
    it = iter(segments)
    return lambda _after: next(it, None)


def _helper_main(who, path, meta, segments, model_path, probe, claims, first, out, threads=1) -> None:
    """A helper process: run free segments until none is left; send each back."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    out.put(("started", who, time.monotonic()))
    done = [0]

    def on_kept() -> None:
        done[0] += 1
        if done[0] % PROGRESS_EVERY == 0:
            out.put(("progress", who, PROGRESS_EVERY))

    mine = Claims(claims, segments, who, first)
    try:
        with FrameReader(path, meta) as reader:
            for part in run_segments(
                reader,
                mine.claim,
                mine.claim_next,
                model_path=model_path,
                probe=probe,
                on_kept=on_kept,
                threads=threads,
                settle=False,  # the driver judges every seam once all are in (stage.settle_seams)
            ):
                out.put(("progress", who, done[0] % PROGRESS_EVERY))
                done[0] = 0
                out.put(("part", who, part))
        out.put(("exit", who, None))
    except BaseException as exc:  # noqa: BLE001 - reported to the driver, which runs the segment itself
        out.put(("error", who, f"{type(exc).__name__}: {str(exc)[:300]}"))


#: The helpers' multiprocessing context: the fork server with the pose code preloaded,
#: ``spawn`` where there is none (``forkserver.context``).
mp_context = forkserver_context


@dataclass
class PoseRunner:
    """The pose stage of one clip in ``workers`` processes (this one and ``workers - 1``
    helpers). Use as a context manager: entering starts the helpers (they load while this
    process goes on), :meth:`run` runs this process's share and collects theirs, leaving
    stops any helper still running. With one process it runs the same segments in order.

    ``stop``: frames from here on are not analysed (the clip's cut); ``probe``: an
    ``OtherPersonProbe`` (each segment fills a copy; the result's frames end up in it)."""

    path: str | os.PathLike
    meta: VideoMeta
    workers: int = 1
    stop: int | None = None
    model_path: str | None = None
    probe: FrameProbe | None = None
    start_method: str | None = None
    threads: int = 1
    segments: list[Segment] = field(init=False)
    _helpers: list = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        n = min(self.stop, self.meta.n_frames) if self.stop is not None else self.meta.n_frames
        self.n_frames = n
        self.segments = plan_segments(n, self.stop)  # the same plan however many processes run it
        self.workers = max(1, min(int(self.workers), len(self.segments)))
        self._ctx = None
        self._claims = None
        self._out = None
        self._t_start = 0.0
        self._launcher: threading.Thread | None = None
        self._launched = threading.Event()
        self._failed_start: set[int] = set()

    def __enter__(self) -> PoseRunner:
        if self.workers > 1:
            ctx = mp_context(self.start_method)
            self._ctx = ctx
            self._claims = ctx.Array("i", len(self.segments))
            self._out = ctx.Queue()
            self._t_start = time.monotonic()
            for who in range(1, self.workers):
                first = who * len(self.segments) // self.workers
                self._helpers.append(
                    ctx.Process(
                        target=_helper_main,
                        args=(
                            who,
                            str(self.path),
                            self.meta,
                            self.segments,
                            self.model_path,
                            self.probe,
                            self._claims,
                            first,
                            self._out,
                            self.threads,
                        ),
                        daemon=True,
                        name=f"pose-helper-{who}",
                    )
                )
            # Starting a helper waits for the fork server, which imports MediaPipe the first
            # time (about 1.1 s here): a thread waits for it while this process goes on.
            self._launcher = threading.Thread(target=self._launch, name="pose-helper-start", daemon=True)
            self._launcher.start()
        return self

    def _launch(self) -> None:
        """Start the helpers (in a thread: see :meth:`__enter__`). One that cannot start
        counts as finished: its segments are run by this process."""
        try:
            for who, p in enumerate(self._helpers, start=1):
                try:
                    p.start()
                except Exception:  # noqa: BLE001 - no helper: this process runs its segments
                    self._failed_start.add(who)
        finally:
            self._launched.set()

    def _gone(self, finished: set[int]) -> set[int]:
        """Helpers that will send nothing more: they exited, failed, died, or never started.
        A helper whose start is still under way is not gone (it may yet claim segments)."""
        if not self._launched.is_set():
            return set(finished)
        return {
            w
            for w in range(1, self.workers)
            if w in finished or w in self._failed_start or not self._helpers[w - 1].is_alive()
        }

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._launcher is not None:
            self._launcher.join()
            self._launcher = None
        for who, p in enumerate(self._helpers, start=1):
            if who in self._failed_start:
                continue
            p.join(timeout=0 if exc_type else 5)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)
        self._helpers = []
        if self._out is not None:
            self._out.close()
            self._out.join_thread()
            self._out = None

    def run(self, progress: Progress | None = None, on_pose: OnPose | None = None) -> PoseStageResult:
        """This process's segments, then the helpers'; the stitched result. ``on_pose`` sees
        each frame this process keeps as it is estimated (``stage.PrefixFeed`` keeps the
        part from the clip's start: this process runs the first segment and its neighbours)."""
        LAST_STATS.clear()
        if self.workers <= 1:
            res = run_pose_stage_here(
                self.path,
                self.meta,
                stop=self.stop,
                model_path=self.model_path,
                progress=progress,
                probe=self.probe,
                segments=self.segments,
                on_pose=on_pose,
                threads=self.threads,
            )
            LAST_STATS.update({"processes": 1, "threads": self.threads, "segments": res.segments})
            return res
        assert self._claims is not None and self._out is not None, "PoseRunner.run: use it in a `with` block"
        n = self.n_frames
        done = [0]
        stitcher = Stitcher(self.meta, n, self.probe)
        stats: dict[int, dict[str, Any]] = {}  # segment index -> who ran it, its cost
        finished: set[int] = set()  # helpers that exited, failed or died
        started: dict[int, float] = {}
        out = self._out

        def handle(msg) -> None:
            kind, who, body = msg
            if kind == "progress":
                done[0] += body
            elif kind == "part":
                take(body, who)
            elif kind == "started":
                started[who] = body - self._t_start
            else:  # "exit" or "error"
                finished.add(who)

        def take(part: SegmentPose, who: int) -> None:
            stitcher.add(part)  # copied into the clip's series; the segment's own arrays are dropped
            stats[part.index] = {"index": part.index, "process": who, "cpu_s": part.cpu_s, "decoded": part.decoded}

        def drain() -> None:
            while True:
                try:
                    handle(out.get_nowait())
                except queue_mod.Empty:
                    return

        def on_kept() -> None:
            done[0] += 1
            if done[0] % PROGRESS_EVERY == 0:
                drain()
                if progress is not None:
                    progress("pose", done[0], max(n, done[0]))

        mine = Claims(self._claims, self.segments, 0, 0)
        with FrameReader(self.path, self.meta) as reader:
            for part in run_segments(
                reader,
                mine.claim,
                mine.claim_next,
                model_path=self.model_path,
                probe=self.probe,
                on_kept=on_kept,
                on_pose=on_pose,
                threads=self.threads,
                settle=False,
            ):
                take(part, 0)
            # Wait for the helpers; a segment claimed by a helper that failed or died is run here.
            while len(stats) < len(self.segments):
                try:
                    handle(out.get(timeout=0.2))
                    drain()
                except queue_mod.Empty:
                    pass
                if progress is not None:
                    progress("pose", done[0], max(n, done[0]))
                # A helper that sent "exit" has sent all its segments before; one that failed
                # or died leaves the segments it claimed and did not send.
                gone = self._gone(finished)
                if gone:
                    drain()
                orphans = [s for s in self.segments if s.index not in stats and self._claims[s.index] - 1 in gone]
                for part in run_segments(
                    reader,
                    _one_after_another(orphans),
                    lambda _j: None,
                    model_path=self.model_path,
                    probe=self.probe,
                    threads=self.threads,
                    settle=False,
                ):
                    take(part, 0)

            def rerun(seg: Segment, last: int) -> SegmentPose:
                (part,) = run_segments(
                    reader,
                    _one_after_another([seg]),
                    lambda _j: None,
                    model_path=self.model_path,
                    probe=self.probe,
                    threads=self.threads,
                    settle=False,
                )
                part.last_index = last
                return part

            # Each segment had a fresh tracker; judge the seams in order as one process does.
            given_up = settle_seams(stitcher, self.segments, rerun)
        result = stitcher.result(len(self.segments), processes=self.workers)
        LAST_STATS.update(
            {
                "processes": self.workers,
                "threads": self.threads,
                "segments": len(self.segments),
                "helper_start_s": started,
                "seams_given_up": given_up,
                "by_segment": [stats[k] for k in sorted(stats)],
            }
        )
        if progress is not None:
            progress("pose", len(result.pose), max(len(result.pose), 1))
        return result


def run_pose_stage(
    path: str | os.PathLike,
    meta: VideoMeta,
    workers: int = 1,
    *,
    stop: int | None = None,
    model_path: str | None = None,
    progress: Progress | None = None,
    probe: FrameProbe | None = None,
    start_method: str | None = None,
    threads: int = 1,
) -> PoseStageResult:
    """:class:`PoseRunner` in one call (helpers started and stopped here)."""
    with PoseRunner(path, meta, workers, stop, model_path, probe, start_method, threads) as stage:
        return stage.run(progress)
