"""The dashboard in a real Chromium: every page on the sample plan, the empty database, shared URLs.

Starts `streamlit run server.py` (dashboard.py behind the upload gate) on a free port (fixtures in
tests/browser/conftest.py), waits for each page's script to finish, and checks
what a person sees: the page title, no exception box, rendered Plotly charts.
`test_screenshot_main_pages` also writes docs/screenshots/*.png for the README
(`make screenshots`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

EXCEPTION = '[data-testid="stException"]'
CHART = ".js-plotly-plot .main-svg"
SIDEBAR_DATE = '[data-testid="stSidebar"] [data-testid="stDateInput"]'
# url path -> (page title, least number of charts drawn on the sample plan)
PAGES = {
    "overview": ("Overview", 3),
    "domain": ("Domain drill-down", 3),
    "milestones": ("Milestones", 2),
    "items": ("Items explorer", 0),
    "changes": ("What changed", 0),
    "freshness": ("Data freshness and parties", 2),
    "report": ("Briefing pack", 0),
    "definitions": ("Metric definitions", 0),
    "upload": ("Upload a status sheet", 0),
    "uploads": ("Upload history", 0),
}


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=60_000)


def heading(page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def test_sample_plan_opens_on_the_overview(sample_db, start_server, page):
    open_page(page, start_server(sample_db))
    heading(page, "Overview").wait_for()
    page.wait_for_selector(CHART)
    assert "as_of=" not in page.url     # the default date follows new data; a picked one is kept
    assert "Amber The whole plan: schedule efficiency" in page.locator(".st-key-overview_verdict").inner_text()
    assert page.locator(CHART).count() >= 3
    assert page.get_by_text("Data current to 2026-11-24").first.is_visible()
    assert page.get_by_text("Sample data", exact=False).first.is_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 11
    assert page.locator(EXCEPTION).count() == 0


def test_every_page_renders_without_an_exception(sample_db, start_server, page):
    base = start_server(sample_db)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path, (title, charts) in PAGES.items():
        open_page(page, f"{base}/{path}")
        heading(page, title).wait_for()
        if charts:
            page.wait_for_selector(CHART)
        assert page.locator(CHART).count() >= charts, path
        assert page.locator(EXCEPTION).count() == 0, path
        # The sidebar comes from dashboard.py: present even when a page is the first request.
        page.locator(SIDEBAR_DATE).wait_for(timeout=10_000)
    # no request leaves the machine (a page's Material icon as favicon came from Google's fonts)
    hosts = {url.split("/")[2] for url in requested if url.startswith("http")}
    assert hosts == {base.split("/")[2]}, sorted(url for url in requested if base not in url)[:5]


def test_a_database_that_cannot_be_opened_lists_no_internal_module(tmp_path, start_server, page):
    base = start_server(tmp_path)                  # a folder, not a DuckDB file
    open_page(page, base)
    page.get_by_text("Cannot open the database").wait_for(timeout=30_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    text = sidebar.inner_text() if sidebar.count() else ""
    for module in ("_auth", "_shared", "_downloads", "auth", "shared", "downloads"):
        assert module not in text
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0


def test_empty_database_shows_the_first_run_page(db_path, start_server, page):
    from analytics.store import open_store

    open_store(db_path).close()
    open_page(page, start_server(db_path))
    heading(page, "Welcome to Work-Plan Pulse").wait_for()
    assert page.get_by_text("workplan demo").first.is_visible()
    assert page.locator(EXCEPTION).count() == 0


def test_a_shared_url_reproduces_page_date_and_filters(sample_db, start_server, page):
    base = start_server(sample_db)
    open_page(page, f"{base}/domain?as_of=2026-09-30&domain=Fraud&domain_pick=Fraud")
    heading(page, "Domain drill-down").wait_for()
    page.wait_for_selector(CHART)
    titles = [title.text_content() for title in page.locator(".js-plotly-plot .gtitle").all()]
    assert titles and all("as of 2026-09-30 · domain: Fraud" in title for title in titles)
    page.get_by_role("link", name="Milestones").click()
    wait_for_app(page, timeout=60_000)
    heading(page, "Milestones").wait_for()
    page.wait_for_url("**/milestones?*as_of=2026-09-30*")
    assert "domain=Fraud" in page.url
    assert page.locator(SIDEBAR_DATE).locator("input").input_value() == "2026-09-30"


def test_first_request_for_a_page_still_needs_sign_in(sample_db, start_server, page):
    """A fresh server's first request for /overview goes through dashboard.py's sign-in."""
    base = start_server(sample_db, WORKPLAN_AUTH="password")
    open_page(page, f"{base}/overview")
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stMetric"], .js-plotly-plot').count() == 0


SCREEN_SIZES = {"": (1366, 768), "-1920": (1920, 1080)}


def test_screenshot_main_pages(sample_db, start_server, browser, tmp_path):
    """<page>.png of every page on the sample plan at 1366x768 and <page>-1920.png at 1920x1080:
    into tmp during `make test`, into docs/screenshots with `make screenshots` (SCREENSHOTS_DIR)."""
    base = start_server(sample_db)
    out = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for suffix, (width, height) in SCREEN_SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            for path, (title, charts) in PAGES.items():
                open_page(page, f"{base}/{path}")
                heading(page, title).wait_for()
                if charts:
                    page.locator(CHART).nth(charts - 1).wait_for()
                wait_for_app(page)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
                page.evaluate("document.fonts.ready")
                shot = out / f"{path}{suffix}.png"
                page.screenshot(path=str(shot))
                assert shot.stat().st_size > 10_000
        finally:
            context.close()


def test_screenshot_the_overview_in_french(sample_db, start_server, page, tmp_path):
    """overview-fr.png: the Overview at ?lang=fr, 1366x768 (docs/screenshots with `make
    screenshots`); the page reads French down to its cards and dates."""
    base = start_server(sample_db)
    out = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    open_page(page, f"{base}/overview?lang=fr")
    heading(page, "Vue d'ensemble").wait_for()
    page.locator(CHART).nth(2).wait_for()
    wait_for_app(page)
    page.evaluate("document.fonts.ready")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "novembre 2026" in main and "Overview" not in main
    shot = out / "overview-fr.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
