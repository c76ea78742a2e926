import json
import subprocess
import sys

import pytest

from analysis.__main__ import main
from tests.conftest import REPO


def test_bad_input_exits_2_with_one_line_reason(tmp_path, capsys):
    bad = tmp_path / "notes.mp4"
    bad.write_text("this is not a video")
    assert main([str(bad), "--quiet", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: notes.mp4") and "Traceback" not in err[0]


def test_missing_file_and_bad_height(tmp_path, capsys):
    assert main([str(tmp_path / "nope.mp4"), "--quiet"]) == 2
    assert "not found" in capsys.readouterr().err
    assert main([str(tmp_path / "nope.mp4"), "--quiet", "--height-cm", "5"]) == 2
    assert "50-250 cm" in capsys.readouterr().err


def test_module_entry_point_has_help():
    out = subprocess.run([sys.executable, "-m", "analysis", "--help"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0 and "--height-cm" in out.stdout and "--model" in out.stdout


@pytest.mark.slow
def test_real_clip_end_to_end(shared_videos, tmp_path):
    clip = shared_videos / "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4"
    out = subprocess.run(
        [sys.executable, "-m", "analysis", str(clip), "--out", str(tmp_path), "--height-cm", "160"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Jumps: 20" in out.stdout or "Jumps: 19" in out.stdout or "Jumps: 21" in out.stdout
    assert "pose" in out.stderr  # progress bar
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["summary"]["jump_count"] == len(data["jumps"])
    assert (tmp_path / "frames.csv").is_file() and (tmp_path / "jumps.csv").is_file()


@pytest.mark.parametrize("args, stated", [([], False), (["--rope-turning"], True)])
def test_rope_turning_is_passed_to_the_analysis(monkeypatch, tmp_path, args, stated):
    import analysis.pipeline as pipeline
    from analysis.types import AnalysisError

    seen = {}

    def fake(path, config, **kw):
        seen["config"] = config
        raise AnalysisError("stopped here")

    monkeypatch.setattr(pipeline, "analyze_video", fake)
    assert main([str(tmp_path / "clip.mp4"), "--quiet", "--out", str(tmp_path / "out"), *args]) == 2
    assert seen["config"].rope_turning is stated


def test_batch_takes_rope_turning(monkeypatch, tmp_path):
    import analysis.batch as batch

    seen = {}
    monkeypatch.setattr(batch, "run_batch", lambda *a, **kw: seen.update(kw) or [])
    (tmp_path / "a.mp4").write_bytes(b"")
    batch.main([str(tmp_path / "a.mp4"), "--out", str(tmp_path / "out"), "--rope-turning", "--quiet"])
    assert seen["config"]["rope_turning"] is True
