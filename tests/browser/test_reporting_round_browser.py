"""The reporting round page in a real browser: who owes a report, and their pre-filled sheet.

Chromium against `streamlit run server.py` on the sample plan: the page lists the owners
worst first with their state; the pre-filled XLSX of the first owner downloads and the
importer takes it back unchanged (no row rejected, the figures the same); with no SMTP
settings the page says no mail is sent instead of offering the Send button.
"""

from __future__ import annotations

import shutil

import pytest

from analytics.context import plan_view
from analytics.ingest import ReadOptions, import_upload
from analytics.metrics import item_metrics
from analytics.owner_sheet import sheet_file_name
from analytics.plans import plan_by_id
from analytics.reporting_round import owners_of, reporting_round
from analytics.store import open_store
from tests.browser.test_password_mode import wait_for_app

pytestmark = pytest.mark.browser


def test_the_round_lists_owners_and_their_sheet_imports_back_unchanged(sample_db, start_server,
                                                                      page, tmp_path):
    with open_store(sample_db) as store:
        ctx = plan_view(store, plan_by_id(store, 1))
        expected = {sheet_file_name(ctx, owner, "xlsx")               # an owner who owes
                    for owner in owners_of(reporting_round(store, ctx))}
    check_db = tmp_path / "check.duckdb"           # the server holds sample_db's lock
    shutil.copy(sample_db, check_db)
    base = start_server(sample_db)
    page.goto(f"{base}/round?plan=IC")
    page.get_by_role("heading", name="Reporting round", exact=True).wait_for(timeout=30_000)
    wait_for_app(page)
    body = page.locator("body").inner_text()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible", timeout=30_000)
    assert "Mail is not configured" in body
    assert page.locator(".st-key-round_send_reminders").count() == 0
    button = page.locator(".st-key-round_sheet_xlsx button")
    button.wait_for(state="visible", timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    sheet = info.value
    assert sheet.suggested_filename in expected and "_ic_" in sheet.suggested_filename
    path = tmp_path / sheet.suggested_filename
    sheet.save_as(path)
    with open_store(check_db) as store:
        ctx = plan_view(store, plan_by_id(store, 1))
        before = item_metrics(store, ctx)
        result = import_upload(store, path.read_bytes(), path.name, "updates",
                               ReadOptions(plan_id=1), by="browser test")
        assert result.outcome in ("committed", "duplicate") and result.rows_rejected == 0
        after = item_metrics(store, plan_view(store, plan_by_id(store, 1)))
    assert after.drop(columns=["last_update", "days_since_update"]).equals(
        before.drop(columns=["last_update", "days_since_update"]))
