"""A ``Report`` again from what the store keeps: the report JSON and the pose blob.

The page reopens a stored session in the full review without analysing anything: every
figure comes from the JSON the analysis wrote (or its corrected version, see
``corrections.py``), every per-frame value from ``posedata``. ``Report.to_dict()`` of the
rebuilt report equals the JSON it was built from (tested), so a reopened session shows
exactly what was analysed, even after the analysis code has changed.

What the JSON holds and the frozen ``Report`` is built from:

* ``notices`` (kind and sentence): the report's ``messages`` and ``partial`` follow from
  them as in the analysis. A report written before ``notices`` were exported has only the
  sentences, and the kind (which decides ``partial``) cannot be guessed from a sentence:
  such a report reopens only when it has no message at all.
* ``audio`` (``SoundEvidence.to_dict()``): the quiet-landings evidence, the audio count and
  its comparison with the video's, at the precision the JSON keeps (levels 0.01 dB, times
  0.1 ms). The detected impacts themselves are not in the JSON: ``impacts`` is None.
* ``rules``: verdicts as ``Verdict`` members, per-jump values with NaN where ``null``.

JSON holds ``null`` where the analysis had NaN; fields typed ``float`` get NaN back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass, replace
from typing import Any, TypeVar

import numpy as np

from ..audio.count import CountComparison
from ..audio.evidence import QuietLandingsResult, SoundEvidence
from ..audio.loudness import LandingSound
from ..audio.trains import AudioCount, SkipBout
from ..config import AnalysisConfig
from ..measure.view import Quality
from ..report import Report
from ..rules.base import RuleResult, RulesResult
from ..rules.context import Ctx
from ..types import (
    Cue,
    JumpAnalysis,
    JumpEvent,
    Notice,
    NoticeKind,
    Run,
    RunEvidence,
    Scale,
    TimeScale,
    Verdict,
    VideoMeta,
)
from .location import StoreError
from .posedata import PoseData

_NAN = float("nan")
T = TypeVar("T")


def _float(v: Any) -> float:
    return _NAN if v is None else float(v)


def _verdict(v: Any) -> Verdict:
    try:
        return Verdict(v)
    except ValueError:
        raise StoreError(f"expected a verdict ({', '.join(repr(x.value) for x in Verdict)}), got {v!r}") from None


def _convert(type_name: str, v: Any) -> Any:
    """A JSON value as the dataclass field (annotated ``type_name``) holds it."""
    t = str(type_name).replace(" ", "")
    if t == "float":
        return _float(v)
    if t == "list[float]" and isinstance(v, list):
        return [_float(x) for x in v]
    if t == "dict[str,float]" and isinstance(v, dict):
        return {k: _float(x) for k, x in v.items()}
    if t == "Verdict":
        return _verdict(v)
    if t == "list[Verdict]" and isinstance(v, list):
        return [_verdict(x) for x in v]
    return v


def from_json(cls: type[T], d: Mapping[str, Any]) -> T:
    """A dataclass from its ``asdict`` JSON: unknown keys ignored, ``null`` floats -> NaN."""
    assert is_dataclass(cls)
    if not isinstance(d, Mapping):
        raise StoreError(f"{cls.__name__}: expected an object in the stored report, got {type(d).__name__}")
    kw = {}
    for f in fields(cls):
        if f.name in d:
            kw[f.name] = _convert(str(f.type), d[f.name])
        elif f.default is MISSING and f.default_factory is MISSING:
            raise StoreError(f"{cls.__name__}: the stored report has no {f.name!r}")
    return cls(**kw)


def jump_events(jumps: list[dict]) -> list[JumpEvent]:
    """``JumpEvent`` objects from the report's ``jumps`` (a hand-added jump has no measurements:
    NaN heights and times, foot and style ``unknown``)."""
    return [from_json(JumpEvent, j) for j in jumps]


def time_scale_from_dict(d: Mapping[str, Any] | None) -> TimeScale:
    """The clip's time scale; a report from before slow motion was checked played in real time."""
    if not d:
        return TimeScale.real_time("not checked (stored before the time scale was measured)")
    return from_json(TimeScale, d)


def run_evidence_from_dict(d: Mapping[str, Any]) -> RunEvidence:
    cues = tuple(from_json(Cue, c) for c in d.get("cues") or [])
    ev = from_json(RunEvidence, {**d, "cues": cues})
    return replace(ev, rope_passes=tuple(int(p) for p in ev.rope_passes))


def notices_from_dict(d: Mapping[str, Any]) -> tuple[Notice, ...]:
    """The report's notices (kind and sentence) from its ``notices``."""
    items = d.get("notices")
    if items is None:
        if d.get("messages"):
            raise StoreError(
                "the stored report was written before notices were exported (it has messages but not their "
                "kinds, which decide whether the results are partial); analyse the clip again to review it"
            )
        return ()
    try:
        return tuple(Notice(NoticeKind(n["kind"]), str(n["text"])) for n in items)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"the stored report's notices are unreadable ({type(exc).__name__}: {exc})") from None


def _opt_float(v: Any) -> float | None:
    return None if v is None else float(v)


def _audio_count(d: Mapping[str, Any] | None) -> AudioCount | None:
    if d is None:
        return None
    return AudioCount(
        count=None if d.get("count") is None else int(d["count"]),
        raw_count=int(d["raw_count"]),
        times_s=np.asarray(d.get("times_s") or [], float),
        ignored_times_s=np.asarray(d.get("ignored_times_s") or [], float),
        bouts=tuple(
            SkipBout(float(b["start_s"]), float(b["end_s"]), int(b["count"]), float(b["period_s"]))
            for b in d.get("bouts") or []
        ),
        usable=bool(d["usable"]),
        reason=str(d.get("reason") or ""),
    )


def sound_from_dict(d: Mapping[str, Any] | None) -> SoundEvidence | None:
    """``SoundEvidence`` from the report's ``audio`` (its ``to_dict()``); None stays None."""
    if d is None:
        return None
    try:
        ql = d["quiet_landings"]
        landings = tuple(
            LandingSound(
                touchdown_s=float(x["touchdown_s"]),
                impact_s=_opt_float(x.get("impact_s")),
                level_dbfs=_opt_float(x.get("level_dbfs")),
                level_db_rel_background=_opt_float(x.get("level_db_rel_background")),
                level_db_rel_median=_opt_float(x.get("level_db_rel_median")),
                loud=bool(x["loud"]),
                clipped=bool(x.get("clipped", False)),
            )
            for x in ql.get("landings") or []
        )
        status = ql["status"]
        if status not in ("assessed", "not_assessable"):
            raise ValueError(f"quiet_landings status: expected 'assessed' or 'not_assessable', got {status!r}")
        quiet = QuietLandingsResult(
            status=status,
            reason=str(ql.get("reason") or ""),
            landings=landings,
            offset_s=_opt_float(ql.get("offset_s")),
            match_rate=_opt_float(ql.get("match_rate")),
            median_landing_dbfs=_opt_float(ql.get("median_landing_dbfs")),
            background_dbfs=_opt_float(ql.get("background_dbfs")),
            audio_count=_audio_count(ql.get("audio_count")),
        )
        cc = d.get("count_comparison")
        comparison = (
            None
            if cc is None
            else CountComparison(
                audio_count=int(cc["audio_count"]),
                video_count=int(cc["video_count"]),
                matched=int(cc["matched"]),
                audio_only_s=tuple(float(t) for t in cc.get("audio_only_s") or []),
                video_only_s=tuple(float(t) for t in cc.get("video_only_s") or []),
                offset_s=float(cc["offset_s"]),
            )
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"the stored report's audio section is unreadable ({type(exc).__name__}: {exc})") from None
    return SoundEvidence(quiet, comparison)


def report_from_dict(d: Mapping[str, Any], pose: PoseData) -> Report:
    """The ``Report`` a stored session was analysed into (``d``: its JSON, maybe corrected)."""
    summary = d.get("summary") or {}
    jumps = jump_events(d.get("jumps") or [])
    analysis = JumpAnalysis(
        jumps=jumps,
        runs=[from_json(Run, r) for r in d.get("runs") or []],
        active_time_s=_float(summary.get("active_time_s", 0.0)),
        jumps_per_minute=_float(summary.get("jumps_per_minute", 0.0)),
        cadence_windows=[
            (w["start_s"], w["end_s"], _float(w["jumps_per_minute"])) for w in d.get("cadence_windows") or []
        ],
        styles=dict(summary.get("styles") or {}),
        rope_evidence=d.get("rope_evidence") or "",
        notes=list(d.get("jump_notes") or []),
        time_scale=time_scale_from_dict(d.get("time_scale")),
        run_evidence=[run_evidence_from_dict(e) for e in d.get("run_evidence") or []],
    )
    config_fields = {f.name for f in fields(AnalysisConfig)}
    clip = dict(d["clip"])
    clip.pop("name", None)
    meta = from_json(VideoMeta, clip)
    scale = from_json(Scale, d["scale"])
    quality = from_json(Quality, d["quality"])
    try:
        config = AnalysisConfig(**{k: v for k, v in (d.get("config") or {}).items() if k in config_fields})
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the stored report's options are unreadable: {exc}") from None
    rules = [from_json(RuleResult, r) for r in d.get("rules") or []]
    rules_result = None
    if rules or d.get("disclaimer") is not None:
        for r in rules:
            if len(r.jump_verdicts) != len(jumps):
                raise StoreError(
                    f"rule {r.id}: {len(r.jump_verdicts)} verdicts for {len(jumps)} jumps in the stored report"
                )
        ctx = Ctx(
            metrics=pose.metrics,
            jumps=jumps,
            t_s=pose.t_s,
            fps=meta.fps,
            view_angle=quality.view_angle,
            xy_px=pose.pose.xy_px,
            cm_per_px=scale.cm_per_px,
            scale_rel_uncertainty=scale.relative_uncertainty,
        )
        rules_result = RulesResult(
            rules=rules,
            session=list(d.get("session") or []),
            priorities=list(d.get("priorities") or []),
            disclaimer=d.get("disclaimer") or "",
            n_frames=pose.n_frames,
            jump_frames=ctx.cycles(),
        )
    return Report(
        meta=meta,
        config=config,
        pose_model=d.get("pose_model") or "",
        scale=scale,
        quality=quality,
        jumps=analysis,
        t_s=pose.t_s,
        pose_found=pose.pose_found,
        metrics=dict(pose.metrics),
        pose=pose.pose,
        rules=rules_result,
        sound=sound_from_dict(d.get("audio")),
        notices=notices_from_dict(d),
        timings_s=dict(d.get("timings_s") or {}),
    )


def finite_or_none(x: Any) -> float | None:
    """A JSON-safe float (None for NaN, inf or missing)."""
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None
