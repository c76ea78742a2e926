"""Jump-rope form analysis: clip -> pose -> jumps -> technique findings -> report.

Public face: :func:`analyze_video`, :class:`AnalysisConfig`, :class:`Report`.
This package never imports Streamlit.
"""

from .config import AnalysisConfig
from .types import AnalysisError

__all__ = ["AnalysisConfig", "AnalysisError", "analyze_video", "Report"]


def __getattr__(name: str):  # lazy: importing the package stays cheap (no MediaPipe)
    if name == "analyze_video":
        from .pipeline import analyze_video  # noqa: PLC0415 - lazy: importing the package stays cheap

        return analyze_video
    if name == "Report":
        from .report import Report  # noqa: PLC0415 - lazy, as above

        return Report
    raise AttributeError(name)
