"""pages/freshness.py: the heatmap, the compliance bars and both tables equal the analytics
results for the view; the sidebar's as-of date and filters change them; an empty database
shows titled empty figures without raising.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import metrics
from analytics.charts.freshness import freshness_matrix
from analytics.store import open_store
from pages._shared import ASOF_KEY, DOMAIN_KEY
from tests.app.conftest import ROOT, opened_page, page_tables

PAGE = "pages/freshness.py"


def opened(dashboard_app, db, **params):
    return opened_page(dashboard_app, db, PAGE, **params)


def figures(at) -> list[dict]:
    assert not at.exception, [e.value for e in at.exception]
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def analytics_results(db, view) -> dict:
    with open_store(db) as store:
        return {"freshness": metrics.freshness(store, view),
                "compliance": metrics.reporting_compliance(store, view, by="party"),
                "reported": metrics.reported_vs_computed(store, view),
                "joint": metrics.joint_disagreements(store, view)}


def assert_page_matches(at, expected, view):
    heatmap, bars = figures(at)
    _, owners, days, text = freshness_matrix(expected["freshness"])
    assert heatmap["data"][0]["z"] == days and heatmap["data"][0]["text"] == text
    assert heatmap["data"][0]["x"] == owners
    assert bars["data"][0]["x"] == list(expected["compliance"]["group"])
    assert bars["data"][0]["y"] == pytest.approx(list(100 * expected["compliance"]["compliance"]))
    for figure in (heatmap, bars):
        assert view.label() in figure["layout"]["title"]["text"]
    tables = [frame.value for frame in page_tables(at)]
    assert list(tables[0]["Item"]) == list(expected["reported"]["item_id"])
    assert list(tables[1]["Item"]) == list(expected["joint"]["item_id"])


def test_sample_plan_figures_equal_the_analytics(sample_db, dashboard_app, sample_view):
    at = opened(dashboard_app, sample_db)
    view = sample_view()
    expected = analytics_results(sample_db, view)
    assert len(expected["reported"]) and len(expected["joint"])  # both tables shown
    assert_page_matches(at, expected, view)
    assert set(figures(at)[1]["data"][0]["x"]) == {"India", "Canada"}


def test_as_of_and_domain_change_the_figures(sample_db, dashboard_app, sample_view):
    at = opened(dashboard_app, sample_db, **{DOMAIN_KEY: "Fraud"})
    at.date_input(key=ASOF_KEY).set_value(date(2026, 7, 31))
    at.run()
    view = sample_view(date(2026, 7, 31), domains=["Fraud"])
    expected = analytics_results(sample_db, view)
    heatmap, bars = figures(at)
    assert heatmap["data"][0]["y"] == ["Fraud"]
    assert bars["data"][0]["y"] == pytest.approx(list(100 * expected["compliance"]["compliance"]))
    assert "as of 2026-07-31 · domain: Fraud" in heatmap["layout"]["title"]["text"]
    latest = analytics_results(sample_db, sample_view(domains=["Fraud"]))
    assert heatmap["data"][0]["text"] != freshness_matrix(latest["freshness"])[3]


def test_page_reached_on_an_empty_database_does_not_raise(empty_db, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DB", str(empty_db))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    heatmap, bars = figures(at)
    assert not heatmap["data"] and not bars["data"]
    assert heatmap["layout"]["annotations"][0]["text"].startswith("No ")
    assert not at.dataframe and len(at.caption) >= 3
