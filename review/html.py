"""Small HTML pieces of the review page (pure functions, no Streamlit): the check tables,
coloured verdict chips and score bars, and the script that brings the frame review into view.

A table is a real ``<table>`` on a wide screen; below ``NARROW_PX`` each row becomes a
card (verdict and check on the first line, the rest under it), so nothing is cut or
pushed off-screen on a phone. Text wraps; nothing is truncated.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from .viewmodel import VERDICT_COLOUR

#: Below this width (px) tables turn into cards (Streamlit stacks columns below 640 px too).
NARROW_PX = 640

CSS = f"""
<style>
.jr-table {{ width: 100%; border-collapse: collapse; font-size: 0.92rem; }}
.jr-table th {{ text-align: left; font-weight: 600; color: #5f6368; border-bottom: 2px solid #dadce0;
  padding: 0.35rem 0.5rem; }}
.jr-table td {{ border-bottom: 1px solid #eceff1; padding: 0.4rem 0.5rem; vertical-align: top;
  overflow-wrap: anywhere; }}
.jr-table tr.jr-fault td {{ background: rgba(217, 48, 37, 0.07); }}
.jr-table tr.jr-borderline td {{ background: rgba(227, 116, 0, 0.08); }}
.jr-chip {{ display: inline-block; padding: 0.05rem 0.5rem; border-radius: 0.8rem; color: #fff;
  font-size: 0.82rem; font-weight: 600; white-space: nowrap; }}
.jr-bar {{ height: 0.45rem; background: #eceff1; border-radius: 0.25rem; margin-top: 0.25rem;
  min-width: 4rem; }}
.jr-bar > span {{ display: block; height: 100%; border-radius: 0.25rem; }}
.jr-muted {{ color: #5f6368; font-size: 0.85rem; }}
.jr-label {{ display: none; }}
.jr-table col.jr-c1 {{ width: 44%; }}
.jr-first .jr-muted {{ font-weight: 400; margin-top: 0.15rem; }}
/* The summary's figures: four to a row on a wide screen, two on a phone. */
.st-key-metrics {{ display: grid !important; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 0.75rem; }}
.st-key-metrics [data-testid="stMetricValue"] {{ font-size: 1.75rem; }}
@media (max-width: {NARROW_PX}px) {{
  .jr-table thead {{ display: none; }}
  .jr-table, .jr-table tbody, .jr-table tr, .jr-table td {{ display: block; width: 100%; }}
  .jr-table tr {{ border: 1px solid #dadce0; border-radius: 0.5rem; margin-bottom: 0.5rem;
    padding: 0.3rem 0.5rem; }}
  .jr-table td {{ border: none; padding: 0.15rem 0; }}
  .jr-label {{ display: inline; color: #5f6368; font-size: 0.8rem; margin-right: 0.3rem; }}
  .jr-table col.jr-c1 {{ width: auto; }}
  /* A phone shows the passing and not assessable checks as one line each (the limits are
     on a wider screen, the reasons in "Not assessable in this clip"); failures in full. */
  .jr-table tr.jr-pass td:not(.jr-first), .jr-table tr.jr-na td:not(.jr-first),
  .jr-table tr.jr-none td:not(.jr-first), .jr-table tr.jr-na .jr-muted {{ display: none; }}
  .jr-table tr.jr-pass, .jr-table tr.jr-na, .jr-table tr.jr-none {{ padding: 0.15rem 0.5rem; }}
  .st-key-metrics {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}
  .st-key-metrics [data-testid="stMetricValue"] {{ font-size: 1.4rem; }}
}}
</style>
"""


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def chip(key: str, text: str) -> str:
    """A verdict as a coloured chip (pass green, borderline amber, fault red, not assessable grey)."""
    colour = VERDICT_COLOUR.get(key, VERDICT_COLOUR["na"])
    return f'<span class="jr-chip" style="background:{colour}">{esc(text)}</span>'


def bar(pct: Any, key: str) -> str:
    """A score bar in the verdict's colour (a passing check's full bar is green); '' without a score."""
    try:
        width = float(pct)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(width):
        return ""
    colour = VERDICT_COLOUR.get(key, VERDICT_COLOUR["na"])
    width = max(0.0, min(100.0, width))
    return f'<div class="jr-bar"><span style="width:{width:.0f}%;background:{colour}"></span></div>'


def table(rows: Iterable[Mapping[str, Any]], columns: list[tuple[str, str]], caption: str = "") -> str:
    """A table of check rows: the verdict chip and the check first (one cell, so the
    verdict is never off-screen; a reason under it), then ``columns`` as (key, heading);
    each row is tinted by its verdict. Empty cells stay empty."""
    head = "<th>check</th>" + "".join(f"<th>{esc(h)}</th>" for _, h in columns)
    body = []
    for row in rows:
        key = str(row.get("verdict_key", "na"))
        detail = str(row.get("detail") or "")
        first = f"{chip(key, str(row.get('verdict', '')))} <strong>{esc(row.get('check', ''))}</strong>"
        if detail:
            first += f'<div class="jr-muted">{esc(detail)}</div>'
        cells = [f'<td class="jr-first">{first}</td>']
        for col, heading in columns:
            value = row.get(col, "")
            value = "" if value is None else str(value)
            inner = esc(value) + (bar(row.get("score %"), key) if col == "score" else "")
            cells.append(f'<td><span class="jr-label">{esc(heading)}</span>{inner}</td>' if value else "<td></td>")
        body.append(f'<tr class="jr-{esc(key)}">{"".join(cells)}</tr>')
    note = f'<p class="jr-muted">{esc(caption)}</p>' if caption else ""
    return (
        f'<table class="jr-table"><colgroup><col class="jr-c1"></colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def scores_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """The score per check: verdict and check (with why, for checks that did not pass),
    the score in the page's one wording with its bar, and the limit."""
    return table(rows, [("score", "jumps passing"), ("limit", "limit")])


def checks_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """Every check at one frame: verdict and check, the value, the limit."""
    return table(
        rows,
        [("value", "value"), ("limit", "limit")],
        caption="Each check is judged per jump; the verdict shown is that of the jump this frame belongs to.",
    )


def scroll_into_view(css_class: str, nonce: int) -> str:
    """A script that scrolls the element with ``css_class`` to the top of the view (once per
    ``nonce``: a new nonce makes a new element, so the script runs again)."""
    sel = json.dumps(f".{css_class}")
    return (
        f'<div data-scroll-nonce="{int(nonce)}"></div><script>(function(){{'
        f"const go=()=>{{const el=window.parent.document.querySelector({sel})||document.querySelector({sel});"
        f"if(el){{el.scrollIntoView({{behavior:'auto',block:'start'}});}}}};"
        f"go();setTimeout(go,150);setTimeout(go,600);}})();</script>"
    )
