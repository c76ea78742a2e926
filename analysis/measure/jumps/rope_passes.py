"""Passes of the rope over the head, read per jump cycle from the band energy that
``pose/ropeband.py`` measured in the decoding pass (see its docstring for why the band).

A cycle runs from one jump's apex to the next; a burst between the landing and the next
take-off is the rope turning over the head; a second burst during the flight marks a
double-under (the rope passes under the feet twice, and over the head between).

A rope turns at the jumps' rhythm, so its pass over the head comes at the same point of
every cycle; bursts that come anywhere in the cycle (a hand-held camera's jolts that could
not be aligned away, a passer-by behind the jumper) are not a rope however often they fall
between flights. The passes' place in their cycles must be locked (Rayleigh test, as the
hands' turning is tested against the take-offs).
"""

from __future__ import annotations

import numpy as np

from ...types import Cue
from .rope import PHASE_LOCK_P, rayleigh_p

#: A pass is a burst this many robust standard deviations above the run's median level.
PASS_SIGMAS = 5.0
#: The run's noise (robust standard deviation of the band's level) is never taken below one
#: grey level: 8-bit video does not record a smaller change, and a still synthetic or
#: heavily compressed background, whose level does not vary at all, would otherwise let any
#: flicker of a level or two count as a pass.
MIN_NOISE_GREY = 1.0
#: The rope counts as seen in a run when passes are found in at least this share of cycles.
SEEN_MIN_SHARE = 0.5


def rope_passes_cue(band: np.ndarray | None, t: np.ndarray, flights: list, frames: np.ndarray) -> tuple[Cue, list[int]]:
    """Passes of the rope over the head per jump cycle of one run, and the run's cue.

    A cycle runs from one jump's apex to the next; a pass between the landing and the next
    take-off is the rope turning over the head; a second pass during the flight marks a
    double-under. Returns (cue, passes per event: 0, 1, 2, or -1 where not measurable)."""
    frames = np.asarray(frames, int)
    n_ev = len(frames)
    unknown = [-1] * n_ev
    if band is None:
        return Cue("rope seen", "unknown", 0.0, "the rope was not looked for (no video frames)"), unknown
    a, b = int(frames[0]), int(frames[-1]) + 1
    seg = band[a:b]
    ok = np.isfinite(seg)
    if ok.mean() < 0.5:
        return Cue("rope seen", "unknown", 0.0, "the space above the head is out of frame or hidden"), unknown
    level = float(np.median(seg[ok]))
    noise = 1.4826 * float(np.median(np.abs(seg[ok] - level)))
    floor = level + PASS_SIGMAS * max(noise, MIN_NOISE_GREY)
    period = float(np.median(np.diff(frames))) if n_ev > 1 else 1.0
    passes = []
    phases = []  # where in its cycle (radians from the apex) each contact pass peaks
    for i, k in enumerate(frames):
        end = int(frames[i + 1]) if i + 1 < n_ev else int(k + period)
        fl = flights[i]
        if fl is not None and getattr(fl, "ok", False):
            land = int(np.searchsorted(t, fl.landing_s))
            take = int(np.searchsorted(t, fl.takeoff_s))
        else:
            land, take = int(k + 0.15 * period), int(k - 0.15 * period)
        contact = band[max(land, k + 1) : max(end, land + 1)]
        flight = band[max(take, 0) : max(land, take + 1)]
        if contact.size == 0 or not np.isfinite(contact).any():
            passes.append(-1)
            continue
        c = int(np.nanmax(contact) > floor)
        if c:
            # The burst's centre (its excess over the floor as weights): a pass lasts several
            # frames at a high frame rate, where its highest frame wanders within it.
            excess = np.clip(np.nan_to_num(contact - floor), 0.0, None)
            at = max(land, k + 1) + float(excess @ np.arange(contact.size)) / float(excess.sum())
            phases.append(2.0 * np.pi * (at - k) / max(end - k, 1))
        f = int(flight.size > 0 and np.isfinite(flight).any() and np.nanmax(flight) > floor)
        passes.append(c + f if c else 0)
    measured = [p for p in passes if p >= 0]
    if not measured:
        return Cue("rope seen", "unknown", 0.0, "the space above the head is out of frame or hidden"), passes
    share = float(np.mean([p >= 1 for p in measured]))
    _, p_lock = rayleigh_p(np.asarray(phases))
    if share >= SEEN_MIN_SHARE and p_lock >= PHASE_LOCK_P:
        return Cue(
            "rope seen",
            "none",
            share,
            f"bursts above the head in {100 * share:.0f}% of the jumps, at no steady point of the cycle "
            f"(p = {p_lock:.2f}): not a rope's passes",
        ), [0 if q > 0 else q for q in passes]
    if share >= SEEN_MIN_SHARE:
        return Cue(
            "rope seen", "for", share, f"the rope was seen passing over the head in {100 * share:.0f}% of the jumps"
        ), passes
    return Cue(
        "rope seen",
        "none",
        share,
        f"the rope was seen in only {100 * share:.0f}% of the jumps (thin, blurred or hidden)",
    ), passes
