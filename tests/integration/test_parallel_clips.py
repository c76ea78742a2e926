"""Acceptance: counts and verdicts are the same whether a clip's pose runs in one process
(one tracker over the whole clip) or is shared among processes (segments with fresh,
warmed-up trackers), on every shared real clip.

Clips the plan would not cut (shorter than two segments) are cut in two here, so that every
clip goes through the shared path with at least one seam. Compared: the jump count, every
jump's take-off frame (within one frame), every rule's verdict over the clip and on every
jump, the top things to work on, and which notices the report gives. The one-process
reports are shared with ``test_real_clips.py`` within a test session.
"""

from __future__ import annotations

import pytest

from analysis.config import AnalysisConfig
from analysis.pipeline import analyze_video
from analysis.pose import parallel, stage
from tests.conftest import manifest_clips, require_shared_videos
from tests.integration.real_reports import single_process

pytestmark = pytest.mark.slow

CLIPS = [c["file"] for c in manifest_clips()]


def _behaviour(report) -> dict:
    return {
        "jumps": report.jumps.count,
        "rules": {r.id: (str(r.status), [str(v) for v in r.jump_verdicts]) for r in report.rules.rules},
        "priorities": [p["rule"] for p in report.rules.priorities],
        "notices": sorted(str(n.kind) for n in report.notices),
    }


@pytest.mark.parametrize("name", CLIPS or [None], ids=[c[:40] for c in CLIPS] or ["no-manifest"])
def test_shared_pose_gives_the_counts_and_verdicts_of_one_process(name, monkeypatch):
    root = require_shared_videos()
    if name is None:
        pytest.fail("manifest.json lists no clips")
    one = single_process(name)
    production = stage.segment_count
    monkeypatch.setattr(stage, "segment_count", lambda n: max(2, production(n)))  # at least one seam
    shared = analyze_video(root / name, AnalysisConfig(), workers=2)
    assert parallel.LAST_STATS["processes"] == 2 and parallel.LAST_STATS["segments"] >= 2
    assert len(shared.t_s) == len(one.t_s)
    a, b = _behaviour(one), _behaviour(shared)
    diffs = [f"{k}: one process {a[k]!r:.300} / shared {b[k]!r:.300}" for k in a if a[k] != b[k]]
    ta = [j.takeoff_frame for j in one.jumps.jumps]
    tb = [j.takeoff_frame for j in shared.jumps.jumps]
    if len(ta) == len(tb) and any(abs(x - y) > 1 for x, y in zip(ta, tb)):
        diffs.append(f"take-off frames more than one frame apart: {ta} / {tb}")
    assert not diffs, f"{name}:\n" + "\n".join(diffs)
