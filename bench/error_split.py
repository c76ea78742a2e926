"""How much of a rule's measurement error a clip's jumps share, on cached development seeds.

A rule's clip verdict counts its jumps' verdicts, each against that jump's own uncertainty.
Averaging the jumps could sharpen the clip's verdict only as far as their errors are
independent. This splits each rule's per-jump error (the analysis's value minus the
renderer's truth, on jumps matched to the truth's) into:

* the part every jump of a clip shares (the view, the figure and how the pose model reads
  them): the standard deviation of the clips' mean errors, less the share the per-jump
  part leaves in a mean of that many jumps;
* the part each jump has alone: the pooled standard deviation within clips.

    python -m bench.error_split --dir DIR [--seeds 1000-1159,1920-1959] [--min-jumps 3]

``DIR`` is a ``bench.replay`` cache. Only development seeds are read (the reporting seeds,
from ``synthetic.randomise.REPORT_SEED_START``, are refused).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from bench.calibrate import REPORT_SEED_START, _match
from bench.replay import parse_seeds


def clip_errors(seed: int, cache_dir: str) -> list[tuple[str, int, float, float]]:
    """(rule, seed, error, the rule's sigma) of every matched jump of one clip that the rule
    assessed (a jump it calls not assessable has no verdict to sharpen)."""
    from analysis.config import AnalysisConfig  # noqa: PLC0415 - imported in the worker
    from analysis.pipeline import NoPersonError, analyze_pose  # noqa: PLC0415
    from analysis.types import Verdict  # noqa: PLC0415

    d = Path(cache_dir)
    pk, tf = d / "pose" / f"{seed}.pkl", d / "truth" / f"{seed}.json"
    if not (pk.exists() and tf.exists()):
        return []
    truth = json.loads(tf.read_text())["truth"]
    if truth["movement"] != "skipping":
        return []
    try:
        report = analyze_pose(
            pickle.loads(pk.read_bytes()), AnalysisConfig(standing_height_cm=truth["standing_height_cm"])
        )
    except NoPersonError:
        return []
    pairs = _match(report.jumps.jumps, truth["jumps"])
    out = []
    for tr in truth["rules"].values():
        if tr["threshold_key"] == "head_forward_max_cm":
            continue  # the truth's headline is head forward, the rule's is head drop (as bench.calibrate)
        try:
            res = report.rules.by_id(tr["analysis_rule"])
        except KeyError:
            continue
        for k, ti in pairs:
            ours = res.jump_values[k]
            t = tr["jump_values"][ti] if ti < len(tr["jump_values"]) else None
            if t is not None and np.isfinite(ours) and res.jump_verdicts[k] != Verdict.NA:
                out.append((tr["analysis_rule"], seed, float(ours) - float(t), float(res.jump_sigmas[k])))
    return out


def split(rows: list[tuple[str, int, float, float]], min_jumps: int) -> list[dict]:
    """Per rule: clips, jumps a clip, bias, shared sd, per-jump sd, the rule's median sigma."""
    by: dict[str, dict[int, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    for rid, seed, err, sigma in rows:
        by[rid][seed].append((err, sigma))
    table = []
    for rid in sorted(by):
        clips = [np.array(v) for v in by[rid].values() if len(v) >= min_jumps]
        if len(clips) < 5:
            continue
        means = np.array([c[:, 0].mean() for c in clips])
        within = np.concatenate([c[:, 0] - c[:, 0].mean() for c in clips])
        per_jump = float(np.sqrt(np.sum(within**2) / (len(within) - len(clips))))
        n_mean = float(np.mean([len(c) for c in clips]))
        shared = float(np.sqrt(max(np.var(means, ddof=1) - per_jump**2 / n_mean, 0.0)))
        table.append(
            {
                "rule": rid,
                "clips": len(clips),
                "jumps_per_clip": n_mean,
                "bias": float(means.mean()),
                "shared_sd": shared,
                "per_jump_sd": per_jump,
                "rule_sigma": float(np.median(np.concatenate([c[:, 1] for c in clips]))),
            }
        )
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True, type=Path, help="a bench.replay cache")
    ap.add_argument("--seeds", default="1000-1159,1920-1959")
    ap.add_argument("--min-jumps", type=int, default=3, help="clips with fewer matched jumps are left out")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    if any(s >= REPORT_SEED_START for s in seeds):
        print(
            f"error: seeds from {REPORT_SEED_START} are reporting seeds; this reads development seeds only",
            file=sys.stderr,
        )
        return 2
    with get_context("spawn").Pool(args.workers) as pool:
        rows = [r for rr in pool.starmap(clip_errors, [(s, str(args.dir)) for s in seeds]) for r in rr]
    print("| rule | clips | jumps a clip | bias | shared (clip) sd | per-jump sd | the rule's median sigma |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in split(rows, args.min_jumps):
        print(
            f"| {r['rule']} | {r['clips']} | {r['jumps_per_clip']:.1f} | {r['bias']:+.2f} | {r['shared_sd']:.2f} "
            f"| {r['per_jump_sd']:.2f} | {r['rule_sigma']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
