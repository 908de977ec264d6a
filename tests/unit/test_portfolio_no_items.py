"""A plan without work items in the portfolio: its reason is stored and compared in English
(`NO_ITEMS`) and read in the view's language wherever the portfolio is shown or exported."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from analytics.exports.portfolio import portfolio_bytes, summary_rows
from analytics.metrics.health import NO_ITEMS, reason_in
from analytics.metrics.portfolio import PORTFOLIO_COLUMNS, empty_row
from analytics.settings import Settings

REASON = 3   # the CSV's fourth column, whatever the language of its header


def empty_plan() -> pd.DataFrame:
    row = {**empty_row(), "group": "ZZ", "title": "Nothing yet", "sample": False}
    return pd.DataFrame([row], columns=PORTFOLIO_COLUMNS)


def test_the_empty_row_keeps_the_english_reason():
    assert empty_row()["reason"] == NO_ITEMS == "no work items yet"


@pytest.mark.parametrize(("lang", "reason"), [
    ("en", "no work items yet"),
    ("fr", "aucun élément de travail pour l'instant"),
])
def test_the_reason_reads_in_the_language(lang, reason):
    assert reason_in(NO_ITEMS, lang) == reason
    _header, *rows = csv.reader(io.StringIO(
        portfolio_bytes(empty_plan(), "csv", Settings(), lang=lang).decode("utf-8-sig")))
    assert [row[REASON] for row in rows] == [reason]     # plan, title, health, reason first
    frame = empty_plan().assign(reason=lambda f: f["reason"].map(lambda r: reason_in(r, lang)))
    assert list(summary_rows(frame, lang=lang)["reason"]) == [reason]
