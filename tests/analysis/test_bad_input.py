"""Bad input through the whole pipeline and the command line: a clear message (what was
wrong, what to do) and the results that still hold, marked partial; never a traceback,
a hang or a confident wrong answer.

Clips are a few seconds long, made in a temporary folder from the shared real clips
(which are never copied into the repository).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests import clipkit as ck
from analysis.__main__ import main as cli
from analysis.config import AnalysisConfig
from analysis.pose.landmarks import N_LANDMARKS
from analysis.pose.people import follow_main_jumper
from analysis.pipeline import NoPersonError, analyze_video
from analysis.types import AnalysisError, PoseSeries

from .robust_support import SIDE, real_clip

warnings.filterwarnings("ignore", category=RuntimeWarning)
LANDING = ("landing.balls_of_feet", "landing.knees_soft", "landing.jump_height", "landing.feet_together", "landing.soft_landing")


@pytest.fixture(scope="module")
def side_frames():
    frames, fps = ck.read_rgb(real_clip(SIDE), 6.0)
    return frames, fps


@pytest.fixture(scope="module")
def made(tmp_path_factory, side_frames):
    """Every test clip, made once: (name -> path)."""
    d = tmp_path_factory.mktemp("bad_input")
    frames, fps = side_frames
    f5 = frames[: int(5 * fps)]
    bg = np.full_like(frames[0], np.median(frames[0].reshape(-1, 3), axis=0).astype(np.uint8))
    c = {
        "side": ck.write_clip(d / "side.mp4", f5, fps),
        "noise": ck.noise_clip(d / "noise.mp4", n=50),
        "short": ck.write_clip(d / "short.mp4", f5[:8], fps),
        "feet_cut": ck.write_clip(d / "feet_cut.mp4", (f[: int(f.shape[0] * 0.72)] for f in f5), fps),
        "dark": ck.write_clip(d / "dark.mp4", ((f * 0.12).astype(np.uint8) for f in f5), fps),
        "blur": ck.write_clip(d / "blur.mp4", (cv2.GaussianBlur(f, (0, 0), 4) for f in f5), fps),
        "tiny": ck.write_clip(d / "tiny.mp4", (cv2.resize(f, (160, 120)) for f in frames[:40]), fps),
        "inout": ck.concat_clip(d / "inout.mp4", [frames[:75], [bg] * 50, frames[75:]], fps),
        "pause": ck.concat_clip(d / "pause.mp4", [frames[:60], [frames[60]] * 75, frames[60:]], fps),
    }
    n = len(frames) - int(3 * fps)
    c["two"] = ck.write_clip(d / "two.mp4", (np.concatenate([frames[i], frames[i + int(3 * fps)]], axis=1) for i in range(n)), fps)
    # Two people; the right one leaves for 1.2 s and the tracker has to pick up the left one.
    later = frames[int(1 * fps) :]
    pair = []
    for i in range(min(len(frames), len(later))):
        r = bg if 40 <= i < 70 else later[i]
        pair.append(np.concatenate([frames[i], r], axis=1))
    c["switch"] = ck.write_clip(d / "switch.mp4", pair, fps)
    return c


def _landing(report):
    return {r.id: r for r in report.rules.rules if r.id in LANDING}


# -- files that cannot be analysed: one clear line, exit 2 ------------------------------


@pytest.mark.parametrize(
    "content, words",
    [
        (b"hello, not a video\n" * 30, "text file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "still image"),
        (bytes(np.random.default_rng(1).bytes(20000)), "not a readable video"),
        (b"", "empty"),
    ],
)
def test_cli_not_a_video_is_one_clear_line(tmp_path, capsys, monkeypatch, content, words):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "clip.mp4"
    p.write_bytes(content)
    assert cli([str(p), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and words in err[0]
    assert not (tmp_path / "out").exists()  # nothing written for a failed analysis


@pytest.mark.slow
def test_no_person_in_view(made):
    with pytest.raises(NoPersonError, match="no person was found.*Film the whole body"):
        analyze_video(made["noise"])


@pytest.mark.slow
def test_too_short_clip(made):
    with pytest.raises(AnalysisError, match="too short to analyse"):
        analyze_video(made["short"])


@pytest.mark.slow
def test_tiny_resolution_does_not_crash(made):
    r = analyze_video(made["tiny"])  # used to raise ZeroDivisionError in the scale
    assert r.meta.width_px == 160 and len(r.t_s) == 40


# -- partial results ----------------------------------------------------------------------


@pytest.mark.slow
def test_long_clip_is_cut_at_max_minutes_and_says_so(made):
    r = analyze_video(made["side"], AnalysisConfig(max_minutes=0.05))  # 3 s of a 5 s clip
    assert r.partial
    assert len(r.t_s) == int(0.05 * 60 * r.meta.fps)
    assert any("only the first 0.05 min were analysed" in m for m in r.messages)


@pytest.mark.slow
def test_absurd_fps_is_analysed_with_a_warning(made, tmp_path):
    b = bytearray(made["side"].read_bytes())
    i = b.find(b"stts")
    import struct

    for k in range(struct.unpack_from(">I", b, i + 8)[0]):
        struct.pack_into(">I", b, i + 12 + 8 * k + 4, 1)
    p = tmp_path / "absurd_fps.mp4"
    p.write_bytes(bytes(b))
    r = analyze_video(p)
    assert r.partial and r.meta.fps_source == "assumed"
    assert any("was assumed" in m and "timing" in m for m in r.messages)


@pytest.mark.slow
def test_feet_out_of_frame_makes_landing_checks_not_assessable(made):
    r = analyze_video(made["feet_cut"])
    assert r.partial
    assert r.quality.feet_in_frame_pct < 50
    assert any("feet" in m for m in r.messages)
    for rule in _landing(r).values():
        assert rule.status == "na", rule.id  # never pass/fail what the camera cannot see
        assert rule.reason
    if r.jumps.count:  # where jumps are counted, the rule reason names the feet
        assert all("feet" in rule.reason or "view" in rule.reason for rule in _landing(r).values())


@pytest.mark.slow
def test_full_view_keeps_landing_checks(made):
    r = analyze_video(made["side"])
    assert r.jumps.count >= 5 and not r.partial
    assert _landing(r)["landing.knees_soft"].status in ("pass", "borderline", "fault")  # assessed, not "na"


@pytest.mark.slow
def test_two_people_side_by_side(made):
    r = analyze_video(made["two"])
    assert r.quality.multiple_people == "possible"
    assert r.partial
    assert any("Another person is in view" in m for m in r.messages)
    assert r.jumps.count >= 3  # the tracked jumper is still analysed


@pytest.mark.slow
def test_tracker_switching_person_is_detected_and_one_jumper_kept(made):
    r = analyze_video(made["switch"])
    assert r.quality.multiple_people == "possible"
    assert any("switched between people" in m for m in r.messages)
    # every analysed frame follows one body: its horizontal position never jumps across the frame
    hip_x = np.nanmean(r.pose.xy_px[:, [23, 24], 0], axis=1)
    hip_x = hip_x[np.isfinite(hip_x)]
    assert hip_x.size and (hip_x.max() - hip_x.min()) < r.meta.width_px / 4


@pytest.mark.slow
@pytest.mark.parametrize("key, words", [("dark", "dark"), ("blur", "blurred")])
def test_dark_and_blurred_footage_warn(made, key, words):
    r = analyze_video(made[key])
    assert any(words in w for w in r.quality.warnings)


@pytest.mark.slow
def test_jumper_walks_out_and_back(made):
    r = analyze_video(made["inout"])
    assert r.partial
    assert any("No one was in view at 3.0-5.0 s" in m for m in r.messages)
    assert r.jumps.count >= 5


@pytest.mark.slow
def test_long_pause(made):
    r = analyze_video(made["pause"])
    assert r.jumps.count >= 3
    # no jump inside the 3 s pause (frozen frame from 2.4 to 5.4 s; 0.2 s margin for the flight fit)
    assert not any(2.6 < j.takeoff_s < 5.2 for j in r.jumps.jumps)


# -- file names ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["../../escape me;rm -rf ~ $(id).mp4", "Seil 跳绳 ünï.mp4"])
def test_cli_default_output_stays_inside_out(made, tmp_path, monkeypatch, name):
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    monkeypatch.chdir(work)
    clip = work / "in" / Path(name).name
    clip.write_bytes(made["side"].read_bytes())
    before = set(tmp_path.rglob("*"))
    assert cli([str(clip), "--quiet"]) == 0
    new = set(tmp_path.rglob("*")) - before
    assert new, "nothing written"
    out_root = (work / "out").resolve()
    for p in new:
        assert p.resolve() == out_root or out_root in p.resolve().parents, p
    written = [p for p in new if p.is_file()]
    assert {p.name for p in written} == {"report.json", "frames.csv", "jumps.csv"}


# -- unit: the person-switch cue ------------------------------------------------------------


def _pose_at(xs: list[float], trunk: float = 80.0, fps: float = 25.0) -> PoseSeries:
    n = len(xs)
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    for i, x in enumerate(xs):
        if np.isnan(x):
            continue
        xy[i, :, 0] = x + np.linspace(-20, 20, N_LANDMARKS)
        xy[i, :, 1] = 200.0
        xy[i, [11, 12], 1] = 200.0 - trunk  # shoulders above the hips
        xy[i, [23, 24], 1] = 200.0
    vis = np.where(np.isfinite(xy[..., 0]), 0.9, 0.0)
    world = np.where(np.isfinite(xy[..., :1]), 0.0, np.nan).repeat(3, axis=-1)
    return PoseSeries(np.arange(n) / fps, xy, world, vis, (640, 480), fps)


def test_switch_cue_keeps_the_main_jumper():
    xs = [100.0 + 3 * np.sin(i) for i in range(60)] + [500.0] * 20 + [100.0] * 40
    pose, info = follow_main_jumper(_pose_at(xs))
    assert info.switches == [60, 80] and info.n_people_tracked == 2 and info.multiple
    assert not pose.found[60:80].any() and pose.found[:60].all() and pose.found[80:].all()
    assert info.main_side == "left"


def test_walking_jumper_is_not_a_switch():
    xs = list(np.linspace(100, 500, 100))  # walks across the frame in 4 s
    xs[40:70] = [np.nan] * 30  # and is lost for 1.2 s
    pose, info = follow_main_jumper(_pose_at(xs))
    assert not info.switches and not info.multiple and pose.found.sum() == 70


# -- unusual but valid clips through the whole pipeline ---------------------------------------


@pytest.mark.slow
def test_4k_portrait_clip_is_analysed_in_its_own_pixels(side_frames, tmp_path):
    frames, fps = side_frames
    p = ck.write_clip(tmp_path / "uhd.mp4", (cv2.resize(f, (2160, 3840)) for f in frames[:30]), fps)
    r = analyze_video(p)
    assert (r.meta.width_px, r.meta.height_px) == (2160, 3840)
    xy = r.pose.xy_px[np.isfinite(r.pose.xy_px[..., 0])]
    assert xy.size and xy[:, 0].max() > 1000 and xy[:, 1].max() > 2000  # landmarks mapped back to 4K pixels
    assert 0.3 < r.quality.person_height_fraction < 1.2


@pytest.mark.slow
def test_variable_frame_rate_real_clip_counts_jumps(side_frames, tmp_path):
    frames, fps = side_frames
    frames = frames[: int(5 * fps)]
    rng = np.random.default_rng(7)
    pts = np.arange(len(frames)) / fps + rng.uniform(-0.3, 0.3, len(frames)) / fps  # +-30% jitter, in order
    p = ck.write_clip(tmp_path / "vfr.mp4", frames, fps, pts_s=list(pts - pts[0]))
    r = analyze_video(p)
    assert r.meta.fps_source in ("container", "timestamps")
    np.testing.assert_allclose(r.t_s, pts - pts[0], atol=0.002)
    assert r.jumps.count >= 5
