"""The briefing pack as a PDF report (fpdf2, A4 landscape).

Why: a briefing note that can be printed or attached to an email. Layout only:
the content comes from `analytics.exports.report.gather`. Notes and titles may
hold any script, so text is set in DejaVu Sans (Debian's fonts-dejavu-core);
without it we fall back to Helvetica and replace characters Latin-1 cannot hold.
Every page carries the handling marking (WORKPLAN_MARKING) in its header and footer, and the
plan, the context label and the page number in its footer. The pack opens with the
executive summary (`summary.py`); health cells are filled in the palette colour with their
word, table headers are labels (`formatting.column_label`), never column names.

Caller: `analytics.exports.report.build_report`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from fpdf.prefs import ViewerPreferences

from analytics.charts.palette import HEALTH_COLORS, HEALTH_LABELS, health_label, ink_on
from analytics.exports.report import Briefing, ChartImage
from analytics.formatting import cell, column_label, is_health_column, long_date
from analytics.i18n import translator
from analytics.metrics.health import reason_words

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Scripts DejaVu lacks (CJK, Devanagari, ...): used when installed (fonts-noto-*, fonts-freefont).
FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
MISSING = "\ufffd"
RISK_COLUMNS = [("item_id", 16), ("title", 50), ("health", 17), ("reason", 0), ("comment", 70)]
DOMAIN_COLUMNS = [("name", 70), ("health", 20), ("reason", 0)]
WIDE_COLUMNS = ("title", "note", "reason", "reason_after", "item_title", "comment")
GREY = (90, 90, 90)


class BriefingPDF(FPDF):
    """FPDF with the briefing footer and a Unicode font when one is installed."""

    language = "en"      # the language of the building blocks' words (pdf_bytes sets it)

    def _(self, text: str) -> str:
        """`text` in the document's language (analytics.i18n)."""
        return translator(self.language)(text)

    def __init__(self, footer_text: str, marking: str = ""):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.footer_text = footer_text
        self.marking = marking
        self.family = self._unicode_family() or "helvetica"
        self.covered = self._covered_characters()
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(14, 14, 14)

    def _unicode_family(self) -> str | None:
        for folder in FONT_DIRS:
            paths = {style: folder / name for style, name in FONT_FILES.items()}
            if all(p.is_file() for p in paths.values()):
                for style, path in paths.items():
                    self.add_font("DejaVu", style, str(path))
                return "DejaVu"
        return None

    def _covered_characters(self) -> set[int] | None:
        """Code points the fonts can draw (None for the core font), after adding fallbacks."""
        if self.family == "helvetica":
            return None
        fallbacks = []
        for index, path in enumerate(p for p in FALLBACK_FONTS if Path(p).is_file()):
            self.add_font(f"fallback{index}", "", path)
            fallbacks.append(f"fallback{index}")
        if fallbacks:
            self.set_fallback_fonts(fallbacks, exact_match=False)
        covered: set[int] = set()
        for key, font in self.fonts.items():
            if key.startswith(("dejavu", "fallback")):
                covered.update(font.cmap)
        return covered

    def text_of(self, value) -> str:
        """`value` as text the fonts can set; a character no font has becomes U+FFFD (�)."""
        text = str(value)
        if self.covered is None:
            text = text.replace("—", "-").replace("·", "-").replace("−", "-")
            return text.encode("latin-1", "replace").decode("latin-1")
        if all(ord(ch) in self.covered for ch in text):
            return text
        return "".join(ch if ord(ch) in self.covered or ch in "\n\t" else MISSING for ch in text)

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def header(self) -> None:
        if self.marking:
            self.set_y(5)
            self.font(9, bold=True)
            self.cell(0, 5, self.text_of(self.marking), align="C")
            self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-12 if self.marking else -11)
        if self.marking:
            self.font(9, bold=True)
            self.cell(0, 4, self.text_of(self.marking), align="C", new_x=XPos.LMARGIN,
                      new_y=YPos.NEXT)
        self.font(7.5)
        self.set_text_color(*GREY)
        self.cell(0, 4, self.text_of(f"{self.footer_text} · page {self.page_no()}/{{nb}}"),
                  align="C")
        self.set_text_color(0, 0, 0)


def pdf_bytes(b: Briefing) -> bytes:
    """Executive summary, figures, overview charts, a page per domain, risks, changes."""
    pdf = BriefingPDF(f"{b.plan_title} · {b.ctx.label()} · Work-Plan Pulse", b.marking)
    pdf.language = b.ctx.lang
    pdf.set_title(pdf.text_of(pdf._("{plan} — briefing {date}").format(
        plan=b.plan_title, date=b.ctx.as_of.isoformat())))
    pdf.set_creator("Work-Plan Pulse")
    tag_document(pdf, pdf._("Briefing pack · {view}").format(view=b.ctx.label()))
    summary_pages(pdf, b)
    kpi_page(pdf, b)
    for chart in b.overview:
        chart_page(pdf, chart)
    for section in b.domains:
        domain_page(pdf, section)
    risks_page(pdf, b)
    changes_pages(pdf, b)
    return bytes(pdf.output())


def tag_document(pdf: BriefingPDF, subject: str) -> None:
    """What fpdf2 can tag for assistive technology: the language (`pdf.language`), the subject
    and author, the title shown instead of the file name; headings become outline entries
    (`heading`, `subheading`) and chart images carry their summary sentence as /Alt
    (`place_chart`). The pack and the portfolio page (`exports.portfolio`) are tagged alike."""
    pdf.set_lang(pdf.language)
    pdf.set_subject(pdf.text_of(subject))
    pdf.set_author("Work-Plan Pulse")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)


def summary_pages(pdf: BriefingPDF, b: Briefing) -> None:
    """The title band, then the verdict, key messages, decisions, standing, domains, risks,
    changes (one page, two when the notes are long)."""
    s = b.summary
    _ = pdf._
    lang = b.ctx.lang
    pdf.add_page()
    pdf.start_section(pdf.text_of(_("{plan}: executive summary").format(plan=b.plan_title)),
                      level=0, strict=False)
    pdf.font(19, bold=True)
    pdf.multi_cell(0, 9, pdf.text_of(b.plan_title), align="L", new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.font(10)
    pdf.set_text_color(*GREY)
    line = [_("Executive summary — as of {date}").format(date=long_date(b.ctx.as_of, lang=lang)),
            b.ctx.filters.describe(lang),
            _("changes since {date}").format(date=long_date(b.since, lang=lang)),
            _("generated {when}").format(when=b.generated_at)]
    line = [part for part in line if part]
    if b.notes is not None:
        line.insert(1, _("meeting of {date}").format(date=long_date(b.notes.meeting, lang=lang)))
    if b.ctx.sample:
        line.insert(0, _("SAMPLE DATA — not the real plan"))
    paragraph(pdf, " · ".join(line), size=9.5)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    verdict(pdf, s.scope, s.health, s.reason)
    subheading(pdf, _("Key messages"))
    bullet_list(pdf, b.notes.key_messages if b.notes else (),
                empty=_("No key messages are saved for this meeting."))
    subheading(pdf, _("Decisions sought"))
    bullet_list(pdf, b.notes.decisions if b.notes else (),
                empty=_("No decisions are sought at this meeting."))
    subheading(pdf, _("Where the plan stands"))
    bullet_list(pdf, (s.progress, s.schedule + "."), empty="")
    subheading(pdf, _("Domains, worst first"))
    domains = pd.DataFrame([{"name": d.name, "health": d.health, "reason": reason_words(d.reason)}
                            for d in s.domains], columns=["name", "health", "reason"])
    sized_table(pdf, domains, DOMAIN_COLUMNS, {"name": _("Domain")},
                empty=_("No domain in this view."))
    subheading(pdf, _("Top risks"))
    sized_table(pdf, s.risks, RISK_COLUMNS, {"comment": _("Latest comment")},
                empty=_("No red or amber items."))
    subheading(pdf, _("What changed since {date}").format(date=long_date(b.since, lang=lang)))
    bullet_list(pdf, s.changes, empty="")
    if b.charts_note:
        paragraph(pdf, b.charts_note)


def kpi_page(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.add_page()
    heading(pdf, pdf._("Figures"))
    facts_table(pdf, b.kpi_facts)
    if b.charts_note:
        pdf.ln(4)
        paragraph(pdf, b.charts_note)
    pdf.ln(4)
    footnote(pdf, b)


def chart_page(pdf: BriefingPDF, chart: ChartImage) -> None:
    pdf.add_page()
    heading(pdf, chart.title)
    place_chart(pdf, chart, max_height=pdf.eph - 16)


def domain_page(pdf: BriefingPDF, section) -> None:
    pdf.add_page()
    heading(pdf, pdf._("Domain: {name}").format(name=section.name))
    verdict(pdf, section.name, section.health, section.reason)
    top = pdf.get_y()
    pdf.set_right_margin(pdf.w / 2 + 4)
    facts_table(pdf, section.facts, size=9)
    pdf.set_right_margin(14)
    if section.charts:
        pdf.set_xy(pdf.w / 2, top)
        place_chart(pdf, section.charts[0], max_height=78, x=pdf.w / 2, width=pdf.w / 2 - 14)
    pdf.set_y(max(pdf.get_y(), top + 82))
    subheading(pdf, pdf._("Items at risk"))
    sized_table(pdf, section.risks, RISK_COLUMNS, {"comment": pdf._("Latest comment")},
                empty=pdf._("No red or amber items in this domain."))


def risks_page(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.add_page()
    heading(pdf, pdf._("Top risks"))
    sized_table(pdf, b.risks, RISK_COLUMNS, {"comment": pdf._("Latest comment")},
                empty=pdf._("No red or amber items."))


def changes_pages(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.add_page()
    heading(pdf, pdf._("What changed since {date}").format(date=b.since.isoformat()))
    for title, frame in b.changes:
        subheading(pdf, f"{title} ({len(frame)}{'+' if len(frame) >= 12 else ''})")
        if frame.empty:
            paragraph(pdf, pdf._("None."))
        else:
            frame_table(pdf, frame)
        pdf.ln(2)
    footnote(pdf, b)


# -- building blocks ---------------------------------------------------------

def heading(pdf: BriefingPDF, text: str) -> None:
    """A page's heading, and its top-level entry in the document outline."""
    pdf.start_section(pdf.text_of(text), level=0, strict=False)
    pdf.font(17, bold=True)
    pdf.multi_cell(0, 9, pdf.text_of(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def verdict(pdf: BriefingPDF, scope: str, health: str | None, reason: str) -> None:
    """The health as a coloured label with its word, then the scope and the reason."""
    label = pdf._(HEALTH_LABELS[health]) if health in HEALTH_LABELS else pdf._("No verdict")
    fill = HEALTH_COLORS.get(health or "", "#777777")
    pdf.font(11.5, bold=True)
    pdf.set_fill_color(*hex_rgb(fill))
    pdf.set_text_color(*hex_rgb(ink_on(fill)))
    pdf.cell(pdf.get_string_width(label) + 6, 8, pdf.text_of(label), fill=True, align="C")
    pdf.set_fill_color(255, 255, 255)          # tables after this fill with the current colour
    pdf.set_text_color(0, 0, 0)
    pdf.cell(3, 8, "")
    pdf.font(11.5)
    text = pdf._("{health}: {why}").format(health=scope, why=reason_words(reason))
    pdf.multi_cell(0, 8, pdf.text_of(text), align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def subheading(pdf: BriefingPDF, text: str) -> None:
    """A section's heading, and its entry under the page's in the document outline."""
    pdf.start_section(pdf.text_of(text), level=1, strict=False)
    pdf.font(11.5, bold=True)
    pdf.multi_cell(0, 7, pdf.text_of(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def paragraph(pdf: BriefingPDF, text: str, size: float = 9.5) -> None:
    pdf.font(size)
    pdf.multi_cell(0, 5, pdf.text_of(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def footnote(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.set_text_color(*GREY)
    paragraph(pdf, b.freshness_note, size=8.5)
    pdf.set_text_color(0, 0, 0)


def facts_table(pdf: BriefingPDF, facts: list[tuple[str, str]], size: float = 10.5) -> None:
    pdf.font(size)
    with pdf.table(col_widths=(2, 3), first_row_as_headings=False, text_align="LEFT",
                   line_height=size * 0.55, align="LEFT",
                   width=pdf.w - pdf.l_margin - pdf.r_margin) as table:
        for label, value in facts:
            row = table.row()
            row.cell(pdf.text_of(label), style=FontFace(emphasis="BOLD"))
            row.cell(pdf.text_of(value))


def bullet_list(pdf: BriefingPDF, lines, *, empty: str, size: float = 10) -> None:
    pdf.font(size)
    if not lines:
        if empty:
            paragraph(pdf, empty, size=size)
        pdf.ln(1)
        return
    for line in lines:
        pdf.set_x(pdf.l_margin + 3)
        pdf.multi_cell(pdf.epw - 3, 5.2, pdf.text_of(f"•  {line}"), align="L", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    pdf.ln(1.5)


def sized_table(pdf: BriefingPDF, frame: pd.DataFrame, columns: list[tuple[str, float]],
                labels: dict[str, str], *, empty: str) -> None:
    """`frame`'s `columns` at their widths (0 = the rest of the line), health cells coloured."""
    if frame.empty:
        paragraph(pdf, empty)
        return
    present = [(key, width) for key, width in columns if key in frame.columns]
    fixed = sum(width for _, width in present)
    rest = max(pdf.epw - fixed, 40)
    widths = [width or rest for _, width in present]
    keys = [key for key, _ in present]
    table_rows(pdf, frame[keys], widths,
               [labels.get(k) or column_label(k, pdf.language) for k in keys], size=8.5)


def frame_table(pdf: BriefingPDF, frame: pd.DataFrame) -> None:
    widths = [3 if c in WIDE_COLUMNS else 1 for c in frame.columns]
    table_rows(pdf, frame, widths, [column_label(c, pdf.language) for c in frame.columns], size=8)


def table_rows(pdf: BriefingPDF, frame: pd.DataFrame, widths, headers: list[str], *,
               size: float) -> None:
    """A table with a bold header row; health cells in their colour with their word."""
    pdf.font(size)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.54,
                   width=pdf.epw,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235))) as table:
        table.row([pdf.text_of(h) for h in headers])
        for record in frame.to_dict("records"):
            row = table.row()
            for key, value in record.items():
                if is_health_column(key) and value in HEALTH_COLORS:
                    fill = HEALTH_COLORS[value]
                    row.cell(pdf.text_of(health_label(value, pdf.language)),
                             style=FontFace(emphasis="BOLD", color=hex_rgb(ink_on(fill)),
                                            fill_color=hex_rgb(fill)))
                else:
                    row.cell(pdf.text_of(cell(value, pdf.language)))


def place_chart(pdf: BriefingPDF, chart: ChartImage, *, max_height: float,
                x: float | None = None, width: float | None = None) -> None:
    """The chart's PNG at the widest size that fits, keeping its aspect ratio; its alternative
    text is the chart's summary sentence (the title when there is none)."""
    width = width or pdf.epw
    height = min(max_height, width / chart.aspect)
    width = height * chart.aspect
    left = x if x is not None else (pdf.w - width) / 2
    pdf.image(io.BytesIO(chart.png), x=left, y=pdf.get_y(), w=width, h=height,
              title=pdf.text_of(chart.title), alt_text=pdf.text_of(chart.alt_text or chart.title))
    pdf.set_y(pdf.get_y() + height + 2)
