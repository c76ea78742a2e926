"""Small clip writers and transforms (PyAV) for the robustness tests and the fuzz bench.

Nothing here is used by the analysis itself. Every writer takes RGB frames ([H, W, 3]
uint8) and writes an H.264 (or MPEG-4 Part 2) MP4; real clips are read with OpenCV,
transformed frame by frame and written to a new file (the source is never modified).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np


def write_clip(
    path: str | os.PathLike,
    frames: Iterable[np.ndarray],
    fps: float = 25.0,
    *,
    codec: str = "libx264",
    pts_s: Sequence[float] | None = None,
    rotation_deg: int | None = None,
    time_base: Fraction | None = None,
) -> Path:
    """Write RGB frames to an MP4. ``pts_s`` gives explicit presentation times (variable
    frame rate); ``rotation_deg`` sets the display matrix (how a phone stores portrait)."""
    path = Path(path)
    it = iter(frames)
    first = next(it)
    h, w = first.shape[:2]
    rate = Fraction(fps).limit_denominator(1001)
    with av.open(str(path), "w") as out:
        st = out.add_stream(codec, rate=rate)
        st.width, st.height = w - (w % 2), h - (h % 2)
        st.pix_fmt = "yuv420p"
        if codec == "libx264":
            st.options = {"preset": "ultrafast", "crf": "23"}
        tb = time_base or (Fraction(1, 90000) if pts_s is not None else Fraction(1, int(round(float(rate) * 1000))))
        st.codec_context.time_base = tb
        if rotation_deg is not None:
            st.set_display_rotation(rotation_deg)

        def _frames():
            yield first
            yield from it

        for i, rgb in enumerate(_frames()):
            rgb = np.ascontiguousarray(rgb[: st.height, : st.width])
            vf = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            t = pts_s[i] if pts_s is not None else i / float(rate)
            vf.pts = int(round(t / tb))
            vf.time_base = tb
            for pkt in st.encode(vf):
                out.mux(pkt)
        for pkt in st.encode():
            out.mux(pkt)
    return path


def read_rgb(src: str | os.PathLike, max_s: float | None = None, start_s: float = 0.0) -> tuple[list[np.ndarray], float]:
    """Frames of a real clip as RGB (OpenCV, rotation applied) and its fps."""
    cap = cv2.VideoCapture(str(src), cv2.CAP_FFMPEG)
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    out = []
    i = 0
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        t = i / fps
        i += 1
        if t < start_s:
            continue
        if max_s is not None and t >= start_s + max_s:
            break
        out.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    cap.release()
    return out, float(fps)


def transform_clip(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    fn: Callable[[np.ndarray], np.ndarray] = lambda f: f,
    *,
    max_s: float | None = 4.0,
    start_s: float = 0.0,
    **kw,
) -> Path:
    """Write ``fn(frame)`` for each frame of the first ``max_s`` seconds of ``src``."""
    frames, fps = read_rgb(src, max_s, start_s)
    if not frames:
        raise ValueError(f"{src}: no frames")
    return write_clip(dst, (fn(f) for f in frames), kw.pop("fps", fps), **kw)


def noise_clip(path: str | os.PathLike, n: int = 60, size: tuple[int, int] = (320, 240), fps: float = 25.0, seed: int = 0) -> Path:
    """A clip of a smooth, slowly changing background with noise: no person in it."""
    rng = np.random.default_rng(seed)
    w, h = size
    base = cv2.GaussianBlur(rng.integers(0, 255, (h, w, 3), dtype=np.uint8), (0, 0), 8)
    frames = []
    for i in range(n):
        f = base.astype(np.int16) + rng.integers(-12, 12, (h, w, 3), dtype=np.int16) + int(10 * np.sin(i / 7))
        frames.append(np.clip(f, 0, 255).astype(np.uint8))
    return write_clip(path, frames, fps)


def side_by_side(src: str | os.PathLike, dst: str | os.PathLike, max_s: float = 4.0, offset_s: float = 0.0) -> Path:
    """Two copies of a real clip next to each other (the right one ``offset_s`` later)."""
    a, fps = read_rgb(src, max_s)
    b, _ = read_rgb(src, max_s, start_s=offset_s)
    n = min(len(a), len(b))
    return write_clip(dst, (np.concatenate([a[i], b[i]], axis=1) for i in range(n)), fps)


def concat_clip(dst: str | os.PathLike, parts: Sequence[Sequence[np.ndarray]], fps: float) -> Path:
    """Frames of several parts one after the other (all the same size)."""
    return write_clip(dst, (f for p in parts for f in p), fps)
