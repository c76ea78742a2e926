"""bench/feet_edge.py: the margin at the frame's edge read from a made-up cache whose answer is
known (feet the frame cut off, read just inside it; feet well inside)."""

from __future__ import annotations

import dataclasses
import json
import pickle

import numpy as np

from analysis.pipeline import PoseStage
from analysis.pose.landmarks import Landmark as L
from analysis.types import VideoMeta
from bench.feet_edge import NOSE_TO_ANKLES_FRAC, chosen_margin, confusion, main, readings
from tests.fixtures.motion import make_motion

FEET = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]


def _clip(cache, seed: int, read_inside_frac: float, cut: bool) -> None:
    """One made-up clip: the model reads the feet ``read_inside_frac`` of stature above the
    bottom edge at their lowest; where ``cut``, the drawn feet all lie below the edge."""
    m = make_motion(n_jumps=4, fps=30.0, jump_height_m=0.005)
    p = m.pose
    drawn = p.xy_px.copy()
    stature = float(np.median(np.nanmax(drawn[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE], 1], axis=1) - drawn[:, L.NOSE, 1]))
    stature /= NOSE_TO_ANKLES_FRAC
    bottom = int(np.ceil(np.nanmax(p.xy_px[:, FEET, 1]) + read_inside_frac * stature))
    if cut:
        drawn[:, FEET, 1] += bottom + 1.0 - np.nanmin(drawn[:, FEET, 1])
    p = dataclasses.replace(p, frame_size_px=(p.frame_size_px[0], bottom))
    meta = VideoMeta("made_up.mp4", *p.frame_size_px, p.fps, len(p), float(p.t_s[-1]))
    for sub in ("pose", "truth"):
        (cache / sub).mkdir(exist_ok=True)
    (cache / "pose" / f"{seed}.pkl").write_bytes(pickle.dumps(PoseStage(p, meta)))
    truth = {"truth": {"frames": {"landmarks_px": drawn.tolist()}}}
    (cache / "truth" / f"{seed}.json").write_text(json.dumps(truth))


def test_feet_cut_off_and_read_inside_the_edge_set_the_margin(tmp_path, capsys):
    _clip(tmp_path, 1, read_inside_frac=0.012, cut=True)  # cut off, read just inside
    _clip(tmp_path, 2, read_inside_frac=0.20, cut=False)  # well inside
    cut, whole = readings(tmp_path, {1}), readings(tmp_path, {2})
    assert len(cut) and len(whole)
    assert (cut[:, 1] == 0).all() and (whole[:, 1] == 1).all()
    assert cut[:, 0].max() < 0.1 < whole[:, 0].min()
    table = confusion(tmp_path, None)
    n_cut, seen_cut, n_view, lost_view = table[0.0]
    assert n_cut == len(readings(tmp_path, {1})) // 4 and seen_cut == n_cut  # at the edge itself: all taken
    assert table[0.01][1] == n_cut and table[0.015][1] == 0  # the floor 1.2 % of stature in
    assert all(table[m][3] == 0 for m in table)  # the clip in view keeps its feet at every margin
    assert chosen_margin(table) == 0.015
    assert main(["--dir", str(tmp_path)]) == 0
    assert "cut-off frames as seen): 0.015 of stature" in capsys.readouterr().out


def test_the_margin_is_the_smallest_that_takes_under_one_cut_off_frame_in_a_thousand_as_seen():
    table = {0.0: (5000, 900, 50, 0), 0.005: (5000, 6, 50, 1), 0.01: (5000, 4, 50, 2), 0.02: (5000, 0, 50, 4)}
    assert chosen_margin(table) == 0.01
    assert np.isnan(chosen_margin({0.0: (10, 9, 50, 0), 0.01: (10, 1, 50, 2)}))


def test_a_folder_that_is_not_a_cache_is_refused_with_a_message(tmp_path, capsys):
    assert main(["--dir", str(tmp_path)]) == 2
    assert "expected a bench.replay cache" in capsys.readouterr().err
