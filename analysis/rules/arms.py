"""Arms: elbows close to the sides, hands at hip height, turning from the wrists."""

from __future__ import annotations

import warnings

import numpy as np

from ..config import MEASUREMENT_ERRORS as E
from ..config import THRESHOLDS as T
from ..measure.kinematics import midpoint
from ..pose.landmarks import Landmark as L
from .base import Limit, Measured, Rule, grade, graded
from .context import Ctx

ELBOW_OUT = Limit(T.upper_arm_abduction_max_deg, ">", "upper arm from the trunk")
HANDS_WIDE = Limit(T.wrist_out_max_cm, ">", "hands outside the hips")
HANDS_HIGH = Limit(T.hands_above_hip_max_cm, ">", "hands above the hips")
HANDS_LOW = Limit(T.hands_below_hip_max_cm, ">", "hands below the hips")
SHOULDER_TURNING = Limit(T.elbow_to_wrist_travel_max, ">", "elbow travel / wrist travel")


#: How far the hands can be ahead of the hips: a forearm's length (0.146 of stature,
#: Drillis & Contini; 25 cm of a 170 cm stature), the elbows at the sides and the forearms
#: pointing forward. Seen from off the front, a hand that far ahead shows sideways by that
#: length times the sine of the yaw, which one hand alone cannot tell from a hand held wide.
HAND_AHEAD_MAX_CM = 25.0


def _elbows(c: Ctx) -> Measured:
    """The upper arm's angle from the trunk axis in the image, stretched back for the yaw
    (elbows move out in the left-right plane), and the hands' distance outside the hips (a
    left-right length, corrected likewise). The image, not the pose model's 3D landmarks:
    on the synthetic development seeds the 3D angle read 10-18 deg wide facing the camera
    and from behind, the image angle within a few degrees (``bench/calibrate.py``).

    The hands are read from both together where both are seen: off the front, a hand held
    ahead of the hips shows sideways by its forward reach times sin(yaw), outward on one
    side and inward on the other, so only the two sides' mean is free of it (development
    seeds, oblique views: hands 10-19 cm outside the hips read 21-46 cm on the wider side).
    A hand held out on one side alone reads half as wide in the mean. A hand seen alone
    carries the reach it cannot tell from width in its uncertainty (``HAND_AHEAD_MAX_CM``).
    The elbows stay near the trunk's plane, so each arm is read on its own (the two arms'
    mean read the development seeds' spread 1.5-2 deg narrower and no closer)."""
    xy = c.xy_px
    axis = midpoint(xy, L.LEFT_HIP, L.RIGHT_HIP) - midpoint(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    per_side, yaw_parts = [], []
    for sh, el in ((L.LEFT_SHOULDER, L.LEFT_ELBOW), (L.RIGHT_SHOULDER, L.RIGHT_ELBOW)):
        u = xy[:, el] - xy[:, sh]
        per_side.append(c.plane_angle(u, axis, "frontal"))
        yaw_parts.append(c.plane_angle_yaw_sigma(u, axis, "frontal"))
    per_frame = np.fmax(per_side[0], per_side[1])
    ab = c.cycle_values(per_frame)
    yaw_ab = c.cycle_values(np.fmax(yaw_parts[0], yaw_parts[1]))
    s_ab = np.sqrt(
        E.upper_arm_abduction_deg.value**2
        + np.nan_to_num(c.cycle_values_noise(per_frame)) ** 2
        + np.nan_to_num(yaw_ab) ** 2
    )
    left, right = c.cycle_stat("wrist_out_cm_left"), c.cycle_stat("wrist_out_cm_right")
    both = np.isfinite(left) & np.isfinite(right)
    out, yaw_part = c.projected(np.where(both, 0.5 * (left + right), np.fmax(left, right)), "frontal", "length")
    yaw = c.view_angle.yaw_deg if np.isfinite(c.view_angle.yaw_deg) else 0.0
    ahead = np.where(both, 0.0, 0.5 * HAND_AHEAD_MAX_CM * abs(np.tan(np.radians(yaw))))
    rel = c.scale_rel_uncertainty if np.isfinite(c.scale_rel_uncertainty) else 0.0
    s_out = np.sqrt(E.wrist_out_cm.value**2 + yaw_part**2 + ahead**2 + (np.abs(out) * rel) ** 2)
    faults, borderline = graded([grade(ELBOW_OUT, ab, s_ab), grade(HANDS_WIDE, out, s_out)])
    return Measured(ab, faults, c.cycle_argworst(per_frame), sigma=s_ab, borderline=borderline)


def _hands(c: Ctx) -> Measured:
    """The wrists' height against the hips: a vertical length, the same from every direction.

    Both handles are turned at one height, so in a cycle where one wrist is hidden (the far
    hand in a side view, a hand in front of the chest) the other alone gives it, with the
    model error of one wrist (the calibrated error is that of the two wrists' mean: sqrt(2)
    times it). Where both are seen, the mean of their cycle medians, as before."""
    left, right = c.metrics["wrist_above_hip_cm_left"], c.metrics["wrist_above_hip_cm_right"]
    both = (c.cycle_values(left) + c.cycle_values(right)) / 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with neither wrist: NaN
        per_frame = np.nanmean(np.stack([left, right]), axis=0)
    one_wrist = ~np.isfinite(both)
    h = np.where(one_wrist, c.cycle_values(per_frame), both)
    rel = c.scale_rel_uncertainty if np.isfinite(c.scale_rel_uncertainty) else 0.0
    noise = np.nan_to_num(np.where(one_wrist, c.cycle_values_noise(per_frame), c.cycle_values_noise(left)))
    model = E.hands_height_cm.value * np.where(one_wrist, np.sqrt(2.0), 1.0)
    s = np.sqrt(model**2 + noise**2 + (np.abs(h) * rel) ** 2)
    faults, borderline = graded([grade(HANDS_HIGH, h, s), grade(HANDS_LOW, -h, s)])
    return Measured(h, faults, c.cycle_argworst(np.abs(per_frame)), sigma=s, borderline=borderline)


def _travel(c: Ctx, joint: L, shoulder: L) -> np.ndarray:
    """[n_jumps] how far (px) a joint travels around the shoulder over each cycle: the
    diagonal of the 5th-95th percentile box of its position relative to the shoulder."""
    rel = c.cycle_segments(c.xy_px[:, joint] - c.xy_px[:, shoulder])  # [n, W, 2]
    rel[~np.isfinite(rel).all(axis=2)] = np.nan
    box = c.segment_percentile(rel, 95) - c.segment_percentile(rel, 5)
    travel = np.hypot(box[:, 0], box[:, 1])
    travel[np.isfinite(rel[:, :, 0]).sum(axis=1) < 3] = np.nan
    return travel


#: Why the ratio is measured and shown but not judged: on the randomised suite's v3
#: development seeds (1000-1109, 28 clips where the rule applies and the view shows it), clips
#: turning from the wrists (true ratio 0) read 0.17-0.64 and the two turning from the shoulders
#: (true 0.48 and 0.75) read 0.51 and 0.63: the pose model moves the elbow with the wrist, and
#: the readings of the two kinds overlap around the 0.6 limit. ``bench.calibrate`` gives a bias
#: of +0.40 and an RMS of 0.47 against a 0.10 model error (12 % of jumps within 2 sigma); the
#: error that would cover them (0.38) leaves no reachable fault, as the ratio tops out near 1.
WRIST_TURNING_UNREADABLE = (
    "the pose model moves the elbow with the wrist, so turning from the wrists and from the shoulders give "
    "overlapping readings (the elbow-to-wrist travel ratio is shown, not judged)"
)


def _wrists(c: Ctx) -> Measured:
    """Elbow travel against wrist travel around the shoulder over each jump cycle: measured
    and shown, not judged (``WRIST_TURNING_UNREADABLE``)."""
    ratios = []
    for el, wr, sh in (
        (L.LEFT_ELBOW, L.LEFT_WRIST, L.LEFT_SHOULDER),
        (L.RIGHT_ELBOW, L.RIGHT_WRIST, L.RIGHT_SHOULDER),
    ):
        te, tw = _travel(c, el, sh), _travel(c, wr, sh)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios.append(np.where(np.isfinite(te) & np.isfinite(tw) & (tw > 1.0), te / tw, np.nan))
    ratio = np.fmax(ratios[0], ratios[1])
    frames = np.array([a for a, _ in c.cycles()], int)
    s = np.full(c.n, E.wrist_travel_ratio.value)
    no = np.zeros(c.n, bool)
    return Measured(ratio, no, frames, sigma=s, borderline=no, jump_na=[WRIST_TURNING_UNREADABLE] * c.n)


RULES = [
    Rule(
        id="arms.elbows_in",
        area="arms",
        title="Elbows close to the sides",
        advice="Keep your elbows brushing your ribs and your hands just outside your hips.",
        limits=(ELBOW_OUT, HANDS_WIDE),
        plane="frontal",
        measure=_elbows,
    ),
    Rule(
        id="arms.hands_hip_height",
        area="arms",
        title="Hands at about hip height",
        advice="Hold the handles level with your hip bones, a little in front of you.",
        limits=(HANDS_HIGH, HANDS_LOW),
        plane="any",
        measure=_hands,
    ),
    Rule(
        id="arms.wrist_rotation",
        area="arms",
        title="Turn the rope from the wrists, not the shoulders",
        advice="Make small circles with your wrists and keep your upper arms still.",
        limits=(SHOULDER_TURNING,),
        # The rope turns in the body's forward-backward plane: a front camera sees those
        # circles edge-on (measured on the synthetic suite: clean and shoulder-driven
        # turning give the same ratio in a front view, in 2D and in MediaPipe's 3D).
        plane="sagittal",
        measure=_wrists,
    ),
]
