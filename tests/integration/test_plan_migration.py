"""A store built by the last single-plan release (schema version 4, tests/data/v4) opens in this
release as plan 1 with nothing lost: every row of every table, every view an analyst queries and
every figure `workplan metrics` printed; and a second run of migration 005 changes nothing."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from analytics.cli import main
from analytics.plans import Plan, plan_by_id
from analytics.sample import load_sample
from analytics.sample_energy import CANADA_EU
from analytics.store import latest_schema_version, migration_files, open_store

V4 = Path(__file__).resolve().parents[1] / "data" / "v4"
AS_OF = "2026-11-24"
PLAN_TABLES = ("domains", "work_items", "work_item_history", "milestones", "milestone_history",
               "status_updates", "uploads", "upload_rejects", "briefing_notes")
# The demo left these tables empty; a row in each (version-4 columns, NULLs included), written
# with plain DuckDB before the migration, lets the test see that their rows are kept too.
V4_EXTRA_ROWS = (
    "INSERT INTO audit_log (occurred_at, username, action, detail)"
    " VALUES (TIMESTAMP '2026-11-25 09:00:00', 'ana', 'export', NULL)",
    "INSERT INTO briefing_notes VALUES (DATE '2026-11-26', '- Fraud is on track', '', 'ana',"
    " TIMESTAMP '2026-11-25 10:00:00')",
    "INSERT INTO upload_rejects VALUES (3, 7, NULL, 'unknown item ''XX-01''', 'XX-01,2026-03-20')",
    "INSERT INTO users VALUES ('ana', 'editor', NULL, TIMESTAMP '2026-11-01 08:00:00', NULL, NULL)",
    "INSERT INTO sign_in_failures VALUES ('raj', 2, TIMESTAMP '2026-11-20 07:00:00', NULL)",
)


@pytest.fixture
def v4_db(tmp_path) -> Path:
    """A private copy of the version-4 store, with a row in each table the demo left empty."""
    path = tmp_path / "store.duckdb"
    with gzip.open(V4 / "store.duckdb.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    with duckdb.connect(str(path)) as con:
        for sql in V4_EXTRA_ROWS:
            con.execute(sql)
    return path


def relations(con, kind: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = ? ORDER BY 1",
        [kind]).fetchall()]


def columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM information_schema.columns"
                       " WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()


def dump(con, kind: str = "BASE TABLE") -> dict[str, tuple[list[tuple[str, str]], list[tuple]]]:
    """Every table (or view): its (column, type) list and its rows, in a fixed order."""
    return {name: (columns(con, name), con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall())
            for name in relations(con, kind)}


def reports_in_stored_order(con) -> list[tuple]:
    """Status reports in rowid order (a report's id in the SQL rules is its rowid)."""
    return con.execute("SELECT rowid, item_id, as_of, percent_complete, status, note, reported_by,"
                       " party, upload_id, row_number FROM status_updates ORDER BY rowid").fetchall()


def test_every_row_of_a_version_4_store_is_kept_as_plan_1(v4_db):
    with duckdb.connect(str(v4_db), read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(4,)]
        tables, views = dump(con), dump(con, "VIEW")
        plan_info = dict(con.execute("SELECT key, value FROM plan_info").fetchall())
        reports = reports_in_stored_order(con)
    assert all(rows for _, rows in tables.values()) and len(reports) > 400

    with open_store(v4_db) as store:
        cur = store.cursor()
        assert store.schema_version() == latest_schema_version()
        assert "plan_info" not in relations(cur, "BASE TABLE")
        for table, (old_columns, old_rows) in {**tables, **views}.items():
            if table == "plan_info":
                continue
            now = dict(columns(cur, table))
            assert {name: now.get(name) for name, _ in old_columns} == dict(old_columns), table
            names = ", ".join(name for name, _ in old_columns)
            rows = cur.execute(f"SELECT {names} FROM {table} ORDER BY ALL").fetchall()
            if table == "schema_version":              # versions 5 and on are added after them
                assert rows[:len(old_rows)] == old_rows
                assert [r[0] for r in rows] == list(range(1, latest_schema_version() + 1))
            else:
                assert rows == old_rows, table
            if table in PLAN_TABLES:
                assert cur.execute(f"SELECT DISTINCT plan_id FROM {table}").fetchall() == [(1,)]
        assert reports_in_stored_order(cur) == reports

        assert plan_info == {"title": plan_info["title"], "parties": "India,Canada", "sample": "true"}
        assert plan_by_id(store, 1) == Plan(1, "main", plan_info["title"], ("India", "Canada"),
                                            sample=True)
        [(data_version,)] = tables["data_version"][1]
        assert store.scalar("SELECT data_version FROM plans WHERE id = 1") == data_version
        assert store.scalar("SELECT count(*) FROM plans") == 1


@pytest.mark.parametrize("by", ["item", "domain"])
def test_workplan_metrics_prints_what_the_version_4_release_printed(v4_db, by, capsysbinary):
    assert main(["--db", str(v4_db), "metrics", "--by", by, "--as-of", AS_OF,
                 "--format", "csv"]) == 0
    out = capsysbinary.readouterr()
    assert out.err == b""
    assert out.out == (V4 / f"metrics_by_{by}.csv").read_bytes()


def snapshot(con) -> dict:
    """Everything migration 005 writes: rows, columns, constraints, views and macros."""
    return {
        "rows": dump(con),
        "reports": reports_in_stored_order(con),
        "columns": con.execute("SELECT table_name, column_name, ordinal_position, data_type,"
                               " is_nullable, column_default FROM information_schema.columns"
                               " ORDER BY ALL").fetchall(),
        "constraints": con.execute("SELECT table_name, constraint_type, constraint_text"
                                   " FROM duckdb_constraints() ORDER BY ALL").fetchall(),
        "views": con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal"
                             " ORDER BY ALL").fetchall(),
        "macros": con.execute("SELECT function_name, macro_definition FROM duckdb_functions()"
                              " WHERE NOT internal AND function_type LIKE '%macro'"
                              " ORDER BY ALL").fetchall(),
    }


def test_running_migration_005_again_changes_nothing(v4_db):
    [sql] = [text for version, _, text in migration_files() if version == 5]
    with open_store(v4_db) as store:
        load_sample(store, spec=CANADA_EU)             # a second plan, whose rows keep its id
        cur = store.cursor()
        assert cur.execute("SELECT plan_id, count(*) FROM work_items GROUP BY ALL"
                           " ORDER BY ALL").fetchall()[0] == (1, 56)
        before = snapshot(cur)
        assert len(before["macros"]) >= 8 and before["views"]
        with store.transaction() as tx:
            tx.execute(sql)
        assert snapshot(cur) == before
