"""The motion draw of the randomised suite: valid, within the frame budget, deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from synthetic.params import JumpParams
from synthetic.randomise_motion import draw_motion, n_video_frames


@pytest.mark.parametrize("fps,max_frames", [(30.0, 360), (60.0, 1200), (24.0, 150), (120.0, 400)])
def test_draws_are_valid_params_within_the_frame_budget(fps: float, max_frames: int) -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        d = draw_motion(rng, fps=fps, max_frames=max_frames)
        JumpParams.from_dict({**d, "fps": fps})
        assert n_video_frames(d, fps) <= max_frames
        assert 120.0 <= d["standing_height_cm"] <= 200.0


def test_same_seed_same_draw() -> None:
    a = [draw_motion(np.random.default_rng(3), fps=30.0, max_frames=400) for _ in range(2)]
    assert a[0] == a[1]
    assert draw_motion(np.random.default_rng(4), fps=30.0, max_frames=400) != a[0]


def test_a_budget_too_small_for_one_jump_says_so() -> None:
    with pytest.raises(ValueError, match="budget"):
        draw_motion(np.random.default_rng(0), fps=30.0, max_frames=5)
