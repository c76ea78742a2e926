"""Camera view and capture quality: what this clip can support.

The view comes from the body's proportions in the image: facing the camera the
shoulders span about 0.6-0.9 of the trunk's length; side-on they nearly overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..pose.landmarks import Landmark as L

#: Body yaw (deg) below which the view is "front", above which "side"; between: oblique.
FRONT_MAX_YAW_DEG = 15.0
SIDE_MIN_YAW_DEG = 55.0
#: Fallback cue: shoulder width / trunk length above which the view is "front", below which "side"
#: (measured on the shared clips: front views 0.57-0.83, the side-view clip 0.31).
FRONT_MIN_RATIO = 0.45
SIDE_MAX_RATIO = 0.35
#: Mean luma (0-255) under which footage is too dark for reliable landmarks.
DARK_LUMA = 40.0
#: Variance of the Laplacian under which a frame is blurred (at 360p-scaled frames).
#: Sharp shared clips measure 200-5000; a Gaussian blur of sigma 4 on a 360p clip, 16.
#: Dark footage has a low value for lack of contrast, so the warning is only given when
#: the footage is not dark (the dark warning covers it).
BLUR_LAPLACIAN_VAR = 40.0
#: A jumper smaller than this share of the frame height gives coarse landmarks.
MIN_PERSON_FRACTION = 0.25


@dataclass(frozen=True)
class Quality:
    """What the footage supports: view, how much of the body is in frame, light and
    sharpness, and the warnings and limits that follow (built once by :func:`assess_quality`)."""

    view: str  # "front", "side", "oblique", "unknown"
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
    body_yaw_deg: float = float("nan")  # 0 = facing the camera, 90 = side-on
    warnings: tuple[str, ...] = ()
    supports: dict[str, str] = field(default_factory=dict)  # measurement -> "yes" or the reason it is not supported

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings))


@dataclass(frozen=True)
class ViewEstimate:
    view: str  # "front", "side", "oblique", "unknown"
    body_yaw_deg: float  # 0 = facing the camera, 90 = side-on (from the world landmarks)
    shoulder_to_trunk_ratio: float  # image cue, the fallback


def classify_view(xy_px: np.ndarray, world_m: np.ndarray | None = None) -> ViewEstimate:
    """Camera view from the body's yaw against the camera.

    Primary cue: the yaw of the shoulder and hip lines in MediaPipe's world landmarks
    (their depth difference against their width), which measured 1-7 deg on the shared
    front clips, 22 deg on the slightly oblique one, 66 deg on the side clip, and 4, 33
    and 87 deg on the synthetic front, oblique (45 deg) and side clips. Fallback when
    the world landmarks are missing: shoulder width against trunk length in the image.
    """
    sw = np.linalg.norm(xy_px[:, L.LEFT_SHOULDER] - xy_px[:, L.RIGHT_SHOULDER], axis=-1)
    hip = (xy_px[:, L.LEFT_HIP] + xy_px[:, L.RIGHT_HIP]) / 2
    sho = (xy_px[:, L.LEFT_SHOULDER] + xy_px[:, L.RIGHT_SHOULDER]) / 2
    trunk = np.linalg.norm(sho - hip, axis=-1)
    with np.errstate(all="ignore"):
        r = sw / trunk
    r = r[np.isfinite(r)]
    ratio = float(np.median(r)) if r.size else float("nan")
    yaw = float("nan")
    if world_m is not None:
        yaws = []
        for a, b in ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP)):
            d = world_m[:, a] - world_m[:, b]
            y = np.degrees(np.arctan2(np.abs(d[:, 2]), np.abs(d[:, 0])))
            yaws.append(y[np.isfinite(y)])
        both = np.concatenate(yaws)
        if both.size:
            yaw = float(np.median(both))
    if np.isfinite(yaw):
        view = "front" if yaw < FRONT_MAX_YAW_DEG else "side" if yaw > SIDE_MIN_YAW_DEG else "oblique"
    elif np.isfinite(ratio):
        view = "front" if ratio >= FRONT_MIN_RATIO else "side" if ratio <= SIDE_MAX_RATIO else "oblique"
    else:
        view = "unknown"
    return ViewEstimate(view, yaw, ratio)


def feet_visible(xy: np.ndarray, vis: np.ndarray, w: int, h: int) -> np.ndarray:
    """[T] bool: at least one foot (heel, toe and ankle) inside the frame and visible. In a
    side view the far foot hides behind the near one; the near foot shows the landing."""
    left = _in_frame(xy, vis, [L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE], w, h)
    right = _in_frame(xy, vis, [L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE], w, h)
    return left | right


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
    estimate: ViewEstimate | None = None,
    several_people: bool = False,
) -> Quality:
    """Capture quality of a clip from its landmarks and the sampled brightness and
    sharpness; ``several_people``: someone besides the jumper was seen (``pose/people.py``)."""
    w, h = frame_size_px
    found = np.isfinite(xy_px[:, :, 0]).any(axis=1)
    n = max(1, len(found))
    estimate = estimate or classify_view(xy_px)
    view, ratio = estimate.view, estimate.shoulder_to_trunk_ratio
    source = "auto"
    if view_override in ("front", "side", "oblique"):
        view, source = view_override, "user"
    feet = feet_visible(xy_px, visibility, w, h)
    hands = _in_frame(xy_px, visibility, [L.LEFT_WRIST], w, h) | _in_frame(xy_px, visibility, [L.RIGHT_WRIST], w, h)
    nf = max(1, int(found.sum()))
    pose_found_pct = 100.0 * found.sum() / n
    feet_pct = 100.0 * (feet & found).sum() / nf
    hands_pct = 100.0 * (hands & found).sum() / nf
    person_fraction = float(body_height_px / h) if np.isfinite(body_height_px) else float("nan")
    wn: list[str] = []
    if pose_found_pct < 50:
        wn.append(f"a person was found in only {pose_found_pct:.0f}% of frames: film the whole body, well lit")
    if fps < 24:
        wn.append(
            f"low frame rate ({fps:.1f} fps): timing and height are coarse; record at 30 fps or more (60 is better)"
        )
    if feet_pct < 80:
        wn.append(f"feet in frame in only {feet_pct:.0f}% of frames: landing checks are limited; keep the feet in view")
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
    side_ok = view in ("side", "oblique")
    front_ok = view in ("front", "oblique")
    supports = {
        "jump count": "yes" if pose_found_pct >= 50 else "too few frames with a person",
        "jump height": "yes" if feet_pct >= 80 else "feet leave the frame",
        "trunk lean, head and heel checks": "yes" if side_ok else f"need a side or oblique view (this clip: {view})",
        "elbow flare and foot symmetry": "yes" if front_ok else f"need a front or oblique view (this clip: {view})",
    }
    return Quality(
        view=view,
        view_source=source,
        shoulder_to_trunk_ratio=ratio,
        body_yaw_deg=estimate.body_yaw_deg,
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
