"""Real MediaPipe BlazePose finds the drawn figure's joints where the truth says."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.pose.landmarks import Landmark as L
from synthetic.clip import build_scene
from synthetic.presets import small_params

LOWER = ("HIP", "KNEE", "ANKLE")


def _median_errors_px(scene) -> dict[str, float]:
    mp = pytest.importorskip("mediapipe")
    truth = np.array(scene.truth["frames"]["landmarks_px"])
    errs: dict[str, list[float]] = {}
    # model_complexity=1 ships inside the wheel (0 and 2 would download).
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False) as pose:
        for f, img in enumerate(scene.frames()):
            res = pose.process(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
            assert res.pose_landmarks is not None, f"no pose in frame {f}"
            det = np.array([[lm.x * scene.camera.width, lm.y * scene.camera.height]
                            for lm in res.pose_landmarks.landmark])
            for name in LOWER:
                for side in ("LEFT", "RIGHT"):
                    k = L[f"{side}_{name}"]
                    errs.setdefault(f"{side}_{name}", []).append(float(np.linalg.norm(det[k] - truth[f, k])))
    return {k: float(np.median(v)) for k, v in errs.items()}


@pytest.mark.slow
@pytest.mark.parametrize("yaw,near", [(0.0, ("LEFT", "RIGHT")), (90.0, ("LEFT",))])
def test_mediapipe_lower_body_within_15px(yaw: float, near: tuple[str, ...]) -> None:
    """720p, 4 jumps. In the side view only the near (left) leg is visible, so the far
    leg is hidden behind it and is not held to the bound."""
    sc = build_scene(small_params(resolution_p=720, camera_yaw_deg=yaw, n_jumps=4), seed=1)
    med = _median_errors_px(sc)
    for name in LOWER:
        for side in near:
            assert med[f"{side}_{name}"] <= 15.0, (f"{side}_{name}", med)


NEW_MOTIONS = {
    "high_knees": {"movement": "high_knees", "reps": 6}, "jogging": {"movement": "jogging", "reps": 6},
    "tuck_jumps": {"movement": "tuck_jumps", "reps": 2}, "skater": {"movement": "skater", "reps": 3},
    "jumping_jacks": {"movement": "jumping_jacks", "reps": 3}, "burpees": {"movement": "burpees", "reps": 1},
    "squats": {"movement": "squats", "reps": 2}, "hop_one_foot": {"movement": "hop_one_foot", "reps": 5},
    "boxing_footwork": {"movement": "boxing_footwork", "reps": 8},
    "boxer": {"style": "boxer", "n_jumps": 6, "cadence_jpm": 150.0, "boxer_switch_every": 1},
    "slowmo_4x": {"n_jumps": 2, "slowmo_factor": 4.0},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NEW_MOTIONS))
def test_mediapipe_finds_the_new_movements(name: str) -> None:
    """720p front view: the figure is found in >= 95 % of the frames and the hips, knees
    and ankles land within 15 px (median) of the truth. Measured (README): found in 100 %
    of frames for every movement; burpee plank frames are the hardest (hips ~21 px off
    in a front view, where the plank is foreshortened)."""
    from synthetic.mpcheck import landmark_errors_px

    pytest.importorskip("mediapipe")
    sc = build_scene(small_params(resolution_p=720, **NEW_MOTIONS[name]), seed=2)
    err, _ = landmark_errors_px(sc)
    found = ~np.isnan(err[:, 0])
    assert found.mean() >= 0.95, f"pose found in {found.mean():.0%} of frames"
    for joint in LOWER:
        med = float(np.nanmedian(err[:, [L[f"LEFT_{joint}"], L[f"RIGHT_{joint}"]]]))
        assert med <= 15.0, (joint, med)
