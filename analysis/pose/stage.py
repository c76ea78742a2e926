"""The pose stage: decode a range of frames once, run the estimator on each, and take the
per-frame samples the later stages need (brightness and sharpness, frames for the
other-person probe) while the frames stream past.

Both the single-process path (``pipeline.analyze_video``) and each worker of the parallel
path (``pose/parallel.py``) call :func:`pose_of_range`, so they sample the same frames
the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from ..io.video import Frame, iter_frames
from ..types import PoseSeries, VideoMeta
from .estimators import PoseEstimator, PoseFrame, estimate_pose
from .ropeband import RopeBandProbe

#: progress(stage, done, total): stage is "reading", "pose", "jumps", "rules" (or "video").
Progress = Callable[[str, int, int], None]
#: Brightness and sharpness are sampled on every n-th frame (cheap, but not free).
QUALITY_SAMPLE_EVERY = 15
#: Progress is reported every n-th frame.
PROGRESS_EVERY = 10


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
    """Per-frame work beside pose estimation on the frames from ``keep_from`` on: a
    brightness/sharpness sample every :data:`QUALITY_SAMPLE_EVERY`-th frame (by global
    frame index, so any split of the clip samples the same frames), the probe's frames,
    and the motion above the head where a rope passes (``ropeband.RopeBandProbe``; it
    also sees the warm-up frames before ``keep_from``, for the frame before the first)."""

    probe: FrameProbe | None = None
    keep_from: int = 0
    samples: list[tuple[float, float]] = field(default_factory=list)
    kept: int = 0
    rope: RopeBandProbe = field(default_factory=RopeBandProbe)

    def __call__(self, fr: Frame, pf: PoseFrame | None = None) -> None:
        self.rope.on_frame(fr.index, fr.bgr, pf.xy_px if pf is not None else None)
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
    """Decode frames [start, stop) once each and run the estimator on them; ``on_pose``
    sees each frame with its landmarks (None: no person), then ``on_frame`` the frame.
    Progress counts against the container's announced frames while decoding (an
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
        iter_frames(path, meta, start=start, stop=stop), estimator, (meta.width_px, meta.height_px), meta.fps, _cb
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
    on_frame: Callable[[Frame], None] | None = None,
    on_pose: Callable[[Frame, PoseFrame | None], None] | None = None,
) -> PoseSeries:
    """:func:`run_pose` with ``sampler`` fed every decoded frame and its landmarks, then
    ``on_pose`` (then ``on_frame``)."""

    def each(fr: Frame, pf: PoseFrame | None) -> None:
        sampler(fr, pf)
        if on_pose is not None:
            on_pose(fr, pf)

    return run_pose(path, meta, estimator, start=start, stop=stop, progress=progress, on_frame=on_frame, on_pose=each)


def median_samples(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """(median luma, median sharpness) of the samples; NaN without samples."""
    if not samples:
        return float("nan"), float("nan")
    return float(np.median([s[0] for s in samples])), float(np.median([s[1] for s in samples]))
