"""No-rope movements done by the same figure: negatives whose true rope-jump count is 0.

Every movement is laid out in physical time (video time = physical x ``slowmo_factor``)
as repetitions of one period ``60 / rep_rate_per_min``. Flights are ballistic: the pelvis
(standing in for the centre of mass) follows ``y(t) = y0 + (y1 - y0) tau + g/2 t (T - t)``
between take-off and landing, so it accelerates at exactly g; a flight of time ``T``
rises ``g T^2 / 8`` above the line between its ends (``rep_height_cm`` is that rise).
On the ground the feet are planted on the floor and the legs are solved by inverse
kinematics from the pelvis to the planted ankle (so the feet never slide or sink); in the
air each foot rises with the pelvis's arc plus its own lift, so it clears the floor.

Movements, their repetition and default/ranged rates (reasons beside ``RANGES``):

* ``high_knees`` / ``jogging``: running in place, one repetition per foot strike, a
  short flight between strikes, knees lifted (thigh to ~horizontal / ~35 deg), arms
  pumping in opposition with elbows at ~90 deg.
* ``tuck_jumps``: countermovement, take-off, knees pulled up toward the chest at the
  apex, arms swing forward and up.
* ``skater``: lateral bounds from one foot to the other; the free leg sweeps behind the
  standing one, the trunk leans forward, the arms swing across the body.
* ``jumping_jacks``: one repetition = jump out (feet apart, arms overhead) + jump in.
* ``burpees``: squat with hands to the floor, kick back to a plank, jump the feet in,
  stand and jump with the arms overhead.
* ``squats``: down to about thighs parallel and up, no flight, arms forward.
* ``hop_one_foot``: hops on one foot, the other held up behind with the knee bent.
* ``boxing_footwork``: small bouncy hops in a staggered stance, hands up in a guard at
  the chin, the weight shifting forward/back and side to side, an occasional step in/out.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from synthetic.body import (
    BodyDims,
    PoseAngles,
    foot_lowest_offset,
    leg_ik,
    leg_length_vertical,
    trunk_axes,
)
from synthetic.params import G_M_S2, JumpParams

Array = np.ndarray
SIDES = (("left", 1.0), ("right", -1.0))
ROPE_REST_RAD = 0.35

#: movement: (rate lo, rate hi, default rate) per minute, (height lo, hi, default) cm
#: of the flight's rise (None: no flight). Reasons:
#: * high_knees 130-220 steps/min: the drill is done at 3-3.5 steps/s by fit adults,
#:   slower (~2.2 steps/s) by beginners; flights of 0.5-4 cm (running in place barely leaves
#:   the floor: contact takes most of each step).
#: * jogging 130-190 steps/min: running cadences are 150-185 steps/min; in place a
#:   little slower is common.
#: * tuck_jumps 18-45/min: each jump with its landing and reset takes 1.3-3 s; a
#:   countermovement jump rises 20-45 cm (recreational to trained adults); a child less.
#: * skater 30-70 bounds/min: 1-2 s per bound with a short stick on each side; the
#:   pelvis rises 6-25 cm while bounding ~0.35-0.7 body heights sideways.
#: * jumping_jacks 40-90 jacks/min (80-180 jumps/min): ~1 jack/s is the usual pace,
#:   fast sets reach 1.5/s; each small jump rises 2-12 cm.
#: * burpees 6-18/min: one takes 3-10 s (fitness tests count ~10-20 per minute for fit
#:   adults); the final jump rises 4-30 cm (a hop to a full jump).
#: * squats 10-35/min: a controlled bodyweight squat takes 2-4 s, a fast one ~1.7 s.
#: * hop_one_foot 80-160 hops/min: preferred one-leg hopping runs at ~2-2.5 Hz; foot
#:   clearance 2-12 cm.
#: * boxing_footwork 110-200 bounces/min: boxers bounce ~2-3 times per second on the
#:   balls of the feet, barely leaving the floor (0.5-4 cm).
RANGES: dict[str, tuple[tuple[float, float, float], tuple[float, float, float] | None]] = {
    "high_knees": ((130.0, 220.0, 170.0), (0.5, 4.0, 1.5)),
    "jogging": ((130.0, 190.0, 160.0), (0.5, 4.0, 1.5)),
    "tuck_jumps": ((18.0, 45.0, 30.0), (15.0, 45.0, 30.0)),
    "skater": ((30.0, 70.0, 45.0), (6.0, 25.0, 12.0)),
    "jumping_jacks": ((40.0, 90.0, 60.0), (2.0, 12.0, 5.0)),
    "burpees": ((6.0, 18.0, 10.0), (4.0, 30.0, 12.0)),
    "squats": ((10.0, 35.0, 20.0), None),
    "hop_one_foot": ((80.0, 160.0, 120.0), (2.0, 12.0, 5.0)),
    "boxing_footwork": ((110.0, 200.0, 150.0), (0.5, 4.0, 1.5)),
}
#: Least ground contact per repetition (s): legs cannot reverse a fall faster.
MIN_CONTACT_S = 0.10


def rep_rate(p: JumpParams) -> float:
    return p.rep_rate_per_min or RANGES[p.movement][0][2]


def rep_height_cm(p: JumpParams) -> float:
    h = RANGES[p.movement][1]
    return 0.0 if h is None else (p.rep_height_cm or h[2])


def flight_s(h_cm: float) -> float:
    return float(np.sqrt(8 * h_cm / 100.0 / G_M_S2))


def _jumps_per_rep(movement: str) -> int:
    return 2 if movement == "jumping_jacks" else 1


def check_params(p: JumpParams) -> None:
    """Raise ValueError when the movement's rate or height is out of range or impossible."""
    (r_lo, r_hi, _), h = RANGES[p.movement]
    rate = rep_rate(p)
    if not r_lo <= rate <= r_hi:
        raise ValueError(f"JumpParams.rep_rate_per_min for {p.movement} must be {r_lo:g}..{r_hi:g} (0 = default), "
                         f"got {p.rep_rate_per_min!r}")
    if h is None:
        if p.rep_height_cm:
            raise ValueError(f"JumpParams.rep_height_cm: {p.movement} has no flight; leave it 0, got {p.rep_height_cm!r}")
        return
    hc = rep_height_cm(p)
    if not h[0] <= hc <= h[1]:
        raise ValueError(f"JumpParams.rep_height_cm for {p.movement} must be {h[0]:g}..{h[1]:g} (0 = default), "
                         f"got {p.rep_height_cm!r}")
    period = 60.0 / rate / _jumps_per_rep(p.movement)
    need = 0.5 * period if p.movement == "burpees" else MIN_CONTACT_S
    if period - flight_s(hc) < need:
        raise ValueError(f"{p.movement}: a {hc:g} cm rise flies {flight_s(hc):.3f} s, too long for "
                         f"{rate:g}/min (period {period:.3f} s, >= {need:.2f} s on the ground); lower rep_height_cm "
                         "or rep_rate_per_min")


def _settle_s(p: JumpParams) -> float:
    """Time from the last repetition back to a quiet stand."""
    return 0.6


def movement_duration_s(p: JumpParams) -> float:
    """Physical length: lead-in stand, the repetitions, settling, end stand."""
    return p.lead_in_s + p.reps * 60.0 / rep_rate(p) + _settle_s(p) + p.end_stand_s


# ---------------------------------------------------------------------------- helpers

def _smooth(x: Array) -> Array:
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def _unit(v: Array) -> Array:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def arm_dir(abd_deg: Array, flex_deg: Array, sgn: float) -> Array:
    """Unit direction from the shoulder: down, turned forward by ``flex`` and out to the
    side by ``abd`` (negative: across the body). Both may be arrays."""
    a, f = np.radians(abd_deg), np.radians(flex_deg)
    a, f = np.broadcast_arrays(a, f)
    return np.stack([sgn * np.sin(a), -np.cos(a) * np.cos(f), np.cos(a) * np.sin(f)], axis=-1)


def bend(upper: Array, toward: Array, elbow_flex_deg: Array) -> Array:
    """Forearm direction: the upper arm's direction turned by ``elbow_flex`` toward ``toward``."""
    u = _unit(upper)
    t = np.broadcast_to(np.asarray(toward, float), u.shape)
    n = _unit(t - np.sum(t * u, axis=-1, keepdims=True) * u)
    phi = np.radians(np.asarray(elbow_flex_deg, float))[..., None]
    return np.cos(phi) * u + np.sin(phi) * n


def arm_ik(dims: BodyDims, shoulder: Array, wrist: Array, hint: Array) -> tuple[Array, Array]:
    """Upper-arm and forearm directions reaching ``wrist`` from ``shoulder``; the elbow
    bends toward ``hint``. Out of reach: the arm points straight at the target."""
    u_len, f_len = dims.upper_arm_m, dims.forearm_m
    d_vec = wrist - shoulder
    d = np.clip(np.linalg.norm(d_vec, axis=-1), abs(u_len - f_len) + 1e-6, u_len + f_len - 1e-9)
    u = _unit(d_vec)
    h = np.broadcast_to(np.asarray(hint, float), u.shape)
    nrm = _unit(h - np.sum(h * u, axis=-1, keepdims=True) * u)
    cos_a = np.clip((u_len ** 2 + d ** 2 - f_len ** 2) / (2 * u_len * d), -1.0, 1.0)
    a = np.arccos(cos_a)[..., None]
    elbow = shoulder + u_len * (np.cos(a) * u + np.sin(a) * nrm)
    return _unit(elbow - shoulder), _unit(shoulder + d[..., None] * u - elbow)


def shoulders(dims: BodyDims, hip: Array, lean_deg: Array, side_deg: Array) -> dict[str, Array]:
    """Shoulder joints as ``forward_kinematics`` places them (no protraction)."""
    up, _, left = trunk_axes(np.radians(lean_deg), np.radians(side_deg))
    sh_c = hip + dims.trunk_m * up
    return {s: sh_c + sgn * dims.shoulder_sep_m / 2 * left for s, sgn in SIDES}


def ankle_height(dims: BodyDims, pitch_deg: Array) -> Array:
    """Ankle height above the floor when the foot's lowest sole point touches it."""
    return -foot_lowest_offset(dims, np.radians(pitch_deg))


def hip_over_foot(dims: BodyDims, knee_deg: Array, pitch_deg: Array, fwd_m: Array = 0.0, lat_m: Array = 0.0) -> Array:
    """Pelvis height with the foot on the floor, the ankle ``fwd_m`` ahead of and
    ``lat_m`` outside the hip joint, and the knee at ``knee_deg``."""
    d = leg_length_vertical(dims, knee_deg)
    return ankle_height(dims, pitch_deg) + np.sqrt(np.maximum(d ** 2 - np.square(fwd_m) - np.square(lat_m), 1e-9))


def squat_chain(dims: BodyDims, knee_deg: Array, shank_deg: Array, pitch_deg: Array = 0.0,
                lat_m: Array = 0.0) -> tuple[Array, Array]:
    """(hip height, hip forward of the ankle) for a planted foot, the shank tilted
    ``shank_deg`` forward and the knee at ``knee_deg`` (ground-up chain, leg plane)."""
    dl = np.radians(shank_deg)
    a = np.pi - np.radians(knee_deg) - dl
    v = dims.shank_m * np.cos(dl) + dims.thigh_m * np.cos(a)
    f = dims.shank_m * np.sin(dl) - dims.thigh_m * np.sin(a)
    return ankle_height(dims, pitch_deg) + np.sqrt(np.maximum(v ** 2 - np.square(lat_m), 1e-9)), f


def ballistic(t: Array, t0: float, t1: float, y0: float, y1: float) -> Array:
    """Height under gravity alone from (t0, y0) to (t1, y1)."""
    tt = t - t0
    return y0 + (y1 - y0) * tt / (t1 - t0) + 0.5 * G_M_S2 * tt * ((t1 - t0) - tt)


def arc(t: Array, t0: float, t1: float) -> Array:
    """Rise of a ballistic flight above the line between its ends (0 outside)."""
    tt = np.clip(t - t0, 0.0, t1 - t0)
    return 0.5 * G_M_S2 * tt * ((t1 - t0) - tt)


@dataclass
class Spec:
    """Per-frame targets of a movement (physical time ``t``), solved into a pose."""

    t: Array
    hip: Array
    lean: Array
    side: Array
    head_pitch: Array
    head_fwd: Array
    ankle: dict[str, Array]
    pitch: dict[str, Array]
    arms: dict[str, tuple[Array, Array]]
    reps: list[dict] = field(default_factory=list)
    stands: list[tuple[float, float, str]] = field(default_factory=list)
    hands: Array | None = None


def solve(dims: BodyDims, s: Spec) -> PoseAngles:
    """Legs from the planted/lifted ankle targets (IK in each leg's tilted plane)."""
    out: dict[str, Array] = {}
    for side, sgn in SIDES:
        hip_j = s.hip + sgn * dims.hip_sep_m / 2 * np.array([1.0, 0.0, 0.0])
        d = s.ankle[side] - hip_j
        lateral, vertical, fwd = d[:, 0] * sgn, -d[:, 1], d[:, 2]
        out[f"abd_{side}"] = np.degrees(np.arctan2(lateral, vertical))
        out[f"thigh_{side}"], out[f"knee_{side}"] = leg_ik(dims, np.hypot(vertical, lateral), fwd)
    n = len(s.t)
    return PoseAngles(
        mid_hip=s.hip, trunk_lean_deg=s.lean, shoulders_forward_m=np.zeros(n), head_forward_m=s.head_fwd,
        thigh_deg_left=out["thigh_left"], thigh_deg_right=out["thigh_right"],
        knee_deg_left=out["knee_left"], knee_deg_right=out["knee_right"],
        foot_pitch_deg_left=s.pitch["left"], foot_pitch_deg_right=s.pitch["right"],
        upper_arm_dir_left=s.arms["left"][0], upper_arm_dir_right=s.arms["right"][0],
        forearm_dir_left=s.arms["left"][1], forearm_dir_right=s.arms["right"][1],
        leg_abduction_deg_left=out["abd_left"], leg_abduction_deg_right=out["abd_right"],
        trunk_side_deg=s.side, head_pitch_deg=s.head_pitch,
    )


class Base:
    """Shared state of a movement builder: times, the stand pose, the rep grid."""

    def __init__(self, p: JumpParams, dims: BodyDims, rng: np.random.Generator, t: Array) -> None:
        self.p, self.d, self.rng, self.t = p, dims, rng, t
        self.n = len(t)
        self.period = 60.0 / rep_rate(p)
        self.t0 = p.lead_in_s
        self.t_end = self.t0 + p.reps * self.period  # last repetition over
        self.hsep = dims.hip_sep_m / 2
        H = dims.height_m
        self.H = H
        n = self.n
        self.stand_knee = p.knee_stand_deg
        self.stand_hip_y = hip_over_foot(dims, np.full(n, self.stand_knee), np.zeros(n))
        self.hip = np.stack([np.zeros(n), self.stand_hip_y, np.zeros(n)], axis=1)
        self.lean = np.full(n, 3.0)
        self.side = np.zeros(n)
        self.head_pitch = np.zeros(n)
        self.head_fwd = np.full(n, 0.01)
        self.pitch = {s: np.zeros(n) for s, _ in SIDES}
        self.ankle = {s: np.stack([np.full(n, sgn * self.hsep), ankle_height(dims, np.zeros(n)), np.zeros(n)], axis=1)
                      for s, sgn in SIDES}
        self.reps: list[dict] = []
        self.stands = [(0.0, self.t0, "lead_in"), (self.t_end + _settle_s(p), self.t_end + _settle_s(p) + p.end_stand_s,
                                                   "end")]
        self.hands: Array | None = None

    def hanging_arms(self, swing: Array | float = 0.0) -> dict[str, tuple[Array, Array]]:
        """Relaxed arms by the sides (8 deg out, elbows bent 20 deg), swung by ``swing`` deg."""
        out = {}
        for s, sgn in SIDES:
            up = arm_dir(np.full(self.n, 8.0), np.full(self.n, 4.0) + swing, sgn)
            out[s] = (up, bend(up, [0.0, 0.3, 1.0], np.full(self.n, 20.0)))
        return out

    def mask(self, a: float, b: float) -> Array:
        return (self.t >= a) & (self.t < b)

    def spec(self, arms: dict[str, tuple[Array, Array]]) -> Spec:
        return Spec(self.t, self.hip, self.lean, self.side, self.head_pitch, self.head_fwd, self.ankle, self.pitch,
                    arms, self.reps, self.stands, self.hands)

    def flight_rep(self, index: int, takeoff: float, landing: float, y0: float, y1: float, **extra) -> dict:
        tf = landing - takeoff
        return {"index": index, "takeoff_s": round(takeoff, 6), "landing_s": round(landing, 6),
                "flight_s": round(tf, 6), "flight_phys_s": round(tf, 6),
                "height_cm": round(100.0 * G_M_S2 * tf * tf / 8, 4),
                "hip_takeoff_m": round(float(y0), 5), "hip_landing_m": round(float(y1), 5), **extra}


# --------------------------------------------------------------------- bouncing movements

class Bounce(Base):
    """Two-foot (or one-foot) bouncing: per repetition a ground contact then a flight.

    Knee on the ground: ``k_land`` at touchdown, ``depth`` deeper mid-contact, ``k_off``
    at take-off (as the skipping model); the first contact starts from the stand and the
    last landing settles back into it."""

    k_land, depth, k_off = 160.0, 15.0, 168.0
    p_land, p_mid, p_off = 18.0, 6.0, 24.0

    def __init__(self, *a, jumps_per_rep: int = 1) -> None:
        super().__init__(*a)
        self.jpr = jumps_per_rep
        self.jp = self.period / jumps_per_rep  # one jump's period
        h = rep_height_cm(self.p)
        n_j = self.p.reps * jumps_per_rep
        jit = self.p.height_jitter_frac
        self.h_cm = [h * (1.0 + jit * float(np.clip(self.rng.standard_normal(), -2, 2))) for _ in range(n_j)]
        self.tf = [flight_s(x) for x in self.h_cm]
        self.jumps = []  # (contact start, takeoff, landing)
        for i in range(n_j):
            c0 = self.t0 + i * self.jp
            land = c0 + self.jp
            self.jumps.append((c0, land - self.tf[i], land))

    def contact_knee(self, tau: Array, first: bool) -> tuple[Array, Array]:
        ka = self.stand_knee if first else self.k_land
        knee = ka + (self.k_off - ka) * tau - self.depth * (0.6 if first else 1.0) * np.sin(np.pi * tau)
        pa = 0.0 if first else self.p_land
        pitch = pa * (1 - tau) * (1 - 2 * tau) + 4 * self.p_mid * tau * (1 - tau) + self.p_off * tau * (2 * tau - 1)
        return knee, pitch

    def layout(self, lat: dict[str, Array] | None = None, fwd: dict[str, Array] | None = None,
               lift: dict[str, float] | None = None, support: dict[str, Array] | None = None) -> None:
        """Fill pelvis height, ankles and pitches. ``lat``/``fwd``: per-leg planted foot
        offsets from the neutral stance (per frame, changed only in flights); ``lift``: a
        foot's extra rise in flight (m); ``support``: per leg, 1 where it bears weight."""
        d, t, n = self.d, self.t, self.n
        lat = lat or {s: np.zeros(n) for s, _ in SIDES}
        fwd = fwd or {s: np.zeros(n) for s, _ in SIDES}
        lift = lift or {s: 0.0 for s, _ in SIDES}
        knee = np.full(n, self.stand_knee)
        pitch = np.zeros(n)
        rise = np.zeros(n)  # the pelvis's arc above the line between its flight ends
        foot_rise = {s: np.zeros(n) for s, _ in SIDES}
        in_flight = np.zeros(n, bool)
        for i, (c0, to, land) in enumerate(self.jumps):
            m = self.mask(c0, to)
            tau = (t[m] - c0) / (to - c0)
            knee[m], pitch[m] = self.contact_knee(tau, i == 0)
            m = self.mask(to, land)
            tau = (t[m] - to) / (land - to)
            knee[m] = self.k_off + (self.k_land - self.k_off) * _smooth(tau)
            pitch[m] = self.p_off + (self.p_land - self.p_off) * _smooth(tau) + 6.0 * np.sin(np.pi * tau)
            rise[m] = arc(t[m], to, land)
            in_flight |= m
            for s, _ in SIDES:
                foot_rise[s][m] = lift[s] * np.sin(np.pi * tau)
        end = self.jumps[-1][2]
        m = self.mask(end, end + _settle_s(self.p))
        tau = (t[m] - end) / _settle_s(self.p)
        knee[m] = self.k_land + (self.stand_knee - self.k_land) * _smooth(tau) - self.depth * np.sin(np.pi * tau)
        pitch[m] = self.p_land * (1 - _smooth(np.minimum(tau * 2, 1.0)))
        self.knee_ref, self.pitch_ref = knee, pitch
        # Pelvis height from the weight-bearing leg(s) on the ground (their mean).
        ys = []
        weights = []
        for s, sgn in SIDES:
            w = np.ones(n) if support is None else support[s]
            hip_x = self.hip[:, 0] + sgn * self.hsep
            foot_x = sgn * (self.hsep + lat[s])
            lat_m = (foot_x - hip_x) * sgn
            ys.append(hip_over_foot(d, knee, pitch, fwd[s] - self.hip[:, 2], lat_m))
            weights.append(w)
        # The pelvis can sit no higher than the shorter weight-bearing leg reaches.
        y_ground = np.minimum(np.where(weights[0] > 0, ys[0], np.inf), np.where(weights[1] > 0, ys[1], np.inf))
        hip_y = y_ground.copy()
        for (c0, to, land) in self.jumps:  # ballistic between the ground heights at take-off and landing
            m = self.mask(to, land)
            y0 = float(np.interp(to, t, y_ground))
            y1 = float(np.interp(land, t, y_ground))
            hip_y[m] = y0 + (y1 - y0) * (t[m] - to) / (land - to) + rise[m]
        # In the air the line between the ends follows y_ground's own interpolation:
        self.hip[:, 1] = hip_y
        for s, sgn in SIDES:
            c = np.where(in_flight, rise + foot_rise[s], 0.0)
            self.pitch[s] = pitch.copy()
            self.ankle[s] = np.stack([sgn * (self.hsep + lat[s]), ankle_height(d, pitch) + c, fwd[s]], axis=1)
        self.in_flight = in_flight

    def add_reps(self, **extra) -> None:
        for i, (c0, to, land) in enumerate(self.jumps):
            if i % self.jpr:
                self.reps[-1].setdefault("flights", []).append(self._flight(i, to, land))
                self.reps[-1]["end_s"] = round(land, 6)
                continue
            rep = {"index": i // self.jpr, "start_s": round(c0, 6), "end_s": round(land, 6), **extra}
            rep.update(self._flight(i, to, land))
            if self.jpr > 1:
                rep["flights"] = [self._flight(i, to, land)]
            self.reps.append(rep)

    def _flight(self, i: int, to: float, land: float) -> dict:
        t = self.t
        y0, y1 = np.interp(to, t, self.hip[:, 1]), np.interp(land, t, self.hip[:, 1])
        return self.flight_rep(i, to, land, y0, y1)


def _jacks(p, dims, rng, t) -> Spec:
    """Jumping jacks: each repetition jumps out (feet ~1.5 shoulder widths apart, arms up
    the sides to overhead) and back in (feet together, arms down)."""
    b = Bounce(p, dims, rng, t, jumps_per_rep=2)
    b.k_land, b.depth, b.k_off = 163.0, 14.0, 170.0
    n = b.n
    out_m = 0.11 * b.H  # each foot ~19 cm (at 170 cm) outside its hip joint when out
    width = np.zeros(n)  # 0 = in, 1 = out
    arms_up = np.zeros(n)
    for i, (c0, to, land) in enumerate(b.jumps):
        going_out = i % 2 == 0
        m = b.mask(to, land)
        s = _smooth((t[m] - to) / (land - to))
        width[m] = s if going_out else 1 - s
        m2 = b.mask(land, land + b.jp - b.tf[min(i + 1, len(b.tf) - 1)])
        width[m2] = 1.0 if going_out else 0.0
        # Arms lead slightly: they move from mid-contact before the flight to the landing.
        a0 = c0 + 0.5 * (to - c0)
        m = b.mask(a0, land)
        s = _smooth((t[m] - a0) / (land - a0))
        arms_up[m] = s if going_out else 1 - s
        m2 = b.mask(land, land + 0.5 * (b.jp - b.tf[min(i + 1, len(b.tf) - 1)]))
        arms_up[m2] = 1.0 if going_out else 0.0
    lat = {s: out_m * width for s, _ in SIDES}
    b.layout(lat=lat, lift={"left": 0.01, "right": 0.01})
    b.lean[:] = 2.0
    b.add_reps(kind="jack", feet_apart_m=round(2 * (b.hsep + out_m), 4))
    abd = 10.0 + 158.0 * arms_up  # frontal plane: by the sides -> overhead
    arms = {}
    for s, sgn in SIDES:
        up = arm_dir(abd, np.full(n, 6.0), sgn)
        arms[s] = (up, bend(up, [0.0, 0.2, 1.0], 12.0 + 8.0 * arms_up))
    return b.spec(arms)


def _boxing(p, dims, rng, t) -> Spec:
    """Boxing footwork: bouncing on the balls of the feet in a staggered stance (the
    ``lead_side`` foot is the rear one), guard up, weight rocking and the odd step."""
    b = Bounce(p, dims, rng, t)
    b.k_land, b.depth, b.k_off = 158.0, 8.0, 163.0
    b.p_land, b.p_mid, b.p_off = 16.0, 12.0, 20.0
    n, H = b.n, b.H
    rear = p.lead_side
    front = "left" if rear == "right" else "right"
    stagger = {front: 0.10 * H, rear: -0.08 * H}
    wide = 0.03 * H
    # Steps in and out: every 5-8 bounces the whole stance moves 0.08 H forward or back
    # during one flight (and keeps that place).
    shift = np.zeros(n)
    pos, k = 0.0, int(rng.integers(5, 9))
    for i, (c0, to, land) in enumerate(b.jumps):
        m = b.mask(to, land)
        if i == k:
            new = 0.0 if pos else (0.08 * H if rng.random() < 0.5 else -0.08 * H)
            shift[m] = pos + (new - pos) * _smooth((t[m] - to) / (land - to))
            shift[t >= land] = new
            pos, k = new, k + int(rng.integers(5, 9))
    # Weight rocks forward/back (~every 4 bounces) and side to side (every ~6).
    rock = np.sin(2 * np.pi * (t - b.t0) / (4 * b.jp)) * (t > b.t0)
    sway = np.sin(2 * np.pi * (t - b.t0) / (6 * b.jp)) * (t > b.t0)
    ramp = _smooth((t - b.t0) / 0.5) * (1 - _smooth((t - b.t_end) / 0.5))
    b.hip[:, 0] = 0.02 * H * sway * ramp
    b.hip[:, 2] = shift + 0.02 * H * rock * ramp
    into = _smooth((t - b.t0 + 0.3) / 0.3)  # settle into the stance during the lead-in's end
    fwd = {s: shift + stagger[s] * into * (1 - _smooth((t - b.t_end - 0.3) / 0.4)) for s in stagger}
    lat = {s: np.full(n, wide) * into for s in stagger}
    b.layout(lat=lat, fwd=fwd, lift={"left": 0.008, "right": 0.008})
    b.pitch[rear] = np.maximum(b.pitch[rear], 25.0 * into * (t < b.t_end + 0.3))  # rear heel up
    b.ankle[rear][:, 1] = ankle_height(dims, b.pitch[rear]) + (b.ankle[rear][:, 1] - ankle_height(dims, b.pitch_ref))
    b.lean[:] = 3.0 + 7.0 * into
    b.head_pitch[:] = 8.0 * into
    b.add_reps(kind="bounce")
    # Guard: fists at chin height in front of the jaw, elbows down; raised
    # during the lead-in's last 0.3 s and dropped after the last bounce.
    guard = into * (1 - _smooth((t - b.t_end - 0.2) / 0.4))
    sh = shoulders(dims, b.hip, b.lean, b.side)
    hang = b.hanging_arms()
    arms = {}
    for s, sgn in SIDES:
        lead = 0.05 * H if s == front else 0.0
        wrist = sh[s] + np.array([-sgn * 0.045 * H, 0.025 * H, 0.17 * H + lead])
        up_g, fo_g = arm_ik(dims, sh[s], wrist, [sgn * 0.3, -1.0, 0.0])
        g = guard[:, None]
        up = _unit((1 - g) * hang[s][0] + g * up_g)
        fo = _unit((1 - g) * hang[s][1] + g * fo_g)
        arms[s] = (up, fo)
    return b.spec(arms)


def _tuck(p, dims, rng, t) -> Spec:
    """Tuck jumps: countermovement (hips back and down, arms back), take-off with an arm
    swing, knees pulled toward the chest at the apex, legs out again to land."""
    b = Bounce(p, dims, rng, t)
    b.k_land, b.depth, b.k_off = 155.0, 0.0, 172.0
    b.p_land, b.p_mid, b.p_off = 12.0, 0.0, 30.0
    n, H = b.n, b.H
    knee = np.full(n, b.stand_knee)
    lean = np.full(n, 3.0)
    arm_flex = np.full(n, 4.0)
    hip_z = np.zeros(n)
    for i, (c0, to, land) in enumerate(b.jumps):
        m = b.mask(c0, to)
        tau = (t[m] - c0) / (to - c0)
        ka = b.stand_knee if i == 0 else b.k_land
        bottom = 105.0  # deep countermovement: the knee at ~105 deg
        knee[m] = np.where(tau < 0.6, ka + (bottom - ka) * _smooth(tau / 0.6),
                           bottom + (b.k_off - bottom) * _smooth((tau - 0.6) / 0.4))
        dip = np.sin(np.pi * np.clip(tau / 0.9, 0, 1))
        lean[m] = 5.0 + 30.0 * dip
        hip_z[m] = -0.06 * H * dip
        arm_flex[m] = np.where(tau < 0.6, 30.0 - 80.0 * _smooth(tau / 0.6), -50.0 + 170.0 * _smooth((tau - 0.6) / 0.4))
        m = b.mask(to, land)
        tau = (t[m] - to) / (land - to)
        lean[m] = 5.0 + 15.0 * np.sin(np.pi * tau)
        arm_flex[m] = 120.0 - 90.0 * _smooth(tau)
    end = b.jumps[-1][2]
    m = b.mask(end, end + _settle_s(p))
    tau = (t[m] - end) / _settle_s(p)
    arm_flex[m] = 30.0 - 26.0 * _smooth(tau)
    lean[m] = 5.0 + 10.0 * np.sin(np.pi * tau)
    b.hip[:, 2] = hip_z
    b.lean = lean
    b.layout()
    # Replace the contact knees by the countermovement (the pelvis follows them).
    cm = np.zeros(n, bool)
    for i, (c0, to, land) in enumerate(b.jumps):
        cm |= b.mask(c0, to)
    d = dims
    y_cm = hip_over_foot(d, knee, b.pitch_ref, -hip_z, 0.0)
    y = b.hip[:, 1].copy()
    y[cm] = y_cm[cm]
    for (c0, to, land) in b.jumps:  # re-fit the flights to the new take-off heights
        m = b.mask(to, land)
        y0 = float(hip_over_foot(d, np.array([b.k_off]), np.array([b.p_off]))[0])
        y1 = float(hip_over_foot(d, np.array([b.k_land]), np.array([b.p_land]))[0])
        y[m] = ballistic(t[m], to, land, y0, y1)
    b.hip[:, 1] = y
    # Tuck: the feet rise toward the pelvis (knees up to the chest at the apex).
    for s, sgn in SIDES:
        for (c0, to, land) in b.jumps:
            m = b.mask(to, land)
            tau = (t[m] - to) / (land - to)
            tuck = np.sin(np.pi * tau) ** 0.8
            y_line = np.interp(t[m], [to, land], [ankle_height(d, np.array([b.p_off]))[0],
                                                  ankle_height(d, np.array([b.p_land]))[0]])
            # At the apex the ankle sits ~0.21 H below the pelvis and 0.17 H ahead of it:
            # thighs about horizontal or above, shanks hanging (knees up to the chest).
            target = b.hip[m, 1] - 0.21 * H
            free = y_line + arc(t[m], to, land)
            b.ankle[s][m, 1] = free + tuck * np.maximum(target - free, 0.0)
            b.ankle[s][m, 2] = 0.17 * H * tuck
    b.add_reps(kind="tuck_jump")
    arms = {}
    for s, sgn in SIDES:
        up = arm_dir(np.full(n, 10.0), arm_flex, sgn)
        arms[s] = (up, bend(up, [0.0, 1.0, 0.3], np.full(n, 25.0)))
    return b.spec(arms)


def _hop(p, dims, rng, t) -> Spec:
    """Hopping on one foot (``lead_side``); the other foot held up behind, knee bent."""
    b = Bounce(p, dims, rng, t)
    hop_s = p.lead_side
    free = "left" if hop_s == "right" else "right"
    n = b.n
    sgn_h = 1.0 if hop_s == "left" else -1.0
    # The pelvis moves ~60 % of the half hip width over the hopping foot (balance).
    on = _smooth((t - b.t0 + 0.45) / 0.4) * (1 - _smooth((t - b.t_end - 0.1) / 0.4))
    b.hip[:, 0] = sgn_h * 0.6 * b.hsep * on
    support = {hop_s: np.ones(n), free: np.zeros(n)}
    b.layout(support=support)
    b.side[:] = sgn_h * 3.0 * on
    # Free leg: thigh 25 deg forward, knee 85 deg (foot behind, under the buttock).
    sgn_f = -sgn_h
    hip_j = b.hip + sgn_f * b.hsep * np.array([1.0, 0.0, 0.0])
    a, k = np.radians(25.0), np.radians(85.0)
    bb = a - (np.pi - k)
    rel = np.array([0.0, -dims.thigh_m * np.cos(a) - dims.shank_m * np.cos(bb),
                    dims.thigh_m * np.sin(a) + dims.shank_m * np.sin(bb)])
    held = hip_j + rel
    w = on[:, None]
    b.ankle[free] = (1 - w) * b.ankle[free] + w * held
    b.pitch[free] = b.pitch[free] * (1 - on) + 30.0 * on
    b.add_reps(kind="hop", foot=hop_s)
    arms = {}
    for s, sgn in SIDES:
        up = arm_dir(12.0 + 10.0 * on, 10.0 + 6.0 * b.in_flight, sgn)
        arms[s] = (up, bend(up, [0.0, 0.4, 1.0], 60.0 + 20.0 * on))
    return b.spec(arms)


# --------------------------------------------------------------------- stepping movements

def _run_in_place(p, dims, rng, t, high: bool) -> Spec:
    """Running in place: alternate single-leg stances with a short flight between them;
    the swing leg lifts its knee (high knees: thigh to ~80 deg; jogging: ~35 deg with
    the heel kicking back), arms pump in opposition with elbows at ~90 deg."""
    s = Base(p, dims, rng, t)
    n, H, d = s.n, s.H, dims
    P = s.period
    h = rep_height_cm(p)
    jit = p.height_jitter_frac
    other = {"left": "right", "right": "left"}
    steps = []  # (foot, touchdown, takeoff, next touchdown)
    tf = [flight_s(h * (1 + jit * float(np.clip(rng.standard_normal(), -2, 2)))) for _ in range(p.reps)]
    foot = p.lead_side
    for i in range(p.reps):
        td = s.t0 + i * P
        steps.append((foot, td, td + P - tf[i], td + P))
        foot = other[foot]
    k_td, k_mid, k_to = 162.0, 145.0, 168.0
    p_td, p_mid, p_to = 16.0, 10.0, 28.0
    knee = np.full(n, s.stand_knee)
    pitch_sup = np.zeros(n)
    sup = np.full(n, "", dtype=object)
    for foot, td, to, nxt in steps:
        m = s.mask(td, to)
        tau = (t[m] - td) / (to - td)
        knee[m] = np.where(tau < 0.5, k_td + (k_mid - k_td) * _smooth(2 * tau), k_mid + (k_to - k_mid) * _smooth(2 * tau - 1))
        pitch_sup[m] = np.where(tau < 0.5, p_td + (p_mid - p_td) * _smooth(2 * tau), p_mid + (p_to - p_mid) * _smooth(2 * tau - 1))
        sup[m] = foot
    # Lead-in end: shift onto the first foot; after the last step: land on both and settle.
    y_stand = s.stand_hip_y
    y = y_stand.copy()
    ground = sup != ""
    y[ground] = hip_over_foot(d, knee[ground], pitch_sup[ground])
    end = steps[-1][3]
    m = s.mask(end, end + _settle_s(p))
    tau = (t[m] - end) / _settle_s(p)
    knee_set = k_td + (s.stand_knee - k_td) * _smooth(tau) - 8.0 * np.sin(np.pi * tau)
    pitch_set = p_td * (1 - _smooth(np.minimum(2 * tau, 1)))
    y[m] = hip_over_foot(d, knee_set, pitch_set)
    y_td = float(hip_over_foot(d, np.array([k_td]), np.array([p_td]))[0])
    y_to = float(hip_over_foot(d, np.array([k_to]), np.array([p_to]))[0])
    rise = np.zeros(n)
    for i, (foot, td, to, nxt) in enumerate(steps):
        m = s.mask(to, nxt)
        y[m] = ballistic(t[m], to, nxt, y_to, y_td)
        rise[m] = arc(t[m], to, nxt)
        s.reps.append({"index": i, "foot": foot, "start_s": round(td, 6), "end_s": round(nxt, 6),
                       **s.flight_rep(i, to, nxt, y_to, y_td)})
    s.hip[:, 1] = y
    s.hip[:, 0] = np.zeros(n)
    # Legs: the stance foot planted; the swing foot rises with the flights' arcs plus its lift.
    lift_peak = (0.30 if high else 0.10) * H  # sole clearance at the swing's top
    fwd_peak = (0.16 if high else -0.10) * H  # foot ahead (high knees) or behind (heel kick)
    for side, sgn in SIDES:
        ank_y = ankle_height(d, np.zeros(n))
        ank_z = np.zeros(n)
        pit = np.zeros(n)
        for j, (foot, td, to, nxt) in enumerate(steps):
            if foot == side:
                m = s.mask(td, to)
                ank_y[m] = ankle_height(d, pitch_sup[m])
                pit[m] = pitch_sup[m]
            else:
                # Swing of this leg: from the previous step's take-off to this step's end.
                t_a = steps[j - 1][2] if j > 0 else td - 0.35 * P
                t_b = nxt
                m = s.mask(t_a, t_b)
                tau = (t[m] - t_a) / (t_b - t_a)
                bump = np.sin(np.pi * tau) ** 2
                pit[m] = p_to + (p_td - p_to) * _smooth(tau) + 12.0 * bump
                ank_y[m] = ankle_height(d, pit[m]) + rise[m] + lift_peak * bump
                ank_z[m] = fwd_peak * np.sin(np.pi * tau) ** 1.5
        # Lead-in: the first swing leg lifts from the floor (t_a above). The last stance
        # foot pushes off into the last flight and comes down beside the other.
        foot, td, to, nxt = steps[-1]
        if foot != side:  # lands the last flight and settles
            m = s.mask(nxt, nxt + _settle_s(p))
            pit[m] = pitch_set
            ank_y[m] = ankle_height(d, pitch_set)
        else:
            t_b = nxt + 0.5 * _settle_s(p)
            m = s.mask(to, t_b)
            tau = (t[m] - to) / (t_b - to)
            pit[m] = p_to * (1 - _smooth(tau))
            ank_y[m] = ankle_height(d, pit[m]) + rise[m] + 0.04 * H * np.sin(np.pi * tau)
        s.ankle[side] = np.stack([np.full(n, sgn * s.hsep), ank_y, ank_z], axis=1)
        s.pitch[side] = pit
    s.lean[:] = 6.0 if high else 4.0
    # Arms pump in opposition: the arm opposite the lifted knee swings forward.
    amp = 40.0 if high else 30.0
    phase = np.zeros(n)
    for foot, td, to, nxt in steps:  # +1 when the right knee is up (left stance), -1 when the left
        m = s.mask(td, nxt)
        sign = 1.0 if foot == "left" else -1.0
        phase[m] = sign * np.sin(np.pi * (t[m] - td) / (nxt - td))
    on = _smooth((t - s.t0 + 0.2) / 0.3) * (1 - _smooth((t - end) / 0.4))
    arms = {}
    for side, sgn in SIDES:
        swing = amp * phase * (sgn) * on  # right knee up -> left arm forward
        up = arm_dir(np.full(n, 10.0), 5.0 + swing, sgn)
        arms[side] = (up, bend(up, [0.0, 1.0, 0.4], 20.0 + 70.0 * on))
    return s.spec(arms)


def _high_knees(p, dims, rng, t) -> Spec:
    return _run_in_place(p, dims, rng, t, high=True)


def _jogging(p, dims, rng, t) -> Spec:
    return _run_in_place(p, dims, rng, t, high=False)


# ---------------------------------------------------------------------------- skater

def _skater(p, dims, rng, t) -> Spec:
    """Skater jumps: bound sideways from one foot to the other. Each landing sticks for a
    moment (knee ~120 deg, trunk ~30 deg forward) while the free leg sweeps behind the
    standing one; the arms swing across the body toward the landing side.

    The jumper starts standing over the first push-off foot's spot and bounds between two
    spots ``D`` apart, centred on the camera's aim (D ~0.4-0.65 H, drawn per clip)."""
    s = Base(p, dims, rng, t)
    n, H, d = s.n, s.H, dims
    P = s.period
    h = rep_height_cm(p)
    jit = p.height_jitter_frac
    D = float((0.40 + 0.25 * rng.random()) * H)
    other = {"left": "right", "right": "left"}
    sg = {"left": 1.0, "right": -1.0}
    X = {f: sg[f] * D / 2 for f in sg}  # landing spots
    first = p.lead_side  # the first landing foot
    s0 = other[first]  # the first push-off foot
    tf = [flight_s(h * (1 + jit * float(np.clip(rng.standard_normal(), -2, 2)))) for _ in range(p.reps)]
    lands, f = [], first
    for i in range(p.reps):
        land = s.t0 + (i + 1) * P
        lands.append((f, land - tf[i], land))
        f = other[f]
    k_land, k_bot, k_off = 150.0, 118.0, 168.0
    p_land, p_off = 8.0, 26.0
    c_in = 0.12 * H  # the pelvis stays this far inside the standing foot
    hs = s.hsep
    x_start = X[s0] - sg[s0] * hs  # standing over the push-off foot's spot
    f_last, _, land_last = lands[-1]
    t_down = land_last + 0.6 * _settle_s(p)  # the free foot comes down beside the last one
    x_end = X[f_last] - sg[f_last] * hs
    # Contacts (foot, start, end, kind): the weight shift onto s0, the bounds' landings, the finish.
    c0 = max(s.t0 - 0.5 * P, 0.15)
    contacts = [(s0, c0, lands[0][1], "shift")]
    for i, (g, to, land) in enumerate(lands):
        end = lands[i + 1][1] if i + 1 < len(lands) else land + _settle_s(p)
        contacts.append((g, land, end, "finish" if i + 1 == len(lands) else "stick"))
    hip = np.zeros((n, 3))
    hip[:, 0] = x_start
    hip[:, 1] = s.stand_hip_y
    lean = np.full(n, 3.0)
    tilt = np.zeros(n)
    knee = np.full(n, s.stand_knee)
    pit = np.zeros(n)
    sup = np.full(n, "", dtype=object)
    for g, a, b_, kind in contacts:
        m = s.mask(a, b_)
        tau = (t[m] - a) / (b_ - a)
        if kind == "shift":
            knee[m] = s.stand_knee + (k_off - s.stand_knee) * tau - 25.0 * np.sin(np.pi * tau)
            pit[m] = p_off * _smooth(2 * tau - 1)
            hip[m, 0] = x_start + (X[g] - sg[g] * c_in - x_start) * _smooth(tau)
        elif kind == "finish":
            knee[m] = k_land + (s.stand_knee - k_land) * _smooth(tau) - 15.0 * np.sin(np.pi * tau)
            pit[m] = p_land * (1 - _smooth(tau))
            hip[m, 0] = X[g] - sg[g] * c_in + (x_end - X[g] + sg[g] * c_in) * _smooth(tau)
            lean[m] = 8.0 * (1 - _smooth(tau)) + 3.0
        else:
            knee[m] = np.where(tau < 0.35, k_land + (k_bot - k_land) * _smooth(tau / 0.35),
                               np.where(tau < 0.7, k_bot, k_bot + (k_off - k_bot) * _smooth((tau - 0.7) / 0.3)))
            pit[m] = np.where(tau < 0.5, p_land * (1 - _smooth(2 * tau)), p_off * _smooth(2 * tau - 1))
            hip[m, 0] = X[g] - sg[g] * c_in + sg[g] * 0.04 * H * np.sin(np.pi * tau)
            lean[m] = 8.0 + 24.0 * np.sin(np.pi * np.clip(tau * 1.2, 0, 1))
            tilt[m] = sg[g] * 6.0 * np.sin(np.pi * tau)
        sup[m] = g
    after = t >= contacts[-1][2]
    hip[after, 0] = x_end
    # Pelvis height from the standing leg.
    for g in ("left", "right"):
        mm = sup == g
        lat = (X[g] - (hip[mm, 0] + sg[g] * hs)) * sg[g]
        hip[mm, 1] = hip_over_foot(d, knee[mm], pit[mm], 0.0, lat)
    # Flights: pelvis ballistic, moving sideways at constant speed.
    for i, (g, to, land) in enumerate(lands):
        m = s.mask(to, land)
        u = (t[m] - to) / (land - to)
        x0 = X[other[g]] - sg[other[g]] * c_in  # where every contact leaves the pelvis
        x1 = X[g] - sg[g] * c_in
        y0 = float(hip_over_foot(d, np.array([k_off]), np.array([p_off]), 0.0,
                                 np.array([(X[other[g]] - (x0 + sg[other[g]] * hs)) * sg[other[g]]]))[0])
        y1 = float(hip_over_foot(d, np.array([k_land]), np.array([p_land]), 0.0,
                                 np.array([(X[g] - (x1 + sg[g] * hs)) * sg[g]]))[0])
        hip[m, 1] = ballistic(t[m], to, land, y0, y1)
        hip[m, 0] = x0 + (x1 - x0) * u
        lean[m] = 8.0 + 4.0 * np.sin(np.pi * u)
        pit[m] = p_off + (p_land - p_off) * _smooth(u)
        s.reps.append({"index": i, "foot": g, "start_s": round(to, 6), "end_s": round(land, 6),
                       "lateral_m": round(abs(x1 - x0), 4), **s.flight_rep(i, to, land, y0, y1)})
    s.hip, s.lean, s.side = hip, lean, tilt
    flights = [(to, land) for _, to, land in lands]

    def flight_arc(tt: Array) -> Array:
        out = np.zeros(len(tt))
        for to, land in flights:
            out += arc(tt, to, land) * ((tt >= to) & (tt < land))
        return out

    # Each foot: planted intervals (spot, pitch from the contact) and free sweeps between.
    for f in ("left", "right"):
        planted = []  # (a, b, x)
        stand_x = x_start + sg[f] * hs
        if f == s0:
            planted.append((0.0, lands[0][1], X[f]))
        else:
            planted.append((0.0, c0 + 0.5 * (lands[0][1] - c0), stand_x))
        for g, a, b_, kind in contacts[1:]:
            if g == f:
                planted.append((a, b_ if kind != "finish" else t[-1] + 1.0, X[f]))
        if f != f_last:
            planted.append((t_down, t[-1] + 1.0, x_end + sg[f] * hs))
        ax = np.zeros(n)
        ay = np.zeros(n)
        az = np.zeros(n)
        pp = np.zeros(n)
        for a, b_, x in planted:
            m = s.mask(a, b_)
            ax[m] = x
            pp[m] = np.where(sup[m] == f, pit[m], 0.0)
            ay[m] = ankle_height(d, pp[m])
        for (_, b0, x0), (a1, _, x1) in itertools.pairwise(planted):
            m = s.mask(b0, a1)
            if not m.any():
                continue
            tau = (t[m] - b0) / (a1 - b0)
            cross = 1.0 if (a1 - b0) > 0.8 * P else 0.0  # a whole stick: sweep behind the other foot
            w = np.sin(np.pi * tau) ** 1.2
            behind_x = -X[f] + sg[f] * 0.02 * H
            # Otherwise the foot travels sideways with the pelvis during the flight inside
            # the interval (linearly, as the pelvis: the leg stays within reach).
            inside = [(fa, fb) for fa, fb in flights if b0 - 1e-9 <= fa and fb <= a1 + 1e-9]
            fa, fb = inside[0] if inside else (b0, a1)
            prog = np.clip((t[m] - fa) / (fb - fa), 0.0, 1.0)
            ax[m] = (x0 + (x1 - x0) * prog) * (1 - cross * w) + behind_x * cross * w
            az[m] = -0.20 * H * cross * w
            pp[m] = p_off * (1 - _smooth(tau)) + 20.0 * np.sin(np.pi * tau)
            ay[m] = ankle_height(d, pp[m]) + flight_arc(t[m]) + (0.10 if cross else 0.04) * H * w
        # In the air each foot moves with the pelvis: its offset from the pelvis goes
        # linearly from take-off to landing (so the leg stays within reach), plus the
        # pelvis's own ballistic arc. Heights are taken at the sole (the pitch changes).
        ank = np.stack([ax, ay - ankle_height(d, pp), az], axis=1)
        for fa, fb in flights:
            m = s.mask(fa, fb)
            ia, ib = int(np.searchsorted(t, fa)), min(int(np.searchsorted(t, fb)), n - 1)
            if not m.any() or ib <= ia:
                continue
            rel_a = np.array([np.interp(fa, t, ank[:, k] - hip[:, k]) for k in range(3)])
            rel_b = np.array([np.interp(fb, t, ank[:, k] - hip[:, k]) for k in range(3)])
            u = ((t[m] - fa) / (fb - fa))[:, None]
            ank[m] = hip[m] + rel_a + (rel_b - rel_a) * u
        ank[:, 1] += ankle_height(d, pp)
        s.ankle[f] = ank
        s.pitch[f] = pp
    # Arms swing toward the landing side: +1 while standing on the left foot.
    swing = np.zeros(n)
    for g, a, b_, kind in contacts:
        m = s.mask(a, b_)
        swing[m] = sg[g] * (_smooth((t[m] - a) / (b_ - a)) if kind == "shift" else
                            1 - _smooth((t[m] - a) / (b_ - a)) if kind == "finish" else 1.0)
    for g, to, land in lands:
        m = s.mask(to, land)
        swing[m] = -sg[g] + 2 * sg[g] * _smooth((t[m] - to) / (land - to))
    arms = {}
    for side, sgn in SIDES:
        own = np.clip(swing * sgn, 0, 1)  # the landing is on this arm's side: it swings back and out
        cross = np.clip(-swing * sgn, 0, 1)  # the other side: it swings across the front
        abd = 10.0 + 15.0 * own - 30.0 * cross
        flex = 5.0 - 45.0 * own + 30.0 * cross
        up = arm_dir(abd, flex, sgn)
        arms[side] = (up, bend(up, [0.0, 0.3, 1.0], 15.0 + 15.0 * np.maximum(own, cross)))
    return s.spec(arms)


# ---------------------------------------------------------------------------- squats

def _squats(p, dims, rng, t) -> Spec:
    """Bodyweight squats: down in 45 % of the period to thighs about parallel (knee
    ~85-100 deg, shanks ~30 deg forward, trunk ~40 deg forward, arms forward), a short
    hold, up in 45 %. Feet flat, slightly wider than the hips. No flight."""
    s = Base(p, dims, rng, t)
    n, H, d = s.n, s.H, dims
    P = s.period
    depth = np.zeros(n)  # 0 standing .. 1 at the bottom
    bottoms = []
    for i in range(p.reps):
        a = s.t0 + i * P
        m = s.mask(a, a + P)
        tau = (t[m] - a) / P
        depth[m] = np.where(tau < 0.45, _smooth(tau / 0.45), np.where(tau < 0.55, 1.0, 1 - _smooth((tau - 0.55) / 0.45)))
        k_bot = float(85.0 + 15.0 * rng.random())
        s.reps.append({"index": i, "start_s": round(a, 6), "bottom_s": round(a + 0.5 * P, 6), "end_s": round(a + P, 6),
                       "knee_bottom_deg": round(k_bot, 2)})
        bottoms.append((m, k_bot))
    knee = np.full(n, s.stand_knee)
    for m, k_bot in bottoms:
        knee[m] = s.stand_knee + (k_bot - s.stand_knee) * depth[m]
    wide = 0.03 * H
    shank = 32.0 * depth
    hip_y, hip_f = squat_chain(d, knee, shank, 0.0, wide)
    s.hip[:, 1] = hip_y
    s.hip[:, 2] = hip_f
    s.lean = 3.0 + 40.0 * depth
    s.head_pitch = -0.3 * s.lean  # the head stays up, eyes forward
    for side, sgn in SIDES:
        s.ankle[side][:, 0] = sgn * (s.hsep + wide)
    arms = {}
    for side, sgn in SIDES:
        up = arm_dir(np.full(n, 10.0 - 2.0 * depth), 4.0 + 80.0 * depth, sgn)
        arms[side] = (up, bend(up, [0.0, 1.0, 0.2], 20.0 - 12.0 * depth))
    return s.spec(arms)


# ---------------------------------------------------------------------------- burpees

#: Share of a burpee's ground time (period - jump flight) spent in each phase.
BURPEE_PHASES = (("down", 0.18), ("kick", 0.12), ("plank", 0.10), ("jump_in", 0.12), ("rise", 0.22),
                 ("land", 0.26))


def _burpees(p, dims, rng, t) -> Spec:
    """Burpees: squat and put the hands on the floor, kick the feet back to a plank, jump
    them back in, stand up and jump with the arms overhead, land and stand."""
    s = Base(p, dims, rng, t)
    n, H, d = s.n, s.H, dims
    P = s.period
    h = rep_height_cm(p)
    jit = p.height_jitter_frac
    wrist_y = 0.55 * d.hand_m + 0.02 * H  # knuckles on the floor, forearm vertical
    z_hand = 0.19 * H
    hand_x = d.shoulder_sep_m / 2
    # Keyframe poses.
    k_sq, sh_sq = 55.0, 38.0  # deep squat reaching the floor
    y_sq, f_sq = squat_chain(d, np.array([k_sq]), np.array([sh_sq]))
    y_sq, f_sq = float(y_sq[0]), float(f_sq[0])
    lean_sq = 62.0
    # Plank: shoulders over the hands, body straight, on the toes (foot pitch 65 deg).
    p_pl = 65.0
    ank_pl = float(ankle_height(d, np.array([p_pl]))[0])
    sh_y = wrist_y + d.upper_arm_m + d.forearm_m
    length = d.trunk_m + d.thigh_m + d.shank_m
    lean_pl = float(np.degrees(np.arccos((sh_y - ank_pl) / length)))
    lp = np.radians(lean_pl)
    hip_pl = np.array([0.0, sh_y - d.trunk_m * np.cos(lp), z_hand - d.trunk_m * np.sin(lp)])
    ank_z_pl = hip_pl[2] - (d.thigh_m + d.shank_m) * np.sin(lp)
    hip = s.hip.copy()
    lean = s.lean.copy()
    head_pitch = np.zeros(n)
    hands = np.zeros(n, bool)
    ank = {f: s.ankle[f].copy() for f, _ in SIDES}
    pitch = {f: np.zeros(n) for f, _ in SIDES}
    wrist_w = np.zeros(n)  # 1 = wrist on the floor target, 0 = free arms
    arm_up = np.zeros(n)  # 0 hanging .. 1 overhead
    reach = np.zeros(n)  # 0 hanging .. 1 reaching down to the floor
    k_to, p_to = 172.0, 28.0
    k_land, p_land = 160.0, 14.0
    y_land = float(hip_over_foot(d, np.array([k_land]), np.array([p_land]))[0])
    for i in range(p.reps):
        a = s.t0 + i * P
        tf = flight_s(h * (1 + jit * float(np.clip(rng.standard_normal(), -2, 2))))
        ground = P - tf
        bounds = {}
        c = a
        for name, share in BURPEE_PHASES[:5]:
            bounds[name] = (c, c + share * ground)
            c += share * ground
        to = c
        land = to + tf
        bounds["land"] = (land, a + P)
        # 1. down: stand -> deep squat, trunk forward, hands reach the floor.
        a0, a1 = bounds["down"]
        m = s.mask(a0, a1)
        u = _smooth((t[m] - a0) / (a1 - a0))
        kk = s.stand_knee + (k_sq - s.stand_knee) * u
        yy, ff = squat_chain(d, kk, sh_sq * u)
        hip[m, 1], hip[m, 2] = yy, ff
        lean[m] = 3.0 + (lean_sq - 3.0) * u
        reach[m] = u
        wrist_w[m] = _smooth(((t[m] - a0) / (a1 - a0) - 0.6) / 0.4)
        head_pitch[m] = 25.0 * u
        hands[m] = (t[m] - a0) / (a1 - a0) >= 0.999
        # 2. kick back: hands planted, feet hop back to the plank, hips rise a little.
        for name, rev in (("kick", False), ("jump_in", True)):
            b0, b1 = bounds[name]
            m = s.mask(b0, b1)
            u = (t[m] - b0) / (b1 - b0)
            u = 1 - u if rev else u
            us = _smooth(u)
            hip[m] = (1 - us)[:, None] * np.array([0.0, y_sq, f_sq]) + us[:, None] * hip_pl
            hip[m, 1] += 0.04 * H * np.sin(np.pi * u)
            lean[m] = lean_sq + (lean_pl - lean_sq) * us
            head_pitch[m] = 25.0 + (lean_pl - 10.0 - 25.0) * us
            for f, sgn in SIDES:
                pz = ank_z_pl * us
                pitch[f][m] = p_pl * us
                ank[f][m, 0] = sgn * s.hsep
                ank[f][m, 1] = ankle_height(d, pitch[f][m]) + 0.05 * H * np.sin(np.pi * u)
                ank[f][m, 2] = pz
            hands[m] = True
            wrist_w[m] = 1.0
            reach[m] = 1.0
        # 3. plank hold.
        b0, b1 = bounds["plank"]
        m = s.mask(b0, b1)
        hip[m] = hip_pl
        lean[m] = lean_pl
        head_pitch[m] = lean_pl - 10.0
        for f, sgn in SIDES:
            pitch[f][m] = p_pl
            ank[f][m] = [sgn * s.hsep, ank_pl, ank_z_pl]
        hands[m] = True
        wrist_w[m] = 1.0
        reach[m] = 1.0
        # 5. rise: hands leave the floor, legs extend onto the toes, arms swing up.
        b0, b1 = bounds["rise"]
        m = s.mask(b0, b1)
        u = (t[m] - b0) / (b1 - b0)
        us = _smooth(u)
        kk = k_sq + (k_to - k_sq) * us
        pf = p_to * _smooth(np.clip((u - 0.5) / 0.5, 0, 1))
        yy, ff = squat_chain(d, kk, sh_sq * (1 - us), pf)
        hip[m, 1], hip[m, 2] = yy, ff
        lean[m] = lean_sq + (5.0 - lean_sq) * us
        head_pitch[m] = 25.0 * (1 - us)
        for f, _ in SIDES:
            pitch[f][m] = pf
        wrist_w[m] = 1 - _smooth(u / 0.25)
        hands[m] = u < 0.08
        reach[m] = 1 - _smooth(u / 0.4)
        arm_up[m] = _smooth((u - 0.3) / 0.7)
        # 6. flight: ballistic pelvis, arms overhead, feet with the arc.
        m = s.mask(to, land)
        y_start = float(squat_chain(d, np.array([k_to]), np.array([0.0]), np.array([p_to]))[0][0])
        hip[m, 1] = ballistic(t[m], to, land, y_start, y_land)
        hip[m, 2] = 0.0
        lean[m] = 5.0
        u = (t[m] - to) / (land - to)
        for f, _ in SIDES:
            pitch[f][m] = p_to + (p_land - p_to) * _smooth(u)
            ank[f][m, 1] = ankle_height(d, pitch[f][m]) + arc(t[m], to, land) + 0.01 * np.sin(np.pi * u)
        arm_up[m] = 1.0
        # 7. land and stand: knee 160 -> 138 -> standing, arms come down.
        b0, b1 = bounds["land"]
        m = s.mask(b0, b1)
        u = (t[m] - b0) / (b1 - b0)
        kk = k_land + (s.stand_knee - k_land) * _smooth(u) - 20.0 * np.sin(np.pi * np.clip(u * 1.5, 0, 1))
        pf = p_land * (1 - _smooth(np.clip(u * 3, 0, 1)))
        hip[m, 1] = hip_over_foot(d, kk, pf)
        hip[m, 2] = 0.0
        lean[m] = 5.0 + 8.0 * np.sin(np.pi * u)
        for f, _ in SIDES:
            pitch[f][m] = pf
        arm_up[m] = 1 - _smooth(u / 0.6)
        s.reps.append({"index": i, "start_s": round(a, 6), "end_s": round(a + P, 6),
                       "plank_s": [round(bounds["plank"][0], 6), round(bounds["plank"][1], 6)],
                       **s.flight_rep(i, to, land, y_start, y_land)})
        for f, _ in SIDES:  # feet on the floor in the ground phases (ankle from the pitch)
            for name in ("down", "rise", "land"):
                b0, b1 = bounds[name]
                mm = s.mask(b0, b1)
                ank[f][mm, 1] = ankle_height(d, pitch[f][mm])
                ank[f][mm, 2] = 0.0
    # Settle after the last burpee: already standing.
    s.hip, s.lean, s.head_pitch, s.ankle, s.pitch = hip, lean, head_pitch, ank, pitch
    s.hands = hands
    # Arms: hanging -> reaching down -> wrists on the floor (IK) -> overhead.
    sh = shoulders(d, hip, lean, s.side)
    hang = s.hanging_arms()
    arms = {}
    for f, sgn in SIDES:
        wrist = np.stack([np.full(n, sgn * hand_x), np.full(n, wrist_y), np.full(n, z_hand)], axis=1)
        up_f, fo_f = arm_ik(d, sh[f], wrist, [sgn * 0.6, 0.3, -1.0])
        down = arm_dir(np.full(n, 8.0), 90.0 * np.ones(n), sgn)  # reaching forward-down
        rd = (reach * (1 - wrist_w))[:, None]
        ww = wrist_w[:, None]
        au = arm_up[:, None]
        overhead = arm_dir(np.full(n, 15.0), np.full(n, 165.0), sgn)
        up = (1 - ww) * ((1 - rd) * ((1 - au) * hang[f][0] + au * overhead) + rd * _unit(sh[f] * 0 + down)) + ww * up_f
        fo = (1 - ww) * ((1 - rd) * ((1 - au) * hang[f][1] + au * overhead) + rd * down) + ww * fo_f
        arms[f] = (_unit(up), _unit(fo))
    return s.spec(arms)


BUILDERS = {
    "high_knees": _high_knees, "jogging": _jogging, "tuck_jumps": _tuck, "skater": _skater,
    "jumping_jacks": _jacks, "burpees": _burpees, "squats": _squats, "hop_one_foot": _hop,
    "boxing_footwork": _boxing,
}


def make_movement(p: JumpParams, dims: BodyDims, seed: int):
    """Per-frame pose of a no-rope movement (a ``MotionResult`` with no rope jumps)."""
    from synthetic.motion import MotionResult, Timeline

    rng = np.random.default_rng(seed)
    fps = p.physical_fps
    dur = movement_duration_s(p)
    n = int(np.floor(dur * fps)) + 1
    t = np.arange(n) / fps
    spec = BUILDERS[p.movement](p, dims, rng, t)
    pose = solve(dims, spec)
    tl = Timeline(jumps=[], segments=[], duration_s=dur, rope_keys=[(0.0, ROPE_REST_RAD)], stands=spec.stands)
    return MotionResult(t_s=t, pose=pose, rope_rad=np.full(n, ROPE_REST_RAD), timeline=tl, body=None,
                        leg_pitch_deg=dict(spec.pitch), any_foot_flight=None, hands_on_floor=spec.hands,
                        reps=spec.reps)
