"""Chart images through one persistent kaleido server, offline HTML, and the no-browser path."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import date
from xml.etree import ElementTree

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from analytics.context import Filters, ViewContext
from analytics.exports import ExportUnavailable
from analytics.exports.images import (
    ImageServer,
    chart_bytes,
    find_browser,
    html_bytes,
    shared_server,
    unavailable_message,
    with_context,
)
from analytics.settings import Settings

CTX = ViewContext(as_of=date(2026, 10, 31), filters=Filters(domains=("Cyber security",)), sample=True)


def figure(title: str = "Progress by domain") -> go.Figure:
    fig = go.Figure(go.Bar(x=["Fraud", "Cyber"], y=[40, 55], text=["40%", "55%"]))
    fig.update_layout(title=title)
    return fig


@pytest.fixture(scope="module")
def server():
    return shared_server(Settings())


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_static_formats_have_their_magic_bytes(server, fmt, magic):
    assert chart_bytes(figure(), fmt, CTX, Settings(), server).startswith(magic)


def test_svg_parses_and_carries_the_context(server):
    svg = chart_bytes(figure(), "svg", CTX, Settings(), server)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "as of 2026-10-31 · domain: Cyber security · sample data" in svg.decode()


def test_pdf_is_one_page(server):
    reader = PdfReader(io.BytesIO(chart_bytes(figure(), "pdf", CTX, Settings(), server)))
    assert len(reader.pages) == 1


def test_the_server_stays_up_and_later_exports_are_fast(server):
    chart_bytes(figure(), "png", CTX, Settings(), server)         # warm
    timings = []
    for fmt in ("png", "svg", "pdf"):
        start = time.perf_counter()
        chart_bytes(figure(f"Chart {fmt}"), fmt, CTX, Settings(), server)
        timings.append(time.perf_counter() - start)
    assert server.running and shared_server(Settings()) is server
    assert max(timings) < 2.0, timings


def test_html_embeds_plotly_js_and_names_no_cdn():
    html = html_bytes(figure(), CTX).decode()
    assert "cdn.plot.ly" not in html and "<script src=" not in html
    assert "plotly.js v" in html or "Plotly" in html
    assert len(html) > 1_000_000                     # the library itself is inside
    assert "sample data" in html


def test_context_is_added_only_when_the_title_lacks_it():
    stamped = with_context(figure(), CTX)
    assert [a.text for a in stamped.layout.annotations] == [CTX.label()]
    already = with_context(figure(f"Progress — {CTX.label()}"), CTX)
    assert not already.layout.annotations
    assert not figure().layout.annotations           # the caller's figure is not changed


def test_missing_browser_is_one_clear_sentence(tmp_path):
    settings = Settings(browser_path=str(tmp_path / "no-chromium"))
    assert find_browser(settings) is None
    with pytest.raises(ExportUnavailable) as caught:
        chart_bytes(figure(), "png", CTX, settings)
    message = str(caught.value)
    assert "BROWSER_PATH" in message and "HTML, CSV and XLSX still work" in message
    assert message == unavailable_message(settings) and "\n" not in message
    assert html_bytes(figure(), CTX).startswith(b"<!doctype html>")


def test_browser_search_order(monkeypatch, tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_browser(Settings(browser_path=str(fake))) == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "chromium").chmod(0o755)
    assert find_browser(Settings()) == str(tmp_path / "chromium")


def test_a_hung_renderer_is_replaced_on_the_next_export():
    server = ImageServer(find_browser(Settings()))
    try:
        assert chart_bytes(figure(), "svg", CTX, Settings(), server).startswith(b"<svg")
        first = server._kaleido

        async def hang(*args, **kwargs):
            await asyncio.sleep(30)

        first.calc_fig = hang
        server.render_timeout = 0.5
        with pytest.raises(ExportUnavailable, match="did not answer within 0.5 s"):
            chart_bytes(figure(), "svg", CTX, Settings(), server)
        assert not server.running
        server.render_timeout = 60
        assert chart_bytes(figure(), "png", CTX, Settings(), server).startswith(b"\x89PNG")
        assert server._kaleido is not first
    finally:
        server.close()
    assert not server.running
