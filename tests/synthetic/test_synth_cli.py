"""The command line writes a browser-playable mp4 and its truth."""

from __future__ import annotations

import json

import av
import numpy as np
import pytest

from synthetic.__main__ import main
from synthetic.suite import QUICK, run_suite


def test_cli_writes_h264_video_with_audio_and_truth(tmp_path) -> None:
    out = tmp_path / "clip.mp4"
    rc = main([str(out), "--preset", "clean_side", "--seed", "4", "--param", "n_jumps=2",
               "--param", "resolution_p=240", "--param", "lead_in_s=0.3", "--param", "loud_landings=[1]"])
    assert rc == 0
    truth = json.loads((tmp_path / "clip.truth.json").read_text())
    assert truth["view"] == "side" and truth["seed"] == 4 and truth["params"]["n_jumps"] == 2
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        assert v.codec_context.name == "h264" and v.codec_context.pix_fmt == "yuv420p"
        assert (v.codec_context.width, v.codec_context.height) == (truth["width"], truth["height"])
        assert len(c.streams.audio) == 1
        n = sum(1 for _ in c.decode(video=0))
    assert n == truth["n_frames"]
    assert truth["audio"]["thumps"][1]["loud"] is True


def test_cli_rejects_bad_param(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit):
        main([str(tmp_path / "x.mp4"), "--param", "style=hopscotch"])
    assert "style must be one of" in capsys.readouterr().err


@pytest.mark.slow
def test_quick_suite_generates_and_skips_existing(tmp_path) -> None:
    idx = run_suite(tmp_path, quick=True, verbose=False)
    assert len(idx) == len(QUICK)
    stamp = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.mp4")}
    run_suite(tmp_path, quick=True, verbose=False)
    assert stamp == {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.mp4")}
    for e in idx:
        t = json.loads((tmp_path / e["truth"]).read_text())
        assert t["n_frames"] / t["fps"] <= 5.0
        assert sorted(f["rule"] for f in t["faults"]) == sorted(e["expected_faults"])
        assert np.array(t["frames"]["landmarks_px"]).shape == (t["n_frames"], 33, 2)
