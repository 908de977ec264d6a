"""A manager's upload in a real browser: choose the file, read the preview, commit, find it
in the history and revert it; a bad sheet cannot be committed whole.

Drives `streamlit run` (local mode: the local admin) with Chromium through Playwright,
uploading through the page's own file input.
"""

from __future__ import annotations

import codecs

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

# Excel's "Unicode text": UTF-16 with a BOM, tabs, its own headers, day-first dates, "95%".
UNICODE_TEXT = ("Item ID\tReporting date\t% Complete\tRAG\tComments\r\n"
                "CIS-01\t30/11/2026\t95%\tAmber\tFinal review with partners\r\n"
                "CIS-03\t30/11/2026\t100%\tDone\t\r\n"
                "CIS-04\t30/11/2026\t60\tg\tOn track\r\n")
BAD = ("item_id,as_of,percent_complete,status\n"
       "CIS-01,2026-11-30,120,green\nCIS-03,2026-11-30,50,amber\n")


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def pick(page, key: str, option: str) -> None:
    """Choose `option` in the selectbox with widget key `key`."""
    combo = page.locator(f".st-key-{key} input")          # drawn once the script has run
    combo.wait_for(timeout=30_000)
    combo.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def open_upload_page(page, base_url: str, kind: str, party: str | None = None) -> None:
    page.goto(f"{base_url}/upload")
    wait_for_app(page, timeout=60_000)
    pick(page, "upload_kind", kind)
    if party is not None:
        pick(page, "upload_party", party)


def choose_file(page, path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("row(s) read").wait_for(timeout=30_000)
    wait_for_app(page)


def test_upload_preview_commit_history_and_revert(start_server, sample_db, page, tmp_path):
    sheet = tmp_path / "india-2026-11.txt"
    sheet.write_bytes(codecs.BOM_UTF16_LE + UNICODE_TEXT.encode("utf-16-le"))
    base_url = start_server(sample_db)
    open_upload_page(page, base_url, "updates", party="India")   # CIS-01 and CIS-04 are joint
    choose_file(page, sheet)
    text = main_text(page)
    assert "3 row(s) read, 3 valid, 0 error(s)." in text
    assert "Slash dates" in text and "Preview" in text

    page.locator(".st-key-commit button").click()
    page.get_by_text("Committed.").wait_for(timeout=30_000)
    wait_for_app(page)
    text = main_text(page)
    assert "Imported 3 updates row(s) from india-2026-11.txt as upload 27." in text
    assert "row(s) read" not in text                       # the uploader is ready for the next sheet

    page.get_by_text("See it in the upload history").click()
    page.get_by_role("heading", name="Upload history").wait_for(timeout=30_000)
    wait_for_app(page)
    page.locator(".st-key-revert_confirm label").click()
    wait_for_app(page)
    page.locator(".st-key-revert_button button").click()
    page.get_by_text("Reverted upload 27 (recorded as upload 28).").wait_for(timeout=30_000)


def test_a_bad_sheet_cannot_be_committed_whole(start_server, sample_db, page, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(BAD)
    base_url = start_server(sample_db)
    open_upload_page(page, base_url, "updates", party="Canada")
    choose_file(page, sheet)
    assert "2 row(s) read, 1 valid, 1 error(s)." in main_text(page)
    assert page.locator(".st-key-commit button").is_disabled()
    assert page.locator(".st-key-errors_csv button").is_visible()
    page.locator(".st-key-commit_valid button").click()
    page.get_by_text("Committed the valid rows").wait_for(timeout=30_000)
    assert "1 invalid row(s) kept as rejects" in main_text(page)


def test_after_a_commit_the_overview_shows_the_new_date_in_the_same_session(
        start_server, sample_db, page, tmp_path):
    sheet = tmp_path / "canada-2026-11.csv"
    sheet.write_text("item_id,as_of,percent_complete,status,note\n"
                     "CIS-03,2026-11-30,100,complete,Indicator exchange automated\n")
    base_url = start_server(sample_db)
    page.goto(f"{base_url}/overview")
    wait_for_app(page, timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Data current to 2026-11-24").wait_for(timeout=30_000)
    assert "Amber The whole plan: schedule efficiency" in page.locator(".st-key-overview_verdict").inner_text()
    page.get_by_role("link", name="Upload a status sheet").click()
    wait_for_app(page)
    pick(page, "upload_kind", "updates")
    pick(page, "upload_party", "Canada")
    choose_file(page, sheet)
    page.locator(".st-key-commit button").click()
    page.get_by_text("Committed.").wait_for(timeout=30_000)
    page.get_by_role("link", name="Overview").click()           # the same browser session
    wait_for_app(page)
    sidebar.get_by_text("Data current to 2026-11-30").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input'
                        ).input_value() == "2026-11-30"
    page.locator(".st-key-overview_verdict").wait_for(timeout=30_000)
    assert "Viewing the plan as of" not in main_text(page)       # following: no banner
    assert "as_of=" not in page.url


def overview_seconds(page, base_url: str) -> float:
    """Seconds from navigation until the overview's cards are drawn and the script is done."""
    import time

    started = time.perf_counter()
    page.goto(f"{base_url}/overview")
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60_000)
    wait_for_app(page, timeout=60_000)
    return time.perf_counter() - started


@pytest.mark.parametrize("shape", ["rows of 10,000 values", "one cell of 2 MB per row"])
def test_a_hostile_upload_does_not_stall_another_session(start_server, sample_db, browser,
                                                           tmp_path, shape):
    from benchmarks.hostile import SHAPES

    sheet = tmp_path / "hostile.csv"
    sheet.write_bytes(SHAPES[shape](20 << 20)[:20 << 20])
    base_url = start_server(sample_db)
    manager, other = (browser.new_context(viewport={"width": 1366, "height": 768}) for _ in "ab")
    try:
        reader, uploader = other.new_page(), manager.new_page()
        overview_seconds(reader, base_url)                       # warm the caches
        idle = min(overview_seconds(reader, base_url) for _ in range(3))
        open_upload_page(uploader, base_url, "updates", party="India")
        uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(sheet))
        busy = overview_seconds(reader, base_url)                # while the sheet is checked
        uploader.get_by_text("row(s) read").or_(uploader.get_by_text("cannot be imported")
                                                 ).first.wait_for(timeout=120_000)
        assert "This app has encountered an error" not in main_text(uploader)
        assert busy <= max(2 * idle, idle + 1.0), (idle, busy)
    finally:
        manager.close()
        other.close()
