"""The pipeline split in two: the pose stage (everything it gives, frozen, picklable) and
the analysis after it, which re-runs under other options without decoding a frame; and
the first answer while the pose runs (the jumps counted so far)."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from analysis.config import AnalysisConfig
from analysis.io.video import Frame
from analysis.pipeline import (
    POSE_OPTIONS,
    PoseStage,
    analyze_pose,
    analyze_video,
    pose_options,
    reanalyze,
    run_pose_stage,
)
from analysis.pose.estimators import PoseFrame
from analysis.pose.landmarks import Landmark as L
from analysis.pose.partial import PartialCounter, PartialResult
from analysis.types import NoticeKind, VideoMeta
from tests.conftest import REPO
from tests.fixtures.motion import make_motion


@pytest.fixture(scope="module")
def motion():
    return make_motion(view="side", n_jumps=20, fps=30.0, seed=3)


@pytest.fixture(scope="module")
def stage(motion):
    p = motion.pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    return PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))


def test_pose_options_are_the_pose_stage_key():
    assert POSE_OPTIONS == ("model_path", "max_minutes")
    a = AnalysisConfig(standing_height_cm=160, back_pain=True, surface="concrete", view="side", style="two_foot")
    assert pose_options(a) == pose_options(AnalysisConfig())
    assert pose_options(AnalysisConfig(max_minutes=1.0)) != pose_options(AnalysisConfig())


def test_other_options_change_only_what_depends_on_them(stage):
    base = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    advice = analyze_pose(stage, AnalysisConfig(standing_height_cm=170, back_pain=True, surface="concrete"))
    taller = analyze_pose(stage, AnalysisConfig(standing_height_cm=190))
    assert base.jumps.count == advice.jumps.count == taller.jumps.count >= 15
    assert [j.takeoff_frame for j in base.jumps.jumps] == [j.takeoff_frame for j in advice.jumps.jumps]
    rules = {a["rule"] for a in advice.rules.session} - {a["rule"] for a in base.rules.session}
    assert "session.back_pain" in rules
    assert base.to_dict()["rules"] == advice.to_dict()["rules"]  # the verdicts do not depend on the advice
    # The scale follows the height given: the feet's displacement in cm with it (the checked
    # height also weighs the flight time, which needs no scale).
    ratio = taller.summary()["mean_height_cm_displacement"] / base.summary()["mean_height_cm_displacement"]
    assert ratio == pytest.approx(190 / 170, rel=0.02)
    assert base.pose_model == "made up" and base.quality.mean_luma == 120.0 and base.quality.sharpness == 300.0


def test_analyze_pose_refuses_other_pose_options(stage):
    made = dataclasses.replace(stage, options=pose_options(AnalysisConfig(max_minutes=5.0)))
    analyze_pose(made, AnalysisConfig(max_minutes=5.0, back_pain=True))
    with pytest.raises(ValueError, match="max_minutes"):
        analyze_pose(made, AnalysisConfig(max_minutes=20.0))


def test_pose_stage_is_frozen_picklable_and_checked(stage):
    again = pickle.loads(pickle.dumps(stage))
    np.testing.assert_array_equal(again.pose.xy_px, stage.pose.xy_px)
    assert again.quality_samples == stage.quality_samples and again.other_person == (6, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        stage.pose_model = "other"  # type: ignore[misc]
    band = np.zeros(len(stage.pose))
    assert not dataclasses.replace(stage, rope_band=band).rope_band.flags.writeable
    with pytest.raises(ValueError, match="rope_band"):
        dataclasses.replace(stage, rope_band=np.zeros(3))


# -- the first answer ----------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def feed(counter: PartialCounter, pose, clock: Clock, seconds_per_frame: float, cost_s: float = 0.0) -> None:
    for i in range(len(pose)):
        clock.t += seconds_per_frame
        found = np.isfinite(pose.xy_px[i]).all()
        pf = PoseFrame(pose.xy_px[i], pose.world_m[i], pose.visibility[i]) if found else None
        counter(Frame(i, float(pose.t_s[i]), np.zeros((1, 1, 3), np.uint8)), pf)


def test_partial_counts_grow_and_reach_the_full_count(motion, stage):
    clock = Clock()
    seen: list[PartialResult] = []
    full = analyze_pose(stage, AnalysisConfig()).jumps.count

    def count(pose):
        r = analyze_pose(PoseStage(pose, stage.meta), AnalysisConfig())
        return r.jumps.count, r.jumps.jumps_per_minute

    counter = PartialCounter(
        count, seen.append, frames_total=len(motion.pose), frame_size_px=(640, 480), fps=30.0, clock=clock
    )
    feed(counter, motion.pose, clock, seconds_per_frame=0.04)  # the pose model's pace
    assert len(seen) >= 3
    assert [p.frames_done for p in seen] == sorted(p.frames_done for p in seen)
    assert [p.jump_count for p in seen] == sorted(p.jump_count for p in seen)
    assert seen[-1].jump_count <= full and seen[-1].frames_total == len(motion.pose)
    assert all(np.isfinite(p.jumps_per_minute) for p in seen if p.jump_count)
    gaps = np.diff([p.frames_done for p in seen]) * 0.04
    assert gaps.min() >= counter.every_s - 0.04  # every few seconds, not every frame


def test_partial_counting_stays_within_its_share_of_the_time(motion):
    clock = Clock()
    seen: list[PartialResult] = []

    def slow_count(pose):
        clock.t += 1.0  # a count that costs a second
        return 1, 60.0

    counter = PartialCounter(
        slow_count, seen.append, frames_total=len(motion.pose), frame_size_px=(640, 480), fps=30.0, clock=clock
    )
    feed(counter, motion.pose, clock, seconds_per_frame=0.04)
    elapsed = 0.04 * len(motion.pose) + counter.cost_s
    assert counter.cost_s <= counter.max_share * elapsed + 1.0  # at most one count over the budget
    assert seen and all(p.cost_s == pytest.approx(1.0) for p in seen)


def test_a_failing_count_skips_that_answer(motion):
    clock = Clock()
    seen: list[PartialResult] = []

    def broken(pose):
        raise RuntimeError("bad data")

    counter = PartialCounter(broken, seen.append, frames_total=10, frame_size_px=(640, 480), fps=30.0, clock=clock)
    feed(counter, motion.pose, clock, seconds_per_frame=0.04)
    assert seen == [] and counter.cost_s >= 0.0
    with pytest.raises(ValueError):
        PartialResult(-1, 10, 0, float("nan"), 0.0, 0.0)


@pytest.mark.slow
def test_pose_stage_then_analysis_is_analyze_video_with_first_answers():
    clip = REPO / "sample_videos" / "side_faults.mp4"
    config = AnalysisConfig(standing_height_cm=170)
    seen: list[PartialResult] = []
    progress: list[tuple[str, int, int]] = []
    stage = run_pose_stage(clip, config, progress=lambda *a: progress.append(a), on_partial=seen.append)
    assert stage.options == pose_options(config) and len(stage.quality_samples) > 0
    assert stage.elapsed_s >= stage.timings_s["pose"] > 0
    direct = analyze_video(clip, config)
    again = analyze_pose(stage, config)
    assert again.to_dict()["jumps"] == direct.to_dict()["jumps"]
    assert again.to_dict()["rules"] == direct.to_dict()["rules"]
    pose_steps = [p for p in progress if p[0] == "pose"]
    assert pose_steps[-1][1] == pose_steps[-1][2] == len(stage.pose), "progress ends at the frames decoded"
    assert seen, "at least one first answer on an 8 s clip"
    # When each answer comes depends on the clock (every few seconds of pose time), so only
    # what holds at any speed is checked: answers grow and never pass the finished series.
    done = [p.frames_done for p in seen]
    assert done == sorted(done) and 0 < done[-1] <= len(stage.pose)
    assert seen[-1].jump_count <= again.jumps.count


def test_reanalyze_remakes_only_the_advice_when_only_advice_options_change(stage):
    base = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    cfg = AnalysisConfig(standing_height_cm=170, back_pain=True, surface="concrete", rope="beaded")
    quick, full = reanalyze(base, stage, cfg), analyze_pose(stage, cfg)
    a, b = quick.to_dict(), full.to_dict()
    a.pop("timings_s"), b.pop("timings_s")
    assert a == b and quick.config == cfg
    assert quick.jumps is base.jumps  # nothing but the advice was made again
    other = reanalyze(base, stage, AnalysisConfig(standing_height_cm=150))
    assert other.scale.standing_height_cm == 150 and other.jumps is not base.jumps


def test_a_shaken_camera_is_taken_out_of_the_count_and_said():
    """The pose stage's camera shift reaches jump detection: 12 jumps filmed by a shaking
    phone (1.2 % of the frame's height RMS) are counted 12 with the shake taken out, and the
    report says the camera shook; without the shift the shake breaks the count."""
    from dataclasses import replace

    from analysis.types import NoticeKind
    from tests.analysis.pose.test_camera_motion import _shake

    m = make_motion(n_jumps=12, cadence_hz=2.2, jump_height_m=0.03, lead_in_s=1.5, tail_s=1.5, seed=1, fps=30.0)
    p = m.pose
    offset = _shake(len(p), p.fps, rms_px=0.012 * p.frame_size_px[1], seed=1)
    shaken = replace(p, xy_px=p.xy_px + offset[:, None, :])
    meta = VideoMeta("shaken.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    shifts = np.vstack([[np.nan, np.nan], np.diff(offset, axis=0)])
    cfg = AnalysisConfig(standing_height_cm=170)
    steady = analyze_pose(PoseStage(shaken, meta, camera_shift_px=shifts), cfg)
    assert steady.jumps.count == 12
    said = [n.text for n in steady.notices if n.kind == NoticeKind.CAMERA_SHAKE]
    assert said and "shook" in said[0] and "cm at the jumper" in said[0]
    raw = analyze_pose(PoseStage(shaken, meta), cfg)
    assert raw.jumps.count != 12 and not any(n.kind == NoticeKind.CAMERA_SHAKE for n in raw.notices)
    # a still camera's tiny measured jitter changes nothing and says nothing
    jitter = np.random.default_rng(0).normal(0, 0.1, (len(p), 2))
    still = analyze_pose(PoseStage(p, meta, camera_shift_px=jitter), cfg)
    assert still.jumps.count == 12 and not any(n.kind == NoticeKind.CAMERA_SHAKE for n in still.notices)
    with pytest.raises(ValueError, match="camera_shift_px"):
        PoseStage(p, meta, camera_shift_px=np.zeros((3, 2)))


HANDS_HIDDEN = tuple(L[f"{side}_{part}"] for side in ("LEFT", "RIGHT") for part in ("WRIST", "PINKY", "INDEX", "THUMB"))


def test_jumps_the_clip_cannot_confirm_are_counted_on_the_users_word_and_said():
    """Hands hidden: the rope cannot be confirmed, so nothing is counted and the report says
    how many bounces it saw and how to say a rope was turning; with that said, they count."""
    p = make_motion(n_jumps=12, fps=30.0, hide=HANDS_HIDDEN, seed=3).pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    plain = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    assert plain.jumps.count == 0
    text = " ".join(plain.messages)
    assert "could not be confirmed" in text and "bounces in a rhythm were seen there" in text
    assert "--rope-turning" in text and "A rope was turning" in text
    stated = analyze_pose(stage, AnalysisConfig(standing_height_cm=170, rope_turning=True))
    assert stated.jumps.count == 12
    assert "as you said" in stated.jumps.rope_evidence
    assert "--rope-turning" not in " ".join(stated.messages)


def test_a_rope_whose_jumps_cannot_be_counted_is_said_instead_of_no_rhythm():
    """The rope's evidence holds but no jump could be counted (hops 15 cm high at 2.5 a
    second fill the cycle with flight): the report says so, with the stretch, the rope's
    evidence and why, instead of "no steady rhythm"; the page's rows call it not counted."""
    p = make_motion(n_jumps=12, fps=60.0, jump_height_m=0.15, seed=3).pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    report = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    assert report.jumps.count == 0
    (note,) = [n for n in report.notices if n.kind == NoticeKind.NO_SKIPPING]
    assert note.text.startswith("No jumps were counted, though from 1.")
    assert "the clip speaks for a rope (rope turning: hands turning" in note.text
    assert "flights fill" in note.text and "no steady rhythm" not in note.text


@pytest.mark.parametrize(("view", "unconfirmed"), [("front", True), ("side", False)])
def test_jumps_counted_on_hands_that_running_arms_would_match_say_the_rope_is_unconfirmed(view, unconfirmed):
    """From the front a rope turned from the wrists shows only both hands rising and falling
    together at each jump, as running arms do: the jumps count, and a notice says the rope is
    not confirmed there and how to confirm it. Side-on the hands' circle shows: no notice."""
    p = make_motion(n_jumps=12, fps=30.0, view=view, seed=3).pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    report = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    assert report.jumps.count == 12
    notes = [n.text for n in report.notices if n.kind == NoticeKind.ROPE_UNCONFIRMED]
    assert bool(notes) == unconfirmed
    if unconfirmed:
        assert notes[0].startswith("The rope is not confirmed at 1.") and "jogging or high knees" in notes[0]
    stated = analyze_pose(stage, AnalysisConfig(standing_height_cm=170, rope_turning=True))
    assert not [n for n in stated.notices if n.kind == NoticeKind.ROPE_UNCONFIRMED]


def test_jumping_without_a_rope_is_not_offered_the_users_word():
    """Arms pumping in opposition are evidence against a rope: the message says so and does
    not suggest stating one."""
    p = make_motion(n_jumps=12, fps=30.0, arms_pumping=True, seed=3).pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    report = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    text = " ".join(report.messages)
    assert report.jumps.count == 0 and "without a rope" in text and "--rope-turning" not in text


FEET = tuple(L[f"{side}_{part}"] for side in ("LEFT", "RIGHT") for part in ("ANKLE", "HEEL", "FOOT_INDEX", "KNEE"))


def test_slowed_jumps_with_the_feet_hidden_ask_for_the_factor_instead_of_no_rhythm():
    """4x slow motion played at 30 frames a second with the feet out of view: the jumps, a
    beat every 2.7 s with the rope turning, are too far apart for real time, and nothing shows
    the clip slowed down. The report says so and asks for the factor (it used to say that
    the body's bounce showed no steady rhythm); stated, the factor counts them."""
    m = make_motion(n_jumps=10, fps=120.0, cadence_hz=1.5, jump_height_m=0.04, hide=FEET, seed=3)
    p = dataclasses.replace(m.pose, t_s=m.pose.t_s * 4.0, fps=30.0)
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    plain = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    assert plain.jumps.count == 0
    kinds = {str(n.kind) for n in plain.notices}
    assert {"maybe_slow_motion", "no_jumps_feet_out"} <= kinds
    text = " ".join(plain.messages)
    assert "further apart than real skipping allows" in text and "--slowmo" in text
    assert "did not show a steady rhythm" not in text
    stated = analyze_pose(stage, AnalysisConfig(standing_height_cm=170, slowmo_factor=4.0))
    assert stated.jumps.count == 10 and "slow_motion" in {str(n.kind) for n in stated.notices}


def test_a_steady_beat_slower_than_any_skipping_is_said_with_the_factor_to_state():
    """Jumps every 1.8 s with the arms pumping (no rope, or skipping slowed down that the
    clip cannot tell): the notice says what was seen there and asks for the factor if the
    clip is slow motion, instead of "no steady rhythm of jumps", which was false."""
    p = make_motion(n_jumps=8, fps=30.0, cadence_hz=1 / 1.8, jump_height_m=0.12, arms_pumping=True, seed=3).pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    report = analyze_pose(stage, AnalysisConfig(standing_height_cm=170))
    text = " ".join(report.messages)
    assert report.jumps.count == 0 and "no_skipping" in {str(n.kind) for n in report.notices}
    assert "steady beat, one every 1.8 s" in text and "--slowmo" in text and "without a rope is not counted" in text
    assert "no steady rhythm" not in text
