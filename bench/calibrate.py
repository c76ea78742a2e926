"""Measurement errors of the rules against exact truth, on the randomised suite's
DEVELOPMENT seeds only (the procedure behind ``analysis.config.MEASUREMENT_ERRORS`` and
``THRESHOLDS.verdict_sigmas``).

    python -m bench.calibrate --dir DIR [--seeds 1000-1199] [--render] [--json PATH]

``DIR`` holds rendered clips ``s<seed>.mp4`` with their ``s<seed>.truth.json`` (``--render``
renders missing seeds of the range with ``synthetic.randomise.draw_clip``; the seeds must
lie in ``synthetic.randomise.DEV_SEEDS``). The pose stage's output (landmarks and the rope
band) is cached in ``DIR/pose`` so that the analysis after pose can be re-run in seconds.

Printed, per rule and view sector (front / oblique / side / back by the camera's true
yaw) and per rule over all sectors: the number of matched jumps, the bias and RMS of the
per-jump value against the truth's, the median standard deviation the rule reported, the
share of jumps whose error lies within two of those standard deviations (about 95 % when
they are honest), and "add 95%": the standard deviation that, added in quadrature to
every jump's, brings that share to 95 % (the procedure: a rule's model error in
``MEASUREMENT_ERRORS`` becomes sqrt(current^2 + add^2) of its pooled row).
Then, for each candidate ``verdict_sigmas``, the clip-level confusion (truth fault /
clean / borderline against the analysis's fault / borderline / pass) and the faults raised
on clean clips. The values in ``analysis/config.py`` quote this output.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

#: The reporting seeds start here (``synthetic.randomise.REPORT_SEED_START``): never calibrate on them.
REPORT_SEED_START = 100_000
Z_CANDIDATES = (1.0, 1.5, 2.0)


def sector(yaw_deg: float) -> str:
    a = abs(((yaw_deg + 180.0) % 360.0) - 180.0)
    if a <= 22.5:
        return "front"
    if a >= 157.5:
        return "back"
    return "side" if abs(a - 90.0) <= 22.5 else "oblique"


def render_missing(d: Path, seeds: range) -> None:
    from synthetic.clip import generate  # noqa: PLC0415 - the renderer is a bench tool
    from synthetic.randomise import draw_clip  # noqa: PLC0415

    for seed in seeds:
        video = d / f"s{seed}.mp4"
        if not video.exists():
            p, _ = draw_clip(seed)
            generate(p, video, seed=seed)


def cached_pose(video: Path, posedir: Path):
    """(PoseSeries, rope band) of a clip, from the cache or from one pose pass."""
    from analysis.io.video import read_meta  # noqa: PLC0415
    from analysis.pose.estimators import make_estimator  # noqa: PLC0415
    from analysis.pose.stage import FrameSampler, pose_of_range  # noqa: PLC0415
    from analysis.types import PoseSeries  # noqa: PLC0415

    f = posedir / (video.name + ".npz")
    if not f.exists():
        meta = read_meta(video)
        sampler = FrameSampler(fps=meta.fps)
        with make_estimator(None) as est:
            pose = pose_of_range(video, meta, est, sampler)
        np.savez_compressed(
            f, t_s=pose.t_s, xy_px=pose.xy_px, world_m=pose.world_m, visibility=pose.visibility,
            frame_size=np.array(pose.frame_size_px), fps=pose.fps, band=sampler.rope_band(0, len(pose)),
        )
        np.save(posedir / (video.name + ".shift.npy"), sampler.camera_shift(0, len(pose)))
    z = np.load(f)
    pose = PoseSeries(z["t_s"], z["xy_px"], z["world_m"], z["visibility"], tuple(int(v) for v in z["frame_size"]),
                      float(z["fps"]))
    return pose, z["band"]


def cached_shift(video: Path, posedir: Path, pose) -> np.ndarray:
    """The camera's frame-to-frame shift of a clip (``pose.camera_motion``) as the pose stage
    measures it, from the cache or from one decoding pass fed the cached landmarks (a cache
    made before the stage measured it has none)."""
    import cv2  # noqa: PLC0415

    from analysis.pose.camera_motion import CameraMotionProbe  # noqa: PLC0415

    f = posedir / (video.name + ".shift.npy")
    if not f.exists():
        probe = CameraMotionProbe(pose.fps)
        cap = cv2.VideoCapture(str(video))
        try:
            for i in range(len(pose)):
                ok, frame = cap.read()
                if not ok:
                    break
                xy = pose.xy_px[i]
                probe.on_frame(i, frame, xy if np.isfinite(xy).any() else None)
        finally:
            cap.release()
        np.save(f, probe.shifts(len(pose)))
    return np.load(f)


def _match(ours, truth_jumps: list[dict]) -> list[tuple[int, int]]:
    if not truth_jumps:
        return []
    period = float(np.median(np.diff([j["takeoff_s"] for j in truth_jumps]))) if len(truth_jumps) > 1 else 1.0
    out, used = [], set()
    for ti, t in enumerate(truth_jumps):
        best, best_d = None, 0.5 * period
        for k, j in enumerate(ours):
            d = abs(j.apex_s - t["apex_s"])
            if k not in used and d <= best_d:
                best, best_d = k, d
        if best is not None:
            used.add(best)
            out.append((best, ti))
    return out


def analyse(d: Path, seeds: range, z: float) -> tuple[dict, list[dict]]:
    """Per-jump errors (rule, sector) -> [(ours, truth, sigma)] and clip-level rows."""
    from analysis import config  # noqa: PLC0415
    from analysis.config import AnalysisConfig  # noqa: PLC0415
    from analysis.io.video import read_meta  # noqa: PLC0415
    from analysis.pipeline import NoPersonError, PoseStage, analyze_pose  # noqa: PLC0415

    config.THRESHOLDS = config.THRESHOLDS.with_values(verdict_sigmas=z)  # the experiment's band
    import analysis.rules.base as base  # noqa: PLC0415

    base.THRESHOLDS = config.THRESHOLDS
    posedir = d / "pose"
    posedir.mkdir(exist_ok=True)
    errors: dict[tuple[str, str], list[tuple[float, float, float]]] = defaultdict(list)
    clips: list[dict] = []
    for seed in seeds:
        video = d / f"s{seed}.mp4"
        tf = video.with_name(video.stem + ".truth.json")
        if not (video.exists() and tf.exists()):
            continue
        truth = json.loads(tf.read_text())
        if truth.get("movement") != "skipping":
            continue
        pose, band = cached_pose(video, posedir)
        stage = PoseStage(pose, read_meta(video), rope_band=band, camera_shift_px=cached_shift(video, posedir, pose))
        try:
            report = analyze_pose(stage, AnalysisConfig(standing_height_cm=truth["standing_height_cm"]))
        except NoPersonError as e:  # a capture the pose model cannot read: nothing to calibrate on
            print(f"s{seed}: skipped ({e})", file=sys.stderr)
            continue
        sec = sector(truth["camera_yaw_deg"])
        pairs = _match(report.jumps.jumps, truth["jumps"])
        for tr in truth["rules"].values():
            rid = tr["analysis_rule"]
            try:
                res = report.rules.by_id(rid)
            except KeyError:
                continue
            if tr["threshold_key"] == "head_forward_max_cm":
                continue  # the truth's headline is head forward, the rule's is head drop
            for k, ti in pairs:
                ours = res.jump_values[k]
                t = tr["jump_values"][ti] if ti < len(tr["jump_values"]) else None
                if t is not None and np.isfinite(ours):
                    errors[(rid, sec)].append((float(ours), float(t), float(res.jump_sigmas[k])))
            clips.append({"seed": seed, "rule": rid, "sector": sec, "status": str(res.status),
                          "truth": "borderline" if tr["borderline"] else "fault" if tr["fault"] else "clean",
                          "applies": bool(tr.get("applies", True))})
    return errors, clips


#: Coverage the calibrated standard deviations aim at: 95 % of errors within two of them.
COVERAGE, COVERAGE_SIGMAS = 0.95, 2.0


def extra_sigma(e: np.ndarray, sigma: np.ndarray) -> float:
    """The smallest standard deviation that, added in quadrature to each jump's reported
    one, puts ``COVERAGE`` of the errors within ``COVERAGE_SIGMAS`` of them (0 when the
    reported ones already do). Bisection on a monotone coverage."""
    s = np.where(np.isfinite(sigma), sigma, 0.0)

    def covered(d: float) -> float:
        return float(np.mean(np.abs(e) <= COVERAGE_SIGMAS * np.sqrt(s**2 + d**2)))

    if covered(0.0) >= COVERAGE:
        return 0.0
    lo, hi = 0.0, float(np.max(np.abs(e))) / COVERAGE_SIGMAS + 1e-9
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if covered(mid) >= COVERAGE else (mid, hi)
    return hi


def _row(rid: str, sec: str, v: list) -> dict:
    a = np.array(v, float)
    e = a[:, 0] - a[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        inside = np.abs(e) <= COVERAGE_SIGMAS * a[:, 2]
    return {"rule": rid, "sector": sec, "n": len(a), "bias": float(np.mean(e)),
            "rms": float(np.sqrt(np.mean(e**2))), "median_sigma": float(np.nanmedian(a[:, 2])),
            "within_2_sigma": float(np.mean(inside)), "extra_sigma_95": extra_sigma(e, a[:, 2])}


def error_table(errors: dict) -> list[dict]:
    """Per rule and view sector, then per rule over every sector it was assessed in ("all")."""
    rows = [_row(rid, sec, v) for (rid, sec), v in sorted(errors.items())]
    pooled: dict[str, list] = defaultdict(list)
    for (rid, _), v in errors.items():
        pooled[rid].extend(v)
    rows += [_row(rid, "all", v) for rid, v in sorted(pooled.items())]
    return rows


def confusion(clips: list[dict]) -> dict:
    out: dict = defaultdict(lambda: defaultdict(int))
    for c in clips:
        if c["applies"] and c["status"] != "na":
            out[c["rule"]][f"{c['truth']}->{c['status']}"] += 1
    return {k: dict(v) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.calibrate", description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, type=Path)
    ap.add_argument("--seeds", default="1000-1199", help="A-B, development seeds only")
    ap.add_argument("--render", action="store_true", help="render the seeds that are missing")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    a, b = (int(x) for x in args.seeds.split("-"))
    if b >= REPORT_SEED_START:
        print(f"error: seeds from {REPORT_SEED_START} are for reporting; calibrate on development seeds", file=sys.stderr)
        return 2
    seeds = range(a, b + 1)
    warnings.simplefilter("ignore", RuntimeWarning)
    if args.render:
        render_missing(args.dir, seeds)
    result: dict = {"seeds": args.seeds, "by_z": {}}
    for z in Z_CANDIDATES:
        errors, clips = analyse(args.dir, seeds, z)
        if z == Z_CANDIDATES[0]:
            result["errors"] = error_table(errors)
            print(f"{'rule':26s} {'sector':8s} {'n':>4s} {'bias':>7s} {'rms':>7s} {'sigma':>7s} {'in 2s':>6s}"
                  f" {'add 95%':>8s}")
            for r in result["errors"]:
                print(f"{r['rule']:26s} {r['sector']:8s} {r['n']:4d} {r['bias']:7.2f} {r['rms']:7.2f} "
                      f"{r['median_sigma']:7.2f} {r['within_2_sigma']:6.2f} {r['extra_sigma_95']:8.2f}")
        conf = confusion(clips)
        clean_faults = sum(v.get("clean->fault", 0) for v in conf.values())
        result["by_z"][str(z)] = {"confusion": conf, "faults_on_clean": clean_faults}
        print(f"\nverdict_sigmas = {z:g}: faults raised on clean (rule, clip) pairs: {clean_faults}")
        for rid, c in sorted(conf.items()):
            print(f"  {rid:26s} {c}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
