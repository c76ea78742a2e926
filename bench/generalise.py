"""Generalisation benchmark: the analysis on randomised synthetic clips it was never tuned on.

    python -m bench.generalise --n N --seed S [--workers K] [--json PATH] [--keep DIR]
                               [--timeout SEC] [--no-results]

Renders clips ``S .. S+N-1`` (``synthetic.randomise.draw_clip``) into a temporary folder
(deleted afterwards unless ``--keep DIR``), runs ``analysis.pipeline.analyze_video`` on
each with the clip's true standing height, in ``K`` worker processes, and prints:

* count exact rate and mean absolute count error by movement/style, view bin, fps band
  and capture condition; no-rope movements are negatives with a true count of 0;
* slow-motion factor error; height MAE and the share of heights flagged unreliable;
  knee-angle MAE at touchdown;
* per-rule precision, recall and F1 at clip level (borderline truths excluded, and
  counted), and faults raised on clean clips;
* the renderer check: MediaPipe's raw landmarks (before any cleaning) against the
  drawn truth, on landmarks inside the frame and not hidden, and the share of frames
  with a pose, per condition.

It replaces the "generalise" section of bench/RESULTS.md (unless ``--no-results``) and,
with ``--json``, writes one row per clip (params, labels, truth summary, predictions,
per-rule statuses, scores, renderer check, timings, error). A clip that fails is
recorded with its error; a clip that runs past ``--timeout`` seconds is stopped and
recorded as a timeout; neither stops the run.

Seeds: development 1000-1999, reporting from 100000 (``synthetic.randomise``). Tune on
the first, report on the second.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from multiprocessing.connection import wait
from pathlib import Path

import numpy as np

DEFAULT_TIMEOUT_S = 900.0
#: Statuses a rule can have in a report that are scored at clip level: "fault" is a
#: fault; "pass" and "borderline" (within the measurement's uncertainty of the threshold)
#: are not. "na" (not assessable) and rules absent from the report are counted apart.
SCORED = ("pass", "borderline", "fault")


# ----------------------------------------------------------------------------- report -> predictions


def predictions(report) -> dict:
    """Everything the benchmark scores, read from a Report's ``to_dict()`` (schema 2.0);
    fields that are absent get a stated default.

    * ``count``: ``summary.jump_count`` (else the number of jumps).
    * ``slowmo_factor``: ``time_scale.factor``; ``slowmo_reported``: the time scale's
      ``source`` is not "real time" (estimated from gravity, a rhythm bound, or stated).
      Without a ``time_scale``: 1.0, not reported. ``time_scale`` keeps the source and
      gravity's estimate and uncertainty.
    * ``jumps``: take-off/landing times; ``height_cm`` the checked height (finite only
      where the displacement and flight-time estimates agree); ``height_reliable``
      ``height_status == "ok"`` (or, without a status, a finite checked height);
      ``height_cm_displacement`` and ``height_cm_flight_time`` the two estimates;
      ``rope_passes_seen`` (-1: could not be looked for).
    * ``rules``: rule id -> status (``pass``, ``borderline``, ``fault``, ``na``, ...).
    * ``rope``: the rope evidence per stretch of rhythmic jumping (``run_evidence``):
      whether it was counted, why, and its cues (``for``/``against`` decided it).
    * ``view``: the view the analysis decided on.
    """
    d = report.to_dict()
    summary = d.get("summary") or {}
    jumps = d.get("jumps") or []
    ts = d.get("time_scale") if isinstance(d.get("time_scale"), dict) else None
    factor = _f(ts.get("factor")) if ts else None
    source = str(ts.get("source")) if ts and ts.get("source") is not None else None
    rules = {}
    for r in d.get("rules") or []:
        rid = r.get("id")
        if rid:
            rules[rid] = str(r.get("status", "na"))
    return {
        "count": int(summary.get("jump_count", len(jumps))),
        "slowmo_factor": factor if factor is not None else 1.0,
        "slowmo_reported": factor is not None and source != "real time",
        "time_scale": None if ts is None else {"source": source, "estimate": _f(ts.get("estimate")),
                                                "uncertainty": _f(ts.get("uncertainty")),
                                                "n_jumps": ts.get("n_jumps")},
        "view": summary.get("view"),
        "jumps": [_jump(j) for j in jumps],
        "rules": rules,
        "rope": rope_evidence(d),
        "partial": bool(d.get("partial", False)),
        "messages": list(d.get("messages") or [])[:5],
    }


def _jump(j: dict) -> dict:
    status = j.get("height_status")
    checked = _f(j.get("height_cm"))
    reliable = (status == "ok") if status is not None else (checked is not None if "height_cm" in j else None)
    return {"takeoff_s": _f(j.get("takeoff_s")), "landing_s": _f(j.get("landing_s")),
            "height_cm": checked, "height_sigma_cm": _f(j.get("height_sigma_cm")), "height_status": status,
            "height_cm_displacement": _f(j.get("height_cm_displacement")),
            "height_cm_flight_time": _f(j.get("height_cm_flight_time")),
            "height_reliable": reliable, "foot": j.get("foot"),
            "rope_passes_seen": j.get("rope_passes_seen")}


def rope_evidence(d: dict) -> dict:
    """The report's rope evidence in short, for failure analysis: per stretch of rhythmic
    jumping (``run_evidence``) whether it was counted, why, the turns per jump from the
    hands, the rope passes seen, and every cue (the ``for``/``against`` ones decided)."""
    runs = []
    for ev in d.get("run_evidence") or []:
        cues = [{"name": c.get("name"), "verdict": c.get("verdict"), "strength": _round(c.get("strength"), 3),
                 "detail": str(c.get("detail") or "")[:160]} for c in ev.get("cues") or []]
        passes = [int(x) for x in ev.get("rope_passes") or [] if x is not None]
        runs.append({"start_s": _round(ev.get("start_s"), 2), "end_s": _round(ev.get("end_s"), 2),
                     "accepted": bool(ev.get("accepted")), "reason": str(ev.get("reason") or "")[:200],
                     # The rope's evidence held but no jump was counted there (``RunEvidence.uncounted``).
                     "uncounted": str(ev.get("uncounted") or "")[:200],
                     "turns_per_jump": _f(ev.get("turns_per_jump")),
                     "decided_by": [f"{c['name']}:{c['verdict']}" for c in cues if c["verdict"] in ("for", "against")],
                     "cues": cues, "rope_passes": passes})
    return {"summary": str(d.get("rope_evidence") or "")[:300], "runs": runs,
            "runs_counted": sum(r["accepted"] and not r["uncounted"] for r in runs),
            "runs_rejected": sum(not r["accepted"] for r in runs)}


def _round(x, nd: int) -> float | None:
    v = _f(x)
    return None if v is None else round(v, nd)


def _f(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


# ----------------------------------------------------------------------------- truth summary


#: Renderer fault names -> analysis rule ids (only where they differ).
RULE_ALIASES = {"posture.head_forward": "posture.eyes_forward"}


def truth_summary(truth: dict) -> dict:
    """What a clip's truth says, in the benchmark's terms (old and new truth schemas)."""
    rules: dict[str, dict] = {}
    if isinstance(truth.get("rules"), dict):  # per-rule truth with borderline flags
        for name, r in truth["rules"].items():
            rid = r.get("analysis_rule") or RULE_ALIASES.get(name, name)
            rules[rid] = {"fault": bool(r.get("fault")), "borderline": bool(r.get("borderline")),
                          "applies": bool(r.get("applies", True)), "value": r.get("value")}
    else:  # the fixed suite's truth: the injected faults, no borderline information
        for f in truth.get("faults") or []:
            rid = f.get("analysis_rule") or RULE_ALIASES.get(f["rule"], f["rule"])
            rules[rid] = {"fault": True, "borderline": False, "applies": True, "value": f.get("value")}
    jumps = truth.get("jumps") or []
    count = int(truth.get("true_count", len(jumps)))
    return {
        "count": count,
        "negative": count == 0,
        "movement": truth.get("movement") or "skipping",
        "style": truth.get("style"),
        "slowmo_factor": float(truth.get("slowmo_factor", 1.0) or 1.0),
        "standing_height_cm": truth.get("standing_height_cm"),
        "n_frames": truth.get("n_frames"),
        "fps": truth.get("fps"),
        "view": truth.get("view"),
        "rules": rules,
        "clean": not any(r["fault"] or r["borderline"] for r in rules.values()),
        "capture": truth.get("capture"),
        "rope_passes_visible": [v for j in jumps for v in j.get("rope_visible", [])],
    }


# ----------------------------------------------------------------------------- one clip


class RecordingEstimator:
    """Wraps the pose estimator and keeps its raw landmarks (before any cleaning). A
    context manager, like the estimators (``analysis.pose.estimators``): closing it
    closes the wrapped one."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.raw: list[np.ndarray | None] = []
        self.scale: float = 1.0

    def process(self, rgb: np.ndarray, t_s: float):
        pf = self.inner.process(rgb, t_s)
        self.raw.append(None if pf is None else np.asarray(pf.xy_px, float).copy())
        self.width = rgb.shape[1]
        return pf

    def close(self) -> None:
        self.inner.close()

    def __enter__(self) -> RecordingEstimator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def renderer_check(raw: list, truth: dict, rgb_width: int) -> dict:
    """MediaPipe's raw landmarks against the drawn truth: pose-found share and errors (px
    and as a share of the standing figure's height) on landmarks inside the frame and
    not hidden."""
    fr = truth["frames"]
    true_px = np.asarray(fr["landmarks_px"], float)
    n = min(len(raw), len(true_px))
    if n == 0:
        return {"frames": 0, "pose_found_share": 0.0, "median_px": None, "p90_px": None, "median_frac": None}
    scale = truth["width"] / max(rgb_width, 1)
    visible = np.asarray(fr.get("landmarks_in_frame", np.ones(true_px.shape[:2])), bool)
    if "landmarks_hidden" in fr:
        visible &= ~np.asarray(fr["landmarks_hidden"], bool)
    errs = []
    found = 0
    for f in range(n):
        if raw[f] is None:
            continue
        found += 1
        e = np.linalg.norm(raw[f] * scale - true_px[f], axis=1)[visible[f]]
        errs.append(e)
    err = np.concatenate(errs) if errs else np.zeros(0)
    fig = (truth.get("capture") or {}).get("figure_height_px")
    med = float(np.median(err)) if err.size else None
    return {"frames": n, "pose_found_share": found / n, "median_px": med,
            "p90_px": float(np.percentile(err, 90)) if err.size else None,
            "median_frac": med / fig if (med is not None and fig) else None,
            "visible_landmark_share": float(visible[:n].mean())}


def _match(pred_jumps: list[dict], true_jumps: list[dict]) -> list[tuple[dict, dict]]:
    """Pair predicted and true jumps by take-off time (each at most once, within half a period)."""
    if not true_jumps:
        return []
    ts = [j["takeoff_s"] for j in true_jumps]
    period = float(np.median(np.diff(ts))) if len(ts) > 1 else 1.0
    pairs, used = [], set()
    for tj in true_jumps:
        best, best_d = None, 0.5 * period
        for k, pj in enumerate(pred_jumps):
            if k in used or pj["takeoff_s"] is None:
                continue
            d = abs(pj["takeoff_s"] - tj["takeoff_s"])
            if d <= best_d:
                best, best_d = k, d
        if best is not None:
            used.add(best)
            pairs.append((pred_jumps[best], tj))
    return pairs


def score_clip(pred: dict, truth: dict, ts: dict, metrics: dict | None) -> dict:
    """Per-clip scores: count, slow motion, heights, knee at touchdown, rule verdicts."""
    out = {"count_true": ts["count"], "count_pred": pred["count"], "count_abs_err": abs(pred["count"] - ts["count"]),
           "count_exact": pred["count"] == ts["count"],
           "slowmo_true": ts["slowmo_factor"], "slowmo_pred": pred["slowmo_factor"],
           "slowmo_reported": pred["slowmo_reported"],
           "slowmo_abs_err": abs(pred["slowmo_factor"] - ts["slowmo_factor"])}
    pairs = _match(pred["jumps"], truth.get("jumps") or [])
    two_foot = [(p, t) for p, t in pairs if t.get("foot", "both") == "both"]
    reliable = [(p, t) for p, t in two_foot if p["height_reliable"] is not False and p["height_cm"] is not None]
    out["height_matched"] = len(two_foot)
    out["height_flagged_unreliable"] = sum(p["height_reliable"] is False for p, _ in two_foot)
    out["height_flag_reported"] = any(p["height_reliable"] is not None for p, _ in two_foot)
    out["height_abs_err_cm"] = [round(abs(p["height_cm"] - t["height_cm"]), 3) for p, t in reliable]
    # The unchecked displacement height on every matched two-foot jump (what the check
    # filters), and why heights were withheld.
    out["height_abs_err_cm_displacement"] = [round(abs(p["height_cm_displacement"] - t["height_cm"]), 3)
                                             for p, t in two_foot if p.get("height_cm_displacement") is not None]
    statuses: dict[str, int] = defaultdict(int)
    for p, _ in two_foot:
        statuses[str(p.get("height_status"))] += 1
    out["height_status"] = dict(sorted(statuses.items()))
    knee = []
    if metrics and "knee_angle_deg_left" in metrics:
        left, right = np.asarray(metrics["knee_angle_deg_left"]), np.asarray(metrics["knee_angle_deg_right"])
        for t in truth.get("jumps") or []:
            f = min(int(t["landing_frame"]), len(left) - 1)
            v = np.array([left[f], right[f]], float)
            if np.isfinite(v).any():
                knee.append(round(abs(float(np.nanmax(v)) - t["knee_touchdown_deg"]), 3))
    out["knee_abs_err_deg"] = knee
    rules = {}
    for rid, status in pred["rules"].items():
        t = ts["rules"].get(rid, {"fault": False, "borderline": False, "applies": False})
        rules[rid] = {"pred": status, "true_fault": t["fault"], "borderline": t["borderline"]}
    for rid, t in ts["rules"].items():  # truth rules the report does not list
        rules.setdefault(rid, {"pred": "absent", "true_fault": t["fault"], "borderline": t["borderline"]})
    out["rules"] = rules
    out["faults_raised"] = sorted(r for r, s in pred["rules"].items() if s == "fault")
    out["borderline_raised"] = sorted(r for r, s in pred["rules"].items() if s == "borderline")
    return out


def run_clip(seed: int, outdir: str, keep: bool, small: bool = False) -> dict:
    """Render, analyse and score one clip; never raises (errors go into the row)."""
    row: dict = {"seed": int(seed), "status": "ok", "error": None, "timings_s": {}}
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        from synthetic.clip import generate  # noqa: PLC0415 - the renderer is a bench tool
        from synthetic.randomise import draw_clip  # noqa: PLC0415

        p, labels = draw_clip(seed, small=small)
        row["labels"] = labels
        row["params"] = p.to_dict()
        video = Path(outdir) / f"clip_{seed}.mp4"
        truth = generate(p, video, seed=int(seed))
        row["timings_s"]["render"] = time.perf_counter() - t0
        row["timings_s"]["render_cpu"] = time.process_time() - c0
        ts = truth_summary(truth)
        row["truth"] = {k: v for k, v in ts.items() if k != "rope_passes_visible"}
        passes = ts["rope_passes_visible"]
        row["truth"]["rope_visible_share"] = float(np.mean(passes)) if passes else None
    except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
        row.update(status="error", error=f"render: {type(exc).__name__}: {exc}", trace=traceback.format_exc()[-2000:])
        row["timings_s"]["total"] = time.perf_counter() - t0
        return row
    t1, c1 = time.perf_counter(), time.process_time()
    metrics = None
    try:
        from analysis.config import AnalysisConfig  # noqa: PLC0415
        from analysis.pipeline import analyze_video  # noqa: PLC0415
        from analysis.pose.estimators import make_estimator  # noqa: PLC0415
        from analysis.types import AnalysisError  # noqa: PLC0415

        with RecordingEstimator(make_estimator()) as rec:  # the caller of analyze_video closes it
            try:
                report = analyze_video(video, AnalysisConfig(standing_height_cm=truth["standing_height_cm"]),
                                       estimator=rec)
                pred = predictions(report)
                row["analysis_stages_s"] = {k: round(float(v), 3) for k, v in report.timings_s.items()}
                metrics = {k: np.asarray(v) for k, v in report.metrics.items() if k.startswith("knee_angle_deg_")}
            except AnalysisError as exc:  # the analysis refused the clip, with a message: a count of 0
                row["status"] = "refused"
                row["error"] = str(exc)[:500]
                pred = {"count": 0, "slowmo_factor": 1.0, "slowmo_reported": False, "time_scale": None,
                        "view": None, "jumps": [], "rules": {}, "rope": None, "partial": True,
                        "messages": [str(exc)[:300]]}
        row["timings_s"]["analysis"] = time.perf_counter() - t1
        row["timings_s"]["analysis_cpu"] = time.process_time() - c1  # all threads of the process
        row["predictions"] = {k: v for k, v in pred.items() if k != "jumps"}
        row["predictions"]["heights_cm"] = [j["height_cm"] for j in pred["jumps"]]
        row["predictions"]["height_reliable"] = [j["height_reliable"] for j in pred["jumps"]]
        row["predictions"]["height_status"] = [j["height_status"] for j in pred["jumps"]]
        row["predictions"]["rope_passes_seen"] = [j["rope_passes_seen"] for j in pred["jumps"]]
        row["scores"] = score_clip(pred, truth, ts, metrics)
        row["renderer"] = renderer_check(rec.raw, truth, getattr(rec, "width", truth["width"]))
        row["frames"] = truth["n_frames"]
    except Exception as exc:  # noqa: BLE001
        row.update(status="error", error=f"analysis: {type(exc).__name__}: {exc}", trace=traceback.format_exc()[-2000:])
    finally:
        if not keep:
            for path in (video, video.with_name(video.stem + ".truth.json")):
                path.unlink(missing_ok=True)
    row["timings_s"]["total"] = time.perf_counter() - t0
    return row


# ----------------------------------------------------------------------------- worker pool


def _worker(conn, outdir: str, keep: bool, small: bool) -> None:
    # Import the heavy modules once, before the first clip, so that its timings hold
    # only its own work.
    import mediapipe  # noqa: F401, PLC0415

    import analysis.pipeline  # noqa: F401, PLC0415
    import synthetic.clip  # noqa: PLC0415
    import synthetic.randomise  # noqa: F401, PLC0415

    while True:
        try:
            seed = conn.recv()
        except EOFError:
            return
        if seed is None:
            return
        conn.send(run_clip(seed, outdir, keep, small))


class _Slot:
    def __init__(self, ctx, outdir: str, keep: bool, small: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, outdir, keep, small), daemon=True)
        self.proc.start()
        child.close()
        self.seed: int | None = None
        self.t0 = 0.0

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.proc.kill()
            else:
                self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=5)


def run_many(seeds: list[int], workers: int, outdir: str, keep: bool, timeout_s: float,
             on_row=None, small: bool = False) -> list[dict]:
    """Run every seed in ``workers`` processes; a clip past ``timeout_s`` is stopped and
    recorded, a worker that dies is replaced."""
    ctx = mp.get_context("spawn")
    todo = list(seeds)
    slots = [_Slot(ctx, outdir, keep, small) for _ in range(max(1, min(workers, len(todo))))]
    rows: list[dict] = []

    def done(row: dict) -> None:
        rows.append(row)
        if on_row:
            on_row(row, len(rows), len(seeds))

    try:
        while todo or any(s.seed is not None for s in slots):
            for s in slots:
                if s.seed is None and todo:
                    s.seed, s.t0 = todo.pop(0), time.perf_counter()
                    s.conn.send(s.seed)
            busy = [s for s in slots if s.seed is not None]
            ready = wait([s.conn for s in busy], timeout=1.0)
            for s in busy:
                if s.conn in ready:
                    try:
                        row = s.conn.recv()
                    except (EOFError, OSError):
                        row = {"seed": s.seed, "status": "error", "error": "worker process died",
                               "timings_s": {"total": time.perf_counter() - s.t0}}
                        s.stop(kill=True)
                        slots[slots.index(s)] = _Slot(ctx, outdir, keep, small)
                    else:
                        s.seed = None
                    done(row)
                elif time.perf_counter() - s.t0 > timeout_s:
                    seed = s.seed
                    s.stop(kill=True)
                    slots[slots.index(s)] = _Slot(ctx, outdir, keep, small)
                    for f in Path(outdir).glob(f"clip_{seed}.*"):
                        if not keep:
                            f.unlink(missing_ok=True)
                    done({"seed": seed, "status": "timeout", "error": f"no result within {timeout_s:g} s",
                          "timings_s": {"total": timeout_s}})
                elif not s.proc.is_alive():
                    seed = s.seed
                    slots[slots.index(s)] = _Slot(ctx, outdir, keep, small)
                    done({"seed": seed, "status": "error", "error": "worker process died",
                          "timings_s": {"total": time.perf_counter() - s.t0}})
    finally:
        for s in slots:
            s.stop()
    rows.sort(key=lambda r: r["seed"])
    return rows


# ----------------------------------------------------------------------------- aggregation


def _mean(v) -> float | None:
    v = [x for x in v if x is not None]
    return float(np.mean(v)) if v else None


def _median(v) -> float | None:
    v = [x for x in v if x is not None]
    return float(np.median(v)) if v else None


def _groups(rows: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Rows by movement, view bin, fps band and capture condition (truth-measured tags
    when the truth has them, else the draw's)."""
    g: dict[str, dict[str, list[dict]]] = {k: defaultdict(list) for k in ("movement", "view", "fps", "condition")}
    for r in rows:
        lab = r.get("labels") or {}
        g["movement"][lab.get("movement", "?")].append(r)
        g["view"][lab.get("view_bin", "?")].append(r)
        g["fps"][lab.get("fps_band", "?")].append(r)
        for t in condition_tags(r) or ["plain_capture"]:
            g["condition"][t].append(r)
    return g


def condition_tags(row: dict) -> list[str]:
    """Capture tags of a row: the truth's measured tags (cuts measured over the clip),
    plus ``slowmo`` from the draw."""
    cap = ((row.get("truth") or {}).get("capture") or {})
    tags = list(cap.get("tags") or (row.get("labels") or {}).get("tags") or [])
    if (row.get("labels") or {}).get("slowmo_factor", 1.0) > 1 and "slowmo" not in tags:
        tags.append("slowmo")
    vis = (row.get("truth") or {}).get("rope_visible_share")
    if vis is not None and vis < 0.5 and not (row.get("truth") or {}).get("negative"):
        tags.append("rope_hardly_visible")
    return tags


def group_stats(rows: list[dict]) -> dict:
    ok = [r for r in rows if "scores" in r]
    sc = [r["scores"] for r in ok]
    neg = [s for r, s in zip(ok, sc) if r["truth"]["negative"]]
    h = [e for s in sc for e in s["height_abs_err_cm"]]
    k = [e for s in sc for e in s["knee_abs_err_deg"]]
    rend = [r["renderer"] for r in ok if r.get("renderer")]
    return {
        "n": len(rows), "scored": len(ok), "errors": sum(r["status"] in ("error", "timeout") for r in rows),
        "count_exact_rate": _mean([float(s["count_exact"]) for s in sc]),
        "count_mae": _mean([s["count_abs_err"] for s in sc]),
        "negatives": len(neg), "negatives_exact_zero": _mean([float(s["count_pred"] == 0) for s in neg]),
        "height_mae_cm": _mean(h), "knee_mae_deg": _mean(k),
        "pose_found": _mean([x["pose_found_share"] for x in rend]),
        "landmark_median_px": _median([x["median_px"] for x in rend]),
        "landmark_median_frac": _median([x["median_frac"] for x in rend]),
    }


def rule_stats(rows: list[dict]) -> dict[str, dict]:
    """Per analysis rule, clip level: tp/fp/fn/tn where the analysis gave a verdict (pass,
    borderline or fault; borderline is not a fault) and the truth is not borderline.
    Counted apart: borderline truths (excluded), borderline verdicts (``pred_borderline``,
    every one; those on a clear truth are scored as not-a-fault, and ``borderline_on_fault``
    of them were on a true fault), not-assessable or absent verdicts (``pred_na``)."""
    out: dict[str, dict] = {}
    for r in rows:
        for rid, v in (r.get("scores") or {}).get("rules", {}).items():
            c = out.setdefault(rid, {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "borderline_truth": 0,
                                     "pred_borderline": 0, "borderline_on_fault": 0, "pred_na": 0})
            if v["pred"] == "borderline":
                c["pred_borderline"] += 1
            if v["borderline"]:
                c["borderline_truth"] += 1
                continue
            if v["pred"] not in SCORED:
                c["pred_na"] += 1
                continue
            pos, said = v["true_fault"], v["pred"] == "fault"
            c["borderline_on_fault"] += int(pos and v["pred"] == "borderline")
            c["tp" if pos and said else "fp" if said else "fn" if pos else "tn"] += 1
    for c in out.values():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        c["precision"] = tp / (tp + fp) if tp + fp else None
        c["recall"] = tp / (tp + fn) if tp + fn else None
        c["f1"] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return dict(sorted(out.items()))


def _sum_counts(dicts) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for d in dicts:
        for k, v in d.items():
            out[k] += int(v)
    return dict(sorted(out.items()))


def rope_stats(rows: list[dict]) -> dict:
    """The rope evidence against the truth: negatives with a stretch counted as skipping,
    rope clips with a stretch not counted, and the cues that decided in each case."""
    out = {"negatives_with_run_counted": 0, "rope_clips_with_run_rejected": 0,
           "decided_negatives_counted": defaultdict(int), "decided_rope_rejected": defaultdict(int)}
    for r in rows:
        rope = (r.get("predictions") or {}).get("rope") or {}
        runs = rope.get("runs") or []
        if r["truth"]["negative"]:
            bad = [x for x in runs if x["accepted"]]
            out["negatives_with_run_counted"] += bool(bad)
            key = "decided_negatives_counted"
        else:
            bad = [x for x in runs if not x["accepted"]]
            out["rope_clips_with_run_rejected"] += bool(bad)
            key = "decided_rope_rejected"
        for x in bad:
            for cue in x.get("decided_by") or []:
                out[key][cue] += 1
    for key in ("decided_negatives_counted", "decided_rope_rejected"):
        out[key] = dict(sorted(out[key].items(), key=lambda kv: -kv[1]))
    return out


def summarise(rows: list[dict], wall_s: float, args: dict) -> dict:
    ok = [r for r in rows if "scores" in r]
    sc = [r["scores"] for r in ok]
    clean = [r for r in ok if r["truth"]["clean"]]
    slow = [r["scores"] for r in ok if r["truth"]["slowmo_factor"] > 1]
    flagged = sum(s["height_flagged_unreliable"] for s in sc)
    matched = sum(s["height_matched"] for s in sc)
    by_res: dict[int, list] = defaultdict(list)
    for r in ok:
        t = r["timings_s"]
        if t.get("render") and r.get("frames"):
            by_res[r["labels"]["resolution_p"]].append((r["frames"], t["render"], t.get("render_cpu") or t["render"]))
    render_speed = {str(res): {"wall": round(sum(x[0] for x in v) / sum(x[1] for x in v), 1),
                               "cpu": round(sum(x[0] for x in v) / sum(x[2] for x in v), 1), "clips": len(v)}
                    for res, v in sorted(by_res.items())}
    an = [(r["frames"], r["timings_s"]["analysis"], r["timings_s"].get("analysis_cpu")) for r in ok
          if r.get("frames") and r["timings_s"].get("analysis")]
    analysis_speed = {"wall": round(sum(x[0] for x in an) / sum(x[1] for x in an), 1) if an else None,
                      "cpu": round(sum(x[0] for x in an) / sum(x[2] for x in an), 1) if an and all(x[2] for x in an)
                      else None}
    cpu_total = sum((r["timings_s"].get("render_cpu") or 0) + (r["timings_s"].get("analysis_cpu") or 0) for r in rows)
    total_frames = sum(r.get("frames", 0) for r in ok)
    groups = {name: {k: group_stats(v) for k, v in sorted(g.items())} for name, g in _groups(rows).items()}
    return {
        "args": args,
        "wall_s": wall_s,
        "finished_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_end": [round(x, 1) for x in os.getloadavg()],
        "n": len(rows),
        "status": {s: sum(r["status"] == s for r in rows) for s in ("ok", "refused", "error", "timeout")},
        "overall": group_stats(rows),
        "groups": groups,
        "slowmo": {"clips": len(slow), "reported": sum(s["slowmo_reported"] for s in slow),
                   "mae": _mean([s["slowmo_abs_err"] for s in slow]),
                   "normal_speed_reported_wrong": sum(s["slowmo_reported"] and abs(s["slowmo_pred"] - 1) > 0.25
                                                      for r, s in zip(ok, sc) if r["truth"]["slowmo_factor"] == 1)},
        "height": {"mae_cm": _mean([e for s in sc for e in s["height_abs_err_cm"]]), "matched": matched,
                   "displacement_mae_cm": _mean([e for s in sc for e in s.get("height_abs_err_cm_displacement", [])]),
                   "status": _sum_counts(s.get("height_status") or {} for s in sc),
                   "flagged_unreliable": flagged, "flag_reported": any(s["height_flag_reported"] for s in sc),
                   "unreliable_share": flagged / matched if matched else None},
        "knee_mae_deg": _mean([e for s in sc for e in s["knee_abs_err_deg"]]),
        "rules": rule_stats(ok),
        "clean_clips": len(clean),
        "faults_on_clean": sum(len(r["scores"]["faults_raised"]) for r in clean),
        "clean_clips_with_fault": sum(bool(r["scores"]["faults_raised"]) for r in clean),
        "borderline_on_clean": sum(len(r["scores"].get("borderline_raised", [])) for r in clean),
        "rope": rope_stats(ok),
        "frames": total_frames,
        "render_fps_by_resolution": render_speed,
        "analysis_fps": analysis_speed,
        "cpu_s_total": cpu_total,
        "mean_s_per_clip": {k: _mean([r["timings_s"].get(k) for r in ok]) for k in ("render", "analysis", "total")},
        "low_pose_found": sorted(({"seed": r["seed"], "found": round(r["renderer"]["pose_found_share"], 2),
                                   "tags": condition_tags(r), "view": r["labels"]["view_bin"],
                                   "figure_px": (r["truth"].get("capture") or {}).get("figure_height_px")}
                                  for r in ok if r["renderer"]["pose_found_share"] < 0.8), key=lambda x: x["found"]),
        "errors": [{"seed": r["seed"], "status": r["status"], "error": r["error"]} for r in rows
                   if r["status"] in ("error", "timeout", "refused")],
    }


# ----------------------------------------------------------------------------- report


def _fmt(x, nd: int = 2) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _group_table(title: str, stats: dict[str, dict]) -> list[str]:
    lines = [f"**{title}**", "", "| group | clips | count exact | count MAE | negatives: exact 0 | height MAE cm | "
             "knee MAE deg | pose found | landmark median px (/ figure height) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for k, s in stats.items():
        neg = f"{_fmt(s['negatives_exact_zero'])} of {s['negatives']}" if s["negatives"] else "-"
        lm = f"{_fmt(s['landmark_median_px'], 1)} ({_fmt(s['landmark_median_frac'], 3)})"
        err = f" ({s['errors']} failed)" if s["errors"] else ""
        lines.append(f"| {k} | {s['n']}{err} | {_fmt(s['count_exact_rate'])} | {_fmt(s['count_mae'])} | {neg} | "
                     f"{_fmt(s['height_mae_cm'])} | {_fmt(s['knee_mae_deg'], 1)} | {_fmt(s['pose_found'])} | {lm} |")
    return lines + [""]


def to_markdown(res: dict, command: str, when: str | None = None, load: list | None = None) -> str:
    a = res["args"]
    o = res["overall"]
    seed_kind = ("DEVELOPMENT" if 1000 <= a["seed"] and a["seed"] + a["n"] - 1 <= 1999
                 else "REPORTING" if a["seed"] >= 100_000 else "other")
    sm, h = res["slowmo"], res["height"]
    rope = res.get("rope") or {}
    lines = [
        "## Generalisation: randomised synthetic suite (`bench/generalise.py`)",
        "",
        f"Command: `{command}` ({when or res.get('finished_utc')}); seeds {a['seed']}-"
        f"{a['seed'] + a['n'] - 1} = **{seed_kind} seeds**; {a['workers']} worker processes; wall time "
        f"{res['wall_s'] / 60:.1f} min for {res['frames']} frames; load average at the end "
        f"{' '.join(f'{x:.1f}' for x in (load or res.get('load_end') or []))} (the 2 cores are shared).",
        "",
        "Seed ranges (`synthetic/randomise.py`): development 1000-1999 (look at failures, choose thresholds), "
        "reporting from 100000 (figures that claim generalisation; nothing tuned on them).",
        "",
        "Frame budget (`synthetic/randomise.py`): the frame rate is drawn first (30 fps 36 %, 60 fps 19 %, "
        "24/25/29.97 19 %, 50/59.94 8 %, 120 fps 7 %, 240 fps 4 %, 10-15 fps 7 %; slow motion plays back at "
        "24-30 fps), then a per-clip budget of 120 * 10 ** (u ** 2) frames (u uniform) as a length held to "
        "5-90 s and at most 1200 frames (600 at 1080p); the motion side fills 70-100 % of it. That is ~380 "
        "frames a clip on average (~75 000 for 200 clips), sized so that render + analysis of 200 clips takes "
        "about an hour with 2 workers on 2 idle cores (speeds below).",
        "",
        f"Clips: {res['n']} ({', '.join(f'{k} {v}' for k, v in res['status'].items() if v)}). "
        f"Refused = the analysis raised a clear error (scored as a count of 0).",
        "",
        "| measure | result |",
        "|---|---|",
        f"| count exact (all clips) | {_fmt(o['count_exact_rate'])} |",
        f"| count mean absolute error | {_fmt(o['count_mae'])} |",
        f"| negatives (no-rope movements): counted 0 | {_fmt(o['negatives_exact_zero'])} of {o['negatives']} |",
        f"| slow motion: clips / factor reported / factor MAE | {sm['clips']} / {sm['reported']} / "
        f"{_fmt(sm['mae'])}{' (not reported: taken as 1.0)' if sm['clips'] and not sm['reported'] else ''} |",
        f"| normal-speed clips reported as slow motion | {sm['normal_speed_reported_wrong']} |",
        f"| height MAE (two-foot jumps, checked height where its status is ok) | {_fmt(h['mae_cm'])} cm over "
        f"{h['matched'] - h['flagged_unreliable']} jumps |",
        f"| heights withheld (status not ok) | {_fmt(h['unreliable_share'])} of {h['matched']}"
        f"{'' if h['flag_reported'] else ' (no per-jump status in the report)'}"
        f"{' (' + ', '.join(f'{k} {v}' for k, v in h.get('status', {}).items()) + ')' if h.get('status') else ''} |",
        f"| height MAE, unchecked displacement height on every matched two-foot jump | "
        f"{_fmt(h.get('displacement_mae_cm'))} cm |",
        f"| knee angle at touchdown MAE | {_fmt(res['knee_mae_deg'], 1)} deg |",
        f"| faults raised on clean clips | {res['faults_on_clean']} on {res['clean_clips_with_fault']} of "
        f"{res['clean_clips']} clean clips (and {res.get('borderline_on_clean', 0)} borderline verdicts) |",
        f"| rope evidence: negatives with a stretch counted / rope clips with a stretch not counted | "
        f"{rope.get('negatives_with_run_counted', '-')} / {rope.get('rope_clips_with_run_rejected', '-')} |",
        f"| renderer check: pose found / landmark median error | {_fmt(o['pose_found'])} / "
        f"{_fmt(o['landmark_median_px'], 1)} px ({_fmt(o['landmark_median_frac'], 3)} of the figure height) |",
        "",
    ]
    lines += _group_table("By movement (style of skipping, or no-rope movement)", res["groups"]["movement"])
    lines += _group_table("By view (camera yaw relative to the body)", res["groups"]["view"])
    lines += _group_table("By frame-rate band", res["groups"]["fps"])
    lines += _group_table("By capture condition (a clip counts under each of its tags)", res["groups"]["condition"])
    lines += ["**Per rule, clip level** (scored where the analysis gave a verdict and the truth is not "
              "borderline; a borderline verdict is scored as not a fault)", "",
              "| rule | precision | recall | F1 | tp / fp / fn / tn | borderline truths (excluded) "
              "| borderline verdicts (of them on a true fault) | not assessable |", "|---|---|---|---|---|---|---|---|"]
    for rid, c in res["rules"].items():
        lines.append(f"| {rid} | {_fmt(c['precision'])} | {_fmt(c['recall'])} | {_fmt(c['f1'])} | "
                     f"{c['tp']} / {c['fp']} / {c['fn']} / {c['tn']} | {c['borderline_truth']} | "
                     f"{c['pred_borderline']} ({c.get('borderline_on_fault', 0)}) | {c['pred_na']} |")
    for title, key in (("negatives counted as skipping", "decided_negatives_counted"),
                       ("rope clips with a stretch not counted", "decided_rope_rejected")):
        if rope.get(key):
            lines += ["", f"Rope evidence, cues that decided on {title}: "
                      + ", ".join(f"{k} {v}" for k, v in rope[key].items()) + "."]
    rs = res["render_fps_by_resolution"]
    mean = res["mean_s_per_clip"]
    lines += ["", "**Speed** (frames per second of one process; wall on this shared machine, and per CPU second):",
              "", "| stage | " + " | ".join(f"{k}p ({v['clips']})" for k, v in rs.items()) + " | analysis |",
              "|---|" + "---|" * (len(rs) + 1),
              "| wall | " + " | ".join(_fmt(v["wall"], 1) for v in rs.values())
              + f" | {_fmt(res['analysis_fps']['wall'], 1)} |",
              "| CPU | " + " | ".join(_fmt(v["cpu"], 1) for v in rs.values())
              + f" | {_fmt(res['analysis_fps']['cpu'], 1)} |",
              "", f"Mean per clip: render {_fmt(mean['render'], 1)} s, analysis {_fmt(mean['analysis'], 1)} s, total "
              f"{_fmt(mean['total'], 1)} s ({res['frames'] / max(res['n'], 1):.0f} frames a clip); CPU "
              f"{res['cpu_s_total'] / max(res['n'], 1):.1f} s a clip ({res['cpu_s_total'] / 60:.1f} CPU-min in all, "
              f"i.e. at least {res['cpu_s_total'] / 2 / 60:.1f} min on 2 idle cores).", ""]
    if res["low_pose_found"]:
        lines += ["**Renderer check, clips where MediaPipe found a pose in under 80 % of the frames**:", ""]
        for x in res["low_pose_found"][:15]:
            lines.append(f"- seed {x['seed']}: found {x['found']:.2f}, view {x['view']}, figure "
                         f"{_fmt(x['figure_px'], 0)} px, tags {', '.join(x['tags']) or '-'}")
        lines.append("")
    if res["errors"]:
        lines += ["**Clips that failed or were refused**:", ""]
        for e in res["errors"][:20]:
            lines.append(f"- seed {e['seed']} ({e['status']}): {str(e['error'])[:160]}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generalise", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None, help="number of clips")
    ap.add_argument("--seed", type=int, default=None, help="first seed (dev 1000-1999, report >= 100000)")
    ap.add_argument("--from-json", type=Path, default=None,
                    help="re-print (and re-write the RESULTS.md section of) an earlier run's JSON, no rendering")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (each renders and analyses a clip)")
    ap.add_argument("--json", type=Path, default=None, help="write per-clip rows and the summary here")
    ap.add_argument("--keep", type=Path, default=None, help="render into DIR and keep the clips and truths")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per clip before it is stopped")
    ap.add_argument("--no-results", action="store_true", help="do not touch bench/RESULTS.md")
    ap.add_argument("--section", default="generalise", help="the RESULTS.md section to replace")
    ap.add_argument("--small", action="store_true", help="CI variant: <= 150 frames, <= 360p per clip")
    args = ap.parse_args(argv)
    if args.from_json:
        return _from_json(args)
    if args.n is None or args.seed is None:
        ap.error("--n and --seed are required (or --from-json PATH)")
    if args.n < 1 or args.seed < 0 or args.workers < 1 or args.timeout <= 0:
        ap.error("--n and --workers must be >= 1, --seed >= 0, --timeout > 0")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        outdir = str(args.keep)
    else:
        outdir = tempfile.mkdtemp(prefix="jumprope-generalise-")
    seeds = list(range(args.seed, args.seed + args.n))
    t0 = time.perf_counter()

    def progress(row: dict, k: int, n: int) -> None:
        s = row.get("scores") or {}
        lab = row.get("labels") or {}
        rend = row.get("renderer") or {}
        tm = row.get("timings_s") or {}
        print(f"[{k}/{n}] seed {row['seed']} {row['status']:7s} {lab.get('movement', '?'):12s} "
              f"{lab.get('view_bin', '?'):12s} {lab.get('fps', 0):6.2f} fps {lab.get('resolution_p', 0):4d}p "
              f"{row.get('frames', 0):5d} fr  count {s.get('count_pred', '-')}/{s.get('count_true', '-')}  "
              f"pose {rend.get('pose_found_share', 0):.2f}  render {tm.get('render', 0):5.1f} s analysis "
              f"{tm.get('analysis', 0):5.1f} s  {row.get('error') or ''}"[:240], flush=True)

    try:
        rows = run_many(seeds, args.workers, outdir, bool(args.keep), args.timeout, progress, small=args.small)
    finally:
        if not args.keep:
            shutil.rmtree(outdir, ignore_errors=True)
    wall = time.perf_counter() - t0
    res = summarise(rows, wall, {"n": args.n, "seed": args.seed, "workers": args.workers, "timeout": args.timeout,
                                 "small": args.small})
    command = (f"python -m bench.generalise --n {args.n} --seed {args.seed} --workers {args.workers}"
               + (" --small" if args.small else ""))
    md = to_markdown(res, command)
    print(md)
    if not args.no_results:
        from bench.results import update_section  # noqa: PLC0415

        update_section(args.section, md)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": res, "rows": rows}, indent=1, default=_json_default))
    return 0


def _from_json(args) -> int:
    data = json.loads(args.from_json.read_text())
    rows, old = data["rows"], data["summary"]
    res = summarise(rows, old["wall_s"], old["args"])
    res["frames"] = old.get("frames", res["frames"])
    a = old["args"]
    command = (f"python -m bench.generalise --n {a['n']} --seed {a['seed']} --workers {a['workers']}"
               + (" --small" if a.get("small") else ""))
    md = to_markdown(res, command, when=old.get("finished_utc"), load=old.get("load_end"))
    print(md)
    if not args.no_results:
        from bench.results import update_section  # noqa: PLC0415

        update_section(args.section, md)
    return 0


def _json_default(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return str(x)


if __name__ == "__main__":
    sys.exit(main())
