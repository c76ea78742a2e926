"""Put it together: parameters -> frames + truth -> mp4 (+ AAC) and truth JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import numpy as np

from synthetic.audio import make_audio
from synthetic.body import BodyDims, Skeleton, forward_kinematics
from synthetic.motion import MotionResult, make_motion
from synthetic.params import JumpParams
from synthetic.render import (
    Camera,
    SensorNoise,
    draw_frame,
    post_process,
    render_background,
    shake_offsets,
)
from synthetic.truth import SCHEMA, faults_truth, frame_truth, jump_truth, rule_truth


@dataclass
class Scene:
    """Everything needed to draw any frame of a clip, plus its truth."""

    params: JumpParams
    seed: int
    dims: BodyDims
    motion: MotionResult
    skeleton: Skeleton
    camera: Camera
    background: np.ndarray
    shake_px: np.ndarray
    truth: dict
    audio: np.ndarray | None

    @property
    def n_frames(self) -> int:
        return len(self.motion.t_s)

    def frames(self) -> Iterator[np.ndarray]:
        """BGR uint8 frames, deterministic for (params, seed)."""
        rng = np.random.default_rng(self.seed + 3)
        shape = (self.camera.height, self.camera.width, 3)
        noise = SensorNoise(self.params.noise_sigma, shape, rng) if self.params.noise_sigma > 0 else None
        for f in range(self.n_frames):
            img = draw_frame(self.params, self.dims, self.skeleton, f, self.camera, self.background,
                             float(self.motion.rope_rad[f]), float(self.motion.rope_rad[max(f - 1, 0)]))
            yield post_process(self.params, img, self.shake_px[f], noise)


def build_scene(p: JumpParams, seed: int = 0) -> Scene:
    """Pose, camera and truth of a clip (frames are drawn lazily by ``Scene.frames``)."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    dims = BodyDims.from_height(p.standing_height_cm)
    motion = make_motion(p, dims, seed)
    sk = forward_kinematics(dims, motion.pose)
    cam = Camera.for_params(p, dims)
    rng = np.random.default_rng(seed + 1)
    bg = render_background(p, cam, rng)
    shake = shake_offsets(p, len(motion.t_s), np.random.default_rng(seed + 2))
    frames = frame_truth(p, dims, sk, motion, cam, shake)
    jumps = jump_truth(p, motion, frames)
    rules = rule_truth(p, dims, sk, motion, frames, jumps)
    faults = faults_truth(p, motion, frames, jumps, rules)
    n = len(motion.t_s)
    k = float(p.slowmo_factor)
    audio_sig, audio_info = None, None
    if p.audio:
        # Landing thumps where the video shows each touchdown (video time; in slow motion
        # as if the phone kept a slowed soundtrack aligned with the picture, the thump
        # itself not stretched). No-rope movements thump at their own touchdowns.
        landings = [(j["index"], j["landing_s"]) for j in jumps]
        for r in motion.reps:  # every flight of a repetition (a jumping jack has two)
            flights = r.get("flights") or ([r] if r.get("landing_s") is not None else [])
            landings += [(r["index"], f["landing_s"] * k) for f in flights]
        audio_sig, audio_info = make_audio(p, landings, n / p.fps, seed)
    truth = {
        "schema": SCHEMA,
        "params": p.to_dict(),
        "seed": seed,
        "fps": float(p.fps),
        "n_frames": n,
        "width": cam.width,
        "height": cam.height,
        "standing_height_cm": float(p.standing_height_cm),
        "view": p.view,
        "style": p.style_label if p.has_rope else "none",
        "movement": p.movement,
        "true_count": len(jumps),  # rope jumps (a double-under counts once); 0 without a rope
        "slowmo_factor": k,
        "duration_s": round(n / p.fps, 6),  # video seconds
        "duration_phys_s": round(n / p.physical_fps, 6),
        "camera": {"position_m": cam.position.round(6).tolist(), "rotation": cam.rot.round(9).tolist(),
                   "focal_px": cam.focal_px, "cx": cam.cx, "cy": cam.cy,
                   "frame": "world: x = jumper's left, y = up, z = jumper's facing; metres"},
        "frames": frames,
        "jumps": jumps,
        "faults": faults,
        "rules": rules,
        "reps": [_video_times(r, k) for r in motion.reps],
        "stands": [{"start_s": round(a * k, 6), "end_s": round(b * k, 6), "reason": r}
                   for a, b, r in motion.timeline.stands],
        "audio": audio_info,
    }
    return Scene(p, seed, dims, motion, sk, cam, bg, shake, truth, audio_sig)


def _video_times(rep, k: float):
    """A repetition's ``*_s`` times in video time (``*_phys_s`` kept physical), nested."""
    if isinstance(rep, list):
        return [_video_times(v, k) for v in rep]
    if not isinstance(rep, dict):
        return rep
    out = {}
    for key, v in rep.items():
        if key.endswith("_s") and not key.endswith("_phys_s") and v is not None:
            out[key] = [round(x * k, 6) for x in v] if isinstance(v, list) else round(v * k, 6)
        else:
            out[key] = _video_times(v, k)
    return out


def write_video(scene: Scene, out: Path, crf: int = 23) -> str:
    """Encode H.264/yuv420p (+AAC) with PyAV; fall back to OpenCV mp4v. Returns the codec."""
    try:
        import av
    except ImportError:  # pragma: no cover - PyAV is a project dependency
        av = None
    p = scene.params
    if av is not None:
        rate = Fraction(p.fps).limit_denominator(1001)
        with av.open(str(out), "w") as container:
            vs = container.add_stream("libx264", rate=rate)
            vs.width, vs.height, vs.pix_fmt = scene.camera.width, scene.camera.height, "yuv420p"
            vs.options = {"crf": str(crf), "preset": "veryfast", "threads": "1"}
            astream = None
            if scene.audio is not None:
                astream = container.add_stream("aac", rate=p.sample_rate, layout="mono")
            a_pos, chunk = 0, 1024
            audio = scene.audio
            for f, img in enumerate(scene.frames()):
                frame = av.VideoFrame.from_ndarray(img, format="bgr24")
                frame.pts = f
                for pkt in vs.encode(frame):
                    container.mux(pkt)
                if astream is not None:
                    upto = int((f + 1) / p.fps * p.sample_rate)
                    while a_pos + chunk <= min(upto, len(audio)):
                        a_pos = _push_audio(av, container, astream, audio, a_pos, chunk, p.sample_rate)
            for pkt in vs.encode():
                container.mux(pkt)
            if astream is not None:
                while a_pos < len(audio):
                    a_pos = _push_audio(av, container, astream, audio, a_pos, chunk, p.sample_rate)
                for pkt in astream.encode():
                    container.mux(pkt)
        return "h264"
    import cv2  # pragma: no cover

    wr = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), p.fps, (scene.camera.width, scene.camera.height))
    for img in scene.frames():
        wr.write(img)
    wr.release()
    return "mp4v"


def _push_audio(av, container, stream, audio: np.ndarray, pos: int, chunk: int, sr: int) -> int:
    block = audio[pos:pos + chunk]
    if len(block) < chunk:
        block = np.pad(block, (0, chunk - len(block)))
    frame = av.AudioFrame.from_ndarray(block[None, :].astype(np.float32), format="fltp", layout="mono")
    frame.sample_rate = sr
    frame.pts = pos
    for pkt in stream.encode(frame):
        container.mux(pkt)
    return pos + chunk


def truth_path(video: Path) -> Path:
    """``OUT.mp4`` -> ``OUT.truth.json``."""
    video = Path(video)
    return video.with_name(video.stem + ".truth.json")


def generate(p: JumpParams, out: Path, seed: int = 0, crf: int = 23) -> dict:
    """Render ``out`` (mp4) and write ``out``'s truth JSON beside it; returns the truth."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    scene = build_scene(p, seed)
    codec = write_video(scene, out, crf=crf)
    truth = dict(scene.truth)
    truth["video_codec"] = codec
    truth["params_hash"] = p.params_hash(seed)
    truth_path(out).write_text(json.dumps(truth, separators=(",", ":")))
    return truth
