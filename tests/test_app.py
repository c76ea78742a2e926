"""The review page through Streamlit's AppTest: upload, summary, frame review, per-jump
table, navigation, and clear messages for bad input."""

from __future__ import annotations

import os
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.report import write_clip
from tests.page_support import REPO, SHARED_VIDEOS, SIDE_CLIP, need

APP = str(REPO / "app.py")
#: Real pose estimation of a ~10 s clip takes ~10 s on two cores; leave room.
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
    return "\n".join(str(p) for p in parts)


def test_landing_page_states_limits_and_handles_no_samples(monkeypatch, tmp_path):
    at = _app(monkeypatch, samples=tmp_path / "none")
    assert at.title[0].value == "Jump-rope form review"
    up = at.file_uploader[0]
    assert {".mp4", ".mov", ".m4v", ".avi", ".webm"} <= set(up.allowed_type)
    assert up.proto.max_upload_size_mb == 200
    text = _texts(at)
    assert "200 MB" in text and "5 min" in text
    assert "No sample clips" in text
    labels = {w.label for w in at.sidebar.number_input} | {w.label for w in at.sidebar.selectbox}
    assert {"Standing height (cm)", "Camera view", "Step style", "Rope", "Surface"} <= labels
    assert at.sidebar.checkbox[0].label == "I have back pain"
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
def test_real_clip_summary_review_and_jump_table(monkeypatch, tmp_path):
    clip = need(SIDE_CLIP, "real clip")
    at = _app(monkeypatch, samples=tmp_path)
    _upload(at, clip.name, clip.read_bytes())
    print(f"\nAppTest run with a real clip: {at.upload_run_s:.1f} s")
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    n = int(metrics["Jumps"])
    assert 17 <= n <= 24, n  # hand count 20 +- 1, with room for the detector
    assert metrics["Jump height"].endswith("cm") and "±" in metrics["Jump height"]
    for label in ("Jumps / min", "Active time", "Flight", "Contact"):
        assert metrics[label] not in ("", "-"), label
    text = _texts(at)
    assert "Not medical advice" in text and "stop and check your form" in text
    assert "Score per check" in text and "Session advice" in text
    # Per-jump table, score table and the checks-at-frame table.
    frames = {tuple(d.value.columns)[:2]: d.value for d in at.dataframe}
    jumps = next(v for k, v in frames.items() if k == ("jump", "take-off s"))
    assert len(jumps) == n
    checks = next(v for k, v in frames.items() if k == ("check", "value"))
    assert len(checks) >= 10 and set(checks.columns) == {"check", "value", "threshold", "verdict"}
    # Frame review: slider and navigation.
    slider = at.slider(key="frame")
    start = slider.value
    stops = sorted(int(x) for x in jumps["take-off frame"])
    at.button(key="nav_jump ▶").click().run()
    nxt = at.slider(key="frame").value
    assert nxt == min(s for s in stops if s > start)
    at.button(key="nav_◀ jump").click().run()
    assert at.slider(key="frame").value == max(s for s in stops if s < nxt)
    at.button(key="nav_frame ▶").click().run()
    at.button(key="nav_frame ▶").click().run()
    assert at.slider(key="frame").value == max(s for s in stops if s < nxt) + 2
    before = at.slider(key="frame").value
    at.button(key="nav_fault ▶").click().run()
    assert at.slider(key="frame").value > before
    at.slider(key="frame").set_value(5).run()
    assert at.slider(key="frame").value == 5
    assert any("Every check at frame 5" in m.value for m in at.markdown)
    assert any("Frame 5 of" in c for img in at.image for c in img.captions), "the annotated frame is shown"
    # Downloads are offered and the priority buttons move the review.
    labels = [b.label for b in at.get("download_button")]
    assert {"Annotated video (MP4)", "Report (JSON)", "Frames (CSV)", "Jumps (CSV)"} <= set(labels)
    prio = [b for b in at.button if b.key and b.key.startswith("prio_")]
    if prio:
        frame = int(prio[0].label.split()[-1])
        prio[0].click().run()
        assert at.slider(key="frame").value == frame
    # A rerun with the same clip and options comes from the cache.
    t0 = time.perf_counter()
    at.run()
    assert time.perf_counter() - t0 < 5.0
    assert int({m.label: m.value for m in at.metric}["Jumps"]) == n


@pytest.mark.slow
def test_clip_with_no_skipping_warns(monkeypatch, tmp_path):
    clip = need(SHARED_VIDEOS / "negative_jumping_jacks_indoor_30fps.mp4", "jumping-jacks clip")
    at = _app(monkeypatch, samples=tmp_path)
    _upload(at, clip.name, clip.read_bytes())
    assert not at.error, [e.value for e in at.error]
    assert {m.label: m.value for m in at.metric}["Jumps"] == "0"
    assert any("No rope skipping was found" in w.value for w in at.warning)
