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
from synthetic.capture import capture_tags, cut_tags, landmark_visibility, out_of_frame_shares, rope_passes, view_bin
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
from synthetic.walker import Walker, make_walker


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
    canvas: Camera | None = None  # the drawing canvas when the camera pans (larger than the frame)
    pan_px: np.ndarray | None = None  # (n, 2) int: image drift of the pan per frame
    walker: Walker | None = None  # the second person

    @property
    def n_frames(self) -> int:
        return len(self.motion.t_s)

    def frames(self) -> Iterator[np.ndarray]:
        """BGR uint8 frames, deterministic for (params, seed)."""
        rng = np.random.default_rng(self.seed + 3)
        shape = (self.camera.height, self.camera.width, 3)
        noise = SensorNoise(self.params.noise_sigma, shape, rng) if self.params.noise_sigma > 0 else None
        canvas = self.canvas or self.camera
        gain = 1.0 - 0.75 * self.params.backlight  # the jumper's front is in shadow when back-lit
        w, h = self.camera.width, self.camera.height
        mx, my = int(round(canvas.cx - self.camera.cx)), int(round(canvas.cy - self.camera.cy))
        for f in range(self.n_frames):
            others = self.walker.primitives(f, canvas) if self.walker is not None else None
            img = draw_frame(self.params, self.dims, self.skeleton, f, canvas, self.background,
                             float(self.motion.rope_rad[f]), float(self.motion.rope_rad[max(f - 1, 0)]),
                             others=others, gain=gain)
            if self.canvas is not None:  # the pan: a window onto the larger canvas
                dx, dy = (int(v) for v in self.pan_px[f])
                img = img[my - dy:my - dy + h, mx - dx:mx - dx + w]
            yield post_process(self.params, img, self.shake_px[f], noise)


def build_scene(p: JumpParams, seed: int = 0) -> Scene:
    """Pose, camera and truth of a clip (frames are drawn lazily by ``Scene.frames``)."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    dims = BodyDims.from_height(p.standing_height_cm, p.head_height_frac, p.hip_height_frac)
    motion = make_motion(p, dims, seed)
    sk = forward_kinematics(dims, motion.pose)
    cam = Camera.for_params(p, dims)
    n = len(motion.t_s)
    canvas, pan = None, np.zeros((n, 2), int)
    if p.pan_px > 0:
        pan = pan_offsets(p, motion.t_s)
        m = int(np.ceil(p.pan_px)) + 1
        canvas = cam.shifted(m, 0, cam.width + 2 * m, cam.height)
    rng = np.random.default_rng(seed + 1)
    bg = render_background(p, canvas or cam, rng)
    shake = shake_offsets(p, n, np.random.default_rng(seed + 2))
    offsets = shake + pan
    frames = frame_truth(p, dims, sk, motion, cam, offsets)
    jumps = jump_truth(p, motion, frames)
    rules = rule_truth(p, dims, sk, motion, frames, jumps)
    faults = faults_truth(p, motion, frames, jumps, rules)
    k = float(p.slowmo_factor)
    walker = make_walker(p, cam, motion.t_s)
    in_frame, hidden = landmark_visibility(sk, dims, cam, offsets)
    frames["landmarks_in_frame"] = in_frame.astype(int).tolist()
    frames["landmarks_hidden"] = hidden.astype(int).tolist()
    passes = rope_passes(p, dims, sk, motion.rope_rad, cam, canvas or cam, bg, offsets, jumps)
    for j, ps in zip(jumps, passes):
        j["rope_visible"] = [q["visible"] for q in ps]
    if walker is not None:
        frames["second_person_bbox_px"] = _bboxes(walker, cam, offsets)
    capture = capture_summary(p, dims, cam, in_frame, passes, walker)
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
        "camera_yaw_deg": float(((p.camera_yaw_deg + 180.0) % 360.0) - 180.0),
        "capture": capture,
        "reps": [_video_times(r, k) for r in motion.reps],
        "stands": [{"start_s": round(a * k, 6), "end_s": round(b * k, 6), "reason": r}
                   for a, b, r in motion.timeline.stands],
        "audio": audio_info,
    }
    return Scene(p, seed, dims, motion, sk, cam, bg, shake, truth, audio_sig, canvas, pan if canvas else None, walker)


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


def pan_offsets(p: JumpParams, t_s: np.ndarray) -> np.ndarray:
    """(n, 2) int image drift of a slow pan: there and back once per ``pan_period_s``."""
    dx = np.round(p.pan_px * np.sin(2 * np.pi * t_s / p.pan_period_s)).astype(int)
    return np.stack([dx, np.zeros_like(dx)], -1)


def _bboxes(walker: Walker, cam: Camera, offsets: np.ndarray) -> list:
    """Per frame [x0, y0, x1, y1] of the second person's landmarks inside the frame, or None."""
    px, z = cam.project(walker.skeleton.landmarks)
    px = px + offsets[:, None, :]
    out = []
    for f in range(len(px)):
        x0, y0 = np.maximum(px[f].min(0), 0)
        x1, y1 = np.minimum(px[f].max(0), [cam.width, cam.height])
        ok = x1 > x0 and y1 > y0 and bool(np.all(z[f] > 0.1))
        out.append([round(float(v), 1) for v in (x0, y0, x1, y1)] if ok else None)
    return out


def capture_summary(p: JumpParams, dims: BodyDims, cam: Camera, in_frame: np.ndarray, passes: list,
                    walker: Walker | None) -> dict:
    """The truth's ``capture`` block: the drawn condition and what it did to the picture."""
    shares = out_of_frame_shares(in_frame)
    flat = [q for ps in passes for q in ps]
    standing = np.array([[0.0, 0.0, 0.0], [0.0, dims.height_m, 0.0]])
    px, _ = cam.project(standing)
    return {
        "camera_yaw_deg": float(((p.camera_yaw_deg + 180.0) % 360.0) - 180.0),
        "view_bin": view_bin(p.camera_yaw_deg),
        "figure_height_px": round(float(np.linalg.norm(px[1] - px[0])), 1),
        "frame_size": list(p.frame_size),
        "out_of_frame_share": shares,
        "rope_passes": len(flat),
        "rope_visible_share": round(float(np.mean([q["visible"] for q in flat])), 3) if flat else None,
        "rope_contrast_grey": round(float(np.median([q["contrast_grey"] for q in flat])), 2) if flat else None,
        "rope_width_px": round(float(np.median([q["width_px"] for q in flat])), 3) if flat else None,
        "second_person": None if walker is None else walker.kind,
        "tags": capture_tags(p) + cut_tags(shares),
    }


def write_video(scene: Scene, out: Path, crf: int | None = None) -> str:
    """Encode H.264/yuv420p (+AAC) with PyAV; fall back to OpenCV mp4v. Returns the codec.

    ``crf`` defaults to the clip's ``crf`` parameter; the x264 preset is ``x264_preset``."""
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
            vs.options = {"crf": str(p.crf if crf is None else crf), "preset": p.x264_preset, "threads": "1"}
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


def generate(p: JumpParams, out: Path, seed: int = 0, crf: int | None = None) -> dict:
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
