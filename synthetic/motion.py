"""Physically timed jump-rope motion: timeline, per-frame pose, rope phase.

Flight follows a ballistic arc: a foot clearance ``h`` lasts ``t = sqrt(8 h / g)`` and
the clearance at time ``tau`` into the flight is ``g/2 * tau * (t - tau)``. Ground
contact fills the rest of each period ``60 / cadence``: the knee goes from its
touchdown angle to a deeper flexion at the lowest point and extends again for take-off.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import PchipInterpolator

from synthetic.body import (
    BodyDims,
    PoseAngles,
    foot_lowest_offset,
    leg_ik,
    leg_length_vertical,
)
from synthetic.params import G_M_S2, JumpParams

Array = np.ndarray

HOP_HEIGHT_M = 0.012  # alternate step: the support foot's small hop as the rope passes
ROPE_REST_RAD = 0.35  # rope at rest: just behind the heels, lying on the floor


@dataclass
class JumpEvent:
    """One jump in continuous time (seconds)."""

    index: int
    takeoff_s: float
    apex_s: float
    landing_s: float
    height_m: float
    flight_s: float
    contact_s_before: float
    foot: str  # "both" | "left" | "right"
    touchdown_gap_s: float
    rope_passes: int
    rope_pass_s: list[float]
    knee_touchdown_deg: float
    landing: str = "forefoot"  # "forefoot" | "heel"


@dataclass
class Segment:
    kind: str  # "stand" | "contact" | "flight"
    t0: float
    t1: float
    start: str = ""  # contact: "stand" | "flight"
    end: str = ""  # contact: "stand" | "flight"
    jump: int = -1  # flight: jump index
    prev_jump: int = -1  # contact starting from a flight: the jump just landed


@dataclass
class Timeline:
    jumps: list[JumpEvent]
    segments: list[Segment]
    duration_s: float
    rope_keys: list[tuple[float, float]] = field(default_factory=list)  # (t, angle rad)
    stands: list[tuple[float, float, str]] = field(default_factory=list)  # (t0, t1, reason)


def build_timeline(p: JumpParams, rng: np.random.Generator) -> Timeline:
    """Lay out stands, contacts and flights; deterministic for a given ``rng``."""
    period = p.period_s
    pauses = {i: d for i, d in p.pauses}
    overrides = {ov["jump"]: ov for ov in p.jump_overrides}
    misses = set(p.misses)
    segs: list[Segment] = []
    jumps: list[JumpEvent] = []
    stands: list[tuple[float, float, str]] = []
    rope: list[tuple[float, float]] = [(0.0, ROPE_REST_RAD)]
    rope_turns = 0
    t = 0.0
    if p.lead_in_s > 0:
        segs.append(Segment("stand", 0.0, p.lead_in_s))
        stands.append((0.0, p.lead_in_s, "lead_in"))
        t = p.lead_in_s
    rope.append((t, ROPE_REST_RAD))
    prev = "stand"
    for i in range(p.n_jumps):
        if i in pauses or i in misses:
            # Land from the previous jump into a stand.
            segs.append(Segment("contact", t, t + period * 0.8, start="flight", end="stand", prev_jump=i - 1))
            t += period * 0.8
            if i in misses:
                rope.append((t, 2 * np.pi * (rope_turns + 1) - 0.25))  # rope stops at the toes
                dur = p.miss_stand_s
                segs.append(Segment("stand", t, t + dur))
                stands.append((t, t + dur, "miss"))
                rope.append((t + dur - 0.3, 2 * np.pi * (rope_turns + 1) - 0.25))
                rope_turns += 1
                rope.append((t + dur, 2 * np.pi * rope_turns + ROPE_REST_RAD))  # stepped over
            else:
                rope.append((t, 2 * np.pi * rope_turns + ROPE_REST_RAD))
                dur = pauses[i]
                segs.append(Segment("stand", t, t + dur))
                stands.append((t, t + dur, "pause"))
                rope.append((t + dur, 2 * np.pi * rope_turns + ROPE_REST_RAD))
            t += dur
            prev = "stand"
        ov = overrides.get(i, {})
        h = p.jump_height_cm / 100.0
        if p.height_jitter_frac > 0:
            jitter = 1.0 + p.height_jitter_frac * float(np.clip(rng.standard_normal(), -2, 2))
            h *= jitter
        if "height_cm" in ov:
            h = ov["height_cm"] / 100.0
        t_f = float(np.sqrt(8 * h / G_M_S2))
        knee_td = ov.get("knee_touchdown_deg", p.knee_touchdown_deg)
        prev_j = i - 1 if prev == "flight" else -1
        if p.style == "alternate":
            hop = float(np.sqrt(8 * HOP_HEIGHT_M / G_M_S2))
            contact = period - hop
            t_to_body = t + contact
            landing = t_to_body + hop
            takeoff = landing - t_f
            apex = takeoff + t_f / 2
            passes = [landing - hop / 2]
            foot = "right" if i % 2 == 0 else "left"
            segs.append(Segment("contact", t, t_to_body, start=prev, end="flight", prev_jump=prev_j))
            segs.append(Segment("flight", t_to_body, landing, jump=i))
            gap = 0.0
        else:
            contact = period - t_f
            takeoff = t + contact
            landing = takeoff + t_f
            apex = takeoff + t_f / 2
            if p.style == "double_under":
                passes = [apex - 0.22 * t_f, apex + 0.22 * t_f]
            else:
                passes = [apex]
            foot = "both"
            gap = p.lr_touchdown_offset_s
            segs.append(Segment("contact", t, takeoff, start=prev, end="flight", prev_jump=prev_j))
            segs.append(Segment("flight", takeoff, landing, jump=i))
        for tp in passes:
            rope_turns += 1
            rope.append((tp, 2 * np.pi * rope_turns))
        jumps.append(JumpEvent(i, takeoff, apex, landing, h, t_f, max(takeoff - t, 0.0),
                               foot, abs(gap), len(passes), passes, knee_td,
                               ov.get("landing", p.landing)))
        t = landing
        prev = "flight"
    segs.append(Segment("contact", t, t + period * 0.8, start="flight", end="stand", prev_jump=p.n_jumps - 1))
    t += period * 0.8
    rope.append((t, 2 * np.pi * rope_turns + ROPE_REST_RAD))
    end = t + p.end_stand_s
    segs.append(Segment("stand", t, end + 1.0))  # padded so the last frame is covered
    stands.append((t, end, "end"))
    rope.append((end + 1.0, 2 * np.pi * rope_turns + ROPE_REST_RAD))
    return Timeline(jumps=jumps, segments=segs, duration_s=end, rope_keys=rope, stands=stands)


def rope_angle(tl: Timeline, t_s: Array) -> Array:
    """Rope angle (rad) at the given times: 2*pi*k = under the feet; increases forward."""
    keys = sorted(tl.rope_keys)
    ts = [keys[0][0]]
    vs = [keys[0][1]]
    for tk, vk in keys[1:]:
        if tk > ts[-1] + 1e-6:
            ts.append(tk)
            vs.append(max(vk, vs[-1]))
    return PchipInterpolator(np.array(ts), np.array(vs), extrapolate=True)(t_s)


def _smooth(x: Array) -> Array:
    """Cosine ease 0->1 on [0, 1]."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0, 1))


def _quad3(tau: Array, a: float, m: float, b: float) -> Array:
    """Quadratic through (0, a), (0.5, m), (1, b)."""
    return a * (1 - tau) * (1 - 2 * tau) + 4 * m * tau * (1 - tau) + b * tau * (2 * tau - 1)


@dataclass
class BodySchedule:
    """Per-frame reference leg state shared by both legs (before per-leg offsets)."""

    clearance_m: Array
    knee_deg: Array
    pitch_deg: Array


def _pitch_params(landing: str) -> tuple[float, float, float]:
    """(touchdown, mid-contact, take-off) foot pitch in degrees (heel up +)."""
    if landing == "heel":
        return -14.0, 0.0, 22.0
    return 20.0, 7.0, 22.0


def body_schedule(p: JumpParams, tl: Timeline, t_s: Array) -> BodySchedule:
    """Reference clearance, knee and foot pitch of the body for each frame time."""
    n = len(t_s)
    clear = np.zeros(n)
    knee = np.full(n, p.knee_stand_deg)
    pitch = np.zeros(n)
    _, _, p_to = _pitch_params(p.landing)
    k_td = p.knee_touchdown_deg
    k_to = min(k_td + 6.0, p.knee_stand_deg)
    tuck = 20.0 if p.style == "double_under" else 0.0
    hop_h = HOP_HEIGHT_M
    for seg in tl.segments:
        m = (t_s >= seg.t0) & (t_s < seg.t1)
        if not m.any():
            continue
        tau = (t_s[m] - seg.t0) / (seg.t1 - seg.t0)
        if seg.kind == "stand":
            knee[m], pitch[m], clear[m] = p.knee_stand_deg, 0.0, 0.0
        elif seg.kind == "contact":
            ka = tl.jumps[seg.prev_jump].knee_touchdown_deg if seg.start == "flight" else p.knee_stand_deg
            kb = k_to if seg.end == "flight" else p.knee_stand_deg
            depth = p.knee_flex_depth_deg * (1.0 if seg.start == "flight" else 0.6)
            knee[m] = ka + (kb - ka) * tau - depth * np.sin(np.pi * tau)
            _, p_mid, _ = _pitch_params(tl.jumps[seg.prev_jump].landing if seg.start == "flight" else p.landing)
            pa = _pitch_params(tl.jumps[seg.prev_jump].landing)[0] if seg.start == "flight" else 0.0
            pb = p_to if seg.end == "flight" else 0.0
            pm = p_mid if (seg.start == "flight" or seg.end == "flight") else 0.0
            pitch[m] = _quad3(tau, pa, pm, pb)
            clear[m] = 0.0
        else:  # flight
            jump = tl.jumps[seg.jump]
            dur = seg.t1 - seg.t0
            h = hop_h if p.style == "alternate" else jump.height_m
            tt = tau * dur
            clear[m] = 0.5 * G_M_S2 * tt * (dur - tt) * (h / (G_M_S2 * dur * dur / 8))
            k_land = jump.knee_touchdown_deg
            knee[m] = k_to + (k_land - k_to) * _smooth(tau) - tuck * np.sin(np.pi * tau)
            p_td = _pitch_params(jump.landing)[0]
            pitch[m] = p_to + (p_td - p_to) * _smooth(tau) + 8.0 * np.sin(np.pi * tau)
    return BodySchedule(clear, knee, pitch)


def _leg_clearances(p: JumpParams, tl: Timeline, t_s: Array, body: BodySchedule) -> dict[str, Array]:
    """Per-leg target clearance (m) from the body's plus steps / late touchdowns."""
    out = {"left": body.clearance_m.copy(), "right": body.clearance_m.copy()}
    for jump in tl.jumps:
        if p.style == "alternate":
            m = (t_s > jump.takeoff_s) & (t_s < jump.landing_s)
            tau = t_s[m] - jump.takeoff_s
            arc = 0.5 * G_M_S2 * tau * (jump.flight_s - tau) * (jump.height_m / (G_M_S2 * jump.flight_s ** 2 / 8))
            out[jump.foot][m] = np.maximum(out[jump.foot][m], arc)
        elif p.lr_touchdown_offset_s != 0.0:
            late = "left" if p.lr_touchdown_offset_s > 0 else "right"
            d = abs(p.lr_touchdown_offset_s)
            half = jump.flight_s / 2
            m = (t_s > jump.apex_s) & (t_s < jump.landing_s + d)
            # Descending half of the arc stretched so this foot lands d later.
            tt = jump.apex_s + (t_s[m] - jump.apex_s) * half / (half + d) - jump.takeoff_s
            arc = 0.5 * G_M_S2 * tt * (jump.flight_s - tt) * (jump.height_m / (G_M_S2 * jump.flight_s ** 2 / 8))
            out[late][m] = np.maximum(out[late][m], arc)
    return out


@dataclass
class MotionResult:
    t_s: Array
    pose: PoseAngles
    rope_rad: Array
    timeline: Timeline
    body: BodySchedule
    leg_pitch_deg: dict[str, Array]


def _unit(v: Array) -> Array:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def make_motion(p: JumpParams, dims: BodyDims, seed: int) -> MotionResult:
    """Compute the per-frame pose of the figure for the whole clip."""
    rng = np.random.default_rng(seed)
    tl = build_timeline(p, rng)
    n = int(np.floor(tl.duration_s * p.fps)) + 1
    t_s = np.arange(n) / p.fps
    body = body_schedule(p, tl, t_s)
    rope = rope_angle(tl, t_s)

    # Trunk lean with optional sway (one sway cycle per two jumps while jumping).
    lean = np.full(n, p.trunk_lean_deg)
    if p.trunk_sway_deg > 0:
        jumping = np.zeros(n)
        for seg in tl.segments:
            if seg.kind != "stand":
                jumping[(t_s >= seg.t0) & (t_s < seg.t1)] = 1.0
        ramp = np.convolve(jumping, np.ones(max(1, int(p.fps * 0.3))) / max(1, int(p.fps * 0.3)), mode="same")
        lean = lean + p.trunk_sway_deg * ramp * np.sin(2 * np.pi * t_s / (2 * p.period_s))

    # Hip height from the reference leg: lowest foot point at the reference clearance.
    p_nom = np.radians(10.0)
    pitch_r = np.radians(body.pitch_deg)
    fwd_ref = dims.toe_front_m * (np.cos(p_nom) - np.cos(pitch_r))
    d_ref = leg_length_vertical(dims, body.knee_deg)
    v_ref = np.sqrt(np.maximum(d_ref ** 2 - fwd_ref ** 2, 1e-9))
    hip_y = body.clearance_m - foot_lowest_offset(dims, pitch_r) + v_ref
    mid_hip = np.stack([np.zeros(n), hip_y, np.zeros(n)], axis=1)

    clears = _leg_clearances(p, tl, t_s, body)
    legs: dict[str, tuple[Array, Array, Array]] = {}
    pitches: dict[str, Array] = {}
    for side in ("left", "right"):
        c = clears[side]
        extra = np.clip((c - body.clearance_m) / 0.03, 0.0, 1.0)
        pitch = body.pitch_deg + extra * (25.0 - body.pitch_deg) * (p.style == "alternate")
        pr = np.radians(pitch)
        v = hip_y + foot_lowest_offset(dims, pr) - c
        fwd = dims.toe_front_m * (np.cos(p_nom) - np.cos(pr))
        if p.style == "alternate":
            cos_t = np.clip((v - dims.shank_m) / dims.thigh_m, -1.0, 1.0)
            fwd = fwd + extra * dims.thigh_m * np.sin(np.arccos(cos_t))
        thigh, knee = leg_ik(dims, v, fwd)
        legs[side] = (thigh, knee, pitch)
        pitches[side] = pitch

    # Arms. Trunk frame per frame.
    lam = np.radians(lean)
    up_t = np.stack([np.zeros(n), np.cos(lam), np.sin(lam)], axis=1)
    fwd_t = np.stack([np.zeros(n), -np.sin(lam), np.cos(lam)], axis=1)
    sh_fwd = np.full(n, p.shoulders_forward_cm / 100.0)
    sh_c = mid_hip + dims.trunk_m * up_t + sh_fwd[:, None] * fwd_t
    half_sh = dims.shoulder_sep_m / 2 - 0.3 * sh_fwd
    arms: dict[str, tuple[Array, Array]] = {}
    alpha = np.radians(p.elbow_abduction_deg)
    phi = np.radians(20.0)  # elbow slightly ahead of the frontal plane
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        ex = np.array([sgn, 0.0, 0.0])
        shoulder = sh_c + half_sh[:, None] * ex
        hip = mid_hip + sgn * dims.hip_sep_m / 2 * np.array([1.0, 0.0, 0.0])
        base = _unit(hip - shoulder)
        out = _unit(ex - np.sum(base * ex, axis=1, keepdims=True) * base)
        fw = _unit(np.cross(out, base) * sgn * -1.0)
        fw = np.where(fw[:, 2:3] < 0, -fw, fw)
        side_dir = np.cos(phi) * out + np.sin(phi) * fw
        if p.turning == "shoulder":
            # Big arm circles: the upper arm sweeps a cone, so elbow and hand circle.
            cone = np.radians(22.0)
            th = rope[:, None] + np.pi / 2
            a_dir = np.cos(alpha) * base + np.sin(alpha) * side_dir
            # Both elbows circle in step with the rope, in the sagittal plane.
            swirl = -np.cos(th) * np.array([0.0, 1.0, 0.0]) - np.sin(th) * np.array([0.0, 0.0, 1.0])
            ua = _unit(a_dir + np.tan(cone) * swirl)
            circle_r = 0.12
        else:
            ua = np.cos(alpha) * base + np.sin(alpha) * side_dir
            circle_r = 0.035
        elbow = shoulder + dims.upper_arm_m * ua
        target_y = hip_y + p.hand_height_cm / 100.0
        dy = np.clip((target_y - elbow[:, 1]) / dims.forearm_m, -0.95, 0.95)
        psi = np.radians(30.0)  # forearm points forward and a little outward
        horiz = np.array([sgn * np.sin(psi), 0.0, np.cos(psi)])
        f_dir = np.sqrt(1 - dy ** 2)[:, None] * horiz + dy[:, None] * np.array([0.0, 1.0, 0.0])
        wrist0 = elbow + dims.forearm_m * f_dir
        th = rope[:, None] + np.pi / 2
        circ = circle_r * (np.cos(th) * np.array([0.0, -1.0, 0.0]) + np.sin(th) * np.array([0.0, 0.0, -1.0]))
        if p.turning == "shoulder":
            circ = circ * 0.6
        wrist = wrist0 + circ
        arms[side] = (ua, _unit(wrist - elbow))

    pose = PoseAngles(
        mid_hip=mid_hip,
        trunk_lean_deg=lean,
        shoulders_forward_m=sh_fwd,
        head_forward_m=np.full(n, p.head_forward_cm / 100.0),
        thigh_deg_left=legs["left"][0],
        thigh_deg_right=legs["right"][0],
        knee_deg_left=legs["left"][1],
        knee_deg_right=legs["right"][1],
        foot_pitch_deg_left=legs["left"][2],
        foot_pitch_deg_right=legs["right"][2],
        upper_arm_dir_left=arms["left"][0],
        upper_arm_dir_right=arms["right"][0],
        forearm_dir_left=arms["left"][1],
        forearm_dir_right=arms["right"][1],
    )
    return MotionResult(t_s=t_s, pose=pose, rope_rad=rope, timeline=tl, body=body, leg_pitch_deg=pitches)
