"""Tests of analysis.audio on synthetic thumps (known times and levels) and a real clip."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from analysis.audio import (
    AUDIO_THRESHOLDS,
    AudioError,
    AudioThresholds,
    AudioTrack,
    align_onsets,
    assess_quiet_landings,
    audio_jump_count,
    compare_counts,
    detect_impacts,
    landing_loudness,
    read_audio,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_VIDEOS = REPO_ROOT.parent / "shared" / "videos"
SR = 22050


# --------------------------------------------------------------------------- synthesis helpers


def thump(sr: int, amp: float, rng: np.random.Generator | None = None, f0_hz: float = 90.0) -> np.ndarray:
    """A landing: decaying low-frequency burst plus a short noise transient, peak = amp.

    Without ``rng`` every thump has the same shape, so levels differ exactly by ``amp``.
    """
    rng = rng or np.random.default_rng(1234)
    n = int(0.15 * sr)
    t = np.arange(n) / sr
    body = np.sin(2 * np.pi * f0_hz * t) * np.exp(-t / 0.04)
    click = rng.standard_normal(n) * np.exp(-t / 0.006)
    x = 0.7 * body + 0.5 * click
    return amp * x / np.abs(x).max()


def synth_thumps(
    times_s, amps, sr: int = SR, duration_s: float | None = None, noise_dbfs: float = -60.0, seed: int = 0
) -> np.ndarray:
    """Thumps at ``times_s`` (s from the first sample) with peak amplitudes ``amps``."""
    rng = np.random.default_rng(seed)
    times_s = list(times_s)
    duration_s = duration_s or (max(times_s) + 1.0)
    y = rng.standard_normal(int(duration_s * sr)) * 10 ** (noise_dbfs / 20)
    for t, a in zip(times_s, amps):
        th = thump(sr, a)
        i = int(round(t * sr))
        seg = y[i : i + th.size]
        seg += th[: seg.size]
    return np.clip(y, -1, 1).astype(np.float32)


def skipping_times(
    n: int, period_s: float = 0.45, start_s: float = 1.0, jitter_s: float = 0.015, seed: int = 1
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start_s + np.arange(n) * period_s + rng.uniform(-jitter_s, jitter_s, n)


def db(x: float) -> float:
    return 10 ** (x / 20)


def chords(duration_s: float, sr: int = SR, change_s: float = 0.5, level_dbfs: float = -12.0) -> np.ndarray:
    """Music stand-in: sustained triads with harmonics, a new chord every ``change_s``."""
    t = np.arange(int(duration_s * sr)) / sr
    roots = [220.0, 174.6, 261.6, 196.0]
    y = np.zeros_like(t)
    for k in range(int(np.ceil(duration_s / change_s))):
        seg = (t >= k * change_s) & (t < (k + 1) * change_s)
        tt = t[seg] - k * change_s
        env = np.minimum(tt / 0.01, 1.0) * np.exp(-tt / 1.5)
        root = roots[k % len(roots)]
        for ratio in (1.0, 1.26, 1.5):
            for h, ha in ((1, 1.0), (2, 0.5), (3, 0.25)):
                y[seg] += ha * np.sin(2 * np.pi * root * ratio * h * tt) * env
    y *= db(level_dbfs) / np.sqrt(np.mean(y**2))
    return np.clip(y, -1, 1).astype(np.float32)


def write_wav(path: Path, y: np.ndarray, sr: int = SR) -> Path:
    import av

    with av.open(str(path), "w") as c:
        s = c.add_stream("pcm_s16le", rate=sr, layout="mono")
        pcm = (np.clip(y, -1, 1) * 32767).astype(np.int16)
        for i in range(0, pcm.size, 1024):
            fr = av.AudioFrame.from_ndarray(pcm[None, i : i + 1024], format="s16", layout="mono")
            fr.sample_rate = sr
            fr.pts = i
            for p in s.encode(fr):
                c.mux(p)
        for p in s.encode(None):
            c.mux(p)
    return path


def write_mp4(
    path: Path,
    y: np.ndarray | None,
    sr: int = SR,
    fps: int = 30,
    duration_s: float | None = None,
    audio_start_s: float = 0.0,
) -> Path:
    """mp4 with a small mpeg4 video stream from t=0 and (optionally) AAC audio starting
    at ``audio_start_s`` on the same clock."""
    import av

    if duration_s is None:
        duration_s = (y.size / sr + audio_start_s) if y is not None else 2.0
    with av.open(str(path), "w") as c:
        v = c.add_stream("mpeg4", rate=fps)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        a = None
        if y is not None:
            a = c.add_stream("aac", rate=sr, layout="mono")
            a.time_base = Fraction(1, sr)
        img = np.zeros((48, 64, 3), np.uint8)
        for i in range(int(duration_s * fps)):
            fr = av.VideoFrame.from_ndarray(img, format="rgb24")
            fr.pts = i
            for p in v.encode(fr):
                c.mux(p)
        for p in v.encode(None):
            c.mux(p)
        if a is not None:
            first = int(round(audio_start_s * sr))
            x = np.clip(y, -1, 1).astype(np.float32)
            for i in range(0, x.size, 1024):
                fr = av.AudioFrame.from_ndarray(x[None, i : i + 1024], format="fltp", layout="mono")
                fr.sample_rate = sr
                fr.pts = first + i
                fr.time_base = Fraction(1, sr)
                for p in a.encode(fr):
                    c.mux(p)
            for p in a.encode(None):
                c.mux(p)
    return path


def write_corrupt_audio_mp4(path: Path) -> Path:
    """mp4 whose AAC stream holds random bytes instead of AAC frames."""
    import av

    rng = np.random.default_rng(0)
    with av.open(str(path), "w") as c:
        v = c.add_stream("mpeg4", rate=25)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        a = c.add_stream("aac", rate=SR)
        for i in range(25):
            fr = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            fr.pts = i
            for p in v.encode(fr):
                c.mux(p)
        for p in v.encode(None):
            c.mux(p)
        for i in range(40):
            pkt = av.Packet(rng.integers(0, 256, 300, dtype=np.uint8).tobytes())
            pkt.stream = a
            pkt.pts = pkt.dts = i * 1024
            pkt.time_base = Fraction(1, SR)
            c.mux(pkt)
    return path


def nearest_errors(detected: np.ndarray, truth: np.ndarray) -> np.ndarray:
    return np.array([detected[np.argmin(np.abs(detected - t))] - t for t in truth])


# --------------------------------------------------------------------------- AudioTrack


def test_audio_track_validates_and_is_frozen():
    tr = AudioTrack(np.zeros(SR, dtype=np.float64), SR, start_s=0.1)
    assert tr.samples.dtype == np.float32 and tr.duration_s == pytest.approx(1.0)
    assert not tr.samples.flags.writeable
    with pytest.raises(Exception):
        tr.start_s = 1.0  # frozen
    with pytest.raises(ValueError, match="1-D"):
        AudioTrack(np.zeros((2, 10), np.float32), SR)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        AudioTrack(np.full(10, 2.0, np.float32), SR)
    with pytest.raises(ValueError, match="sample_rate_hz"):
        AudioTrack(np.zeros(10, np.float32), 0)
    with pytest.raises(ValueError, match="duration_s"):
        AudioTrack(np.zeros(SR, np.float32), SR, duration_s=5.0)


def test_thresholds_are_named_constants_with_units_and_sources():
    th = AUDIO_THRESHOLDS
    assert isinstance(th, AudioThresholds)
    assert th.loud_rel_median_db.value == 6.0 and th.loud_rel_median_db.unit == "dB"
    assert th.min_cadence_hz.value < th.max_cadence_hz.value
    assert 0 < th.min_match_rate.value <= 1
    for name, t in th.items().items():
        assert t.unit and t.reason and t.source, name
    assert th.with_values(min_impacts=3).min_impacts.value == 3.0
    assert th.with_values(min_impacts=3).min_impacts.source == th.min_impacts.source
    with pytest.raises(ValueError, match="unknown threshold"):
        th.with_values(min_impactz=3)


# --------------------------------------------------------------------------- onsets and levels


def test_onsets_within_20ms_and_levels_follow_amplitude():
    times = skipping_times(24)
    rng = np.random.default_rng(3)
    levels = rng.uniform(-30, -8, times.size)
    y = synth_thumps(times, [db(l) for l in levels])
    imp = detect_impacts(AudioTrack(y, SR))
    assert imp.usable, imp.reason
    assert len(imp) == times.size
    err = nearest_errors(imp.times_s, times)
    assert np.max(np.abs(err)) < 0.020
    assert abs(np.median(err)) < 0.010
    # Measured level tracks the synthesised peak level (same thump shape).
    rel = imp.peak_dbfs - levels[np.argsort(times)]
    assert np.ptp(rel) < 3.0
    assert imp.background_dbfs == pytest.approx(-60, abs=3)


def test_track_start_offset_shifts_impact_times():
    times = skipping_times(10)
    y = synth_thumps(times, [db(-15)] * times.size)
    imp = detect_impacts(AudioTrack(y, SR, start_s=0.5))
    err = nearest_errors(imp.times_s, times + 0.5)
    assert np.max(np.abs(err)) < 0.020


def test_loud_landings_flagged_quiet_ones_not():
    times = skipping_times(30)
    levels = np.full(times.size, -28.0) + np.random.default_rng(4).uniform(-1.5, 1.5, times.size)
    loud_idx = [5, 14, 23]
    levels[loud_idx] = -14.0  # ~14 dB above the median landing
    levels[[9, 18]] = -24.0  # +4 dB: louder, but under the 6 dB threshold
    y = synth_thumps(times, [db(l) for l in levels])
    res = assess_quiet_landings(AudioTrack(y, SR), times)
    assert res.status == "assessed", res.reason
    assert res.match_rate == 1.0
    assert [i for i, l in enumerate(res.landings) if l.loud] == loud_idx
    for i in loud_idx:
        assert res.landings[i].level_db_rel_median > 10
        assert res.landings[i].level_db_rel_background > 25
    assert all(abs(l.level_db_rel_median) < 3 for i, l in enumerate(res.landings) if i not in loud_idx + [9, 18])
    assert abs(res.offset_s) < 0.010


def test_room_noise_and_mains_hum_still_usable():
    """Ventilation-like brown noise and 50 Hz hum under the landings do not hide them."""
    times = skipping_times(20, seed=14)
    levels = np.full(times.size, -18.0)
    levels[7] = -6.0
    y = synth_thumps(times, [db(l) for l in levels], noise_dbfs=-90)
    rng = np.random.default_rng(15)
    brown = np.cumsum(rng.standard_normal(y.size))
    brown -= np.convolve(brown, np.ones(2205) / 2205, mode="same")  # keep it stationary
    brown *= db(-48) / np.sqrt(np.mean(brown**2))
    hum = db(-45) * np.sin(2 * np.pi * 50 * np.arange(y.size) / SR)
    y = np.clip(y + brown + hum, -1, 1).astype(np.float32)
    res = assess_quiet_landings(AudioTrack(y, SR), times)
    assert res.status == "assessed", res.reason
    assert [i for i, l in enumerate(res.landings) if l.loud] == [7]
    assert res.audio_count.count == 20


def test_result_as_dict_is_json_ready():
    times = skipping_times(12)
    levels = np.full(12, -20.0)
    levels[4] = -6.0
    res = assess_quiet_landings(AudioTrack(synth_thumps(times, [db(l) for l in levels]), SR), times)
    d = json.loads(json.dumps(res.as_dict()))
    assert d["status"] == "assessed" and d["n_loud"] == 1 and d["landings"][4]["loud"] is True
    assert d["audio_count"]["count"] == 12 and len(d["audio_count"]["times_s"]) == 12
    none = json.loads(json.dumps(assess_quiet_landings(None, times).as_dict()))
    assert none["status"] == "not_assessable" and none["landings"] == [] and none["audio_count"] is None


def test_even_landings_none_loud():
    times = skipping_times(20)
    y = synth_thumps(times, [db(-20)] * times.size)
    res = assess_quiet_landings(AudioTrack(y, SR), times)
    assert res.status == "assessed" and res.n_loud == 0


def test_clipped_landings_not_assessable():
    """A saturated recording flattens every landing to full scale: no loudness verdict."""
    times = skipping_times(16)
    y = np.clip(synth_thumps(times, [db(6)] * 16) * 1.0, -1, 1)  # +6 dB over full scale, clipped
    track = AudioTrack(y.astype(np.float32), SR)
    imp = detect_impacts(track)
    assert imp.usable and imp.clipped.all()
    res = assess_quiet_landings(track, times, impacts=imp)
    assert res.status == "not_assessable" and "clip" in res.reason and res.n_loud == 0
    assert res.audio_count.count == 16  # counting still works on clipped sound


def test_loud_flag_needs_clear_margin_over_background():
    """+6 dB over the median is not 'loud' when the landing is barely above background."""
    th = AUDIO_THRESHOLDS.with_values(loud_min_rel_background_db=40.0)
    times = skipping_times(16)
    levels = np.full(times.size, -30.0)
    levels[3] = -18.0  # 12 dB over the median, ~30 dB (RMS) over the -60 dBFS background
    y = synth_thumps(times, [db(l) for l in levels])
    imp = detect_impacts(AudioTrack(y, SR), th)
    al = align_onsets(imp.times_s, times)
    landings = landing_loudness(imp, al, th)
    assert landings[3].level_db_rel_median > 6 and not landings[3].loud
    assert not any(l.loud for l in landings)
    assert any(l.loud for l in landing_loudness(imp, al))  # default thresholds: loud


# --------------------------------------------------------------------------- not assessable, never a fault


def test_music_chords_not_assessable():
    y = chords(12.0)
    imp = detect_impacts(AudioTrack(y, SR))
    assert not imp.usable
    assert "music" in imp.reason or "drowned" in imp.reason
    res = assess_quiet_landings(AudioTrack(y, SR), np.arange(1.0, 11.0, 0.5))
    assert res.status == "not_assessable" and res.n_loud == 0 and res.landings == ()
    assert res.audio_count is not None and res.audio_count.count is None


def test_thumps_under_loud_music_not_assessable():
    times = skipping_times(20)
    y = np.clip(chords(11.0, level_dbfs=-10) + synth_thumps(times, [db(-30)] * 20, duration_s=11.0), -1, 1)
    res = assess_quiet_landings(AudioTrack(y.astype(np.float32), SR), times)
    assert res.status == "not_assessable" and res.n_loud == 0


def test_noise_not_assessable():
    rng = np.random.default_rng(5)
    y = (rng.standard_normal(10 * SR) * db(-20)).astype(np.float32)
    res = assess_quiet_landings(AudioTrack(y, SR), np.arange(1.0, 9.0, 0.45))
    assert res.status == "not_assessable" and res.n_loud == 0
    assert "audio not usable" in res.reason


def test_random_clatter_not_rhythmic():
    rng = np.random.default_rng(6)
    times = np.sort(rng.uniform(0.5, 14.5, 25))
    times = times[np.concatenate([[True], np.diff(times) > 0.08])]
    y = synth_thumps(times, [db(-15)] * times.size, duration_s=15.0)
    imp = detect_impacts(AudioTrack(y, SR))
    assert not imp.usable and "rhythmic" in imp.reason


def test_near_silence_not_assessable():
    y = (np.random.default_rng(7).standard_normal(5 * SR) * db(-80)).astype(np.float32)
    res = assess_quiet_landings(AudioTrack(y, SR), [1.0, 1.5, 2.0])
    assert res.status == "not_assessable" and "near-silent" in res.reason


def test_inaudible_soft_landings_not_assessable():
    times = skipping_times(20)
    y = synth_thumps(times, [db(-55)] * 20, noise_dbfs=-50)  # landings under the room noise
    res = assess_quiet_landings(AudioTrack(y, SR), times)
    assert res.status == "not_assessable" and "no clear impacts" in res.reason and res.n_loud == 0


def test_no_audio_track_not_assessable():
    res = assess_quiet_landings(None, [1.0, 1.5])
    assert res.status == "not_assessable" and "no audio" in res.reason and res.n_loud == 0


def test_unmatched_touchdowns_not_assessable():
    times = skipping_times(20)
    y = synth_thumps(times, [db(-20)] * 20)
    # Touchdowns from some other rhythm: few line up with the sounds.
    td = 1.2 + np.arange(14) * 0.62
    res = assess_quiet_landings(AudioTrack(y, SR), td)
    assert res.status == "not_assessable" and "do not match" in res.reason
    assert res.match_rate < 0.5


# --------------------------------------------------------------------------- alignment


@pytest.mark.parametrize("offset_s", [0.08, -0.12, 0.0, 0.2])
def test_offset_recovered_within_10ms(offset_s):
    times = skipping_times(30, start_s=1.0)
    y = synth_thumps(times + max(offset_s, 0) + 0.3, [db(-18)] * 30, duration_s=16.0)
    start_s = -max(offset_s, 0) - 0.3 + offset_s  # audio's own clock vs video clock
    track = AudioTrack(y, SR, start_s=start_s)
    # Video touchdowns come in whole frames at 30 fps.
    td = np.round(times * 30) / 30
    imp = detect_impacts(track)
    al = align_onsets(imp.times_s, td)
    assert al.offset_s == pytest.approx(offset_s, abs=0.010)
    assert al.match_rate == 1.0 and al.unmatched_impact_index.size == 0


def test_offset_prefers_landings_over_louder_rope_slaps():
    land = skipping_times(24, period_s=0.5, seed=13)
    slap = land - 0.15  # rope hits the floor 150 ms before the feet land
    y = synth_thumps(np.concatenate([land, slap]) + 0.03, [db(-22)] * 24 + [db(-14)] * 24, duration_s=14.0)
    track = AudioTrack(y, SR)
    res = assess_quiet_landings(track, np.round(land * 30) / 30)
    assert res.status == "assessed", res.reason
    assert res.offset_s == pytest.approx(0.03, abs=0.010)
    matched = np.array([l.impact_s for l in res.landings])
    assert np.max(np.abs(matched - (land + 0.03))) < 0.02
    assert res.n_loud == 0 and res.audio_count.count == 24


def test_align_onsets_one_to_one_with_extras_and_misses():
    td = np.arange(20) * 0.5 + 1.0
    imp = td + 0.1
    imp = np.delete(imp, [3, 11])  # two landings not heard
    imp = np.sort(np.concatenate([imp, [0.3, 5.27, 12.0]]))  # extra sounds
    al = align_onsets(imp, td)
    assert al.offset_s == pytest.approx(0.1, abs=1e-6)
    assert al.n_matched == 18 and al.match_rate == pytest.approx(0.9)
    assert list(al.unmatched_touchdown_index) == [3, 11]
    assert al.unmatched_impact_index.size == 3
    assert len(set(al.impact_index.tolist())) == al.n_matched
    assert np.all(np.abs(al.residual_s) < 1e-9)
    empty = align_onsets([], [1.0, 2.0])
    assert empty.match_rate == 0.0 and empty.n_matched == 0


def _dense_greedy_match(td, imp, offset, tol):
    """The first implementation, kept as the reference: the full touchdown x impact
    matrix, then closest pairs first (row-major order breaks ties)."""
    if td.size == 0 or imp.size == 0:
        return np.zeros(0, int), np.zeros(0, int)
    diff = imp[None, :] - (td[:, None] + offset)
    ii, jj = np.nonzero(np.abs(diff) <= tol)
    order = np.argsort(np.abs(diff[ii, jj]), kind="stable")
    used_t, used_i, out_t, out_i = set(), set(), [], []
    for k in order:
        a, b = int(ii[k]), int(jj[k])
        if a not in used_t and b not in used_i:
            used_t.add(a)
            used_i.add(b)
            out_t.append(a)
            out_i.append(b)
    srt = np.argsort(out_t)
    return np.asarray(out_t, int)[srt], np.asarray(out_i, int)[srt]


@pytest.mark.parametrize("seed", range(6))
def test_windowed_matching_equals_the_dense_matrix(seed):
    """The sorted-window search finds exactly the pairs of the dense matrix, ties included
    (impacts unsorted, duplicated and on a 5 ms grid, like frame-quantised touchdowns)."""
    from analysis.audio.align import _greedy_match

    rng = np.random.default_rng(seed)
    td = np.sort(rng.uniform(0, 60, 120).round(2))
    imp = np.concatenate([td + rng.normal(0.02, 0.02, td.size), rng.uniform(0, 60, 40)]).round(3)
    imp = np.concatenate([imp, imp[:5]])  # exact duplicates: ties
    rng.shuffle(imp)
    for offset in np.arange(-50, 51) * 0.005:
        got = _greedy_match(td, imp, offset, 0.05)
        want = _dense_greedy_match(td, imp, offset, 0.05)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


# --------------------------------------------------------------------------- audio count


def test_audio_count_exact_with_isolated_sounds():
    bout1 = skipping_times(25, period_s=0.45, start_s=1.0, seed=8)
    bout2 = skipping_times(18, period_s=0.40, start_s=15.0, seed=9)
    isolated = np.array([0.2, 13.0, 23.5, 25.0])  # a dropped handle, a clap, steps
    times = np.concatenate([bout1, bout2, isolated])
    rng = np.random.default_rng(10)
    amps = [db(l) for l in rng.uniform(-30, -12, times.size)]
    y = synth_thumps(times, amps, duration_s=26.0)
    imp = detect_impacts(AudioTrack(y, SR))
    assert imp.usable, imp.reason
    cnt = audio_jump_count(imp)
    assert cnt.count == 25 + 18
    assert len(cnt.bouts) == 2 and [b.count for b in cnt.bouts] == [25, 18]
    assert np.max(np.abs(nearest_errors(cnt.times_s, np.concatenate([bout1, bout2])))) < 0.02
    assert np.max(np.abs(nearest_errors(cnt.ignored_times_s, isolated))) < 0.02
    assert cnt.cadence_hz == pytest.approx(1 / 0.425, rel=0.1)


def test_audio_count_rope_slap_plus_landing_counts_once():
    land = skipping_times(20, period_s=0.5, seed=11)
    slap = land - 0.12  # rope ticks the floor 120 ms before the feet land
    times = np.concatenate([land, slap])
    amps = [db(-15)] * 20 + [db(-26)] * 20
    y = synth_thumps(times, amps)
    cnt = audio_jump_count(detect_impacts(AudioTrack(y, SR)))
    assert cnt.count == 20
    assert np.max(np.abs(nearest_errors(cnt.times_s, land))) < 0.02


def test_compare_counts_shows_disagreements():
    times = skipping_times(20, seed=16)
    y = synth_thumps(np.delete(times, 8) + 0.05, [db(-18)] * 19)  # one landing not heard
    cnt = audio_jump_count(detect_impacts(AudioTrack(y, SR)))
    video = np.concatenate([times, [times[-1] + 0.45]])  # video counts one more at the end
    cmp = compare_counts(cnt, video)
    assert cmp.audio_count == 19 and cmp.video_count == 21 and cmp.difference == -2
    assert cmp.matched == 19 and cmp.audio_only_s == ()
    assert np.allclose(cmp.video_only_s, [times[8], times[-1] + 0.45])
    assert cmp.offset_s == pytest.approx(0.05, abs=0.01)
    fixed = compare_counts(cnt, video, offset_s=0.05)
    assert fixed.matched == 19 and fixed.offset_s == 0.05


def test_audio_count_fast_speed_steps():
    times = skipping_times(40, period_s=0.14, jitter_s=0.005, seed=12)
    y = synth_thumps(times, [db(-18)] * 40)
    cnt = audio_jump_count(detect_impacts(AudioTrack(y, SR)))
    assert cnt.count == 40


# --------------------------------------------------------------------------- reading files


def test_read_wav_resamples_and_keeps_onsets(tmp_path):
    times = skipping_times(12)
    y44 = synth_thumps(times, [db(-14)] * 12, sr=44100)
    path = write_wav(tmp_path / "thumps.wav", y44, sr=44100)
    tr = read_audio(path)
    assert tr.sample_rate_hz == 22050 and tr.start_s == 0.0
    assert tr.duration_s == pytest.approx(y44.size / 44100, abs=0.01)
    assert tr.samples.dtype == np.float32 and np.max(np.abs(tr.samples)) <= 1.0
    imp = detect_impacts(tr)
    assert np.max(np.abs(nearest_errors(imp.times_s, times))) < 0.020
    short = read_audio(path, target_sr=16000, max_duration_s=1.0)
    assert short.sample_rate_hz == 16000 and short.duration_s == pytest.approx(1.0, abs=1e-3)


def test_read_mp4_aac_with_audio_start_offset(tmp_path):
    times = skipping_times(12)
    y = synth_thumps(times, [db(-14)] * 12, duration_s=7.0)
    path = write_mp4(tmp_path / "clip.mp4", y, audio_start_s=0.5, duration_s=7.5)
    tr = read_audio(path)
    # AAC priming samples may come first (pts one frame earlier); the onsets below must
    # still land on the video clock.
    assert tr.start_s == pytest.approx(0.5, abs=1024 / SR + 1e-3)
    imp = detect_impacts(tr)
    # Onsets on the video clock: synthesised time + 0.5 s audio start.
    assert np.max(np.abs(nearest_errors(imp.times_s, times + 0.5))) < 0.020


def test_read_no_audio_returns_none(tmp_path):
    path = write_mp4(tmp_path / "silent_video.mp4", None)
    assert read_audio(path) is None
    assert assess_quiet_landings(read_audio(path), [0.5]).status == "not_assessable"


def test_read_corrupt_audio_raises_audio_error(tmp_path):
    path = write_corrupt_audio_mp4(tmp_path / "broken_audio.mp4")
    with pytest.raises(AudioError, match=r"broken_audio\.mp4.*audio stream"):
        read_audio(path)
    assert issubclass(AudioError, ValueError)


def test_read_few_damaged_packets_keeps_timing(tmp_path):
    """A couple of garbled AAC packets do not fail the read or shift later samples."""
    import av

    times = skipping_times(12)
    src = write_mp4(tmp_path / "ok.mp4", synth_thumps(times, [db(-14)] * 12, duration_s=7.0))
    dst = tmp_path / "damaged.mp4"
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        vs = out.add_stream_from_template(inp.streams.video[0])
        aus = out.add_stream_from_template(inp.streams.audio[0])
        k = 0
        for pkt in inp.demux():
            if pkt.dts is None:
                continue
            if pkt.stream.type == "audio":
                k += 1
                if k in (30, 31, 90):
                    bad = av.Packet(np.random.default_rng(k).integers(0, 256, pkt.size, dtype=np.uint8).tobytes())
                    bad.pts, bad.dts, bad.time_base = pkt.pts, pkt.dts, pkt.time_base
                    pkt = bad
                pkt.stream = aus
            else:
                pkt.stream = vs
            out.mux(pkt)
    good, damaged = read_audio(src), read_audio(dst)
    assert damaged.duration_s == pytest.approx(good.duration_s, abs=0.05)
    imp = detect_impacts(damaged)
    assert np.max(np.abs(nearest_errors(imp.times_s, times))) < 0.020


def test_read_not_media_and_missing(tmp_path):
    junk = tmp_path / "notes.mp4"
    junk.write_bytes(b"this is not a video" * 10)
    with pytest.raises(AudioError, match=r"notes\.mp4"):
        read_audio(junk)
    with pytest.raises(FileNotFoundError):
        read_audio(tmp_path / "missing.mp4")


# --------------------------------------------------------------------------- real clip


def _real_clip() -> Path:
    manifest = SHARED_VIDEOS / "manifest.json"
    if not manifest.exists():
        msg = f"shared clips not found at {SHARED_VIDEOS} (expected ../shared/videos next to the repo)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    clips = json.loads(manifest.read_text())["clips"]
    name = "front_man_double_unders_outdoor_stop_and_walk_30fps.mp4"
    if not any(c["file"] == name for c in clips):
        pytest.fail(f"{name} no longer in {manifest}")
    return SHARED_VIDEOS / name


def test_real_clip_reads_and_is_judged():
    path = _real_clip()
    tr = read_audio(path)
    assert tr is not None and tr.sample_rate_hz == 22050
    assert tr.duration_s == pytest.approx(37.3, abs=0.2)
    assert -1.0 <= float(tr.samples.min()) and float(tr.samples.max()) <= 1.0
    imp = detect_impacts(tr)
    assert len(imp) > 10
    # The clip's soundtrack is music: the judgement must say so rather than guess.
    assert not imp.usable and imp.reason
    res = assess_quiet_landings(tr, np.arange(1.0, 30.0, 0.45), impacts=imp)
    assert res.status == "not_assessable" and res.n_loud == 0
    # A clip without an audio track.
    assert read_audio(SHARED_VIDEOS / "negative_jumping_jacks_indoor_30fps.mp4") is None
    # Video stream starting one frame late (pts 512/15360): audio clock is shifted back.
    montage = read_audio(
        SHARED_VIDEOS / "front_man_gym_multi_skill_montage_low_angle_portrait_30fps.mp4", max_duration_s=2.0
    )
    assert montage.start_s == pytest.approx(-1 / 30, abs=1e-3)
    assert montage.duration_s == pytest.approx(2.0, abs=1e-3)


def test_real_clip_with_audible_steps_counts_near_hand_count():
    """The one shared clip whose steps are audible: speed steps in a gym, hand count 22 (+-2)."""
    path = _real_clip().parent / "front_boy_alternate_step_gym_portrait_walks_off_30fps.mp4"
    imp = detect_impacts(read_audio(path))
    assert imp.usable, imp.reason
    cnt = audio_jump_count(imp)
    assert abs(cnt.count - 22) <= 3
    assert 2.5 <= cnt.times_s[0] and cnt.times_s[-1] <= 6.2  # steps run ~2.9-5.9 s in the video
    assert imp.clipped.mean() > 0.5  # the phone's recording saturates on these steps


@pytest.mark.parametrize("weighting", ["flat", "A"])
def test_levels_computed_a_block_at_a_time_equal_those_of_the_whole_track(weighting):
    """A long soundtrack's level frames are measured in blocks (memory stays flat); the
    numbers are those of the whole track at once."""
    from dataclasses import replace

    import librosa
    from scipy.signal import get_window

    from analysis.audio import levels
    from analysis.config import AUDIO_THRESHOLDS

    th = replace(AUDIO_THRESHOLDS, level_weighting=weighting)
    sr, frame, hop = 22050, 1024, 128
    rng = np.random.default_rng(11)
    y = (rng.normal(0, 0.1, int(sr * 40)) * np.sin(np.arange(int(sr * 40)) / 3000.0)).astype(np.float32)
    got = levels.frame_levels_dbfs(y, sr, frame, hop, th)
    assert got.size > 2 * levels.LEVEL_BLOCK_FRAMES  # several blocks
    padded = np.pad(y, (0, frame))
    if weighting == "flat":
        rms = librosa.feature.rms(y=padded, frame_length=frame, hop_length=hop, center=False)[0]
        np.testing.assert_array_equal(got, levels.level_dbfs(rms, th.floor_dbfs.value))
        return
    power = np.abs(librosa.stft(padded, n_fft=frame, hop_length=hop, center=False, window="hann")) ** 2
    w = librosa.db_to_power(librosa.A_weighting(librosa.fft_frequencies(sr=sr, n_fft=frame), min_db=-80.0))
    window = get_window("hann", frame, fftbins=True)
    ms = 2.0 * (w[:, None] * power).sum(axis=0) / (frame * float(np.sum(window**2)))
    np.testing.assert_array_equal(got, np.maximum(10.0 * np.log10(np.maximum(ms, 1e-24)), th.floor_dbfs.value))


def test_onset_spectra_from_the_onsets_samples_equal_the_whole_clips_spectrogram():
    """tonal_shares computes the spectrum only around each onset (memory stays flat); its
    per-onset share equals the one from the whole clip's centred spectrogram."""
    import librosa

    from analysis.audio import levels
    from analysis.config import AUDIO_THRESHOLDS as th

    sr = 22050
    rng = np.random.default_rng(4)
    n = sr * 20
    y = (0.05 * np.sin(2 * np.pi * 440 * np.arange(n) / sr) + rng.normal(0, 0.02, n)).astype(np.float32)
    onsets = np.array([0.001, 0.5, 3.3, 7.25, 12.0, 19.97])  # at both ends too
    for t in onsets:
        k = int(t * sr)
        y[k : k + 300] += np.hanning(300).astype(np.float32) * 0.8
    _, got = levels.tonal_shares(y, sr, onsets, th)

    # The whole clip's spectrogram, as tonal_shares computed it before.
    n_fft, hop, kernel = 512, 128, 31
    power = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop)) ** 2
    band = librosa.fft_frequencies(sr=sr, n_fft=n_fft) >= th.harmonic_min_freq_hz.value
    n_win = max(1, int(round(th.impact_window_s.value * sr / hop)))
    shares = []
    for t in onsets:
        f = int(round(t * sr / hop))
        lo, hi = max(0, f - kernel // 2), min(power.shape[1], f + n_win + 1 + kernel // 2)
        if hi - lo <= kernel // 2:
            continue
        h, p = librosa.decompose.hpss(power[:, lo:hi], kernel_size=kernel)
        hs, ps = float(h[band, f - lo : f - lo + n_win + 1].sum()), float(p[band, f - lo : f - lo + n_win + 1].sum())
        if hs + ps > 0:
            shares.append(hs / (hs + ps))
    assert got == float(np.median(shares))


def test_onset_strength_from_block_mel_power_equals_librosas_from_the_samples():
    """Equal to float32 rounding: the mel filter bank's product is summed in an order that
    depends on the machine's BLAS (a few units in the last place on another machine)."""
    import librosa

    from analysis.audio import levels

    sr, hop, n_fft = 22050, 64, 256
    rng = np.random.default_rng(2)
    y = rng.normal(0, 0.1, sr * 25).astype(np.float32)
    y[sr * 3 : sr * 3 + 500] *= 20
    mel = levels.mel_power(y, sr, n_fft, hop, n_mels=32, fmax=sr / 2)
    np.testing.assert_allclose(
        mel,
        librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=32, fmax=sr / 2),
        rtol=1e-6,
        atol=0,
    )
    env = librosa.onset.onset_strength(S=librosa.power_to_db(mel), sr=sr, n_fft=n_fft, hop_length=hop)
    want = librosa.onset.onset_strength(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=32, fmax=sr / 2)
    np.testing.assert_allclose(env, want, rtol=1e-5, atol=1e-6)


def test_clip_wide_harmonic_share_by_blocks_equals_the_whole_clips_to_float32_rounding():
    import librosa

    from analysis.audio import levels
    from analysis.config import AUDIO_THRESHOLDS as th

    sr = 22050
    rng = np.random.default_rng(9)
    n = sr * 120  # several blocks of 2048 frames at a 512-sample hop
    tone = 0.05 * np.sin(2 * np.pi * 330 * np.arange(n) / sr) * (np.arange(n) % (3 * sr) < sr)
    y = (tone + rng.normal(0, 0.02, n)).astype(np.float32)
    got, _ = levels.tonal_shares(y, sr, np.zeros(0), th)
    power = np.abs(librosa.stft(y, n_fft=1024, hop_length=512)) ** 2
    band = librosa.fft_frequencies(sr=sr, n_fft=1024) >= th.harmonic_min_freq_hz.value
    assert power.shape[1] > 2 * levels.LEVEL_BLOCK_FRAMES
    h, p = librosa.decompose.hpss(power, kernel_size=17)
    hs, ps = float(h[band].sum()), float(p[band].sum())
    # The same power per bin and frame; summed in double precision (the whole clip's sum
    # was single precision): equal to float32 rounding.
    assert got == pytest.approx(hs / (hs + ps), rel=1e-6)


@pytest.mark.parametrize("shape,kernel", [((513, 300), 17), ((257, 90), 31), ((513, 12), 31)])
def test_hpss_is_librosas_to_the_last_bit(shape, kernel):
    """``levels.hpss_power`` gives librosa's HPSS exactly (silent columns too)."""
    import librosa.decompose

    from analysis.audio import levels

    rng = np.random.default_rng(4)
    power = (rng.random(shape) ** 4).astype(np.float32)
    power[:, :3] = 0.0
    for got, want in zip(levels.hpss_power(power, kernel), librosa.decompose.hpss(power, kernel_size=kernel)):
        np.testing.assert_array_equal(got, want)


def test_tonal_shares_never_import_scikit_learn():
    """``librosa.decompose`` imports scikit-learn and pandas at its top (about a second of CPU
    per analysis); the soundtrack's analysis does without it."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from analysis.audio import levels\n"
        "from analysis.config import AUDIO_THRESHOLDS as th\n"
        "y = np.random.default_rng(0).normal(0, 0.1, 22050 * 3).astype(np.float32)\n"
        "levels.tonal_shares(y, 22050, np.array([1.0]), th)\n"
        "print(sorted(m for m in ('sklearn', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[3])
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- a soundtrack spooled to a file


def _impact_fields(imp) -> dict:
    from dataclasses import asdict

    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in asdict(imp).items()}


@pytest.mark.parametrize("silence", [False, True])
def test_onset_envelope_by_blocks_equals_librosas_of_the_whole_db_spectrogram(silence):
    """The onset envelope is computed a block of mel frames at a time (no spectrogram of the
    clip is held); the numbers are librosa's from the whole clip's dB mel spectrogram, also
    where digital silence falls under the dB floor set by the loudest bin of the clip."""
    import librosa

    from analysis.audio import levels

    sr, hop, n_fft = 22050, 64, 256
    rng = np.random.default_rng(5)
    y = rng.normal(0, 0.05, sr * 30).astype(np.float32)
    y[sr * 21 : sr * 21 + 400] *= 15
    if silence:
        y[sr * 8 : sr * 12] = 0.0  # a block and a half of frames 80 dB below the loudest bin
    got = levels.onset_envelope(y, sr, n_fft, hop, n_mels=32, fmax=sr / 2)
    mel = levels.mel_power(y, sr, n_fft, hop, n_mels=32, fmax=sr / 2)
    assert mel.shape[1] > 2 * levels.LEVEL_BLOCK_FRAMES  # several blocks
    want = librosa.onset.onset_strength(S=librosa.power_to_db(mel), sr=sr, n_fft=n_fft, hop_length=hop)
    np.testing.assert_array_equal(got, want)
    db = librosa.power_to_db(mel, top_db=None)
    unfloored = librosa.onset.onset_strength(S=db, sr=sr, n_fft=n_fft, hop_length=hop)
    assert np.array_equal(unfloored, want) != silence  # the floor mattered exactly where there was silence


def test_sample_file_reads_back_slices_like_an_array():
    from analysis.io.soundtrack import SampleFile

    y = np.random.default_rng(1).uniform(-1, 1, 10_000).astype(np.float32)
    with SampleFile() as f:
        for k in range(0, y.size, 777):  # appended in uneven chunks, as frames are decoded
            f.append(y[k : k + 777])
        assert f.size == y.size and f.dtype == y.dtype
        for a, b in [(0, 10_000), (5, 6), (9_990, 12_000), (-30, None), (3, 3), (20_000, 20_010)]:
            np.testing.assert_array_equal(f[a:b], y[a:b])
        f.truncate(4_000)
        assert f.size == 4_000
        np.testing.assert_array_equal(f[3_990:4_100], y[3_990:4_000])
        with pytest.raises(TypeError, match="slice"):
            f[3]  # noqa: B018


def test_impacts_of_a_spooled_soundtrack_equal_those_of_the_whole_track_in_memory(tmp_path):
    """The pipeline analyses the soundtrack from a temporary file, a block at a time; the
    impacts are the same as from the whole track read into memory."""
    from analysis.audio.onsets import impacts_of_samples
    from analysis.io.soundtrack import spool_audio

    times = skipping_times(40)
    rng = np.random.default_rng(8)
    y = synth_thumps(times, [db(v) for v in rng.uniform(-24, -10, times.size)], duration_s=22.0)
    path = write_mp4(tmp_path / "clip.mp4", y, audio_start_s=0.25, duration_s=22.0)
    track = read_audio(path, max_duration_s=20.0)
    with spool_audio(path, max_duration_s=20.0) as spooled:
        assert spooled.samples.size == track.samples.size and spooled.start_s == track.start_s
        np.testing.assert_array_equal(spooled.samples[0 : spooled.samples.size], track.samples)
        got = impacts_of_samples(spooled.samples, spooled.sample_rate_hz, spooled.start_s)
    want = detect_impacts(track)
    assert want.usable and len(want) >= 30, want.reason
    assert _impact_fields(got) == _impact_fields(want)
    assert spool_audio(write_mp4(tmp_path / "silent_video.mp4", None)) is None
