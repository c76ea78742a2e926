"""Annotator, annotated H.264 video, thumbnails and single-frame seeks."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from analysis.render.draw import FormAnnotator, short_title
from analysis.pose.landmarks import Landmark as L
from analysis.render.draw import frame_header
from analysis.render.overlay import (
    jumper_box,
    output_size,
    read_video_frame,
    review_image,
    review_video_bytes,
    stills,
    thumbnail,
    thumbnails,
    write_annotated_video,
    zoom_helps,
)
from analysis.io.video import read_meta

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
    assert short_title("Soft, quiet landings (video proxy: how abruptly the body stops)") == "Soft, quiet landings"
    assert short_title("Turn the rope from the wrists, not the shoulders") == "Turn the rope from the wrists"
    assert short_title("Both feet land together in a two-foot bounce") == "Both feet land together\u2026"
    assert len(short_title("x" * 80)) <= 32


def test_head_is_one_line_not_a_mask(report):
    """The eyes and ears are not joined into a band across the face (it looked like sunglasses)."""
    frame = np.zeros((H * 4, W * 4, 3), np.uint8)
    out = FormAnnotator(show_angles=False, show_faults=False, show_header=False).annotate(frame, report, 0)
    eye_l, eye_r = np.array((82, 25)) * 4, np.array((78, 25)) * 4
    mid = ((eye_l + eye_r) / 2).astype(int)
    assert not out[mid[1] - 1 : mid[1] + 2, mid[0] - 1 : mid[0] + 2].any()
    nose = np.array((84, 28)) * 4
    assert out[nose[1], nose[0]].any()  # the head's line ends at the nose


def test_labels_never_overlap(report):
    """Knee labels of a side view (both knees at one place) are stacked, not drawn on each other."""
    import dataclasses

    xy = report.pose.xy_px.copy()
    xy[:, L.RIGHT_KNEE] = xy[:, L.LEFT_KNEE] + 1.0  # the knees overlap, as in a side view
    rep = make_report(pose=dataclasses.replace(report.pose, xy_px=xy))
    ann = FormAnnotator(show_skeleton=False, show_header=False, show_faults=False)
    boxes: list = []
    ann._angles(np.zeros((H * 3, W * 3, 3), np.uint8), xy[5] * 3, rep.metrics, 5, 0.5, 2, boxes)
    assert len(boxes) == 5  # trunk, two knees, two elbows
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_long_label_is_shrunk_not_cut():
    img = np.zeros((120, 90, 3), np.uint8)
    FormAnnotator()._text(img, "! A very long fault label indeed", (0, 0), 1.0, 2, anchor="topleft")
    cols = np.flatnonzero(img.any(axis=(0, 2)))
    assert cols.min() >= 0 and cols.max() <= 89 and cols.max() - cols.min() > 60


def test_frame_header_time_from_the_first_frame(report):
    late = make_report(t_s=report.t_s + 0.04)
    assert frame_header(late, 0).startswith("frame 0  0.00 s")
    assert "jump 2 in the air" in frame_header(report, 25)


def test_annotate_a_region(report):
    """A crop annotated with its region draws the skeleton where the body is in the crop."""
    x0, y0, x1, y1 = 40, 0, 120, 240
    crop = np.zeros(((y1 - y0) * 2, (x1 - x0) * 2, 3), np.uint8)  # the crop, scaled up 2x
    out = FormAnnotator(show_angles=False, show_faults=False, show_header=False).annotate(
        crop, report, 0, region=(x0, y0, x1, y1)
    )
    hip, knee = np.array((90, 125)), np.array((91, 175))
    x, y = (((hip + knee) / 2 - (x0, y0)) * 2).astype(int)
    assert out[y, x].any()
    with pytest.raises(ValueError, match="region"):
        FormAnnotator().annotate(crop, report, 0, region=(10, 10, 5, 20))


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


def test_jumper_box_and_zoom(report):
    import dataclasses

    x0, y0, x1, y1 = jumper_box(report)
    assert x0 < 56 and x1 > 104 and y0 < 25 and y1 == 240  # every landmark while skipping, padded
    assert not zoom_helps(report)  # the figure fills its small frame
    far = make_report(pose=dataclasses.replace(report.pose, frame_size_px=(640, 960)))  # same figure, 4x frame
    bx = jumper_box(far)
    assert bx[2] - bx[0] < 320 and zoom_helps(far)
    walks = report.pose.xy_px.copy()
    walks[:5, :, 0] += 60  # walking in from the side before the first jump does not widen the box
    assert jumper_box(make_report(pose=dataclasses.replace(report.pose, xy_px=walks))) == jumper_box(report)
    empty = make_report()
    empty.pose.xy_px[:] = np.nan
    assert jumper_box(empty) is None and not zoom_helps(empty)


@pytest.mark.slow
def test_review_video_frames_drawn_on_demand(tmp_path):
    """The undrawn review video has every analysed frame; a review image is that frame with
    the analysis drawn on it, and its zoom is a crop scaled up to the frame's long side."""
    import dataclasses

    n = 50
    clip = tmp_path / "clip.mp4"
    write_clip(clip, n)
    meta = read_meta(clip)
    data = review_video_bytes(clip, meta, stop=40)
    with av.open(__import__("io").BytesIO(data)) as c:
        assert sum(1 for _ in c.decode(video=0)) == 40
    rep = make_report(n, str(clip))
    plain = read_video_frame(data, 25)
    drawn = review_image(data, rep, 25)
    assert drawn.shape == plain.shape and (drawn != plain).any()
    far = make_report(n, str(clip), pose=dataclasses.replace(rep.pose, frame_size_px=(W * 2, H * 2)))
    zoomed = review_image(data, far, 25, zoom=True)
    assert max(zoomed.shape[:2]) == max(plain.shape[:2]) and zoomed.shape != plain.shape
    pngs = stills(data, rep, [3, 25, 999], max_side=120)
    assert sorted(pngs) == [3, 25] and pngs[3][:8] == b"\x89PNG\r\n\x1a\n"
