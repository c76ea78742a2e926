"""The page's history through Streamlit's AppTest, on a store filled with sessions made from
synthetic motion (no video, no pose model; each test has a store of its own): trends and
personal bests, a session reopened without analysis, a correction that changes the count
and scores and survives a reload, deletion with a confirmation, two sessions side by
side, the class table, and a clear message when the store cannot be opened. The last
test analyses a sample clip: saved once, a settings change replaces it, a new visit finds it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store import open_store
from tests.analysis.store.conftest import fresh_pg_database, make_report, require_postgres
from tests.page_support import REPO

APP = str(REPO / "app.py")
DAY = datetime(2024, 1, 1, 17, 0, tzinfo=timezone.utc)
SAMPLE = REPO / "sample_videos" / "clean_front.mp4"


@pytest.fixture(scope="module")
def leaning():
    return make_report(n_jumps=20, pause_after=9, pause_s=0.9, view="side", trunk_lean_deg=25.0)


@pytest.fixture(scope="module")
def upright():
    return make_report(n_jumps=30, view="side", trunk_lean_deg=3.0)


@pytest.fixture
def gus(leaning, upright) -> list[int]:
    """Gus's two sessions a week apart (leaning forward, then upright; the second kept its
    clip) and one of Hal's, in this test's store."""
    with open_store() as store:
        return [
            store.save_session(leaning, jumper="Gus", recorded_at=DAY),
            store.save_session(
                upright, jumper="Gus", recorded_at=DAY + timedelta(days=7), clip=b"gus week 2", keep_clip=True
            ),
            store.save_session(upright, jumper="Hal", recorded_at=DAY + timedelta(days=3)),
        ]


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return run(at)


def to_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["tab"] = label
    return run(at)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [s.value for s in at.success]
    parts += [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)


def scores_html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html") if "jumps passing" in str(h.proto.body))


def test_an_empty_history_says_so_and_how_to_fill_it():
    at = to_tab(app(), "History")
    assert "No sessions yet for me" in texts(at) and "Class view" in texts(at)
    at = to_tab(at, "Side by side")
    assert "Side by side needs two sessions in the history; it holds 0" in texts(at)
    at = to_tab(at, "Class view")
    assert "No sessions in the history yet" in texts(at) and "--store" in texts(at)


def test_the_history_shows_trends_bests_and_every_session(gus):
    at = app(jumper="Gus", tab="history")
    assert at.selectbox(key="jumper").value == "Gus"
    assert "Gus's history" in texts(at)
    assert metric(at, "Best: most jumps") == "30" and metric(at, "Best: longest streak") == "30 jumps"
    assert len(at.get("vega_lite_chart")) == 5  # count, cadence, streak, height, the checks' shares
    table = at.dataframe[0].value
    assert list(table["jumps"]) == [30, 20] and list(table["frames"]) == ["clip kept", "not kept"]
    assert at.multiselect(key="hist_checks_Gus").value == ["Stand tall: trunk upright, not leaning forward"]
    assert "Hal" not in " ".join(table["clip"])


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, monkeypatch) -> Iterator[str]:
    """The page's store on each back-end: this test's SQLite file, or an empty database on
    the PostgreSQL server of ``.ci/with_postgres`` (skipped without it, failed in CI)."""
    if request.param == "sqlite":
        yield request.param
        return
    for url in fresh_pg_database(require_postgres()):
        monkeypatch.setenv("JUMPROPE_DB_URL", url)
        yield request.param


def test_a_correction_changes_the_count_and_scores_and_survives_a_reload(backend, gus, leaning):
    """On PostgreSQL too: Gus's first session holds borderline verdicts ('borderline' once
    overflowed the status column there)."""
    with open_store() as store:
        assert store.backend == backend
        assert "borderline" in {r["status"] for r in store.export(gus[0])["rules"]}
    at = app(jumper="Gus", tab="history")
    at.selectbox(key="hist_pick_Gus").set_value(gus[0])
    at = run(at)
    at.button(key="open_session").click()
    at = run(at)
    assert at.query_params["session"] == [str(gus[0])]
    assert metric(at, "Jumps") == "20"
    assert "frame stills are unavailable" in texts(at)  # the clip was not kept; everything else is there
    before = scores_html(at)
    assert "20 of 20 jumps" in before or "0 of 20 jumps" in before
    at.slider(key="frame").set_value(leaning.jumps.jumps[5].takeoff_frame + 1)
    at = run(at)
    remove = at.button(key="correct_remove")
    assert remove.label.startswith("Not a jump: remove jump 6") and not remove.disabled
    remove.click()
    at = run(at)
    assert metric(at, "Jumps") == "19"
    after = scores_html(at)
    assert after != before and "of 19 jumps" in after
    assert "Corrected by hand (1 correction): 19 jumps; the detection found 20" in texts(at)
    # A reload (a new browser session on the same address) finds the session as corrected.
    again = app(jumper="Gus", tab="history", session=str(gus[0]))
    assert metric(again, "Jumps") == "19" and "of 19 jumps" in scores_html(again)
    again.button(key="correct_undo_0").click()
    again = run(again)
    assert metric(again, "Jumps") == "20"
    with open_store() as store:
        assert store.session_info(gus[0]).n_corrections == 0


def test_deleting_a_session_asks_first_and_removes_its_kept_clip(gus):
    with open_store() as store:
        kept = store.clip_path(gus[1])
    assert kept is not None and kept.is_file()
    at = app(jumper="Gus", tab="history")
    at.selectbox(key="hist_pick_Gus").set_value(gus[1])
    at = run(at)
    at.button(key="ask_delete").click()
    at = run(at)
    assert "and its kept clip from Gus's history? This cannot be undone." in texts(at)
    at.button(key="cancel_delete").click()
    at = run(at)
    assert kept.is_file()
    at.button(key="ask_delete").click()
    at = run(at)
    at.button(key="delete_session").click()
    at = run(at)
    assert "Deleted the session (1 kept file removed)." in texts(at)
    assert not kept.exists()
    assert list(at.dataframe[0].value["jumps"]) == [20]


def test_deleting_a_profile_needs_a_tick_and_removes_everything(gus):
    at = app(jumper="Gus", tab="history")
    assert at.button(key="delete_profile").disabled
    assert "Delete Gus's profile with 2 sessions and 1 kept clip?" in texts(at)
    at.checkbox(key="sure_gus").check()
    at = run(at)
    at.button(key="delete_profile").click()
    at = run(at)
    assert "Deleted Gus's profile: 2 sessions, 1 kept file." in texts(at)
    assert at.selectbox(key="jumper").value == "me"
    with open_store() as store:
        assert [j.name for j in store.list_jumpers()] == ["Hal"]


def test_two_sessions_side_by_side_move_together_and_say_what_changed(gus, leaning, upright):
    at = app(jumper="Gus", tab="compare")  # AppTest keeps a tab only as the address's default
    assert at.selectbox(key="cmp_a").value == gus[0] and at.selectbox(key="cmp_b").value == gus[1]
    captions = [c.value for c in at.caption if c.value.startswith("Frame ")]
    assert captions[0].startswith(f"Frame {leaning.jumps.jumps[0].takeoff_frame} ·")
    assert captions[1].startswith(f"Frame {upright.jumps.jumps[0].takeoff_frame} ·")
    at.slider(key="cmp_jump").set_value(4)
    at = run(at)
    captions = [c.value for c in at.caption if c.value.startswith("Frame ")]
    assert captions[0].startswith(f"Frame {leaning.jumps.jumps[3].takeoff_frame} ·")
    assert captions[1].startswith(f"Frame {upright.jumps.jumps[3].takeoff_frame} ·")
    assert "jump 4 of 20" in captions[0] and "jump 4 of 30" in captions[1]
    text = texts(at)
    assert "What changed from A to B" in text and "Stand tall: trunk upright, not leaning forward: 0% -> 100%" in text
    rules = at.dataframe[1].value
    assert rules.iloc[0]["verdict"] == "better"


def test_the_class_table_lists_every_jumper_sorts_and_exports(gus):
    at = app(tab="class")
    table = at.dataframe[0].value
    assert list(table["jumper"]) == ["Gus", "Hal", "Gus"]  # newest first
    at.selectbox(key="class_sort").set_value("jumps")
    at.toggle(key="class_desc").set_value(False)
    at = run(at)
    assert list(at.dataframe[0].value["jumps"]) == [20, 30, 30]
    at.multiselect(key="class_jumpers").set_value(["Hal"])
    at = run(at)
    assert list(at.dataframe[0].value["jumper"]) == ["Hal"]
    assert any(b.label == "Class table (CSV)" for b in at.get("download_button"))


def test_a_store_that_cannot_be_opened_says_what_to_do_and_the_page_still_works(monkeypatch):
    monkeypatch.setenv("JUMPROPE_DB_URL", "postgresql+psycopg://coach:secret@127.0.0.1:1/club")
    at = app()
    warning = at.warning[0].value
    assert "postgresql+psycopg://coach:***@127.0.0.1:1/club" in warning and "secret" not in warning
    assert "JUMPROPE_DB_URL" in warning and "Analysing a clip still works" in warning
    assert at.file_uploader and at.checkbox(key="keep_clip").disabled
    at = to_tab(at, "History")
    assert at.error and "The history is unavailable" in at.error[0].value


@pytest.mark.slow
def test_an_analysis_is_saved_once_a_settings_change_replaces_it_and_a_new_visit_finds_it(tmp_path):
    at = app(jumper="me")
    at.checkbox(key="keep_clip").check()
    at = run(at)
    at.file_uploader[0].set_value(("week 1.mp4", SAMPLE.read_bytes(), "video/mp4"))
    at = run(at)
    assert "Saved in **me**'s history" in texts(at)
    with open_store() as store:
        [info] = store.list_sessions("me")
        assert info.clip_kept and info.clip_name == "week 1.mp4"
        assert store.session(info.id).options["standing_height_cm"] is None
    at.number_input(key="height_cm").set_value(150)
    at = run(at)
    with open_store() as store:
        [again] = store.list_sessions("me")  # replaced, not a second session
        assert again.id == info.id and store.session(info.id).options["standing_height_cm"] == 150.0
    # A new visit with the same clip and settings: found, not saved twice.
    later = app(jumper="me")
    later.number_input(key="height_cm").set_value(150)
    later = run(later)
    later.file_uploader[0].set_value(("renamed.mp4", SAMPLE.read_bytes(), "video/mp4"))
    t0 = time.perf_counter()
    later = run(later)
    assert "Already in **me**'s history" in texts(later) and "not saved twice" in texts(later)
    print(f"\nsecond visit shown in {time.perf_counter() - t0:.1f} s")
    with open_store() as store:
        assert len(store.list_sessions()) == 1
