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
ROPE_AT_TOES_RAD = -0.25  # rope stopped against the toes by a miss (relative to "under the feet")
# Boxer step: the unweighted foot rests on its toes (heel up), a little ahead, and is
# carried ~2 cm higher than the hopping foot in the air; the pelvis sits ~4 cm toward
# the weighted foot (about a third of the half hip width: a visible, modest weight shift).
TAP_PITCH_DEG = 35.0
TAP_LIFT_M = 0.02
TAP_FORWARD_M = 0.05
BOXER_SHIFT_M = 0.04


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
    style: str = "two_foot"
    touchdown_pitch_deg: float | None = None  # None: from ``landing``
    land_foot: str = ""  # boxer: the weighted foot it lands on (the next jump's)


@dataclass
class Segment:
    kind: str  # "stand" | "contact" | "flight"
    t0: float
    t1: float
    start: str = ""  # contact: "stand" | "flight"
    end: str = ""  # contact: "stand" | "flight"
    jump: int = -1  # flight: jump index
    prev_jump: int = -1  # contact starting from a flight: the jump just landed
    style: str = ""  # style of the jump the segment belongs to ("" for stands)


@dataclass
class Timeline:
    jumps: list[JumpEvent]
    segments: list[Segment]
    duration_s: float
    rope_keys: list[tuple[float, float]] = field(default_factory=list)  # (t, angle rad)
    stands: list[tuple[float, float, str]] = field(default_factory=list)  # (t0, t1, reason)


def _boxer_feet(p: JumpParams, plan: list[tuple[str, float, float]]) -> list[str]:
    """Weighted (hopping) foot of every jump ("" for other styles): ``lead_side`` first,
    changing every ``boxer_switch_every`` passes, counted from the start of each boxer run."""
    out, k = [], 0
    other = {"left": "right", "right": "left"}
    for i, (style, _, _) in enumerate(plan):
        if style != "boxer":
            out.append("")
            k = 0
            continue
        out.append(p.lead_side if (k // p.boxer_switch_every) % 2 == 0 else other[p.lead_side])
        k += 1
    return out


def build_timeline(p: JumpParams, rng: np.random.Generator) -> Timeline:
    """Lay out stands, contacts and flights; deterministic for a given ``rng``."""
    plan = p.jump_plan()
    boxer = _boxer_feet(p, plan)
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
        style, period, h_nom = plan[i]
        if i in pauses or i in misses:
            # Land from the previous jump into a stand.
            land = plan[i - 1][1] * 0.8
            segs.append(Segment("contact", t, t + land, start="flight", end="stand", prev_jump=i - 1,
                                style=plan[i - 1][0]))
            t += land
            if i in misses:
                rope.append((t, 2 * np.pi * (rope_turns + 1) + ROPE_AT_TOES_RAD))  # rope stops at the toes
                dur = p.miss_stand_s
                segs.append(Segment("stand", t, t + dur))
                stands.append((t, t + dur, "miss"))
                rope.append((t + dur - 0.3, 2 * np.pi * (rope_turns + 1) + ROPE_AT_TOES_RAD))
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
        h = h_nom / 100.0
        if p.height_jitter_frac > 0:
            jitter = 1.0 + p.height_jitter_frac * float(np.clip(rng.standard_normal(), -2, 2))
            h *= jitter
        if "height_cm" in ov:
            h = ov["height_cm"] / 100.0
        t_f = float(np.sqrt(8 * h / G_M_S2))
        knee_td = ov.get("knee_touchdown_deg", p.knee_touchdown_deg)
        prev_j = i - 1 if prev == "flight" else -1
        if style == "alternate":
            hop = float(np.sqrt(8 * HOP_HEIGHT_M / G_M_S2))
            contact = period - hop
            t_to_body = t + contact
            landing = t_to_body + hop
            takeoff = landing - t_f
            apex = takeoff + t_f / 2
            passes = [landing - hop / 2]
            foot = "right" if i % 2 == 0 else "left"
            segs.append(Segment("contact", t, t_to_body, start=prev, end="flight", prev_jump=prev_j, style=style))
            segs.append(Segment("flight", t_to_body, landing, jump=i, style=style))
            gap = 0.0
        else:
            contact = period - t_f
            takeoff = t + contact
            landing = takeoff + t_f
            apex = takeoff + t_f / 2
            if style == "double_under":
                passes = [apex - 0.22 * t_f, apex + 0.22 * t_f]
            else:
                passes = [apex]
            foot = boxer[i] or "both"
            gap = 0.0 if style == "boxer" else p.lr_touchdown_offset_s
            segs.append(Segment("contact", t, takeoff, start=prev, end="flight", prev_jump=prev_j, style=style))
            segs.append(Segment("flight", takeoff, landing, jump=i, style=style))
        for tp in passes:
            rope_turns += 1
            rope.append((tp, 2 * np.pi * rope_turns))
        nxt = boxer[i + 1] if i + 1 < p.n_jumps and boxer[i + 1] else boxer[i]
        jumps.append(JumpEvent(i, takeoff, apex, landing, h, t_f, max(takeoff - t, 0.0),
                               foot, abs(gap), len(passes), passes, knee_td,
                               ov.get("landing", p.landing), style,
                               ov.get("touchdown_pitch_deg", p.touchdown_pitch_deg), nxt))
        t = landing
        prev = "flight"
    last = plan[-1][1]
    segs.append(Segment("contact", t, t + last * 0.8, start="flight", end="stand", prev_jump=p.n_jumps - 1,
                        style=plan[-1][0]))
    t += last * 0.8
    if p.end_with_miss:  # the rope catches the feet and stays there: the skipping is over
        rest = 2 * np.pi * (rope_turns + 1) + ROPE_AT_TOES_RAD
        reason = "miss_end"
    else:
        rest = 2 * np.pi * rope_turns + ROPE_REST_RAD
        reason = "end"
    rope.append((t, rest))
    end = t + p.end_stand_s
    segs.append(Segment("stand", t, end + 1.0))  # padded so the last frame is covered
    stands.append((t, end, reason))
    rope.append((end + 1.0, rest))
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


def _pitch_params(landing: str, touchdown_deg: float | None = None) -> tuple[float, float, float]:
    """(touchdown, mid-contact, take-off) foot pitch in degrees (heel up +). A given
    ``touchdown_deg`` replaces the landing's touchdown pitch (graded heel landings);
    the mid-contact pitch then follows it (7 deg for a forefoot landing, 0 for a heel one)."""
    if touchdown_deg is not None:
        return float(touchdown_deg), float(np.clip(0.35 * touchdown_deg, 0.0, 7.0)), 22.0
    if landing == "heel":
        return -14.0, 0.0, 22.0
    return 20.0, 7.0, 22.0


def _jump_pitch(ev: JumpEvent) -> tuple[float, float, float]:
    return _pitch_params(ev.landing, ev.touchdown_pitch_deg)


def body_schedule(p: JumpParams, tl: Timeline, t_s: Array) -> BodySchedule:
    """Reference clearance, knee and foot pitch of the body for each frame time."""
    n = len(t_s)
    clear = np.zeros(n)
    knee = np.full(n, p.knee_stand_deg)
    pitch = np.zeros(n)
    _, _, p_to = _pitch_params(p.landing)
    k_td = p.knee_touchdown_deg
    k_to = min(k_td + 6.0, p.knee_stand_deg)
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
            if seg.start == "flight":
                _, p_mid, _ = _jump_pitch(tl.jumps[seg.prev_jump])
            else:
                _, p_mid, _ = _pitch_params(p.landing, p.touchdown_pitch_deg)
            pa = _jump_pitch(tl.jumps[seg.prev_jump])[0] if seg.start == "flight" else 0.0
            pb = p_to if seg.end == "flight" else 0.0
            pm = p_mid if (seg.start == "flight" or seg.end == "flight") else 0.0
            pitch[m] = _quad3(tau, pa, pm, pb)
            clear[m] = 0.0
        else:  # flight
            jump = tl.jumps[seg.jump]
            dur = seg.t1 - seg.t0
            h = hop_h if jump.style == "alternate" else jump.height_m
            tuck = 20.0 if jump.style == "double_under" else 0.0
            tt = tau * dur
            clear[m] = 0.5 * G_M_S2 * tt * (dur - tt) * (h / (G_M_S2 * dur * dur / 8))
            k_land = jump.knee_touchdown_deg
            knee[m] = k_to + (k_land - k_to) * _smooth(tau) - tuck * np.sin(np.pi * tau)
            p_td = _jump_pitch(jump)[0]
            pitch[m] = p_to + (p_td - p_to) * _smooth(tau) + 8.0 * np.sin(np.pi * tau)
    return BodySchedule(clear, knee, pitch)


def _frame_styles(tl: Timeline, t_s: Array) -> Array:
    """Style of the jump each frame belongs to ("" in stands)."""
    out = np.full(len(t_s), "", dtype=object)
    for seg in tl.segments:
        if seg.style:
            out[(t_s >= seg.t0) & (t_s < seg.t1)] = seg.style
    return out


def _tap_weights(tl: Timeline, t_s: Array) -> dict[str, Array]:
    """Boxer step: per leg, 1 where it is the unweighted (tapping) leg, 0 where it carries
    the weight, blended across the flights where the weight changes feet and across the
    contacts that start or end a stand."""
    w = {"left": np.zeros(len(t_s)), "right": np.zeros(len(t_s))}
    other = {"left": "right", "right": "left"}
    for seg in tl.segments:
        if seg.style != "boxer" or seg.kind == "stand":
            continue
        m = (t_s >= seg.t0) & (t_s < seg.t1)
        if not m.any():
            continue
        tau = _smooth((t_s[m] - seg.t0) / (seg.t1 - seg.t0))
        if seg.kind == "flight":
            j = tl.jumps[seg.jump]
            a, b = other[j.foot], other[j.land_foot]
            for side, ws in w.items():
                ws[m] = (side == a) * (1 - tau) + (side == b) * tau
        elif seg.end == "flight":  # contact before a jump: tap with the coming jump's free foot
            nxt = next(j for j in tl.jumps if j.takeoff_s >= seg.t1 - 1e-9)
            tap = other[nxt.foot]
            w[tap][m] = tau if seg.start == "stand" else 1.0
        else:  # landing into a stand: the tap foot settles
            j = tl.jumps[seg.prev_jump]
            w[other[j.land_foot]][m] = 1 - tau
    return w


def _leg_clearances(p: JumpParams, tl: Timeline, t_s: Array, body: BodySchedule,
                    tap: dict[str, Array]) -> dict[str, Array]:
    """Per-leg target clearance (m) from the body's plus steps / late touchdowns / the
    boxer step's unweighted foot."""
    out = {"left": body.clearance_m.copy(), "right": body.clearance_m.copy()}
    for jump in tl.jumps:
        if jump.style == "alternate":
            m = (t_s > jump.takeoff_s) & (t_s < jump.landing_s)
            tau = t_s[m] - jump.takeoff_s
            arc = 0.5 * G_M_S2 * tau * (jump.flight_s - tau) * (jump.height_m / (G_M_S2 * jump.flight_s ** 2 / 8))
            out[jump.foot][m] = np.maximum(out[jump.foot][m], arc)
        elif jump.style == "boxer":  # the unweighted foot rides a little higher in the air
            m = (t_s > jump.takeoff_s) & (t_s < jump.landing_s)
            lift = TAP_LIFT_M * np.sin(np.pi * (t_s[m] - jump.takeoff_s) / jump.flight_s)
            for side, o in out.items():
                o[m] = o[m] + lift * tap[side][m]
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
    t_s: Array  # physical time of each video frame (frame / (fps * slowmo_factor))
    pose: PoseAngles
    rope_rad: Array
    timeline: Timeline
    body: BodySchedule | None
    leg_pitch_deg: dict[str, Array]
    #: Per frame: True where one foot off the ground already counts as flight (the
    #: alternate step's stepping foot); elsewhere flight means both feet off.
    any_foot_flight: Array | None = None
    #: Per frame: True where the hands bear weight on the floor (burpee plank).
    hands_on_floor: Array | None = None
    #: No-rope movements: their repetitions (dicts, physical seconds) for reference.
    reps: list = field(default_factory=list)


def _unit(v: Array) -> Array:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def make_motion(p: JumpParams, dims: BodyDims, seed: int) -> MotionResult:
    """Compute the per-frame pose of the figure for the whole clip.

    Video frame *f* shows physical time ``f / (fps * slowmo_factor)``: physics runs in
    real time and slow motion only samples it more densely."""
    if p.movement != "skipping":
        from synthetic.movements import make_movement

        return make_movement(p, dims, seed)
    rng = np.random.default_rng(seed)
    tl = build_timeline(p, rng)
    fps = p.physical_fps
    n = int(np.floor(tl.duration_s * fps)) + 1
    t_s = np.arange(n) / fps
    body = body_schedule(p, tl, t_s)
    rope = rope_angle(tl, t_s)
    styles = _frame_styles(tl, t_s)
    mixed = len({j.style for j in tl.jumps}) > 1
    # Alternate-step handling per frame (a plain bool for a one-style clip, as before).
    alt = (styles == "alternate") if mixed else (tl.jumps[0].style == "alternate")
    boxer = any(j.style == "boxer" for j in tl.jumps)
    tap = _tap_weights(tl, t_s)

    # Trunk lean with optional sway (one sway cycle per two jumps while jumping).
    lean = np.full(n, p.trunk_lean_deg)
    if p.trunk_sway_deg > 0:
        jumping = np.zeros(n)
        for seg in tl.segments:
            if seg.kind != "stand":
                jumping[(t_s >= seg.t0) & (t_s < seg.t1)] = 1.0
        ramp = np.convolve(jumping, np.ones(max(1, int(fps * 0.3))) / max(1, int(fps * 0.3)), mode="same")
        lean = lean + p.trunk_sway_deg * ramp * np.sin(2 * np.pi * t_s / (2 * p.period_s))

    # Hip height from the reference leg: lowest foot point at the reference clearance.
    p_nom = np.radians(10.0)
    pitch_r = np.radians(body.pitch_deg)
    fwd_ref = dims.toe_front_m * (np.cos(p_nom) - np.cos(pitch_r))
    d_ref = leg_length_vertical(dims, body.knee_deg)
    # Boxer step: the pelvis sits toward the weighted foot, the feet stay put, so the
    # legs lean sideways (the weighted leg inward, the free leg outward).
    shift = BOXER_SHIFT_M * (tap["right"] - tap["left"]) if boxer else None
    if shift is None:
        v_ref = np.sqrt(np.maximum(d_ref ** 2 - fwd_ref ** 2, 1e-9))
    else:
        v_ref = np.sqrt(np.maximum(d_ref ** 2 - fwd_ref ** 2 - shift ** 2, 1e-9))
    hip_y = body.clearance_m - foot_lowest_offset(dims, pitch_r) + v_ref
    mid_hip = np.stack([np.zeros(n) if shift is None else shift, hip_y, np.zeros(n)], axis=1)

    clears = _leg_clearances(p, tl, t_s, body, tap)
    legs: dict[str, tuple[Array, Array, Array]] = {}
    pitches: dict[str, Array] = {}
    abduction: dict[str, Array] = {}
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        c = clears[side]
        extra = np.clip((c - body.clearance_m) / 0.03, 0.0, 1.0)
        pitch = body.pitch_deg + extra * (25.0 - body.pitch_deg) * alt
        if boxer:
            pitch = pitch + tap[side] * (TAP_PITCH_DEG - pitch)
        pr = np.radians(pitch)
        v = hip_y + foot_lowest_offset(dims, pr) - c
        fwd = dims.toe_front_m * (np.cos(p_nom) - np.cos(pr))
        if np.any(alt):
            cos_t = np.clip((v - dims.shank_m) / dims.thigh_m, -1.0, 1.0)
            fwd = fwd + extra * dims.thigh_m * np.sin(np.arccos(cos_t)) * alt
        if boxer:
            fwd = fwd + TAP_FORWARD_M * tap[side]
            lateral = -sgn * shift  # foot outward of its hip joint (+)
            abduction[side] = np.degrees(np.arctan2(lateral, v))
            v = np.hypot(v, lateral)
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
            cone = np.radians(p.shoulder_turning_cone_deg)
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
        leg_abduction_deg_left=abduction.get("left"),
        leg_abduction_deg_right=abduction.get("right"),
    )
    any_foot = np.asarray(styles == "alternate", bool)
    return MotionResult(t_s=t_s, pose=pose, rope_rad=rope, timeline=tl, body=body, leg_pitch_deg=pitches,
                        any_foot_flight=any_foot)
