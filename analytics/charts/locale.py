"""A figure's numbers and date axes written in the view's language.

Why: Plotly writes tick labels in English whatever the page's language ("Mar 2026", "0.5"):
its own French month names come in a locale file Streamlit does not load, and a PNG export
drawn by kaleido has none either. So in a language other than English a figure gets that
language's decimal and thousands signs (`layout.separators`, used by its ticks and hovers)
and, on every axis that carries dates, ticks we place ourselves on the first of a month,
labelled with Babel's month names ("mars 2026"), one, two, three, six or twelve months
(or whole years) apart so that at most MAX_TICKS show. `palette.base_layout` calls `localised` on every
figure once its traces are in.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date

from analytics.i18n import BABEL_LOCALES, DEFAULT_LANGUAGE, NBSP, normalise_language

MAX_TICKS = 6
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
SEPARATORS = {"fr": "," + NBSP}      # decimal sign, then thousands sign


def localised(figure: go.Figure, lang: str) -> go.Figure:
    """`figure` with its numbers and date ticks in `lang` (unchanged in English)."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return figure
    figure.update_layout(separators=SEPARATORS.get(lang))
    for axis_name, values in date_values(figure).items():
        ticks = month_ticks(min(values), max(values))
        figure.layout[axis_name].update(tickmode="array", tickvals=[t.isoformat() for t in ticks],
                                        ticktext=[month_label(t, lang) for t in ticks])
    return figure


def date_values(figure: go.Figure) -> dict[str, list[date]]:
    """{layout axis name ('xaxis', 'yaxis2', ...): the dates its traces place on it}, for the
    axes that carry dates (a horizontal bar's start and end too)."""
    found: dict[str, list[date]] = {}
    for trace in figure.data:
        for letter in ("x", "y"):
            days = _days(getattr(trace, letter, None))
            if trace.type == "bar" and getattr(trace, "base", None) is not None and \
                    (trace.orientation or "v") == ("h" if letter == "x" else "v"):
                days = _bar_days(trace.base, getattr(trace, letter))
            if days:
                axis = getattr(trace, f"{letter}axis", None) or letter
                found.setdefault(f"{letter}axis{axis[1:]}", []).extend(days)
    return found


def _days(values) -> list[date]:
    """The values as days when every one is a date (or an ISO date string), else []."""
    if values is None or isinstance(values, str) or not len(values):
        return []
    if getattr(values, "dtype", None) is not None and np.issubdtype(values.dtype, np.datetime64):
        return [t.date() for t in pd.to_datetime(values) if not pd.isna(t)]
    if all(isinstance(v, date) for v in values):
        return [pd.Timestamp(v).date() for v in values]
    if all(isinstance(v, str) for v in values):
        parsed = pd.to_datetime(pd.Series(values), format="ISO8601", errors="coerce")
        return [] if parsed.isna().any() else [t.date() for t in parsed]
    return []


def _bar_days(bases, spans) -> list[date]:
    """A horizontal bar's first and last days: its base and its base plus its length (ms)."""
    starts = _days(list(bases) if not isinstance(bases, str) else [bases])
    if not starts or spans is None:
        return starts
    ends = [(pd.Timestamp(s) + pd.Timedelta(milliseconds=float(n))).date()
            for s, n in zip(starts, spans, strict=False)]
    return starts + ends


def month_ticks(first: date, last: date, max_ticks: int = MAX_TICKS) -> list[date]:
    """Firsts of months from the one after `first` (or `first` itself when it is one) to
    `last`, the smallest step of MONTH_STEPS (or of whole years past them) that gives at most
    `max_ticks` (never none)."""
    start = first.replace(day=1) if first.day == 1 else _months_after(first.replace(day=1), 1)
    months = (last.year - start.year) * 12 + last.month - start.month
    step = next((s for s in MONTH_STEPS if months // s + 1 <= max_ticks),
                12 * math.ceil(months / (12 * (max_ticks - 1))))     # whole years beyond
    ticks = [_months_after(start, k) for k in range(0, max(months, 0) + 1, step)]
    return ticks or [start]


def _months_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_label(day: date, lang: str) -> str:
    """'mars 2026' in French (Babel's abbreviated month, then the year)."""
    return format_date(day, "MMM y", locale=BABEL_LOCALES[normalise_language(lang)])
