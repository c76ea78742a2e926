"""The only clip reader (OpenCV): metadata, frames streamed one at a time with timestamps.

Timestamps come from the container (``CAP_PROP_POS_MSEC``), so variable-frame-rate phone
clips keep their real timing; where the container gives none that make sense, frame
index / fps is used and the metadata says so. OpenCV applies rotation metadata itself
(``CAP_PROP_ORIENTATION_AUTO``); the reported size is that of the rotated frames.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..types import AnalysisError, VideoMeta

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


#: Frame rate used when neither the header nor the timestamps give a plausible one.
ASSUMED_FPS = 30.0
#: Below this the clip cannot show jumps (a jump lasts about 0.3-0.5 s).
MIN_ANALYSABLE_FPS = 5.0
#: A gap between consecutive frame timestamps longer than this is a broken timestamp,
#: not a pause in the recording (phones record continuously).
MAX_FRAME_GAP_S = 10.0

_IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"BM": "BMP",
    b"RIFF": None,  # WEBP images start RIFF....WEBP; AVI videos RIFF....AVI
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}


def _head(p: Path, n: int = 4096) -> bytes:
    try:
        with open(p, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def _image_kind(head: bytes) -> str | None:
    for sig, kind in _IMAGE_SIGNATURES.items():
        if head.startswith(sig):
            if sig == b"RIFF":
                return "WEBP" if head[8:12] == b"WEBP" else None
            return kind
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mp4_top_boxes(p: Path, limit: int = 64) -> list[bytes] | None:
    """Types of the top-level boxes of an ISO-BMFF (MP4/MOV) file, or None if it is not one."""
    try:
        return _walk_boxes(p, limit)
    except OSError:
        return None


def _walk_boxes(p: Path, limit: int) -> list[bytes] | None:
    size_total = p.stat().st_size
    types: list[bytes] = []
    with open(p, "rb") as fh:
        off = 0
        while off + 8 <= size_total and len(types) < limit:
            fh.seek(off)
            hdr = fh.read(16)
            if len(hdr) < 8:
                break
            size, typ = struct.unpack(">I4s", hdr[:8])
            if not typ.isalnum() and typ not in (b"free", b"skip", b"wide"):
                break
            if size == 1 and len(hdr) >= 16:
                size = struct.unpack(">Q", hdr[8:16])[0]
            elif size == 0:
                size = size_total - off
            if size < 8:
                break
            types.append(typ)
            off += size
    return types if types and types[0] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip") else None


def _streams(p: Path) -> tuple[int, int] | None:
    """(video streams, audio streams) by PyAV, or None if it cannot tell."""
    try:
        import av  # noqa: PLC0415 - optional, only for diagnosis

        with av.open(str(p), timeout=10.0) as c:
            return len(c.streams.video), len(c.streams.audio)
    except Exception:  # noqa: BLE001 - a probe: any failure means "cannot tell"
        return None


def _diagnose(p: Path) -> str:
    """Why FFmpeg cannot open (or decode) a file, in the user's words: what is wrong and what to do."""
    head = _head(p)
    kind = _image_kind(head)
    if kind:
        return f"{p.name}: this is a still image ({kind}), not a video. Upload the video clip itself (MP4 or MOV)."
    boxes = _mp4_top_boxes(p)
    if boxes is not None and b"moov" not in boxes:
        return (
            f"{p.name}: the MP4 file is incomplete or damaged (its index, the 'moov' box, is missing): "
            "the upload or copy was cut off, or the recording was not finished. Upload the complete file."
        )
    st = _streams(p)
    if st is not None and st[0] == 0 and st[1] > 0:
        return f"{p.name}: the file has sound but no video track (audio only). Upload the video clip."
    if _looks_like_text(head):
        return f"{p.name}: this is a text file, not a video. Upload the video clip (MP4 or MOV)."
    if boxes is not None:
        return (
            f"{p.name}: the MP4 file is damaged (its frames cannot be decoded); it may be truncated or corrupted. "
            "Export or copy the clip again as MP4 (H.264)."
        )
    return (
        f"{p.name}: not a readable video (FFmpeg could not open it). "
        "Export the clip as MP4 (H.264) or MOV and try again."
    )


def _open(path: str | os.PathLike) -> cv2.VideoCapture:
    p = Path(path)
    if not p.exists():
        raise VideoError(f"{p.name}: file not found ({p}). Check the path and try again.")
    if p.is_dir():
        raise VideoError(f"{p.name}: is a folder, not a video file.")
    if not p.is_file():
        raise VideoError(f"{p.name}: not a regular file (a device, pipe or socket). Pass a video file.")
    if p.stat().st_size == 0:
        raise VideoError(f"{p.name}: the file is empty (0 bytes). Upload the clip again.")
    if not os.access(p, os.R_OK):
        raise VideoError(f"{p.name}: the file cannot be read (permission denied). Check its permissions.")
    kind = _image_kind(_head(p, 16))
    if kind:  # FFmpeg opens a still image as a one-frame "video": say what it is
        raise VideoError(
            f"{p.name}: this is a still image ({kind}), not a video. Upload the video clip itself (MP4 or MOV)."
        )
    cap = cv2.VideoCapture(str(p), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        cap.release()
        raise VideoError(_diagnose(p))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def _prop(cap: cv2.VideoCapture, prop: int) -> float:
    """A capture property as a finite float (NaN/inf/garbage from broken headers -> 0)."""
    try:
        v = float(cap.get(prop))
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return v if np.isfinite(v) else 0.0


def _int_prop(cap: cv2.VideoCapture, prop: int, hi: float = 2**31 - 1) -> int:
    v = _prop(cap, prop)
    return int(v) if 0 <= v <= hi else 0


def _has_audio(path: str | os.PathLike) -> bool | None:
    """Whether the container has an audio stream (PyAV; None if it cannot tell)."""
    try:
        import av  # noqa: PLC0415 - optional, only for this probe

        with av.open(str(path), timeout=10.0) as c:
            return len(c.streams.audio) > 0
    except Exception:  # noqa: BLE001 - a probe: any failure means "cannot tell"
        return None


def read_meta(path: str | os.PathLike) -> VideoMeta:
    """Read a clip's metadata and check that frames decode.

    A missing or implausible frame rate is recovered from the frame timestamps, or else
    :data:`ASSUMED_FPS` is used (``fps_source`` says which; the pipeline reports it).

    Raises:
        VideoError: missing, empty or unreadable file, a still image, no decodable frame,
        or a frame rate too low to show jumps.
    """
    p = Path(path)
    cap = _open(p)
    try:
        fps = _prop(cap, cv2.CAP_PROP_FPS)
        n = _int_prop(cap, cv2.CAP_PROP_FRAME_COUNT)
        rotation = int(_prop(cap, cv2.CAP_PROP_ORIENTATION_META)) % 360
        fourcc = _int_prop(cap, cv2.CAP_PROP_FOURCC, 2**32 - 1)
        codec = "".join(chr((fourcc >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00 ")
        codec = codec if codec.isprintable() else ""
        ok, first = cap.read()
        if not ok or first is None:
            raise VideoError(_no_frame_message(p))
        h, w = first.shape[:2]
        ts = [_prop(cap, cv2.CAP_PROP_POS_MSEC) / 1000.0]
        for _ in range(8):  # a few timestamps to recover fps when the header has none
            ok, _f = cap.read()
            if not ok:
                break
            ts.append(_prop(cap, cv2.CAP_PROP_POS_MSEC) / 1000.0)
    finally:
        cap.release()
    if len(ts) < 2:
        if n <= 1:
            raise VideoError(
                f"{p.name}: the file holds a single frame (a still image), not a video. Upload the video clip itself."
            )
        raise VideoError(
            f"{p.name}: only the first of the {n} frames the file announces could be decoded: its header or "
            "data is damaged. Export or copy the clip again as MP4 (H.264)."
        )
    source = "container"
    if not (PLAUSIBLE_FPS[0] <= fps <= PLAUSIBLE_FPS[1]):
        d = np.diff(np.asarray(ts))
        d = d[np.isfinite(d) & (d > 0)]
        ts_fps = float(1.0 / np.median(d)) if d.size >= 2 else float("nan")
        if np.isfinite(ts_fps) and PLAUSIBLE_FPS[0] <= ts_fps <= PLAUSIBLE_FPS[1]:
            fps, source = ts_fps, "timestamps"
        elif np.isfinite(ts_fps) and ts_fps < PLAUSIBLE_FPS[0] and (fps <= 0 or abs(fps - ts_fps) < 0.1 * ts_fps):
            fps = ts_fps  # header and timestamps agree: a time-lapse or slideshow, refused below
        else:
            fps, source = ASSUMED_FPS, "assumed"
    if fps < MIN_ANALYSABLE_FPS:
        raise VideoError(
            f"{p.name}: the file gives a frame rate of {fps:.2g} fps, too low to see jumps (a jump lasts under half "
            "a second). If the clip plays at normal speed, its header is damaged: export it again; otherwise record "
            "at 24-60 fps."
        )
    n = max(n, len(ts), 1)
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
        fps_source=source,
    )


def _no_frame_message(p: Path) -> str:
    st = _streams(p)
    if st is not None and st[0] == 0 and st[1] > 0:
        return f"{p.name}: the file has sound but no video track (audio only). Upload the video clip."
    boxes = _mp4_top_boxes(p)
    if boxes is not None and b"moov" not in boxes:
        return _diagnose(p)
    return (
        f"{p.name}: no frame could be decoded (the file may be truncated, corrupted or use an unsupported "
        "codec). Re-export the clip as MP4 (H.264)."
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
            t = _prop(cap, cv2.CAP_PROP_POS_MSEC) / 1000.0
            fallback = i / meta.fps
            if meta.fps_source == "assumed":
                t = fallback  # the container's clock is broken: use the nominal rate throughout
            elif t < 0 or t <= last_t or (i > 0 and t == 0.0) or (i > 0 and t - last_t > MAX_FRAME_GAP_S):
                t = max(fallback, last_t + 1.0 / meta.fps) if i > 0 else 0.0
            last_t = t
            yield Frame(i, float(t), bgr)
            i += 1
    finally:
        cap.release()
