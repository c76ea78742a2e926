"""The review page's view-model (pure functions, no Streamlit): the tables, chart data
frames, sentences and navigation stops that ``app.py`` lays out, and the page's limits.

Everything here takes a :class:`~analysis.report.Report` (or plain values) and returns
strings, dicts, lists or pandas DataFrames, so it is tested without a browser.

Outputs that the analysis is gaining (slow motion, run evidence, per-jump height with its
status, borderline verdicts, the camera's yaw) are read with ``getattr``: the page shows
them when the report has them and works the same without them.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import MAX_UPLOAD_MB, THRESHOLDS, AnalysisConfig
from analysis.io.tables import table_bytes
from analysis.measure.jumps.physics import possibly_slowed
from analysis.measure.jumps.rope import statement_would_count
from analysis.measure.view import LOW_FPS
from analysis.pipeline import SESSION_OPTIONS
from analysis.render.draw import frame_header, short_title
from analysis.report import Report
from analysis.store.streaks import streak_summary
from analysis.types import RunEvidence, TimeScale

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

#: Options that change only the session advice (never the pose, the jumps, the verdicts
#: or the drawing): a change of these keeps the charts, stills and annotated video.
SESSION_ONLY_OPTIONS = SESSION_OPTIONS

#: One word per verdict, and its colour: pass green, borderline amber, fault red, not
#: assessable grey (the page, the tables and the charts use these).
VERDICT_TEXT = {"pass": "pass", "borderline": "borderline", "fault": "fault", "na": "not assessable", "none": "–"}
VERDICT_COLOUR = {
    "pass": "#1e8e3e",
    "borderline": "#e37400",
    "fault": "#d93025",
    "na": "#80868b",
    "none": "#80868b",
}
#: The article's jump height band (2-5 cm); the rule flags only the upper end (lower is fine).
CLEARANCE_BAND_CM = (2.0, THRESHOLDS.jump_height_max_cm.value)
#: What is shown where a value is missing (never "None" or "nan").
MISSING = "–"


# -- inputs ---------------------------------------------------------------------------
def file_digest(data: bytes) -> str:
    """Content hash of an upload (the cache key, with the options)."""
    return hashlib.sha256(data).hexdigest()


def supports_slowmo() -> bool:
    """Whether this analysis takes the user's slow-motion factor (``AnalysisConfig.slowmo_factor``)."""
    return "slowmo_factor" in {f.name for f in dataclasses.fields(AnalysisConfig)}


def make_config(
    height_cm: float | None = None,
    view: str = "auto",
    style: str = "auto",
    rope: str = "unknown",
    surface: str = "unknown",
    back_pain: bool = False,
    max_minutes: float = MAX_MINUTES,
    slowmo_factor: float | None = None,
    rope_turning: bool = False,
) -> AnalysisConfig:
    """The analysis options from the page's settings (height 0 or None = not given;
    ``slowmo_factor`` None or 1 = detect; ignored where the analysis does not take it;
    ``rope_turning``: the user says a rope was turning, ``AnalysisConfig.rope_turning``)."""
    h = float(height_cm) if height_cm else None
    extra: dict[str, Any] = {}
    if slowmo_factor and supports_slowmo():
        extra["slowmo_factor"] = float(slowmo_factor)
    return AnalysisConfig(
        standing_height_cm=h,
        view=view,
        style=style,
        rope=rope,
        surface=surface,
        back_pain=bool(back_pain),
        max_minutes=max_minutes,
        rope_turning=bool(rope_turning),
        **extra,
    )


def options_key(config: AnalysisConfig, exclude: Iterable[str] = ()) -> tuple:
    """A hashable key of ``config`` (without the ``exclude`` names), for the page's caches."""
    skip = set(exclude)
    return tuple(sorted((k, v) for k, v in config.to_dict().items() if k not in skip))


def list_samples(folder: str | Path) -> list[Path]:
    """Sample clips (``*.mp4``) in ``folder``, sorted by name; empty if the folder is missing."""
    p = Path(folder)
    if not p.is_dir():
        return []
    return sorted(q for q in p.glob("*.mp4") if q.is_file())


def sample_label(path: Path) -> str:
    return path.stem.replace("_", " ")


# -- formatting -----------------------------------------------------------------------
def _finite(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return v if math.isfinite(v) else float("nan")


def _f(x: Any, fmt: str = "{:.1f}", none: str = MISSING) -> str:
    v = _finite(x)
    return fmt.format(v) if math.isfinite(v) else none


def _pm(value: Any, sigma: Any, nd: int = 1, unit: str = "") -> str:
    """'3.1 ± 0.4 cm', '3.1 cm' without a sigma, '–' without a value."""
    v, s = _finite(value), _finite(sigma)
    if not math.isfinite(v):
        return MISSING
    out = f"{v:.{nd}f} ± {s:.{nd}f}" if math.isfinite(s) else f"{v:.{nd}f}"
    return f"{out} {unit}".rstrip()


def verdict_key(v: Any) -> str:
    """'pass', 'borderline', 'fault', 'na', 'info' or 'none' for a verdict (enum or string)."""
    s = str(getattr(v, "value", v) or "").strip().lower()
    if s in ("pass", "ok"):
        return "pass"
    if s in ("fault", "borderline", "na", "info"):
        return s
    return "none"


def clip_time(report: Report, frame: int) -> float:
    """Seconds from the clip's first frame (a player shows the first frame at 0:00, while
    some containers stamp it a frame later)."""
    t = np.asarray(report.t_s)
    if not len(t) or not (0 <= frame < len(t)):
        return float("nan")
    return float(t[frame] - t[0])


def _t0(report: Report) -> float:
    return float(report.t_s[0]) if len(report.t_s) else 0.0


def score_text(pass_share: float, n_assessed: int) -> str:
    """The one way the page states a score: '12 of 20 jumps pass (60%)'."""
    share = _finite(pass_share)
    if not n_assessed or not math.isfinite(share):
        return "no jumps assessed"
    passed = int(round(share * n_assessed))
    return f"{passed} of {n_assessed} jump{'s' if n_assessed != 1 else ''} pass ({round(100 * share)}%)"


# -- summary --------------------------------------------------------------------------
def _rules(report: Report) -> list:
    return list(report.rules.rules) if report.rules is not None else []


def jump_heights(report: Report, j) -> dict[str, Any]:
    """A jump's height two ways with their 1-sigma uncertainties, the best estimate and
    its status ('ok', 'disagree', ...; None where the analysis does not say)."""
    disp = _finite(j.height_cm_displacement)
    disp_sigma = _finite(getattr(j, "height_displacement_sigma_cm", float("nan")))
    if not math.isfinite(disp_sigma) and math.isfinite(disp):
        disp_sigma = abs(disp * _finite(report.scale.relative_uncertainty))  # the scale's share
    flight = _finite(j.height_cm_flight_time)
    flight_sigma = _finite(j.height_uncertainty_cm)
    return {
        "best": _finite(getattr(j, "height_cm", float("nan"))),
        "sigma": _finite(getattr(j, "height_sigma_cm", float("nan"))),
        "status": getattr(j, "height_status", None),
        "displacement": disp,
        "displacement_sigma": disp_sigma,
        "flight": flight,
        "flight_sigma": flight_sigma,
    }


def _height_summary(report: Report) -> tuple[str, str]:
    """(value, help) of the summary's jump height: the mean of the jumps whose two estimates
    agree, with its uncertainty (the report's summary), and both estimates in the help."""
    s = report.summary()
    flight = f"{_f(s['mean_height_cm_flight_time'])} ± {_f(s['mean_height_flight_time_uncertainty_cm'])} cm"
    feet = f"{_f(s.get('mean_height_cm_displacement', s['mean_height_cm']))} cm"
    both = f"from the feet {feet}, from flight time {flight}"
    if "heights_reliable" not in s:  # a report from before checked heights: the feet's rise
        return _pm(s["mean_height_cm"], s["mean_height_uncertainty_cm"], unit="cm"), f"mean foot clearance; {both}"
    sure, measured = int(s["heights_reliable"]), int(s["heights_measured"])
    if not sure:
        return MISSING, f"the two estimates of the height disagree on every jump ({both})"
    value = _pm(s["mean_height_cm"], s["mean_height_uncertainty_cm"], unit="cm")
    return value, (
        f"mean foot clearance of the {sure} of {measured} jumps with a checked height (the two estimates agree, "
        f"or only one can be read: from behind, the feet's rise is the heel's and the flight time gives it); {both}"
    )


def summary_metrics(report: Report) -> list[dict]:
    """The headline numbers: label, value (text) and a help sentence."""
    s = report.summary()
    n = s["jump_count"]
    height, height_help = _height_summary(report) if n else (MISSING, "no jumps")
    out = [
        {"label": "Jumps", "value": str(n), "help": "take-offs while skipping"},
        {
            "label": "Jumps / min",
            "value": _f(s["jumps_per_minute"], "{:.0f}") if n else MISSING,
            "help": "over the time actually skipping",
        },
        {
            "label": "Active time",
            "value": f"{_f(s['active_time_s'])} s",
            "help": f"{s['breaks']} break{'s' if s['breaks'] != 1 else ''} in the rhythm",
        },
        {"label": "Breaks", "value": str(s["breaks"]), "help": "pauses between runs of skipping"},
        {"label": "Jump height", "value": height, "help": height_help},
        {
            "label": "Flight",
            "value": f"{_f(1000 * s['mean_flight_time_s'], '{:.0f}')} ms" if n else MISSING,
            "help": "mean time in the air per jump",
        },
        {
            "label": "Contact",
            "value": f"{_f(1000 * s['mean_contact_time_s'], '{:.0f}')} ms" if n else MISSING,
            "help": "mean ground contact between jumps",
        },
    ]
    rules = _rules(report)
    judged = [r for r in rules if verdict_key(r.status) in ("pass", "fault", "borderline")]
    passed = sum(verdict_key(r.status) == "pass" for r in judged)
    out.append(
        {
            "label": "Checks passed",
            "value": f"{passed} of {len(judged)}" if judged else MISSING,
            "help": f"technique checks passed on most jumps; {len(rules) - len(judged)} not assessable in this clip",
        }
    )
    return out


def headline(report: Report) -> str:
    """One sentence with the main result: '21 jumps · 127 per minute · 9.9 s of skipping · 1 thing to work on'."""
    s = report.summary()
    n = s["jump_count"]
    if not n:
        return _no_count_headline(report)
    # Counted on the hands alone where running arms look the same (``ROPE_UNCONFIRMED``).
    unconfirmed = "rope_unconfirmed" in {str(x.kind) for x in report.notices}
    parts = [
        f"{n} jump{'s' if n != 1 else ''}" + (" (rope not confirmed)" if unconfirmed else ""),
        f"{_f(s['jumps_per_minute'], '{:.0f}')} per minute",
        f"{_f(s['active_time_s'])} s of skipping",
    ]
    k = len(priorities(report))
    parts.append(f"{k} thing{'s' if k != 1 else ''} to work on" if k else "no check failing on most jumps")
    return " · ".join(parts)


def _no_count_headline(report: Report) -> str:
    """The headline of a clip without counted jumps, in the words of the explanation under it
    (:func:`no_skipping`): "No rope skipping found" only where nothing suggests a rope turned;
    where the jumps may be slowed down, or the feet were out of view, or the clip could not
    confirm a rope that nothing spoke against, no jumps were *counted*, which is not the same."""
    hint = _finite(getattr(getattr(report.jumps, "time_scale", None), "rhythm_hint", float("nan")))
    if math.isfinite(hint):
        return "No jumps counted in real time: the clip looks slowed down"
    if "no_jumps_feet_out" in {str(n.kind) for n in report.notices}:
        return "No jumps counted: the feet are out of view"
    if _longest_uncounted(report) is not None:
        return "No jumps counted: the clip speaks for a rope, but its jumps could not be counted"
    if _only_unconfirmed(report):
        return "No jumps counted: the clip could not confirm a turning rope"
    if _slow_beat(report):
        return "No jumps counted: a steady beat slower than any skipping, with no rope seen"
    return "No rope skipping found"


def _longest_uncounted(report: Report) -> tuple[float, float, Any] | None:
    """(start_s, end_s, evidence) of the clip's longest stretch of jumping that was not
    counted, where it is one whose rope evidence held (``RunEvidence.uncounted``); else None."""
    stretches = [
        (a, b, ev)
        for a, b, ev in _run_evidence(report)
        if getattr(ev, "uncounted", "") or not getattr(ev, "accepted", False)
    ]
    longest = max(stretches, key=lambda x: x[1] - x[0]) if stretches else None
    return longest if longest is not None and getattr(longest[2], "uncounted", "") else None


def _slow_beat(report: Report) -> bool:
    """Nothing counted, and a stretch rose and fell in a steady beat slower than any skipping,
    with no rope confirmed on it (``TimeScale.slow_beat_s``): a movement without a rope, or
    skipping filmed in slow motion that the clip cannot tell as such."""
    beat = _finite(getattr(getattr(report.jumps, "time_scale", None), "slow_beat_s", float("nan")))
    return math.isfinite(beat) and not _run_evidence(report)


def _only_unconfirmed(report: Report) -> bool:
    """Every stretch of jumping the analysis refused is one the clip could not show a rope on
    and nothing spoke against (``rope.statement_would_count``): no jumps were counted, but no
    sign of jumping without a rope was seen either."""
    refused = [ev for _, _, ev in _run_evidence(report) if isinstance(ev, RunEvidence) and not ev.accepted]
    return bool(refused) and all(statement_would_count(ev) for ev in refused)


#: How the analysis starts a real-time verdict that hints at slow motion (``physics`` and
#: ``measure.jumps._rhythm_hint``); the page's banner says "may be slow motion" once, itself.
_MAYBE_SLOWED_LEAD = "treated as real time, though the clip may be slow motion"


def time_scale_note(report: Report) -> str | None:
    """A sentence when the clip is slow motion (what factor, how it was found, what is
    corrected), or may be (``physics.possibly_slowed``: treated as real time, and where to
    state the factor); None for a real-time clip or where the analysis does not say."""
    ts = getattr(report.jumps, "time_scale", None)
    factor = _finite(getattr(ts, "factor", 1.0))
    if isinstance(ts, TimeScale) and possibly_slowed(ts):
        note = str(ts.note or "").strip().rstrip(".")
        where = "The factor goes under 'Camera, step style, rope, surface, slow motion'."
        if note.lower().startswith(_MAYBE_SLOWED_LEAD):
            # "..., at least 2.5x: a rope turns ..." or ": gravity reads it ...": said once.
            rest = note[len(_MAYBE_SLOWED_LEAD) :]
            return f"This clip may be slow motion{rest}. It was treated as real time. {where}"
        return (
            f"This clip may be slow motion. {note[:1].upper()}{note[1:]}. {where}"
            if note
            else (f"This clip may be slow motion; it was treated as real time. {where}")
        )
    if ts is None or not math.isfinite(factor) or abs(factor - 1.0) < 1e-9:
        return None
    how = {
        "user": "as you said",
        "estimated": "estimated from how fast the body falls (gravity)",
        "rhythm": "at least; the jumps are too far apart for real-time skipping",
    }.get(str(getattr(ts, "source", "")), str(getattr(ts, "source", "")))
    note = str(getattr(ts, "note", "") or "").strip().rstrip(".")
    out = f"This clip is slow motion: it plays {factor:.3g}× slower than real time ({how})."
    if note:
        out += f" {note[0].upper()}{note[1:]}."
    return out + " Durations, cadence and heights from flight time are given in real time."


def view_note(report: Report) -> str:
    """'Camera: side (auto-detected), yaw 85° ± 6°'."""
    q = report.quality
    src = {"auto": "auto-detected", "user": "as you chose"}.get(str(q.view_source), str(q.view_source))
    out = f"Camera: {q.view} ({src})"
    va = getattr(q, "view_angle", None)
    yaw = _finite(getattr(va, "yaw_deg", float("nan")))
    if math.isfinite(yaw):
        out += f", turned {abs(yaw):.0f}° ± {_f(getattr(va, 'sigma_deg', float('nan')), '{:.0f}')}° from facing it"
    return out


def partial_text(p: Any) -> str:
    """The first answer while the pose runs (a ``pose.partial.PartialResult``), in words."""
    if p.jump_count:
        return (
            f"So far: **{p.jump_count} jump{'s' if p.jump_count != 1 else ''}** in the first "
            f"{p.seconds_done:.0f} s, about **{_f(p.jumps_per_minute, '{:.0f}')} per minute**. "
            "The count is refined when the whole clip is analysed."
        )
    return f"No jumps counted yet in the first {p.seconds_done:.0f} s."


def timing_note(report: Report) -> str:
    t = report.timings_s or {}
    total = t.get("total")
    if total is None:
        return ""
    return f"Analysed {len(report.t_s)} frames in {total:.1f} s (pose {t.get('pose', float('nan')):.1f} s)."


# -- checks ---------------------------------------------------------------------------
def rule_scores(report: Report) -> pd.DataFrame:
    """One row per technique rule, verdict first: verdict (text and key), check, score
    (share of assessed jumps passing, stated one way), the limit and the detail."""
    cols = ["verdict", "check", "score", "score %", "limit", "detail", "area", "verdict_key", "rule"]
    rows = []
    for r in _rules(report):
        key = verdict_key(r.status)
        share = _finite(r.pass_share)
        score = None if key == "na" or not math.isfinite(share) else round(100 * share)
        rows.append(
            {
                "verdict": VERDICT_TEXT.get(key, key),
                "check": r.title,
                "score": score_text(share, int(r.n_assessed)) if key != "na" else MISSING,
                "score %": score,
                "limit": r.comparison,
                "detail": r.reason if key not in ("pass",) else "",
                "area": r.area,
                "verdict_key": key,
                "rule": r.id,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def not_assessable(report: Report) -> list[dict]:
    """Checks this clip cannot judge, each with the reason."""
    return [{"check": r.title, "reason": r.reason} for r in _rules(report) if verdict_key(r.status) == "na"]


def _reliable_jump(report: Report, i: int) -> bool:
    """A jump whose measurements hold together (its two height estimates do not disagree)."""
    js = report.jumps.jumps
    return 0 <= i < len(js) and getattr(js[i], "height_status", "ok") != "disagree"


def example_frame(report: Report, rule_id: str, frames: list[int]) -> int | None:
    """The priority's example: its worst fault on a jump whose measurements agree (never a
    jump whose two height estimates disagree), among the rule's best frames and the worst
    frame of each fault episode."""
    if report.rules is None:
        return frames[0] if frames else None
    try:
        r = report.rules.by_id(rule_id)
    except KeyError:
        return frames[0] if frames else None
    candidates = list(frames) + [int(e["worst_frame"]) for e in r.episodes if "worst_frame" in e]
    for f in candidates:
        j = jump_at_frame(report, f)
        if j is not None and verdict_key(r.jump_verdicts[j]) == "fault" and _reliable_jump(report, j):
            return int(f)
    return None


def priorities(report: Report) -> list[dict]:
    """The (up to) three things to work on, clear faults only: title, advice, the score in
    the page's one wording, the example frame and every frame it names."""
    if report.rules is None:
        return []
    out = []
    for p in report.rules.priorities[:3]:
        try:
            r = report.rules.by_id(p["rule"])
        except KeyError:
            continue
        if verdict_key(r.status) != "fault":
            continue
        frames = [int(f) for f in p.get("frames", [])]
        out.append(
            {
                "rule": p["rule"],
                "title": p["title"],
                "short": short_title(p["title"]),
                "advice": p["advice"],
                "severity": p.get("severity", ""),
                "score": score_text(r.pass_share, int(r.n_assessed)),
                "fault_pct": round(100 * (1 - _finite(r.pass_share))) if math.isfinite(_finite(r.pass_share)) else 0,
                "frame": example_frame(report, p["rule"], frames),
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
    # Slow motion, found or possible, is said in the banner above the summary, not again here.
    notes += [n.text for n in report.notices if str(n.kind) not in ("slow_motion", "maybe_slow_motion")]
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


# -- no skipping ----------------------------------------------------------------------
NO_SKIPPING_TIPS = (
    "Film the whole body, head to feet, with the camera still (on a stand or propped up).",
    "Keep the rope and both hands in view: the rope turning is what tells skipping from other jumps.",
    "Film from the front or the side, in good light, with only the jumper in view.",
)


#: Offered where jumping was seen but the rope could not be confirmed (and nothing spoke
#: against one): the page's "A rope was turning" option.
STATED_ROPE_TIP = (
    "If a rope was turning, tick 'A rope was turning' (under 'Camera, step style, rope, surface, slow motion'): "
    "the jumps are then counted on your word, and the results say so."
)


#: Offered where a rope turned with jumps too far apart for real time (the clip may be slow
#: motion, ``TimeScale.rhythm_hint``): the page's slow-motion factor.
SLOWMO_TIP = (
    "If the clip was filmed in slow motion, enter how many times slower it plays under 'Camera, step style, "
    "rope, surface, slow motion' (a phone's 120 fps slow motion played at 30 fps is 4×) to have the jumps "
    "counted, with durations and speeds in real time."
)


def low_fps_tip(fps: float) -> str:
    """Offered where a clip filmed at under ``view.LOW_FPS`` shows no skipping: jumps or steps
    faster than half its frame rate cannot show in it at all."""
    return (
        f"Film at 30 frames a second or more: at {fps:.0f} a second, jumps or steps faster than {fps / 2:.0f} a "
        "second cannot be seen at all (a phone's video setting, not slow motion)."
    )


def _run_evidence(report: Report) -> list[tuple[float, float, Any]]:
    """(start_s, end_s, evidence) per stretch of rhythmic jumping, from the report's run
    evidence (entries may be ``RunEvidence`` objects with their own times or
    (start_s, end_s, RunEvidence) triples); empty where the analysis gives none."""
    out = []
    for item in getattr(report.jumps, "run_evidence", ()) or ():
        if isinstance(item, tuple) and len(item) == 3:
            a, b, ev = item
        else:
            ev = item
            a, b = getattr(item, "start_s", float("nan")), getattr(item, "end_s", float("nan"))
        out.append((_finite(a), _finite(b), ev))
    return out


def _plain(reason: str) -> str:
    """A detector's reason as a phrase: time stamps and 'no skipping:' prefixes dropped."""
    r = re.sub(r"^\s*no skipping:\s*", "", reason.strip(), flags=re.I)
    r = re.sub(r"^\s*\d+(\.\d+)?\s*-\s*\d+(\.\d+)?\s*s:\s*", "", r)
    return r.strip().rstrip(".")


def no_skipping(report: Report) -> dict[str, Any] | None:
    """For a clip without counted jumps: one short plain explanation, its reasons (one per
    stretch of jumping that was not rope skipping) and what to try. None when jumps were found."""
    if report.jumps.count:
        return None
    kinds = {str(n.kind) for n in report.notices}
    hint = _finite(getattr(getattr(report.jumps, "time_scale", None), "rhythm_hint", float("nan")))
    if math.isfinite(hint):
        return {
            "text": "No jumps counted in real time: a rope turns with the jumps, but they are further apart than "
            f"real skipping allows. The clip looks slowed down, at least {hint:.1f}×.",
            "reasons": [],
            "tips": [SLOWMO_TIP, *NO_SKIPPING_TIPS[:1]],
        }
    fps = _finite(getattr(report.meta, "fps", float("nan")))
    fps_tips = [low_fps_tip(fps)] if math.isfinite(fps) and fps < LOW_FPS else []
    if "no_jumps_feet_out" in kinds:
        return {
            "text": "No jumps could be counted: the feet are out of the picture or hidden for most of the clip, "
            "and jumps are found from the feet.",
            "reasons": [],
            "tips": fps_tips + list(NO_SKIPPING_TIPS[:1]) + list(NO_SKIPPING_TIPS[2:]),
        }
    # Where the longest stretch of jumping is one whose rope evidence held but which gave no
    # jump (``RunEvidence.uncounted``), neither "no rope skipping" nor "no rhythm" is true.
    longest = _longest_uncounted(report)
    if longest is not None:
        a, b, ev = longest
        t0 = _t0(report)
        return {
            "text": f"No jumps counted, though the clip speaks for a rope from {_f(a - t0)} to {_f(b - t0)} s: "
            f"{_plain(str(ev.uncounted))}.",
            "reasons": [_plain(str(getattr(ev, "reason", "")))],
            "tips": fps_tips + list(NO_SKIPPING_TIPS),
        }
    # Only the stretches refused: an accepted one's reason says a rope turned.
    refused = [ev for _, _, ev in _run_evidence(report) if not getattr(ev, "accepted", False)]
    reasons = [r for r in (_plain(str(getattr(ev, "reason", ""))) for ev in refused) if r]
    if not reasons:
        evidence = str(report.jumps.rope_evidence or "")
        parts = [_plain(p) for p in re.split(r";\s*(?=\d+(?:\.\d+)?\s*-\s*\d)", evidence)]
        reasons = [p for p in parts if p and p != "no periodic jumping found"]
    seen: list[str] = []
    for r in reasons:  # one of each kind: the same reason with other figures is said once
        if not any(re.sub(r"[\d.]+", "#", r) == re.sub(r"[\d.]+", "#", s) for s in seen):
            seen.append(r)
    if seen:
        lead = "No jumps counted" if _only_unconfirmed(report) or _slow_beat(report) else "No rope skipping found"
        text = f"{lead}. {seen[0][:1].upper()}{seen[0][1:]}."
    else:
        text = "No rope skipping found: there is no steady rhythm of jumps to count or judge."
    tips = fps_tips + ([SLOWMO_TIP] if _slow_beat(report) else []) + list(NO_SKIPPING_TIPS)
    # Where the clip could not show a rope and nothing spoke against one, the user may say
    # one was turning (``AnalysisConfig.rope_turning``, ``rope.statement_would_count``).
    unconfirmed = any(statement_would_count(ev) for _, _, ev in _run_evidence(report) if isinstance(ev, RunEvidence))
    if unconfirmed and not getattr(report.config, "rope_turning", False):
        tips.insert(0, STATED_ROPE_TIP)
    return {"text": text, "reasons": seen[1:3], "tips": tips}


def run_evidence_rows(report: Report) -> list[dict[str, Any]]:
    """Per stretch of rhythmic jumping: when, counted or not, why, and each cue's verdict."""
    t0 = _t0(report)
    rows = []
    for a, b, ev in _run_evidence(report):
        cues = getattr(ev, "cues", ()) or ()
        rows.append(
            {
                "when": f"{_f(a - t0)}–{_f(b - t0)} s",
                # A rope's evidence may hold where no jump could be counted (``RunEvidence.uncounted``).
                "counted": bool(getattr(ev, "accepted", False)) and not getattr(ev, "uncounted", ""),
                "reason": str(getattr(ev, "reason", ""))
                + (f", but {ev.uncounted}: none counted" if getattr(ev, "uncounted", "") else ""),
                "cues": [
                    {
                        "name": str(getattr(c, "name", "")),
                        "verdict": str(getattr(c, "verdict", "unknown")),
                        "detail": str(getattr(c, "detail", "")),
                    }
                    for c in cues
                ],
            }
        )
    return rows


# -- frame review ---------------------------------------------------------------------
def checks_at_frame(report: Report, frame: int) -> pd.DataFrame:
    """Every check at one frame, verdict first: verdict, check, value (with unit), limit
    (the verdict of the jump whose cycle holds the frame; '–' between jumps)."""
    cols = ["verdict", "check", "value", "limit", "detail", "verdict_key"]
    if report.rules is None:
        return pd.DataFrame(columns=cols)
    rows = []
    for r in report.rules.at_frame(int(frame)):
        v = r.get("value")
        val = f"{v:.1f} {r.get('unit', '')}".strip() if v is not None and np.isfinite(v) else MISSING
        key = verdict_key(r.get("verdict", ""))
        rows.append(
            {
                "verdict": VERDICT_TEXT.get(key, key),
                "check": r["title"],
                "value": val,
                "limit": r["threshold"],
                "detail": r.get("reason", "") if key == "na" else "",
                "verdict_key": key,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def jump_at_frame(report: Report, frame: int) -> int | None:
    """Index of the jump whose cycle holds ``frame`` (None between jumps)."""
    if report.rules is not None:
        starts = [a for a, _ in report.rules.jump_frames]
        k = bisect.bisect_right(starts, frame) - 1
        if k >= 0 and report.rules.jump_frames[k][0] <= frame < report.rules.jump_frames[k][1]:
            return k
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
    fault_jumps = {i for r in report.rules.rules for i, v in enumerate(r.jump_verdicts) if verdict_key(v) == "fault"}
    js = report.jumps.jumps
    return sorted({int(js[i].takeoff_frame) for i in fault_jumps if i < len(js)})


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
    """Where the review opens: the first jump's take-off (so 'next fault' walks forward
    from the start), else the first frame."""
    js = jump_stops(report)
    return js[0] if js else 0


def frame_caption(report: Report, frame: int) -> str:
    """'Frame 224 · 8.92 s · jump 16 of 20' (frames are numbered from 0, as in the files;
    times from the clip's first frame)."""
    j = jump_at_frame(report, frame)
    where = f"jump {j + 1} of {report.jumps.count}" if j is not None else "between jumps"
    return f"Frame {frame} · {_f(clip_time(report, frame), '{:.2f}')} s · {where}"


def frame_details(report: Report, frame: int) -> dict[str, Any]:
    """What the frame review writes beside the image: the header line, the jump's height
    both ways, and the checks failing at this frame."""
    j = jump_at_frame(report, frame)
    height = None
    if j is not None and j < report.jumps.count:
        h = jump_heights(report, report.jumps.jumps[j])
        height = height_text(h)
    failing = [
        {"check": r["title"], "value": r.get("value"), "key": verdict_key(r.get("verdict"))}
        for r in (report.rules.at_frame(int(frame)) if report.rules is not None else [])
        if verdict_key(r.get("verdict")) in ("fault", "borderline")
    ]
    return {
        "header": frame_header(report, frame),
        "caption": frame_caption(report, frame),
        "height": height,
        "failing": failing,
    }


def height_text(h: dict[str, Any]) -> str:
    """'3.1 ± 0.4 cm (from the feet 3.0 ± 0.3 cm, from flight time 3.4 ± 0.9 cm)'; without a
    best estimate the two estimates, and why there is none ('disagree', ...)."""
    feet, flight = (
        _pm(h["displacement"], h["displacement_sigma"], unit="cm"),
        _pm(h["flight"], h["flight_sigma"], unit="cm"),
    )
    both = f"from the feet {feet}, from flight time {flight}"
    if math.isfinite(h["best"]):
        return f"{_pm(h['best'], h['sigma'], unit='cm')} ({both})"
    status = h.get("status")
    return f"{both} ({status})" if status and status != "ok" else both


# -- per-jump table -------------------------------------------------------------------
def _range(value: float, sigma: float) -> str:
    if not (math.isfinite(value) and math.isfinite(sigma)):
        return MISSING
    return f"{max(0.0, value - sigma):.1f}–{value + sigma:.1f}"


#: What the jump table's "height note" says (``JumpEvent.height_status``), for the page's help.
HEIGHT_NOTES = {
    "ok": "the feet's rise and the flight time agree; the height is their weighted mean",
    "disagree": "the feet's rise and the flight time give different heights, so no height is given",
    "displacement only": "only the feet's rise could be read (the flight could not be timed, or the clip "
    "may be slowed down)",
    "flight time only": "only the flight time could be read",
    "toes hidden": "filmed from behind, the toes are hidden and the feet's rise reads too high; the height "
    "is the flight time's",
    "rise cut": "the flight spans so few frames that cleaning the landmarks cut the top of the feet's rise; "
    "the height is the flight time's, with its wider range",
    "flight not measurable": "the flight could not be timed",
    "feet not visible": "the feet are out of view",
    "not measured": "no height could be measured",
}


def height_note_help() -> str:
    """The jump table's "height note" column explained, one note a line."""
    return "\n".join(f"{k}: {v}." for k, v in HEIGHT_NOTES.items())


def jump_table(report: Report) -> pd.DataFrame:
    """One row per jump: when, how many checks it fails, its height (best estimate with
    its 1-sigma range, and both estimates), rope, timing, foot, style."""
    cols = [
        "jump",
        "time s",
        "faults",
        "height cm",
        "height range cm",
        "failed checks",
        "from feet cm",
        "from flight time cm",
        "height note",
        "rope seen",
        "flight ms",
        "contact ms",
        "foot",
        "style",
        "take-off frame",
    ]
    fails: dict[int, list[str]] = {}
    for r in _rules(report):
        for i, v in enumerate(r.jump_verdicts):
            if verdict_key(v) == "fault":
                fails.setdefault(i, []).append(short_title(r.title))
    t0 = _t0(report)
    rows = []
    for i, j in enumerate(report.jumps.jumps):  # rules' per-jump lists are by position
        f = fails.get(i, [])
        h = jump_heights(report, j)
        best, sigma = h["best"], h["sigma"]
        if not math.isfinite(best) and h["status"] is None:  # the analysis gives no best estimate
            best, sigma = h["displacement"], h["displacement_sigma"]
        passes = int(getattr(j, "rope_passes_seen", -1))
        rows.append(
            {
                "jump": i + 1,
                "time s": round(float(j.takeoff_s - t0), 2),
                "faults": len(f),
                "height cm": _num(best, 1),
                "height range cm": _range(best, sigma),
                "failed checks": ", ".join(f),
                "from feet cm": _pm(h["displacement"], h["displacement_sigma"]),
                "from flight time cm": _pm(h["flight"], h["flight_sigma"]),
                "height note": str(h["status"]) if h["status"] else "",
                "rope seen": {-1: "", 0: "no", 1: "yes", 2: "yes, twice"}.get(passes, str(passes)),
                "flight ms": _num(1000 * j.flight_s, 0),
                "contact ms": _num(1000 * j.contact_before_s, 0),
                "foot": j.foot,
                "style": j.style.replace("_", " "),
                "take-off frame": int(j.takeoff_frame),
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    if not any(getattr(j, "rope_passes_seen", -1) >= 0 for j in report.jumps.jumps):
        df = df.drop(columns=["rope seen"])
    if not any(getattr(j, "height_status", None) for j in report.jumps.jumps):
        df = df.drop(columns=["height note"])
    return df


def jump_table_formats(table: pd.DataFrame) -> dict[str, str]:
    """Display formats of the jump table's number columns."""
    formats = {"time s": "{:.2f}", "height cm": "{:.1f}", "flight ms": "{:.0f}", "contact ms": "{:.0f}"}
    formats |= {c: "{:d}" for c in ("jump", "faults", "take-off frame")}
    return {c: f for c, f in formats.items() if c in table.columns}


def jump_table_shown(table: pd.DataFrame) -> pd.DataFrame:
    """The jump table as the page shows it: a number column with a missing value becomes
    text, '–' where missing (Streamlit's grid writes 'None' in an empty number cell);
    complete number columns stay numbers (they sort as numbers)."""
    out = table.copy()
    for col, fmt in jump_table_formats(table).items():
        if out[col].isna().any():
            out[col] = [MISSING if pd.isna(v) else fmt.format(v if fmt != "{:d}" else int(v)) for v in out[col]]
    return out


def _num(x: Any, nd: int) -> float | None:
    v = _finite(x)
    return round(v, nd) if math.isfinite(v) else None


# -- timeline -------------------------------------------------------------------------
#: Charts draw at most this many points per series (long clips are thinned evenly; the
#: browser stays quick and a click still lands within a few frames).
MAX_CHART_POINTS = 2500


def _long(report: Report, series: dict[str, str], max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    n = len(report.t_s)
    stride = max(1, int(math.ceil(n / max_points)))
    frames = np.arange(0, n, stride)
    t = np.round(np.asarray(report.t_s)[frames] - _t0(report), 4)
    parts = []
    for name, label in series.items():
        x = report.metrics.get(name)
        if x is None:
            continue
        x = np.asarray(x, float)[frames]
        parts.append(
            pd.DataFrame(
                {"frame": frames, "t_s": t, "series": label, "value": np.where(np.isfinite(x), np.round(x, 2), np.nan)}
            )
        )
    if not parts:
        return pd.DataFrame(columns=["frame", "t_s", "series", "value"])
    return pd.concat(parts, ignore_index=True)


def clearance_series(report: Report, max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    """Long form (frame, t_s, series, value): each foot's clearance above the floor (cm)."""
    return _long(
        report,
        {"foot_clearance_cm_left": "left foot", "foot_clearance_cm_right": "right foot"},
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
    knee = THRESHOLDS.knee_locked_deg.value
    arm = THRESHOLDS.upper_arm_abduction_max_deg.value
    return {
        "knee": pd.DataFrame([{"value": knee, "label": f"locked at touchdown ≥ {knee:g}°"}]),
        "arm": pd.DataFrame([{"value": arm, "label": f"upper arm from trunk > {arm:g}°"}]),
    }


def clearance_band() -> pd.DataFrame:
    """The article's 2-5 cm band, for the clearance chart (low, high, label)."""
    lo, hi = CLEARANCE_BAND_CM
    return pd.DataFrame([{"low": lo, "high": hi, "label": f"aim: {lo:g}–{hi:g} cm"}])


def jump_marks(report: Report) -> pd.DataFrame:
    """One row per jump: take-off frame and time (s from the first frame), its number, and
    how many checks it fails (drawn as a tick per jump, which stays readable at 200 jumps)."""
    fails = np.zeros(report.jumps.count, int)
    for r in _rules(report):
        for i, v in enumerate(r.jump_verdicts[: report.jumps.count]):
            fails[i] += verdict_key(v) == "fault"
    t0, n = _t0(report), len(report.t_s)
    rows = [
        {
            "frame": int(min(j.takeoff_frame, n - 1)),
            "t_s": round(float(j.takeoff_s - t0), 4),
            "jump": i + 1,
            "faults": int(fails[i]),
        }
        for i, j in enumerate(report.jumps.jumps)
    ]
    return pd.DataFrame(rows, columns=["frame", "t_s", "jump", "faults"])


def fault_lanes(report: Report) -> pd.DataFrame:
    """Stretches of frames where one rule fails (or is borderline), one lane per check:
    rule, check (short), verdict, start/end frame and seconds from the first frame."""
    cols = ["rule", "check", "verdict", "start_frame", "end_frame", "start_s", "end_s"]
    if report.rules is None or len(report.t_s) == 0:
        return pd.DataFrame(columns=cols)
    t = np.asarray(report.t_s) - _t0(report)
    rows = []
    for r in report.rules.rules:
        if verdict_key(r.status) == "na":
            continue
        keys = [verdict_key(x) for x in report.rules.frame_verdicts(r.id)]
        for kind in ("fault", "borderline"):
            v = np.array([k == kind for k in keys], bool)
            if not v.any():
                continue
            d = np.diff(np.concatenate([[0], v.astype(int), [0]]))
            for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)):
                end = min(b, len(t) - 1)
                rows.append(
                    {
                        "rule": r.id,
                        "check": short_title(r.title),
                        "verdict": kind,
                        "start_frame": int(a),
                        "end_frame": int(b - 1),
                        "start_s": round(float(t[a]), 4),
                        "end_s": round(float(t[end]), 4),
                    }
                )
    return pd.DataFrame(rows, columns=cols)


#: How a run of skipping ended, in words (``analysis.store.streaks``).
RUN_END_WORDS = {
    "miss": "miss (restarted within 3 s: the rope caught the feet, or a short pause)",
    "stop": "stop",
    "continued": "went on at a new rhythm",
}
STOP_CAUSES = {"long_pause": "a long pause", "clip_ended": "the clip ended", "stood": "stood until the end"}


def streak_marks(report: Report) -> pd.DataFrame:
    """One row per run of skipping: start and end (s from the first frame, and frames), its
    jumps, how it ended (``miss``, ``stop`` or ``continued``, with the cause), its streak,
    and whether it belongs to the longest unbroken streak (``analysis.store.streaks``, the
    same rule as the stored figures)."""
    cols = [
        "run",
        "start_s",
        "end_s",
        "start_frame",
        "end_frame",
        "n_jumps",
        "ended_by",
        "ending",
        "streak",
        "longest",
        "streak_jumps",
    ]
    if not report.jumps.runs:
        return pd.DataFrame(columns=cols)
    s = report.summary()
    d = {
        "runs": [dataclasses.asdict(r) for r in report.jumps.runs],
        "jumps": [{"apex_s": j.apex_s, "run": j.run} for j in report.jumps.jumps],
        "summary": {"duration_s": s["duration_s"]},
        "cadence_windows": [{"start_s": _t0(report)}],
    }
    summ = streak_summary(d)
    longest = set(summ["longest_streak_runs"])
    totals: dict[int, int] = {}
    for e in summ["runs"]:
        totals[e["streak"]] = totals.get(e["streak"], 0) + e["n_jumps"]
    t0 = _t0(report)
    rows = []
    for e in summ["runs"]:
        ending = RUN_END_WORDS.get(e["ended_by"], e["ended_by"])
        if e["ended_by"] == "stop":
            ending = f"stop: {STOP_CAUSES.get(e['cause'], e['cause'])}"
        rows.append(
            {
                "run": e["run"] + 1,
                "start_s": round(e["start_s"] - t0, 4),
                "end_s": round(e["end_s"] - t0, 4),
                "start_frame": e["start_frame"],
                "end_frame": e["end_frame"],
                "n_jumps": e["n_jumps"],
                "ended_by": e["ended_by"],
                "ending": ending,
                "streak": e["streak"],
                "longest": e["run"] in longest and summ["longest_streak"] > 0,
                "streak_jumps": totals[e["streak"]],
            }
        )
    return pd.DataFrame(rows, columns=cols)


def streak_text(report: Report) -> str:
    """'Longest unbroken streak: 42 jumps (8.1-27.5 s) · 1 miss · 2 stops'."""
    marks = streak_marks(report)
    if marks.empty:
        return ""
    best = marks[marks["longest"]]
    n_miss = int((marks["ended_by"] == "miss").sum())
    n_stop = int((marks["ended_by"] == "stop").sum())
    head = "Longest unbroken streak: –"
    if len(best):
        n = int(best["streak_jumps"].iloc[0])
        head = (
            f"Longest unbroken streak: {n} jump{'s' if n != 1 else ''} "
            f"({best['start_s'].iloc[0]:.1f}–{best['end_s'].iloc[-1]:.1f} s)"
        )
    return f"{head} · {n_miss} miss{'es' if n_miss != 1 else ''} · {n_stop} stop{'s' if n_stop != 1 else ''}"


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
            if isinstance(p, dict):
                for key in ("frame", "start_frame"):
                    if p.get(key) is not None:
                        try:
                            return int(p[key])
                        except (TypeError, ValueError):
                            continue
    return None


def selected_row(selection) -> int | None:
    """The first selected row of an ``st.dataframe`` selection state (None: no row)."""
    try:
        sel = selection.get("selection", {}) if isinstance(selection, dict) else selection.selection
        rows = sel.get("rows", []) if isinstance(sel, dict) else sel.rows
    except AttributeError:
        return None
    return int(rows[0]) if rows else None
