"""Core: trunk held steady ("tall and tight") so the spine is spared rotation."""

from __future__ import annotations

import numpy as np

from ..config import MEASUREMENT_ERRORS as E
from ..config import THRESHOLDS as T
from ..measure.view import MIN_PROJECTION, ViewAngle
from .base import PASS, Limit, Measured, Rule, clip_status, grade, grade_uncertain_limit, graded
from .context import Ctx

TRUNK_SWAY = Limit(T.trunk_sway_max_deg, ">", "trunk sway in a jump")
TRUNK_TWIST = Limit(T.trunk_rotation_max, ">", "change of shoulder width in a jump (front and oblique views)")


def _steady(c: Ctx) -> Measured:
    """Sway: how far the trunk's angle in the image swings within each jump (the noise-free
    swing of :meth:`Ctx.cycle_swing`), read in the body plane the camera sees best: a
    side-to-side sway as |cos(yaw)|, a forward-backward rock as |sin(yaw)|. The image
    cannot tell the two apart in an oblique view, so the smaller reading (the plane seen
    best) is taken: a sway is never made larger than the image shows. Twist: the relative
    swing of the shoulders' width within a jump (shoulders turning away from the camera
    narrow), where the view shows their width, against the limit's twist as this view shows
    it (:func:`twist_limit`)."""
    tilt = c.metrics["trunk_tilt_side_deg"]
    swing, s_noise = c.cycle_swing(tilt)
    va = c.view_angle
    plane = "frontal" if not np.isfinite(va.side_factor) or va.front_factor >= va.side_factor else "sagittal"
    sway, yaw_part = c.projected(swing, plane, "angle")
    s_sway = np.sqrt(E.trunk_sway_deg.value**2 + np.nan_to_num(s_noise) ** 2 + yaw_part**2)
    parts = [grade(TRUNK_SWAY, sway, s_sway)]
    if va.front_factor >= MIN_PROJECTION:
        width = c.metrics["shoulder_width_px"]
        w_swing, w_noise = c.cycle_swing(width)
        level = c.cycle_values(width)
        lower, upper = _twist_limits_at(va)
        with np.errstate(invalid="ignore", divide="ignore"):
            rot, s_rot = w_swing / level, np.sqrt(E.trunk_rotation_share.value**2 + np.nan_to_num(w_noise / level) ** 2)
        parts.append(grade_uncertain_limit(TRUNK_TWIST, rot, s_rot, lower, upper))
    faults, borderline = graded(parts)
    # What the view shows already fails the trunk (a fault) or brings it to the limit
    # (borderline): a sway the view cannot show would only add to it. Only a pass is in doubt.
    seen = np.isfinite(sway)
    shown = clip_status(int((faults & seen).sum()), int((borderline & seen & ~faults).sum()), int(seen.sum()))
    return Measured(
        sway,
        faults,
        c.cycle_argworst(np.abs(tilt - np.nanmedian(tilt))),
        sigma=s_sway,
        borderline=borderline,
        unresolved=_unseen_sway(c) if shown == PASS else None,
    )


def twist_limit(share: float, yaw_deg: float) -> float:
    """The relative swing of the shoulders' width in the image that the limit's twist gives
    at a camera ``yaw_deg`` off the jumper's front (or back).

    The limit is stated as seen from the front: a swing of ``share`` of the width there is
    the trunk turning by a = arccos(1 - share) either way (41 deg for 0.25), since the
    width reads W cos(turn). Off the front by psi the same turn sweeps the shoulders' line
    through psi - a .. psi + a, so the width ranges from W cos(max(psi - a, 0)) to
    W cos(min(psi + a, 90 deg)) about a level of W cos(psi): a turn the front view shrinks to
    a few per cent of the width fills a large part of it in an oblique view, where the
    shoulders' line is already turned toward the camera's axis. Judging every view on the
    front's share would call a small turn seen obliquely a twist (a clean figure 64 deg off
    the front read 0.25-0.57)."""
    a = float(np.arccos(np.clip(1.0 - share, -1.0, 1.0)))
    psi = float(np.arccos(np.clip(abs(np.cos(np.radians(yaw_deg))), 0.0, 1.0)))
    widest = 1.0 if psi <= a else float(np.cos(psi - a))
    narrowest = 0.0 if psi + a >= np.pi / 2 else float(np.cos(psi + a))
    return (widest - narrowest) / max(float(np.cos(psi)), 1e-3)


def _twist_limits_at(va: ViewAngle) -> tuple[float, float]:
    """(lowest, highest) twist limit over the yaw's one-sigma band (:func:`twist_limit`; the
    limit is least at the front and grows as the view turns); the front's limit where the
    yaw is unknown."""
    share = TRUNK_TWIST.threshold.value
    if not np.isfinite(va.yaw_deg):
        return share, share
    psi = float(np.degrees(np.arccos(np.clip(va.front_factor, 0.0, 1.0))))
    s = va.sigma_deg if np.isfinite(va.sigma_deg) else 0.0
    return twist_limit(share, max(psi - s, 0.0)), twist_limit(share, min(psi + s, 89.0))


def _unseen_sway(c: Ctx) -> str | None:
    """Why the view cannot pass a trunk as steady, or None where it can: a sway in a body
    plane the camera sees edge-on (projection factor under ``MIN_PROJECTION``) moves the
    trunk toward and away from the camera and leaves the image's trunk angle as it was. From
    the front or behind a forward-and-back rock is unseen, from the side a side-to-side sway;
    only an oblique view shows both. The pose model's 3D landmarks do not stand in: on the
    development seeds filmed within 35 deg of the front or the back, the amplitude of their
    forward-and-back rock at the sway's rhythm read 0.7-11.3 deg where the trunk rocked by
    1.5 deg or less and 1.4-12.1 deg where it rocked by 3-10.5 deg (``bench/RESULTS.md``,
    "Trunk steady"). A sway seen is still a fault, and one seen at the limit still borderline."""
    va = c.view_angle
    if not (np.isfinite(va.front_factor) and np.isfinite(va.side_factor)):
        return None
    where = "from behind" if va.facing_away else "from the front"
    if va.side_factor < MIN_PROJECTION:
        return (
            f"a forward-and-back rock of the trunk cannot be seen {where} (it moves toward and away from the "
            "camera); film from the side or at an angle to check it"
        )
    if va.front_factor < MIN_PROJECTION:
        return (
            "a side-to-side sway of the trunk cannot be seen from the side (it moves toward and away from the "
            "camera); film from the front or at an angle to check it"
        )
    return None


RULES = [
    Rule(
        id="core.trunk_steady",
        area="core",
        title="Core braced: trunk steady, no sway or twist between jumps",
        advice="Brace your midsection lightly, tall and tight, so your chest and hips move as one block.",
        limits=(TRUNK_SWAY, TRUNK_TWIST),
        # A sway is read in whichever body plane the camera sees best (one always is).
        plane="any",
        measure=_steady,
    ),
]
