"""`workplan plan add|list|remove` and `--plan` on other commands, on a store of several plans."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from analytics.cli import main
from analytics.plans import PLAN_TABLES
from analytics.sample import load_demo
from analytics.store import open_store

ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "T-1,Tariffs,Agree a tariff schedule,India,Commerce,2026-01-05,2026-09-30\n")
CSV_COLUMNS = ["code", "title", "parties", "start_date", "end_date", "items", "data_current_to",
               "sample"]


def run(capsys, db, *argv) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `workplan --db DB ARGV...` (argparse exits on a bad flag)."""
    try:
        code = main(["--db", str(db), *argv])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with open_store(path) as store:
        load_demo(store)
        store.cursor().execute("CHECKPOINT")
    return path


@pytest.fixture
def demo_db(demo_db_file, tmp_path):
    """A private copy of a store holding the two sample plans, IC and CE."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, path)
    return path


@pytest.fixture
def items_file(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(ITEMS)
    return path


def rows_per_table(db, code: str) -> dict[str, int]:
    with open_store(db) as store:
        cur = store.cursor()
        return {table: cur.execute(f"SELECT count(*) FROM {table} JOIN plans p ON p.id = plan_id"
                                   " WHERE p.code = ?", [code]).fetchall()[0][0]
                for table in PLAN_TABLES}


def audit_lines(db, action: str) -> list[str]:
    with open_store(db) as store:
        return [row[0] for row in store.cursor().execute(
            "SELECT detail FROM audit_log WHERE action = ? ORDER BY id", [action]).fetchall()]


def test_add_list_and_remove_an_empty_plan(capsys, db_path):
    assert run(capsys, db_path, "init")[0] == 0
    code, out, _ = run(capsys, db_path, "plan", "add", "TR", "--title", "Trade work plan",
                       "--parties", "India, Canada", "--start", "2026-03-01",
                       "--end", "2027-02-28", "--by", "alice")
    assert (code, out) == (0, "added plan TR (Trade work plan), parties India, Canada\n")
    code, out, _ = run(capsys, db_path, "plan", "list")
    assert (code, out) == (0, "TR  Trade work plan [India, Canada]: 0 items, no reports yet\n")
    code, out, _ = run(capsys, db_path, "plan", "list", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(out))) == [dict(zip(CSV_COLUMNS, [
        "TR", "Trade work plan", "India,Canada", "2026-03-01", "2027-02-28", "0", "", "false"],
        strict=True))]
    code, out, _ = run(capsys, db_path, "plan", "remove", "tr", "--by", "bob")
    assert (code, out) == (0, "removed plan TR (Trade work plan); it held no data\n")
    assert run(capsys, db_path, "plan", "list")[1].startswith("no plans yet")
    assert audit_lines(db_path, "plan add") == ["TR: Trade work plan"]
    assert audit_lines(db_path, "plan remove") == ["TR: Trade work plan"]


@pytest.mark.parametrize("argv, words", [
    (["plan", "add", "IC", "--title", "Again"], "already a plan 'IC'"),
    (["plan", "add", "no spaces", "--title", "T"], "is not a plan code"),
    (["plan", "add", "XY", "--title", " "], "needs a title"),
    (["plan", "add", "XY", "--title", "T", "--start", "2026-05-01", "--end", "2026-04-01"],
     "ends (2026-04-01) before it starts"),
    (["plan", "add", "XY", "--title", "T", "--start", "01/05/2026"], "not a date"),
    (["plan", "add", "XY"], "--title"),
    (["plan", "remove", "NOPE"], "There is no plan 'NOPE'; the plans are CE ("),
    (["plan", "remove", "IC", "--plan", "CE"], "names its plan as CODE"),
    (["plan", "list", "--plan", "NOPE"], "There is no plan 'NOPE'"),
])
def test_mistakes_are_one_line_and_exit_2(capsys, demo_db, argv, words):
    code, out, err = run(capsys, demo_db, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


def test_list_shows_every_plan_with_its_items_and_data_date(capsys, demo_db):
    code, out, _ = run(capsys, demo_db, "plan", "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["CE", "IC"]
    assert lines[1] == ("IC  India-Canada shared work plan on security and law-enforcement "
                        "cooperation [India, Canada]: 56 items, data current to 2026-11-24, "
                        "sample data")
    _, out, _ = run(capsys, demo_db, "plan", "list", "--format", "csv")
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(out))}
    assert list(rows["CE"]) == CSV_COLUMNS
    assert rows["CE"]["parties"] == "Canada,EU" and rows["CE"]["sample"] == "true"
    assert (rows["IC"]["items"], rows["IC"]["data_current_to"]) == ("56", "2026-11-24")
    _, out, _ = run(capsys, demo_db, "plan", "list", "--plan", "ic")
    assert out.splitlines() == lines[1:]


def test_remove_is_refused_while_the_plan_holds_data_and_force_removes_only_it(capsys, demo_db):
    before = {code: rows_per_table(demo_db, code) for code in ("IC", "CE")}
    with open_store(demo_db) as store:
        ic_id = store.scalar("SELECT id FROM plans WHERE code = 'IC'")
    _, ce_figures, _ = run(capsys, demo_db, "metrics", "--plan", "CE", "--by", "item",
                           "--format", "csv")
    code, out, err = run(capsys, demo_db, "plan", "remove", "IC")
    assert code == 2 and out == ""
    assert "holds data" in err and "--force" in err and "nothing was removed" in err
    assert rows_per_table(demo_db, "IC") == before["IC"]

    code, out, _ = run(capsys, demo_db, "plan", "remove", "IC", "--force", "--by", "carol")
    assert code == 0
    assert out.startswith("removed plan IC (India-Canada") and "56 work_items" in out
    with open_store(demo_db) as store:
        cur = store.cursor()
        assert [row[0] for row in cur.execute("SELECT code FROM plans").fetchall()] == ["CE"]
        for table in PLAN_TABLES:       # nothing left that belonged to IC
            assert cur.execute(f"SELECT count(*) FROM {table} WHERE plan_id = ?", [ic_id]
                               ).fetchall()[0][0] == 0, table
        audit = cur.execute("SELECT username, detail FROM audit_log WHERE action = 'plan remove'"
                            ).fetchall()
    assert len(audit) == 1 and audit[0][0] == "carol" and audit[0][1].startswith("IC: ")
    assert rows_per_table(demo_db, "CE") == before["CE"]
    _, after, _ = run(capsys, demo_db, "metrics", "--by", "item", "--format", "csv")
    assert after == ce_figures          # CE is now the only plan: no --plan needed


def test_plan_flag_on_add_and_remove_may_repeat_code_and_env_is_ignored(capsys, demo_db,
                                                                        monkeypatch):
    monkeypatch.setenv("WORKPLAN_PLAN", "CE")
    assert run(capsys, demo_db, "plan", "add", "XY", "--title", "T", "--plan", "xy")[0] == 0
    code, out, _ = run(capsys, demo_db, "plan", "remove", "XY")
    assert (code, out) == (0, "removed plan XY (T); it held no data\n")
    assert run(capsys, demo_db, "plan", "list", "--format", "csv")[1].count("\n") == 3


@pytest.mark.parametrize("argv", [["metrics"], ["uploads"], ["parties"],
                                  ["import", "items", "ITEMS"]])
def test_several_plans_and_no_plan_named_exit_2_listing_them(capsys, demo_db, items_file, argv):
    argv = [str(items_file) if arg == "ITEMS" else arg for arg in argv]
    code, out, err = run(capsys, demo_db, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "2 plans" in err and "--plan CODE" in err
    assert "CE (Canada-EU clean energy" in err and "IC (India-Canada shared" in err


def test_plan_flag_and_env_pick_the_plan_for_metrics_uploads_and_import(capsys, demo_db,
                                                                        items_file, monkeypatch):
    def overall(*extra):
        code, out, _ = run(capsys, demo_db, "metrics", "--by", "overall", "--format", "csv",
                           *extra)
        assert code == 0
        return next(csv.DictReader(io.StringIO(out)))

    assert overall("--plan", "IC")["health"] == "amber"
    assert overall("--plan", "ce")["health"] == "green"
    monkeypatch.setenv("WORKPLAN_PLAN", "CE")
    assert overall() == overall("--plan", "CE")
    assert overall("--plan", "IC")["health"] == "amber"       # the flag wins over the variable

    _, out, _ = run(capsys, demo_db, "uploads")
    assert "eu-status-2026-10.csv" in out and "india-status" not in out
    _, out, _ = run(capsys, demo_db, "uploads", "--plan", "IC")
    assert "india-status-2026-11.csv" in out and "eu-status" not in out

    ic_before = rows_per_table(demo_db, "IC")
    assert run(capsys, demo_db, "plan", "add", "TR", "--title", "Trade")[0] == 0
    code, out, _ = run(capsys, demo_db, "import", "items", str(items_file), "--plan", "TR")
    assert code == 0 and out.startswith("TR: Imported 1 items row(s)")
    assert rows_per_table(demo_db, "TR")["work_items"] == 1
    assert rows_per_table(demo_db, "CE")["work_items"] == 21
    assert rows_per_table(demo_db, "IC") == ic_before
    _, out, _ = run(capsys, demo_db, "uploads", "--plan", "TR")
    assert "items.csv" in out and "eu-status" not in out


@pytest.mark.parametrize("flags, plan", [([], "main"), (["--plan", "XY"], "XY")])
def test_a_new_store_gets_its_plan_at_the_first_import(capsys, db_path, items_file, flags, plan):
    code, out, _ = run(capsys, db_path, "init")
    assert code == 0 and "no plan yet" in out
    code, out, _ = run(capsys, db_path, "import", "items", str(items_file), *flags)
    assert code == 0 and out.startswith(f"{plan}: Imported 1 items row(s)")
    code, out, _ = run(capsys, db_path, "plan", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["code"], row["items"], row["sample"]) for row in rows] == [(plan, "1", "false")]
    assert audit_lines(db_path, "plan add") == [f"{plan}: Work plan"]
    assert run(capsys, db_path, "metrics", "--format", "csv")[0] == 0   # the only plan


def test_a_removed_plans_grants_go_with_it(capsys, db_path):
    run(capsys, db_path, "plan", "add", "XY", "--title", "X")
    assert run(capsys, db_path, "user", "add", "alice@example.org", "--role", "viewer",
               "--no-password")[0] == 0
    assert run(capsys, db_path, "user", "grant", "alice@example.org", "--role", "admin",
               "--plan", "XY")[0] == 0
    code, out, _ = run(capsys, db_path, "plan", "remove", "XY")      # grants are not data
    assert (code, out) == (0, "removed plan XY (X); it held no data; 1 grant on it\n")
    run(capsys, db_path, "plan", "add", "ZZ", "--title", "New")     # may get XY's id
    _, out, _ = run(capsys, db_path, "user", "list")
    assert "all plans: viewer" in out and "ZZ" not in out
