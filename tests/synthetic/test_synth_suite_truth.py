"""Truth invariants over every suite clip (truth only; no frames are drawn)."""

from __future__ import annotations

import numpy as np
import pytest

from synthetic.clip import build_scene
from synthetic.suite import FULL, QUICK, SuiteClip


def _check(clip: SuiteClip) -> None:
    sc = build_scene(clip.params(), clip.seed)
    t = sc.truth
    fr = t["frames"]
    n = t["n_frames"]
    assert sorted(f["rule"] for f in t["faults"]) == sorted(clip.expected_faults)
    phase = np.array(fr["phase"]) == "flight"
    left, right = np.array(fr["left_foot_clearance_cm"]), np.array(fr["right_foot_clearance_cm"])
    air = np.maximum(left, right) if t["style"] == "alternate" else np.minimum(left, right)
    assert np.array_equal(phase, air > 0)
    assert np.allclose(fr["foot_clearance_cm"], np.minimum(left, right))
    last = -1
    for j in t["jumps"]:
        assert last < j["takeoff_frame"] < j["landing_frame"] < n
        assert np.all(phase[j["takeoff_frame"]:j["landing_frame"]]) and not phase[j["landing_frame"]]
        assert not phase[j["takeoff_frame"] - 1]
        assert j["takeoff_frame"] - 1 < j["takeoff_s"] * t["fps"] <= j["takeoff_frame"]
        last = j["landing_frame"]
    lm = np.array(fr["landmarks_px"])
    assert lm.shape == (n, 33, 2)
    inside = (lm[..., 0] >= 0) & (lm[..., 0] < t["width"]) & (lm[..., 1] >= 0) & (lm[..., 1] < t["height"])
    assert inside.all(), f"{clip.name}: landmarks leave the frame"


@pytest.mark.parametrize("clip", QUICK, ids=lambda c: c.name)
def test_quick_suite_truth_invariants(clip: SuiteClip) -> None:
    _check(clip)


@pytest.mark.slow
@pytest.mark.parametrize("clip", FULL, ids=lambda c: c.name)
def test_full_suite_truth_invariants(clip: SuiteClip) -> None:
    _check(clip)
