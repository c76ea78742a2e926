"""The analysis result: one ``Report`` with a versioned JSON export and CSV tables.

JSON schema (``SCHEMA_VERSION``; documented in ``docs/report_schema.md``): top-level keys
``schema``, ``schema_version``, ``clip``, ``config``, ``pose_model``, ``summary``,
``scale``, ``quality``, ``jumps``, ``runs``, ``cadence_windows``, ``rules``, ``findings``,
``priorities``, ``session``, ``audio``, ``messages``, ``notices``, ``partial``, ``timings_s``.
Per-frame values are in ``frames.csv`` (one row per frame) rather than the JSON.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from .audio.evidence import SoundEvidence
from .config import AnalysisConfig
from .io.tables import write_table
from .measure.kinematics import METRICS
from .measure.view import Quality
from .rules.base import RulesResult
from .types import JumpAnalysis, JumpEvent, Notice, PoseSeries, Scale, VideoMeta

SCHEMA = "jumprope-form-report"
SCHEMA_VERSION = "2.0"


def _clean(x: Any) -> Any:
    """JSON-safe: NaN/inf -> None, NumPy scalars -> Python, tuples -> lists."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return _clean(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return v if math.isfinite(v) else None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def _mean(vals: list[float]) -> float:
    a = np.asarray([v for v in vals if v is not None and np.isfinite(v)], float)
    return float(a.mean()) if a.size else float("nan")


@dataclass(frozen=True)
class Report:
    """One clip's analysis, built once from the stage results (``pipeline.py``)."""

    meta: VideoMeta
    config: AnalysisConfig
    pose_model: str
    scale: Scale
    quality: Quality
    jumps: JumpAnalysis
    t_s: np.ndarray  # [T] seconds
    pose_found: np.ndarray  # [T] bool
    metrics: Mapping[str, np.ndarray]  # name -> [T], see measure.kinematics.METRICS
    pose: PoseSeries  # cleaned landmarks, for overlays
    rules: RulesResult | None = None  # None only in hand-built reports (tests)
    sound: SoundEvidence | None = None  # everything the soundtrack says (quiet landings, audio count)
    notices: tuple[Notice, ...] = ()  # what was wrong with the input, what still holds
    timings_s: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "notices", tuple(self.notices))

    @property
    def messages(self) -> list[str]:
        """The notices' sentences, in order (the report's ``messages``)."""
        return [n.text for n in self.notices]

    @property
    def partial(self) -> bool:
        """Some of the clip or of the checks could not be analysed (from the notices' kinds)."""
        return any(n.partial for n in self.notices)

    # -- summary -------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        js = self.jumps.jumps
        n = len(js)
        # Jump height is a two-foot measure; in alternate steps it is the stepping foot's lift.
        measured = [j for j in js if j.foot == "both"] or js
        h_disp = [j.height_cm_displacement for j in measured]
        h_flight = [j.height_cm_flight_time for j in measured]
        rel = self.scale.relative_uncertainty if np.isfinite(self.scale.cm_per_px) else float("nan")
        # The jump height reported: the mean of the heights whose two estimates agree. Its
        # uncertainty is a jump's own (the root mean square of the jumps'), not divided down by
        # their number: a clip's jumps share most of their error (the view, the figure, the way
        # the pose model reads them and the scale are the same on every jump). On the
        # development seeds the jump heights' error shared within a clip was 1.44 cm against
        # 0.62 cm jump by jump (``python -m bench.error_split``), and the mean divided down by
        # the number of jumps was within twice its stated uncertainty of the truth on 37 of 69
        # clips (62 of 69 as now; bench/RESULTS.md, twentieth stop).
        sure = [j for j in measured if np.isfinite(j.height_cm)]
        mean_h = _mean([j.height_cm for j in sure])
        mean_unc = (
            float(np.sqrt(np.mean([j.height_sigma_cm**2 for j in sure])))
            if sure and np.isfinite(mean_h) and np.isfinite(rel)
            else float("nan")
        )
        flight_unc = _mean([j.height_uncertainty_cm for j in measured])
        ts = self.jumps.time_scale
        return {
            "jump_count": n,
            "jumps_per_minute": self.jumps.jumps_per_minute if n else 0.0,
            "active_time_s": self.jumps.active_time_s,
            "breaks": max(0, len(self.jumps.runs) - 1),
            "mean_height_cm": mean_h,
            "mean_height_uncertainty_cm": mean_unc,
            "heights_reliable": len(sure),
            "heights_measured": len(measured),
            "mean_height_cm_displacement": _mean(h_disp),
            "mean_height_cm_flight_time": _mean(h_flight),
            "height_basis": "two-foot jumps" if measured and measured[0].foot == "both" else "stepping foot",
            "mean_height_flight_time_uncertainty_cm": flight_unc,
            "mean_flight_time_s": _mean([j.flight_s for j in js]),
            "mean_contact_time_s": _mean([j.contact_before_s for j in js]),
            "styles": dict(self.jumps.styles),
            "view": self.quality.view,
            "duration_s": float(self.t_s[-1] - self.t_s[0]) if len(self.t_s) > 1 else 0.0,
            "frames": int(len(self.t_s)),
            "fps": self.meta.fps,
            "slow_motion_factor": ts.factor,
            "time_scale_source": ts.source,
        }

    # -- export ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        rules = self.rules.to_dict() if self.rules is not None else None
        return _clean(
            {
                "schema": SCHEMA,
                "schema_version": SCHEMA_VERSION,
                # The file name only: a report is shared or downloaded, and the folder it was
                # analysed in (a server's temporary folder, the user's home) is nobody's business.
                "clip": asdict(self.meta) | {"name": self.meta.name, "path": self.meta.name},
                "config": self.config.to_dict(),
                "pose_model": self.pose_model,
                "summary": self.summary(),
                "scale": asdict(self.scale) | {"relative_uncertainty": self.scale.relative_uncertainty},
                "quality": asdict(self.quality),
                "jumps": [asdict(j) for j in self.jumps.jumps],
                "runs": [asdict(r) for r in self.jumps.runs],
                "cadence_windows": [
                    {"start_s": a, "end_s": b, "jumps_per_minute": c} for a, b, c in self.jumps.cadence_windows
                ],
                "rope_evidence": self.jumps.rope_evidence,
                "time_scale": asdict(self.jumps.time_scale),
                "run_evidence": [asdict(ev) for ev in self.jumps.run_evidence],
                "jump_notes": self.jumps.notes,
                "rules": rules["rules"] if rules else [],
                "findings": rules["findings"] if rules else [],
                "priorities": rules["priorities"] if rules else [],
                "session": rules["session"] if rules else [],
                "disclaimer": rules["disclaimer"] if rules else None,
                "audio": self.sound.to_dict() if self.sound is not None else None,
                "messages": self.messages,
                "notices": [{"kind": n.kind.value, "text": n.text} for n in self.notices],
                "partial": self.partial,
                "timings_s": dict(self.timings_s),
                "metric_info": {k: asdict(v) for k, v in METRICS.items()},
            }
        )

    #: How report.json is laid out (``to_json`` and ``write`` alike).
    _JSON_OPTIONS: ClassVar[dict[str, Any]] = {"indent": 2, "ensure_ascii": False}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), **self._JSON_OPTIONS)

    def frame_rows(self) -> tuple[list[str], list[list[Any]]]:
        names, rows = self.iter_frame_rows()
        return names, list(rows)

    def iter_frame_rows(self) -> tuple[list[str], Iterator[list[Any]]]:
        """``frame_rows`` one row at a time (a long clip's table is never held whole)."""
        names = ["frame", "t_s", "pose_found", *sorted(self.metrics)]
        extra = self.rules.frame_columns() if self.rules is not None else {}
        names += list(extra)
        keys = sorted(self.metrics)

        def rows() -> Iterator[list[Any]]:
            for i in range(len(self.t_s)):
                row: list[Any] = [i, round(float(self.t_s[i]), 4), int(bool(self.pose_found[i]))]
                for k in keys:
                    v = float(self.metrics[k][i])
                    row.append(round(v, 3) if np.isfinite(v) else "")
                row += [col[i] for col in extra.values()]
                yield row

        return names, rows()

    def jump_rows(self) -> tuple[list[str], list[list[Any]]]:
        names = [f.name for f in fields(JumpEvent)]
        extra = self.rules.jump_columns() if self.rules is not None else {}
        names += list(extra)
        rows = []
        for j in self.jumps.jumps:
            d = asdict(j)
            row = [
                round(v, 4) if isinstance(v, float) and np.isfinite(v) else ("" if isinstance(v, float) else v)
                for v in d.values()
            ]
            row += [col[j.index] for col in extra.values()]
            rows.append(row)
        return names, rows

    def write(self, out_dir: str | os.PathLike) -> dict[str, Path]:
        """Write ``report.json``, ``frames.csv`` and ``jumps.csv`` into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {"report": out / "report.json", "frames": out / "frames.csv", "jumps": out / "jumps.csv"}
        with paths["report"].open("w", encoding="utf-8") as f:  # to_json(), written as it is encoded
            json.dump(self.to_dict(), f, **self._JSON_OPTIONS)
        write_table(paths["frames"], *self.iter_frame_rows())
        write_table(paths["jumps"], *self.jump_rows())
        return paths
