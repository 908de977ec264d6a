"""The briefing pack as a PowerPoint deck (python-pptx, 16:9).

Why: managers present progress in meetings; the deck is ready to show as is:
a title slide, the verdict (group health and reason) over the KPI summary, one chart per slide
(each domain's with its own verdict) (overview charts, then each
domain's chart), the top risks, and a what-changed slide. Every slide carries the
context label in a footer line. Layout only; content from `report.gather`.

Caller: `analytics.exports.report.build_report`.
"""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Inches, Pt

from analytics.charts.palette import HEALTH_COLORS, HEALTH_LABELS
from analytics.exports.report import Briefing, ChartImage, fmt_cell
from analytics.metrics.health import reason_words

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
RISK_COLUMNS = [("item_id", "Item", 1.1), ("title", "Title", 3.6), ("domain", "Domain", 2.0),
                ("health", "Health", 1.0), ("variance_pp", "Var. pp", 0.9), ("reason", "Reason", 4.0)]
MAX_RISK_ROWS = 10
CHART_TOP = Inches(1.2)


def pptx_bytes(b: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    footer = f"{b.plan_title} · {b.ctx.label()}"
    title_slide(deck, b)
    slide = facts_slide(deck, "Summary", b.kpi_facts + [("Note", b.charts_note)] * bool(b.charts_note),
                        footer)
    verdict_box(slide, b.ctx.filters.scope(), b.health, b.reason)
    for chart in b.overview:
        chart_slide(deck, chart.title, chart, footer)
    for section in b.domains:
        for chart in section.charts:
            slide = chart_slide(deck, f"{section.name}: {chart.title}", chart, footer,
                                top=Inches(1.75))
            verdict_box(slide, section.name, section.health, section.reason)
    risks_slide(deck, b.risks, footer)
    changes_slide(deck, b, footer)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def title_slide(deck, b: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = b.plan_title
    lines = [f"Progress briefing — as of {b.ctx.as_of.isoformat()}", b.ctx.label(),
             f"Changes since {b.since.isoformat()} · generated {b.generated_at}"]
    if b.ctx.sample:
        lines.insert(1, "SAMPLE DATA — not the real plan")
    slide.placeholders[1].text = "\n".join(lines)


def titled_slide(deck, title: str, footer: str):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.25), WIDTH - Inches(1), Inches(0.9)
    shape.text = title
    shape.text_frame.paragraphs[0].runs[0].font.size = Pt(30)
    note = slide.shapes.add_textbox(Inches(0.5), HEIGHT - Inches(0.45), WIDTH - Inches(1), Inches(0.35))
    note.text_frame.text = footer
    note.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
    return slide


def facts_slide(deck, title: str, facts: list[tuple[str, str]], footer: str):
    slide = titled_slide(deck, title, footer)
    rows = len(facts)
    shape = slide.shapes.add_table(rows, 2, Inches(0.7), Inches(1.8), WIDTH - Inches(1.4),
                                   Inches(0.38) * rows)
    table = shape.table
    table.first_row = False
    table.columns[0].width = Inches(3.8)
    table.columns[1].width = WIDTH - Inches(1.4) - Inches(3.8)
    for r, (label, value) in enumerate(facts):
        set_cell(table.cell(r, 0), label, 13, bold=True)
        set_cell(table.cell(r, 1), value, 13)
    return slide


def verdict_box(slide, scope: str, health: str | None, reason: str) -> None:
    """Under the title: the health as a coloured label with its word, then scope and reason."""
    label = HEALTH_LABELS.get(health, "No verdict")
    badge = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(0.5), Inches(1.15),
                                   Inches(1.6), Inches(0.5))
    badge.fill.solid()
    badge.fill.fore_color.rgb = RGBColor.from_string(HEALTH_COLORS.get(health or "", "#777777")[1:])
    badge.line.fill.background()
    badge.text_frame.text = label
    run = badge.text_frame.paragraphs[0].runs[0]
    run.font.size, run.font.bold = Pt(16), True
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    box = slide.shapes.add_textbox(Inches(2.25), Inches(1.1), WIDTH - Inches(2.75), Inches(0.6))
    box.text_frame.word_wrap = True
    box.text_frame.text = f"{scope}: {reason_words(reason)}"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)


def chart_slide(deck, title: str, chart: ChartImage, footer: str, *, top: int = CHART_TOP):
    slide = titled_slide(deck, title, footer)
    bottom, room = Inches(0.5), WIDTH - Inches(0.8)
    height = HEIGHT - top - bottom
    width = Emu(int(height * chart.aspect))
    if width > room:
        width, height = room, Emu(int(room / chart.aspect))
    slide.shapes.add_picture(io.BytesIO(chart.png), int((WIDTH - width) / 2), top, width, height)
    return slide


def risks_slide(deck, risks: pd.DataFrame, footer: str) -> None:
    slide = titled_slide(deck, "Top risks", footer)
    if risks.empty:
        box = slide.shapes.add_textbox(Inches(0.7), Inches(1.4), Inches(8), Inches(1))
        box.text_frame.text = "No red or amber items."
        return
    frame_slide_table(slide, risks.head(MAX_RISK_ROWS), RISK_COLUMNS, size=11)


def changes_slide(deck, b: Briefing, footer: str) -> None:
    slide = titled_slide(deck, f"What changed since {b.since.isoformat()}", footer)
    box = slide.shapes.add_textbox(Inches(0.7), Inches(1.3), WIDTH - Inches(1.4), HEIGHT - Inches(2))
    text = box.text_frame
    text.word_wrap = True
    lines = [f"{title}: {len(frame)}{'+' if len(frame) >= 12 else ''}" for title, frame in b.changes]
    lines.append("")
    lines.append(b.freshness_note)
    text.text = lines[0]
    text.paragraphs[0].runs[0].font.size = Pt(18)
    for line in lines[1:]:
        paragraph = text.add_paragraph()
        paragraph.text = line
        for run in paragraph.runs:
            run.font.size = Pt(18 if line != b.freshness_note else 12)


def frame_slide_table(slide, frame: pd.DataFrame, columns, *, size: int) -> None:
    present = [(key, label, width) for key, label, width in columns if key in frame.columns]
    shape = slide.shapes.add_table(len(frame) + 1, len(present), Inches(0.5), Inches(1.25),
                                   WIDTH - Inches(1), Inches(0.4) * (len(frame) + 1))
    table = shape.table
    total = sum(width for _, _, width in present)
    for index, (_, label, width) in enumerate(present):
        table.columns[index].width = Emu(int((WIDTH - Inches(1)) * width / total))
        set_cell(table.cell(0, index), label, size, bold=True)
    for r, record in enumerate(frame.to_dict("records"), start=1):
        for c, (key, _, _) in enumerate(present):
            set_cell(table.cell(r, c), fmt_cell(record[key]), size)


def set_cell(cell, text: str, size: int, bold: bool = False) -> None:
    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
