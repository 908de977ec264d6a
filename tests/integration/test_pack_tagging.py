"""The PDF pack is tagged where fpdf2 allows it (issue 18): the document language, title shown
by the viewer, subject and author; marked as tagged with a structure tree whose /Figure
elements carry each chart's summary sentence as /Alt; the pack's headings in the outline; and
its summary page's text extracts in reading order.

Built once on the sample plan, with charts (Chromium through kaleido, as `workplan report`).
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import timedelta

import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics.charts.alternatives import chart_alternative
from analytics.context import plan_view
from analytics.exports.report import build_report, overview_chart_names
from analytics.plans import plan_by_id
from analytics.store import open_store


@pytest.fixture(scope="module")
def pack(sample_db_file, tmp_path_factory):
    """(PdfReader of the sample plan's pack, its view, the overview charts' summaries)."""
    path = tmp_path_factory.mktemp("tagging") / "sample.duckdb"
    shutil.copy(sample_db_file, path)
    with open_store(path) as store:
        ctx = plan_view(store, plan_by_id(store, 1))
        data = build_report(store, ctx, ctx.as_of - timedelta(days=30), "pdf")
        summaries = [chart_alternative(name, store, ctx).summary for name in overview_chart_names()]
    return PdfReader(io.BytesIO(data)), ctx, summaries


def figures(node) -> list:
    """Every /Figure structure element under `node` (depth first)."""
    node = node.get_object()
    found = [node] if node.get("/S") == "/Figure" else []
    kids = node.get("/K")
    if kids is None:
        return found
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get"):
            found += figures(kid)
    return found


def outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_language_title_subject_and_author(pack):
    reader, ctx, _ = pack
    root = reader.trailer["/Root"]
    assert root["/Lang"] == ctx.lang == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    info = reader.metadata
    assert info.title.startswith(ctx.plan.title) and ctx.as_of.isoformat() in info.title
    assert ctx.label() in info.subject and info.author == "Work-Plan Pulse"


def test_marked_as_tagged_with_each_charts_summary_as_alt_text(pack):
    reader, _, summaries = pack
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    alts = [str(figure["/Alt"]) for figure in figures(root["/StructTreeRoot"])
            if "/Alt" in figure]
    # every overview chart's sentence, then one per domain's burn-up
    assert all(summary in alts for summary in summaries), (summaries, alts)
    assert all(alt.endswith(".") and " as of " in alt for alt in alts)
    images = sum(len(page.images) for page in reader.pages)
    assert len(alts) == images


def test_outline_lists_the_packs_headings(pack):
    reader, ctx, _ = pack
    titles = outline_titles(reader.outline)
    assert titles[0] == f"{ctx.plan.title}: executive summary"
    for heading in ("Key messages", "Where the plan stands", "Domains, worst first", "Top risks",
                    "Figures", "Progress by domain", "Domain: Fraud", "Items at risk"):
        assert heading in titles, (heading, titles)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[:3] == [titles[0], "Figures", "Progress by domain"]


def test_summary_page_extracts_in_reading_order(pack):
    reader, ctx, _ = pack
    text = " ".join(reader.pages[0].extract_text().split())   # the title wraps over two lines
    order = [ctx.plan.title, "Executive summary", ctx.filters.scope(), "Key messages",
             "Decisions sought", "Where the plan stands", "Domains, worst first", "Top risks"]
    positions = [text.find(part) for part in order]
    assert -1 not in positions, list(zip(order, positions, strict=True))
    assert positions == sorted(positions)


def test_french_pack_is_tagged_french_with_french_alt_text(sample_db_file, tmp_path):
    path = tmp_path / "sample.duckdb"
    shutil.copy(sample_db_file, path)
    with open_store(path) as store:
        ctx = replace(plan_view(store, plan_by_id(store, 1)), lang="fr")
        reader = PdfReader(io.BytesIO(build_report(store, ctx, ctx.as_of - timedelta(days=30),
                                                   "pdf")))
        expected = chart_alternative("progress-by-domain", store, ctx).summary
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    alts = [str(figure["/Alt"]) for figure in figures(root["/StructTreeRoot"])]
    assert expected in alts and expected.startswith("Avancement par domaine au ")


def test_deck_pictures_carry_the_summary_sentence_as_alt_text(sample_db_file, tmp_path):
    path = tmp_path / "sample.duckdb"
    shutil.copy(sample_db_file, path)
    with open_store(path) as store:
        ctx = plan_view(store, plan_by_id(store, 1))
        deck = Presentation(io.BytesIO(build_report(store, ctx, ctx.as_of - timedelta(days=30),
                                                    "pptx")))
        summaries = [chart_alternative(name, store, ctx).summary for name in overview_chart_names()]
    alts = [shape._element.nvPicPr.cNvPr.get("descr") for slide in deck.slides
            for shape in slide.shapes if shape.shape_type == 13]
    assert all(summary in alts for summary in summaries)
    assert all(alt and " as of " in alt for alt in alts)
