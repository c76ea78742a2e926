"""The review page through Streamlit's AppTest: settings beside the uploader, upload,
summary, frame review, per-jump table, navigation, settings changes answered from the
stored pose (the pose stage is not run again), and clear messages for bad input and for
a clip without skipping."""

from __future__ import annotations

import os
import time

import pytest
from streamlit.testing.v1 import AppTest

import analysis.pipeline as pipeline
from tests.fixtures.report import write_clip
from tests.page_support import REPO, SHARED_VIDEOS, SIDE_CLIP, need

APP = str(REPO / "app.py")
#: Real pose estimation of a ~10 s clip takes ~10-40 s on two shared cores; leave room.
RUN_TIMEOUT = 240


def _app(monkeypatch, samples=None) -> AppTest:
    if samples is not None:
        monkeypatch.setenv("JUMPROPE_SAMPLES", str(samples))
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "video/mp4"))
    t0 = time.perf_counter()
    at.run()
    at.upload_run_s = time.perf_counter() - t0
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [s.value for s in at.subheader]
    parts += [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def _wait_for_review(at: AppTest, timeout_s: float = 120.0) -> None:
    """The review video is made in the background: run again until the review is there."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout_s:
        try:
            at.slider(key="frame")
            return
        except KeyError:
            time.sleep(0.5)
            at.run()
    raise AssertionError("the frame review did not appear")


@pytest.fixture
def pose_calls(monkeypatch) -> list[str]:
    """Counts the pose stage's runs (the page imports ``run_pose_stage`` on every run)."""
    calls: list[str] = []
    real = pipeline.run_pose_stage

    def counting(path, *a, **k):
        calls.append(str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(pipeline, "run_pose_stage", counting)
    return calls


def test_landing_page_states_limits_and_settings_beside_the_uploader(monkeypatch, tmp_path):
    at = _app(monkeypatch, samples=tmp_path / "none")
    assert at.title[0].value == "Jump-rope form review"
    up = at.file_uploader[0]
    assert {".mp4", ".mov", ".m4v", ".avi", ".webm"} <= set(up.allowed_type)
    assert up.proto.max_upload_size_mb == 200
    text = _texts(at)
    assert "200 MB" in text and "5 min" in text and "No sample clips" in text
    assert "server that runs this page" in text and "Everything runs on this computer" not in text
    assert not at.sidebar.number_input and not at.sidebar.checkbox  # nothing hides behind the sidebar icon
    assert at.number_input(key="height_cm").label == "Standing height (cm)"
    assert at.checkbox(key="back_pain").label == "I have back pain"
    assert at.checkbox(key="rope_turning").label == "A rope was turning" and not at.checkbox(key="rope_turning").value
    assert {w.label for w in at.selectbox} >= {"Camera view", "Step style", "Rope", "Surface"}
    assert not at.error


def test_config_toml_limits():
    text = (REPO / ".streamlit" / "config.toml").read_text()
    assert "maxUploadSize = 200" in text and "gatherUsageStats = false" in text


def test_bad_upload_shows_an_error_not_a_traceback(monkeypatch, tmp_path):
    at = _app(monkeypatch, samples=tmp_path)
    _upload(at, "random.mp4", os.urandom(20_000))
    assert at.error, "a bad file must give st.error"
    assert "random.mp4" in at.error[0].value and "not a readable video" in at.error[0].value
    assert not at.metric


@pytest.mark.slow
def test_clip_without_a_person(monkeypatch, tmp_path):
    clip = tmp_path / "gradient.mp4"
    write_clip(clip, 40)
    at = _app(monkeypatch, samples=tmp_path / "none")
    _upload(at, "gradient.mp4", clip.read_bytes())
    assert at.error and "no person was found" in at.error[0].value
    assert not at.metric


@pytest.mark.slow
def test_sample_button_analyses_a_sample(monkeypatch, tmp_path):
    clip = tmp_path / "empty_room.mp4"
    write_clip(clip, 40)
    at = _app(monkeypatch, samples=tmp_path)
    at.button(key="sample_empty_room.mp4").click()
    at.run()
    assert not at.exception
    assert at.error and "empty_room.mp4" in at.error[0].value  # no person in a gradient: a clear error


@pytest.mark.slow
def test_real_clip_summary_review_jump_table_and_settings(monkeypatch, tmp_path, pose_calls):
    clip = need(SIDE_CLIP, "real clip")
    at = _app(monkeypatch, samples=tmp_path)
    _upload(at, clip.name, clip.read_bytes())
    print(f"\nAppTest run with a real clip: {at.upload_run_s:.1f} s")
    assert not at.error, [e.value for e in at.error]
    runs = len(pose_calls)
    assert runs <= 1  # 0 when an earlier test of this process stored the same clip's pose
    metrics = {m.label: m.value for m in at.metric}
    n = int(metrics["Jumps"])
    assert 17 <= n <= 24, n  # hand count 20 +- 1, with room for the detector
    assert metrics["Jump height"].endswith("cm") and "±" in metrics["Jump height"]
    for label in ("Jumps / min", "Active time", "Flight", "Contact"):
        assert metrics[label] not in ("", "-", "–", "None"), label
    text = _texts(at)
    assert "Not medical advice" in text and "stop and check your form" in text
    assert "Score per check" in text and "Session advice" in text
    html = _html(at)
    assert "jr-chip" in html and "jumps pass (" in html  # verdict-first tables, one score wording
    # Per-jump table.
    table = next(d.value for d in at.dataframe if "take-off frame" in d.value.columns)
    assert list(table.columns[:4]) == ["jump", "time s", "faults", "height cm"] and len(table) == n
    # Frame review: opens at the first jump; slider and navigation.
    _wait_for_review(at)
    stops = sorted(int(x) for x in table["take-off frame"])
    start = at.slider(key="frame").value
    assert start == stops[0]
    at.button(key="nav_jump ▶").click().run()
    assert at.slider(key="frame").value == stops[1]
    at.button(key="nav_◀ jump").click().run()
    assert at.slider(key="frame").value == stops[0]
    at.button(key="nav_frame ▶").click().run()
    at.button(key="nav_frame ▶").click().run()
    assert at.slider(key="frame").value == stops[0] + 2
    before = at.slider(key="frame").value
    at.button(key="nav_fault ▶").click().run()
    assert at.slider(key="frame").value > before
    at.slider(key="frame").set_value(5).run()
    assert any("Frame 5 · " in m.value for m in at.markdown), "the caption follows the slider"
    assert "Stand tall" in _html(at)  # every check at this frame
    labels = [b.label for b in at.get("download_button")]
    assert {"Report (JSON)", "Frames (CSV)", "Jumps (CSV)"} <= set(labels) and "Annotated video (MP4)" not in labels
    at.button(key="draw_video").click().run()  # drawn when asked
    assert "Annotated video (MP4)" in [b.label for b in at.get("download_button")]
    assert at.get("video"), "the annotated video plays on the page"
    prio = [b for b in at.button if b.key and b.key.startswith("prio_")]
    if prio:
        frame = int(prio[0].label.split()[-1])
        prio[0].click().run()
        assert at.slider(key="frame").value == frame
    # Settings after the analysis: new results from the stored pose, never a pose run.
    at.checkbox(key="back_pain").check().run()
    assert "You reported back pain" in _texts(at)
    at.selectbox(key="surface").set_value("concrete").run()
    assert "Concrete is hard on joints" in _texts(at)
    height_before = {m.label: m.value for m in at.metric}["Jump height"]
    t0 = time.perf_counter()
    at.number_input(key="height_cm").set_value(150).run()
    rerun_s = time.perf_counter() - t0
    assert {m.label: m.value for m in at.metric}["Jump height"] != height_before
    assert "from the stored pose" in _texts(at)
    assert int({m.label: m.value for m in at.metric}["Jumps"]) == n
    # Saying a rope was turning changes nothing where the clip shows it turning itself.
    at.checkbox(key="rope_turning").check().run()
    assert int({m.label: m.value for m in at.metric}["Jumps"]) == n
    assert len(pose_calls) == runs, "settings changes must not run the pose stage"
    print(f"settings change answered in {rerun_s:.2f} s (AppTest run)")
    # A rerun with the same clip and options comes from the cache.
    t0 = time.perf_counter()
    at.run()
    assert time.perf_counter() - t0 < 5.0
    assert len(pose_calls) == runs


@pytest.mark.slow
def test_clip_with_no_skipping_gets_one_plain_explanation(monkeypatch, tmp_path):
    clip = need(SHARED_VIDEOS / "negative_jumping_jacks_indoor_30fps.mp4", "jumping-jacks clip")
    at = _app(monkeypatch, samples=tmp_path)
    _upload(at, clip.name, clip.read_bytes())
    assert not at.error, [e.value for e in at.error]
    assert not at.metric  # no grid of empty figures
    warning = at.warning[0].value
    assert warning.startswith("No rope skipping found. ")
    assert "no skipping:" not in warning and "0.5-15.7" not in warning  # plain words, not machine output
    text = _texts(at)
    assert "What to try" in text and "whole body" in text
    assert not at.dataframe and not at.get("vega_lite_chart")  # no empty tables or charts
    assert "Score per check" not in text and "Frame review" not in text and "Session advice" not in text
