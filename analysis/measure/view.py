"""Camera view and capture quality: what this clip can support.

The view is the camera's yaw relative to the body, a continuous angle with its
uncertainty (:func:`estimate_view`); the sector names (front, oblique, side, back) are
for people.

Two cues, combined:

* **world landmarks** -- MediaPipe's 3D shoulder and hip lines in its camera-aligned
  frame: their angle in the horizontal plane is the body's yaw, with the sign and the
  front/back distinction. MediaPipe compresses depth, so oblique views read a little
  low (33 deg for a 45 deg synthetic camera).
* **image proportions** -- the shoulders' width against the trunk's length falls as
  ``|cos(yaw)|``: facing the camera about 0.72 (Drillis & Contini), side-on about 0.
  The fallback where the world landmarks are missing.

Rules need the angle for geometry, not the labels: an elbow's distance from the trunk
shrinks as ``|cos(yaw)|`` in the image, a forward lean as ``|sin(yaw)|``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..pose.landmarks import Landmark as L
from .scale import floor_line_y

#: Mean luma (0-255) under which footage is too dark for reliable landmarks.
DARK_LUMA = 40.0
#: Variance of the Laplacian under which a frame is blurred (at 360p-scaled frames).
#: Sharp shared clips measure 200-5000; a Gaussian blur of sigma 4 on a 360p clip, 16.
#: Dark footage has a low value for lack of contrast, so the warning is only given when
#: the footage is not dark (the dark warning covers it).
BLUR_LAPLACIAN_VAR = 40.0
#: A jumper smaller than this share of the frame height gives coarse landmarks.
MIN_PERSON_FRACTION = 0.25
#: Under this frame rate the timing is coarse and the fastest skipping cannot be followed:
#: 24 fps is the lowest rate video is made at (film), and its half, 12 a second, is above the
#: fastest speed steps (about 7 a second, ``jumps.trains.MAX_RATE_HZ``) with room for the
#: rope's two passes in a double-under's longer cycle.
LOW_FPS = 24.0
#: Where the frame cuts the feet off, the pose model still places their landmarks, just inside
#: the bottom edge and with a high visibility: on the development seeds (1000-1159, 1920-1959;
#: ``python -m bench.feet_edge``, ``bench/RESULTS.md`` "Feet at the frame's edge") over half
#: of the heels and toes read within 0.02 of stature of the edge were cut-off feet, and some
#: were read 0.05 in. A foot counts as seen only where the floor it stands on (its lowest
#: point over a few jumps) is this share of stature above the bottom edge. The smallest margin
#: tried that takes under one cut-off frame in a thousand as seen there (4 of 11,549; 13 at
#: 0.005), while each larger one only loses feet in view (3.7 % of their frames at 0.01, 8.9 %
#: at 0.05). It is judged on the floor, not on each frame's feet: feet standing in the band and
#: rising out of it in flight would otherwise be seen only in the air, their rise read from
#: the band's top (tried first, with 0.05 on each frame's feet: development seed 1127's jumps
#: of 18-20 cm read 3-10 cm).
FEET_EDGE_MARGIN_FRAC = 0.01


@dataclass(frozen=True)
class Quality:
    """What the footage supports: view, how much of the body is in frame, light and
    sharpness, and the warnings and limits that follow (built once by :func:`assess_quality`)."""

    view: str  # "front", "oblique", "side", "back", "unknown" (the sector of ``view_yaw_deg``)
    view_source: str  # "auto" or "user"
    shoulder_to_trunk_ratio: float
    fps: float
    pose_found_pct: float
    feet_in_frame_pct: float
    hands_in_frame_pct: float
    person_height_px: float
    person_height_fraction: float
    mean_luma: float
    sharpness: float
    multiple_people: str  # "no", "possible", "unknown"
    #: The camera's direction relative to the body (``ViewAngle``): 0 = the camera faces the
    #: jumper's front, +-90 = side, 180 = behind; with its 1-sigma uncertainty.
    view_yaw_deg: float = float("nan")
    view_yaw_sigma_deg: float = float("nan")
    warnings: tuple[str, ...] = ()
    supports: dict[str, str] = field(default_factory=dict)  # measurement -> "yes" or the reason it is not supported

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @property
    def view_angle(self) -> ViewAngle:
        return ViewAngle(self.view_yaw_deg, self.view_yaw_sigma_deg, self.view, float("nan"), float("nan"))


#: Shoulder joints' separation over the trunk's length facing the camera (0.80 x 0.259 H
#: over 0.288 H; Drillis & Contini 1966 via Winter 2009).
FRONT_SHOULDER_TO_TRUNK = 0.72
#: Model error of the yaw estimate (1 sigma, deg): MediaPipe's depth is a guess from one
#: camera. Measured on the fixed synthetic suite: 4-6 deg off in front and side views, 8-12
#: deg low in oblique ones (depth compressed); 12 deg covers them.
YAW_MODEL_SIGMA_DEG = 12.0
#: A view the user states stands for this yaw (the middle of its sector).
USER_VIEW_YAW_DEG = {"front": 0.0, "oblique": 45.0, "side": 90.0, "back": 180.0}
#: A quantity in the body's forward-backward plane shows in the image scaled by |sin(yaw)|,
#: one across the body by |cos(yaw)|; below half its size (yaw within 30 deg of the axis that
#: hides it) the view cannot assess it (rules, ``supports``).
MIN_PROJECTION = 0.5
#: Named sectors, for people (rules use the angle): front up to 22.5 deg off the camera
#: axis, side within 22.5 deg of 90, back beyond 157.5, oblique between.
SECTOR_HALF_WIDTH_DEG = 22.5
#: A camera beyond the side sector (``|yaw|`` > 90 + 22.5 deg) is behind the jumper: the face
#: and the toes are turned away from it and the pose model guesses their landmarks (the nose
#: and eyes behind the head, the toes behind the heels). Measured on development seeds (v3
#: renderer): the toe landmark rose 4-11 cm for 2 cm jumps at yaw 140-171 deg, within 1 cm
#: of the truth at 90-111 deg; the head's pitch read 54 deg for an upright head at 139 deg.
FACING_AWAY_MIN_YAW_DEG = 90.0 + SECTOR_HALF_WIDTH_DEG


def facing_away(yaw_deg: float) -> bool:
    """The camera is behind the jumper (``FACING_AWAY_MIN_YAW_DEG``): face and toes hidden
    (False for an unknown yaw, NaN)."""
    return bool(abs(yaw_deg) > FACING_AWAY_MIN_YAW_DEG)


@dataclass(frozen=True)
class ViewAngle:
    yaw_deg: float  # (-180, 180]; NaN when unknown
    sigma_deg: float  # 1 sigma
    label: str  # "front", "oblique", "side", "back", "unknown"
    world_yaw_deg: float  # the world-landmark cue alone
    image_abs_yaw_deg: float  # the image-proportion cue alone (0-90, no sign)

    @property
    def abs_yaw_deg(self) -> float:
        """0 (facing the camera) to 180 (back to the camera)."""
        return abs(self.yaw_deg)

    @property
    def facing_away(self) -> bool:
        """The camera is behind the jumper: face and toes hidden (:func:`facing_away`)."""
        return facing_away(self.yaw_deg)

    @property
    def side_factor(self) -> float:
        """|sin(yaw)|: how much of a forward-backward offset the image shows."""
        return float(abs(np.sin(np.radians(self.yaw_deg)))) if np.isfinite(self.yaw_deg) else float("nan")

    @property
    def front_factor(self) -> float:
        """|cos(yaw)|: how much of a sideways (left-right) offset the image shows."""
        return float(abs(np.cos(np.radians(self.yaw_deg)))) if np.isfinite(self.yaw_deg) else float("nan")

    def to_dict(self) -> dict:
        return {
            "yaw_deg": self.yaw_deg,
            "sigma_deg": self.sigma_deg,
            "label": self.label,
            "world_yaw_deg": self.world_yaw_deg,
            "image_abs_yaw_deg": self.image_abs_yaw_deg,
        }


def label_for(abs_yaw: float) -> str:
    if not np.isfinite(abs_yaw):
        return "unknown"
    if abs_yaw <= SECTOR_HALF_WIDTH_DEG:
        return "front"
    if abs_yaw >= 180.0 - SECTOR_HALF_WIDTH_DEG:
        return "back"
    if abs(abs_yaw - 90.0) <= SECTOR_HALF_WIDTH_DEG:
        return "side"
    return "oblique"


def shoulder_to_trunk_ratio(xy_px: np.ndarray) -> float:
    """Median image width of the shoulders over the trunk's length (about 0.72 facing the
    camera, about 0 side-on)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sw = np.linalg.norm(xy_px[:, L.LEFT_SHOULDER] - xy_px[:, L.RIGHT_SHOULDER], axis=-1)
        hip = np.nanmean(xy_px[:, [L.LEFT_HIP, L.RIGHT_HIP]], axis=1)
        sho = np.nanmean(xy_px[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]], axis=1)
        ratio = sw / np.linalg.norm(sho - hip, axis=-1)
    ratio = ratio[np.isfinite(ratio)]
    return float(np.median(ratio)) if ratio.size else float("nan")


def stated_view(label: str) -> ViewAngle:
    """The view the user stated, as a nominal yaw with the width of its sector as uncertainty."""
    yaw = USER_VIEW_YAW_DEG[label]
    return ViewAngle(yaw, SECTOR_HALF_WIDTH_DEG, label_for(abs(yaw)), float("nan"), float("nan"))


def _circular_median_deg(a: np.ndarray) -> tuple[float, float]:
    """(centre, robust spread) of angles in degrees on the circle."""
    a = a[np.isfinite(a)]
    if a.size == 0:
        return float("nan"), float("nan")
    mean = np.degrees(np.angle(np.mean(np.exp(1j * np.radians(a)))))
    dev = (a - mean + 180.0) % 360.0 - 180.0
    centre = mean + float(np.median(dev))
    spread = 1.4826 * float(np.median(np.abs(dev - np.median(dev))))
    return float((centre + 180.0) % 360.0 - 180.0), spread


def estimate_view(xy_px: np.ndarray, world_m: np.ndarray | None) -> ViewAngle:
    """The camera's yaw relative to the body over a clip (median over frames)."""
    ratio = shoulder_to_trunk_ratio(xy_px)
    img = (
        float(np.degrees(np.arccos(np.clip(ratio / FRONT_SHOULDER_TO_TRUNK, 0.0, 1.0))))
        if np.isfinite(ratio)
        else float("nan")
    )
    world = float("nan")
    spread = float("nan")
    if world_m is not None and np.isfinite(world_m).any():
        per_frame = []
        for a, b in ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP)):
            d = world_m[:, a] - world_m[:, b]
            # The person's left-to-right axis in the camera frame (x right, z away): facing the
            # camera it points along +x; its angle toward -z (the left side nearer) is the yaw.
            per_frame.append(np.degrees(np.arctan2(-d[:, 2], d[:, 0])))
        world, spread = _circular_median_deg(np.concatenate(per_frame))
    yaw = world if np.isfinite(world) else img
    sigma = float(np.hypot(YAW_MODEL_SIGMA_DEG, spread if np.isfinite(spread) else 0.0))
    return ViewAngle(float(yaw), sigma, label_for(abs(yaw)), world, img)


def feet_visible(
    xy: np.ndarray, vis: np.ndarray, w: int, h: int, body_height_px: float = float("nan"), fps: float = float("nan")
) -> np.ndarray:
    """[T] bool: at least one foot (heel, toe and ankle) inside the frame and visible. In a
    side view the far foot hides behind the near one; the near foot shows the landing.

    ``body_height_px``: the jumper's stature in pixels; ``fps``: the frame rate. A foot then
    counts as seen only where the floor it stands on (``scale.floor_line_y``, its lowest point
    over a few jumps) is ``FEET_EDGE_MARGIN_FRAC`` of stature or more above the bottom edge:
    the pose model reads a foot the frame cut off in that band, and a foot seen only while it
    is in the air above it would give its rise from a floor that may be a guess. Without
    them (NaN) the frame's edges are the limit."""
    left = _in_frame(xy, vis, [L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE], w, h)
    right = _in_frame(xy, vis, [L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE], w, h)
    feet = left | right
    margin = FEET_EDGE_MARGIN_FRAC * body_height_px if np.isfinite(body_height_px) and body_height_px > 0 else 0.0
    if margin > 0 and np.isfinite(fps) and fps > 0 and feet.any():
        floor = floor_line_y(np.where(feet[:, None, None], xy, np.nan), fps)
        with np.errstate(invalid="ignore"):
            feet &= floor < h - margin
    return feet


def _in_frame(xy: np.ndarray, vis: np.ndarray, lms: list[L], w: int, h: int) -> np.ndarray:
    p = xy[:, lms]
    inside = (p[..., 0] >= 0) & (p[..., 0] < w) & (p[..., 1] >= 0) & (p[..., 1] < h) & (vis[:, lms] >= 0.5)
    return inside.all(axis=1)


#: The warning given when several people are in view.
SEVERAL_PEOPLE_WARNING = "several people in view: film the jumper alone for a full analysis"


def assess_quality(
    xy_px: np.ndarray,
    visibility: np.ndarray,
    frame_size_px: tuple[int, int],
    fps: float,
    body_height_px: float,
    luma: float,
    sharpness: float,
    view_override: str = "auto",
    estimate: ViewAngle | None = None,
    several_people: bool = False,
) -> Quality:
    """Capture quality of a clip from its landmarks and the sampled brightness and
    sharpness; ``several_people``: someone besides the jumper was seen (``pose/people.py``)."""
    w, h = frame_size_px
    found = np.isfinite(xy_px[:, :, 0]).any(axis=1)
    n = max(1, len(found))
    estimate = estimate or estimate_view(xy_px, None)
    ratio = shoulder_to_trunk_ratio(xy_px)
    source = "auto"
    if view_override in USER_VIEW_YAW_DEG:
        estimate, source = stated_view(view_override), "user"
    view = estimate.label
    feet = feet_visible(xy_px, visibility, w, h, body_height_px, fps)
    hands = _in_frame(xy_px, visibility, [L.LEFT_WRIST], w, h) | _in_frame(xy_px, visibility, [L.RIGHT_WRIST], w, h)
    nf = max(1, int(found.sum()))
    pose_found_pct = 100.0 * found.sum() / n
    feet_pct = 100.0 * (feet & found).sum() / nf
    hands_pct = 100.0 * (hands & found).sum() / nf
    person_fraction = float(body_height_px / h) if np.isfinite(body_height_px) else float("nan")
    wn: list[str] = []
    if pose_found_pct < 50:
        wn.append(f"a person was found in only {pose_found_pct:.0f}% of frames: film the whole body, well lit")
    if fps < LOW_FPS:
        # A rhythm faster than half the frame rate cannot show in the frames at all (Nyquist):
        # speed steps reach about 7 a second (``trains.MAX_RATE_HZ``), beyond 10-15 fps.
        wn.append(
            f"low frame rate ({fps:.1f} fps): timing and height are coarse, and jumps or steps faster than "
            f"{fps / 2:.0f} a second (half the frame rate) cannot be followed at all; record at 30 fps or more "
            "(60 is better)"
        )
    if feet_pct < 80:
        wn.append(
            f"feet clear of the frame's edges in only {feet_pct:.0f}% of frames: landing checks are limited; "
            "keep the feet in view, with a little floor below them"
        )
    if hands_pct < 80:
        wn.append(f"hands in frame in only {hands_pct:.0f}% of frames: arm checks are limited")
    if np.isfinite(person_fraction) and person_fraction < MIN_PERSON_FRACTION:
        wn.append(f"the jumper fills only {100 * person_fraction:.0f}% of the frame height: move the camera closer")
    if np.isfinite(luma) and luma < DARK_LUMA:
        wn.append(f"footage is dark (mean brightness {luma:.0f}/255): add light")
    if np.isfinite(sharpness) and sharpness < BLUR_LAPLACIAN_VAR and not (np.isfinite(luma) and luma < DARK_LUMA):
        wn.append("footage is blurred: use a faster shutter or more light")
    if several_people:
        wn.append(SEVERAL_PEOPLE_WARNING)
    side_ok = estimate.side_factor >= MIN_PROJECTION if np.isfinite(estimate.side_factor) else False
    front_ok = estimate.front_factor >= MIN_PROJECTION if np.isfinite(estimate.front_factor) else False
    supports = {
        "jump count": "yes" if pose_found_pct >= 50 else "too few frames with a person",
        "jump height": "yes" if feet_pct >= 80 else "feet leave the frame",
        "trunk lean, head and heel checks": "yes" if side_ok else f"need a side or oblique view (this clip: {view})",
        "elbow flare and foot symmetry": "yes"
        if front_ok
        else f"need a front, back or oblique view (this clip: {view})",
    }
    return Quality(
        view=view,
        view_source=source,
        shoulder_to_trunk_ratio=ratio,
        view_yaw_deg=estimate.yaw_deg,
        view_yaw_sigma_deg=estimate.sigma_deg,
        fps=fps,
        pose_found_pct=pose_found_pct,
        feet_in_frame_pct=feet_pct,
        hands_in_frame_pct=hands_pct,
        person_height_px=float(body_height_px),
        person_height_fraction=person_fraction,
        mean_luma=luma,
        sharpness=sharpness,
        multiple_people="possible" if several_people else "unknown",
        warnings=tuple(wn),
        supports=supports,
    )
