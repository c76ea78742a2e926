"""Several users at once, on the real server: three browser sessions upload three
different clips at the same time and each gets its own, correct result; the uploads'
temporary folders are gone afterwards (nothing accumulates on disk)."""

from __future__ import annotations

import re
import threading
import time

import pytest

from analysis.config import AnalysisConfig
from analysis.pipeline import analyze_video
from tests.page_support import SHARED_VIDEOS, need, streamlit_server
from tests.test_browser import CHROMIUM_ARGS, HEADLINE, chromium  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIPS = (
    "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4",
    "front_woman_alternate_step_outdoor_riverside_small_30fps.mp4",
    "front_boy_alternate_step_gym_portrait_walks_off_30fps.mp4",
)


@pytest.fixture
def private_server(tmp_path):
    """The page on a free localhost port, with its own temporary folder to inspect."""
    tmp = tmp_path / "server-tmp"
    tmp.mkdir()
    with streamlit_server(tmp_path / "streamlit.log", {"TMPDIR": str(tmp)}) as url:
        yield url, tmp


def test_three_sessions_at_once_get_their_own_results(private_server, chromium):  # noqa: F811
    url, tmp = private_server
    clips = [need(SHARED_VIDEOS / name, "real clip") for name in CLIPS]
    expected = {c.name: analyze_video(c, AnalysisConfig()).jumps.count for c in clips}
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    shown: dict[str, int] = {}
    errors: list[str] = []

    def session(clip) -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.goto(url, wait_until="domcontentloaded")
                    expect(page.get_by_text("Jump-rope form review").first).to_be_visible(timeout=90_000)
                    page.locator('input[type="file"]').set_input_files(str(clip))
                    headline = page.get_by_text(HEADLINE).first
                    expect(headline).to_be_visible(timeout=300_000)
                    expect(page.get_by_text(clip.name).first).to_be_visible(timeout=10_000)
                    shown[clip.name] = int(re.match(r"(\d+)", headline.inner_text()).group(1))
                finally:
                    browser.close()
        except Exception as exc:  # noqa: BLE001 - reported below, per session
            errors.append(f"{clip.name}: {exc}")

    threads = [threading.Thread(target=session, args=(c,)) for c in clips]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=600)
    assert not errors, errors
    assert shown == expected
    # The uploads lived in per-session temporary folders that are removed once their work
    # ends: the analysis's at the end of its run, the review video's background job (its own
    # copy, queued one job at a time) when it is done, so wait for those jobs to finish.
    deadline = time.monotonic() + 300
    while (leftovers := _leftovers(tmp)) and time.monotonic() < deadline:
        time.sleep(2)
    assert leftovers == [], leftovers


def _leftovers(tmp) -> list[str]:
    if not tmp.exists():
        return []
    return [
        p.name
        for p in tmp.iterdir()
        if p.suffix.lower() in (".mp4", ".mov")
        or "jumprope" in p.name
        or any(q.suffix.lower() == ".mp4" for q in p.rglob("*") if q.is_file())
    ]
