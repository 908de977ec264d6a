"""pages/definitions.py: the plain-words summary of METRICS.md first, the rules in full in an
expander below it; the summary covers every figure and rule at the default thresholds.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics import metric_definitions_markdown
from analytics.metrics.definitions import changed_thresholds, definitions
from analytics.settings import Settings
from tests.app.conftest import ROOT

PAGE = "pages/definitions.py"
# Every figure and rule a manager meets, as the summary names it.
TERMS = ["Progress", "Planned %", "Variance", "Schedule efficiency", "days behind",
         "Forecast finish", "Overdue", "Stale", "Slipped", "Item health",
         "Domain and plan health", "Reporting compliance", "Joint items", "lower"]


def test_the_page_opens_with_the_summary_and_keeps_the_formulas_in_an_expander(sample_db,
                                                                              dashboard_app):
    at = dashboard_app(sample_db)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    text = definitions()
    kinds = [element.type for element in at.main.children.values()]
    assert kinds[-3:] == ["title", "markdown", "expander"]  # after the header's caption
    assert at.title[0].value == text.title == "Metric definitions"
    (summary,) = [block for block in at.main.markdown if block.value == text.brief]
    (expander,) = at.expander
    assert expander.label == "Formulas, thresholds and setting names"
    assert [block.value for block in expander.markdown] == [text.full]
    assert summary not in expander.markdown
    assert not any("other thresholds" in caption.value for caption in at.caption)


def test_the_two_parts_are_the_whole_of_metrics_md():
    text, whole = definitions(), metric_definitions_markdown()
    assert whole.index(text.brief) < whole.index(text.full)
    assert whole.strip().endswith(text.full)
    assert "WORKPLAN_RED_SPI" in text.full and "spi_t" in text.full and "Worked example" in text.full


def test_the_summary_is_plain_words_on_one_screen():
    brief = definitions().brief
    for term in TERMS:
        assert term in brief, term
    assert "WORKPLAN_" not in brief and "`" not in brief
    for formula in ("Σ", "×", "=", "<", ">", "/", "spi_t", "sv_t", "actual_pct"):
        assert formula not in brief, formula
    assert len(brief) < 3_000 and len(brief.splitlines()) <= 36


def test_the_summary_quotes_the_default_thresholds():
    defaults, brief = Settings(), " ".join(definitions().brief.split())
    assert f"{-defaults.red_variance_pp:g} pp or more behind plan" in brief
    assert f"{-defaults.amber_variance_pp:g} pp or more behind plan" in brief
    assert f"below {defaults.red_spi:.2f}" in brief and f"below {defaults.amber_spi:.2f}" in brief
    assert defaults.red_share == 0.25 and "a quarter or more of its weight" in brief
    assert f"no update in the last {defaults.stale_days} days" in brief
    assert f"in the last {defaults.compliance_window_days} days" in brief
    # and so does METRICS.md's rule text
    full = definitions().full
    assert re.search(rf"spi_t < {defaults.red_spi:.2f}\b", full)
    assert re.search(rf"spi_t < {defaults.amber_spi:.2f}\b", full)


def test_other_thresholds_are_named_under_the_summary(sample_db, dashboard_app, monkeypatch):
    assert changed_thresholds(Settings()) == []
    at = dashboard_app(sample_db)
    monkeypatch.setenv("WORKPLAN_RED_SPI", "0.85")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    (note,) = [c.value for c in at.caption if "other thresholds" in c.value]
    assert "SPI(t) is below this. Here 0.85, not 0.8." in note


@pytest.mark.parametrize("direct", [True, False])
def test_definitions_page_on_an_empty_database(empty_db, dashboard_app, monkeypatch, direct):
    if direct:  # the page file on its own, as a fresh server's first request would run it
        monkeypatch.setenv("WORKPLAN_DB", str(empty_db))
        at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    else:
        at = dashboard_app(empty_db, PAGE)
    at.run()
    assert not at.exception
