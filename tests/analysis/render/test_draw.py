"""Annotator, annotated H.264 video, thumbnails and single-frame seeks."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from analysis.render.draw import FormAnnotator, short_title
from analysis.pose.landmarks import Landmark as L
from analysis.render.overlay import output_size, read_video_frame, thumbnail, thumbnails, write_annotated_video

from tests.fixtures.report import FPS, H, W, make_report, write_clip


@pytest.fixture(scope="module")
def report():
    return make_report()


def test_annotate_shape_dtype_and_copy(report):
    frame = np.full((H, W, 3), 30, np.uint8)
    out = FormAnnotator().annotate(frame, report, 5)
    assert out.shape == frame.shape and out.dtype == np.uint8
    assert (frame == 30).all(), "the input frame must not be drawn on"
    assert (out != 30).any()


def test_skeleton_pixels_change_along_bones(report):
    frame = np.zeros((H, W, 3), np.uint8)
    out = FormAnnotator(show_angles=False, show_faults=False, show_header=False).annotate(frame, report, 0)
    # Midpoint of the left thigh (hip -> knee) is on a drawn bone; a far corner is not.
    hip, knee = np.array((90, 125)), np.array((91, 175))
    x, y = ((hip + knee) / 2).astype(int)
    assert out[y, x].any()
    assert not out[H - 3, 2].any()
    assert not out[2, W - 3].any()


def test_fault_label_and_fault_colour(report):
    ann = FormAnnotator(show_angles=False, show_header=False)
    frame = np.zeros((H, W, 3), np.uint8)
    ok = ann.annotate(frame, report, 12)  # jump 1: knees pass
    bad = ann.annotate(frame, report, 25)  # jump 2: knees fail
    # The shin is drawn in the fault colour (red in BGR) only where the rule fails.
    kx, ky = 91, 198
    assert bad[ky, kx, 2] > 150 and bad[ky, kx, 1] < 120
    assert ok[ky, kx, 1] > 150
    # The fault label is written at the bottom left.
    assert bad[H - 20:H - 2, 2:60].any() and not ok[H - 20:H - 2, 2:60].any()


def test_angles_written_near_joints(report):
    frame = np.zeros((H * 3, W * 3, 3), np.uint8)  # a larger frame: landmarks scale with it
    plain = FormAnnotator(show_angles=False, show_header=False, show_faults=False).annotate(frame, report, 5)
    out = FormAnnotator(show_header=False, show_faults=False).annotate(frame, report, 5)
    kx, ky = 91 * 3, 175 * 3
    diff = (out != plain).any(axis=2)
    assert diff[ky - 20:ky + 20, kx:kx + 140].any(), "knee angle label beside the knee"
    assert np.isfinite(report.metrics["knee_angle_deg_left"][5])


def test_annotate_without_rules_and_out_of_range():
    rep = make_report(with_rules=False)
    frame = np.zeros((H, W, 3), np.uint8)
    assert FormAnnotator().annotate(frame, rep, 3).any()
    assert not FormAnnotator().annotate(frame, rep, 10_000).any()
    with pytest.raises(ValueError, match="shape"):
        FormAnnotator().annotate(np.zeros((H, W), np.uint8), rep, 0)


def test_missing_landmarks_are_skipped():
    rep = make_report()
    rep.pose.xy_px[7, L.LEFT_KNEE] = np.nan
    out = FormAnnotator().annotate(np.zeros((H, W, 3), np.uint8), rep, 7)
    assert out.shape == (H, W, 3)


def test_short_title():
    assert short_title("Stand tall: trunk upright, not leaning forward") == "Stand tall"
    assert short_title("Jump only as high as needed (about 2-5 cm)") == "Jump only as high as needed"
    assert len(short_title("x" * 80)) <= 34


def test_output_size_even_and_bounded():
    assert output_size(202, 360) == (360, 640)
    w, h = output_size(1921, 1081)
    assert w % 2 == 0 and h % 2 == 0 and max(w, h) == 1280
    assert all(v % 2 == 0 for v in output_size(641, 481))


@pytest.mark.slow
def test_annotated_video_is_h264_with_every_frame(tmp_path):
    n = 50
    clip = tmp_path / "clip.mp4"
    write_clip(clip, n)
    rep = make_report(n, str(clip))
    seen = []
    out = write_annotated_video(rep, clip, tmp_path / "out" / "annotated.mp4", progress=lambda *a: seen.append(a))
    with av.open(str(out)) as c:
        st = c.streams.video[0]
        assert st.codec_context.name == "h264"
        assert st.codec_context.pix_fmt == "yuv420p"
        assert st.width % 2 == 0 and st.height % 2 == 0
        assert abs(float(st.average_rate) - FPS) < 1e-6
        frames = [f.to_ndarray(format="bgr24") for f in c.decode(st)]
    assert len(frames) == n
    assert seen[-1] == ("video", n, n)
    # Seeking one frame gives exactly the frame a full decode gives.
    data = out.read_bytes()
    for i in (0, 7, 26, n - 1):
        assert np.array_equal(read_video_frame(data, i), frames[i])
    assert np.array_equal(read_video_frame(out, 13), frames[13])


def test_thumbnails_are_png_of_bounded_size(tmp_path):
    n = 50
    clip = tmp_path / "clip.mp4"
    write_clip(clip, n)
    rep = make_report(n, str(clip))
    png = thumbnail(clip, 25, rep, max_side=120)
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and max(img.shape[:2]) == 120
    many = thumbnails(clip, [3, 25, 999], rep)
    assert sorted(many) == [3, 25]
    with pytest.raises(ValueError):
        thumbnail(clip, 999, rep)


def test_labels_only_on_a_crop(report):
    out = FormAnnotator(show_skeleton=False, show_angles=False).annotate(np.zeros((H, W, 3), np.uint8), report, 25)
    assert out[:25].any() and out[H - 25:].any()  # header and fault label
    assert not out[60:H - 40].any()  # no skeleton, no angles
