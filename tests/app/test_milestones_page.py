"""Milestones page: counts, overdue and due-soon lists equal milestone_metrics, and move with the view.

AppTest of dashboard.py on a private copy of the sample plan (13 milestones
moved at least once, several overdue at the data date).
"""

from __future__ import annotations

import json
import re
from datetime import date

from analytics.metrics import milestone_metrics
from analytics.store import open_store
from pages._shared import ASOF_KEY, PARTY_KEY
from tests.app.conftest import page_tables

PAGE = "pages/milestones.py"


def expected(db, view) -> tuple[dict[str, str], set[str], set[str]]:
    """Cards, overdue milestone ids and due-soon milestone ids per analytics."""
    with open_store(db) as store:
        frame = milestone_metrics(store, view)
    cards = {"Milestones": str(len(frame)), "Done": str(int(frame["done"].sum())),
             "Overdue": str(int(frame["overdue"].sum())),
             "Due soon": str(int(frame["due_soon"].sum())),
             "Slipped": str(int(frame["slipped"].sum()))}
    return (cards, set(frame.loc[frame["overdue"], "milestone_id"]),
            set(frame.loc[frame["due_soon"], "milestone_id"]))


def shown_lists(at) -> tuple[set[str], set[str]]:
    overdue, soon = page_tables(at)
    return set(overdue.value["Milestone"]), set(soon.value["Milestone"])


def test_counts_and_lists_equal_milestone_metrics(sample_db, dashboard_app, sample_view, shown):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    cards, overdue, soon = expected(sample_db, sample_view())
    assert shown(at) == cards
    assert shown_lists(at) == (overdue, soon)
    overdue_table = page_tables(at)[0].value
    assert list(overdue_table["Days overdue"]) == sorted(overdue_table["Days overdue"], reverse=True)
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert [re.sub("<[^>]+>", "", spec["layout"]["title"]["text"].split("<br>")[0])
            for spec in specs] == [
        "Milestone timeline: baseline against current dates",
        "Milestone trend: due dates as recorded at each import"]


def test_as_of_and_party_filter_change_the_figures(sample_db, dashboard_app, sample_view, shown):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    before = shown(at)
    at.date_input(key=ASOF_KEY).set_value(date(2026, 8, 31))
    at.multiselect(key=PARTY_KEY).set_value(["India"])
    at.run()
    cards, overdue, soon = expected(sample_db, sample_view(date(2026, 8, 31), parties=["India"]))
    assert shown(at) == cards and cards != before
    assert shown_lists(at) == (overdue, soon)


def test_empty_database_milestones_page_has_no_exception(empty_db, dashboard_app):
    at = dashboard_app(empty_db, PAGE)
    at.run()
    assert not at.exception
