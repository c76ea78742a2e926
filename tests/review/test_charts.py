"""The page's charts as Vega-Lite specifications: legends below, short axis titles,
labelled rule lines and band, a tick per jump, one lane per failing check, and a click
selection on every chart."""

from __future__ import annotations

import json

import pandas as pd

from review import charts
from tests.fixtures.report import make_report


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_page_specs():
    rep = make_report()
    specs = charts.page_specs(rep)
    assert set(specs) == {"clearance", "lanes", "knee", "arm"}
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
