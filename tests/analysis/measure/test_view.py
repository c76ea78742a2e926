"""Feet in the frame (``measure.view.feet_visible``): made-up landmarks, answers known."""

import numpy as np

from analysis.measure.view import FEET_EDGE_MARGIN_FRAC, feet_visible
from analysis.pose.landmarks import Landmark as L

W, H, STATURE_PX, FPS = 640, 480, 400.0, 30.0
FOOT = (L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)


def _hopping_feet(floor_y: float, hop_px: float = 0.0, n: int = 90) -> tuple[np.ndarray, np.ndarray]:
    """Three seconds of feet standing on ``floor_y`` (their lowest point), hopping ``hop_px``
    off it twice a second; the ankles 10 px above the sole."""
    lift = hop_px * np.clip(np.sin(2 * np.pi * 2.0 * np.arange(n) / FPS), 0.0, None)
    xy = np.full((n, 33, 2), 200.0)
    for k in FOOT:
        xy[:, k, 0] = 320.0
        xy[:, k, 1] = floor_y - lift - (10.0 if k in (L.LEFT_ANKLE, L.RIGHT_ANKLE) else 0.0)
    return xy, np.full((n, 33), 0.99)


def test_feet_well_inside_the_frame_are_visible():
    xy, vis = _hopping_feet(H - 2 * FEET_EDGE_MARGIN_FRAC * STATURE_PX, hop_px=20.0)
    assert feet_visible(xy, vis, W, H, STATURE_PX, FPS).all()


def test_feet_that_stand_in_the_band_along_the_bottom_edge_are_not_seen_even_in_the_air():
    """Feet read standing in the band may be a guess at feet the frame cut off; above the band
    in flight they would give a rise from that guessed floor."""
    xy, vis = _hopping_feet(H - 0.5 * FEET_EDGE_MARGIN_FRAC * STATURE_PX, hop_px=3 * FEET_EDGE_MARGIN_FRAC * STATURE_PX)
    assert not feet_visible(xy, vis, W, H, STATURE_PX, FPS).any()
    # Without a stature or a frame rate, the edge itself is the limit.
    assert feet_visible(xy, vis, W, H).all()
    assert feet_visible(xy, vis, W, H, float("nan"), FPS).all()


def test_feet_beyond_the_edge_or_barely_visible_are_not_seen():
    xy, vis = _hopping_feet(H + 5.0)
    assert not feet_visible(xy, vis, W, H).any()
    xy, vis = _hopping_feet(H - 100.0)
    vis[:, L.LEFT_HEEL] = vis[:, L.RIGHT_HEEL] = 0.2
    assert not feet_visible(xy, vis, W, H, STATURE_PX, FPS).any()
