"""The history views' data: jumpers, sessions, trends with personal bests, two sessions
side by side (frames aligned on a jump, per-check figures and what changed), the class
table, and the confirmation sentences before anything is deleted."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from analysis.store import JumperInfo
from analysis.store.trends import personal_bests
from review import history as hist

DAY = datetime(2024, 1, 1, 17, 0, tzinfo=timezone.utc)


@pytest.fixture
def three(store, two_runs, upright):
    """Gus's three sessions a week apart (leaning, upright, leaning) and one of Hal's."""
    ids = [
        store.save_session(two_runs, jumper="Gus", recorded_at=DAY),
        store.save_session(upright, jumper="Gus", recorded_at=DAY + timedelta(days=7), clip=b"c", keep_clip=True),
        store.save_session(two_runs, jumper="Gus", recorded_at=DAY + timedelta(days=14)),
    ]
    store.save_session(upright, jumper="Hal", recorded_at=DAY + timedelta(days=3))
    return ids


def test_jumper_options_put_me_first_and_keep_a_new_name():
    js = [JumperInfo(1, "zoe", 2, DAY, DAY), JumperInfo(2, "Al", 0, None, None), JumperInfo(3, "me", 1, DAY, DAY)]
    assert hist.jumper_options(js) == ["me", "Al", "zoe"]
    assert hist.jumper_options([], "Nia") == ["me", "Nia"]
    assert hist.jumper_options(js, " AL ") == ["me", "Al", "zoe"]  # the same profile whatever its case
    assert hist.jumper_caption("zoe", js).startswith("zoe: 2 sessions, the last on ")
    assert hist.jumper_caption("Al", js) == "Al: no sessions yet"
    assert "No sessions yet for Nia" in hist.empty_history_text("Nia")


def test_sessions_are_listed_newest_first_with_their_figures(store, three):
    infos = store.list_sessions("Gus")
    table = hist.sessions_table(infos)
    assert list(table["session"]) == three[::-1]
    assert list(table["jumps"]) == [20, 30, 20] and list(table["frames"]) == ["not kept", "clip kept", "not kept"]
    assert table["top fault"].iloc[0].startswith("Stand tall") and table["top fault"].iloc[1] == ""
    assert "±" in table["height cm"].iloc[0]
    assert hist.delete_session_text(infos[1]).endswith("and its kept clip from Gus's history? This cannot be undone.")
    assert hist.delete_profile_text("Gus", infos) == (
        "Delete Gus's profile with 3 sessions and 1 kept clip? This cannot be undone."
    )


def test_trends_mark_personal_bests_and_each_checks_share(store, three):
    figs = store.figures("Gus")
    frames = hist.trend_frames(figs)
    f = frames["figures"]
    counts = f[f["figure"] == "jump_count"]
    assert list(counts["value"]) == [20, 30, 20] and list(counts["best"]) == [False, True, False]
    assert not f[f["figure"] == "mean_height_cm"]["best"].any()  # no best height: the aim is a band
    h = f[f["figure"] == "mean_height_cm"]
    assert (h["low"] < h["value"]).all() and (h["high"] > h["value"]).all()
    r = frames["rules"]
    trunk = r[r["rule"] == "posture.trunk_upright"]
    assert list(trunk["share_pct"]) == [0.0, 100.0, 0.0] and list(trunk["best"]) == [False, True, False]
    assert hist.default_checks(r)[0] == "Stand tall: trunk upright, not leaning forward"
    cards = hist.best_cards(personal_bests(figs))
    assert [c["value"] for c in cards][:2] == ["30", "30 jumps"] and cards[0]["when"] == "on 2024-01-08"


def test_frames_align_on_a_jump_and_an_offset_in_real_seconds(two_runs, upright):
    j = two_runs.jumps.jumps[3]
    assert hist.aligned_frame(two_runs, 3, 0.0) == j.takeoff_frame
    dt = float(np.median(np.diff(two_runs.t_s)))
    assert hist.aligned_frame(two_runs, 3, 2 * dt) == j.takeoff_frame + 2
    assert hist.aligned_frame(two_runs, 0, -100.0) == 0
    assert hist.aligned_frame(two_runs, 19, 100.0) == len(two_runs.t_s) - 1
    assert hist.aligned_frame(two_runs, 20, 0.0) is None
    # A clip that plays 4x slower: a real second is four seconds of the clip.
    slow_scale = dataclasses.replace(two_runs.jumps.time_scale, factor=4.0)
    slow = dataclasses.replace(two_runs, jumps=dataclasses.replace(two_runs.jumps, time_scale=slow_scale))
    assert hist.aligned_frame(slow, 3, 2 * dt) == j.takeoff_frame + 8
    assert hist.align_step_s(two_runs, upright) == pytest.approx(1 / two_runs.meta.fps, abs=1e-3)
    assert hist.ALIGN_REACH_S == 1.0


def test_two_sessions_side_by_side_say_what_changed(store, three):
    cmp = store.compare(three[0], three[1])
    rules = hist.compare_rules(cmp)
    top = rules.iloc[0]
    assert top["check"].startswith("Stand tall") and top["verdict"] == "better"
    assert (top["A"], top["B"]) == ("0 of 20 jumps pass (0%)", "30 of 30 jumps pass (100%)")
    assert top["change"] == "+100 points"
    summary = hist.compare_summary(cmp)
    assert summary.set_index("figure").loc["jumps", "change"] == "+10"
    assert any("Stand tall" in line for line in hist.changed_text(cmp))
    same = store.compare(three[0], three[2])
    assert hist.changed_text(same)[0].startswith("No check changed clearly")


def test_the_class_table_sorts_by_any_shown_column_missing_values_last(store, three):
    rows = store.class_rows()
    by_count = hist.sort_class_rows(rows, "jumps", descending=True)
    assert [r["jump_count"] for r in by_count] == [30, 30, 20, 20]
    table = hist.class_table(by_count)
    assert list(table.columns[:5]) == ["jumper", "date", "jumps", "jumps / min", "height cm"]
    assert table["top fault"].iloc[2].startswith("Stand tall") and "(100% of jumps)" in table["top fault"].iloc[2]
    rows[0]["mean_height_cm"] = None
    assert hist.sort_class_rows(rows, "height cm", descending=False)[-1] is rows[0]
    assert hist.sort_class_rows(rows, "height cm", descending=True)[-1] is rows[0]
    with pytest.raises(ValueError, match="expected one of jumper, date"):
        hist.sort_class_rows(rows, "shoe size", False)
