"""The quick synthetic suite through the real pipeline (real MediaPipe), asserted against
the accuracy targets of bench/accuracy.py. Clips are rendered once into a cache folder
(bench/suite_clips, git-ignored) and reused while their parameters are unchanged.

Targets the pipeline does not meet yet are marked ``xfail`` with the measured figure and
the reason (also in bench/RESULTS.md): they stay visible in every run, and turn into
failures of the mark (XPASS) once they are met, so the mark must then be removed.
"""

from __future__ import annotations

import pytest

from bench.accuracy import DEFAULT_SUITE_DIR, TARGETS, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def res():
    return run(quick=True, suite_dir=DEFAULT_SUITE_DIR, real=False)


def test_suite_ran(res):
    assert res["n_synthetic"] >= 6


def test_knee_angle_at_touchdown(res):
    assert res["knee_touchdown_mae_deg"] <= TARGETS["knee_touchdown_mae_deg"]


def test_height_at_30_fps_from_feet_displacement(res):
    assert res["height_mae_cm"]["displacement_30fps_or_less"] <= TARGETS["height_mae_cm_30fps"]


#: Rules of the F1 target not met on the quick suite: the measured figures. A rule whose
#: every verdict is borderline gets no pass/fault verdict, so it is not scored (F1 None).
F1_NOT_MET = {
    "posture.trunk_upright": "measured: not scored. The 16 deg lean of q_faults_side is measured at 14.3-15.1 deg "
                             "against the 12 deg limit and all 7 jumps are borderline (within the measurement's "
                             "uncertainty of the limit), so the rule is borderline, never a fault",
    "landing.knees_soft": "measured: not scored. The 178 deg straight knees of q_faults_side are measured at "
                          "174.9-177.6 deg against the 170 deg limit, within two of their 4.8 deg (side view) of it: "
                          "all 7 jumps are borderline, so the rule is borderline there",
}


@pytest.mark.parametrize("rule", [
    pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=F1_NOT_MET[r])) if r in F1_NOT_MET else r
    for r in ("posture.trunk_upright", "landing.balls_of_feet", "landing.knees_soft", "arms.elbows_in")
])
def test_rules_that_are_scored_reach_f1(res, rule):
    scored = {k: v for k, v in res["rule_f1"].items() if v is not None}
    assert scored, "no rule was assessable on the quick suite"
    assert scored.get(rule, 0.0) >= TARGETS["rule_f1_min"], (rule, scored.get(rule))


def test_count_exact_on_every_clip(res):
    assert res["count_exact_rate"] >= TARGETS["count_exact_rate"]


@pytest.mark.xfail(strict=True, reason="measured 0 of 6 clips within one frame: take-off/landing MAE 36/24 ms; "
                   "the worst event per clip is 1.3-5.8 frames off (q_alternate_oblique 5.8, q_clean_side_60 5.0)")
def test_timing_within_one_frame(res):
    assert res["timing_within_one_frame_rate"] >= TARGETS["timing_frames"]


def test_height_at_60_fps(res):
    assert res["height_mae_cm"]["displacement_60fps_plus"] <= TARGETS["height_mae_cm_60fps"]


def test_no_faults_on_clean_clips(res):
    # Met since a jump that flies long enough for a double-under is not judged for height
    # unless the rope or the hands show it turned once (q_double_under_side_60 had raised one).
    assert res["false_faults_on_clean"] == TARGETS["false_faults_on_clean"]


@pytest.mark.xfail(strict=True, reason="measured: not scored. Hands 22 cm above the hips in q_arms_front are "
                   "measured at 17.1-20.5 cm (median 18.9; MediaPipe's hip landmark sits above the drawn hip joint) "
                   "against the 20 cm limit: all 7 jumps borderline")
def test_hands_height_rule_f1(res):
    assert (res["rule_f1"]["arms.hands_hip_height"] or 0.0) >= TARGETS["rule_f1_min"]
