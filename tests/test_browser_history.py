"""The history in a real browser (issue 16's acceptance): Streamlit server with its own
history store (a temporary SQLite file, never the user's) + Debian's Chromium driven by
Playwright at 1400x900.

One server and one browser session serve the module, in order: a new profile is made by
typing its name; two sample clips (8 s synthetic clips) are analysed for it with their
clips kept and both show in the history with a trend and personal bests; a session
reopens in the full review without a pose run (the server logs each one); one jump is
removed in the review and the count and scores change and survive a reload; two
sessions open side by side and one slider moves both; the class table sorts, and its CSV
holds both sessions with the corrected count; a deleted session's kept clip is gone from
the store's folder and the other stays. Saves the README's history screenshot.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.page_support import REPO, streamlit_server
from tests.test_browser import CHROMIUM_ARGS, DESKTOP, HEADLINE, chromium, pose_runs  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLES = ("clean_front.mp4", "side_faults.mp4")
JUMPER = "Alice"
#: What one test saw that a later one checks (the tests of this module run in order).
SEEN: dict[str, int] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The page with a history store of its own: ``<tmp>/history.sqlite3``, kept clips in
    ``<tmp>/history-files/clips``."""
    tmp = tmp_path_factory.mktemp("history-page")
    with streamlit_server(tmp / "streamlit.log") as url:
        yield url, tmp


@pytest.fixture(scope="module")
def page(chromium, server):  # noqa: F811 - the fixture imported above
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport=DESKTOP)
            pg.goto(url, wait_until="domcontentloaded")
            expect(pg.get_by_text("Jump-rope form review").first).to_be_visible(timeout=60_000)
            yield pg
        finally:
            browser.close()


def clips_kept(tmp: Path) -> list[Path]:
    folder = tmp / "history-files" / "clips"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def wait_until(ok, timeout_s: float, what: str) -> None:
    t0 = time.perf_counter()
    while not ok():
        if time.perf_counter() - t0 > timeout_s:
            pytest.fail(f"waited {timeout_s:.0f} s for: {what}")
        time.sleep(0.5)


def only(locator):
    """``locator`` once the page has settled on one such element (while Streamlit redraws,
    the previous run's copy stays on the page for a moment)."""
    from playwright.sync_api import expect  # noqa: PLC0415

    expect(locator).to_have_count(1, timeout=30_000)
    return locator


def click_only(locator, timeout_s: float = 30.0) -> None:
    """Click ``locator`` once the page has settled on one such element. Streamlit may redraw
    between the count and the click (a stop's CI run saw two copies of a sample button at
    the click, after the count had been one): then wait and click again."""
    from playwright.sync_api import Error  # noqa: PLC0415

    t0 = time.perf_counter()
    while True:
        only(locator)
        try:
            locator.click(timeout=10_000)
            return
        except Error as exc:
            if "strict mode violation" not in str(exc) or time.perf_counter() - t0 > timeout_s:
                raise
            time.sleep(0.5)


def open_tab(page, name: str) -> None:
    click_only(page.get_by_role("tab", name=name))
    page.wait_for_timeout(800)


def metric_value(page, label: str) -> str:
    m = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return m.locator('[data-testid="stMetricValue"]').inner_text().strip()


def scores_table(page):
    return page.locator("table.jr-table").filter(has_text="jumps passing").first


def wait_review_image(page, timeout_ms: int = 180_000) -> None:
    from playwright.sync_api import expect  # noqa: PLC0415

    img = page.locator('.st-key-frame_review [data-testid="stImage"] img').first
    expect(img).to_be_visible(timeout=timeout_ms)


def test_two_clips_of_one_jumper_show_in_the_history_with_a_trend(page, server):
    from playwright.sync_api import expect  # noqa: PLC0415

    _, tmp = server
    bar = page.locator(".st-key-jumper_bar")
    bar.get_by_role("combobox").click()
    page.keyboard.type(JUMPER)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"New profile: {JUMPER}.").first).to_be_visible(timeout=20_000)
    expect(bar.get_by_text(f"{JUMPER}: no sessions yet")).to_be_visible()
    click_only(page.get_by_text("Keep the clip in the history"))
    for i, name in enumerate(SAMPLES, start=1):
        label = name.removesuffix(".mp4").replace("_", " ")
        click_only(page.get_by_role("button", name=f"Sample: {label}"))
        wait_until(lambda i=i: len(clips_kept(tmp)) == i, 300, f"clip {i} analysed and kept")
        note = page.locator(".st-key-saved_note")
        expect(note.first).to_contain_text(f"Saved in {JUMPER}'s history", timeout=30_000)
        expect(note.first).to_contain_text("The clip is kept")
        expect(page.get_by_text(HEADLINE).first).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Longest unbroken streak: \d+ jumps")).first).to_be_visible()
    open_tab(page, "History")
    expect(page.get_by_text(f"{JUMPER}'s history").first).to_be_visible(timeout=30_000)
    expect(bar.get_by_text(re.compile(rf"^{JUMPER}: 2 sessions"))).to_be_visible()
    expect(page.get_by_text("2 sessions, oldest to newest").first).to_be_visible()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts.nth(4)).to_be_visible(timeout=30_000)  # count, cadence, streak, height, checks
    assert page.locator('[data-testid="stMetric"]').filter(has_text="Best: most jumps").count() == 1
    page.wait_for_timeout(1500)
    page.screenshot(path=str(REPO / "docs" / "screenshot_history.png"), full_page=False)


def test_a_session_reopens_without_analysing_again(page, server):
    from playwright.sync_api import expect  # noqa: PLC0415

    _, tmp = server
    runs = pose_runs(tmp / "streamlit.log")
    t0 = time.perf_counter()
    click_only(page.get_by_role("button", name="Open in the review"))
    expect(page.get_by_text("Reopened from the history, nothing analysed again").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(HEADLINE).first).to_be_visible()
    shown_s = time.perf_counter() - t0
    wait_review_image(page)
    print(f"\nreopened session's results on the page {shown_s:.2f} s after the click")
    assert pose_runs(tmp / "streamlit.log") == runs, "reopening a session must not run the pose stage"


def test_a_correction_changes_count_and_scores_and_survives_a_reload(page):
    from playwright.sync_api import expect  # noqa: PLC0415

    wait_review_image(page)
    assert "session=" in page.url and "tab=history" in page.url and f"jumper={JUMPER}" in page.url
    count = int(metric_value(page, "Jumps"))
    scores = scores_table(page).text_content()
    review = page.locator(".st-key-frame_review")
    review.get_by_role("button", name="jump ▶").click()
    page.wait_for_timeout(1500)
    remove = page.get_by_role("button", name=re.compile(r"Not a jump: remove jump \d+"))
    expect(remove).to_be_enabled(timeout=20_000)
    remove.click()
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Jumps").first).to_contain_text(
        str(count - 1), timeout=30_000
    )
    expect(scores_table(page)).not_to_have_text(scores, timeout=30_000)  # every check's share recomputed
    corrected_scores = scores_table(page).text_content()
    expect(page.get_by_text(f"Corrected by hand (1 correction): {count - 1} jumps").first).to_be_visible()
    SEEN["corrected_count"] = count - 1
    page.reload(wait_until="domcontentloaded")
    expect(page.get_by_text("Reopened from the history, nothing analysed again").first).to_be_visible(timeout=60_000)
    assert metric_value(page, "Jumps") == str(count - 1), "the correction survives a reload"
    expect(scores_table(page)).to_have_text(corrected_scores, timeout=30_000)
    expect(page.get_by_role("button", name="Undo")).to_be_visible()


def test_two_sessions_side_by_side_move_together(page):
    from playwright.sync_api import expect  # noqa: PLC0415

    open_tab(page, "Side by side")
    pane = page.locator(".st-key-side_by_side")
    images = pane.locator('[data-testid="stImage"] img')
    expect(images.nth(1)).to_be_visible(timeout=180_000)
    frames = pane.get_by_text(re.compile(r"^Frame \d+ · "))
    before = [frames.nth(i).inner_text() for i in range(2)]
    assert all("jump 1 of" in t for t in before)
    slider = pane.get_by_role("slider").first  # align on jump
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    for i in range(2):  # one slider moves both reviews
        expect(frames.nth(i)).to_contain_text("jump 3 of", timeout=20_000)
    assert [frames.nth(i).inner_text() for i in range(2)] != before
    expect(page.get_by_text("What changed from A to B").first).to_be_visible()


def download_csv(page, button) -> list[dict[str, str]]:
    with page.expect_download(timeout=30_000) as got:
        button.click()
    return list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))


def test_the_class_table_sorts_and_exports_csv_with_the_correction(page):
    from playwright.sync_api import expect  # noqa: PLC0415

    open_tab(page, "Class view")
    expect(page.get_by_text("The class").first).to_be_visible(timeout=30_000)
    sort = only(page.locator('[data-testid="stSelectbox"]').filter(has_text="Sort by"))
    sort.get_by_role("combobox").click()
    page.get_by_role("option", name="jumps", exact=True).click()
    page.wait_for_timeout(1500)
    button = page.get_by_role("button", name="Class table (CSV)")
    rows = download_csv(page, only(button))
    assert [r["jumper"] for r in rows] == [JUMPER, JUMPER], "one row per session"
    counts = [int(r["jump_count"]) for r in rows]
    assert counts == sorted(counts, reverse=True), "largest first, as the table shows"
    corrected = [r for r in rows if r["n_corrections"] == "1"]
    assert len(corrected) == 1 and int(corrected[0]["jump_count"]) == SEEN["corrected_count"], (
        "the class table counts the corrected session's jumps after the correction"
    )
    click_only(page.get_by_text("Largest / newest first"))
    page.wait_for_timeout(1500)
    rows = download_csv(page, only(button))
    assert [int(r["jump_count"]) for r in rows] == sorted(counts), "smallest first once the toggle is off"


def test_deleting_a_session_removes_its_kept_clip(page, server):
    from playwright.sync_api import expect  # noqa: PLC0415

    _, tmp = server
    open_tab(page, "History")
    back = page.get_by_role("button", name="◀ Back to the sessions")
    if back.count():
        back.click()
    expect(page.get_by_role("button", name="Delete this session…")).to_be_visible(timeout=30_000)
    kept = clips_kept(tmp)
    assert len(kept) == 2
    page.get_by_role("button", name="Delete this session…").click()
    question = re.compile(rf"and its kept clip from {JUMPER}'s history\? This cannot be undone")
    expect(page.get_by_text(question)).to_be_visible()
    page.get_by_role("button", name="Delete for good").click()
    expect(page.get_by_text("Deleted the session (1 kept file removed).").first).to_be_visible(timeout=30_000)
    left = clips_kept(tmp)
    assert len(left) == 1 and left[0] in kept, "the deleted session's clip is gone, the other stays"
    expect(page.locator(".st-key-jumper_bar").get_by_text(re.compile(rf"^{JUMPER}: 1 session,"))).to_be_visible()
