"""Frames where the pose model kept the body's shape (rigid trunk segments at their running
lengths), on made-up motion with frames where the body is lost."""

from __future__ import annotations

import numpy as np

from analysis.measure.coherence import coherent_frames
from analysis.pose.landmarks import Landmark as L
from tests.fixtures.motion import make_motion


def test_a_steady_body_is_coherent_throughout():
    pose = make_motion(n_jumps=8, noise_px=1.5).pose
    assert coherent_frames(pose.xy_px, pose.fps).all()


def test_frames_where_the_shoulders_collapse_or_jump_away_are_flagged_alone():
    pose = make_motion(n_jumps=8).pose
    xy = pose.xy_px.copy()
    xy[100:104, L.RIGHT_SHOULDER] = xy[100:104, L.LEFT_SHOULDER]  # width collapses
    xy[200, L.LEFT_HIP] += (0.0, 120.0)  # a hip read far below, for one frame
    ok = coherent_frames(xy, pose.fps)
    assert not ok[100:104].any() and not ok[200]
    flagged = np.flatnonzero(~ok)
    assert set(flagged) == {100, 101, 102, 103, 200}


def test_missing_landmarks_and_empty_series():
    pose = make_motion(n_jumps=4).pose
    xy = pose.xy_px.copy()
    xy[10:20] = np.nan
    ok = coherent_frames(xy, pose.fps)
    assert not ok[10:20].any() and ok[:10].all()
    assert coherent_frames(np.full((30, 33, 2), np.nan), 30.0).sum() == 0
    assert coherent_frames(np.zeros((0, 33, 2)), 30.0).shape == (0,)
