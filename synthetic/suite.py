"""Fixed, seeded suite of synthetic clips: ``python -m synthetic.suite OUTDIR [--quick]``.

Each clip is ``OUTDIR/NAME.mp4`` + ``OUTDIR/NAME.truth.json``; ``OUTDIR/suite.json``
lists them with their parameter hashes. A clip whose truth file already carries the same
``params_hash`` is skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from synthetic.clip import generate, truth_path
from synthetic.params import JumpParams


@dataclass(frozen=True)
class SuiteClip:
    name: str
    overrides: dict
    seed: int
    expected_faults: tuple[str, ...] = ()

    def params(self) -> JumpParams:
        return JumpParams.from_dict(dict(self.overrides))


_Q = {"resolution_p": 360, "lead_in_s": 0.5, "end_stand_s": 0.4}
SIDE, OBL = {"camera_yaw_deg": 90.0}, {"camera_yaw_deg": 45.0}

QUICK: tuple[SuiteClip, ...] = (
    SuiteClip("q_clean_front", {**_Q, "n_jumps": 7}, 101),
    SuiteClip("q_clean_side_60", {**_Q, **SIDE, "n_jumps": 7, "fps": 60.0}, 102),
    SuiteClip("q_alternate_oblique", {**_Q, **OBL, "style": "alternate", "cadence_jpm": 150.0,
                                      "jump_height_cm": 8.0, "n_jumps": 8}, 103),
    SuiteClip("q_double_under_side_60", {**_Q, **SIDE, "style": "double_under", "cadence_jpm": 75.0,
                                         "jump_height_cm": 16.0, "n_jumps": 4, "fps": 60.0}, 104),
    SuiteClip("q_faults_side", {**_Q, **SIDE, "n_jumps": 7, "trunk_lean_deg": 16.0, "landing": "heel",
                                "knee_touchdown_deg": 178.0, "knee_flex_depth_deg": 6.0},
              105, ("posture.trunk_upright", "landing.balls_of_feet", "landing.knees_soft")),
    SuiteClip("q_arms_front", {**_Q, "n_jumps": 7, "elbow_abduction_deg": 45.0, "hand_height_cm": 22.0,
                               "turning": "shoulder"},
              106, ("arms.elbows_in", "arms.hands_hip_height", "arms.wrist_rotation")),
)

FULL: tuple[SuiteClip, ...] = (
    SuiteClip("clean_front_30", {"n_jumps": 12}, 1),
    SuiteClip("clean_side_60", {**SIDE, "n_jumps": 12, "fps": 60.0}, 2),
    SuiteClip("clean_oblique_24", {**OBL, "n_jumps": 12, "fps": 24.0}, 3),
    SuiteClip("clean_front_120", {"n_jumps": 8, "fps": 120.0}, 4),
    SuiteClip("clean_side_portrait_30", {**SIDE, "aspect": "portrait", "n_jumps": 10}, 5),
    SuiteClip("clean_front_portrait_phone_60", {"aspect": "portrait", "fps": 60.0, "n_jumps": 10,
                                                "camera_distance_m": 3.0, "shake_px": 2.5, "noise_sigma": 4.0,
                                                "blur_sigma_px": 1.0, "background": "noise",
                                                "standing_height_cm": 155.0}, 6),
    SuiteClip("alternate_front_30", {"style": "alternate", "cadence_jpm": 150.0, "jump_height_cm": 8.0,
                                     "n_jumps": 14}, 7),
    SuiteClip("alternate_side_60", {**SIDE, "style": "alternate", "cadence_jpm": 160.0, "jump_height_cm": 7.0,
                                    "n_jumps": 14, "fps": 60.0}, 8),
    SuiteClip("double_under_front_60", {"style": "double_under", "cadence_jpm": 75.0, "jump_height_cm": 16.0,
                                        "n_jumps": 8, "fps": 60.0}, 9),
    SuiteClip("double_under_oblique_30", {**OBL, "style": "double_under", "cadence_jpm": 70.0,
                                          "jump_height_cm": 20.0, "n_jumps": 8}, 10),
    SuiteClip("fault_trunk_lean_side_30", {**SIDE, "trunk_lean_deg": 16.0, "n_jumps": 10}, 11,
              ("posture.trunk_upright",)),
    SuiteClip("fault_head_forward_side_60", {**SIDE, "head_forward_cm": 9.0, "n_jumps": 10, "fps": 60.0}, 12,
              ("posture.head_forward",)),
    # Rounded shoulders alone do not change the neck angle the analysis's "shoulders back"
    # check measures (truth since RENDER_VERSION 2 uses the analysis's measures): no fault.
    SuiteClip("fault_shoulders_side_30", {**SIDE, "shoulders_forward_cm": 6.0, "n_jumps": 10}, 13),
    SuiteClip("fault_heel_landing_side_60", {**SIDE, "landing": "heel", "n_jumps": 10, "fps": 60.0}, 14,
              ("landing.balls_of_feet",)),
    SuiteClip("fault_locked_knees_side_30", {**SIDE, "knee_touchdown_deg": 178.0, "knee_flex_depth_deg": 6.0,
                                             "n_jumps": 10}, 15, ("landing.knees_soft",)),
    SuiteClip("fault_jump_height_front_30", {"jump_height_cm": 10.0, "cadence_jpm": 100.0, "n_jumps": 10}, 16,
              ("landing.jump_height",)),
    SuiteClip("fault_feet_apart_front_60", {"lr_touchdown_offset_s": 0.07, "n_jumps": 10, "fps": 60.0,
                                            "cadence_jpm": 110.0, "jump_height_cm": 4.0}, 17,
              ("landing.feet_together",)),
    SuiteClip("fault_elbows_out_front_30", {"elbow_abduction_deg": 45.0, "n_jumps": 10}, 18,
              ("arms.elbows_in",)),
    SuiteClip("fault_hands_high_front_60", {"hand_height_cm": 25.0, "n_jumps": 10, "fps": 60.0}, 19,
              ("arms.hands_hip_height",)),
    # The hands cannot reach 22 cm below the hip joints with an upright trunk (the
    # wrist hangs ~0.045 H below them with the arm straight): the figure's wrists stop
    # ~6 cm below, inside the limit, so no fault.
    SuiteClip("fault_hands_low_oblique_30", {**OBL, "hand_height_cm": -22.0, "n_jumps": 10}, 20),
    SuiteClip("fault_shoulder_turning_front_30", {"turning": "shoulder", "n_jumps": 10}, 21,
              ("arms.wrist_rotation",)),
    SuiteClip("fault_trunk_sway_side_30", {**SIDE, "trunk_sway_deg": 7.0, "n_jumps": 12}, 22,
              ("core.trunk_steady",)),
    SuiteClip("partial_faults_front_30", {"n_jumps": 14, "jump_overrides": [
        {"jump": 4, "knee_touchdown_deg": 178.0}, {"jump": 5, "knee_touchdown_deg": 178.0},
        {"jump": 6, "knee_touchdown_deg": 179.0}, {"jump": 10, "height_cm": 9.0},
        {"jump": 12, "landing": "heel"}]}, 27,
              ("landing.knees_soft", "landing.jump_height", "landing.balls_of_feet")),
    SuiteClip("pauses_misses_front_30", {"n_jumps": 14, "pauses": [[5, 1.5]], "misses": [10]}, 23),
    SuiteClip("multi_fault_oblique_24", {**OBL, "fps": 24.0, "trunk_lean_deg": 14.0, "landing": "heel",
                                         "knee_touchdown_deg": 178.0, "knee_flex_depth_deg": 5.0,
                                         "elbow_abduction_deg": 40.0, "n_jumps": 10}, 24,
              ("posture.trunk_upright", "landing.balls_of_feet", "landing.knees_soft", "arms.elbows_in")),
    SuiteClip("loud_landings_music_side_30", {**SIDE, "n_jumps": 10, "loud_landings": [2, 6], "music": True,
                                              "audio_noise_dbfs": -50.0}, 25),
    SuiteClip("gym_tall_front_120", {"fps": 120.0, "n_jumps": 8, "background": "gym",
                                     "standing_height_cm": 190.0, "brightness": 0.8, "trousers": True}, 26),
    # Added with RENDER_VERSION 2: a hunched head and neck (neck flexion ~50 deg).
    SuiteClip("fault_hunched_side_30", {**SIDE, "head_forward_cm": 25.0, "n_jumps": 10}, 28,
              ("posture.head_forward", "posture.shoulders_back")),
)


def clips(quick: bool) -> tuple[SuiteClip, ...]:
    return QUICK if quick else QUICK + FULL


def _is_current(out: Path, h: str) -> bool:
    tp = truth_path(out)
    if not (out.exists() and tp.exists()):
        return False
    try:
        return json.loads(tp.read_text()).get("params_hash") == h
    except (OSError, json.JSONDecodeError):
        return False


def run_suite(outdir: Path, quick: bool = False, verbose: bool = True) -> list[dict]:
    """Generate (or reuse) every clip of the suite; returns the index entries."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    index = []
    for clip in clips(quick):
        p = clip.params()
        h = p.params_hash(clip.seed)
        out = outdir / f"{clip.name}.mp4"
        t0 = time.time()
        status = "kept"
        if not _is_current(out, h):
            generate(p, out, seed=clip.seed)
            status = "made"
        if verbose:
            print(f"{status} {out} ({time.time() - t0:.1f} s)", flush=True)
        index.append({"name": clip.name, "video": out.name, "truth": truth_path(out).name, "seed": clip.seed,
                      "params_hash": h, "view": p.view, "style": p.style, "fps": p.fps,
                      "expected_faults": list(clip.expected_faults)})
    (outdir / "suite.json").write_text(json.dumps({"quick": quick, "clips": index}, indent=1))
    return index


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthetic.suite", description="Generate the synthetic clip suite.")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--quick", action="store_true", help="only the ~6 short CI clips")
    args = ap.parse_args(argv)
    run_suite(args.outdir, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
