"""CSV and XLSX bytes for any table, with spreadsheet formula injection neutralised.

Why: tables leave the dashboard as files that managers open in Excel. A note or
title typed by anyone ("=HYPERLINK(...)", "@SUM(...)") must never run as a
formula there, and numbers must stay numbers. The file name carries the context
(`ViewContext.file_name`); the XLSX also carries it inside (page header and
footer, and an "About" sheet), with headers and health in words (`formatting.readable_frame`)
and the handling marking; the CSV keeps column names, for machines (in French, a CSV has
the French headers instead, for a reader who does not read the English names).

Callers: `pages/_downloads.table_downloads`, the CLI (`workplan export table`).
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from analytics.context import ViewContext
from analytics.formatting import readable_frame
from analytics.i18n import translator

FORMULA_TRIGGERS = ("=", "+", "-", "@")
CONTROL_TRIGGERS = ("\t", "\r")


def neutralised_text(value: str) -> str:
    """`value` with a leading `'` when a spreadsheet would read it as a formula."""
    if value.startswith(CONTROL_TRIGGERS) or value.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralised_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells are neutralised; other cells untouched."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(lambda v: neutralised_text(v) if isinstance(v, str) else v)
    out.columns = [neutralised_text(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame, lang: str = "en") -> bytes:
    """RFC 4180 CSV (CRLF, so a CR inside a note is quoted), UTF-8 with a BOM for Excel, ISO dates;
    column names as headers in English; in another language, its labels and health in words
    (as the XLSX writes them)."""
    if lang != "en":
        df = readable_frame(df, lang)
    text = neutralised_frame(df).to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, ctx: ViewContext, title: str) -> bytes:
    """One data sheet (readable header row, frozen, filterable) plus an "About" sheet with the
    context; the handling marking (WORKPLAN_MARKING) in the page header and footer."""
    _ = translator(ctx.lang)
    title = _(title)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title))
    ws.freeze_panes = "A2"
    frame = neutralised_frame(readable_frame(df, ctx.lang))
    for index, column in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _column_width(
            frame.iloc[:, index - 1], str(column))
    marking = ctx.settings.marking
    ws.oddHeader.center.text = _header_text(" · ".join(filter(None, [marking, f"{title} — {ctx.label()}"])))
    ws.oddFooter.center.text = _header_text(
        " · ".join(filter(None, [marking, "Work-Plan Pulse · " + ctx.label()])))
    bold = Font(bold=True)
    ws.append([_text_cell(ws, str(c), font=bold) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([_cell(ws, value) for value in row])
    about = wb.create_sheet(_("About"))
    for line in _about_lines(title, ctx, len(frame)):
        about.append([_text_cell(about, line[0], font=bold), _text_cell(about, line[1])])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _about_lines(title: str, ctx: ViewContext, rows: int) -> list[tuple[str, str]]:
    _ = translator(ctx.lang)
    return [
        (_("Table"), title),
        (_("Context"), ctx.label()),
        (_("As of"), ctx.as_of.isoformat()),
        (_("Filters"), ctx.filters.describe(ctx.lang) or _("none")),
        (_("Data"), _("sample data") if ctx.sample else _("plan data")),
        (_("Rows"), str(rows)),
        (_("Exported by"), "Work-Plan Pulse"),
    ] + [(_("Handling"), ctx.settings.marking)] * bool(ctx.settings.marking)


def _cell(ws, value) -> WriteOnlyCell:
    if isinstance(value, str):
        return _text_cell(ws, value)
    plain = _plain_value(value)
    cell = WriteOnlyCell(ws, value=plain)
    if isinstance(plain, date) and not isinstance(plain, datetime):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(plain, float):
        cell.number_format = "#,##0.0"         # shown rounded; the cell keeps the value
    elif isinstance(plain, int) and not isinstance(plain, bool):
        cell.number_format = "#,##0"
    return cell


def _text_cell(ws, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"          # a string is never a formula, whatever it starts with
    if font is not None:
        cell.font = font
    return cell


def _plain_value(value):
    """Numbers, dates and booleans as Excel types; missing values as empty cells."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date | bool | int | float):
        return value
    if hasattr(value, "item"):                  # numpy scalars
        return _plain_value(value.item())
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _column_width(series: pd.Series, header: str) -> float:
    """A readable width: the longer of the header and the typical cell, capped at 60."""
    sample = series.head(200).map(lambda v: len(str(v)) if v is not None else 0)
    typical = int(sample.quantile(0.9)) if len(sample) else 0
    return float(min(max(len(header), typical, 8) + 2, 60))


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "Table")[:31]


def _header_text(text: str) -> str:
    return text.replace("&", "&&")[:250]
