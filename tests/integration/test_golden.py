"""Frozen behaviour: the whole pipeline (real video reading, real MediaPipe, sound, jumps,
rules, report) on the quick synthetic suite and three shared real clips, compared with a
stored golden file (``tests/integration/golden/pipeline.json``).

What is compared, per clip: every field of every jump event, runs and cadence windows,
every rule's status, reason, severity, per-jump values and verdicts, episodes and best
frames, the priorities and session advice, the summary figures (count, cadence, heights,
view ...), scale and capture quality, the sound evidence, the messages and ``partial``,
and for every per-frame metric its finite count, mean, minimum and maximum. Numbers must
agree within a relative 1e-9 (the same code on the same machine is deterministic). The pose
runs in one process (``workers=1``: no helper to start; the number of processes never
changes a result, ``tests/integration/test_parallel_clips.py``); a clip of
``stage.MIN_SPLIT_FRAMES`` frames or more (the 29 s 720p real clip; the high-frame-rate
synthetic ones) goes through the plan's segments and seams, as in use.

The golden file records what the code does, not what is right: an issue that changes
the analysis on purpose (jump detection, rules, the synthetic renderer) regenerates it,
and the diff of the file is the review of the change::

    JUMPROPE_UPDATE_GOLDEN=1 python -m pytest tests/integration/test_golden.py -m slow

The synthetic clips are rendered once with ``python -m synthetic.suite DIR --quick`` into
pytest's cache folder (``.pytest_cache/d/golden_suite``, not in git) and reused while their
parameters are unchanged.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import REPO, require_shared_videos

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent / "golden" / "pipeline.json"
UPDATE = os.environ.get("JUMPROPE_UPDATE_GOLDEN", "") not in ("", "0")
REL_TOL = 1e-9
ABS_TOL = 1e-9

SYNTHETIC = ("q_clean_front", "q_clean_side_60", "q_alternate_oblique", "q_double_under_side_60",
             "q_faults_side", "q_arms_front")
REAL = ("side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",
        "front_girl_basic_bounce_studio_idle_start_25fps.mp4",
        "front_woman_boxer_step_garage_timer_panel_720p_30fps.mp4")

#: Per rule: everything it decides (its wording of the threshold is not behaviour).
RULE_KEYS = ("id", "area", "title", "advice", "status", "reason", "unit", "threshold", "severity", "value_median",
             "pass_share", "n_assessed", "jump_values", "jump_verdicts", "episodes", "best_frames", "drift")
#: Top-level report keys compared as they are.
REPORT_KEYS = ("summary", "jumps", "runs", "cadence_windows", "rope_evidence", "jump_notes", "priorities", "session",
               "audio", "messages", "partial", "quality", "scale")


def extract(report) -> dict[str, Any]:
    """The behaviour of one analysis as plain JSON values."""
    d = json.loads(report.to_json())
    out: dict[str, Any] = {k: d[k] for k in REPORT_KEYS}
    out["rules"] = [{k: r[k] for k in RULE_KEYS} for r in d["rules"]]
    metrics = {}
    for name in sorted(report.metrics):
        x = np.asarray(report.metrics[name], float)
        fin = x[np.isfinite(x)]
        metrics[name] = {
            "finite": int(fin.size),
            "mean": float(fin.mean()) if fin.size else None,
            "min": float(fin.min()) if fin.size else None,
            "max": float(fin.max()) if fin.size else None,
        }
    out["metrics"] = metrics
    out["frames"] = int(len(report.t_s))
    return out


def differences(want: Any, got: Any, path: str = "", out: list[str] | None = None) -> list[str]:
    """Where ``got`` differs from ``want`` (numbers within the tolerance), as readable lines."""
    out = [] if out is None else out
    if len(out) >= 30:
        return out
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            if k not in got:
                out.append(f"{path}/{k}: missing (golden {want[k]!r:.80})")
            elif k not in want:
                out.append(f"{path}/{k}: not in the golden file (got {got[k]!r:.80})")
            else:
                differences(want[k], got[k], f"{path}/{k}", out)
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            out.append(f"{path}: {len(got)} items, golden {len(want)}")
        for i, (a, b) in enumerate(zip(want, got)):
            differences(a, b, f"{path}[{i}]", out)
    elif isinstance(want, bool) or isinstance(got, bool) or not (
        isinstance(want, (int, float)) and isinstance(got, (int, float))
    ):
        if want != got:
            out.append(f"{path}: {got!r:.120} != golden {want!r:.120}")
    elif not math.isclose(float(want), float(got), rel_tol=REL_TOL, abs_tol=ABS_TOL):
        out.append(f"{path}: {got!r} != golden {want!r}")
    return out


@pytest.fixture(scope="module")
def suite_dir(request) -> Path:
    """The quick synthetic suite, rendered once into pytest's cache (kept between runs)."""
    try:
        folder = Path(request.config.cache.mkdir("golden_suite"))
    except AttributeError:  # the cache plugin is disabled (-p no:cacheprovider)
        folder = request.getfixturevalue("tmp_path_factory").mktemp("golden_suite")
    subprocess.run([sys.executable, "-m", "synthetic.suite", str(folder), "--quick"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    return folder


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    if UPDATE or not GOLDEN.is_file():
        return {}
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["clips"]


_GOT: dict[str, dict[str, Any]] = {}


def _check(name: str, got: dict[str, Any], golden: dict[str, Any]) -> None:
    _GOT[name] = got
    if UPDATE:
        return
    if name not in golden:
        pytest.fail(f"{name}: not in {GOLDEN.relative_to(REPO)}; regenerate it with JUMPROPE_UPDATE_GOLDEN=1 "
                    "(see this module's docstring)")
    want = golden[name]
    if "params_hash" in want and want["params_hash"] != got.get("params_hash"):
        pytest.fail(f"{name}: the synthetic clip's parameters changed (params hash {got.get('params_hash')} != "
                    f"golden {want['params_hash']}): the synthetic suite was edited; regenerate the golden file "
                    "with JUMPROPE_UPDATE_GOLDEN=1")
    diff = differences(want, got)
    assert not diff, f"{name}: the analysis changed ({len(diff)}+ differences):\n" + "\n".join(diff)


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_clip_matches_golden(name, suite_dir, golden):
    from analysis import AnalysisConfig, analyze_video  # noqa: PLC0415 - the package under test, imported when run

    truth = json.loads((suite_dir / f"{name}.truth.json").read_text())
    config = AnalysisConfig(standing_height_cm=truth["standing_height_cm"])
    report = analyze_video(suite_dir / f"{name}.mp4", config, workers=1)  # one tracker, whatever the load
    _check(name, {"params_hash": truth["params_hash"], **extract(report)}, golden)


@pytest.mark.parametrize("name", REAL)
def test_real_clip_matches_golden(name, golden):
    from analysis import AnalysisConfig, analyze_video  # noqa: PLC0415 - as above

    root = require_shared_videos()
    report = analyze_video(root / name, AnalysisConfig(), workers=1)  # one tracker, whatever the load
    _check(name, extract(report), golden)


def test_zz_write_golden_file():
    """With JUMPROPE_UPDATE_GOLDEN=1: write what the tests above measured (runs last)."""
    if not UPDATE:
        pytest.skip("compare mode (set JUMPROPE_UPDATE_GOLDEN=1 to rewrite the golden file)")
    missing = [n for n in (*SYNTHETIC, *REAL) if n not in _GOT]
    assert not missing, f"run the whole module to rewrite the golden file; missing: {missing}"
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    body = {"about": "tests/integration/test_golden.py: the pipeline's behaviour, frozen; regenerate with "
                     "JUMPROPE_UPDATE_GOLDEN=1 python -m pytest tests/integration/test_golden.py -m slow",
            "clips": {n: _GOT[n] for n in (*SYNTHETIC, *REAL)}}
    GOLDEN.write_text(json.dumps(body, indent=1, sort_keys=True, allow_nan=False) + "\n", encoding="utf-8")
