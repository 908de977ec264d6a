"""pages/changes.py: default dates, counts and tables equal `compare_dates`, the dates and the
sidebar change them, a reversed range warns instead of raising, an empty database does not raise.
"""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from analytics.metrics import compare_dates
from analytics.store import open_store
from pages._shared import ASOF_KEY, PARTY_KEY
from tests.app.conftest import ROOT, SAMPLE_CURRENT_TO, opened_page

PAGE = "pages/changes.py"
SECTIONS = {"health_changes": "Health changed", "progress_deltas": "Progress moved",
            "milestones_done": "Milestones done", "milestones_slipped": "Milestones slipped",
            "newly_overdue": "Newly overdue", "new_notes": "New notes"}


def opened(dashboard_app, db, **params):
    return opened_page(dashboard_app, db, PAGE, **params)


def expected(db, view, since):
    with open_store(db) as store:
        comparison = compare_dates(store, view, since)
    return {name: getattr(comparison, name) for name in SECTIONS}


def counts(at):
    assert not at.exception, [e.value for e in at.exception]
    return {metric.label: int(metric.value) for metric in at.metric}


def dates(at, as_of=SAMPLE_CURRENT_TO):
    """The ("To", "From") inputs; their keys carry the sidebar's as-of date."""
    to_input = at.date_input(key=f"changes_to_{as_of}")
    return to_input, at.date_input(key=f"changes_from_{as_of}_{to_input.value}")


def test_defaults_compare_the_data_date_with_30_days_earlier(sample_db, dashboard_app,
                                                             sample_view):
    at = opened(dashboard_app, sample_db)
    to_input, from_input = dates(at)
    assert to_input.value == SAMPLE_CURRENT_TO
    assert from_input.value == SAMPLE_CURRENT_TO - timedelta(days=30)
    frames = expected(sample_db, sample_view(), from_input.value)
    assert counts(at) == {SECTIONS[name]: len(frame) for name, frame in frames.items()}
    assert sum(counts(at).values()) > 0
    shown = [frame.value for frame in at.dataframe]
    assert len(shown) == sum(1 for frame in frames.values() if not frame.empty)
    health = shown[0]
    assert list(health["Item"]) == list(frames["health_changes"]["item_id"])
    notes = next(frame for frame in shown if "Comment" in frame.columns)
    assert sorted(notes["Comment"].fillna("")) == sorted(frames["new_notes"]["note"].fillna(""))


def test_moving_the_from_date_changes_the_counts(sample_db, dashboard_app, sample_view):
    at = opened(dashboard_app, sample_db)
    before = counts(at)
    since = date(2026, 6, 1)
    dates(at)[1].set_value(since).run()
    after = counts(at)
    frames = expected(sample_db, sample_view(), since)
    assert after == {SECTIONS[name]: len(frame) for name, frame in frames.items()}
    assert after["Progress moved"] > before["Progress moved"]
    assert after["New notes"] > before["New notes"]


def test_moving_the_to_date_compares_with_30_days_before_it(sample_db, dashboard_app,
                                                           sample_view):
    at = opened(dashboard_app, sample_db)
    dates(at)[0].set_value(date(2026, 9, 30)).run()
    to_input, from_input = dates(at)
    assert (to_input.value, from_input.value) == (date(2026, 9, 30), date(2026, 8, 31))
    frames = expected(sample_db, sample_view(date(2026, 9, 30)), date(2026, 8, 31))
    assert counts(at) == {SECTIONS[name]: len(frame) for name, frame in frames.items()}
    captions = [caption.value.replace("\\", "") for caption in at.caption]  # md-escaped
    assert any("From 2026-08-31 to 2026-09-30 · IC · as of 2026-09-30" in text for text in captions), captions


def test_sidebar_as_of_and_party_reset_the_dates_and_filter(sample_db, dashboard_app,
                                                            sample_view):
    at = opened(dashboard_app, sample_db, **{PARTY_KEY: "India"})
    at.date_input(key=ASOF_KEY).set_value(date(2026, 8, 31))
    at.run()
    to_input, from_input = dates(at, date(2026, 8, 31))
    assert (to_input.value, from_input.value) == (date(2026, 8, 31), date(2026, 8, 1))
    frames = expected(sample_db, sample_view(date(2026, 8, 31), parties=["India"]),
                      date(2026, 8, 1))
    assert counts(at) == {SECTIONS[name]: len(frame) for name, frame in frames.items()}
    unfiltered = expected(sample_db, sample_view(date(2026, 8, 31)), date(2026, 8, 1))
    assert len(frames["new_notes"]) < len(unfiltered["new_notes"])


def test_from_date_not_before_to_date_warns(sample_db, dashboard_app):
    at = opened(dashboard_app, sample_db)
    dates(at)[1].set_value(SAMPLE_CURRENT_TO).run()
    assert not at.exception
    assert "before" in at.warning[0].value
    assert not at.metric and not at.dataframe


def test_page_reached_on_an_empty_database_does_not_raise(empty_db, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DB", str(empty_db))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    assert counts(at) == dict.fromkeys(SECTIONS.values(), 0)
    assert not at.dataframe
