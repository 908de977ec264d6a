"""Commit, refuse, skip-invalid, duplicates, references, baselines, revert and preview on a real store."""

from datetime import date

import pytest

from analytics.ingest import ReadOptions, commit_parsed, preview_upload, read_upload

ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "I-1,Fraud,Share typologies,Canada,CAFC,2026-01-01,2026-06-30\n"
         "I-2,Cyber,Dialogue,India,CERT-In,2026-02-01,2026-12-31\n")


def load(store, kind, text, name=None, **kw):
    parsed = read_upload(text.encode(), name or f"{kind}.csv", kind, ReadOptions(), store=store)
    return parsed, commit_parsed(store, parsed, by="alice", **kw)


def plan_counts(store):
    return {t: store.scalar(f"SELECT count(*) FROM {t}") for t in
            ("work_items", "work_item_history", "milestones", "milestone_history", "status_updates")}


@pytest.fixture
def plan(fresh_store):
    load(fresh_store, "items", ITEMS)
    return fresh_store


def test_items_commit_and_are_audited(plan):
    assert plan.scalar("SELECT count(*) FROM work_items") == 2
    action, detail, user = plan.cursor().execute(
        "SELECT action, detail, username FROM audit_log ORDER BY id").fetchall()[0]
    assert (action, user) == ("upload", "alice") and "items items.csv" in detail


def test_updates_round_trip(plan):
    _, result = load(plan, "updates", "item_id,as_of,percent_complete,status,note\n"
                                      "I-1,31/10/2026,45%,On track,ok\n")
    assert result.outcome == "committed" and result.rows_accepted == 1
    row = plan.cursor().execute("SELECT item_id, as_of, percent_complete, status, note, row_number"
                                " FROM current_status_updates").fetchall()
    assert row == [("I-1", date(2026, 10, 31), 45.0, "green", "ok", 2)]


def test_any_row_error_refuses_the_whole_file_and_writes_no_plan_data(plan):
    before = plan_counts(plan)
    _, result = load(plan, "updates", "item_id,as_of,percent_complete,status\n"
                                      "I-1,2026-10-31,45,green\nI-2,2026-10-31,450,green\n")
    assert result.outcome == "refused" and result.rows_rejected == 1
    assert plan_counts(plan) == before
    assert plan.scalar("SELECT outcome FROM uploads ORDER BY id DESC LIMIT 1") == "refused"
    assert plan.scalar("SELECT count(*) FROM upload_rejects WHERE upload_id = ?", [result.upload_id]) == 1


def test_skip_invalid_commits_valid_rows_and_keeps_rejects(plan):
    _, result = load(plan, "updates", "item_id,as_of,percent_complete,status\n"
                                      "I-1,2026-10-31,45,green\nI-9,2026-10-31,10,green\n"
                                      "I-2,2026-10-31,x,green\n", skip_invalid=True)
    assert (result.outcome, result.rows_accepted, result.rows_rejected) == ("partial", 1, 2)
    rejects = plan.cursor().execute("SELECT row_number, column_name, message FROM upload_rejects"
                                    " WHERE upload_id = ? ORDER BY row_number", [result.upload_id]).fetchall()
    assert [(r, c) for r, c, _ in rejects] == [(3, "item_id"), (4, "percent_complete")]
    assert "unknown item 'I-9'" in rejects[0][2]
    assert plan.scalar("SELECT rows_rejected FROM uploads WHERE id = ?", [result.upload_id]) == 2


def test_same_bytes_again_is_a_no_op_naming_the_earlier_upload(plan):
    text = "item_id,as_of,percent_complete,status\nI-1,2026-10-31,45,green\n"
    _, first = load(plan, "updates", text, "oct.csv")
    before = plan.scalar("SELECT count(*) FROM uploads")
    _, again = load(plan, "updates", text, "oct-copy.csv")
    assert again.outcome == "duplicate" and again.duplicate_of == first.upload_id
    assert f"upload {first.upload_id} (oct.csv" in again.message
    assert plan.scalar("SELECT count(*) FROM uploads") == before


def test_later_upload_supersedes_and_revert_restores(plan):
    text = "item_id,as_of,percent_complete,status\nI-1,2026-10-31,{},green\n"
    _, first = load(plan, "updates", text.format(40))
    _, second = load(plan, "updates", text.format(60))
    current = "SELECT percent_complete FROM current_status_updates WHERE item_id = 'I-1'"
    assert plan.scalar(current) == 60
    from analytics.writes import revert_upload
    revert_upload(plan, second.upload_id, by="admin")
    assert plan.scalar(current) == 40
    assert plan.scalar("SELECT count(*) FROM status_updates") == 2           # history keeps both
    assert plan.scalar("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == "revert"


def test_changed_due_date_keeps_the_first_as_baseline(plan):
    load(plan, "items", ITEMS.replace("2026-06-30", "2026-09-30"), "replan.csv")
    due, baseline = plan.cursor().execute(
        "SELECT due_date, baseline_due_date FROM work_items WHERE item_id = 'I-1'").fetchall()[0]
    assert (due, baseline) == (date(2026, 9, 30), date(2026, 6, 30))


def test_milestones_with_unknown_items_are_refused_and_moves_are_recorded(plan):
    text = "milestone_id,item_id,title,due_date\nM-1,I-1,Kick-off,2026-03-01\n"
    _, ok = load(plan, "milestones", text)
    assert ok.outcome == "committed"
    load(plan, "milestones", text.replace("2026-03-01", "2026-04-15"), "moved.csv")
    assert plan.scalar("SELECT baseline_date FROM milestones WHERE milestone_id = 'M-1'") == date(2026, 3, 1)
    assert plan.scalar("SELECT count(*) FROM milestone_history") == 2
    _, bad = load(plan, "milestones", "milestone_id,item_id,title,due_date\nM-2,I-404,X,2026-03-01\n")
    assert bad.outcome == "refused"
    assert bad.errors["message"].str.contains("unknown item 'I-404'").any()


def test_references_are_checked_again_at_commit(plan):
    text = "item_id,as_of,percent_complete,status\nI-1,2026-10-31,45,green\n"
    parsed = read_upload(text.encode(), "u.csv", "updates", store=plan)
    assert parsed.ok
    plan.cursor().execute("DELETE FROM work_items WHERE item_id = 'I-1'")
    result = commit_parsed(plan, parsed, by="alice")
    assert result.outcome == "refused"


def test_preview_counts_new_items_updates_regressions_and_jumps(plan):
    load(plan, "updates", "item_id,as_of,percent_complete,status\n"
                          "I-1,2026-09-30,50,green\nI-2,2026-09-30,10,green\n")
    preview_items = preview_upload(plan, read_upload(
        (ITEMS + "I-3,Fraud,New,India,MHA,2026-01-01,2026-02-01\n").encode(), "i.csv", "items"))
    assert list(preview_items.new_keys["item_id"]) == ["I-3"]
    parsed = read_upload(b"item_id,as_of,percent_complete,status\nI-1,2026-10-31,40,amber\n"
                         b"I-2,2026-10-31,70,green\nI-2,2026-09-30,15,green\n", "u.csv", "updates", store=plan)
    preview = preview_upload(plan, parsed)
    assert (preview.updates_new, preview.updates_replacing) == (2, 1)
    assert list(preview.regressions["item_id"]) == ["I-1"]
    assert list(preview.jumps["item_id"]) == ["I-2"] and preview.jumps["delta_pp"].iloc[0] == 55
    assert plan.scalar("SELECT count(*) FROM status_updates") == 2               # nothing written
    assert any("regression" in line for line in preview.summary_lines())
