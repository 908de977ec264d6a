"""The pages in French: `?lang=fr`, the sidebar's Language choice and WORKPLAN_LANGUAGE give the
navigation, the chart alternatives and everything analytics/ writes for the view in French;
an unknown code falls back to English."""

from __future__ import annotations

from analytics.charts import alternatives
from analytics.metrics import group_metrics
from analytics.store import open_store


def chart_labels(at) -> set[str]:
    assert not at.exception, [e.value for e in at.exception]
    return {e.label for e in at.expander}


def french_sentence(sample_db, sample_view) -> str:
    from dataclasses import replace

    view = replace(sample_view(), lang="fr")
    with open_store(sample_db) as store:
        return alternatives.progress_by_domain_summary(group_metrics(store, view, "domain"), view)


def test_lang_fr_in_the_url_writes_the_overview_in_french(sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.query_params["lang"] = "fr"
    at.run()
    assert "Données du graphique" in chart_labels(at)
    assert french_sentence(sample_db, sample_view) in [c.value.replace("\\", "") for c in at.caption]
    assert at.selectbox(key="lang").value == "fr"


def test_the_sidebar_choice_switches_the_language(sample_db, dashboard_app):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.run()
    assert "Chart data" in chart_labels(at)
    at.selectbox(key="lang").set_value("fr").run()
    assert "Données du graphique" in chart_labels(at)
    assert at.query_params["lang"] == ["fr"] or at.query_params["lang"] == "fr"


def test_workplan_language_sets_the_default(sample_db, dashboard_app, monkeypatch):
    monkeypatch.setenv("WORKPLAN_LANGUAGE", "fr")
    at = dashboard_app(sample_db, "pages/overview.py")
    at.run()
    assert "Données du graphique" in chart_labels(at)


def test_an_unknown_language_code_falls_back_to_english(sample_db, dashboard_app):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.query_params["lang"] = "xx"
    at.run()
    assert "Chart data" in chart_labels(at)
