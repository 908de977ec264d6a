"""pages/definitions.py: shows exactly `metric_definitions_markdown()`, on the sample plan and
when reached on an empty database.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics.metrics import metric_definitions_markdown
from tests.app.conftest import ROOT

PAGE = "pages/definitions.py"


def test_definitions_page_renders_the_metric_definitions(sample_db, dashboard_app):
    at = dashboard_app(sample_db)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    text = metric_definitions_markdown().strip()  # Streamlit strips outer whitespace
    assert [block.value for block in at.markdown] == [text]
    assert text.startswith("# Metric definitions\n")
    for term in ("spi_t", "Reporting compliance", "stale"):
        assert term.lower() in text.lower()


def test_definitions_page_on_an_empty_database(empty_db, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DB", str(empty_db))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    assert not at.exception
    assert [block.value for block in at.markdown] == [metric_definitions_markdown().strip()]
