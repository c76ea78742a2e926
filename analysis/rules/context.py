"""What a rule measures from: per-frame metrics and jump events of one clip."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..audio.evidence import QuietLandingsResult
from ..measure.view import ViewAngle
from ..pose.landmarks import Landmark as L
from ..types import JumpEvent

#: Landing checks need the feet: a rule is not assessable when the feet are out of frame or
#: hidden in more than half of the frames of the jumps, and a single jump when they are
#: not seen around its touchdown.
FEET_MIN_SHARE = 0.5


#: The low-pass keeps about this many independent samples a second (twice its 10 Hz cut-off),
#: which bounds how far averaging the frames of a cycle reduces landmark noise.
INDEPENDENT_SAMPLES_PER_S = 20.0


@dataclass(frozen=True)
class Ctx:
    metrics: Mapping[str, np.ndarray]
    jumps: Sequence[JumpEvent]
    t_s: np.ndarray
    fps: float
    view_angle: ViewAngle
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

    @property
    def view(self) -> str:
        return self.view_angle.label

    def cycle_noise(self, name: str) -> np.ndarray:
        """[n_jumps] standard error of the cycle's median of a per-frame metric: its spread
        within the cycle over the square root of the independent samples it holds."""
        return self.cycle_values_noise(self.metrics[name])

    def cycle_values(self, x: np.ndarray, fn: Callable[[np.ndarray], float] = np.nanmedian) -> np.ndarray:
        """[n_jumps] a statistic of a per-frame series over each jump's cycle (as :meth:`cycle_stat`)."""
        out = np.full(self.n, np.nan)
        for i, (a, b) in enumerate(self.cycles()):
            seg = x[a:b]
            if np.isfinite(seg).sum() >= max(1, (b - a) // 2):
                out[i] = fn(seg)
        return out

    def cycle_values_noise(self, x: np.ndarray) -> np.ndarray:
        """[n_jumps] standard error of the cycle median of a per-frame series (see :meth:`cycle_noise`)."""
        out = np.full(self.n, np.nan)
        for i, (a, b) in enumerate(self.cycles()):
            seg = x[a:b]
            seg = seg[np.isfinite(seg)]
            if seg.size >= 2:
                n_eff = max(1.0, min(float(seg.size), (b - a) / self.fps * INDEPENDENT_SAMPLES_PER_S))
                out[i] = 1.2533 * float(np.std(seg)) / np.sqrt(n_eff)
        return out

    def projected(self, values: np.ndarray, plane: str, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(value corrected for the camera's yaw, the yaw's share of its uncertainty) for an
        image quantity in the body's ``plane`` ("sagittal" or "frontal"): a length shows
        scaled by the plane's projection factor f (|sin(yaw)| or |cos(yaw)|); an angle from
        the vertical (``kind`` "angle") as tan(a_image) = f tan(a). Where f is small the
        correction is unsound: the rules stop before (``measure.view.MIN_PROJECTION``)."""
        va = self.view_angle
        v = np.asarray(values, float)

        def corrected(yaw_deg: float) -> np.ndarray:
            f = abs(np.sin(np.radians(yaw_deg))) if plane == "sagittal" else abs(np.cos(np.radians(yaw_deg)))
            f = max(f, 1e-3)
            if kind == "angle":
                return np.degrees(np.arctan(np.tan(np.radians(v)) / f))
            return v / f

        if not np.isfinite(va.yaw_deg):
            return v.copy(), np.zeros_like(v)
        mid = corrected(va.yaw_deg)
        s = va.sigma_deg if np.isfinite(va.sigma_deg) else 0.0
        lo, hi = corrected(va.yaw_deg - s), corrected(va.yaw_deg + s)
        return mid, 0.5 * np.abs(hi - lo)

    def plane_angle(self, u: np.ndarray, w: np.ndarray, plane: str, yaw_deg: float | None = None) -> np.ndarray:
        """[T] the angle (deg) between image vectors ``u`` and ``w`` ([T, 2] pixels) of one
        body plane, with their horizontal components stretched back by the plane's
        projection factor: a segment in the forward-backward plane shows its horizontal
        extent scaled by |sin(yaw)|, one in the left-right plane by |cos(yaw)|; vertical
        extents show whole."""
        yaw = self.view_angle.yaw_deg if yaw_deg is None else yaw_deg
        f = abs(np.sin(np.radians(yaw))) if plane == "sagittal" else abs(np.cos(np.radians(yaw)))
        stretch = np.array([1.0 / max(f, 1e-3), 1.0])
        u, w = u * stretch, w * stretch
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = np.sum(u * w, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(w, axis=-1))
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))

    def plane_angle_yaw_sigma(self, u: np.ndarray, w: np.ndarray, plane: str) -> np.ndarray:
        """[T] the yaw's share of :meth:`plane_angle`'s uncertainty (half its change over +-1 sigma of yaw)."""
        va = self.view_angle
        if not (np.isfinite(va.yaw_deg) and np.isfinite(va.sigma_deg)):
            return np.zeros(len(u))
        lo = self.plane_angle(u, w, plane, va.yaw_deg - va.sigma_deg)
        hi = self.plane_angle(u, w, plane, va.yaw_deg + va.sigma_deg)
        return 0.5 * np.abs(hi - lo)

    def landing_slope(self, name: str) -> np.ndarray:
        """[n_jumps] how much a metric changes over one frame around each touchdown (its
        timing error's share of the value at touchdown)."""
        x = self.metrics[name]
        out = np.full(self.n, np.nan)
        for i, j in enumerate(self.jumps):
            k = min(j.landing_frame, len(x) - 2)
            lo, hi = max(0, k - 1), min(len(x) - 1, k + 1)
            if hi > lo and np.isfinite(x[lo]) and np.isfinite(x[hi]):
                out[i] = abs(float(x[hi] - x[lo])) / (hi - lo)
        return out

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
        return self.cycle_values(self.metrics[name], fn)

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
