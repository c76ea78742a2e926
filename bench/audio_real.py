"""Sound module on the shared real clips: read_audio + detect_impacts + audio_jump_count.

    python -m bench.audio_real [--videos DIR] [--out FILE]

Prints a Markdown table: file, has audio, usable (reason), audio count, hand count
(confidence), plus the measurements behind the usability judgement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from analysis.audio import AudioError, audio_jump_count, detect_impacts, read_audio

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VIDEOS = REPO_ROOT.parent / "shared" / "videos"


def _fmt(x: float, spec: str = ".1f") -> str:
    return "-" if x != x else format(x, spec)  # nan -> "-"


def run(videos: Path) -> list[dict]:
    manifest = json.loads((videos / "manifest.json").read_text())
    rows = []
    for clip in manifest["clips"]:
        path = videos / clip["file"]
        row = {
            "file": clip["file"],
            "hand": clip.get("jump_count"),
            "conf": clip.get("jump_count_confidence") or "-",
        }
        t0 = time.perf_counter()
        try:
            track = read_audio(path)
        except (AudioError, FileNotFoundError) as exc:
            row.update(has_audio="error", usable=False, reason=str(exc))
            rows.append(row)
            continue
        if track is None:
            row.update(has_audio="no", usable=False, reason="no audio stream")
            rows.append(row)
            continue
        imp = detect_impacts(track)
        cnt = audio_jump_count(imp)
        row.update(
            has_audio="yes",
            usable=imp.usable,
            reason=imp.reason,
            count=cnt.count,
            raw_count=cnt.raw_count,
            cadence_hz=cnt.cadence_hz,
            n_impacts=len(imp),
            harmonic=imp.harmonic_fraction,
            impact_harmonic=imp.impact_harmonic_fraction,
            clipped=float(imp.clipped.mean()) if len(imp) else float("nan"),
            contrast_db=imp.contrast_db,
            background_dbfs=imp.background_dbfs,
            periodic=imp.periodic_fraction,
            bouts=[(round(b.start_s, 2), round(b.end_s, 2), b.count) for b in cnt.bouts],
            seconds=time.perf_counter() - t0,
        )
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    head = ("| file | has audio | usable (reason) | audio count | hand count (confidence) "
            "| impacts | tonal share clip / onsets | impact rise dB | background dBFS | periodic share "
            "| clipped share | s |")
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        usable = "yes" if r["usable"] else f"no ({r['reason']})"
        if r.get("has_audio") == "yes":
            count = str(r["count"]) if r["count"] is not None else f"- (raw {r['raw_count']})"
            extra = (f"{r['n_impacts']} | {_fmt(r['harmonic'], '.2f')} / {_fmt(r['impact_harmonic'], '.2f')} "
                     f"| {_fmt(r['contrast_db'])} | {_fmt(r['background_dbfs'])} | {_fmt(r['periodic'], '.2f')} "
                     f"| {_fmt(r['clipped'], '.2f')} | {r['seconds']:.2f}")
        else:
            count, extra = "-", "- | - | - | - | - | - | -"
        hand = "null" if r["hand"] is None else str(r["hand"])
        lines.append(f"| {r['file']} | {r['has_audio']} | {usable} | {count} | {hand} ({r['conf']}) | {extra} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--videos", type=Path, default=DEFAULT_VIDEOS, help="folder with manifest.json")
    ap.add_argument("--out", type=Path, help="also write the table to this file")
    args = ap.parse_args(argv)
    if not (args.videos / "manifest.json").exists():
        print(f"no manifest.json in {args.videos}", file=sys.stderr)
        return 2
    rows = run(args.videos)
    text = table(rows)
    print(text)
    for r in rows:
        if r.get("bouts"):
            print(f"{r['file']}: periodic bouts (start s, end s, impacts) {r['bouts']}")
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
