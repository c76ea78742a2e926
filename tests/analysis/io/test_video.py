"""The reader on bad and unusual files: every bad file is a VideoError that says what is
wrong and what to do; unusual but valid files read correctly (VFR, rotation, 4K, tiny)."""

from __future__ import annotations

import struct
from fractions import Fraction

import cv2
import numpy as np
import pytest

from tests import clipkit as ck
from analysis.io.video import ASSUMED_FPS, VideoError, iter_frames, read_meta

from tests.analysis.robust_support import SIDE, real_clip


def _pattern(w: int, h: int, n: int) -> list[np.ndarray]:
    """Frames with a moving bar (decodable content, no person)."""
    out = []
    for i in range(n):
        f = np.full((h, w, 3), 90, np.uint8)
        x = (i * 7) % max(1, w - 10)
        f[:, x : x + 10] = 230
        out.append(f)
    return out


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("reader")
    c = {}
    c["ok"] = ck.write_clip(d / "ok.mp4", _pattern(320, 240, 50), 25)
    c["text"] = d / "notes.mp4"
    c["text"].write_text("this is not a video\n" * 50)
    c["png"] = d / "photo.mp4"
    ok, buf = cv2.imencode(".png", np.zeros((64, 64, 3), np.uint8))
    c["png"].write_bytes(buf.tobytes())
    c["random"] = d / "random.mp4"
    c["random"].write_bytes(np.random.default_rng(0).bytes(100_000))
    c["empty"] = d / "empty.mp4"
    c["empty"].write_bytes(b"")
    data = c["ok"].read_bytes()
    for pct in (10, 50, 90):
        p = d / f"trunc{pct}.mp4"
        p.write_bytes(data[: len(data) * pct // 100])
        c[f"trunc{pct}"] = p
    # Faststart (index at the front): a cut file still holds its first frames.
    import av

    fs = d / "faststart.mp4"
    with av.open(str(c["ok"])) as src, av.open(str(fs), "w", options={"movflags": "faststart"}) as dst:
        s_out = dst.add_stream_from_template(src.streams.video[0])
        for pkt in src.demux(src.streams.video[0]):
            if pkt.dts is not None:
                pkt.stream = s_out
                dst.mux(pkt)
    c["faststart"] = fs
    b = fs.read_bytes()
    c["fs_trunc50"] = d / "fs_trunc50.mp4"
    c["fs_trunc50"].write_bytes(b[: len(b) // 2])
    # Zero decodable frames: a valid container whose frame data is all zeros.
    b = bytearray(data)
    i = b.find(b"mdat")
    size = struct.unpack_from(">I", b, i - 4)[0]
    b[i + 4 : i - 4 + size] = bytes(size - 8)
    c["zero_frames"] = d / "zero_frames.mp4"
    c["zero_frames"].write_bytes(bytes(b))
    # Absurd frame rate: every sample lasts 1 tick of the track's time scale.
    b = bytearray(data)
    i = b.find(b"stts")
    for k in range(struct.unpack_from(">I", b, i + 8)[0]):
        struct.pack_into(">I", b, i + 12 + 8 * k + 4, 1)
    c["absurd_fps"] = d / "absurd_fps.mp4"
    c["absurd_fps"].write_bytes(bytes(b))
    b = bytearray(data)  # every sample lasts 0 ticks: FFmpeg spaces them 4 s apart
    i = b.find(b"stts")
    for k in range(struct.unpack_from(">I", b, i + 8)[0]):
        struct.pack_into(">I", b, i + 12 + 8 * k + 4, 0)
    c["zero_fps"] = d / "zero_fps.mp4"
    c["zero_fps"].write_bytes(bytes(b))
    c["slideshow"] = ck.write_clip(d / "slideshow.mp4", _pattern(160, 120, 8), 0.2)
    # Audio only.
    c["audio"] = d / "voice.mp4"
    with av.open(str(c["audio"]), "w", format="mp4") as o:
        s = o.add_stream("aac", rate=44100)
        for k in range(40):
            fr = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            fr.sample_rate = 44100
            fr.pts = k * 1024
            for pkt in s.encode(fr):
                o.mux(pkt)
        for pkt in s.encode():
            o.mux(pkt)
    return c


@pytest.mark.parametrize(
    "key, words",
    [
        ("text", "text file"),
        ("png", "still image (PNG)"),
        ("random", "not a readable video"),
        ("empty", "empty (0 bytes)"),
        ("trunc10", "incomplete"),
        ("trunc50", "incomplete"),
        ("trunc90", "incomplete"),
        ("zero_frames", "no frame could be decoded"),
        ("slideshow", "too low to see jumps"),
        ("zero_fps", "header is damaged"),
        ("audio", "audio only"),
    ],
)
def test_bad_files_say_what_is_wrong(clips, key, words):
    with pytest.raises(VideoError) as e:
        read_meta(clips[key])
    msg = str(e.value)
    assert words in msg
    assert clips[key].name in msg  # names the file
    assert "\n" not in msg and "Traceback" not in msg


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(VideoError, match="file not found"):
        read_meta(tmp_path / "nope.mp4")
    with pytest.raises(VideoError, match="folder"):
        read_meta(tmp_path)


def test_truncated_faststart_reads_the_part_that_is_there(clips):
    meta = read_meta(clips["fs_trunc50"])
    frames = list(iter_frames(clips["fs_trunc50"], meta))
    assert 5 <= len(frames) < meta.n_frames  # the decoded part, fewer than announced


def test_absurd_fps_is_replaced_and_flagged(clips):
    meta = read_meta(clips["absurd_fps"])
    assert meta.fps_source == "assumed" and meta.fps == ASSUMED_FPS
    ts = [f.t_s for f in iter_frames(clips["absurd_fps"], meta)]
    assert len(ts) == 50
    np.testing.assert_allclose(np.diff(ts), 1 / ASSUMED_FPS, atol=1e-6)


def test_nan_and_zero_fps_from_the_backend_are_recovered(clips, monkeypatch):
    real_cls = cv2.VideoCapture

    class Cap:  # wraps a real capture; a header whose rate and frame count are NaN
        def __init__(self, *a):
            self._cap = real_cls(*a)

        def get(self, prop):
            if prop in (cv2.CAP_PROP_FPS, cv2.CAP_PROP_FRAME_COUNT):
                return float("nan")
            return self._cap.get(prop)

        def __getattr__(self, name):
            return getattr(self._cap, name)

    monkeypatch.setattr(cv2, "VideoCapture", Cap)
    meta = read_meta(clips["ok"])
    assert meta.fps_source == "timestamps"
    assert meta.fps == pytest.approx(25.0, rel=0.01)
    assert meta.n_frames >= 1


def test_variable_frame_rate_keeps_real_timestamps(tmp_path):
    rng = np.random.default_rng(3)
    pts = np.concatenate([[0.0], np.cumsum(rng.uniform(0.02, 0.06, 59))])
    p = ck.write_clip(tmp_path / "vfr.mp4", _pattern(160, 120, 60), 30, pts_s=list(pts))
    meta = read_meta(p)
    ts = np.array([f.t_s for f in iter_frames(p, meta)])
    assert len(ts) == 60
    assert np.all(np.diff(ts) > 0)
    np.testing.assert_allclose(ts, pts, atol=0.002)


@pytest.mark.parametrize("rotation", [-90, 90, 180])
def test_rotation_metadata_gives_upright_frames(tmp_path, rotation):
    """A portrait image with a red band at the top, stored the way a camera stores it
    (sensor orientation + display matrix): the reader returns it upright."""
    up = np.full((160, 96, 3), 200, np.uint8)
    up[:20] = (255, 0, 0)  # RGB red band at the top
    # Stored frame = upright image rotated against the display rotation (counter-clockwise degrees).
    k = {-90: 1, 90: -1, 180: 2}[rotation]
    stored = np.ascontiguousarray(np.rot90(up, k))
    p = ck.write_clip(tmp_path / f"rot{rotation}.mp4", [stored] * 5, 25, rotation_deg=rotation)
    meta = read_meta(p)
    assert (meta.width_px, meta.height_px) == (96, 160)
    f = next(iter(iter_frames(p, meta))).bgr
    assert f.shape[:2] == (160, 96)
    top, bottom = f[:15].mean(axis=(0, 1)), f[-15:].mean(axis=(0, 1))
    assert top[2] > 200 and top[1] < 80  # BGR: red on top
    assert bottom[1] > 150  # grey at the bottom


@pytest.mark.parametrize("size", [(3840, 2160), (160, 120)])
def test_4k_and_tiny_resolutions(tmp_path, size):
    w, h = size
    p = ck.write_clip(tmp_path / f"{w}x{h}.mp4", _pattern(w, h, 6), 25)
    meta = read_meta(p)
    assert (meta.width_px, meta.height_px) == (w, h)
    frames = list(iter_frames(p, meta))
    assert len(frames) == 6 and frames[0].bgr.shape == (h, w, 3)


@pytest.mark.parametrize(
    "name",
    ["Sprung über das Seil 跳绳.mp4", "a;b&c|d$(id)`x`.mp4", "-rf --out=..mp4", "new\nline.mp4", "' \" *?.mp4"],
)
def test_unicode_and_shell_character_names_read(clips, tmp_path, name):
    p = tmp_path / name
    p.write_bytes(clips["ok"].read_bytes())
    meta = read_meta(p)
    assert meta.name == name and len(list(iter_frames(p, meta))) == 50


def test_real_portrait_clip_reads_upright():
    p = real_clip(SIDE)
    meta = read_meta(p)
    assert meta.height_px > meta.width_px and meta.fps == pytest.approx(25.0)
    assert meta.fps_source == "container"


def test_write_clip_time_base_is_respected(tmp_path):
    p = ck.write_clip(tmp_path / "tb.mp4", _pattern(64, 48, 10), 25, time_base=Fraction(1, 12800))
    assert read_meta(p).fps == pytest.approx(25.0)
