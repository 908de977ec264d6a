"""Joint items keep both parties' reports, and every report says which party made it.

On a real store: the worked example of analytics/METRICS.md ("A joint item reported by
both parties"), the lead party's report on a shared date, the party of each row of a
sheet (its own column, `--party`, the lead party; a joint row with none is refused),
the preview's "new report from Canada", and the one-off migration of a database built
by the previous release (schema version 2, reports without a party).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from analytics.cli import main
from analytics.context import ViewContext
from analytics.ingest import ReadOptions, preview_upload, read_upload
from analytics.metrics import burn_up, group_metrics, item_metrics
from analytics.store import latest_schema_version, migration_files, open_store
from tests.metrics_reference import build_plan

ITEMS = [
    {"item_id": "J", "lead_party": "Joint", "start_date": date(2026, 1, 1),
     "due_date": date(2026, 12, 31)},
    {"item_id": "I", "lead_party": "India", "start_date": date(2026, 1, 1),
     "due_date": date(2026, 12, 31)},
    {"item_id": "C", "lead_party": "Canada", "start_date": date(2026, 1, 1),
     "due_date": date(2026, 12, 31)},
]


def report(item, day, pct, party, status="green", note=None):
    return {"item_id": item, "as_of": day, "percent_complete": pct, "party": party,
            "status": status, "note": note}


def row(store, item, as_of) -> dict:
    frame = item_metrics(store, ViewContext(as_of=as_of)).set_index("item_id")
    return frame.loc[item].to_dict()


def test_the_worked_example_of_metrics_md(fresh_store):
    june = lambda n: date(2026, 6, n)  # noqa: E731
    build_plan(fresh_store, ITEMS, [
        [report("J", june(20), 60, "India", note="India's view")],
        [report("J", june(20), 45, "Canada")],
        [report("J", june(20), 50, "Canada", status="amber", note="Canada's view")],  # replaces 45
        [report("J", june(28), 65, "India")],
    ])
    on_24 = row(fresh_store, "J", june(24))
    assert (on_24["actual_pct"], on_24["party"], on_24["note"]) == (50.0, "Canada", "Canada's view")
    assert (on_24["reported_status"], on_24["last_update"]) == ("amber", june(20))
    on_30 = row(fresh_store, "J", june(30))
    assert (on_30["actual_pct"], on_30["last_update"], on_30["days_since_update"]) == (
        50.0, june(28), 2)
    # both parties' current reports stay: two on June 20 (Canada's re-upload replaced its own)
    history = fresh_store.query_df("SELECT party, percent_complete FROM current_status_updates"
                                   " WHERE as_of = DATE '2026-06-20' ORDER BY party")
    assert history.values.tolist() == [["Canada", 50.0], ["India", 60.0]]


def test_an_item_led_by_one_party_takes_the_lead_party_report_on_a_shared_date(fresh_store):
    build_plan(fresh_store, ITEMS, [
        [report("I", date(2026, 6, 20), 60, "India")],
        [report("I", date(2026, 6, 20), 30, "Canada")],        # later upload, other party
        [report("C", date(2026, 6, 20), 40, "Canada"), report("C", date(2026, 6, 22), 20, "India")],
    ])
    assert row(fresh_store, "I", date(2026, 6, 24))["actual_pct"] == 60.0
    assert row(fresh_store, "C", date(2026, 6, 24))["actual_pct"] == 20.0  # the latest date wins


def test_the_burn_up_follows_the_joint_rule_week_by_week(fresh_store):
    build_plan(fresh_store, ITEMS[:1], [
        [report("J", date(2026, 3, 2), 40, "India")],
        [report("J", date(2026, 3, 4), 10, "Canada")],
        [report("J", date(2026, 3, 11), 30, "Canada")],
    ])
    weeks = burn_up(fresh_store, ViewContext(as_of=date(2026, 3, 20))).set_index("week_end")
    assert weeks.loc[date(2026, 3, 8), "actual_pct"] == 10.0     # India 40, Canada 10
    assert weeks.loc[date(2026, 3, 15), "actual_pct"] == 30.0    # India 40, Canada 30
    for week_end in weeks.index:
        overall = group_metrics(fresh_store, ViewContext(as_of=week_end), "overall").iloc[0]
        assert weeks.loc[week_end, "actual_pct"] == overall["actual_pct"]


@pytest.fixture
def plan_db(db_path):
    with open_store(db_path) as store:
        build_plan(store, ITEMS)
    return db_path


def cli(capsys, db, *argv) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sheet(tmp_path, text: str, name="sheet.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def stored_parties(db) -> list:
    with open_store(db) as store:
        return store.cursor().execute(
            "SELECT item_id, party FROM status_updates ORDER BY item_id, party").fetchall()


def test_a_joint_row_without_a_party_is_refused_by_row_and_column(plan_db, tmp_path, capsys):
    path = sheet(tmp_path, "item_id,as_of,percent_complete,status\nI,2026-06-30,10,green\n"
                           "J,2026-06-30,20,green\n")
    code, _, err = cli(capsys, plan_db, "import", "updates", path)
    assert code == 1
    assert "row 3, column party: joint item: say which party reports it" in err
    assert stored_parties(plan_db) == []                          # nothing written


def test_the_party_comes_from_the_row_then_the_sheet_then_the_lead(plan_db, tmp_path, capsys):
    path = sheet(tmp_path, "item_id,as_of,percent_complete,status,party\n"
                           "I,2026-06-30,10,green,\nJ,2026-06-30,20,green,\n"
                           "C,2026-06-30,30,green,canada\n")
    code, out, err = cli(capsys, plan_db, "import", "updates", path, "--party", "india")
    assert code == 0, err
    # the row's own party (spelled as the plan spells it), else the sheet's party
    assert stored_parties(plan_db) == [("C", "Canada"), ("I", "India"), ("J", "India")]
    lead_only = sheet(tmp_path, "item_id,as_of,percent_complete,status\nC,2026-07-31,35,green\n",
                      "lead.csv")
    assert cli(capsys, plan_db, "import", "updates", lead_only)[0] == 0
    assert ("C", "Canada") in stored_parties(plan_db)


def test_an_unknown_party_is_a_row_error_listing_the_known_ones(plan_db, tmp_path, capsys):
    path = sheet(tmp_path, "item_id,as_of,percent_complete,status,party\n"
                           "I,2026-06-30,10,green,Atlantis\n")
    code, _, err = cli(capsys, plan_db, "import", "updates", path)
    assert code == 1
    assert "row 2, column party: unknown party 'Atlantis'; the plan's parties are India, Canada" \
        in err.replace("Canada, India", "India, Canada")
    code, _, err = cli(capsys, plan_db, "import", "updates", path, "--party", "Mars")
    assert code == 2 and "The plan has no party 'Mars'" in err and len(err.splitlines()) == 1
    assert stored_parties(plan_db) == []


def test_recorded_parties_are_the_plan_s_parties(plan_db, tmp_path, capsys):
    assert cli(capsys, plan_db, "parties")[1].split() == ["Canada", "India"]
    code, out, _ = cli(capsys, plan_db, "parties", "India", "Canada", "UK", "--by", "lead")
    assert code == 0 and out.split() == ["India", "Canada", "UK"]
    path = sheet(tmp_path, "item_id,as_of,percent_complete,status,party\nJ,2026-06-30,10,green,UK\n")
    assert cli(capsys, plan_db, "import", "updates", path)[0] == 0
    with open_store(plan_db) as store:
        assert store.scalar("SELECT detail FROM audit_log WHERE action = 'parties'") == \
            "India, Canada, UK"


def test_the_preview_says_new_report_from_canada_not_replacing(fresh_store):
    store = fresh_store
    build_plan(store, ITEMS, [[report("J", date(2026, 6, 20), 60, "India"),
                               report("I", date(2026, 6, 20), 60, "India")]])
    text = ("item_id,as_of,percent_complete,status,party\nJ,2026-06-20,50,amber,Canada\n"
            "I,2026-06-20,65,green,India\n")
    parsed = read_upload(text.encode(), "canada.csv", "updates", ReadOptions(), store=store)
    assert parsed.ok, parsed.error_lines()
    lines = preview_upload(store, parsed).summary_lines()
    assert "1 new status update(s), 1 replacing the same party's earlier report for the same item" \
           " and date." in lines
    assert "1 new report(s) from Canada on an item and date another party has reported: both " \
           "reports are kept." in lines


def test_one_sheet_may_carry_both_parties_reports_on_one_item_and_date(plan_db, tmp_path, capsys):
    path = sheet(tmp_path, "item_id,as_of,percent_complete,status,party\n"
                           "J,2026-06-30,20,green,India\nJ,2026-06-30,30,green,Canada\n")
    assert cli(capsys, plan_db, "import", "updates", path)[0] == 0
    with open_store(plan_db) as store:
        assert row(store, "J", date(2026, 6, 30))["actual_pct"] == 20.0


def previous_release_database(path) -> None:
    """A database as the previous release (schema version 2) left it: reports, some of them
    without a party."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMP NOT NULL)")
    for version, name, sql in migration_files():
        if version <= 2:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO data_version VALUES (0)")
    con.execute("INSERT INTO uploads (id, kind, filename, uploaded_by, uploaded_at, outcome)"
                " VALUES (1, 'items', 'i.csv', 't', now(), 'committed'),"
                " (2, 'updates', 'u.csv', 't', now(), 'committed')")
    for item, lead in (("I", "India"), ("J", "Joint")):
        con.execute("INSERT INTO work_items VALUES (?, 'D', ?, ?, 'O', DATE '2026-01-01',"
                    " DATE '2026-12-31', DATE '2026-12-31', 1, NULL, 1)", [item, item, lead])
    con.execute("INSERT INTO status_updates VALUES ('I', DATE '2026-06-30', 40, 'green', NULL,"
                " NULL, NULL, 2, 2), ('J', DATE '2026-06-30', 30, 'green', NULL, NULL, NULL, 2, 3),"
                " ('J', DATE '2026-06-30', 50, 'green', NULL, NULL, 'Canada', 2, 4)")
    con.close()


def test_a_previous_release_database_migrates_with_nothing_lost(db_path):
    previous_release_database(db_path)
    with open_store(db_path) as store:
        assert store.schema_version() == latest_schema_version()
        rows = store.cursor().execute("SELECT item_id, party, percent_complete FROM status_updates"
                                      " ORDER BY row_number").fetchall()
        # the India-led item's report is India's; the joint item's party-less report stays
        # party-less (a party of its own) beside Canada's
        assert rows == [("I", "India", 40.0), ("J", None, 30.0), ("J", "Canada", 50.0)]
        assert row(store, "J", date(2026, 6, 30))["actual_pct"] == 30.0
        assert row(store, "I", date(2026, 6, 30))["actual_pct"] == 40.0
    with open_store(db_path) as again:                      # migrating again changes nothing
        assert again.scalar("SELECT count(*) FROM status_updates WHERE party IS NULL") == 1
