"""Briefing-pack helpers: the formatters, the top-risks order, PNG aspect, PDF text fallback."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics import formatting as f
from analytics.exports.report import ChartImage
from analytics.exports.report_pdf import MISSING, BriefingPDF
from analytics.tables import top_risks


@pytest.mark.parametrize(("fn", "value", "expected"), [
    (f.pct, 45.26, "45.3%"), (f.pct, None, "—"), (f.pct, math.nan, "—"),
    (f.pp, -6.84, "−6.8 pp"), (f.pp, 3, "+3.0 pp"), (f.pp, -0.04, "0.0 pp"), (f.pp, -0.0, "0.0 pp"),
    (f.signed_days, -0.4, "0 days"), (f.signed_days, -23.2, "−23 days"),
    (f.share, 0.776, "78%"), (f.share, None, "—"),
    (f.iso_date, date(2026, 10, 31), "2026-10-31"),
    (f.iso_date, pd.Timestamp("2026-01-02 10:00"), "2026-01-02"), (f.iso_date, pd.NaT, "—"),
    (f.long_date, date(2028, 3, 13), "13 Mar 2028"),
    (f.cell, 12.345, "12.3"), (f.cell, 12.0, "12"), (f.cell, None, ""), (f.cell, "=x", "=x"),
    (f.cell, 7, "7"), (f.cell, True, "Yes"),
    (f.schedule_status, -17.6, "about 18 days behind"), (f.schedule_status, 0.4, "on schedule"),
    (f.schedule_status, 1, "about 1 day ahead"), (f.schedule_status, None, "no schedule measure yet"),
    (f.column_label, "reason_after", "Reason now"), (f.column_label, "days_open", "Days open"),
])
def test_formatting(fn, value, expected):
    assert (fn(*value) if isinstance(value, tuple) else fn(value)) == expected


@pytest.mark.parametrize(("forecast", "planned", "expected"), [
    (date(2028, 3, 13), date(2028, 1, 25), "forecast finish 13 Mar 2028, 48 days after plan"),
    (date(2028, 1, 24), date(2028, 1, 25), "forecast finish 24 Jan 2028, 1 day before plan"),
    (date(2028, 1, 25), date(2028, 1, 25), "forecast finish 25 Jan 2028, on the planned date"),
    (None, date(2028, 1, 25), "no forecast finish yet"),
])
def test_the_forecast_in_words(forecast, planned, expected):
    assert f.forecast_phrase(forecast, planned) == expected


def test_readable_frames_have_words_for_headers_and_health():
    frame = pd.DataFrame({"item_id": ["A"], "health_after": ["not_started"], "reason_after": ["x"]})
    out = f.readable_frame(frame)
    assert list(out.columns) == ["Item", "Health now", "Reason now"]
    assert out.iloc[0, 1] == "Not started"


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
