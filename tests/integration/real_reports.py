"""Reports of the shared real clips, analysed once per test session and shared by the
integration tests that need them (real pose takes minutes over all the clips)."""

from __future__ import annotations

from analysis.config import AnalysisConfig
from analysis.pipeline import analyze_video
from analysis.report import Report
from tests.conftest import require_shared_videos

_CACHE: dict[tuple[str, int], Report] = {}


def single_process(name: str) -> Report:
    """The clip analysed with its pose in this process (one tracker over the whole clip)."""
    key = (name, 1)
    if key not in _CACHE:
        _CACHE[key] = analyze_video(require_shared_videos() / name, AnalysisConfig(), workers=1)
    return _CACHE[key]
