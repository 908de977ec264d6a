"""`workplan metrics` end to end: formats, groupings, as-of default, empty database, errors."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

import pytest

from analytics.cli import main
from analytics.context import ViewContext
from analytics.metrics import GROUP_COLUMNS, group_metrics
from analytics.store import open_store


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("by", ["domain", "party", "owner", "item", "overall"])
def test_csv_has_the_issue_columns_and_unrounded_engine_numbers(sample_db, capsys, by):
    code, out, _ = run_cli(capsys, "--db", str(sample_db), "metrics", "--by", by,
                           "--format", "csv", "--as-of", "2026-09-30")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == GROUP_COLUMNS + ["reason"]    # the issue's columns, in order, then reason
    with open_store(sample_db) as store:
        frame = group_metrics(store, ViewContext(as_of=date(2026, 9, 30)), by)
    assert len(rows) - 1 == len(frame)
    for line, expected in zip(rows[1:], frame.itertuples(index=False), strict=True):
        got = dict(zip(GROUP_COLUMNS + ["reason"], line, strict=True))
        assert got["group"] == expected.group
        assert (got["health"], got["reason"]) == (expected.health, expected.reason)
        assert got["reason"].startswith(f"{expected.health}: ")
        for column in ("actual_pct", "planned_pct", "variance_pp", "spi_t", "sv_t_days"):
            value = getattr(expected, column)
            assert got[column] == ("" if value is None else repr(value))   # round-trips exactly
        for column in ("forecast_finish", "planned_finish"):
            value = getattr(expected, column)
            assert got[column] == ("" if value is None else value.isoformat())
        assert int(got["items"]) == expected.items


def test_default_as_of_is_data_current_to_and_default_by_is_domain(sample_db, capsys):
    _, default, _ = run_cli(capsys, "--db", str(sample_db), "metrics", "--format", "csv")
    _, explicit, _ = run_cli(capsys, "--db", str(sample_db), "metrics", "--format", "csv",
                             "--by", "domain", "--as-of", "2026-11-24")
    assert default == explicit
    assert default.splitlines()[1].startswith("Liaison officers,")


def test_json_uses_null_for_undefined(sample_db, capsys):
    code, out, _ = run_cli(capsys, "--db", str(sample_db), "metrics", "--by", "overall",
                           "--format", "json", "--as-of", "2026-01-01")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1
    row = rows[0]
    assert row["group"] == "Overall" and row["health"] == "not_started"
    assert row["spi_t"] is None and row["forecast_finish"] is None
    assert row["planned_finish"] == "2028-01-25" and isinstance(row["items"], int)
    assert list(row)[:len(GROUP_COLUMNS)] == GROUP_COLUMNS


def test_table_is_aligned_and_rounded(sample_db, capsys):
    code, out, _ = run_cli(capsys, "--db", str(sample_db), "metrics")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("Work plan metrics by domain, IC · as of 2026-11-24")
    assert lines[1].split()[:3] == ["group", "items", "actual"]
    assert len({len(line) for line in lines[1:9]}) <= 2 and lines[9:11] == ["", "Why:"]
    assert lines[11].startswith("  Liaison officers: ") and len(lines) == 11 + 7
    with open_store(sample_db) as store:
        first = group_metrics(store, ViewContext(as_of=date(2026, 11, 24)), "domain").iloc[0]
    cells = lines[2].split()
    assert f"{first['actual_pct']:.1f}" in cells
    assert all(len(cell.split(".")[-1]) <= 2 for cell in cells if cell.replace(".", "").isdigit())


def test_empty_database_is_one_line_and_exit_1(db_path, capsys):
    open_store(db_path).close()
    code, out, err = run_cli(capsys, "--db", str(db_path), "metrics")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "workplan demo" in err


@pytest.mark.parametrize("argv", [["--by", "country"], ["--as-of", "31/12/2026"],
                                  ["--format", "xml"]])
def test_bad_arguments_exit_2_without_traceback(sample_db, capsys, argv):
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(sample_db), "metrics", *argv])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_csv_values_parse_back_to_numbers(sample_db, capsys):
    _, out, _ = run_cli(capsys, "--db", str(sample_db), "metrics", "--format", "csv", "--by", "party")
    for row in list(csv.DictReader(io.StringIO(out))):
        assert 0 <= float(row["actual_pct"]) <= 100
        assert not math.isnan(float(row["spi_t"]))
        assert row["health"] in {"green", "amber", "red", "complete", "not_started"}


def test_worked_example_of_metrics_md(db_path, capsys):
    from tests.metrics_reference import build_plan

    with open_store(db_path) as store:
        build_plan(store, [
            {"item_id": "A", "start_date": date(2026, 1, 1), "due_date": date(2026, 1, 11)},
            {"item_id": "B", "start_date": date(2026, 1, 11), "due_date": date(2026, 1, 31)},
        ], [[{"item_id": "A", "as_of": date(2026, 1, 10), "percent_complete": 100.0},
             {"item_id": "B", "as_of": date(2026, 1, 15), "percent_complete": 20.0},
             {"item_id": "B", "as_of": date(2026, 1, 25), "percent_complete": 90.0}]])
    code, out, _ = run_cli(capsys, "--db", str(db_path), "metrics", "--by", "overall",
                           "--as-of", "2026-01-21", "--format", "csv")
    from analytics.metrics import metric_definitions_markdown

    assert code == 0 and out in metric_definitions_markdown()
    assert out.splitlines()[1] == ("Overall,2,2.0,60.0,75.0,-15.0,0.7,-6.0,2026-02-13,2026-01-31,"
                                   "red,0,0,1,1,0,0,0,0,0,0,0,\"red: schedule efficiency 0.70 "
                                   "(forecast 2026-02-13, 13 days late); red items carry 50% of "
                                   "the weight (B)\"")
