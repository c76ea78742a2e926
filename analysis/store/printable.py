"""A printable one-page report of a session: self-contained HTML (inline CSS, pictures as
``data:`` URIs, no external address), laid out for one A4 or Letter page when printed.

Contents: the jumper, date and clip; the summary figures (after corrections, with a note
when there are any); the top three priorities with their frames (small annotated JPEG
stills when the clip was kept, else the frame numbers); every check's share of passing
jumps; the trend against the jumper's earlier sessions; the not-medical-advice note.
"""

from __future__ import annotations

import base64
import html
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..rules.session import DISCLAIMER
from .posedata import PoseData
from .reopen import report_from_dict

#: Long side of a still in the printed report (px): ~5 cm at 150 dpi, enough to see a
#: posture; JPEG quality 80 keeps each still near 15-25 kB.
STILL_MAX_SIDE_PX = 320
JPEG_QUALITY = 80
#: At most this many "what changed" lines, so the page stays one page with all 14 checks.
MAX_CHANGES = 4

CSS = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font: 9.5pt/1.3 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 10.5pt; margin: 3mm 0 1.2mm; border-bottom: 0.3mm solid #999; }
.meta { color: #444; margin-bottom: 2mm; }
.figs { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1.5mm; }
.fig { border: 0.3mm solid #bbb; border-radius: 1.5mm; padding: 1mm 2mm; }
.fig b { display: block; font-size: 12pt; }
.fig span { color: #555; font-size: 8.5pt; }
.prios { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2mm; }
.prio { border: 0.3mm solid #c33; border-radius: 1.5mm; padding: 2mm; break-inside: avoid; }
.prio img { width: 100%; max-height: 42mm; object-fit: contain; display: block; margin-top: 1mm; }
.prio .frames { color: #555; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
th, td { text-align: left; padding: 0.4mm 1.5mm; border-bottom: 0.2mm solid #ddd; }
td.num, th.num { text-align: right; white-space: nowrap; }
.cols { columns: 2; column-gap: 5mm; }
.pass { color: #17692f; } .fault { color: #b3261e; font-weight: bold; } .na { color: #777; }
.note { font-size: 8.5pt; color: #333; border-top: 0.3mm solid #999; margin-top: 3mm; padding-top: 1.5mm; }
.changed { margin: 1mm 0 0 4mm; padding: 0; font-size: 8.5pt; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _num(x: Any, fmt: str = "{:.0f}", none: str = "-") -> str:
    if x is None:
        return none
    try:
        v = float(x)
    except (TypeError, ValueError):
        return none
    return fmt.format(v) if np.isfinite(v) else none


def session_stills(
    corrected: dict[str, Any], pose: PoseData, clip: str | Path, max_side: int = STILL_MAX_SIDE_PX
) -> dict[int, bytes]:
    """Annotated JPEG stills of the first frame of each of the top three priorities."""
    from ..render.overlay import thumbnails  # noqa: PLC0415 - PyAV and drawing only when pictures are asked for

    frames = [p["frames"][0] for p in (corrected.get("priorities") or [])[:3] if p.get("frames")]
    if not frames:
        return {}
    report = report_from_dict(corrected, pose)
    out = {}
    for f, png in thumbnails(clip, frames, report, max_side=max_side).items():
        img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if ok:
            out[f] = buf.tobytes()
    return out


def _figures(c: dict[str, Any]) -> list[tuple[str, str]]:
    s = c.get("summary") or {}
    st = c.get("streaks") or {}
    h = s.get("mean_height_cm")
    height = f"{_num(h, '{:.1f}')} ± {_num(s.get('mean_height_uncertainty_cm'), '{:.1f}')} cm" if h is not None else "-"
    return [
        ("jumps", _num(s.get("jump_count"))),
        ("jumps per minute", _num(s.get("jumps_per_minute"))),
        ("active skipping", f"{_num(s.get('active_time_s'), '{:.0f}')} s"),
        ("longest streak", f"{_num(st.get('longest_streak'))} jumps"),
        ("misses / stops", f"{_num(st.get('n_misses'))} / {_num(st.get('n_stops'))}"),
        ("jump height", height),
        (
            "flight / contact",
            (
                f"{_num(1000 * (s.get('mean_flight_time_s') or float('nan')))} / "
                f"{_num(1000 * (s.get('mean_contact_time_s') or float('nan')))} ms"
            ),
        ),
        ("view", str(s.get("view") or "-")),
    ]


def _priorities(c: dict[str, Any], stills: dict[int, bytes], note: str | None) -> str:
    ps = (c.get("priorities") or [])[:3]
    if not ps:
        return "<p>No check failed on most jumps in this session.</p>"
    cards = []
    for i, p in enumerate(ps, 1):
        frames = [int(f) for f in p.get("frames") or []]
        img = ""
        if frames and frames[0] in stills:
            data = base64.b64encode(stills[frames[0]]).decode("ascii")
            img = f'<img alt="frame {frames[0]}" src="data:image/jpeg;base64,{data}">'
        where = f"frames {', '.join(map(str, frames))}" if frames else "no example frame"
        cards.append(
            f'<div class="prio"><b>{i}. {_e(p.get("title", p.get("rule")))}</b>'
            f'<div class="frames">{_num(100 * (p.get("fault_share") or 0))}% of assessed jumps fail · '
            f"severity {_e(p.get('severity', '-'))} · {_e(where)}</div>"
            f"<div>{_e(p.get('advice', ''))}</div>{img}</div>"
        )
    extra = f'<p class="frames">{_e(note)}</p>' if note else ""
    return f'<div class="prios">{"".join(cards)}</div>{extra}'


def _checks(c: dict[str, Any]) -> str:
    rows = []
    for r in c.get("rules") or []:
        st = r.get("status")
        if st == "na":
            val = '<span class="na">not assessable</span>'
        else:
            val = (
                f'<span class="{_e(st)}">{_num(100 * (r.get("pass_share") or 0))}% pass</span> '
                f'<span class="na">of {_num(r.get("n_assessed"))}</span>'
            )
        rows.append(f'<tr><td>{_e(r.get("title", r.get("id")))}</td><td class="num">{val}</td></tr>')
    if not rows:
        return "<p>No checks were run.</p>"
    return f'<div class="cols"><table>{"".join(rows)}</table></div>'


def _trend(trend: dict[str, Any]) -> str:
    n = trend.get("n_previous", 0)
    if not n:
        return "<p>This is the jumper's first stored session: the next ones will be compared with it.</p>"
    fmt = {"jumps_per_minute": "{:.0f}", "active_time_s": "{:.0f}", "mean_height_cm": "{:.1f}"}
    rows = []
    for f in trend["figures"]:
        ff = fmt.get(f["figure"], "{:.0f}")
        rows.append(
            f'<tr><td>{_e(f["label"])}</td><td class="num">{_num(f["this"], ff)}</td>'
            f'<td class="num">{_num(f["previous"], ff)}</td><td class="num">{_num(f["mean_before"], ff)}</td></tr>'
        )
    vs = trend.get("versus_previous") or {}
    changed = vs.get("changed") or []
    shown = changed[:MAX_CHANGES]
    items = (
        "".join(f"<li>{_e(x)}</li>" for x in shown) or "<li>No check changed clearly since the previous session.</li>"
    )
    if len(changed) > len(shown):
        items += f"<li>and {len(changed) - len(shown)} more changes</li>"
    return (
        f'<table><tr><th></th><th class="num">this session</th><th class="num">previous</th>'
        f'<th class="num">mean of {n} earlier</th></tr>{"".join(rows)}</table>'
        f'<ul class="changed">{items}</ul>'
    )


def render_session(
    corrected: dict[str, Any],
    *,
    jumper: str,
    recorded_at: datetime,
    trend: dict[str, Any],
    stills: dict[int, bytes] | None = None,
    stills_note: str | None = None,
) -> str:
    """The page as one HTML string (UTF-8; nothing outside it is referenced)."""
    clip = (corrected.get("clip") or {}).get("name") or "clip"
    when = recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
    figs = "".join(f'<div class="fig"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in _figures(corrected))
    corr = corrected.get("corrections") or []
    orig = (corrected.get("original_detection") or {}).get("summary") or {}
    corr_note = (
        (
            f'<p class="frames">Corrected by hand: {len(corr)} change{"s" if len(corr) != 1 else ""} '
            f"(the detection found {_num(orig.get('jump_count'))} jumps).</p>"
        )
        if corr
        else ""
    )
    messages = "".join(f"<li>{_e(m)}</li>" for m in (corrected.get("messages") or [])[:3])
    disclaimer = corrected.get("disclaimer") or DISCLAIMER
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{_e(jumper)} · {_e(when)} · jump-rope session</title>
<style>{CSS}</style></head>
<body>
<h1>Jump-rope session: {_e(jumper)}</h1>
<div class="meta">{_e(when)} · {_e(clip)} · {_num((corrected.get("summary") or {}).get("duration_s"), "{:.0f}")} s</div>
<div class="figs">{figs}</div>
{corr_note}
<h2>Top three things to work on</h2>
{_priorities(corrected, stills or {}, stills_note)}
<h2>Every check: share of passing jumps</h2>
{_checks(corrected)}
<h2>Against earlier sessions</h2>
{_trend(trend)}
{f'<ul class="changed">{messages}</ul>' if messages else ""}
<p class="note">{_e(disclaimer)} Start gently, and if it hurts, stop and check your form.</p>
</body></html>
"""
