"""Session advice from what the user tells us and the clip's length: surface, rope, time, back pain.

These are not measured from the video; they are reported as advice, never as diagnosis.
"""

from __future__ import annotations

from typing import Any

from ..config import THRESHOLDS as T
from ..config import AnalysisConfig
from ..types import Verdict

DISCLAIMER = (
    "This is coaching feedback on technique from a video, not medical advice: it does not diagnose or "
    "treat anything. If you are new to exercise or have significant back problems, talk to a health "
    "professional before starting, and begin gently."
)


def session_advice(config: AnalysisConfig, clip_minutes: float, active_minutes: float) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(rule: str, status: Verdict, message: str) -> None:
        out.append({"rule": rule, "status": status, "message": message})

    s = config.surface
    if s == "concrete":
        add(
            "session.surface",
            Verdict.FAULT,
            "Concrete is hard on joints: skip on a jump-rope mat, a wooden floor or rubber gym flooring.",
        )
    elif s in ("mat", "wood", "rubber"):
        add("session.surface", Verdict.PASS, f"Good surface ({s}): it takes some of the impact out of each landing.")
    elif s in ("carpet", "grass"):
        add(
            "session.surface",
            Verdict.INFO,
            f"{s.capitalize()} is softer than concrete but can catch the rope or the feet; "
            "a mat or wooden floor is better.",
        )
    else:
        add(
            "session.surface",
            Verdict.NA,
            "Surface not given: a mat, wooden floor or rubber flooring is best; avoid concrete.",
        )
    r = config.rope
    beginner = not config.experienced
    if r in ("weighted", "beaded"):
        add(
            "session.rope",
            Verdict.PASS,
            "A heavier rope slows the turn and gives feedback: a good choice while technique settles.",
        )
    elif r in ("speed", "cable") and (beginner or config.back_pain):
        add(
            "session.rope",
            Verdict.FAULT,
            "A light speed rope rushes the timing: start with a moderately weighted rope "
            "and move to a speed rope once your technique is solid"
            + (" and your back is settled." if config.back_pain else "."),
        )
    elif r in ("speed", "cable"):
        add("session.rope", Verdict.PASS, "A speed rope suits skippers whose technique is already solid.")
    else:
        add(
            "session.rope",
            Verdict.NA,
            "Rope not given: beginners and anyone with back concerns do best with a moderately weighted rope.",
        )
    lo, hi = T.session_min_minutes.value, T.session_max_minutes.value
    if active_minutes <= 0:
        add("session.length", Verdict.NA, "No skipping time measured in this clip.")
    elif clip_minutes < lo:
        add(
            "session.length",
            Verdict.INFO,
            f"This clip holds {active_minutes:.1f} min of skipping; a full session of about "
            f"{lo:g}-{hi:g} min (with breaks) gives the cardio benefit; build up to it gradually.",
        )
    elif active_minutes > hi:
        add(
            "session.length",
            Verdict.FAULT,
            f"{active_minutes:.1f} min of skipping is past the {lo:g}-{hi:g} min that gives the "
            "benefit; longer sessions add strain, especially for a sensitive back.",
        )
    else:
        add(
            "session.length",
            Verdict.PASS,
            f"{active_minutes:.1f} min of skipping sits in the {lo:g}-{hi:g} min guidance.",
        )
    if config.back_pain:
        add(
            "session.back_pain",
            Verdict.FAULT,
            "You reported back pain: stop, check your form against the points above, and "
            "if the pain is severe or persists, see a health professional. "
            "Walking or swimming are gentler options meanwhile.",
        )
    return out
