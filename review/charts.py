"""The review page's charts as Altair specifications (no Streamlit): foot clearance with
the 2-5 cm band and a tick per jump, the failing checks in lanes on the same time axis,
and the knee and arm angles with their labelled rule lines. Legends sit below the plots
(a phone has no room beside them). Axis titles stay short (a unit) and each chart says
what it shows in its title. A click on any of them picks a frame (selection field
``frame`` or ``start_frame``); ``viewmodel.selected_frame_from_chart`` reads it.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import viewmodel as vm
from .history import TREND_FIGURES
from .viewmodel import VERDICT_COLOUR

#: Height of one failing check's lane (px). Lanes take Tableau 10 colours (distinct hues;
#: the lanes are labelled too, so no two checks are told apart by colour alone).
LANE_PX = 22
#: Plot heights (px) of the clearance and angle charts.
CLEARANCE_PX = 200
ANGLE_PX = 170
#: Streamlit fits a chart's width to its column ("fit-x"); its height stays the plot's.
_FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


def _title(text: str) -> alt.Title:
    return alt.Title(text, anchor="start", fontSize=13, fontWeight=600, offset=6)


def _legend(columns: int | None = None) -> alt.Legend:
    # A one-space title, not None: a bottom legend without a title clips the chart's left
    # side in Streamlit (streamlit/streamlit#5467).
    return alt.Legend(orient="bottom", title=" ", labelLimit=0, columns=columns or 4, symbolStrokeWidth=3)


def _clearance_domain(values: pd.Series, band_high: float) -> list[float]:
    """Y range of the clearance panel: the band and the usual jumps in view, an odd spike
    clipped (the 99th percentile, not the maximum, sets the top)."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(float)
    v = v[np.isfinite(v)]
    top = float(np.percentile(v, 99)) if v.size else band_high
    return [min(-1.0, float(np.percentile(v, 1)) if v.size else -1.0), max(2.0 * band_high, 1.15 * top)]


def clearance_chart(clearance: pd.DataFrame, band: pd.DataFrame, jumps: pd.DataFrame, x_max: float) -> alt.LayerChart:
    """Foot clearance (cm) over time with the aim band and a tick per jump at the bottom
    (red where the jump fails a check)."""
    pick = alt.selection_point(name="pick", fields=["frame"], on="click", nearest=True)
    x = alt.X("t_s:Q", title="time (s)", scale=alt.Scale(domain=[0, x_max], nice=False))
    hi = float(band["high"].iloc[0]) if len(band) else 5.0
    domain = _clearance_domain(clearance["value"], hi)
    y = alt.Y("value:Q", title="cm", scale=alt.Scale(domain=domain, clamp=True))
    layers: list[alt.Chart] = []
    if len(band):
        layers.append(alt.Chart(band).mark_rect(color="#1e8e3e", opacity=0.12).encode(y="low:Q", y2="high:Q"))
        layers.append(
            alt.Chart(band)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-2, color="#1e8e3e", fontSize=11)
            .encode(y="high:Q", x=alt.value(0), text="label:N")
        )
    layers.append(
        alt.Chart(clearance)
        .mark_line(strokeWidth=1.4, clip=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color("series:N", legend=_legend(), scale=alt.Scale(range=["#1a73e8", "#f29900"])),
            tooltip=[
                "frame:Q",
                alt.Tooltip("t_s:Q", title="s", format=".2f"),
                "series:N",
                alt.Tooltip("value:Q", format=".1f"),
            ],
        )
    )
    layers.append(alt.Chart(clearance).mark_point(opacity=0, size=60).encode(x="t_s:Q", y=y).add_params(pick))
    if len(jumps):
        tick_colour = alt.condition(alt.datum.faults > 0, alt.value(VERDICT_COLOUR["fault"]), alt.value("#9aa0a6"))
        low, high = domain[0], domain[0] + 0.06 * (domain[1] - domain[0])
        layers.append(
            alt.Chart(jumps.assign(low=low, high=high))
            .mark_rule(strokeWidth=1.2)
            .encode(
                x="t_s:Q",
                y="low:Q",
                y2="high:Q",
                color=tick_colour,
                tooltip=["jump:Q", alt.Tooltip("t_s:Q", title="take-off s", format=".2f"), "faults:Q"],
            )
        )
    return alt.layer(*layers).properties(
        height=CLEARANCE_PX, autosize=_FIT_X, title=_title("Foot clearance above the floor")
    )


def lanes_chart(lanes: pd.DataFrame, x_max: float) -> alt.Chart:
    """One lane per failing check, a bar where it fails (lighter where borderline), on the
    same time axis as the clearance chart."""
    pick = alt.selection_point(name="lane", fields=["start_frame"], on="click")
    order = list(dict.fromkeys(lanes.sort_values("start_s")["check"]))
    return (
        alt.Chart(lanes)
        .mark_bar(height={"band": 0.7}, cornerRadius=2)
        .encode(
            x=alt.X("start_s:Q", title="time (s)", scale=alt.Scale(domain=[0, x_max], nice=False)),
            x2="end_s:Q",
            y=alt.Y("check:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
            color=alt.Color("check:N", scale=alt.Scale(scheme="tableau10"), legend=None),
            opacity=alt.condition(alt.datum.verdict == "borderline", alt.value(0.45), alt.value(0.9)),
            tooltip=[
                alt.Tooltip("check:N", title="fails"),
                "verdict:N",
                alt.Tooltip("start_s:Q", title="from s", format=".2f"),
                alt.Tooltip("end_s:Q", title="to s", format=".2f"),
                "start_frame:Q",
            ],
        )
        .add_params(pick)
        .properties(height=LANE_PX * len(order), autosize=_FIT_X, title=_title("Where checks fail"))
    )


def angle_chart(
    series: pd.DataFrame, line: pd.DataFrame, title: str, name: str, legend_columns: int = 2
) -> alt.LayerChart:
    """An angle (deg) over time per side, with the rule's line labelled at its right end."""
    pick = alt.selection_point(name=name, fields=["frame"], on="click", nearest=True)
    base = alt.Chart(series)
    lines = base.mark_line(strokeWidth=1.3).encode(
        x=alt.X("t_s:Q", title="time (s)"),
        y=alt.Y("value:Q", title="°", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", legend=_legend(legend_columns)),
        tooltip=["frame:Q", "series:N", alt.Tooltip("value:Q", format=".0f")],
    )
    points = base.mark_point(opacity=0, size=60).encode(x="t_s:Q", y="value:Q").add_params(pick)
    rule = alt.Chart(line).mark_rule(color=VERDICT_COLOUR["fault"], strokeDash=[6, 3]).encode(y="value:Q")
    at_end = line.assign(t_s=float(pd.to_numeric(series["t_s"]).max()) if len(series) else 0.0)
    label = (
        alt.Chart(at_end)
        .mark_text(align="right", baseline="bottom", dy=-3, color=VERDICT_COLOUR["fault"], fontSize=11)
        .encode(y="value:Q", x="t_s:Q", text="label:N")
    )
    return alt.layer(lines, points, rule, label).properties(height=ANGLE_PX, autosize=_FIT_X, title=_title(title))


def page_specs(report) -> dict[str, dict]:
    """Every chart of the page as a Vega-Lite specification (plain JSON, built without
    Altair's validation: the page caches these per result, so a rerun does not pay for
    building them again). Keys: "clearance", "lanes" (absent without failing checks),
    "knee", "arm"."""
    x_max = vm.clip_time(report, len(report.t_s) - 1) if len(report.t_s) else 0.0
    lines = vm.threshold_lines()
    out: dict[str, alt.TopLevelMixin] = {
        "clearance": clearance_chart(vm.clearance_series(report), vm.clearance_band(), vm.jump_marks(report), x_max),
        "knee": angle_chart(vm.knee_series(report), lines["knee"], "Knee angle", "pick_knee"),
        "arm": angle_chart(vm.arm_series(report), lines["arm"], "Elbow and upper arm", "pick_arm"),
    }
    lanes = vm.fault_lanes(report)
    if len(lanes):
        out["lanes"] = lanes_chart(lanes, x_max)
    marks = vm.streak_marks(report)
    if len(marks):
        out["streaks"] = streaks_chart(marks, x_max)
    return {name: chart.to_dict(validate=False) for name, chart in out.items()}


#: Colours of the runs lane: the longest unbroken streak green, other runs grey; a miss
#: red, a stop dark grey (the marks carry a letter too, so colour is never the only cue).
STREAK_COLOUR = {
    "longest": VERDICT_COLOUR["pass"],
    "run": "#9aa0a6",
    "miss": VERDICT_COLOUR["fault"],
    "stop": "#3c4043",
}
STREAKS_PX = 46


def streaks_chart(marks: pd.DataFrame, x_max: float) -> alt.LayerChart:
    """Each run of skipping as a bar on the clip's time axis (the longest unbroken streak
    green, labelled with its jumps), and where each run ended: a red ✕ for a miss, a dark
    square for a stop."""
    pick = alt.selection_point(name="run", fields=["start_frame"], on="click")
    x = alt.X("start_s:Q", title="time (s)", scale=alt.Scale(domain=[0, x_max], nice=False))
    runs = marks.assign(kind=np.where(marks["longest"], "longest streak", "run"), lane="runs")
    bars = (
        alt.Chart(runs)
        .mark_bar(height={"band": 0.55}, cornerRadius=2)
        .encode(
            x=x,
            x2="end_s:Q",
            y=alt.Y("lane:N", title=None, axis=alt.Axis(labels=False, ticks=False, domain=False)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["longest streak", "run"], range=[STREAK_COLOUR["longest"], STREAK_COLOUR["run"]]
                ),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("run:Q", title="run"),
                alt.Tooltip("n_jumps:Q", title="jumps"),
                alt.Tooltip("start_s:Q", title="from s", format=".2f"),
                alt.Tooltip("end_s:Q", title="to s", format=".2f"),
                alt.Tooltip("ending:N", title="ended"),
                alt.Tooltip("streak_jumps:Q", title="streak (jumps)"),
            ],
        )
        .add_params(pick)
    )
    ends = runs[runs["ended_by"].isin(["miss", "stop"])].assign(
        mark=lambda d: np.where(d["ended_by"] == "miss", "miss", "stop")
    )
    end_marks = (
        alt.Chart(ends)
        .mark_point(filled=True, size=90, strokeWidth=2)
        .encode(
            x=alt.X("end_s:Q"),
            y="lane:N",
            shape=alt.Shape(
                "mark:N", scale=alt.Scale(domain=["miss", "stop"], range=["cross", "square"]), legend=_legend()
            ),
            color=alt.Color(
                "mark:N",
                scale=alt.Scale(domain=["miss", "stop"], range=[STREAK_COLOUR["miss"], STREAK_COLOUR["stop"]]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("ending:N", title="run ended"), alt.Tooltip("end_s:Q", title="at s", format=".2f")],
        )
    )
    best = runs[runs["longest"]].head(1)
    label = (
        alt.Chart(best.assign(text=best["streak_jumps"].map(lambda n: f"longest streak: {n} jumps")))
        .mark_text(align="left", baseline="bottom", dx=2, dy=-9, fontSize=11, color=STREAK_COLOUR["longest"])
        .encode(x="start_s:Q", y="lane:N", text="text:N")
    )
    return alt.layer(bars, end_marks, label).properties(
        height=STREAKS_PX, autosize=_FIT_X, title=_title("Runs, misses and stops")
    )


# -- history ----------------------------------------------------------------------------
TREND_PX = 170


#: The trends' time axis ticks whole days, weeks or months (never hours or seconds: sessions
#: on one day sit together under that day): the finest step giving at most this many ticks.
MAX_DATE_TICKS = 8
DATE_STEPS = (("day", 1), ("week", 7), ("month", 30.4), ("year", 365.25))


def date_interval(dates: pd.Series) -> str:
    """The time axis' tick interval for sessions on these dates (ISO strings or datetimes)."""
    d = pd.to_datetime(dates, utc=True, errors="coerce").dropna()
    span_days = (d.max() - d.min()).total_seconds() / 86_400 if len(d) else 0.0
    for name, days in DATE_STEPS:
        if span_days / days <= MAX_DATE_TICKS:
            return name
    return "year"


def _date_x(interval: str) -> alt.X:
    return alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(nice=interval),
        axis=alt.Axis(format="%Y-%m-%d", tickCount=alt.TimeIntervalStep(interval=interval, step=1), labelOverlap=True),
    )


def trend_chart(figures: pd.DataFrame, figure: str, title: str, unit: str, band: tuple[float, float] | None = None):
    """One figure over the sessions (a point per session, a line between them), the personal
    best as a star; height with its ± uncertainty and the 2-5 cm aim band."""
    data = figures[figures["figure"] == figure]
    interval = date_interval(data["date"])
    pick = alt.selection_point(name=f"trend_{figure}", fields=["session"], on="click")
    y = alt.Y("value:Q", title=unit, scale=alt.Scale(zero=figure != "mean_height_cm"))
    tooltip = [
        alt.Tooltip("date:T", title="date", format="%Y-%m-%d %H:%M"),
        alt.Tooltip("value:Q", title=unit, format=".1f" if figure == "mean_height_cm" else ".0f"),
        alt.Tooltip("session:Q", title="session"),
    ]
    base = alt.Chart(data)
    layers: list[alt.Chart] = []
    if band is not None:
        layers.append(
            alt.Chart(pd.DataFrame([{"low": band[0], "high": band[1]}]))
            .mark_rect(color=VERDICT_COLOUR["pass"], opacity=0.12)
            .encode(y="low:Q", y2="high:Q")
        )
    layers.append(base.mark_line(strokeWidth=1.5, color="#1a73e8").encode(x=_date_x(interval), y=y))
    if figure == "mean_height_cm":
        layers.append(base.mark_rule(color="#1a73e8").encode(x=_date_x(interval), y="low:Q", y2="high:Q"))
    layers.append(
        base.mark_point(filled=True, size=70, color="#1a73e8")
        .encode(x=_date_x(interval), y=y, tooltip=tooltip)
        .add_params(pick)
    )
    best = data[data["best"]]
    if len(best):
        layers.append(
            alt.Chart(best)
            .mark_point(shape="diamond", filled=True, size=180, color="#f29900")
            .encode(x=_date_x(interval), y="value:Q", tooltip=tooltip)
        )
        layers.append(
            alt.Chart(best)
            .mark_text(dy=-12, fontSize=11, color="#b06000", text="best")
            .encode(x=_date_x(interval), y="value:Q")
        )
    return alt.layer(*layers).properties(height=TREND_PX, autosize=_FIT_X, title=_title(title))


def rules_trend_chart(rules: pd.DataFrame, checks: list[str]) -> alt.LayerChart:
    """Each chosen check's share of passing jumps over the sessions (%), its best marked."""
    data = rules[rules["check"].isin(checks)]
    interval = date_interval(data["date"])
    pick = alt.selection_point(name="trend_rules", fields=["session"], on="click")
    colour = alt.Color("check:N", scale=alt.Scale(scheme="tableau10"), legend=_legend(1))
    y = alt.Y("share_pct:Q", title="% of jumps passing", scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        "check:N",
        alt.Tooltip("date:T", title="date", format="%Y-%m-%d %H:%M"),
        alt.Tooltip("score:N", title="score"),
        alt.Tooltip("session:Q", title="session"),
    ]
    base = alt.Chart(data)
    lines = base.mark_line(strokeWidth=1.5).encode(x=_date_x(interval), y=y, color=colour)
    points = base.mark_point(filled=True, size=60).encode(x=_date_x(interval), y=y, color=colour, tooltip=tooltip)
    best = (
        alt.Chart(data[data["best"]])
        .mark_point(shape="diamond", filled=False, size=220, strokeWidth=2, color="#f29900")
        .encode(x=_date_x(interval), y="share_pct:Q", tooltip=tooltip)
    )
    return alt.layer(lines, points.add_params(pick), best).properties(
        height=220, autosize=_FIT_X, title=_title("Share of passing jumps per check (◇ best)")
    )


def history_specs(frames: dict[str, pd.DataFrame], checks: list[str], band: tuple[float, float]) -> dict[str, dict]:
    """The history's charts as Vega-Lite specifications: one per figure that has values
    (keys are the figures of ``history.TREND_FIGURES``) and "rules" (the chosen checks)."""
    figs = frames["figures"]
    out: dict[str, alt.TopLevelMixin] = {}
    for key, title, unit in TREND_FIGURES:
        if (figs["figure"] == key).any():
            out[key] = trend_chart(figs, key, title, unit, band if key == "mean_height_cm" else None)
    if checks and len(frames["rules"]):
        out["rules"] = rules_trend_chart(frames["rules"], checks)
    return {name: chart.to_dict(validate=False) for name, chart in out.items()}


def selected_session(selection) -> int | None:
    """The session of a point picked on a history chart (selection field ``session``)."""
    try:
        sel = selection.get("selection", {}) if isinstance(selection, dict) else selection.selection
    except AttributeError:
        return None
    for value in dict(sel or {}).values():
        for p in value if isinstance(value, list) else [value]:
            if isinstance(p, dict) and p.get("session") is not None:
                try:
                    return int(p["session"])
                except (TypeError, ValueError):
                    continue
    return None
