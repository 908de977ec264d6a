"""The portfolio of several plans: each row is the plan's own overall row, worst first, as of
each plan's data-current-to date (or one date for all); `workplan metrics --by plan` and
`workplan export portfolio` end to end."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics.cli import main
from analytics.context import plan_view
from analytics.formatting import column_label
from analytics.metrics import GROUP_COLUMNS, group_metrics, kpis, portfolio_metrics
from analytics.metrics.portfolio import PORTFOLIO_COLUMNS, worst_plans_first
from analytics.plans import add_plan, list_plans, plan_by_code, plan_current_to
from analytics.settings import Settings
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload

WORKED_AS_OF = date(2026, 1, 21)     # the worked example of METRICS.md: red on this date


def add_worked_plan(store, code: str = "WX") -> None:
    """METRICS.md's worked example as its own plan, reported up to 2026-01-15 (on plan then)."""
    plan = add_plan(store, code, title="Worked example", by="test")
    items = pd.DataFrame([
        {"item_id": item, "domain": "D1", "title": f"Item {item}", "lead_party": "India",
         "owner": "Owner A", "start_date": start, "due_date": due, "weight": 1.0,
         "description": None}
        for item, start, due in (("A", date(2026, 1, 1), date(2026, 1, 11)),
                                 ("B", date(2026, 1, 11), date(2026, 1, 31)))])
    commit_upload(store, items, UploadMeta("items", "items.csv", "test", plan_id=plan.id))
    updates = pd.DataFrame([
        {"item_id": item, "as_of": as_of, "percent_complete": pct, "status": "green",
         "note": None, "reported_by": "r", "party": "India"}
        for item, as_of, pct in (("A", date(2026, 1, 10), 100.0), ("B", date(2026, 1, 15), 20.0))])
    commit_upload(store, updates, UploadMeta("updates", "updates.csv", "test", plan_id=plan.id))


@pytest.fixture
def plans_db(sample_db):
    """The sample plan (IC, amber), the worked example (WX, green as of its 2026-01-15) and a
    plan without items (ZZ)."""
    with open_store(sample_db) as store:
        add_worked_plan(store)
        add_plan(store, "ZZ", title="Nothing yet", by="test")
    return sample_db


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_each_row_is_the_plans_own_overall_row_as_of_its_data_current_to(plans_db):
    with open_store(plans_db) as store:
        plans = list_plans(store)
        frame = portfolio_metrics(store, plans, Settings())
        assert list(frame.columns) == PORTFOLIO_COLUMNS
        assert sorted(frame["group"]) == [p.code for p in plans]
        for plan in plans:
            row = frame[frame["group"] == plan.code].iloc[0]
            ctx = plan_view(store, plan, settings=Settings())
            own = group_metrics(store, ctx, "overall")
            headline = kpis(store, ctx)
            assert row["as_of"] == ctx.as_of
            assert row["data_current_to"] == plan_current_to(store, plan.id)
            assert row["title"] == plan.title and bool(row["sample"]) == plan.sample
            assert row["reporting_compliance"] == headline["reporting_compliance"]
            if own.empty:                          # ZZ: no items
                assert row["items"] == 0 and row["health"] is None
                assert row["reason"] == "no work items yet"
                continue
            expected = own.iloc[0].to_dict()
            for column in GROUP_COLUMNS[1:] + ["reason", "planned_start"]:
                assert row[column] == expected[column], column
            assert row["forecast_slip_days"] == (expected["forecast_finish"]
                                                 - expected["planned_finish"]).days


def test_worst_first_each_as_of_its_own_date_or_one_date_for_all(plans_db):
    with open_store(plans_db) as store:
        plans = list_plans(store)
        own_dates = portfolio_metrics(store, plans, Settings())
        one_date = portfolio_metrics(store, plans, Settings(), as_of=WORKED_AS_OF)
    assert list(own_dates["group"]) == ["IC", "WX", "ZZ"]
    assert list(own_dates["health"]) == ["amber", "green", None]
    assert list(own_dates["as_of"])[:2] == [date(2026, 11, 24), date(2026, 1, 15)]
    assert list(one_date["group"]) == ["WX", "IC", "ZZ"]
    assert list(one_date["health"]) == ["red", "not_started", None]
    assert set(one_date["as_of"]) == {WORKED_AS_OF}
    assert one_date.iloc[0]["reason"] == (
        "red: schedule efficiency 0.70 (forecast 2026-02-13, 13 days late); red items carry 50% "
        "of the weight (B)")
    assert one_date.iloc[0]["forecast_slip_days"] == 13


def test_worst_first_orders_health_then_lowest_schedule_efficiency():
    rows = [("G", "green", 1.0, 0.0), ("A2", "amber", 0.93, -2.0), ("R", "red", 0.9, -30.0),
            ("A1", "amber", 0.85, -1.0), ("N", None, None, None), ("C", "complete", None, 0.0),
            ("S", "not_started", None, None), ("A3", "amber", None, -12.0)]
    frame = pd.DataFrame(rows, columns=["group", "health", "spi_t", "variance_pp"])
    assert list(worst_plans_first(frame)["group"]) == ["R", "A1", "A2", "A3", "G", "C", "S", "N"]


def test_no_plan_gives_an_empty_frame(fresh_store):
    frame = portfolio_metrics(fresh_store, [], Settings())
    assert frame.empty and list(frame.columns) == PORTFOLIO_COLUMNS


def test_metrics_by_plan_has_the_columns_of_every_grouping_one_row_per_plan(plans_db, capsys):
    code, by_plan, _ = cli(capsys, "--db", str(plans_db), "metrics", "--by", "plan",
                           "--format", "csv")
    _, by_domain, _ = cli(capsys, "--db", str(plans_db), "metrics", "--by", "domain",
                          "--plan", "IC", "--format", "csv")
    rows = list(csv.reader(io.StringIO(by_plan)))
    assert code == 0 and rows[0] == next(csv.reader(io.StringIO(by_domain)))
    assert rows[0] == GROUP_COLUMNS + ["reason"]
    assert [row[0] for row in rows[1:]] == ["IC", "WX", "ZZ"]
    for plan_row in rows[1:3]:
        _, overall, _ = cli(capsys, "--db", str(plans_db), "metrics", "--by", "overall",
                            "--plan", plan_row[0], "--format", "csv")
        assert plan_row[1:] == list(csv.reader(io.StringIO(overall)))[1][1:]


def test_metrics_by_plan_as_json_and_table(plans_db, capsys):
    _, out, _ = cli(capsys, "--db", str(plans_db), "metrics", "--by", "plan", "--format", "json",
                    "--as-of", "2026-01-21")
    rows = json.loads(out)
    assert [row["group"] for row in rows] == ["WX", "IC", "ZZ"]
    assert list(rows[0]) == GROUP_COLUMNS + ["planned_start", "reason"]
    assert rows[2]["health"] is None and rows[2]["items"] == 0
    code, table, _ = cli(capsys, "--db", str(plans_db), "metrics", "--by", "plan")
    lines = table.splitlines()
    assert code == 0 and lines[0].startswith("Work plan metrics by plan, each as of its data "
                                             "current to (data current to: IC 2026-11-24")
    assert lines[1].split()[:2] == ["group", "items"] and lines[2].startswith("IC ")
    assert "  ZZ: no work items yet" in lines


def test_metrics_by_plan_refuses_plan_flag(plans_db, capsys):
    code, out, err = cli(capsys, "--db", str(plans_db), "metrics", "--by", "plan", "--plan", "IC")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--by plan" in err and "--by overall --plan IC" in err


def audit_rows(db) -> list[tuple[str, str, int | None]]:
    with open_store(db) as store:
        return store.cursor().execute("SELECT username, detail, plan_id FROM audit_log"
                                      " WHERE action = 'export' ORDER BY id").fetchall()


def test_export_portfolio_in_every_format_audited(plans_db, tmp_path, capsys):
    for fmt in ("csv", "xlsx", "pdf", "pptx"):
        out = tmp_path / f"portfolio.{fmt}"
        assert cli(capsys, "--db", str(plans_db), "export", "portfolio", "--format", fmt,
                   "--out", str(out), "--by", "analyst")[0] == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "portfolio.csv").read_bytes()
                                       .decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["plan", "title", "health", "reason"]
    assert [row[0] for row in rows[1:]] == ["IC", "WX", "ZZ"]
    sheet = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")["Portfolio"]
    assert [str(cell.value) for cell in sheet[1]] == [column_label(c) for c in rows[0]]
    pdf = PdfReader(tmp_path / "portfolio.pdf")
    assert len(pdf.pages) == 1
    assert {"IC", "WX", "ZZ", "Amber", "Green"} <= set(pdf.pages[0].extract_text().split())
    assert len(Presentation(str(tmp_path / "portfolio.pptx")).slides) == 1
    details = audit_rows(plans_db)
    assert [(user, plan) for user, _, plan in details] == [("analyst", None)] * 4
    assert details[2][1].startswith("portfolio pdf (3 plans · each as of its data current to")
    assert details[2][1].endswith(": IC, WX, ZZ) -> portfolio.pdf")


def test_export_portfolio_as_of_one_date(plans_db, tmp_path, capsys):
    out = tmp_path / "p.pdf"
    code, printed, _ = cli(capsys, "--db", str(plans_db), "export", "portfolio", "--format",
                           "pdf", "--out", str(out), "--as-of", "2026-01-21")
    assert code == 0 and "as of 2026-01-21" in printed
    text = PdfReader(out).pages[0].extract_text()
    assert "Portfolio as of 21 Jan 2026" in text


def test_export_list_names_the_portfolio(capsys):
    assert main(["export", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "portfolio"


@pytest.mark.parametrize("args", [
    ["export", "portfolio", "--format", "png", "--out", "{tmp}/x.png"],
    ["export", "portfolio", "--format", "pdf", "--out", "{tmp}/x.pdf", "--plan", "IC"],
    ["export", "portfolio", "--format", "pdf", "--out", "{tmp}/x.pdf", "--domain", "Fraud"],
    ["export", "portfolio", "items", "--format", "csv", "--out", "{tmp}/x.csv"],
    ["export", "portfolio", "--format", "csv"],
    ["export", "portfolio", "--format", "csv", "--out", "{tmp}/no/such/dir/x.csv"],
    ["metrics", "--by", "plan", "--plan", "WX"],
])
def test_portfolio_mistakes_give_one_line_and_exit_2(plans_db, tmp_path, args):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run([sys.executable, "-m", "analytics", "--db", str(plans_db), *argv],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("x.*"))


def test_export_portfolio_of_a_store_without_plans_is_refused(db_path, tmp_path, capsys):
    open_store(db_path).close()
    code, _, err = cli(capsys, "--db", str(db_path), "export", "portfolio", "--format", "csv",
                       "--out", str(tmp_path / "p.csv"))
    assert code == 2 and "holds no plan yet" in err and not (tmp_path / "p.csv").exists()


def test_plans_by_code_are_the_rows(plans_db):
    with open_store(plans_db) as store:
        frame = portfolio_metrics(store, [plan_by_code(store, "WX")], Settings())
    assert list(frame["group"]) == ["WX"] and frame.iloc[0]["health"] == "green"
