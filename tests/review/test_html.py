"""The page's HTML pieces: check tables with the verdict first and coloured, score bars,
cards on a narrow screen, escaping, and the scroll script."""

from __future__ import annotations

import re

from review import html as ph
from review import viewmodel as vm
from tests.fixtures.report import make_report


def test_scores_table_verdict_first_coloured_and_complete():
    rep = make_report()
    out = ph.scores_table(vm.rule_scores(rep).to_dict("records"))
    rows = re.findall(r"<tr class=\"jr-(\w+)\">(.*?)</tr>", out)
    assert [k for k, _ in rows] == ["fault", "na"]
    first_cell = re.search(r"<td class=\"jr-first\">(.*?)</td>", rows[0][1]).group(1)
    assert first_cell.index("jr-chip") < first_cell.index("Knees slightly bent on landing, never locked")
    assert f"background:{vm.VERDICT_COLOUR['fault']}" in rows[0][1]  # a failing score's bar is red
    assert "1 of 3 jumps pass (33%)" in rows[0][1] and 'width:33%' in rows[0][1]
    assert "jr-bar" not in rows[1][1]  # no score, no bar (not an empty grey one)
    assert "needs a front view; this clip is side" in rows[1][1]  # the reason under the check
    assert "…" not in out  # nothing cut


def test_a_passing_score_bar_is_green():
    assert f"background:{vm.VERDICT_COLOUR['pass']}" in ph.bar(100, "pass")
    assert ph.bar(None, "pass") == "" and ph.bar(float("nan"), "pass") == ""


def test_checks_table_and_escaping():
    rows = [{"verdict": "pass", "verdict_key": "pass", "check": "<b>x</b> & y", "value": "3 cm", "limit": "> 5 cm"}]
    out = ph.checks_table(rows)
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in out and "<b>x</b>" not in out
    assert "&gt; 5 cm" in out and "verdict shown is that of the jump" in out


def test_cards_on_a_narrow_screen():
    assert f"@media (max-width: {ph.NARROW_PX}px)" in ph.CSS
    narrow = ph.CSS.split("@media")[1]
    assert ".jr-table thead { display: none; }" in narrow and "grid-template-columns: repeat(2" in narrow


def test_scroll_script_is_new_for_each_request():
    a, b = ph.scroll_into_view("st-key-frame_review", 1), ph.scroll_into_view("st-key-frame_review", 2)
    assert a != b and "scrollIntoView" in a and '".st-key-frame_review"' in a
