"""Every table of the dashboard, drawn one way: `show_table(frame, key=...)` instead of st.dataframe.

Why: a manager reads "Reason now" over a column and a dark red cell saying "Red",
never `reason_after` or `not_started`, and finds the columns they look for first
(item, title, health, reason, owner, due, latest comment) side by side in the main
area at 1366 px (about 900 px beside the sidebar) without a horizontal scroll; the
other columns follow them. Pages pass a frame as `analytics` returns it (and keep
it for their downloads and row selections); this module orders the columns, puts
health and codes into words, takes the health word off the front of a reason
('red: 41 pp behind plan' beside a Red cell reads '41 pp behind plan'), heads each
column with `analytics.formatting.column_label` (words and headers in the session's
language, as the rest of the page), colours health cells with `analytics.charts.palette`,
and sets widths and number formats (in French the Styler's, with a decimal comma). Long text wraps in rows three lines tall, so a title
or comment is read whole in its narrow column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from analytics.charts.palette import HEALTH_COLORS, HEALTH_LABELS, health_label, ink_on
from analytics.formatting import NONE, column_label, is_health_column, missing, table_number
from analytics.i18n import LANGUAGES, N_, translator
from analytics.metrics.health import reason_words
from pages._i18n import current_language

# The columns a reader looks for first, in the order they are shown (absent ones are skipped).
KEY_COLUMNS = ("milestone_id", "item_id", "title", "health", "health_before", "health_after",
               "status", "reason", "reason_after", "owner", "due_date", "note")
# Pixel widths: the key columns of the widest table (Items: 70 + 180 + 90 + 150 + 110 + 90 + 170,
# plus its row-selection column) fit the ~900 px table beside the sidebar at 1366 px.
WIDTHS = {"item_id": 70, "milestone_id": 90, "title": 180, "item_title": 180, "reason": 150,
          "reason_before": 150, "reason_after": 150, "owner": 110, "due_date": 90, "note": 170,
          "domain": 150, "message": 260, "sha256": 110, "file": 180}
HEALTH_WIDTH = 90        # 'Not started'; a longer header ('Reported status') widens its column
CHAR_PX = 7              # about one character of the table font, in pixels
# Text columns whose cells wrap (when one is longer than a line) instead of widening the table.
WRAPPED = frozenset({"title", "item_title", "reason", "reason_before", "reason_after", "owner",
                     "note", "domain", "message"})
WRAPPED_ROW_HEIGHT = 66  # Streamlit wraps text cells in rows taller than 4rem (64 px)
WRAPPED_ROWS_SHOWN = 8   # a taller table scrolls inside after eight such rows
HEADER_HEIGHT = 35       # the header row; the table adds a 1 px border above and below
# (decimals, signed) of a number column; other floats one decimal, integers as they are.
NUMBER_SHAPES = {"actual_pct": (1, False), "planned_pct": (1, False), "actual_before": (1, False),
                 "actual_after": (1, False), "percent_complete": (1, False),
                 "variance_pp": (1, True), "delta_pp": (1, True), "spi_t": (2, False),
                 "slip_days": (0, True), "slip_before": (0, True), "slip_after": (0, True),
                 "sv_t_days": (0, True)}
FLOAT_SHAPE = (1, False)
REASON_COLUMNS = ("reason", "reason_before", "reason_after")
CODE_COLUMNS = ("kind", "outcome")  # upload codes ('updates', 'committed') shown as words
# Headers of the tables of status reports (an item's update history, new notes): a report's
# own status and comment, where the item tables' 'note' is the latest comment. Headers given
# by a page are msgids, translated when the table is drawn.
REPORT_LABELS = {"status": N_("Reported status"), "note": N_("Comment")}


@cache
def _codes_of_labels() -> dict[str, str]:
    """{'Red': 'red', 'Rouge': 'red', ...}: a health cell's code from its word in any language."""
    return {health_label(code, lang): code for lang in LANGUAGES for code in HEALTH_LABELS}


def ordered_columns(columns: Iterable[str], first: Iterable[str] = KEY_COLUMNS) -> list[str]:
    """The `first` columns that are present, in their order, then the rest in frame order."""
    columns = list(columns)
    lead = [c for c in dict.fromkeys(first) if c in columns]
    return lead + [c for c in columns if c not in lead]


def headers(columns: Iterable[str], labels: Mapping[str, str] | None = None,
            lang: str = "en") -> dict[str, str]:
    """{column: header in words, in `lang`}; a header two columns share gets the second a ' (2)'."""
    labels, said = labels or {}, translator(lang)
    out: dict[str, str] = {}
    for column in columns:
        word = said(labels[column]) if labels.get(column) else column_label(column, lang)
        header, n = word, 2
        while header in out.values():
            header, n = f"{word} ({n})", n + 1
        out[column] = header
    return out


def words(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A copy with health and upload codes in words (in `lang`) and reasons without their
    health prefix."""
    out = frame.copy()
    for column in out.columns:
        if is_health_column(column):
            out[column] = [NONE if missing(v) else health_label(v, lang) for v in out[column]]
        elif column in CODE_COLUMNS:
            out[column] = [None if missing(v) else column_label(v, lang) for v in out[column]]
        elif column in REASON_COLUMNS:
            out[column] = [None if missing(v) else reason_words(v) for v in out[column]]
    return out


def health_cell_style(value) -> str:
    """CSS of a health cell: its palette colour, with black or white text on it."""
    code = _codes_of_labels().get(value)
    if code is None:
        return ""
    fill = HEALTH_COLORS[code]
    return f"background-color: {fill}; color: {ink_on(fill)}"


def _is_dates(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, date) for v in values)


def number_shape(name: str, series: pd.Series) -> tuple[int, bool] | None:
    """(decimals, signed) of a number column (None for an integer column without one, shown
    as it is; for a column that is not numbers)."""
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    return NUMBER_SHAPES.get(name, None if pd.api.types.is_integer_dtype(series) else FLOAT_SHAPE)


def column_setting(name: str, series: pd.Series, header: str = "", lang: str = "en"):
    """The st.column_config entry of one column (width, number or date format), or None. In a
    language other than English the numbers' format is the table's Styler's (Babel's decimal
    comma: Streamlit's formats write a point), so the column has none here."""
    width = WIDTHS.get(name)
    if is_health_column(name):
        width = max(HEALTH_WIDTH, CHAR_PX * len(header) + 20)
    if pd.api.types.is_bool_dtype(series):
        return st.column_config.CheckboxColumn(width=width)
    if pd.api.types.is_numeric_dtype(series):
        shape = number_shape(name, series)
        printf = None if shape is None or lang != "en" else \
            f"%{'+' if shape[1] else ''}.{shape[0]}f"
        return st.column_config.NumberColumn(width=width, format=printf)
    if pd.api.types.is_datetime64_any_dtype(series) or _is_dates(series):
        return st.column_config.DateColumn(width=width, format="YYYY-MM-DD")
    return None if width is None else st.column_config.TextColumn(width=width)


def table_view(frame: pd.DataFrame, first: Iterable[str] = KEY_COLUMNS,
               labels: Mapping[str, str] | None = None,
               lang: str = "en") -> tuple[Styler, dict, int | None]:
    """(styled frame with headers in words, in `lang`, its column_config, row height or None)."""
    order = ordered_columns(frame.columns, first)
    shown = words(frame[order].reset_index(drop=True), lang)
    names = headers(order, labels, lang)
    config = {names[c]: setting for c in order
              if (setting := column_setting(c, shown[c], names[c], lang)) is not None}
    wrapped = WRAPPED_ROW_HEIGHT if any(_overflows(c, shown[c]) for c in order) else None
    shapes = {names[c]: shape for c in order if (shape := number_shape(c, shown[c])) is not None}
    shown.columns = [names[c] for c in order]
    health = [names[c] for c in order if is_health_column(c)]
    styler = shown.style.map(health_cell_style, subset=health) if health else shown.style
    if lang != "en":
        for header, (digits, signed) in shapes.items():
            styler = styler.format(lambda v, d=digits, s=signed: table_number(v, d, s, lang),
                                   subset=[header])
    return styler, config, wrapped


def _overflows(name: str, series: pd.Series) -> bool:
    """True for a wrapped column with a cell longer than one line of its width."""
    if name not in WRAPPED or not len(series):
        return False
    longest = series.dropna().astype(str).str.len().max()
    return bool(longest == longest and longest * CHAR_PX > WIDTHS[name] - 16)


def show_table(frame: pd.DataFrame, *, key: str, first: Iterable[str] = KEY_COLUMNS,
               labels: Mapping[str, str] | None = None, **options):
    """st.dataframe of `frame` as people read it, in the session's language (`options` such as
    on_select pass through)."""
    styler, config, row_height = table_view(frame, first, labels, current_language())
    height = "auto" if row_height is None else \
        HEADER_HEIGHT + 2 + row_height * max(1, min(len(frame), WRAPPED_ROWS_SHOWN))
    return st.dataframe(styler, hide_index=True, column_config=config, row_height=row_height,
                        height=height, placeholder=NONE, key=key, **options)
