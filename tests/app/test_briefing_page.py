"""The Briefing pack page: an editor drafts, edits and saves the meeting's key messages and
decisions (audited); a viewer reads them; a meeting before a later one's notes is read-only."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.briefing_notes import save_notes, saved_notes
from analytics.store import open_store
from pages import _auth
from tests.app.conftest import opened_page

PAGE = "pages/report.py"


def page(dashboard_app, db):
    return opened_page(dashboard_app, db, PAGE)


def test_an_editor_uses_the_draft_edits_it_and_saves(sample_db, dashboard_app):
    at = page(dashboard_app, sample_db)
    at.date_input(key="notes_meeting").set_value(date(2026, 11, 26)).run()
    at.button(key="notes_draft").click().run()
    draft = at.text_area(key="notes_key_messages").value
    assert "turned red since" in draft and at.text_area(key="notes_decisions").value
    at.text_area(key="notes_key_messages").input(draft + "\nThe plan is amber overall.").run()
    at.button(key="notes_save").click().run()
    assert not at.exception and "Saved" in at.success[0].value
    with open_store(sample_db) as store:
        notes = saved_notes(store, 1, date(2026, 11, 26))
        audited = store.scalar("SELECT count(*) FROM audit_log WHERE action = 'briefing notes'")
    assert notes.key_messages[-1] == "The plan is amber overall." and audited == 1


def test_an_earlier_meeting_is_read_only_with_the_reason(sample_db, dashboard_app):
    with open_store(sample_db) as store:
        save_notes(store, 1, date(2026, 10, 1), "- October message", "", by="ana")
        save_notes(store, 1, date(2026, 11, 5), "- November message", "", by="ana")
    at = page(dashboard_app, sample_db)
    assert at.date_input(key="notes_meeting").value == date(2026, 11, 5)
    assert at.text_area(key="notes_key_messages").value == "November message"
    at.date_input(key="notes_meeting").set_value(date(2026, 10, 1)).run()
    assert "can no longer be changed" in at.info[0].value
    assert not at.text_area and "October message" in " ".join(m.value for m in at.markdown)


def test_a_viewer_reads_the_notes_without_an_editor(sample_db, dashboard_app, monkeypatch):
    with open_store(sample_db) as store:
        save_notes(store, 1, date(2026, 11, 26), "- Key point", "- Decide this", by="ana")
    monkeypatch.setattr(_auth, "current_user", lambda: _auth.User("vera", "viewer"))
    at = page(dashboard_app, sample_db)
    text = " ".join(m.value for m in at.markdown)
    assert "Key point" in text and "Decide this" in text
    assert not at.text_area and not [b for b in at.button if b.key == "notes_save"]


@pytest.mark.parametrize("lines", [13])
def test_too_many_lines_is_a_clear_error_and_nothing_is_saved(sample_db, dashboard_app, lines):
    at = page(dashboard_app, sample_db)
    at.text_area(key="notes_key_messages").input("\n".join(f"m{k}" for k in range(lines))).run()
    at.button(key="notes_save").click().run()
    assert not at.exception and "At most 12 key messages" in at.error[0].value
    with open_store(sample_db) as store:
        assert saved_notes(store, 1) is None


def test_the_marking_heads_every_page(sample_db, dashboard_app, monkeypatch):
    monkeypatch.setenv("WORKPLAN_MARKING", "PROTECTED B")
    for target in ("pages/overview.py", PAGE, "pages/items.py"):
        at = opened_page(dashboard_app, sample_db, target)
        assert at.markdown[0].value == "**PROTECTED B**", target
