"""The briefing pack as a PowerPoint deck (python-pptx, 16:9).

Why: managers present progress in meetings; the deck is ready to show as is: a title
slide, the executive summary (verdict with its reason, key messages, decisions sought,
where the plan stands, domains worst first), the top risks with the latest agency
comment, the figures, one slide per overview chart, one per domain (its verdict, its
figures, its chart and its items at risk), and what changed in sentences. Every slide
carries the handling marking (WORKPLAN_MARKING) at its top and bottom, the context
label in its footer, and speaker notes that say the same facts in sentences. Health
cells are filled in the palette colour with their word. Layout only; content from
`report.gather` and `summary.py`.

Caller: `analytics.exports.report.build_report`.
"""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analytics.charts.palette import HEALTH_COLORS, HEALTH_LABELS, health_label, ink_on
from analytics.exports.report import Briefing, ChartImage, DomainSection
from analytics.exports.summary import summary_notes, verdict_sentence
from analytics.formatting import cell, column_label, is_health_column, long_date
from analytics.i18n import N_, translator
from analytics.metrics.health import reason_words

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
RISK_COLUMNS = [("item_id", 1.0), ("title", 2.8), ("health", 0.9), ("reason", 3.6),
                ("comment", 4.0)]
DOMAIN_RISK_COLUMNS = [("item_id", 1.0), ("title", 2.6), ("health", 0.9), ("reason", 3.3),
                       ("comment", 4.5)]
LABELS = {"comment": N_("Latest comment"), "name": N_("Domain")}
MAX_RISK_ROWS = 8
MAX_CHANGE_LINES = 9
CHART_TOP = Inches(1.2)
MARGIN = Inches(0.5)
LABEL_WIDTH = Inches(3.8)
TABLE_TOP, ROW_HEIGHT = Inches(1.25), Inches(0.4)


def pptx_bytes(b: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _ = translator(b.ctx.lang)
    footer = f"{b.plan_title} · {b.ctx.label()}"
    title_slide(deck, b)
    summary_slide(deck, b, footer)
    risks_slide(deck, b, footer)
    slide = facts_slide(deck, _("Figures"),
                        b.kpi_facts + [(_("Note"), b.charts_note)] * bool(b.charts_note), b, footer)
    notes(slide, "\n".join(_("{health}: {why}").format(health=label, why=value) + "."
                           for label, value in b.kpi_facts))
    for chart in b.overview:
        slide = chart_slide(deck, chart.title, chart, b, footer)
        notes(slide, f"{chart.title}, {b.ctx.label()}. "
                     + verdict_sentence(b.summary.scope, b.health, b.reason, b.ctx.lang))
    for section in b.domains:
        domain_slide(deck, section, b, footer)
    changes_slide(deck, b, footer)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def title_slide(deck, b: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = b.plan_title
    _, lang = translator(b.ctx.lang), b.ctx.lang
    lines = [_("Progress briefing — as of {date}").format(date=long_date(b.ctx.as_of, lang=lang)),
             b.ctx.label(),
             _("Changes since {date} · generated {when}").format(
                 date=long_date(b.since, lang=lang), when=b.generated_at)]
    if b.notes is not None:
        lines.insert(1, _("Meeting of {date}").format(date=long_date(b.notes.meeting, lang=lang)))
    if b.ctx.sample:
        lines.insert(1, _("SAMPLE DATA — not the real plan"))
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(2.4)
    subtitle.left, subtitle.top = MARGIN, Inches(3.9)
    subtitle.width, subtitle.height = WIDTH - 2 * MARGIN, Inches(2.6)
    subtitle.text = "\n".join(lines)
    for paragraph in subtitle.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(18)
    marking_boxes(slide, b.marking)
    notes(slide, f"{b.plan_title}. " + verdict_sentence(b.summary.scope, b.health, b.reason, lang))


def titled_slide(deck, title: str, b: Briefing, footer: str):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.85)
    shape.text = title
    shape.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
    text_box(slide, footer, MARGIN, HEIGHT - Inches(0.42), WIDTH - 2 * MARGIN - Inches(2.2),
             Inches(0.32), size=10)
    marking_boxes(slide, b.marking)
    return slide


def marking_boxes(slide, marking: str) -> None:
    """The handling marking, bold, centred at the top and at the bottom right of the slide."""
    if not marking:
        return
    for top, left, width, align in ((Inches(0.02), Inches(0), WIDTH, PP_ALIGN.CENTER),
                                    (HEIGHT - Inches(0.42), WIDTH - MARGIN - Inches(2.2),
                                     Inches(2.2), PP_ALIGN.RIGHT)):
        box = text_box(slide, marking, left, top, width, Inches(0.3), size=12, bold=True)
        box.text_frame.paragraphs[0].alignment = align


def text_box(slide, text: str, left, top, width, height, *, size: int, bold: bool = False):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.word_wrap = True
    box.text_frame.text = text
    for run in box.text_frame.paragraphs[0].runs:
        run.font.size, run.font.bold = Pt(size), bold
    return box


def notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def bullets_box(slide, sections: list[tuple[str, list[str]]], left, top, width, height,
                *, size: int = 14) -> None:
    """Headed bullet lists in one text box ('Key messages' then its bullets, ...)."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    first = True
    for heading, lines in sections:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = heading
        paragraph.runs[0].font.size, paragraph.runs[0].font.bold = Pt(size + 2), True
        for line in lines:
            item = frame.add_paragraph()
            item.text = f"• {line}"
            item.runs[0].font.size = Pt(size)
            item.space_after = Pt(3)


def summary_slide(deck, b: Briefing, footer: str) -> None:
    s = b.summary
    _, lang = translator(b.ctx.lang), b.ctx.lang
    slide = titled_slide(deck, _("Executive summary"), b, footer)
    verdict_box(slide, s.scope, s.health, s.reason, lang)
    half = Emu((WIDTH - 2 * MARGIN - Inches(0.3)) // 2)
    messages = list(b.notes.key_messages) if b.notes else []
    decisions = list(b.notes.decisions) if b.notes else []
    bullets_box(slide, [
        (_("Key messages"), messages or [_("None saved for this meeting.")]),
        (_("Decisions sought"), decisions or [_("None sought at this meeting.")]),
    ], MARGIN, Inches(1.9), half, Inches(5.0), size=13)
    right = MARGIN + half + Inches(0.3)
    bullets_box(slide, [(_("Where the plan stands"), [s.progress, s.schedule + "."])],
                right, Inches(1.9), half, Inches(1.3), size=13)
    domains = pd.DataFrame([{"name": d.name, "health": d.health} for d in s.domains],
                           columns=["name", "health"])
    frame_slide_table(slide, domains, [("name", 3.5), ("health", 1.2)], size=11,
                      left=right, top=Inches(3.35), width=half, lang=lang)
    notes(slide, summary_notes(s, tuple(messages), tuple(decisions), lang))


def facts_slide(deck, title: str, facts: list[tuple[str, str]], b: Briefing, footer: str):
    slide = titled_slide(deck, title, b, footer)
    facts_table(slide, facts, MARGIN + Inches(0.2), Inches(1.3), WIDTH - 2 * MARGIN - Inches(0.4),
                size=13)
    return slide


def facts_table(slide, facts: list[tuple[str, str]], left, top, width, *, size: int,
                label_width=LABEL_WIDTH) -> None:
    shape = slide.shapes.add_table(len(facts), 2, left, top, width, Inches(0.36) * len(facts))
    table = shape.table
    table.first_row = False
    table.columns[0].width = label_width
    table.columns[1].width = width - label_width
    for r, (label, value) in enumerate(facts):
        set_cell(table.cell(r, 0), label, size, bold=True)
        set_cell(table.cell(r, 1), value, size)


def verdict_box(slide, scope: str, health: str | None, reason: str, lang: str = "en") -> None:
    """Under the title: the health as a coloured label with its word, then scope and reason."""
    _ = translator(lang)
    label = _(HEALTH_LABELS[health]) if health in HEALTH_LABELS else _("No verdict")
    fill = HEALTH_COLORS.get(health or "", "#777777")
    badge = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, MARGIN, Inches(1.15),
                                   Inches(1.6), Inches(0.5))
    badge.fill.solid()
    badge.fill.fore_color.rgb = RGBColor.from_string(fill[1:])
    badge.line.fill.background()
    badge.text_frame.text = label
    run = badge.text_frame.paragraphs[0].runs[0]
    run.font.size, run.font.bold = Pt(16), True
    run.font.color.rgb = RGBColor.from_string(ink_on(fill)[1:])
    text_box(slide, _("{health}: {why}").format(health=scope, why=reason_words(reason)),
             Inches(2.25), Inches(1.1),
             WIDTH - Inches(2.75), Inches(0.7), size=14)


def place_picture(slide, chart: ChartImage, left, top, width, height) -> None:
    """The chart at the largest size inside the box, keeping its aspect ratio, centred; its
    alternative text (what a screen reader says) is the chart's summary sentence."""
    fitted_w = min(width, Emu(int(height * chart.aspect)))
    fitted_h = Emu(int(fitted_w / chart.aspect))
    picture = slide.shapes.add_picture(io.BytesIO(chart.png), int(left + (width - fitted_w) / 2),
                                       top, fitted_w, fitted_h)
    picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text or chart.title)


def chart_slide(deck, title: str, chart: ChartImage, b: Briefing, footer: str, *, top=CHART_TOP):
    slide = titled_slide(deck, title, b, footer)
    place_picture(slide, chart, Inches(0.4), top, WIDTH - Inches(0.8), HEIGHT - top - MARGIN)
    return slide


def domain_slide(deck, section: DomainSection, b: Briefing, footer: str) -> None:
    """Verdict, figures (left), chart (right), items at risk with the latest comment (below)."""
    _, lang = translator(b.ctx.lang), b.ctx.lang
    slide = titled_slide(deck, _("Domain: {name}").format(name=section.name), b, footer)
    verdict_box(slide, section.name, section.health, section.reason, lang)
    half = Emu((WIDTH - 2 * MARGIN - Inches(0.3)) // 2)
    facts_table(slide, section.facts, MARGIN, Inches(1.9), half, size=11, label_width=Inches(1.6))
    for chart in section.charts[:1]:
        place_picture(slide, chart, MARGIN + half + Inches(0.3), Inches(1.85), half, Inches(3.2))
    risks = section.risks.head(5)
    if risks.empty:
        text_box(slide, _("No red or amber items in this domain."), MARGIN, Inches(5.2),
                 Inches(8), Inches(0.4), size=12)
    else:
        frame_slide_table(slide, risks, DOMAIN_RISK_COLUMNS, size=9, top=Inches(5.15),
                          row_height=Inches(0.3), lang=lang)
    notes(slide, section.notes)


def risks_slide(deck, b: Briefing, footer: str) -> None:
    _, lang = translator(b.ctx.lang), b.ctx.lang
    slide = titled_slide(deck, _("Top risks"), b, footer)
    risks = b.risks.head(MAX_RISK_ROWS)
    if risks.empty:
        text_box(slide, _("No red or amber items."), Inches(0.7), Inches(1.4), Inches(8),
                 Inches(1), size=16)
        notes(slide, _("No item is red or amber."))
        return
    frame_slide_table(slide, risks, RISK_COLUMNS, size=10, top=Inches(1.2), lang=lang)
    notes(slide, "\n".join(
        _("{item} ({title}) is {health}: {reason}.").format(
            item=r["item_id"], title=r["title"], health=health_label(r["health"], lang),
            reason=r["reason"])
        + (" " + _("Latest comment: {comment}").format(comment=r["comment"])
           if r.get("comment") else "")
        for r in risks.to_dict("records")))


def changes_slide(deck, b: Briefing, footer: str) -> None:
    _ = translator(b.ctx.lang)
    slide = titled_slide(deck, _("What changed since {date}").format(
        date=long_date(b.since, lang=b.ctx.lang)), b, footer)
    lines = b.summary.changes[:MAX_CHANGE_LINES]
    bullets_box(slide, [(_("Since the last date"), lines)], Inches(0.7), Inches(1.2),
                WIDTH - Inches(1.4), HEIGHT - Inches(2.4), size=14)
    text_box(slide, b.freshness_note, Inches(0.7), HEIGHT - Inches(1.1), WIDTH - Inches(1.4),
             Inches(0.6), size=11)
    notes(slide, "\n".join(b.summary.changes) + "\n" + b.freshness_note)


def frame_slide_table(slide, frame: pd.DataFrame, columns, *, size: int, left=MARGIN,
                      top=TABLE_TOP, width=WIDTH - 2 * MARGIN, row_height=ROW_HEIGHT,
                      lang: str = "en") -> None:
    """`frame`'s columns at relative widths under readable headers, health cells coloured."""
    present = [(key, w) for key, w in columns if key in frame.columns]
    shape = slide.shapes.add_table(len(frame) + 1, len(present), left, top, width,
                                   row_height * (len(frame) + 1))
    table = shape.table
    total = sum(w for _, w in present)
    for index, (key, w) in enumerate(present):
        table.columns[index].width = Emu(int(width * w / total))
        header = translator(lang)(LABELS[key]) if key in LABELS else column_label(key, lang)
        set_cell(table.cell(0, index), header, size, bold=True)
    for r, record in enumerate(frame.to_dict("records"), start=1):
        for c, (key, _) in enumerate(present):
            value = record[key]
            if is_health_column(key) and value in HEALTH_COLORS:
                health_cell(table.cell(r, c), value, size, lang)
            else:
                set_cell(table.cell(r, c), cell(value, lang), size)


def health_cell(target, health: str, size: int, lang: str = "en") -> None:
    fill = HEALTH_COLORS[health]
    target.fill.solid()
    target.fill.fore_color.rgb = RGBColor.from_string(fill[1:])
    set_cell(target, health_label(health, lang), size, bold=True)
    for run in target.text_frame.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(ink_on(fill)[1:])


def set_cell(target, text: str, size: int, bold: bool = False) -> None:
    target.text = text
    for paragraph in target.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
