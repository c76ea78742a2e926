"""Small validated data types passed between the stages.

Every array names its axes and units: ``t_s[T]`` seconds, ``xy_px[T, 33, 2]`` image
pixels (x right, y down), ``world_m[T, 33, 3]`` metres (MediaPipe's hip-centred world
frame, y down), ``visibility[T, 33]`` in [0, 1]. Missing values are NaN, never zeros.
Constructors check shapes and say what was expected and what came.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np

from .pose.landmarks import N_LANDMARKS


class AnalysisError(ValueError):
    """Input that cannot be analysed; the message says what was wrong and what to do."""


class Verdict(str, Enum):
    """A rule's verdict on a jump, a frame or a clip. A ``str`` underneath, so JSON, CSV
    and the page keep the plain strings ``"pass"``, ``"borderline"``, ``"fault"``, ``"na"``."""

    PASS = "pass"
    BORDERLINE = "borderline"  # within the measurement's uncertainty of the threshold
    FAULT = "fault"  # past the threshold by more than the measurement's uncertainty
    NA = "na"  # not assessable, always with the reason
    INFO = "info"  # session advice that is neither a pass nor a fault
    NONE = ""  # no verdict at this frame (between jumps)

    __hash__ = str.__hash__  # a key "pass" and Verdict.PASS find the same dict entry

    def __str__(self) -> str:
        return self.value


class NoticeKind(str, Enum):
    """What a notice is about; the kind decides whether the results are partial."""

    FPS_ASSUMED = "fps_assumed"  # no usable frame rate: timing is not trustworthy
    FPS_FROM_TIMESTAMPS = "fps_from_timestamps"
    CLIP_CUT = "clip_cut"  # longer than max_minutes: only the first part analysed
    FRAMES_MISSING = "frames_missing"  # truncated or damaged file: part of it decoded
    SOUNDTRACK_UNREADABLE = "soundtrack_unreadable"  # landing sounds not assessed
    SEVERAL_PEOPLE = "several_people"
    NO_JUMPS_FEET_OUT = "no_jumps_feet_out"
    NO_SKIPPING = "no_skipping"
    FEET_OUT_OF_FRAME = "feet_out_of_frame"
    JUMPER_ABSENT = "jumper_absent"  # stretches without anyone in view (details; the share is POSE_SPARSE)
    COUNTS_DISAGREE = "counts_disagree"  # sound and video counts differ
    POSE_SPARSE = "pose_sparse"  # a person in under 80 % of the frames
    SLOW_MOTION = "slow_motion"  # the clip is slowed down: durations are corrected
    MAYBE_SLOW_MOTION = "maybe_slow_motion"  # gravity hints at slow motion, not conclusively: not corrected
    NOT_COUNTED = "not_counted"  # stretches of jumping without evidence of a rope
    CAMERA_SHAKE = "camera_shake"  # the camera shook: jumps read with the shake taken out
    #: counted runs whose rope rests on a sign that a movement without one shows as well from this view
    ROPE_UNCONFIRMED = "rope_unconfirmed"
    #: the jumper too small in the frame for the pose model's detector: found and followed on part of it
    JUMPER_SMALL = "jumper_small"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


#: Kinds whose notice means the results cover only part of the clip or of the checks.
PARTIAL_KINDS = frozenset(
    {
        NoticeKind.FPS_ASSUMED,
        NoticeKind.CLIP_CUT,
        NoticeKind.FRAMES_MISSING,
        NoticeKind.SEVERAL_PEOPLE,
        NoticeKind.NO_JUMPS_FEET_OUT,
        NoticeKind.FEET_OUT_OF_FRAME,
        NoticeKind.POSE_SPARSE,
    }
)


@dataclass(frozen=True)
class Notice:
    """What did not hold in the input, and what still does: one sentence for the user."""

    kind: NoticeKind
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", NoticeKind(self.kind))
        if not self.text:
            raise ValueError(f"Notice {self.kind.value}: expected a sentence, got an empty text")

    @property
    def partial(self) -> bool:
        """The results are partial because of this notice."""
        return self.kind in PARTIAL_KINDS


def _check_shape(name: str, arr: np.ndarray, shape: tuple[int | None, ...]) -> None:
    ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
    if not ok:
        want = "[" + ", ".join("*" if s is None else str(s) for s in shape) + "]"
        raise ValueError(f"{name}: expected shape {want}, got {list(arr.shape)}")


@dataclass(frozen=True)
class VideoMeta:
    """What the container says about a clip, after rotation is applied.

    ``fps`` is a float (29.97 is not 29). ``n_frames`` is the container's estimate;
    the reader's per-frame timestamps are the truth.
    """

    path: str
    width_px: int
    height_px: int
    fps: float
    n_frames: int
    duration_s: float
    rotation_deg: int = 0
    codec: str = ""
    has_audio: bool | None = None
    #: Where ``fps`` comes from: "container" (the header), "timestamps" (the header's rate
    #: was missing or implausible; recovered from frame timestamps) or "assumed" (neither
    #: gave one: a nominal rate is used, so timing-based results are not trustworthy).
    fps_source: str = "container"

    def __post_init__(self) -> None:
        if self.width_px <= 0 or self.height_px <= 0:
            raise ValueError(f"frame size must be positive, got {self.width_px}x{self.height_px}")
        if not (np.isfinite(self.fps) and self.fps > 0):
            raise ValueError(f"fps must be a positive number, got {self.fps!r}")

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class PoseSeries:
    """Pose of one person per frame.

    Attributes:
        t_s: [T] frame timestamps in seconds (strictly increasing).
        xy_px: [T, 33, 2] image landmarks in pixels (NaN where no pose).
        world_m: [T, 33, 3] world landmarks in metres, hip-centred (NaN where no pose).
        visibility: [T, 33] landmark visibility in [0, 1] (0 where no pose).
        frame_size_px: (width, height) of the analysed frames.
        fps: nominal frame rate of the clip (for reference; use ``t_s`` for timing).
    """

    t_s: np.ndarray
    xy_px: np.ndarray
    world_m: np.ndarray
    visibility: np.ndarray
    frame_size_px: tuple[int, int]
    fps: float

    def __post_init__(self) -> None:
        t = np.asarray(self.t_s, dtype=float)
        n = t.shape[0] if t.ndim == 1 else -1
        _check_shape("t_s", t, (None,))
        _check_shape("xy_px", self.xy_px, (n, N_LANDMARKS, 2))
        _check_shape("world_m", self.world_m, (n, N_LANDMARKS, 3))
        _check_shape("visibility", self.visibility, (n, N_LANDMARKS))
        if n > 1 and not np.all(np.diff(t) > 0):
            raise ValueError("t_s: expected strictly increasing timestamps")
        if not (np.isfinite(self.fps) and self.fps > 0):
            raise ValueError(f"fps: expected a positive number, got {self.fps!r}")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def found(self) -> np.ndarray:
        """[T] bool: a pose was found in the frame."""
        return np.isfinite(self.xy_px[:, :, 0]).any(axis=1)

    def slice(self, start: int, stop: int) -> PoseSeries:
        return PoseSeries(
            self.t_s[start:stop],
            self.xy_px[start:stop],
            self.world_m[start:stop],
            self.visibility[start:stop],
            self.frame_size_px,
            self.fps,
        )

    @classmethod
    def empty(cls, t_s: np.ndarray, frame_size_px: tuple[int, int], fps: float) -> PoseSeries:
        n = len(t_s)
        return cls(
            np.asarray(t_s, dtype=float),
            np.full((n, N_LANDMARKS, 2), np.nan),
            np.full((n, N_LANDMARKS, 3), np.nan),
            np.zeros((n, N_LANDMARKS)),
            frame_size_px,
            fps,
        )

    @classmethod
    def concatenate(cls, parts: list[PoseSeries]) -> PoseSeries:
        if not parts:
            raise ValueError("concatenate: expected at least one PoseSeries")
        return cls(
            np.concatenate([p.t_s for p in parts]),
            np.concatenate([p.xy_px for p in parts]),
            np.concatenate([p.world_m for p in parts]),
            np.concatenate([p.visibility for p in parts]),
            parts[0].frame_size_px,
            parts[0].fps,
        )


@dataclass(frozen=True)
class Scale:
    """Pixels to centimetres, from the jumper's standing height.

    ``cm_per_px`` is for the vertical image axis at the jumper's distance; its relative
    uncertainty combines the height input, the anthropometric ratio and the spread of
    the measured body height in pixels.
    """

    cm_per_px: float
    cm_per_px_uncertainty: float
    body_height_px: float
    standing_height_cm: float
    height_was_given: bool
    frames_used: int
    method: str

    @property
    def relative_uncertainty(self) -> float:
        return self.cm_per_px_uncertainty / self.cm_per_px if self.cm_per_px else float("nan")


@dataclass(frozen=True)
class TimeScale:
    """How much slower than real time a clip plays (1 = real time; 4 = 4x slow motion).

    ``source``: "real time" (checked against gravity, or assumed where it could not be),
    "estimated" (gravity), "rhythm" (a lower bound: jumps too far apart for real skipping)
    or "user" (stated). ``estimate`` and ``uncertainty`` are gravity's reading (NaN where
    none could be made); ``note`` says it in one sentence for the report.

    ``rhythm_hint``: on a real-time verdict, the least factor that a stretch of jumping with a
    turning rope implies where its jumps are further apart than real skipping allows but the
    clip could not confirm the flights that make it slow motion (the feet hidden, too few
    jumps): the clip may be slow motion by at least this much. NaN otherwise.

    ``slow_beat_s``: on a real-time verdict, the beat of the longest stretch where the body
    rises and falls steadily, slower than any skipping (``measure.jumps.MAX_INTERVAL_S``
    between jumps), with no rope confirmed turning with it: a slow movement without a rope
    (tuck jumps, squats), or skipping filmed in slow motion that the clip cannot tell as
    such. ``slow_beat_note`` says what was seen there, in a phrase. NaN and "" otherwise."""

    factor: float
    source: str
    estimate: float
    uncertainty: float
    n_jumps: int
    note: str
    rhythm_hint: float = float("nan")
    slow_beat_s: float = float("nan")
    slow_beat_note: str = ""

    def __post_init__(self) -> None:
        if not (np.isfinite(self.factor) and self.factor > 0):
            raise ValueError(f"TimeScale.factor: expected a positive number, got {self.factor!r}")
        if self.source not in ("real time", "estimated", "rhythm", "user"):
            raise ValueError(f"TimeScale.source: expected real time, estimated, rhythm or user, got {self.source!r}")

    @classmethod
    def real_time(cls, note: str) -> TimeScale:
        return cls(1.0, "real time", float("nan"), float("nan"), 0, note)

    @property
    def slowed(self) -> bool:
        return self.factor != 1.0


@dataclass(frozen=True)
class Cue:
    """One piece of evidence about a turning rope: "for" it, "against" it, "none" (looked
    for, not found) or "unknown" (could not be looked for), with its strength (0-1) and
    what was measured."""

    name: str
    verdict: str
    strength: float
    detail: str


@dataclass(frozen=True)
class RunEvidence:
    """Whether a stretch of rhythmic jumping was rope skipping, and on what evidence."""

    start_s: float
    end_s: float
    accepted: bool
    reason: str
    cues: tuple[Cue, ...]
    turns_per_jump: float  # from the hands: 1, 2, or NaN
    rope_passes: tuple[int, ...] = ()  # per candidate jump: passes of the rope seen (-1 unknown)
    #: Why none of the stretch's bounces was counted although its rope evidence held ("" where
    #: some were, or where the evidence did not hold): a rope turning is no count by itself.
    uncounted: str = ""

    @property
    def counted(self) -> bool:
        """Jumps were counted on this stretch."""
        return self.accepted and not self.uncounted

    def cue(self, name: str) -> Cue | None:
        return next((c for c in self.cues if c.name == name), None)


@dataclass(frozen=True)
class JumpEvent:
    """One jump (a take-off while skipping): frames are 0-based indices into the clip."""

    index: int
    takeoff_frame: int
    apex_frame: int
    landing_frame: int
    takeoff_s: float
    apex_s: float
    landing_s: float
    flight_s: float
    contact_before_s: float  # ground contact before this take-off (NaN for the first jump of a run)
    height_cm_displacement: float  # foot clearance from the feet's displacement, scaled to cm
    height_cm_flight_time: float  # from flight time, h = g t^2 / 8
    height_uncertainty_cm: float  # of the flight-time height: timing, the feet's error, an estimated slow-motion factor
    lr_touchdown_gap_s: float  # |left - right| touchdown time (NaN if unknown)
    lr_height_diff_cm: float  # left minus right peak clearance (NaN if unknown)
    foot: str  # "both", "left", "right"
    style: str  # "two_foot", "alternate", "double_under", "unknown"
    run: int  # index of the run of continuous skipping this jump belongs to
    #: The jump's height: the two estimates' inverse-variance mean where they agree (NaN
    #: where they disagree or neither was measured), its 1-sigma uncertainty, and why.
    height_cm: float = float("nan")
    height_sigma_cm: float = float("nan")
    #: ok | disagree | displacement only | flight time only | toes hidden (from behind: the
    #: flight time's alone) | rise cut (the cleaning cut the top of the feet's rise: the flight
    #: time's alone) | flight not measurable | feet not visible | not measured
    height_status: str = "not measured"
    height_displacement_sigma_cm: float = float("nan")
    #: Rope passes seen in the pixels during this jump's cycle (-1: could not be looked for).
    rope_passes_seen: int = -1


@dataclass(frozen=True)
class Run:
    """A stretch of continuous skipping (between breaks)."""

    start_s: float
    end_s: float
    n_jumps: int
    start_frame: int
    end_frame: int


@dataclass(frozen=True)
class JumpAnalysis:
    """Every jump of a clip, its runs and cadence (``measure/jumps/``)."""

    jumps: Sequence[JumpEvent]  # stored as tuples (frozen)
    runs: Sequence[Run]
    active_time_s: float
    jumps_per_minute: float  # over active time
    cadence_windows: Sequence[tuple[float, float, float]]  # (start_s, end_s, jumps per minute) per 10 s window
    styles: dict[str, int]
    rope_evidence: str  # why skipping was (or was not) accepted
    notes: Sequence[str] = ()
    #: How much slower than real time the clip plays (slow motion), and how that was decided.
    time_scale: TimeScale = field(default_factory=lambda: TimeScale.real_time("not checked"))
    #: The evidence for and against a turning rope, per stretch of rhythmic jumping (counted or not).
    run_evidence: Sequence[RunEvidence] = ()

    def __post_init__(self) -> None:
        for name in ("jumps", "runs", "cadence_windows", "notes", "run_evidence"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def count(self) -> int:
        return len(self.jumps)
