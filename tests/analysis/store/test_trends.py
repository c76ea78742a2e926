"""Trends, personal bests, comparisons and the class table from hand-made figure rows."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from analysis.store import classview, trends

DAY = datetime(2024, 5, 6, 17, 0, tzinfo=timezone.utc)


def row(sid: int, days: int, *, jumps=100, jpm=120.0, active=50.0, streak=40, height=3.0, unc=0.5,
        rules=None, jumper="Ann") -> dict:
    return {"session_id": sid, "jumper": jumper, "recorded_at": DAY + timedelta(days=days), "jump_count": jumps,
            "jumps_per_minute": jpm, "active_time_s": active, "longest_streak": streak, "n_misses": 1, "n_stops": 1,
            "mean_height_cm": height, "mean_height_uncertainty_cm": unc, "top_fault_rule": None,
            "top_fault_title": None, "rules": rules or {}}


def rule(share, n, status="pass", title="Stand tall"):
    return {"title": title, "status": status, "pass_share": share, "n_assessed": n}


def test_trend_rows_are_in_date_order_with_one_column_per_rule():
    rows = [row(2, 7, rules={"posture.trunk_upright": rule(0.9, 30)}), row(1, 0, rules={"posture.trunk_upright": rule(None, 0, "na")})]
    t = trends.trend_table(rows)
    assert [r["session_id"] for r in t] == [1, 2]
    assert [r["pass:posture.trunk_upright"] for r in t] == [None, 0.9]
    series = trends.trend_series(rows)
    assert {"figure": "jump_count", "value": 100, "session_id": 1, "recorded_at": DAY} in series
    assert not any(s["value"] is None for s in series)


def test_personal_bests_name_the_first_session_to_reach_them_and_need_sustained_cadence():
    rows = [row(1, 0, jumps=120, jpm=150.0, active=5.0, streak=50),  # 150/min over 5 s: not sustained
            row(2, 3, jumps=150, jpm=130.0, streak=60, rules={"r": rule(0.8, 40)}),
            row(3, 9, jumps=150, jpm=135.0, streak=30, rules={"r": rule(0.95, 20)})]
    b = trends.personal_bests(rows)
    assert (b["most_jumps"]["value"], b["most_jumps"]["session_id"]) == (150, 2)
    assert (b["longest_streak"]["value"], b["longest_streak"]["session_id"]) == (60, 2)
    assert (b["fastest_cadence"]["value"], b["fastest_cadence"]["session_id"]) == (135.0, 3)
    assert b["rules"]["r"] == {"value": 0.95, "session_id": 3, "recorded_at": DAY + timedelta(days=9),
                                    "n_assessed": 20, "title": "Stand tall"}
    assert trends.personal_bests([]) == {"most_jumps": None, "longest_streak": None, "fastest_cadence": None,
                                         "rules": {}}


@pytest.mark.parametrize("a, b, verdict", [
    ((0.2, 40), (0.8, 40), "better"),
    ((0.8, 40), (0.2, 40), "worse"),
    ((0.7, 20), (0.8, 20), "no clear change"),
    ((0.0, 3), (1.0, 3), "too few jumps"),  # even 0 % against 100 %: p = 0.1
    ((0.0, 4), (1.0, 4), "better"),  # p = 0.029
    ((None, 0), (0.9, 30), "not assessed"),
])
def test_a_rule_share_changes_only_when_fishers_exact_test_says_so(a, b, verdict):
    assert trends.share_change(a[0], a[1], b[0], b[1])["verdict"] == verdict


def test_comparison_lists_what_changed_beyond_chance_and_uncertainty():
    a = row(1, 0, height=3.0, unc=0.4, rules={"p": rule(0.1, 40, "fault"), "q": rule(0.9, 40)})
    b = row(2, 14, jumps=130, height=5.0, unc=0.4, rules={"p": rule(0.9, 40), "q": rule(0.85, 40, title="Elbows in")})
    c = trends.compare(a, b)
    assert next(s for s in c["summary"] if s["figure"] == "jump_count")["change"] == 30
    assert [r["verdict"] for r in c["rules"]] == ["better", "no clear change"]
    assert c["height"]["verdict"] == "higher"
    assert len(c["changed"]) == 2 and c["changed"][0] == "Stand tall: 10% -> 90% of jumps pass (better, p < 0.001)"
    same_height = trends.compare(a, row(3, 20, height=3.3, unc=0.4))
    assert same_height["height"]["verdict"] == "within the measurement's uncertainty"


def test_against_previous_sessions():
    first = trends.against_previous(row(1, 0), [])
    assert first["n_previous"] == 0 and first["versus_previous"] is None
    t = trends.against_previous(row(3, 14, jumps=160), [row(1, 0, jumps=100), row(2, 7, jumps=140)])
    jumps = next(f for f in t["figures"] if f["figure"] == "jump_count")
    assert (jumps["this"], jumps["previous"], jumps["mean_before"], jumps["n_before"]) == (160, 140, 120, 2)
    assert t["versus_previous"]["a"] == 2


def test_class_rows_sort_by_any_column_with_missing_values_last():
    rows = [{"session_id": 1, "jumper": "bo", "recorded_at": DAY, "jump_count": 50, "mean_height_cm": None},
            {"session_id": 2, "jumper": "Al", "recorded_at": DAY, "jump_count": 80, "mean_height_cm": 3.0},
            {"session_id": 3, "jumper": "cy", "recorded_at": DAY, "jump_count": 50, "mean_height_cm": float("nan")}]
    assert [r["session_id"] for r in classview.sort_rows(rows, "jumper")] == [2, 1, 3]
    assert [r["session_id"] for r in classview.sort_rows(rows, "jump_count", descending=True)] == [2, 1, 3]
    assert [r["session_id"] for r in classview.sort_rows(rows, "mean_height_cm", descending=True)] == [2, 1, 3]
    with pytest.raises(ValueError, match="expected one of"):
        classview.sort_rows(rows, "shoe_size")


def test_class_csv_has_a_header_and_local_dates():
    rows = [{"session_id": 1, "jumper": "Al, Jr.", "recorded_at": DAY, "jump_count": 80, "jumps_per_minute": 121.23456,
             "mean_height_cm": None, "partial": True}]
    got = list(csv.DictReader(io.StringIO(classview.to_csv(rows, tz=timezone(timedelta(hours=2))))))
    assert list(got[0]) == list(classview.COLUMNS)
    assert (got[0]["jumper"], got[0]["recorded_at"], got[0]["jumps_per_minute"]) == ("Al, Jr.", "2024-05-06T19:00+02:00", "121.235")
    assert (got[0]["mean_height_cm"], got[0]["partial"]) == ("", "1")
