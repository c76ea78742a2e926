"""The page in a real browser: Streamlit server + Debian's Chromium driven by Playwright,
at a desktop size (1400x900) and a phone size (390x844).

One server and one analysed clip serve every test of the module (the phone session
uploads the same clip and gets the stored pose). The tests check what a person sees:
the results within the pipeline's own time plus a margin, the verdict column and the
frame image on screen at both sizes, a click elsewhere on the page bringing the frame
review into view, a change of back pain, surface and height showing new results within
2 s without running the pose model again (the server logs each pose stage run), and
they save the README screenshots.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.page_support import REPO, SIDE_CLIP, in_ci, need, streamlit_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
#: The page must show results within the pipeline's own time plus this (seconds).
PAGE_OVERHEAD_S = float(os.environ.get("PAGE_OVERHEAD_S", "3.0"))
#: A settings change must show its new results within this (seconds; the issue's acceptance).
SETTINGS_CHANGE_S = 2.0
#: The page's headline for a clip with counted jumps (``viewmodel.headline``), with the mark it
#: carries where the rope rests on hands that running arms would match ("(rope not confirmed)").
HEADLINE = re.compile(r"^\d+ jumps?(?: \([a-z ]+\))? · \d+ per minute")
POSE_RUN = "pose stage ran:"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is missing (apt-get install chromium)"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with streamlit_server(log) as url:
        yield url, log


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only the browser tests need it

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def pose_runs(log: Path) -> int:
    return log.read_text(errors="replace").count(POSE_RUN)


def open_page(browser, url: str, viewport: dict):
    from playwright.sync_api import expect  # noqa: PLC0415

    page = browser.new_page(viewport=viewport)
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_text("Jump-rope form review").first).to_be_visible(timeout=60_000)
    return page


def upload(page, clip: Path, first_answer: bool = False) -> float:
    """Upload ``clip``; seconds until the headline is on the page. ``first_answer``: the
    count so far shows while the pose runs."""
    from playwright.sync_api import expect  # noqa: PLC0415

    t0 = time.perf_counter()
    page.locator('input[type="file"]').set_input_files(str(clip))
    if first_answer:
        so_far = page.get_by_text(re.compile(r"^(So far: \d+ jumps? in the first|No jumps counted yet in the first)"))
        expect(so_far.first).to_be_visible(timeout=120_000)
    expect(page.get_by_text(HEADLINE).first).to_be_visible(timeout=240_000)
    return time.perf_counter() - t0


def wait_idle(page, timeout_ms: int = 240_000) -> None:
    """Wait until the whole page is drawn: the frame review is there (its video is made in
    the background) and the last section (the annotated video's button) too."""
    from playwright.sync_api import expect  # noqa: PLC0415

    expect(review_image(page)).to_be_visible(timeout=timeout_ms)
    expect(page.get_by_role("button", name=re.compile("Draw the annotated video"))).to_be_attached(timeout=timeout_ms)
    wait_image_loaded(page)


def frame_no(page) -> int:
    text = page.locator(".st-key-frame_review").get_by_text(re.compile(r"^Frame \d+ · ")).first.inner_text()
    return int(re.search(r"Frame (\d+)", text).group(1))


def wait_frame_change(page, old: int, timeout_s: float = 20.0) -> int:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout_s:
        page.wait_for_timeout(200)
        try:
            now = frame_no(page)
        except Exception:  # noqa: BLE001 - the review is being redrawn
            continue
        if now != old:
            return now
    return frame_no(page)


def box_in_view(page, locator, min_visible_px: float = 120.0) -> bool:
    """The element's left and right edges are inside the window, and at least
    ``min_visible_px`` of its height (or all of it) is on screen."""
    b = locator.bounding_box()
    vp = page.viewport_size
    if b is None:
        return False
    visible = min(b["y"] + b["height"], vp["height"]) - max(b["y"], 0)
    return b["x"] >= -1 and b["x"] + b["width"] <= vp["width"] + 1 and visible >= min(min_visible_px, b["height"]) - 1


def review_image(page):
    return page.locator('.st-key-frame_review [data-testid="stImage"] img').first


def wait_image_loaded(page) -> None:
    img = review_image(page)
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle(), timeout=30_000)


def wait_script_done(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit's script run has ended (its 'running' status widget is gone)."""
    from playwright.sync_api import expect  # noqa: PLC0415

    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=timeout_ms)


def open_list(combobox, option, tries: int = 3) -> None:
    """Click a select box until ``option`` is listed (a click can land while the box is being
    redrawn and not open it); fail with the number of tries when it never opens."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415

    for _ in range(tries):
        combobox.click()
        try:
            option.wait_for(state="visible", timeout=3_000)
            return
        except PlaywrightTimeout:
            combobox.page.keyboard.press("Escape")
    raise AssertionError(f"the select box did not list the option after {tries} clicks")


def scroll_to_top(page) -> None:
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.wait_for_timeout(300)


@pytest.fixture(scope="module")
def desktop(browser, server):
    """A desktop session with the side clip analysed (the module's one pose run)."""
    clip = need(SIDE_CLIP, "real clip")
    url, log = server
    page = open_page(browser, url, DESKTOP)
    before = pose_runs(log)
    shown_s = upload(page, clip, first_answer=True)
    note = page.get_by_text(re.compile(r"Analysed \d+ frames in")).first
    pipeline_s = float(re.search(r"in ([\d.]+) s", note.inner_text()).group(1))
    print(f"\npipeline {pipeline_s:.2f} s; page showed the results {shown_s:.2f} s after the upload")
    wait_idle(page)
    assert pose_runs(log) == before + 1, "the upload ran the pose stage once"
    yield page, {"shown_s": shown_s, "pipeline_s": pipeline_s}
    page.close()


def test_results_in_time_and_verdicts_in_view_on_desktop(desktop):
    page, t = desktop
    assert t["shown_s"] <= t["pipeline_s"] + PAGE_OVERHEAD_S, (
        f"results took {t['shown_s']:.1f} s, more than the pipeline's {t['pipeline_s']:.1f} s + {PAGE_OVERHEAD_S} s"
    )
    assert re.search(r"Jumps\s*\n?\s*\d+", page.locator('[data-testid="stMetric"]').first.inner_text())
    # Verdicts: every chip of the score table and of the frame's checks lies inside the window.
    for table in page.locator("table.jr-table").all():
        table.scroll_into_view_if_needed()
        chips = table.locator(".jr-chip")
        assert chips.count() >= 10
        for i in range(chips.count()):
            b = chips.nth(i).bounding_box()
            assert b is not None and 0 <= b["x"] and b["x"] + b["width"] <= DESKTOP["width"], chips.nth(i).inner_text()
    # Nothing truncated: a check's full name is on the page.
    assert page.get_by_text("Turn the rope from the wrists, not the shoulders").first.is_visible()


def test_review_opens_at_the_first_jump_and_steps_to_faults(desktop):
    page, _ = desktop
    first = frame_no(page)
    assert first > 0, "the review opens at the first jump's take-off, not at frame 0"
    page.locator(".st-key-frame_review").get_by_role("button", name="fault ▶").click()
    assert wait_frame_change(page, first) > first, "next fault walks forward from the first jump"


def test_priority_review_button_brings_the_review_into_view(desktop):
    page, _ = desktop
    scroll_to_top(page)
    button = page.get_by_role("button", name=re.compile(r"Review frame \d+"))
    if button.count() == 0:
        pytest.skip("this clip has no priority to review")
    button.first.scroll_into_view_if_needed()
    target = int(re.search(r"(\d+)", button.first.inner_text()).group(1))
    old = frame_no(page)
    button.first.click()
    if target != old:
        assert wait_frame_change(page, old) == target
    page.wait_for_timeout(1200)  # the scroll runs once the review is redrawn
    assert box_in_view(page, page.locator(".st-key-frame_review").get_by_text(re.compile(r"^Frame \d+ · ")).first, 10)
    assert box_in_view(page, review_image(page)), "the frame image is on screen after 'Review frame'"


def test_timeline_and_table_clicks_move_the_review_into_view(desktop):
    page, _ = desktop
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = chart.bounding_box()
    old = frame_no(page)
    page.mouse.click(box["x"] + 0.35 * box["width"], box["y"] + 0.5 * box["height"])
    assert wait_frame_change(page, old) != old, "a click on the timeline moves the review"
    page.wait_for_timeout(1200)
    assert box_in_view(page, review_image(page)), "the review is brought into view after a timeline click"
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    gb = grid.bounding_box()
    old = frame_no(page)
    page.mouse.click(gb["x"] + 15, gb["y"] + 35 + 35 * 2 + 17)  # the selection box of the third row
    assert wait_frame_change(page, old) != old, "selecting a jump moves the review"
    page.wait_for_timeout(1200)
    assert box_in_view(page, review_image(page)), "the review is brought into view after a row click"


def test_desktop_screenshot(desktop):
    page, _ = desktop
    wait_idle(page)
    scroll_to_top(page)
    page.set_viewport_size({"width": DESKTOP["width"], "height": 2300})
    page.wait_for_timeout(2500)
    out = REPO / "docs" / "screenshot.png"
    page.screenshot(path=str(out))
    page.set_viewport_size(DESKTOP)
    assert out.stat().st_size > 50_000


def test_settings_change_shows_new_results_without_a_pose_run(desktop, server):
    """The acceptance test of issue 15: back pain, surface and height change after an
    analysis; each shows its new results within 2 s and the pose stage does not run."""
    from playwright.sync_api import expect  # noqa: PLC0415

    page, _ = desktop
    _, log = server
    runs = pose_runs(log)
    scroll_to_top(page)
    settings = page.locator(".st-key-settings")

    # Each change is timed from the key press that makes it (Playwright's own checks before
    # a click are not the page's time) to its new result on the page.
    box = settings.get_by_role("checkbox", name="I have back pain")
    box.focus()
    page.wait_for_timeout(500)
    t0 = time.perf_counter()
    page.keyboard.press("Space")
    expect(page.get_by_text("You reported back pain").first).to_be_attached(timeout=10_000)
    back_s = time.perf_counter() - t0

    # The back-pain rerun must end before the next widget is used: a click that lands while the
    # script still runs can be swallowed when the rerun redraws the settings (in CI the surface
    # list once never opened, the typed text went nowhere and no option showed).
    wait_script_done(page)
    settings.get_by_text("Camera, step style, rope, surface").click()
    surface = settings.locator('[data-testid="stSelectbox"]').filter(has_text="Surface")
    concrete = page.get_by_role("option", name="concrete", exact=True)
    open_list(surface.get_by_role("combobox"), concrete)
    t0 = time.perf_counter()
    concrete.click()
    expect(page.get_by_text("Concrete is hard on joints").first).to_be_attached(timeout=10_000)
    surface_s = time.perf_counter() - t0

    height_metric = page.locator('[data-testid="stMetric"]').filter(has_text="Jump height")
    before = height_metric.inner_text()
    field = settings.get_by_label("Standing height (cm)", exact=True).and_(settings.locator("input"))
    field.fill("150")
    t0 = time.perf_counter()
    field.press("Enter")
    expect(height_metric).not_to_have_text(before, timeout=10_000)
    height_s = time.perf_counter() - t0
    expect(page.get_by_text(re.compile(r"Updated for your settings in [\d.]+ s from the stored pose"))).to_be_visible()

    print(f"\nnew results after: back pain {back_s:.2f} s, surface {surface_s:.2f} s, height {height_s:.2f} s")
    assert pose_runs(log) == runs, "a settings change must not run the pose stage"
    assert max(back_s, surface_s, height_s) <= SETTINGS_CHANGE_S, (back_s, surface_s, height_s)
    assert frame_no(page) >= 0 and review_image(page).is_visible(), "the review stays on the page"


def test_phone_layout(browser, server):
    """At 390x844: settings beside the uploader stack under it, summary figures two to a
    row, every verdict chip on screen, the step bar compact, and 'Review frame' brings the
    frame image into view; the same clip comes from the stored pose."""
    clip = need(SIDE_CLIP, "real clip")
    url, log = server
    page = open_page(browser, url, PHONE)
    try:
        runs = pose_runs(log)
        upload(page, clip)
        wait_idle(page)
        assert pose_runs(log) == runs, "the same clip in a second session reuses the stored pose"
        metrics = page.locator('[data-testid="stMetric"]')
        tops = sorted({round(metrics.nth(i).bounding_box()["y"]) for i in range(metrics.count())})
        assert len(tops) == (metrics.count() + 1) // 2, "summary figures two to a row"
        for table in page.locator("table.jr-table").all():
            table.scroll_into_view_if_needed()
            chips = table.locator(".jr-chip")
            for i in range(chips.count()):
                chips.nth(i).scroll_into_view_if_needed()
                assert box_in_view(page, chips.nth(i), 5), f"verdict {i} off-screen at 390 px"
        bar = page.locator(".st-key-stepbar")
        assert bar.bounding_box()["height"] <= 100, "the six step buttons fit in at most two rows"
        button = page.get_by_role("button", name=re.compile(r"Review frame \d+"))
        if button.count():
            button.first.scroll_into_view_if_needed()
            button.first.click()
            page.wait_for_timeout(2000)
            wait_image_loaded(page)
            assert box_in_view(page, review_image(page), 200), "the frame image is on screen after 'Review frame'"
            page.wait_for_timeout(1000)
            page.screenshot(path=str(REPO / "docs" / "screenshot_phone_review.png"))
        scroll_to_top(page)
        page.set_viewport_size({"width": PHONE["width"], "height": 1900})
        page.wait_for_timeout(2500)
        out = REPO / "docs" / "screenshot_phone.png"
        page.screenshot(path=str(out))
        assert out.stat().st_size > 20_000
    finally:
        page.close()


def test_annotated_video_on_request(desktop):
    from playwright.sync_api import expect  # noqa: PLC0415

    page, _ = desktop
    button = page.get_by_role("button", name=re.compile("Draw the annotated video"))
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.locator('[data-testid="stVideo"]').first).to_be_attached(timeout=120_000)
    expect(page.get_by_role("button", name=re.compile("Annotated video \\(MP4\\)"))).to_be_visible()
