"""Random draw of the MOTION side of a synthetic clip (issue 11's randomised suite).

``draw_motion(rng, fps=..., max_frames=...)`` returns a dict of ``JumpParams`` motion
fields: who jumps (standing height), what they do (skipping style or a movement without
a rope, cadence, jump height, number of jumps, pauses, misses, slow motion) and which
technique faults they make, at what strength. The capture side (camera, light,
background, fps, frame budget) is drawn elsewhere (``synthetic/randomise.py``) and merged
with this dict; ``fps`` and ``max_frames`` come from there, and the clip drawn here never
needs more than ``max_frames`` video frames at ``fps``. ``draw_kind`` may be called first
(and its answer passed as ``kind=``) when the capture side wants to know whether the
clip is slow motion before choosing ``fps`` (slow motion plays back at 24-30 fps).

Every range below says why it is what it is: what real footage shows, or the physics
that bounds it. Fault strengths are drawn in "margins" around the analysis's own
thresholds (``analysis/config.py`` THRESHOLDS, read from there; margins from
``synthetic/faults.py``): from clearly inside (-2.5 margins) to clearly outside (+4
margins), so that clean, borderline and clear faults all occur. The truth
(``synthetic/faults.py``) measures the drawn figure and labels each rule with its value,
threshold and a ``borderline`` flag; a benchmark scores against the truth, never against
the knob values drawn here.
"""

from __future__ import annotations

import math

import numpy as np

from synthetic.faults import MARGINS, threshold
from synthetic.movements import RANGES as MOVE_RANGES
from synthetic.params import G_M_S2, JumpParams

#: Shares of the three kinds of clip: skipping in real time (every style), movements
#: without a rope (negatives, true count 0) and slow-motion skipping.
KIND_SHARES = {"skipping": 0.65, "negative": 0.20, "slowmo": 0.15}
#: Share of each skipping style. Two-foot bounces are what most people film; alternate
#: (jogging) steps and the boxer step are the next basic steps; double-unders are an
#: intermediate skill seen in fitness footage.
STYLE_SHARES = {"two_foot": 0.40, "alternate": 0.22, "boxer": 0.20, "double_under": 0.18}
#: Share of skipping clips that change style mid-clip (2-3 runs of different styles).
MIXED_P = 0.15
#: Slow-motion factors: phones record 60/120/240 fps and play back at 24-30 fps, i.e.
#: 2x, 4x, 8x; 4x (120 fps) is the commonest slow-motion mode.
SLOWMO_SHARES = {2.0: 0.35, 4.0: 0.40, 8.0: 0.25}
#: Shortest physical stretch a slow-motion clip covers (s): a lead-in and a few jumps.
MIN_SLOWMO_PHYS_S = 2.5
#: Negatives: every no-rope movement equally often.
NEGATIVES = tuple(MOVE_RANGES)
#: A negative done holding rope handles (miming, or ropeless "weighted handles").
HANDLES_P = 0.15
#: Share of skipping clips that end with the rope caught on the feet (the jumper stops).
END_MISS_P = 0.10

#: Shortest ground contact between two-foot jumps (s). Measured contact times of
#: skipping at 2-3 jumps/s are about 0.15-0.25 s; below ~0.1 s the legs cannot
#: reverse the fall (the validator in ``JumpParams`` holds 0.10 s). 0.12 s leaves room
#: for the per-jump height jitter.
MIN_CONTACT_S = 0.12

#: How many faults a skipping clip gets: about a third clean (the benchmark needs >= 50
#: clean clips out of 200 for false-fault rates), the rest 1-3 faults at once.
N_FAULTS_P = {0: 0.35, 1: 0.35, 2: 0.20, 3: 0.10}
#: Fault strength in margins around the threshold: clearly inside .. clearly outside.
STRENGTH_RANGE = (-2.5, 4.0)
#: Share of per-jump faults (heel landings, locked knees, high jumps) applied to only
#: some jumps: half of them; the faulty share then straddles the analysis's
#: ``rule_fault_share`` (a rule is a clip-level fault from that share of jumps on).
PER_JUMP_P = 0.5


def _flight_s(h_cm: float) -> float:
    return math.sqrt(8 * h_cm / 100.0 / G_M_S2)


def _max_height_cm(period_s: float, min_contact_s: float = MIN_CONTACT_S) -> float:
    """Highest foot clearance whose flight leaves ``min_contact_s`` of ground contact."""
    t = max(period_s - min_contact_s, 0.0)
    return G_M_S2 * t * t / 8 * 100.0


def _choice(rng: np.random.Generator, shares: dict):
    keys = list(shares)
    p = np.array([shares[k] for k in keys], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def draw_kind(rng: np.random.Generator) -> str:
    """"skipping" (real time), "negative" (no rope) or "slowmo" (slow-motion skipping)."""
    return _choice(rng, KIND_SHARES)


def draw_standing_height_cm(rng: np.random.Generator) -> float:
    """Standing height, 120-200 cm: 20 % children/early teens, 80 % adults and older teens.

    Children skip in school and club footage: uniform 120-160 cm covers about ages 7-13
    (WHO growth references put the 50th centile near 122 cm at 7 and 156 cm at 13).
    Adults: normal with mean 170 cm and sd 9 cm, the pooled adult distribution of men
    (~176 cm) and women (~163 cm) in the countries most phone footage comes from
    (NCD-RisC, eLife 2016), truncated to 150-200 cm.
    """
    if rng.random() < 0.2:
        return round(float(rng.uniform(120.0, 160.0)), 1)
    while True:
        h = float(rng.normal(170.0, 9.0))
        if 150.0 <= h <= 200.0:
            return round(h, 1)


def _draw_style_kinematics(rng: np.random.Generator, style: str) -> tuple[float, float]:
    """(cadence per minute, nominal jump height cm) for one style, physically feasible."""
    if style == "two_foot":
        # Two-foot bounce: beginners ~60-100/min, fitness skipping 100-140, fast bounces
        # up to ~180 (faster is done with alternate steps). Clean clearance 1-4 cm
        # (the article's 2-5 cm; good skippers clear by ~1-2 cm).
        cad, h = rng.uniform(60.0, 180.0), rng.uniform(1.0, 4.0)
    elif style == "alternate":
        # Jogging / speed step: ~120 steps/min easy up to ~220 (speed step; the audio
        # module's comments cite real speed steps at up to ~7 contacts/s). The stepping
        # foot lifts 3-15 cm (a low jog to a knee-lifting step).
        cad, h = rng.uniform(120.0, 220.0), rng.uniform(3.0, 15.0)
    elif style == "boxer":
        # Boxer step: boxers skip at ~2-3 rope passes per second (120-180/min), a small
        # hop of 1-4 cm on the weighted foot.
        cad, h = rng.uniform(110.0, 190.0), rng.uniform(1.0, 4.0)
    else:  # double_under
        # Double-unders: the rope turns twice per jump; 60-90 jumps/min (fitness
        # double-unders run ~1-1.5 jumps/s); clearance 10-20 cm gives the 0.29-0.40 s
        # flight two turns need.
        cad, h = rng.uniform(60.0, 90.0), rng.uniform(10.0, 20.0)
    period = 60.0 / cad
    h = min(h, _max_height_cm(period, 0.08 if style == "alternate" else MIN_CONTACT_S))
    return round(float(cad), 2), round(max(float(h), 1.0), 2)


# -------------------------------------------------------------------------- faults

def _strength(rng: np.random.Generator) -> float:
    return float(rng.uniform(*STRENGTH_RANGE))


def _rules_for(styles: set[str]) -> list[str]:
    rules = ["posture.trunk_upright", "posture.head_forward", "posture.shoulders_back", "landing.balls_of_feet",
             "landing.knees_soft", "arms.elbows_in", "arms.hands_hip_height", "arms.wrist_rotation",
             "core.trunk_steady"]
    if "two_foot" in styles:
        rules += ["landing.jump_height"]
    if styles & {"two_foot", "double_under"}:
        rules += ["landing.feet_together"]
    return rules


def _clean_posture(rng: np.random.Generator) -> dict:
    """Knob values of a clean jumper (all well inside every threshold)."""
    return {
        # Upright skipping leans 2-8 deg (config: measured on the shared side clip); up to
        # 6 here, as rounded shoulders add up to ~2 deg to the hip->shoulder line.
        "trunk_lean_deg": round(float(rng.uniform(0.0, 6.0)), 2),
        "trunk_sway_deg": round(float(rng.uniform(0.0, 1.5)), 2),
        # Ear over or slightly ahead of the shoulders (config: upright 3.7-4.4 cm measured).
        "head_forward_cm": round(float(rng.uniform(-1.0, 3.5)), 2),
        "shoulders_forward_cm": round(float(rng.uniform(0.0, 2.0)), 2),
        # Knees soft at touchdown: the article's "slightly bent", 145-165 deg.
        "knee_touchdown_deg": round(float(rng.uniform(145.0, 165.0)), 2),
        "knee_flex_depth_deg": round(float(rng.uniform(8.0, 25.0)), 2),
        # Landing on the balls of the feet: the foot pitched 12-25 deg heel-up at touchdown.
        "touchdown_pitch_deg": round(float(rng.uniform(12.0, 25.0)), 2),
        # Elbows near the sides: 4-10 deg from the shoulder->hip line. The figure's
        # forearms point 30 deg outward, so the wrists already sit 15-24 cm outside the
        # hip joints (taller figures, higher hands: more); the analysis's 25 cm limit on
        # that distance must stay clear.
        "elbow_abduction_deg": round(float(rng.uniform(4.0, 10.0)), 2),
        # Hands about hip height (the figure's wrists cannot hang lower than ~6 cm below
        # the hip joints with the arms by the sides).
        "hand_height_cm": round(float(rng.uniform(-8.0, 6.0)), 2),
        "turning": "wrist",
        "landing": "forefoot",
        "lr_touchdown_offset_s": 0.0,
    }


def _per_jump_indices(rng: np.random.Generator, pool: list[int]) -> list[int]:
    """A random subset of ``pool`` whose share spans 10-70 % (straddles rule_fault_share)."""
    k = int(np.clip(round(rng.uniform(0.1, 0.7) * len(pool)), 1, len(pool)))
    return sorted(int(i) for i in rng.choice(pool, size=k, replace=False))


def _apply_fault(rng: np.random.Generator, rule: str, d: dict, fps: float, plan: list[tuple]) -> None:
    """Set the knob(s) of one rule to a drawn strength (in margins around the threshold)."""
    s = _strength(rng)
    n = d["n_jumps"]
    per_jump = rng.random() < PER_JUMP_P and n >= 3
    if rule == "posture.trunk_upright":
        d["trunk_lean_deg"] = round(threshold("trunk_lean_max_deg") + MARGINS["trunk_lean_max_deg"][0] * s, 2)
    elif rule == "posture.head_forward":
        d["head_forward_cm"] = round(threshold("head_forward_max_cm") + MARGINS["head_forward_max_cm"][0] * s, 2)
    elif rule == "posture.shoulders_back":
        # Hunching: the ear pushed ahead of the trunk line until the neck flexion (angle
        # between the trunk line and the shoulder->ear line) reaches the drawn strength.
        flex = threshold("neck_flexion_max_deg") + MARGINS["neck_flexion_max_deg"][0] * s
        ear_above_cm = 0.112 * d["standing_height_cm"]
        hf = ear_above_cm * math.tan(math.radians(min(flex + d["trunk_lean_deg"], 85.0)))
        d["head_forward_cm"] = round(float(np.clip(hf, -5.0, 30.0)), 2)
        d["shoulders_forward_cm"] = round(float(rng.uniform(0.0, 6.0)), 2)
    elif rule == "landing.balls_of_feet":
        # Heel above toe at touchdown = foot length x sin(pitch).
        foot_cm = 0.152 * d["standing_height_cm"]
        hmt = threshold("heel_above_toe_min_cm") - MARGINS["heel_above_toe_min_cm"][0] * s
        pitch = round(float(np.clip(math.degrees(math.asin(np.clip(hmt / foot_cm, -0.5, 0.7))), -30.0, 45.0)), 2)
        if per_jump:
            _override(d, _per_jump_indices(rng, list(range(n))), touchdown_pitch_deg=pitch)
        else:
            d["touchdown_pitch_deg"] = pitch
    elif rule == "landing.knees_soft":
        k = float(np.clip(threshold("knee_locked_deg") + MARGINS["knee_locked_deg"][0] * s, 150.0, 180.0))
        if per_jump:
            _override(d, _per_jump_indices(rng, list(range(n))), knee_touchdown_deg=round(k, 2))
        else:
            d["knee_touchdown_deg"] = round(k, 2)
            d["knee_flex_depth_deg"] = round(float(rng.uniform(3.0, 15.0)), 2)
    elif rule == "landing.jump_height":
        two = [i for i, pl in enumerate(plan) if pl[0] == "two_foot"]
        period = min(pl[1] for pl in plan if pl[0] == "two_foot")
        h = float(np.clip(threshold("jump_height_max_cm") + MARGINS["jump_height_max_cm"][0] * 1.5 * s, 1.0,
                          _max_height_cm(period)))
        if per_jump or d.get("style_sequence"):
            _override(d, _per_jump_indices(rng, two) if per_jump else two, height_cm=round(h, 2))
        else:
            d["jump_height_cm"] = round(h, 2)
    elif rule == "landing.feet_together":
        frame_s = 1.0 / (fps * d.get("slowmo_factor", 1.0))
        thr = max(threshold("touchdown_gap_max_s"), threshold("touchdown_gap_min_frames") * frame_s)
        off = float(np.clip(thr + s / (fps * d.get("slowmo_factor", 1.0)), 0.0, 0.15))
        d["lr_touchdown_offset_s"] = round(off * (1 if rng.random() < 0.5 else -1), 4)
    elif rule == "arms.elbows_in":
        # The rule fails on the upper-arm angle (30 deg from the trunk axis; the knob,
        # from the shoulder->hip line, reads ~8 deg more) or on the wrists 25 cm outside
        # the hips, which the figure reaches first: at a knob of ~18-24 deg for a 170 cm
        # figure (earlier when taller or with higher hands). Drawn uniformly 6-45 deg, so
        # that both sides of both limits occur.
        d["elbow_abduction_deg"] = round(float(rng.uniform(6.0, 45.0)), 2)
    elif rule == "arms.hands_hip_height":
        # Only "too high" can be drawn: the figure's wrists cannot hang 15 cm below the hips.
        d["hand_height_cm"] = round(threshold("hands_above_hip_max_cm") + MARGINS["hands_above_hip_max_cm"][0] * s, 2)
    elif rule == "arms.wrist_rotation":
        # The upper arms sweep a cone; measured elbow/wrist travel ratio on the figure:
        # 5 deg -> 0.30, 10 -> 0.48, 15 -> 0.60, 22 -> 0.71, 30 -> 0.76 (threshold 0.6).
        d["turning"] = "shoulder"
        d["shoulder_turning_cone_deg"] = round(float(rng.uniform(5.0, 32.0)), 2)
    elif rule == "core.trunk_steady":
        # The per-jump range of a sway of amplitude A (one cycle per two jumps) is ~1.74 A
        # on the figure at typical cadences; the threshold is on that range.
        rng_deg = threshold("trunk_sway_max_deg") + MARGINS["trunk_sway_max_deg"][0] * s
        d["trunk_sway_deg"] = round(float(np.clip(rng_deg / 1.74, 0.0, 20.0)), 2)
    else:  # pragma: no cover - the rule list is fixed above
        raise ValueError(f"no fault knob for rule {rule!r}")


def _override(d: dict, idx: list[int], **kw) -> None:
    ov = {o["jump"]: o for o in d.setdefault("jump_overrides", [])}
    for i in idx:
        ov.setdefault(i, {"jump": i}).update(kw)
    d["jump_overrides"] = [ov[i] for i in sorted(ov)]


# -------------------------------------------------------------------------- timeline

def _fit_jumps(d: dict, budget_s: float, rng: np.random.Generator) -> None:
    """Choose n_jumps (and trim pauses/misses) so the clip fills 70-100 % of the
    budget (physical seconds)."""
    target_s = budget_s * float(rng.uniform(0.7, 1.0))
    period = 60.0 / d["cadence_jpm"]
    # Short budgets: the stands before and after take at most 15 % of the clip each.
    d["lead_in_s"] = round(min(d["lead_in_s"], 0.15 * target_s), 2)
    d["end_stand_s"] = round(min(d["end_stand_s"], 0.15 * target_s), 2)
    fixed = d["lead_in_s"] + d["end_stand_s"] + 0.8 * period
    stops = sum(0.8 * period + s for _, s in d["pauses"]) + len(d["misses"]) * (0.8 * period + d["miss_stand_s"])
    if fixed + stops + 3 * period > target_s:  # too short for the stops: drop them
        d["pauses"], d["misses"], stops = [], [], 0.0
    d["n_jumps"] = max(1, int((target_s - fixed - stops) / period))
    d["pauses"] = [[i, s] for i, s in d["pauses"] if 0 < i < d["n_jumps"]]
    d["misses"] = [i for i in d["misses"] if 0 < i < d["n_jumps"] and all(i != p for p, _ in d["pauses"])]


def _mixed_sequence(rng: np.random.Generator, d: dict) -> None:
    """Split the jumps into 2-3 runs of different styles (each with its own cadence and height)."""
    n = d["n_jumps"]
    k = 3 if n >= 18 and rng.random() < 0.4 else 2
    if n < 2 * k:
        return
    styles = [d["style"]]
    while len(styles) < k:
        s = _choice(rng, STYLE_SHARES)
        if s != styles[-1]:
            styles.append(s)
    cuts = sorted(int(c) for c in rng.choice(np.arange(2, n - 1), size=k - 1, replace=False))
    counts = np.diff([0, *cuts, n]).tolist()
    if min(counts) < 2:
        return
    seq = []
    for s, c in zip(styles, counts):
        cad, h = (d["cadence_jpm"], d["jump_height_cm"]) if s == d["style"] else _draw_style_kinematics(rng, s)
        seq.append([s, int(c), cad, h])
    d["style_sequence"] = seq
    d["pauses"], d["misses"] = [], []  # keep the runs back to back


def _draw_skipping(rng: np.random.Generator, d: dict, fps: float, max_frames: int, slowmo: float) -> dict:
    style = _choice(rng, STYLE_SHARES)
    d["style"] = style
    d["cadence_jpm"], d["jump_height_cm"] = _draw_style_kinematics(rng, style)
    # Jump-to-jump height variation: real skippers vary ~5-15 % (1 sigma).
    d["height_jitter_frac"] = round(float(rng.uniform(0.02, 0.12)), 3)
    d.update(_clean_posture(rng))
    if style == "boxer":
        d["boxer_switch_every"] = int(rng.choice([1, 2]))
        d["lead_side"] = str(rng.choice(["left", "right"]))
    # Stand before the first jump and after the last: phone clips start and stop
    # within about a second of the skipping.
    d["lead_in_s"] = round(float(rng.uniform(0.3, 1.5)), 2)
    d["end_stand_s"] = round(float(rng.uniform(0.3, 1.0)), 2)
    # Pauses (a breather, 0.5-3 s) in a quarter of the clips and a miss (the rope
    # catches the feet; the jumper stands 0.6-2 s, steps over and goes on) in a fifth.
    d["pauses"] = [[int(rng.integers(3, 40)), round(float(rng.uniform(0.5, 3.0)), 2)]] if rng.random() < 0.25 else []
    d["misses"] = [int(rng.integers(3, 40))] if rng.random() < 0.2 else []
    d["miss_stand_s"] = round(float(rng.uniform(0.6, 2.0)), 2)
    d["end_with_miss"] = bool(rng.random() < END_MISS_P)
    d["jump_overrides"] = []
    d["slowmo_factor"] = slowmo
    _fit_jumps(d, (max_frames - 1) / (fps * slowmo), rng)
    if rng.random() < MIXED_P:
        _mixed_sequence(rng, d)
    plan = JumpParams.from_dict({**d, "fps": 30.0}).jump_plan()
    counts = list(N_FAULTS_P)
    k = counts[int(rng.choice(len(counts), p=np.array([N_FAULTS_P[c] for c in counts])))]
    rules = _rules_for({pl[0] for pl in plan})
    for rule in rng.choice(rules, size=min(k, len(rules)), replace=False):
        _apply_fault(rng, str(rule), d, fps, plan)
    _check_budget(d, fps, max_frames)
    return d


def _draw_negative(rng: np.random.Generator, d: dict, fps: float, max_frames: int) -> dict:
    """A movement without a rope, at a rate from its range that fits >= 2 repetitions
    into the budget (slow movements such as burpees need long clips: when one does not
    fit, the next movement in a random order is tried)."""
    budget_s = (max_frames - 1) / fps
    target = budget_s * float(rng.uniform(0.7, 1.0))
    d["lead_in_s"] = round(float(min(rng.uniform(0.3, 1.5), 0.15 * target)), 2)
    d["end_stand_s"] = round(float(min(rng.uniform(0.3, 1.0), 0.15 * target)), 2)
    settle = 0.6  # movements.py: back to a quiet stand after the last repetition
    avail = target - d["lead_in_s"] - d["end_stand_s"] - settle
    first = str(rng.choice(NEGATIVES))
    order = [first] + [m for m in rng.permutation(NEGATIVES).tolist() if m != first]
    found = None
    for reps_min in (2.0, 1.0):  # two repetitions at least, one if the budget is tiny
        for m in order:
            (r_lo, r_hi, _), hr = MOVE_RANGES[m]
            lo = max(r_lo, 60.0 * reps_min / max(avail, 1e-6))
            if lo <= r_hi:
                found = m
                break
        if found:
            break
    if found is None:
        raise ValueError(f"no movement without a rope fits {max_frames} frames at {fps:g} fps "
                         f"({budget_s:.2f} s); give a budget of at least ~3 s")
    d["movement"] = m
    rate = float(rng.uniform(lo, r_hi))
    d["rep_rate_per_min"] = round(rate, 2)
    if hr is not None:
        period = 60.0 / rate / (2 if m == "jumping_jacks" else 1)
        room = 0.5 * period if m == "burpees" else 0.12
        h_max = min(hr[1], _max_height_cm(period, room))
        d["rep_height_cm"] = round(float(rng.uniform(hr[0], max(hr[0], h_max))), 2)
    d["height_jitter_frac"] = round(float(rng.uniform(0.02, 0.10)), 3)
    d["lead_side"] = str(rng.choice(["left", "right"]))
    d["no_rope_handles"] = bool(rng.random() < HANDLES_P)
    d["reps"] = max(1, int(avail * float(d["rep_rate_per_min"]) / 60.0))
    while d["reps"] > 1 and n_video_frames(d, fps) > max_frames:
        d["reps"] -= 1
    if n_video_frames(d, fps) > max_frames:
        raise ValueError(f"one {m} repetition needs {n_video_frames(d, fps)} frames at {fps:g} fps; "
                         f"the budget is {max_frames}")
    return d


def draw_motion(rng: np.random.Generator, *, fps: float, max_frames: int, kind: str | None = None) -> dict:
    """Draw the motion fields of one clip; the clip needs at most ``max_frames`` frames at ``fps``.

    ``kind``: "skipping", "negative" or "slowmo" (default: drawn with ``KIND_SHARES``).
    Returns a dict of ``JumpParams`` field names to values (JSON-serialisable).
    """
    if not (fps > 0 and max_frames >= 2):
        raise ValueError(f"draw_motion needs fps > 0 and max_frames >= 2, got fps={fps!r}, max_frames={max_frames!r}")
    kind = draw_kind(rng) if kind is None else kind
    if kind not in KIND_SHARES:
        raise ValueError(f"kind must be one of {sorted(KIND_SHARES)}, got {kind!r}")
    d: dict = {"standing_height_cm": draw_standing_height_cm(rng)}
    if kind == "negative":
        return _draw_negative(rng, d, fps, max_frames)
    slowmo = 1.0
    if kind == "slowmo":
        slowmo = float(_choice(rng, SLOWMO_SHARES))
        # At least ~2.5 s of physical time (a few jumps): a large factor at a high video
        # frame rate may not fit the budget; then the largest factor that does (or none).
        while slowmo > 1.0 and (max_frames - 1) / (fps * slowmo) < MIN_SLOWMO_PHYS_S:
            slowmo /= 2.0
    return _draw_skipping(rng, d, fps, max_frames, slowmo)


def n_video_frames(d: dict, fps: float) -> int:
    """Video frames a motion dict needs at ``fps`` (validates the fields on the way)."""
    p = JumpParams.from_dict({**d, "fps": 30.0})  # the physical length does not depend on fps
    return int(math.floor(p.total_duration_s * fps * p.slowmo_factor)) + 1


def _check_budget(d: dict, fps: float, max_frames: int) -> None:
    n = n_video_frames(d, fps)
    while n > max_frames and d["n_jumps"] > 1:
        d["n_jumps"] -= 1
        if d.get("style_sequence"):
            d["style_sequence"][-1][1] -= 1
            if d["style_sequence"][-1][1] == 0:
                d["style_sequence"].pop()
        d["jump_overrides"] = [o for o in d["jump_overrides"] if o["jump"] < d["n_jumps"]]
        d["pauses"] = [[i, s] for i, s in d["pauses"] if i < d["n_jumps"]]
        d["misses"] = [i for i in d["misses"] if i < d["n_jumps"]]
        n = n_video_frames(d, fps)
    if n > max_frames:
        raise ValueError(f"a clip of one jump needs {n} frames at {fps:g} fps; the budget is {max_frames}")
