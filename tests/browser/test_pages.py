"""Every page of the dashboard in real Chromium: it finishes, shows no exception, draws its charts.

Pages are found from the sidebar's navigation links (so a page added to
`dashboard.py` is covered without editing this file); a minimum set is checked
to be present. A URL with `?as_of=...&domain=...` must reproduce the view: the
sidebar shows that date and domain, and chart titles state them.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.context import ViewContext
from analytics.metrics import item_metrics
from analytics.store import open_store
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

# Pages that must be in the navigation (the default page at / is a hidden stand-in that opens
# the first of them), and those that must draw Plotly charts on the sample plan.
EXPECTED = {"overview", "domain", "milestones", "items", "changes", "freshness", "report",
            "definitions", "upload", "uploads"}
CHART_PAGES = {"overview", "domain", "milestones", "freshness"}
EXCEPTION = '[data-testid="stException"]'
CHART = '.js-plotly-plot, [data-testid="stPlotlyChart"]'


def nav_paths(page, base_url: str) -> list[str]:
    """URL paths of the sidebar's navigation links ('' for the default page)."""
    open_page(page, base_url)
    page.wait_for_selector('[data-testid="stSidebarNav"] a', timeout=30_000)
    hrefs = page.eval_on_selector_all('[data-testid="stSidebarNav"] a',
                                      "links => links.map(a => a.getAttribute('href'))")
    paths = [href.rstrip("/").rsplit("/", 1)[-1] if href else "" for href in hrefs]
    return [("" if path == base_url.rsplit("/", 1)[-1] else path) for path in paths]


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_for_app(page, timeout=60_000)


def test_every_page_renders_without_exception(start_server, sample_db, page):
    base_url = start_server(sample_db)
    paths = nav_paths(page, base_url)
    assert set(EXPECTED) <= set(paths), (paths, len(paths))
    for path in paths:
        open_page(page, f"{base_url}/{path}")
        assert page.locator(EXCEPTION).count() == 0, (
            f"exception on /{path}: {page.locator(EXCEPTION).all_inner_texts()}")
        if path in CHART_PAGES:
            page.wait_for_selector(CHART, timeout=30_000)
            assert page.locator(".js-plotly-plot .main-svg").count() > 0, path


def test_query_params_reproduce_the_view(start_server, sample_db, page):
    base_url = start_server(sample_db)
    # The shared link is the fresh server's first request (pages-directory mode until then).
    open_page(page, f"{base_url}/freshness?as_of=2026-10-31&domain=Fraud")
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    page.wait_for_selector(".js-plotly-plot .gtitle", timeout=30_000)
    titles = page.locator(".js-plotly-plot .gtitle").evaluate_all(
        "titles => titles.map(t => t.textContent)")
    assert titles and all("as of 2026-10-31" in t and "domain: Fraud" in t for t in titles), titles
    sidebar = page.locator('[data-testid="stSidebar"]')
    values = sidebar.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    assert "2026-10-31" in values, values
    assert "Fraud" in sidebar.inner_text()


def test_clicking_an_item_row_shows_its_history(start_server, sample_db, page):
    with open_store(sample_db) as store:  # before the server takes the database's lock
        items = item_metrics(store, ViewContext(as_of=date(2026, 11, 24), sample=True))
    first = items.sort_values("variance_pp", kind="stable").iloc[0]  # the page's default order
    base_url = start_server(sample_db)
    open_page(page, base_url)
    open_page(page, f"{base_url}/items")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection checkbox
    page.wait_for_selector('[data-testid="stDataFrame"] >> nth=1', timeout=30_000)
    wait_for_app(page)
    assert page.locator(EXCEPTION).count() == 0
    picked = page.locator('[data-testid="stText"]').all_inner_texts()
    assert picked == [f"{first.item_id} · {first.title}"]


def test_pages_render_on_an_empty_database(start_server, fresh_store, db_path, page):
    fresh_store.close()
    base_url = start_server(db_path)
    paths = nav_paths(page, base_url)
    assert {"start", "upload", "uploads"} <= set(paths)  # the first-run page and the data pages
    for path in [*paths, *sorted(EXPECTED - set(paths))]:  # data pages by URL too
        open_page(page, f"{base_url}/{path}")
        assert page.locator(EXCEPTION).count() == 0, (
            f"exception on /{path}: {page.locator(EXCEPTION).all_inner_texts()}")
