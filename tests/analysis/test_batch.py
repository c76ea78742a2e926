"""``python -m analysis batch``: names, inputs, resumability and failure rows (fast, no
pose), the local engine on two real clips and a bad file, and the Ray engine (slow)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import batch
from analysis.batch import assign_names, collect_clips, run_batch, safe_name, summary_fields
from tests.conftest import REPO, require_ray, require_shared_videos

SHORT_CLIPS = (
    "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4",  # 151 frames
    "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",  # 275 frames
)


def _summary(out: Path) -> list[dict]:
    with (out / "summary.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows


def _bad(tmp: Path) -> Path:
    p = tmp / "in" / "bad clip.mp4"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(bytes(range(256)) * 400)  # not a video
    return p


@pytest.mark.parametrize(
    "path,expected",
    [
        ("a/b/clip one.mp4", "clip_one"),
        ("../../etc/passwd.mp4", "passwd"),
        ("..mp4", "clip"),
        ("..\\..\\evil.mov", "evil"),
        ("/x/..../.mp4", "mp4"),
        ("/x/über sprung (2).MOV", "ber_sprung_2"),
    ],
)
def test_safe_name_never_escapes_the_output_folder(path, expected, tmp_path):
    name = safe_name(path)
    assert name == expected
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_same_names_in_different_folders_get_distinct_stable_names(tmp_path):
    a, b = tmp_path / "a" / "clip.mp4", tmp_path / "b" / "clip.mp4"
    names = assign_names([a, b])
    assert names[a] != names[b] and names[a].startswith("clip-")
    assert assign_names([a, b]) == names


def test_collect_clips_takes_videos_from_folders_and_files_as_given(tmp_path):
    (tmp_path / "x.mp4").write_bytes(b"1")
    (tmp_path / "y.MOV").write_bytes(b"1")
    (tmp_path / "notes.txt").write_text("no")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.mp4").write_bytes(b"1")
    got = collect_clips([tmp_path, tmp_path / "notes.txt", tmp_path / "x.mp4"])
    assert [p.name for p in got] == ["x.mp4", "y.MOV", "notes.txt"]
    assert [p.name for p in collect_clips([tmp_path], recursive=True)] == ["z.mp4", "x.mp4", "y.MOV"]  # sorted by path (sub/ first)


def test_bad_files_get_error_rows_and_a_resumed_clip_is_rebuilt_from_its_report(tmp_path):
    bad = _bad(tmp_path)
    done = tmp_path / "in" / "done.mp4"
    done.write_bytes(b"never decoded: its report exists")
    out = tmp_path / "out"
    (out / "done").mkdir(parents=True)
    report = {
        "summary": {"jump_count": 12, "jumps_per_minute": 120.5, "mean_height_cm": 4.2, "duration_s": 8.0, "view": "front"},
        "rules": [{"id": "landing.knees_soft", "status": "fault", "pass_share": 0.25},
                  {"id": "arms.elbows_in", "status": "na", "pass_share": None}],
        "quality": {"warnings": ["Feet leave the frame", "Dim"]},
        "messages": [], "partial": False, "timings_s": {"total": 3.0},
    }
    (out / "done" / "report.json").write_text(json.dumps(report))
    rows = run_batch([bad, done, tmp_path / "in" / "missing.mp4"], out, workers=2, progress=False)
    by = {r["name"]: r for r in rows}
    assert list(by) == ["bad_clip", "done", "missing"]
    assert by["bad_clip"]["status"] == "error" and "not a readable video" in by["bad_clip"]["error"]
    assert by["missing"]["status"] == "error" and "not found" in by["missing"]["error"]
    d = by["done"]
    assert (d["status"], d["cached"], d["jumps"], d["jumps_per_minute"]) == ("ok", 1, 12, 120.5)
    assert d["pass_landing.knees_soft"] == 0.25 and d["pass_arms.elbows_in"] == ""
    assert d["quality_warnings"] == "Feet leave the frame | Dim"
    csv_rows = _summary(out)
    assert [r["name"] for r in csv_rows] == ["bad_clip", "done", "missing"]
    assert list(csv_rows[0]) == summary_fields()
    assert (out / "bad_clip" / "error.txt").is_file() and not (out / "bad_clip" / "report.json").exists()
    assert not list(out.glob(".tmp-*"))


def test_cli_exit_codes(tmp_path, capsys):
    bad = _bad(tmp_path)
    (tmp_path / "empty").mkdir()
    assert batch.main([str(tmp_path / "empty"), "--out", str(tmp_path / "o1"), "--quiet"]) == 2
    assert batch.main([str(bad), "--out", str(tmp_path / "o2"), "--quiet", "--workers", "1"]) == 1
    assert "1 failed" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        batch.main([str(bad), "--out", str(tmp_path / "o3"), "--address", "x:1"])


@pytest.mark.slow
def test_local_engine_on_real_clips_is_resumable(tmp_path):
    videos = require_shared_videos()
    clips = [videos / c for c in SHORT_CLIPS] + [_bad(tmp_path)]
    out = tmp_path / "out"
    rows = run_batch(clips, out, workers=2, progress=False)
    assert [r["status"] for r in rows] == ["ok", "ok", "error"]
    for r, c in zip(rows[:2], SHORT_CLIPS):
        assert r["name"] == Path(c).stem and r["cached"] == 0
        assert int(r["jumps"]) > 3 and float(r["jumps_per_minute"]) > 60
        for f in ("report.json", "frames.csv", "jumps.csv"):
            assert (out / r["name"] / f).is_file()
        assert any(r[f"pass_{rid}"] != "" for rid in batch.rule_ids())
    assert rows[2]["error"]
    assert len(_summary(out)) == 3
    stamps = {r["name"]: (out / r["name"] / "report.json").stat().st_mtime_ns for r in rows[:2]}

    # Second run: the two analysed clips are not redone; their rows come from report.json.
    again = run_batch(clips, out, workers=2, progress=False)
    assert [r["status"] for r in again] == ["ok", "ok", "error"]
    assert [r["cached"] for r in again] == [1, 1, 0]
    for r0, r1 in zip(rows[:2], again[:2]):
        assert r1["jumps"] == r0["jumps"] and r1["jumps_per_minute"] == r0["jumps_per_minute"]
        assert (out / r1["name"] / "report.json").stat().st_mtime_ns == stamps[r1["name"]]


@pytest.mark.slow
def test_ray_engine_on_a_local_instance(tmp_path):
    require_ray()
    videos = require_shared_videos()
    clips = [videos / SHORT_CLIPS[0], _bad(tmp_path)]
    out = tmp_path / "out"
    rows = run_batch(clips, out, workers=2, engine="ray", progress=False)
    assert [r["status"] for r in rows] == ["ok", "error"]
    assert int(rows[0]["jumps"]) > 3
    assert (out / rows[0]["name"] / "report.json").is_file()
    assert (out / rows[0]["name"] / "frames.csv").stat().st_size > 1000
    assert "not a readable video" in rows[1]["error"]


def test_ray_engine_without_ray_says_how_to_install_it(tmp_path):
    """An install from requirements.txt alone has no Ray: one line, exit 2, no traceback."""
    bad = _bad(tmp_path)
    code = (
        "import sys; sys.modules['ray'] = None\n"  # `import ray` fails as if it were not installed
        "from analysis.__main__ import main\n"
        f"sys.exit(main(['batch', {str(bad)!r}, '--out', {str(tmp_path / 'o')!r}, '--engine', 'ray']))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --engine ray needs Ray"), r.stderr
    assert "pip install 'jumprope-form[ray]'" in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()  # refused before any work


def test_run_batch_with_the_ray_engine_and_no_ray_raises_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ValueError, match=r"pip install 'jumprope-form\[ray\]'"):
        run_batch([_bad(tmp_path)], tmp_path / "out", engine="ray", progress=False)


def test_requirements_txt_does_not_need_ray_and_the_extra_provides_it():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    req = (REPO / "requirements.txt").read_text()
    assert not [ln for ln in req.splitlines() if ln.strip().lower().startswith("ray")]
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(d.startswith("ray[default]") for d in extras["ray"])
