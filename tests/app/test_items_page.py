"""pages/items.py: the items table equals `item_metrics`, its filters and sort work, and picking
an item shows exactly `update_history` for it; the sidebar's as-of date and filters change the
figures; an empty database does not raise.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics import item_metrics, update_history
from analytics.store import open_store
from pages._shared import ASOF_KEY, DOMAIN_KEY
from tests.app.conftest import ROOT, opened_page

PAGE = "pages/items.py"


def expected_items(db, view):
    with open_store(db) as store:
        return item_metrics(store, view)


def opened(dashboard_app, db, **params):
    return opened_page(dashboard_app, db, PAGE, **params)


def table(at):
    assert not at.exception, [e.value for e in at.exception]
    return at.dataframe[0].value


def test_table_lists_every_item_with_its_latest_figures(sample_db, dashboard_app, sample_view):
    at = opened(dashboard_app, sample_db)
    shown = table(at).set_index("Item")
    expected = expected_items(sample_db, sample_view()).set_index("item_id")
    assert set(shown.index) == set(expected.index) and len(shown) == 56
    for header, column in (("Actual %", "actual_pct"), ("Planned %", "planned_pct"),
                           ("Variance (pp)", "variance_pp")):
        assert shown[header].to_dict() == pytest.approx(expected[column].to_dict())
    assert shown.loc["LO-01", "Health"] == "Not started"
    assert shown["Latest comment"].fillna("").to_dict() == expected["note"].fillna("").to_dict()
    # default sort: furthest behind plan first
    assert list(table(at)["Variance (pp)"]) == sorted(expected["variance_pp"])


def test_search_health_and_sort_narrow_and_order_the_table(sample_db, dashboard_app, sample_view):
    expected = expected_items(sample_db, sample_view())
    at = opened(dashboard_app, sample_db)
    at.text_input(key="items_search").set_value("lo-0").run()
    assert set(table(at)["Item"]) == {i for i in expected["item_id"] if i.startswith("LO-0")}
    at.text_input(key="items_search").set_value("LIAISON").run()
    titles = expected[expected["title"].str.contains("liaison", case=False)]
    assert set(table(at)["Item"]) == set(titles["item_id"])
    at.text_input(key="items_search").set_value("").run()
    at.multiselect(key="items_health").set_value(["red", "amber"]).run()
    assert set(table(at)["Item"]) == set(
        expected.loc[expected["health"].isin(["red", "amber"]), "item_id"])
    assert set(table(at)["Health"]) == {"Red", "Amber"}
    at.selectbox(key="items_sort").set_value("Days since last update (longest first)").run()
    days = table(at)["Days since update"].dropna().tolist()
    assert days == sorted(days, reverse=True) and days


def test_as_of_and_sidebar_filters_change_the_figures(sample_db, dashboard_app, sample_view):
    at = opened(dashboard_app, sample_db, **{DOMAIN_KEY: "Fraud"})
    assert set(table(at)["Domain"]) == {"Fraud"}
    at.date_input(key=ASOF_KEY).set_value(date(2026, 6, 30))
    at.run()
    shown = table(at).set_index("Item")["Actual %"]
    june = expected_items(sample_db, sample_view(date(2026, 6, 30), domains=["Fraud"]))
    november = expected_items(sample_db, sample_view(domains=["Fraud"]))
    assert shown.to_dict() == pytest.approx(june.set_index("item_id")["actual_pct"].to_dict())
    assert shown.sum() < november["actual_pct"].sum()


def test_picking_an_item_shows_its_update_history(sample_db, dashboard_app, sample_view):
    at = opened(dashboard_app, sample_db)
    assert len(at.dataframe) == 1  # no item picked yet
    at.selectbox(key="items_pick").set_value("DRG-01").run()
    history = at.dataframe[1].value
    with open_store(sample_db) as store:
        expected = update_history(store, sample_view(), "DRG-01")
    assert len(history) == len(expected) > 5
    assert list(history["As of"]) == sorted(expected["as_of"], reverse=True)
    assert set(history["Party"]) == {"India", "Canada"}  # a joint item: both parties report
    assert sorted(history["Comment"].fillna("")) == sorted(expected["note"].fillna(""))
    assert set(history["Reported status"]) <= {"Red", "Amber", "Green", "Complete"}
    assert "DRG-01 · " in at.text[0].value  # the item named as plain text


def test_page_reached_on_an_empty_database_does_not_raise(empty_db, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DB", str(empty_db))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert table(at).empty
