"""Annotated video and still frames for the review page (no Streamlit).

* :func:`write_annotated_video` decodes the clip once more (``video.iter_frames``; the
  pose is never estimated again), draws each frame with :class:`draw.FormAnnotator` and
  encodes **H.264** (``libx264``, yuv420p, even dimensions, ``+faststart``) with PyAV, so
  browsers play it; OpenCV's wheels carry no H.264 encoder.
* :func:`thumbnail` / :func:`thumbnails`: annotated PNG stills of chosen frames.
* :func:`read_video_frame`: one frame of an encoded video (the annotated one) by index,
  seeking to the nearest key frame with PyAV, so the page never decodes a whole clip to
  show one frame.
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
from .draw import FormAnnotator

#: The annotated video's frames are scaled so their long side is at least this (labels
#: stay legible on small phone crops) and at most ``MAX_LONG_SIDE`` (encoding speed).
MIN_LONG_SIDE = 640
MAX_LONG_SIDE = 1280
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
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    ann = annotator or FormAnnotator()
    meta = report.meta
    n = len(report.t_s)
    size = output_size(meta.width_px, meta.height_px)
    rate = _rate(meta.fps)
    with av.open(str(out), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream(
            "libx264",
            rate=rate,
            options={
                "crf": str(crf),
                "preset": preset,
                "g": str(max(1, int(round(meta.fps * KEYFRAME_EVERY_S)))),
                "bf": "0",
                **({"threads": str(X264_THREADS)} if X264_THREADS else {}),
            },
        )
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1) / rate
        done = 0
        for fr in iter_frames(clip_path, meta, stop=n):
            img = ann.annotate(_resize(fr.bgr, size), report, fr.index)
            vf = av.VideoFrame.from_ndarray(img, format="bgr24")
            vf.pts = fr.index
            vf.time_base = stream.codec_context.time_base
            for pkt in stream.encode(vf):
                container.mux(pkt)
            done += 1
            if progress is not None and (done % 10 == 0 or done == n):
                progress("video", done, n)
        for pkt in stream.encode(None):
            container.mux(pkt)
    if done == 0:
        out.unlink(missing_ok=True)
        raise ValueError(f"{Path(clip_path).name}: no frame could be decoded for the annotated video")
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
