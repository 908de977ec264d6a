"""The portfolio as files: CSV and XLSX of every row, a one-page PDF and a one-slide deck.

Why: the programme office takes the state of all its plans into a meeting on one page.
The rows are `analytics.metrics.portfolio_metrics` (one per plan, worst first); the CSV
and XLSX carry every figure (`exports.tables`: formula injection neutralised, the XLSX
with readable headers and the handling marking), the PDF page and the slide say per plan
its code and title, its verdict in words and in colour with the reason, progress against
plan, SPI(t), forecast slip, red and overdue items, overdue milestones, reporting compliance
and data current to. Fonts, marking, header and footer are the briefing pack's
(`report_pdf`, `report_pptx`); the text shrinks (then long reasons keep their first
condition, then every cell is cut to one line) until every plan fits on the page or slide;
past that (about 45 plans on the page, 25 on the slide) the worst plans are shown with a
line saying how many more the CSV and XLSX hold. The files are about every plan shown, so
their names carry the portfolio's date only: portfolio_2026-12-01.pdf. Every file is written
in the language asked for (issue 18): in French the PDF and the slide have French titles,
headers, health words, reasons (`reasons_in`), dates and numbers (portefeuille_2026-12-01.pdf),
and the PDF is tagged as French (`report_pdf.tag_document`); the handling marking is written
as configured (WORKPLAN_MARKING).

Callers: `workplan export portfolio` (analytics/cli/exports.py) and pages/portfolio.py.
"""

from __future__ import annotations

import functools
import io
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from analytics import formatting as fmt
from analytics.charts.palette import HEALTH_COLORS, health_label
from analytics.context import ViewContext, slugify
from analytics.errors import UsageError
from analytics.exports import REPORT_FORMATS, TABLE_FORMATS
from analytics.exports import report_pptx as deck
from analytics.exports.report_pdf import (
    BriefingPDF,
    heading,
    paragraph,
    table_rows,
    tag_document,
)
from analytics.exports.summary import verdict_sentence
from analytics.exports.tables import csv_bytes, xlsx_bytes
from analytics.i18n import N_, format_date, translator
from analytics.metrics.health import reason_words, reasons_in
from analytics.settings import Settings
from analytics.tables import rounded

PORTFOLIO_FORMATS = (*TABLE_FORMATS, *REPORT_FORMATS)
TITLE = N_("Portfolio")
LEAD_COLUMNS = ["plan", "title", "health", "reason"]
# The summary's columns: (key, header, PDF width in mm (0: the rest), slide width share);
# a narrow column is about as wide as its English header's longest word at 10 pt on the
# slide and 8.5 pt on the page; `widened` makes room for longer words in French.
SUMMARY_COLUMNS = [
    ("plan", N_("Plan"), 44, 130), ("health", N_("Health"), 18, 72),
    ("reason", N_("Reason"), 0, 194), ("progress", N_("Progress vs planned"), 30, 84),
    ("spi_t", N_("SPI(t)"), 13, 46), ("slip", N_("Forecast slip"), 17, 62),
    ("red_overdue", N_("Red / overdue items"), 17, 62),
    ("milestones", N_("Overdue milestones"), 21, 80),
    ("compliance", N_("Reporting compliance"), 24, 82),
    ("current_to", N_("Data current to"), 23, 76),
]
NBSP = "\u00a0"           # keeps '−3.3 pp' ('−3,3 pts') on one line
SHORT_TITLE = 28          # characters of a plan's title kept in the short layout
PDF_SIZES = (8.5, 8, 7.5, 7, 6.5, 6)
PDF_LINE_HEIGHT = 0.54    # mm a line per point of text size (report_pdf.table_rows)
PDF_SLACK = 4             # mm kept free under the table
SLIDE_SIZES = (12, 11, 10, 9, 8, 7)
SLIDE_HEADER_SIZE = 10    # in French every header word fits its slide column at this size
SLIDE_TABLE_TOP, SLIDE_TABLE_BOTTOM = Inches(1.45), Inches(6.95)
SUBTITLE_TOP, SUBTITLE_SIZES = Inches(1.05), (10, 9, 8)
BOX_MARGIN_X, BOX_MARGIN_Y = Inches(0.1), Inches(0.05)    # a text box's insets (PowerPoint's)
CELL_MARGIN_X, CELL_MARGIN_Y = Inches(0.06), Inches(0.03)
LINE_SPACING = 1.2        # a line of text is about 1.2 times its size
SLIDE_WIDTH_SLACK = 0.93  # of a slide cell's width counted on (renderers lay text out apart)
EMU_PER_PT = 12700
PT_PER_MM = 72 / 25.4
DETAIL = re.compile(r" \([^)]*\)")
REASON_COLUMN = [key for key, *_ in SUMMARY_COLUMNS].index("reason")


@dataclass(frozen=True)
class PortfolioView(ViewContext):
    """The context of a file about several plans: `label()` names the portfolio and its
    dates, not one plan (what the XLSX writes in its header, footer and About sheet)."""

    text: str = ""

    def label(self) -> str:
        return self.text


def current_dates(frame: pd.DataFrame) -> set[date]:
    """The plans' data-current-to dates (plans without a status update have none)."""
    return {d for d in frame["data_current_to"] if not fmt.missing(d)} if len(frame) else set()


def portfolio_date(frame: pd.DataFrame, as_of: date | None) -> date:
    """The date the files are named for: `as_of`, else the latest data-current-to date."""
    return as_of or max(current_dates(frame), default=date.today())


def portfolio_title(frame: pd.DataFrame, as_of: date | None, lang: str = "en") -> str:
    """'Portfolio as of 1 Dec 2026', or 'Portfolio: data current to ...' (each plan as of its
    own date, all the same), or 'Portfolio: each plan as of its data current to'; in French
    'Portefeuille au 1er décembre 2026'."""
    _ = translator(lang)
    if as_of is not None:
        return _("Portfolio as of {date}").format(date=fmt.long_date(as_of, lang=lang))
    dates = current_dates(frame)
    if len(dates) == 1:
        return _("Portfolio: data current to {date}").format(
            date=fmt.long_date(next(iter(dates)), lang=lang))
    return _("Portfolio: each plan as of its data current to")


def portfolio_label(frame: pd.DataFrame, as_of: date | None, lang: str = "en") -> str:
    """'3 plans · as of 2026-12-01 · includes sample data' for footers and the XLSX ('3 plans ·
    au 1er décembre 2026 · comprend des données d'exemple' in French)."""
    _ = translator(lang)
    when = (_("as of {date}").format(date=label_date(as_of, lang)) if as_of else
            _("each as of its data current to (latest {date})").format(
                date=label_date(portfolio_date(frame, None), lang)))
    parts = [fmt.counted(len(frame), "plan", lang), when]
    if len(frame) and frame["sample"].any():
        parts.append(_("includes sample data"))
    return " · ".join(parts)


def label_date(day: date, lang: str) -> str:
    """A label's date as `ViewContext.label` writes it: ISO in English, in words in French."""
    return day.isoformat() if lang == "en" else format_date(day, lang)


def portfolio_file_name(frame: pd.DataFrame, extension: str, as_of: date | None,
                        lang: str = "en") -> str:
    """'portfolio_2026-12-01.pdf' (with '_sample-data' when a plan is the sample), ASCII words
    in `lang` as `ViewContext.file_name` makes them ('portefeuille_2026-12-01.pdf')."""
    _ = translator(lang)
    parts = [slugify(_(TITLE)), portfolio_date(frame, as_of).isoformat()]
    if len(frame) and frame["sample"].any():
        parts.append(slugify(_("sample-data")))
    return "_".join(parts) + "." + extension


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV/XLSX table: the plan's code (`plan`), title, health and reason first, then every
    other figure of the row, rounded for reading."""
    table = frame.rename(columns={"group": "plan"})
    return rounded(table[LEAD_COLUMNS + [c for c in table.columns if c not in LEAD_COLUMNS]])


def portfolio_bytes(frame: pd.DataFrame, file_format: str, settings: Settings,
                    as_of: date | None = None, lang: str = "en") -> bytes:
    """The portfolio as csv, xlsx, pdf (one page) or pptx (one slide), every word, reason,
    date and number in `lang` (the CSV's column names stay the data's)."""
    frame = frame.assign(reason=reasons_in(frame["reason"], lang))
    table = export_table(frame)
    if file_format == "csv":
        return csv_bytes(table, lang)
    if file_format == "xlsx":
        view = PortfolioView(as_of=portfolio_date(frame, as_of), settings=settings,
                             sample=bool(len(frame) and frame["sample"].any()),
                             text=portfolio_label(frame, as_of, lang), lang=lang)
        return xlsx_bytes(table, view, TITLE)
    makers = {"pdf": portfolio_pdf, "pptx": portfolio_pptx}
    if file_format not in makers:
        raise UsageError(f"The portfolio exports as {', '.join(PORTFOLIO_FORMATS)}, "
                         f"not {file_format}.")
    return makers[file_format](frame, settings, as_of, lang)


def summary_headers(lang: str = "en") -> list[str]:
    """The summary's column headers in `lang`."""
    return [translator(lang)(header) for _key, header, _mm, _share in SUMMARY_COLUMNS]


def summary_rows(frame: pd.DataFrame, short: bool = False, lang: str = "en") -> pd.DataFrame:
    """The summary's cells as text in `lang` (health as its code, which the layouts put in
    words and colour, or '—'; reasons as the frame has them); `short` keeps a reason's first
    condition without its details in brackets (SPI(t) and the slip have their own columns),
    the start of a long title and progress with its variance only."""
    _ = translator(lang)
    rows = []
    for r in frame.to_dict("records"):
        reason, title = reason_words(r["reason"]), str(r["title"])
        if short:
            first, more, _rest = reason.partition(_("; "))
            reason = DETAIL.sub("", first) + (_("; ") + "…" if more else "")
            title = title if len(title) <= SHORT_TITLE else title[:SHORT_TITLE - 1] + "…"
        rows.append({
            "plan": f"{r['group']} · {title}" + (" " + _("(sample)") if r["sample"] else ""),
            "health": r["health"] if r["health"] in HEALTH_COLORS else fmt.NONE, "reason": reason,
            "progress": progress_text(r, short, lang),
            "spi_t": fmt.ratio(r["spi_t"], lang=lang),
            "slip": fmt.signed_days(r["forecast_slip_days"], lang=lang),
            "red_overdue": f"{r['red']} / {r['overdue']}",
            "milestones": str(r["milestones_overdue"]),
            "compliance": fmt.share(r["reporting_compliance"], lang=lang),
            "current_to": fmt.iso_date(r["data_current_to"], none=_("no updates yet")),
        })
    return pd.DataFrame(rows, columns=[key for key, *_rest in SUMMARY_COLUMNS])


def progress_text(row: dict, short: bool = False, lang: str = "en") -> str:
    """'78.9% vs 82.2% (−3.3 pp)', short '78.9% (−3.3 pp)' ('78,9 % contre 82,2 % (−3,3 pts
    de pourcentage)' in French, the number kept with its unit)."""
    if fmt.missing(row["actual_pct"]):
        return fmt.NONE
    _ = translator(lang)
    variance = fmt.pp(row["variance_pp"], lang=lang).replace(" ", NBSP, 1)
    actual = fmt.pct(row["actual_pct"], lang=lang)
    if short:
        return f"{actual} ({variance})"
    return _("{actual} vs {planned} ({variance})").format(
        actual=actual, planned=fmt.pct(row["planned_pct"], lang=lang), variance=variance)


def generated_line(frame: pd.DataFrame, as_of: date | None, lang: str = "en") -> str:
    """The line under the title: the portfolio, its order and when the file was made."""
    _ = translator(lang)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return " · ".join([portfolio_label(frame, as_of, lang),
                       _("worst first: health, then the lowest schedule efficiency"),
                       _("generated {when}").format(when=stamp)])


def footer_line(frame: pd.DataFrame, as_of: date | None, lang: str = "en") -> str:
    """'Portfolio · 3 plans · as of 2026-12-01 · Work-Plan Pulse' (the page's and slide's foot)."""
    return f"{translator(lang)(TITLE)} · {portfolio_label(frame, as_of, lang)} · Work-Plan Pulse"


# -- fitting the text -----------------------------------------------------


class TextWidths:
    """String widths in points, in the PDF's fonts (DejaVu Sans when installed: what
    LibreOffice also draws a deck's Calibri with here, and wider than Calibri, so a slide
    that fits by these widths fits in PowerPoint too). One per process (`text_widths`):
    loading the fonts takes a second; a lock keeps sessions from changing its font midway."""

    def __init__(self):
        self.pdf = BriefingPDF("", "")
        self.lock = threading.Lock()
        self.known: dict[tuple[str, float, bool], float] = {}

    def width(self, text: str, size: float, bold: bool = False) -> float:
        key = (text, size, bold)
        if key not in self.known:
            with self.lock:
                self.pdf.font(size, bold)
                self.known[key] = self.pdf.get_string_width(self.pdf.text_of(text)) * PT_PER_MM
        return self.known[key]

    def lines(self, text: str, room: float, size: float, bold: bool = False) -> int | None:
        """Lines `text` wraps to in `room` points, breaking between words; None when one
        word is wider than the room (it would be cut inside the word)."""
        count = 0
        gap = self.width(" ", size, bold)
        for part in str(text).split("\n"):
            count += 1
            used = 0.0
            for word in part.split(" "):
                wide = self.width(word, size, bold)
                if wide > room:
                    return None
                if used and used + gap + wide > room:
                    count, used = count + 1, wide
                else:
                    used += (gap if used else 0.0) + wide
        return count

    def one_line(self, text: str, room: float, size: float) -> str:
        """`text`, cut with '…' to fit one line of `room` points."""
        text = str(text)
        if self.width(text, size) <= room:
            return text
        while text and self.width(text + "…", size) > room:
            text = text[:-1]
        return text.rstrip() + "…"


@functools.cache
def text_widths() -> TextWidths:
    return TextWidths()


def shown_cells(record: dict, lang: str = "en") -> list[str]:
    """A summary row's cells as drawn (the health in words, in `lang`)."""
    return [health_label(record[key], lang) if key == "health" and record[key] in HEALTH_COLORS
            else str(record[key]) for key, *_ in SUMMARY_COLUMNS]


def line_counts(rows: pd.DataFrame, rooms: list[float], size: float,
                lang: str = "en") -> list[int] | None:
    """The lines of the header row and of each row at `size` (its most wrapped cell; headers
    and health words are bold); None when a word is wider than its column."""
    widths = text_widths()
    keys = [key for key, *_ in SUMMARY_COLUMNS]
    cells = [[(header, True) for header in summary_headers(lang)]] + [
        [(text, key == "health") for key, text in zip(keys, shown_cells(record, lang),
                                                      strict=True)]
        for record in rows.to_dict("records")]
    counts = []
    for row in cells:
        wrapped = [widths.lines(text, room, size, bold)
                   for (text, bold), room in zip(row, rooms, strict=True)]
        if None in wrapped:
            return None
        counts.append(max(wrapped))
    return counts


def least_rooms(size: float, lang: str = "en") -> list[float]:
    """Points each column needs at `size` so that no word of its header (nor, in the health
    column, of a health word) is cut inside: its widest such word, bold."""
    widths = text_widths()
    health_words = [word for code in HEALTH_COLORS for word in health_label(code, lang).split()]
    return [max(widths.width(word, size, bold=True)
                for word in header.split() + (health_words if key == "health" else []))
            for (key, *_), header in zip(SUMMARY_COLUMNS, summary_headers(lang), strict=True)]


def widened(widths: list, least: list, lang: str) -> list:
    """`widths` with every column but the reason at least its `least` width, the reason giving
    up what they gain: French headers and health words ('Glissement', 'Non commencé') are
    longer than the English ones the columns were sized for. English keeps its widths."""
    if lang == "en":
        return widths
    out = [width if index == REASON_COLUMN else max(width, need)
           for index, (width, need) in enumerate(zip(widths, least, strict=True))]
    out[REASON_COLUMN] -= sum(out) - sum(widths)
    return out


def fitted(frame: pd.DataFrame, rooms: list[float], sizes: tuple[float, ...], room: float,
           height: Callable[[float, int], float],
           lang: str = "en") -> tuple[float, pd.DataFrame, list[int]]:
    """(size, cells, line counts of the header and each row) of the first layout whose words
    fit their columns and whose rows (`height(size, lines)` each) fit in `room`: the full
    text at the first half of `sizes` (the readable ones), then short reasons at each size,
    then every cell cut to one line. When even that does not fit, the worst plans that do,
    with room left for the line that says how many more there are (`left_out_line`); the
    text in `lang`."""
    full, short = summary_rows(frame, lang=lang), summary_rows(frame, short=True, lang=lang)
    tries = [(size, full) for size in sizes[:len(sizes) // 2]] + [
        (size, short) for size in sizes] + [(size, None) for size in sizes]
    for size, rows in tries:
        rows = cut_rows(short, rooms, size) if rows is None else rows
        counts = line_counts(rows, rooms, size, lang)
        if counts is not None and sum(height(size, n) for n in counts) <= room:
            return size, rows, counts
    counts = counts or [2] * (len(rows) + 1)     # a word wider than its column: it wraps
    room -= height(size, 1)
    shown = len(rows)
    while shown > 1 and sum(height(size, n) for n in counts[:shown + 1]) > room:
        shown -= 1
    return size, rows.head(shown), counts[:shown + 1]


def left_out_line(frame: pd.DataFrame, shown: pd.DataFrame, lang: str = "en") -> str:
    """'Not shown: 12 more plans, the healthiest (every plan is in the CSV and XLSX).'; one
    sentence of its own for 1 plan, French agreeing in number ('Non affiché : 1 autre plan, le
    moins préoccupant ...')."""
    more = len(frame) - len(shown)
    if not more:
        return ""
    _ = translator(lang)
    if more == 1:
        return _("Not shown: 1 more plan, the healthiest (every plan is in the CSV and XLSX).")
    return _("Not shown: {plans}, the healthiest (every plan is in the CSV and XLSX).").format(
        plans=fmt.counted(more, "more plan", lang))


def cut_rows(rows: pd.DataFrame, rooms: list[float], size: float) -> pd.DataFrame:
    """Every cell but the health cut to one line of its column at `size`."""
    out = rows.copy()
    for column, room in zip(rows.columns, rooms, strict=True):
        if column != "health":
            out[column] = [text_widths().one_line(text, room, size) for text in rows[column]]
    return out


# -- PDF ---------------------------------------------------------------------

def portfolio_pdf(frame: pd.DataFrame, settings: Settings, as_of: date | None = None,
                  lang: str = "en") -> bytes:
    """One A4 landscape page in `lang` (and tagged so): title, the portfolio line, then the
    table in the best layout that fits the rest of the page."""
    _ = translator(lang)
    pdf = BriefingPDF(footer_line(frame, as_of, lang), settings.marking)
    pdf.language = lang
    title = portfolio_title(frame, as_of, lang)
    pdf.set_title(pdf.text_of(title))
    pdf.set_creator("Work-Plan Pulse")
    tag_document(pdf, f"{_(TITLE)} · {portfolio_label(frame, as_of, lang)}")
    pdf.add_page()
    heading(pdf, title)
    pdf.set_text_color(90, 90, 90)
    paragraph(pdf, generated_line(frame, as_of, lang), size=8.5)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    if frame.empty:
        paragraph(pdf, _("No plan to show."))
        return bytes(pdf.output())
    fixed = sum(width for _, _, width, _ in SUMMARY_COLUMNS)
    widths = widened([width or pdf.epw - fixed for _, _, width, _ in SUMMARY_COLUMNS],
                     [points / PT_PER_MM + 2 * pdf.c_margin
                      for points in least_rooms(PDF_SIZES[0], lang)], lang)
    rooms = [(w - 2 * pdf.c_margin) * PT_PER_MM for w in widths]
    room = pdf.h - pdf.b_margin - pdf.get_y() - PDF_SLACK
    size, rows, _counts = fitted(frame, rooms, PDF_SIZES, room,
                                 lambda size, lines: lines * size * PDF_LINE_HEIGHT, lang)
    table_rows(pdf, rows, widths, summary_headers(lang), size=size)
    if left_out := left_out_line(frame, rows, lang):
        paragraph(pdf, left_out, size=size)
    return bytes(pdf.output())


# -- PPTX --------------------------------------------------------------------

def portfolio_pptx(frame: pd.DataFrame, settings: Settings, as_of: date | None = None,
                   lang: str = "en") -> bytes:
    """One 16:9 slide in `lang`: title, the portfolio line, the table; a verdict sentence per
    plan in the speaker notes."""
    _ = translator(lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = deck.WIDTH, deck.HEIGHT
    slide = prs.slides.add_slide(prs.slide_layouts[deck.TITLE_ONLY_LAYOUT])
    shape = slide.shapes.title
    shape.left, shape.top = deck.MARGIN, Inches(0.3)
    shape.width, shape.height = deck.WIDTH - 2 * deck.MARGIN, Inches(0.75)
    shape.text = portfolio_title(frame, as_of, lang)
    shape.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
    width = deck.WIDTH - 2 * deck.MARGIN
    subtitle = generated_line(frame, as_of, lang)
    deck.text_box(slide, subtitle, deck.MARGIN, SUBTITLE_TOP, width, Inches(0.35),
                  size=subtitle_size(subtitle, width))
    deck.text_box(slide, footer_line(frame, as_of, lang), deck.MARGIN,
                  deck.HEIGHT - Inches(0.42), width - Inches(2.2), Inches(0.32), size=10)
    deck.marking_boxes(slide, settings.marking)
    if frame.empty:
        deck.text_box(slide, _("No plan to show."), deck.MARGIN, SLIDE_TABLE_TOP, width,
                      Inches(0.5), size=16)
    else:
        _slide_table(slide, frame, width, lang)
    deck.notes(slide, "\n".join(
        verdict_sentence(f"{r['group']} ({r['title']})", r["health"], r["reason"], lang)
        for r in frame.to_dict("records")) or _("No plan to show."))
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def subtitle_size(text: str, width: Emu) -> float:
    """The largest of SUBTITLE_SIZES at which the line under the slide's title fits above the
    table (one line in English; the French one takes two). Measured in DejaVu Sans, what
    LibreOffice draws and wider than PowerPoint's Calibri."""
    room = (width - 2 * BOX_MARGIN_X) / EMU_PER_PT
    for size in SUBTITLE_SIZES:
        lines = text_widths().lines(text, room, size) or len(text)
        if Pt(size * LINE_SPACING * lines) + 2 * BOX_MARGIN_Y <= SLIDE_TABLE_TOP - SUBTITLE_TOP:
            return size
    return SUBTITLE_SIZES[-1]


def _slide_row_height(size: float, lines: int) -> Emu:
    return Emu(int(Pt(size * LINE_SPACING * lines + 1)) + 2 * CELL_MARGIN_Y)


def _slide_table(slide, frame: pd.DataFrame, width: Emu, lang: str = "en") -> None:
    total = sum(share for *_, share in SUMMARY_COLUMNS)
    columns = [Emu(int(column)) for column in widened(
        [int(width * share / total) for *_, share in SUMMARY_COLUMNS],
        [math.ceil(points * EMU_PER_PT / SLIDE_WIDTH_SLACK) + 2 * CELL_MARGIN_X
         for points in least_rooms(SLIDE_HEADER_SIZE, lang)], lang)]
    rooms = [(w - 2 * CELL_MARGIN_X) / EMU_PER_PT * SLIDE_WIDTH_SLACK for w in columns]
    size, rows, counts = fitted(frame, rooms, SLIDE_SIZES, SLIDE_TABLE_BOTTOM - SLIDE_TABLE_TOP,
                                _slide_row_height, lang)
    heights = [_slide_row_height(size, n) for n in counts]
    if left_out := left_out_line(frame, rows, lang):
        deck.text_box(slide, left_out, deck.MARGIN, SLIDE_TABLE_TOP + sum(heights), width,
                      _slide_row_height(size, 1), size=size)
    shape = slide.shapes.add_table(len(rows) + 1, len(columns), deck.MARGIN, SLIDE_TABLE_TOP,
                                   width, Emu(sum(heights)))
    table = shape.table
    for index, column_width in enumerate(columns):
        table.columns[index].width = column_width
    for index, row_height in enumerate(heights):
        table.rows[index].height = row_height
    for c, header in enumerate(summary_headers(lang)):
        deck.set_cell(table.cell(0, c), header, size, bold=True)
    for r, record in enumerate(rows.to_dict("records"), start=1):
        for c, (key, *_) in enumerate(SUMMARY_COLUMNS):
            if key == "health" and record[key] in HEALTH_COLORS:
                deck.health_cell(table.cell(r, c), record[key], size, lang)
            else:
                deck.set_cell(table.cell(r, c), record[key], size)
    for target in (table.cell(r, c) for r in range(len(heights)) for c in range(len(columns))):
        target.margin_left = target.margin_right = CELL_MARGIN_X
        target.margin_top = target.margin_bottom = CELL_MARGIN_Y
