"""The pack is a brief: it opens with the verdict, the key messages and decisions saved for the
meeting, carries the handling marking on every page and slide, colours health cells with their
word, labels every header for people and gives every slide speaker notes."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date, timedelta

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics.briefing_notes import save_notes, saved_notes
from analytics.charts.palette import HEALTH_COLORS, HEALTH_LABELS
from analytics.cli import main
from analytics.context import plan_view
from analytics.exports.report import build_report
from analytics.exports.tables import xlsx_bytes
from analytics.formatting import COLUMN_LABELS
from analytics.metrics import kpis
from analytics.metrics.health import reason_words
from analytics.plans import plan_by_id, plan_current_to
from analytics.settings import Settings
from analytics.store import open_store
from analytics.tables import TABLES

MARKING = "PROTECTED B"
MESSAGES = "- Immigration enforcement needs a recovery plan.\n- Cyber information sharing is red."
DECISIONS = "1. Agree new dates for IMM-02\n2. Name a Canadian lead for CIS-07"
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
# Every column name a metric frame or table export can carry (none may reach a reader).
COLUMN_NAMES = sorted(name for name in COLUMN_LABELS if "_" in name)


@pytest.fixture(scope="module")
def brief(sample_db_file, tmp_path_factory):
    """One marked store with saved notes, and the PDF and PPTX built from it."""
    path = tmp_path_factory.mktemp("brief") / "sample.duckdb"
    shutil.copy(sample_db_file, path)
    with open_store(path) as store:
        plan = plan_by_id(store, 1)                      # IC, the sample store's plan
        save_notes(store, plan.id, date(2026, 11, 26), MESSAGES, DECISIONS, by="editor")
        ctx = plan_view(store, plan, settings=Settings(marking=MARKING))
        assert ctx.sample and ctx.as_of == plan_current_to(store, plan.id)
        notes = saved_notes(store, plan.id)
        since = ctx.as_of - timedelta(days=30)
        packs = {fmt: build_report(store, ctx, since, fmt, notes=notes) for fmt in ("pdf", "pptx")}
        figures = kpis(store, ctx)
    return {"path": path, "ctx": ctx, "kpis": figures, **packs}


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_the_pdf_opens_with_the_verdict_and_the_key_messages(brief):
    first = " ".join(pdf_pages(brief["pdf"])[0].split())
    label = HEALTH_LABELS[brief["kpis"]["health"]]
    assert first.index("Executive summary") < first.index(label) < first.index("Key messages")
    assert reason_words(brief["kpis"]["reason"])[:40] in first
    for line in ("Immigration enforcement needs a recovery plan.", "Agree new dates for IMM-02",
                 "Decisions sought", "Where the plan stands", "Domains, worst first", "Top risks"):
        assert line in first
    assert "days behind" in first and "forecast finish" in first


def test_the_summary_names_domains_worst_first_and_the_latest_comment(brief):
    text = " ".join(" ".join(pdf_pages(brief["pdf"])[:2]).split())
    assert "Latest comment" in text and "“" in text
    assert text.index("Cyber information sharing") < text.index("Fraud")   # red before green
    assert "What changed since" in text


def test_every_pdf_page_carries_the_marking_at_top_and_bottom(brief):
    pages = pdf_pages(brief["pdf"])
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) >= 2, f"page {number}"


def test_every_slide_carries_the_marking_and_speaker_notes(brief):
    deck = Presentation(io.BytesIO(brief["pptx"]))
    for number, slide in enumerate(deck.slides, start=1):
        assert slide_texts(slide).count(MARKING) == 2, f"slide {number}"
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), number


def test_the_summary_slide_has_the_verdict_key_messages_and_decisions(brief):
    slide = Presentation(io.BytesIO(brief["pptx"])).slides[1]
    assert slide.shapes.title.text == "Executive summary"
    text = "\n".join(slide_texts(slide))
    assert HEALTH_LABELS[brief["kpis"]["health"]] in text
    assert "Immigration enforcement needs a recovery plan." in text
    assert "Name a Canadian lead for CIS-07" in text
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.startswith(f"The whole plan is {HEALTH_LABELS[brief['kpis']['health']]}")


def test_domain_slides_say_the_verdict_figures_and_items_at_risk_in_their_notes(brief):
    deck = Presentation(io.BytesIO(brief["pptx"]))
    domains = [s for s in deck.slides if s.shapes.title.text.startswith("Domain: ")]
    assert len(domains) == 7
    for slide in domains:
        name = slide.shapes.title.text.removeprefix("Domain: ")
        notes = slide.notes_slide.notes_text_frame.text
        assert re.match(rf"{re.escape(name)} is (Red|Amber|Green|Complete|Not started)", notes)
        assert "done against" in notes and ("at risk" in notes or "No item" in notes)
        assert any(shape.has_table for shape in slide.shapes)        # the figures


def table_cells(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table:
                yield shape.table


def test_slide_tables_have_readable_headers_and_coloured_health_cells(brief):
    deck = Presentation(io.BytesIO(brief["pptx"]))
    fills = {}
    for table in table_cells(deck):
        header = [table.cell(0, c).text for c in range(len(table.columns))]
        if "Health" in header:
            assert all(h[:1].isupper() and "_" not in h for h in header), header
            column = header.index("Health")
            for r in range(1, len(table.rows)):
                cell = table.cell(r, column)
                fills[cell.text] = str(cell.fill.fore_color.rgb)
    for health, color in HEALTH_COLORS.items():
        if HEALTH_LABELS[health] in fills:
            assert fills[HEALTH_LABELS[health]] == color[1:]
    assert {"Red", "Amber", "Green"} <= set(fills)


def test_pdf_health_cells_are_filled_in_the_palette_colour(brief):
    reader = PdfReader(io.BytesIO(brief["pdf"]))
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    fills = {tuple(round(float(v) * 255) for v in m)
             for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content)}
    for health in ("red", "amber", "green"):
        assert tuple(int(HEALTH_COLORS[health][i:i + 2], 16) for i in (1, 3, 5)) in fills, health


def test_no_column_name_reaches_the_pack(brief):
    pdf = " ".join(pdf_pages(brief["pdf"]))
    deck = Presentation(io.BytesIO(brief["pptx"]))
    slides = " ".join(t for s in deck.slides for t in slide_texts(s))
    for text in (pdf, slides):
        leaked = [name for name in COLUMN_NAMES if re.search(rf"\b{name}\b", text)]
        assert not leaked and not SNAKE.findall(text.replace("not_started", "")), leaked
        assert "not_started" not in text


@pytest.mark.parametrize("name", sorted(TABLES))
def test_xlsx_exports_have_readable_headers_and_the_marking(brief, name):
    with open_store(brief["path"]) as store:
        frame = TABLES[name].build(store, brief["ctx"])
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, brief["ctx"], TABLES[name].title)))
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))] if sheet.max_row else []
    assert all(not str(h)[:1].islower() and "_" not in str(h) for h in header), header
    assert MARKING in sheet.oddHeader.center.text and MARKING in sheet.oddFooter.center.text


def test_xlsx_keeps_the_value_and_rounds_only_the_display(brief):
    with open_store(brief["path"]) as store:
        frame = TABLES["items"].build(store, brief["ctx"])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, brief["ctx"], "Items"))).worksheets[0]
    column = [c.value for c in sheet[1]].index("Planned %")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    fractional = [c for c in cells if isinstance(c.value, float) and not c.value.is_integer()]
    assert fractional and all(c.number_format == "#,##0.0" for c in fractional)
    assert [c.value for c in cells] == pytest.approx(list(frame["planned_pct"]))


def test_workplan_report_opens_with_the_saved_notes(brief, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    code = main(["--db", str(brief["path"]), "report", "--format", "pdf", "--out", str(out),
                 "--meeting", "2026-11-26"])
    assert code == 0 and "notes of the meeting of 2026-11-26" in capsys.readouterr().out
    first = PdfReader(str(out)).pages[0].extract_text()
    assert "Immigration enforcement needs a recovery plan." in first
    assert main(["--db", str(brief["path"]), "report", "--format", "pdf", "--out", str(out),
                 "--meeting", "2026-01-01"]) == 2


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_chart_exports_carry_the_marking_above_and_below(brief, fmt):
    from analytics.charts import build_chart
    from analytics.exports.images import chart_bytes

    with open_store(brief["path"]) as store:
        figure = build_chart("progress-by-domain", store, brief["ctx"])
    data = chart_bytes(figure, fmt, brief["ctx"], brief["ctx"].settings).decode("utf-8")
    assert data.count(MARKING) >= 2
