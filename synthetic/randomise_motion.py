"""Random draw of the MOTION side of a synthetic clip (issue 11's randomised suite).

``draw_motion(rng, fps=..., max_frames=...)`` returns a dict of ``JumpParams`` motion
fields: who jumps (standing height), what they do (skipping style, cadence, jump height,
number of jumps, pauses, misses) and which technique faults they make, at what strength.
The capture side (camera, light, background, fps, frame budget) is drawn elsewhere
(``synthetic/randomise.py``) and merged with this dict; ``fps`` and ``max_frames`` come
from there, and the clip drawn here never needs more than ``max_frames`` video frames.

Every range below says why it is what it is: what real skipping footage shows, or the
physics that bounds it. Fault strengths are drawn in "margins" around the analysis's own
thresholds (``analysis/config.py`` THRESHOLDS, read from there): from clearly inside
(-2.5 margins) to clearly outside (+4 margins), so that clean, borderline and clear
faults all occur. The truth (``synthetic/truth.py``) measures the drawn figure and labels
each rule with its value, threshold and a ``borderline`` flag; it is the truth's word,
not this module's knob values, that a benchmark should score against.
"""

from __future__ import annotations

import math

import numpy as np

from analysis.config import THRESHOLDS as T
from synthetic.params import G_M_S2, JumpParams

#: Share of each skipping style among skipping clips. Two-foot bounces are what most
#: people film; alternate (jogging) steps are the second basic step; double-unders are
#: an intermediate skill seen in fitness footage.
STYLE_SHARES = {"two_foot": 0.50, "alternate": 0.30, "double_under": 0.20}

#: Shortest ground contact between two-foot jumps (s). Measured contact times of
#: skipping at 2-3 jumps/s are about 0.15-0.25 s; below ~0.1 s the legs cannot
#: reverse the fall (the validator in ``JumpParams`` holds 0.10 s). 0.12 s leaves room
#: for the per-jump height jitter.
MIN_CONTACT_S = 0.12

#: How many faults a clip gets: about a third clean (the benchmark needs >= 50 clean
#: clips out of 200 for false-fault rates), the rest 1-3 faults at once.
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


def _draw_style_kinematics(rng: np.random.Generator, style: str) -> dict:
    """Cadence and jump height for one style, physically feasible."""
    if style == "two_foot":
        # Two-foot bounce: beginners ~60-100/min, fitness skipping 100-140, fast bounces
        # up to ~180 (faster is done with alternate steps).
        cad = float(rng.uniform(60.0, 180.0))
        # Clean clearance 1-4.5 cm (the article's 2-5 cm; good skippers clear by ~1-2 cm).
        h = float(rng.uniform(1.0, 4.5))
    elif style == "alternate":
        # Jogging / speed step: ~120 steps/min easy up to ~220 (speed step; the
        # audio module's comments cite real speed steps at up to ~7 contacts/s).
        cad = float(rng.uniform(120.0, 220.0))
        # The stepping foot lifts 3-15 cm (a low jog to a knee-lifting step).
        h = float(rng.uniform(3.0, 15.0))
    else:  # double_under
        # Double-unders: the rope turns twice per jump; 60-90 jumps/min (fitness
        # double-unders run ~1-1.5 jumps/s); clearance 10-20 cm gives the 0.29-0.40 s
        # flight two turns need.
        cad = float(rng.uniform(60.0, 90.0))
        h = float(rng.uniform(10.0, 20.0))
    period = 60.0 / cad
    if style == "alternate":
        h = min(h, _max_height_cm(period, 0.08))
    else:
        h = min(h, _max_height_cm(period))
    return {"cadence_jpm": round(cad, 2), "jump_height_cm": round(max(h, 1.0), 2)}


def _choice(rng: np.random.Generator, shares: dict) -> str:
    keys = list(shares)
    p = np.array([shares[k] for k in keys], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


# -------------------------------------------------------------------------- faults

def _strength(rng: np.random.Generator) -> float:
    return float(rng.uniform(*STRENGTH_RANGE))


def _rules_for(style: str) -> list[str]:
    rules = ["posture.trunk_upright", "posture.head_forward", "posture.shoulders_back", "landing.balls_of_feet",
             "landing.knees_soft", "arms.elbows_in", "arms.hands_hip_height", "arms.wrist_rotation",
             "core.trunk_steady"]
    if style == "two_foot":
        rules += ["landing.jump_height"]
    if style != "alternate":
        rules += ["landing.feet_together"]
    return rules


def _clean_posture(rng: np.random.Generator) -> dict:
    """Knob values of a clean jumper (all well inside every threshold)."""
    return {
        # Upright skipping leans 2-8 deg (config: measured on the shared side clip).
        "trunk_lean_deg": round(float(rng.uniform(0.0, 7.0)), 2),
        "trunk_sway_deg": round(float(rng.uniform(0.0, 1.5)), 2),
        # Ear over or slightly ahead of the shoulders (config: upright 3.7-4.4 cm measured).
        "head_forward_cm": round(float(rng.uniform(-1.0, 3.5)), 2),
        "shoulders_forward_cm": round(float(rng.uniform(0.0, 2.0)), 2),
        # Knees soft at touchdown: the article's "slightly bent", 145-165 deg.
        "knee_touchdown_deg": round(float(rng.uniform(145.0, 165.0)), 2),
        "knee_flex_depth_deg": round(float(rng.uniform(8.0, 25.0)), 2),
        # Elbows near the sides: 5-20 deg from the trunk.
        "elbow_abduction_deg": round(float(rng.uniform(5.0, 20.0)), 2),
        # Hands about hip height.
        "hand_height_cm": round(float(rng.uniform(-8.0, 12.0)), 2),
        "turning": "wrist",
        "landing": "forefoot",
        "lr_touchdown_offset_s": 0.0,
    }


def _per_jump_indices(rng: np.random.Generator, n: int) -> list[int]:
    """A random subset of jumps whose share spans 10-70 % (straddles rule_fault_share)."""
    k = int(np.clip(round(rng.uniform(0.1, 0.7) * n), 1, n))
    return sorted(int(i) for i in rng.choice(n, size=k, replace=False))


def _apply_fault(rng: np.random.Generator, rule: str, d: dict, fps: float) -> None:
    """Set the knob(s) of one rule to a drawn strength (in margins around the threshold)."""
    s = _strength(rng)
    n = d["n_jumps"]
    if rule == "posture.trunk_upright":
        d["trunk_lean_deg"] = round(T["trunk_lean_max_deg"] + 3.0 * s, 2)
    elif rule == "posture.head_forward":
        d["head_forward_cm"] = round(T["head_forward_max_cm"] + 2.0 * s, 2)
    elif rule == "posture.shoulders_back":
        # Hunching: the ear pushed ahead of the trunk line until the neck flexion (angle
        # between the trunk line and the shoulder->ear line) reaches the drawn strength.
        flex = T["neck_flexion_max_deg"] + 6.0 * s
        ear_above_cm = 0.112 * d["standing_height_cm"]
        hf = ear_above_cm * math.tan(math.radians(flex + d["trunk_lean_deg"]))
        d["head_forward_cm"] = round(float(np.clip(hf, -5.0, 30.0)), 2)
        d["shoulders_forward_cm"] = round(float(rng.uniform(0.0, 6.0)), 2)
    elif rule == "landing.balls_of_feet":
        if rng.random() < PER_JUMP_P and n >= 3:
            _override(d, _per_jump_indices(rng, n), landing="heel")
        else:
            d["landing"] = "heel"
    elif rule == "landing.knees_soft":
        k = float(np.clip(T["knee_locked_deg"] + 4.0 * s, 150.0, 180.0))
        if rng.random() < PER_JUMP_P and n >= 3:
            _override(d, _per_jump_indices(rng, n), knee_touchdown_deg=round(k, 2))
        else:
            d["knee_touchdown_deg"] = round(k, 2)
            d["knee_flex_depth_deg"] = round(float(rng.uniform(3.0, 15.0)), 2)
    elif rule == "landing.jump_height":
        period = 60.0 / d["cadence_jpm"]
        h = float(np.clip(T["jump_height_max_cm"] + 1.5 * s, 1.0, _max_height_cm(period)))
        if rng.random() < PER_JUMP_P and n >= 3:
            _override(d, _per_jump_indices(rng, n), height_cm=round(h, 2))
        else:
            d["jump_height_cm"] = round(h, 2)
    elif rule == "landing.feet_together":
        thr = max(T["touchdown_gap_max_s"], T["touchdown_gap_min_frames"] / fps)
        off = float(np.clip(thr + s / fps, 0.0, 0.15))
        d["lr_touchdown_offset_s"] = round(off * (1 if rng.random() < 0.5 else -1), 4)
    elif rule == "arms.elbows_in":
        d["elbow_abduction_deg"] = round(float(np.clip(T["upper_arm_abduction_max_deg"] + 5.0 * s, 0.0, 80.0)), 2)
    elif rule == "arms.hands_hip_height":
        if rng.random() < 0.5:
            d["hand_height_cm"] = round(T["hands_above_hip_max_cm"] + 3.0 * s, 2)
        else:
            d["hand_height_cm"] = round(-(T["hands_below_hip_max_cm"] + 3.0 * s), 2)
    elif rule == "arms.wrist_rotation":
        # The upper arms sweep a cone; measured elbow/wrist travel ratio on the figure:
        # 5 deg -> 0.30, 10 -> 0.48, 15 -> 0.60, 22 -> 0.71, 30 -> 0.76 (threshold 0.6).
        d["turning"] = "shoulder"
        d["shoulder_turning_cone_deg"] = round(float(rng.uniform(5.0, 32.0)), 2)
    elif rule == "core.trunk_steady":
        # The per-jump range of a sway of amplitude A (one cycle per two jumps) is ~1.74 A
        # on the figure at typical cadences; the threshold is on that range.
        d["trunk_sway_deg"] = round(float(np.clip((T["trunk_sway_max_deg"] + 3.0 * s) / 1.74, 0.0, 20.0)), 2)
    else:  # pragma: no cover - the rule list is fixed above
        raise ValueError(f"no fault knob for rule {rule!r}")


def _override(d: dict, idx: list[int], **kw) -> None:
    ov = {o["jump"]: o for o in d.setdefault("jump_overrides", [])}
    for i in idx:
        ov.setdefault(i, {"jump": i}).update(kw)
    d["jump_overrides"] = [ov[i] for i in sorted(ov)]


# -------------------------------------------------------------------------- timeline

def _fit_jumps(d: dict, fps: float, max_frames: int, rng: np.random.Generator) -> None:
    """Choose n_jumps (and trim pauses/misses) so the clip fills 70-100 % of the budget."""
    budget_s = (max_frames - 1) / fps
    target_s = budget_s * float(rng.uniform(0.7, 1.0))
    period = 60.0 / d["cadence_jpm"]
    # Short budgets: the stands before and after take at most 15 % of the clip each.
    d["lead_in_s"] = round(min(d["lead_in_s"], 0.15 * target_s), 2)
    d["end_stand_s"] = round(min(d["end_stand_s"], 0.15 * target_s), 2)
    fixed = d["lead_in_s"] + d["end_stand_s"] + 0.8 * period
    stops = sum(0.8 * period + s for _, s in d["pauses"]) + len(d["misses"]) * (0.8 * period + d["miss_stand_s"])
    if fixed + stops + 3 * period > target_s:  # too short for the stops: drop them
        d["pauses"], d["misses"], stops = [], [], 0.0
    n = int((target_s - fixed - stops) / period)
    d["n_jumps"] = max(1, n)
    # Keep pause/miss indices inside the clip.
    d["pauses"] = [[i, s] for i, s in d["pauses"] if 0 < i < d["n_jumps"]]
    d["misses"] = [i for i in d["misses"] if 0 < i < d["n_jumps"] and all(i != p for p, _ in d["pauses"])]


def draw_motion(rng: np.random.Generator, *, fps: float, max_frames: int) -> dict:
    """Draw the motion fields of one clip; the clip needs at most ``max_frames`` frames at ``fps``.

    Returns a dict of ``JumpParams`` field names to values (JSON-serialisable).
    """
    if not (fps > 0 and max_frames >= 2):
        raise ValueError(f"draw_motion needs fps > 0 and max_frames >= 2, got fps={fps!r}, max_frames={max_frames!r}")
    d: dict = {"standing_height_cm": draw_standing_height_cm(rng)}
    style = _choice(rng, STYLE_SHARES)
    d["style"] = style
    d.update(_draw_style_kinematics(rng, style))
    # Jump-to-jump height variation: real skippers vary ~5-15 % (1 sigma).
    d["height_jitter_frac"] = round(float(rng.uniform(0.02, 0.12)), 3)
    d.update(_clean_posture(rng))
    # Stand before the first jump and after the last: phone clips start and stop
    # within about a second of the skipping.
    d["lead_in_s"] = round(float(rng.uniform(0.3, 1.5)), 2)
    d["end_stand_s"] = round(float(rng.uniform(0.3, 1.0)), 2)
    # Pauses (a breather, 0.5-3 s) in a quarter of the clips and a miss (the rope
    # catches the feet; the jumper stands 0.6-2 s, steps over and goes on) in a fifth.
    d["pauses"] = [[int(rng.integers(3, 40)), round(float(rng.uniform(0.5, 3.0)), 2)]] if rng.random() < 0.25 else []
    d["misses"] = [int(rng.integers(3, 40))] if rng.random() < 0.2 else []
    d["miss_stand_s"] = round(float(rng.uniform(0.6, 2.0)), 2)
    d["jump_overrides"] = []
    _fit_jumps(d, fps, max_frames, rng)
    # Faults.
    counts = list(N_FAULTS_P)
    k = counts[int(rng.choice(len(counts), p=np.array([N_FAULTS_P[c] for c in counts])))]
    rules = _rules_for(style)
    for rule in rng.choice(rules, size=min(k, len(rules)), replace=False):
        _apply_fault(rng, str(rule), d, fps)
    _check_budget(d, fps, max_frames)
    return d


def n_video_frames(d: dict, fps: float) -> int:
    """Video frames a motion dict needs at ``fps`` (validates the fields on the way)."""
    p = JumpParams.from_dict({**d, "fps": 30.0})  # duration does not depend on fps
    return int(math.floor(p.total_duration_s * fps)) + 1


def _check_budget(d: dict, fps: float, max_frames: int) -> None:
    n = n_video_frames(d, fps)
    while n > max_frames and d["n_jumps"] > 1:
        d["n_jumps"] -= 1
        d["jump_overrides"] = [o for o in d["jump_overrides"] if o["jump"] < d["n_jumps"]]
        d["pauses"] = [[i, s] for i, s in d["pauses"] if i < d["n_jumps"]]
        d["misses"] = [i for i in d["misses"] if i < d["n_jumps"]]
        n = n_video_frames(d, fps)
    if n > max_frames:
        raise ValueError(f"a clip of one jump needs {n} frames at {fps:g} fps; the budget is {max_frames}")
