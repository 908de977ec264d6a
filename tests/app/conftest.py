"""AppTest fixtures: the dashboard on the sample plan or on an empty database.

`dashboard_app(db, page=None)` points WORKPLAN_DB at `db` and returns an
AppTest of `dashboard.py`, switched to `page` when given (not yet run), so a
test can set query parameters before the first run. `sample_ctx` builds the
ViewContext the app should be showing, for comparing figures with
`analytics.metrics` called directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import sample
from analytics.context import Filters, ViewContext
from analytics.plans import Plan
from analytics.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CURRENT_TO = date(2026, 11, 24)
# The India-Canada sample plan as `load_sample` writes it into a new store (plan 1).
SAMPLE_PLAN = Plan(1, sample.PLAN_CODE, sample.PLAN_TITLE, sample.PARTIES, sample.AGREED,
                   sample=True)


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch):
    """Keep AppTest in `st.navigation` mode on every run, as the server is.

    AppTest resets `PagesManager.uses_pages_directory` before each run, and a
    `pages/` folder next to dashboard.py then makes Streamlit run the last page
    file on its own (legacy multipage mode), skipping dashboard.py. The server
    leaves that mode at import, before its first session (server.py).
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def dashboard_app(monkeypatch) -> Callable[..., AppTest]:
    def make(db: Path, page: str | None = None) -> AppTest:
        monkeypatch.setenv("WORKPLAN_DB", str(db))
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        if page is not None:
            at.switch_page(page)
        return at

    return make


@pytest.fixture
def empty_db(fresh_store) -> Path:
    """Path of an empty, migrated database."""
    return Path(fresh_store.path)


@pytest.fixture
def sample_view() -> Callable[..., ViewContext]:
    """Factory: the view the app shows on the sample plan for an as-of date and filters."""
    def make(as_of: date = SAMPLE_CURRENT_TO, **filters) -> ViewContext:
        chosen = Filters(**{name: tuple(values) for name, values in filters.items()})
        return ViewContext(as_of=as_of, filters=chosen, settings=Settings.from_env(), sample=True,
                           plan=SAMPLE_PLAN)

    return make


@pytest.fixture
def shown() -> Callable[[AppTest], dict[str, str]]:
    """Function: a clean run's {metric label: shown value} (fails on an exception or error box)."""
    def metrics(at: AppTest) -> dict[str, str]:
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        return {metric.label: metric.value for metric in at.metric}

    return metrics


def opened_page(dashboard_app, db: Path, page: str, **params) -> AppTest:
    """The dashboard run once with `params` in the URL, then switched to `page`; no exception."""
    at = dashboard_app(db)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_tables(at: AppTest) -> list:
    """The page's own dataframes: not the chart-data tables inside "Chart data" expanders."""
    from pages._charts import CHART_DATA

    chart_data = {id(frame) for expander in at.expander if expander.label == CHART_DATA
                  for frame in expander.dataframe}
    return [frame for frame in at.dataframe if id(frame) not in chart_data]
