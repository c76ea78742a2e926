"""The store on SQLite and on a real PostgreSQL server: save, reopen without analysis,
corrections persisted and reloaded, deletion with files, trends and the class view."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from analysis.config import AnalysisConfig
from analysis.store import StoreError, open_store
from analysis.store.posedata import PoseData, pack
from tests.analysis.store.conftest import make_report


@pytest.fixture
def clip(tmp_path):
    p = tmp_path / "week one.mp4"
    p.write_bytes(b"not really a video, but bytes with a known hash" * 100)
    return p


def _files(store) -> list[str]:
    root = store.files.root / "clips"
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_a_saved_session_lists_with_its_figures_and_reopens_exactly(store_url, two_runs_report, clip):
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report, jumper="  Alice  ", clip=clip, keep_clip=True,
                                 recorded_at=date(2024, 3, 5))
    with open_store(store_url) as store:  # a new connection: nothing is cached
        [j] = store.list_jumpers()
        assert (j.name, j.n_sessions) == ("Alice", 1)
        [info] = store.list_sessions("alice")  # names match whatever their case and spacing
        assert info.id == sid and info.jumper == "Alice" and info.clip_name == "week one.mp4"
        assert info.recorded_at.astimezone().date() == date(2024, 3, 5)
        assert info.clip_sha256 == hashlib.sha256(clip.read_bytes()).hexdigest()
        assert (info.jump_count, info.longest_streak, info.n_misses, info.n_stops) == (20, 10, 1, 1)
        assert info.jumps_per_minute == pytest.approx(two_runs_report.summary()["jumps_per_minute"])
        assert info.top_fault_rule == "posture.trunk_upright" and info.has_pose and info.clip_kept
        st = store.session(sid)
        assert st.report == json.loads(json.dumps(two_runs_report.to_dict()))
        assert list(st.report) == list(two_runs_report.to_dict())  # kept as written, keys in order
        assert st.options == two_runs_report.config.to_dict()
        reopened = store.load_report(sid)
        assert reopened.to_dict() == st.report  # every figure as analysed
        assert reopened.frame_rows() == two_runs_report.frame_rows()  # every per-frame value
        assert reopened.rules.jump_frames == two_runs_report.rules.jump_frames
        kept = store.clip_path(sid)
        assert kept is not None and kept.read_bytes() == clip.read_bytes()


def test_corrections_are_stored_reloaded_exported_and_undone(store_url, two_runs_report):
    t = two_runs_report.t_s
    j9, j10 = two_runs_report.jumps.jumps[9], two_runs_report.jumps.jumps[10]
    gap = (j9.landing_frame + j10.takeoff_frame) // 2
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report, jumper="Bo")
        c = store.save_corrections(sid, [{"action": "remove", "jump": 0}, {"action": "add", "frame": gap}])
        assert c["summary"]["jump_count"] == 20
    with open_store(store_url) as store:
        info = store.session_info(sid)
        assert (info.jump_count, info.n_corrections, info.longest_streak, info.n_misses) == (20, 2, 20, 0)
        st = store.session(sid)
        assert [x.to_dict() for x in st.corrections] == [
            {"action": "remove", "jump": 0, "frame": None, "t_s": None, "note": ""},
            {"action": "add", "jump": None, "frame": gap, "t_s": pytest.approx(float(t[gap])), "note": ""}]
        assert st.report["summary"]["jump_count"] == 20 and len(st.report["jumps"]) == 20  # original kept
        exported = store.export(sid)
        assert exported["original_detection"]["summary"]["jump_count"] == 20
        assert len(exported["corrections"]) == 2 and exported["stored_session"]["jumper"] == "Bo"
        json.dumps(exported, allow_nan=False)
        review = store.load_report(sid)  # the corrected review: the added jump is in, jump 0 is out
        assert review.jumps.count == 20 and [j.run for j in review.jumps.jumps] == [0] * 20
        assert all(len(r.jump_verdicts) == 20 for r in review.rules.rules)
        assert review.rules.jump_frames[9][0] == gap
        assert store.load_report(sid, corrected=False).to_dict() == st.report
        fig = store.figures(session_ids=[sid])[0]["rules"]["posture.trunk_upright"]
        assert fig["n_assessed"] == 19  # the removed jump is out, the added one is not assessed
        store.save_corrections(sid, [])
        assert store.session_info(sid).jump_count == 20 and store.session(sid).corrections == []


def test_a_correction_that_does_not_fit_changes_nothing(store_url, two_runs_report):
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report)
        store.save_corrections(sid, [{"action": "remove", "jump": 5}])
        with pytest.raises(StoreError, match="jump 99 does not exist"):
            store.save_corrections(sid, [{"action": "remove", "jump": 1}, {"action": "remove", "jump": 99}])
        assert [c.jump for c in store.session(sid).corrections] == [5]
        assert store.session_info(sid).jump_count == 19
        with pytest.raises(StoreError, match="no session 12345"):
            store.save_corrections(12345, [])


def test_deleting_a_session_or_a_jumper_removes_their_files(store_url, two_runs_report, clip, tmp_path):
    other = tmp_path / "other.mov"
    other.write_bytes(b"another clip")
    with open_store(store_url) as store:
        a = store.save_session(two_runs_report, jumper="Cy", clip=clip, keep_clip=True)
        b = store.save_session(two_runs_report, jumper="Cy", clip=other, keep_clip=True)
        c = store.save_session(two_runs_report, jumper="Di", clip=clip, keep_clip=True)
        assert len(_files(store)) == 3
        path_a = store.clip_path(a)
        assert store.delete_session(a).files == 1
        assert not path_a.exists() and len(_files(store)) == 2
        with pytest.raises(StoreError, match=f"no session {a}"):
            store.session(a)
        res = store.delete_jumper("cy")
        assert (res.sessions, res.files) == (1, 1)
        assert [s.id for s in store.list_sessions()] == [c] and [j.name for j in store.list_jumpers()] == ["Di"]
        assert _files(store) == [store.clip_path(c).name]
        d = store.save_session(two_runs_report, jumper="Di")
        assert d > max(a, b, c)  # a deleted session's id is never reused
        with pytest.raises(StoreError, match="no jumper called 'Nobody'"):
            store.delete_jumper("Nobody")


def test_a_session_without_pose_data_says_so_when_its_frames_are_asked_for(store_url, report_json):
    with open_store(store_url) as store:
        sid = store.save_session(report_json)
        assert store.list_sessions("me")[0].has_pose is False
        with pytest.raises(StoreError, match="no pose data"):
            store.load_report(sid)


def test_a_report_dict_with_its_packed_pose_reopens(store_url, two_runs_report):
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report.to_dict(), pose=pack(PoseData.from_report(two_runs_report)),
                                 clip=b"clip bytes", clip_name="upload.mp4")
        assert store.load_report(sid).frame_rows() == two_runs_report.frame_rows()
        assert store.session_info(sid).clip_sha256 == hashlib.sha256(b"clip bytes").hexdigest()


@pytest.mark.parametrize("bad, message", [
    ({"schema": "something-else"}, "expected a jump-rope report"),
    ({"schema": "jumprope-form-report", "schema_version": "3.0"}, "schema version 1.x or 2.x"),
    ([1, 2], "expected a Report or its JSON dict"),
])
def test_what_is_not_a_report_is_refused(store_url, bad, message):
    with open_store(store_url) as store, pytest.raises(StoreError, match=message):
        store.save_session(bad)


def test_names_dates_and_keep_without_a_clip_are_checked(store_url, report_json):
    with open_store(store_url) as store:
        with pytest.raises(StoreError, match="empty one"):
            store.save_session(report_json, jumper="   ")
        with pytest.raises(StoreError, match="YYYY-MM-DD"):
            store.save_session(report_json, recorded_at="last tuesday")
        with pytest.raises(StoreError, match="keep_clip needs the clip"):
            store.save_session(report_json, keep_clip=True)
        assert store.list_sessions() == []
        sid = store.save_session(report_json, jumper="Eve")
        store.rename_jumper("eve", "Evelyn")
        store.set_recorded_at(sid, "2023-12-31T18:30")
        info = store.session_info(sid)
        assert info.jumper == "Evelyn" and info.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M") == "2023-12-31 18:30"
        store.add_jumper("Fay")
        with pytest.raises(StoreError, match="already exists"):
            store.rename_jumper("Evelyn", "fay")


def test_trend_bests_comparison_and_class_view_come_from_the_stored_figures(store_url):
    steady = make_report(n_jumps=30, view="side", trunk_lean_deg=3.0)
    leaning = make_report(n_jumps=30, view="side", trunk_lean_deg=25.0)
    short = make_report(n_jumps=8, view="side", trunk_lean_deg=3.0)
    day = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with open_store(store_url) as store:
        s1 = store.save_session(leaning, jumper="Gus", recorded_at=day)
        s2 = store.save_session(steady, jumper="Gus", recorded_at=day + timedelta(days=7))
        s3 = store.save_session(short, jumper="Gus", recorded_at=day + timedelta(days=14))
        store.save_session(steady, jumper="Hal", recorded_at=day + timedelta(days=3))
        trend = store.trend("gus")
        assert [r["session_id"] for r in trend] == [s1, s2, s3]
        assert [r["pass:posture.trunk_upright"] for r in trend] == [0.0, 1.0, 1.0]
        bests = store.personal_bests("Gus")
        assert bests["most_jumps"]["session_id"] == s1 and bests["most_jumps"]["value"] == 30  # first to reach it
        assert bests["rules"]["posture.trunk_upright"]["session_id"] == s2
        assert bests["fastest_cadence"]["session_id"] in (s1, s2)  # the 8-jump session is too short
        cmp = store.compare(s1, s2)
        row = next(r for r in cmp["rules"] if r["rule"] == "posture.trunk_upright")
        assert (row["a_pass_share"], row["b_pass_share"], row["verdict"]) == (0.0, 1.0, "better")
        assert any("Stand tall" in x for x in cmp["changed"])
        rows = store.class_rows(sort_by="jump_count", descending=True)
        assert [r["jump_count"] for r in rows] == [30, 30, 30, 8]
        assert [r["jumper"] for r in store.class_rows(["Hal"])] == ["Hal"]
        assert [r["session_id"] for r in store.class_rows(since="2024-01-05")] == [s2, s3]
        csv_text = store.class_csv(sort_by="jumper")
        assert csv_text.splitlines()[0].startswith("session_id,jumper,recorded_at")
        assert len(csv_text.splitlines()) == 5


def _reanalysed(report, **options):
    """The same pose analysed again under other options (what the page does on a settings change)."""
    from analysis.pipeline import PoseStage, analyze_pose  # noqa: PLC0415

    stage = PoseStage(report.pose, report.meta, pose_model="fake")
    return analyze_pose(stage, AnalysisConfig(**{**report.config.to_dict(), **options}))


def test_a_clip_is_found_by_jumper_content_and_options(store_url, two_runs_report):
    with open_store(store_url) as store:
        older = store.save_session(two_runs_report, jumper="Ivy", clip=b"clip one")
        newer = store.save_session(two_runs_report, jumper="Ivy", clip=b"clip one")
        store.save_session(two_runs_report, jumper="Jo", clip=b"clip one")
        digest = hashlib.sha256(b"clip one").hexdigest()
        options = two_runs_report.config.to_dict()
        found = store.find_session(" ivy ", digest, options)
        assert found is not None and found.id == newer and older != newer  # the latest analysis
        assert store.find_session("Ivy", digest, {**options, "standing_height_cm": 150.0}) is None
        assert store.find_session("Ivy", hashlib.sha256(b"clip two").hexdigest(), options) is None
        assert store.find_session("Nobody", digest, options) is None


def test_replacing_an_analysis_keeps_the_session_and_its_corrections_when_the_jumps_are_the_same(
    store_url, two_runs_report, clip
):
    taller = _reanalysed(two_runs_report, standing_height_cm=190.0)
    assert [j.takeoff_frame for j in taller.jumps.jumps] == [j.takeoff_frame for j in two_runs_report.jumps.jumps]
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report, jumper="Kim", clip=clip, keep_clip=True, recorded_at="2024-02-02")
        store.save_corrections(sid, [{"action": "remove", "jump": 3}])
        before = store.session_info(sid)
        res = store.replace_analysis(sid, taller)
        assert (res.corrections_kept, res.corrections_dropped) == (1, 0)
        after = store.session_info(sid)
        assert (after.uid, after.jumper, after.recorded_at, after.clip_sha256) == (
            before.uid, before.jumper, before.recorded_at, before.clip_sha256)
        assert after.clip_kept and store.clip_path(sid).read_bytes() == clip.read_bytes()
        assert after.jump_count == 19 and after.n_corrections == 1
        assert after.mean_height_cm != pytest.approx(before.mean_height_cm)  # the new scale's heights
        assert store.session(sid).options["standing_height_cm"] == 190.0
        assert store.load_report(sid, corrected=False).to_dict() == json.loads(json.dumps(taller.to_dict()))
        assert len(store.list_sessions()) == 1


def test_replacing_an_analysis_with_other_jumps_drops_its_corrections(store_url, two_runs_report):
    other = make_report(n_jumps=12, view="side")
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report, jumper="Lu")
        store.save_corrections(sid, [{"action": "remove", "jump": 3}, {"action": "remove", "jump": 4}])
        res = store.replace_analysis(sid, other)
        assert (res.corrections_kept, res.corrections_dropped) == (0, 2)
        info = store.session_info(sid)
        assert (info.jump_count, info.n_corrections) == (12, 0)
        assert store.load_report(sid).jumps.count == 12  # the new pose reopens with the new report
        with pytest.raises(StoreError, match="no session 999"):
            store.replace_analysis(999, other)


def test_a_session_moves_to_another_jumper_and_keeps_its_clip_later(store_url, two_runs_report, clip):
    with open_store(store_url) as store:
        sid = store.save_session(two_runs_report, jumper="Mo", clip=clip)
        assert not store.session_info(sid).clip_kept and store.clip_path(sid) is None
        store.move_session(sid, "Nia")
        assert store.session_info(sid).jumper == "Nia" and [s.id for s in store.list_sessions("nia")] == [sid]
        assert store.list_sessions("Mo") == []
        with pytest.raises(StoreError, match="not the clip session"):
            store.keep_clip(sid, b"some other clip")
        assert store.clip_path(sid) is None and _files(store) == []
        kept = store.keep_clip(sid, clip)
        assert kept.read_bytes() == clip.read_bytes() and store.session_info(sid).clip_kept
        assert store.keep_clip(sid, clip) == kept and len(_files(store)) == 1  # kept once
        assert store.delete_session(sid).files == 1 and _files(store) == []
        with pytest.raises(StoreError, match="no session"):
            store.move_session(sid, "Mo")
