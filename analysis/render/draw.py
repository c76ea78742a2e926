"""Frame annotator (no Streamlit): skeleton, key joint angles and the faults at a frame.

In the style of roboflow/supervision annotators: configure once in ``__init__``, then one
verb, :meth:`FormAnnotator.annotate`, draws onto a copy of a BGR frame::

    annotator = FormAnnotator()
    out = annotator.annotate(frame_bgr, report, frame_index)

The annotator reads only these parts of a report (duck-typed, so tests can hand-build
them): ``report.pose.xy_px`` [T, 33, 2] and ``report.pose.frame_size_px`` (the pixel
space of the landmarks), ``report.metrics`` (name -> [T]), ``report.t_s`` [T],
``report.jumps.jumps`` (take-off / landing frames) and ``report.rules`` (a
``RulesResult`` or None). The frame may be larger or smaller than the analysed frames:
landmarks are scaled to the frame it is given.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import cv2
import numpy as np

from ..pose.landmarks import SKELETON_EDGES
from ..pose.landmarks import Landmark as L
from ..types import Verdict

BGR = tuple[int, int, int]

#: Which bones turn red when a rule of an area fails at the frame.
AREA_LANDMARKS: dict[str, frozenset[int]] = {
    "posture": frozenset(
        {
            L.LEFT_SHOULDER,
            L.RIGHT_SHOULDER,
            L.LEFT_HIP,
            L.RIGHT_HIP,
            L.NOSE,
            L.LEFT_EAR,
            L.RIGHT_EAR,
            L.LEFT_EYE,
            L.RIGHT_EYE,
        }
    ),
    "core": frozenset({L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP}),
    "landing": frozenset(
        {
            L.LEFT_KNEE,
            L.RIGHT_KNEE,
            L.LEFT_ANKLE,
            L.RIGHT_ANKLE,
            L.LEFT_HEEL,
            L.RIGHT_HEEL,
            L.LEFT_FOOT_INDEX,
            L.RIGHT_FOOT_INDEX,
        }
    ),
    "arms": frozenset({L.LEFT_ELBOW, L.RIGHT_ELBOW, L.LEFT_WRIST, L.RIGHT_WRIST}),
}

#: (metric, landmark the label is written beside, short label)
ANGLE_LABELS: tuple[tuple[str, L, str], ...] = (
    ("knee_angle_deg_left", L.LEFT_KNEE, "knee"),
    ("knee_angle_deg_right", L.RIGHT_KNEE, "knee"),
    ("elbow_angle_deg_left", L.LEFT_ELBOW, "elbow"),
    ("elbow_angle_deg_right", L.RIGHT_ELBOW, "elbow"),
)


#: Words a cut title does not end on ("Both feet land together in a" -> "Both feet land together").
_TRAILING_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})
#: A comma ends a short title only after this many characters ("Soft, quiet landings" keeps its comma).
_MIN_PHRASE = 12


def short_title(title: str, max_chars: int = 32) -> str:
    """A rule title cut to its headline: before a colon or a bracket ('Stand tall: trunk
    upright, ...' -> 'Stand tall'; 'Soft, quiet landings (video proxy ...)' -> 'Soft, quiet
    landings'); a headline still longer than ``max_chars`` ends at its first comma that
    leaves a phrase ('Turn the rope from the wrists, not the shoulders' -> 'Turn the rope
    from the wrists'), else at a word, with an ellipsis."""
    head = re.split(r"[:(;]", title, maxsplit=1)[0].strip().rstrip(",") or title.strip()
    if len(head) <= max_chars:
        return head
    for m in re.finditer(",", head):
        if _MIN_PHRASE <= m.start() <= max_chars:
            return head[: m.start()]
    words = head[: max_chars - 1].split()
    if len(words) > 1 and not head[max_chars - 1].isspace():
        words = words[:-1]  # the last word was cut
    while len(words) > 1 and words[-1].lower() in _TRAILING_WORDS:
        words = words[:-1]
    return " ".join(words).rstrip(",") + "\u2026"


def _ascii(text: str) -> str:
    """OpenCV's Hershey fonts draw ASCII only."""
    return text.replace("\u2026", "...").replace("\u00b0", " deg").encode("ascii", "replace").decode("ascii")


@dataclass
class _FrameFaults:
    """Per-frame failing rules of one RulesResult, computed once per report."""

    titles: list[list[str]]
    areas: list[set[str]]


class FormAnnotator:
    """Draws the skeleton, knee/elbow/trunk angles and the failing rules on a frame.

    Args:
        ok_color: BGR colour of bones and joints that no failing rule concerns.
        fault_color: BGR colour of bones of a body area whose rule fails at the frame,
            and of the fault labels.
        text_color: BGR colour of angle labels.
        thickness: bone thickness in px; None scales with the frame (about 1/180 of its
            short side, at least 2).
        text_scale: OpenCV font scale; None scales with the frame.
        show_skeleton / show_angles / show_faults / show_header: switch parts off (with
            only the header and faults, the labels can be written on a crop of a frame).
        max_fault_labels: at most this many fault labels are written (the rest summed up).
    """

    def __init__(
        self,
        *,
        ok_color: BGR = (90, 210, 90),
        fault_color: BGR = (40, 40, 235),
        text_color: BGR = (255, 255, 255),
        joint_color: BGR = (255, 200, 60),
        thickness: int | None = None,
        text_scale: float | None = None,
        show_skeleton: bool = True,
        show_angles: bool = True,
        show_faults: bool = True,
        show_header: bool = True,
        max_fault_labels: int = 4,
    ) -> None:
        self.ok_color = ok_color
        self.fault_color = fault_color
        self.text_color = text_color
        self.joint_color = joint_color
        self.thickness = thickness
        self.text_scale = text_scale
        self.show_skeleton = show_skeleton
        self.show_angles = show_angles
        self.show_faults = show_faults
        self.show_header = show_header
        self.max_fault_labels = max_fault_labels
        self._cache_key: int | None = None
        self._cache: _FrameFaults | None = None

    # -- public -----------------------------------------------------------------------
    def annotate(
        self,
        frame_bgr: np.ndarray,
        report,
        frame_index: int,
        region: tuple[float, float, float, float] | None = None,
    ) -> np.ndarray:
        """Return an annotated copy of ``frame_bgr`` ([H, W, 3] uint8) for ``frame_index``.

        ``region``: (x0, y0, x1, y1) in the analysed frame's pixels (``report.pose.frame_size_px``)
        when ``frame_bgr`` shows only that part of the frame (a crop to the jumper, at any size)."""
        if frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3:
            raise ValueError(f"frame_bgr: expected shape [H, W, 3], got {list(frame_bgr.shape)}")
        out = np.ascontiguousarray(frame_bgr, dtype=np.uint8).copy()
        h, w = out.shape[:2]
        n = len(report.pose.xy_px)
        if not (0 <= frame_index < n):
            return out
        fw, fh = report.pose.frame_size_px
        x0, y0, x1, y1 = region if region is not None else (0.0, 0.0, float(fw), float(fh))
        if not (x1 > x0 and y1 > y0):
            raise ValueError(f"region: expected x1 > x0 and y1 > y0, got {region}")
        sx, sy = w / float(x1 - x0), h / float(y1 - y0)
        pts = (report.pose.xy_px[frame_index] - np.array([x0, y0])) * np.array([sx, sy])
        thick = self.thickness or max(2, int(round(min(w, h) / 180)))
        # Text is sized to the frame's width: a frame shown across a phone (~360 px) keeps
        # its labels about 9 px tall, and a larger frame keeps the same proportions.
        scale = self.text_scale or max(0.4, w / TEXT_WIDTH_PER_SCALE)
        faults = self._faults(report)
        titles = faults.titles[frame_index] if faults else []
        areas = faults.areas[frame_index] if faults else set()
        bad_lms: set[int] = set().union(*(AREA_LANDMARKS.get(a, frozenset()) for a in areas)) if areas else set()

        taken: list[_Box] = []  # label boxes already drawn: a new label goes where it overlaps none
        if self.show_skeleton:
            self._skeleton(out, pts, bad_lms, thick)
        if self.show_header:
            self._header(out, report, frame_index, scale, thick, taken)
        if self.show_faults and titles:
            self._fault_labels(out, titles, scale, thick, taken)
        if self.show_angles:
            self._angles(out, pts, report.metrics, frame_index, scale, thick, taken)
        return out

    # -- parts ------------------------------------------------------------------------
    def _faults(self, report) -> _FrameFaults | None:
        rules = getattr(report, "rules", None)
        if rules is None:
            return None
        key = id(rules)
        if key != self._cache_key or self._cache is None:
            n = len(report.pose.xy_px)
            titles: list[list[str]] = [[] for _ in range(n)]
            areas: list[set[str]] = [set() for _ in range(n)]
            for r in rules.rules:
                verdicts = rules.frame_verdicts(r.id)
                for f, v in enumerate(verdicts[:n]):
                    if v == Verdict.FAULT:
                        titles[f].append(short_title(r.title))
                        areas[f].add(r.area)
            self._cache_key, self._cache = key, _FrameFaults(titles, areas)
        return self._cache

    def _skeleton(self, img: np.ndarray, pts: np.ndarray, bad: set[int], thick: int) -> None:
        ok = np.isfinite(pts).all(axis=1)
        for a, b in SKELETON_EDGES:
            if a in _HEAD or b in _HEAD:
                continue  # the face's edges drawn thick look like a mask; the head is one line below
            if ok[a] and ok[b]:
                color = self.fault_color if _bone_is_bad(a, b, bad) else self.ok_color
                p, q = tuple(int(round(v)) for v in pts[a]), tuple(int(round(v)) for v in pts[b])
                cv2.line(img, p, q, color, thick, cv2.LINE_AA)
        self._head(img, pts, ok, bad, thick)
        r = max(2, thick + 1)
        for i in np.flatnonzero(ok):
            if i in _FACE_DETAIL or i in _HEAD:
                continue
            c = tuple(int(round(v)) for v in pts[i])
            cv2.circle(img, c, r, self.fault_color if i in bad else self.joint_color, -1, cv2.LINE_AA)

    def _head(self, img: np.ndarray, pts: np.ndarray, ok: np.ndarray, bad: set[int], thick: int) -> None:
        """The head as one thin line from between the ears to the nose (which way it points)."""
        ears = [e for e in (L.LEFT_EAR, L.RIGHT_EAR) if ok[e]]
        if not ears or not ok[L.NOSE]:
            return
        color = self.fault_color if L.NOSE in bad else self.ok_color
        back = tuple(int(round(v)) for v in pts[ears].mean(axis=0))
        nose = tuple(int(round(v)) for v in pts[L.NOSE])
        cv2.line(img, back, nose, color, max(1, thick // 2), cv2.LINE_AA)
        cv2.circle(img, nose, max(2, thick), color, -1, cv2.LINE_AA)

    def _angles(
        self, img: np.ndarray, pts: np.ndarray, metrics: dict, f: int, scale: float, thick: int, taken: list[_Box]
    ) -> None:
        cx = (
            float(np.mean(pts[[L.LEFT_HIP, L.RIGHT_HIP], 0]))
            if np.isfinite(pts[[L.LEFT_HIP, L.RIGHT_HIP]]).all()
            else float("nan")
        )
        labels: list[tuple[str, np.ndarray, str]] = []
        lean = metrics.get("trunk_lean_deg")
        if lean is None or f >= len(lean) or not np.isfinite(lean[f]):
            lean = metrics.get("trunk_tilt_side_deg")
        sh = pts[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER]]
        hp = pts[[L.LEFT_HIP, L.RIGHT_HIP]]
        if (
            lean is not None
            and f < len(lean)
            and np.isfinite(lean[f])
            and np.isfinite(sh).all()
            and np.isfinite(hp).all()
        ):
            labels.append((f"trunk {round(float(lean[f])):+d}", (sh.mean(axis=0) + hp.mean(axis=0)) / 2, "center"))
        for name, lm, label in ANGLE_LABELS:
            x = metrics.get(name)
            if x is None or f >= len(x) or not np.isfinite(x[f]) or not np.isfinite(pts[lm]).all():
                continue
            # Write on the outer side of the joint (away from the body's centre line).
            right = pts[lm, 0] >= (cx if np.isfinite(cx) else pts[lm, 0])
            labels.append((f"{label} {x[f]:.0f}", pts[lm], "left" if right else "right"))
        for text, at, anchor in labels:
            self._text(img, text, at, scale * 0.85, thick, anchor=anchor, taken=taken)

    def _header(self, img: np.ndarray, report, f: int, scale: float, thick: int, taken: list[_Box]) -> None:
        self._text(img, frame_header(report, f), (4, 4), scale * 0.8, thick, anchor="topleft", taken=taken)

    def _fault_labels(self, img: np.ndarray, titles: list[str], scale: float, thick: int, taken: list[_Box]) -> None:
        h = img.shape[0]
        shown = titles[: self.max_fault_labels]
        if len(titles) > len(shown):
            shown = [*shown, f"+{len(titles) - len(shown)} more"]
        (_, th), base = cv2.getTextSize("Ag", cv2.FONT_HERSHEY_SIMPLEX, scale * 0.85, 1)
        line = th + base + 8
        y = h - 6 - line * len(shown)
        for s in shown:
            self._text(img, f"! {s}", (4, y), scale * 0.85, thick, anchor="topleft", bg=self.fault_color, taken=taken)
            y += line

    def _text(
        self,
        img,
        text,
        at,
        scale,
        thick,
        *,
        anchor="left",
        bg: BGR | None = (0, 0, 0),
        taken: list[_Box] | None = None,
    ) -> None:
        """Write ``text`` with a backing box; a text wider than the frame is drawn smaller
        (never cut), and with ``taken`` the box moves to the nearest place that overlaps no
        label drawn before (then joins ``taken``)."""
        text = _ascii(text)
        font = cv2.FONT_HERSHEY_SIMPLEX
        tt = max(1, thick // 2)
        pad = 3
        hgt, wid = img.shape[:2]
        (tw, th), base = cv2.getTextSize(text, font, scale, tt)
        if tw + 2 * pad > wid:  # shrink to fit the frame's width
            scale *= (wid - 2 * pad) / float(tw + 2 * pad)
            (tw, th), base = cv2.getTextSize(text, font, scale, tt)
        x, y = float(at[0]), float(at[1])
        if anchor == "left":
            x, y = x + 2 * thick + pad, y + th / 2
        elif anchor == "right":
            x, y = x - 2 * thick - pad - tw, y + th / 2
        elif anchor == "center":
            x, y = x - tw / 2, y + th / 2
        else:  # topleft
            x, y = x + pad, y + th + pad

        def clamp(x: float, y: float) -> tuple[int, int]:
            return (
                int(min(max(pad, x), max(pad, wid - tw - pad))),
                int(min(max(th + pad, y), max(th + pad, hgt - base - pad))),
            )

        x, y = clamp(x, y)
        if taken is not None:
            step = th + base + 2 * pad
            for k in (0, 1, -1, 2, -2, 3, -3, 4, -4):
                cx, cy = clamp(x, y + k * step)
                box = (cx - pad, cy - th - pad, cx + tw + pad, cy + base + pad)
                if not any(_overlap(box, b) for b in taken):
                    x, y = cx, cy
                    break
            taken.append((x - pad, y - th - pad, x + tw + pad, y + base + pad))
        if bg is not None:
            x0, y0, x1, y1 = x - pad, y - th - pad, x + tw + pad, y + base + pad
            roi = img[max(0, y0) : y1, max(0, x0) : x1]
            if roi.size:
                overlay = np.empty_like(roi)
                overlay[:] = bg
                cv2.addWeighted(overlay, 0.6, roi, 0.4, 0, dst=roi)
        cv2.putText(img, text, (x, y), font, scale, self.text_color, tt, cv2.LINE_AA)


#: (x0, y0, x1, y1) of a label's box in pixels.
_Box = tuple[int, int, int, int]


def _overlap(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def frame_header(report, f: int) -> str:
    """'frame 224  8.92 s  jump 16 in the air  9.4 cm': the frame, its time from the clip's
    first frame, and the jump it belongs to with its height (where measured)."""
    t_s = report.t_s
    t = float(t_s[f] - t_s[0]) if 0 <= f < len(t_s) else float("nan")
    parts = [f"frame {f}", f"{t:.2f} s" if math.isfinite(t) else ""]
    for k, j in enumerate(report.jumps.jumps):
        if j.takeoff_frame <= f <= j.landing_frame:
            phase = "take-off" if f == j.takeoff_frame else "landing" if f == j.landing_frame else "in the air"
            parts.append(f"jump {k + 1} {phase}")
            h = float(getattr(j, "height_cm", float("nan")))
            sigma = float(getattr(j, "height_sigma_cm", float("nan")))
            if math.isfinite(h):
                parts.append(f"{h:.1f} +- {sigma:.1f} cm" if math.isfinite(sigma) else f"{h:.1f} cm")
            break
    return "  ".join(p for p in parts if p)


_FACE_DETAIL = frozenset(
    {
        L.LEFT_EYE_INNER,
        L.LEFT_EYE_OUTER,
        L.RIGHT_EYE_INNER,
        L.RIGHT_EYE_OUTER,
        L.MOUTH_LEFT,
        L.MOUTH_RIGHT,
        L.LEFT_PINKY,
        L.RIGHT_PINKY,
        L.LEFT_INDEX,
        L.RIGHT_INDEX,
        L.LEFT_THUMB,
        L.RIGHT_THUMB,
    }
)


_TRUNK = frozenset({L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP})
#: Head landmarks: drawn as one line from between the ears to the nose, not as a face.
_HEAD = frozenset({L.NOSE, L.LEFT_EYE, L.RIGHT_EYE, L.LEFT_EAR, L.RIGHT_EAR})
#: Frame width (px) per unit of OpenCV font scale: labels about 1/45 of the frame's width
#: tall (FONT_HERSHEY_SIMPLEX is ~22 px tall at scale 1), i.e. ~8-9 px on a 360 px wide phone view.
TEXT_WIDTH_PER_SCALE = 880.0


def _bone_is_bad(a: int, b: int, bad: set[int]) -> bool:
    """A bone shows a fault when its ends off the trunk's corners are all in ``bad`` (a knee
    fault colours hip-knee and knee-ankle, not the trunk); a trunk bone when both ends are."""
    if not bad:
        return False
    outer = [p for p in (a, b) if p not in _TRUNK]
    return all(p in bad for p in outer) if outer else (a in bad and b in bad)
