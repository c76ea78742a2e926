"""A ``Report`` again from what the store keeps: the report JSON and the pose blob.

The page reopens a stored session in the full review without analysing anything: every
figure comes from the JSON the analysis wrote (or its corrected version, see
``corrections.py``), every per-frame value from ``posedata``. ``Report.to_dict()`` of the
rebuilt report equals the JSON it was built from (tested), so a reopened session shows
exactly what was analysed, even after the analysis code has changed.

JSON holds ``null`` where the analysis had NaN; fields typed ``float`` get NaN back.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, fields, is_dataclass
from typing import Any

import numpy as np

from ..config import AnalysisConfig
from ..report import Report
from ..rules.base import RuleResult, RulesResult
from ..rules.context import Ctx
from ..types import JumpAnalysis, JumpEvent, Run, Scale, VideoMeta
from ..view import Quality
from .location import StoreError
from .posedata import PoseData

_NAN = float("nan")


def _float(v: Any) -> float:
    return _NAN if v is None else float(v)


def _convert(type_name: str, v: Any) -> Any:
    t = str(type_name).replace(" ", "")
    if t == "float":
        return _float(v)
    if t == "list[float]" and isinstance(v, list):
        return [_float(x) for x in v]
    if t == "dict[str,float]" and isinstance(v, dict):
        return {k: _float(x) for k, x in v.items()}
    return v


def from_json(cls: type, d: dict[str, Any]) -> Any:
    """A dataclass from its ``asdict`` JSON: unknown keys ignored, ``null`` floats -> NaN."""
    assert is_dataclass(cls)
    if not isinstance(d, dict):
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


def report_from_dict(d: dict[str, Any], pose: PoseData) -> Report:
    """The ``Report`` a stored session was analysed into (``d``: its JSON, maybe corrected)."""
    n = pose.n_frames
    summary = d.get("summary") or {}
    jumps = jump_events(d.get("jumps") or [])
    analysis = JumpAnalysis(
        jumps=jumps,
        runs=[from_json(Run, r) for r in d.get("runs") or []],
        active_time_s=_float(summary.get("active_time_s", 0.0)),
        jumps_per_minute=_float(summary.get("jumps_per_minute", 0.0)),
        cadence_windows=[(w["start_s"], w["end_s"], _float(w["jumps_per_minute"])) for w in d.get("cadence_windows") or []],
        styles=dict(summary.get("styles") or {}),
        rope_evidence=d.get("rope_evidence") or "",
        notes=list(d.get("jump_notes") or []),
    )
    config_fields = {f.name for f in fields(AnalysisConfig)}
    clip = dict(d["clip"])
    clip.pop("name", None)
    report = Report(
        meta=from_json(VideoMeta, clip),
        config=AnalysisConfig(**{k: v for k, v in (d.get("config") or {}).items() if k in config_fields}),
        pose_model=d.get("pose_model") or "",
        scale=from_json(Scale, d["scale"]),
        quality=from_json(Quality, d["quality"]),
        jumps=analysis,
        t_s=pose.t_s,
        pose_found=pose.pose_found,
        metrics=dict(pose.metrics),
        pose=pose.pose,
        audio=d.get("audio"),
        messages=list(d.get("messages") or []),
        partial=bool(d.get("partial")),
        timings_s=dict(d.get("timings_s") or {}),
    )
    rules = [from_json(RuleResult, r) for r in d.get("rules") or []]
    if rules or d.get("disclaimer") is not None:
        ctx = Ctx(metrics=report.metrics, jumps=jumps, t_s=pose.t_s, fps=report.meta.fps, view=report.quality.view,
                  xy_px=pose.pose.xy_px, cm_per_px=report.scale.cm_per_px,
                  scale_rel_uncertainty=report.scale.relative_uncertainty)
        for r in rules:
            if len(r.jump_verdicts) != len(jumps):
                raise StoreError(f"rule {r.id}: {len(r.jump_verdicts)} verdicts for {len(jumps)} jumps in the stored report")
        report.rules = RulesResult(
            rules=rules,
            session=list(d.get("session") or []),
            priorities=list(d.get("priorities") or []),
            disclaimer=d.get("disclaimer") or "",
            n_frames=n,
            jump_frames=ctx.cycles(),
            extra={"assessable": {r.id: r.status != "na" for r in rules},
                   "has_faults": bool(np.any([r.status == "fault" for r in rules]))},
        )
    return report


def finite_or_none(x: Any) -> float | None:
    """A JSON-safe float (None for NaN, inf or missing)."""
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None
