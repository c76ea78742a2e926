"""bench/generalise.py: the report -> predictions mapping, truth summaries and scoring,
on made-up reports and truths with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from bench.generalise import (
    condition_tags,
    predictions,
    rule_stats,
    score_clip,
    summarise,
    to_markdown,
    truth_summary,
)


class FakeReport:
    def __init__(self, d: dict) -> None:
        self._d = d

    def to_dict(self) -> dict:
        return self._d


def _report(**extra) -> FakeReport:
    """A schema-2.0 report: checked heights with their status, rule statuses including
    "borderline", the rope evidence per stretch of jumping."""
    nan = float("nan")
    d = {"summary": {"jump_count": 3, "view": "front"},
         "jumps": [{"takeoff_s": 1.0, "landing_s": 1.2, "height_cm_displacement": 3.0, "height_cm_flight_time": 4.0,
                    "height_cm": 4.0, "height_sigma_cm": 0.5, "height_status": "ok", "rope_passes_seen": 1},
                   {"takeoff_s": 1.5, "landing_s": 1.7, "height_cm_displacement": 5.0, "height_cm_flight_time": 4.0,
                    "height_cm": nan, "height_status": "disagree", "rope_passes_seen": 0},
                   {"takeoff_s": 2.0, "landing_s": 2.2, "height_cm_displacement": nan, "height_cm": nan,
                    "height_status": "feet not visible", "rope_passes_seen": -1}],
         "rules": [{"id": "arms.elbows_in", "status": "fault"}, {"id": "posture.trunk_upright", "status": "na"},
                   {"id": "landing.knees_soft", "status": "borderline"}],
         "time_scale": {"factor": 1.0, "source": "real time", "estimate": 1.05, "uncertainty": 0.1, "n_jumps": 3},
         "rope_evidence": "rope seen above the head",
         "run_evidence": [{"start_s": 0.9, "end_s": 2.3, "accepted": True, "reason": "hands turn, rope seen",
                           "turns_per_jump": 1.0, "rope_passes": [1, 0, -1],
                           "cues": [{"name": "hands", "verdict": "for", "strength": 0.8, "detail": "circles"},
                                    {"name": "rope_band", "verdict": "none", "strength": 0.0, "detail": "-"}]},
                          {"start_s": 5.0, "end_s": 7.0, "accepted": False, "reason": "no rope",
                           "turns_per_jump": nan, "rope_passes": [],
                           "cues": [{"name": "hands", "verdict": "against", "strength": 0.6, "detail": "still"}]}]}
    d.update(extra)
    return FakeReport(d)


def test_predictions_read_schema_2_and_default_what_is_not_there() -> None:
    p = predictions(_report())
    assert p["count"] == 3 and p["view"] == "front"
    # Real time, checked against gravity: factor 1, not reported as slow motion.
    assert p["slowmo_factor"] == 1.0 and p["slowmo_reported"] is False
    assert p["time_scale"]["source"] == "real time" and p["time_scale"]["estimate"] == 1.05
    assert [j["height_reliable"] for j in p["jumps"]] == [True, False, False]
    assert [j["height_cm"] for j in p["jumps"]] == [4.0, None, None]  # NaN -> not a number to score
    assert [j["height_cm_displacement"] for j in p["jumps"]] == [3.0, 5.0, None]
    assert [j["rope_passes_seen"] for j in p["jumps"]] == [1, 0, -1]
    assert p["rules"] == {"arms.elbows_in": "fault", "posture.trunk_upright": "na", "landing.knees_soft": "borderline"}
    rope = p["rope"]
    assert (rope["runs_counted"], rope["runs_rejected"]) == (1, 1)
    assert rope["runs"][0]["decided_by"] == ["hands:for"] and rope["runs"][1]["decided_by"] == ["hands:against"]
    assert rope["runs"][0]["rope_passes"] == [1, 0, -1] and rope["runs"][1]["turns_per_jump"] is None
    for source, reported in (("estimated", True), ("rhythm", True), ("user", True), ("real time", False)):
        q = predictions(_report(time_scale={"factor": 4.0 if reported else 1.0, "source": source}))
        assert q["slowmo_reported"] is reported and q["slowmo_factor"] == (4.0 if reported else 1.0), source
    empty = predictions(FakeReport({}))
    assert empty["count"] == 0 and empty["jumps"] == [] and empty["rules"] == {}
    assert empty["slowmo_factor"] == 1.0 and empty["slowmo_reported"] is False and empty["time_scale"] is None
    assert empty["rope"] == {"summary": "", "runs": [], "runs_counted": 0, "runs_rejected": 0}


def test_height_reliable_without_a_status_is_a_finite_checked_height() -> None:
    p = predictions(FakeReport({"jumps": [{"takeoff_s": 1.0, "height_cm": 3.0}, {"takeoff_s": 1.5, "height_cm": None},
                                          {"takeoff_s": 2.0}]}))
    assert [j["height_reliable"] for j in p["jumps"]] == [True, False, None]


def _truth(rules: dict | None = None, faults: list | None = None, count: int | None = None) -> dict:
    jumps = [{"takeoff_s": t, "landing_s": t + 0.2, "landing_frame": int((t + 0.2) * 30), "height_cm": 3.5,
              "knee_touchdown_deg": 160.0, "foot": "both", "rope_visible": [True]} for t in (1.0, 1.5, 2.0)]
    t = {"jumps": jumps if count != 0 else [], "standing_height_cm": 170.0, "n_frames": 90, "fps": 30.0,
         "faults": faults or []}
    if rules is not None:
        t["rules"] = rules
    if count is not None:
        t["true_count"] = count
        t["movement"] = "squats"
    return t


def test_truth_summary_old_and_new_schemas() -> None:
    old = truth_summary(_truth(faults=[{"rule": "posture.head_forward", "value": 8.0}]))
    assert old["rules"] == {"posture.eyes_forward": {"fault": True, "borderline": False, "applies": True, "value": 8.0}}
    assert old["count"] == 3 and not old["negative"] and not old["clean"]
    new = truth_summary(_truth(rules={
        "posture.head_forward": {"analysis_rule": "posture.eyes_forward", "fault": False, "borderline": True},
        "arms.elbows_in": {"analysis_rule": "arms.elbows_in", "fault": False, "borderline": False}}))
    assert new["rules"]["posture.eyes_forward"]["borderline"] and not new["clean"]
    neg = truth_summary(_truth(count=0))
    assert neg["negative"] and neg["count"] == 0 and neg["movement"] == "squats"


def test_scores_match_jumps_and_leave_out_unreliable_heights() -> None:
    truth = _truth(rules={"arms.elbows_in": {"analysis_rule": "arms.elbows_in", "fault": True, "borderline": False}})
    ts = truth_summary(truth)
    pred = predictions(_report())
    knee = np.full(90, 150.0)
    s = score_clip(pred, truth, ts, {"knee_angle_deg_left": knee, "knee_angle_deg_right": knee - 5})
    assert s["count_exact"] and s["count_abs_err"] == 0
    assert s["height_matched"] == 3 and s["height_flagged_unreliable"] == 2
    assert s["height_abs_err_cm"] == [0.5]  # the checked height of jump 1; jumps 2 and 3 withheld
    assert s["height_abs_err_cm_displacement"] == [0.5, 1.5]  # unchecked, where measured
    assert s["height_status"] == {"disagree": 1, "feet not visible": 1, "ok": 1}
    assert s["knee_abs_err_deg"] == [10.0, 10.0, 10.0]
    assert s["rules"]["arms.elbows_in"] == {"pred": "fault", "true_fault": True, "borderline": False}
    assert s["rules"]["posture.trunk_upright"]["true_fault"] is False
    assert s["faults_raised"] == ["arms.elbows_in"] and s["borderline_raised"] == ["landing.knees_soft"]


def test_rule_stats_score_borderline_verdicts_as_not_a_fault_and_count_them() -> None:
    rows = [{"scores": {"rules": {"r": {"pred": p, "true_fault": t, "borderline": b}}}}
            for p, t, b in [("fault", True, False), ("fault", False, False), ("pass", True, False),
                            ("pass", False, False), ("fault", True, True), ("borderline", True, False),
                            ("borderline", False, False), ("borderline", False, True), ("na", False, False),
                            ("absent", True, False)]]
    c = rule_stats(rows)["r"]
    # Borderline verdicts on a clear truth: a missed fault (fn) and a true negative (tn).
    assert (c["tp"], c["fp"], c["fn"], c["tn"]) == (1, 1, 2, 2)
    assert (c["borderline_truth"], c["pred_borderline"], c["borderline_on_fault"], c["pred_na"]) == (2, 3, 1, 2)
    assert c["precision"] == pytest.approx(0.5) and c["recall"] == pytest.approx(1 / 3)
    assert c["f1"] == pytest.approx(2 / 5)


def test_condition_tags_use_the_measured_truth() -> None:
    row = {"labels": {"tags": ["feet_cut"], "slowmo_factor": 4.0},
           "truth": {"capture": {"tags": ["below_knee_cut"]}, "rope_visible_share": 0.2, "negative": False}}
    assert condition_tags(row) == ["below_knee_cut", "slowmo", "rope_hardly_visible"]


def test_markdown_of_a_run_with_failures_says_so() -> None:
    ok = {"seed": 1000, "status": "ok", "error": None, "labels": {"movement": "two_foot", "view_bin": "front",
                                                                  "fps_band": "24-30", "resolution_p": 360, "tags": []},
          "truth": truth_summary(_truth()), "predictions": {}, "frames": 90,
          "timings_s": {"render": 2.0, "render_cpu": 2.0, "analysis": 3.0, "analysis_cpu": 3.5, "total": 5.0},
          "renderer": {"pose_found_share": 1.0, "median_px": 4.0, "median_frac": 0.02}}
    ok["truth"]["rope_visible_share"] = 1.0
    ok["scores"] = score_clip(predictions(_report()), _truth(), ok["truth"], None)
    bad = {"seed": 1001, "status": "timeout", "error": "no result within 5 s", "timings_s": {"total": 5.0}}
    res = summarise([ok, bad], 10.0, {"n": 2, "seed": 1000, "workers": 1, "timeout": 5.0, "small": False})
    md = to_markdown(res, "python -m bench.generalise --n 2 --seed 1000")
    assert "DEVELOPMENT seeds" in md and "seed 1001 (timeout)" in md
    assert res["status"] == {"ok": 1, "refused": 0, "error": 0, "timeout": 1}
    assert res["overall"]["count_exact_rate"] == 1.0
