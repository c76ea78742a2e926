"""Corrections recompute every figure from the report JSON: made-up motion with known
jumps, runs and faults, then hand corrections with known effects."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.store.corrections import Correction, apply_corrections
from tests.analysis.store.conftest import make_report

RECOMPUTED = ("summary", "runs", "cadence_windows", "rules", "findings", "priorities")


def _strip(jumps: list[dict]) -> list[dict]:
    return [{k: v for k, v in j.items() if k not in ("source", "original_index")} for j in jumps]


@pytest.mark.parametrize("kw", [
    {"n_jumps": 20, "pause_after": 9, "pause_s": 0.9, "view": "side", "trunk_lean_deg": 25.0},
    {"n_jumps": 12, "noise_px": 1.0, "elbow_abduction_deg": 40, "head_drop_deg": 40},
    {"n_jumps": 16, "style": "alternate", "pause_after": 5, "pause_s": 5.0},
    {"n_jumps": 14, "view": "side", "heel_landing": True, "knee_touchdown_deg": 176.0, "noise_px": 0.5, "seed": 3},
])
def test_without_corrections_every_figure_is_the_pipelines_own(kw):
    """The recomputation (with no correction) reproduces what the analysis computed: the same
    formulas for cadence, active time, runs, shares, status, drift, episodes and priorities."""
    r = make_report(**kw)
    d = json.loads(json.dumps(r.to_dict()))
    for t_s in (r.t_s, None):  # with the frame times, and from the JSON alone
        c = apply_corrections(d, [], t_s=t_s)
        for key in RECOMPUTED:
            assert c[key] == d[key], key
        assert _strip(c["jumps"]) == d["jumps"]
        assert {j["source"] for j in c["jumps"]} <= {"detected"}
        assert c["corrections"] == [] and c["original_detection"] is None


def test_adding_the_jump_missed_in_a_short_stand_joins_the_two_runs(two_runs_report, report_json):
    d = report_json
    assert [r["n_jumps"] for r in d["runs"]] == [10, 10]
    j9, j10 = d["jumps"][9], d["jumps"][10]
    frame = (j9["landing_frame"] + j10["takeoff_frame"]) // 2
    c = apply_corrections(d, [{"action": "add", "frame": frame, "note": "rope went round"}], t_s=two_runs_report.t_s)
    assert c["summary"]["jump_count"] == 21
    assert [r["n_jumps"] for r in c["runs"]] == [21]
    assert c["streaks"]["longest_streak"] == 21 and c["streaks"]["n_misses"] == 0
    added = [j for j in c["jumps"] if j["source"] == "added"]
    assert len(added) == 1 and added[0]["index"] == 10 and added[0]["original_index"] is None
    assert added[0]["takeoff_s"] == pytest.approx(two_runs_report.t_s[frame])
    assert added[0]["height_cm_displacement"] is None and added[0]["foot"] == "unknown"
    # No verdicts for the added jump: every rule marks it not assessed, shares unchanged.
    for before, after in zip(d["rules"], c["rules"]):
        assert after["jump_verdicts"][10] == "na" and after["jump_values"][10] is None
        assert after["n_assessed"] == before["n_assessed"]
        assert after["pass_share"] == before["pass_share"]
    # Cadence: 21 jumps over the joined run's active time (the detector's formula).
    takeoffs = [j["takeoff_s"] for j in c["jumps"]]
    active = (takeoffs[-1] - takeoffs[0]) * 21 / 20
    assert c["summary"]["active_time_s"] == pytest.approx(active)
    assert c["summary"]["jumps_per_minute"] == pytest.approx(60 * 21 / active)
    assert c["corrections"] == [{"action": "add", "jump": None, "frame": frame, "t_s": added[0]["takeoff_s"],
                                 "note": "rope went round"}]


def test_removing_jumps_recomputes_count_runs_and_shares_and_keeps_the_original(report_json):
    d = report_json
    trunk = next(r for r in d["rules"] if r["id"] == "posture.trunk_upright")
    assert trunk["status"] == "fault" and trunk["n_assessed"] == 20
    c = apply_corrections(d, [Correction("remove", jump=19), Correction("remove", jump=4)])
    assert c["summary"]["jump_count"] == 18
    # The last jump of run 1 goes: run 1 shrinks. A jump in the middle of run 0 goes: the
    # 2-interval hole breaks the detector's rhythm rule (1.8 x the run's interval), so run
    # 0 splits; the hole is under 1 s, so the streak goes on through it.
    assert [r["n_jumps"] for r in c["runs"]] == [4, 5, 9]
    assert [e["ended_by"] for e in c["streaks"]["runs"]] == ["continued", "miss", "stop"]
    assert c["streaks"]["longest_streak"] == 9
    t = next(r for r in c["rules"] if r["id"] == "posture.trunk_upright")
    assert t["n_assessed"] == 18 and len(t["jump_verdicts"]) == 18 and t["status"] == "fault"
    assert [j["original_index"] for j in c["jumps"]] == [i for i in range(20) if i not in (4, 19)]
    orig = c["original_detection"]
    assert orig["summary"] == d["summary"] and orig["jumps"] == d["jumps"] and orig["runs"] == d["runs"]
    assert next(r for r in orig["rules"] if r["id"] == "posture.trunk_upright")["n_assessed"] == 20
    assert d["summary"]["jump_count"] == 20  # the input is not changed
    json.dumps(c, allow_nan=False)  # strict JSON


def test_removing_the_failing_jumps_turns_a_fault_into_a_pass_and_drops_its_priority():
    r = make_report(n_jumps=12, view="side", trunk_lean_deg=3.0)
    d = json.loads(json.dumps(r.to_dict()))
    rule = next(x for x in d["rules"] if x["status"] == "pass" and x["n_assessed"] == 12)
    # Make-believe: say four jumps failed this rule, as the page would show them.
    rule["jump_verdicts"][:4] = ["fault"] * 4
    rule["status"], rule["pass_share"] = "fault", 8 / 12
    d["priorities"] = [{"rule": rule["id"], "title": rule["title"], "advice": rule["advice"], "severity": "low",
                        "fault_share": 4 / 12, "frames": []}]
    c = apply_corrections(d, [{"action": "remove", "jump": i} for i in range(4)])
    after = next(x for x in c["rules"] if x["id"] == rule["id"])
    assert after["status"] == "pass" and after["pass_share"] == 1.0 and after["severity"] == "none"
    assert all(p["rule"] != rule["id"] for p in c["priorities"])


@pytest.mark.parametrize("bad, message", [
    ([{"action": "remove", "jump": 20}], "jump 20 does not exist"),
    ([{"action": "remove", "jump": 3}, {"action": "remove", "jump": 3}], "removed twice"),
    ([{"action": "add", "frame": 5}, {"action": "add", "frame": 5}], "added twice"),
    ([{"action": "add", "frame": 10 ** 6}], "outside the clip"),
    ([{"action": "add"}], "neither"),
    ([{"action": "flip", "jump": 1}], "expected action"),
    ([{"action": "remove", "jump": 1, "colour": "red"}], "unknown field"),
    (["remove 1"], "expected an object"),
])
def test_corrections_that_do_not_fit_say_why(report_json, bad, message):
    with pytest.raises(ValueError, match=message):
        apply_corrections(report_json, bad)


def test_a_jump_cannot_be_added_inside_a_detected_flight_but_can_once_it_is_removed(report_json):
    j = report_json["jumps"][3]
    with pytest.raises(ValueError, match="inside detected jump 3"):
        apply_corrections(report_json, [{"action": "add", "frame": j["apex_frame"]}])
    c = apply_corrections(report_json, [{"action": "remove", "jump": 3}, {"action": "add", "frame": j["apex_frame"]}])
    assert c["summary"]["jump_count"] == 20 and [x["source"] for x in c["jumps"]].count("added") == 1


def test_an_added_jump_far_from_any_run_is_a_run_of_its_own():
    r = make_report(n_jumps=10, tail_s=4.0)
    d = json.loads(json.dumps(r.to_dict()))
    frame = d["jumps"][-1]["landing_frame"] + int(2.5 * r.meta.fps)  # 2.5 s after the last landing
    c = apply_corrections(d, [{"action": "add", "frame": frame}], t_s=r.t_s)
    assert [x["n_jumps"] for x in c["runs"]] == [10, 1]
    assert [e["ended_by"] for e in c["streaks"]["runs"]] == ["miss", "stop"]


def test_time_of_an_added_jump_without_frame_times_is_frame_over_fps(report_json):
    fps = report_json["summary"]["fps"]
    c = apply_corrections(report_json, [{"action": "add", "frame": 2}])
    assert c["jumps"][0]["takeoff_s"] == pytest.approx(2 / fps)
    c = apply_corrections(report_json, [{"action": "add", "t_s": 0.1}])
    assert c["jumps"][0]["takeoff_frame"] == round(0.1 * fps)


def test_an_already_corrected_report_is_refused(report_json):
    c = apply_corrections(report_json, [{"action": "remove", "jump": 0}])
    with pytest.raises(ValueError, match="already corrected"):
        apply_corrections(c, [])


def test_correction_round_trips_through_its_dict():
    c = Correction("add", frame=12, t_s=0.4, note="x")
    assert Correction.from_dict(c.to_dict()) == c
    assert np.isfinite(c.t_s)


@pytest.mark.parametrize("kw", [
    {"n_jumps": 20, "view": "side", "trunk_lean_deg": 25.0},
    {"n_jumps": 14, "view": "side", "heel_landing": True, "knee_touchdown_deg": 176.0, "noise_px": 0.5, "seed": 3},
    {"n_jumps": 12, "noise_px": 1.0, "elbow_abduction_deg": 40, "head_drop_deg": 40},
])
def test_removing_jumps_judges_every_rule_as_the_analysis_would_without_them(kw):
    """Status, share, count and severity of every rule after removing three jumps are the
    judge's own (``rules.base.judge``) on the remaining jumps' measured values, with the
    rule's direction from the registry."""
    from analysis.rules import RULES
    from analysis.rules.base import Measured, judge

    r = make_report(**kw)
    d = json.loads(json.dumps(r.to_dict()))
    removed = {0, 1, 2}
    c = apply_corrections(d, [{"action": "remove", "jump": i} for i in sorted(removed)])
    kept = [j for j in r.jumps.jumps if j.index not in removed]
    registry = {rule.id: rule for rule in RULES}
    compared = 0
    for before, after in zip(d["rules"], c["rules"]):
        if not before["n_assessed"]:
            continue  # not assessable on this clip at all: the corrections keep it so
        keep = [i for i in range(len(before["jump_verdicts"])) if i not in removed]
        values = np.array([np.nan if before["jump_values"][i] is None else before["jump_values"][i] for i in keep])
        verdicts = [before["jump_verdicts"][i] for i in keep]
        m = Measured(values, np.array([v == "fault" for v in verdicts]), np.zeros(len(keep), int),
                     jump_na=["not assessed" if v == "na" else None for v in verdicts],
                     borderline=np.array([v == "borderline" for v in verdicts]),
                     unresolved=before.get("unresolved"))
        want = judge(registry[before["id"]], m, kept, r.quality.view_angle)
        got = (after["status"], after["n_assessed"], after["pass_share"], after["severity"])
        assert got == (want.status, want.n_assessed, pytest.approx(want.pass_share), want.severity), before["id"]
        compared += 1
    assert compared >= 3
