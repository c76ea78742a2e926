"""The only clip reader (OpenCV): metadata, frames streamed one at a time with timestamps.

Timestamps come from the container (``CAP_PROP_POS_MSEC``), so variable-frame-rate phone
clips keep their real timing; where the container gives none that make sense, frame
index / fps is used and the metadata says so. OpenCV applies rotation metadata itself
(``CAP_PROP_ORIENTATION_AUTO``); the reported size is that of the rotated frames.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .types import AnalysisError, VideoMeta

#: Frame rates outside this range are treated as missing metadata (a phone or camera
#: never records below 1 fps or above 1000 fps; such values come from broken headers).
PLAUSIBLE_FPS = (1.0, 1000.0)


class VideoError(AnalysisError):
    """The file is not a readable video; the message names the file and the problem."""


@dataclass(frozen=True)
class Frame:
    index: int
    t_s: float
    bgr: np.ndarray  # [H, W, 3] uint8


def _open(path: str | os.PathLike) -> cv2.VideoCapture:
    p = Path(path)
    if not p.exists():
        raise VideoError(f"{p.name}: file not found ({p}). Check the path and try again.")
    if p.is_dir():
        raise VideoError(f"{p.name}: is a folder, not a video file.")
    if p.stat().st_size == 0:
        raise VideoError(f"{p.name}: the file is empty (0 bytes). Upload the clip again.")
    cap = cv2.VideoCapture(str(p), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        cap.release()
        raise VideoError(
            f"{p.name}: not a readable video (OpenCV/FFmpeg could not open it). "
            "Export the clip as MP4 (H.264) or MOV and try again."
        )
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def _has_audio(path: str | os.PathLike) -> bool | None:
    """Whether the container has an audio stream (PyAV; None if it cannot tell)."""
    try:
        import av  # noqa: PLC0415 - optional, only for this probe

        with av.open(str(path)) as c:
            return len(c.streams.audio) > 0
    except Exception:  # noqa: BLE001 - a probe: any failure means "cannot tell"
        return None


def read_meta(path: str | os.PathLike) -> VideoMeta:
    """Read a clip's metadata and check that at least one frame decodes.

    Raises:
        VideoError: missing, empty or unreadable file, no decodable frame, or no usable fps.
    """
    cap = _open(path)
    try:
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)
        fourcc = int(cap.get(cv2.CAP_PROP_FOURCC) or 0)
        codec = "".join(chr((fourcc >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00 ")
        ok, first = cap.read()
        if not ok or first is None:
            raise VideoError(
                f"{Path(path).name}: no frame could be decoded (the file may be truncated, "
                "audio-only or use an unsupported codec). Re-export the clip as MP4 (H.264)."
            )
        h, w = first.shape[:2]
        ts = [cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0]
        for _ in range(8):  # a few timestamps to recover fps when the header has none
            ok, _f = cap.read()
            if not ok:
                break
            ts.append(cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0)
    finally:
        cap.release()
    if not (np.isfinite(fps) and PLAUSIBLE_FPS[0] <= fps <= PLAUSIBLE_FPS[1]):
        d = np.diff(np.asarray(ts))
        d = d[np.isfinite(d) & (d > 0)]
        if d.size >= 2 and PLAUSIBLE_FPS[0] <= 1.0 / np.median(d) <= PLAUSIBLE_FPS[1]:
            fps = float(1.0 / np.median(d))
        else:
            raise VideoError(
                f"{Path(path).name}: the frame rate is missing or implausible ({fps!r} fps) and "
                "the timestamps do not give one. Re-export the clip with a fixed frame rate."
            )
    n = max(n, 1)
    return VideoMeta(
        path=str(path),
        width_px=int(w),
        height_px=int(h),
        fps=fps,
        n_frames=n,
        duration_s=n / fps,
        rotation_deg=rotation,
        codec=codec,
        has_audio=_has_audio(path),
    )


def iter_frames(
    path: str | os.PathLike, meta: VideoMeta | None = None, *, start: int = 0, stop: int | None = None
) -> Iterator[Frame]:
    """Yield decoded frames one at a time with container timestamps (seconds).

    Timestamps that do not increase (some containers report 0 or repeat values) are
    replaced by ``index / fps`` so the series stays strictly increasing. ``start``/``stop``
    select a frame range (used by the parallel runner); seeking is by decoding, so frame
    indices always match a full sequential read.
    """
    meta = meta or read_meta(path)
    cap = _open(path)
    try:
        last_t = -np.inf
        i = 0
        while stop is None or i < stop:
            ok = cap.grab() if i < start else None
            if i < start:
                if not ok:
                    return
                i += 1
                continue
            ok, bgr = cap.read()
            if not ok or bgr is None:
                return
            t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            fallback = i / meta.fps
            if not np.isfinite(t) or t <= last_t or (i > 0 and t == 0.0):
                t = max(fallback, last_t + 1e-3)
            last_t = t
            yield Frame(i, float(t), bgr)
            i += 1
    finally:
        cap.release()
