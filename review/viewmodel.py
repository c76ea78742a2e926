"""The review page's view-model (pure functions, no Streamlit): the tables, chart data
frames and navigation stops that ``app.py`` shows, and the page's limits.

Everything here takes a :class:`~analysis.report.Report` (or plain values) and returns
strings, dicts, lists or pandas DataFrames, so it is tested without a browser.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import MAX_UPLOAD_MB, THRESHOLDS, AnalysisConfig
from analysis.io.tables import table_bytes
from analysis.render.draw import FormAnnotator, short_title
from analysis.report import Report
from analysis.types import Verdict

__all__ = ["MAX_UPLOAD_MB"]  # the page states the one upload limit (analysis.config)

#: The page analyses the first minutes of a clip (the command line goes to
#: ``config.MAX_CLIP_MINUTES``): a page visitor waits for the result.
MAX_MINUTES = 5.0
UPLOAD_TYPES = ("mp4", "mov", "m4v", "avi", "webm")
DEFAULT_HEIGHT_CM = 170

CAUTIONS = (
    "Not medical advice: this is feedback on technique from a video.",
    "Start gently: short rounds with rests, and build up over weeks.",
    "If it hurts, stop and check your form; see a health professional if pain is severe or persists.",
)

VERDICT_LABEL = {Verdict.PASS: "ok", Verdict.FAULT: "fault", Verdict.NA: "not assessable", Verdict.NONE: "-"}


# -- inputs ---------------------------------------------------------------------------
def file_digest(data: bytes) -> str:
    """Content hash of an upload (the cache key, with the options)."""
    return hashlib.sha256(data).hexdigest()


def make_config(
    height_cm: float | None = None,
    view: str = "auto",
    style: str = "auto",
    rope: str = "unknown",
    surface: str = "unknown",
    back_pain: bool = False,
    max_minutes: float = MAX_MINUTES,
) -> AnalysisConfig:
    """The analysis options from the page's sidebar (height 0 or None = not given)."""
    h = float(height_cm) if height_cm else None
    return AnalysisConfig(
        standing_height_cm=h,
        view=view,
        style=style,
        rope=rope,
        surface=surface,
        back_pain=bool(back_pain),
        max_minutes=max_minutes,
    )


def list_samples(folder: str | Path) -> list[Path]:
    """Sample clips (``*.mp4``) in ``folder``, sorted by name; empty if the folder is missing."""
    p = Path(folder)
    if not p.is_dir():
        return []
    return sorted(q for q in p.glob("*.mp4") if q.is_file())


def sample_label(path: Path) -> str:
    return path.stem.replace("_", " ")


# -- formatting -----------------------------------------------------------------------
def _f(x: float, fmt: str = "{:.1f}", none: str = "-") -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return none
    return fmt.format(v) if math.isfinite(v) else none


def summary_metrics(report: Report) -> list[dict]:
    """The headline numbers: label, value (text) and a help sentence."""
    s = report.summary()
    n = s["jump_count"]
    out = [
        {"label": "Jumps", "value": str(n), "help": "take-offs while skipping"},
        {
            "label": "Jumps / min",
            "value": _f(s["jumps_per_minute"], "{:.0f}") if n else "-",
            "help": "over the time actually skipping",
        },
        {
            "label": "Active time",
            "value": f"{_f(s['active_time_s'])} s",
            "help": f"{s['breaks']} break{'s' if s['breaks'] != 1 else ''} in the rhythm",
        },
        {"label": "Breaks", "value": str(s["breaks"]), "help": "pauses between runs of skipping"},
        {
            "label": "Jump height",
            "value": f"{_f(s['mean_height_cm'])} ± {_f(s['mean_height_uncertainty_cm'])} cm" if n else "-",
            "help": "mean foot clearance; from flight time: "
            f"{_f(s['mean_height_cm_flight_time'])} ± {_f(s['mean_height_flight_time_uncertainty_cm'])} cm",
        },
        {
            "label": "Flight",
            "value": f"{_f(1000 * s['mean_flight_time_s'], '{:.0f}')} ms" if n else "-",
            "help": "mean time in the air per jump",
        },
        {
            "label": "Contact",
            "value": f"{_f(1000 * s['mean_contact_time_s'], '{:.0f}')} ms" if n else "-",
            "help": "mean ground contact between jumps",
        },
    ]
    rules = report.rules.rules if report.rules is not None else []
    judged = [r for r in rules if r.status in (Verdict.PASS, Verdict.FAULT)]
    out.append(
        {
            "label": "Checks passed",
            "value": f"{sum(r.status == Verdict.PASS for r in judged)} of {len(judged)}" if judged else "-",
            "help": f"technique checks passed on most jumps; {len(rules) - len(judged)} not assessable in this clip",
        }
    )
    return out


def headline(report: Report) -> str:
    """One sentence with the main result: '21 jumps · 127 per minute · 9.9 s of skipping · 1 check to work on'."""
    s = report.summary()
    n = s["jump_count"]
    if not n:
        return "0 jumps: no rope skipping found"
    parts = [
        f"{n} jump{'s' if n != 1 else ''}",
        f"{_f(s['jumps_per_minute'], '{:.0f}')} per minute",
        f"{_f(s['active_time_s'])} s of skipping",
    ]
    k = len(report.rules.priorities) if report.rules is not None else 0
    parts.append(f"{k} thing{'s' if k != 1 else ''} to work on" if k else "no check failing on most jumps")
    return " · ".join(parts)


def rule_scores(report: Report) -> pd.DataFrame:
    """One row per technique rule: area, check, verdict, score (share of jumps passing)."""
    rows = []
    rules = report.rules.rules if report.rules is not None else []
    for r in rules:
        score = None if r.status == Verdict.NA or not np.isfinite(r.pass_share) else round(100 * r.pass_share)
        rows.append(
            {
                "area": r.area,
                "check": r.title,
                "verdict": VERDICT_LABEL.get(r.status, r.status),
                "score %": score,
                "jumps assessed": int(r.n_assessed),
                "detail": r.reason if r.status != Verdict.PASS else "",
                "rule": r.id,
            }
        )
    return pd.DataFrame(rows, columns=["area", "check", "verdict", "score %", "jumps assessed", "detail", "rule"])


def not_assessable(report: Report) -> list[dict]:
    """Checks this clip cannot judge, each with the reason."""
    rules = report.rules.rules if report.rules is not None else []
    return [{"check": r.title, "reason": r.reason} for r in rules if r.status == Verdict.NA]


def priorities(report: Report) -> list[dict]:
    """The (up to) three things to work on: title, advice, share of jumps failing, the
    frame that shows it best and every example frame."""
    if report.rules is None:
        return []
    out = []
    for p in report.rules.priorities[:3]:
        frames = [int(f) for f in p.get("frames", [])]
        out.append(
            {
                "rule": p["rule"],
                "title": p["title"],
                "short": short_title(p["title"]),
                "advice": p["advice"],
                "severity": p.get("severity", ""),
                "fault_pct": round(100 * float(p.get("fault_share", 0.0))),
                "frame": frames[0] if frames else None,
                "frames": frames,
            }
        )
    return out


def quality_notes(report: Report) -> list[str]:
    """Capture-quality warnings, what the view cannot support, and the analysis messages."""
    q = report.quality
    notes = list(q.warnings)
    for what, ok in q.supports.items():
        if ok != "yes":
            notes.append(f"{what.capitalize()}: {ok}.")
    notes += list(report.messages)
    return notes


def sound_note(report: Report) -> str:
    """What the soundtrack says about the count, where it could count landings ('' otherwise)."""
    cc = report.sound.count_comparison if report.sound is not None else None
    if cc is None:
        return ""
    a, v = cc.audio_count, cc.video_count
    if a == v:
        return f"The soundtrack counts the same {a} landings as the video."
    return f"The soundtrack counts {a} landings, the video {v} jumps (see the notes below)."


def session_advice(report: Report) -> list[dict]:
    return list(report.rules.session) if report.rules is not None else []


def timing_note(report: Report) -> str:
    t = report.timings_s or {}
    total = t.get("total")
    if total is None:
        return ""
    return f"Analysed {len(report.t_s)} frames in {total:.1f} s (pose {t.get('pose', float('nan')):.1f} s)."


# -- frame review ---------------------------------------------------------------------
def checks_at_frame(report: Report, frame: int) -> pd.DataFrame:
    """Every check at one frame: value (with unit), threshold, verdict (the verdict of the
    jump whose cycle holds the frame; '-' between jumps)."""
    cols = ["check", "value", "threshold", "verdict"]
    if report.rules is None:
        return pd.DataFrame(columns=cols)
    rows = []
    for r in report.rules.at_frame(int(frame)):
        v = r.get("value")
        val = f"{v:.1f} {r.get('unit', '')}".strip() if v is not None and np.isfinite(v) else "-"
        verdict = VERDICT_LABEL.get(r.get("verdict", ""), r.get("verdict", ""))
        if r.get("verdict") == Verdict.NA and r.get("reason"):
            verdict = f"not assessable: {r['reason']}"
        rows.append({"check": r["title"], "value": val, "threshold": r["threshold"], "verdict": verdict})
    return pd.DataFrame(rows, columns=cols)


def jump_at_frame(report: Report, frame: int) -> int | None:
    """Index of the jump whose cycle holds ``frame`` (None between jumps)."""
    if report.rules is not None:
        for i, (a, b) in enumerate(report.rules.jump_frames):
            if a <= frame < b:
                return i
        return None
    for i, j in enumerate(report.jumps.jumps):
        if j.takeoff_frame <= frame <= j.landing_frame:
            return i
    return None


def jump_stops(report: Report) -> list[int]:
    """Take-off frame of every jump, sorted (the stops of previous/next jump)."""
    return sorted({int(j.takeoff_frame) for j in report.jumps.jumps})


def fault_stops(report: Report) -> list[int]:
    """Frames to step through with previous/next fault: the take-off frame of every jump
    that fails any rule (the fault labels stay on the frames of its whole cycle)."""
    if report.rules is None:
        return []
    stops: set[int] = set()
    fault_jumps: set[int] = set()
    for r in report.rules.rules:
        for i, v in enumerate(r.jump_verdicts):
            if v == Verdict.FAULT:
                fault_jumps.add(i)
    for i in fault_jumps:
        if i < len(report.jumps.jumps):
            stops.add(int(report.jumps.jumps[i].takeoff_frame))
    return sorted(stops)


def step(stops: list[int], current: int, direction: int) -> int | None:
    """The next stop after ``current`` (direction +1) or the previous one before it (-1)."""
    if not stops:
        return None
    if direction > 0:
        k = bisect.bisect_right(stops, current)
        return stops[k] if k < len(stops) else None
    k = bisect.bisect_left(stops, current) - 1
    return stops[k] if k >= 0 else None


def start_frame(report: Report) -> int:
    """Where the review opens: the best frame of the top priority, else the first jump."""
    ps = priorities(report)
    if ps and ps[0]["frame"] is not None:
        return int(ps[0]["frame"])
    js = jump_stops(report)
    return js[0] if js else 0


def person_box(report: Report, width: int, height: int, margin: float = 0.2) -> tuple[int, int, int, int] | None:
    """A steady crop around the jumper over the whole clip, in a ``width`` x ``height``
    frame (the annotated video's size): (x0, y0, x1, y1), padded by ``margin`` of the
    body's height and widened to at least 3:4 so labels fit. None without a pose."""
    xy = np.asarray(report.pose.xy_px, float)
    if not np.isfinite(xy).any():
        return None
    fw, fh = report.pose.frame_size_px
    sx, sy = width / float(fw), height / float(fh)
    x = xy[..., 0][np.isfinite(xy[..., 0])] * sx
    y = xy[..., 1][np.isfinite(xy[..., 1])] * sy
    x0, x1 = np.percentile(x, [0.5, 99.5])
    y0, y1 = np.percentile(y, [0.5, 99.5])
    pad = margin * max(y1 - y0, 1.0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    min_w = 0.75 * (y1 - y0)
    if x1 - x0 < min_w:
        cx = (x0 + x1) / 2
        x0, x1 = cx - min_w / 2, cx + min_w / 2
    x0, y0 = int(max(0, np.floor(x0))), int(max(0, np.floor(y0)))
    x1, y1 = int(min(width, np.ceil(x1))), int(min(height, np.ceil(y1)))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return x0, y0, x1, y1


def zoom(report: Report, frame_bgr: np.ndarray, frame: int) -> np.ndarray:
    """The jumper's steady crop of an annotated frame, with the frame header and the failing
    checks written again inside the crop (they sit at the frame's corners). The frame as
    it is when there is no pose to crop to."""
    h, w = frame_bgr.shape[:2]
    box = person_box(report, w, h)
    if box is None:
        return frame_bgr
    crop = np.ascontiguousarray(frame_bgr[box[1] : box[3], box[0] : box[2]])
    return FormAnnotator(show_skeleton=False, show_angles=False).annotate(crop, report, frame)


def zoom_helps(report: Report, width: int, height: int) -> bool:
    """Whether cropping to the jumper shows them clearly larger (they fill < 60 % of the frame)."""
    box = person_box(report, width, height)
    return box is not None and (box[2] - box[0]) * (box[3] - box[1]) < 0.6 * width * height


def frame_caption(report: Report, frame: int) -> str:
    t = float(report.t_s[frame]) if 0 <= frame < len(report.t_s) else float("nan")
    j = jump_at_frame(report, frame)
    where = f"jump {j + 1} of {report.jumps.count}" if j is not None else "between jumps"
    return f"Frame {frame} of {len(report.t_s) - 1} · {_f(t, '{:.2f}')} s · {where}"


# -- per-jump table -------------------------------------------------------------------
def jump_table(report: Report) -> pd.DataFrame:
    """One row per jump: timing, height, foot, style and the rules it fails."""
    cols = [
        "jump",
        "take-off s",
        "take-off frame",
        "flight ms",
        "contact ms",
        "height cm",
        "height (flight) cm",
        "foot",
        "style",
        "faults",
        "failed checks",
    ]
    fails: dict[int, list[str]] = {}
    if report.rules is not None:
        for r in report.rules.rules:
            for i, v in enumerate(r.jump_verdicts):
                if v == Verdict.FAULT:
                    fails.setdefault(i, []).append(short_title(r.title))
    rows = []
    for i, j in enumerate(report.jumps.jumps):  # rules' per-jump lists are by position
        f = fails.get(i, [])
        rows.append(
            {
                "jump": i + 1,
                "take-off s": round(j.takeoff_s, 2),
                "take-off frame": int(j.takeoff_frame),
                "flight ms": _num(1000 * j.flight_s, 0),
                "contact ms": _num(1000 * j.contact_before_s, 0),
                "height cm": _num(j.height_cm_displacement, 1),
                "height (flight) cm": _num(j.height_cm_flight_time, 1),
                "foot": j.foot,
                "style": j.style.replace("_", " "),
                "faults": len(f),
                "failed checks": ", ".join(f),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _num(x: float, nd: int) -> float | None:
    return round(float(x), nd) if x is not None and np.isfinite(x) else None


# -- timeline -------------------------------------------------------------------------
#: Charts draw at most this many points per series (long clips are thinned evenly; the
#: browser stays quick and a click still lands within a few frames).
MAX_CHART_POINTS = 2500


def _long(report: Report, series: dict[str, str], max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    n = len(report.t_s)
    step = max(1, int(math.ceil(n / max_points)))
    frames = np.arange(0, n, step)
    parts = []
    for name, label in series.items():
        x = report.metrics.get(name)
        if x is None:
            continue
        x = np.asarray(x, float)[frames]
        parts.append(
            pd.DataFrame(
                {
                    "frame": frames,
                    "t_s": np.round(np.asarray(report.t_s)[frames], 4),
                    "series": label,
                    "value": np.where(np.isfinite(x), np.round(x, 2), np.nan),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["frame", "t_s", "series", "value"])
    return pd.concat(parts, ignore_index=True)


def height_series(report: Report, max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    """Long form (frame, t_s, series, value): foot clearance left/right and hip height (cm)."""
    return _long(
        report,
        {
            "foot_clearance_cm_left": "left foot clearance",
            "foot_clearance_cm_right": "right foot clearance",
            "hip_height_cm": "hip height",
        },
        max_points,
    )


def knee_series(report: Report, max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    return _long(report, {"knee_angle_deg_left": "left knee", "knee_angle_deg_right": "right knee"}, max_points)


def arm_series(report: Report, max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    return _long(
        report,
        {
            "elbow_angle_deg_left": "left elbow",
            "elbow_angle_deg_right": "right elbow",
            "upper_arm_abduction_deg_left": "left upper arm from trunk",
            "upper_arm_abduction_deg_right": "right upper arm from trunk",
        },
        max_points,
    )


def threshold_lines() -> dict[str, pd.DataFrame]:
    """Rule lines drawn on the angle charts (value, label)."""
    return {
        "knee": pd.DataFrame([{"value": THRESHOLDS.knee_locked_deg.value, "label": "locked knee at touchdown (rule)"}]),
        "arm": pd.DataFrame(
            [{"value": THRESHOLDS.upper_arm_abduction_max_deg.value, "label": "upper arm from trunk limit (rule)"}]
        ),
    }


def event_marks(report: Report) -> pd.DataFrame:
    """Take-off and landing of every jump: frame, t_s, event, jump (1-based)."""
    rows = []
    n = len(report.t_s)
    for i, j in enumerate(report.jumps.jumps):
        for ev, fr, t in (("take-off", j.takeoff_frame, j.takeoff_s), ("landing", j.landing_frame, j.landing_s)):
            rows.append({"frame": int(min(fr, n - 1)), "t_s": round(float(t), 4), "event": ev, "jump": i + 1})
    return pd.DataFrame(rows, columns=["frame", "t_s", "event", "jump"])


def fault_bands(report: Report) -> pd.DataFrame:
    """Stretches of frames where one rule fails: rule, check, start/end frame and seconds."""
    cols = ["rule", "check", "start_frame", "end_frame", "start_s", "end_s"]
    if report.rules is None or len(report.t_s) == 0:
        return pd.DataFrame(columns=cols)
    t = report.t_s
    rows = []
    for r in report.rules.rules:
        if r.status == Verdict.NA:
            continue
        v = np.array([x == Verdict.FAULT for x in report.rules.frame_verdicts(r.id)], bool)
        if not v.any():
            continue
        d = np.diff(np.concatenate([[0], v.astype(int), [0]]))
        for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)):
            end = min(b, len(t) - 1)
            rows.append(
                {
                    "rule": r.id,
                    "check": short_title(r.title),
                    "start_frame": int(a),
                    "end_frame": int(b - 1),
                    "start_s": round(float(t[a]), 4),
                    "end_s": round(float(t[end]), 4),
                }
            )
    return pd.DataFrame(rows, columns=cols)


# -- downloads --------------------------------------------------------------------------
def csv_bytes(table: tuple[list[str], list[list[Any]]]) -> bytes:
    """A (names, rows) table as CSV bytes for a download (``analysis.io.tables``)."""
    return table_bytes(*table)


def selected_frame_from_chart(selection) -> int | None:
    """The frame of a point picked on an altair chart (``st.altair_chart`` selection state)."""
    try:
        sel = selection.get("selection", {}) if isinstance(selection, dict) else selection.selection
    except AttributeError:
        return None
    if not sel:
        return None
    for value in dict(sel).values():
        pts = value if isinstance(value, list) else [value]
        for p in pts:
            if isinstance(p, dict) and p.get("frame") is not None:
                try:
                    return int(p["frame"])
                except (TypeError, ValueError):
                    continue
    return None
