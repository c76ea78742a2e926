import csv
import json

import numpy as np

from analysis.config import AnalysisConfig
from analysis.pipeline import PoseStage, analyze_pose
from analysis.report import SCHEMA_VERSION
from analysis.types import VideoMeta
from tests.fixtures.motion import make_motion


def report(**kw):
    m = make_motion(n_jumps=10, **kw)
    meta = VideoMeta("synthetic.mp4", *m.pose.frame_size_px, m.params.fps, len(m.pose), len(m.pose) / m.params.fps)
    return analyze_pose(PoseStage(m.pose, meta, pose_model="fake"), AnalysisConfig(standing_height_cm=170.0))


def test_summary_has_the_required_fields():
    s = report().summary()
    assert s["jump_count"] == 10
    assert s["jumps_per_minute"] > 100
    assert abs(s["mean_height_cm"] - 3.0) < 0.5
    for key in ("active_time_s", "breaks", "mean_height_uncertainty_cm", "mean_height_cm_flight_time",
                "mean_flight_time_s", "mean_contact_time_s", "styles", "view", "fps"):
        assert key in s


def test_json_is_versioned_and_strict(tmp_path):
    r = report(view="side", trunk_lean_deg=25.0)
    paths = r.write(tmp_path)
    data = json.loads(paths["report"].read_text())  # strict JSON: NaN became null
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["summary"]["jump_count"] == 10
    assert len(data["jumps"]) == 10 and "takeoff_frame" in data["jumps"][0]
    assert {r["id"] for r in data["rules"]} >= {"posture.trunk_upright", "landing.knees_soft"}
    assert any(f["rule"] == "posture.trunk_upright" for f in data["findings"])
    assert data["priorities"][0]["rule"] == "posture.trunk_upright"
    assert data["scale"]["cm_per_px"] > 0 and data["quality"]["view"] == "side"
    assert "not medical advice" in data["disclaimer"]
    assert "NaN" not in paths["report"].read_text()


def test_frames_csv_one_row_per_frame_with_metrics_and_verdicts(tmp_path):
    r = report()
    paths = r.write(tmp_path)
    rows = list(csv.DictReader(paths["frames"].open()))
    assert len(rows) == len(r.t_s)
    assert {"t_s", "pose_found", "knee_angle_deg_left", "rule:landing.knees_soft"} <= set(rows[0])
    assert np.isclose(float(rows[1]["t_s"]), r.t_s[1], atol=1e-4)


def test_jumps_csv_one_row_per_jump(tmp_path):
    r = report()
    rows = list(csv.DictReader(r.write(tmp_path)["jumps"].open()))
    assert len(rows) == 10
    assert {"takeoff_s", "landing_s", "height_cm_displacement", "height_cm_flight_time", "rule:arms.elbows_in"} <= set(rows[0])


def test_the_mean_height_is_no_surer_than_one_jump():
    """The jumps of a clip share most of their height error (the view, the figure, the scale:
    ``bench.error_split``), so the mean's uncertainty is a jump's own, not divided down by the
    number of jumps."""
    r = report()
    s = r.summary()
    sure = [j for j in r.jumps.jumps if np.isfinite(j.height_cm)]
    assert len(sure) >= 5
    rms = float(np.sqrt(np.mean([j.height_sigma_cm**2 for j in sure])))
    assert s["mean_height_uncertainty_cm"] == rms
    assert s["mean_height_uncertainty_cm"] > 2.0 * rms / np.sqrt(len(sure))
