"""The clip's soundtrack as mono float samples on the video clock (PyAV): the only audio reader.

Times are seconds on the *video* clock: sample ``i`` of an :class:`AudioTrack` plays at
``track.start_s + i / track.sample_rate_hz``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

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
    audio times line up with video frame times.
    """
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
        chunks: list[np.ndarray] = []
        n_samples = 0
        max_samples = None if max_duration_s is None else int(round(max_duration_s * target_sr))
        first_pts_s: float | None = None
        n_packets = n_bad = 0
        last_error: Exception | None = None

        def _take(frames) -> None:
            nonlocal n_samples
            for out in frames:
                arr = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                chunks.append(arr)
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
                            chunks.append(np.zeros(gap, dtype=np.float32))
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
    samples = np.concatenate(chunks)
    if max_samples is not None:
        samples = samples[:max_samples]
    np.clip(samples, -1.0, 1.0, out=samples)
    audio_start_s = first_pts_s if first_pts_s is not None else (_stream_start_s(stream) or 0.0)
    return AudioTrack(samples=samples, sample_rate_hz=int(target_sr), start_s=audio_start_s - video_start_s)
