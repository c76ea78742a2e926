"""Page data shaping: tables, chart frames, navigation stops, sentences and inputs, on a
hand-built report, and on reports carrying the analysis outputs the page reads defensively
(slow motion, run evidence, per-jump heights with their status, borderline verdicts)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis.config import AnalysisConfig
from analysis.types import Cue, Notice, NoticeKind, RunEvidence, TimeScale
from review import viewmodel as vm
from tests.fixtures.report import make_report, make_rules


@pytest.fixture(scope="module")
def report():
    return make_report()


def with_heights(rep):
    """The report's jumps with best estimates: jump 1 agrees, jump 2 disagrees, jump 3 agrees."""
    extra = [
        {"height_cm": 3.2, "height_sigma_cm": 0.4, "height_status": "ok", "rope_passes_seen": 1},
        {"height_status": "disagree", "height_displacement_sigma_cm": 0.3, "rope_passes_seen": 0},
        {"height_cm": 5.1, "height_sigma_cm": 0.5, "height_status": "ok", "rope_passes_seen": 2},
    ]
    js = [dataclasses.replace(j, **e) for j, e in zip(rep.jumps.jumps, extra)]
    return make_report(jumps=dataclasses.replace(rep.jumps, jumps=js))


# -- inputs ---------------------------------------------------------------------------
def test_make_config_and_keys():
    c = vm.make_config(None, "side", "auto", "speed", "mat", True)
    assert isinstance(c, AnalysisConfig) and c.standing_height_cm is None and c.back_pain
    assert c.max_minutes == vm.MAX_MINUTES
    assert vm.make_config(172).standing_height_cm == 172.0
    with pytest.raises(ValueError):
        vm.make_config(None, "top")
    # A slow-motion factor is passed on only where the analysis takes one.
    assert vm.make_config(rope_turning=True).rope_turning and not vm.make_config().rope_turning
    slow = vm.make_config(slowmo_factor=4.0)
    assert getattr(slow, "slowmo_factor", None) == (4.0 if vm.supports_slowmo() else None)
    # Session-only options leave the drawing key alone; everything else changes it.
    a, b = vm.make_config(rope="speed"), vm.make_config(rope="beaded", back_pain=True, surface="mat")
    assert vm.options_key(a, vm.SESSION_ONLY_OPTIONS) == vm.options_key(b, vm.SESSION_ONLY_OPTIONS)
    assert vm.options_key(a) != vm.options_key(b)
    assert vm.options_key(vm.make_config(170)) != vm.options_key(vm.make_config(160), vm.SESSION_ONLY_OPTIONS)
    assert vm.file_digest(b"a") != vm.file_digest(b"b")


def test_list_samples(tmp_path):
    assert vm.list_samples(tmp_path / "missing") == []
    (tmp_path / "b.mp4").write_bytes(b"x")
    (tmp_path / "a.mp4").write_bytes(b"x")
    (tmp_path / "a.truth.json").write_text("{}")
    assert [p.name for p in vm.list_samples(tmp_path)] == ["a.mp4", "b.mp4"]
    assert vm.sample_label(tmp_path / "clean_front.mp4") == "clean front"


# -- summary --------------------------------------------------------------------------
def test_summary_metrics(report):
    ms = {m["label"]: m for m in vm.summary_metrics(report)}
    assert ms["Jumps"]["value"] == "3" and ms["Jumps / min"]["value"] == "120"
    assert ms["Jump height"]["value"] == vm.MISSING  # no jump has two agreeing estimates in this report
    assert "disagree on every jump" in ms["Jump height"]["help"] and "from the feet 4.0 cm" in ms["Jump height"]["help"]
    assert ms["Contact"]["value"] == "240 ms" and ms["Flight"]["value"] == "240 ms"
    assert ms["Checks passed"]["value"] == "0 of 1" and "1 not assessable" in ms["Checks passed"]["help"]
    assert all("None" not in m["value"] and "nan" not in m["value"] for m in ms.values())


def test_summary_height_uses_the_best_estimates_where_given(report):
    ms = {m["label"]: m for m in vm.summary_metrics(with_heights(report))}
    assert ms["Jump height"]["value"].startswith("4.2 ± ")  # mean of 3.2 and 5.1; the disagreeing jump left out
    assert "2 of 3 jumps with a checked height" in ms["Jump height"]["help"]


def test_summary_without_jumps():
    rep = make_report(n=8, with_rules=False)
    ms = {m["label"]: m["value"] for m in vm.summary_metrics(rep)}
    assert ms["Jumps"] == "0" and ms["Jump height"] == vm.MISSING and ms["Flight"] == vm.MISSING
    assert vm.headline(rep) == "No rope skipping found"


def test_headline(report):
    assert vm.headline(report) == "3 jumps · 120 per minute · 1.2 s of skipping · 1 thing to work on"


def test_time_scale_note_only_for_slow_motion(report):
    assert vm.time_scale_note(report) is None  # real time (the default): nothing shown
    real = dataclasses.replace(report.jumps, time_scale=TimeScale(1.0, "real time", 1.0, 0.1, 9, "checked"))
    assert vm.time_scale_note(make_report(jumps=real)) is None
    slow = dataclasses.replace(
        report.jumps, time_scale=TimeScale(4.0, "estimated", 4.1, 0.3, 12, "flights last 4x too long")
    )
    note = vm.time_scale_note(make_report(jumps=slow))
    assert "4× slower than real time" in note and "gravity" in note and "Flights last 4x too long." in note
    assert "given in real time" in note


def test_a_clip_that_may_be_slow_motion_says_so_above_the_summary(report):
    """Treated as real time though gravity or the rope's rhythm hints at slow motion: the
    banner says so and where the factor goes, and the capture notes do not say it again."""
    for ts, starts in (
        (
            TimeScale(
                1.0, "real time", 2.2, 0.09, 10, "treated as real time, though the clip may be slow motion: gravity"
            ),
            "This clip may be slow motion: gravity. It was treated as real time.",
        ),
        (
            TimeScale(
                1.0,
                "real time",
                float("nan"),
                float("nan"),
                0,
                "treated as real time, though the clip may be slow motion, at least 2.5x: a rope turns with the jumps",
                rhythm_hint=2.5,
            ),
            "This clip may be slow motion, at least 2.5x: a rope turns with the jumps. It was treated as real time.",
        ),
        (
            TimeScale(1.0, "real time", 2.2, 0.09, 10, "gravity reads it slower"),
            "This clip may be slow motion. Gravity reads it slower.",
        ),
    ):
        rep = make_report(
            jumps=dataclasses.replace(report.jumps, time_scale=ts),
            notices=(Notice(NoticeKind.MAYBE_SLOW_MOTION, "Treated as real time, though the clip may be slow."),),
        )
        note = vm.time_scale_note(rep)
        assert note.startswith(starts) and note.endswith("'Camera, step style, rope, surface, slow motion'.")
        # Said once: the analysis's note starts with the same words the banner opens with.
        assert note.lower().count("may be slow motion") == 1 and note.lower().count("real time") <= 1
        assert not any("may be slow" in n for n in vm.quality_notes(rep))


#: A refused stretch the clip could not show a rope on (the wrists hidden), nothing against one.
UNCONFIRMED = RunEvidence(
    0.5, 9.0, False, "rope turning could not be confirmed (wrists seen in only 3% of the frames)",
    (Cue("hands turning", "unknown", 0.0, "wrists seen in only 3% of the frames"),), float("nan"), (-1,) * 12,
)
#: A refused stretch that a cue against a rope decided.
AGAINST = RunEvidence(
    0.5, 9.0, False, "jumping without a rope: the hands move in opposition",
    (Cue("arms pumping", "against", 0.7, "opposition"),), float("nan"),
)


def test_headline_of_a_clip_without_counted_jumps_follows_why(report):
    """The headline says "No rope skipping found" only where nothing suggests a rope: a clip whose rope turns
    with jumps too far apart for real time, or whose feet are out of view, had no jumps
    *counted*."""
    assert vm.headline(_no_jumps(report, "no periodic jumping found")) == "No rope skipping found"
    hinted = TimeScale(1.0, "real time", float("nan"), float("nan"), 0, "may be slow motion", rhythm_hint=2.5)
    assert vm.headline(_no_jumps(report, "x", time_scale=hinted)) == (
        "No jumps counted in real time: the clip looks slowed down"
    )
    feet = _no_jumps(report, "x")
    feet = dataclasses.replace(feet, notices=(Notice(NoticeKind.NO_JUMPS_FEET_OUT, "The feet are out of view."),))
    assert vm.headline(feet) == "No jumps counted: the feet are out of view"
    # A stretch of bounces whose rope the clip could not confirm, with nothing against one
    # (the wrists hidden): not counted, and not "no skipping" either.
    assert vm.headline(_no_jumps(report, "x", run_evidence=(UNCONFIRMED,))) == (
        "No jumps counted: the clip could not confirm a turning rope"
    )
    assert vm.headline(_no_jumps(report, "x", run_evidence=(AGAINST,))) == "No rope skipping found"


def test_view_note(report):
    assert vm.view_note(report) == "Camera: side (auto-detected)"


# -- checks ---------------------------------------------------------------------------
def test_rule_scores_verdict_first_one_wording(report):
    df = vm.rule_scores(report)
    assert list(df.columns[:3]) == ["verdict", "check", "score"]
    knees, elbows = df.iloc[0], df.iloc[1]
    assert knees["verdict"] == "fault" and knees["verdict_key"] == "fault"
    assert knees["score"] == "1 of 3 jumps pass (33%)" and knees["score %"] == 33
    assert elbows["verdict"] == "not assessable" and elbows["verdict_key"] == "na" and pd.isna(elbows["score %"])
    assert "front view" in elbows["detail"]
    assert vm.not_assessable(report) == [
        {"check": "Elbows close to the sides", "reason": "needs a front view; this clip is side"}
    ]


def test_priorities_state_the_score_like_the_table(report):
    ps = vm.priorities(report)
    assert len(ps) == 1 and ps[0]["short"] == "Knees slightly bent on landing"
    assert ps[0]["score"] == vm.rule_scores(report).iloc[0]["score"]  # one way of stating a score
    assert ps[0]["frames"] == [40, 28] and ps[0]["frame"] == 40


def test_priority_example_skips_a_jump_whose_estimates_disagree(report):
    rep = with_heights(report)  # jump 2 (frames 22-33) disagrees; jump 3 (34-45) agrees
    assert vm.example_frame(rep, "landing.knees_soft", [28, 40]) == 40
    assert vm.example_frame(rep, "landing.knees_soft", [28]) is None  # no reliable fault among the frames
    assert vm.example_frame(rep, "no.such_rule", [5]) == 5


def test_quality_notes_sound_and_timing(report):
    notes = vm.quality_notes(report)
    assert "Test warning." in notes and "A test message." in notes
    assert any(n.startswith("Elbow flare") for n in notes)
    assert vm.session_advice(report)[0]["rule"] == "session.surface"
    assert "1.5 s" in vm.timing_note(report)
    assert vm.sound_note(report) == ""


def test_verdict_keys_and_colours():
    assert [vm.verdict_key(v) for v in ("pass", "ok", "fault", "borderline", "na", "", None, "info")] == [
        "pass",
        "pass",
        "fault",
        "borderline",
        "na",
        "none",
        "none",
        "info",
    ]
    colours = {k: vm.VERDICT_COLOUR[k] for k in ("pass", "borderline", "fault", "na")}
    assert len(set(colours.values())) == 4


def test_borderline_verdicts_are_their_own_kind(report):
    rules = make_rules(len(report.t_s))
    knees = dataclasses.replace(rules.rules[0], status="borderline", jump_verdicts=["pass", "borderline", "fault"])
    rep = make_report(rules=dataclasses.replace(rules, rules=[knees, rules.rules[1]], priorities=[]))
    assert vm.rule_scores(rep).iloc[0]["verdict"] == "borderline"
    lanes = vm.fault_lanes(rep)
    assert list(lanes["verdict"]) == ["fault", "borderline"]
    assert list(lanes["start_frame"]) == [34, 22]
    assert vm.fault_stops(rep) == [34]  # only clear faults are stops
    assert vm.priorities(rep) == []


# -- no skipping ----------------------------------------------------------------------
def _no_jumps(report, rope_evidence: str, **extra):
    return make_report(jumps=dataclasses.replace(report.jumps, jumps=(), runs=(), rope_evidence=rope_evidence, **extra))


def test_no_skipping_plain_explanation_from_the_detector(report):
    rep = _no_jumps(
        report, "no skipping: 0.5-15.7 s: hands above the shoulders in 80% of frames (arm swings, not rope turning)"
    )
    info = vm.no_skipping(rep)
    assert info["text"] == (
        "No rope skipping found. Hands above the shoulders in 80% of frames (arm swings, not rope turning)."
    )
    assert "0.5-15.7" not in info["text"] and "no skipping:" not in info["text"]
    assert any("whole body" in t for t in info["tips"]) and any("rope" in t for t in info["tips"])
    assert vm.no_skipping(report) is None  # jumps found: nothing to explain
    assert "no steady rhythm" in vm.no_skipping(_no_jumps(report, "no periodic jumping found"))["text"]


def test_no_skipping_uses_run_evidence_when_present(report):
    ev = (
        RunEvidence(
            0.5,
            9.0,
            False,
            "jumping without a rope: the hands move in opposition, as arms pump in running",
            (Cue("hands turning", "against", 0.8, "opposite phase"), Cue("rope seen", "none", 0.0, "")),
            float("nan"),
        ),
        RunEvidence(10.0, 14.0, False, "no rope seen or heard", (), float("nan")),
    )
    rep = _no_jumps(report, "no skipping: whatever", run_evidence=ev)
    info = vm.no_skipping(rep)
    assert info["text"] == (
        "No rope skipping found. Jumping without a rope: the hands move in opposition, as arms pump in running."
    )
    assert info["reasons"] == ["no rope seen or heard"]
    rows = vm.run_evidence_rows(rep)
    assert rows[0]["when"] == "0.5–9.0 s" and not rows[0]["counted"]
    assert rows[0]["cues"][0] == {"name": "hands turning", "verdict": "against", "detail": "opposite phase"}
    # (start, end, evidence) triples are read too.
    triples = make_report(
        jumps=dataclasses.replace(report.jumps, jumps=(), run_evidence=tuple((e.start_s, e.end_s, e) for e in ev))
    )
    assert vm.run_evidence_rows(triples)[1]["reason"] == "no rope seen or heard"


def test_a_stretch_whose_rope_held_but_gave_no_jump_is_not_called_counted(report):
    """The rope's evidence held but no jump was counted there (``RunEvidence.uncounted``):
    the row says not counted and why; where it is the longest stretch, the headline says
    the clip speaks for a rope, not "no rope skipping"."""
    rope = RunEvidence(
        1.0, 5.0, True, "rope turning: hands turning (locked)", (), 1.0, uncounted="flights fill 85% of each cycle"
    )
    short = RunEvidence(6.0, 7.0, False, "no rope seen or heard", (), float("nan"))
    rep = _no_jumps(report, "no skipping: whatever", run_evidence=(rope, short))
    rows = vm.run_evidence_rows(rep)
    assert not rows[0]["counted"] and rows[0]["reason"].endswith(", but flights fill 85% of each cycle: none counted")
    t0 = float(rep.t_s[0])
    info = vm.no_skipping(rep)
    assert info["text"] == (
        f"No jumps counted, though the clip speaks for a rope from {1.0 - t0:.1f} to {5.0 - t0:.1f} s: "
        "flights fill 85% of each cycle."
    )
    assert info["reasons"] == ["rope turning: hands turning (locked)"]
    assert vm.headline(rep) == "No jumps counted: the clip speaks for a rope, but its jumps could not be counted"
    # A longer stretch without a rope leads instead, as before.
    long = RunEvidence(6.0, 12.0, False, "no rope seen or heard", (), float("nan"))
    assert vm.no_skipping(_no_jumps(report, "no skipping", run_evidence=(rope, long)))["text"] == (
        "No jumps counted. No rope seen or heard."
    )
    counted = dataclasses.replace(rope, uncounted="")
    assert counted.counted and vm.run_evidence_rows(_no_jumps(report, "x", run_evidence=(counted,)))[0]["counted"]


def test_a_count_on_hands_running_arms_would_match_says_so_in_the_headline(report):
    """The pipeline's ``ROPE_UNCONFIRMED`` notice marks the count in the headline."""
    plain = vm.headline(report)
    flagged = dataclasses.replace(
        report, notices=(*report.notices, Notice(NoticeKind.ROPE_UNCONFIRMED, "The rope is not confirmed at 1-5 s"))
    )
    n = report.jumps.count
    assert plain.startswith(f"{n} jumps · ") and vm.headline(flagged).startswith(f"{n} jumps (rope not confirmed) · ")
    assert "The rope is not confirmed at 1-5 s" in vm.quality_notes(flagged)


def test_no_skipping_offers_the_users_word_only_where_nothing_spoke_against_a_rope(report):
    unconfirmed, against = UNCONFIRMED, AGAINST
    info = vm.no_skipping(_no_jumps(report, "no skipping", run_evidence=(unconfirmed,)))
    tips = info["tips"]
    assert tips[0] == vm.STATED_ROPE_TIP and "A rope was turning" in tips[0]
    # Nothing said the jumps were without a rope: not counted, which is not "no skipping".
    assert info["text"].startswith("No jumps counted. Rope turning could not be confirmed")
    both = vm.no_skipping(_no_jumps(report, "no skipping", run_evidence=(unconfirmed, against)))
    assert both["text"].startswith("No rope skipping found. ")
    assert vm.STATED_ROPE_TIP not in vm.no_skipping(_no_jumps(report, "no skipping", run_evidence=(against,)))["tips"]
    # Hands seen over 12 bounces without turning at their rhythm: the clip shows no rope there,
    # so the user's word would not count them and is not offered.
    off_rhythm = dataclasses.replace(
        unconfirmed, cues=(Cue("hands turning", "none", 0.0, "the hands move at 1.40 x the jump rate"),)
    )
    assert vm.STATED_ROPE_TIP not in vm.no_skipping(_no_jumps(report, "x", run_evidence=(off_rhythm,)))["tips"]
    stated = dataclasses.replace(
        _no_jumps(report, "no skipping", run_evidence=(unconfirmed,)), config=AnalysisConfig(rope_turning=True)
    )
    assert vm.STATED_ROPE_TIP not in vm.no_skipping(stated)["tips"]  # already said


def test_no_skipping_with_the_feet_out_of_frame(report):
    rep = make_report(
        jumps=dataclasses.replace(report.jumps, jumps=(), runs=()),
        notices=(Notice(NoticeKind.NO_JUMPS_FEET_OUT, "The feet are out."),),
    )
    assert "feet are out of the picture" in vm.no_skipping(rep)["text"]


def test_no_skipping_where_the_jumps_are_too_far_apart_for_real_time_asks_for_the_factor(report):
    """A rope turned with jumps too far apart for real time (``TimeScale.rhythm_hint``): not
    "no rope skipping", but a clip that looks slowed down, with the page's slow-motion factor
    as the first thing to try; the accepted stretch's reason (a rope turning) is not given as
    a reason for no skipping."""
    hinted = TimeScale(1.0, "real time", float("nan"), float("nan"), 0, "may be slow motion", rhythm_hint=2.5)
    turning = RunEvidence(4.0, 27.0, True, "rope turning: hands turning", (), 1.0)
    rep = _no_jumps(report, "no periodic jumping found", time_scale=hinted, run_evidence=(turning,))
    info = vm.no_skipping(rep)
    assert "further apart than real skipping allows" in info["text"] and "at least 2.5×" in info["text"]
    assert info["tips"][0] == vm.SLOWMO_TIP and "slow motion" in info["tips"][0]
    # Without the hint, an accepted stretch is no reason for "no rope skipping".
    plain = _no_jumps(report, "no periodic jumping found", run_evidence=(turning,))
    assert "rope turning" not in vm.no_skipping(plain)["text"].lower()


def test_no_skipping_over_a_steady_beat_slower_than_skipping_says_what_was_seen_and_asks_for_the_factor(report):
    """A steady beat slower than any skipping, no rope on it (``TimeScale.slow_beat_s``): not
    "no steady rhythm", which is false there, but what was seen, with the slow-motion factor
    offered first (skipping slowed down) and the usual tips after (a movement without a rope)."""
    note = (
        "from 2.9 to 13.8 s the body rises and falls 7 times in a steady beat, one every 1.8 s, with the feet "
        "leaving the floor: slower than any skipping (a jump at least every 1 s), and rope turning could not be "
        "confirmed (no hand circles)"
    )
    slow = TimeScale(1.0, "real time", 1.5, 0.2, 7, "real time", slow_beat_s=1.8, slow_beat_note=note)
    rep = _no_jumps(report, f"no skipping: {note}", time_scale=slow)
    info = vm.no_skipping(rep)
    assert "steady beat, one every 1.8 s" in info["text"] and "no steady rhythm" not in info["text"]
    assert info["text"].startswith("No jumps counted. From 2.9 to 13.8 s")  # as the headline says
    assert info["tips"][0] == vm.SLOWMO_TIP and vm.NO_SKIPPING_TIPS[0] in info["tips"]
    assert vm.headline(rep) == "No jumps counted: a steady beat slower than any skipping, with no rope seen"
    # Stretches judged at real time speak first: their reasons, not the slow beat's tip.
    against = _no_jumps(report, "no skipping", time_scale=slow, run_evidence=(AGAINST,))
    assert vm.SLOWMO_TIP not in vm.no_skipping(against)["tips"]
    assert vm.headline(against) == "No rope skipping found"


def test_no_skipping_at_a_low_frame_rate_suggests_a_higher_one(report):
    """At 12 frames a second a speed step (7.5 a second) cannot show at all: the first thing
    to try is a higher frame rate, with the feet in view or not; at 30, nothing about it."""
    low = _no_jumps(report, "no periodic jumping found")
    low = dataclasses.replace(low, meta=dataclasses.replace(low.meta, fps=12.0))
    tips = vm.no_skipping(low)["tips"]
    assert tips[0] == vm.low_fps_tip(12.0) and "faster than 6 a second" in tips[0]
    feet_out = dataclasses.replace(low, notices=(Notice(NoticeKind.NO_JUMPS_FEET_OUT, "The feet are out."),))
    assert vm.no_skipping(feet_out)["tips"][0] == vm.low_fps_tip(12.0)
    assert not any("frames a second" in t for t in vm.no_skipping(_no_jumps(report, "x"))["tips"])


# -- frame review ---------------------------------------------------------------------
def test_checks_at_frame_verdict_first(report):
    df = vm.checks_at_frame(report, 25)  # inside jump 2
    assert list(df.columns[:4]) == ["verdict", "check", "value", "limit"]
    assert df.iloc[0]["verdict"] == "fault" and df.iloc[0]["value"] == "175.0 deg"
    assert df.iloc[1]["verdict"] == "not assessable" and df.iloc[1]["detail"].startswith("needs a front view")
    between = vm.checks_at_frame(report, 2)  # before the first jump
    assert set(between["verdict"]) == {vm.MISSING} and set(between["value"]) == {vm.MISSING}


def test_navigation_stops_and_start(report):
    assert vm.jump_stops(report) == [10, 22, 34]
    assert vm.fault_stops(report) == [22, 34]
    assert vm.step([10, 22, 34], 10, +1) == 22 and vm.step([10, 22, 34], 11, -1) == 10
    assert vm.step([10, 22, 34], 10, -1) is None and vm.step([10, 22, 34], 34, +1) is None
    assert vm.step([], 5, +1) is None
    assert vm.start_frame(report) == 10  # the first jump, so "next fault" walks forward from there
    assert vm.step(vm.fault_stops(report), vm.start_frame(report), +1) == 22
    assert vm.jump_at_frame(report, 25) == 1 and vm.jump_at_frame(report, 3) is None


def test_frame_caption_and_times_from_the_first_frame(report):
    assert vm.frame_caption(report, 25) == "Frame 25 · 1.00 s · jump 2 of 3"
    assert vm.frame_caption(report, 3) == "Frame 3 · 0.12 s · between jumps"
    late = make_report(t_s=report.t_s + 0.04)  # a container that stamps the first frame later
    assert vm.frame_caption(late, 0).startswith("Frame 0 · 0.00 s")
    assert vm.clip_time(late, 10) == pytest.approx(0.4)
    d = vm.frame_details(report, 25)
    assert d["caption"] == vm.frame_caption(report, 25) and d["failing"][0]["key"] == "fault"
    # The hand-built jumps have both estimates but no best one ("not measured"): both are shown, with why.
    assert d["height"] == "from the feet 4.0 ± 0.2 cm, from flight time 4.5 ± 0.8 cm (not measured)"
    assert vm.frame_details(report, 3)["height"] is None


def test_height_text_with_best_estimate_and_status(report):
    rep = with_heights(report)
    assert vm.frame_details(rep, 12)["height"].startswith("3.2 ± 0.4 cm (from the feet 3.0 ± 0.2 cm")
    assert vm.frame_details(rep, 25)["height"].endswith("(disagree)")


# -- per-jump table -------------------------------------------------------------------
def test_jump_table(report):
    df = vm.jump_table(report)
    assert list(df.columns[:4]) == ["jump", "time s", "faults", "height cm"]
    assert list(df["jump"]) == [1, 2, 3] and list(df["take-off frame"]) == [10, 22, 34]
    assert list(df["faults"]) == [0, 1, 1] and df.iloc[1]["failed checks"] == "Knees slightly bent on landing"
    assert df.iloc[1]["from feet cm"] == "4.0 ± 0.2" and df.iloc[1]["from flight time cm"] == "4.5 ± 0.8"
    assert pd.isna(df.iloc[1]["height cm"]) and df.iloc[1]["height range cm"] == vm.MISSING  # no best estimate
    assert set(df["height note"]) == {"not measured"} and "rope seen" not in df.columns  # rope not looked for
    shown = vm.jump_table_shown(df)
    assert shown.iloc[0]["contact ms"] == vm.MISSING and shown.iloc[1]["contact ms"] == "240"
    assert shown["flight ms"].dtype.kind == "f"  # complete number columns stay numbers (they sort)
    assert not shown.astype(str).isin(["None", "nan", "NaN"]).any().any()


def test_jump_table_with_best_heights_and_rope(report):
    df = vm.jump_table(with_heights(report))
    assert list(df["rope seen"]) == ["yes", "no", "yes, twice"]
    assert list(df["height note"]) == ["ok", "disagree", "ok"]
    assert df.iloc[0]["height cm"] == 3.2 and df.iloc[0]["height range cm"] == "2.8–3.6"
    assert pd.isna(df.iloc[1]["height cm"]) and df.iloc[1]["height range cm"] == vm.MISSING
    assert df.iloc[1]["from feet cm"] == "4.0 ± 0.3"  # the estimate's own sigma where given
    assert vm.jump_table_shown(df).iloc[1]["height cm"] == vm.MISSING


def test_jumps_are_numbered_by_position_not_event_index():
    base = make_report()
    jumps = dataclasses.replace(
        base.jumps, jumps=[dataclasses.replace(j, index=k) for j, k in zip(base.jumps.jumps, (0, 2, 5))]
    )
    rep = make_report(jumps=jumps)
    df = vm.jump_table(rep)
    assert list(df["jump"]) == [1, 2, 3] and list(df["faults"]) == [0, 1, 1]
    assert list(vm.jump_marks(rep)["jump"]) == [1, 2, 3]


# -- timeline -------------------------------------------------------------------------
def test_chart_frames(report):
    c = vm.clearance_series(report)
    assert set(c["series"]) == {"left foot", "right foot"} and len(c) == 2 * len(report.t_s)
    assert np.nanmax(c["value"]) > 5 and c["t_s"].iloc[0] == 0.0
    thin = vm.clearance_series(report, max_points=10)
    assert len(thin) == 2 * 10 and list(thin["frame"][:3]) == [0, 5, 10]
    assert set(vm.knee_series(report)["series"]) == {"left knee", "right knee"}
    assert "left elbow" in set(vm.arm_series(report)["series"])
    lines = vm.threshold_lines()
    assert lines["knee"]["value"].iloc[0] == 170.0 and "170°" in lines["knee"]["label"].iloc[0]
    assert lines["arm"]["value"].iloc[0] == 30.0 and "30°" in lines["arm"]["label"].iloc[0]
    band = vm.clearance_band().iloc[0]
    assert (band["low"], band["high"]) == (2.0, 5.0) and band["label"] == "aim: 2–5 cm"
    marks = vm.jump_marks(report)
    assert list(marks["faults"]) == [0, 1, 1] and list(marks["frame"]) == [10, 22, 34]


def test_fault_lanes(report):
    lanes = vm.fault_lanes(report)
    # Knees fail on jumps 2 and 3, whose cycles are frames 22-33 and 34-45: one stretch.
    assert len(lanes) == 1
    row = lanes.iloc[0]
    assert row["rule"] == "landing.knees_soft" and row["check"] == "Knees slightly bent on landing"
    assert (row["start_frame"], row["end_frame"], row["verdict"]) == (22, 45, "fault")
    assert vm.fault_lanes(make_report(rules=None)).empty


def test_selected_frame_from_chart_and_table():
    assert vm.selected_frame_from_chart({"selection": {"pick": [{"frame": 17, "t_s": 0.68}]}}) == 17
    assert vm.selected_frame_from_chart({"selection": {"lane": [{"start_frame": 22}]}}) == 22
    assert vm.selected_frame_from_chart({"selection": {"pick": []}}) is None
    assert vm.selected_frame_from_chart({"selection": {}}) is None
    assert vm.selected_frame_from_chart(None) is None
    assert vm.selected_row({"selection": {"rows": [2], "columns": []}}) == 2
    assert vm.selected_row({"selection": {"rows": []}}) is None and vm.selected_row(None) is None


def test_csv_bytes(report):
    data = vm.csv_bytes(report.jump_rows()).decode()
    assert data.splitlines()[0].startswith("index,takeoff_frame") and len(data.splitlines()) == 4


def test_no_skipping_says_each_kind_of_reason_once(report):
    rep = _no_jumps(
        report,
        "no skipping: 1.1-2.3 s: hands above the shoulders in 24% of frames (arm swings); "
        "9.6-10.8 s: hands above the shoulders in 46% of frames (arm swings); 11.0-12.0 s: feet open and close",
    )
    info = vm.no_skipping(rep)
    assert "24%" in info["text"] and info["reasons"] == ["feet open and close"]


def test_partial_text():
    from analysis.pose.partial import PartialResult

    p = PartialResult(frames_done=200, frames_total=900, jump_count=12, jumps_per_minute=131.4, seconds_done=8.1,
                      cost_s=0.1)
    assert vm.partial_text(p).startswith("So far: **12 jumps** in the first 8 s, about **131 per minute**")
    none = PartialResult(50, 900, 0, float("nan"), 2.0, 0.1)
    assert vm.partial_text(none) == "No jumps counted yet in the first 2 s."


# -- runs and streaks -------------------------------------------------------------------
def test_streak_marks_follow_the_stored_rule(two_runs):
    from analysis.store import streak_summary  # noqa: PLC0415

    marks = vm.streak_marks(two_runs)
    stored = streak_summary(two_runs.to_dict())
    assert list(marks["ended_by"]) == [r["ended_by"] for r in stored["runs"]] == ["miss", "stop"]
    assert list(marks["longest"]) == [True, False] and int(marks["streak_jumps"].iloc[0]) == stored["longest_streak"]
    t0 = float(two_runs.t_s[0])
    assert marks["start_s"].iloc[1] == pytest.approx(two_runs.jumps.runs[1].start_s - t0, abs=1e-4)
    assert marks["ending"].iloc[1] in ("stop: the clip ended", "stop: stood until the end")
    text = vm.streak_text(two_runs)
    assert text.startswith("Longest unbroken streak: 10 jumps (") and text.endswith("· 1 miss · 1 stop")


def test_no_runs_no_streak_marks():
    rep = make_report(n=8)  # too short for any jump
    assert vm.streak_marks(rep).empty and vm.streak_text(rep) == ""


def test_every_height_note_the_analysis_gives_is_explained():
    """Each status ``combine_heights`` can give (and the two jump detection adds where there is
    no timed flight) has a line in the jump table's help."""
    from analysis.measure.jumps.physics import Flight, combine_heights

    def fl(takeoff_s, landing_s, h):
        return Flight(apex=10, takeoff_s=takeoff_s, landing_s=landing_s, height_cm=h, noise_cm=0.2, lr_gap_s=0.0,
                      lr_diff_cm=0.0)

    kw = {"fps": 60.0, "factor": 1.0, "scale_rel": 0.06}
    statuses = {
        combine_heights(fl(1.0, 1.156, 3.0), two_foot=True, **kw).status,  # ok
        combine_heights(fl(1.0, 1.1, 12.0), two_foot=True, **kw).status,  # disagree
        combine_heights(fl(1.0, 1.156, 3.0), two_foot=False, **kw).status,  # displacement only
        combine_heights(fl(1.0, 1.156, float("nan")), two_foot=True, **kw).status,  # flight time only
        combine_heights(fl(1.0, 1.156, 9.0), two_foot=True, toes_hidden=True, **kw).status,
        combine_heights(fl(1.0, 1.46, 9.2), two_foot=True, fps=10.0, factor=1.0, scale_rel=0.06,
                        rise_cut_cm=8.0).status,
        combine_heights(fl(np.nan, np.nan, float("nan")), two_foot=True, **kw).status,  # not measured
    }
    assert statuses == {"ok", "disagree", "displacement only", "flight time only", "toes hidden", "rise cut",
                        "not measured"}
    assert statuses | {"flight not measurable", "feet not visible"} == set(vm.HEIGHT_NOTES)
    assert all(f"{s}:" in vm.height_note_help() for s in statuses)
