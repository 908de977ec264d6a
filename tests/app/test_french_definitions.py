"""pages/definitions.py at ?lang=fr: analytics/METRICS.fr.md, split at its French headings,
with the page's own words (the expander, the changed-thresholds note) in French too.
"""

from __future__ import annotations

from analytics.metrics.definitions import definitions

PAGE = "pages/definitions.py"


def test_the_definitions_page_reads_the_french_file(sample_db, dashboard_app):
    at = dashboard_app(sample_db, PAGE)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = definitions("fr")
    assert at.title[0].value == text.title == "Définitions des indicateurs"
    assert text.brief in [block.value for block in at.main.markdown]
    assert "**Indice de performance du calendrier** (IPC(t) ou SPI(t))" in text.brief
    (expander,) = at.expander
    assert expander.label == "Formules, seuils et noms des paramètres"
    assert [block.value for block in expander.markdown] == [text.full]
    assert "## Exemple détaillé (calculé à la main)" in text.full

