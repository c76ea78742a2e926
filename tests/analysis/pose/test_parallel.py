"""The pose stage in segments (``analysis.pose.stage``) and shared among processes
(``analysis.pose.parallel``): the segment plan, how many processes to use, and on real
clips: the segments give bit-identical results whichever processes run them (also when a
helper dies), and their seams stay within ``SEAM_TOLERANCE`` of one tracker over the whole
clip."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from analysis.pose import parallel, stage
from analysis.pose.parallel import choose_threads, choose_workers
from analysis.pose.stage import (
    MAX_SEGMENTS,
    MIN_SPLIT_FRAMES,
    SEAM_BUDGET,
    SEAM_TOLERANCE,
    WARMUP_FRAMES,
    plan_segments,
    seam_differences,
    segment_count,
)
from analysis.types import VideoMeta
from tests.conftest import require_shared_videos, timing_tolerance_frames


@pytest.mark.parametrize("n", [0, 10, MIN_SPLIT_FRAMES - 1, MIN_SPLIT_FRAMES, 863, 1119, 2000, 2760, 9000, 36000])
def test_segments_keep_every_frame_once_after_a_warmup(n):
    segs = plan_segments(n)
    k = len(segs)
    assert k == segment_count(n) and k & (k - 1) == 0 and 1 <= k <= MAX_SEGMENTS  # a power of two
    seam = WARMUP_FRAMES + 1  # frames of pose a seam adds
    assert (k > 1) == (n >= MIN_SPLIT_FRAMES)
    if k > 2:
        assert (k - 1) * seam <= SEAM_BUDGET * n  # beyond two, the seams' cost stays within the budget
    if k > 1:
        assert k == MAX_SEGMENTS or (2 * k - 1) * seam > SEAM_BUDGET * n  # as many as the budget allows
    assert segs[0].start == segs[0].keep_from == 0 and segs[-1].stop is None
    kept = []
    for a, b in zip(segs, [*segs[1:], None]):
        assert a.stop == (b.keep_from if b is not None else None)
        assert a.warmup == min(a.keep_from, WARMUP_FRAMES)
        kept.extend(range(a.keep_from, b.keep_from if b is not None else n))
    assert kept == list(range(n))
    # The same pose work in every segment (warm-up included), within a frame of rounding.
    work = [(b.keep_from if b is not None else n) - a.start for a, b in zip(segs, [*segs[1:], None])]
    assert max(work) - min(work) <= 1
    assert plan_segments(n, stop=n)[-1].stop == n  # a cut clip: the last segment stops at the cut


def test_a_clip_is_cut_where_two_free_cores_gain_what_one_core_loses():
    """Two segments from the shortest clip where two processes on two free cores (the helper
    starting late, 1.3x the frames of one) finish the pose at least as much sooner as the
    seam's warm-up makes one process slower."""
    seam = WARMUP_FRAMES + 1

    def gain_and_loss(n):
        return n / (stage.HELPER_START_FRAMES + (n + seam) / stage.TWO_PROCESS_THROUGHPUT) - 1, seam / n

    gain, loss = gain_and_loss(MIN_SPLIT_FRAMES)
    assert gain >= loss > 0.05
    gain, loss = gain_and_loss(MIN_SPLIT_FRAMES - 1)
    assert gain < loss
    assert 600 < MIN_SPLIT_FRAMES < 700  # about 21 s at 30 fps with the figures measured here
    assert segment_count(863) == 2  # the 29 s 720p clip of the speed benchmark


def _meta(duration_s: float, w: int = 640, h: int = 360, fps: float = 30.0) -> VideoMeta:
    return VideoMeta("x.mp4", w, h, fps, int(duration_s * fps), duration_s)


def test_choose_workers_only_where_it_pays():
    long = _meta(600.0)
    n = long.n_frames
    assert choose_workers(long, n, free_cores=2.0, cores=2) == 2
    assert choose_workers(long, n, free_cores=1.6, cores=2) == 2  # rounded: most of a second core is free
    assert choose_workers(long, n, free_cores=1.2, cores=2) == 1  # another program keeps a core busy
    assert choose_workers(long, n, free_cores=8.0, cores=4) == 4  # never more than the usable cores
    short = MIN_SPLIT_FRAMES - 1  # one segment: nothing to share
    assert choose_workers(_meta(short / 30.0), short, free_cores=2.0, cores=2) == 1
    assert choose_workers(_meta(600.0, 3840, 2160), n, free_cores=2.0, cores=2) == 1  # 4K: decoding to skip
    four = math.ceil(3 * (WARMUP_FRAMES + 1) / SEAM_BUDGET)  # the shortest clip cut into four segments
    assert segment_count(four) == 4
    assert choose_workers(_meta(four / 30.0), four, free_cores=8.0, cores=8) == 4  # never more than the segments


def test_choose_threads_leaves_two_cores_and_shares_the_rest():
    assert parallel.SPARE_CORES_FOR_THREADS == 2
    assert choose_threads(1, free_cores=2.0, cores=2) == 1  # this machine: never threads by default
    assert choose_threads(1, free_cores=4.0, cores=4) == 2  # one tracker: the cores beyond two spare
    assert choose_threads(1, free_cores=3.6, cores=4) == 2  # rounded, as for processes
    assert choose_threads(1, free_cores=3.2, cores=4) == 1  # another program keeps a core busy
    assert choose_threads(2, free_cores=8.0, cores=8) == 3  # two processes share the six
    assert choose_threads(1, free_cores=16.0, cores=8) == 6  # never more than the usable cores
    assert choose_threads(3, free_cores=0.0, cores=2) == 1  # at least one


def test_cpu_meter_says_how_many_cores_are_free():
    meter = parallel.CpuMeter()
    free = meter.free_cores(min_window_s=0.1)
    assert 0.0 <= free <= parallel.usable_cores()
    assert 1 <= parallel.usable_cores() <= (os.cpu_count() or 1)


class IndexProbe:
    """Stands in for ``people.OtherPersonProbe``: keeps a small copy of every 10th frame."""

    samples = 100

    def __init__(self):
        self.frames = []

    def on_frame(self, index, bgr):
        if index % 10 == 3:
            self.frames.append((index, bgr[::16, ::16].copy()))


class DyingProbe(IndexProbe):
    """Kills the process it runs in, unless that is the test's own process (a helper crash)."""

    def __init__(self, parent_pid: int):
        super().__init__()
        self.parent_pid = parent_pid

    def on_frame(self, index, bgr):
        if os.getpid() != self.parent_pid:
            os._exit(3)
        super().on_frame(index, bgr)


def _same(a, b) -> None:
    np.testing.assert_array_equal(a.pose.t_s, b.pose.t_s)
    np.testing.assert_array_equal(a.pose.xy_px, b.pose.xy_px)
    np.testing.assert_array_equal(a.pose.world_m, b.pose.world_m)
    np.testing.assert_array_equal(a.pose.visibility, b.pose.visibility)
    np.testing.assert_array_equal(a.rope_band, b.rope_band)  # NaN where not measured, in both
    assert len(a.rope_band) == len(a.pose) and np.isfinite(a.rope_band).any()
    assert a.samples == b.samples and a.model_name == b.model_name


@pytest.mark.slow
def test_segments_give_the_same_result_whichever_processes_run_them(monkeypatch):
    from analysis.io.video import read_meta

    path = require_shared_videos() / "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4"
    meta = read_meta(path)
    monkeypatch.setattr(stage, "segment_count", lambda n: 4)  # 151 frames: four segments
    one_probe, probe = IndexProbe(), IndexProbe()
    one = parallel.run_pose_stage(path, meta, 1, probe=one_probe)  # in order, in this process
    seen: list[tuple[str, int, int]] = []
    par = parallel.run_pose_stage(path, meta, 3, probe=probe, progress=lambda *a: seen.append(a))
    _same(one, par)
    assert (one.segments, one.processes, par.processes) == (4, 1, 3)
    _same(parallel.run_pose_stage(path, meta, 2), one)  # two processes: the same again
    assert {s["process"] for s in parallel.LAST_STATS["by_segment"]} - {0}, "no helper ran a segment"
    # The probe saw the frames one process shows it, once each, in order, with the same pixels.
    assert [i for i, _ in probe.frames] == [i for i, _ in one_probe.frames] == list(range(3, meta.n_frames, 10))
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(probe.frames, one_probe.frames))
    assert len(par.samples) == len(range(0, meta.n_frames, stage.QUALITY_SAMPLE_EVERY))
    # Progress reached the caller from every process, ending at all frames.
    assert seen and all(s == "pose" for s, _, _ in seen)
    assert seen[-1][1] == seen[-1][2] == meta.n_frames


@pytest.mark.slow
def test_a_helper_that_dies_leaves_its_segments_to_this_process(monkeypatch):
    from analysis.io.video import read_meta

    path = require_shared_videos() / "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4"
    meta = read_meta(path)
    monkeypatch.setattr(stage, "segment_count", lambda n: 4)
    one = parallel.run_pose_stage(path, meta, 1, probe=IndexProbe())
    par = parallel.run_pose_stage(path, meta, 2, probe=DyingProbe(os.getpid()))
    _same(one, par)
    assert all(s["process"] == 0 for s in parallel.LAST_STATS["by_segment"])


@pytest.mark.slow
def test_seams_stay_within_the_tolerance_of_one_tracker_over_the_whole_clip():
    """The plan's segments (in any number of processes) against one tracker over the whole
    clip, on a real clip that the plan cuts: same frames and timestamps, landmarks within
    ``SEAM_TOLERANCE`` after the seam, and the same jumps."""
    from analysis.config import AnalysisConfig
    from analysis.io.video import read_meta
    from analysis.pipeline import PoseStage, analyze_pose
    from analysis.pose.estimators import make_estimator
    from analysis.pose.stage import FrameSampler, pose_of_range

    path = require_shared_videos() / "front_man_double_unders_outdoor_stop_and_walk_30fps.mp4"
    meta = read_meta(path)
    segs = plan_segments(meta.n_frames)
    assert len(segs) >= 2, "the test clip should be long enough for the plan to cut it"
    sampler = FrameSampler(fps=meta.fps)
    with make_estimator() as est:
        whole = pose_of_range(path, meta, est, sampler)
    result = parallel.run_pose_stage(path, meta, 2)
    staged = result.pose
    assert len(staged) == len(whole) == meta.n_frames
    np.testing.assert_array_equal(staged.t_s, whole.t_s)
    first = segs[1].keep_from
    np.testing.assert_array_equal(staged.xy_px[:first], whole.xy_px[:first])  # the first segment: identical
    d = seam_differences(whole.slice(first, len(whole)), staged.slice(first, len(staged)), staged.frame_size_px)
    assert SEAM_TOLERANCE.holds(d), d

    cfg = AnalysisConfig()
    whole_band = sampler.rope_band(0, len(whole))
    np.testing.assert_array_equal(result.rope_band[:first], whole_band[:first])
    whole_shift = sampler.camera_shift(0, len(whole))
    assert result.camera_shift_px is not None and result.camera_shift_px.shape == (len(staged), 2)
    np.testing.assert_array_equal(result.camera_shift_px[:first], whole_shift[:first])
    ra = analyze_pose(PoseStage(whole, meta, rope_band=whole_band, camera_shift_px=whole_shift), cfg)
    rb = analyze_pose(PoseStage(staged, meta, rope_band=result.rope_band, camera_shift_px=result.camera_shift_px), cfg)
    assert len(ra.jumps.jumps) == len(rb.jumps.jumps) > 5
    for x, y in zip(ra.jumps.jumps, rb.jumps.jumps):  # within what each reading's timing allows
        gap = abs(x.takeoff_frame - y.takeoff_frame)
        assert gap <= timing_tolerance_frames(x, y), (x.takeoff_frame, y.takeoff_frame)


def _frame(i: int, fps: float = 30.0):
    from analysis.io.video import Frame

    return Frame(i, i / fps, np.zeros((4, 4, 3), np.uint8))


def test_prefix_feed_passes_only_the_frames_that_continue_the_clip_from_its_start():
    passed: list[int] = []
    feed = stage.PrefixFeed(lambda fr, pf: passed.append(fr.index))
    for i in [0, 1, 2, 5, 6, 3, 4, 7]:  # frames 5 and 6 come from a later segment before 3 and 4 are done
        feed(_frame(i), None, float(i), (float(i), -float(i)))
    assert passed == [0, 1, 2, 3, 4]  # the prefix stops growing at the first frame it has not seen
    np.testing.assert_array_equal(feed.rope_band(4), [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(feed.camera_shift(3), [[0.0, -0.0], [1.0, -1.0], [2.0, -2.0]])


def test_rope_band_probe_keeps_one_value_a_frame_from_the_first_fed():
    from analysis.pose.landmarks import N_LANDMARKS
    from analysis.pose.landmarks import Landmark as L
    from analysis.pose.ropeband import RopeBandProbe

    xy = np.full((N_LANDMARKS, 2), np.nan)  # a standing figure 270 px tall in a 640x480 frame
    xy[[L.LEFT_EYE, L.RIGHT_EYE]] = [[315, 200], [325, 200]]
    xy[[L.LEFT_ANKLE, L.RIGHT_ANKLE]] = [[300, 440], [340, 440]]
    xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP]] = [[280, 250], [360, 250], [300, 330], [340, 330]]
    rng = np.random.default_rng(0)
    probe = RopeBandProbe()
    for i in [10, 11, 13]:  # frame 12 could not be decoded
        probe.on_frame(i, rng.integers(0, 255, (480, 640, 3), dtype=np.uint8), xy)
    band = probe.energy(16)
    assert band.shape == (16,) and np.isfinite(band[11])  # frame 11 against frame 10
    assert np.isnan(band[[*range(11), 12, 13, 14, 15]]).all()  # before, first, missing, after a gap, not fed
    assert probe.value(11) == band[11] and np.isnan(probe.value(3))
    with pytest.raises(ValueError, match="increasing order"):
        probe.on_frame(11, np.zeros((480, 640, 3), np.uint8), xy)


class _Sampler:
    """Stands in for ``stage.FrameSampler``: records the frames it sees and the thread."""

    def __init__(self, fail_at: int | None = None):
        import threading

        from analysis.pose.camera_motion import CameraMotionProbe
        from analysis.pose.ropeband import RopeBandProbe

        self.seen: list[int] = []
        self.threads: set[str] = set()
        self.fail_at = fail_at
        self.rope, self.camera = RopeBandProbe(), CameraMotionProbe()
        self._threading = threading

    def __call__(self, fr, pf):
        if fr.index == self.fail_at:
            raise RuntimeError(f"probe failed on frame {fr.index}")
        self.seen.append(fr.index)
        self.threads.add(self._threading.current_thread().name)


def test_side_work_samples_in_order_on_its_own_thread_and_hands_back_the_kept_frames():
    import threading

    sampler = _Sampler()
    side = stage.SideWork(sampler, keep_from=3, want_values=True)  # type: ignore[arg-type]
    delivered: list[int] = []
    for i in range(40):
        side.put(_frame(i), None)
        delivered += [fr.index for fr, _pf, _band, _shift in side.ready()]
    side.close()
    delivered += [fr.index for fr, _pf, _band, _shift in side.ready()]
    assert sampler.seen == list(range(40))  # every frame, in order
    assert sampler.threads == {"pose-side-work"} and threading.current_thread().name != "pose-side-work"
    assert delivered == list(range(3, 40))  # the kept frames only, in order, to this thread


def test_side_work_raises_its_error_in_the_callers_thread():
    sampler = _Sampler(fail_at=5)
    side = stage.SideWork(sampler, keep_from=0, want_values=False)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="probe failed on frame 5"):
        for i in range(200):  # never blocks on a full queue once the thread has failed
            side.put(_frame(i), None)
        side.close()
    assert sampler.seen == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError, match="frame 5"):
        side.close()  # closing after the error says it again and ends the thread
    assert not side._thread.is_alive()


def test_prefetch_gives_every_frame_in_order_with_its_prepared_copy():
    frames = [_frame(i) for i in range(25)]
    got = list(stage.Prefetch(iter(frames)))
    assert [fr.index for fr, _rgb, _s in got] == list(range(25))
    for fr, rgb, s in got:
        expected, scale = stage.prepare_rgb(fr.bgr)
        np.testing.assert_array_equal(rgb, expected)
        assert s == scale


def test_prefetch_raises_a_decoding_error_where_the_frame_would_have_come_and_stops_when_closed():
    def failing():
        yield _frame(0)
        yield _frame(1)
        raise OSError("the file went away")

    seen = []
    with pytest.raises(OSError, match="went away"):
        for fr, _rgb, _s in stage.Prefetch(failing()):
            seen.append(fr.index)
    assert seen == [0, 1]
    endless = (_frame(i) for i in range(10**9))
    pre = stage.Prefetch(endless)
    first = next(iter(pre))
    assert first[0].index == 0
    pre.close()  # the reader stopped early: the decoding thread ends instead of filling its queue forever
    assert not pre._thread.is_alive()


# -- seams that do not stand -------------------------------------------------------------
class LockOnTracker:
    """A made-up tracker: it follows body A (x near 100 px), unless it starts on a frame in
    ``to_b`` and locks on body B (x near 300 px) instead; a fresh tracker elsewhere agrees
    with one that ran from the clip's start (it is the same body, the same landmarks)."""

    name = "lock-on"

    def __init__(self, fps: float, to_b: set[int]):
        self.fps, self.to_b, self.first = fps, to_b, None

    def process(self, rgb, t_s):
        from analysis.pose.estimators import PoseFrame

        i = round(t_s * self.fps)
        if self.first is None:
            self.first = i
        x = (300.0 if self.first in self.to_b else 100.0) + (i % 7)
        xy = np.column_stack([np.full(33, x), np.linspace(50, 300, 33)])
        return PoseFrame(xy, np.zeros((33, 3)), np.ones(33))

    def close(self):
        pass


@pytest.fixture
def small_clip(tmp_path):
    """A 360-frame 30 fps clip of flat grey frames (the made-up tracker ignores the pixels)."""
    import cv2

    from analysis.io.video import read_meta

    path = tmp_path / "grey.mp4"
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (64, 48))
    for i in range(360):
        out.write(np.full((48, 64, 3), 90 + i % 5, np.uint8))
    out.release()
    return path, read_meta(path)


def _apart(path, meta, segs):
    """Each segment by its own fresh tracker, then the seams judged afterwards: what the
    driver does with the helpers' segments (``parallel.PoseRunner.run``), in this process."""
    from analysis.io.video import FrameReader

    stitcher = stage.Stitcher(meta, meta.n_frames)
    with FrameReader(path, meta) as reader:
        for part in stage.run_segments(reader, parallel._one_after_another(segs), lambda _j: None, settle=False):
            stitcher.add(part)

        def rerun(seg, last):
            (part,) = stage.run_segments(reader, parallel._one_after_another([seg]), lambda _j: None, settle=False)
            part.last_index = last
            return part

        given_up = stage.settle_seams(stitcher, segs, rerun)
    return stitcher.result(len(segs)), given_up


@pytest.mark.parametrize("to_b", [set(), {1}, {1, 2}, {2, 3}])
def test_a_seam_whose_fresh_tracker_follows_another_body_is_given_up(monkeypatch, small_clip, to_b):
    path, meta = small_clip
    monkeypatch.setattr(stage, "segment_count", lambda n: 4)
    segs = plan_segments(meta.n_frames)
    starts = {segs[j].start for j in to_b}  # fresh trackers starting there find body B
    monkeypatch.setattr(stage, "make_estimator", lambda *a, **k: LockOnTracker(meta.fps, starts))

    one = stage.run_pose_stage_here(path, meta, segments=segs)  # seams judged while reading
    apart, given_up = _apart(path, meta, segs)  # each segment apart, seams judged afterwards
    for a, b in [(one.pose.xy_px, apart.pose.xy_px), (one.pose.visibility, apart.pose.visibility)]:
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(one.pose.t_s, apart.pose.t_s)
    np.testing.assert_array_equal(one.rope_band, apart.rope_band)
    np.testing.assert_array_equal(one.camera_shift_px, apart.camera_shift_px)
    assert one.samples == apart.samples and len(one.samples) == len(range(0, meta.n_frames, stage.QUALITY_SAMPLE_EVERY))
    assert given_up == len(to_b) == one.seams_given_up == apart.seams_given_up
    # Body A in every frame, as one tracker over the whole clip sees it: each seam whose
    # fresh tracker found body B was given up (the tracker before it ran on); the others stand.
    assert len(one.pose) == meta.n_frames
    np.testing.assert_array_equal(one.pose.xy_px[:, 0, 0], [100.0 + i % 7 for i in range(meta.n_frames)])


class FramedTracker(LockOnTracker):
    """Body A throughout, its landmarks taken from a window (``framing.FramingEstimator``'s
    ``framed_frames``) on the frames in ``framed``."""

    def __init__(self, fps: float, framed: set[int]):
        super().__init__(fps, set())
        self.framed, self.framed_frames = framed, 0

    def process(self, rgb, t_s):
        if round(t_s * self.fps) in self.framed:
            self.framed_frames += 1
        return super().process(rgb, t_s)


def test_frames_tracked_on_a_window_are_counted_once_whichever_way_the_segments_ran(monkeypatch, small_clip):
    """Kept frames only (a warm-up estimated twice counts once), the same in one process
    reading the segments in order as with each segment apart; the first one's time kept."""
    path, meta = small_clip
    monkeypatch.setattr(stage, "segment_count", lambda n: 4)
    segs = plan_segments(meta.n_frames)
    framed = set(range(60, 200))  # across the seam at frame 124 and into the next one's warm-up (157-202)
    monkeypatch.setattr(stage, "make_estimator", lambda *a, **k: FramedTracker(meta.fps, framed))
    one = stage.run_pose_stage_here(path, meta, segments=segs)
    apart, _ = _apart(path, meta, segs)
    assert one.framed_frames == apart.framed_frames == len(framed)
    assert one.framed_from_s == apart.framed_from_s == pytest.approx(60 / meta.fps)

    monkeypatch.setattr(stage, "make_estimator", lambda *a, **k: FramedTracker(meta.fps, set()))
    none = stage.run_pose_stage_here(path, meta, segments=segs)
    assert none.framed_frames == 0 and np.isnan(none.framed_from_s)


def test_seam_stands_only_within_the_tolerance_over_the_end_of_the_warmup():
    from analysis.types import PoseSeries

    def series(dx: float, found: bool = True) -> PoseSeries:
        n = stage.SEAM_CHECK_FRAMES
        xy = np.zeros((n, 33, 2)) + 100.0 + dx
        if not found:
            xy[:] = np.nan
        return PoseSeries(np.arange(n) / 30.0, xy, np.zeros((n, 33, 3)), np.ones((n, 33)), (640, 360), 30.0)

    assert stage.seam_stands(series(0.0), series(0.2))  # the same body: well within 0.5 px
    assert not stage.seam_stands(series(0.0), series(50.0))  # another body
    assert not stage.seam_stands(series(0.0), series(0.0, found=False))  # found by one only
    assert stage.seam_stands(series(0.0, found=False), series(0.0, found=False))  # nobody, by both
