"""Page data shaping: tables, chart frames, navigation stops, inputs and the temp clip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from review import viewmodel as pdx
from analysis.config import AnalysisConfig

from tests.fixtures.report import make_report


@pytest.fixture(scope="module")
def report():
    return make_report()


def test_summary_metrics(report):
    ms = {m["label"]: m for m in pdx.summary_metrics(report)}
    assert ms["Jumps"]["value"] == "3"
    assert ms["Jumps / min"]["value"] == "120"
    assert "±" in ms["Jump height"]["value"] and ms["Jump height"]["value"].endswith("cm")
    assert ms["Contact"]["value"] == "240 ms"  # the first jump has no contact before it
    assert ms["Flight"]["value"] == "240 ms"
    assert ms["Breaks"]["value"] == "0"
    assert ms["Checks passed"]["value"] == "0 of 1" and "1 not assessable" in ms["Checks passed"]["help"]


def test_headline(report):
    assert pdx.headline(report) == "3 jumps · 120 per minute · 1.2 s of skipping · 1 thing to work on"
    assert pdx.headline(make_report(n=8, with_rules=False)).startswith("0 jumps")


def test_summary_metrics_without_jumps():
    rep = make_report(n=8, with_rules=False)  # too short for any jump
    ms = {m["label"]: m["value"] for m in pdx.summary_metrics(rep)}
    assert ms["Jumps"] == "0" and ms["Jump height"] == "-" and ms["Flight"] == "-"


def test_rule_scores_and_not_assessable(report):
    df = pdx.rule_scores(report)
    assert list(df["rule"]) == ["landing.knees_soft", "arms.elbows_in"]
    knees, elbows = df.iloc[0], df.iloc[1]
    assert knees["verdict"] == "fault" and knees["score %"] == 33 and knees["jumps assessed"] == 3
    assert elbows["verdict"] == "not assessable" and pd.isna(elbows["score %"])
    na = pdx.not_assessable(report)
    assert na == [{"check": "Elbows close to the sides", "reason": "needs a front view; this clip is side"}]


def test_priorities(report):
    ps = pdx.priorities(report)
    assert len(ps) == 1
    assert ps[0]["frame"] == 40 and ps[0]["frames"] == [40, 28] and ps[0]["fault_pct"] == 67
    assert ps[0]["short"] == "Knees slightly bent on landing"


def test_quality_notes_and_session(report):
    notes = pdx.quality_notes(report)
    assert "Test warning." in notes and "A test message." in notes
    assert any(n.startswith("Elbow flare") for n in notes)
    assert pdx.session_advice(report)[0]["rule"] == "session.surface"
    assert "1.5 s" in pdx.timing_note(report)


def test_checks_at_frame(report):
    df = pdx.checks_at_frame(report, 25)  # inside jump 2
    assert list(df.columns) == ["check", "value", "threshold", "verdict"]
    assert df.iloc[0]["verdict"] == "fault" and df.iloc[0]["value"] == "175.0 deg"
    assert df.iloc[1]["verdict"].startswith("not assessable: needs a front view")
    between = pdx.checks_at_frame(report, 2)  # before the first jump
    assert set(between["verdict"]) == {"-"}


def test_navigation_stops(report):
    assert pdx.jump_stops(report) == [10, 22, 34]
    assert pdx.fault_stops(report) == [22, 34]
    assert pdx.step([10, 22, 34], 10, +1) == 22
    assert pdx.step([10, 22, 34], 11, -1) == 10
    assert pdx.step([10, 22, 34], 10, -1) is None
    assert pdx.step([10, 22, 34], 34, +1) is None
    assert pdx.step([], 5, +1) is None
    assert pdx.start_frame(report) == 40
    assert pdx.jump_at_frame(report, 25) == 1 and pdx.jump_at_frame(report, 3) is None
    assert "jump 2 of 3" in pdx.frame_caption(report, 25)
    assert "between jumps" in pdx.frame_caption(report, 3)


def test_jump_table(report):
    df = pdx.jump_table(report)
    assert len(df) == 3 and list(df["jump"]) == [1, 2, 3]
    assert list(df["take-off frame"]) == [10, 22, 34]
    assert list(df["faults"]) == [0, 1, 1]
    assert df.iloc[1]["failed checks"] == "Knees slightly bent on landing"
    assert df.iloc[0]["contact ms"] is None or pd.isna(df.iloc[0]["contact ms"])
    assert df.iloc[1]["height cm"] == 4.0


def test_chart_frames(report):
    h = pdx.height_series(report)
    assert set(h["series"]) == {"left foot clearance", "right foot clearance", "hip height"}
    assert len(h) == 3 * len(report.t_s) and {"frame", "t_s", "value"} <= set(h.columns)
    assert np.nanmax(h[h.series == "left foot clearance"]["value"]) > 5  # the feet leave the floor
    thin = pdx.height_series(report, max_points=10)
    assert len(thin) == 3 * 10 and list(thin["frame"][:3]) == [0, 5, 10]
    k = pdx.knee_series(report)
    assert set(k["series"]) == {"left knee", "right knee"}
    a = pdx.arm_series(report)
    assert "left elbow" in set(a["series"])
    lines = pdx.threshold_lines()
    assert lines["knee"]["value"].iloc[0] == 170.0 and lines["arm"]["value"].iloc[0] == 30.0
    ev = pdx.event_marks(report)
    assert list(ev["event"][:2]) == ["take-off", "landing"] and len(ev) == 6


def test_fault_bands(report):
    b = pdx.fault_bands(report)
    # Knees fail on jumps 2 and 3, whose cycles are frames 22-33 and 34-45: one band.
    assert len(b) == 1
    row = b.iloc[0]
    assert row["rule"] == "landing.knees_soft" and row["start_frame"] == 22 and row["end_frame"] == 45


def test_selected_frame_from_chart():
    assert pdx.selected_frame_from_chart({"selection": {"pick": [{"frame": 17, "t_s": 0.68}]}}) == 17
    assert pdx.selected_frame_from_chart({"selection": {"pick": []}}) is None
    assert pdx.selected_frame_from_chart({"selection": {}}) is None
    assert pdx.selected_frame_from_chart(None) is None


def test_make_config_and_digest():
    c = pdx.make_config(None, "side", "auto", "speed", "mat", True)
    assert isinstance(c, AnalysisConfig) and c.standing_height_cm is None and c.back_pain
    assert c.max_minutes == pdx.MAX_MINUTES
    assert pdx.make_config(172).standing_height_cm == 172.0
    with pytest.raises(ValueError):
        pdx.make_config(None, "top")
    assert pdx.file_digest(b"a") != pdx.file_digest(b"b")


def test_list_samples(tmp_path):
    assert pdx.list_samples(tmp_path / "missing") == []
    assert pdx.list_samples(tmp_path) == []
    (tmp_path / "b.mp4").write_bytes(b"x")
    (tmp_path / "a.mp4").write_bytes(b"x")
    (tmp_path / "a.truth.json").write_text("{}")
    assert [p.name for p in pdx.list_samples(tmp_path)] == ["a.mp4", "b.mp4"]
    assert pdx.sample_label(tmp_path / "clean_front.mp4") == "clean front"


def test_csv_bytes(report):
    data = pdx.csv_bytes(report.jump_rows()).decode()
    assert data.splitlines()[0].startswith("index,takeoff_frame") and len(data.splitlines()) == 4


def test_jumps_are_numbered_by_position_not_event_index():
    import dataclasses

    base = make_report()
    jumps = dataclasses.replace(
        base.jumps, jumps=[dataclasses.replace(j, index=k) for j, k in zip(base.jumps.jumps, (0, 2, 5))])
    rep = make_report(jumps=jumps)
    df = pdx.jump_table(rep)
    assert list(df["jump"]) == [1, 2, 3]
    assert list(df["faults"]) == [0, 1, 1]  # rules' per-jump verdicts are by position
    assert list(pdx.event_marks(rep)["jump"]) == [1, 1, 2, 2, 3, 3]


def test_person_box_and_zoom(report):
    import dataclasses

    x0, y0, x1, y1 = pdx.person_box(report, 160, 240)
    assert x0 < 56 and x1 > 104 and y0 < 25 and y1 == 240  # holds every landmark, padded
    assert pdx.person_box(report, 320, 480)[2] > 2 * 104  # scales to the frame it is applied to
    assert not pdx.zoom_helps(report, 160, 240)  # the figure fills its small frame
    far = make_report()
    far = make_report(pose=dataclasses.replace(far.pose, frame_size_px=(640, 960)))  # same figure, 4x the frame
    bx = pdx.person_box(far, 640, 960)
    assert bx[2] - bx[0] < 320 and pdx.zoom_helps(far, 640, 960)
    empty = make_report()
    empty.pose.xy_px[:] = np.nan
    assert pdx.person_box(empty, 160, 240) is None and not pdx.zoom_helps(empty, 160, 240)


def test_sound_note():
    from analysis.audio import CountComparison, QuietLandingsResult, SoundEvidence

    def with_counts(audio: int, video: int):
        cc = CountComparison(audio, video, min(audio, video), (), (), 0.0)
        return make_report(sound=SoundEvidence(QuietLandingsResult("not_assessable", "test"), cc))

    assert pdx.sound_note(make_report()) == ""
    assert pdx.sound_note(make_report(sound=SoundEvidence(QuietLandingsResult("not_assessable", "test")))) == ""
    assert "same 3 landings" in pdx.sound_note(with_counts(3, 3))
    assert "5 landings, the video 3 jumps" in pdx.sound_note(with_counts(5, 3))


def test_zoom_crops_and_relabels():
    import dataclasses

    far = make_report()
    far = make_report(pose=dataclasses.replace(far.pose, frame_size_px=(640, 960)))
    frame = np.zeros((960, 640, 3), np.uint8)
    out = pdx.zoom(far, frame, 25)  # jump 2: the knee check fails there
    x0, y0, x1, y1 = pdx.person_box(far, 640, 960)
    assert out.shape == (y1 - y0, x1 - x0, 3)
    assert out[:20].any() and out[-20:].any()  # header on top, fault label at the bottom
    empty = make_report()
    empty.pose.xy_px[:] = np.nan
    assert pdx.zoom(empty, frame, 3) is frame


