"""Password mode in a real browser: sign-in required, wrong password refused, roles enforced.

Runs `streamlit run server.py` with WORKPLAN_AUTH=password on the sample plan
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
    """The link to the upload page (url path `upload`; "Upload history" is another page)."""
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
    assert page.get_by_text("Signed in as vera", exact=True).is_visible()
    assert page.get_by_text("Your role on IC: viewer").is_visible()
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
    page.get_by_text("Your role on IC: viewer").wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_timeout(1000)
    assert page.locator(UPLOADER).count() == 0
    assert upload_href(nav_links(page)) is None

    page.get_by_role("button", name="Sign out").click()
    sign_in_form(page).wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function(f"() => document.querySelectorAll({DATA!r}).length === 0",
                           timeout=30_000)      # the signed-in page's elements are gone
    assert page.locator(DATA).count() == 0


UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def upload_statuses(page, base: str, candidates: set[bytes]) -> set[int]:
    """The answers to a file sent for each id the server's messages carried (one of them is
    this browser's session), with the page's XSRF cookie, as an attacker's script would."""
    token = {c["name"]: c["value"] for c in page.context.cookies()}.get("_streamlit_xsrf", "")
    return {page.request.put(f"{base}/_stcore/upload_file/{sid.decode()}/probe",
                             multipart={"file": {"name": "x.csv", "mimeType": "text/csv",
                                                 "buffer": b"a,b\n1,2\n"}},
                             headers={"X-Xsrftoken": token}).status
            for sid in candidates}


def test_uploads_and_metrics_are_refused_until_an_editor_signs_in(password_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    seen: set[bytes] = set()
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: seen.update(
        UUID.findall(payload if isinstance(payload, bytes) else payload.encode()))))
    try:
        page.goto(password_server)
        sign_in_form(page)
        assert seen and upload_statuses(page, password_server, seen) == {403}
        assert page.request.get(f"{password_server}/_stcore/metrics").status == 403
        sign_in(page, "eddie", PASSWORD)
        page.locator('[data-testid="stMetric"]').first.wait_for(timeout=30_000)
        assert 204 in upload_statuses(page, password_server, seen)   # not vacuous: now allowed
        assert page.request.get(f"{password_server}/_stcore/metrics").status == 403
    finally:
        context.close()
