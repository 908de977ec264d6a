"""The briefing pack (PDF and PowerPoint) on the sample plan, on an uploaded plan with any
text, and without Chromium."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics.charts import CHARTS
from analytics.context import ViewContext, plan_view
from analytics.errors import UsageError
from analytics.exports.report import build_report, overview_chart_names
from analytics.plans import plan_by_id, plan_current_to
from analytics.settings import Settings
from analytics.writes import UploadMeta, commit_upload

NOTE = "Ünïcode note — 東京 · नमस्ते · «quoted» =HYPERLINK(\"x\") ✓"


def sample_ctx(store, **settings) -> ViewContext:
    """The sample plan (IC, plan 1 of the sample store) as of its data current to."""
    ctx = plan_view(store, plan_by_id(store, 1), settings=Settings(**settings))
    assert ctx.sample and ctx.as_of == plan_current_to(store, 1)
    return ctx


def domain_count(store) -> int:
    return store.scalar("SELECT count(DISTINCT domain) FROM work_items")


def domain_names(store) -> list[str]:
    return [r[0] for r in store.cursor().execute(
        "SELECT name FROM domains WHERE name IN (SELECT domain FROM work_items)"
        " ORDER BY sort_order, name").fetchall()]


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_pdf_report_on_the_sample_plan(sample_store):
    ctx = sample_ctx(sample_store)
    data = build_report(sample_store, ctx, ctx.as_of - timedelta(days=30), "pdf")
    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    # summary (1+ pages), figures, one page per overview chart, one per domain, risks, changes
    assert pages >= 2 + len(overview_chart_names()) + domain_count(sample_store) + 2
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "India-Canada" in first and "Executive summary" in first and "SAMPLE DATA" in first
    for heading in ("Figures", "Progress by domain", "Domain: Fraud", "Top risks",
                    f"What changed since {ctx.as_of - timedelta(days=30)}", "Data current to"):
        assert heading in text
    assert "sample data" in text and "page 3/" in text


def test_pptx_deck_on_the_sample_plan(sample_store):
    ctx = sample_ctx(sample_store)
    deck = Presentation(io.BytesIO(build_report(sample_store, ctx, date(2026, 10, 1), "pptx")))
    slides = list(deck.slides)
    domains = domain_count(sample_store)
    charts = len(overview_chart_names())
    assert len(slides) == 5 + charts + domains
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[0].startswith("India-Canada")
    assert titles[1:4] == ["Executive summary", "Top risks", "Figures"]
    assert titles[4:4 + charts] == [CHARTS[n].title for n in overview_chart_names()]
    assert titles[4 + charts:-1] == [f"Domain: {d}" for d in domain_names(sample_store)]
    assert titles[-1] == "What changed since 1 Oct 2026"
    pictures = [s for s in slides if any(shape.shape_type == 13 for shape in s.shapes)]
    assert len(pictures) == charts + domains
    subtitle = slides[0].placeholders[1].text
    assert "SAMPLE DATA" in subtitle and ctx.as_of.isoformat() in subtitle


def uploaded_plan(store) -> None:
    """A small plan typed by a person: two domains, Unicode and formula-like text."""
    items = pd.DataFrame({
        "item_id": ["A-1", "A-2", "B-1"], "domain": ["Alpha", "Alpha", "Bêta · 東京"],
        "title": ["Pilot =SUM(A1)", "Second item", NOTE], "lead_party": ["India", "Canada", "Joint"],
        "owner": ["Ops", "Ops", "Ünit"], "start_date": [date(2026, 1, 1)] * 3,
        "due_date": [date(2026, 6, 30), date(2026, 12, 31), date(2026, 9, 30)],
        "weight": [1.0, 2.0, 1.0], "description": [None, "x", NOTE]})
    commit_upload(store, items, UploadMeta("items", "items.csv", "tester"))
    updates = pd.DataFrame({
        "item_id": ["A-1", "A-2", "B-1", "A-1"],
        "as_of": [date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 1), date(2026, 5, 1)],
        "percent_complete": [10.0, 5.0, 0.0, 30.0], "status": ["green", "amber", "red", "amber"],
        "note": [NOTE, None, "", "@risk"], "reported_by": ["a", "b", "c", "a"],
        "party": ["India", "Canada", "Canada", "India"]})
    commit_upload(store, updates, UploadMeta("updates", "updates.csv", "tester"))


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_report_on_an_uploaded_plan_with_any_text(fresh_store, fmt):
    uploaded_plan(fresh_store)
    ctx = ViewContext(as_of=date(2026, 5, 15))
    data = build_report(fresh_store, ctx, date(2026, 4, 1), fmt)
    if fmt == "pdf":
        pages, text = pdf_text(data)
        assert pages >= 2 + len(overview_chart_names()) + 2 + 2
        assert "Domain: Bêta · " in text and "sample data" not in text.lower()
        assert "«quoted» =HYPERLINK" in text
    else:
        titles = [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides]
        assert "Domain: Bêta · 東京" in titles


def test_without_chromium_the_pack_builds_without_charts(sample_store, tmp_path):
    ctx = sample_ctx(sample_store, browser_path=str(tmp_path / "missing-chromium"))
    pages, text = pdf_text(build_report(sample_store, ctx, date(2026, 10, 1), "pdf"))
    assert "Charts left out" in text and "BROWSER_PATH" in text
    assert pages >= 2 + domain_count(sample_store) + 2
    deck = Presentation(io.BytesIO(build_report(sample_store, ctx, date(2026, 10, 1), "pptx")))
    assert len(deck.slides) == 5 + domain_count(sample_store)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_bad_requests_are_usage_errors(sample_store, fmt):
    ctx = sample_ctx(sample_store)
    since = ctx.as_of if fmt == "pdf" else date(2026, 1, 1)
    with pytest.raises(UsageError):
        build_report(sample_store, ctx, since, fmt)
