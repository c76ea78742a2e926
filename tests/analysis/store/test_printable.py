"""The printable one-page report: self-contained HTML with the summary, the priorities with
their frames (pictures when the clip was kept), every check, the trend and the disclaimer."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta, timezone

import cv2
import numpy as np
import pytest

from analysis.store import open_store
from tests.analysis.store.conftest import make_report
from tests.conftest import REPO

DAY = datetime(2024, 2, 1, 18, 0, tzinfo=timezone.utc)


def external_refs(html: str) -> list[str]:
    """Every reference that would leave the page (links, sources, CSS urls, imports)."""
    refs = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", html) + re.findall(r"url\(([^)]*)\)", html)
    refs += re.findall(r"@import", html)
    return [r for r in refs if not r.startswith("data:")]


def test_without_the_clip_the_page_names_the_frames_and_compares_with_earlier_sessions(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'h.sqlite3'}") as store:
        store.save_session(make_report(n_jumps=30, view="side", trunk_lean_deg=25.0), jumper="<Zoë & co>",
                           recorded_at=DAY)
        sid = store.save_session(make_report(n_jumps=30, view="side", trunk_lean_deg=3.0, hand_height_above_hip_m=0.40),
                                 jumper="<zoë & co>", recorded_at=DAY + timedelta(days=7))
        store.save_corrections(sid, [{"action": "remove", "jump": 0}])
        page = store.printable_report(sid)
        corrected = store.export(sid)
    assert page.startswith("<!DOCTYPE html>") and "@page" in page and external_refs(page) == []
    assert "&lt;Zoë &amp; co&gt;" in page and "<Zoë" not in page  # the name is escaped
    assert "not medical advice" in page
    assert ">29</b><span>jumps</span>" in page and "Corrected by hand: 1 change (the detection found 30 jumps)" in page
    for p in corrected["priorities"]:
        assert p["title"] in page and f"frames {', '.join(map(str, p['frames']))}" in page
    assert "The clip was not kept, so the frames are named without pictures." in page
    assert "mean of 1 earlier" in page and "Stand tall: trunk upright, not leaning forward: 0% -&gt; 100% of jumps pass (better, p &lt; 0.001)" in page
    assert "data:image" not in page


def test_a_first_session_says_there_is_nothing_to_compare_yet(tmp_path, report_json):
    with open_store(f"sqlite:///{tmp_path / 'h.sqlite3'}") as store:
        page = store.printable_report(store.save_session(report_json), stills=False)
    assert "first stored session" in page and "named without pictures" not in page


@pytest.mark.slow
def test_a_kept_clip_gives_annotated_stills_and_reopens_for_review_without_pose(tmp_path, monkeypatch):
    from analysis import pipeline  # noqa: PLC0415 - the slow test's heavy imports only when it runs
    from analysis.io.video import iter_frames  # noqa: PLC0415 - as above
    from analysis.pose import stage  # noqa: PLC0415
    from analysis.render.draw import FormAnnotator  # noqa: PLC0415 - as above

    clip = REPO / "sample_videos" / "side_faults.mp4"
    report = pipeline.analyze_video(clip, pipeline.AnalysisConfig(standing_height_cm=170.0))
    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    with open_store(url) as store:
        sid = store.save_session(report, jumper="Sam", clip=clip, keep_clip=True)
    # Reopening never estimates pose again.
    def no_pose(*a, **k):
        pytest.fail("pose estimation ran on reopening")

    # Every way the pose stage can start: a tracker in this process, the caller's estimator
    # over a range, or the runner that shares segments among processes.
    monkeypatch.setattr(stage, "make_estimator", no_pose)
    monkeypatch.setattr(pipeline, "pose_of_range", no_pose)
    monkeypatch.setattr(pipeline, "PoseRunner", no_pose)
    with open_store(url) as store:
        page = store.printable_report(sid)
        review = store.load_report(sid)
        kept = store.clip_path(sid)
    frames = [p["frames"][0] for p in report.to_dict()["priorities"] if p["frames"]]
    assert frames, "the sample clip with faults has priorities with frames"
    stills = re.findall(r'<img alt="frame (\d+)" src="data:image/jpeg;base64,([^"]+)"', page)
    assert [int(f) for f, _ in stills] == frames
    for _, data in stills:
        img = cv2.imdecode(np.frombuffer(base64.b64decode(data), np.uint8), cv2.IMREAD_COLOR)
        assert img is not None and max(img.shape[:2]) <= 320
    assert external_refs(page) == [] and len(page) < 300_000
    frame = next(iter_frames(kept, review.meta, start=frames[0], stop=frames[0] + 1))
    drawn = FormAnnotator().annotate(frame.bgr, review, frames[0])
    assert drawn.shape == frame.bgr.shape and not np.array_equal(drawn, frame.bgr)
