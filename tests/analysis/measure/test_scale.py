import numpy as np
import pytest

from analysis.measure import scale
from tests.fixtures.motion import make_motion


def test_scale_recovers_known_px_per_cm():
    m = make_motion(px_per_m=300.0)
    sc, cm, floor = scale.estimate_scale(m.pose.xy_px, m.params.fps, 170.0)
    assert sc.cm_per_px == pytest.approx(100 / 300.0, rel=0.03)
    assert sc.height_was_given
    assert np.allclose(cm, sc.cm_per_px, rtol=0.05)
    assert floor.shape == (len(m.pose),)


def test_default_height_has_larger_uncertainty():
    m = make_motion()
    given, _, _ = scale.estimate_scale(m.pose.xy_px, m.params.fps, 170.0)
    default, _, _ = scale.estimate_scale(m.pose.xy_px, m.params.fps, None)
    assert default.standing_height_cm == scale.DEFAULT_STANDING_HEIGHT_CM
    assert default.relative_uncertainty > given.relative_uncertainty
    assert default.relative_uncertainty == pytest.approx(10 / 170, abs=0.02)


def test_scale_follows_a_jumper_moving_toward_the_camera():
    m = make_motion(n_jumps=20)
    xy = m.pose.xy_px.copy()
    grow = np.linspace(1.0, 1.3, len(xy))[:, None, None]
    xy = xy * grow  # the body grows 30% in the image over the clip
    _, cm, _ = scale.estimate_scale(xy, m.params.fps, 170.0)
    assert cm[-1] < cm[0] * 0.85


def test_bad_height_rejected():
    m = make_motion(n_jumps=2)
    with pytest.raises(ValueError, match="50-250 cm"):
        scale.estimate_scale(m.pose.xy_px, 60.0, 20.0)


def test_no_feet_gives_nan_scale():
    m = make_motion(n_jumps=2)
    xy = np.full_like(m.pose.xy_px, np.nan)
    sc, cm, _ = scale.estimate_scale(xy, 60.0, 170.0)
    assert np.isnan(sc.cm_per_px) and sc.frames_used == 0
