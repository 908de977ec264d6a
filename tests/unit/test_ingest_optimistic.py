"""The pieces of the one-pass import, each against the careful path's own rule.

- the guard SQL refuses a typed value exactly when `parse.error_sql` gives it a message;
- pyarrow's conversion of a cell, when it converts, equals the careful path's typing;
- the whole-column checks (UTF-8, trim, keys, blank rows) are exact on Arrow chunks.
"""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.ingest import csvread, parse
from analytics.ingest.headers import map_headers
from analytics.ingest.optimistic import distinct_keys, fractions_suspected
from analytics.ingest.sniff import is_utf8
from analytics.ingest.validate import _needs_trim, _trimmed, canonical_text

CON = duckdb.connect()


def careful_error(kind_of: str, text: str) -> bool:
    """Whether the careful path gives the trimmed cell `text` of this type an error."""
    typed = f"SELECT {parse.value_sql('t', kind_of)} AS t, t AS r_t FROM (SELECT ? AS t)"
    sql = f"SELECT ({parse.error_sql('t', kind_of)}) IS NOT NULL FROM ({typed})"
    return CON.execute(sql, [text]).fetchall()[0][0]


def careful_value(kind_of: str, text: str):
    return CON.execute(f"SELECT {parse.value_sql('t', kind_of)} FROM (SELECT ? AS t)", [text]).fetchall()[0][0]


def guard_refuses(kind_of: str, value, arrow_type) -> bool:
    column = pa.table({"t": pa.array([value], arrow_type)})
    CON.register("one", column)
    try:
        invalid = parse.typed_invalid_sql("t", kind_of)
        typed = parse.typed_value_sql("t", kind_of, fractions=False)
        return bool(CON.execute(f"SELECT coalesce(({invalid}), false) FROM (SELECT {typed} AS t FROM one)")
                    .fetchall()[0][0])
    finally:
        CON.unregister("one")


@pytest.mark.parametrize(("kind_of", "value", "text"), [
    ("percent", 0.0, "0"), ("percent", 100.0, "100"), ("percent", -0.0, "-0"), ("percent", 45.5, "45.5"),
    ("percent", 100.000001, "100.000001"), ("percent", -0.5, "-0.5"), ("percent", math.nan, "nan"),
    ("percent", math.inf, "inf"), ("percent", None, ""),
    ("weight", 0.0, "0"), ("weight", 2.5, "2.5"), ("weight", -1.0, "-1"), ("weight", math.inf, "inf"),
    ("weight", math.nan, "nan"), ("weight", None, ""),
    ("date", date(1900, 1, 1), "1900-01-01"), ("date", date(2200, 12, 31), "2200-12-31"),
    ("date", date(1899, 12, 31), "1899-12-31"), ("date", date(2201, 1, 1), "2201-01-01"),
    ("date", None, ""),
    ("optional_date", None, ""), ("optional_date", date(2026, 1, 1), "2026-01-01"),
    ("optional_date", date(1800, 1, 1), "1800-01-01"),
])
def test_guard_refuses_a_typed_value_exactly_when_the_careful_path_errs(kind_of, value, text):
    arrow_type = parse.ARROW_TYPES[kind_of]
    assert guard_refuses(kind_of, value, arrow_type) == careful_error(kind_of, text)


@pytest.mark.parametrize("kind_of", ["id", "text", "status"])
@pytest.mark.parametrize("text", ["", "I-1", "green", "G", "On track", "done", "purple", "x"])
def test_guard_on_text_columns_matches_the_careful_path(kind_of, text):
    assert guard_refuses(kind_of, text, pa.string()) == careful_error(kind_of, text)


def pyarrow_cell(text: str, arrow_type):
    """pyarrow's conversion of one CSV cell, or the string 'refused'."""
    body = b'a\n"' + text.replace('"', '""').encode() + b'"\n'
    sheet = csvread.CsvText(body=body, encoding="utf-8", delimiter=",", headers=["a"], header_line=0)
    read = csvread.typed_sheet(sheet, {0: arrow_type})
    return "refused" if read is None else read.table.column("c0")[0].as_py()


number_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str),
    st.from_regex(r"[ +\-]?\d{0,4}([.,]\d{0,4})?([eE][+\-]?\d{1,3})?%? ?", fullmatch=True),
    st.text(max_size=6))


def both_readings(text: str, kind_of: str):
    """(pyarrow's value, the careful path's value) of a cell pyarrow converts, else None."""
    converted = pyarrow_cell(text, parse.ARROW_TYPES[kind_of])
    if converted in ("refused", None):
        return None
    return converted, careful_value(kind_of, text.strip())


@given(text=number_text)
def test_a_number_pyarrow_converts_is_the_number_the_careful_path_reads(text):
    if (readings := both_readings(text, "percent")) is None:
        return
    converted, expected = readings
    if math.isnan(converted):
        assert expected is None or math.isnan(expected)
    else:
        assert expected == converted or (not math.isfinite(converted) and expected is None)


date_text = st.one_of(st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
                      st.from_regex(r" ?\d{1,5}-\d{1,2}-\d{1,3}[ T]?\d{0,2}", fullmatch=True),
                      st.text(max_size=12))


@given(text=date_text)
def test_a_date_pyarrow_converts_is_the_date_the_careful_path_reads(text):
    if (readings := both_readings(text, "date")) is not None:
        assert readings[0] == readings[1]


@pytest.mark.parametrize("data", [
    b"plain ascii", "Données reçues".encode(), "\u00a0नमस्ते".encode(), b"",
    b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"ok\x80", b"\xe2\x82",
])
def test_arrow_utf8_check_agrees_with_python(data):
    try:
        data.decode("utf-8")
        python = True
    except UnicodeDecodeError:
        python = False
    assert is_utf8(data) is python


@pytest.mark.parametrize("values", [
    ["a", "b c", ""], ["", " a"], ["a ", ""], ["", "", ""], ["x\u00a0"], ["\ttab"], ["é"],
    ["ok", "", "fine"], ["a\nb"], ["trail\n"],
])
@pytest.mark.parametrize("offset", [0, 1])
def test_trim_check_finds_every_value_needing_a_trim(values, offset):
    chunk = pa.array(values) if offset == 0 else pa.array(["pad", *values]).slice(1)
    column = pa.chunked_array([chunk])
    assert _trimmed(column).to_pylist() == [v.strip() for v in values]
    if any(v != v.strip() for v in values):
        assert _needs_trim(chunk)


def test_keys_are_unique_across_chunks_that_bring_new_values():
    ids = pa.chunked_array([pa.array(["a", "b"]), pa.array(["c", "a"]), pa.array(["d"])])
    days = pa.chunked_array([pa.array([date(2026, 1, d) for d in (1, 1)], pa.date32()),
                             pa.array([date(2026, 1, 1), date(2026, 1, 2)], pa.date32()),
                             pa.array([date(2026, 1, 1)], pa.date32())])
    party = pa.chunked_array([pa.array([""] * 5)])
    rows = pa.table({"item_id": ids, "as_of": days, "party": party})
    assert sorted(distinct_keys(rows, "updates").to_pylist()) == ["a", "b", "c", "d"]
    first_day = pa.chunked_array([pa.array([date(2026, 1, 1)] * 5, pa.date32())])
    same_day = pa.table({"item_id": ids, "as_of": first_day, "party": party})
    assert distinct_keys(same_day, "updates") is None
    # the same item and date from two parties is two reports, not a repeat
    two_parties = pa.table({"item_id": ids, "as_of": first_day,
                            "party": pa.chunked_array([pa.array(["India", "", "", "Canada", ""])])})
    assert sorted(distinct_keys(two_parties, "updates").to_pylist()) == ["a", "b", "c", "d"]
    assert distinct_keys(pa.table({"milestone_id": ids}), "milestones") is None
    assert distinct_keys(pa.table({"item_id": pa.chunked_array([pa.array(["a", "b"])])}), "items") \
        is not None


@pytest.mark.parametrize(("values", "fractions", "expected"), [
    ([0.5, 0.25], False, True), ([0.0, 1.0], False, False), ([0.5, 45.0], False, False),
    ([0.5], True, False), ([-0.5, 0.5], False, False),
])
def test_fractions_suspected_like_the_careful_path(values, fractions, expected):
    assert fractions_suspected(pa.chunked_array([pa.array(values)]), fractions) is expected


@pytest.mark.parametrize(("why", "body"), [
    ("a date that is not ISO", b"item_id,as_of\nI-1,31/10/2026\n"),
    ("a ragged row", b"item_id,as_of\nI-1,2026-10-31,x\n"),
    ("a header after blank lines", b"\nitem_id,as_of\nI-1,2026-10-31\n"),
    ("a header with a quoted newline", b'"item\nid",as_of\nI-1,2026-10-31\n'),
])
def test_typed_reading_declines(why, body):
    text = csvread.sniff_csv(body)
    assert csvread.typed_sheet(text, {0: pa.string(), 1: pa.date32()}) is None, why


def test_typed_reading_numbers_rows_like_a_spreadsheet_and_drops_blank_ones():
    body = b'"item_id","as_of"\nI-1,2026-10-31\n\n,\n"I-2","2026-11-30"\n'
    text = csvread.sniff_csv(body)
    sheet = csvread.typed_sheet(text, {0: pa.string(), 1: pa.date32()})
    rows = canonical_text(sheet.table, map_headers("updates", text.headers))
    assert rows.column("row_number").to_pylist() == [2, 5]
    assert rows.column("as_of").to_pylist() == [date(2026, 10, 31), date(2026, 11, 30)]
