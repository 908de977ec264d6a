"""Briefing-pack helpers: number formatting, the top-risks order, PNG aspect, PDF text fallback."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics.exports.report import ChartImage, fmt_cell, fmt_date, fmt_pct, fmt_pp, fmt_share
from analytics.exports.report_pdf import MISSING, BriefingPDF
from analytics.tables import top_risks


@pytest.mark.parametrize(("fn", "value", "expected"), [
    (fmt_pct, 45.26, "45.3%"), (fmt_pct, None, "n/a"), (fmt_pct, math.nan, "n/a"),
    (fmt_pp, -6.84, "−6.8 pp"), (fmt_pp, 3, "+3.0 pp"),
    (fmt_share, 0.776, "78%"), (fmt_share, None, "n/a"),
    (fmt_date, date(2026, 10, 31), "2026-10-31"), (fmt_date, pd.Timestamp("2026-01-02 10:00"), "2026-01-02"),
    (fmt_date, pd.NaT, "n/a"),
    (fmt_cell, 12.345, "12.3"), (fmt_cell, None, ""), (fmt_cell, "=x", "=x"), (fmt_cell, 7, "7"),
])
def test_formatting(fn, value, expected):
    assert fn(value) == expected


def test_top_risks_are_red_then_amber_worst_first():
    items = pd.DataFrame({
        "item_id": ["A", "B", "C", "D", "E"],
        "title": list("abcde"), "domain": ["X"] * 5, "owner": ["o"] * 5, "lead_party": ["India"] * 5,
        "health": ["amber", "red", "green", "red", "complete"],
        "actual_pct": [1.0] * 5, "planned_pct": [2.0] * 5,
        "variance_pp": [-30.0, -20.0, -50.0, -40.0, 0.0],
        "overdue_days": [0, 5, 0, 0, 0], "days_since_update": [1] * 5,
        "reason": ["r1", "r2", "", "r4", ""]})
    risks = top_risks(items)
    assert list(risks["item_id"]) == ["D", "B", "A"]
    assert list(risks["reason"]) == ["r4", "r2", "r1"]
    assert len(top_risks(items, limit=1)) == 1


def test_chart_aspect_comes_from_the_png_header():
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (2732).to_bytes(4, "big") + (904).to_bytes(4, "big")
    assert ChartImage("c", "C", header).aspect == pytest.approx(2732 / 904)


def test_pdf_text_keeps_what_the_fonts_draw_and_marks_the_rest():
    pdf = BriefingPDF("footer")
    assert pdf.text_of("Ünïcode — « » · −5") == "Ünïcode — « » · −5"
    if pdf.family == "DejaVu" and 0x6771 not in pdf.covered:
        assert pdf.text_of("東x") == MISSING + "x"
