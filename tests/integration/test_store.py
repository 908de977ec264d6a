"""The DuckDB store: schema, migrations, transactions, locking, current views."""

import subprocess
import sys
from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from analytics.errors import StoreLockedError, WorkplanError
from analytics.store import latest_schema_version, migrate, open_store
from analytics.writes import UploadMeta, commit_upload, revert_upload

INTERFACE = {
    "domains": {"name", "description", "sort_order"},
    "work_items": {"item_id", "domain", "title", "lead_party", "owner", "start_date", "due_date",
                   "baseline_due_date", "weight", "description"},
    "milestones": {"milestone_id", "item_id", "title", "due_date", "baseline_date", "completed_date"},
    "milestone_history": {"milestone_id", "due_date", "completed_date", "recorded_at", "upload_id"},
    "status_updates": {"item_id", "as_of", "percent_complete", "status", "note", "reported_by",
                       "party", "upload_id"},
    "uploads": {"id", "kind", "filename", "sha256", "uploaded_by", "uploaded_at", "rows_accepted",
                "rows_rejected", "outcome"},
}


def columns(store, table):
    rows = store.cursor().execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("table", sorted(INTERFACE))
def test_interface_tables_have_their_columns(fresh_store, table):
    assert INTERFACE[table] <= columns(fresh_store, table)


def test_schema_is_versioned_and_migrating_again_changes_nothing(fresh_store):
    assert fresh_store.schema_version() == latest_schema_version()
    assert migrate(fresh_store.cursor()) == latest_schema_version()
    count = fresh_store.scalar("SELECT count(*) FROM schema_version")
    assert count == latest_schema_version()


def test_reopening_keeps_data_and_version(sample_db):
    with open_store(sample_db) as store:
        items = store.scalar("SELECT count(*) FROM work_items")
    with open_store(sample_db) as store:
        assert store.scalar("SELECT count(*) FROM work_items") == items
        assert store.schema_version() == latest_schema_version()


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("INSERT INTO status_updates (plan_id, item_id, as_of, percent_complete, status,"
         " upload_id) VALUES (1, ?, ?, ?, ?, ?)", ["X", date(2026, 1, 1), 101, "green", 1]),
        ("INSERT INTO status_updates (plan_id, item_id, as_of, percent_complete, status,"
         " upload_id) VALUES (1, ?, ?, ?, ?, ?)", ["X", date(2026, 1, 1), 50, "purple", 1]),
        ("INSERT INTO work_items (plan_id, item_id, domain, title, lead_party, owner, start_date,"
         " due_date, baseline_due_date, upload_id) VALUES (1, 'A', 'd', 't', 'India', 'o',"
         " DATE '2026-05-01', DATE '2026-04-01', DATE '2026-04-01', 1)", []),
        ("INSERT INTO uploads (id, plan_id, kind, filename, uploaded_by, uploaded_at, outcome)"
         " VALUES (1, 1, 'items', 'f', 'u', now(), 'maybe')", []),
    ],
)
def test_constraints_refuse_bad_rows(fresh_store, sql, params):
    with pytest.raises(duckdb.ConstraintException):
        fresh_store.cursor().execute(sql, params)


def test_a_failed_transaction_writes_nothing(fresh_store):
    with pytest.raises(RuntimeError), fresh_store.transaction() as cur:
        cur.execute("INSERT INTO domains VALUES (1, 'A', NULL, 1)")
        raise RuntimeError("boom")
    assert fresh_store.scalar("SELECT count(*) FROM domains") == 0


def _items(**changes):
    row = {"item_id": "A-1", "domain": "Fraud", "title": "Typologies", "lead_party": "Joint",
           "owner": "RCMP", "start_date": date(2026, 3, 1), "due_date": date(2026, 9, 1),
           "weight": 2.0, "description": None}
    row.update(changes)
    return pd.DataFrame([row])


def _meta(kind, name="f.csv"):
    return UploadMeta(kind=kind, filename=name, uploaded_by="tester",
                      uploaded_at=datetime(2026, 3, 1, 12))


def test_a_changed_due_date_keeps_the_first_as_baseline_and_revert_restores(fresh_store):
    commit_upload(fresh_store, _items(), _meta("items"))
    second = commit_upload(fresh_store, _items(due_date=date(2026, 10, 15)), _meta("items"))
    row = fresh_store.cursor().execute(
        "SELECT due_date, baseline_due_date FROM work_items").fetchone()
    assert row == (date(2026, 10, 15), date(2026, 9, 1))
    assert fresh_store.scalar("SELECT count(*) FROM work_item_history") == 2
    revert_upload(fresh_store, second, by="admin")
    row = fresh_store.cursor().execute(
        "SELECT due_date, baseline_due_date FROM work_items").fetchone()
    assert row == (date(2026, 9, 1), date(2026, 9, 1))
    kinds = fresh_store.cursor().execute(
        "SELECT kind, reverts_upload_id FROM uploads ORDER BY id").fetchall()
    assert kinds[-1] == ("revert", second)


def test_new_domains_are_created_in_file_order(fresh_store):
    frame = pd.concat([_items(item_id="B", domain="Zeta"), _items(item_id="C", domain="Alpha")])
    commit_upload(fresh_store, frame, _meta("items"))
    names = [r[0] for r in fresh_store.cursor().execute(
        "SELECT name FROM domains ORDER BY sort_order").fetchall()]
    assert names == ["Zeta", "Alpha"]


def test_milestone_history_records_each_version(fresh_store):
    commit_upload(fresh_store, _items(), _meta("items"))
    ms = {"milestone_id": "A-1-M1", "item_id": "A-1", "title": "Draft",
          "due_date": date(2026, 5, 1), "completed_date": None, "baseline_date": None}
    commit_upload(fresh_store, pd.DataFrame([ms]), _meta("milestones"))
    commit_upload(fresh_store, pd.DataFrame([{**ms, "due_date": date(2026, 6, 1)}]), _meta("milestones"))
    assert fresh_store.cursor().execute(
        "SELECT due_date, baseline_date FROM milestones").fetchone() == (date(2026, 6, 1), date(2026, 5, 1))
    assert fresh_store.scalar("SELECT count(*) FROM milestone_history") == 2


def test_latest_upload_wins_for_the_same_item_and_date_until_reverted(fresh_store):
    commit_upload(fresh_store, _items(), _meta("items"))
    update = {"item_id": "A-1", "as_of": date(2026, 4, 1), "percent_complete": 10.0,
              "status": "green", "note": "first", "reported_by": None, "party": "India"}
    commit_upload(fresh_store, pd.DataFrame([update]), _meta("updates"))
    later = commit_upload(fresh_store, pd.DataFrame([{**update, "percent_complete": 30.0}]),
                          _meta("updates"))
    assert fresh_store.scalar("SELECT percent_complete FROM current_status_updates") == 30.0
    revert_upload(fresh_store, later, by="admin")
    assert fresh_store.scalar("SELECT percent_complete FROM current_status_updates") == 10.0
    assert fresh_store.scalar("SELECT count(*) FROM status_updates") == 2
    with pytest.raises(WorkplanError, match="already reverted"):
        revert_upload(fresh_store, later, by="admin")


def test_data_version_moves_with_every_write(fresh_store):
    before = fresh_store.data_version()
    commit_upload(fresh_store, _items(), _meta("items"))
    assert fresh_store.data_version() > before


def test_a_second_process_gets_one_clear_sentence(fresh_store, db_path):
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db_path), "init"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(db_path) in lines[0] and "in use" in lines[0]
    assert "Traceback" not in result.stderr


def test_opening_a_locked_file_in_process_raises_store_locked(tmp_path):
    path = tmp_path / "locked.duckdb"
    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="in use by another program"):
            open_store(path)
    finally:
        holder.kill()
        holder.wait()
