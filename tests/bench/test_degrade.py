"""bench/degrade.py: the degraded copies of a clip (frame rate, crop, darkness, slow motion,
made once and reused) and the table that judges them."""

from __future__ import annotations

import cv2
import numpy as np

from bench.degrade import DARK_GAIN, DARK_LIFT, KNEE_MARGIN, KINDS, SLOW_FACTOR, _write, make_copies, render


def _clip(path, n: int = 60, fps: float = 30.0):
    """A 160x120 clip whose frame i is filled with grey level 4 i (+ a white top row)."""
    frames = []
    for i in range(n):
        f = np.full((120, 160, 3), 4 * i, np.uint8)
        f[0] = 255
        frames.append(f)
    _write(path, frames, fps)
    return path


def _read(path):
    cap = cv2.VideoCapture(str(path))
    fps, frames = cap.get(cv2.CAP_PROP_FPS), []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    return frames, fps


def test_each_copy_is_what_its_name_says_and_is_made_once(tmp_path):
    src = _clip(tmp_path / "clip.mp4")
    grey = [float(np.median(f[10:])) for f in _read(src)[0]]  # as decoded (the encoder moves levels a little)
    copies = make_copies(src, knee_y_px=80.0, cache=tmp_path / "cache", kinds=KINDS)
    assert set(copies) == set(KINDS) and all(p.is_file() for p in copies.values())

    ten, fps = _read(copies["10fps_kneecut"])
    assert fps == 10.0 and len(ten) == 20  # 2 s of clip at 10 frames a second
    assert ten[0].shape[0] == int(80 + KNEE_MARGIN * 120) // 2 * 2  # cut below the knee line
    # The frames nearest each tenth of a second: frames 0, 3, 6, ... of the original.
    assert [abs(float(np.median(f[10:])) - grey[3 * i]) <= 4 for i, f in enumerate(ten)] == [True] * 20

    twelve, fps = _read(copies["12fps"])
    assert fps == 12.0 and len(twelve) == 24

    dark, _ = _read(copies["dark_haze"])
    assert len(dark) == 60
    want = grey[40] * DARK_GAIN + DARK_LIFT  # frame 40's grey level, dimmed and lifted
    assert abs(float(np.median(dark[40][10:])) - want) <= 4 and want < 0.7 * grey[40]  # darker by 30 % or more

    slow, fps = _read(copies["slow4x"])
    assert fps == 30.0 / SLOW_FACTOR and len(slow) == 60  # every frame, played 4x slower

    stamp = {k: p.stat().st_mtime_ns for k, p in copies.items()}
    again = make_copies(src, knee_y_px=80.0, cache=tmp_path / "cache", kinds=KINDS)
    assert {k: p.stat().st_mtime_ns for k, p in again.items()} == stamp  # reused, not made again


def test_the_table_counts_what_held_per_copy():
    rows = [
        {"clip": "a.mp4", "kind": "original", "count": 20, "hand_count": 20, "tolerance": 1, "within": True,
         "factor": 1.0, "source": "real time", "called_slow": False},
        {"clip": "a.mp4", "kind": "slow4x", "count": 18, "hand_count": 20, "tolerance": 1, "within": False,
         "factor": 4.3, "source": "estimated", "factor_ok": True},
        {"clip": "b.mp4", "kind": "slow4x", "count": 9, "hand_count": 9, "tolerance": 1, "within": True,
         "factor": 5.0, "source": "estimated", "factor_ok": False},
    ]
    text = render(rows)
    assert "| original | 1 | 1 of 1 | called slow motion: 0 of 1 |" in text
    assert "| slow4x | 2 | 1 of 2 | within 15% of 4: 1 of 2 |" in text
    assert "| a.mp4 | slow4x | 18 (off) | 20 +-1 | x4.30 estimated |" in text
