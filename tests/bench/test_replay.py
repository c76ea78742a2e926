"""bench/replay.py: seeds, a replay of a made-up cached pose stage with a known answer, the
summary and the comparison of two runs."""

from __future__ import annotations

import io
import json
import pickle

import pytest

from analysis.pipeline import PoseStage
from analysis.pose.landmarks import Landmark as L
from analysis.types import VideoMeta
from bench.replay import compare, main, parse_seeds, replay, summarise
from tests.fixtures.motion import make_motion

HANDS = tuple(L[f"{side}_{part}"] for side in ("LEFT", "RIGHT") for part in ("WRIST", "PINKY", "INDEX", "THUMB"))


def test_seeds_are_ranges_and_single_numbers():
    assert parse_seeds("1000-1003,1010") == [1000, 1001, 1002, 1003, 1010]
    with pytest.raises(ValueError, match="1000-1159"):
        parse_seeds("a-b")
    with pytest.raises(ValueError, match="low-high"):
        parse_seeds("5-3")


def _cache(tmp_path, seed: int, **motion):
    """A cache holding one made-up clip's pose stage and its truth (12 two-foot jumps)."""
    m = make_motion(n_jumps=12, fps=30.0, seed=1, **motion)
    p = m.pose
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    stage = PoseStage(p, meta, pose_model="made up", quality_samples=((120.0, 300.0),) * 4, other_person=(6, 0))
    for sub in ("pose", "truth"):
        (tmp_path / sub).mkdir(exist_ok=True)
    (tmp_path / "pose" / f"{seed}.pkl").write_bytes(pickle.dumps(stage))
    jumps = [
        {"takeoff_s": a, "landing_s": b, "height_cm": h, "foot": "both", "landing_frame": int(b * 30)}
        for a, b, h in zip(m.takeoff_s, m.landing_s, m.heights_cm)
    ]
    truth = {"jumps": jumps, "standing_height_cm": 170.0, "fps": 30.0, "n_frames": len(p), "rules": {}}
    labels = {"movement": "two_foot", "view_bin": "front", "fps": 30.0, "tags": []}
    (tmp_path / "truth" / f"{seed}.json").write_text(json.dumps({"truth": truth, "labels": labels}))


def test_a_cached_stage_is_analysed_again_and_scored(tmp_path):
    _cache(tmp_path, 7)
    (row,) = replay([7, 8], tmp_path, workers=1, rope_turning=False)  # 8 is not cached: left out
    assert row["seed"] == 7 and row["scores"]["count_true"] == 12 and row["scores"]["count_exact"]
    s = summarise([row])
    assert (s["skipping"], s["exact"], s["mae"], s["counted_zero"]) == (1, 1, 0.0, 0)


def test_the_users_word_is_replayed_on_request(tmp_path):
    """Hands hidden: the clip cannot confirm the rope (0 counted); with --rope-turning, 12."""
    _cache(tmp_path, 9, hide=HANDS)
    (plain,) = replay([9], tmp_path, workers=1, rope_turning=False)
    (stated,) = replay([9], tmp_path, workers=1, rope_turning=True)
    assert plain["scores"]["count_pred"] == 0 and stated["scores"]["count_pred"] == 12
    out = io.StringIO()
    moved = compare([plain], [stated], out=out)
    assert moved["closer"] == [9] and "9 0 -> 12 of 12" in out.getvalue()


def test_run_without_a_cache_says_how_to_make_one(tmp_path, capsys):
    assert main(["run", "--dir", str(tmp_path)]) == 2
    assert "bench.replay cache" in capsys.readouterr().err
