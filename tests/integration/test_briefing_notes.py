"""Key messages and decisions sought: saved per meeting, audited, locked once a later meeting has
notes, bounded, and drafted from what changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from analytics.briefing_notes import (
    MAX_BULLET_CHARS,
    MAX_BULLETS,
    bullets,
    draft_for,
    editable,
    latest_meeting,
    save_notes,
    saved_notes,
)
from analytics.context import plan_view
from analytics.errors import UsageError
from analytics.plans import FIRST_PLAN, add_plan, plan_by_id, plan_current_to
from analytics.settings import Settings

PLAN = FIRST_PLAN.id


@pytest.mark.parametrize(("text", "expected"), [
    ("- one\n* two\n• three\n1. four\n2) five", ("one", "two", "three", "four", "five")),
    ("\n  \nplain line\n\n", ("plain line",)),
    ("tab\x07bell\x00", ("tabbell",)),
    ("-not a mark", ("-not a mark",)),
    ("", ()),
])
def test_bullets_are_lines_without_list_marks(text, expected):
    assert bullets(text) == expected


def audit_lines(store) -> list[tuple]:
    return store.cursor().execute(
        "SELECT username, action, detail FROM audit_log WHERE action = 'briefing notes'"
        " ORDER BY occurred_at").fetchall()


def test_saving_replaces_the_meetings_notes_and_audits_each_edit(fresh_store):
    add_plan(fresh_store, "main", title="Work plan", by="test")
    meeting = date(2026, 11, 26)
    save_notes(fresh_store, PLAN, meeting, "- first\n- second", "", by="ana")
    save_notes(fresh_store, PLAN, meeting, "- first, reworded", "Agree dates", by="raj")
    notes = saved_notes(fresh_store, PLAN, meeting)
    assert notes.key_messages == ("first, reworded",) and notes.decisions == ("Agree dates",)
    assert notes.updated_by == "raj" and latest_meeting(fresh_store, PLAN) == meeting
    assert [line[:2] for line in audit_lines(fresh_store)] == [("ana", "briefing notes"),
                                                              ("raj", "briefing notes")]
    assert "1 key message(s), 1 decision(s)" in audit_lines(fresh_store)[-1][2]


def test_a_meeting_is_editable_until_a_later_one_has_notes(fresh_store):
    add_plan(fresh_store, "main", title="Work plan", by="test")
    save_notes(fresh_store, PLAN, date(2026, 10, 1), "october", "", by="ana")
    assert editable(fresh_store, PLAN, date(2026, 10, 1)) is None
    save_notes(fresh_store, PLAN, date(2026, 11, 5), "november", "", by="ana")
    reason = editable(fresh_store, PLAN, date(2026, 10, 1))
    assert reason and "2026-11-05" in reason
    with pytest.raises(UsageError, match="can no longer be changed"):
        save_notes(fresh_store, PLAN, date(2026, 10, 1), "rewrite history", "", by="ana")
    assert saved_notes(fresh_store, PLAN, date(2026, 10, 1)).key_messages == ("october",)
    assert saved_notes(fresh_store, PLAN).meeting == date(2026, 11, 5)


def test_each_plan_has_its_own_meetings(fresh_store):
    assert add_plan(fresh_store, "main", title="Work plan", by="t").id == PLAN
    other = add_plan(fresh_store, "CE", title="Canada-EU", by="t").id
    save_notes(fresh_store, other, date(2026, 11, 5), "CE november", "", by="ana")
    assert latest_meeting(fresh_store, PLAN) is None and saved_notes(fresh_store, PLAN) is None
    assert editable(fresh_store, PLAN, date(2026, 10, 1)) is None      # CE's later meeting
    save_notes(fresh_store, PLAN, date(2026, 10, 1), "main october", "", by="ana")
    assert saved_notes(fresh_store, other).key_messages == ("CE november",)
    assert saved_notes(fresh_store, PLAN).key_messages == ("main october",)
    assert fresh_store.cursor().execute(
        "SELECT plan_id FROM audit_log WHERE action = 'briefing notes' ORDER BY id").fetchall() \
        == [(other,), (PLAN,)]


@pytest.mark.parametrize(("messages", "match"), [
    ("\n".join(f"m{k}" for k in range(MAX_BULLETS + 1)), "At most"),
    ("x" * (MAX_BULLET_CHARS + 1), "line 1"),
])
def test_too_many_or_too_long_lines_are_refused_and_nothing_is_written(fresh_store, messages, match):
    with pytest.raises(UsageError, match=match):
        save_notes(fresh_store, PLAN, date(2026, 11, 26), messages, "", by="ana")
    assert saved_notes(fresh_store, PLAN) is None and not audit_lines(fresh_store)


def test_the_draft_names_newly_red_items_slips_done_milestones_and_red_decisions(sample_store):
    ctx = plan_view(sample_store, plan_by_id(sample_store, 1), settings=Settings())
    assert ctx.sample and ctx.as_of == plan_current_to(sample_store, 1)
    since, messages, decisions = draft_for(sample_store, ctx)
    assert since == ctx.as_of - timedelta(days=30)
    text = " ".join(messages)
    assert "turned red since" in text and "slipped" in text and "done since" in text
    assert decisions and all(d.startswith("Agree a recovery plan and date for ") for d in decisions)


def test_the_draft_compares_with_the_previous_meeting(sample_store):
    ctx = plan_view(sample_store, plan_by_id(sample_store, 1), settings=Settings())
    assert ctx.sample and ctx.as_of == plan_current_to(sample_store, 1)
    previous = ctx.as_of - timedelta(days=60)
    save_notes(sample_store, ctx.plan.id, previous, "last time", "", by="ana")
    assert draft_for(sample_store, ctx)[0] == previous


def test_workplan_notes_saves_shows_drafts_and_refuses_a_closed_meeting(sample_db, tmp_path, capsys):
    from analytics.cli import main

    messages, asks = tmp_path / "messages.txt", tmp_path / "asks.txt"
    messages.write_text("- Four domains behind plan\n- Immigration is red\n", encoding="utf-8")
    asks.write_text("Agree a date for IMM-02\n", encoding="utf-8")
    db = ["--db", str(sample_db), "notes"]
    assert main([*db, "save", "--meeting", "2026-11-26", "--key-messages", str(messages),
                 "--decisions", str(asks), "--by", "ana"]) == 0
    assert "2 key message(s), 1 decision(s)" in capsys.readouterr().out
    assert main([*db, "show"]) == 0
    shown = capsys.readouterr().out
    assert "- Immigration is red" in shown and "saved by ana" in shown
    assert main([*db, "draft"]) == 0 and "turned red since" in capsys.readouterr().out
    assert main([*db, "save", "--meeting", "2026-10-01", "--key-messages", str(messages)]) == 2
    assert "can no longer be changed" in capsys.readouterr().err
    assert main([*db, "save", "--meeting", "2026-11-27"]) == 2


def test_notes_for_a_plan_that_does_not_exist_are_refused(fresh_store):
    with pytest.raises(UsageError, match="no plan 7"):
        save_notes(fresh_store, 7, date(2026, 11, 26), "- a message", "", by="ana")
    assert fresh_store.scalar("SELECT count(*) FROM briefing_notes") == 0
