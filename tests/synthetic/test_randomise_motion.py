"""The motion draw of the randomised suite: valid, within the frame budget, deterministic,
every kind, style, movement and slow-motion factor reachable, faults on both sides."""

from __future__ import annotations

import collections

import numpy as np
import pytest

from synthetic.clip import build_scene
from synthetic.params import MOVEMENTS, JumpParams
from synthetic.randomise_motion import (
    KIND_SHARES,
    SLOWMO_SHARES,
    STYLE_SHARES,
    draw_kind,
    draw_motion,
    n_video_frames,
)


@pytest.mark.parametrize("fps,max_frames", [(30.0, 360), (60.0, 1200), (24.0, 150), (120.0, 600), (10.0, 300),
                                            (240.0, 1200)])
def test_draws_are_valid_params_within_the_frame_budget(fps: float, max_frames: int) -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        d = draw_motion(rng, fps=fps, max_frames=max_frames)
        p = JumpParams.from_dict({**d, "fps": 30.0})  # (the capture side owns the fps check)
        assert n_video_frames(d, fps) <= max_frames
        assert 120.0 <= p.standing_height_cm <= 200.0
        assert (p.total_duration_s * fps * p.slowmo_factor) <= max_frames


def test_same_seed_same_draw() -> None:
    a = [draw_motion(np.random.default_rng(3), fps=30.0, max_frames=400) for _ in range(2)]
    assert a[0] == a[1]
    assert draw_motion(np.random.default_rng(4), fps=30.0, max_frames=400) != a[0]


def test_a_budget_too_small_says_so() -> None:
    with pytest.raises(ValueError, match="budget"):
        draw_motion(np.random.default_rng(0), fps=30.0, max_frames=5, kind="skipping")
    with pytest.raises(ValueError, match="kind must be"):
        draw_motion(np.random.default_rng(0), fps=30.0, max_frames=300, kind="dance")


def test_shares_of_kinds_styles_movements_and_slow_motion() -> None:
    rng = np.random.default_rng(11)
    kinds = collections.Counter(draw_kind(rng) for _ in range(2000))
    for k, share in KIND_SHARES.items():
        assert kinds[k] / 2000 == pytest.approx(share, abs=0.03)
    styles, moves, factors = collections.Counter(), collections.Counter(), collections.Counter()
    for i in range(400):
        d = draw_motion(rng, fps=30.0, max_frames=int(rng.integers(300, 1200)))
        p = JumpParams.from_dict({**d, "fps": 30.0})
        moves[p.movement] += 1
        if p.has_rope:
            styles.update(pl[0] for pl in p.jump_plan()[:1])
            styles["mixed"] += p.style_label == "mixed"
            factors[p.slowmo_factor] += 1
    assert set(styles) >= set(STYLE_SHARES) | {"mixed"}
    assert set(moves) == set(MOVEMENTS)
    assert set(factors) == {1.0} | set(SLOWMO_SHARES)


def test_fault_strengths_straddle_the_thresholds() -> None:
    """Over a few dozen clips every drawable rule is seen faulty and clean, some borderline."""
    rng = np.random.default_rng(5)
    seen = collections.defaultdict(set)
    for i in range(45):
        d = draw_motion(rng, fps=24.0, max_frames=150, kind="skipping")
        sc = build_scene(JumpParams.from_dict({**d, "fps": 24.0, "resolution_p": 240, "audio": False}), i)
        for rule, r in sc.truth["rules"].items():
            if r["applies"]:
                seen[rule].add("fault" if r["fault"] else "clean")
                if r["borderline"]:
                    seen[rule].add("borderline")
    for rule, kinds in seen.items():
        assert {"fault", "clean"} <= kinds, (rule, kinds)
    assert sum("borderline" in k for k in seen.values()) >= 6
