"""Cell parsing: percent forms and fractions, date forms and day/month order, status synonyms."""

from datetime import date

import pytest

from analytics.ingest import ReadOptions, read_upload
from analytics.ingest.parse import ACCEPTED_STATUS_TEXT


def updates(rows: list[str], sep: str = ",", **options):
    header = sep.join(["item_id", "as_of", "percent_complete", "status"])
    text = "\n".join([header, *rows]) + "\n"
    return read_upload(text.encode(), "u.csv", "updates", ReadOptions(**options))


def one(value_row: str, sep: str = ",", **options):
    p = updates([value_row], sep, **options)
    return p, p.table.to_pylist()[0]


@pytest.mark.parametrize("cell, expected", [
    ("45", 45.0), ("45%", 45.0), ("45.5", 45.5), ("45,5", 45.5), (" 45 % ", 45.0),
    ("0", 0.0), ("100", 100.0), ("100%", 100.0), (".5", 0.5),
])
def test_percent_forms(cell, expected):
    p, row = one(f"A;2026-10-31;{cell};green", sep=";")
    assert p.ok, p.error_lines()
    assert row["percent_complete"] == expected


@pytest.mark.parametrize("cell, message", [
    ("150", "'150' is outside 0-100"), ("-1", "'-1' is outside 0-100"),
    ("abc", "'abc' is not a percentage"), ("nan", "'nan' is not a percentage"),
    ("", "percent_complete is empty"),
])
def test_percent_errors_name_row_column_and_expectation(cell, message):
    p = updates([f"A,2026-10-31,{cell},green"])
    assert len(p.error_lines()) == 1
    line = p.error_lines()[0]
    assert line.startswith("row 2, column percent_complete: ") and message in line
    assert "0 to 100" in line


def test_all_values_within_0_1_are_flagged_as_possible_fractions():
    p = updates(["A,2026-10-31,0.45,green", "B,2026-10-31,1,green"])
    assert p.ok and p.fractions_suspected
    assert any("fractions" in w for w in p.warnings)


def test_fractions_option_multiplies_by_100_except_explicit_percents():
    p = updates(["A,2026-10-31,0.455,green", "B,2026-10-31,30%,green"], fractions=True)
    assert [r["percent_complete"] for r in p.table.to_pylist()] == [45.5, 30.0]
    assert not p.fractions_suspected


def test_ordinary_percents_are_not_flagged():
    assert not updates(["A,2026-10-31,45,green", "B,2026-10-31,0.5,green"]).fractions_suspected


@pytest.mark.parametrize("cell", [
    "2026-10-31", "2026/10/31", "2026-10-31 00:00:00", "2026-10-31T00:00:00", "31/10/2026",
    "31.10.2026", "31-10-2026", "31/10/26", "31 Oct 2026", "31 October 2026", "31-Oct-2026",
    "31-Oct-26", "Oct 31, 2026", "October 31, 2026", "31 oct 2026",
])
def test_date_forms(cell):
    p, row = one(f'A,"{cell}",45,green')
    assert p.ok, p.error_lines()
    assert row["as_of"] == date(2026, 10, 31)


def test_unambiguous_month_first_column_is_detected():
    p = updates(["A,10/31/2026,45,green", "B,03/04/2026,45,green"])
    assert p.ok
    assert [r["as_of"] for r in p.table.to_pylist()] == [date(2026, 10, 31), date(2026, 3, 4)]


def test_all_ambiguous_dates_default_to_day_first_with_a_warning():
    p = updates(["A,03/04/2026,45,green", "B,05/06/2026,45,green"])
    assert [r["as_of"] for r in p.table.to_pylist()] == [date(2026, 4, 3), date(2026, 6, 5)]
    assert any("ambiguous" in w and "day-first" in w for w in p.warnings)


def test_month_first_setting_decides_ambiguous_dates():
    p = updates(["A,03/04/2026,45,green"], date_order="month-first")
    assert p.table.to_pylist()[0]["as_of"] == date(2026, 3, 4)
    assert not any("ambiguous" in w for w in p.warnings)


def test_explicit_day_first_refuses_a_month_first_date():
    p = updates(["A,10/31/2026,45,green"], date_order="day-first")
    assert p.error_lines() == ["row 2, column as_of: '10/31/2026' is not a valid day-first "
                               "(dd/mm/yyyy) date"]


@pytest.mark.parametrize("cell, fragment", [
    ("31/02/2026", "not a valid day-first"), ("2026-13-01", "is not a date"),
    ("next week", "is not a date"), ("", "as_of is empty"), ("01/01/1800", "outside the years"),
])
def test_bad_dates_are_errors(cell, fragment):
    p = updates([f"A,{cell},45,green"])
    assert any(line.startswith("row 2, column as_of: ") and fragment in line for line in p.error_lines())


@pytest.mark.parametrize("cell, status", [
    ("G", "green"), ("green", "green"), ("On track", "green"), ("ON-TRACK", "green"),
    ("A", "amber"), ("Amber", "amber"), ("At risk", "amber"),
    ("R", "red"), ("RED", "red"), ("Off track", "red"),
    ("Complete", "complete"), ("Completed", "complete"), ("Done", "complete"), ("Blue", "complete"),
    ("Not started", "not_started"), ("not_started", "not_started"), ("NOT  STARTED", "not_started"),
])
def test_status_synonyms(cell, status):
    p, row = one(f"A,2026-10-31,45,{cell}")
    assert p.ok and row["status"] == status


def test_unknown_status_lists_the_accepted_words():
    p = updates(["A,2026-10-31,45,Purple"])
    assert p.error_lines() == [f"row 2, column status: 'Purple' is not a status; expected one of: "
                               f"{ACCEPTED_STATUS_TEXT}"]
    for word in ("G", "Amber", "Off track", "Done", "Blue", "Not started"):
        assert word in ACCEPTED_STATUS_TEXT


def test_same_key_with_different_values_is_an_error_on_the_later_row():
    p = updates(["A,2026-10-31,45,green", "A,31/10/2026,50,green"])
    assert p.error_lines() == ["row 3, column item_id: the same item_id, as_of and party as row 2 but "
                               "different values; keep one of the two rows"]


def test_items_due_before_start_is_an_error():
    text = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
            "I-1,Fraud,T,India,MHA,2026-05-01,2026-04-01\n")
    p = read_upload(text.encode(), "i.csv", "items")
    assert p.error_lines() == ["row 2, column due_date: due date 2026-04-01 is before start date 2026-05-01"]


def test_item_weight_defaults_to_1_and_bad_weight_is_an_error():
    text = ("item_id,domain,title,lead_party,owner,start_date,due_date,weight\n"
            "I-1,Fraud,T,India,MHA,2026-01-01,2026-04-01,\n"
            "I-2,Fraud,T,India,MHA,2026-01-01,2026-04-01,heavy\n")
    p = read_upload(text.encode(), "i.csv", "items")
    assert p.table.to_pylist()[0]["weight"] == 1.0
    assert [line.split(":")[0] for line in p.error_lines()] == ["row 3, column weight"]
