"""Pose estimation behind one interface; the only module that knows MediaPipe's result shapes.

Two backends:

* :class:`BundledPoseEstimator` (default): ``mp.solutions.pose`` with the BlazePose Full
  model that ships inside the ``mediapipe==0.10.21`` wheel (``model_complexity=1``;
  0 and 2 would try to download a model, so they are refused), tracking across frames.
* :class:`TaskPoseEstimator`: the Tasks ``PoseLandmarker`` in VIDEO mode on a
  user-supplied ``.task`` file (lite / full / heavy). Nothing is downloaded.

Each estimator keeps per-video tracking state: make a new one per clip (or per segment
in the parallel runner) and never share one between users. Estimators are context
managers: ``with make_estimator(path) as est: ...`` closes the model however the block ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

import cv2
import numpy as np

from ..io.video import Frame
from ..types import AnalysisError, PoseSeries
from .framing import FramingEstimator
from .landmarks import N_LANDMARKS

#: Frames whose longer side exceeds this are downscaled once before pose estimation.
#: BlazePose crops and resizes to 256x256 internally, so larger inputs only cost time
#: (measured here: 24 fps at 640x360, 19 fps at 1920x1080); landmarks are mapped back
#: to the original pixel grid.
POSE_MAX_SIDE_PX = 1280


#: MediaPipe's own landmark smoothing is a causal filter: it lags fast motion, so a
#: landing shows up frames late and flights look long. Our zero-phase filter
#: (``signals.py``) smooths without lag, so the tracker's smoothing is off.
SMOOTH_LANDMARKS = False


class PoseModelError(AnalysisError):
    """A pose model file is missing or invalid."""


@dataclass(frozen=True)
class PoseFrame:
    """Landmarks of one frame, in the analysed frame's pixels."""

    xy_px: np.ndarray  # [33, 2]
    world_m: np.ndarray  # [33, 3]
    visibility: np.ndarray  # [33]


class PoseEstimator(Protocol):
    name: str

    def process(self, rgb: np.ndarray, t_s: float) -> PoseFrame | None:
        """Landmarks for one RGB frame at time ``t_s`` (seconds), or None if no person."""

    def close(self) -> None: ...


_E = TypeVar("_E", bound="_Closing")


class _Closing:
    """``with estimator: ...`` closes it on leaving the block."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _E) -> _E:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _landmarks_to_arrays(image_lms, world_lms, w: int, h: int) -> PoseFrame:
    """MediaPipe landmark lists (normalised image coords, world metres) -> arrays."""
    xy = np.array([(lm.x * w, lm.y * h) for lm in image_lms], dtype=float)
    vis = np.array([getattr(lm, "visibility", 1.0) or 0.0 for lm in image_lms], dtype=float)
    if world_lms is not None and len(world_lms) == N_LANDMARKS:
        world = np.array([(lm.x, lm.y, lm.z) for lm in world_lms], dtype=float)
    else:
        world = np.full((N_LANDMARKS, 3), np.nan)
    if xy.shape != (N_LANDMARKS, 2):
        raise RuntimeError(f"pose model returned {xy.shape[0]} landmarks, expected {N_LANDMARKS}")
    return PoseFrame(xy, world, np.clip(vis, 0.0, 1.0))


def _pose_with_threads(threads: int):
    """``mp.solutions.pose.Pose`` whose two networks (person detector, landmark model) run
    on ``threads`` threads of TFLite's XNNPACK delegate. The wheel's graph leaves the
    delegate's thread count unset, which on Linux means one thread; the Python solution API
    has no parameter for it, so the graph's inference nodes are set while the solution
    builds its graph. XNNPACK splits each layer's output among the threads, never a sum, so
    the landmarks do not depend on the thread count (checked bit for bit on every shared
    clip: ``tests/analysis/pose/test_estimators.py`` and the speed section of
    ``bench/RESULTS.md``)."""
    import mediapipe as mp  # noqa: PLC0415 - heavy import, only when a model is built
    from mediapipe.calculators.tensor import inference_calculator_pb2  # noqa: PLC0415

    ext = inference_calculator_pb2.InferenceCalculatorOptions.ext

    class _Pose(mp.solutions.pose.Pose):
        def _modify_calculator_options(self, graph_config, calculator_params):
            super()._modify_calculator_options(graph_config, calculator_params)
            found = 0
            for node in graph_config.node:
                if node.calculator.startswith("InferenceCalculator"):
                    node.options.Extensions[ext].delegate.xnnpack.num_threads = threads
                    found += 1
            if found == 0:
                raise PoseModelError("the bundled pose graph has no inference node to give threads to")

    return _Pose


class BundledPoseEstimator(_Closing):
    """BlazePose Full from the mediapipe wheel, offline, tracking across frames
    (``static_image_mode=True``: every frame on its own, no tracking). ``threads``: threads
    for the networks (the same landmarks whatever the number; :func:`_pose_with_threads`)."""

    name = "mediapipe-solutions-pose-full"

    def __init__(
        self,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        smooth_landmarks: bool = SMOOTH_LANDMARKS,
        static_image_mode: bool = False,
        threads: int = 1,
    ):
        if int(threads) < 1:
            raise ValueError(f"threads must be 1 or more, got {threads!r}")
        self.threads = int(threads)
        self._pose = _pose_with_threads(self.threads)(
            static_image_mode=static_image_mode,
            model_complexity=1,
            smooth_landmarks=smooth_landmarks,
            enable_segmentation=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def process(self, rgb: np.ndarray, t_s: float) -> PoseFrame | None:
        res = self._pose.process(rgb)
        if res.pose_landmarks is None:
            return None
        world = res.pose_world_landmarks.landmark if res.pose_world_landmarks else None
        h, w = rgb.shape[:2]
        return _landmarks_to_arrays(res.pose_landmarks.landmark, world, w, h)

    def close(self) -> None:
        self._pose.close()


class TaskPoseEstimator(_Closing):
    """MediaPipe Tasks ``PoseLandmarker`` in VIDEO mode on a user-supplied ``.task`` file."""

    def __init__(self, model_path: str | os.PathLike, num_poses: int = 1):
        p = Path(model_path)
        if not p.is_file():
            raise PoseModelError(
                f"pose model {p.name!r} not found at {p}. Pass the path of a MediaPipe "
                "pose_landmarker_*.task file, or leave the model out to use the bundled one."
            )
        if p.suffix != ".task":
            raise PoseModelError(f"pose model {p.name!r}: expected a .task file, got {p.suffix or 'no extension'!r}.")
        import mediapipe as mp  # noqa: PLC0415 - heavy import, only when a model is built

        opts = mp.tasks.vision.PoseLandmarkerOptions(
            base_options=mp.tasks.BaseOptions(model_asset_path=str(p)),
            running_mode=mp.tasks.vision.RunningMode.VIDEO,
            num_poses=num_poses,
        )
        try:
            self._landmarker = mp.tasks.vision.PoseLandmarker.create_from_options(opts)
        except Exception as exc:  # noqa: BLE001 - mediapipe raises bare RuntimeErrors
            raise PoseModelError(
                f"pose model {p.name!r} could not be loaded ({str(exc).splitlines()[0][:160]}). "
                "It must be a MediaPipe pose_landmarker .task bundle."
            ) from None
        self.name = f"mediapipe-tasks:{p.name}"
        self._mp = mp
        self._last_ms = -1

    def process(self, rgb: np.ndarray, t_s: float) -> PoseFrame | None:
        ms = max(int(round(t_s * 1000.0)), self._last_ms + 1)  # VIDEO mode needs increasing ms
        self._last_ms = ms
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        res = self._landmarker.detect_for_video(image, ms)
        if not res.pose_landmarks:
            return None
        h, w = rgb.shape[:2]
        world = res.pose_world_landmarks[0] if res.pose_world_landmarks else None
        return _landmarks_to_arrays(res.pose_landmarks[0], world, w, h)

    def close(self) -> None:
        self._landmarker.close()


def make_estimator(model_path: str | os.PathLike | None = None, threads: int = 1) -> PoseEstimator:
    """The bundled model by default, its networks on ``threads`` threads, in a
    :class:`~analysis.pose.framing.FramingEstimator` (a person too small for the detector
    is searched for in windows of the frame and tracked on one); a Tasks landmarker when a
    ``.task`` path is given (one thread: the Tasks API sets its own; no framing, as the
    Tasks model's own detector is the user's choice)."""
    if model_path:
        return TaskPoseEstimator(model_path)
    return FramingEstimator(
        lambda: BundledPoseEstimator(threads=threads), lambda: BundledPoseEstimator(static_image_mode=True)
    )


def prepare_rgb(bgr: np.ndarray, max_side_px: int = POSE_MAX_SIDE_PX) -> tuple[np.ndarray, float]:
    """Colour-convert (and downscale if large) once per frame; returns (rgb, scale factor)."""
    h, w = bgr.shape[:2]
    s = min(1.0, max_side_px / max(h, w))
    if s < 1.0:
        bgr = cv2.resize(bgr, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), s


class SeriesBuffer:
    """A pose series filled frame by frame into preallocated arrays (no per-frame Python
    objects kept; grown by doubling when a clip has more frames than announced), so the
    memory of the pose stage is the series itself. ``put(i, ...)`` writes frame ``i``;
    frames never written are "no pose" (NaN landmarks, zero visibility)."""

    def __init__(self, capacity: int):
        cap = max(1, int(capacity))
        self.t = np.full(cap, np.nan)
        self.xy = np.full((cap, N_LANDMARKS, 2), np.nan)
        self.world = np.full((cap, N_LANDMARKS, 3), np.nan)
        self.vis = np.zeros((cap, N_LANDMARKS))
        self.n = 0  # one past the highest frame written

    def _grow(self, need: int) -> None:
        cap = max(need, 2 * len(self.t))
        for name, fill in (("t", np.nan), ("xy", np.nan), ("world", np.nan), ("vis", 0.0)):
            old = getattr(self, name)
            new = np.full((cap, *old.shape[1:]), fill)
            new[: len(old)] = old
            setattr(self, name, new)

    def put(self, i: int, t_s: float, pf: PoseFrame | None) -> None:
        if i >= len(self.t):
            self._grow(i + 1)
        self.t[i] = t_s
        if pf is not None:
            self.xy[i] = pf.xy_px
            self.world[i] = pf.world_m
            self.vis[i] = pf.visibility
        self.n = max(self.n, i + 1)

    def series(self, frame_size_px: tuple[int, int], fps: float, start: int = 0, stop: int | None = None) -> PoseSeries:
        """Frames [start, stop) (default: all written) as a PoseSeries of views (no copy)."""
        stop = self.n if stop is None else min(stop, self.n)
        start = min(start, stop)
        return PoseSeries(
            self.t[start:stop], self.xy[start:stop], self.world[start:stop], self.vis[start:stop], frame_size_px, fps
        )


def estimate_pose(
    frames: Iterable[Frame],
    estimator: PoseEstimator,
    frame_size_px: tuple[int, int],
    fps: float,
    on_frame: Callable[[Frame, PoseFrame | None], None] | None = None,
    expected_frames: int = 0,
) -> PoseSeries:
    """Run ``estimator`` over streamed frames and collect a :class:`PoseSeries`.

    Only the landmarks are kept (1.6 kB a frame, in arrays sized by ``expected_frames``
    when given), never the images. ``on_frame`` is called after each frame (progress,
    thumbnails, overlays).
    """
    buf = SeriesBuffer(expected_frames or 256)
    k = 0
    for fr in frames:
        rgb, s = prepare_rgb(fr.bgr)
        pf = estimator.process(rgb, fr.t_s)
        if pf is not None and s != 1.0:
            pf = PoseFrame(pf.xy_px / s, pf.world_m, pf.visibility)
        buf.put(k, fr.t_s, pf)
        k += 1
        if on_frame is not None:
            on_frame(fr, pf)
    if k == 0:
        return PoseSeries.empty(np.zeros(0), frame_size_px, fps)
    return buf.series(frame_size_px, fps)
