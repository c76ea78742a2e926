"""Rope evidence, gravity and hard captures on made-up motion with answers known in advance."""

import dataclasses

import numpy as np
import pytest

from analysis.measure.jumps import _uncounted_why, detect_jumps
from analysis.measure.jumps.physics import (
    G_CM_S2,
    Flight,
    combine_heights,
    combine_readings,
    estimate_time_scale,
    possibly_slowed,
    top_may_be_cut,
)
from analysis.measure.jumps.rope import (
    ALONE_MIN_SIN_YAW,
    LOCK_MIN_JUMPS,
    CountedRun,
    carry_rope,
    decide,
    stated_cue,
    statement_would_count,
    tuck_cue,
)
from analysis.measure.jumps.signals import TORSO_LANDMARKS, JumpSignals, hands_fore_aft_cm
from analysis.measure.scale import estimate_scale
from analysis.measure.signals import (
    HAMPEL_MIN_DEVIATION_FRAC,
    LOW_CONFIDENCE_MIN_VISIBILITY,
    clean_pose,
    clean_series,
    clean_xy,
    feet_bottom_y_raw,
    unsmoothed_xy,
)
from analysis.measure.view import feet_visible
from analysis.pose.landmarks import Landmark as L
from analysis.types import Cue, PoseSeries
from tests.fixtures.motion import make_motion
from tests.fixtures.signals import flat_signals

FEET = (L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX, L.LEFT_ANKLE, L.RIGHT_ANKLE,
        L.LEFT_KNEE, L.RIGHT_KNEE)


def detect(pose: PoseSeries, height_cm: float = 170.0, **kw):
    """``detect_jumps`` as the pipeline calls it (the hands' fore-aft swing from the 3D
    landmarks unless ``hands_fore_aft`` is given)."""
    clean = clean_pose(pose)
    scale, cm, _ = estimate_scale(clean.xy_px, pose.fps, height_cm)
    w, h = pose.frame_size_px
    kw.setdefault("hands_fore_aft", hands_fore_aft_cm(pose.world_m))
    return detect_jumps(
        clean.xy_px, clean.t_s, pose.fps, cm, stature_cm=height_cm, scale_rel_uncertainty=scale.relative_uncertainty,
        feet_visible=feet_visible(clean.xy_px, pose.visibility, w, h), torso_xy_px_unsmoothed=unsmoothed_xy(pose, TORSO_LANDMARKS),
        feet_bottom_raw_y=feet_bottom_y_raw(pose),
        wrists_xy_px_low_confidence=clean_xy(pose, WRISTS, LOW_CONFIDENCE_MIN_VISIBILITY), **kw
    )


def slowed(pose: PoseSeries, k: float) -> PoseSeries:
    """The same frames played k times slower (a phone's slow motion: frame rate unchanged)."""
    return PoseSeries(pose.t_s * k, pose.xy_px, pose.world_m, pose.visibility, pose.frame_size_px, pose.fps / k)


def test_skipping_is_counted_on_the_hands_turning_evidence():
    ja = detect(make_motion(n_jumps=12).pose)
    assert ja.count == 12
    ev = [e for e in ja.run_evidence if e.accepted]
    assert ev and ev[0].cue("hands turning").verdict == "for"
    assert ev[0].turns_per_jump == 1.0


def test_a_stretch_whose_rope_holds_but_gives_no_run_says_why_none_was_counted():
    """Hands turning a rope, but 15 cm hops 2.5 a second: the flights fill 85 % of every
    cycle, which no rope's rhythm allows (no ground contact). The rope's evidence holds, so
    the stretch must not read as counted, nor the clip as "no rhythm": it says why none was
    counted. Below that height the same clip counts every jump and says nothing."""
    ja = detect(make_motion(n_jumps=12, jump_height_m=0.15).pose)
    assert ja.count == 0
    (ev,) = ja.run_evidence
    assert ev.accepted and not ev.counted
    assert ev.uncounted.startswith("flights fill 85% of each cycle")
    assert "flights fill" in ja.rope_evidence
    ok = detect(make_motion(n_jumps=12, jump_height_m=0.12).pose)
    assert ok.count == 12 and all(e.counted and not e.uncounted for e in ok.run_evidence)


def test_a_stretch_left_without_a_run_names_what_broke_it():
    """Where no run's check refused the jumps (``_counted_parts`` left too few, or none on
    one beat), the reason says which: too few timed, or no steady beat."""
    few = _uncounted_why(7, 2)
    assert "only 2 of its 7 bounces could be timed as jumps" in few and "a run needs 3" in few
    off_beat = _uncounted_why(7, 6)
    assert "its 6 timed jumps keep no steady beat over 3 jumps in a row" in off_beat


def test_arms_pumping_in_opposition_are_not_a_rope():
    ja = detect(make_motion(n_jumps=12, arms_pumping=True).pose)
    assert ja.count == 0
    assert ja.run_evidence and not any(e.accepted for e in ja.run_evidence)
    assert any(e.cue("arms pumping") and e.cue("arms pumping").verdict == "against" for e in ja.run_evidence)
    assert "opposition" in ja.rope_evidence
    # The hands' own reading never calls them "together", and with every wrist seen there is
    # no second look to report.
    hands = [e.cue("hands turning").detail for e in ja.run_evidence if e.cue("hands turning")]
    assert hands and all("move together" not in d and "low confidence" not in d for d in hands)


def test_hands_parting_less_than_a_rope_allows_neither_refuse_nor_vouch():
    """Hands in opposition by less than a rope's handles can part (``ARMS_PUMP_MIN_SD_CM``:
    here the left hand circles 3.4 cm in radius, the right half that against it, seen 45 deg
    off the front where the circles show: 1.8 cm apart in standard deviation) are as often
    the pose model's error on a rope's small circles: they refuse nothing, but vouch for
    nothing either, though a hand circles at the jump rate locked to the jumps; with no other
    cue nothing is counted. Wider apart they are pumping arms."""
    small = detect(
        make_motion(
            n_jumps=12, arms_pumping=True, arms_pumping_frac=0.02, arms_pumping_right_share=0.5, yaw_deg=45.0
        ).pose
    )
    assert small.count == 0
    (ev,) = small.run_evidence
    assert ev.cue("arms pumping") is None
    hands = ev.cue("hands turning")
    assert hands.verdict == "none" and "in opposition" in hands.detail and "vouch for nothing" in hands.detail
    wide = detect(make_motion(n_jumps=12, arms_pumping=True, arms_pumping_frac=0.05).pose)
    assert wide.count == 0
    assert any(e.cue("arms pumping") and e.cue("arms pumping").verdict == "against" for e in wide.run_evidence)


SIDE_FAR_ARM = (L.RIGHT_WRIST, L.RIGHT_ELBOW, L.RIGHT_INDEX, L.RIGHT_PINKY, L.RIGHT_THUMB)
WRISTS = (L.LEFT_WRIST, L.RIGHT_WRIST)


def _wrists_at(pose: PoseSeries, visibility: float, sides: tuple[int, ...] = WRISTS) -> PoseSeries:
    """``pose`` with the given wrists placed as before but at this visibility throughout."""
    vis = pose.visibility.copy()
    vis[:, list(sides)] = visibility
    return dataclasses.replace(pose, visibility=vis)


def test_hands_the_model_is_unsure_of_vouch_on_both_signatures_together():
    """A rope turned fast blurs the hands and the model's confidence in them drops: with both
    wrists at visibility 0.4 the first look sees no wrists, and the second, on the wrists
    placed with low confidence, finds both hands rising together and circling: counted, and
    said to rest on that second look. At 0.2 they are not read at all."""
    m = make_motion(n_jumps=12, view="oblique")
    assert detect(m.pose).count == 12
    unsure = detect(_wrists_at(m.pose, 0.4))
    assert unsure.count == 12
    hands = unsure.run_evidence[0].cue("hands turning")
    assert hands.verdict == "for" and "wrists seen in only 0%" in hands.detail
    assert "placed with low confidence" in hands.detail
    assert detect(_wrists_at(m.pose, 0.2)).count == 0


def test_one_hand_the_model_is_unsure_of_does_not_vouch_alone():
    """Side view, the far arm hidden, the near wrist at visibility 0.4: seen, one circling
    wrist locked to the hops vouches for a rope; placed with low confidence it does not (a
    running arm's hidden hand, placed from the arm around it, can trace such a loop), and the
    evidence says why."""
    m = make_motion(n_jumps=12, view="side", hide=SIDE_FAR_ARM)
    assert detect(m.pose).count == 12
    ja = detect(_wrists_at(m.pose, 0.4, (L.LEFT_WRIST,)))
    assert ja.count == 0
    assert "only both signatures together vouch" in ja.rope_evidence


@pytest.mark.parametrize(("height_cm", "vouches"), [(-40.0, True), (15.0, False)])
def test_a_second_look_that_contradicts_itself_vouches_for_nothing(height_cm, vouches):
    """Wrists never seen, placed with low confidence circling together once a jump: at the
    hips (40 cm under the shoulders) the second look vouches; held above the shoulders, the
    same look also shows hands overhead, so it vouches for nothing and refuses nothing."""
    from analysis.measure.jumps.rope import hands_cues

    fps, rate, n = 30.0, 2.0, 180
    t = np.arange(n) / fps
    circle = np.stack([5.0 * np.cos(2 * np.pi * rate * t), height_cm + 5.0 * np.sin(2 * np.pi * rate * t)], axis=1)
    low = np.stack([circle, circle], axis=1)  # [T, 2 hands, (x, y)]
    sig = flat_signals(n, fps, wrist_rel_cm=np.full((n, 2, 2), np.nan), wrist_rel_low_conf_cm=low)
    beats = np.arange(0, n, int(fps / rate))
    cues, _ = hands_cues(sig, 0, n, rate, beats)
    hands = next(c for c in cues if c.name == "hands turning")
    assert (hands.verdict == "for") is vouches
    assert "wrists seen in only 0%" in hands.detail and "low confidence" in hands.detail
    assert not any(c.verdict == "against" for c in cues)  # the second look never refuses
    if not vouches:
        assert "but they also show hands overhead" in hands.detail


@pytest.mark.parametrize(("sign", "said"), [(1.0, "the hands move together (coupling +1.00)"),
                                            (-1.0, "the hands move in opposition (coupling -1.00)")])
def test_the_hands_coupling_is_said_as_measured(sign, said):
    """Two hands circling once a jump, in step or one half a turn behind: the detail says
    "together" only for hands that move together."""
    from analysis.measure.jumps.rope import hands_cues

    fps, rate, n = 30.0, 2.0, 180
    t = np.arange(n) / fps
    one = np.stack([5.0 * np.cos(2 * np.pi * rate * t), -40.0 + 5.0 * np.sin(2 * np.pi * rate * t)], axis=1)
    other = np.stack([one[:, 0], -40.0 + sign * (one[:, 1] + 40.0)], axis=1)
    sig = flat_signals(n, fps, wrist_rel_cm=np.stack([one, other], axis=1))
    cues, _ = hands_cues(sig, 0, n, rate, np.arange(0, n, int(fps / rate)))
    detail = next(c for c in cues if c.name == "hands turning").detail
    assert said in detail
    assert sign > 0 or "move together" not in detail


@pytest.mark.parametrize(("yaw", "circle_cm", "caveat"), [(0.0, 0.0, True), (170.0, 0.0, True), (90.0, 0.0, False),
                                                     (0.0, 5.0, False), (float("nan"), 0.0, False)])
def test_hands_that_only_rise_together_from_the_front_carry_the_running_arms_caveat(yaw, circle_cm, caveat):
    """Both hands rising and falling together once a jump, locked to the jumps, no hand seen
    to circle: the hands vouch for a rope, but from near the front or back (within
    ``ALONE_MIN_SIN_YAW`` of them) running arms show exactly that, so the cues say so
    (``RUNNING_ARMS_ALIKE``). Side-on, with a circle seen, or with the view unknown, not."""
    from analysis.measure.jumps.rope import RUNNING_ARMS_ALIKE, hands_cues

    fps, rate, n = 30.0, 2.0, 180
    t = np.arange(n) / fps
    hand = np.stack([circle_cm * np.cos(2 * np.pi * rate * t), -40.0 + 5.0 * np.sin(2 * np.pi * rate * t)], axis=1)
    sig = flat_signals(n, fps, wrist_rel_cm=np.stack([hand, hand], axis=1), camera_yaw_deg=yaw)
    cues, _ = hands_cues(sig, 0, n, rate, np.arange(0, n, int(fps / rate)))
    names = {c.name: c for c in cues}
    assert names["hands turning"].verdict == "for"
    assert (RUNNING_ARMS_ALIKE in names) == caveat
    if caveat:
        assert names[RUNNING_ARMS_ALIKE].verdict == "unknown" and "running" not in names["hands turning"].detail


def test_a_second_look_at_unsure_hands_never_overrules_the_first_against_a_rope():
    """Arms pumping in opposition, seen: the first look refuses the rope, and a second look
    (were it to find anything) cannot overrule it."""
    ja = detect(make_motion(n_jumps=12, arms_pumping=True).pose)
    assert ja.count == 0
    assert any(c.verdict == "against" for e in ja.run_evidence for c in e.cues)


def test_a_lone_wrist_swinging_like_a_running_arm_is_not_a_rope():
    """Side view, the far arm hidden: the near hand's height peaks at both ends of its swing,
    so its rise and fall runs at the step rate and locks to the hops; its fore-aft swing, at
    half that rate and far wider than a handle's circle, shows a running arm."""
    ja = detect(make_motion(n_jumps=12, view="side", arms_running=True, hide=SIDE_FAR_ARM).pose)
    assert ja.count == 0
    assert ja.run_evidence and not any(e.accepted for e in ja.run_evidence)


def test_a_lone_wrist_turning_a_rope_is_still_a_rope():
    ja = detect(make_motion(n_jumps=12, view="side", hide=SIDE_FAR_ARM).pose)
    assert ja.count == 12
    assert any(e.accepted and e.cue("hands turning").verdict == "for" for e in ja.run_evidence)


@pytest.mark.parametrize("yaw", [0.0, 180.0, -150.0])
def test_from_the_front_or_back_a_lone_wrist_cannot_tell_a_running_arm_from_a_rope(yaw):
    """One arm hidden, seen from the front or behind, with the pose model's depth too flat to
    read a swing (``hands_fore_aft`` None): a running arm's hand is highest at both ends of
    its swing, which is in depth, so it rises and falls in step with the hops as a rope's
    handle does. The lone wrist then says it cannot tell; neither clip is counted, and the
    user's word that a rope was turning counts the rope's (``stated_cue``)."""
    for kw in ({"arms_running": True}, {}):
        pose = make_motion(n_jumps=12, view="front", hide=SIDE_FAR_ARM, **kw).pose
        ja = detect(pose, camera_yaw_deg=yaw, hands_fore_aft=None)
        assert ja.count == 0, kw
        hands = ja.run_evidence[0].cue("hands turning")
        assert hands.verdict == "unknown" and "running arm" in hands.detail
        assert statement_would_count(ja.run_evidence[0])
    rope = make_motion(n_jumps=12, view="front", hide=SIDE_FAR_ARM).pose
    assert detect(rope, camera_yaw_deg=yaw, hands_fore_aft=None, rope_stated=True).count == 12
    # Within about 48 deg of side-on, the running arm's swing shows across the image and
    # the lone wrist vouches again (``ALONE_MIN_SIN_YAW``).
    assert abs(np.sin(np.radians(yaw))) < ALONE_MIN_SIN_YAW


def test_a_lone_wrist_vouches_where_the_view_is_not_known_yet():
    """While the pose runs the view is not estimated (NaN): the lone wrist is read as before."""
    ja = detect(make_motion(n_jumps=12, view="front", hide=SIDE_FAR_ARM).pose, hands_fore_aft=None)
    assert ja.count == 12


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hands_turning_together_and_circling_hold_when_their_phase_reads_noisy(seed):
    """Side view, both hands turning together and circling at the jump rate while their
    phase wanders against the take-offs (2 rad/s: the phase test fails on every seed)."""
    ja = detect(make_motion(n_jumps=12, view="side", arm_phase_walk_rad_per_s=2.0, seed=seed).pose)
    assert ja.count == 12
    ev = [e for e in ja.run_evidence if e.accepted]
    assert ev and "not locked" in ev[0].cue("hands turning").detail


@pytest.mark.parametrize("seed", [0, 1])
def test_arms_pumping_with_a_wandering_phase_are_still_not_a_rope(seed):
    ja = detect(make_motion(n_jumps=12, arms_pumping=True, arm_phase_walk_rad_per_s=2.0, seed=seed).pose)
    assert ja.count == 0


def test_without_hands_or_rope_there_is_no_count():
    hands = (L.LEFT_WRIST, L.RIGHT_WRIST, L.LEFT_INDEX, L.RIGHT_INDEX, L.LEFT_PINKY, L.RIGHT_PINKY,
             L.LEFT_THUMB, L.RIGHT_THUMB)
    ja = detect(make_motion(n_jumps=12, hide=hands).pose)
    assert ja.count == 0
    assert "could not be confirmed" in ja.rope_evidence


HANDS = (L.LEFT_WRIST, L.RIGHT_WRIST, L.LEFT_INDEX, L.RIGHT_INDEX, L.LEFT_PINKY, L.RIGHT_PINKY, L.LEFT_THUMB,
         L.RIGHT_THUMB)


def test_a_rope_the_user_says_was_turning_counts_the_jumps_the_clip_cannot_confirm():
    """Hands hidden, no rope band: the clip alone cannot confirm a rope (0 above); on the
    user's word every jump counts, and the evidence says it rests on that word."""
    ja = detect(make_motion(n_jumps=12, hide=HANDS).pose, rope_stated=True)
    assert ja.count == 12
    ev = [e for e in ja.run_evidence if e.accepted]
    assert ev and ev[0].cue("rope stated").verdict == "for"
    assert "as you said" in ev[0].reason and "did not confirm" in ev[0].reason


def test_a_stated_rope_stands_in_only_where_the_clip_cannot_show_the_rope():
    """Hands unseen, or too few bounces to test their lock: the statement counts. Hands seen
    over enough bounces without turning at their rhythm: these bounces are not the rope's
    jumps (standing bobs in a slow-motion clip), and the statement says why it does not count."""
    unseen = Cue("hands turning", "unknown", 0.0, "wrists seen in only 3% of the frames")
    seen = Cue("hands turning", "none", 0.0, "a hand circles (0.2 turns per cycle) at 1.30 x the jump rate")
    assert stated_cue(12, unseen).verdict == "for"
    assert stated_cue(LOCK_MIN_JUMPS - 1, seen).verdict == "for"
    off = stated_cue(LOCK_MIN_JUMPS, seen)
    assert off.verdict == "none" and "not the rope's jumps" in off.detail
    ev = decide([seen, off], float("nan"), 0.0, 5.0)
    assert not ev.accepted and "not the rope's jumps" in ev.reason


def _stretch(a: float, b: float, hands: Cue, *more: Cue, n: int = 4) -> "RunEvidence":
    return decide([hands, *more], float("nan"), a, b, (-1,) * n)


def test_the_rope_carries_forward_into_a_stretch_the_clip_cannot_show_it_on():
    """Four double-unders 0.6 s after a counted run, too few for the hands' lock: the rope
    turns on, and they count, saying where from. Not without a counted run before, not to a
    stretch before the run (bobs before the first turn), not over a break longer than a run
    holds, not where the hands were seen over enough bounces without turning, and never over
    a cue against a rope."""
    short = Cue("hands turning", "none", 0.0, "too few jumps (4) to test the lock")
    counted = CountedRun(0.2, 2.7, 0.44, 1.0)  # alternate steps every 0.44 s
    after = _stretch(3.3, 5.3, short)  # four double-unders, 0.67 s apart
    assert not after.accepted
    carried = carry_rope(after, counted, 1.3)
    assert carried.accepted and "carried over from the run counted at 0.2-2.7 s" in carried.reason
    assert carried.reason.endswith(after.reason)
    assert carried.cue("rope carried over").verdict == "for"
    assert carry_rope(after, None, 1.3) is after
    # Before the run: the rope may not have been turning yet.
    assert not carry_rope(_stretch(-2.0, -0.4, short), counted, 1.3).accepted
    # A break longer than a run holds (1.3 s at real time; twice that at 2x slow motion).
    late = _stretch(4.1, 6.0, short)
    assert not carry_rope(late, counted, 1.3).accepted and carry_rope(late, counted, 2.6).accepted
    # Hands seen over enough bounces, not turning: these bounces are not the rope's jumps.
    not_turning = _stretch(3.3, 8.0, Cue("hands turning", "none", 0.0, "no hand circles"), n=LOCK_MIN_JUMPS)
    assert not carry_rope(not_turning, counted, 1.3).accepted
    # Any cue against a rope keeps the refusal.
    pumping = _stretch(3.3, 5.3, short, Cue("arms pumping", "against", 0.7, "the hands move in opposition"))
    assert not carry_rope(pumping, counted, 1.3).accepted
    # Faster than the rope turned: three bounces 0.25 s apart after steps every 0.44 s are
    # the body settling, not the rope's jumps; after double-unders every 0.7 s (two turns
    # each) singles every 0.35 s are not.
    settling = _stretch(3.0, 3.5, short, n=3)
    assert not carry_rope(settling, counted, 1.3).accepted
    assert carry_rope(_stretch(3.0, 3.7, short, n=3), CountedRun(0.2, 2.7, 0.7, 2.0), 1.3).accepted
    # A stretch confirmed on its own is left as it is.
    own = _stretch(3.3, 5.3, Cue("hands turning", "for", 0.8, "a hand circles"))
    assert carry_rope(own, counted, 1.3) is own


def test_a_change_of_skill_after_confirmed_singles_counts_the_double_unders_too():
    """Made up: ten singles at 2.5 a second, the hands turning, then at once four
    double-unders at 1.25 a second whose wrists the pose model loses: the rhythm's change
    splits the run, the clip cannot show the rope over the double-unders, and the rope
    carries on into them from the singles (all fourteen count); the double-unders alone, with
    no singles before them, are not counted."""
    singles = make_motion(n_jumps=10, fps=30.0, cadence_hz=2.5, tail_s=0.0).pose
    doubles = make_motion(
        n_jumps=4, fps=30.0, cadence_hz=1.25, turns_per_jump=2, jump_height_m=0.15, lead_in_s=0.5, hide=WRISTS
    ).pose  # the first double-under 0.6 s after the last single
    dt = 1.0 / 30.0
    both = dataclasses.replace(
        singles,
        t_s=np.concatenate([singles.t_s, singles.t_s[-1] + dt + doubles.t_s]),
        xy_px=np.concatenate([singles.xy_px, doubles.xy_px]),
        world_m=np.concatenate([singles.world_m, doubles.world_m]),
        visibility=np.concatenate([singles.visibility, doubles.visibility]),
    )
    ja = detect(both)
    assert ja.count == 14
    assert any("carried over" in e.reason for e in ja.run_evidence if e.accepted)
    assert detect(doubles).count == 0


def test_a_stated_rope_never_overrules_evidence_against_one():
    """Arms pumping in opposition cannot turn a rope, whatever the user says."""
    ja = detect(make_motion(n_jumps=12, arms_pumping=True).pose, rope_stated=True)
    assert ja.count == 0
    assert any(e.cue("arms pumping").verdict == "against" for e in ja.run_evidence if e.cue("arms pumping"))


def test_a_stated_rope_leaves_the_clips_own_evidence_as_the_reason():
    """Where the clip confirms the rope itself, the count and the reason are the clip's."""
    plain, stated = detect(make_motion(n_jumps=12).pose), detect(make_motion(n_jumps=12).pose, rope_stated=True)
    assert stated.count == plain.count == 12
    ev = [e for e in stated.run_evidence if e.accepted]
    assert ev and ev[0].reason == [e for e in plain.run_evidence if e.accepted][0].reason
    assert "as you said" not in ev[0].reason


def test_feet_out_of_view_are_counted_from_the_torso_without_heights():
    m = make_motion(n_jumps=12, hide=FEET)
    ja = detect(m.pose)
    assert ja.count == 12
    assert all(j.height_status == "feet not visible" and np.isnan(j.height_cm) for j in ja.jumps)


@pytest.mark.parametrize("k", [2.0, 4.0, 8.0])
def test_slow_motion_is_found_from_gravity_and_corrected(k):
    m = make_motion(n_jumps=10, fps=240.0 if k == 8.0 else 120.0, cadence_hz=2.0, jump_height_m=0.04)
    ja = detect(slowed(m.pose, k))
    assert ja.count == 10
    assert ja.time_scale.factor == pytest.approx(k, rel=0.15)
    assert ja.time_scale.source in ("estimated", "rhythm")
    # Durations and cadence are physical: as in real time.
    assert ja.jumps_per_minute == pytest.approx(120.0, rel=0.1)
    assert np.median([j.flight_s for j in ja.jumps]) == pytest.approx(np.sqrt(8 * 0.04 / 9.81), rel=0.2)


@pytest.mark.parametrize("fps", [30.0, 60.0, 120.0])
def test_real_time_is_never_called_slow_motion(fps):
    ja = detect(make_motion(n_jumps=12, fps=fps, jump_height_m=0.03).pose)
    assert ja.time_scale.factor == 1.0 and ja.time_scale.source == "real time"


def test_flights_that_fill_their_cycles_do_not_read_gravity(monkeypatch):
    """Flights filling 85 % of their cycles (15 cm hops 2.5 a second) are not timed as
    flights of any rhythm on the floor: gravity is not read on them, so they can call no
    slow motion (hops of a centimetre whose lift the noise spreads over the cycle read as
    long, low flights). Beside them, 4 cm hops are read as before."""
    import analysis.measure.jumps as jumps

    seen: list[int] = []
    real = jumps.estimate_time_scale

    def record(flights, *a, **kw):
        seen.append(len(flights))
        return real(flights, *a, **kw)

    monkeypatch.setattr(jumps, "estimate_time_scale", record)
    filled = detect(make_motion(n_jumps=12, jump_height_m=0.15).pose)
    assert seen[-1] == 0 and filled.time_scale.source == "real time"
    detect(make_motion(n_jumps=12, jump_height_m=0.04).pose)
    assert seen[-1] >= 10


def test_a_stated_slow_motion_factor_is_used_as_given():
    m = make_motion(n_jumps=10, fps=120.0, cadence_hz=2.0, jump_height_m=0.04)
    ja = detect(slowed(m.pose, 4.0), slowmo_factor=4.0)
    assert ja.time_scale.factor == 4.0 and ja.time_scale.source == "user"
    assert ja.count == 10


def test_heights_that_disagree_with_the_flight_time_are_not_reported():
    # A hop whose feet rose 12 cm in a 0.1 s flight (1.2 cm ballistic): impossible, so no height.
    fl = Flight(apex=10, takeoff_s=1.0, landing_s=1.1, height_cm=12.0, noise_cm=0.2, lr_gap_s=0.0, lr_diff_cm=0.0)
    h = combine_heights(fl, fps=60.0, factor=1.0, scale_rel=0.06, two_foot=True)
    assert h.status == "disagree" and np.isnan(h.best_cm)
    # A consistent one: 3 cm and 0.156 s.
    fl = Flight(apex=10, takeoff_s=1.0, landing_s=1.156, height_cm=3.0, noise_cm=0.2, lr_gap_s=0.0, lr_diff_cm=0.0)
    h = combine_heights(fl, fps=60.0, factor=1.0, scale_rel=0.06, two_foot=True)
    assert h.status == "ok" and h.best_cm == pytest.approx(3.0, abs=0.3)
    assert h.sigma_cm < min(h.displacement_sigma_cm, h.flight_time_sigma_cm)


def test_the_cleaning_cuts_the_top_of_a_high_hop_that_spans_a_few_frames():
    """The premise of ``rise_may_be_clipped``: at 10 fps a double-under's hop spans about four
    frames, one short excursion in the outlier filter's five-frame window, and the cleaning
    takes its top for a landmark's error. The foot's lowest point (image y, px) over one
    cycle of development seed 1127 as the pose model gave it, repeated: a 58 px rise (about
    19 cm) comes out about 20 px. Sampled at 30 fps, the same hop keeps its top."""
    cycle = [706.0, 706.0, 704.0, 687.0, 648.0, 657.0, 695.0]
    y = np.array(cycle * 8)
    t = np.arange(len(y)) / 10.0
    floor_px = HAMPEL_MIN_DEVIATION_FRAC * 600.0  # clean_pose's floor for a 600 px landmark span
    clean = clean_series(y, t, 10.0, min_deviation=floor_px)
    assert 706.0 - y.min() == 58.0
    assert 706.0 - clean[14:42].min() < 0.5 * 58.0
    fine_t = np.arange(0.0, t[-1], 1.0 / 30.0)
    fine = np.interp(fine_t, t, y)
    assert 706.0 - clean_series(fine, fine_t, 30.0, min_deviation=floor_px)[42:126].min() > 0.9 * 58.0


@pytest.mark.parametrize(
    ("fps", "flight_s", "rise_cm", "cut_cm", "cut"),
    [
        (10.0, 0.46, 9.2, 8.0, True),  # development seed 1127: a 17.5 cm double-under read 9.2 cm
        (10.0, 0.46, 16.0, 2.0, False),  # a top the filter lowered by less than the rise answers for
        (15.0, 0.40, 12.0, 6.0, True),
        (30.0, 0.33, 3.5, 6.1, False),  # seed 1056: a jolt of the raw feet that the filter took out
        (60.0, 0.40, 17.0, 8.0, False),  # a double-under at 60 fps spans 24 frames: its top is kept
        (10.0, 0.46, 9.2, 0.0, False),  # nothing cut
    ],
)
def test_a_rise_the_cleaning_cut_leaves_the_height_to_the_flight_time(fps, flight_s, rise_cm, cut_cm, cut):
    fl = Flight(apex=10, takeoff_s=1.0, landing_s=1.0 + flight_s, height_cm=rise_cm, noise_cm=0.3, lr_gap_s=0.0,
                lr_diff_cm=0.0)
    h = combine_heights(fl, fps=fps, factor=1.0, scale_rel=0.06, two_foot=True, rise_cut_cm=cut_cm)
    if cut:
        assert top_may_be_cut(fl.duration_s, fps)
        assert h.status == "rise cut" and h.displacement_cm == rise_cm
        assert h.best_cm == h.flight_time_cm and h.sigma_cm == h.flight_time_sigma_cm
        # Timed to a frame of 0.07-0.1 s, the flight time says little, and says so.
        assert h.sigma_cm > 0.3 * h.best_cm
    else:
        assert h.status != "rise cut"


def test_only_a_flight_that_fits_the_outlier_filters_window_can_have_its_top_cut():
    # The window is 5 frames below 50 fps (7 at 60 fps), with a frame to spare each end.
    assert top_may_be_cut(0.59, 10.0) and not top_may_be_cut(0.71, 10.0)
    assert top_may_be_cut(0.23, 30.0) and not top_may_be_cut(0.24, 30.0)
    assert top_may_be_cut(0.14, 60.0) and not top_may_be_cut(0.16, 60.0)
    assert not top_may_be_cut(float("nan"), 30.0)


def test_the_cut_is_read_between_the_feet_before_and_after_cleaning_within_the_flight():
    """``jumps._rise_cut_cm``: the highest two-foot lift inside the timed flight before
    cleaning, less the highest after (the pipeline gives the feet before cleaning,
    ``signals.feet_bottom_y_raw``)."""
    from analysis.measure.jumps import _rise_cut_cm

    n, fps = 40, 10.0
    clean = np.zeros(n)
    clean[10:14] = [6.0, 12.0, 12.0, 6.0]
    raw = clean.copy()
    raw[11:13] = [19.0, 17.0]  # the top the filter put back near the window's median
    raw[30] = 25.0  # a jolt outside this flight
    sig = flat_signals(
        n, fps, lift_left_cm=clean, lift_right_cm=clean, lower_lift_cm=clean, lower_lift_raw_cm=raw
    )
    fl = Flight(apex=11, takeoff_s=0.95, landing_s=1.4, height_cm=12.0, noise_cm=0.3, lr_gap_s=0.0, lr_diff_cm=0.0)
    assert _rise_cut_cm(sig, fl) == pytest.approx(7.0)
    untimed = dataclasses.replace(fl, takeoff_s=np.nan)
    assert _rise_cut_cm(sig, untimed) == 0.0
    assert _rise_cut_cm(dataclasses.replace(sig, lower_lift_raw_cm=None), fl) == 0.0


def test_from_behind_the_height_is_the_flight_times_alone():
    # From behind, the hidden toe is read near the heel, which rises with the foot's pitch:
    # 9 cm of "lift" for a 3 cm jump (0.156 s). The displacement is kept as read, not used.
    fl = Flight(apex=10, takeoff_s=1.0, landing_s=1.156, height_cm=9.0, noise_cm=0.2, lr_gap_s=0.0, lr_diff_cm=0.0)
    assert combine_heights(fl, fps=60.0, factor=1.0, scale_rel=0.06, two_foot=True).status == "disagree"
    h = combine_heights(fl, fps=60.0, factor=1.0, scale_rel=0.06, two_foot=True, toes_hidden=True)
    assert h.status == "toes hidden" and h.displacement_cm == 9.0
    assert h.best_cm == pytest.approx(3.0, abs=0.1) and h.sigma_cm == h.flight_time_sigma_cm
    # Without a timed flight, nothing is left to give the height.
    untimed = Flight(
        apex=10, takeoff_s=np.nan, landing_s=np.nan, height_cm=9.0, noise_cm=0.2, lr_gap_s=0.0, lr_diff_cm=0.0
    )
    h = combine_heights(untimed, fps=60.0, factor=1.0, scale_rel=0.06, two_foot=True, toes_hidden=True)
    assert h.status == "not measured" and np.isnan(h.best_cm)


def test_a_clip_that_may_be_slowed_takes_the_height_from_the_feet_alone():
    # 3 cm of rise in a flight of 0.31 s: real time would make it 11.8 cm, a 2x clip 3 cm.
    fl = Flight(apex=10, takeoff_s=1.0, landing_s=1.31, height_cm=3.0, noise_cm=0.2, lr_gap_s=0.0, lr_diff_cm=0.0)
    h = combine_heights(fl, fps=60.0, factor=1.0, scale_rel=0.06, two_foot=True, time_in_doubt=True)
    assert h.status == "displacement only" and h.best_cm == 3.0
    assert h.flight_time_cm == pytest.approx(11.8, abs=0.1)  # kept as read


@pytest.mark.parametrize(
    ("yaw", "status"), [(0.0, "ok"), (90.0, "ok"), (180.0, "toes hidden"), (-150.0, "toes hidden")]
)
def test_the_cameras_yaw_decides_which_heights_stand(yaw, status):
    ja = detect(make_motion(n_jumps=10, fps=60.0, jump_height_m=0.04).pose, camera_yaw_deg=yaw)
    assert ja.count == 10
    statuses = [j.height_status for j in ja.jumps if j.height_status not in ("flight not measurable", "disagree")]
    assert len(statuses) >= 8 and set(statuses) == {status}
    heights = [j.height_cm for j in ja.jumps if j.height_status == status]
    assert np.median(heights) == pytest.approx(4.0, abs=1.0)


def test_time_scale_needs_both_readings_to_call_slow_motion():
    # Flights that read 2x slow on the feet but whose torso falls at g: not slow motion.
    t = np.arange(0, 10, 1 / 60)
    torso = -490.5 * (t % 0.5) ** 2  # falls at g in every half second (clip time)
    flights = [Flight(apex=int(a * 60), takeoff_s=a - 0.156, landing_s=a + 0.156, height_cm=3.0, noise_cm=0.1,
                      lr_gap_s=0.0, lr_diff_cm=0.0, shape_ratio=1.0) for a in np.arange(1.25, 9.0, 0.5)]
    ts = estimate_time_scale(flights, t, torso, 0.06)
    assert ts.factor == 1.0


@pytest.mark.parametrize("fps", [10.0, 120.0])
def test_the_feet_reading_carries_a_frame_of_timing_however_many_flights(fps):
    """Every flight of a clip is timed between frames by the same rule, so an error of up to a
    frame is shared by all of them and does not shrink with their number: at 10 fps a flight
    read 0.4 s long (four frames) gives the feet's reading a quarter of its value in
    uncertainty, however many flights agree (fresh seed 1259, real time at 10 fps: flights
    read 2.76 +- 0.38 x slow, the torso's fall 2.20 +- 0.36, and the clip called 2.6x slow
    motion)."""
    t = np.arange(0, 16, 1 / fps)
    k, dur = 2.76, 0.4
    h = 981.0 * (dur / k) ** 2 / 8
    flights = [
        Flight(
            apex=int(a * fps),
            takeoff_s=a - dur / 2,
            landing_s=a + dur / 2,
            height_cm=h,
            noise_cm=0.2,
            lr_gap_s=0.0,
            lr_diff_cm=0.0,
            shape_ratio=1.0,
        )
        for a in np.arange(1.0, 14.0, 1.0)
    ]
    ts = estimate_time_scale(flights, t, np.zeros_like(t), 0.06)
    assert ts.estimate == pytest.approx(k, rel=0.01)
    assert ts.uncertainty >= k * (1 / fps) / dur
    if fps == 10.0:
        assert ts.factor == 1.0  # k - 2 sigma no longer clears sqrt(2)


def _slowed_readings(k_flight: float, k_fall: float):
    """Five 15 cm hops, 3 s apart in clip time at 30 fps, whose feet read ``k_flight`` times
    slow and whose torso falls ``k_fall`` times slow."""
    t = np.arange(0, 18, 1 / 30)
    apexes = np.arange(1.5, 16.0, 3.0)
    near = apexes[np.argmin(np.abs(t[:, None] - apexes[None, :]), axis=1)]
    torso = -0.5 * 981.0 / k_fall**2 * (t - near) ** 2
    half = 0.5 * np.sqrt(8 * 15.0 * k_flight**2 / 981.0)
    flights = [Flight(apex=int(a * 30), takeoff_s=a - half, landing_s=a + half, height_cm=15.0, noise_cm=0.2,
                      lr_gap_s=0.0, lr_diff_cm=0.0, shape_ratio=1.0) for a in apexes]
    return flights, t, torso


def test_two_readings_that_both_rule_real_time_out_call_slow_motion_even_when_they_differ():
    """Development seed 1046 (4x): the feet read 3.6x, the torso's fall 5.6x; each rules real
    time out by far, so the clip is slow motion (between the two, nearer the feet's, which
    err less from clip to clip: ``combine_readings``; the uncertainty spanning both), where
    it had been left at real time for their 1.55x disagreement."""
    ts = estimate_time_scale(*_slowed_readings(3.6, 5.6), 0.06)
    assert ts.slowed and 3.6 < ts.factor < np.sqrt(3.6 * 5.6)
    assert ts.factor == pytest.approx(combine_readings(3.6, 0.0, 5.6, 0.0)[0], rel=0.05)
    assert ts.uncertainty >= 0.9 and "differ" in ts.note
    agree = estimate_time_scale(*_slowed_readings(4.0, 4.2), 0.06)
    assert agree.slowed and agree.factor == pytest.approx(4.1, rel=0.05) and "differ" not in agree.note
    real = estimate_time_scale(*_slowed_readings(1.0, 1.1), 0.06)
    assert real.factor == 1.0


def test_gravitys_readings_are_weighed_by_what_each_shares_across_a_clip():
    """The reading with the larger shared bias counts for less; equal biases and errors give
    the geometric mean; one reading alone passes through; the uncertainty comes from the
    readings' own errors."""
    from analysis.measure.jumps.physics import FALL_SHARED_REL, FLIGHT_SHARED_REL

    assert FLIGHT_SHARED_REL < FALL_SHARED_REL  # the feet err less from clip to clip
    est, sig = combine_readings(4.0, 0.2, 6.0, 0.3)
    assert 4.0 < est < np.sqrt(24.0)
    a = (1 / (0.05**2 + FLIGHT_SHARED_REL**2)) / (1 / (0.05**2 + FLIGHT_SHARED_REL**2) + 1 / (0.05**2 + FALL_SHARED_REL**2))
    assert est == pytest.approx(4.0**a * 6.0 ** (1 - a))
    assert sig == pytest.approx(est * np.hypot(a * 0.05, (1 - a) * 0.05))
    # A precise reading outweighs an imprecise one beyond what the biases say.
    assert combine_readings(4.0, 0.04, 6.0, 3.0)[0] < combine_readings(4.0, 0.04, 6.0, 0.3)[0]
    assert combine_readings(4.0, 0.2, float("nan"), float("nan")) == (4.0, 0.2)
    assert combine_readings(float("nan"), float("nan"), 6.0, 0.3) == (6.0, 0.3)


def test_a_factor_read_off_gravity_carries_what_it_is_worth_from_clip_to_clip():
    """Readings with tiny errors of their own still share a bias across a clip's flights
    (``FLIGHT_SHARED_REL``, ``FALL_SHARED_REL``): the factor's uncertainty keeps it, and the
    flight-time heights it corrects carry it twice (h grows with 1 / factor^2)."""
    from analysis.measure.jumps.physics import (
        FALL_SHARED_REL,
        FLIGHT_SHARED_REL,
        clip_uncertainty,
        flight_time_height,
    )

    est, own = combine_readings(4.0, 0.01, 4.2, 0.01)
    total = clip_uncertainty(4.0, 0.01, 4.2, 0.01)
    shared = 1.0 / np.sqrt(1.0 / FLIGHT_SHARED_REL**2 + 1.0 / FALL_SHARED_REL**2)
    assert own < 0.01 and total == pytest.approx(est * shared, rel=0.01)
    assert clip_uncertainty(4.0, 0.2, float("nan"), float("nan")) == pytest.approx(
        4.0 * np.hypot(0.05, FLIGHT_SHARED_REL)
    )
    assert np.isnan(clip_uncertainty(float("nan"), float("nan"), float("nan"), float("nan")))
    ts = estimate_time_scale(*_slowed_readings(4.0, 4.2), 0.06)
    assert ts.source == "estimated" and ts.uncertainty >= shared * ts.factor and "+-" in ts.note
    h, s_plain = flight_time_height(1.2, 30.0, 4.0)
    h2, s_scaled = flight_time_height(1.2, 30.0, 4.0, factor_rel=0.25)
    assert h2 == h and s_scaled >= 2 * 0.25 * h > s_plain * 0.5


@pytest.mark.parametrize("k", [2.0, 4.0])
def test_heights_on_a_slowed_clip_carry_the_factors_uncertainty(k):
    """Made-up slow motion found from gravity: the truth is within two of the factor's stated
    uncertainties, and every flight-time height's uncertainty holds the factor's share."""
    m = make_motion(n_jumps=10, fps=120.0, cadence_hz=2.0, jump_height_m=0.04)
    ja = detect(slowed(m.pose, k))
    ts = ja.time_scale
    assert ts.source == "estimated" and abs(ts.factor - k) <= 2 * ts.uncertainty
    rel = ts.uncertainty / ts.factor
    timed = [j for j in ja.jumps if np.isfinite(j.height_cm_flight_time)]
    assert timed and all(j.height_uncertainty_cm >= 2 * rel * j.height_cm_flight_time for j in timed)


@pytest.mark.parametrize("k", [4.0, 8.0])
def test_three_slowed_jumps_are_timed_by_the_torsos_fall_alone(k):
    """A phone's few seconds of slow motion hold 3 jumps: too few for the feet's reading
    (``SLOWMO_MIN_JUMPS``), but each flight is many frames long and the torso's parabola in
    each reads the time scale on its own (``physics.fall_alone``)."""
    m = make_motion(n_jumps=3, fps=240.0 if k == 8.0 else 120.0, cadence_hz=2.0, jump_height_m=0.04)
    ja = detect(slowed(m.pose, k))
    assert ja.count == 3
    assert ja.time_scale.source == "estimated" and ja.time_scale.factor == pytest.approx(k, rel=0.15)
    assert "slower than gravity in the middle of" in ja.time_scale.note


def test_the_torsos_fall_alone_does_not_call_slow_motion_against_the_feet():
    """Legs tucked in the air flatten the torso's arc (it reads slow) and raise the feet (they
    read fast): where the feet's timed flights read real time, the torso's 3x stands alone
    against them, and the clip stays real time."""
    flights, t, torso = _slowed_readings(1.0, 3.0)
    ts = estimate_time_scale(flights, t, torso, 0.06)
    assert ts.factor == 1.0 and ts.source == "real time"


def test_one_slowed_flight_is_not_enough_for_the_torsos_fall_alone():
    flights, t, torso = _slowed_readings(4.0, 4.0)
    one = [Flight(f.apex, f.takeoff_s, f.landing_s, f.height_cm, f.noise_cm, 0.0, 0.0, shape_ratio=2.0) for f in flights]
    ts = estimate_time_scale(one[:1], t, torso, 0.06)
    assert ts.factor == 1.0
    two = estimate_time_scale(one[:2], t, torso, 0.06)  # not ballistic: the feet give no reading
    assert two.source == "estimated" and two.factor == pytest.approx(4.0, rel=0.05) and two.n_jumps == 2


@pytest.mark.parametrize(("k_feet", "slow"), [(4.4, True), (1.3, False)])
def test_one_foot_flight_vetoes_the_torsos_fall_only_beyond_its_own_uncertainty(k_feet, slow):
    """Three 8x-slowed hops, the torso's fall read 7x on each, one foot flight timed as
    ballistic: one flight is worth a fifth of its timing and the clip's shared bias
    (``_feet_rel_uncertainty``), so 4.4x does not contradict 7x (development seed 1136) and
    the factor lies between them, its uncertainty spanning both; a flight read at 1.3x
    (near real time) still keeps the clip real time."""
    flights, t, torso = _slowed_readings(k_feet, 7.0)
    three = [f if i == 0 else dataclasses.replace(f, shape_ratio=2.0) for i, f in enumerate(flights[:3])]
    ts = estimate_time_scale(three, t, torso, 0.06)
    if not slow:
        assert ts.factor == 1.0 and ts.source == "real time"
        return
    assert ts.source == "estimated" and ts.factor == pytest.approx(np.sqrt(7.0 * k_feet), rel=0.03)
    assert ts.uncertainty >= 0.5 * (7.0 - k_feet) - 1e-9
    assert "the feet's one timed flight reads 4.40, and the factor is between the two" in ts.note


def _bouncing(takeoffs_s: np.ndarray, flight_s: float, fps: float = 30.0):
    """Timed hops and the torso's height over them: a cosine at the hops' rhythm, at its top
    mid-flight and at its lowest half a hop later, in the middle of the contact (the legs
    absorb the landing, then push)."""
    flights = [Flight(apex=int(round((t + flight_s / 2) * fps)), takeoff_s=t, landing_s=t + flight_s, height_cm=3.0,
                      noise_cm=0.1, lr_gap_s=0.0, lr_diff_cm=0.0) for t in takeoffs_s]
    t_s = np.arange(0.0, takeoffs_s[-1] + 1.0, 1.0 / fps)
    period = float(np.median(np.diff(takeoffs_s)))
    phase = 2 * np.pi * (t_s - (takeoffs_s[0] + flight_s / 2)) / period  # 0 at each apex
    return flights, t_s, 2.0 * np.cos(phase)


def test_the_rope_is_heard_striking_the_floor_at_the_take_offs_not_at_the_landings():
    from analysis.measure.jumps.rope import heard_cue

    flights, t_s, torso = _bouncing(np.arange(1.0, 6.0, 0.5), 0.15)
    slaps = np.array([f.takeoff_s - 0.03 for f in flights])
    thuds = np.array([f.landing_s + 0.005 for f in flights])
    assert heard_cue(np.sort(np.concatenate([slaps, thuds])), flights, 1.0, t_s, torso).verdict == "for"
    assert heard_cue(thuds, flights, 1.0, t_s, torso).verdict == "none"  # landings alone: no rope heard
    assert heard_cue(None, flights, 1.0, t_s, torso).verdict == "unknown"
    # Without the torso a strike cannot be told from a landing: nothing is taken for the rope.
    assert heard_cue(np.sort(np.concatenate([slaps, thuds])), flights, 1.0).verdict == "none"


def test_a_landing_heard_at_a_take_off_timed_late_is_not_the_rope():
    """Jogging in place, the feet hard to see: the take-offs are timed where the other foot
    lands (every thud 10 ms before a "take-off"), but the torso is still falling then; its
    lowest point comes half a contact later. Those thuds are landings, not a rope (CI's seed
    701, jogging in a dark, hazy clip, was counted 7 on them)."""
    from analysis.measure.jumps.rope import heard_cue

    step_s, flight_s = 1.0 / 3.0, 0.165
    true_takeoffs = np.arange(1.0, 5.0, step_s)
    _, t_s, torso = _bouncing(true_takeoffs, flight_s)
    landings = true_takeoffs + flight_s
    misread, _, _ = _bouncing(landings + 0.01, 0.15)
    cue = heard_cue(landings, misread, 1.0, t_s, torso)
    assert cue.verdict == "none" and "still falling" in cue.detail
    # The same thuds heard at take-offs timed right, with the torso rising: still landings
    # (the previous hop's), and a strike just before each true take-off is the rope.
    timed, _, _ = _bouncing(true_takeoffs, flight_s)
    assert heard_cue(landings, timed, 1.0, t_s, torso).verdict == "none"
    assert heard_cue(np.sort(np.r_[landings, true_takeoffs - 0.02]), timed, 1.0, t_s, torso).verdict == "for"


@pytest.mark.parametrize("walk, seed", [(6.0, 4), (12.0, 4)])
def test_a_short_run_needs_more_than_one_hand_signature(walk, seed):
    """Four hops with one wrist seen, circling at a rhythm unrelated to the hops (its phase
    wanders at ``walk`` rad/s; on these seeds it lands near one or two turns per hop): four
    hops are too few for the phase test to vouch for one signature, so no rope is confirmed
    (both were counted 4 when a short run let one signature decide alone)."""
    m = make_motion(n_jumps=4, view="side", hide=SIDE_FAR_ARM, arm_phase_walk_rad_per_s=walk, seed=seed)
    ja = detect(m.pose)
    assert ja.count == 0
    assert "too few jumps (4) to test the lock" in ja.rope_evidence


def test_a_short_run_with_both_hand_signatures_is_counted():
    """Both hands moving together and circling hold without the phase test (which four hops
    cannot pass here: the hands' phase wanders at 4 rad/s on this seed). Seen 45 deg off the
    front, where the handles' circles show; straight from the front the made-up circles are
    seen exactly edge-on, a line, and the hands then hold only one signature."""
    ja = detect(make_motion(n_jumps=4, arm_phase_walk_rad_per_s=4.0, seed=6, yaw_deg=45.0).pose)
    assert ja.count == 4
    assert "too few jumps (4) to test the lock" in ja.rope_evidence


def test_a_very_low_jump_under_a_turning_rope_is_counted():
    """1.2 cm bounces (the randomised suite draws heights from 1 cm): the hop reads at the
    clearance a knee bounce would, within the pose model's error, but the hands turn once
    per bounce, so the rope cleared the feet every time between the run's first and last
    jump (all were dropped before). The first and last, with a neighbour on one side only,
    are left to the feet."""
    m = make_motion(n_jumps=12, jump_height_m=0.012)
    ja = detect(m.pose)
    assert ja.count >= 10
    mid = [0.5 * (a + b) for a, b in zip(m.takeoff_s, m.landing_s)]
    for j in ja.jumps:  # every counted jump is one of the true ones
        assert min(abs(j.apex_s - x) for x in mid) < 0.05
    inner = mid[1:-1]
    assert all(min(abs(j.apex_s - x) for j in ja.jumps) < 0.05 for x in inner)
    assert np.nanmedian([j.height_cm for j in ja.jumps]) == pytest.approx(1.2, abs=0.5)


def test_very_low_bounces_without_the_hands_are_not_counted():
    hands = (L.LEFT_WRIST, L.RIGHT_WRIST, L.LEFT_INDEX, L.RIGHT_INDEX, L.LEFT_PINKY, L.RIGHT_PINKY,
             L.LEFT_THUMB, L.RIGHT_THUMB)
    assert detect(make_motion(n_jumps=12, jump_height_m=0.008, hide=hands).pose).count == 0


def test_a_hint_of_slow_motion_is_said_but_not_corrected_for():
    """Gravity reads 1.65 +- 0.06 (a 2x clip of 1.5 cm hops whose fall reading alone stays
    below the bar): the clip is treated as real time and the report says it may be slow."""
    from analysis.measure.jumps.physics import possibly_slowed
    from analysis.types import TimeScale

    assert possibly_slowed(TimeScale(1.0, "real time", 1.65, 0.06, 16, ""))
    assert not possibly_slowed(TimeScale(1.0, "real time", 1.3, 0.1, 16, ""))
    assert not possibly_slowed(TimeScale(1.0, "real time", float("nan"), float("nan"), 0, ""))
    assert not possibly_slowed(TimeScale(2.0, "estimated", 2.0, 0.1, 16, ""))


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_real_time_skipping_gets_no_hint_of_slow_motion(fps):
    from analysis.measure.jumps.physics import possibly_slowed

    assert not possibly_slowed(detect(make_motion(n_jumps=12, fps=fps).pose).time_scale)


def test_arms_that_rise_with_each_hop_are_not_a_rope_turning():
    """The hands move together, circle and lock to the hops, but are at the top of their rise
    at mid-flight: arms swung up with a hop. A rope turned once per jump passes under the
    feet then, with the hands low."""
    ja = detect(make_motion(n_jumps=12, hands_rise_with_hop=True).pose)
    assert ja.count == 0
    assert "top of their rise at mid-flight" in ja.rope_evidence
    # the same hands, low at mid-flight, turn a rope
    assert detect(make_motion(n_jumps=12).pose).count == 12


def test_hands_high_at_mid_flight_of_long_flights_vouch_for_nothing():
    """Flights long enough for a double-under (13 cm hops, 0.33 s) with the hands at the top
    at mid-flight and one turn per jump: a double-under's two turns read as one, or arms
    swung up with each hop (a one-foot hop without a rope). The hands cannot tell which, so
    without another cue nothing is counted; the same hops with the hands low at mid-flight
    (high single jumps) are a rope turned once a jump."""
    high = dict(n_jumps=12, cadence_hz=2.2, jump_height_m=0.13)
    ja = detect(make_motion(**high, hands_rise_with_hop=True).pose)
    assert ja.count == 0
    assert "cannot tell a rope from none" in ja.rope_evidence
    assert detect(make_motion(**high).pose).count == 12


def test_hands_high_at_mid_flight_do_not_veto_a_double_under():
    """A double-under's two turns put the hands high at mid-flight; read as one turn (noisy
    wrists), that must not veto the rope: the veto is for single bounces only."""
    m = make_motion(n_jumps=10, cadence_hz=1.25, jump_height_m=0.15, turns_per_jump=2, hands_rise_with_hop=True)
    assert detect(m.pose).count == 10


def _band_with_a_burst_each_cycle(m, at_share: float | None = 0.5, rise: float = 30.0, seed: int = 0) -> np.ndarray:
    """A band above the head flickering by 0-2 grey levels that rises by ``rise`` once a
    cycle, ``at_share`` of the way from one apex to the next (0.5: mid-contact; None: never):
    what a rope passing over the head gives (or something else moving there at the hops'
    rhythm)."""
    t = m.pose.t_s
    band = np.random.default_rng(seed).integers(0, 3, t.size).astype(float)
    if at_share is not None:
        flight = np.sqrt(8 * m.params.jump_height_m / 9.81)
        period = 1.0 / m.params.cadence_hz
        for t0 in m.takeoff_s:
            band[int(np.argmin(np.abs(t - (t0 + flight / 2 + at_share * period))))] += rise
    return band


def test_hands_held_up_are_not_a_rope_even_when_they_bob_at_the_hops_rhythm():
    """A boxer's guard: the hands held at the chin bob in a small circle with each hop, as a
    rope's hands turn, and the band above the head bursts at the hops' rhythm. Hands held
    above the shoulders rule a rope out: letting hands that turn at the rhythm pass as a rope
    turned high was tried, and on development seeds rendered afterwards two boxing-footwork
    clips without a rope were counted (9 and 14)."""
    m = make_motion(n_jumps=12, hands_guard=True)
    ja = detect(m.pose, rope_band=_band_with_a_burst_each_cycle(m))
    assert ja.count == 0
    ev = ja.run_evidence[0]
    assert ev.cue("rope seen").verdict == "for" and ev.cue("hands turning").verdict == "for"
    assert ev.cue("hands overhead").verdict == "against"
    # refused as undecided, not as proven ropeless: a rope turned that high looks the same
    assert not ev.reason.startswith("jumping without a rope") and "cannot be told" in ev.reason
    # the same bursts with the hands turning low are the rope
    m = make_motion(n_jumps=12)
    assert detect(m.pose, rope_band=_band_with_a_burst_each_cycle(m)).count == 12


BOTH_ARMS = SIDE_FAR_ARM + (L.LEFT_WRIST, L.LEFT_ELBOW, L.LEFT_INDEX, L.LEFT_PINKY, L.LEFT_THUMB)


def _faint_band(m, at_share: float | None) -> np.ndarray:
    """A pass of 2 grey levels over the 0-2 levels' flicker: under the four noise deviations
    any one cycle's pass needs."""
    return _band_with_a_burst_each_cycle(m, at_share, rise=2.0, seed=1)


def test_a_faint_rope_over_the_head_counts_jumps_whose_hands_are_hidden():
    """The hands hidden all along (arms behind the body, a dark jacket), and the rope too
    faint to stand out in any one jump: averaged over the run's cycles its pass over the
    head, half a turn after mid-flight, still shows, and the run is counted on it. The
    jumps themselves are not said to have their rope seen. Without the pass, or with the
    same flicker near the top of each jump (where no rope passes over the head), nothing."""
    m = make_motion(n_jumps=12, hide=BOTH_ARMS)
    ja = detect(m.pose, rope_band=_faint_band(m, 0.55))
    assert ja.count == 12
    ev = ja.run_evidence[0]
    assert ev.cue("hands turning").verdict == "unknown" and ev.cue("rope seen").verdict == "for"
    assert "faint rope" in ev.reason and all(j.rope_passes_seen == 0 for j in ja.jumps)
    assert detect(m.pose, rope_band=_faint_band(m, None)).count == 0
    assert detect(m.pose, rope_band=_faint_band(m, 0.1)).count == 0


def test_one_wrist_read_at_the_shoulder_does_not_rule_a_rope_out():
    """The pose model can put one wrist at the shoulder while the other turns the rope at the
    hip (reporting seed 100061: the right wrist read 52 px above where it was drawn in 46 % of
    frames). The rope's two handles are held alike, and what this cue guards against (a
    boxer's guard, arms raised in a jumping jack) raises both hands: one hand alone above the
    shoulders is neither."""
    m = make_motion(n_jumps=12)
    xy = m.pose.xy_px.copy()
    wrong = (np.arange(len(xy)) // 15) % 2 == 0  # half a second in every second
    xy[wrong, L.RIGHT_WRIST] = xy[wrong, L.RIGHT_SHOULDER] - (0.0, 8.0)
    pose = dataclasses.replace(m.pose, xy_px=xy)
    ja = detect(pose, rope_band=_band_with_a_burst_each_cycle(m))
    assert ja.count == 12
    assert ja.run_evidence[0].cue("hands overhead").verdict == "none"


def test_hands_at_eye_level_rule_a_rope_out_even_when_they_circle():
    m = make_motion(n_jumps=12, hand_height_above_hip_m=0.75)
    ja = detect(m.pose, rope_band=_band_with_a_burst_each_cycle(m))
    assert ja.count == 0
    assert ja.run_evidence[0].cue("hands overhead").verdict == "against"


@pytest.mark.parametrize("style", ["two_foot", "alternate"])
def test_running_arms_seen_from_the_front_are_not_a_rope(style):
    """High knees or jogging in place filmed from the front: the arms swing fore and aft in
    opposition, in depth, so the image shows both hands rising and falling together at every
    step, as a rope's do. The 3D landmarks show one hand forward as the other goes back."""
    m = make_motion(n_jumps=14, view="front", arms_running=True, style=style)
    ja = detect(m.pose)
    assert ja.count == 0
    ev = ja.run_evidence[0]
    assert ev.cue("arms swinging").verdict == "against"
    assert ev.cue("hands turning").verdict == "for"  # the image alone is fooled
    assert "one forward as the other goes back" in ja.rope_evidence
    # without the 3D landmarks the same clip would be counted: the cue is what refuses it
    assert detect(m.pose, hands_fore_aft=None).count > 0


@pytest.mark.parametrize("kw", [{}, {"shoulder_turning": True}, {"view": "side"}, {"style": "alternate"}])
def test_a_ropes_handles_keep_together_fore_and_aft(kw):
    ja = detect(make_motion(n_jumps=14, noise_px=1.0, **kw).pose)
    assert ja.count == 14 if kw.get("style") != "alternate" else ja.count >= 12
    assert ja.run_evidence[0].cue("arms swinging").verdict == "none"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_factor_read_on_the_rhythm_keeps_every_interval_of_the_run(monkeypatch, seed):
    """Gravity unreadable, the factor is the rhythm's lower bound (jumps further apart than
    real skipping allows). Read on the median interval, the slower half of a jittered run's
    intervals stayed above the limit and split it into short pieces (5-7 of 10 counted);
    read on the slowest interval within the rhythm, the run stays whole."""
    import analysis.measure.jumps as jumps_module
    from analysis.types import TimeScale

    unreadable = TimeScale(1.0, "real time", float("nan"), float("nan"), 0, "gravity not readable")
    monkeypatch.setattr(jumps_module, "estimate_time_scale", lambda *a, **k: unreadable)
    m = make_motion(n_jumps=10, fps=120.0, cadence_hz=1.0, jump_height_m=0.04, noise_px=1.0, seed=seed)
    ja = detect(slowed(m.pose, 4.0))
    assert ja.time_scale.source == "rhythm" and ja.time_scale.factor >= 4.0
    assert ja.count == 10
    # A bound, not a measurement: flight-time heights on it would be too high by its square,
    # so every height is the feet's rise alone.
    assert {j.height_status for j in ja.jumps} <= {"displacement only", "feet not visible", "not measured"}


@pytest.mark.parametrize("n_jumps", [3, 5])
def test_too_few_jumps_far_apart_do_not_make_a_clip_slow_motion(monkeypatch, n_jumps):
    """Gravity unreadable, a few jumps 4 s apart: too few for the rhythm to overturn real
    time (a rope read on a few jumps may be one hand signature locked by chance, as on a
    clip of squats), so the clip stays real time (the report then asks for the factor)."""
    import analysis.measure.jumps as jumps_module
    from analysis.types import TimeScale

    unreadable = TimeScale(1.0, "real time", float("nan"), float("nan"), 0, "gravity not readable")
    monkeypatch.setattr(jumps_module, "estimate_time_scale", lambda *a, **k: unreadable)
    m = make_motion(n_jumps=n_jumps, fps=120.0, cadence_hz=1.0, jump_height_m=0.04, noise_px=1.0)
    ja = detect(slowed(m.pose, 4.0))
    assert ja.time_scale.source == "real time" and ja.time_scale.factor == 1.0
    assert ja.count == 0  # in real time, jumps 4 s apart make no run
    # ... but it says the clip may be slow motion, at least as slow as the beat implies, and
    # asks for the factor.
    assert possibly_slowed(ja.time_scale) and 3.5 <= ja.time_scale.rhythm_hint <= 4.5
    assert f"{n_jumps} jumps are too few" in ja.time_scale.note and "state the factor" in ja.time_scale.note


@pytest.mark.parametrize("k", [2.0, 4.0])
def test_slowed_jumps_with_the_feet_hidden_ask_for_the_factor(k):
    """A rope turns, the feet are out of view: gravity cannot be read off their flights, and
    without flights the slow beat cannot overturn real time (a squat's hands can ride with the
    body like a rope's). The clip is said to be maybe slowed down, by at least what the beat
    needs; stated, the factor counts every jump."""
    m = make_motion(n_jumps=10, fps=30.0 * k, cadence_hz=1.5, jump_height_m=0.04, hide=FEET)
    ja = detect(slowed(m.pose, k))  # played at 30 frames a second, a beat every k / 1.5 s
    assert ja.count == 0 and ja.time_scale.factor == 1.0
    assert possibly_slowed(ja.time_scale) and ja.time_scale.rhythm_hint == pytest.approx(k / 1.5, rel=0.2)
    assert "the feet are out of view" in ja.time_scale.note
    stated = detect(slowed(m.pose, k), slowmo_factor=k)
    assert stated.count == 10 and stated.time_scale.source == "user"


def test_a_slow_beat_below_twice_the_fastest_skipping_rate_hints_at_nothing():
    """At 12 frames a second a real-time speed step (7.5 steps a second) can alias to a slow
    beat: the same slowed jumps, played at 12 frames a second, give no hint of slow motion."""
    m = make_motion(n_jumps=6, fps=48.0, cadence_hz=1.0, jump_height_m=0.04, hide=FEET)
    ja = detect(slowed(m.pose, 4.0))  # 12 frames a second, a beat every 4 s
    assert ja.count == 0 and not possibly_slowed(ja.time_scale)
    assert np.isnan(ja.time_scale.rhythm_hint)


@pytest.mark.parametrize("cadence_hz", [1.0, 0.9])
@pytest.mark.parametrize("seed", range(4))
def test_the_slowest_skipping_is_counted_whole_in_real_time(cadence_hz, seed):
    """60 and 54 jumps a minute at 30 frames a second, 1 px of landmark jitter: every jump
    counted, and the clip real time. With the run broken at the slowest beat itself (1 s),
    an interval a frame long split the run (6 and 8 of 10 counted at 60 a minute) and a beat
    just under 60 a minute was called slow motion (1.03-1.17x)."""
    m = make_motion(n_jumps=10, fps=30.0, cadence_hz=cadence_hz, jump_height_m=0.04, noise_px=1.0, seed=seed)
    ja = detect(m.pose)
    assert ja.count == 10
    assert ja.time_scale.source == "real time" and ja.time_scale.factor == 1.0 and not possibly_slowed(ja.time_scale)


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_a_steady_beat_slower_than_any_skipping_is_said_not_called_no_rhythm(fps):
    """Tuck-like jumps every 1.8 s, the arms pumping (no rope): nothing is counted, and the
    clip says what it showed, a steady beat slower than any skipping with the feet leaving
    the floor and no rope on it, not "no periodic jumping"; its beat is kept for the page to
    ask for a slow-motion factor (the same beat is 2x slowed skipping, which the clip cannot
    tell apart without a rope)."""
    m = make_motion(n_jumps=8, fps=fps, cadence_hz=1 / 1.8, jump_height_m=0.12, arms_pumping=True)
    ja = detect(m.pose)
    assert ja.count == 0 and ja.time_scale.factor == 1.0
    assert ja.time_scale.slow_beat_s == pytest.approx(1.8, abs=0.1)
    assert ja.rope_evidence.startswith("no skipping: ") and "steady beat, one every 1.8 s" in ja.rope_evidence
    assert "the feet leaving the floor" in ja.rope_evidence and "slower than any skipping" in ja.rope_evidence
    assert ja.time_scale.slow_beat_note in ja.rope_evidence


def test_skipping_in_real_time_and_a_slow_beat_at_a_low_frame_rate_have_no_slow_beat():
    """Real-time skipping has no slow beat to speak of; at 12 frames a second a slow beat may
    be a fast one aliased (``MAX_RATE_HZ``), so it is not said to be slower than skipping."""
    assert np.isnan(detect(make_motion(n_jumps=10, fps=30.0).pose).time_scale.slow_beat_s)
    low = make_motion(n_jumps=6, fps=12.0, cadence_hz=1 / 1.8, jump_height_m=0.12, arms_pumping=True)
    ja = detect(low.pose)
    assert ja.count == 0 and np.isnan(ja.time_scale.slow_beat_s) and "steady beat" not in ja.rope_evidence


def _sweeping(n_jumps: int = 12, frac: float = 0.035, bob_m: float = 0.02, seed: int = 0):
    """Side view, the far arm hidden: the near hand sweeps fore and aft (across the image)
    at the jumps' rhythm (2.5 Hz), rising and falling a tenth as far, while it drifts up and
    down 2 cm at 1.9 Hz (0.76 x the jumps' rhythm) under 1 px of landmark jitter."""
    return make_motion(n_jumps=n_jumps, view="side", hide=SIDE_FAR_ARM, hand_circle_flatness=0.1,
                       hand_circle_frac=frac, hand_bob_m=bob_m, hand_bob_hz=1.9, noise_px=1.0, seed=seed).pose


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_hand_that_circles_across_the_image_is_read_across(seed):
    """Its rise and fall is the landmarks' jitter, at no rhythm of the jumps; its path
    across the image carries the turning, locked to the jumps."""
    ja = detect(_sweeping(seed=seed))
    assert ja.count == 12
    ev = [e for e in ja.run_evidence if e.accepted]
    assert ev and "across the image" in ev[0].cue("hands turning").detail


def test_a_path_across_the_image_wider_than_a_handles_circle_is_not_a_rope():
    """An arm swung 25 cm fore and aft at each hop (a skater's, a hop's swing), its rise and
    fall drifting wider than its own (6 cm), is no handle."""
    ja = detect(_sweeping(frac=0.15, bob_m=0.06))
    assert ja.count == 0
    assert ja.run_evidence and not any(e.accepted for e in ja.run_evidence)
    assert "wider than a handle's circle" in ja.run_evidence[0].cue("hands turning").detail


def test_a_path_across_the_image_needs_enough_jumps_to_test_its_lock():
    """Five jumps: the coupling read on the rise and fall says nothing of a path across,
    and five phases cannot show a lock: not counted."""
    ja = detect(_sweeping(n_jumps=5))
    assert ja.count == 0
    assert ja.run_evidence and "vouches only over 6 jumps" in ja.run_evidence[0].cue("hands turning").detail


def test_feet_pulled_far_above_a_timed_flight_are_tuck_jumps():
    """Feet 60 cm up in flights of 0.37 s (17 cm of lift): knees pulled to the chest."""
    ballistic = np.full(5, G_CM_S2 * 0.37**2 / 8.0)
    cue = tuck_cue(np.full(5, 60.0), ballistic)
    assert cue.verdict == "against", cue.detail


def test_feet_read_high_in_flights_too_short_to_time_are_not_called_tuck_jumps():
    """Flights of a frame or two (under 1 cm of lift) cannot hold feet 30 cm up: the readings
    disagree, so the cue says nothing rather than rule the rope out."""
    ballistic = np.array([G_CM_S2 * d**2 / 8.0 for d in (0.02, 0.04, 0.03, 0.02)])
    cue = tuck_cue(np.array([28.0, 30.0, 26.0, 31.0]), ballistic)
    assert cue.verdict == "unknown"
    assert "not timed" in cue.detail


@pytest.mark.parametrize(("fps", "said"), [(12.0, "faster than 6 a second"), (10.0, "faster than 5 a second")])
def test_a_low_frame_rate_says_which_rhythms_it_cannot_show(fps, said):
    """Half the frame rate is the fastest rhythm any clip can show (a speed step at 7 steps a
    second, filmed at 10 or 12 fps, is counted 0: ``bench.degrade``), and the warning says so."""
    from analysis.measure.view import assess_quality

    p = make_motion(n_jumps=8, fps=fps).pose
    q = assess_quality(p.xy_px, p.visibility, p.frame_size_px, fps, 300.0, 120.0, 300.0)
    low = [w for w in q.warnings if w.startswith("low frame rate")]
    assert len(low) == 1 and said in low[0] and "30 fps or more" in low[0]
    p30 = make_motion(n_jumps=8, fps=30.0).pose
    q30 = assess_quality(p30.xy_px, p30.visibility, p30.frame_size_px, 30.0, 300.0, 120.0, 300.0)
    assert not any(w.startswith("low frame rate") for w in q30.warnings)


def _hips_moving_sideways(
    hip_x_cm: np.ndarray, fps: float = 30.0, support_x_cm: np.ndarray | None = None, feet_seen: bool = True
) -> JumpSignals:
    """Signals whose only content is the hips' sideways path (cm), and the foot bearing the
    weight where given, for the lateral-bounds cue."""
    n = len(hip_x_cm)
    return flat_signals(
        n, fps, hip_x_cm=np.asarray(hip_x_cm, float), feet_visible=np.full(n, feet_seen), support_x_cm=support_x_cm
    )


def test_skater_bounds_are_read_where_the_feet_land_not_at_the_apexes():
    """A skater bounds between spots 80 cm apart: every bound's apex is half-way between its two
    landing spots, so the hips are at the same place at every apex, while at the contacts
    between bounces they are a bound apart (held-out development seed 1484, from behind)."""
    from analysis.measure.jumps.rope import MAX_LATERAL_TRAVEL_FRAC, lateral_cue

    fps, period = 30.0, 30  # one bound a second
    t = np.arange(12 * period)
    x = 40.0 * np.sin(np.pi * t / period - np.pi / 2)  # a landing spot 40 cm either side
    apexes = np.arange(period // 2, len(t) - 1, period)  # mid-bound: x = 0
    assert np.allclose(x[apexes], 0.0, atol=1e-9)
    cue = lateral_cue(_hips_moving_sideways(x, fps), apexes)
    assert cue.verdict == "against" and cue.strength == pytest.approx(80.0 / 170.0, rel=0.02)
    assert cue.strength > MAX_LATERAL_TRAVEL_FRAC
    # Skipping in place with a boxer's sway of a few centimetres stays a rope's.
    sway = lateral_cue(_hips_moving_sideways(0.1 * x, fps), apexes)
    assert sway.verdict == "none"


def test_a_tracker_jumping_to_another_body_is_not_a_lateral_bound(monkeypatch):
    """A short run whose hips' path jumps 3 m between frames 34 and 36 (the tracker took
    another person, as on development seed 1076, where a contact fell on the frame between):
    no body moves that fast, so the moves across the jump are left out."""
    import analysis.measure.jumps.rope as rope

    x = np.full(60, 650.0)
    x[35], x[36:] = 434.0, 335.0
    apexes = np.array([2, 16, 33, 37, 48])  # contacts at frames 9, 24, 35 and 42
    assert rope.lateral_cue(_hips_moving_sideways(x), apexes).verdict == "none"
    # Without the speed limit the two moves across the jump would make the median.
    monkeypatch.setattr(rope, "MAX_LATERAL_SPEED_STATURES_S", np.inf)
    assert rope.lateral_cue(_hips_moving_sideways(x), apexes).verdict == "against"


def test_a_skaters_landing_foot_shows_the_bound_its_hips_keep_inside():
    """The hips stay inside the landing foot (a fifth of a bound each side here), so they move
    less than the limit between contacts while the foot bearing the weight lands a bound away;
    with the feet out of view where they land cannot be read, and the hips' small travel stands."""
    from analysis.measure.jumps.rope import MAX_LATERAL_TRAVEL_FRAC, lateral_cue

    period = 30
    t = np.arange(12 * period)
    side = np.sin(np.pi * t / period - np.pi / 2)
    hips, foot = 12.0 * side, 34.0 * np.sign(side)  # feet land 68 cm apart (0.4 of 170 cm)
    apexes = np.arange(period // 2, len(t) - 1, period)
    assert 24.0 / 170.0 < MAX_LATERAL_TRAVEL_FRAC
    assert lateral_cue(_hips_moving_sideways(hips), apexes).verdict == "none"
    cue = lateral_cue(_hips_moving_sideways(hips, support_x_cm=foot), apexes)
    assert cue.verdict == "against" and cue.strength == pytest.approx(68.0 / 170.0, rel=0.02)
    unseen = lateral_cue(_hips_moving_sideways(hips, support_x_cm=foot, feet_seen=False), apexes)
    assert unseen.verdict == "none"


def test_the_weight_bearing_foot_is_the_lower_one_or_both_when_both_are_down():
    from analysis.measure.jumps.signals import BOTH_FEET_DOWN_CM, _support_x_px

    xy = np.full((3, 33, 2), np.nan)
    xy[:, L.LEFT_ANKLE, 0], xy[:, L.RIGHT_ANKLE, 0] = 100.0, 140.0
    fl = np.array([500.0, 500.0, 500.0])  # image rows: larger is lower
    fr = np.array([500.0 - 0.5 * BOTH_FEET_DOWN_CM, 470.0, np.nan])
    x = _support_x_px(xy, fl, fr, np.ones(3))
    assert x.tolist() == [120.0, 100.0, 100.0]  # both down; the left foot lower; only the left seen


def test_hands_rising_and_falling_wider_than_a_handles_circle_are_arms_moving_with_the_body():
    """Both hands rise and fall together by 25 cm at every hop (a squat's arms raised forward
    as it sinks, a jumping jack's): coupled, at the jumps' rhythm and locked to them, as a
    rope's hands are, but a handle circles 15 cm in radius at the widest (a height standard
    deviation of 10.6 cm), so they vouch for nothing, and with nothing else to show a rope
    the hops are not counted (held-out no-rope seed 1316, squats, was counted 13). The same
    hops with the hands turning a rope's circle count."""
    arms = make_motion(n_jumps=12, hand_bob_m=0.25, hand_bob_hz=2.5, noise_px=1.0)
    ja = detect(arms.pose)
    assert ja.count == 0
    assert "wider than a rope handle's circle" in ja.run_evidence[0].cue("hands turning").detail
    assert detect(make_motion(n_jumps=12, noise_px=1.0).pose).count == 12
