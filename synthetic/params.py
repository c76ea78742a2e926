"""``JumpParams``: every knob of a synthetic clip, validated, JSON-serialisable."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

G_M_S2 = 9.81

STYLES = ("two_foot", "alternate", "double_under", "boxer")
#: What the figure does: "skipping" (with a rope, in ``style`` or ``style_sequence``) or a
#: movement without a rope (a negative: its true rope-jump count is 0), see movements.py.
MOVEMENTS = ("skipping", "high_knees", "jogging", "tuck_jumps", "skater", "jumping_jacks", "burpees", "squats",
             "hop_one_foot", "boxing_footwork")
SIDES = ("left", "right")
LANDINGS = ("forefoot", "heel")
TURNINGS = ("wrist", "shoulder")
ASPECTS = ("landscape", "portrait")
BACKGROUNDS = ("studio", "gym", "plain", "noise", "brick", "cluttered", "outdoor")
#: Frame rates phones, webcams and exported clips use: 10-15 fps (GIF/webcam/screen
#: recordings), film 24, PAL 25/50, NTSC 29.97/59.94, 30/60, slow-motion 120/240.
FPS_CHOICES = (10.0, 12.0, 15.0, 24.0, 25.0, 29.97, 30.0, 50.0, 59.94, 60.0, 120.0, 240.0)
SECOND_PERSON = ("none", "passing", "standing")
#: Rope length (cm, the cord between the handles) above the jumper's standing height when
#: ``rope_length_cm`` is not given. Sizing guides for skipping ropes give "your height
#: plus about 3 ft (90 cm)" for a general-purpose rope (shorter, + 60 cm, for speed work;
#: longer for beginners); the same length passes the usual check of standing on the
#: rope's middle with the handles reaching the armpits (the cord from the floor up each
#: side to the handle ends at ~0.72 H, the handles ~15 cm). Turned with the hands at
#: hip height, such a rope clears the head by a few tens of centimetres and slaps the
#: floor in front of the feet.
ROPE_OVER_HEIGHT_CM = 90.0
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")


@dataclass
class JumpParams:
    """Parameters of one synthetic clip. Units are in the names; angles in degrees.

    Knee angles are interior (180 = straight). Camera yaw 0 = front view (camera in
    front of the jumper), 90 = side view (camera on the jumper's left), 45 = oblique.
    """

    # Jumper and motion
    standing_height_cm: float = 170.0
    jump_height_cm: float = 3.0  # foot clearance at the apex
    cadence_jpm: float = 120.0  # jumps per minute
    n_jumps: int = 10
    style: str = "two_foot"
    knee_touchdown_deg: float = 160.0
    knee_flex_depth_deg: float = 15.0  # extra flexion at the lowest point of contact
    knee_stand_deg: float = 176.0
    landing: str = "forefoot"
    elbow_abduction_deg: float = 12.0  # upper arm away from the trunk line
    hand_height_cm: float = 0.0  # wrist height relative to the hip joint
    turning: str = "wrist"
    trunk_lean_deg: float = 3.0
    trunk_sway_deg: float = 0.0  # amplitude of trunk lean oscillation
    head_forward_cm: float = 1.0
    shoulders_forward_cm: float = 0.0  # rounded shoulders (protraction)
    lr_touchdown_offset_s: float = 0.0  # >0: left foot lands later than right
    height_jitter_frac: float = 0.03  # per-jump random height variation (1 sigma)
    pauses: list = field(default_factory=list)  # [[jump_index, duration_s], ...] stand before jump
    misses: list = field(default_factory=list)  # [jump_index, ...] rope catches feet before jump
    miss_stand_s: float = 1.0
    # Per-jump overrides: [{"jump": i, "height_cm": h, "knee_touchdown_deg": k, "landing": "heel"}, ...]
    # (either key optional; an overridden height gets no jitter).
    jump_overrides: list = field(default_factory=list)
    lead_in_s: float = 1.0
    end_stand_s: float = 0.6
    # Motion (randomised suite). Defaults keep every older clip exactly as it was.
    movement: str = "skipping"  # one of MOVEMENTS; anything else draws no rope and counts 0
    # Mixed styles in one clip: [[style, n_jumps(, cadence_jpm(, jump_height_cm))], ...];
    # the counts must add up to n_jumps; cadence/height default to the fields above.
    style_sequence: list = field(default_factory=list)
    boxer_switch_every: int = 2  # boxer step: the weighted foot changes every 1 or 2 rope passes
    end_with_miss: bool = False  # after the last jump the rope catches the feet and the jumper stops
    touchdown_pitch_deg: float | None = None  # foot pitch at touchdown, heel up +; None: from `landing`
    shoulder_turning_cone_deg: float = 22.0  # turning == "shoulder": half-angle of the upper arms' cone
    slowmo_factor: float = 1.0  # video frame f shows physical time f / (fps * slowmo_factor)
    reps: int = 8  # no-rope movements: repetitions (steps, hops, bounds, jacks, burpees, squats)
    rep_rate_per_min: float = 0.0  # no-rope movements: repetitions per minute; 0 = the movement's default
    rep_height_cm: float = 0.0  # no-rope movements with flight: hip rise in flight (cm); 0 = default
    lead_side: str = "right"  # hop_one_foot: the hopping foot; skater: first landing; boxing: rear foot
    no_rope_handles: bool = False  # a no-rope movement done holding rope handles (no rope)
    # Video
    fps: float = 30.0
    resolution_p: int = 720  # short side of the frame in pixels
    aspect: str = "landscape"
    duration_limit_s: float = 0.0  # 0 = no limit; otherwise must be >= clip length
    # Camera
    camera_yaw_deg: float = 0.0
    camera_distance_m: float = 4.0
    camera_height_m: float = 1.0
    camera_fill: float = 0.78  # fraction of the frame height the standing figure spans
    shake_px: float = 0.0
    noise_sigma: float = 2.0  # sensor noise, 8-bit grey levels
    blur_sigma_px: float = 0.6
    background: str = "studio"
    background_rgb: tuple = (200, 205, 210)
    floor_rgb: tuple = (150, 130, 110)
    brightness: float = 1.0  # global lighting gain
    # Appearance
    skin_rgb: tuple = (224, 172, 135)
    shirt_rgb: tuple = (40, 90, 190)
    shorts_rgb: tuple = (35, 35, 45)
    trousers: bool = False  # long trousers instead of shorts
    shoe_rgb: tuple = (60, 70, 100)
    rope_rgb: tuple = (220, 30, 30)
    # Audio
    audio: bool = True
    sample_rate: int = 44100
    thump_dbfs: float = -20.0
    loud_landings: list = field(default_factory=list)  # jump indices landing loudly (4x)
    loud_factor: float = 4.0
    music: bool = False
    audio_noise_dbfs: float = -60.0
    # Capture (randomised suite). Every default reproduces the fixed suite's frames
    # exactly; synthetic/randomise_capture.py draws them from documented ranges.
    head_height_frac: float = 0.130  # vertex-to-chin height / standing height (adult; ~1/6 at 7 years)
    hip_height_frac: float = 0.530  # hip joint above the soles / standing height (shorter legs in children)
    hair_rgb: tuple = (60, 40, 30)
    camera_aim_height_frac: float = 0.52  # the camera aims at this height (fraction of standing height)
    camera_tilt_deg: float = 0.0  # extra pitch of the camera beyond aiming at that point (+ = up)
    camera_roll_deg: float = 0.0  # phone not held level (+ = phone turned clockwise; the scene turns counter-clockwise)
    pan_px: float = 0.0  # amplitude of a slow horizontal pan (the image drifts by up to this many px)
    pan_period_s: float = 12.0  # one pan cycle (there and back)
    light_gain: float = 1.0  # exposure of the whole frame: < 1 dark (dim room, dusk), > 1 overexposed
    backlight: float = 0.0  # 0..1: a bright window/sky behind the jumper, the jumper in shadow (silhouette)
    haze: float = 0.0  # 0..1: a grey veil over the frame (fog, haze, a smudged lens)
    rope_diameter_mm: float = 8.0  # beaded/PVC ropes 5-8 mm, speed cables 2.5-4 mm
    #: Cord length between the handles' ends; None: standing height + ROPE_OVER_HEIGHT_CM.
    rope_length_cm: float | None = None
    crf: int = 23  # x264 quality of the written clip (higher = more compression)
    x264_preset: str = "veryfast"
    second_person: str = "none"  # "passing": walks across behind the jumper; "standing": stands behind
    second_person_height_cm: float = 170.0
    second_person_depth_m: float = 1.8  # behind the jumper, along the camera's viewing direction
    second_person_lateral_m: float = 1.0  # standing: to the camera's right (+) or left (-); passing: start side
    second_person_speed_m_s: float = 1.3  # passing: walking speed
    second_person_start_s: float = 0.0  # passing: when the walk starts
    second_person_shirt_rgb: tuple = (120, 120, 120)
    second_person_trousers_rgb: tuple = (40, 40, 60)

    def __post_init__(self) -> None:
        def need(cond: bool, what: str, got: Any) -> None:
            if not cond:
                raise ValueError(f"JumpParams.{what}, got {got!r}")

        need(100 <= self.standing_height_cm <= 230, "standing_height_cm must be 100..230", self.standing_height_cm)
        need(0.5 <= self.jump_height_cm <= 60, "jump_height_cm must be 0.5..60", self.jump_height_cm)
        need(30 <= self.cadence_jpm <= 300, "cadence_jpm must be 30..300", self.cadence_jpm)
        need(isinstance(self.n_jumps, int) and 1 <= self.n_jumps <= 2000, "n_jumps must be an int 1..2000", self.n_jumps)
        need(self.style in STYLES, f"style must be one of {STYLES}", self.style)
        need(self.movement in MOVEMENTS, f"movement must be one of {MOVEMENTS}", self.movement)
        need(self.lead_side in SIDES, f"lead_side must be one of {SIDES}", self.lead_side)
        need(1.0 <= self.slowmo_factor <= 32.0, "slowmo_factor must be 1..32 (1 = real time)", self.slowmo_factor)
        need(self.boxer_switch_every in (1, 2), "boxer_switch_every must be 1 or 2", self.boxer_switch_every)
        need(self.touchdown_pitch_deg is None or -30 <= self.touchdown_pitch_deg <= 45,
             "touchdown_pitch_deg must be None or -30..45", self.touchdown_pitch_deg)
        need(0 <= self.shoulder_turning_cone_deg <= 40, "shoulder_turning_cone_deg must be 0..40",
             self.shoulder_turning_cone_deg)
        need(isinstance(self.reps, int) and 1 <= self.reps <= 500, "reps must be an int 1..500", self.reps)
        need(self.rep_rate_per_min >= 0 and self.rep_height_cm >= 0, "rep_rate_per_min and rep_height_cm must be >= 0",
             (self.rep_rate_per_min, self.rep_height_cm))
        need(self.landing in LANDINGS, f"landing must be one of {LANDINGS}", self.landing)
        need(self.turning in TURNINGS, f"turning must be one of {TURNINGS}", self.turning)
        need(self.aspect in ASPECTS, f"aspect must be one of {ASPECTS}", self.aspect)
        need(self.background in BACKGROUNDS, f"background must be one of {BACKGROUNDS}", self.background)
        need(float(self.fps) in FPS_CHOICES, f"fps must be one of {FPS_CHOICES}", self.fps)
        need(110 <= self.knee_touchdown_deg <= 180, "knee_touchdown_deg must be 110..180", self.knee_touchdown_deg)
        need(0 <= self.knee_flex_depth_deg <= 50, "knee_flex_depth_deg must be 0..50", self.knee_flex_depth_deg)
        need(0 <= self.elbow_abduction_deg <= 80, "elbow_abduction_deg must be 0..80", self.elbow_abduction_deg)
        need(-40 <= self.hand_height_cm <= 40, "hand_height_cm must be -40..40", self.hand_height_cm)
        need(-10 <= self.trunk_lean_deg <= 40, "trunk_lean_deg must be -10..40", self.trunk_lean_deg)
        need(0 <= self.trunk_sway_deg <= 20, "trunk_sway_deg must be 0..20", self.trunk_sway_deg)
        need(-5 <= self.head_forward_cm <= 30, "head_forward_cm must be -5..30", self.head_forward_cm)
        need(0 <= self.shoulders_forward_cm <= 10, "shoulders_forward_cm must be 0..10", self.shoulders_forward_cm)
        need(abs(self.lr_touchdown_offset_s) <= 0.15, "|lr_touchdown_offset_s| must be <= 0.15", self.lr_touchdown_offset_s)
        need(0 <= self.height_jitter_frac <= 0.3, "height_jitter_frac must be 0..0.3", self.height_jitter_frac)
        need(self.resolution_p in (240, 360, 480, 540, 720, 1080), "resolution_p must be 240/360/480/540/720/1080", self.resolution_p)
        need(-180 <= self.camera_yaw_deg <= 180, "camera_yaw_deg must be -180..180", self.camera_yaw_deg)
        need(1.5 <= self.camera_distance_m <= 30, "camera_distance_m must be 1.5..30", self.camera_distance_m)
        need(0.1 <= self.camera_height_m <= 3.0, "camera_height_m must be 0.1..3", self.camera_height_m)
        need(0.2 <= self.camera_fill <= 2.5, "camera_fill must be 0.2..2.5 (> 1 cuts part of the figure off)",
             self.camera_fill)
        need(self.shake_px >= 0 and self.noise_sigma >= 0 and self.blur_sigma_px >= 0,
             "shake_px, noise_sigma, blur_sigma_px must be >= 0", (self.shake_px, self.noise_sigma, self.blur_sigma_px))
        need(self.lead_in_s >= 0 and self.end_stand_s >= 0 and self.miss_stand_s >= 0.2,
             "lead_in_s, end_stand_s >= 0 and miss_stand_s >= 0.2", (self.lead_in_s, self.end_stand_s, self.miss_stand_s))
        need(0.2 <= self.brightness <= 2.0, "brightness must be 0.2..2", self.brightness)
        need(0.10 <= self.head_height_frac <= 0.20, "head_height_frac must be 0.10..0.20", self.head_height_frac)
        need(0.45 <= self.hip_height_frac <= 0.56, "hip_height_frac must be 0.45..0.56", self.hip_height_frac)
        need(0.0 <= self.camera_aim_height_frac <= 1.2, "camera_aim_height_frac must be 0..1.2", self.camera_aim_height_frac)
        need(abs(self.camera_tilt_deg) <= 45, "|camera_tilt_deg| must be <= 45", self.camera_tilt_deg)
        need(abs(self.camera_roll_deg) <= 30, "|camera_roll_deg| must be <= 30", self.camera_roll_deg)
        need(0 <= self.pan_px <= 400 and self.pan_period_s >= 2, "pan_px must be 0..400 and pan_period_s >= 2",
             (self.pan_px, self.pan_period_s))
        need(0.05 <= self.light_gain <= 3.0, "light_gain must be 0.05..3", self.light_gain)
        need(0 <= self.backlight <= 1 and 0 <= self.haze <= 0.9, "backlight must be 0..1 and haze 0..0.9",
             (self.backlight, self.haze))
        need(0.5 <= self.rope_diameter_mm <= 20, "rope_diameter_mm must be 0.5..20", self.rope_diameter_mm)
        # Shorter than the jumper, the loop cannot pass both over the head and under the
        # feet; 2 m longer than the jumper is no skipping rope.
        need(self.rope_length_cm is None
             or self.standing_height_cm <= self.rope_length_cm <= self.standing_height_cm + 200,
             "rope_length_cm must be None or standing_height_cm .. standing_height_cm + 200", self.rope_length_cm)
        need(isinstance(self.crf, int) and 0 <= self.crf <= 51, "crf must be an int 0..51", self.crf)
        need(self.x264_preset in X264_PRESETS, f"x264_preset must be one of {X264_PRESETS}", self.x264_preset)
        need(self.second_person in SECOND_PERSON, f"second_person must be one of {SECOND_PERSON}", self.second_person)
        need(100 <= self.second_person_height_cm <= 210, "second_person_height_cm must be 100..210",
             self.second_person_height_cm)
        need(0.6 <= self.second_person_depth_m <= 2.6, "second_person_depth_m must be 0.6..2.6 (the wall is 3 m behind)",
             self.second_person_depth_m)
        need(abs(self.second_person_lateral_m) <= 6 and 0.3 <= self.second_person_speed_m_s <= 2.5
             and self.second_person_start_s >= 0,
             "|second_person_lateral_m| <= 6, second_person_speed_m_s 0.3..2.5, second_person_start_s >= 0",
             (self.second_person_lateral_m, self.second_person_speed_m_s, self.second_person_start_s))
        for name in ("background_rgb", "floor_rgb", "skin_rgb", "shirt_rgb", "shorts_rgb", "shoe_rgb", "rope_rgb",
                     "hair_rgb", "second_person_shirt_rgb", "second_person_trousers_rgb"):
            val = tuple(int(v) for v in getattr(self, name))
            need(len(val) == 3 and all(0 <= v <= 255 for v in val), f"{name} must be 3 ints 0..255", val)
            setattr(self, name, val)
        self.pauses = [[int(i), float(d)] for i, d in self.pauses]
        for i, d in self.pauses:
            need(0 < i < self.n_jumps and 0.1 <= d <= 30, "pauses entries must be [jump 1..n_jumps-1, 0.1..30 s]", [i, d])
        self.misses = [int(i) for i in self.misses]
        for i in self.misses:
            need(0 < i < self.n_jumps, "misses entries must be jump indices 1..n_jumps-1", i)
        seq = []
        for e in self.style_sequence:
            need(isinstance(e, (list, tuple)) and 2 <= len(e) <= 4 and e[0] in STYLES,
                 f"style_sequence entries must be [style, n_jumps(, cadence_jpm(, jump_height_cm))] with style in {STYLES}", e)
            e = [str(e[0]), int(e[1])] + [float(v) for v in e[2:]]
            need(e[1] >= 1, "style_sequence counts must be >= 1", e)
            need(len(e) < 3 or 30 <= e[2] <= 300, "style_sequence cadence_jpm must be 30..300", e)
            need(len(e) < 4 or 0.5 <= e[3] <= 60, "style_sequence jump_height_cm must be 0.5..60", e)
            seq.append(e)
        self.style_sequence = seq
        need(not seq or sum(e[1] for e in seq) == self.n_jumps, "style_sequence counts must add up to n_jumps",
             ([e[1] for e in seq], self.n_jumps))
        clean_ov = []
        for ov in self.jump_overrides:
            need(isinstance(ov, dict) and "jump" in ov
                 and set(ov) <= {"jump", "height_cm", "knee_touchdown_deg", "landing", "touchdown_pitch_deg"},
                 'jump_overrides entries must be {"jump": i, "height_cm"?: h, "knee_touchdown_deg"?: k, '
                 '"landing"?: "forefoot"|"heel", "touchdown_pitch_deg"?: deg}', ov)
            ov = {k: (int(v) if k == "jump" else v if k == "landing" else float(v)) for k, v in ov.items()}
            need(ov.get("landing", "forefoot") in LANDINGS, f"jump_overrides landing must be one of {LANDINGS}", ov)
            need(0 <= ov["jump"] < self.n_jumps, "jump_overrides jump must be 0..n_jumps-1", ov)
            need(0.5 <= ov.get("height_cm", self.jump_height_cm) <= 60, "jump_overrides height_cm must be 0.5..60", ov)
            need(110 <= ov.get("knee_touchdown_deg", self.knee_touchdown_deg) <= 180,
                 "jump_overrides knee_touchdown_deg must be 110..180", ov)
            need(-30 <= ov.get("touchdown_pitch_deg", 0.0) <= 45, "jump_overrides touchdown_pitch_deg must be -30..45", ov)
            clean_ov.append(ov)
        self.jump_overrides = clean_ov
        self.loud_landings = [int(i) for i in self.loud_landings]
        for i in self.loud_landings:
            need(0 <= i < self.n_jumps, "loud_landings entries must be jump indices 0..n_jumps-1", i)
        need(self.sample_rate in (16000, 22050, 44100, 48000), "sample_rate must be 16000/22050/44100/48000", self.sample_rate)
        need(-60 <= self.thump_dbfs <= 0, "thump_dbfs must be -60..0", self.thump_dbfs)
        need(self.thump_dbfs + 20 * __import__("math").log10(self.loud_factor) <= 0,
             "thump_dbfs + loud_factor must not clip (<= 0 dBFS)", (self.thump_dbfs, self.loud_factor))
        # Physical limits only: a flight shorter than a frame is fine (the truth stays exact
        # and the analysis must cope), a flight that leaves no time on the ground is not.
        ov_h = {ov["jump"]: ov["height_cm"] for ov in self.jump_overrides if "height_cm" in ov}
        for i, (style, period, h_cm) in enumerate(self.jump_plan()):
            t_f = (8 * ov_h.get(i, h_cm) / 100.0 / G_M_S2) ** 0.5
            if style == "alternate":
                need(period - t_f >= 0.06,
                     "alternate step: 60/cadence - sqrt(8h/g) must leave >= 0.06 s between steps", (i, t_f, period))
            else:
                need(period - t_f >= 0.10,
                     "contact time (60/cadence - sqrt(8h/g)) must be >= 0.10 s; lower the jump or cadence",
                     (i, period, t_f))
        if self.movement != "skipping":
            from synthetic.movements import check_params

            check_params(self)
        if self.duration_limit_s:
            need(self.video_duration_s <= self.duration_limit_s + 1e-9, "clip longer than duration_limit_s",
                 (self.video_duration_s, self.duration_limit_s))

    # Derived quantities
    @property
    def flight_time_s(self) -> float:
        """Nominal flight time t = sqrt(8 h / g) of the (stepping) foot."""
        return (8 * self.jump_height_cm / 100.0 / G_M_S2) ** 0.5

    @property
    def period_s(self) -> float:
        return 60.0 / self.cadence_jpm

    def jump_plan(self) -> list[tuple[str, float, float]]:
        """Per jump: (style, period_s, nominal jump_height_cm), from ``style_sequence``
        when given, else ``style`` / ``cadence_jpm`` / ``jump_height_cm`` for every jump."""
        if not self.style_sequence:
            return [(self.style, self.period_s, self.jump_height_cm)] * self.n_jumps
        out = []
        for e in self.style_sequence:
            cad = e[2] if len(e) > 2 else self.cadence_jpm
            h = e[3] if len(e) > 3 else self.jump_height_cm
            out += [(e[0], 60.0 / cad, h)] * e[1]
        return out

    @property
    def rope_length_m(self) -> float:
        """The rope's cord length (m): ``rope_length_cm``, else the sizing rule."""
        cm = self.standing_height_cm + ROPE_OVER_HEIGHT_CM if self.rope_length_cm is None else self.rope_length_cm
        return float(cm) / 100.0

    @property
    def has_rope(self) -> bool:
        return self.movement == "skipping"

    @property
    def has_handles(self) -> bool:
        return self.has_rope or self.no_rope_handles

    @property
    def physical_fps(self) -> float:
        """Physical time sampled per second of video: ``fps * slowmo_factor``."""
        return self.fps * self.slowmo_factor

    @property
    def total_duration_s(self) -> float:
        """Physical length of the clip. Skipping: lead-in, one period per jump, each
        pause/miss (0.8 period landing into the stand + the stand), the final 0.8 period
        landing and the end stand. No-rope movements: see ``movements.py``."""
        if self.movement != "skipping":
            from synthetic.movements import movement_duration_s

            return movement_duration_s(self)
        plan = self.jump_plan()
        if not self.style_sequence:  # (kept in this exact form: the old clips' lengths)
            t = self.period_s
            stops = sum(0.8 * t + d for _, d in self.pauses) + len(self.misses) * (0.8 * t + self.miss_stand_s)
            return self.lead_in_s + self.n_jumps * t + stops + 0.8 * t + self.end_stand_s
        periods = [pl[1] for pl in plan]
        stops = sum(0.8 * periods[i - 1] + d for i, d in self.pauses)
        stops += sum(0.8 * periods[i - 1] + self.miss_stand_s for i in self.misses)
        return self.lead_in_s + sum(periods) + stops + 0.8 * periods[-1] + self.end_stand_s

    @property
    def video_duration_s(self) -> float:
        """Length of the video: the physical length stretched by ``slowmo_factor``."""
        return self.total_duration_s * self.slowmo_factor

    @property
    def style_label(self) -> str:
        """``style``, or "mixed" when ``style_sequence`` holds more than one style."""
        styles = {e[0] for e in self.style_sequence}
        if len(styles) > 1:
            return "mixed"
        return styles.pop() if styles else self.style

    @property
    def frame_size(self) -> tuple[int, int]:
        """(width, height) in pixels, 16:9 in landscape, 9:16 in portrait (even sizes)."""
        short = self.resolution_p
        long = int(round(short * 16 / 9 / 2)) * 2
        return (long, short) if self.aspect == "landscape" else (short, long)

    @property
    def view(self) -> str:
        yaw = abs(((self.camera_yaw_deg + 180) % 360) - 180)
        if yaw <= 22.5 or yaw >= 157.5:
            return "front"
        if 67.5 <= yaw <= 112.5:
            return "side"
        return "oblique"

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = list(v)
        return d

    def params_hash(self, seed: int) -> str:
        from synthetic import RENDER_VERSION

        blob = json.dumps({"params": self.to_dict(), "seed": seed, "render_version": RENDER_VERSION}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, d: dict) -> "JumpParams":
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ValueError(f"unknown JumpParams keys {sorted(unknown)}; expected some of {sorted(names)}")
        return cls(**d)

    def replace(self, **kw: Any) -> "JumpParams":
        return dataclasses.replace(self, **kw)


def parse_value(text: str) -> Any:
    """Parse a ``--param key=value`` value: JSON if it parses, else the raw string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
