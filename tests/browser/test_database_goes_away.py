"""The dashboard on PostgreSQL when the database goes away and comes back (issue 16).

Why: a ministry's database is restarted for maintenance while officials have the dashboard
open. The page must then say so in one sentence (no traceback, never the URL's password) and
show the plan again by itself once the server is back, without restarting the app. A real
PostgreSQL cluster in a temporary folder is stopped and started under a running replica.
"""

from __future__ import annotations

import psycopg
import pytest

from analytics.cli import main
from analytics.pg.local_server import LocalPostgres
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

CHART = '.js-plotly-plot, [data-testid="stPlotlyChart"]'
PASSWORD = "hunter2-secret"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_the_page_says_the_database_is_gone_and_recovers_when_it_returns(start_server, page,
                                                                         tmp_path):
    server = LocalPostgres(tmp_path / "pg")
    server.initdb()
    server.start()
    try:
        with psycopg.connect(server.url(), autocommit=True) as pg:
            pg.execute(f"CREATE ROLE app LOGIN PASSWORD '{PASSWORD}' SUPERUSER")
        url = server.url(user="app").replace("app@", f"app:{PASSWORD}@")
        assert main(["--db", url, "demo"]) == 0
        base_url = start_server(url)
        page.goto(f"{base_url}/overview")
        page.locator(CHART).first.wait_for(timeout=60_000)

        server.stop()
        page.reload()
        page.get_by_text("cannot be reached").wait_for(timeout=60_000)
        wait_for_app(page)
        text = main_text(page)
        alert = page.locator('[data-testid="stAlert"]').inner_text()
        assert "the dashboard retries by itself" in alert and len(alert.strip().splitlines()) == 1
        assert PASSWORD not in page.content() and "Traceback" not in text
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.url.split("?")[0].endswith("/overview")     # still the page the user was on

        server.start()
        page.reload()                     # the next rerun, as any click would start
        page.locator(CHART).first.wait_for(timeout=60_000)
        assert "cannot be reached" not in main_text(page)
        assert page.get_by_role("heading", name="Overview").is_visible()
    finally:
        server.stop()
