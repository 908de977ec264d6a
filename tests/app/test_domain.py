"""Domain drill-down page: the picked domain's cards, items table and charts equal analytics.metrics;
one Domain control (the page's; the sidebar's domain filter is disabled there).

AppTest of dashboard.py on a private copy of the sample plan; the expected
figures are `kpis()` and `item_metrics()` called directly with the domain as a
filter, as the page does.
"""

from __future__ import annotations

import json
from datetime import date

from analytics.charts.palette import HEALTH_LABELS, HEALTH_ORDER
from analytics.formatting import long_date, pct, ratio
from analytics.metrics import item_metrics, kpis
from analytics.store import open_store
from pages._shared import ASOF_KEY, DOMAIN_KEY
from tests.app.conftest import page_tables

PAGE = "pages/domain.py"
PICK = "domain_pick"
SAMPLE_DOMAINS = ["Liaison officers", "Illicit drugs and fentanyl precursors",
                  "Transnational organised crime", "Cybersecurity policy",
                  "Cyber information sharing", "Fraud", "Immigration enforcement"]
HEALTH_CODES = {word: code for code, word in HEALTH_LABELS.items()}


def expected_cards(db, view) -> dict[str, str]:
    with open_store(db) as store:
        kpi = kpis(store, view)
    return {
        "Progress": pct(kpi["actual_pct"]),
        "Schedule efficiency": ratio(kpi["spi_t"]),
        "Forecast finish": long_date(kpi["forecast_finish"]),
        "Items red": str(kpi["health_counts"]["red"]),
        "Overdue items": str(kpi["overdue_items"]),
        "Milestones overdue": str(kpi["milestones_overdue"]),
    }


def test_defaults_to_the_first_domain_and_shows_its_figures(sample_db, dashboard_app, sample_view,
                                                            shown):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    assert at.selectbox(key=PICK).value == "Liaison officers"
    view = sample_view(domains=["Liaison officers"])
    assert shown(at) == expected_cards(sample_db, view)
    with open_store(sample_db) as store:
        items = item_metrics(store, view)
    (table,) = page_tables(at)
    assert sorted(table.value["Item"]) == sorted(items["item_id"])
    assert list(table.value.columns[:7]) == ["Item", "Title", "Health", "Reason", "Owner", "Due",
                                             "Latest comment"]
    assert {"Actual %", "Planned %", "Variance (pp)", "Reported status", "Last update",
            "Lead party"} <= set(table.value.columns)
    ranks = [HEALTH_ORDER.index(HEALTH_CODES[word]) for word in table.value["Health"]]
    assert ranks == sorted(ranks)  # red first, then amber, green, complete, not started
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(specs) == 3
    assert all("domain: Liaison officers" in spec["layout"]["title"]["text"] for spec in specs)


def test_picking_another_domain_and_moving_the_date_change_the_figures(
        sample_db, dashboard_app, sample_view, shown):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    first = shown(at)
    at.selectbox(key=PICK).set_value("Fraud")
    at.run()
    fraud = shown(at)
    assert fraud == expected_cards(sample_db, sample_view(domains=["Fraud"])) and fraud != first
    at.date_input(key=ASOF_KEY).set_value(date(2026, 7, 31))
    at.run()
    earlier = shown(at)
    assert earlier == expected_cards(sample_db, sample_view(date(2026, 7, 31), domains=["Fraud"]))
    assert earlier != fraud


def test_one_domain_control_the_sidebar_filter_is_disabled_on_the_page(sample_db, dashboard_app,
                                                                       sample_view, shown):
    at = dashboard_app(sample_db)
    at.run()
    at.multiselect(key=DOMAIN_KEY).set_value(["Fraud", "Cybersecurity policy"]).run()
    at.switch_page(PAGE).run()
    sidebar_filter, pick = at.multiselect(key=DOMAIN_KEY), at.selectbox(key=PICK)
    assert sidebar_filter.disabled and sidebar_filter.value == ["Fraud", "Cybersecurity policy"]
    assert any("Domain filter applies to the other pages" in note.value
               for note in at.sidebar.caption)
    assert not pick.disabled and pick.value == "Fraud"  # opens on the filter's first domain
    assert list(pick.options) == SAMPLE_DOMAINS            # and picks any domain of the plan
    pick.set_value("Immigration enforcement").run()
    assert shown(at) == expected_cards(sample_db, sample_view(domains=["Immigration enforcement"]))
    assert not at.warning
    at.switch_page("pages/overview.py").run()              # the filter is kept for the other pages
    assert not at.multiselect(key=DOMAIN_KEY).disabled
    assert at.multiselect(key=DOMAIN_KEY).value == ["Fraud", "Cybersecurity policy"]
    at.switch_page(PAGE).run()
    assert at.selectbox(key=PICK).value == "Immigration enforcement"  # the pick stays


def test_the_page_turns_to_the_sidebar_domain_chosen_on_another_page(sample_db, dashboard_app,
                                                                     sample_view, shown):
    at = dashboard_app(sample_db, PAGE)
    at.run()
    at.selectbox(key=PICK).set_value("Fraud").run()
    at.switch_page("pages/overview.py").run()
    at.multiselect(key=DOMAIN_KEY).set_value(["Cybersecurity policy"]).run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key=PICK).value == "Cybersecurity policy"
    assert shown(at) == expected_cards(sample_db, sample_view(domains=["Cybersecurity policy"]))


def test_the_domain_comes_from_the_url(sample_db, dashboard_app, sample_view, shown):
    at = dashboard_app(sample_db, PAGE)
    at.query_params[PICK] = "Immigration enforcement"
    at.run()
    assert at.selectbox(key=PICK).value == "Immigration enforcement"
    assert shown(at) == expected_cards(sample_db, sample_view(domains=["Immigration enforcement"]))


def test_empty_database_domain_page_has_no_exception(empty_db, dashboard_app):
    at = dashboard_app(empty_db, PAGE)
    at.run()
    assert not at.exception


def test_the_drill_down_opens_with_the_domain_s_verdict(sample_db, dashboard_app, sample_view):
    from analytics.metrics import group_metrics
    from pages._shared import verdict_markdown

    at = dashboard_app(sample_db, PAGE)
    at.query_params[PICK] = "Immigration enforcement"
    at.run()
    with open_store(sample_db) as store:
        row = group_metrics(store, sample_view(), "domain").set_index("group").loc[
            "Immigration enforcement"]
    assert row["health"] == "red" and row["reason"].startswith("red: schedule efficiency 0.72")
    assert at.markdown[0].value == verdict_markdown("Immigration enforcement", "red", row["reason"])
