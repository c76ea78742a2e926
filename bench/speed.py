"""Speed and scale benchmark: ``python -m bench.speed [--quick] [--only SECTION ...] [--rounds N]``.

Everything is measured side by side in one run (this machine is shared and noisy: only
what is measured together means anything), and written to the "speed" section of
``bench/RESULTS.md`` (the figures also to ``bench/out/speed.json``).

Sections:

* ``versus`` (the acceptance figure): on the same 720p clip (the real one of 29 s, and the
  same looped to 60 s with its sound), the wall time of a bare single-process MediaPipe loop (a fresh Python process: import, decode, cvtColor,
  ``mp.solutions.pose.Pose(model_complexity=1).process``) and of our full command line
  (``python -m analysis CLIP``: every stage, the files written), each a fresh process timed
  from outside; ours with its default choice of processes, forced to one and to two, and
  with the pose networks forced to two threads (``--pose-threads 2``).
  The variants are interleaved A B C D / D C B A round after round; best-of and median are
  reported, with the CPU the other programs used during each run (from ``/proc/stat``).
* ``parallel``: our command line with one and with two pose processes on a real clip
  upscaled to 640x360, 1280x720 and 1920x1080 and looped to 60 s (20 s with ``--quick``),
  with the cost of decoding a frame and of its pose at each size (why large frames stay in
  one process: ``parallel.MAX_PARALLEL_PIXELS``).
* ``memory``: peak resident memory of a process that analyses a 640x360 clip with sound
  (a real clip's picture and soundtrack looped) for 1, 5 and 15 minutes and writes the
  report. Pose is replayed from recorded real landmarks through the production pose stage
  (so a 15-minute clip takes minutes, not a quarter of an hour of MediaPipe); the 1-minute
  clip also runs with the real model.
* ``batch``: clips per minute of ``python -m analysis batch`` with 1, 2 and 4 workers (local
  engine) and with the Ray engine.

Clips are read from ``../shared/videos`` (never copied); generated clips live in a
temporary folder that is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "videos"
RESULTS = REPO / "bench" / "RESULTS.md"  # the "speed" section
PY = sys.executable

VERSUS_CLIP = "front_woman_boxer_step_garage_timer_panel_720p_30fps.mp4"  # 1280x720, 28.8 s, 863 frames
SOURCE_CLIP = "front_man_double_unders_outdoor_stop_and_walk_30fps.mp4"  # 640x360 with sound: upscaled / looped
BATCH_CLIPS = [
    "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",
    "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4",
    "front_boy_alternate_step_gym_portrait_walks_off_30fps.mp4",
    "front_girl_basic_bounce_studio_idle_start_25fps.mp4",
    "front_man_gym_multi_skill_montage_low_angle_portrait_30fps.mp4",
    "edge_long_rope_entry_trip_fall_multi_person_gif_14fps.mp4",
]
#: Bytes a frame of the pose series takes (t, xy, world, visibility as float64).
POSE_BYTES_PER_FRAME = 8 * (1 + 33 * 2 + 33 * 3 + 33)
#: Bytes a second of the analysed soundtrack takes (mono float32 at 22.05 kHz).
AUDIO_BYTES_PER_S = 4 * 22050


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def quiet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("GLOG_minloglevel", "2")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy since boot (``/proc/stat``)."""
    try:
        v = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except (OSError, ValueError):
        return float("nan")
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / os.sysconf("SC_CLK_TCK")


# -- clip generation -------------------------------------------------------------------
def _source_audio(src: Path) -> tuple[np.ndarray, int] | None:
    """The source's soundtrack as float32 [channels, samples] and its rate (None without one)."""
    import av  # noqa: PLC0415

    with av.open(str(src)) as c:
        if not c.streams.audio:
            return None
        st = c.streams.audio[0]
        rate = st.codec_context.sample_rate
        res = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
        chunks = [fr.to_ndarray() for frame in c.decode(st) for fr in res.resample(frame)]
    return (np.concatenate(chunks, axis=1).astype(np.float32), rate) if chunks else None


def make_clip(
    src: Path, dst: Path, *, size: tuple[int, int] | None = None, seconds: float | None = None, audio: bool = True
) -> Path:
    """Re-encode ``src`` (H.264 and AAC, like phone clips), upscaled to ``size`` and looped
    (picture and sound) to ``seconds``. Streams: one frame in memory at a time (the
    benchmark's own memory must not distort the measurements)."""
    import av  # noqa: PLC0415
    import cv2  # noqa: PLC0415

    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    n_src = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    w0, h0 = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    w, h = size or (w0, h0)
    n_out = int(round((seconds or n_src / fps) * fps))
    sound = _source_audio(src) if audio else None
    out = av.open(str(dst), "w")
    st = out.add_stream("libx264", rate=round(fps))
    st.width, st.height, st.pix_fmt = w, h, "yuv420p"
    st.options = {"preset": "ultrafast", "crf": "23", "g": "60"}
    ast = None
    if sound is not None:
        ast = out.add_stream("aac", rate=sound[1])
        ast.layout = "stereo"
    a_done = 0  # audio samples written
    i = 0
    while i < n_out:
        ok, f = cap.read()
        if not ok:  # loop: start the source again
            cap.release()
            cap = cv2.VideoCapture(str(src))
            ok, f = cap.read()
        if (w, h) != (w0, h0):
            f = cv2.resize(f, (w, h), interpolation=cv2.INTER_LINEAR)
        for p in st.encode(av.VideoFrame.from_ndarray(f, format="bgr24")):
            out.mux(p)
        i += 1
        if sound is not None and ast is not None:  # the sound up to this frame's end, looped
            samples, rate = sound
            want = int(i / fps * rate)
            while a_done < want:
                k = min(1024, want - a_done)
                idx = (a_done + np.arange(k)) % samples.shape[1]
                af = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, idx]), format="fltp", layout="stereo")
                af.sample_rate, af.pts = rate, a_done
                for p in ast.encode(af):
                    out.mux(p)
                a_done += k
    cap.release()
    for p in st.encode():
        out.mux(p)
    if ast is not None:
        for p in ast.encode():
            out.mux(p)
    out.close()
    return dst


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ``ru_maxrss``: Linux carries the
    forking parent's high-water mark into ``ru_maxrss`` across exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# -- child processes: each measurement runs in a fresh process --------------------------
class ReplayModel:
    """Recorded real landmarks by frame time (looped with the clip): the production pose
    stage without MediaPipe's cost (``stage.make_estimator`` is replaced by it)."""

    name = "replay"

    def __init__(self, npz: str, src_w: int, fps: float):
        d = np.load(npz)
        self.xy, self.world, self.vis = d["xy"], d["world"], d["vis"]
        self.src_w, self.fps = src_w, fps

    def process(self, rgb, t_s):
        from analysis.pose.estimators import PoseFrame  # noqa: PLC0415

        k = int(round(t_s * self.fps)) % len(self.xy)
        if not np.isfinite(self.xy[k, 0, 0]):
            return None
        return PoseFrame(self.xy[k] * (rgb.shape[1] / self.src_w), self.world[k], self.vis[k])

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def bare_loop(path: str) -> dict:
    """MediaPipe alone: decode, colour conversion, pose; nothing kept."""
    t0 = time.perf_counter()
    import cv2  # noqa: PLC0415
    import mediapipe as mp  # noqa: PLC0415

    t1 = time.perf_counter()
    cap = cv2.VideoCapture(path)
    n = 0
    with mp.solutions.pose.Pose(model_complexity=1) as pose:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            n += 1
    cap.release()
    return {"frames": n, "import_s": t1 - t0, "loop_s": time.perf_counter() - t1}


def child_main(spec: dict) -> None:
    mode = spec["mode"]
    if mode == "bare":
        print("RESULT " + json.dumps(bare_loop(spec["clip"])))
        return
    if mode == "cli":  # our command line, as a user runs it
        from analysis.__main__ import main as cli  # noqa: PLC0415
        from analysis.pose import parallel  # noqa: PLC0415

        with tempfile.TemporaryDirectory() as d:
            argv = [spec["clip"], "--out", d, "--quiet"] + (["--workers", str(spec["workers"])] if "workers" in spec else [])
            argv += ["--pose-threads", str(spec["threads"])] if "threads" in spec else []
            rc = cli(argv)
            rep = json.loads((Path(d) / "report.json").read_text()) if rc == 0 else {}
        print("RESULT " + json.dumps({
            "rc": rc, "processes": parallel.LAST_STATS.get("processes"), "threads": parallel.LAST_STATS.get("threads"),
            "segments": parallel.LAST_STATS.get("segments"),
            "helper_start_s": parallel.LAST_STATS.get("helper_start_s"), "jumps": rep.get("summary", {}).get("jump_count"),
            "timings": rep.get("timings_s"), "peak_rss_mb": peak_rss_mb(),
        }))
        return
    if mode == "memory":
        from analysis.config import AnalysisConfig  # noqa: PLC0415
        from analysis.pipeline import analyze_video  # noqa: PLC0415
        from analysis.pose import stage  # noqa: PLC0415

        if spec.get("replay"):
            model = ReplayModel(spec["replay"], spec["src_w"], spec["fps"])
            stage.make_estimator = lambda model_path=None, threads=1: model  # type: ignore[assignment]
        t0 = time.perf_counter()
        report = analyze_video(spec["clip"], AnalysisConfig(max_minutes=spec["max_minutes"]), workers=1)
        t1 = time.perf_counter()
        before_write = peak_rss_mb()
        with tempfile.TemporaryDirectory() as d:
            report.write(d)
        print("RESULT " + json.dumps({
            "frames": len(report.t_s), "seconds": t1 - t0, "write_s": time.perf_counter() - t1,
            "peak_before_write_mb": before_write, "peak_rss_mb": peak_rss_mb(),
        }))
        return
    if mode == "costs":  # per-frame cost of decoding (skipped frames) and of pose at this frame size
        from analysis.io.video import FrameReader, read_meta  # noqa: PLC0415
        from analysis.pose.estimators import estimate_pose, make_estimator  # noqa: PLC0415

        meta = read_meta(spec["clip"])
        with FrameReader(spec["clip"], meta) as r:
            c0 = time.process_time()
            for _ in r.frames(meta.n_frames, None):  # grabs every frame: the cost of skipping
                pass
            grab = (time.process_time() - c0) / max(1, r.grabbed)
        n = min(meta.n_frames, 300)
        with FrameReader(spec["clip"], meta) as r, make_estimator() as est:
            c0 = time.process_time()
            estimate_pose(r.frames(0, n), est, (meta.width_px, meta.height_px), meta.fps)
            pose = (time.process_time() - c0) / n
        print("RESULT " + json.dumps({"grab_ms": 1000 * grab, "pose_ms": 1000 * pose}))
        return
    raise ValueError(f"unknown child mode {mode!r}")


def run_child(spec: dict, timeout: float = 3600) -> dict:
    """Run a child; its result plus the wall time and CPU (all its processes) measured from
    here, and the cores the other programs kept busy meanwhile."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0, t0 = machine_busy_s(), time.perf_counter()
    p = subprocess.run([PY, "-m", "bench.speed", "--child", json.dumps(spec)], capture_output=True, text=True,
                       env=quiet_env(), cwd=REPO, timeout=timeout)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    others = max(0.0, (machine_busy_s() - b0 - cpu) / wall)
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return {**json.loads(line[7:]), "wall_s": wall, "cpu_s": cpu, "others_cores": others}
    raise RuntimeError(f"child {spec} failed ({p.returncode}): {p.stderr[-2000:]}")


# -- sections ----------------------------------------------------------------------------
VARIANTS = {
    "bare": {"mode": "bare"},
    "ours": {"mode": "cli"},  # the default: the policy chooses the processes
    "ours_1": {"mode": "cli", "workers": 1},
    "ours_2": {"mode": "cli", "workers": 2},
    "ours_t2": {"mode": "cli", "threads": 2},  # networks on two threads; processes capped at the cores over two
}


def versus_clip(clip: str, rounds: int) -> dict:
    names = list(VARIANTS)
    run_child({"mode": "bare", "clip": clip})  # untimed: the file and the libraries into the page cache
    runs: dict[str, list[dict]] = {n: [] for n in names}
    for k in range(rounds):
        order = names if k % 2 == 0 else names[::-1]  # A B C D, then D C B A: drift cancels out
        for n in order:
            r = run_child({**VARIANTS[n], "clip": clip})
            r["round"] = k
            runs[n].append(r)
            log(f"versus {Path(clip).name[:30]} round {k + 1} {n}: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, "
                f"other programs {r['others_cores']:.2f} cores"
                + (f", {r['processes']} pose process(es)" if n != "bare" else ""))
    out: dict = {"clip": Path(clip).name, "rounds": rounds, "runs": runs, "summary": {}}
    for n in names:
        w = [r["wall_s"] for r in runs[n]]
        out["summary"][n] = {
            "best_s": min(w), "median_s": statistics.median(w), "cpu_median_s": statistics.median(r["cpu_s"] for r in runs[n]),
            "others_median_cores": statistics.median(r["others_cores"] for r in runs[n]),
            "processes": [r.get("processes") for r in runs[n]],
            "threads": [r.get("threads") for r in runs[n]],
        }
    b = out["summary"]["bare"]
    for n in names[1:]:
        s = out["summary"][n]
        s["ratio_best"] = b["best_s"] / s["best_s"]
        s["ratio_median"] = b["median_s"] / s["median_s"]
        s["ratio_per_round"] = [x["wall_s"] / y["wall_s"] for x, y in zip(runs["bare"], runs[n])]
    out["frames"] = runs["bare"][0]["frames"]
    return out


def section_versus(rounds: int, tmp: Path) -> list[dict]:
    """The real 720p clip (28.8 s: shorter than two segments, so one pose process whatever the
    cores) and the same clip looped to 60 s (picture and sound; two segments)."""
    looped = make_clip(VIDEOS / VERSUS_CLIP, tmp / "versus_720p_60s.mp4", seconds=60.0)
    out = [versus_clip(str(VIDEOS / VERSUS_CLIP), rounds), versus_clip(str(looped), rounds)]
    out[1]["clip"] = f"{VERSUS_CLIP} looped to 60 s"
    looped.unlink()
    return out


def section_parallel(quick: bool, tmp: Path) -> list[dict]:
    seconds = 20.0 if quick else 60.0
    sizes = [("640x360", None), ("1280x720", (1280, 720)), ("1920x1080", (1920, 1080))]
    out = []
    for label, size in sizes:
        clip = make_clip(VIDEOS / SOURCE_CLIP, tmp / f"par_{label}.mp4", size=size, seconds=seconds)
        costs = run_child({"mode": "costs", "clip": str(clip)})
        one = run_child({"mode": "cli", "clip": str(clip), "workers": 1})
        two = run_child({"mode": "cli", "clip": str(clip), "workers": 2})
        row = {
            "size": label, "clip_s": seconds, "one_s": one["wall_s"], "two_s": two["wall_s"],
            "speedup": one["wall_s"] / two["wall_s"], "cpu_one_s": one["cpu_s"], "cpu_two_s": two["cpu_s"],
            "jumps_one": one["jumps"], "jumps_two": two["jumps"], "segments": two["segments"],
            "grab_ms": costs["grab_ms"], "pose_ms": costs["pose_ms"],
            "others_cores": statistics.mean([one["others_cores"], two["others_cores"]]),
        }
        log(f"parallel {label}: 1 process {one['wall_s']:.1f} s, 2 processes {two['wall_s']:.1f} s -> "
            f"x{row['speedup']:.2f}; decode {costs['grab_ms']:.1f} ms / pose {costs['pose_ms']:.1f} ms a frame")
        out.append(row)
        clip.unlink()
    return out


def record_pose(tmp: Path) -> tuple[str, int, float]:
    from analysis.io.video import read_meta  # noqa: PLC0415
    from analysis.pose.estimators import make_estimator  # noqa: PLC0415
    from analysis.pose.stage import run_pose  # noqa: PLC0415

    src = VIDEOS / SOURCE_CLIP
    meta = read_meta(src)
    with make_estimator() as est:
        pose = run_pose(src, meta, est)
    npz = tmp / "replay.npz"  # make_clip loops the source forward, as the replay does
    np.savez(npz, xy=pose.xy_px, world=pose.world_m, vis=pose.visibility)
    return str(npz), meta.width_px, meta.fps


def section_memory(quick: bool, tmp: Path) -> list[dict]:
    minutes = [1, 5] if quick else [1, 5, 15]
    clip = make_clip(VIDEOS / SOURCE_CLIP, tmp / "long_360p.mp4", seconds=60 * max(minutes) + 1)
    log(f"memory: {max(minutes)}-min 640x360 clip with sound made")
    npz, src_w, fps = record_pose(tmp)
    rows = []
    for m in minutes:
        for mode in ["replay"] + (["mediapipe"] if m == 1 else []):
            r = run_child({"mode": "memory", "clip": str(clip), "max_minutes": m, "replay": npz if mode == "replay" else None,
                           "src_w": src_w, "fps": fps})
            rows.append({"minutes": m, "estimator": mode, **{k: r[k] for k in (
                "frames", "seconds", "write_s", "peak_before_write_mb", "peak_rss_mb")}})
            log(f"memory {m} min {mode}: peak {r['peak_rss_mb']:.0f} MB ({r['seconds']:.0f} s)")
    clip.unlink()
    return rows


def section_batch(quick: bool, tmp: Path) -> list[dict]:
    names = BATCH_CLIPS[:3] if quick else BATCH_CLIPS
    clips = [str(VIDEOS / n) for n in names]
    runs = [("local", 1), ("local", 2)] + ([] if quick else [("local", 4), ("ray", 2)])
    rows = []
    for engine, w in runs:
        out = tmp / f"batch_{engine}_{w}"
        t0 = time.perf_counter()
        p = subprocess.run([PY, "-m", "analysis", "batch", *clips, "--out", str(out), "--workers", str(w),
                            "--engine", engine, "--quiet"], capture_output=True, text=True, env=quiet_env(), cwd=REPO)
        dt = time.perf_counter() - t0
        import csv  # noqa: PLC0415

        with (out / "summary.csv").open() as f:
            st = [r["status"] for r in csv.DictReader(f)]
        rows.append({"engine": engine, "workers": w, "clips": len(clips), "seconds": dt,
                     "clips_per_min": 60 * len(clips) / dt, "ok": sum(s != "error" for s in st), "rc": p.returncode})
        log(f"batch {engine} x{w}: {dt:.1f}s, {rows[-1]['clips_per_min']:.1f} clips/min, statuses {st}")
        shutil.rmtree(out, ignore_errors=True)
    return rows


# -- report ------------------------------------------------------------------------------
def write_results(res: dict, quick: bool) -> None:
    L = [
        "# Speed and scale (bench/speed.py)",
        "",
        f"Measured {res['when']} with `python -m bench.speed{' --quick' if quick else ''}` on {os.cpu_count()} cores "
        f"(1-minute load average at start {res['load_start']}, at end {res['load_end']}; the machine is shared: "
        "each run states the cores the other programs kept busy meanwhile).",
        "",
    ]
    for v in res.get("versus", []):
        s = v["summary"]
        label = {"bare": "MediaPipe alone (fresh process: import, decode, cvtColor, Pose.process)",
                 "ours": "our command line, default (`python -m analysis CLIP`)",
                 "ours_1": "our command line, `--workers 1`", "ours_2": "our command line, `--workers 2`",
                 "ours_t2": "our command line, `--pose-threads 2`"}
        L += [
            f"## Our command line against a bare MediaPipe loop: `{v['clip']}`",
            "",
            f"1280x720, {v['frames']} frames; {v['rounds']} rounds, the {len(s)} variants interleaved A B C ... / ... C B A; "
            "every run a fresh process timed from outside (imports included).",
            "",
            "| variant | best s | median s | CPU s (median) | other programs, cores (median) | pose processes "
            "(threads each) | bare / this, best | bare / this, median |",
            "|---|---:|---:|---:|---:|---|---:|---:|",
        ]
        for n, x in s.items():
            threads = x.get("threads") or [None] * len(x["processes"])
            procs = ", ".join(f"{p} ({t or 1})" for p, t in zip(x["processes"], threads)) if n != "bare" else "1 (1)"
            rb = f"**x{x['ratio_best']:.2f}**" if "ratio_best" in x else "-"
            rm = f"x{x['ratio_median']:.2f}" if "ratio_median" in x else "-"
            L.append(f"| {label[n]} | {x['best_s']:.1f} | {x['median_s']:.1f} | {x['cpu_median_s']:.1f} | "
                     f"{x['others_median_cores']:.2f} | {procs} | {rb} | {rm} |")
        L.append("")
        L.append("All runs (wall s, other programs' cores): " + "; ".join(
            f"{n} " + ", ".join(f"{r['wall_s']:.1f} ({r['others_cores']:.1f})" for r in runs)
            for n, runs in v["runs"].items()) + ".")
        L.append("")
    if "parallel" in res:
        L += [
            "## Two pose processes against one, by frame size",
            "",
            "A real 640x360 clip upscaled and looped (H.264, sound kept) into a temporary folder; our command line with "
            "`--workers 1` and `--workers 2`, each a fresh process. Decode = CPU to decode a frame that is skipped "
            "(what a helper pays for every frame before its first segment); pose = CPU of a frame's pose.",
            "",
            "| frame size | clip | 1 process (s) | 2 processes (s) | speed-up | CPU s 1 / 2 | segments | decode / pose ms a frame | "
            "other programs, cores | jumps 1 / 2 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in res["parallel"]:
            L.append(f"| {r['size']} | {r['clip_s']:.0f} s | {r['one_s']:.1f} | {r['two_s']:.1f} | **x{r['speedup']:.2f}** | "
                     f"{r['cpu_one_s']:.0f} / {r['cpu_two_s']:.0f} | {r['segments']} | {r['grab_ms']:.1f} / {r['pose_ms']:.1f} | "
                     f"{r['others_cores']:.2f} | {r['jumps_one']} / {r['jumps_two']} |")
        L.append("")
    if "memory" in res:
        L += [
            "## Peak memory against clip length",
            "",
            "Peak resident memory (VmHWM) of a process that analyses a 640x360 clip with sound (a real clip's picture "
            "and soundtrack looped) and writes report.json, frames.csv and jumps.csv. `replay` = recorded real "
            "landmarks through the production pose stage in place of MediaPipe; `mediapipe` = the real model.",
            "",
            "| minutes | estimator | frames | analysis (s) | peak before writing (MB) | peak (MB) |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for r in res["memory"]:
            L.append(f"| {r['minutes']} | {r['estimator']} | {r['frames']} | {r['seconds']:.1f} | "
                     f"{r['peak_before_write_mb']:.0f} | {r['peak_rss_mb']:.0f} |")
        L.append("")
    if "batch" in res:
        b0 = res["batch"][0]
        L += [
            "## Batch",
            "",
            f"`python -m analysis batch` on {b0['clips']} real clips (each a few hundred frames), fresh output "
            "folder each time, wall time including process/Ray start-up.",
            "",
            "| engine | workers | seconds | clips per minute | speed-up | clips ok |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for r in res["batch"]:
            L.append(f"| {r['engine']} | {r['workers']} | {r['seconds']:.1f} | {r['clips_per_min']:.1f} | "
                     f"x{b0['seconds'] / r['seconds']:.2f} | {r['ok']}/{r['clips']} |")
        L.append("")
    L += ["## Reading", "", *reading(res), ""]
    from bench.results import update_section  # noqa: PLC0415

    update_section("speed", "\n".join(L))
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "speed.json").write_text(json.dumps(res, indent=1, default=float))


def reading(res: dict) -> list[str]:
    """What the figures say, computed from them (so a re-run keeps the text true)."""
    out = []
    for v in res.get("versus", []):
        s = v["summary"]
        o, two, one = s["ours"], s["ours_2"], s["ours_1"]
        t2 = s.get("ours_t2")
        out.append(
            f"- `{v['clip']}`: ours against the bare loop, best of {v['rounds']}: default x{o['ratio_best']:.2f} "
            f"(median x{o['ratio_median']:.2f}), two pose processes x{two['ratio_best']:.2f} "
            f"(median x{two['ratio_median']:.2f}), one process x{one['ratio_best']:.2f} "
            f"(median x{one['ratio_median']:.2f})"
            + (f", the networks on two threads x{t2['ratio_best']:.2f} (median x{t2['ratio_median']:.2f})" if t2 else "")
            + f". The default chose {', '.join(str(p) for p in o['processes'])} pose "
            "process(es): two only for a clip of two segments or more, and only when two cores are free of other "
            "programs at its start; threads for the networks only with two cores to spare beyond them "
            "(`parallel.SPARE_CORES_FOR_THREADS`), never on this 2-core machine.")
    if "parallel" in res:
        for r in res["parallel"]:
            r["decode_share"] = r["grab_ms"] / r["pose_ms"]
        out.append(
            "- Two processes against one: " + ", ".join(f"{r['size']} x{r['speedup']:.2f}" for r in res["parallel"])
            + ". Decoding a skipped frame costs " + ", ".join(
                f"{100 * r['decode_share']:.0f}% of its pose at {r['size']}" for r in res["parallel"])
            + ": a helper starting half-way decodes half the clip for nothing, which is why frames above "
            "1920x1080 stay in one process.")
    if "memory" in res:
        rep = sorted((r for r in res["memory"] if r["estimator"] == "replay"), key=lambda r: r["minutes"])
        if len(rep) >= 2:
            a, b = rep[0], rep[-1]
            slope = (b["peak_rss_mb"] - a["peak_rss_mb"]) / (b["minutes"] - a["minutes"])
            fps = a["frames"] / (60.0 * a["minutes"])
            pose_mb = POSE_BYTES_PER_FRAME * fps * 60 / 2**20
            audio_mb = AUDIO_BYTES_PER_S * 60 / 2**20
            out.append(
                f"- Memory: the peak grows {slope:.1f} MB per minute of clip from {a['minutes']} to {b['minutes']} min "
                f"({a['peak_rss_mb']:.0f} to {b['peak_rss_mb']:.0f} MB); the pose series itself is {pose_mb:.1f} MB a "
                f"minute at {fps:.0f} fps, {slope / pose_mb:.1f}x the series. Frames stream through one at a time; the "
                f"soundtrack's samples ({audio_mb:.1f} MB a minute) go through a temporary file and are never held "
                "in memory.")
    if "batch" in res:
        b = res["batch"]
        best = max(b, key=lambda r: r["clips_per_min"])
        out.append(
            f"- Batch: best {best['clips_per_min']:.1f} clips/min with {best['engine']} x{best['workers']} "
            f"(x{b[0]['seconds'] / best['seconds']:.2f} over one worker).")
    out += [f"- {h}" for h in res.get("history", [])]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.speed")
    ap.add_argument("--quick", action="store_true", help="short clips, one round (a few minutes)")
    ap.add_argument("--only", nargs="*", choices=["versus", "parallel", "memory", "batch"], default=None)
    ap.add_argument("--rounds", type=int, default=None, help="rounds of the versus section (default 3, quick 1)")
    ap.add_argument("--render", action="store_true", help="write bench/RESULTS.md from bench/out/speed.json again")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(json.loads(args.child))
        return 0
    if args.render:
        res = json.loads((REPO / "bench" / "out" / "speed.json").read_text())
        write_results(res, res.get("quick", False))
        return 0
    if not (VIDEOS / VERSUS_CLIP).is_file():
        print(f"error: real clips not found at {VIDEOS}", file=sys.stderr)
        return 2
    os.environ.update({k: v for k, v in quiet_env().items() if k in ("GLOG_minloglevel", "TF_CPP_MIN_LOG_LEVEL")})
    sections = args.only or ["versus", "parallel", "memory", "batch"]
    res: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_start": load(), "quick": args.quick}
    prev = REPO / "bench" / "out" / "speed.json"
    if args.only and prev.is_file():  # a partial run updates its sections of the last results
        old = json.loads(prev.read_text())
        if old.get("quick") == args.quick and "overhead" not in old:  # not the earlier format
            res = {**old, **{k: v for k, v in res.items() if k != "when"}, "when": f"{old['when']} / {res['when']}"}
    tmp = Path(tempfile.mkdtemp(prefix="bench_speed_"))
    try:
        if "versus" in sections:
            res["versus"] = section_versus(args.rounds or (1 if args.quick else 2), tmp)
        if "parallel" in sections:
            res["parallel"] = section_parallel(args.quick, tmp)
        if "memory" in sections:
            res["memory"] = section_memory(args.quick, tmp)
        if "batch" in sections:
            res["batch"] = section_batch(args.quick, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["load_end"] = load()
    write_results(res, args.quick)
    print(RESULTS.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
