"""What a rule measures from: per-frame metrics and jump events of one clip."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..audio.evidence import QuietLandingsResult
from ..pose.landmarks import Landmark as L
from ..types import JumpEvent

#: Landing checks need the feet: a rule is not assessable when the feet are out of frame or
#: hidden in more than half of the frames of the jumps, and a single jump when they are
#: not seen around its touchdown.
FEET_MIN_SHARE = 0.5


@dataclass(frozen=True)
class Ctx:
    metrics: Mapping[str, np.ndarray]
    jumps: Sequence[JumpEvent]
    t_s: np.ndarray
    fps: float
    view: str
    xy_px: np.ndarray
    cm_per_px: float
    scale_rel_uncertainty: float
    sound: QuietLandingsResult | None = None  # from the soundtrack, or None
    #: [T] bool: heels, toes and ankles inside the frame and visible (None: not known,
    #: taken as visible wherever the foot landmarks are defined).
    feet_ok: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.jumps)

    def cycles(self) -> list[tuple[int, int]]:
        """Frames [start, end) of each jump's cycle: its take-off to the next take-off
        (the last jump: to its landing plus its own flight length)."""
        out = []
        for i, j in enumerate(self.jumps):
            a = j.takeoff_frame
            if i + 1 < len(self.jumps) and self.jumps[i + 1].run == j.run:
                b = self.jumps[i + 1].takeoff_frame
            else:
                b = j.landing_frame + max(1, j.landing_frame - j.takeoff_frame)
            out.append((int(a), int(min(max(b, a + 1), len(self.t_s)))))
        return out

    def cycle_stat(self, name: str, fn: Callable[[np.ndarray], float] = np.nanmedian) -> np.ndarray:
        x = self.metrics[name]
        out = np.full(self.n, np.nan)
        for i, (a, b) in enumerate(self.cycles()):
            seg = x[a:b]
            if np.isfinite(seg).sum() >= max(1, (b - a) // 2):
                out[i] = fn(seg)
        return out

    def cycle_argworst(self, x: np.ndarray, worse: str = "high") -> np.ndarray:
        out = np.zeros(self.n, int)
        for i, (a, b) in enumerate(self.cycles()):
            seg = np.where(np.isfinite(x[a:b]), x[a:b], -np.inf if worse == "high" else np.inf)
            out[i] = a + int(np.argmax(seg) if worse == "high" else np.argmin(seg))
        return out

    def at_landing(self, name: str) -> np.ndarray:
        x = self.metrics[name]
        return np.array([x[min(j.landing_frame, len(x) - 1)] for j in self.jumps], float)

    def landing_frames(self) -> np.ndarray:
        return np.array([min(j.landing_frame, len(self.t_s) - 1) for j in self.jumps], int)

    def feet_visible(self) -> np.ndarray:
        if self.feet_ok is not None:
            return np.asarray(self.feet_ok, bool)
        feet = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]
        return np.isfinite(self.xy_px[:, feet, 1]).all(axis=1)

    def feet_assessability(self) -> tuple[str | None, list[str | None]]:
        """(reason the feet cannot support landing checks on this clip or None, per-jump reasons)."""
        ok = self.feet_visible()
        n = len(ok)
        cyc = self.cycles()
        idx = np.zeros(n, bool)
        for a, b in cyc:
            idx[a:b] = True
        share = float(ok[idx].mean()) if idx.any() else float(ok.mean()) if n else 0.0
        if share < FEET_MIN_SHARE:
            return (
                f"the feet are out of frame or hidden in {100 * (1 - share):.0f}% of the jumps' frames; "
                "keep the whole body, feet included, in view",
                [None] * self.n,
            )
        per = []
        for j in self.jumps:
            lo, hi = max(0, j.landing_frame - 2), min(n, j.landing_frame + 3)
            seen = ok[lo:hi]
            per.append(None if seen.size and seen.mean() >= 0.5 else "feet not visible at this landing")
        return None, per
