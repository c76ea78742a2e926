"""Fault truth: the analysis's own thresholds, per-jump and clip verdicts, borderline flags."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.config import THRESHOLDS
from analysis.rules import RULES as ANALYSIS_RULES
from synthetic.faults import ANALYSIS_RULE, MARGINS, RULES, threshold


def test_every_rule_maps_to_an_analysis_rule_and_has_a_margin_with_a_reason() -> None:
    ids = {r.id for r in ANALYSIS_RULES}
    assert set(ANALYSIS_RULE.values()) <= ids
    for key, (margin, reason) in MARGINS.items():
        assert key in THRESHOLDS.items() and margin >= 0 and len(reason) > 20


def test_truth_thresholds_are_the_analysis_thresholds(scene_cache) -> None:
    sc = scene_cache()
    rules = sc.truth["rules"]
    assert set(rules) == set(RULES)
    fps = sc.truth["fps"]
    for rule, r in rules.items():
        if rule == "landing.feet_together":  # the larger of 0.05 s and 2 frames
            want = max(threshold("touchdown_gap_max_s"), threshold("touchdown_gap_min_frames") / fps)
        else:
            want = threshold(r["threshold_key"])
        assert r["threshold"] == pytest.approx(want), rule
        for c in r["other_criteria"]:
            sign = -1.0 if c["threshold_key"] == "hands_below_hip_max_cm" else 1.0
            assert c["threshold"] == pytest.approx(sign * threshold(c["threshold_key"]))
    # The trunk-lean mismatch fixed: 11 deg is not a fault (the analysis allows 12).
    lean = scene_cache(trunk_lean_deg=11.0).truth["rules"]["posture.trunk_upright"]
    assert not lean["fault"] and lean["borderline"] and lean["threshold"] == threshold("trunk_lean_max_deg")


@pytest.mark.parametrize("lean,fault,borderline", [(5.0, False, False), (10.0, False, True), (14.0, True, True),
                                                   (18.0, True, False)])
def test_borderline_is_within_one_margin_of_the_threshold(scene_cache, lean, fault, borderline) -> None:
    r = scene_cache(trunk_lean_deg=lean).truth["rules"]["posture.trunk_upright"]
    assert r["value"] == pytest.approx(lean, abs=0.01)
    assert (r["fault"], r["borderline"]) == (fault, borderline)
    assert all(jf == fault for jf in r["jump_faults"])


def test_per_jump_faults_and_the_clip_share(scene_cache) -> None:
    # Locked knees on 1 of 4 jumps (25 %, under the 30 % share): jump-level fault only.
    one = scene_cache(jump_overrides=[{"jump": 1, "knee_touchdown_deg": 179.0}], height_jitter_frac=0.0)
    r = one.truth["rules"]["landing.knees_soft"]
    assert r["jumps"] == [1] and r["jump_faults"] == [False, True, False, False]
    assert r["share"] == 0.25 and not r["fault"]
    f = {x["rule"]: x for x in one.truth["faults"]}["landing.knees_soft"]
    assert f["jumps"] == [1] and not f["clip_fault"] and f["threshold"] == threshold("knee_locked_deg")
    a, b = f["frames"][0]
    j = one.truth["jumps"][1]
    assert a == j["takeoff_frame"] and b == one.truth["jumps"][2]["takeoff_frame"]
    # Two of four: a clip-level fault.
    two = scene_cache(jump_overrides=[{"jump": 1, "knee_touchdown_deg": 179.0},
                                      {"jump": 3, "knee_touchdown_deg": 179.0}])
    assert two.truth["rules"]["landing.knees_soft"]["fault"]


@pytest.mark.parametrize("pitch,fault,borderline", [(20.0, False, False), (4.0, False, True), (1.0, True, True),
                                                    (-12.0, True, False)])
def test_graded_heel_landing(scene_cache, pitch, fault, borderline) -> None:
    sc = scene_cache(touchdown_pitch_deg=pitch)
    r = sc.truth["rules"]["landing.balls_of_feet"]
    foot_cm = 0.152 * sc.params.standing_height_cm
    assert r["value"] == pytest.approx(foot_cm * np.sin(np.radians(pitch)), abs=1e-3)
    assert (r["fault"], r["borderline"]) == (fault, borderline)


def test_feet_together_threshold_depends_on_the_frame_rate(scene_cache) -> None:
    # 0.06 s is beyond 0.05 s but not beyond 2 frames at 24 fps (0.083 s).
    r24 = scene_cache(fps=24.0, lr_touchdown_offset_s=0.06).truth["rules"]["landing.feet_together"]
    r120 = scene_cache(fps=120.0, lr_touchdown_offset_s=0.06).truth["rules"]["landing.feet_together"]
    assert not r24["fault"] and r120["fault"]
    assert r24["margin"] == pytest.approx(1 / 24) and r120["margin"] == pytest.approx(1 / 120)


def test_rules_that_do_not_apply_to_the_style(scene_cache) -> None:
    alt = scene_cache(style="alternate", cadence_jpm=150.0, jump_height_cm=8.0).truth["rules"]
    assert not alt["landing.jump_height"]["applies"] and not alt["landing.feet_together"]["applies"]
    du = scene_cache(style="double_under", cadence_jpm=75.0, jump_height_cm=16.0).truth["rules"]
    assert not du["landing.jump_height"]["applies"] and du["landing.feet_together"]["applies"]
