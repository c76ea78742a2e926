"""The clip's soundtrack as mono float samples on the video clock (PyAV): the only audio reader.

Times are seconds on the *video* clock: sample ``i`` of an :class:`AudioTrack` plays at
``track.start_s + i / track.sample_rate_hz``.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np


class AudioError(ValueError):
    """The file has an audio stream but it cannot be decoded."""


@dataclass(frozen=True)
class AudioTrack:
    """Mono float32 audio in [-1, 1] at one sample rate.

    ``start_s`` is when the first sample plays on the video clock (audio stream start
    minus video stream start); ``duration_s`` is ``len(samples) / sample_rate_hz``.
    """

    samples: np.ndarray
    sample_rate_hz: int
    start_s: float = 0.0
    duration_s: float = field(default=-1.0)

    def __post_init__(self) -> None:
        samples = np.asarray(self.samples)
        if samples.dtype == np.float32:
            samples = samples.view()  # read-only view below; the caller's array stays writeable
        if samples.ndim != 1:
            raise ValueError(f"AudioTrack.samples must be 1-D (mono), got shape {samples.shape}")
        if samples.dtype != np.float32:
            samples = samples.astype(np.float32)
        if not np.all(np.isfinite(samples)):
            raise ValueError("AudioTrack.samples contains NaN or inf")
        if samples.size and float(np.max(np.abs(samples))) > 1.0 + 1e-4:
            raise ValueError("AudioTrack.samples must lie in [-1, 1] (float full scale)")
        if not isinstance(self.sample_rate_hz, (int, np.integer)) or self.sample_rate_hz <= 0:
            raise ValueError(f"AudioTrack.sample_rate_hz must be a positive int, got {self.sample_rate_hz!r}")
        if not math.isfinite(self.start_s):
            raise ValueError(f"AudioTrack.start_s must be finite, got {self.start_s!r}")
        samples.setflags(write=False)
        object.__setattr__(self, "samples", samples)
        object.__setattr__(self, "sample_rate_hz", int(self.sample_rate_hz))
        object.__setattr__(self, "start_s", float(self.start_s))
        expected = samples.size / self.sample_rate_hz
        if self.duration_s < 0:
            object.__setattr__(self, "duration_s", expected)
        elif abs(self.duration_s - expected) > 1.0 / self.sample_rate_hz:
            raise ValueError(
                f"AudioTrack.duration_s={self.duration_s} does not match "
                f"{samples.size} samples at {self.sample_rate_hz} Hz ({expected:.6f} s)"
            )

    def times_s(self) -> np.ndarray:
        """Video-clock time of every sample."""
        return self.start_s + np.arange(self.samples.size) / self.sample_rate_hz


# --------------------------------------------------------------------------- reading

#: Fraction of audio packets allowed to fail decoding before the stream counts as corrupt.
#: A phone clip may carry one damaged packet (a few ms of audio); more than this means
#: the stream is not the audio it claims to be.
_MAX_BAD_PACKET_FRACTION = 0.2


def _stream_start_s(stream) -> float | None:
    if stream.start_time is None or stream.time_base is None:
        return None
    return float(stream.start_time * stream.time_base)


class _SampleBuffer:
    """Decoded samples written into one array sized for the soundtrack (grown by doubling
    if the stream's duration was short of the truth), so a long soundtrack is held once,
    never as thousands of small chunks plus their concatenation."""

    def __init__(self, capacity: int):
        self.buf = np.empty(max(1, capacity), dtype=np.float32)
        self.n = 0

    def append(self, arr: np.ndarray) -> None:
        if self.n + arr.size > self.buf.size:
            grown = np.empty(max(self.n + arr.size, 2 * self.buf.size), dtype=np.float32)
            grown[: self.n] = self.buf[: self.n]
            self.buf = grown
        self.buf[self.n : self.n + arr.size] = arr
        self.n += arr.size

    def samples(self, limit: int | None) -> np.ndarray:
        n = self.n if limit is None else min(self.n, limit)
        # A view when the array is about the right size; a copy frees a much larger one.
        return self.buf[:n] if n >= 0.9 * self.buf.size else self.buf[:n].copy()


def _expected_samples(stream, target_sr: int, limit: int | None) -> int:
    """Samples the stream should give at ``target_sr`` (from its duration), within ``limit``."""
    try:
        seconds = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
    except (TypeError, ValueError, ZeroDivisionError):
        seconds = 0.0
    n = int(seconds * target_sr) + target_sr if seconds > 0 else 60 * target_sr
    return min(n, limit + target_sr) if limit is not None else n


class SampleFile:
    """Mono float32 samples spooled to an anonymous temporary file as they are decoded and
    read back a slice at a time (``y[a:b]``, ``y.size``, ``y.dtype``: what the block-wise
    sound analysis reads of an array), so a long soundtrack is never held in memory: its
    pages are the operating system's file cache, not the process's memory. Close it (or
    use it as a context manager) to delete the file."""

    dtype = np.dtype(np.float32)

    def __init__(self, capacity: int = 0) -> None:
        """``capacity``: the samples expected (unused: a file grows as it is written)."""
        self._file = tempfile.TemporaryFile(prefix="soundtrack_")
        self.size = 0  # samples written

    def append(self, arr: np.ndarray) -> None:
        self._file.seek(0, os.SEEK_END)
        self._file.write(np.ascontiguousarray(arr, dtype=np.float32).tobytes())
        self.size += arr.size

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` samples."""
        if n < self.size:
            self._file.truncate(4 * n)
            self.size = n

    def __getitem__(self, index: slice) -> np.ndarray:
        if not isinstance(index, slice):
            raise TypeError(f"SampleFile: expected a slice, got {type(index).__name__}")
        start, stop, step = index.indices(self.size)
        if step != 1:
            raise ValueError(f"SampleFile: expected a slice with step 1, got step {step}")
        n = max(0, stop - start)
        self._file.seek(4 * start)
        arr = np.frombuffer(self._file.read(4 * n), dtype=np.float32)
        if arr.size != n:
            raise OSError(f"SampleFile: expected {n} samples at {start}, read {arr.size}")
        return arr

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> SampleFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: What the block-wise sound analysis reads samples from: an array, or a spooled file.
SampleSource = np.ndarray | SampleFile


@dataclass(frozen=True)
class SpooledAudio:
    """A soundtrack decoded to a :class:`SampleFile` (``samples``), with the same rate and
    video-clock start as :func:`read_audio` would give; ``duration_s`` from its length."""

    samples: SampleFile
    sample_rate_hz: int
    start_s: float

    @property
    def duration_s(self) -> float:
        return self.samples.size / self.sample_rate_hz

    def close(self) -> None:
        self.samples.close()

    def __enter__(self) -> SpooledAudio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_audio(
    path: str | os.PathLike,
    target_sr: int = 22050,
    max_duration_s: float | None = None,
) -> AudioTrack | None:
    """Read a clip's first audio stream as mono float32 at ``target_sr``.

    Returns ``None`` when the file has no audio stream. Raises ``FileNotFoundError`` for
    a missing file and :class:`AudioError` when the file cannot be opened as media or
    its audio stream cannot be decoded. Frames are decoded and resampled one by one
    (never the whole file in memory twice); ``max_duration_s`` stops early.
    ``start_s`` of the result is the audio start minus the video stream's start, so
    audio times line up with video frame times. :func:`spool_audio` gives the same
    samples in a temporary file instead of memory.
    """
    decoded = _decode(path, target_sr, max_duration_s, _SampleBuffer)
    if decoded is None:
        return None
    out, max_samples, start_s = decoded
    samples = out.samples(max_samples)
    np.clip(samples, -1.0, 1.0, out=samples)
    return AudioTrack(samples=samples, sample_rate_hz=int(target_sr), start_s=start_s)


def spool_audio(
    path: str | os.PathLike,
    target_sr: int = 22050,
    max_duration_s: float | None = None,
) -> SpooledAudio | None:
    """:func:`read_audio`'s samples written to a temporary file as they are decoded (the
    same numbers, clipped to [-1, 1] a frame at a time), for a soundtrack of any length in
    a few hundred kilobytes of memory. Raises what :func:`read_audio` raises, and
    :class:`AudioError` for samples that decode to NaN or infinity."""
    decoded = _decode(path, target_sr, max_duration_s, _ClippedSampleFile)
    if decoded is None:
        return None
    out, max_samples, start_s = decoded
    if max_samples is not None:
        out.truncate(max_samples)
    return SpooledAudio(out, int(target_sr), start_s)


class _ClippedSampleFile(SampleFile):
    """A SampleFile that clips to [-1, 1] on the way in (as :func:`read_audio` clips the
    whole array) and refuses non-finite samples."""

    def append(self, arr: np.ndarray) -> None:
        if not np.all(np.isfinite(arr)):
            raise AudioError("the audio stream decoded to NaN or infinite samples")
        super().append(np.clip(arr, -1.0, 1.0))


class _Sink(Protocol):
    def append(self, arr: np.ndarray) -> None: ...


SinkT = TypeVar("SinkT", bound=_Sink)


def _decode(
    path: str | os.PathLike,
    target_sr: int,
    max_duration_s: float | None,
    make_sink: Callable[[int], SinkT],
) -> tuple[SinkT, int | None, float] | None:
    """Decode the first audio stream of ``path`` into ``make_sink(expected samples)``:
    None without an audio stream, else (the sink, the sample limit from ``max_duration_s``
    or None, the video-clock start in seconds). The sink may hold samples past the limit."""
    import av  # noqa: PLC0415 - PyAV loads FFmpeg's libraries: only when a soundtrack is read

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if target_sr <= 0:
        raise ValueError(f"target_sr must be positive, got {target_sr}")
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        raise AudioError(f"{path.name}: cannot open as a media file ({exc})") from exc

    with container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        stream_index = stream.index
        video_start_s = 0.0
        if container.streams.video:
            video_start_s = _stream_start_s(container.streams.video[0]) or 0.0
        codec_name = getattr(stream.codec_context, "name", "?")
        if stream.codec_context is None or getattr(stream.codec_context, "sample_rate", 0) in (0, None):
            raise AudioError(f"{path.name}: audio stream #{stream_index} ({codec_name}) has no sample rate")

        resampler = av.AudioResampler(format="flt", layout="mono", rate=int(target_sr))
        max_samples = None if max_duration_s is None else int(round(max_duration_s * target_sr))
        out = make_sink(_expected_samples(stream, target_sr, max_samples))
        n_samples = 0
        first_pts_s: float | None = None
        n_packets = n_bad = 0
        last_error: Exception | None = None

        def _take(frames) -> None:
            nonlocal n_samples
            for fr in frames:
                arr = fr.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                out.append(arr)
                n_samples += arr.size

        try:
            for packet in container.demux(stream):
                if packet.size == 0 and packet.pts is None:
                    continue  # flush packet
                n_packets += 1
                try:
                    frames = packet.decode()
                except av.error.FFmpegError as exc:
                    n_bad += 1
                    last_error = exc
                    continue
                for frame in frames:
                    if frame.pts is not None and frame.time_base is not None:
                        frame_s = float(frame.pts * frame.time_base)
                        if first_pts_s is None:
                            first_pts_s = frame_s
                        # A packet lost to a decode error leaves a hole: fill it with
                        # silence so later samples keep their time stamps.
                        gap = int(round((frame_s - first_pts_s) * target_sr)) - n_samples
                        if gap > int(0.01 * target_sr):
                            out.append(np.zeros(gap, dtype=np.float32))
                            n_samples += gap
                    _take(resampler.resample(frame))
                if max_samples is not None and n_samples >= max_samples:
                    break
            try:
                for frame in stream.codec_context.decode(None):
                    _take(resampler.resample(frame))
            except av.error.FFmpegError:
                pass
            _take(resampler.resample(None))
        except av.error.FFmpegError as exc:
            raise AudioError(
                f"{path.name}: audio stream #{stream_index} ({codec_name}) failed to demux/decode: {exc}"
            ) from exc
        except ValueError as exc:  # e.g. resampler given a frame with an unknown layout
            raise AudioError(
                f"{path.name}: audio stream #{stream_index} ({codec_name}) cannot be converted: {exc}"
            ) from exc

    if n_packets and n_bad / n_packets > _MAX_BAD_PACKET_FRACTION:
        raise AudioError(
            f"{path.name}: audio stream #{stream_index} ({codec_name}) is corrupt: "
            f"{n_bad} of {n_packets} packets failed to decode (last error: {last_error})"
        )
    if n_samples == 0:
        if n_packets == 0:
            raise AudioError(f"{path.name}: audio stream #{stream_index} ({codec_name}) holds no packets")
        raise AudioError(
            f"{path.name}: audio stream #{stream_index} ({codec_name}) decoded to no samples"
            + (f" (last error: {last_error})" if last_error else "")
        )
    audio_start_s = first_pts_s if first_pts_s is not None else (_stream_start_s(stream) or 0.0)
    return out, max_samples, audio_start_s - video_start_s
