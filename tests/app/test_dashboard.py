"""dashboard.py: header, sidebar, URL query string, first-run page and unopenable databases.

Runs the real entry point with AppTest on a private copy of the sample plan or
an empty database (fixtures in tests/conftest.py and tests/app/conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from analytics.formatting import pct
from analytics.metrics import kpis
from analytics.store import open_store
from pages._shared import ASOF_KEY, DOMAIN_KEY, OWNER_KEY, PARTY_KEY

SAMPLE_DOMAINS = ["Liaison officers", "Illicit drugs and fentanyl precursors",
                  "Transnational organised crime", "Cybersecurity policy",
                  "Cyber information sharing", "Fraud", "Immigration enforcement"]


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def test_sample_plan_opens_on_the_overview_with_header_and_sidebar(sample_db, dashboard_app, shown):
    at = dashboard_app(sample_db)
    at.run()
    shown(at)
    assert texts(at.title) == ["Overview"]
    assert any("Data current to 2026-11-24" in text for text in texts(at.caption))
    assert any("shared work plan on security" in text for text in texts(at.caption))
    assert any("Sample data" in text for text in texts(at.caption))
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 24)
    assert list(at.multiselect(key=DOMAIN_KEY).options) == SAMPLE_DOMAINS
    assert set(at.multiselect(key=PARTY_KEY).options) == {"Canada", "India", "Joint"}
    assert at.multiselect(key=OWNER_KEY).options
    assert all(not at.multiselect(key=key).value for key in (DOMAIN_KEY, PARTY_KEY, OWNER_KEY))


def test_empty_database_shows_the_first_run_page(empty_db, dashboard_app):
    at = dashboard_app(empty_db)
    at.run()
    assert not at.exception
    assert texts(at.title) == ["Welcome to Work-Plan Pulse"]
    guide = " ".join(texts(at.markdown))
    assert "workplan demo" in guide and "workplan import" in guide and "Upload" in guide
    assert not at.date_input  # no sidebar view
    assert not any("Sample data" in text for text in texts(at.caption))


def test_query_string_sets_the_as_of_date_and_filters(sample_db, dashboard_app, sample_view, shown):
    at = dashboard_app(sample_db)
    at.query_params[ASOF_KEY] = "2026-08-31"
    at.query_params[DOMAIN_KEY] = ["Fraud", "Cybersecurity policy"]
    at.query_params[PARTY_KEY] = "India"
    at.run()
    figures = shown(at)
    assert at.session_state[ASOF_KEY] == date(2026, 8, 31)
    assert at.session_state[DOMAIN_KEY] == ["Fraud", "Cybersecurity policy"]
    assert at.session_state[PARTY_KEY] == ["India"]
    view = sample_view(date(2026, 8, 31), domains=["Fraud", "Cybersecurity policy"],
                       parties=["India"])
    with open_store(sample_db) as store:
        expected = kpis(store, view)
    assert figures["Progress"] == pct(expected["actual_pct"])
    assert figures["Overdue items"] == str(expected["overdue_items"])


def test_sidebar_choices_persist_when_switching_pages(sample_db, dashboard_app, shown):
    at = dashboard_app(sample_db)
    at.run()
    at.multiselect(key=DOMAIN_KEY).set_value(["Fraud"])
    at.date_input(key=ASOF_KEY).set_value(date(2026, 9, 30))
    at.run()
    at.switch_page("pages/milestones.py")
    at.run()
    shown(at)
    assert texts(at.title) == ["Milestones"]
    assert at.multiselect(key=DOMAIN_KEY).value == ["Fraud"]
    assert at.date_input(key=ASOF_KEY).value == date(2026, 9, 30)


def test_a_database_that_cannot_be_opened_gives_one_sentence(tmp_path, dashboard_app):
    at = dashboard_app(tmp_path)  # a directory, not a DuckDB file
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and str(tmp_path) in at.error[0].value


def test_a_database_locked_by_another_process_gives_one_sentence(sample_db, dashboard_app):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
                               " print('locked', flush=True); time.sleep(60)", str(sample_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        at = dashboard_app(sample_db)
        at.run()
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception
    assert len(at.error) == 1
    assert "in use by another program" in at.error[0].value


def test_a_chosen_as_of_date_is_written_to_the_url_and_a_following_one_is_not(sample_db,
                                                                            dashboard_app):
    at = dashboard_app(sample_db)
    at.run()
    assert ASOF_KEY not in at.query_params           # the default follows new data
    at.date_input(key=ASOF_KEY).set_value(date(2026, 10, 15))
    at.run()
    assert at.query_params[ASOF_KEY] == "2026-10-15"


def test_a_malformed_url_date_falls_back_to_the_data_date(sample_db, dashboard_app, shown):
    at = dashboard_app(sample_db)
    at.query_params[ASOF_KEY] = "31/10/2026"
    at.run()
    shown(at)
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 24)
