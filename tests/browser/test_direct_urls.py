"""Every page's URL opened directly, as a bookmark or a shared link would: no "Page not found".

Streamlit serves the default page at the root URL only and answered a link to its own
url path (/overview) with a "Page not found" dialog; dashboard.py keeps a hidden stand-in
at the root instead. The pages and their titles are read from dashboard.PAGES (without
running the script), so a new page is covered, and each page's heading must be its
navigation label.
"""

from __future__ import annotations

import ast

import pytest

from tests.browser.conftest import ROOT, wait_for_app

pytestmark = pytest.mark.browser

NOT_FOUND = "Page not found"


def registered_pages() -> dict[str, str]:
    """{url path: navigation title} of dashboard.PAGES, read from the source."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    (pages,) = [node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "PAGES" for target in node.targets)]
    def text(node) -> str:          # a literal, or N_("literal") (marked for translation)
        return ast.literal_eval(node.args[0] if isinstance(node, ast.Call) else node)

    return {text(page.elts[4]): text(page.elts[2]) for page in pages.elts}


def opened(page, url: str):
    page.goto(url)
    wait_for_app(page, timeout=60_000)
    page.wait_for_timeout(700)  # the dialog arrives with the navigation message, before the page
    return page


def test_every_page_url_opens_its_page_without_a_not_found_dialog(sample_db, start_server, page):
    base = start_server(sample_db)
    pages = registered_pages()
    assert list(pages)[0] == "overview" and len(pages) == 12
    # the fresh server's first request is /overview, the link of the report
    for url_path in ["overview", *pages, "overview"]:
        opened(page, f"{base}/{url_path}")
        assert page.get_by_text(NOT_FOUND).count() == 0, url_path
        assert page.url.startswith(f"{base}/{url_path}"), (url_path, page.url)
        page.get_by_role("heading", name=pages[url_path], exact=True).wait_for(timeout=30_000)


def test_the_root_url_opens_the_overview_and_keeps_the_query(sample_db, start_server, page):
    base = start_server(sample_db)
    opened(page, f"{base}/?as_of=2026-09-30&domain=Fraud&domain=Cybersecurity+policy")
    page.get_by_role("heading", name="Overview", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text(NOT_FOUND).count() == 0
    assert page.url == (f"{base}/overview?as_of=2026-09-30&domain=Fraud&domain=Cybersecurity+policy"
                        "&plan=IC")       # the plan shown joins the view parameters
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text().strip().endswith("Overview")


def test_on_an_empty_database_a_page_link_opens_get_started(db_path, start_server, page):
    from analytics.store import open_store

    open_store(db_path).close()
    base = start_server(db_path)
    for url_path in ("overview", "domain", ""):
        opened(page, f"{base}/{url_path}")
        assert page.get_by_text(NOT_FOUND).count() == 0, url_path
        page.get_by_role("heading", name="Welcome to Work-Plan Pulse").wait_for(timeout=30_000)
        assert page.url == f"{base}/start"
    opened(page, f"{base}/uploads")
    page.get_by_role("heading", name="Upload history", exact=True).wait_for(timeout=30_000)


def test_sessions_opened_together_on_a_fresh_server_all_go_through_the_dashboard(
        sample_db, start_server, browser):
    """Several officials opening the link at once, the first requests of a fresh server: each
    gets the Overview through dashboard.py (its navigation, its sign-in), none a page file run
    on its own (an empty page under a sidebar listing pages/*.py, as the 40-session benchmark
    found before server.py left Streamlit's folder mode at import)."""
    base = start_server(sample_db)
    contexts = [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(4)]
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:      # all four connect before the first one's script run is done
            page.goto(f"{base}/overview", wait_until="commit")
        for page in pages:
            page.get_by_role("heading", name="Overview", exact=True).wait_for(timeout=90_000)
            wait_for_app(page, timeout=60_000)
            sidebar = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Domain drill-down" in sidebar and "_shared" not in sidebar
            assert "shared" not in sidebar.split() and "auth" not in sidebar.split()
            assert page.get_by_text("no role on any plan").count() == 0
    finally:
        for context in contexts:
            context.close()
