"""A first answer while the pose stage runs: the jumps counted in the part of the clip
analysed so far, refined when the stage ends.

:class:`PartialCounter` is fed each frame's landmarks as the pose stage streams them
(``stage.run_pose``'s ``on_pose``) and, every few seconds, hands the series so far to a
counting function (the pipeline's: the same jump detection as the full analysis) and the
result to a callback. Counting re-reads the whole series so far, so its cost grows with
the clip; the counter keeps its share of the elapsed time under ``PARTIAL_MAX_SHARE`` by
waiting longer between counts when one gets dear.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..io.video import Frame
from ..types import PoseSeries
from .estimators import PoseFrame
from .landmarks import N_LANDMARKS

#: Seconds between two first answers: often enough that a person sees the count grow,
#: seldom enough that the page does not flicker (a UI choice, not a measurement).
PARTIAL_EVERY_S = 3.0
#: Counting may take at most this share of the time the pose stage has run so far: a
#: count re-reads the whole series (~0.1-0.3 s on a short clip, more on a long one), so
#: on a long clip the answers come further apart rather than costing more. The measured
#: overhead is in bench/RESULTS.md (``python -m bench.page``).
PARTIAL_MAX_SHARE = 0.05


@dataclass(frozen=True)
class PartialResult:
    """The jumps in the frames analysed so far.

    ``frames_total`` is the container's announced frame count (an estimate; at least
    ``frames_done``); ``seconds_done`` the clip time covered; ``jumps_per_minute`` is over
    the time spent skipping so far (NaN before the first jumps); ``cost_s`` what counting took.
    """

    frames_done: int
    frames_total: int
    jump_count: int
    jumps_per_minute: float
    seconds_done: float
    cost_s: float

    def __post_init__(self) -> None:
        if self.frames_done < 0 or self.jump_count < 0:
            raise ValueError(
                f"PartialResult: expected counts >= 0, got {self.frames_done} frames and {self.jump_count} jumps"
            )


class PartialCounter:
    """Collects landmarks frame by frame; every ``every_s`` seconds (and within the cost
    budget ``max_share``) calls ``count(pose so far) -> (jumps, jumps per minute)`` and
    passes the :class:`PartialResult` to ``report``. A counting error skips that answer
    (a first answer is a courtesy; the full analysis follows)."""

    def __init__(
        self,
        count: Callable[[PoseSeries], tuple[int, float]],
        report: Callable[[PartialResult], None],
        *,
        frames_total: int,
        frame_size_px: tuple[int, int],
        fps: float,
        min_frames: int = 12,
        every_s: float = PARTIAL_EVERY_S,
        max_share: float = PARTIAL_MAX_SHARE,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._count, self._report = count, report
        self.frames_total, self.frame_size_px, self.fps = int(frames_total), frame_size_px, float(fps)
        self.min_frames, self.every_s, self.max_share = int(min_frames), float(every_s), float(max_share)
        self._clock = clock
        self._t: list[float] = []
        self._xy: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._vis: list[np.ndarray] = []
        self._started: float | None = None
        self._last: float = 0.0
        self.cost_s = 0.0  # total time spent counting
        self.results: list[PartialResult] = []

    def __call__(self, fr: Frame, pf: PoseFrame | None) -> None:
        now = self._clock()
        if self._started is None:
            self._started = self._last = now
        if self._t and fr.t_s <= self._t[-1]:
            return  # a repeated timestamp; the pose stage's own series decides about it
        self._t.append(fr.t_s)
        if pf is None:
            self._xy.append(np.full((N_LANDMARKS, 2), np.nan))
            self._world.append(np.full((N_LANDMARKS, 3), np.nan))
            self._vis.append(np.zeros(N_LANDMARKS))
        else:
            self._xy.append(pf.xy_px)
            self._world.append(pf.world_m)
            self._vis.append(pf.visibility)
        due = now - self._last >= self.every_s and self.cost_s <= self.max_share * (now - self._started)
        if due and len(self._t) >= self.min_frames:
            self._emit(now)

    def _emit(self, now: float) -> None:
        self._last = now
        pose = PoseSeries(
            np.asarray(self._t),
            np.asarray(self._xy),
            np.asarray(self._world),
            np.asarray(self._vis),
            self.frame_size_px,
            self.fps,
        )
        try:
            count, per_minute = self._count(pose)
        except Exception:  # noqa: BLE001 - a first answer is best effort; the full analysis reports errors
            self.cost_s += self._clock() - now
            return
        cost = self._clock() - now
        self.cost_s += cost
        done = len(pose)
        result = PartialResult(
            frames_done=done,
            frames_total=max(self.frames_total, done),
            jump_count=int(count),
            jumps_per_minute=float(per_minute),
            seconds_done=float(pose.t_s[-1] - pose.t_s[0]) if done > 1 else 0.0,
            cost_s=cost,
        )
        self.results.append(result)
        self._report(result)
