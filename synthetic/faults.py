"""Which technique rules the drawn figure breaks, measured on the figure itself.

Every rule is judged the way the analysis judges it (``analysis/rules/*``), with the
analysis's own thresholds read from ``analysis/config.py`` (never copied here), but on
the exact 3D figure instead of on MediaPipe's landmarks:

* one value per jump over the jump's cycle (take-off to the next take-off within a run;
  the last jump of a run: its landing plus its flight length), as ``Ctx.cycles``;
* a jump fails when its value is beyond the threshold; the clip fails the rule when at
  least ``rule_fault_share`` of the jumps the rule applies to fail (one stray jump is
  not a habit);
* a jump is **borderline** when moving its value by the rule's margin toward or away
  from the threshold changes its verdict; the clip is borderline when doing that for
  every jump changes the clip's verdict. Each margin is the measurement resolution the
  analysis can hope for on that quantity (reasons in ``MARGINS``), so a benchmark can
  forgive disagreements inside it.

Quantities the analysis measures in the image are taken here in the plane the rule is
meant to be seen in: sagittal (side view) for lean, neck, head and turning; frontal
for hands outside the hips; 3D for the upper-arm angle (the analysis uses the world
landmarks outside side views).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.config import THRESHOLDS
from synthetic.body import BodyDims, Skeleton
from synthetic.motion import _jump_pitch

Array = np.ndarray


def threshold(key: str) -> float:
    """The analysis's threshold ``key`` (a field of ``analysis.config.THRESHOLDS``), its value."""
    return float(getattr(THRESHOLDS, key).value)


#: Renderer fault name -> the analysis rule it is scored against.
ANALYSIS_RULE = {
    "posture.trunk_upright": "posture.trunk_upright",
    "posture.head_forward": "posture.eyes_forward",
    "posture.shoulders_back": "posture.shoulders_back",
    "landing.balls_of_feet": "landing.balls_of_feet",
    "landing.knees_soft": "landing.knees_soft",
    "landing.jump_height": "landing.jump_height",
    "landing.feet_together": "landing.feet_together",
    "arms.elbows_in": "arms.elbows_in",
    "arms.hands_hip_height": "arms.hands_hip_height",
    "arms.wrist_rotation": "arms.wrist_rotation",
    "core.trunk_steady": "core.trunk_steady",
}
RULES = tuple(ANALYSIS_RULE)

#: Borderline margins: (margin, reason). Figures in px refer to the README's MediaPipe
#: check on the drawn figure at 720p (figure ~500 px tall, ~0.34 cm/px): median landmark
#: errors of 4-9 px on shoulders, hips, knees, ankles and wrists, 6-22 px on heels and toes.
MARGINS: dict[str, tuple[float, str]] = {
    "trunk_lean_max_deg": (3.0, "a 6 px error at each end of a ~145 px trunk turns it by ~3 deg"),
    "head_forward_max_cm": (2.0, "ear and shoulder landmarks each ~5 px (~1.7 cm) off"),
    "head_pitch_max_deg": (6.0, "nose-to-ear distance is only ~0.07 H (~35 px): 4 px is ~6 deg"),
    "neck_flexion_max_deg": (6.0, "shoulder-to-ear segment is only 0.112 H (~56 px): 6 px is ~6 deg"),
    "heel_above_toe_min_cm": (2.0, "heel and toe landmarks 6-22 px off (2-7 cm); 2 cm is the best case"),
    "knee_locked_deg": (5.0, ("knee angle at touchdown: the suite's measured knee MAE is 1-7 deg, and one "
                              "frame of timing error moves the knee by several degrees at 30 fps")),
    "jump_height_max_cm": (1.0, ("the height target of bench/accuracy.py (MAE 1 cm at 60 fps; the apex is "
                                 "sampled within half a frame: < 0.2 cm at 30 fps)")),
    "touchdown_gap_max_s": (0.0, "one video frame (set per clip): each foot's touchdown is timed to a frame"),
    "foot_height_diff_max_cm": (2.0, "two foot clearances, each ~1 cm uncertain"),
    "upper_arm_abduction_max_deg": (5.0, "elbow landmark 4-13 px off on a ~93 px upper arm: ~4-5 deg"),
    "wrist_out_max_cm": (3.0, "wrist and hip landmarks 5-9 px off: ~3 cm"),
    "hands_above_hip_max_cm": (3.0, "wrist and hip landmarks 5-9 px off: ~3 cm"),
    "hands_below_hip_max_cm": (3.0, "wrist and hip landmarks 5-9 px off: ~3 cm"),
    "elbow_to_wrist_travel_max": (0.10, ("elbow and wrist travels of ~50-75 px (side view, 720p) measured with "
                                         "~5 px landmark jitter: ~0.08 on their ratio")),
    "trunk_sway_max_deg": (3.0, "as the trunk lean: ~3 deg per frame, on a range of two frames' angles"),
}


@dataclass(frozen=True)
class Criterion:
    """One comparison of a rule: ``values`` (per jump) against ``threshold_key``.

    ``worse`` is "high" (values above the threshold fail) or "low" (below fails);
    ``inclusive`` makes the threshold itself fail (the analysis's ``>=`` rules)."""

    threshold_key: str
    values: Array
    worse: str = "high"
    inclusive: bool = False
    threshold: float | None = None  # overrides THRESHOLDS.<threshold_key> (e.g. per-fps limits)
    margin: float | None = None

    @property
    def thr(self) -> float:
        return threshold(self.threshold_key) if self.threshold is None else float(self.threshold)

    @property
    def marg(self) -> float:
        return float(MARGINS[self.threshold_key][0] if self.margin is None else self.margin)

    def fails(self, shift: float = 0.0) -> Array:
        """Per-jump verdict with every value moved by ``shift`` margins toward "worse"."""
        v = self.values + shift * self.marg * (1.0 if self.worse == "high" else -1.0)
        with np.errstate(invalid="ignore"):
            if self.worse == "high":
                return (v >= self.thr) if self.inclusive else (v > self.thr)
            return (v <= self.thr) if self.inclusive else (v < self.thr)


def _cycles(jumps: list[dict], new_run: set[int], n_frames: int) -> list[tuple[int, int]]:
    """Frames [a, b) of each jump's cycle, as the analysis's ``Ctx.cycles``."""
    out = []
    for i, j in enumerate(jumps):
        a = j["takeoff_frame"]
        if i + 1 < len(jumps) and (i + 1) not in new_run:
            b = jumps[i + 1]["takeoff_frame"]
        else:
            b = j["landing_frame"] + max(1, j["landing_frame"] - j["takeoff_frame"])
        out.append((int(a), int(min(max(b, a + 1), n_frames))))
    return out


def _per_cycle(x: Array, cycles: list[tuple[int, int]], fn=np.median) -> Array:
    return np.array([fn(x[a:b]) if b > a else np.nan for a, b in cycles], float)


def _travel(rel: Array) -> float:
    """Size of the 5-95 % box of a 2D path (as analysis.rules.arms._travel)."""
    if len(rel) < 3:
        return float("nan")
    return float(np.hypot(*(np.percentile(rel, 95, axis=0) - np.percentile(rel, 5, axis=0))))


def measure_rules(p, dims: BodyDims, sk: Skeleton, motion, frames: dict, jumps: list[dict]) -> dict[str, dict]:
    """Every rule's truth on this clip: per-jump values and verdicts, the clip verdict,
    the threshold and whether it is borderline (see the module docstring)."""
    n = len(frames["t_s"])
    evs = motion.timeline.jumps
    new_run = {i for i, _ in p.pauses} | set(p.misses)
    cyc = _cycles(jumps, new_run, n)
    J = sk.joints
    A = {k: np.asarray(v, float) for k, v in frames.items() if k not in ("phase", "landmarks_px")}
    styles = [ev.style for ev in evs]
    both = np.array([j["foot"] == "both" for j in jumps], bool)
    two_foot = np.array([s == "two_foot" for s in styles], bool)
    all_j = np.ones(len(jumps), bool)
    fps_video = float(p.fps)
    factor = float(p.slowmo_factor)

    def stat(key: str, fn=np.median) -> Array:
        return _per_cycle(A[key], cyc, fn)

    # Landing: exact values at the touchdown instant.
    pitch_td = np.array([_touchdown_pitch(ev) for ev in evs], float)
    heel_td = 100.0 * dims.foot_length_m * np.sin(np.radians(pitch_td))
    knee_td = np.array([ev.knee_touchdown_deg for ev in evs], float)
    kmax = np.fmax(A["knee_angle_deg_left"], A["knee_angle_deg_right"])
    lowest = np.array([np.min(kmax[j["landing_frame"]:b]) if b > j["landing_frame"] else np.nan
                       for j, (_, b) in zip(jumps, cyc)], float)
    gap_s = np.array([ev.touchdown_gap_s for ev in evs], float)
    gap_thr = max(threshold("touchdown_gap_max_s"), threshold("touchdown_gap_min_frames") / (fps_video * factor))
    # Turning: elbow travel over wrist travel around the shoulder, in the trunk's own
    # sagittal plane (the analysis measures in the image, which agrees while the trunk is
    # steady; a swaying trunk swings the elbows without any turning from the shoulders,
    # and that is core.trunk_steady's fault, not this one).
    up = J["mid_shoulder"] - J["mid_hip"]
    up = up / np.linalg.norm(up, axis=1, keepdims=True)
    fwd = np.cross(np.array([1.0, 0.0, 0.0]), up)
    fwd = fwd / np.linalg.norm(fwd, axis=1, keepdims=True)

    def trunk_plane(v: Array) -> Array:
        return np.stack([np.sum(v * fwd, axis=1), np.sum(v * up, axis=1)], axis=1)

    ratio = np.full(len(jumps), np.nan)
    for i, (a, b) in enumerate(cyc):
        rs = []
        for s in ("left", "right"):
            sh = J[f"{s}_shoulder"]
            te = _travel(trunk_plane(J[f"{s}_elbow"] - sh)[a:b])
            tw = _travel(trunk_plane(J[f"{s}_wrist"] - sh)[a:b])
            if np.isfinite(te) and np.isfinite(tw) and tw > 0.002:  # 2 mm ~ the analysis's 1 px
                rs.append(te / tw)
        if rs:
            ratio[i] = max(rs)
    hands = (stat("wrist_height_above_hip_cm_left") + stat("wrist_height_above_hip_cm_right")) / 2.0
    sway = np.fmax(stat("trunk_lean_deg", np.ptp), stat("trunk_side_tilt_deg", np.ptp))

    rules: dict[str, tuple[list[Criterion], Array]] = {
        "posture.trunk_upright": ([Criterion("trunk_lean_max_deg", stat("trunk_lean_deg"))], all_j),
        "posture.head_forward": ([Criterion("head_forward_max_cm", stat("head_forward_cm")),
                                  Criterion("head_pitch_max_deg", stat("head_pitch_deg"))], all_j),
        "posture.shoulders_back": ([Criterion("neck_flexion_max_deg", stat("neck_flexion_deg"))], all_j),
        "landing.balls_of_feet": ([Criterion("heel_above_toe_min_cm", heel_td, worse="low")], all_j),
        "landing.knees_soft": ([Criterion("knee_locked_deg", knee_td, inclusive=True),
                                Criterion("knee_locked_deg", lowest, inclusive=True)], all_j),
        "landing.jump_height": ([Criterion("jump_height_max_cm", np.array([j["height_cm"] for j in jumps], float))],
                                two_foot & both),
        "landing.feet_together": ([Criterion("touchdown_gap_max_s", gap_s, threshold=gap_thr,
                                             margin=1.0 / (fps_video * factor))], both),
        "arms.elbows_in": ([Criterion("upper_arm_abduction_max_deg",
                                      np.fmax(stat("upper_arm_trunk_angle_deg_left"),
                                              stat("upper_arm_trunk_angle_deg_right"))),
                            Criterion("wrist_out_max_cm",
                                      np.fmax(stat("wrist_out_cm_left"), stat("wrist_out_cm_right")))],
                           all_j),
        "arms.hands_hip_height": ([Criterion("hands_above_hip_max_cm", hands),
                                   Criterion("hands_below_hip_max_cm", hands, worse="low",
                                             threshold=-threshold("hands_below_hip_max_cm"))], all_j),
        "arms.wrist_rotation": ([Criterion("elbow_to_wrist_travel_max", ratio)], all_j),
        "core.trunk_steady": ([Criterion("trunk_sway_max_deg", sway)], all_j),
    }
    share_min = threshold("rule_fault_share")
    out: dict[str, dict] = {}
    for rule, (crit, applies) in rules.items():
        applies = applies & np.all([np.isfinite(c.values) for c in crit], axis=0) if len(jumps) else applies

        now, hi, lo = (_verdict(crit, applies, shift) for shift in (0.0, 1.0, -1.0))
        k = int(applies.sum())
        share = float(now.sum() / k) if k else float("nan")
        clip = bool(k and share >= share_min)
        clip_hi = bool(k and hi.sum() / k >= share_min)
        clip_lo = bool(k and lo.sum() / k >= share_min)
        main = crit[0]
        vals = main.values[applies]
        faulty = [int(i) for i in np.flatnonzero(now)]
        out[rule] = {
            "analysis_rule": ANALYSIS_RULE[rule],
            "threshold_key": main.threshold_key,
            "threshold": round(main.thr, 9),
            "comparison": f"{'>=' if main.inclusive else '>' if main.worse == 'high' else '<'} {main.thr:g}",
            "margin": round(main.marg, 9),
            "margin_reason": MARGINS[main.threshold_key][1],
            "other_criteria": [{"threshold_key": c.threshold_key, "threshold": round(c.thr, 9),
                                "worse": c.worse, "margin": round(c.marg, 9)} for c in crit[1:]],
            "applies": bool(k),
            "value": round(float(np.median(vals)), 4) if vals.size else None,
            "jump_values": [None if not (a and np.isfinite(v)) else round(float(v), 4)
                            for v, a in zip(main.values, applies)],
            "jump_faults": [bool(x) for x in now],
            "jump_borderline": [bool(x) for x in (hi != lo)],
            "share": None if not k else round(share, 4),
            "fault": clip,
            "borderline": clip_hi != clip_lo,
            "jumps": faulty,
            "frames": [[cyc[i][0], cyc[i][1]] for i in faulty],
        }
    return out


def _verdict(crit: list[Criterion], applies: Array, shift: float) -> Array:
    """Per-jump fault: any criterion beyond its threshold (values moved ``shift`` margins)."""
    f = np.zeros(len(applies), bool)
    for c in crit:
        f |= c.fails(shift)
    return f & applies


def _touchdown_pitch(ev) -> float:
    return _jump_pitch(ev)[0]


def faults_list(rule_truth: dict[str, dict], start: int, end: int) -> list[dict]:
    """The ``faults`` list of the truth: every rule with at least one faulty jump."""
    out = []
    for rule, r in rule_truth.items():
        if not r["jumps"]:
            continue
        vals = [r["jump_values"][i] for i in r["jumps"] if r["jump_values"][i] is not None]
        out.append({
            "rule": rule, "analysis_rule": r["analysis_rule"],
            "start_frame": int(r["frames"][0][0]) if r["frames"] else start,
            "end_frame": int(r["frames"][-1][1] - 1) if r["frames"] else end,
            "jumps": r["jumps"], "frames": r["frames"],
            "value": round(float(np.median(vals)), 3) if vals else None,
            "threshold": r["threshold"], "threshold_key": r["threshold_key"],
            "clip_fault": r["fault"], "share": r["share"], "borderline": r["borderline"],
        })
    return out
