"""Roles per plan in a real browser: a viewer of one plan gets nothing of another.

The store holds the two demo plans (IC and CE). `vera` is a viewer of IC only, `boss` an
admin of every plan. In Chromium, through the real server: vera's pages, picker and
navigation name IC only, and a link to CE (`?plan=CE`, on the Overview or the Portfolio)
shows IC with one line saying the link named a plan she cannot open, never CE's title or
figures; boss gets the Portfolio first with both plans, and its Open button takes him to
CE's Overview with `?plan=CE` in the URL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics.sample import load_demo
from analytics.store import open_store
from tests.browser.test_password_mode import PASSWORD, nav_links, sign_in, wait_for_app

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CE_TITLE = "Canada-EU clean energy"


@pytest.fixture
def roles_server(tmp_path, start_server) -> str:
    db = tmp_path / "plans.duckdb"
    with open_store(db) as store:
        load_demo(store)
    for argv in (["vera", "--role", "viewer", "--plan", "IC"], ["boss", "--role", "admin"]):
        subprocess.run([sys.executable, "-m", "analytics", "--db", str(db), "user", "add", *argv,
                        "--password-stdin"], input=f"{PASSWORD}\n", text=True, check=True,
                       cwd=ROOT, capture_output=True)
    return start_server(db, WORKPLAN_AUTH="password")


def opened(browser, url: str, name: str):
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(url)
    sign_in(page, name, PASSWORD)
    page.get_by_role("button", name="Sign in").wait_for(state="detached", timeout=30_000)
    page.locator('[data-testid="stSidebarNav"] a').first.wait_for(timeout=30_000)
    page.get_by_role("heading", level=1).first.wait_for(timeout=30_000)
    wait_for_app(page)
    return page


def test_a_viewer_of_one_plan_gets_nothing_of_another_by_url_or_picker(roles_server, browser):
    for path in ("/overview?plan=CE", "/portfolio?plan=CE", "/?plan=ce"):
        page = opened(browser, roles_server + path, "vera")
        body = page.locator("body").inner_text()
        assert CE_TITLE not in body and "India-Canada" in body, path
        assert "The link names a plan you cannot open; showing IC instead." in body, path
        assert "Portfolio" not in nav_links(page), path
        assert page.get_by_role("combobox", name="Plan").count() == 0, path   # no picker
        assert "plan=IC" in page.url, path
        page.context.close()


def test_an_all_plans_admin_opens_a_plan_from_the_portfolio(roles_server, browser):
    page = opened(browser, roles_server + "/", "boss")
    assert list(nav_links(page))[0].endswith("Portfolio")       # its icon's name, then the title
    assert page.get_by_role("heading", level=1).first.inner_text() == "Portfolio"
    body = page.locator("body").inner_text()
    assert CE_TITLE in body and "India-Canada" in body
    page.get_by_role("button", name="Open CE").click()
    page.wait_for_url("**/overview?*plan=CE*", timeout=30_000)
    page.get_by_role("heading", name="Overview").wait_for(timeout=30_000)
    wait_for_app(page)
    assert CE_TITLE in page.locator("body").inner_text()
    page.context.close()
