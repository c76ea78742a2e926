"""Reports of the shared real clips, analysed once per test session and shared by the
integration tests that need them (real pose takes minutes over all the clips)."""

from __future__ import annotations

from analysis.config import AnalysisConfig
from analysis.pipeline import analyze_video
from analysis.report import Report
from tests.conftest import require_shared_videos

_CACHE: dict[tuple[str, int], Report] = {}


def single_process(name: str) -> Report:
    """The clip analysed as the command line does, its pose in this process (the result is
    the same with any number of processes: ``tests/integration/test_parallel_clips.py``)."""
    key = (name, 1)
    if key not in _CACHE:
        _CACHE[key] = analyze_video(require_shared_videos() / name, AnalysisConfig(), workers=1)
    return _CACHE[key]
