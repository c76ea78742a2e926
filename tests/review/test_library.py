"""The page's use of the store: a clear message when it cannot be opened, each result saved
once (the store's rule: same jumper, content and options), a change of settings replacing
the session this visit saved, and a class's clips analysed one after another."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import pytest

from analysis.config import AnalysisConfig
from analysis.pipeline import PoseStage, analyze_pose
from analysis.types import AnalysisError
from review import library
from tests.analysis.store.conftest import make_report

SHA = hashlib.sha256(b"a clip").hexdigest()


def reanalysed(report, **options):
    """The same pose under other options (what a settings change on the page does)."""
    cfg = AnalysisConfig(**{**report.config.to_dict(), **options})
    return analyze_pose(PoseStage(report.pose, report.meta, pose_model="fake"), cfg)


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql+psycopg://coach:secret@127.0.0.1:1/rope", "postgresql+psycopg://coach:***@127.0.0.1:1/rope"),
        ("nonsense://", "nonsense://"),
    ],
)
def test_a_store_that_cannot_be_opened_says_where_and_what_to_do(url, shown):
    opened = library.open_history(url)
    assert opened.store is None and opened.url == shown
    assert shown in opened.error and "secret" not in opened.error
    assert "JUMPROPE_DB_URL" in opened.error and "unset" in opened.error and "reload the page" in opened.error
    assert "Analysing a clip still works" in opened.error


def test_a_store_opens_at_the_configured_address(private_history_store):
    opened = library.open_history()
    try:
        assert opened.error is None and opened.store is not None
        assert opened.url == private_history_store
    finally:
        opened.store.close()


def test_a_result_is_saved_once_then_found_again(store, two_runs):
    first = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=None)
    assert first.action == "saved" and first.held.created and first.held.jumper == "Ann"
    again = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=first.held)
    assert again.action == "unchanged" and again.held == first.held
    # A new visit (nothing held) finds the stored session: not saved twice.
    later = library.remember(store, two_runs, jumper="ann", sha256=SHA, held=None)
    assert later.action == "reused" and later.held.session_id == first.held.session_id and not later.held.created
    assert len(store.list_sessions()) == 1


def test_a_settings_change_replaces_this_visits_session_and_keeps_its_corrections(store, two_runs):
    first = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=None)
    store.save_corrections(first.held.session_id, [{"action": "remove", "jump": 2}])
    taller = reanalysed(two_runs, standing_height_cm=185.0)
    assert library.lookup(store, first.held, jumper="Ann", sha256=SHA, options=taller.config.to_dict()) is None
    assert library.will_replace(store, first.held, SHA)
    res = library.remember(store, taller, jumper="Bo", sha256=SHA, held=first.held)  # Bo chosen since: no move
    assert res.action == "replaced" and res.corrections_dropped == 0
    assert res.held.session_id == first.held.session_id and res.held.options["standing_height_cm"] == 185.0
    [info] = store.list_sessions()
    assert info.jumper == "Ann" and info.n_corrections == 1 and info.jump_count == 19
    # Back to the first settings: the same session again (no second one).
    back = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=res.held)
    assert back.action == "replaced" and len(store.list_sessions()) == 1


def test_a_session_from_an_earlier_visit_is_never_changed_by_new_settings(store, two_runs):
    earlier = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=None)
    visit = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=None).held  # found, not created
    assert not visit.created and not library.will_replace(store, visit, SHA)
    res = library.remember(store, reanalysed(two_runs, standing_height_cm=150.0), jumper="Ann", sha256=SHA, held=visit)
    assert res.action == "saved" and res.held.session_id != earlier.held.session_id
    assert store.session(earlier.held.session_id).options["standing_height_cm"] == 170.0


def test_a_deleted_session_is_not_held_any_more(store, two_runs):
    first = library.remember(store, two_runs, jumper="Ann", sha256=SHA, held=None)
    store.delete_session(first.held.session_id)
    assert library.lookup(store, first.held, jumper="Ann", sha256=SHA, options=two_runs.config.to_dict()) is None
    assert not library.will_replace(store, first.held, SHA)


def test_keeping_the_clip_stores_a_copy(store, two_runs):
    res = library.remember(
        store, two_runs, jumper="Cy", sha256=SHA, held=None, clip=b"a clip", clip_name="week 1.mp4", keep_clip=True
    )
    info = store.session_info(res.held.session_id)
    assert info.clip_kept and info.clip_name == "week 1.mp4"
    assert store.clip_path(info.id).read_bytes() == b"a clip"


def test_disk_cost_names_the_clip_size_and_the_pose_data():
    text = library.disk_cost_text(12_300_000, duration_s=10.0)
    assert "12.3 MB" in text and "210–500 kB" in text and "no pictures" in text


def analyse_made_up_motion(path, config, progress=None):
    """The class view's analysis with the pose stage replaced by made-up motion: a clip's
    bytes name how many jumps it has ("jumps=N"), or that no person is in it."""
    text = path.read_bytes().decode()
    if text == "nobody":
        raise AnalysisError(f"{path.name}: no person was found in the clip")
    if progress is not None:
        progress("pose", 1, 1)
    report = make_report(n_jumps=int(text.split("=")[1]))
    return dataclasses.replace(report, config=config)


def test_a_class_is_analysed_clip_by_clip_and_a_known_clip_is_skipped(store):
    clips = [
        library.ClassClip("ann.mp4", b"jumps=12", "Ann"),
        library.ClassClip("empty.mp4", b"nobody", "Bo"),
        library.ClassClip("bo.mp4", b"jumps=16", "Bo", recorded_at=date(2024, 5, 3)),
    ]
    seen = []
    out = library.analyse_class(
        store, clips, AnalysisConfig(), analyse=analyse_made_up_motion, progress=lambda f, t: seen.append((f, t))
    )
    assert [o.status for o in out] == ["saved", "failed", "saved"]
    assert "no person was found" in out[1].message and out[1].session_id is None
    assert [(s.jumper, s.jump_count) for s in store.list_sessions()] == [("Bo", 16), ("Ann", 12)]  # by date
    assert seen[-1] == (1.0, "3 clips done") and all(0.0 <= f <= 1.0 for f, _ in seen)
    again = library.analyse_class(store, clips[:1], AnalysisConfig(), analyse=analyse_made_up_motion)
    assert again[0].status == "already" and "already in Ann's history" in again[0].message
    assert len(store.list_sessions()) == 2


def test_class_assignments_are_checked_before_anything_runs():
    clips = [("a.mp4", "  "), ("b.mp4", "x" * 130), ("c.mp4", "Cy")]
    problems = library.check_assignments([library.ClassClip(name, b"", who) for name, who in clips])
    assert problems[0] == "a.mp4: choose or type its jumper's name"
    assert problems[1].startswith("b.mp4: jumper: expected at most 120 characters") and len(problems) == 2
