"""The randomised suite's draw: deterministic, valid, inside the frame budget."""

from __future__ import annotations

import pytest

from synthetic.capture import view_bin
from synthetic.params import JumpParams
from synthetic.randomise import (
    DEV_SEEDS,
    MAX_FRAMES,
    MAX_FRAMES_1080,
    REPORT_SEED_START,
    SMALL_RESOLUTION_P,
    SMALL_SLOWMO_FRAMES,
    TARGET_MEAN_FRAMES,
    draw_clip,
    fps_band,
    mean_frames,
)

SEEDS = range(DEV_SEEDS.start, DEV_SEEDS.start + 60)


def test_same_seed_same_clip() -> None:
    a, la = draw_clip(1234)
    b, lb = draw_clip(1234)
    assert a.to_dict() == b.to_dict() and la == lb
    assert draw_clip(1235)[0].to_dict() != a.to_dict()


@pytest.mark.parametrize("small", [False, True])
def test_draws_are_valid_and_inside_the_budget(small: bool) -> None:
    for seed in SEEDS:
        p, lab = draw_clip(seed, small=small)
        assert isinstance(p, JumpParams)
        assert lab["frames"] <= MAX_FRAMES and lab["frames"] <= lab["frame_budget"]
        if p.resolution_p == 1080:
            assert lab["frames"] <= MAX_FRAMES_1080
        if small:
            assert p.resolution_p <= SMALL_RESOLUTION_P and lab["frames"] <= SMALL_SLOWMO_FRAMES
        assert lab["view_bin"] == view_bin(p.camera_yaw_deg) and lab["fps_band"] == fps_band(p.fps)
        assert lab["seed_range"] == "dev"


def test_the_draw_covers_the_conditions() -> None:
    labels = [draw_clip(s)[1] for s in range(DEV_SEEDS.start, DEV_SEEDS.start + 200)]
    views = {lab["view_bin"] for lab in labels}
    assert views == {"front", "oblique", "side", "back_oblique", "back"}
    assert {lab["fps_band"] for lab in labels} == {"10-15", "24-30", "50-60", "120-240"}
    tags = {t for lab in labels for t in lab["tags"]}
    for tag in ("dark", "backlit", "haze", "low_res", "shake", "pan", "portrait", "second_person", "child",
                "feet_cut", "below_knee_cut", "head_cut", "clothes_like_background", "outdoor", "cluttered"):
        assert tag in tags, tag
    assert {lab["resolution_p"] for lab in labels} == {240, 360, 480, 540, 720, 1080}


def test_seed_ranges_do_not_overlap() -> None:
    assert DEV_SEEDS.stop <= REPORT_SEED_START
    assert draw_clip(REPORT_SEED_START)[1]["seed_range"] == "report"
    assert draw_clip(5)[1]["seed_range"] == "other"
    with pytest.raises(ValueError, match="non-negative"):
        draw_clip(-1)


def test_mean_frame_budget_is_the_documented_one() -> None:
    m = mean_frames()
    assert abs(m["mean_budget_frames"] - TARGET_MEAN_FRAMES) <= 0.2 * TARGET_MEAN_FRAMES
    assert m["max_frames"] <= MAX_FRAMES and m["max_s"] <= 90.5
