"""Several people in view: keep the analysis on one main jumper and say so.

The bundled MediaPipe pose tracks one person. Two cheap cues, no extra model:

* **tracker switches** (:func:`follow_main_jumper`): the tracked body's centre or size
  jumps between consecutive frames further than a body can move (the tracker lost one
  person and picked up another). The series is cut at each switch, the pieces are
  matched to people by position and size, and frames of everyone but the main jumper
  (the person tracked longest) are dropped (NaN), so every measurement follows one body.
* **another person beside the tracked one** (:class:`OtherPersonProbe`): on a few sampled
  frames the tracked body is blanked out and the same bundled model looks for a pose in
  what is left. A pose found there means someone else is in view.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import cv2
import numpy as np

from ..types import PoseSeries
from .estimators import BundledPoseEstimator
from .landmarks import Landmark as L

#: A switch: the body centre moves more than this many trunk lengths between two frames
#: (plus a walking allowance per second of gap), or the body's size changes by this ratio.
SWITCH_JUMP_TRUNKS = 1.5
SWITCH_SPEED_TRUNKS_PER_S = 6.0
SWITCH_SIZE_RATIO = 1.6
#: Across a gap longer than this (s) the tracker may have lost the jumper who walked out;
#: the piece after it is the same person unless its size clearly differs.
SWITCH_MAX_GAP_S = 1.0
#: Two pieces are the same person when their centres are within this many trunk lengths.
SAME_PERSON_TRUNKS = 1.5
#: Frames sampled for the other-person probe, and the blanked margin around the tracked body.
PROBE_SAMPLES = 6
PROBE_MARGIN = 0.2
PROBE_MIN_VISIBILITY = 0.6


@dataclass
class PeopleInfo:
    switches: list[int] = field(default_factory=list)  # frames where the tracker changed person
    n_people_tracked: int = 1
    main_share: float = 1.0  # share of found frames that belong to the main jumper
    main_side: str = ""  # "left", "centre", "right" of the frame
    other_seen: int = 0  # probe: sampled frames where another person was found
    probed: int = 0

    @property
    def multiple(self) -> bool:
        return bool(self.switches) and self.n_people_tracked > 1 or self.other_seen >= max(1, self.probed // 3)


def _centre_and_size(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    torso = xy[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP]]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a person: NaN centre
        c = np.nanmean(torso, axis=1) if torso.size else np.zeros((0, 2))
        sh = (xy[:, L.LEFT_SHOULDER] + xy[:, L.RIGHT_SHOULDER]) / 2
        hp = (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP]) / 2
        trunk = np.linalg.norm(sh - hp, axis=-1)
    return c, trunk


def follow_main_jumper(pose: PoseSeries) -> tuple[PoseSeries, PeopleInfo]:
    """Drop frames where the tracker followed someone other than the main jumper."""
    info = PeopleInfo()
    n = len(pose)
    if n < 3:
        return pose, info
    c, trunk = _centre_and_size(pose.xy_px)
    ok = np.isfinite(c).all(axis=1) & np.isfinite(trunk) & (trunk > 1)
    idx = np.flatnonzero(ok)
    if idx.size < 3:
        return pose, info
    # Cut into pieces at switches.
    piece = np.full(n, -1)
    cur = 0
    piece[idx[0]] = 0
    for a, b in zip(idx[:-1], idx[1:]):
        dt = float(pose.t_s[b] - pose.t_s[a])
        size = float(np.median(trunk[max(0, a - 5) : a + 1][ok[max(0, a - 5) : a + 1]]))
        d = float(np.linalg.norm(c[b] - c[a]))
        ratio = trunk[b] / trunk[a]
        size_jump = ratio > SWITCH_SIZE_RATIO or ratio < 1 / SWITCH_SIZE_RATIO
        if dt <= SWITCH_MAX_GAP_S:
            switched = d > size * (SWITCH_JUMP_TRUNKS + SWITCH_SPEED_TRUNKS_PER_S * dt) or size_jump
        else:
            switched = size_jump
        if switched:
            cur += 1
            info.switches.append(int(b))
        piece[b] = cur
    if not info.switches:
        info.main_side = _side(c[ok], pose.frame_size_px[0])
        return pose, info
    # Match pieces to people by position and size.
    people: list[dict] = []
    owner = {}
    for k in range(cur + 1):
        sel = piece == k
        pc = np.median(c[sel], axis=0)
        pt = float(np.median(trunk[sel]))
        match = None
        for pid, p in enumerate(people):
            r = pt / p["trunk"]
            if (
                np.linalg.norm(pc - p["c"]) < SAME_PERSON_TRUNKS * max(pt, p["trunk"])
                and 1 / SWITCH_SIZE_RATIO < r < SWITCH_SIZE_RATIO
            ):
                match = pid
                break
        if match is None:
            people.append({"c": pc, "trunk": pt, "frames": 0})
            match = len(people) - 1
        people[match]["frames"] += int(sel.sum())
        people[match]["c"], people[match]["trunk"] = pc, pt
        owner[k] = match
    main = int(np.argmax([p["frames"] for p in people]))
    keep = np.array([piece[i] >= 0 and owner[piece[i]] == main for i in range(n)])
    info.n_people_tracked = len(people)
    info.main_share = float(keep.sum() / max(1, ok.sum()))
    info.main_side = _side(c[keep], pose.frame_size_px[0])
    if info.n_people_tracked == 1:  # all pieces matched one person: not a switch after all
        info.switches = []
        return pose, info
    drop = ~keep
    xy = pose.xy_px.copy()
    world = pose.world_m.copy()
    vis = pose.visibility.copy()
    xy[drop] = np.nan
    world[drop] = np.nan
    vis[drop] = 0.0
    return PoseSeries(pose.t_s, xy, world, vis, pose.frame_size_px, pose.fps), info


def _side(c: np.ndarray, width: int) -> str:
    if c.size == 0 or width <= 0:
        return ""
    x = float(np.median(c[:, 0])) / width
    return "left" if x < 0.4 else "right" if x > 0.6 else "centre"


class OtherPersonProbe:
    """Keeps a few frames during pose estimation; afterwards blanks the tracked body in
    each and looks for another pose with the bundled model (static image mode)."""

    def __init__(self, n_frames_hint: int, samples: int = PROBE_SAMPLES, max_side_px: int = 640):
        self.every = max(1, int(n_frames_hint) // max(1, samples))
        self.samples = samples
        self.max_side_px = max_side_px
        self.frames: list[tuple[int, np.ndarray]] = []

    def on_frame(self, index: int, bgr: np.ndarray) -> None:
        if len(self.frames) >= self.samples or index % self.every != self.every // 2:
            return
        h, w = bgr.shape[:2]
        s = min(1.0, self.max_side_px / max(h, w))
        small = cv2.resize(bgr, (max(1, round(w * s)), max(1, round(h * s)))) if s < 1 else bgr.copy()
        self.frames.append((index, small))

    def run(self, pose: PoseSeries) -> tuple[int, int]:
        """(frames probed, frames where another person was found)."""
        probed = seen = 0
        if not self.frames:
            return 0, 0
        try:
            est = BundledPoseEstimator(static_image_mode=True)
        except Exception:  # noqa: BLE001 - the probe is optional: no verdict rather than a failure
            return 0, 0
        with est:
            W, H = pose.frame_size_px
            for index, img in self.frames:
                if index >= len(pose) or not pose.found[index]:
                    continue
                h, w = img.shape[:2]
                sx, sy = w / max(1, W), h / max(1, H)
                pts = pose.xy_px[index]
                pts = pts[np.isfinite(pts).all(axis=1)]
                if pts.size == 0:
                    continue
                x0, y0 = pts.min(axis=0)
                x1, y1 = pts.max(axis=0)
                mx, my = PROBE_MARGIN * (x1 - x0) + 10, PROBE_MARGIN * (y1 - y0) + 10
                a = (int(max(0, (x0 - mx) * sx)), int(max(0, (y0 - my) * sy)))
                b = (int(min(w, (x1 + mx) * sx)), int(min(h, (y1 + my) * sy)))
                masked = img.copy()
                masked[a[1] : b[1], a[0] : b[0]] = np.median(img.reshape(-1, 3), axis=0).astype(np.uint8)
                found = est.process(cv2.cvtColor(masked, cv2.COLOR_BGR2RGB), 0.0)
                probed += 1
                if found is None:
                    continue
                core = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.NOSE]
                vis = float(np.mean(found.visibility[core]))
                cx, cy = np.mean(found.xy_px[core], axis=0)
                inside = a[0] <= cx <= b[0] and a[1] <= cy <= b[1]
                if vis >= PROBE_MIN_VISIBILITY and not inside:
                    seen += 1
        return probed, seen


def people_message(info: PeopleInfo) -> str | None:
    if not info.multiple:
        return None
    where = f" (the person on the {info.main_side} of the frame)" if info.main_side in ("left", "right") else ""
    if info.switches and info.n_people_tracked > 1:
        return (
            f"Several people are in view: the pose tracker switched between people {len(info.switches)} time"
            f"{'s' if len(info.switches) != 1 else ''}. The analysis follows the main jumper{where}, tracked in "
            f"{100 * info.main_share:.0f}% of the frames with a person, and leaves out the frames of the others. "
            "For a full analysis, film the jumper alone."
        )
    return (
        f"Another person is in view (seen in {info.other_seen} of {info.probed} sampled frames). The analysis "
        f"follows one jumper throughout{where}; check on the overlay that it is the right person, or film the "
        "jumper alone."
    )
