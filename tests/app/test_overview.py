"""Overview page: the KPI cards and the top-risks table equal analytics.metrics, and move with the view.

Each test runs dashboard.py (AppTest) on a private copy of the sample plan and
compares what the page shows with `kpis()` / `item_metrics()` called directly
for the same as-of date and filters.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.proto.Metric_pb2 import Metric

from analytics.formatting import long_date, pct, ratio, schedule_status, share
from analytics.metrics import item_metrics, kpis
from analytics.store import open_store
from pages._shared import (
    ASOF_KEY,
    DOMAIN_KEY,
    PARTY_KEY,
    progress_delta,
)
from tests.app.conftest import page_tables

PAGE = "pages/overview.py"


def expected_cards(kpi: dict) -> dict[str, str]:
    counts = kpi["health_counts"]
    return {
        "Progress": pct(kpi["actual_pct"]),
        "Schedule efficiency": ratio(kpi["spi_t"]),
        "Forecast finish": long_date(kpi["forecast_finish"]),
        "Reporting compliance": share(kpi["reporting_compliance"]),
        "Overdue items": str(kpi["overdue_items"]),
        "Milestones due": str(kpi["milestones_due_soon"]),
        "Red": str(counts["red"]), "Amber": str(counts["amber"]),
        "Green": str(counts["green"]), "Complete": str(counts["complete"]),
        "Not started": str(counts["not_started"]),
    }


def analytics_kpis(db, view) -> dict:
    with open_store(db) as store:
        return kpis(store, view)


def test_cards_equal_kpis_on_the_sample_plan(sample_db, dashboard_app, sample_view, shown):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    kpi = analytics_kpis(sample_db, sample_view())
    assert shown(at) == expected_cards(kpi)
    progress = next(m for m in at.metric if m.label == "Progress")
    assert progress.delta == progress_delta(kpi)
    # behind plan (−3.3 pp) is red with the arrow down, like the schedule efficiency card
    assert kpi["variance_pp"] < 0 and progress.proto.color == Metric.MetricColor.RED
    assert progress.proto.direction == Metric.MetricDirection.DOWN
    finish = next(m for m in at.metric if m.label == "Forecast finish")
    assert "days late" in finish.delta and finish.proto.color == Metric.MetricColor.RED
    efficiency = next(m for m in at.metric if m.label == "Schedule efficiency")
    assert efficiency.delta == schedule_status(kpi["sv_t_days"]) and "days behind" in efficiency.delta
    assert kpi["items"] == 56 and len(at.get("plotly_chart")) == 3


@pytest.mark.parametrize(("key", "value", "filters"), [
    (ASOF_KEY, date(2026, 6, 30), {}),
    (DOMAIN_KEY, ["Fraud"], {"domains": ["Fraud"]}),
    (PARTY_KEY, ["Canada", "Joint"], {"parties": ["Canada", "Joint"]}),
])
def test_as_of_date_and_filters_change_the_cards(sample_db, dashboard_app, sample_view, shown,
                                                 key, value, filters):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    before = shown(at)
    widget = at.date_input(key=key) if key == ASOF_KEY else at.multiselect(key=key)
    widget.set_value(value)
    at.run()
    after = shown(at)
    as_of = value if key == ASOF_KEY else date(2026, 11, 24)
    assert after == expected_cards(analytics_kpis(sample_db, sample_view(as_of, **filters)))
    assert after != before


def test_top_risks_lists_the_red_items_with_their_reasons(sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    with open_store(sample_db) as store:
        items = item_metrics(store, sample_view())
    red = items[items["health"] == "red"]
    (table_element,) = page_tables(at)
    table = table_element.value
    assert sorted(table["Item"]) == sorted(red["item_id"])
    assert list(table["Variance (pp)"]) == sorted(table["Variance (pp)"])
    assert all(table["Why it is red"].str.len() > 0)
    assert not any(table["Why it is red"].str.startswith("red"))  # the heading says red


def test_chart_titles_state_the_view(sample_db, dashboard_app):
    at = dashboard_app(sample_db, PAGE)
    at.query_params[ASOF_KEY] = "2026-10-31"
    at.run()
    titles = [json.loads(chart.proto.spec)["layout"]["title"]["text"]
              for chart in at.get("plotly_chart")]
    assert len(titles) == 3
    assert all("as of 2026-10-31 · sample data" in title for title in titles)


def test_empty_database_overview_has_no_exception(empty_db, dashboard_app):
    at = dashboard_app(empty_db, PAGE)
    at.run()
    assert not at.exception


def test_an_upload_shows_at_the_next_run(sample_db, dashboard_app, sample_view, shown):
    import pandas as pd

    from analytics.writes import UploadMeta, commit_upload

    at = dashboard_app(sample_db, PAGE)
    at.run()
    before = shown(at)
    with open_store(sample_db) as store:
        items = item_metrics(store, sample_view())
        behind = items.sort_values("variance_pp").head(5)["item_id"].tolist()
        updates = pd.DataFrame({"item_id": behind, "as_of": [date(2026, 11, 24)] * 5,
                                "percent_complete": [100.0] * 5, "status": ["complete"] * 5,
                                "note": ["done"] * 5, "reported_by": ["test"] * 5,
                                "party": ["India"] * 5})
        commit_upload(store, updates, UploadMeta("updates", "late.csv", "test"))
    at.run()
    after = shown(at)
    assert after == expected_cards(analytics_kpis(sample_db, sample_view()))
    assert after["Progress"] != before["Progress"]


def test_the_overview_opens_with_the_verdict_of_the_view(sample_db, dashboard_app, sample_view):
    from pages._shared import verdict_markdown

    at = dashboard_app(sample_db, PAGE)
    at.run()
    kpi = analytics_kpis(sample_db, sample_view())
    assert kpi["health"] == "amber"          # SPI(t) 0.93 and six red items: never green
    assert at.markdown[0].value == verdict_markdown("The whole plan", "amber", kpi["reason"])
    shown_text = at.markdown[0].value.replace("\\", "")             # markdown escapes dropped
    assert "Amber] **The whole plan:** schedule efficiency 0.93 (forecast 2028-03-19, 54 days" \
        " late); 6 red items" in shown_text
    at.multiselect(key=DOMAIN_KEY).set_value(["Immigration enforcement"]).run()
    kpi = analytics_kpis(sample_db, sample_view(domains=["Immigration enforcement"]))
    assert kpi["health"] == "red"
    assert at.markdown[0].value == verdict_markdown("Immigration enforcement", "red",
                                                    kpi["reason"])


def test_domain_bars_and_health_mix_show_each_domain_s_group_health(sample_db, dashboard_app,
                                                                     sample_view):
    from analytics.charts.palette import HEALTH_COLORS, health_label
    from analytics.metrics import group_metrics

    at = dashboard_app(sample_db, PAGE)
    at.run()
    with open_store(sample_db) as store:
        groups = group_metrics(store, sample_view(), "domain")
    progress, mix, _ = (json.loads(chart.proto.spec) for chart in at.get("plotly_chart"))
    actual = progress["data"][1]
    assert actual["marker"]["color"] == [HEALTH_COLORS[h] for h in groups["health"]]
    for text, hover, health, reason in zip(actual["text"], actual["customdata"], groups["health"],
                                           groups["reason"], strict=True):
        assert f"· {health_label(health)}" in text
        assert hover.replace("<br>", " ") == reason
    assert mix["data"][0]["y"] == [f"{g} · {health_label(h)}"
                                   for g, h in zip(groups["group"], groups["health"], strict=True)]
    # the sample plan: two domains red, three amber; a domain with a red item is never green
    assert sorted(groups["health"]) == ["amber", "amber", "amber", "green", "green", "red", "red"]
    assert not ((groups["health"] == "green") & (groups["red"] > 0)).any()
