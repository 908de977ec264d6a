"""Milestones page: the timeline opens on open milestones, completed ones behind a toggle.

AppTest of dashboard.py on a private copy of the sample plan (56 items, most of whose
milestones are done at the data date). The timeline's rows are read from the figure the
page sends; the items expected are those `milestone_metrics` gives a milestone not done.
"""

from __future__ import annotations

import json

from analytics.charts.milestones import ROW_PX
from analytics.metrics import item_metrics, milestone_metrics
from analytics.store import open_store
from pages._shared import PARTY_KEY

PAGE = "pages/milestones.py"
TOGGLE = "milestones_show_done"


def timeline(at) -> dict:
    """The timeline figure's spec, as the page sends it."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(spec for spec in specs if "Milestone timeline" in spec["layout"]["title"]["text"])


def rows(spec: dict) -> set[str]:
    """Item ids of the timeline's rows ('CYP-04 · Exchange ...' -> 'CYP-04')."""
    return {label.split(" · ")[0] for trace in spec["data"] for label in trace.get("y", [])
            if label}


def expected_items(db, view) -> tuple[set[str], set[str]]:
    """(items with a milestone not done, every item of the view) per analytics."""
    with open_store(db) as store:
        milestones = milestone_metrics(store, view)
        items = item_metrics(store, view)
    return set(milestones.loc[~milestones["done"], "item_id"]), set(items["item_id"])


def test_the_timeline_opens_on_open_milestones_and_the_toggle_adds_completed_ones(
        sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    assert not at.exception
    open_items, every_item = expected_items(sample_db, sample_view())
    assert 0 < len(open_items) < len(every_item)
    assert at.toggle(key=TOGGLE).value is False
    opened = timeline(at)
    assert rows(opened) == open_items
    assert "Milestone done" not in {trace.get("name") for trace in opened["data"]}

    at.toggle(key=TOGGLE).set_value(True).run()
    assert not at.exception
    everything = timeline(at)
    assert rows(everything) == every_item
    assert "Milestone done" in {trace.get("name") for trace in everything["data"]}
    grown = everything["layout"]["height"] - opened["layout"]["height"]
    assert grown >= 22 * (len(every_item) - len(open_items))
    assert ROW_PX >= 22


def test_the_page_says_how_slipped_differs_from_a_moved_due_date(sample_db, dashboard_app):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    captions = " ".join(caption.value for caption in at.caption)
    assert "**Slipped**: the current due date is later than the baseline date" in captions
    assert "**Due date moved** (the trend chart): the due date changed between two imports, " \
           "in either direction." in captions


def test_the_toggle_keeps_its_state_across_filter_changes(sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    at.toggle(key=TOGGLE).set_value(True).run()
    at.multiselect(key=PARTY_KEY).set_value(["India"]).run()
    assert not at.exception and at.toggle(key=TOGGLE).value is True
    _, every_item = expected_items(sample_db, sample_view(parties=["India"]))
    assert rows(timeline(at)) == every_item
