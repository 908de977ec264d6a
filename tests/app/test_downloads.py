"""Download controls in the running app: file names, MIME types and bytes of every button.

Each test runs `dashboard.py` once (signing the local user in, applying query
parameters), then switches to the page under test, as a person arriving by URL.

The bytes of a download are generated when it is clicked (deferred `data`), so
these tests record what each button registers with Streamlit's media file
manager (`MediaFileManager.add_deferred` / `.add`) and then call the generator,
as the server does on a click.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from analytics.exports import MIME_TYPES
from analytics.store import open_store
from tests.app.conftest import opened_page

OVERVIEW_CHARTS = {"overview_progress_dl": "progress-by-domain",
                   "overview_health_dl": "health-by-domain", "overview_burn_up_dl": "burn-up"}
AS_OF = date(2026, 11, 24)
OVERVIEW = "pages/overview.py"


@dataclass
class Registered:
    file_name: str
    mime: str
    make: object        # a callable (deferred) or the bytes themselves

    def data(self) -> bytes:
        out = self.make() if callable(self.make) else self.make
        return out.encode() if isinstance(out, str) else bytes(out)


@pytest.fixture
def downloads(monkeypatch) -> dict[str, Registered]:
    """{file name: Registered} for every download button rendered during the test."""
    seen: dict[str, Registered] = {}
    add_deferred, add = MediaFileManager.add_deferred, MediaFileManager.add

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        seen[file_name] = Registered(file_name, mimetype, data_callable)
        return add_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    def record(self, data, mimetype, coordinates, file_name=None, **kw):
        if kw.get("is_for_static_download"):
            seen[file_name] = Registered(file_name, mimetype, data)
        return add(self, data, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    monkeypatch.setattr(MediaFileManager, "add", record)
    return seen


def opened(dashboard_app, db, page: str = OVERVIEW, **params):
    return opened_page(dashboard_app, db, page, **params)


def valid(fmt: str, data: bytes) -> bool:
    """The bytes really are a file of that format."""
    if fmt == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if fmt == "pdf":
        return data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) >= 1
    if fmt == "svg":
        return ElementTree.fromstring(data).tag.endswith("svg")
    if fmt == "html":
        return b"cdn.plot.ly" not in data and b"sample data" in data and len(data) > 1_000_000
    if fmt == "csv":
        return data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    if fmt == "xlsx":
        return bool(openpyxl.load_workbook(io.BytesIO(data)).sheetnames)
    if fmt == "pptx":
        return len(Presentation(io.BytesIO(data)).slides) > 2
    raise AssertionError(fmt)


def test_every_overview_chart_offers_four_formats_with_context_in_the_name(
        sample_db, dashboard_app, downloads):
    at = opened(dashboard_app, sample_db)
    keys = {button.key for button in at.get("download_button")}
    for key, name in OVERVIEW_CHARTS.items():
        assert {f"{key}_{fmt}" for fmt in ("png", "svg", "pdf", "html")} <= keys
        for fmt in ("png", "svg", "pdf", "html"):
            file_name = f"{name}_ic_{AS_OF}_sample-data.{fmt}"
            assert downloads[file_name].mime == MIME_TYPES[fmt]
    for fmt in ("png", "svg", "pdf", "html"):       # the bytes of one chart, every format
        assert valid(fmt, downloads[f"burn-up_ic_{AS_OF}_sample-data.{fmt}"].data())


def test_tables_offer_csv_and_xlsx_with_filters_in_the_name(sample_db, dashboard_app, downloads):
    opened(dashboard_app, sample_db, domain="Cyber information sharing")   # a domain with red items
    for fmt in ("csv", "xlsx"):
        registered = downloads[f"top-risks_ic_{AS_OF}_domain-cyber-information-sharing_sample-data.{fmt}"]
        assert registered.mime == MIME_TYPES[fmt] and valid(fmt, registered.data())
    workbook = openpyxl.load_workbook(io.BytesIO(
        downloads[f"top-risks_ic_{AS_OF}_domain-cyber-information-sharing_sample-data.xlsx"].data()))
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["Context"] == f"IC · as of {AS_OF} · domain: Cyber information sharing · sample data"


def test_without_chromium_one_line_replaces_the_static_buttons(
        sample_db, dashboard_app, downloads, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = opened(dashboard_app, sample_db)
    keys = {button.key for button in at.get("download_button")}
    assert "overview_burn_up_dl_html" in keys and "overview_burn_up_dl_png" not in keys
    assert "overview_risks_dl_csv" in keys and "overview_risks_dl_xlsx" in keys
    notes = [c.value for c in at.caption if "need Chrome or Chromium" in c.value]
    assert len(notes) == len(OVERVIEW_CHARTS)
    assert valid("html", downloads[f"burn-up_ic_{AS_OF}_sample-data.html"].data())


def test_a_click_is_audited_with_the_user(sample_db, dashboard_app, downloads):
    at = opened(dashboard_app, sample_db)
    at.get("download_button")[0].click()
    at.run()
    assert not at.exception and at.title[0].value == "Overview"
    with open_store(sample_db) as store:
        rows = store.cursor().execute(
            "SELECT username, detail FROM audit_log WHERE action = 'export'").fetchall()
    assert len(rows) == 1
    user, detail = rows[0]
    assert user.startswith("local") and detail.startswith("chart progress-by-domain png")
    assert f"as of {AS_OF}" in detail


def test_briefing_pack_page_builds_and_offers_both_files(sample_db, dashboard_app, downloads):
    at = opened(dashboard_app, sample_db, "pages/report.py")
    assert at.title[0].value == "Briefing pack"
    assert not at.get("download_button")
    at.button(key="report_build_pptx").click()
    at.run()
    assert not at.exception
    buttons = {b.key for b in at.get("download_button")}
    assert buttons == {"report_download_pptx"}
    registered = downloads[f"briefing_ic_{AS_OF}_sample-data.pptx"]
    assert registered.mime == MIME_TYPES["pptx"] and valid("pptx", registered.data())
    with open_store(sample_db) as store:
        details = [r[0] for r in store.cursor().execute(
            "SELECT detail FROM audit_log WHERE action = 'export'").fetchall()]
    assert details == [f"report pptx since 2026-10-25 (IC · as of {AS_OF} · sample data)"]
