"""The pre-filled sheet per owner: the importer's columns, validation, instructions, and a
re-upload of the file unchanged through the real importer changes no figure."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from analytics.cli import main
from analytics.context import plan_view
from analytics.errors import UsageError
from analytics.ingest import ReadOptions, import_upload
from analytics.metrics.items import item_metrics
from analytics.owner_sheet import owner_reports, owner_sheet_csv, owner_sheet_xlsx, sheet_file_name
from analytics.plans import plan_by_id
from analytics.reporting_round import owners_of, reporting_round
from analytics.writes import STATUSES, UPDATE_COLUMNS

AS_OF = date(2026, 11, 24)


@pytest.fixture
def ctx(sample_store):
    return plan_view(sample_store, plan_by_id(sample_store, 1), AS_OF)


def test_every_owner_who_owes_gets_the_importer_columns_with_last_reports(sample_store, ctx):
    owed = reporting_round(sample_store, ctx)
    for owner in owners_of(owed):
        rows, missing = owner_reports(sample_store, ctx, owner)
        assert list(rows.columns) == UPDATE_COLUMNS
        assert rows["as_of"].map(lambda d: d <= AS_OF).all() and rows["party"].ne("").all()
        count = owed.set_index("owner").loc[owner, "items_owed"]
        assert rows["item_id"].nunique() + len(set(missing["item_id"]) - set(rows["item_id"])) == count


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_file_re_uploaded_unchanged_changes_nothing(sample_store, ctx, fmt):
    make = {"xlsx": owner_sheet_xlsx, "csv": owner_sheet_csv}[fmt]
    before_items, before_round = item_metrics(sample_store, ctx), reporting_round(sample_store, ctx)
    for owner in owners_of(before_round):
        data = make(sample_store, ctx, owner)
        first = import_upload(sample_store, data, f"{owner}.{fmt}", "updates",
                              ReadOptions(plan_id=ctx.plan.id), by="tester")
        assert first.outcome == "committed" and first.rows_rejected == 0, first.message
        again = import_upload(sample_store, data, f"{owner}.{fmt}", "updates",
                              ReadOptions(plan_id=ctx.plan.id), by="tester")
        assert again.outcome == "duplicate"
    pd.testing.assert_frame_equal(item_metrics(sample_store, ctx), before_items)
    pd.testing.assert_frame_equal(reporting_round(sample_store, ctx), before_round)


def test_the_workbook_has_validation_and_instructions(sample_store, ctx):
    owner = owners_of(reporting_round(sample_store, ctx))[0]
    book = openpyxl.load_workbook(io.BytesIO(owner_sheet_xlsx(sample_store, ctx, owner)))
    assert book.sheetnames == ["Reports", "Instructions"]
    reports = book["Reports"]
    assert [c.value for c in reports[1]] == UPDATE_COLUMNS
    rules = {str(v.sqref).split(":")[0][0]: v for v in reports.data_validations.dataValidation}
    assert rules["D"].type == "list" and rules["D"].formula1 == '"' + ",".join(STATUSES) + '"'
    assert (rules["C"].type, rules["C"].formula1, rules["C"].formula2) == ("decimal", "0", "100")
    assert isinstance(reports["B2"].value, date)
    text = "\n".join(str(row[0].value or "") for row in book["Instructions"].iter_rows())
    for expected in (owner, "Plan: IC", "October 2026", "Reports due: 2026-11-05",
                     "workplan import updates FILE --plan IC"):
        assert expected in text


def test_an_owed_report_never_made_is_listed_to_add(sample_store, ctx):
    # a new joint item started in October: both parties owe a first report
    sample_store.cursor().execute(
        "INSERT INTO work_items SELECT plan_id, 'NEW-01', domain, 'New item', 'Joint', owner,"
        " DATE '2026-10-01', DATE '2027-10-01', DATE '2027-10-01', 1, NULL, upload_id"
        " FROM work_items WHERE plan_id = 1 AND owner = 'CERT-In' LIMIT 1")
    rows, missing = owner_reports(sample_store, ctx, "cert-in")
    assert sorted(missing.loc[missing["item_id"] == "NEW-01", "party"]) == ["Canada", "India"]
    assert "NEW-01" not in set(rows["item_id"])
    book = openpyxl.load_workbook(io.BytesIO(owner_sheet_xlsx(sample_store, ctx, "CERT-In")))
    cells = [c.value for row in book["Instructions"].iter_rows() for c in row]
    assert "NEW-01" in cells


def test_an_unknown_owner_or_one_who_owes_nothing_is_a_usage_error(sample_store, ctx):
    with pytest.raises(UsageError, match="no owner 'Nobody'"):
        owner_reports(sample_store, ctx, "Nobody")
    idle = reporting_round(sample_store, ctx).query("items_owed == 0")["owner"].iloc[0]
    with pytest.raises(UsageError, match="owes no report for October 2026"):
        owner_sheet_xlsx(sample_store, ctx, idle)


def test_file_names_say_owner_plan_and_date(ctx):
    assert sheet_file_name(ctx, "CERT-In", "xlsx") == "report-sheet-cert-in_ic_2026-11-24_sample-data.xlsx"


def test_cli_round_and_sheet(sample_db, tmp_path, capsys):
    assert main(["--db", str(sample_db), "round", "--as-of", "2026-11-24", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "owner,party,items_owed,items_reported,last_report,due_date,state,days_overdue"
    assert lines[1].endswith(",2026-11-05,overdue,19")
    assert main(["--db", str(sample_db), "round", "--party", "India"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("Reporting round of IC, October 2026 (due 2026-11-05), as of 2026-11-24")
    assert "Canada " not in table
    out = tmp_path / "cert.xlsx"
    assert main(["--db", str(sample_db), "sheet", "--owner", "CERT-In", "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames == ["Reports", "Instructions"]
    csv_out = tmp_path / "cert.csv"
    assert main(["--db", str(sample_db), "sheet", "--owner", "CERT-In", "--out", str(csv_out),
                 "--as-of", "2026-11-24"]) == 0
    assert csv_out.read_bytes().decode("utf-8-sig").startswith(",".join(UPDATE_COLUMNS))
    capsys.readouterr()
    assert main(["--db", str(sample_db), "sheet", "--owner", "Nobody", "--out", str(out)]) == 2
    assert main(["--db", str(sample_db), "sheet", "--owner", "CERT-In", "--out", "x.txt"]) == 2
    err = capsys.readouterr().err
    assert "has no owner 'Nobody'" in err and "must end in .xlsx or .csv" in err
    assert "Traceback" not in err
