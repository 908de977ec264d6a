"""CSV/XLSX exports: formula injection neutralised, numbers and dates kept, context inside."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.context import Filters, ViewContext
from analytics.exports.tables import csv_bytes, neutralised_text, xlsx_bytes

CTX = ViewContext(as_of=date(2026, 10, 31), filters=Filters(domains=("Fraud",)), sample=True)

CASES = [
    ("=1+1", "'=1+1"),
    ("+91 555", "'+91 555"),
    ("-3", "'-3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("   =HYPERLINK(\"x\")", "'   =HYPERLINK(\"x\")"),
    ("\n@x", "'\n@x"),
    ("plain note", "plain note"),
    ("a=b", "a=b"),
    ("", ""),
    ("Ünïcode — नमस्ते", "Ünïcode — नमस्ते"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_neutralised_text(raw, expected):
    assert neutralised_text(raw) == expected


def frame_of_cases() -> pd.DataFrame:
    return pd.DataFrame({
        "text": [raw for raw, _ in CASES],
        "number": [float(i) - 3.5 for i in range(len(CASES))],
        "count": list(range(-2, len(CASES) - 2)),
    })


def test_csv_neutralises_text_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(csv_bytes(frame_of_cases()).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["text", "number", "count"]
    assert [r[0] for r in rows[1:]] == [expected for _, expected in CASES]
    assert [float(r[1]) for r in rows[1:]] == [float(i) - 3.5 for i in range(len(CASES))]
    assert [int(r[2]) for r in rows[1:]] == list(range(-2, len(CASES) - 2))


def test_xlsx_neutralises_text_keeps_numbers_and_never_writes_formulas():
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame_of_cases(), CTX, "Items")))
    ws = wb["Items"]
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert [v[0] or "" for v in values] == [expected for _, expected in CASES]
    assert [v[1] for v in values] == [float(i) - 3.5 for i in range(len(CASES))]
    assert [v[2] for v in values] == list(range(-2, len(CASES) - 2))
    types = {cell.data_type for row in ws.iter_rows(min_row=1) for cell in row}
    assert "f" not in types
    assert {cell.data_type for cell in ws["B"][1:]} == {"n"}


def test_xlsx_carries_the_context():
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame_of_cases(), CTX, "Items")))
    assert wb.sheetnames == ["Items", "About"]
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True)}
    assert about["Context"] == "main · as of 2026-10-31 · domain: Fraud · sample data"
    assert about["Rows"] == str(len(CASES))
    assert "as of 2026-10-31" in wb["Items"].oddFooter.center.text


def test_xlsx_dates_missing_values_and_control_characters():
    df = pd.DataFrame({"id": ["A", "B"], "due": [date(2026, 3, 1), None],
                       "pct": [12.5, float("nan")], "note": ["bell\x07 here", None]})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df, CTX, "Dates")))["Dates"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[0][1].date() == date(2026, 3, 1) and ws["B2"].number_format == "yyyy-mm-dd"
    assert rows[0][2] == 12.5 and rows[0][3] == "bell here"
    assert rows[1] == ("B", None, None, None)


@given(st.text(max_size=30))
def test_csv_round_trip_never_starts_with_a_trigger(text):
    df = pd.DataFrame({"note": [text]})
    rows = list(csv.reader(io.StringIO(csv_bytes(df).decode("utf-8-sig"), newline="")))
    cell = rows[1][0] if len(rows) > 1 and rows[1] else ""
    assert not cell.lstrip().startswith(("=", "+", "-", "@"))
    assert not cell.startswith(("\t", "\r"))
    assert cell in (text, "'" + text) or text.strip() == "" or "\r" in text
