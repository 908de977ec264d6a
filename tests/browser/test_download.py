"""A download arrives in a real browser: chart PNG through kaleido, table CSV, briefing PDF.

Drives the running dashboard (`streamlit run`) with Chromium through Playwright:
open a chart's Download menu, click PNG, and receive the file (Streamlit's
deferred download: the bytes are generated on the click); the click is audited.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from analytics.store import open_store
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
AS_OF = "2026-11-24"


def open_overview(page, base_url: str) -> None:
    page.goto(base_url)
    wait_for_app(page, timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_for_app(page, timeout=60_000)


def download(page, menu_key: str, button_key: str, timeout: float = 60_000, attempts: int = 3):
    """Open a Download menu and click one of its buttons; the Playwright Download. A rerun
    (an earlier download starts one) can redraw the menu closed under the click: then the menu
    is opened and clicked again, up to `attempts` times within `timeout` in all."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(1, attempts + 1):
        wait_for_app(page)
        page.locator(f".st-key-{menu_key} button").first.click()
        button = page.locator(f".st-key-{button_key} button")
        button.wait_for(state="visible", timeout=10_000)
        try:
            with page.expect_download(timeout=timeout / attempts) as info:
                button.click()
            return info.value
        except PlaywrightTimeout:
            if attempt == attempts:
                raise
            page.keyboard.press("Escape")


def export_rows(db: Path, expected: int, timeout: float = 20) -> list[tuple[str, str]]:
    """The audit log's export rows once `expected` are there (the rerun writes them)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open_store(db) as store:
                rows = store.cursor().execute("SELECT username, detail FROM audit_log "
                                              "WHERE action = 'export' ORDER BY id").fetchall()
        except Exception:                       # the server holds the write lock
            rows = []
        if len(rows) >= expected or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def test_chart_png_and_table_csv_downloads_arrive(start_server, sample_db, page, tmp_path):
    base_url = start_server(sample_db)
    open_overview(page, base_url)

    png = download(page, "overview_burn_up_dl_menu", "overview_burn_up_dl_png")
    assert png.suggested_filename == f"burn-up_ic_{AS_OF}_sample-data.png"
    png_path = tmp_path / png.suggested_filename
    png.save_as(png_path)
    assert png_path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png_path.stat().st_size > 10_000

    page.keyboard.press("Escape")
    csv = download(page, "overview_risks_dl_menu", "overview_risks_dl_csv")
    assert csv.suggested_filename == f"top-risks_ic_{AS_OF}_sample-data.csv"
    csv_path = tmp_path / csv.suggested_filename
    csv.save_as(csv_path)
    assert csv_path.read_bytes().decode("utf-8-sig").startswith("item_id,")


def test_briefing_pack_pdf_builds_and_downloads(start_server, sample_db, page, tmp_path):
    base_url = start_server(sample_db)
    open_overview(page, base_url)                   # signs in; then the page by its URL
    page.goto(f"{base_url}/report")
    wait_for_app(page, timeout=60_000)
    page.locator(".st-key-report_build_pdf button").click()
    button = page.locator(".st-key-report_download_pdf button")
    button.wait_for(state="visible", timeout=120_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    pdf = info.value
    assert pdf.suggested_filename == f"briefing_ic_{AS_OF}_sample-data.pdf"
    path = tmp_path / pdf.suggested_filename
    pdf.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-") and path.stat().st_size > 100_000
