"""`workplan demo`: two sample plans of different shapes, IC unchanged, both deterministic."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.plans import PLAN_TABLES, list_plans
from analytics.sample import INDIA_CANADA, SAMPLE_SPECS, sample_plan
from analytics.sample_energy import CANADA_EU
from analytics.store import open_store

V4 = Path(__file__).resolve().parent.parent / "data" / "v4"
ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "T-1,Tariffs,Agree a tariff schedule,India,Commerce,2026-01-05,2026-09-30\n")


def run(capsys, db, *argv) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture
def demo_db(demo_db_file, tmp_path):
    """A private copy of the store `workplan demo` builds."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, path)
    return path


def plan_tables(db) -> dict[str, list[tuple]]:
    """Every row of every plan table, with the plan's code, in a stable order."""
    with open_store(db) as store:
        cur = store.cursor()
        return {table: cur.execute(f"SELECT p.code, t.* FROM {table} t JOIN plans p"
                                   " ON p.id = t.plan_id ORDER BY ALL").fetchall()
                for table in PLAN_TABLES}


def overall_health(capsys, db, code: str) -> str:
    _, out, _ = run(capsys, db, "metrics", "--plan", code, "--by", "overall", "--format", "csv")
    return next(csv.DictReader(io.StringIO(out)))["health"]


def test_demo_loads_two_sample_plans_one_line_each(capsys, db_path):
    code, out, _ = run(capsys, db_path, "demo")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert "sample plan IC (56 items" in lines[0] and "data current to 2026-11-24" in lines[0]
    assert "sample plan CE (21 items" in lines[1] and "data current to 2026-10-16" in lines[1]
    with open_store(db_path) as store:
        plans = {plan.code: plan for plan in list_plans(store)}
    assert set(plans) == {"IC", "CE"} and all(plan.sample for plan in plans.values())
    assert plans["CE"].parties == ("Canada", "EU")
    assert plans["CE"].title == "Canada-EU clean energy and critical minerals work plan"


def test_india_canada_figures_are_those_of_the_single_plan_release(capsys, demo_db):
    code, out, _ = run(capsys, demo_db, "metrics", "--plan", "IC", "--by", "item",
                       "--as-of", "2026-11-24", "--format", "csv")
    assert code == 0
    assert out == (V4 / "metrics_by_item.csv").read_text()


def test_the_second_plan_has_another_shape_and_verdict(capsys, demo_db):
    assert overall_health(capsys, demo_db, "IC") == "amber"
    assert overall_health(capsys, demo_db, "CE") == "green"
    with open_store(demo_db) as store:
        ce = store.scalar("SELECT id FROM plans WHERE code = 'CE'")

        def q(sql):
            return store.scalar(sql.replace("$ce", str(ce)))

        assert 18 <= q("SELECT count(*) FROM work_items WHERE plan_id = $ce") <= 24
        assert q("SELECT count(DISTINCT domain) FROM work_items WHERE plan_id = $ce") == 4
        assert q("SELECT count(*) FROM work_items WHERE plan_id = $ce AND lead_party = 'Joint'"
                 ) >= 2
        assert q("SELECT count(*) FROM milestones WHERE plan_id = $ce") >= 10
        assert q("SELECT count(*) FROM domains WHERE plan_id = $ce") == len(CANADA_EU.domains)
        parties = q("SELECT string_agg(DISTINCT party, ',' ORDER BY party) FROM status_updates"
                    " WHERE plan_id = $ce")
    assert parties == "Canada,EU"


def test_sample_plans_are_deterministic(capsys, demo_db_file, tmp_path):
    for spec in SAMPLE_SPECS:
        first, second = sample_plan(spec), sample_plan(spec)
        assert [m.sha256 for m, _ in first.uploads] == [m.sha256 for m, _ in second.uploads]
    ce_items, ic_items = (sample_plan(spec).uploads[0][0] for spec in (CANADA_EU, INDIA_CANADA))
    assert ce_items.sha256 != ic_items.sha256
    again = tmp_path / "again.duckdb"
    assert run(capsys, again, "demo")[0] == 0
    assert plan_tables(again) == plan_tables(demo_db_file)


def test_replace_replaces_only_the_sample_plans(capsys, demo_db, tmp_path):
    items = tmp_path / "items.csv"
    items.write_text(ITEMS)
    assert run(capsys, demo_db, "plan", "add", "TR", "--title", "Trade")[0] == 0
    assert run(capsys, demo_db, "import", "items", str(items), "--plan", "TR")[0] == 0
    before = plan_tables(demo_db)
    code, _, err = run(capsys, demo_db, "demo")
    assert code == 2 and "--replace" in err
    code, out, _ = run(capsys, demo_db, "demo", "--replace")
    assert code == 0 and len(out.splitlines()) == 2
    after = plan_tables(demo_db)
    for table in PLAN_TABLES:
        for code in ("IC", "CE", "TR"):     # the sample plans have new plan and upload ids
            rows = [[row for row in tables[table] if row[0] == code] for tables in (before, after)]
            assert len(rows[0]) == len(rows[1]), (table, code)
            assert code != "TR" or rows[0] == rows[1], table
    code, out, _ = run(capsys, demo_db, "metrics", "--plan", "IC", "--by", "item",
                       "--as-of", "2026-11-24", "--format", "csv")
    assert out == (V4 / "metrics_by_item.csv").read_text()


def test_a_plan_of_the_users_own_is_never_loaded_over(capsys, db_path):
    assert run(capsys, db_path, "plan", "add", "CE", "--title", "Our own CE")[0] == 0
    for argv in (["demo"], ["demo", "--replace"]):
        code, out, err = run(capsys, db_path, *argv)
        assert code == 2 and out == "" and "not sample data" in err
    with open_store(db_path) as store:
        assert [(p.code, p.title) for p in list_plans(store)] == [("CE", "Our own CE")]
