"""A stored session rebuilt into the frozen ``Report``: notices with their kinds (so
``partial`` and ``messages`` hold), the sound evidence (quiet landings, audio count and
its comparison with the video), verdicts as ``Verdict`` members, and the page's view-model
reading the rebuilt report exactly as the analysed one."""

from __future__ import annotations

import json
import dataclasses
from dataclasses import replace

import numpy as np
import pytest

from analysis.audio.count import CountComparison
from analysis.audio.evidence import QuietLandingsResult, SoundEvidence
from analysis.audio.loudness import LandingSound
from analysis.audio.trains import AudioCount, SkipBout
from analysis.store import StoreError, apply_corrections, open_store
from analysis.store.posedata import PoseData, pack, unpack
from analysis.store.reopen import report_from_dict, run_evidence_from_dict
from analysis.types import Notice, NoticeKind, RunEvidence, Verdict
from review import viewmodel


def _json(report) -> dict:
    return json.loads(json.dumps(report.to_dict()))


@pytest.fixture(scope="module")
def heard_report(two_runs_report):
    """The two-run report with notices of a partial and a non-partial kind and the full
    sound evidence: every landing heard, one loud, one clipped, an audio count of 21 bouts'
    impacts against the video's 20 jumps."""
    jumps = two_runs_report.jumps.jumps
    landings = tuple(
        LandingSound(j.landing_s, j.landing_s + 0.0123456, -20.0 - i / 7, 30.0 + i / 3, i / 11, i == 4, i == 7)
        for i, j in enumerate(jumps)
    )
    times = np.array([j.landing_s + 0.0123456 for j in jumps] + [30.5])
    count = AudioCount(21, 22, times, np.array([0.25]), (SkipBout(0.1, 5.3, 10, 0.51), SkipBout(6.1, 11.2, 11, 0.5)),
                       True, "")
    quiet = QuietLandingsResult("assessed", "20/20 landings heard; 1 loud", landings, 0.0123456, 1.0, -21.333333,
                                -55.55555, count)
    cc = CountComparison(21, 20, 20, (30.5,), (), 0.0123456)
    notices = (
        Notice(NoticeKind.FEET_OUT_OF_FRAME, "The feet are out of frame in 12% of the frames."),
        Notice(NoticeKind.COUNTS_DISAGREE, "The sound counts 21 landings and the video 20 jumps."),
    )
    return replace(two_runs_report, sound=SoundEvidence(quiet, cc), notices=notices)


def test_notices_sound_and_verdicts_come_back_as_analysed(heard_report):
    d = _json(heard_report)
    assert d["notices"] == [{"kind": "feet_out_of_frame", "text": heard_report.messages[0]},
                            {"kind": "counts_disagree", "text": heard_report.messages[1]}]
    back = report_from_dict(d, unpack(pack(PoseData.from_report(heard_report))))
    assert back.notices == heard_report.notices
    assert back.partial is True and back.messages == heard_report.messages
    assert back.to_dict() == d
    assert back.sound is not None and back.sound.to_dict() == heard_report.sound.to_dict()
    cc = back.sound.count_comparison
    assert (cc.audio_count, cc.video_count, cc.difference, cc.audio_only_s) == (21, 20, 1, (30.5,))
    ql = back.sound.quiet_landings
    assert ql.assessable and ql.n_loud == 1 and ql.impacts is None  # the impacts themselves are not stored
    assert ql.audio_count.cadence_hz == pytest.approx(heard_report.sound.quiet_landings.audio_count.cadence_hz)
    for r in back.rules.rules:
        assert isinstance(r.status, Verdict) and all(isinstance(v, Verdict) for v in r.jump_verdicts)
    assert back.rules.frame_columns() == heard_report.rules.frame_columns()


def test_a_report_that_is_not_partial_stays_so(two_runs_report):
    notices = (Notice(NoticeKind.COUNTS_DISAGREE, "The sound counts 19 landings and the video 20 jumps."),)
    r = replace(two_runs_report, notices=notices)
    back = report_from_dict(_json(r), PoseData.from_report(r))
    assert back.partial is False and back.notices == notices and back.to_dict()["partial"] is False


def test_a_report_written_without_notices_reopens_only_without_messages(heard_report, two_runs_report):
    pose = PoseData.from_report(heard_report)
    old = _json(heard_report)
    del old["notices"]
    with pytest.raises(StoreError, match="before notices were exported.*analyse the clip again"):
        report_from_dict(old, pose)
    quiet = _json(two_runs_report)
    assert quiet["messages"] == []
    del quiet["notices"]
    assert report_from_dict(quiet, pose).notices == ()


@pytest.mark.parametrize("section, bad, message", [
    ("notices", [{"kind": "made_up", "text": "x"}], "notices are unreadable"),
    ("audio", {"quiet_landings": {"status": "loud", "reason": ""}}, "audio section is unreadable"),
    ("audio", {"count_comparison": None}, "audio section is unreadable"),
])
def test_an_unreadable_section_is_named(heard_report, section, bad, message):
    d = _json(heard_report)
    d[section] = bad
    with pytest.raises(StoreError, match=message):
        report_from_dict(d, PoseData.from_report(heard_report))


def test_a_bad_verdict_is_named(heard_report):
    d = _json(heard_report)
    d["rules"][0]["jump_verdicts"][0] = "maybe"
    with pytest.raises(StoreError, match="expected a verdict .* got 'maybe'"):
        report_from_dict(d, PoseData.from_report(heard_report))


def test_the_page_reads_a_reopened_session_like_the_analysed_one(tmp_path, heard_report):
    with open_store(f"sqlite:///{tmp_path / 'h.sqlite3'}") as store:
        sid = store.save_session(heard_report, jumper="Ann")
        back = store.load_report(sid)
        info = store.session_info(sid)
    assert info.partial is True
    for name in ("summary_metrics", "headline", "not_assessable", "priorities", "quality_notes", "sound_note",
                 "session_advice", "jump_stops", "fault_stops", "start_frame"):
        fn = getattr(viewmodel, name)
        assert fn(back) == fn(heard_report), name
    assert viewmodel.sound_note(back).startswith("The soundtrack counts 21 landings")
    for name in ("rule_scores", "jump_table", "fault_lanes", "jump_marks"):
        fn = getattr(viewmodel, name)
        assert fn(back).equals(fn(heard_report)), name
    for f in (0, 40, 200):
        assert viewmodel.checks_at_frame(back, f).equals(viewmodel.checks_at_frame(heard_report, f))


def test_a_corrected_session_keeps_its_notices_and_sound(heard_report):
    d = _json(heard_report)
    corrected = apply_corrections(d, [{"action": "remove", "jump": 3}])
    back = report_from_dict(corrected, PoseData.from_report(heard_report))
    assert back.notices == heard_report.notices and back.partial
    assert back.sound.to_dict() == d["audio"]  # the sound evidence is the clip's, not the corrected count's
    assert back.jumps.count == 19 and all(len(r.jump_verdicts) == 19 for r in back.rules.rules)


def test_the_page_reads_a_corrected_session_with_an_added_jump(heard_report):
    """A hand-added jump was never measured (NaN times of flight, heights; every verdict
    ``na``): the view-model's tables, stops and checks still build, with the added jump in."""
    j9, j10 = heard_report.jumps.jumps[9], heard_report.jumps.jumps[10]
    gap = (j9.landing_frame + j10.takeoff_frame) // 2
    d = _json(heard_report)
    corrected = apply_corrections(d, [{"action": "add", "frame": gap}, {"action": "remove", "jump": 0}],
                                  t_s=heard_report.t_s)
    back = report_from_dict(corrected, PoseData.from_report(heard_report))
    added = back.jumps.jumps[9]
    assert added.takeoff_frame == gap and np.isnan(added.height_cm_displacement) and added.foot == "unknown"
    assert all(r.jump_verdicts[9] == Verdict.NA for r in back.rules.rules)
    table = viewmodel.jump_table(back)
    assert len(table) == 20
    assert viewmodel.summary_metrics(back) and viewmodel.rule_scores(back) is not None
    assert gap in viewmodel.jump_stops(back)
    assert viewmodel.jump_at_frame(back, gap) == 9
    checks = viewmodel.checks_at_frame(back, gap)
    assert len(checks) == len(back.rules.rules)
    assert back.to_dict()["summary"]["jump_count"] == 20


def test_a_stretch_whose_rope_held_but_gave_no_jump_comes_back_as_not_counted():
    """``RunEvidence.uncounted`` is kept; a report stored before it existed reads as ''."""
    ev = RunEvidence(1.0, 5.0, True, "rope turning: hands turning", (), 1.0, (0, 1), uncounted="flights fill 85%")
    back = run_evidence_from_dict(json.loads(json.dumps(dataclasses.asdict(ev))))
    assert back == ev and not back.counted
    older = {k: v for k, v in dataclasses.asdict(ev).items() if k != "uncounted"}
    assert run_evidence_from_dict(older).uncounted == "" and run_evidence_from_dict(older).counted
