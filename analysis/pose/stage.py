"""The pose stage: decode the clip once, run the estimator on each frame, and take the
per-frame samples the later stages need (brightness and sharpness, frames for the
other-person probe) while the frames stream past.

The clip is cut into **segments** by :func:`plan_segments`, a function of the clip's frame
count alone: a clip shorter than :data:`MIN_SPLIT_FRAMES` is one segment (one tracker over
the whole clip; below it a cut would not pay, :func:`_split_pays`); a longer one in two, and
in more where its seams cost at most :data:`SEAM_BUDGET` of its pose work. Each segment gets
a fresh tracker that starts :data:`WARMUP_FRAMES` frames before the segment's first kept
frame (the warm-up frames are estimated and dropped). A seam stands only where the fresh
tracker agrees with the one before it at the end of the warm-up (:func:`seam_stands`);
elsewhere (another person found, a limb read another way) the tracker before it runs on
across it, as one tracker over the whole clip would.
Because the cut does not depend on how many processes run, one process running the
segments in order (:func:`run_pose_stage_here`; it starts the next tracker on the frames
it is reading, so nothing is decoded twice) and several processes sharing them
(``pose/parallel.py``) run the same computation per segment and give bit-identical
results, whatever the number of processes or the machine's load. ``bench/warmup.py``
measures a seam against one tracker over the whole clip (:data:`SEAM_TOLERANCE`) and chose
the warm-up.

Per-frame side work (:class:`FrameSampler`) is done inside the segment: it sees the
warm-up frames as context and keeps its output for the kept frames only, so it is the same
in every path (and a probe that compares a frame with the previous one, such as the rope
band's ``ropeband.RopeBandProbe``, gets the previous frame at a seam too).

Within a process, a segment's frames are decoded on a thread ahead of its tracker
(:class:`Prefetch`) and sampled on a thread beside it (:class:`SideWork`), in order, so the
results are those of doing everything on one thread; OpenCV keeps to one thread meanwhile
(:func:`opencv_threads`). The tracker's networks run on ``threads`` threads (the same
landmarks whatever the number; ``parallel.choose_threads`` says when that pays).
"""

from __future__ import annotations

import copy
import math
import os
import queue
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from ..io.video import Frame, FrameReader, iter_frames
from ..types import PoseSeries, VideoMeta
from .camera_motion import CameraMotionProbe
from .estimators import PoseEstimator, PoseFrame, SeriesBuffer, estimate_pose, make_estimator, prepare_rgb
from .ropeband import RopeBandProbe, probe_grey

#: progress(stage, done, total): stage is "reading", "pose", "jumps", "rules" (or "video").
Progress = Callable[[str, int, int], None]
#: Brightness and sharpness are sampled on every n-th frame (cheap, but not free).
QUALITY_SAMPLE_EVERY = 15
#: Progress is reported every n-th frame.
PROGRESS_EVERY = 10

#: Frames a segment's fresh tracker runs before the segment's first kept frame. Chosen by
#: ``bench/warmup.py`` on the synthetic sample clips (the warm-up from which every seam that
#: any warm-up brings within :data:`SEAM_TOLERANCE` of one tracker over the whole clip stays
#: within it), then checked on the real clips; see the "warmup" section of ``bench/RESULTS.md``.
WARMUP_FRAMES = 45
#: A seam costs a fresh tracker: ``WARMUP_FRAMES`` frames estimated twice and one person
#: detection (about one more frame). Beyond two segments, seams may cost at most this share
#: of a clip's pose work, so that longer clips get more segments (for more cores) and a
#: clip is never cut finer than its cores can use for little.
SEAM_BUDGET = 0.05
#: Two pose processes on two free cores estimate this many times the frames one does in the
#: same time: 1.3x, the figure given for this machine. On the 29 s 720p clip each of the two
#: ran at 33-35 frames a second against about 45 for one process alone (1.5x together; the
#: speed section of ``bench/RESULTS.md``); the lower figure keeps a clip whole where the gain
#: is in doubt.
TWO_PROCESS_THROUGHPUT = 1.3
#: A helper starts estimating this many frames (of one process's pose) after this process
#: does: the fork server imports MediaPipe before the first helper runs, 1.2-1.8 s measured
#: here (``parallel.LAST_STATS["helper_start_s"]``) at about 45 frames a second of pose.
HELPER_START_FRAMES = 70


def _split_pays(n_frames: int) -> bool:
    """Whether cutting a clip in two pays: where two cores are free, two processes finish its
    pose at least as much sooner (the helper starting :data:`HELPER_START_FRAMES` late, the
    two sharing the work and the seam's warm-up at :data:`TWO_PROCESS_THROUGHPUT`) as the
    seam makes one process slower where only one core is (``WARMUP_FRAMES + 1`` frames more).
    The cut cannot depend on the cores found at run time: it would change the analysis with
    the machine's load."""
    seam = WARMUP_FRAMES + 1
    two = HELPER_START_FRAMES + (n_frames + seam) / TWO_PROCESS_THROUGHPUT
    return n_frames / two - 1.0 >= seam / max(1, n_frames)


#: Clips with fewer frames are one segment (:func:`_split_pays`): 643 frames, about 21 s at
#: 30 fps, where two free cores make the pose about 1.07x as fast and one core 7% slower.
MIN_SPLIT_FRAMES = next(n for n in range(1, 10**6) if _split_pays(n))
#: At most this many segments: enough to share a clip among up to 16 processes.
MAX_SEGMENTS = 16


class FrameProbe(Protocol):
    """Something that keeps a few frames while they stream past (``people.OtherPersonProbe``)."""

    frames: list[tuple[int, np.ndarray]]

    def on_frame(self, index: int, bgr: np.ndarray) -> None: ...


def frame_luma_sharpness(bgr: np.ndarray) -> tuple[float, float]:
    """Mean luma (0-255) and variance of the Laplacian of a frame, computed on a 360p copy."""
    h, w = bgr.shape[:2]
    s = 360.0 / max(1, min(h, w))
    small = cv2.resize(bgr, (max(1, int(w * s)), max(1, int(h * s)))) if s < 1 else bgr
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return float(gray.mean()), float(cv2.Laplacian(gray, cv2.CV_64F).var())


@dataclass
class FrameSampler:
    """Per-frame work beside pose estimation, fed every decoded frame of a segment with its
    landmarks (``pf``, None where no person was found).

    Frames before ``keep_from`` are the segment's warm-up: context only (work that needs
    the frames before the first kept one, such as a frame-to-frame difference, reads them
    here), nothing is kept from them. From ``keep_from`` on: a brightness/sharpness sample
    every :data:`QUALITY_SAMPLE_EVERY`-th frame (by global frame index, so any split of the
    clip samples the same frames), the probe's frames, how far the camera moved the scene
    since the frame before (``camera_motion.CameraMotionProbe``: it compares a frame with the
    one before, so it also sees the last warm-up frame; the earlier ones would change
    nothing; ``fps`` bounds how far the jumper can move in a frame), and, with the previous
    frame moved by that shift, the motion above the head where a rope passes
    (``ropeband.RopeBandProbe``, the same way)."""

    probe: FrameProbe | None = None
    keep_from: int = 0
    samples: list[tuple[float, float]] = field(default_factory=list)
    kept: int = 0
    rope: RopeBandProbe = field(default_factory=RopeBandProbe)
    fps: float = 30.0
    camera: CameraMotionProbe | None = None

    def __post_init__(self) -> None:
        if self.camera is None:
            self.camera = CameraMotionProbe(self.fps)

    def __call__(self, fr: Frame, pf: PoseFrame | None = None) -> None:
        if fr.index < self.keep_from - 1:
            return
        xy = pf.xy_px if pf is not None else None
        grey = probe_grey(fr.bgr)  # one small grey copy for both probes
        assert self.camera is not None
        self.camera.on_frame(fr.index, fr.bgr, xy, grey)
        self.rope.on_frame(fr.index, fr.bgr, xy, grey, self.camera.value(fr.index))
        if fr.index < self.keep_from:
            return
        self.kept += 1
        if fr.index % QUALITY_SAMPLE_EVERY == 0:
            self.samples.append(frame_luma_sharpness(fr.bgr))
        if self.probe is not None:
            self.probe.on_frame(fr.index, fr.bgr)

    def rope_band(self, start: int, stop: int) -> np.ndarray:
        """[stop - start] the rope band's energy for frames [start, stop) (NaN where not measured)."""
        return self.rope.energy(stop)[start:stop]

    def camera_shift(self, start: int, stop: int) -> np.ndarray:
        """[stop - start, 2] the scene's shift (px) from the frame before, frames [start, stop)."""
        assert self.camera is not None
        return self.camera.shifts(stop)[start:stop]


# -- segments ------------------------------------------------------------------------
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


def segment_count(n_frames: int) -> int:
    """How many segments a clip of ``n_frames`` frames is cut into: one below
    :data:`MIN_SPLIT_FRAMES`, else the largest power of two (so that 2, 4, 8 ... processes
    share them evenly), at least two and at most :data:`MAX_SEGMENTS`, whose seams cost at
    most :data:`SEAM_BUDGET` of the clip's pose work."""
    if n_frames < MIN_SPLIT_FRAMES:
        return 1
    s = 2
    while 2 * s <= MAX_SEGMENTS and (2 * s - 1) * (WARMUP_FRAMES + 1) <= SEAM_BUDGET * n_frames:
        s *= 2
    return s


def plan_segments(n_frames: int, stop: int | None = None, warmup: int = WARMUP_FRAMES) -> list[Segment]:
    """The segments of frames [0, n_frames), each decoded from ``warmup`` frames before its
    first kept frame, with the same pose work each (warm-up included: the first segment, which
    has none, keeps ``warmup`` frames more than the others), so that processes sharing them
    end together. A function of the clip alone (never of the processes that will run it).
    The last segment reads to ``stop`` (None: the real end of the clip, as the container's
    frame count is an estimate)."""
    n = max(0, int(n_frames))
    k = segment_count(n)
    work = (n + (k - 1) * warmup) / k  # frames each segment estimates
    bounds = [0] + [round(j * work - (j - 1) * warmup) for j in range(1, k)] + [n]
    return [Segment(j, max(0, bounds[j] - warmup), bounds[j], stop if j == k - 1 else bounds[j + 1]) for j in range(k)]


@dataclass(frozen=True)
class SeamTolerance:
    """How close the landmarks after a seam must be to one tracker over the whole clip (the
    parallel test's tolerance). Pixels are scaled to a 360-pixel short side, the size at
    which the test's figures were first measured (median 0.03 px, max ~2.5 px at 640x360):
    the median bound is ~15x and the 99th-percentile bound ~1.6x those; every frame found by
    one must be found by the other."""

    median_px: float = 0.5
    p99_px: float = 4.0
    visibility_p99: float = 0.1

    def holds(self, d: dict) -> bool:
        """``d``: :func:`seam_differences` of a stretch after a seam."""
        return bool(
            d["found_mismatch"] == 0
            and d["median_px"] < self.median_px
            and d["p99_px"] < self.p99_px
            and d["visibility_p99"] < self.visibility_p99
        )

    def describe(self) -> str:
        return (
            f"same frames found, landmark coordinates' absolute difference median < {self.median_px:g} px and "
            f"99th percentile < {self.p99_px:g} px (pixels of a 360-pixel short side), visibility difference "
            f"99th percentile < {self.visibility_p99:g}"
        )


SEAM_TOLERANCE = SeamTolerance()


def seam_differences(reference: PoseSeries, other: PoseSeries, frame_size_px: tuple[int, int]) -> dict:
    """How far ``other`` is from ``reference`` (the same frames): frames found by one only,
    and over frames found by both the landmark coordinates' absolute difference (pixels of
    a 360-pixel short side) median, 99th percentile and maximum, and the 99th percentile of
    the visibility difference."""
    if len(reference) != len(other):
        raise ValueError(f"seam_differences: expected series of the same length, got {len(reference)} and {len(other)}")
    scale = 360.0 / max(1, min(frame_size_px))
    both = reference.found & other.found
    d = np.abs(reference.xy_px[both] - other.xy_px[both]).ravel() * scale
    d = d[np.isfinite(d)]
    v = np.abs(reference.visibility - other.visibility).ravel()
    return {
        "compared": int(both.sum()),
        "found_mismatch": int((reference.found != other.found).sum()),
        "median_px": float(np.median(d)) if d.size else 0.0,
        "p99_px": float(np.percentile(d, 99)) if d.size else 0.0,
        "max_px": float(d.max()) if d.size else 0.0,
        "visibility_p99": float(np.percentile(v, 99)) if v.size else 0.0,
    }


#: Frames at the end of a seam's warm-up over which the fresh tracker must agree with the
#: tracker before the seam (within :data:`SEAM_TOLERANCE`) for the seam to stand: the last
#: third of the warm-up. On the shared real clips every seam that any warm-up brought within
#: the tolerance did so within 30 frames (on the synthetic clips that chose the warm-up, one
#: seam needed 45: the "warmup" section of ``bench/RESULTS.md``), so two trackers on the same
#: body agree by then; where they do not (a fresh detection that found another person, a
#: side view whose hidden limbs each tracker reads its own way), the seam is given up and
#: the tracker before it carries on (:func:`seam_stands`).
SEAM_CHECK_FRAMES = WARMUP_FRAMES // 3


def seam_stands(before: PoseSeries, fresh: PoseSeries) -> bool:
    """Whether a seam stands: over the last :data:`SEAM_CHECK_FRAMES` frames of the warm-up,
    ``fresh`` (the new tracker) is within :data:`SEAM_TOLERANCE` of ``before`` (the tracker
    that ran up to the seam, the same frames). A seam that does not stand is given up: one
    tracker runs on across it, as if the clip had not been cut there. Frames where neither
    found anyone agree."""
    return SEAM_TOLERANCE.holds(seam_differences(before, fresh, before.frame_size_px))


@dataclass
class SegmentPose:
    """What one segment gives back (small: landmarks, samples and a few probe frames)."""

    index: int
    keep_from: int
    pose: PoseSeries  # the kept frames only
    complete: bool  # False: the clip ended (or stopped decoding) before the segment's stop
    samples: list[tuple[float, float]]
    probe_frames: list[tuple[int, np.ndarray]]
    model_name: str
    rope_band: np.ndarray  # [len(pose)] the kept frames' rope band energy (FrameSampler.rope_band)
    camera_shift_px: np.ndarray | None = None  # [len(pose), 2] (FrameSampler.camera_shift)
    cpu_s: float = 0.0
    decoded: int = 0
    #: The last segment this part covers: ``index`` unless seams after it were given up
    #: (:func:`seam_stands`) and its tracker ran on through the segments after.
    last_index: int = -1
    #: The fresh tracker's landmarks over the last :data:`SEAM_CHECK_FRAMES` frames of the
    #: warm-up (None for a segment with no warm-up, or one the clip ended in before its warm-up
    #: did): what the seam before it is judged on.
    warm: PoseSeries | None = None
    #: Kept frames whose landmarks came from a window about a jumper too small for the
    #: detector (``framing.FramingEstimator``), and the first one's clip time (NaN: none).
    framed_frames: int = 0
    framed_from_s: float = float("nan")

    def __post_init__(self) -> None:
        if self.last_index < 0:
            self.last_index = self.index


#: ``on_pose(frame, landmarks or None, rope band energy, camera shift (dx, dy) px)``: a kept
#: frame as it is estimated.
OnPose = Callable[[Frame, "PoseFrame | None", float, "tuple[float, float]"], None]


class PrefixFeed:
    """Passes ``on_pose(frame, landmarks)`` the kept frames that continue the clip from its
    first frame, in order, as the segments stream them (a first answer reads the part of the
    clip analysed so far). Frames of a segment run before the ones ahead of it are done (in
    another order or by another process) are not passed: the prefix stops growing there.
    Keeps the rope band and the camera's shift of the frames passed (24 bytes a frame)."""

    def __init__(self, on_pose: Callable[[Frame, PoseFrame | None], None]):
        self.on_pose = on_pose
        self.next = 0
        self.band = array("d")
        self.shift = array("d")

    def __call__(
        self,
        fr: Frame,
        pf: PoseFrame | None,
        band: float,
        shift: tuple[float, float] = (float("nan"), float("nan")),
    ) -> None:
        if fr.index != self.next:
            return
        self.next += 1
        self.band.append(band)
        self.shift.extend(shift)
        self.on_pose(fr, pf)

    def rope_band(self, n: int) -> np.ndarray:
        """[n] the rope band of the first ``n`` frames passed."""
        return np.asarray(self.band[:n], float)

    def camera_shift(self, n: int) -> np.ndarray:
        """[n, 2] the camera's shift of the first ``n`` frames passed."""
        return np.asarray(self.shift[: 2 * n], float).reshape(-1, 2)


#: Frames the sampler's thread may fall behind the tracker (each holds a decoded frame).
SIDE_QUEUE_FRAMES = 4
#: Frames decoded ahead of the tracker (:class:`Prefetch`; each holds a frame and its copy).
PREFETCH_FRAMES = 2


@contextmanager
def opencv_threads(n: int) -> Iterator[None]:
    """OpenCV's own thread pool set to ``n`` threads for the block (restored after). The
    per-frame side work (colour conversion, the probes) is small: spread over OpenCV's pool
    it only takes cores from the pose networks' threads, which wait for each other. Measured
    on the 29 s 720p clip with the networks on two threads: 38.3 s with OpenCV's default
    pool, 19.7 s with one thread, the same results bit for bit."""
    before = cv2.getNumThreads()
    cv2.setNumThreads(n)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


class SideWork:
    """The sampler's per-frame work on a thread of its own, so that it overlaps the pose
    networks of the next frame instead of leaving their threads idle. Frames are sampled in
    the order they come (one thread, so the results are those of doing it inline); what
    ``on_pose`` needs of each kept frame is handed back through :meth:`ready` and delivered
    by the caller's thread (a page's callback must run in the page's thread). An error in the
    thread is raised in the caller's at the next :meth:`put` or at :meth:`close`."""

    def __init__(self, sampler: FrameSampler, keep_from: int, want_values: bool):
        self.sampler, self.keep_from, self.want_values = sampler, keep_from, want_values
        self._in: queue.Queue[tuple[Frame, PoseFrame | None] | None] = queue.Queue(maxsize=SIDE_QUEUE_FRAMES)
        self._done: deque[tuple[Frame, PoseFrame | None, float, tuple[float, float]]] = deque()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="pose-side-work", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._in.get()) is not None:
            if self._error is not None:
                continue  # keep taking frames so that the caller never blocks; they are dropped
            fr, pf = item
            try:
                self.sampler(fr, pf)
                if self.want_values and fr.index >= self.keep_from:
                    assert self.sampler.camera is not None
                    self._done.append((fr, pf, self.sampler.rope.value(fr.index), self.sampler.camera.value(fr.index)))
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, fr: Frame, pf: PoseFrame | None) -> None:
        self._raise()
        self._in.put((fr, pf))

    def ready(self) -> Iterator[tuple[Frame, PoseFrame | None, float, tuple[float, float]]]:
        """The kept frames sampled since the last call, in order."""
        while self._done:
            yield self._done.popleft()

    def close(self) -> None:
        """Wait for the frames put so far; raise the thread's error if it had one."""
        self._in.put(None)
        self._thread.join()
        self._raise()


class Prefetch:
    """Frames decoded and prepared for the pose model (``estimators.prepare_rgb``) on a
    thread of their own, :data:`PREFETCH_FRAMES` ahead of the tracker, so that decoding
    overlaps the pose networks. Iterating gives ``(frame, rgb, scale)`` in order; the
    frames' reader must not be used elsewhere until the iteration ends or :meth:`close`
    returns. An error while decoding is raised where the frame would have come."""

    _END = object()

    def __init__(self, frames: Iterator[Frame]):
        self._q: queue.Queue[object] = queue.Queue(maxsize=PREFETCH_FRAMES)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, args=(frames,), name="pose-decoder", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _work(self, frames: Iterator[Frame]) -> None:
        try:
            for fr in frames:
                if not self._put((fr, *prepare_rgb(fr.bgr))):
                    return
            self._put(self._END)
        except BaseException as exc:  # noqa: BLE001 - raised again in the reading thread
            self._put(exc)

    def __iter__(self) -> Iterator[tuple[Frame, np.ndarray, float]]:
        while True:
            item = self._q.get()
            if item is self._END:
                self._thread.join()
                return
            if isinstance(item, BaseException):
                self._thread.join()
                raise item
            yield item  # type: ignore[misc]

    def close(self) -> None:
        """Stop decoding (the reading ended early) and wait for the thread."""
        self._stop.set()
        self._thread.join()


class SegmentRun:
    """One segment being estimated: a fresh tracker, its sampler and its series. Fed frames
    in order from the segment's start (warm-up included); :meth:`finish` gives its result.
    The sampler runs on a thread beside the tracker (:class:`SideWork`); :meth:`abort` stops
    both when the segment is given up."""

    def __init__(
        self,
        seg: Segment,
        meta: VideoMeta,
        model_path: str | None,
        probe: FrameProbe | None,
        on_kept: Callable[[], None] | None,
        on_pose: OnPose | None = None,
        threads: int = 1,
    ):
        self.seg, self.meta, self.on_kept, self.on_pose = seg, meta, on_kept, on_pose
        self.c0 = time.process_time()
        self.probe = copy.deepcopy(probe) if probe is not None else None  # the template, empty
        self.sampler = FrameSampler(probe=self.probe, keep_from=seg.keep_from, fps=meta.fps)
        expected = (seg.stop if seg.stop is not None else max(meta.n_frames, seg.keep_from + 1)) - seg.start
        self.buffer = SeriesBuffer(expected)
        self.est = make_estimator(model_path, threads)
        self.side = SideWork(self.sampler, seg.keep_from, on_pose is not None)
        self.n = 0
        self.cpu_s = 0.0
        self.last_index = seg.index
        self.framed_frames = 0
        self.framed_from_s = float("nan")

    def run_on(self, nxt: Segment) -> None:
        """Give up the seam before ``nxt`` (:func:`seam_stands`): this tracker runs on through
        ``nxt``'s frames, which become part of this segment."""
        self.seg = Segment(self.seg.index, self.seg.start, self.seg.keep_from, nxt.stop)
        self.last_index = nxt.index

    def frames(self, start: int, stop: int) -> PoseSeries:
        """The landmarks of frames [start, stop) estimated so far (warm-up included)."""
        size = (self.meta.width_px, self.meta.height_px)
        return self.buffer.series(size, self.meta.fps, start - self.seg.start, stop - self.seg.start)

    def feed(self, fr: Frame, rgb: np.ndarray, scale: float) -> None:
        """Frame ``fr`` (``rgb``, ``scale``: ``estimators.prepare_rgb`` of it, shared by the
        trackers that see the frame)."""
        c0 = time.process_time()
        framed_before = getattr(self.est, "framed_frames", 0)
        pf = self.est.process(rgb, fr.t_s)
        if fr.index >= self.seg.keep_from and getattr(self.est, "framed_frames", 0) > framed_before:
            self.framed_frames += 1
            if self.framed_frames == 1:
                self.framed_from_s = float(fr.t_s)
        if pf is not None and scale != 1.0:
            pf = PoseFrame(pf.xy_px / scale, pf.world_m, pf.visibility)
        self.buffer.put(self.n, fr.t_s, pf)
        self.n += 1
        self.side.put(fr, pf)
        self.cpu_s += time.process_time() - c0
        if fr.index >= self.seg.keep_from and self.on_kept is not None:
            self.on_kept()
        self._deliver()

    def _deliver(self) -> None:
        if self.on_pose is not None:
            for fr, pf, band, shift in self.side.ready():
                self.on_pose(fr, pf, band, shift)

    def abort(self) -> None:
        """Give the segment up: close the tracker, stop the sampler's thread."""
        self.est.close()
        try:
            self.side.close()
        except BaseException:  # noqa: BLE001 - the segment is given up for another reason already
            pass

    def finish(self) -> SegmentPose:
        name = getattr(self.est, "name", type(self.est).__name__)
        try:
            self.side.close()
        finally:
            self.est.close()
        self._deliver()
        seg, meta = self.seg, self.meta
        warm = min(seg.warmup, self.n)
        fresh = (
            self.frames(seg.start + max(0, warm - SEAM_CHECK_FRAMES), seg.start + warm)
            if seg.warmup and warm == seg.warmup
            else None
        )
        return SegmentPose(
            index=seg.index,
            keep_from=seg.keep_from,
            pose=self.buffer.series((meta.width_px, meta.height_px), meta.fps, warm, self.n),
            complete=seg.stop is None or seg.start + self.n >= seg.stop,
            samples=self.sampler.samples,
            probe_frames=list(self.probe.frames) if self.probe is not None else [],
            model_name=name,
            rope_band=self.sampler.rope_band(seg.keep_from, seg.start + self.n),
            camera_shift_px=self.sampler.camera_shift(seg.keep_from, seg.start + self.n),
            cpu_s=self.cpu_s,
            decoded=self.n,
            last_index=self.last_index,
            warm=fresh,
            framed_frames=self.framed_frames,
            framed_from_s=self.framed_from_s,
        )


#: ``claim(after)``: the next segment this process runs (``after``: the index of the one it
#: just ran, None at first), or None when none is left. ``claim_next(j)``: segment ``j`` if
#: it is still free (then it is this process's), else None.
Claim = Callable[[int | None], "Segment | None"]
ClaimNext = Callable[[int], "Segment | None"]


def run_segments(
    reader: FrameReader,
    claim: Claim,
    claim_next: ClaimNext,
    *,
    model_path: str | None = None,
    probe: FrameProbe | None = None,
    on_kept: Callable[[], None] | None = None,
    on_pose: OnPose | None = None,
    threads: int = 1,
    settle: bool = True,
) -> Iterator[SegmentPose]:
    """Run segments with one reader (``on_kept`` after each kept frame, ``on_pose`` with it;
    each tracker's networks on ``threads`` threads).
    When the segment after the current one is free as the current one reaches that
    segment's warm-up, its fresh tracker starts on the same frames (each frame decoded
    once, no frame kept for later); any other segment is read from its own start (frames
    before it skipped by ``FrameReader``). With ``settle``, the seam between the two is
    judged as its warm-up ends (:func:`seam_stands`): where it does not stand, the fresh
    tracker is dropped and the current one runs on through the next segment (one part
    covering both; :func:`settle_seams` judges seams the same way afterwards where other
    processes ran the segments). OpenCV keeps to one thread meanwhile
    (:func:`opencv_threads`)."""
    with opencv_threads(1):
        yield from _run_segments(reader, claim, claim_next, model_path, probe, on_kept, on_pose, threads, settle)


def _run_segments(
    reader: FrameReader,
    claim: Claim,
    claim_next: ClaimNext,
    model_path: str | None,
    probe: FrameProbe | None,
    on_kept: Callable[[], None] | None,
    on_pose: OnPose | None,
    threads: int,
    settle: bool,
) -> Iterator[SegmentPose]:
    cur = claim(None)
    run = SegmentRun(cur, reader.meta, model_path, probe, on_kept, on_pose, threads) if cur is not None else None
    while cur is not None and run is not None:
        nxt: Segment | None = None
        nxt_run: SegmentRun | None = None
        ran_on = False
        warm_from = cur.stop - WARMUP_FRAMES if cur.stop is not None else None
        first = cur.start + run.n  # a run started during the previous segment has its warm-up already
        frames = reader.frames(first, cur.stop) if reader.end is None or first < reader.end else iter(())
        decoded = Prefetch(frames)
        try:
            for fr, rgb, scale in decoded:
                if nxt is None and warm_from is not None and fr.index >= warm_from:
                    nxt = claim_next(run.last_index + 1)
                    if nxt is not None and nxt.start == fr.index:
                        nxt_run = SegmentRun(nxt, reader.meta, model_path, probe, on_kept, on_pose, threads)
                run.feed(fr, rgb, scale)
                if nxt_run is not None and nxt is not None:
                    nxt_run.feed(fr, rgb, scale)
                    if settle and fr.index == nxt.keep_from - 1 and not _stands_here(run, nxt_run, nxt):
                        nxt_run.abort()
                        run.run_on(nxt)
                        nxt, nxt_run, ran_on = None, None, True
        except BaseException:
            decoded.close()
            run.abort()
            if nxt_run is not None:
                nxt_run.abort()
            raise
        if ran_on:  # the seam was given up: read on to the end of the segment now covered
            cur = run.seg
            continue
        try:
            yield run.finish()
        except BaseException:  # the segment failed, or the caller stopped reading
            if nxt_run is not None:
                nxt_run.abort()
            raise
        if nxt_run is not None and nxt is not None:
            cur, run = nxt, nxt_run
        else:
            cur = nxt if nxt is not None else claim(run.last_index)
            run = (
                SegmentRun(cur, reader.meta, model_path, probe, on_kept, on_pose, threads) if cur is not None else None
            )


def _stands_here(run: SegmentRun, nxt_run: SegmentRun, nxt: Segment) -> bool:
    """:func:`seam_stands` for the seam before ``nxt``, both trackers having just estimated
    the last frame of its warm-up."""
    a = nxt.keep_from - min(SEAM_CHECK_FRAMES, nxt.warmup)
    return seam_stands(run.frames(a, nxt.keep_from), nxt_run.frames(a, nxt.keep_from))


@dataclass(frozen=True)
class PoseStageResult:
    """The pose stage's output, the same whichever path ran it.

    ``samples``: brightness/sharpness of every :data:`QUALITY_SAMPLE_EVERY`-th frame;
    ``rope_band``: [len(pose)] the rope band's energy (``FrameSampler.rope_band``);
    ``camera_shift_px``: [len(pose), 2] the scene's shift from the frame before
    (``FrameSampler.camera_shift``); ``processes``: how many processes estimated pose; ``segments``: how many segments
    the clip was cut into (``plan_segments``); ``seams_given_up``: seams where one tracker ran
    on because the fresh one disagreed (:func:`seam_stands`)."""

    pose: PoseSeries
    samples: tuple[tuple[float, float], ...]
    model_name: str
    rope_band: np.ndarray
    segments: int = 1
    processes: int = 1
    camera_shift_px: np.ndarray | None = None
    seams_given_up: int = 0
    #: kept frames tracked on a window about a jumper too small for the detector, and the
    #: first one's clip time (NaN: none; ``SegmentPose.framed_frames``)
    framed_frames: int = 0
    framed_from_s: float = float("nan")


def _fix_monotonic(pose: PoseSeries) -> PoseSeries:
    """Keep timestamps strictly increasing at seams (``FrameReader`` gives every frame the
    timestamp of a full read, so this only guards against a container that changes its
    mind between two reads)."""
    t = np.asarray(pose.t_s, float)
    bad = np.diff(t) <= 0
    if not bad.any():
        return pose
    t = t.copy()
    for i in np.flatnonzero(bad) + 1:
        t[i] = max(t[i], t[i - 1] + 1e-3)
    return PoseSeries(t, pose.xy_px, pose.world_m, pose.visibility, pose.frame_size_px, pose.fps)


class Stitcher:
    """Collects segments (in any order) into one series sized for the whole clip: each
    segment's kept frames are copied in at their place and the segment can be dropped, so
    the stage holds the clip's series once plus one segment, never two copies of the clip.

    The result is the frames from the start up to the first segment the clip ended in (a
    later segment read past a frame that could not be decoded would leave a gap: one
    process reading the clip in order stops there too)."""

    def __init__(self, meta: VideoMeta, n_frames: int, probe: FrameProbe | None = None):
        self.meta = meta
        self.buffer = SeriesBuffer(max(1, n_frames))
        self.band = np.full(len(self.buffer.t), np.nan)
        self.shift = np.full((len(self.buffer.t), 2), np.nan)
        self.probe = probe
        self.kept: dict[int, tuple[int, int, bool]] = {}  # index -> (keep_from, frames, complete)
        self.samples: dict[int, list[tuple[float, float]]] = {}
        self.probe_frames: dict[int, list[tuple[int, np.ndarray]]] = {}
        self.warm: dict[int, PoseSeries | None] = {}  # index -> SegmentPose.warm
        self.last: dict[int, int] = {}  # index -> SegmentPose.last_index
        self.framed: dict[int, tuple[int, float]] = {}  # index -> SegmentPose.framed_frames, framed_from_s
        self.model_name = ""

    def add(self, part: SegmentPose) -> None:
        p = part.pose
        b = self.buffer
        a = part.keep_from
        if len(p):
            if a + len(p) > len(b.t):
                b._grow(a + len(p))
            b.t[a : a + len(p)] = p.t_s
            b.xy[a : a + len(p)] = p.xy_px
            b.world[a : a + len(p)] = p.world_m
            b.vis[a : a + len(p)] = p.visibility
            b.n = max(b.n, a + len(p))
            if len(self.band) < len(b.t):
                self.band = np.concatenate([self.band, np.full(len(b.t) - len(self.band), np.nan)])
            self.band[a : a + len(p)] = part.rope_band
            if len(self.shift) < len(b.t):
                self.shift = np.concatenate([self.shift, np.full((len(b.t) - len(self.shift), 2), np.nan)])
            if part.camera_shift_px is not None:
                self.shift[a : a + len(p)] = part.camera_shift_px
        self.kept[part.index] = (a, len(p), part.complete)
        self.samples[part.index] = part.samples
        self.probe_frames[part.index] = part.probe_frames
        self.warm[part.index] = part.warm
        self.last[part.index] = part.last_index
        self.framed[part.index] = (part.framed_frames, part.framed_from_s)
        self.model_name = self.model_name or part.model_name

    def replace(self, part: SegmentPose) -> None:
        """Add a part that covers segments ``part.index`` to ``part.last_index`` (a seam
        given up), dropping what the parts it replaces kept."""
        for k in range(part.index, part.last_index + 1):
            for d in (self.kept, self.samples, self.probe_frames, self.warm, self.last, self.framed):
                d.pop(k, None)
        self.add(part)

    def frames(self, start: int, stop: int) -> PoseSeries:
        """The landmarks collected for frames [start, stop)."""
        return self.buffer.series((self.meta.width_px, self.meta.height_px), self.meta.fps, start, stop)

    def result(self, segments: int, processes: int = 1) -> PoseStageResult:
        used: list[int] = []
        end = 0
        for k in sorted(self.kept):
            a, n, complete = self.kept[k]
            if a != end:
                break
            used.append(k)
            end = a + n
            if not complete:
                break
        if end:
            pose = _fix_monotonic(self.buffer.series((self.meta.width_px, self.meta.height_px), self.meta.fps, 0, end))
        else:
            pose = PoseSeries.empty(np.zeros(0), (self.meta.width_px, self.meta.height_px), self.meta.fps)
        if self.probe is not None:
            frames = sorted((f for k in used for f in self.probe_frames[k] if f[0] < end), key=lambda f: f[0])
            self.probe.frames[:] = frames[: getattr(self.probe, "samples", len(frames))]
        return PoseStageResult(
            pose=pose,
            samples=tuple(s for k in used for s in self.samples[k]),
            model_name=self.model_name,
            rope_band=self.band[:end].copy(),
            camera_shift_px=self.shift[:end].copy(),
            segments=segments,
            processes=processes,
            seams_given_up=sum(self.last[k] - k for k in used),
            framed_frames=sum(self.framed[k][0] for k in used),
            framed_from_s=min((self.framed[k][1] for k in used if self.framed[k][0]), default=math.nan),
        )


def settle_seams(stitcher: Stitcher, segments: list[Segment], rerun: Callable[[Segment, int], SegmentPose]) -> int:
    """Judge, in order, the seams of segments that were each estimated by a fresh tracker
    (by other processes, or not one after another), the way one process judges them while
    reading (:func:`run_segments` with ``settle``): where a seam does not stand
    (:func:`seam_stands`: the part before it against the fresh tracker's warm-up), the
    segments from the start of the part before it through the seam's segment are estimated
    again with one tracker (``rerun(segment covering them, last segment index)``) and replace
    what was there. The result is then the one the segments give in one process, bit for
    bit. Returns how many seams were given up."""
    given_up = 0
    for seg in segments[1:]:
        warm = stitcher.warm.get(seg.index)
        if seg.index not in stitcher.kept or warm is None:
            continue  # covered by the part before it already, or no full warm-up (the clip ended)
        before = [k for k in stitcher.kept if k < seg.index]
        if not before:
            continue
        g = max(before)
        a, n, complete = stitcher.kept[g]
        if not complete or a + n != seg.keep_from:
            continue  # the clip ended before this seam: nothing after it is used
        if seam_stands(stitcher.frames(seg.keep_from - len(warm), seg.keep_from), warm):
            continue
        head = segments[g]
        stitcher.replace(rerun(Segment(g, head.start, head.keep_from, seg.stop), seg.index))
        given_up += 1
    return given_up


def run_pose_stage_here(
    path: str | os.PathLike,
    meta: VideoMeta,
    *,
    stop: int | None = None,
    model_path: str | None = None,
    progress: Progress | None = None,
    probe: FrameProbe | None = None,
    segments: list[Segment] | None = None,
    on_pose: OnPose | None = None,
    threads: int = 1,
) -> PoseStageResult:
    """The pose stage in this process: ``segments`` (default: the clip's plan) in order, one
    decoder; ``on_pose`` sees each kept frame as it is estimated; ``threads``: threads for
    the pose networks (the same landmarks whatever the number)."""
    n = min(stop, meta.n_frames) if stop is not None else meta.n_frames
    segs = segments if segments is not None else plan_segments(n, stop)
    done = [0]

    def on_kept() -> None:
        done[0] += 1
        if progress is not None and done[0] % PROGRESS_EVERY == 0:
            progress("pose", done[0], max(n, done[0]))

    taken = [False] * len(segs)

    def claim(after: int | None) -> Segment | None:
        return next((claim_next(j) for j in range(len(segs)) if not taken[j]), None)

    def claim_next(j: int) -> Segment | None:
        if j >= len(segs) or taken[j]:
            return None
        taken[j] = True
        return segs[j]

    stitcher = Stitcher(meta, n, probe)
    with FrameReader(path, meta) as reader:
        for part in run_segments(
            reader,
            claim,
            claim_next,
            model_path=model_path,
            probe=probe,
            on_kept=on_kept,
            on_pose=on_pose,
            threads=threads,
        ):
            stitcher.add(part)
    result = stitcher.result(len(segs))
    if progress is not None:
        progress("pose", len(result.pose), max(len(result.pose), 1))
    return result


# -- one tracker over a range (a caller's own estimator) -------------------------------
def run_pose(
    path: str | os.PathLike,
    meta: VideoMeta,
    estimator: PoseEstimator,
    *,
    start: int = 0,
    stop: int | None = None,
    progress: Progress | None = None,
    on_frame: Callable[[Frame], None] | None = None,
    on_pose: Callable[[Frame, PoseFrame | None], None] | None = None,
) -> PoseSeries:
    """Decode frames [start, stop) once each and run one estimator over them (no segments);
    ``on_pose`` sees each frame with its landmarks (None: no person), then ``on_frame`` the
    frame. Progress counts against the container's announced frames while decoding (an
    estimate) and ends at the frames decoded."""
    total = (min(stop, meta.n_frames) if stop is not None else meta.n_frames) - start

    def _cb(fr: Frame, pf: PoseFrame | None) -> None:
        if on_pose is not None:
            on_pose(fr, pf)
        if on_frame is not None:
            on_frame(fr)
        if progress is not None and (fr.index % PROGRESS_EVERY == 0):
            progress("pose", fr.index - start + 1, max(total, fr.index - start + 1))

    pose = estimate_pose(
        iter_frames(path, meta, start=start, stop=stop),
        estimator,
        (meta.width_px, meta.height_px),
        meta.fps,
        _cb,
        expected_frames=max(1, total),
    )
    if progress is not None and len(pose):
        progress("pose", len(pose), len(pose))
    return pose


def pose_of_range(
    path: str | os.PathLike,
    meta: VideoMeta,
    estimator: PoseEstimator,
    sampler: FrameSampler,
    *,
    start: int = 0,
    stop: int | None = None,
    progress: Progress | None = None,
    on_pose: Callable[[Frame, PoseFrame | None], None] | None = None,
) -> PoseSeries:
    """:func:`run_pose` with ``sampler`` fed every decoded frame and its landmarks, then
    ``on_pose``: the pose stage with a caller's estimator, which keeps its tracking state
    over the whole range (it cannot be renewed at seams)."""

    def each(fr: Frame, pf: PoseFrame | None) -> None:
        sampler(fr, pf)
        if on_pose is not None:
            on_pose(fr, pf)

    return run_pose(path, meta, estimator, start=start, stop=stop, progress=progress, on_pose=each)


def median_samples(samples: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """(median luma, median sharpness) of the samples; NaN without samples."""
    s = list(samples)
    if not s:
        return float("nan"), float("nan")
    return float(np.median([x[0] for x in s])), float(np.median([x[1] for x in s]))
