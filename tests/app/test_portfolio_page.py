"""pages/portfolio.py: one verdict line per plan worst first, the table, the downloads, and an
Open button that shows that plan's Overview."""

from __future__ import annotations

import pytest

from analytics.plans import add_plan
from analytics.store import open_store
from tests.app.conftest import opened_page
from tests.integration.test_portfolio import add_worked_plan

PAGE = "pages/portfolio.py"


@pytest.fixture
def plans_db(sample_db):
    """The sample plan IC (amber), the worked example WX (green) and ZZ without items."""
    with open_store(sample_db) as store:
        add_worked_plan(store)
        add_plan(store, "ZZ", title="Nothing yet", by="test")
    return sample_db


def test_one_verdict_per_plan_worst_first_then_the_table(plans_db, dashboard_app):
    at = opened_page(dashboard_app, plans_db, PAGE)
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Portfolio"
    verdicts = [block.value for block in at.markdown if "-badge[" in block.value]
    assert [v.split("**")[1].split(" · ")[0] for v in verdicts] == ["IC", "WX", "ZZ"]
    assert verdicts[0].startswith(":yellow-badge[:material/warning: Amber] **IC · India")
    assert verdicts[1].startswith(":green-badge[") and "on plan" in verdicts[1]
    assert "No verdict" in verdicts[2] and "no work items yet" in verdicts[2]
    (table,) = at.dataframe
    assert list(table.value.iloc[:, 0]) == ["IC", "WX", "ZZ"]
    assert [b.key for b in at.button if b.key.startswith("portfolio_open_")] == [
        "portfolio_open_IC", "portfolio_open_WX", "portfolio_open_ZZ"]


def test_open_shows_that_plans_overview(plans_db, dashboard_app):
    at = opened_page(dashboard_app, plans_db, PAGE)
    at.button(key="portfolio_open_WX").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Overview"
    assert at.session_state["plan"] == "WX" and at.query_params["plan"] == "WX"
    assert any("Green" in block.value and "on plan" in block.value for block in at.markdown)
