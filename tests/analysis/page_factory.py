"""Hand-built report pieces for tests of the annotator, the overlay and the page data:
a standing stick figure that bounces three times, real per-frame metrics computed from
it, three jumps and two rules (one failing on two jumps, one not assessable)."""

from __future__ import annotations

import numpy as np

from analysis.config import AnalysisConfig
from analysis.kinematics import frame_metrics
from analysis.landmarks import Landmark as L
from analysis.report import Report
from analysis.rules.base import RuleResult, RulesResult
from analysis.types import JumpAnalysis, JumpEvent, PoseSeries, Run, Scale, VideoMeta
from analysis.view import Quality

W, H = 160, 240
FPS = 25.0
#: Standing pose in pixels of a W x H frame (x right, y down).
STAND = {
    L.NOSE: (84, 28), L.LEFT_EYE: (82, 25), L.RIGHT_EYE: (78, 25), L.LEFT_EAR: (88, 28), L.RIGHT_EAR: (74, 28),
    L.LEFT_SHOULDER: (96, 55), L.RIGHT_SHOULDER: (64, 55), L.LEFT_ELBOW: (102, 88), L.RIGHT_ELBOW: (58, 88),
    L.LEFT_WRIST: (104, 118), L.RIGHT_WRIST: (56, 118), L.LEFT_HIP: (90, 125), L.RIGHT_HIP: (70, 125),
    L.LEFT_KNEE: (91, 175), L.RIGHT_KNEE: (69, 175), L.LEFT_ANKLE: (91, 220), L.RIGHT_ANKLE: (69, 220),
    L.LEFT_HEEL: (88, 226), L.RIGHT_HEEL: (66, 226), L.LEFT_FOOT_INDEX: (97, 229), L.RIGHT_FOOT_INDEX: (75, 229),
}
JUMPS = ((10, 13, 16), (22, 25, 28), (34, 37, 40))


def make_pose(n: int = 50) -> PoseSeries:
    t = np.arange(n) / FPS
    xy = np.full((n, 33, 2), np.nan)
    for lm, (x, y) in STAND.items():
        xy[:, lm] = (x, y)
    lift = np.zeros(n)
    for a, apex, b in JUMPS:
        for f in range(a, min(b + 1, n)):
            lift[f] = 8.0 * (1 - ((f - apex) / (apex - a)) ** 2)
    xy[:, :, 1] -= lift[:, None]
    world = np.concatenate([(xy - np.array([80, 125])) / 100.0, np.zeros((n, 33, 1))], axis=2)
    vis = np.where(np.isfinite(xy[:, :, 0]), 0.99, 0.0)
    return PoseSeries(t, xy, world, vis, (W, H), FPS)


def make_jumps(n: int) -> JumpAnalysis:
    evs = []
    for i, (a, apex, b) in enumerate(j for j in JUMPS if j[2] < n):
        evs.append(JumpEvent(i, a, apex, b, a / FPS, apex / FPS, b / FPS, (b - a) / FPS,
                             float("nan") if i == 0 else 0.24, 3.0 + i, 3.5 + i, 0.8, 0.0, 0.5, "both", "two_foot", 0))
    runs = [Run(evs[0].takeoff_s, evs[-1].landing_s, len(evs), evs[0].takeoff_frame, evs[-1].landing_frame)] if evs else []
    return JumpAnalysis(evs, runs, active_time_s=1.2 if evs else 0.0, jumps_per_minute=120.0 if evs else 0.0, cadence_windows=[], styles={"two_foot": len(evs)},
                        rope_evidence="hands low, feet together")


def _rule(rid, area, title, status, verdicts, values, frames) -> RuleResult:
    assessed = [v for v in verdicts if v != "na"]
    n_fault = sum(v == "fault" for v in verdicts)
    return RuleResult(
        id=rid, area=area, title=title, advice="Do it better.", status=status,
        reason="needs a front view; this clip is side" if status == "na" else f"{n_fault} of {len(assessed)} fail",
        unit="deg", threshold=170.0, comparison=">= 170 deg is a fault", source="article", severity="medium",
        value_median=float(np.nanmedian(values)) if np.isfinite(values).any() else float("nan"),
        pass_share=(1 - n_fault / len(assessed)) if assessed else float("nan"), n_assessed=len(assessed),
        jump_values=list(values), jump_verdicts=list(verdicts), episodes=[], best_frames=list(frames), drift={})


def make_rules(n: int) -> RulesResult:
    knees = _rule("landing.knees_soft", "landing", "Knees slightly bent on landing, never locked", "fault",
                  ["pass", "fault", "fault"], [160.0, 175.0, 178.0], [40, 28])
    elbows = _rule("arms.elbows_in", "arms", "Elbows close to the sides", "na", ["na"] * 3, [float("nan")] * 3, [])
    return RulesResult(
        rules=[knees, elbows],
        session=[{"rule": "session.surface", "status": "na", "message": "Surface not given."}],
        priorities=[{"rule": knees.id, "title": knees.title, "advice": knees.advice, "severity": "medium",
                     "fault_share": 2 / 3, "frames": [40, 28]}],
        disclaimer="Not medical advice.",
        n_frames=n,
        jump_frames=[(a, min(b, n)) for a, b in ((10, 22), (22, 34), (34, 46))],
    )


def make_report(n: int = 50, path: str = "synthetic.mp4", with_rules: bool = True) -> Report:
    pose = make_pose(n)
    cm_per_px = np.full(n, 0.8)
    floor = np.full(n, 229.0)
    metrics = frame_metrics(pose.xy_px, pose.world_m, cm_per_px, floor)
    meta = VideoMeta(path=path, width_px=W, height_px=H, fps=FPS, n_frames=n, duration_s=n / FPS)
    scale = Scale(0.8, 0.05, 204.0, 170.0, False, n, "test")
    quality = Quality("side", "auto", 0.3, FPS, 100.0, 100.0, 100.0, 204.0, 0.85, 120.0, 50.0, "no",
                      warnings=["Test warning."], supports={"elbow flare": "needs a front view"})
    rep = Report(meta=meta, config=AnalysisConfig(), pose_model="test", scale=scale, quality=quality,
                 jumps=make_jumps(n), t_s=pose.t_s, pose_found=pose.found, metrics=metrics, pose=pose,
                 messages=["A test message."], timings_s={"pose": 1.0, "total": 1.5})
    if with_rules:
        rep.rules = make_rules(n)
    return rep


def write_clip(path, n: int = 50, size: tuple[int, int] = (W, H)) -> None:
    """A small MPEG-4 clip (OpenCV mp4v) with a moving gradient, ``n`` frames."""
    import cv2  # noqa: PLC0415

    w, h = size
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, (w, h))
    assert vw.isOpened()
    yy, xx = np.mgrid[0:h, 0:w]
    for i in range(n):
        img = np.stack([(xx + 3 * i) % 256, (yy * 2) % 256, np.full_like(xx, (40 + 4 * i) % 256)], -1).astype(np.uint8)
        vw.write(img)
    vw.release()
