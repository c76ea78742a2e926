"""bench.visibility: the wrists' error and hidden share by visibility, and the floor that follows."""

import numpy as np

from bench.visibility import main, table


def _frames(bands: dict[float, tuple[float, float]], n: int = 2000, seed: int = 0):
    """Wrist frames whose visibility falls in each band's [lo, lo + 0.05), with that band's
    hidden share and error median (errors exponential: median = scale * ln 2)."""
    rng = np.random.default_rng(seed)
    err, vis, hid = [], [], []
    for lo, (hidden, median) in bands.items():
        vis.append(rng.uniform(lo, lo + 0.05, n))
        hid.append(rng.random(n) < hidden)
        err.append(rng.exponential(median / np.log(2), n))
    return np.concatenate(err), np.concatenate(vis), np.concatenate(hid)


def test_the_floor_is_the_lowest_band_that_passes_with_every_band_above_it():
    seen = {0.5: (0.01, 0.016), 0.7: (0.01, 0.015), 0.9: (0.0, 0.016)}
    rows, floor = table(*_frames({0.2: (0.17, 0.028), 0.3: (0.09, 0.021), 0.4: (0.05, 0.019), **seen}))
    assert floor == 0.3
    assert [r["usable"] for r in rows if r["band"][0] < 0.5] == [False, True, True]
    # A band that fails between two that pass stops the floor there: the wrists below it are
    # never reached through it.
    _, floor = table(*_frames({0.2: (0.05, 0.018), 0.3: (0.20, 0.02), 0.4: (0.05, 0.019), **seen}))
    assert floor == 0.4
    # Errors too large for their visibility, however rarely hidden: no floor below 0.5.
    _, floor = table(*_frames({0.4: (0.02, 0.05), **seen}))
    assert floor == 0.5


def test_reporting_seeds_are_refused_and_an_empty_cache_is_said(tmp_path, capsys):
    assert main(["--dir", str(tmp_path), "--seeds", "100000-100002"]) == 2
    assert "reporting seeds" in capsys.readouterr().out
    assert main(["--dir", str(tmp_path), "--seeds", "1000-1002"]) == 2
    assert "no pose stage with truth" in capsys.readouterr().out
