"""Framing: track a person too small in the frame for the pose model's detector.

BlazePose starts tracking with a person detector that sees the whole frame shrunk to
224x224 (letterboxed) and keys on the face. A jumper filmed from afar in a landscape frame
leaves a face of a few pixels there and is never found, although the landmark model, once
given a region, tracks them in every frame: on synthetic seeds 1359 (854x480, the figure
44 % of the frame's height) and 1257 (960x540, 32 %) the full frame found a person in 0 %
and 4 % of the frames, a square window about them in 100 % (measured on the two clips;
``tests/analysis/pose/test_framing.py`` checks the mechanics on made-up trackers).

Method (:class:`FramingEstimator`, wrapping any tracker):

* The full frame is tracked as before; while it finds the person nothing else runs, so a
  clip the detector handles gives the same landmarks bit for bit.
* When the full frame has found no one for :data:`SEARCH_AFTER_S`, a search runs (again
  every :data:`SEARCH_EVERY_S` while no one is found): a still-image pose model on square
  windows of the frame, from the frame's shorter side down to half of it, each step half a
  window: anyone under half the shorter side lies whole inside one of the largest windows
  (which enlarge a person 1.8x against a letterboxed 16:9 frame), anyone under a quarter
  inside one of the smallest (3.6x). The first window where the shoulders and hips are
  seen (:data:`MIN_CORE_VISIBILITY`) gives the person's box.
* A fresh tracker then runs on a square window about the box, :data:`WINDOW_PER_BODY`
  times its height (room for the jumps, arms overhead and a step aside), landmarks mapped
  back to the frame's pixels. When the person nears a window edge that is not the frame's
  own, the window is centred on them again (a fresh tracker); when the window has found no
  one for :data:`SEARCH_AFTER_S`, tracking returns to the full frame.

Trade-offs: a search costs one still-image detection per window (about 30 on a 16:9
frame, a third of a second), only on stretches where no one is found; a window's tracker
sees the same pixels as the full frame's around the person, so landmarks agree within the
model's noise, but every switch of window is a fresh tracker's first frame. The search is
deterministic for given frames, so one pose process and several still give the same
result (each segment starts with a fresh :class:`FramingEstimator`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import Any, Protocol

import numpy as np

from .landmarks import Landmark as L

#: No one found in the full frame (or the window) for this long starts a search. A tracker
#: that loses a moving jumper for a few frames finds them again on its own; half a second
#: is a full jump cycle at two jumps a second (skipping runs at one to about seven a second:
#: ``measure.jumps.runs.SLOWEST_PERIOD_S``, the shared clips' speed steps), so a search
#: means the person is not being found rather than briefly lost.
SEARCH_AFTER_S = 0.5

#: While no one is found, a search at most this often (seconds of the clip): a person who
#: appears is found within a second, and a clip without anyone pays one search a second.
SEARCH_EVERY_S = 1.0

#: Window sizes searched, as shares of the frame's shorter side, largest first; each step
#: is half a window. The smallest, half the shorter side, doubles a person's size against
#: a square frame (more against a letterboxed landscape one): a person under a quarter of
#: the shorter side is 12 % of a 1080p frame's height, some 40 px on a 360p one, where the
#: landmarks would no longer carry the rules' angles anyway.
SEARCH_SCALES = (1.0, 0.75, 0.5)

#: A window's find counts when the shoulders and hips are seen at the pose model's own
#: visibility threshold (0.5, MediaPipe's default for landmark presence).
MIN_CORE_VISIBILITY = 0.5

#: The tracking window's side in units of the person's box height (landmarks span about
#: eyes to heels, 0.9 of the standing height): 1.8 leaves about 0.4 of a height above and
#: below for the jumps and arms overhead, and the person still fills half the window,
#: which the detector finds (the 0.75-scale windows that found seed 1359's figure held it
#: at 59 % of their height).
WINDOW_PER_BODY = 1.8

#: The window is centred again when a landmark comes within this share of its side of an
#: edge that is not the frame's own edge.
EDGE_MARGIN = 0.05

_CORE = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP]

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1 and y1 exclusive


class Tracker(Protocol):
    """What framing needs of a pose model (``estimators.PoseEstimator``, which builds this
    module's estimator and so is not imported here): ``process`` gives a frame's landmarks
    (an ``estimators.PoseFrame``: ``xy_px`` [33, 2] in the given image's pixels,
    ``visibility`` [33]) or None."""

    def process(self, rgb: np.ndarray, t_s: float) -> Any: ...

    def close(self) -> None: ...


def search_windows(width_px: int, height_px: int, scales: tuple[float, ...] = SEARCH_SCALES) -> list[Box]:
    """Square windows covering a ``width_px`` x ``height_px`` frame, largest first, each
    scale's windows half a window apart, the first and last of a row on the frame's edges."""
    short = min(width_px, height_px)
    out: list[Box] = []
    for s in scales:
        side = max(1, int(round(s * short)))
        xs = _positions(width_px, side)
        ys = _positions(height_px, side)
        out.extend((x, y, x + side, y + side) for y in ys for x in xs)
    return out


def _positions(length: int, side: int) -> list[int]:
    if side >= length:
        return [0]
    n = math.ceil((length - side) / (side / 2)) + 1
    return sorted({int(round(v)) for v in np.linspace(0, length - side, n)})


def window_about(person: Box, width_px: int, height_px: int, per_body: float = WINDOW_PER_BODY) -> Box:
    """A square window ``per_body`` times the person's box height (at least its width),
    centred on it and kept inside the frame (no larger than the shorter side)."""
    x0, y0, x1, y1 = person
    side = int(round(min(min(width_px, height_px), per_body * max(y1 - y0, x1 - x0, 1))))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    wx = int(round(min(max(cx - side / 2, 0), width_px - side)))
    wy = int(round(min(max(cy - side / 2, 0), height_px - side)))
    return wx, wy, wx + side, wy + side


def person_box(pf: Any) -> Box | None:
    pts = pf.xy_px[np.isfinite(pf.xy_px).all(axis=1)]
    if len(pts) == 0:
        return None
    (x0, y0), (x1, y1) = np.floor(pts.min(axis=0)), np.ceil(pts.max(axis=0))
    return int(x0), int(y0), int(x1) + 1, int(y1) + 1


def near_inner_edge(box: Box, window: Box, width_px: int, height_px: int, margin: float = EDGE_MARGIN) -> bool:
    """Whether the person's box comes within ``margin`` of the window's side of an edge of
    the window that is not also the frame's edge."""
    x0, y0, x1, y1 = box
    wx0, wy0, wx1, wy1 = window
    m = margin * (wx1 - wx0)
    return (
        (wx0 > 0 and x0 < wx0 + m)
        or (wy0 > 0 and y0 < wy0 + m)
        or (wx1 < width_px and x1 > wx1 - m)
        or (wy1 < height_px and y1 > wy1 - m)
    )


def _shifted(pf: Any, dx: int, dy: int) -> Any:
    return replace(pf, xy_px=pf.xy_px + np.array([dx, dy], dtype=float))


class FramingEstimator:
    """A tracker that, where the full frame finds no one, looks for a small person in
    windows and tracks them on a window about them (module docstring). ``make_tracker``
    builds a fresh tracker (called for the full frame and for each window);
    ``make_finder`` a still-image pose model for the search (built at the first search)."""

    def __init__(self, make_tracker: Callable[[], Tracker], make_finder: Callable[[], Tracker]):
        self._make_tracker, self._make_finder = make_tracker, make_finder
        self._full = make_tracker()
        self.name = getattr(self._full, "name", type(self._full).__name__)
        self._finder: Tracker | None = None
        self._window: Box | None = None
        self._win_tracker: Tracker | None = None
        self._last_found_s: float | None = None  # last frame with a person, either mode
        self._first_s: float | None = None
        self._last_search_s = -math.inf
        #: (clip time, window) of every window taken up, and the searches run (diagnostics, tests)
        self.windows: list[tuple[float, Box]] = []
        self.searches = 0
        #: frames whose landmarks came from a window (the pose stage says so in the report)
        self.framed_frames = 0

    def _missing_for(self, t_s: float) -> float:
        since = self._last_found_s if self._last_found_s is not None else self._first_s
        return t_s - since if since is not None else 0.0

    def process(self, rgb: np.ndarray, t_s: float) -> Any:
        if self._first_s is None:
            self._first_s = t_s
        h, w = rgb.shape[:2]
        if self._window is None:
            pf = self._full.process(rgb, t_s)
            if pf is not None:
                self._last_found_s = t_s
                return pf
            if self._missing_for(t_s) + 1e-9 < SEARCH_AFTER_S or t_s - self._last_search_s < SEARCH_EVERY_S - 1e-9:
                return None
            self._last_search_s = t_s
            box = self._search(rgb)
            if box is None:
                return None
            self._take_window(window_about(box, w, h), t_s)
        return self._track_window(rgb, t_s, w, h)

    def _take_window(self, window: Box, t_s: float) -> None:
        if self._win_tracker is not None:
            self._win_tracker.close()
        self._window = window
        self._win_tracker = self._make_tracker()
        self.windows.append((t_s, window))

    def _drop_window(self) -> None:
        if self._win_tracker is not None:
            self._win_tracker.close()
        self._window, self._win_tracker = None, None

    def _track_window(self, rgb: np.ndarray, t_s: float, w: int, h: int) -> Any:
        assert self._window is not None and self._win_tracker is not None
        x0, y0, x1, y1 = self._window
        pf = self._win_tracker.process(np.ascontiguousarray(rgb[y0:y1, x0:x1]), t_s)
        if pf is None:
            if self._missing_for(t_s) + 1e-9 >= SEARCH_AFTER_S:
                self._drop_window()  # back to the full frame, which searches again in time
            return None
        self._last_found_s = t_s
        self.framed_frames += 1
        pf = _shifted(pf, x0, y0)
        box = person_box(pf)
        if box is not None and near_inner_edge(box, self._window, w, h):
            new = window_about(box, w, h)
            if new != self._window:
                self._take_window(new, t_s)
        return pf

    def _search(self, rgb: np.ndarray) -> Box | None:
        """The person's box from the first window where the still-image model sees the
        shoulders and hips, or None."""
        self.searches += 1
        if self._finder is None:
            self._finder = self._make_finder()
        h, w = rgb.shape[:2]
        for x0, y0, x1, y1 in search_windows(w, h):
            pf = self._finder.process(np.ascontiguousarray(rgb[y0:y1, x0:x1]), 0.0)
            if pf is None or float(np.mean(pf.visibility[_CORE])) < MIN_CORE_VISIBILITY:
                continue
            box = person_box(_shifted(pf, x0, y0))
            if box is not None:
                bx0, by0, bx1, by1 = box
                return max(0, bx0), max(0, by0), min(w, bx1), min(h, by1)
        return None

    def close(self) -> None:
        for est in (self._full, self._win_tracker, self._finder):
            if est is not None:
                est.close()
        self._win_tracker = self._finder = None

    def __enter__(self) -> FramingEstimator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
