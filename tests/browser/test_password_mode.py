"""Password mode in a real browser: sign-in required, wrong password refused, roles enforced.

Runs `streamlit run dashboard.py` with WORKPLAN_AUTH=password on the sample plan
and drives Chromium: before sign-in there is no table, chart or download; a wrong
password is refused; the right one shows the overview; a viewer has no upload
page in the navigation and gets no upload controls by typing its URL, while an
editor does (so the check is not vacuous).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
DATA = ('[data-testid="stDataFrame"], [data-testid="stPlotlyChart"], .js-plotly-plot, '
        '[data-testid="stDownloadButton"], [data-testid="stMetric"], [data-testid="stTable"]')
UPLOADER = '[data-testid="stFileUploader"], [data-testid="stFileUploaderDropzone"]'
ROOT = Path(__file__).resolve().parents[2]


def wait_for_app(page, timeout: float = 30_000) -> None:
    """The app container is shown and the script has finished running."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout)
    page.wait_for_timeout(300)


@pytest.fixture
def password_server(sample_db, start_server) -> str:
    for name, role in (("vera", "viewer"), ("eddie", "editor")):
        subprocess.run([sys.executable, "-m", "analytics", "--db", str(sample_db), "user", "add",
                        name, "--role", role, "--password-stdin"],
                       input=f"{PASSWORD}\n", text=True, check=True, cwd=ROOT, capture_output=True)
    return start_server(sample_db, WORKPLAN_AUTH="password")


def sign_in_form(page):
    """Wait for the sign-in form; return its button."""
    button = page.get_by_role("button", name="Sign in")
    button.wait_for(timeout=30_000)
    return button


def sign_in(page, name: str, password: str) -> None:
    sign_in_form(page)
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_timeout(500)
    wait_for_app(page)


def nav_links(page) -> dict[str, str]:
    """Sidebar navigation: link text -> href."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    return {links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href")
            for i in range(links.count())}


def upload_href(links: dict[str, str]) -> str | None:
    """The link to the upload page (url path `upload`; "Uploads history" is another page)."""
    return next((href for href in links.values() if re.search(r"/upload/?$", href or "")), None)


def test_password_mode_end_to_end(password_server, browser):
    def fresh_page():
        return browser.new_context(viewport={"width": 1366, "height": 768}).new_page()

    page = fresh_page()
    # The server's very first request is a deep link: Streamlit would serve pages/overview.py
    # directly (pages-directory mode) if pages/_auth.py did not send it through dashboard.py.
    page.goto(f"{password_server}/overview")
    wait_for_app(page)
    assert sign_in_form(page).is_visible()
    page.wait_for_timeout(1000)
    assert page.locator(DATA).count() == 0
    assert page.locator('[data-testid="stSidebarNav"] a').count() == 0

    sign_in(page, "vera", "not the password")
    page.get_by_text("Wrong user name or password.").wait_for(timeout=30_000)
    assert page.locator(DATA).count() == 0

    sign_in(page, "vera", PASSWORD)
    page.locator(DATA).first.wait_for(state="attached", timeout=60_000)
    wait_for_app(page)
    assert page.get_by_text("Signed in as vera (viewer)").is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    viewer_links = nav_links(page)
    assert viewer_links and upload_href(viewer_links) is None

    editor = fresh_page()
    editor.goto(password_server)
    wait_for_app(editor)
    sign_in(editor, "eddie", PASSWORD)
    editor.locator(DATA).first.wait_for(state="attached", timeout=60_000)
    href = upload_href(nav_links(editor))
    assert href, "an editor must see the upload page"
    editor.goto(href)
    wait_for_app(editor)
    sign_in(editor, "eddie", PASSWORD)          # a new page load is a new session
    editor.locator(UPLOADER).first.wait_for(timeout=30_000)

    page.goto(href)                             # the viewer types the upload page's URL
    wait_for_app(page)
    assert page.locator(DATA).count() == 0      # signed out by the reload
    sign_in(page, "vera", PASSWORD)
    page.get_by_text("Signed in as vera (viewer)").wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_timeout(1000)
    assert page.locator(UPLOADER).count() == 0
    assert upload_href(nav_links(page)) is None

    page.get_by_role("button", name="Sign out").click()
    assert sign_in_form(page).is_visible()
    assert page.locator(DATA).count() == 0
