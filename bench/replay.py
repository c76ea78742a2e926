"""Replay the analysis on cached pose stages of randomised synthetic clips.

``bench.generalise`` renders, tracks and scores every clip afresh (about an hour for 200
clips on this machine), which is right for the reporting seeds but too slow to try a change
of the counting or the verdicts on the development seeds. The pose stage (the expensive part,
MediaPipe over every frame) does not depend on anything after it, so this tool keeps it:

    python -m bench.replay cache --seeds 1000-1159 --dir DIR [--workers 2]
    python -m bench.replay run --dir DIR [--seeds 1000-1159] [--rope-turning] [--json OUT]
    python -m bench.replay compare BEFORE.json AFTER.json

``cache`` renders each seed (``synthetic.randomise.draw_clip``), runs the pose stage in one
process (``pipeline.run_pose_stage``; the number of processes never changes it) and keeps the
stage (pickled) and the truth; the clip itself is deleted unless ``--keep-videos``. It resumes
where it stopped. ``run`` re-analyses every cached stage (``pipeline.analyze_pose``, a fraction
of a second a clip) and scores it as ``bench.generalise`` does: per clip the counts that missed,
then the summary (counts, slow motion, no-rope clips, clip-level verdicts per rule).
``compare`` says which clips' counts moved between two runs' JSON.

A cache holds what the pose stage made at the commit in ``DIR/meta.json``; ``run`` warns when
the pose stage's code (``analysis/pose``, ``analysis/io``) or the renderer (``synthetic``)
changed since: the cache must then be made again. Seed ranges as in
``synthetic.randomise`` (development 1000-1999; reporting from 100000, never tuned on).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Code whose change makes a pose cache stale.
POSE_CODE = ("analysis/pose", "analysis/io", "synthetic")


def parse_seeds(text: str) -> list[int]:
    """'1000-1003,1010' -> [1000, 1001, 1002, 1003, 1010] (ranges inclusive)."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        a, _, b = part.partition("-")
        try:
            lo, hi = int(a), int(b) if b else int(a)
        except ValueError:
            raise ValueError(f"seeds: expected numbers and ranges like 1000-1159,1920, got {part!r}") from None
        if lo < 0 or hi < lo:
            raise ValueError(f"seeds: expected a non-negative range low-high, got {part!r}")
        out.extend(range(lo, hi + 1))
    return out


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def stale_note(cache_dir: Path) -> str | None:
    """Why the cache may no longer be what the pose stage makes (None: it is current, or unknown)."""
    meta = cache_dir / "meta.json"
    if not meta.exists():
        return None
    commit = json.loads(meta.read_text()).get("commit")
    if not commit:
        return None
    changed = _git("diff", "--name-only", commit, "--", *POSE_CODE)
    if changed:
        files = changed.splitlines()
        return f"the pose stage's code changed since the cache was made at {commit[:8]} ({', '.join(files[:4])}...)"
    return None


# ----------------------------------------------------------------------------- cache


def cache_seed(seed: int, cache_dir: str, keep_video: bool = False) -> tuple[int, str]:
    """Render seed ``seed``, run its pose stage and keep it in ``cache_dir`` (resumable)."""
    d = Path(cache_dir)
    pk = d / "pose" / f"{seed}.pkl"
    if pk.exists():
        return seed, "cached before"
    try:
        from analysis.config import AnalysisConfig  # noqa: PLC0415 - imported in the worker
        from analysis.pipeline import run_pose_stage  # noqa: PLC0415
        from analysis.types import AnalysisError  # noqa: PLC0415
        from synthetic.clip import generate  # noqa: PLC0415
        from synthetic.randomise import draw_clip  # noqa: PLC0415

        params, labels = draw_clip(seed)
        video = d / "clips" / f"clip_{seed}.mp4"
        truth = generate(params, video, seed=int(seed))
        (d / "truth" / f"{seed}.json").write_text(json.dumps({"truth": truth, "labels": labels}, default=str))
        try:
            stage = run_pose_stage(video, AnalysisConfig(standing_height_cm=truth["standing_height_cm"]), workers=1)
            pk.write_bytes(pickle.dumps(stage))
            status = "cached"
        except AnalysisError as exc:  # no person, too few frames: replayed as a refusal
            (d / "pose" / f"{seed}.refused").write_text(str(exc))
            status = f"refused: {exc}"
        if not keep_video:
            video.unlink(missing_ok=True)
            video.with_name(video.stem + ".truth.json").unlink(missing_ok=True)
        return seed, status
    except Exception as exc:  # noqa: BLE001 - one seed's failure is reported, the others go on
        return seed, f"error: {type(exc).__name__}: {exc}"


def cache(seeds: list[int], cache_dir: Path, workers: int, keep_video: bool) -> int:
    for sub in ("pose", "truth", "clips"):
        (cache_dir / sub).mkdir(parents=True, exist_ok=True)
    meta = cache_dir / "meta.json"
    if not meta.exists():
        meta.write_text(json.dumps({"commit": _git("rev-parse", "HEAD"), "made_utc": time.strftime("%Y-%m-%d %H:%M")}))
    elif note := stale_note(cache_dir):
        print(f"warning: {note}; new seeds are added with today's code", file=sys.stderr)
    errors = 0
    with get_context("forkserver").Pool(max(1, workers), maxtasksperchild=4) as pool:
        jobs = [(s, str(cache_dir), keep_video) for s in seeds]
        for seed, status in pool.starmap(cache_seed, jobs, chunksize=1):
            errors += status.startswith("error")
            print(f"{seed}: {status}", flush=True)
    return 1 if errors else 0


# ----------------------------------------------------------------------------- replay


def replay_seed(seed: int, cache_dir: str, rope_turning: bool = False) -> dict:
    """One cached clip analysed again and scored (``bench.generalise``'s scoring)."""
    from analysis.config import AnalysisConfig  # noqa: PLC0415 - imported in the worker
    from analysis.pipeline import analyze_pose  # noqa: PLC0415
    from analysis.types import AnalysisError  # noqa: PLC0415
    from bench.generalise import predictions, score_clip, truth_summary  # noqa: PLC0415

    d = Path(cache_dir)
    doc = json.loads((d / "truth" / f"{seed}.json").read_text())
    truth, labels = doc["truth"], doc.get("labels") or {}
    row: dict = {"seed": seed, "labels": labels}
    config = AnalysisConfig(standing_height_cm=truth.get("standing_height_cm"), rope_turning=rope_turning)
    refused = d / "pose" / f"{seed}.refused"
    try:
        if refused.exists():
            raise AnalysisError(refused.read_text())
        report = analyze_pose(pickle.loads((d / "pose" / f"{seed}.pkl").read_bytes()), config)
        pred = predictions(report)
    except AnalysisError as exc:
        row["refused"] = str(exc)[:300]
        pred = {"count": 0, "slowmo_factor": 1.0, "slowmo_reported": False, "jumps": [], "rules": {}}
    row["predictions"] = {k: v for k, v in pred.items() if k != "jumps"}
    row["scores"] = score_clip(pred, truth, truth_summary(truth), None)
    return row


def replay(seeds: list[int], cache_dir: Path, workers: int, rope_turning: bool) -> list[dict]:
    have = [s for s in seeds if (cache_dir / "truth" / f"{s}.json").exists()]
    jobs = [(s, str(cache_dir), rope_turning) for s in have]
    if workers <= 1:
        return [replay_seed(*j) for j in jobs]
    with get_context("forkserver").Pool(workers) as pool:
        return pool.starmap(replay_seed, jobs, chunksize=4)


def summarise(rows: list[dict]) -> dict:
    """Counts (skipping clips exact / within one / MAE / counted 0), slow motion, no-rope
    clips at 0, and per rule the clip verdicts against the truth (true faults and clean)."""
    skip = [r for r in rows if r["scores"]["count_true"] > 0]
    neg = [r for r in rows if r["scores"]["count_true"] == 0]
    slow = [r for r in skip if r["scores"]["slowmo_true"] > 1]
    real = [r for r in rows if r["scores"]["slowmo_true"] == 1]
    rules: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        for rid, v in r["scores"]["rules"].items():
            truth = "fault" if v["true_fault"] else ("borderline" if v["borderline"] else "clean")
            rules[rid][f"{truth}->{v['pred']}"] += 1
    n = max(1, len(skip))
    return {
        "clips": len(rows),
        "skipping": len(skip),
        "exact": sum(r["scores"]["count_exact"] for r in skip),
        "within_one": sum(r["scores"]["count_abs_err"] <= 1 for r in skip),
        "mae": round(sum(r["scores"]["count_abs_err"] for r in skip) / n, 2),
        "counted_zero": sum(r["scores"]["count_pred"] == 0 for r in skip),
        "no_rope": len(neg),
        "no_rope_at_zero": sum(r["scores"]["count_pred"] == 0 for r in neg),
        "slowmo_clips": len(slow),
        "slowmo_within_15pct": sum(
            abs(r["scores"]["slowmo_pred"] / r["scores"]["slowmo_true"] - 1) <= 0.15 for r in slow
        ),
        "real_time_called_slow": sum(
            r["scores"]["slowmo_reported"] and r["scores"]["slowmo_pred"] > 1.25 for r in real
        ),
        "rules": {k: dict(sorted(v.items())) for k, v in sorted(rules.items())},
    }


def _line(r: dict) -> str:
    s, lab = r["scores"], r["labels"]
    tags = " ".join(lab.get("tags") or [])
    slow = f" slow {s['slowmo_true']:g}->{s['slowmo_pred']:.2f}" if s["slowmo_true"] > 1 or s["slowmo_reported"] else ""
    why = f" | refused: {r['refused'][:80]}" if r.get("refused") else ""
    return (
        f"{r['seed']}: {s['count_pred']} of {s['count_true']} ({lab.get('movement')}, {lab.get('view_bin')}, "
        f"{lab.get('fps')} fps{slow}) {tags}{why}"
    )


def print_run(rows: list[dict], out=sys.stdout) -> None:
    for r in rows:
        if not r["scores"]["count_exact"]:
            print(_line(r), file=out)
    s = summarise(rows)
    print(
        f"skipping clips {s['skipping']}: exact {s['exact']}, within one {s['within_one']}, MAE {s['mae']}, "
        f"counted 0 {s['counted_zero']}; no-rope clips at 0: {s['no_rope_at_zero']} of {s['no_rope']}; "
        f"slow motion within 15 %: {s['slowmo_within_15pct']} of {s['slowmo_clips']}, "
        f"real-time clips called slow: {s['real_time_called_slow']}",
        file=out,
    )
    for rid, c in s["rules"].items():
        print(f"  {rid}: {', '.join(f'{k} {v}' for k, v in c.items())}", file=out)


def compare(before: list[dict], after: list[dict], out=sys.stdout) -> dict:
    """Clips whose count error shrank, grew or stayed, seed by seed (seeds in both runs)."""
    a = {r["seed"]: r for r in before}
    moved = {"closer": [], "further": [], "same": 0}
    for r in after:
        if r["seed"] not in a:
            continue
        ea, eb = a[r["seed"]]["scores"]["count_abs_err"], r["scores"]["count_abs_err"]
        if ea == eb:
            moved["same"] += 1
            continue
        key = "closer" if eb < ea else "further"
        moved[key].append(r["seed"])
        s = r["scores"]
        print(
            f"{key}: {r['seed']} {a[r['seed']]['scores']['count_pred']} -> {s['count_pred']} of {s['count_true']}",
            file=out,
        )
    print(f"closer {len(moved['closer'])}, further {len(moved['further'])}, same {moved['same']}", file=out)
    return moved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.replay", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cache", help="render seeds and keep their pose stages")
    c.add_argument("--seeds", required=True, help="e.g. 1000-1159,1920-1959")
    c.add_argument("--dir", type=Path, required=True)
    c.add_argument("--workers", type=int, default=2)
    c.add_argument("--keep-videos", action="store_true")
    r = sub.add_parser("run", help="analyse the cached stages again and score them")
    r.add_argument("--dir", type=Path, required=True)
    r.add_argument("--seeds", default=None, help="default: every cached seed")
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--rope-turning", action="store_true", help="as if the user said a rope was turning")
    r.add_argument("--json", type=Path, default=None, help="write the rows here")
    m = sub.add_parser("compare", help="count changes between two runs' JSON")
    m.add_argument("before", type=Path)
    m.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    try:
        if args.cmd == "cache":
            return cache(parse_seeds(args.seeds), args.dir, args.workers, args.keep_videos)
        if args.cmd == "compare":
            compare(json.loads(args.before.read_text()), json.loads(args.after.read_text()))
            return 0
        if not (args.dir / "truth").is_dir():
            print(f"error: {args.dir}: no cache here (make one with: python -m bench.replay cache)", file=sys.stderr)
            return 2
        if note := stale_note(args.dir):
            print(f"warning: {note}; make the cache again for figures of today's pose stage", file=sys.stderr)
        seeds = (
            parse_seeds(args.seeds) if args.seeds else sorted(int(p.stem) for p in (args.dir / "truth").glob("*.json"))
        )
        rows = sorted(replay(seeds, args.dir, args.workers, args.rope_turning), key=lambda x: x["seed"])
        if args.json:
            args.json.write_text(json.dumps(rows, default=str))
        print_run(rows)
        return 0
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
