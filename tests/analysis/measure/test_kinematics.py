import numpy as np
import pytest

from analysis.measure import kinematics
from analysis.pose.landmarks import N_LANDMARKS
from analysis.pose.landmarks import Landmark as L
from tests.fixtures.motion import make_motion


def test_joint_angle_known_answers():
    v = np.zeros((3, 2))
    a = np.array([[1, 0], [1, 0], [1, 0]], float)
    c = np.array([[0, 1], [-1, 0], [1, 1]], float)
    assert np.allclose(kinematics.joint_angle_deg(a, v, c), [90, 180, 45])


def test_joint_angle_3d_and_degenerate():
    a = np.array([[1.0, 0, 0]])
    v = np.zeros((1, 3))
    c = np.array([[0, 0, 2.0]])
    assert kinematics.joint_angle_deg(a, v, c)[0] == pytest.approx(90)
    assert np.isnan(kinematics.joint_angle_deg(v, v, c))[0]  # zero-length ray


def test_angle_table_uses_named_landmarks():
    pts = np.zeros((1, N_LANDMARKS, 3))
    pts[0, L.LEFT_HIP] = (0, -1, 0)
    pts[0, L.LEFT_KNEE] = (0, 0, 0)
    pts[0, L.LEFT_ANKLE] = (0, 1, 0)
    out = kinematics.angle_table(pts)
    assert out["knee_angle_deg_left"][0] == pytest.approx(180)
    assert set(out) == set(kinematics.ANGLE_TABLE)


def _metrics(**kw):
    m = make_motion(**kw)
    cm = np.full(len(m.pose), 100.0 / m.params.px_per_m)
    floor = np.full(len(m.pose), 40 + m.params.height_m * m.params.px_per_m * 1.05)
    return m, kinematics.frame_metrics(m.pose.xy_px, m.pose.world_m, cm, floor)


def test_every_metric_is_described():
    _, met = _metrics()
    assert set(met) == set(kinematics.METRICS)
    for info in kinematics.METRICS.values():
        assert info.source.split(" (")[0] in ("world 3D", "image 2D") and info.unit


def test_knee_angle_standing_and_touchdown():
    m, met = _metrics(knee_touchdown_deg=150.0, knee_dip_deg=0.0, n_jumps=4)
    assert np.nanmax(met["knee_angle_deg_left"]) == pytest.approx(176.0, abs=0.5)  # standing
    i = int(np.searchsorted(m.pose.t_s, m.landing_s[1]))
    assert met["knee_angle_deg_left"][i] == pytest.approx(150.0, abs=1.0)


@pytest.mark.parametrize("lean", [0.0, 10.0, 25.0])
def test_trunk_lean_side_view(lean):
    _, met = _metrics(view="side", trunk_lean_deg=lean, n_jumps=3)
    assert np.nanmedian(met["trunk_lean_deg"]) == pytest.approx(lean, abs=1.0)


def test_trunk_lean_undefined_without_facing_direction():
    _, met = _metrics(view="front", n_jumps=3)
    assert np.isnan(met["trunk_lean_deg"]).all()  # front view: no forward/backward in the image


def test_wrist_height_and_heel_toe():
    _, met = _metrics(view="side", hand_height_above_hip_m=0.10, n_jumps=3)
    assert np.nanmedian(met["wrist_above_hip_cm_left"]) == pytest.approx(10.0, abs=3.0)
    assert np.nanmedian(met["heel_above_toe_cm_left"]) == pytest.approx(3.0, abs=0.3)
    _, heel = _metrics(view="side", heel_landing=True, n_jumps=3)
    assert np.nanmedian(heel["heel_above_toe_cm_left"]) == pytest.approx(-3.0, abs=0.3)


def test_elbow_abduction():
    _, met = _metrics(elbow_abduction_deg=40.0, n_jumps=3)
    assert np.nanmedian(met["upper_arm_abduction_deg_left"]) == pytest.approx(40.0, abs=2.0)


def test_facing_sign():
    m = make_motion(view="side", n_jumps=2)
    assert kinematics.facing_sign(m.pose.xy_px) == 1.0
    flipped = m.pose.xy_px.copy()
    flipped[..., 0] *= -1
    assert kinematics.facing_sign(flipped) == -1.0
