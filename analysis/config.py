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
#: The sound module's thresholds (``analysis/audio.py``): impacts, usability of a
#: soundtrack, the audio count, audio/video alignment and loud landings.
@dataclass(frozen=True)
class AudioThresholds:
    """Named thresholds of the sound module, each with the reason for its value."""

    # -- framing ---------------------------------------------------------------------
    #: Onset hop ~3 ms (64 samples at 22.05 kHz) with a 4-hop (~12 ms) analysis window:
    #: on synthetic thumps this puts onsets 1-5 ms after the true start (target ~10 ms);
    #: librosa's default 2048/512 framing smears a thump over ~90 ms.
    onset_hop_s: float = 0.003
    #: Peak-picking dead time: two onsets closer than 50 ms are one impact (a thud rings
    #: for tens of ms; the fastest speed steps are ~140 ms apart).
    onset_wait_s: float = 0.05
    #: Impact level = loudest RMS frame (~23 ms long) starting within 60 ms after the
    #: onset: a foot or rope impact puts its energy into the first tens of ms; a 23 ms
    #: frame averages the click's randomness (12 ms frames scatter equal thumps by 4 dB).
    impact_window_s: float = 0.06
    level_frame_s: float = 0.023
    #: Level weighting: "flat" (plain RMS, default) or "A" (IEC 61672 A-weighting as in
    #: sound level meters: discounts hum and rumble, stresses the slap). Flat is the
    #: default because A-weighting lowered the impact contrast on the one shared clip
    #: with audible steps (12.5 -> 9.1 dB): phone clips carry mid-frequency room noise.
    level_weighting: str = "flat"
    #: Background = this percentile of the short-time RMS (dBFS): the quietest tenth of
    #: the clip, between impacts (impacts fill well under half of a skipping clip).
    background_percentile: float = 10.0
    #: Floor for log levels: digital silence is reported as -120 dBFS, not -inf.
    floor_dbfs: float = -120.0

    # -- is the track usable for impacts? ---------------------------------------------
    #: Loudest frame below -60 dBFS: nothing audible was recorded (a phone microphone's
    #: self-noise and room tone alone sit around -70..-50 dBFS after AGC).
    near_silence_dbfs: float = -60.0
    #: An onset is an impact only when it peaks >= 10 dB (about 3x the amplitude) over
    #: the background; smaller bumps are fluctuations of the noise floor or of music.
    min_impact_rel_background_db: float = 10.0
    #: Median impact must rise >= 10 dB above the quietest point since the impact
    #: before it (its "trough"). Footfalls in a room drop back to quiet between
    #: landings (11.8 dB on the one shared clip with audible steps, 24-27 dB on
    #: synthetic thumps); music, voice and noise never do (4-9 dB on the shared clips).
    min_contrast_db: float = 10.0
    #: Longest look-back for an impact's trough (also used for the first impact).
    trough_window_s: float = 0.5
    #: Share of spectral energy above ``harmonic_min_freq_hz`` that librosa's HPSS
    #: assigns to the harmonic (sustained, tonal) part, over the whole clip. Footfalls
    #: and rope slaps are percussive (< 0.1 synthetic, 0.37 on the real clip with
    #: audible steps); music dominates at 0.59-0.85 on the shared clips.
    max_harmonic_fraction: float = 0.5
    #: Same share in the first ``impact_window_s`` after each onset, median over the
    #: onsets: speech syllables and music notes are tonal onsets (0.61-0.87 on the
    #: shared clips with voice or music, except one with drum-led music at 0.32),
    #: real steps are not (0.27; synthetic thumps < 0.05).
    max_impact_harmonic_fraction: float = 0.5
    #: Tonal shares are measured above 200 Hz: footfall thumps ring at 50-150 Hz, and a
    #: fast train of them (speed steps at 7/s) looks like a sustained bass tone to
    #: HPSS; music and speech carry most of their tonal energy above 200 Hz.
    harmonic_min_freq_hz: float = 200.0
    #: Fewer impacts than this cannot be aligned or counted meaningfully.
    min_impacts: int = 4
    #: At least half of the impacts must belong to a periodic train (skipping is
    #: rhythmic); otherwise the onsets are random noise, speech or clatter.
    min_periodic_fraction: float = 0.5

    # -- periodic impact trains (audio count) --------------------------------------------
    #: Slowest skipping cadence counted: 1 impact/s (brief: plausible cadence 1-5/s;
    #: the shared clips skip at 2.1-2.3/s for bounces and boxer steps).
    min_cadence_hz: float = 1.0
    #: Fastest: 8 impacts/s. The brief suggests 5/s, but alternate-foot speed steps
    #: reach ~7 foot contacts/s (shared clip front_boy_alternate_step: 22 in ~3 s).
    max_cadence_hz: float = 8.0
    #: A train needs at least 4 regular impacts in a row; shorter runs are isolated
    #: sounds (a dropped handle, a clap, a step).
    min_train_impacts: int = 4
    #: Two impacts are consecutive beats when their interval is within +-50 % of the
    #: bout's period: the lower bound meets the merge rule below, and 1.5 periods sits
    #: halfway to a missed beat (2 periods). Real speed steps vary by up to ~40 % beat
    #: to beat (shared clip front_boy_alternate_step), bounces by ~5-10 %.
    period_tolerance: float = 0.5
    #: Impacts closer than this fraction of the period are one beat (rope slap + feet);
    #: the louder one is kept.
    merge_fraction_of_period: float = 0.5
    #: Normalised autocorrelation of the impact train at its period must reach 0.5;
    #: a Poisson (random) onset train at 5/s scores ~0.35.
    min_periodicity: float = 0.5
    #: Timing blur (s) of each impact for the autocorrelation: ~human timing jitter.
    periodicity_blur_s: float = 0.02

    # -- audio/video alignment ---------------------------------------------------------------
    #: Search step for the audio-video offset (brief: 5 ms).
    align_step_s: float = 0.005
    #: A touchdown and an impact match within 50 ms: 1.5 frames at 30 fps (video
    #: touchdowns are quantised to whole frames) plus onset error.
    match_tolerance_s: float = 0.05
    #: Phone A/V offsets are within a few frames; 250 ms bounds the search (brief).
    max_offset_s: float = 0.25
    #: Fewer than half of the touchdowns matched: the sounds are not these landings.
    min_match_rate: float = 0.5

    # -- loud landings ---------------------------------------------------------------
    #: An impact whose sample peak is within 1 dB of full scale has clipped (or a phone's
    #: limiter flattened it): its true loudness is unknown, only "at least this loud".
    clip_dbfs: float = -1.0
    #: If more than half of the matched landings clipped, their levels cannot be
    #: compared (every landing reads the same), so loudness is not assessable.
    max_clipped_fraction: float = 0.5
    #: Loud = > 6 dB above the jumper's median landing: twice the sound pressure of
    #: their typical landing (brief's example; 6 dB is clearly audible, 1-3 dB is not).
    loud_rel_median_db: float = 6.0
    #: ... and >= 15 dB above the background, so the flag is never raised on noise.
    loud_min_rel_background_db: float = 15.0


AUDIO_THRESHOLDS = AudioThresholds()


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
            7.0, "cm", "ear this far ahead of the shoulders = head pushed forward",
            f"{_A}: posture (eyes forward, neutral spine); measured: upright 3.7-4.4 cm (real side clip, "
            "synthetic clean side), head pushed 9 cm forward reads 9.4 cm"),
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
            0.05, "s", "both feet land together; a gap longer than this, and longer than 2 frames, is a "
            "staggered landing (each foot's touchdown is timed to about +-1 frame, so their difference to +-2)",
            f"{_A}: landing (both legs absorb impact together); measured: per-foot timing on the synthetic suite"),
        "touchdown_gap_min_frames": Threshold(
            2.0, "frames", "the feet's touchdown gap is only resolved to about two frames",
            "measurement need: frame-rate resolution"),
        "foot_height_diff_max_cm": Threshold(
            3.0, "cm", "one foot clearing the rope much higher than the other",
            f"{_A}: landing (both legs absorb impact together)"),
        "landing_force_max_bw": Threshold(
            4.0, "body weights", "peak deceleration of the hips after touchdown, as body weights (a/g + 1); "
            "soft skipping stays around 2-3.5", f"{_A}: landing (quiet, soft landings); video proxy"),
        "loud_landing_rel_median_db": Threshold(
            AUDIO_THRESHOLDS.loud_rel_median_db, "dB", "a landing this much louder than the jumper's own median "
            "landing (twice the sound pressure) stands out as hard; all audio thresholds are in AudioThresholds",
            f"{_A}: landing (quiet, soft landings); measured on synthetic thumps"),
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
