"""The batch command writing into a store: who each clip belongs to, and a real batch of
the sample clips saved, skipped when run again, and listed by the store's command line."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pytest

from analysis import batch
from analysis.__main__ import main as cli_main
from analysis.store import StoreError, open_store
from analysis.store.batchsink import StoreSink, read_jumper_map
from tests.conftest import REPO


def test_the_jumper_map_matches_names_or_paths_and_checks_its_header(tmp_path):
    m = tmp_path / "class.csv"
    m.write_text("Clip,Jumper,Date\nweek1.mp4, Ann ,2024-02-01\nsub/week2.mp4,Bo,\n,ignored,\n", encoding="utf-8")
    got = read_jumper_map(m)
    assert got["week1.mp4"].jumper == "Ann" and got["week1.mp4"].recorded_at.date() == date(2024, 2, 1)
    assert got[str((tmp_path / "sub" / "week2.mp4").resolve())].recorded_at is None
    bad = tmp_path / "bad.csv"
    bad.write_text("file,name\na.mp4,Ann\n")
    with pytest.raises(StoreError, match="expected a CSV header with 'clip' and 'jumper'"):
        read_jumper_map(bad)
    bad.write_text("clip,jumper,date\na.mp4,Ann,yesterday\n")
    with pytest.raises(StoreError, match="line 2: date: expected YYYY-MM-DD"):
        read_jumper_map(bad)


def test_the_map_wins_then_the_folder_then_the_default(tmp_path):
    (tmp_path / "class" / "cy").mkdir(parents=True)
    in_map, in_folder, loose = (tmp_path / "class" / "cy" / "a.mp4", tmp_path / "class" / "cy" / "b.mp4",
                                tmp_path / "class" / "c.mp4")
    with open_store("sqlite://") as store:
        sink = StoreSink(store, jumper="Coach's pick", mapping=read_jumper_map_from({"a.mp4": "Ann"}, tmp_path),
                         from_folder=True, input_dirs=[(tmp_path / "class").resolve()])
        assert [sink.assignment(p).jumper for p in (in_map, in_folder, loose)] == ["Ann", "cy", "Coach's pick"]
        assert sink.unmatched([in_map]) == [] and sink.unmatched([loose]) == ["a.mp4"]


def read_jumper_map_from(pairs: dict[str, str], folder):
    p = folder / "map.csv"
    p.write_text("clip,jumper\n" + "".join(f"{k},{v}\n" for k, v in pairs.items()))
    return read_jumper_map(p)


def test_store_options_need_store_and_an_output_is_needed(tmp_path, capsys):
    with pytest.raises(SystemExit):
        batch.main([str(tmp_path), "--out", str(tmp_path / "o"), "--jumper", "Ann"])
    assert "need --store" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        batch.main([str(tmp_path)])
    assert "give --out DIR, --store [URL], or both" in capsys.readouterr().err


def test_the_store_command_line_lists_exports_and_deletes(tmp_path, report_json, capsys):
    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    with open_store(url) as store:
        sid = store.save_session(report_json, jumper="Ann", clip=b"bytes", keep_clip=True)
    assert cli_main(["store", "--store", url, "sessions"]) == 0
    assert f"{sid}\tAnn\t" in capsys.readouterr().out
    assert cli_main(["store", "--store", url, "export", str(sid), "--out", str(tmp_path / "s.json")]) == 0
    assert '"stored_session"' in (tmp_path / "s.json").read_text()
    assert cli_main(["store", "--store", url, "report", str(sid), "--out", str(tmp_path / "s.html")]) == 0
    assert (tmp_path / "s.html").read_text().startswith("<!DOCTYPE html>")
    assert cli_main(["store", "--store", url, "delete-jumper", "Ann"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert cli_main(["store", "--store", url, "delete-jumper", "Ann", "--yes"]) == 0
    assert "1 session, 1 kept file" in capsys.readouterr().out
    assert cli_main(["store", "--store", url, "export", str(sid)]) == 2
    assert f"no session {sid}" in capsys.readouterr().err


@pytest.mark.slow
def test_a_batch_of_two_jumpers_folders_goes_into_the_store_once(tmp_path, monkeypatch, capsys):
    for jumper, name in (("alice", "clean_front.mp4"), ("bob", "side_faults.mp4")):
        (tmp_path / "class" / jumper).mkdir(parents=True)
        shutil.copy(REPO / "sample_videos" / name, tmp_path / "class" / jumper / name)
    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    args = [str(tmp_path / "class"), "--recursive", "--store", url, "--jumper-from-folder", "--keep-clips",
            "--workers", "1", "--quiet", "--date", "2024-03-01"]
    assert batch.main(args) == 0
    assert "2 analysed (0 already done), 0 failed" in capsys.readouterr().out
    with open_store(url) as store:
        sessions = store.list_sessions()
        assert sorted(s.jumper for s in sessions) == ["alice", "bob"]
        assert all(s.has_pose and s.clip_kept and s.jump_count > 0 for s in sessions)
        assert {s.recorded_at.astimezone().date() for s in sessions} == {date(2024, 3, 1)}
        assert store.load_report(sessions[0].id).jumps.count == sessions[0].jump_count
    # Again: both clips are in the store already, nothing is analysed.
    monkeypatch.setattr(batch, "analyze_clip_task", lambda *a, **k: pytest.fail("a stored clip was analysed again"))
    assert batch.main(args) == 0
    assert "2 analysed (2 already done)" in capsys.readouterr().out
    assert cli_main(["store", "--store", url, "class", "--sort", "jumper"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["jumper"] for r in rows] == ["alice", "bob"]
