"""What the per-frame probes of the decoding pass cost beside the pose model:
``python -m bench.probes [CLIP] [--frames N]``.

The pose stage feeds every decoded frame to MediaPipe and to the frame sampler's probes: the
rope band above the head (``pose/ropeband.py``) and the camera's shake (``pose/camera_motion.py``,
which shares the rope band's grey copy). This benchmark times each on the same frames in one
run, interleaved frame by frame (this machine is noisy: side by side, not one after the other),
and prints each probe's time as a share of the pose model's. Default clip: the shared boxer-step
clip (720p, 30 fps) when ``../shared/videos`` is there, else the first sample clip.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np


def _default_clip() -> Path:
    repo = Path(__file__).resolve().parents[1]
    shared = repo.parent / "shared" / "videos" / "front_woman_boxer_step_garage_timer_panel_720p_30fps.mp4"
    return shared if shared.exists() else sorted((repo / "sample_videos").glob("*.mp4"))[0]


def main(argv: list[str] | None = None) -> int:
    from analysis.io.video import FrameReader, read_meta  # noqa: PLC0415
    from analysis.pose.camera_motion import CameraMotionProbe  # noqa: PLC0415
    from analysis.pose.estimators import make_estimator, prepare_rgb  # noqa: PLC0415
    from analysis.pose.ropeband import RopeBandProbe, probe_grey  # noqa: PLC0415

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("clip", nargs="?", type=Path, default=None)
    ap.add_argument("--frames", type=int, default=300)
    args = ap.parse_args(argv)
    clip = args.clip or _default_clip()
    meta = read_meta(clip)
    rope, camera = RopeBandProbe(), CameraMotionProbe(meta.fps)
    spent = {"pose": 0.0, "grey copy": 0.0, "rope band": 0.0, "camera shake": 0.0}
    n = 0
    with make_estimator(None) as est, FrameReader(clip, meta) as reader:
        for fr in reader.frames(0, args.frames):
            if n >= args.frames:
                break
            t0 = time.perf_counter()
            rgb, scale = prepare_rgb(fr.bgr)
            pf = est.process(rgb, fr.t_s)
            t1 = time.perf_counter()
            xy = None if pf is None else pf.xy_px / scale
            grey = probe_grey(fr.bgr)
            t2 = time.perf_counter()
            camera.on_frame(fr.index, fr.bgr, xy, grey)
            t3 = time.perf_counter()
            rope.on_frame(fr.index, fr.bgr, xy, grey, camera.value(fr.index))  # as the pose stage feeds them
            t4 = time.perf_counter()
            for k, dt in zip(spent, (t1 - t0, t2 - t1, t4 - t3, t3 - t2)):
                spent[k] += dt
            n += 1
    print(f"{clip.name}: {n} frames, {meta.width_px}x{meta.height_px}")
    for k, v in spent.items():
        share = "" if k == "pose" else f"  ({100 * v / spent['pose']:.1f} % of the pose model's time)"
        print(f"  {k:13s} {1000 * v / max(n, 1):6.2f} ms a frame{share}")
    shifts = camera.shifts(n)
    print(f"  camera shift measured on {100 * np.isfinite(shifts[:, 0]).mean():.0f} % of the frames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
