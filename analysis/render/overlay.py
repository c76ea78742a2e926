"""Annotated video and still frames for the review page (no Streamlit).

* :func:`write_annotated_video` decodes the clip once more (``video.iter_frames``; the
  pose is never estimated again), draws each frame with :class:`draw.FormAnnotator` and
  encodes **H.264** (``libx264``, yuv420p, even dimensions, ``+faststart``) with PyAV, so
  browsers play it; OpenCV's wheels carry no H.264 encoder.
* :func:`write_review_video`: the clip's frames as analysed (same indices, rotation
  applied), undrawn, small and with a key frame every second: the page's frame review
  reads any frame of it quickly (:func:`review_image`) and draws the analysis on it then,
  so a new analysis of the same clip under other options needs no new video.
* :func:`thumbnail` / :func:`thumbnails` / :func:`stills`: annotated PNG stills of chosen frames.
* :func:`read_video_frame`: one frame of an encoded video (the annotated or the review one)
  by index, seeking to the nearest key frame with PyAV, so the page never decodes a whole
  clip to show one frame.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from ..io.video import iter_frames
from ..types import VideoMeta
from .draw import FormAnnotator

#: The annotated video's frames are scaled so their long side is at least this (labels
#: stay legible on small phone crops) and at most ``MAX_LONG_SIDE`` (encoding speed).
MIN_LONG_SIDE = 640
MAX_LONG_SIDE = 1280
#: The review video's long side at most: a frame review shows frames up to ~700 px, and a
#: crop to a small jumper still has pixels to show at this size.
REVIEW_MAX_LONG_SIDE = 960
#: A key frame every this many seconds: seeking to a frame decodes at most this much.
KEYFRAME_EVERY_S = 1.0
#: Encoder threads: one, so that while a video is drawn the other core still serves the
#: page (and the browser on the same machine) without stalls.
X264_THREADS = 1

Progress = Callable[[str, int, int], None]


def output_size(
    width: int, height: int, min_long: int = MIN_LONG_SIDE, max_long: int = MAX_LONG_SIDE
) -> tuple[int, int]:
    """Frame size of the annotated video: long side within [min_long, max_long], both even."""
    long_side = max(width, height)
    s = 1.0
    if long_side < min_long:
        s = min_long / long_side
    elif long_side > max_long:
        s = max_long / long_side
    w = max(2, int(round(width * s / 2)) * 2)
    h = max(2, int(round(height * s / 2)) * 2)
    return w, h


def _resize(bgr: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if (bgr.shape[1], bgr.shape[0]) == size:
        return bgr
    interp = cv2.INTER_AREA if size[0] < bgr.shape[1] else cv2.INTER_LINEAR
    return cv2.resize(bgr, size, interpolation=interp)


def _rate(fps: float) -> Fraction:
    return Fraction(fps).limit_denominator(1001)


def write_annotated_video(
    report,
    clip_path: str | os.PathLike,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    annotator: FormAnnotator | None = None,
    *,
    crf: int = 23,
    preset: str = "veryfast",
) -> Path:
    """Draw the analysis on every frame of ``clip_path`` and write an H.264 MP4.

    Frames are those the analysis saw (same indices, ``report.meta`` size, rotation
    applied); frames beyond the analysed range (a clip cut at the length limit) are not
    written. ``progress("video", done, total)`` is called every 10 frames.
    """
    ann = annotator or FormAnnotator()
    meta = report.meta
    n = len(report.t_s)
    size = output_size(meta.width_px, meta.height_px)
    frames = (
        (fr.index, ann.annotate(_resize(fr.bgr, size), report, fr.index)) for fr in iter_frames(clip_path, meta, stop=n)
    )
    _encode(frames, out_path, size, meta.fps, n, Path(clip_path).name, progress, crf=crf, preset=preset)
    return Path(out_path)


def write_review_video(
    clip_path: str | os.PathLike,
    meta: VideoMeta,
    out: str | os.PathLike | io.BytesIO,
    stop: int | None = None,
    progress: Progress | None = None,
    *,
    crf: int = 23,
    preset: str = "veryfast",
) -> Path | io.BytesIO:
    """The clip's frames [0, stop) as the analysis reads them (``video.iter_frames``: same
    indices, rotation applied), undrawn, long side within [MIN_LONG_SIDE,
    REVIEW_MAX_LONG_SIDE], H.264 with a key frame every second, into a file or a
    ``BytesIO``. Depends only on the clip. ``progress("review", done, total)``."""
    size = output_size(meta.width_px, meta.height_px, max_long=REVIEW_MAX_LONG_SIDE)
    n = min(stop, meta.n_frames) if stop is not None else meta.n_frames
    frames = ((fr.index, _resize(fr.bgr, size)) for fr in iter_frames(clip_path, meta, stop=stop))
    name = Path(clip_path).name
    return _encode(frames, out, size, meta.fps, n, name, progress, crf=crf, preset=preset, stage="review")


def review_video_bytes(clip_path: str | os.PathLike, meta: VideoMeta, stop: int | None = None) -> bytes:
    """:func:`write_review_video` into memory (no file is written)."""
    buf = io.BytesIO()
    write_review_video(clip_path, meta, buf, stop=stop)
    return buf.getvalue()


def _encode(
    frames: Iterable[tuple[int, np.ndarray]],
    out: str | os.PathLike | io.BytesIO,
    size: tuple[int, int],
    fps: float,
    total: int,
    clip_name: str,
    progress: Progress | None,
    *,
    crf: int,
    preset: str,
    stage: str = "video",
) -> Path | io.BytesIO:
    """Encode (index, BGR frame of ``size``) pairs as H.264 with pts = index, into a file
    (its path is returned) or a ``BytesIO`` (returned)."""
    target: Path | io.BytesIO = out if isinstance(out, io.BytesIO) else Path(out)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    rate = _rate(fps)
    # +faststart moves the index to the front in a second pass over the file, which an
    # in-memory buffer cannot give; a buffer is read whole, so it needs none.
    where, flags = (target, {}) if isinstance(target, io.BytesIO) else (str(target), {"movflags": "+faststart"})
    with av.open(where, mode="w", format="mp4", options=flags) as container:
        stream = container.add_stream(
            "libx264",
            rate=rate,
            options={
                "crf": str(crf),
                "preset": preset,
                "g": str(max(1, int(round(fps * KEYFRAME_EVERY_S)))),
                "bf": "0",
                **({"threads": str(X264_THREADS)} if X264_THREADS else {}),
            },
        )
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1) / rate
        done = 0
        for index, img in frames:
            vf = av.VideoFrame.from_ndarray(img, format="bgr24")
            vf.pts = index
            vf.time_base = stream.codec_context.time_base
            for pkt in stream.encode(vf):
                container.mux(pkt)
            done += 1
            if progress is not None and (done % 10 == 0 or done == total):
                progress(stage, done, max(total, done))
        for pkt in stream.encode(None):
            container.mux(pkt)
    if done == 0:
        if isinstance(target, Path):
            target.unlink(missing_ok=True)
        what = "annotated" if stage == "video" else stage
        raise ValueError(f"{clip_name}: no frame could be decoded for the {what} video")
    if progress is not None and done != total:
        progress(stage, done, done)
    return target


def jumper_box(report, margin: float = 0.15) -> tuple[float, float, float, float] | None:
    """A steady box around the jumper while skipping (from the first take-off to the last
    landing; the whole clip without jumps), in the analysed frame's pixels: (x0, y0, x1,
    y1), padded by ``margin`` of the body's height and at least 3:4 wide (so labels fit
    beside the body). Walking in or out of the picture does not widen it. None without a pose."""
    xy = np.asarray(report.pose.xy_px, float)
    js = report.jumps.jumps
    if js:
        xy = xy[max(0, int(js[0].takeoff_frame)) : int(js[-1].landing_frame) + 1]
    x, y = xy[..., 0], xy[..., 1]
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if x.size == 0 or y.size == 0:
        return None
    fw, fh = report.pose.frame_size_px
    x0, x1 = np.percentile(x, [0.5, 99.5])
    y0, y1 = np.percentile(y, [0.5, 99.5])
    pad = margin * max(float(y1 - y0), 1.0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    min_w = 0.75 * (y1 - y0)
    if x1 - x0 < min_w:
        cx = (x0 + x1) / 2
        x0, x1 = cx - min_w / 2, cx + min_w / 2
    x0, y0 = max(0.0, float(x0)), max(0.0, float(y0))
    x1, y1 = min(float(fw), float(x1)), min(float(fh), float(y1))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return x0, y0, x1, y1


def zoom_helps(report, min_gain: float = 1.25) -> bool:
    """Whether a crop to :func:`jumper_box` shows the jumper at least ``min_gain`` times
    larger in a frame of the same shape (the crop is scaled up to the frame's long side)."""
    box = jumper_box(report)
    if box is None:
        return False
    fw, fh = report.pose.frame_size_px
    bw, bh = box[2] - box[0], box[3] - box[1]
    return min(fw / bw, fh / bh) >= min_gain or max(fw, fh) / max(bw, bh) >= min_gain


def review_image(
    video: str | os.PathLike | bytes,
    report,
    frame_index: int,
    *,
    zoom: bool = False,
    annotator: FormAnnotator | None = None,
) -> np.ndarray:
    """Frame ``frame_index`` of the review (or annotated) video with the analysis drawn on
    it; ``zoom``: cropped to :func:`jumper_box` and scaled up so its long side is the
    frame's (the labels are drawn on the crop, so none is cut or doubled)."""
    ann = annotator or FormAnnotator()
    frame = read_video_frame(video, frame_index)
    box = jumper_box(report) if zoom else None
    if box is None:
        return ann.annotate(frame, report, frame_index)
    fw, fh = report.pose.frame_size_px
    h, w = frame.shape[:2]
    sx, sy = w / float(fw), h / float(fh)
    x0, y0 = int(np.floor(box[0] * sx)), int(np.floor(box[1] * sy))
    x1, y1 = int(np.ceil(box[2] * sx)), int(np.ceil(box[3] * sy))
    crop = frame[y0:y1, x0:x1]
    s = max(w, h) / float(max(crop.shape[:2]))
    size = (max(1, int(round(crop.shape[1] * s))), max(1, int(round(crop.shape[0] * s))))
    crop = cv2.resize(crop, size, interpolation=cv2.INTER_LINEAR if s > 1 else cv2.INTER_AREA)
    region = (x0 / sx, y0 / sy, x1 / sx, y1 / sy)
    return ann.annotate(crop, report, frame_index, region=region)


def stills(
    video: str | os.PathLike | bytes,
    report,
    frame_indices: Iterable[int],
    max_side: int = 320,
    annotator: FormAnnotator | None = None,
) -> dict[int, bytes]:
    """Annotated PNG stills of chosen frames of the review video (one seek each)."""
    ann = annotator or FormAnnotator()
    out: dict[int, bytes] = {}
    for i in sorted({int(i) for i in frame_indices if 0 <= int(i) < len(report.t_s)}):
        try:
            img = review_image(video, report, i, annotator=ann)
        except ValueError:
            continue
        h, w = img.shape[:2]
        s = min(1.0, max_side / max(h, w))
        img = _resize(img, (max(1, int(round(w * s))), max(1, int(round(h * s)))))
        ok, buf = cv2.imencode(".png", img)
        if ok:
            out[i] = buf.tobytes()
    return out


def thumbnails(
    clip_path: str | os.PathLike,
    frame_indices: Iterable[int],
    report,
    max_side: int = 320,
    annotator: FormAnnotator | None = None,
) -> dict[int, bytes]:
    """Annotated PNG stills of several frames, in one pass over the clip up to the last one."""
    want = sorted({int(i) for i in frame_indices if 0 <= int(i) < len(report.t_s)})
    if not want:
        return {}
    ann = annotator or FormAnnotator()
    meta = report.meta
    w, h = meta.width_px, meta.height_px
    s = min(1.0, max_side / max(w, h))
    # Draw on a frame at least MIN_LONG_SIDE long so labels have room, then shrink.
    draw_size = output_size(w, h)
    out: dict[int, bytes] = {}
    for fr in iter_frames(clip_path, meta, start=want[0], stop=want[-1] + 1):
        if fr.index in want:
            img = ann.annotate(_resize(fr.bgr, draw_size), report, fr.index)
            img = _resize(img, (max(1, int(round(w * s))), max(1, int(round(h * s)))))
            ok, buf = cv2.imencode(".png", img)
            if ok:
                out[fr.index] = buf.tobytes()
    return out


def thumbnail(clip_path: str | os.PathLike, frame_index: int, report, max_side: int = 320) -> bytes:
    """One annotated PNG still of ``frame_index``, at most ``max_side`` px on its long side."""
    got = thumbnails(clip_path, [frame_index], report, max_side=max_side)
    if frame_index not in got:
        raise ValueError(f"frame {frame_index} could not be decoded from {Path(clip_path).name}")
    return got[frame_index]


def read_video_frame(video: str | os.PathLike | bytes, frame_index: int) -> np.ndarray:
    """Frame ``frame_index`` (0-based) of an encoded video as BGR, seeking by key frame.

    Meant for the annotated video written above (its pts are frame indices in units of
    1/fps, so the index maps exactly).
    """
    src = io.BytesIO(video) if isinstance(video, (bytes, bytearray)) else str(video)
    with av.open(src) as c:
        st = c.streams.video[0]
        rate = st.average_rate or st.guessed_rate or Fraction(25)
        tb = st.time_base
        target = int(round(frame_index / float(rate) / float(tb))) + (st.start_time or 0)
        c.seek(target, stream=st, backward=True, any_frame=False)
        last = None
        for frame in c.decode(st):
            if frame.pts is None:
                continue
            last = frame
            if frame.pts >= target:
                break
        if last is None:
            raise ValueError(f"frame {frame_index}: could not be decoded")
        return last.to_ndarray(format="bgr24")
