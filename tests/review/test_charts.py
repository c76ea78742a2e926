"""The page's charts as Vega-Lite specifications: legends below, short axis titles,
labelled rule lines and band, a tick per jump, one lane per failing check, the runs with
the longest streak and each run's ending, the history's trends with personal bests, and a
click selection on every chart."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from review import charts
from tests.fixtures.report import make_report


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_page_specs():
    rep = make_report()
    specs = charts.page_specs(rep)
    assert set(specs) == {"clearance", "streaks", "lanes", "knee", "arm"}
    text = json.dumps(specs, ensure_ascii=False)
    assert '"orient": "bottom"' in text  # legends below the plots
    assert "aim: 2\u20135 cm" in text and "locked at touchdown \u2265 170\u00b0" in text
    for name, spec in specs.items():
        assert spec["autosize"]["type"] == "fit-x", name
        params = [p for layer in _layers(spec) for p in layer.get("params", [])] + spec.get("params", [])
        assert params and params[0]["select"]["type"] == "point", f"{name}: a click picks a frame"
    clearance = specs["clearance"]
    assert clearance["title"]["text"] == "Foot clearance above the floor"
    layers = _layers(clearance)
    y_titles = {ly["encoding"]["y"]["title"] for ly in layers if "title" in ly.get("encoding", {}).get("y", {})}
    assert y_titles == {"cm"}  # a short axis title: the chart's title says what it shows
    ticks = [ly for ly in layers if ly["mark"]["type"] == "rule"]
    assert ticks and len(clearance["datasets"][ticks[0]["data"]["name"]]) == rep.jumps.count
    lanes = specs["lanes"]
    assert lanes["encoding"]["y"]["field"] == "check" and lanes["encoding"]["x2"]["field"] == "end_s"


def test_no_lanes_without_failing_checks():
    assert "lanes" not in charts.page_specs(make_report(rules=None))


def test_clearance_domain_clips_a_spike():
    values = pd.Series([0.0, 1.0, 3.0, 4.0] * 50 + [60.0])
    lo, hi = charts._clearance_domain(values, 5.0)
    assert lo <= -1.0 and 10.0 <= hi < 60.0


def test_runs_misses_and_stops_on_the_timeline(two_runs):
    spec = charts.page_specs(two_runs)["streaks"]
    assert spec["title"]["text"] == "Runs, misses and stops" and spec["autosize"]["type"] == "fit-x"
    bars, ends, label = _layers(spec)
    runs = spec["datasets"][bars["data"]["name"]]
    assert [r["kind"] for r in runs] == ["longest streak", "run"]
    params = [q for ly in _layers(spec) for q in ly.get("params", [])] + spec.get("params", [])
    assert params[0]["select"]["fields"] == ["start_frame"]  # a click moves the review to the run
    marks = spec["datasets"][ends["data"]["name"]]
    assert [(m["mark"], m["ended_by"]) for m in marks] == [("miss", "miss"), ("stop", "stop")]
    assert ends["encoding"]["shape"]["scale"]["range"] == ["cross", "square"]  # not told by colour alone
    assert spec["datasets"][label["data"]["name"]][0]["text"] == "longest streak: 10 jumps"


def test_history_trends_with_bests_and_a_click_to_open_a_session(store, two_runs, upright):
    from review import history as hist  # noqa: PLC0415

    a = store.save_session(two_runs, jumper="Gus", recorded_at="2024-01-01")
    b = store.save_session(upright, jumper="Gus", recorded_at="2024-01-08")
    frames = hist.trend_frames(store.figures("Gus"))
    specs = charts.history_specs(frames, hist.default_checks(frames["rules"]), hist.height_band())
    assert set(specs) == {"jump_count", "jumps_per_minute", "longest_streak", "mean_height_cm", "rules"}
    count = specs["jump_count"]
    best = [ly for ly in _layers(count) if ly["mark"].get("shape") == "diamond"]
    assert len(best) == 1 and [r["session"] for r in count["datasets"][best[0]["data"]["name"]]] == [b]
    height = json.dumps(specs["mean_height_cm"])
    assert '"low"' in height and '"high"' in height  # the band and the uncertainty
    assert "diamond" not in height  # no best height
    rules = specs["rules"]
    assert {r["check"] for r in rules["datasets"][rules["layer"][0]["data"]["name"]]} == {
        "Stand tall: trunk upright, not leaning forward"
    }
    for name, spec in specs.items():  # a week apart: ticks by day, labelled with dates
        xs = [ly["encoding"]["x"] for ly in _layers(spec) if "x" in ly.get("encoding", {})]
        assert xs and all(x["axis"]["tickCount"] == {"interval": "day", "step": 1} for x in xs), name
        assert all(x["axis"]["format"] == "%Y-%m-%d" and x["scale"]["nice"] == "day" for x in xs), name
    assert charts.selected_session({"selection": {"trend_jump_count": [{"session": a}]}}) == a
    assert charts.selected_session({"selection": {}}) is None


@pytest.mark.parametrize(
    ("dates", "interval"),
    [
        (["2024-01-01T10:00:01", "2024-01-01T10:00:40"], "day"),  # seconds apart: one day, not an axis of seconds
        (["2024-01-01", "2024-01-08"], "day"),
        (["2024-01-01", "2024-02-20"], "week"),
        (["2024-01-01", "2024-07-01"], "month"),
        (["2020-01-01", "2024-07-01"], "year"),
        ([], "day"),
    ],
)
def test_the_trends_time_axis_ticks_whole_days_weeks_months_or_years(dates, interval):
    assert charts.date_interval(pd.Series(dates, dtype=object)) == interval
