"""Fuzz the reader and the whole pipeline with mutated real clips.

``python -m bench.fuzz --cases N [--seed S] [--timeout 60] [--out FILE]``

Each case takes a short re-encoded piece of a real clip (from ``../shared/videos``),
mutates its bytes (bit flips, truncation, a header spliced from another clip, zeroed
or duplicated ranges, corrupted box sizes) and runs the command line
(``python -m analysis CASE --quiet``) in a subprocess with a time bound. Every case must
end in time with either a result (exit 0) or a clear one-line error (exit 2, no
traceback). Anything else is a crash (traceback, other exit code, killed by a signal)
or a hang (time bound reached). The figures go to the fuzz section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VIDEOS = (REPO / ".." / "shared" / "videos").resolve()
#: Real clips the seeds are cut from (short, different containers and sizes).
SOURCE_CLIPS = (
    "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",
    "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4",
    "front_man_outdoor_track_drills_240p_30fps.mp4",
)
SEED_SECONDS = 2.5
MUTATIONS = ("bitflip", "bitflip_header", "truncate", "splice_header", "zero_range", "duplicate_range", "box_size")


@dataclass
class Case:
    index: int
    seed_clip: str
    mutation: str
    detail: str
    outcome: str = ""  # result, clear_error, crash, hang
    exit_code: int | None = None
    seconds: float = 0.0
    message: str = ""


def make_seeds(tmp: Path) -> list[Path]:
    """Short re-encoded pieces of the real clips: moov at the end and at the front
    (faststart), H.264 and MPEG-4 Part 2, so mutations hit different layouts."""
    from tests import clipkit  # noqa: PLC0415

    missing = [c for c in SOURCE_CLIPS if not (VIDEOS / c).is_file()]
    if missing:
        raise FileNotFoundError(f"real clips not found in {VIDEOS}: {', '.join(missing)}")
    seeds = []
    for i, name in enumerate(SOURCE_CLIPS):
        frames, fps = clipkit.read_rgb(VIDEOS / name, SEED_SECONDS)
        codec = "mpeg4" if i == 2 else "libx264"
        p = tmp / f"seed{i}.mp4"
        clipkit.write_clip(p, frames, fps, codec=codec)
        seeds.append(p)
        if i == 0:  # the same clip with its index at the front
            import av  # noqa: PLC0415

            fs = tmp / f"seed{i}_faststart.mp4"
            with av.open(str(p)) as src, av.open(str(fs), "w", options={"movflags": "faststart"}) as dst:
                s_in = src.streams.video[0]
                s_out = dst.add_stream_from_template(s_in)
                for pkt in src.demux(s_in):
                    if pkt.dts is None:
                        continue
                    pkt.stream = s_out
                    dst.mux(pkt)
            seeds.append(fs)
    return seeds


def _boxes(b: bytes) -> list[tuple[int, int, bytes]]:
    """(offset, size, type) of every MP4 box found by a shallow walk (top level + moov/trak/mdia)."""
    out = []

    def walk(start: int, end: int, depth: int) -> None:
        i = start
        while i + 8 <= end:
            size, typ = struct.unpack(">I4s", b[i : i + 8])
            if size < 8 or i + size > end:
                break
            out.append((i, size, typ))
            if depth < 4 and typ in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
                walk(i + 8, i + size, depth + 1)
            i += size

    walk(0, len(b), 0)
    return out


def mutate(data: bytes, other: bytes, kind: str, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(data)
    n = len(b)
    if kind == "bitflip":
        k = rng.choice((1, 4, 16, 64))
        for _ in range(k):
            i = rng.randrange(n)
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b), f"{k} random bit flips"
    if kind == "bitflip_header":
        boxes = [bx for bx in _boxes(data) if bx[2] != b"mdat"]
        lo, size, typ = rng.choice(boxes) if boxes else (0, min(n, 4096), b"head")
        k = rng.choice((1, 2, 8))
        for _ in range(k):
            i = lo + rng.randrange(size)
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b), f"{k} bit flips in the {typ.decode(errors='replace')} box"
    if kind == "truncate":
        frac = rng.choice((0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, rng.random()))
        return bytes(b[: max(1, int(n * frac))]), f"cut at {100 * frac:.0f}%"
    if kind == "splice_header":
        k = rng.choice((64, 512, 4096, len(other) // 2))
        return bytes(other[:k]) + bytes(b[k:]), f"first {k} bytes from another clip"
    if kind == "zero_range":
        i = rng.randrange(n)
        k = rng.choice((16, 256, 4096, 65536))
        b[i : i + k] = bytes(len(b[i : i + k]))
        return bytes(b), f"{k} bytes zeroed at {i}"
    if kind == "duplicate_range":
        i = rng.randrange(n)
        k = rng.choice((100, 2000, 20000))
        return bytes(b[: i + k]) + bytes(b[i:]), f"{k} bytes duplicated at {i}"
    if kind == "box_size":
        boxes = _boxes(data)
        off, size, typ = rng.choice(boxes)
        new = rng.choice((0, 1, 7, 8, size - 1, size + 1, size * 2, 0x7FFFFFFF, 0xFFFFFFFF))
        struct.pack_into(">I", b, off, new & 0xFFFFFFFF)
        return bytes(b), f"{typ.decode(errors='replace')} box size {size} -> {new}"
    raise ValueError(kind)


def run_case(path: Path, out_dir: Path, timeout_s: float) -> tuple[str, int | None, float, str]:
    """Run the command line on one file: (outcome, exit code, seconds, message)."""
    cmd = [sys.executable, "-m", "analysis", str(path), "--quiet", "--out", str(out_dir)]
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout_s, env=env, errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", None, time.perf_counter() - t0, f"no answer within {timeout_s:g} s"
    dt = time.perf_counter() - t0
    err_lines = [ln for ln in p.stderr.splitlines() if ln.startswith("error: ")]
    if "Traceback" in p.stderr:
        tail = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        return "crash", p.returncode, dt, f"traceback: {tail[:200]}"
    if p.returncode == 0:
        return "result", 0, dt, ""
    if p.returncode == 2 and len(err_lines) == 1:  # exit 3 (internal error, out of memory) counts as a crash
        return "clear_error", 2, dt, err_lines[0][7:][:300]
    return "crash", p.returncode, dt, (p.stderr.strip().splitlines() or [""])[-1][:200]


def fuzz(n_cases: int, seed: int = 0, timeout_s: float = 60.0, log=None, keep: Path | None = None) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="jumprope-fuzz-") as tmp_s:
        tmp = Path(tmp_s)
        seeds = make_seeds(tmp)
        blobs = [s.read_bytes() for s in seeds]
        for i in range(n_cases):
            k = rng.randrange(len(seeds))
            kind = MUTATIONS[i % len(MUTATIONS)] if i < len(MUTATIONS) else rng.choice(MUTATIONS)
            other = blobs[(k + 1 + rng.randrange(len(blobs) - 1)) % len(blobs)]
            data, detail = mutate(blobs[k], other, kind, rng)
            p = tmp / f"case{i:04d}.mp4"
            p.write_bytes(data)
            c = Case(i, seeds[k].name, kind, detail)
            c.outcome, c.exit_code, c.seconds, c.message = run_case(p, tmp / f"out{i:04d}", timeout_s)
            cases.append(c)
            if log:
                log(c)
            if keep is not None and c.outcome in ("crash", "hang"):
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"seed{seed}_{p.name}").write_bytes(data)
            p.unlink()
    return cases


def write_results(cases: list[Case], path: Path | None, seed: int, timeout_s: float, wall_s: float) -> None:
    by = {k: sum(c.outcome == k for c in cases) for k in ("result", "clear_error", "crash", "hang")}
    kinds = {}
    for c in cases:
        kinds.setdefault(c.mutation, {"result": 0, "clear_error": 0, "crash": 0, "hang": 0})[c.outcome] += 1
    msgs: dict[str, int] = {}
    for c in cases:
        if c.outcome == "clear_error":
            key = c.message.split(": ", 1)[-1][:110]
            msgs[key] = msgs.get(key, 0) + 1
    secs = sorted(c.seconds for c in cases)
    lines = [
        "# Fuzz results",
        "",
        f"`python -m bench.fuzz --cases {len(cases)} --seed {seed} --timeout {timeout_s:g}` "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, wall time {wall_s / 60:.1f} min, "
        f"{os.cpu_count()} cores).",
        "",
        "Mutated real clips (2.5 s pieces of three shared clips, H.264 and MPEG-4, index at the end and at the front) "
        "through the command line (reader + whole pipeline) in a subprocess with a time bound.",
        "",
        "| cases tried | results | clear errors | crashes | hangs | median s/case | slowest s |",
        "|---|---|---|---|---|---|---|",
        f"| {len(cases)} | {by['result']} | {by['clear_error']} | {by['crash']} | {by['hang']} | "
        f"{secs[len(secs) // 2] if secs else 0:.1f} | {secs[-1] if secs else 0:.1f} |",
        "",
        "| mutation | results | clear errors | crashes | hangs |",
        "|---|---|---|---|---|",
    ]
    for k, v in sorted(kinds.items()):
        lines.append(f"| {k} | {v['result']} | {v['clear_error']} | {v['crash']} | {v['hang']} |")
    lines += ["", "Clear errors seen (message, without the file name):", ""]
    for m, k in sorted(msgs.items(), key=lambda kv: -kv[1]):
        lines.append(f"- {k} x {m}")
    bad = [c for c in cases if c.outcome in ("crash", "hang")]
    if bad:
        lines += ["", "Crashes and hangs:", ""]
        lines += [f"- case {c.index} ({c.seed_clip}, {c.mutation}: {c.detail}): {c.outcome} {c.message}" for c in bad]
    if path is None:
        from bench.results import update_section  # noqa: PLC0415

        update_section("fuzz", "\n".join(lines))
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per case")
    ap.add_argument("--out", default=None, help="write the figures to this file (default: the fuzz section of bench/RESULTS.md)")
    ap.add_argument("--jsonl", default=None, help="also write every case as a JSON line here")
    ap.add_argument("--keep", default=None, help="folder to keep the files of crashes and hangs in (to reproduce)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    jl = open(args.jsonl, "w", encoding="utf-8") if args.jsonl else None  # noqa: SIM115

    def log(c: Case) -> None:
        print(f"{c.index:4d} {c.mutation:16s} {c.outcome:12s} {c.seconds:5.1f}s {c.detail} | {c.message[:90]}", flush=True)
        if jl:
            jl.write(json.dumps(asdict(c)) + "\n")
            jl.flush()

    cases = fuzz(args.cases, args.seed, args.timeout, log, Path(args.keep) if args.keep else None)
    if jl:
        jl.close()
    write_results(cases, Path(args.out) if args.out else None, args.seed, args.timeout, time.perf_counter() - t0)
    bad = sum(c.outcome in ("crash", "hang") for c in cases)
    print(f"{len(cases)} cases: {bad} crashes or hangs; figures in {args.out or 'bench/RESULTS.md'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
