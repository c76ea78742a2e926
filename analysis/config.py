"""User options of an analysis, and the one place for every rule threshold with its source.

Signal-processing constants live beside the code that uses them (``signals.py``,
``scale.py``, ``jumps.py``, ``view.py``), each with its reason; the technique rules'
thresholds are below in :data:`THRESHOLDS`, each with the article rule or the
measurement it comes from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

VIEWS = ("auto", "front", "side", "oblique")
STYLES = ("auto", "two_foot", "alternate")
ROPES = ("unknown", "weighted", "beaded", "speed", "cable", "other")
SURFACES = ("unknown", "mat", "wood", "rubber", "carpet", "concrete", "grass", "other")
#: Longest clip the page and the command line analyse (minutes); longer clips are cut
#: to this length and the report says so.
MAX_CLIP_MINUTES = 20.0


@dataclass(frozen=True)
class AnalysisConfig:
    """What the user tells us about the clip; everything has a sensible default."""

    standing_height_cm: float | None = None  # None: 170 cm default with +-10 cm uncertainty
    view: str = "auto"
    style: str = "auto"
    model_path: str | None = None  # a MediaPipe .task file; None: the bundled BlazePose Full
    rope: str = "unknown"
    surface: str = "unknown"
    back_pain: bool = False
    experienced: bool = False  # technique already solid (for rope advice)
    max_minutes: float = MAX_CLIP_MINUTES

    def __post_init__(self) -> None:
        for name, allowed in (("view", VIEWS), ("style", STYLES), ("rope", ROPES), ("surface", SURFACES)):
            v = getattr(self, name)
            if v not in allowed:
                raise ValueError(f"{name}: expected one of {', '.join(allowed)}, got {v!r}")
        h = self.standing_height_cm
        if h is not None and not (50.0 <= float(h) <= 250.0):
            raise ValueError(f"standing height: expected 50-250 cm, got {h!r}")
        if not (0 < self.max_minutes <= 600):
            raise ValueError(f"max_minutes: expected 0-600, got {self.max_minutes!r}")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Threshold:
    value: float
    unit: str
    reason: str
    source: str  # "article: <rule>", "measured: <what>", or a paper


@dataclass(frozen=True)
class Thresholds:
    """Every rule threshold, named; see :data:`THRESHOLDS`."""

    items: dict[str, Threshold] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.items[key].value

    def describe(self, key: str) -> Threshold:
        return self.items[key]


_A = "article"
THRESHOLDS = Thresholds(
    {
        # Posture: stand tall, shoulders back, chest up, eyes forward.
        "trunk_lean_max_deg": Threshold(
            12.0, "deg", "forward lean of the trunk beyond this is no longer 'standing tall'; "
            "quiet upright skipping on the shared side-view clip leans 2-8 deg", f"{_A}: posture (stand tall); measured: side_girl clip"),
        "neck_flexion_max_deg": Threshold(
            40.0, "deg", "ear far ahead of the trunk line = hunched, rounded shoulders and chest down",
            f"{_A}: posture (shoulders back, chest up); measured: upright clips 15-30 deg"),
        "head_pitch_max_deg": Threshold(
            35.0, "deg", "nose dropped this far below the ear line = looking down at the feet",
            f"{_A}: posture (eyes forward)"),
        "head_forward_max_cm": Threshold(
            12.0, "cm", "ear this far ahead of the shoulders = head pushed forward",
            f"{_A}: posture (eyes forward, neutral spine)"),
        # Core: tall and tight, protects the spine from rotation.
        "trunk_sway_max_deg": Threshold(
            10.0, "deg", "range of the trunk's angle within one jump; a braced core keeps it small",
            f"{_A}: core (brace lightly, tall and tight); measured: shared clips 2-7 deg"),
        "trunk_rotation_max": Threshold(
            0.25, "share", "relative change of the shoulder width within one jump (front view): the trunk twisting",
            f"{_A}: core (protects the spine from rotational forces)"),
        # Landing mechanics.
        "heel_above_toe_min_cm": Threshold(
            0.5, "cm", "at touchdown the heel must be above the toe to land on the ball of the foot",
            f"{_A}: landing (balls of the feet)"),
        "knee_locked_deg": Threshold(
            170.0, "deg", "a knee this straight at touchdown is locked; slightly bent is 150-170 deg",
            f"{_A}: landing (knees slightly bent, never locked)"),
        "jump_height_max_cm": Threshold(
            5.0, "cm", "jumps only as high as the rope needs; flagged when clearly above (beyond the "
            "measurement's own uncertainty)", f"{_A}: landing (2-5 cm jumps)"),
        "touchdown_gap_max_s": Threshold(
            0.05, "s", "both feet land together; a gap longer than this (or 1.5 frames) is a staggered landing",
            f"{_A}: landing (both legs absorb impact together); 1.5 frames at 30 fps"),
        "foot_height_diff_max_cm": Threshold(
            3.0, "cm", "one foot clearing the rope much higher than the other",
            f"{_A}: landing (both legs absorb impact together)"),
        "landing_force_max_bw": Threshold(
            4.0, "body weights", "peak deceleration of the hips after touchdown, as body weights (a/g + 1); "
            "soft skipping stays around 2-3.5", f"{_A}: landing (quiet, soft landings); video proxy"),
        # Arms.
        "upper_arm_abduction_max_deg": Threshold(
            30.0, "deg", "upper arm this far from the trunk = elbows out, away from the sides",
            f"{_A}: arms (elbows close to your sides)"),
        "wrist_out_max_cm": Threshold(
            25.0, "cm", "hands this far outside the hips (front view) = arms held wide",
            f"{_A}: arms (elbows close, hands at hip height)"),
        "hands_above_hip_max_cm": Threshold(
            20.0, "cm", "hands this far above the hips are at chest height", f"{_A}: arms (hands at hip height)"),
        "hands_below_hip_max_cm": Threshold(
            15.0, "cm", "hands this far below the hips pull the shoulders down", f"{_A}: arms (hands at hip height)"),
        "elbow_to_wrist_travel_max": Threshold(
            0.6, "ratio", "elbow travel / wrist travel around the shoulder per turn; turning from the wrists "
            "keeps the elbows nearly still (< 0.4), shoulder-driven turning moves them as much as the hands",
            f"{_A}: arms (rotation from the wrists, not the shoulders)"),
        # Session.
        "session_min_minutes": Threshold(
            10.0, "min", "ten to fifteen minutes gives the cardio benefit", f"{_A}: time efficiency"),
        "session_max_minutes": Threshold(
            15.0, "min", "beyond about fifteen minutes the time-efficiency argument no longer applies; "
            "back pain worsens with prolonged activity", f"{_A}: time efficiency"),
        # How a rule is judged over a clip.
        "rule_fault_share": Threshold(
            0.3, "share", "a rule is reported as a fault when at least this share of assessable jumps fail it "
            "(one stray jump is not a habit)", "measurement need: robustness to single-frame errors"),
    }
)
