"""The page in a real browser: Streamlit server + Debian's Chromium driven by Playwright.

Uploads a real clip, waits for the results, steps the frame review to the next fault,
saves ``docs/screenshot.png``, and measures how long after the pipeline's own time the
page shows the results.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.page_support import REPO, SIDE_CLIP, in_ci, need, streamlit_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: The page must show results within the pipeline's own time plus this (seconds).
PAGE_OVERHEAD_S = float(os.environ.get("PAGE_OVERHEAD_S", "3.0"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is missing (apt-get install chromium)"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return CHROMIUM


@pytest.fixture
def server(tmp_path):
    with streamlit_server(tmp_path / "streamlit.log") as url:
        yield url


def test_page_in_chromium(server, chromium):
    clip = need(SIDE_CLIP, "real clip")
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server, wait_until="domcontentloaded")
            expect(page.get_by_text("Jump-rope form review").first).to_be_visible(timeout=60_000)
            # The first script run has imported the analysis package; now upload.
            t0 = time.perf_counter()
            page.locator('input[type="file"]').set_input_files(str(clip))
            headline = page.get_by_text(re.compile(r"^\d+ jumps? · \d+ per minute")).first
            expect(headline).to_be_visible(timeout=180_000)
            shown_s = time.perf_counter() - t0
            metric = page.locator('[data-testid="stMetric"]').filter(has_text="Jumps").first
            expect(metric).to_be_visible(timeout=60_000)
            note = page.get_by_text(re.compile(r"Analysed \d+ frames in")).first
            expect(note).to_be_visible(timeout=10_000)
            pipeline_s = float(re.search(r"in ([\d.]+) s", note.inner_text()).group(1))
            print(f"\npipeline {pipeline_s:.2f} s; page showed the results {shown_s:.2f} s after the upload "
                  f"(+{shown_s - pipeline_s:.2f} s)")
            assert re.search(r"Jumps\s*\n?\s*\d+", metric.inner_text())

            # Frame review: wait for it, then step to the next fault.
            slider = page.locator('[data-testid="stSlider"]').first
            expect(slider).to_be_visible(timeout=120_000)
            caption = page.get_by_text(re.compile(r"^Frame \d+ of \d+")).first
            expect(caption).to_be_visible(timeout=30_000)
            before = caption.inner_text()
            page.get_by_role("button", name="fault ▶").click()
            expect(page.get_by_text(re.compile(r"^Frame \d+ of \d+")).first).not_to_have_text(before, timeout=30_000)
            after = page.get_by_text(re.compile(r"^Frame \d+ of \d+")).first.inner_text()
            assert int(re.search(r"Frame (\d+)", after).group(1)) > int(re.search(r"Frame (\d+)", before).group(1))
            expect(page.get_by_text("Every check at frame").first).to_be_visible()
            # The annotated frame really loads (the server answers media requests).
            img = page.locator('[data-testid="stImage"] img').last
            page.wait_for_function("i => i.complete", arg=img.element_handle(), timeout=30_000)
            assert img.evaluate("i => i.naturalWidth") > 0, "the annotated frame did not load"

            def frame_no() -> int:
                return int(re.search(r"Frame (\d+)", page.get_by_text(re.compile(r"^Frame \d+ of \d+")).first.inner_text()).group(1))

            def wait_frame_change(old: int) -> int:
                for _ in range(60):
                    page.wait_for_timeout(250)
                    if frame_no() != old:
                        break
                return frame_no()

            expect(page.locator('[data-testid="stVideo"]').first).to_be_attached(timeout=30_000)
            # Streamlit scrolls inside its own container: a tall window shows the whole page.
            page.set_viewport_size({"width": 1400, "height": 3600})
            page.mouse.move(700, 400)
            page.mouse.wheel(0, -20_000)  # back to the top of the page
            page.wait_for_timeout(2500)  # let the images and charts paint (the review is at the next fault)
            out = REPO / "docs" / "screenshot.png"
            out.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(out))
            assert out.stat().st_size > 10_000
            page.set_viewport_size({"width": 1400, "height": 1000})

            # A click on the timeline moves the review to the nearest frame.
            chart = page.locator('[data-testid="stVegaLiteChart"]').first
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            old = frame_no()
            page.mouse.click(box["x"] + 0.3 * box["width"], box["y"] + 0.5 * box["height"])
            assert wait_frame_change(old) != old, "a click on the timeline moves the review"
            # Selecting a row of the per-jump table moves the review to that jump's take-off.
            grid = page.locator('[data-testid="stDataFrame"]').last
            grid.scroll_into_view_if_needed()
            gb = grid.bounding_box()
            old = frame_no()
            page.mouse.click(gb["x"] + 15, gb["y"] + 35 + 35 * 2 + 17)  # the selection box of the third row
            assert wait_frame_change(old) != old, "selecting a jump moves the review"
            assert shown_s <= pipeline_s + PAGE_OVERHEAD_S, (
                f"results took {shown_s:.1f} s, more than the pipeline's {pipeline_s:.1f} s + {PAGE_OVERHEAD_S} s")
        finally:
            browser.close()
