"""A short fixed-seed run of the randomised suite through the real pipeline (real
MediaPipe): ``bench.generalise`` on ``N`` small clips (``--small``: <= 150 frames,
<= 360p, <= 60 fps), two worker processes.

It asserts what the run can honestly hold: it completes, writes its JSON and its
tables, every clip's truth is consistent with its draw, both negatives (no-rope
movements) and rope clips are in it, and MediaPipe finds the drawn figure. Accuracy
targets the analysis does not meet yet are strict xfails whose reason is the figure
measured on these seeds; they turn into XPASS failures once met (then drop the mark).
The seeds are outside the development and reporting ranges, so nothing is tuned on them.
"""

from __future__ import annotations

import json

import pytest

from bench.generalise import main, run_many, to_markdown

pytestmark = pytest.mark.slow

SEED = 700  # CI seeds 700-709: neither development (1000-1999) nor reporting (>= 100000)
N = 10


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("generalise")
    js = out / "generalise.json"
    rc = main(["--n", str(N), "--seed", str(SEED), "--workers", "2", "--small", "--no-results",
               "--timeout", "300", "--json", str(js)])
    assert rc == 0
    return json.loads(js.read_text())


def test_the_run_completes_with_every_clip_scored(run) -> None:
    rows = run["rows"]
    assert [r["seed"] for r in rows] == list(range(SEED, SEED + N))
    failed = [(r["seed"], r["status"], r["error"]) for r in rows if r["status"] in ("error", "timeout")]
    assert not failed
    assert all("scores" in r and "renderer" in r and "predictions" in r for r in rows)
    md = to_markdown(run["summary"], "ci")
    for title in ("By movement", "By view", "By frame-rate band", "By capture condition", "Per rule"):
        assert title in md


def test_every_truth_is_consistent_with_its_draw(run) -> None:
    for r in run["rows"]:
        t, lab, p = r["truth"], r["labels"], r["params"]
        assert t["negative"] == (t["count"] == 0) == (p.get("movement", "skipping") != "skipping"), r["seed"]
        assert t["fps"] == lab["fps"] == p["fps"] and t["n_frames"] == lab["frames"] == r["frames"]
        assert r["renderer"]["frames"] == t["n_frames"]  # every frame decoded and seen by the pose model
        assert t["capture"]["view_bin"] == lab["view_bin"]
        assert (t["rope_visible_share"] is None) == t["negative"]
        assert t["slowmo_factor"] == lab["slowmo_factor"]


def test_negatives_and_rope_clips_are_both_in_the_run(run) -> None:
    neg = [r for r in run["rows"] if r["truth"]["negative"]]
    assert neg and len(neg) < N


def test_mediapipe_finds_the_drawn_figure(run) -> None:
    # The renderer check: a pose in most frames of every clip, landmarks on the figure.
    for r in run["rows"]:
        rend = r["renderer"]
        assert rend["pose_found_share"] >= 0.8, (r["seed"], rend, r["labels"]["tags"])
    assert run["summary"]["overall"]["landmark_median_frac"] <= 0.05


@pytest.mark.xfail(strict=True, reason="measured 5 of 6 rope clips exact (2026-12-04): the alternate-step dark "
                   "portrait clip (704) gives 0 of 14, rope turning not confirmed")
def test_rope_clips_are_counted_exactly(run) -> None:
    rope = [r["scores"] for r in run["rows"] if not r["truth"]["negative"]]
    assert rope and all(s["count_exact"] for s in rope), [(s["count_pred"], s["count_true"]) for s in rope]


def test_height_at_30_fps(run) -> None:
    # The accuracy target for <= 30 fps (bench/accuracy.py): 1.5 cm; measured 1.21 cm here.
    assert run["summary"]["height"]["mae_cm"] <= 1.5


def test_negatives_count_zero(run) -> None:
    # Met since the hands' place at mid-flight vetoes arms swung up with a hop (seed 703,
    # hopping on one foot, had counted 6).
    assert run["summary"]["overall"]["negatives_exact_zero"] == 1.0


def test_no_faults_on_clean_clips(run) -> None:
    # Met on these seeds today: no fault on the 6 clean clips (14 borderline verdicts there).
    assert run["summary"]["faults_on_clean"] == 0


@pytest.mark.xfail(strict=True, reason="measured (2026-12-04, gravity's readings weighed by their scatter): the 2x "
                   "clip (seed 708) is reported as real time (factor 1.0; gravity's estimate 1.31 +- 0.18 from 5 "
                   "jumps is not called slow motion)")
def test_slow_motion_factor_is_reported(run) -> None:
    sm = run["summary"]["slowmo"]
    assert sm["clips"] and sm["reported"] == sm["clips"] and sm["mae"] <= 0.25


@pytest.mark.xfail(strict=True, reason="measured knee-angle MAE at touchdown 13.6 deg (target 6 deg)")
def test_knee_angle_at_touchdown(run) -> None:
    assert run["summary"]["knee_mae_deg"] <= 6.0


def test_a_clip_past_its_time_limit_is_recorded_not_fatal(tmp_path) -> None:
    rows = run_many([SEED], 1, str(tmp_path), keep=False, timeout_s=1.0, small=True)
    assert rows[0]["status"] == "timeout" and "1 s" in rows[0]["error"]
    assert not list(tmp_path.glob("clip_*"))
