"""bench.error_split: a rule's per-jump error split into the clip's shared part and each jump's."""

import numpy as np
import pytest

from bench.error_split import main, split


def _rows(shared_sd: float, per_jump_sd: float, clips: int = 400, jumps: int = 12, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(clips):
        offset = rng.normal(0.5, shared_sd)  # a bias of 0.5 plus the clip's own
        rows += [("r", c, float(offset + rng.normal(0.0, per_jump_sd)), 2.0) for _ in range(jumps)]
    return rows


@pytest.mark.parametrize(("shared", "alone"), [(3.0, 1.0), (1.0, 3.0), (0.0, 2.0)])
def test_the_two_parts_are_recovered(shared, alone):
    (row,) = split(_rows(shared, alone), min_jumps=3)
    assert row["clips"] == 400 and row["jumps_per_clip"] == 12
    assert row["bias"] == pytest.approx(0.5, abs=0.35)
    assert row["per_jump_sd"] == pytest.approx(alone, rel=0.05)
    assert row["shared_sd"] == pytest.approx(shared, abs=0.2)
    assert row["rule_sigma"] == 2.0


def test_clips_with_too_few_jumps_and_rules_with_too_few_clips_are_left_out():
    rows = _rows(1.0, 1.0, clips=4, jumps=5) + [("r", 99, 0.0, 1.0), ("r", 99, 1.0, 1.0)]
    assert split(rows, min_jumps=3) == []  # four clips of five jumps, and one of two
    fifth = [("r", 50, float(e), 1.0) for e in (0.0, 1.0, -1.0, 0.5, 0.2)]
    assert len(split(rows + fifth, min_jumps=3)) == 1


def test_reporting_seeds_are_refused(capsys):
    assert main(["--dir", "/nonexistent", "--seeds", "100000-100002"]) == 2
    assert "reporting seeds" in capsys.readouterr().err
