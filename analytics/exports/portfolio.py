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
their names carry the portfolio's date only: portfolio_2026-12-01.pdf.

Callers: `workplan export portfolio` (analytics/cli/exports.py) and pages/portfolio.py.
"""

from __future__ import annotations

import functools
import io
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
from analytics.exports.report_pdf import BriefingPDF, heading, paragraph, table_rows
from analytics.exports.summary import verdict_sentence
from analytics.exports.tables import csv_bytes, xlsx_bytes
from analytics.i18n import N_
from analytics.metrics.health import reason_words, reasons_in
from analytics.settings import Settings
from analytics.tables import rounded

PORTFOLIO_FORMATS = (*TABLE_FORMATS, *REPORT_FORMATS)
TITLE = N_("Portfolio")
LEAD_COLUMNS = ["plan", "title", "health", "reason"]
# The summary's columns: (key, header, PDF width in mm (0: the rest), slide width share);
# a narrow column is as wide as its header's longest word at 11 pt on the slide.
SUMMARY_COLUMNS = [
    ("plan", "Plan", 44, 130), ("health", "Health", 18, 72), ("reason", "Reason", 0, 194),
    ("progress", "Progress vs planned", 30, 84), ("spi_t", "SPI(t)", 13, 46),
    ("slip", "Forecast slip", 17, 62), ("red_overdue", "Red / overdue items", 17, 62),
    ("milestones", "Overdue milestones", 21, 80), ("compliance", "Reporting compliance", 24, 82),
    ("current_to", "Data current to", 23, 76),
]
NBSP = "\u00a0"           # keeps '−3.3 pp' on one line
SHORT_TITLE = 28          # characters of a plan's title kept in the short layout
PDF_SIZES = (8.5, 8, 7.5, 7, 6.5, 6)
PDF_LINE_HEIGHT = 0.54    # mm a line per point of text size (report_pdf.table_rows)
PDF_SLACK = 4             # mm kept free under the table
SLIDE_SIZES = (12, 11, 10, 9, 8, 7)
SLIDE_TABLE_TOP, SLIDE_TABLE_BOTTOM = Inches(1.45), Inches(6.95)
CELL_MARGIN_X, CELL_MARGIN_Y = Inches(0.06), Inches(0.03)
LINE_SPACING = 1.2        # a line of text is about 1.2 times its size
SLIDE_WIDTH_SLACK = 0.93  # of a slide cell's width counted on (renderers lay text out apart)
EMU_PER_PT = 12700
PT_PER_MM = 72 / 25.4
DETAIL = re.compile(r" \([^)]*\)")


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


def portfolio_title(frame: pd.DataFrame, as_of: date | None) -> str:
    """'Portfolio as of 1 Dec 2026', or 'Portfolio: data current to ...' (each plan as of its
    own date, all the same), or 'Portfolio: each plan as of its data current to'."""
    if as_of is not None:
        return f"{TITLE} as of {fmt.long_date(as_of)}"
    dates = current_dates(frame)
    if len(dates) == 1:
        return f"{TITLE}: data current to {fmt.long_date(next(iter(dates)))}"
    return f"{TITLE}: each plan as of its data current to"


def portfolio_label(frame: pd.DataFrame, as_of: date | None) -> str:
    """'3 plans · as of 2026-12-01 · includes sample data' for footers and the XLSX."""
    when = (f"as of {as_of.isoformat()}" if as_of else
            f"each as of its data current to (latest {portfolio_date(frame, None).isoformat()})")
    parts = [fmt.counted(len(frame), "plan"), when]
    if len(frame) and frame["sample"].any():
        parts.append("includes sample data")
    return " · ".join(parts)


def portfolio_file_name(frame: pd.DataFrame, extension: str, as_of: date | None) -> str:
    """'portfolio_2026-12-01.pdf' (with '_sample-data' when a plan is the sample)."""
    parts = [slugify(TITLE), portfolio_date(frame, as_of).isoformat()]
    if len(frame) and frame["sample"].any():
        parts.append("sample-data")
    return "_".join(parts) + "." + extension


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV/XLSX table: the plan's code (`plan`), title, health and reason first, then every
    other figure of the row, rounded for reading."""
    table = frame.rename(columns={"group": "plan"})
    return rounded(table[LEAD_COLUMNS + [c for c in table.columns if c not in LEAD_COLUMNS]])


def portfolio_bytes(frame: pd.DataFrame, file_format: str, settings: Settings,
                    as_of: date | None = None, lang: str = "en") -> bytes:
    """The portfolio as csv, xlsx, pdf (one page) or pptx (one slide); the CSV and XLSX
    headers, health and reasons in `lang` (the PDF and PPTX layouts are English only)."""
    table = export_table(frame)
    if lang != "en":
        table = table.assign(reason=reasons_in(table["reason"], lang))
    if file_format == "csv":
        return csv_bytes(table, lang)
    if file_format == "xlsx":
        view = PortfolioView(as_of=portfolio_date(frame, as_of), settings=settings,
                             sample=bool(len(frame) and frame["sample"].any()),
                             text=portfolio_label(frame, as_of), lang=lang)
        return xlsx_bytes(table, view, TITLE)
    makers = {"pdf": portfolio_pdf, "pptx": portfolio_pptx}
    if file_format not in makers:
        raise UsageError(f"The portfolio exports as {', '.join(PORTFOLIO_FORMATS)}, "
                         f"not {file_format}.")
    return makers[file_format](frame, settings, as_of)


def summary_rows(frame: pd.DataFrame, short: bool = False) -> pd.DataFrame:
    """The summary's cells as text (health as its code, which the layouts put in words and
    colour, or '—'); `short` keeps a reason's first condition without its details in
    brackets (SPI(t) and the slip have their own columns), the start of a long title and
    progress with its variance only."""
    rows = []
    for r in frame.to_dict("records"):
        reason, title = reason_words(r["reason"]), str(r["title"])
        if short:
            first, more, _ = reason.partition("; ")
            reason = DETAIL.sub("", first) + ("; …" if more else "")
            title = title if len(title) <= SHORT_TITLE else title[:SHORT_TITLE - 1] + "…"
        rows.append({
            "plan": f"{r['group']} · {title}" + (" (sample)" if r["sample"] else ""),
            "health": r["health"] if r["health"] in HEALTH_COLORS else fmt.NONE, "reason": reason,
            "progress": progress_text(r, short),
            "spi_t": fmt.ratio(r["spi_t"]), "slip": fmt.signed_days(r["forecast_slip_days"]),
            "red_overdue": f"{r['red']} / {r['overdue']}",
            "milestones": str(r["milestones_overdue"]),
            "compliance": fmt.share(r["reporting_compliance"]),
            "current_to": fmt.iso_date(r["data_current_to"], none="no updates yet"),
        })
    return pd.DataFrame(rows, columns=[key for key, *_ in SUMMARY_COLUMNS])


def progress_text(row: dict, short: bool = False) -> str:
    """'78.9% vs 82.2% (−3.3 pp)', short '78.9% (−3.3 pp)'."""
    if fmt.missing(row["actual_pct"]):
        return fmt.NONE
    variance = fmt.pp(row["variance_pp"]).replace(" ", NBSP)
    if short:
        return f"{fmt.pct(row['actual_pct'])} ({variance})"
    return f"{fmt.pct(row['actual_pct'])} vs {fmt.pct(row['planned_pct'])} ({variance})"


def generated_line(frame: pd.DataFrame, as_of: date | None) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{portfolio_label(frame, as_of)} · worst first: health, then the lowest schedule "
            f"efficiency · generated {stamp}")


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


def shown_cells(record: dict) -> list[str]:
    """A summary row's cells as drawn (the health in words)."""
    return [health_label(record[key]) if key == "health" and record[key] in HEALTH_COLORS
            else str(record[key]) for key, *_ in SUMMARY_COLUMNS]


def line_counts(rows: pd.DataFrame, rooms: list[float], size: float) -> list[int] | None:
    """The lines of the header row and of each row at `size` (its most wrapped cell; headers
    and health words are bold); None when a word is wider than its column."""
    widths = text_widths()
    keys = [key for key, *_ in SUMMARY_COLUMNS]
    cells = [[(header, True) for _, header, _, _ in SUMMARY_COLUMNS]] + [
        [(text, key == "health") for key, text in zip(keys, shown_cells(record), strict=True)]
        for record in rows.to_dict("records")]
    counts = []
    for row in cells:
        wrapped = [widths.lines(text, room, size, bold)
                   for (text, bold), room in zip(row, rooms, strict=True)]
        if None in wrapped:
            return None
        counts.append(max(wrapped))
    return counts


def fitted(frame: pd.DataFrame, rooms: list[float], sizes: tuple[float, ...], room: float,
           height: Callable[[float, int], float]) -> tuple[float, pd.DataFrame, list[int]]:
    """(size, cells, line counts of the header and each row) of the first layout whose words
    fit their columns and whose rows (`height(size, lines)` each) fit in `room`: the full
    text at the first half of `sizes` (the readable ones), then short reasons at each size,
    then every cell cut to one line. When even that does not fit, the worst plans that do,
    with room left for the line that says how many more there are (`left_out_line`)."""
    full, short = summary_rows(frame), summary_rows(frame, short=True)
    tries = [(size, full) for size in sizes[:len(sizes) // 2]] + [
        (size, short) for size in sizes] + [(size, None) for size in sizes]
    for size, rows in tries:
        rows = cut_rows(short, rooms, size) if rows is None else rows
        counts = line_counts(rows, rooms, size)
        if counts is not None and sum(height(size, n) for n in counts) <= room:
            return size, rows, counts
    counts = counts or [2] * (len(rows) + 1)     # a word wider than its column: it wraps
    room -= height(size, 1)
    shown = len(rows)
    while shown > 1 and sum(height(size, n) for n in counts[:shown + 1]) > room:
        shown -= 1
    return size, rows.head(shown), counts[:shown + 1]


def left_out_line(frame: pd.DataFrame, shown: pd.DataFrame) -> str:
    """'Not shown: 12 more plans, the healthiest (every plan is in the CSV and XLSX).'"""
    more = len(frame) - len(shown)
    return (f"Not shown: {fmt.counted(more, 'more plan')}, the healthiest (every plan is in "
            "the CSV and XLSX).") if more else ""


def cut_rows(rows: pd.DataFrame, rooms: list[float], size: float) -> pd.DataFrame:
    """Every cell but the health cut to one line of its column at `size`."""
    out = rows.copy()
    for column, room in zip(rows.columns, rooms, strict=True):
        if column != "health":
            out[column] = [text_widths().one_line(text, room, size) for text in rows[column]]
    return out


# -- PDF ---------------------------------------------------------------------

def portfolio_pdf(frame: pd.DataFrame, settings: Settings, as_of: date | None = None) -> bytes:
    """One A4 landscape page: title, the portfolio line, then the table in the best layout
    that fits the rest of the page."""
    pdf = BriefingPDF(f"{TITLE} · {portfolio_label(frame, as_of)} · Work-Plan Pulse",
                      settings.marking)
    title = portfolio_title(frame, as_of)
    pdf.set_title(pdf.text_of(title))
    pdf.set_creator("Work-Plan Pulse")
    pdf.add_page()
    heading(pdf, title)
    pdf.set_text_color(90, 90, 90)
    paragraph(pdf, generated_line(frame, as_of), size=8.5)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    if frame.empty:
        paragraph(pdf, "No plan to show.")
        return bytes(pdf.output())
    fixed = sum(width for _, _, width, _ in SUMMARY_COLUMNS)
    widths = [width or pdf.epw - fixed for _, _, width, _ in SUMMARY_COLUMNS]
    rooms = [(w - 2 * pdf.c_margin) * PT_PER_MM for w in widths]
    room = pdf.h - pdf.b_margin - pdf.get_y() - PDF_SLACK
    size, rows, _ = fitted(frame, rooms, PDF_SIZES, room,
                           lambda size, lines: lines * size * PDF_LINE_HEIGHT)
    table_rows(pdf, rows, widths, [header for _, header, _, _ in SUMMARY_COLUMNS], size=size)
    if left_out := left_out_line(frame, rows):
        paragraph(pdf, left_out, size=size)
    return bytes(pdf.output())


# -- PPTX --------------------------------------------------------------------

def portfolio_pptx(frame: pd.DataFrame, settings: Settings, as_of: date | None = None) -> bytes:
    """One 16:9 slide: title, the portfolio line, the table; a verdict sentence per plan in
    the speaker notes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = deck.WIDTH, deck.HEIGHT
    slide = prs.slides.add_slide(prs.slide_layouts[deck.TITLE_ONLY_LAYOUT])
    shape = slide.shapes.title
    shape.left, shape.top = deck.MARGIN, Inches(0.3)
    shape.width, shape.height = deck.WIDTH - 2 * deck.MARGIN, Inches(0.75)
    shape.text = portfolio_title(frame, as_of)
    shape.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
    width = deck.WIDTH - 2 * deck.MARGIN
    deck.text_box(slide, generated_line(frame, as_of), deck.MARGIN, Inches(1.05), width,
                  Inches(0.35), size=10)
    deck.text_box(slide, f"{TITLE} · {portfolio_label(frame, as_of)} · Work-Plan Pulse",
                  deck.MARGIN, deck.HEIGHT - Inches(0.42), width - Inches(2.2), Inches(0.32),
                  size=10)
    deck.marking_boxes(slide, settings.marking)
    if frame.empty:
        deck.text_box(slide, "No plan to show.", deck.MARGIN, SLIDE_TABLE_TOP, width,
                      Inches(0.5), size=16)
    else:
        _slide_table(slide, frame, width)
    deck.notes(slide, "\n".join(
        verdict_sentence(f"{r['group']} ({r['title']})", r["health"], r["reason"])
        for r in frame.to_dict("records")) or "No plan to show.")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _slide_row_height(size: float, lines: int) -> Emu:
    return Emu(int(Pt(size * LINE_SPACING * lines + 1)) + 2 * CELL_MARGIN_Y)


def _slide_table(slide, frame: pd.DataFrame, width: Emu) -> None:
    total = sum(share for *_, share in SUMMARY_COLUMNS)
    columns = [Emu(int(width * share / total)) for *_, share in SUMMARY_COLUMNS]
    rooms = [(w - 2 * CELL_MARGIN_X) / EMU_PER_PT * SLIDE_WIDTH_SLACK for w in columns]
    size, rows, counts = fitted(frame, rooms, SLIDE_SIZES, SLIDE_TABLE_BOTTOM - SLIDE_TABLE_TOP,
                                _slide_row_height)
    heights = [_slide_row_height(size, n) for n in counts]
    if left_out := left_out_line(frame, rows):
        deck.text_box(slide, left_out, deck.MARGIN, SLIDE_TABLE_TOP + sum(heights), width,
                      _slide_row_height(size, 1), size=size)
    shape = slide.shapes.add_table(len(rows) + 1, len(columns), deck.MARGIN, SLIDE_TABLE_TOP,
                                   width, Emu(sum(heights)))
    table = shape.table
    for index, column_width in enumerate(columns):
        table.columns[index].width = column_width
    for index, row_height in enumerate(heights):
        table.rows[index].height = row_height
    for c, (_, header, _, _) in enumerate(SUMMARY_COLUMNS):
        deck.set_cell(table.cell(0, c), header, size, bold=True)
    for r, record in enumerate(rows.to_dict("records"), start=1):
        for c, (key, *_) in enumerate(SUMMARY_COLUMNS):
            if key == "health" and record[key] in HEALTH_COLORS:
                deck.health_cell(table.cell(r, c), record[key], size)
            else:
                deck.set_cell(table.cell(r, c), record[key], size)
    for target in (table.cell(r, c) for r in range(len(heights)) for c in range(len(columns))):
        target.margin_left = target.margin_right = CELL_MARGIN_X
        target.margin_top = target.margin_bottom = CELL_MARGIN_Y
