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


def test_rules_that_are_scored_reach_f1(res):
    scored = {k: v for k, v in res["rule_f1"].items() if v is not None}
    assert scored, "no rule was assessable on the quick suite"
    for rule in ("landing.balls_of_feet", "landing.knees_soft", "arms.elbows_in"):
        assert scored.get(rule, 0.0) >= TARGETS["rule_f1_min"], (rule, scored.get(rule))


@pytest.mark.xfail(strict=True, reason="measured F1 0: the 16 deg lean of q_faults_side is 4 deg past the 12 deg "
                   "limit, within two of the lean's standard deviation (>= 3 deg; RMS 4.0 deg against the truth on "
                   "389 development-seed jumps, bench.calibrate), so it is reported borderline, not a fault")
def test_a_lean_4_deg_past_the_limit_is_a_clear_fault(res):
    assert (res["rule_f1"].get("posture.trunk_upright") or 0.0) >= TARGETS["rule_f1_min"]


def test_count_exact_on_every_clip(res):
    assert res["count_exact_rate"] >= TARGETS["count_exact_rate"]


@pytest.mark.xfail(strict=True, reason="measured take-off/landing MAE 35/13 ms; the worst event per clip "
                   "is 0.9-3.9 frames off (first jump from standing, oblique alternate steps)")
def test_timing_within_one_frame(res):
    assert res["timing_within_one_frame_rate"] >= TARGETS["timing_frames"]


def test_height_at_60_fps(res):
    assert res["height_mae_cm"]["displacement_60fps_plus"] <= TARGETS["height_mae_cm_60fps"]


@pytest.mark.xfail(strict=True, reason="measured 1 fault on 3 clean clips: the side-view double-under clip is read "
                   "as single bounces (the hands' measured turning rate is 0.98 x the jump rate), so its 15 cm "
                   "jumps fail 'jump only as high as needed' on 4 of 4 jumps")
def test_no_faults_on_clean_clips(res):
    assert res["false_faults_on_clean"] == TARGETS["false_faults_on_clean"]


@pytest.mark.xfail(strict=True, reason="hands 22 cm above the hips are measured at 20 cm (MediaPipe's hip "
                   "landmark sits above the drawn hip joint), right at the threshold")
def test_hands_height_rule_f1(res):
    assert (res["rule_f1"]["arms.hands_hip_height"] or 0.0) >= TARGETS["rule_f1_min"]
