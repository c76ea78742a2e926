"""What a rule measures from: per-frame metrics and jump events of one clip."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

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

#: :meth:`Ctx.cycle_swing`: the peak-to-peak that pure noise of standard deviation sigma puts
#: in a least-squares fit of P terms on m frames averages 2.2-3.3 sigma sqrt(P / m) over
#: 5-80 frames and 4-6 terms, with a spread of 0.9-1.4 of the same unit (simulated, 4000
#: draws each); the middle values are used.
SWING_NOISE_PTP = 2.8
SWING_NOISE_SD = 1.2
#: A level, a drift and one harmonic are four terms; two frames more leave a residual to
#: read the noise from.
SWING_MIN_FRAMES = 6
#: The fit is robust (Tukey's bisquare, c = 4.685 robust standard deviations, the usual
#: 95 %-efficiency constant): a frame where the pose model loses a landmark for a moment
#: gets no weight instead of making a swing of its own.
BISQUARE_C = 4.685
SWING_ROBUST_ITERATIONS = 4


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
        """[n_jumps] a statistic of a per-frame series over each jump's cycle (as :meth:`cycle_stat`).
        A cycle counts when at least half its frames hold a value."""
        x = np.asarray(x, float)
        seg = self.cycle_segments(x)
        enough = np.isfinite(seg).sum(axis=1) >= np.maximum(1, self._cycle_len // 2)
        out = np.full(self.n, np.nan)
        if not enough.any():
            return out
        if fn is np.nanmedian:
            out[enough] = np.nanmedian(seg[enough], axis=1)
        else:
            for i in np.flatnonzero(enough):
                out[i] = fn(seg[i, : self._cycle_len[i]])
        return out

    def cycle_values_noise(self, x: np.ndarray) -> np.ndarray:
        """[n_jumps] standard error of the cycle median of a per-frame series (see :meth:`cycle_noise`)."""
        seg = self.cycle_segments(np.asarray(x, float))
        count = np.isfinite(seg).sum(axis=1)
        out = np.full(self.n, np.nan)
        ok = count >= 2
        if ok.any():
            n_eff = np.maximum(1.0, np.minimum(count[ok], self._cycle_len[ok] / self.fps * INDEPENDENT_SAMPLES_PER_S))
            out[ok] = 1.2533 * np.nanstd(seg[ok], axis=1) / np.sqrt(n_eff)
        return out

    def cycle_swing(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """([n_jumps] how far a per-frame series swings within each cycle, its standard
        deviation): the peak-to-peak of a smooth fit (a level, a drift and up to two
        harmonics of the cycle) with landmark noise taken out.

        The raw range of noisy frames reads the noise's spread (about three of its standard
        deviations over a dozen frames: as large as a sway limit). The fit keeps the
        motion at the jump's rhythm; the noise that still leaks into it, ``SWING_NOISE_PTP``
        sigma sqrt(P / m) for P fitted terms on m frames (simulated on white noise), is
        removed in quadrature, with sigma from the fit's residual. NaN where a cycle holds
        fewer than ``SWING_MIN_FRAMES`` seen frames (10 fps: about four per jump). The fit is
        robust (``BISQUARE_C``): single frames where a landmark jumps away get no weight."""
        seg = self.cycle_segments(np.asarray(x, float))
        swing, sigma = np.full(self.n, np.nan), np.full(self.n, np.nan)
        for i in range(self.n):
            row = seg[i, : self._cycle_len[i]]
            ok = np.isfinite(row)
            m = int(ok.sum())
            if m < SWING_MIN_FRAMES:
                continue
            u = (np.flatnonzero(ok) + 0.5) / len(row)
            cols = [np.ones(m), u - 0.5]
            for k in (1, 2):
                if m >= 4 + 2 * k + 2:  # two residual degrees of freedom left at least
                    cols += [np.cos(2 * np.pi * k * u), np.sin(2 * np.pi * k * u)]
            X = np.stack(cols, axis=1)
            y = row[ok]
            wts = np.ones(m)
            for _ in range(SWING_ROBUST_ITERATIONS):
                coef, *_ = np.linalg.lstsq(X * wts[:, None], y * wts, rcond=None)
                r = y - X @ coef
                scale = 1.4826 * float(np.median(np.abs(r))) * BISQUARE_C
                if scale <= 0:
                    break
                wts = np.sqrt(np.clip(1.0 - (r / scale) ** 2, 0.0, None) ** 2)
            fit = X @ coef
            n_terms = X.shape[1]
            inl = wts > 0
            noise = float(np.sqrt(np.sum((y - fit)[inl] ** 2) / max(int(inl.sum()) - n_terms, 1)))
            leak = noise * np.sqrt(n_terms / m)
            swing[i] = np.sqrt(max(float(np.ptp(fit)) ** 2 - (SWING_NOISE_PTP * leak) ** 2, 0.0))
            sigma[i] = SWING_NOISE_SD * leak
        return swing, sigma

    def cycle_segments(self, x: np.ndarray) -> np.ndarray:
        """[n_jumps, longest cycle, ...] each cycle's frames of ``x`` ([T, ...]), NaN past its end."""
        idx = self._cycle_index
        out = x[np.clip(idx, 0, max(len(x) - 1, 0))] if len(x) else np.full(idx.shape + x.shape[1:], np.nan)
        out = np.array(out, float)
        out[idx < 0] = np.nan
        return out

    @staticmethod
    def segment_percentile(seg: np.ndarray, q: float) -> np.ndarray:
        """The ``q``-th percentile (linear, as :func:`numpy.percentile`) of each row of
        ``seg`` ([n, W, ...]) over axis 1, ignoring NaNs; NaN where a row holds none."""
        srt = np.sort(seg, axis=1)  # NaNs sort last
        count = np.isfinite(seg).sum(axis=1)
        pos = (np.maximum(count, 1) - 1) * (q / 100.0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(count - 1, 0))
        frac = pos - lo
        v_lo = np.take_along_axis(srt, lo[:, None], axis=1)[:, 0]
        v_hi = np.take_along_axis(srt, hi[:, None], axis=1)[:, 0]
        out = v_lo + (v_hi - v_lo) * frac
        return np.where(count > 0, out, np.nan)

    @cached_property
    def _cycles(self) -> list[tuple[int, int]]:
        out = []
        for i, j in enumerate(self.jumps):
            a = j.takeoff_frame
            if i + 1 < len(self.jumps) and self.jumps[i + 1].run == j.run:
                b = self.jumps[i + 1].takeoff_frame
            else:
                b = j.landing_frame + max(1, j.landing_frame - j.takeoff_frame)
            out.append((int(a), int(min(max(b, a + 1), len(self.t_s)))))
        return out

    @cached_property
    def _cycle_len(self) -> np.ndarray:
        return np.array([b - a for a, b in self._cycles], int).reshape(-1)

    @cached_property
    def _cycle_index(self) -> np.ndarray:
        """[n_jumps, longest cycle] frame indices of each cycle, -1 past its end."""
        width = int(self._cycle_len.max()) if self.n else 0
        idx = np.full((self.n, width), -1, int)
        for i, (a, b) in enumerate(self._cycles):
            idx[i, : b - a] = np.arange(a, b)
        return idx

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
        return list(self._cycles)

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
                f"the feet are out of frame, at its very edge or hidden in {100 * (1 - share):.0f}% of the jumps' "
                "frames; keep the whole body in view, with a little floor below the feet",
                [None] * self.n,
            )
        per = []
        for j in self.jumps:
            lo, hi = max(0, j.landing_frame - 2), min(n, j.landing_frame + 3)
            seen = ok[lo:hi]
            per.append(None if seen.size and seen.mean() >= 0.5 else "feet not visible at this landing")
        return None, per
