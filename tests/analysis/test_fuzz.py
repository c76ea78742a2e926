"""A short seeded fuzz run: mutated real clips through the command line in a subprocess;
every case ends in time with a result or one clear error line (no traceback, crash or hang).
The long run is ``python -m bench.fuzz --cases N`` (figures in bench/RESULTS.md)."""

from __future__ import annotations

import pytest

from bench import fuzz

from .robust_support import real_clip


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_seeded_fuzz_run_has_no_crash_or_hang():
    for name in fuzz.SOURCE_CLIPS:
        real_clip(name)
    cases = fuzz.fuzz(10, seed=12345, timeout_s=60.0)
    bad = [f"{c.mutation} ({c.detail}): {c.outcome} {c.message}" for c in cases if c.outcome not in ("result", "clear_error")]
    assert not bad, "\n".join(bad)
    assert len(cases) == 10
    for c in cases:
        if c.outcome == "clear_error":
            assert c.message and "Traceback" not in c.message


def test_mutations_change_the_bytes():
    import random

    data = bytes(range(256)) * 400
    for kind in fuzz.MUTATIONS:
        if kind in ("bitflip_header", "box_size"):
            continue  # need MP4 boxes
        out, detail = fuzz.mutate(data, data[::-1], kind, random.Random(1))
        assert out != data and detail
