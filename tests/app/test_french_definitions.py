"""pages/definitions.py at ?lang=fr: analytics/METRICS.fr.md, split at its French headings,
with the page's own words (the expander, the changed-thresholds note and the settings' help it
quotes) in French too.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from analytics.i18n import translator
from analytics.metrics.definitions import THRESHOLDS, changed_thresholds, definitions
from analytics.settings import Settings

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



def test_other_thresholds_are_named_in_french(sample_db, dashboard_app, monkeypatch):
    monkeypatch.setenv("WORKPLAN_RED_SPI", "0.85")
    monkeypatch.setenv("WORKPLAN_STALE_DAYS", "60")
    at = dashboard_app(sample_db, PAGE)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (note,) = [c.value for c in at.caption if "autres seuils" in c.value]
    assert ("Un groupe est rouge lorsque son indice de performance du calendrier IPC(t) est "
            "inférieur à cette valeur. Ici\u00a0: 0,85 au lieu de 0,8.") in note
    assert "est périmé après plus de ce nombre de jours sans mise à jour. Ici\u00a0: 60 au lieu de 45." in note
    assert "SPI(t) is below this" not in note and "Here" not in note


@pytest.mark.parametrize(("changed", "lang", "sentence"), [
    ({"red_variance_pp": -20.0}, "en", "An item or group is red when actual minus planned progress "
                                       "is at or below this (pp). Here -20, not -25."),
    ({"red_variance_pp": -20.0}, "fr", "Un élément ou un groupe est rouge lorsque l'avancement réel "
                                       "moins l'avancement prévu est inférieur ou égal à cette valeur "
                                       "(pts de %). Ici\u00a0: -20 au lieu de -25."),
    ({"amber_spi": 0.9}, "en", "A group is amber when its schedule performance SPI(t) is below "
                               "this. Here 0.9, not 0.95."),
    ({"red_share": 0.3}, "fr", "Un groupe est rouge lorsque ses éléments rouges représentent au "
                               "moins cette proportion de sa pondération (de 0 à 1). Ici\u00a0: 0,3 "
                               "au lieu de 0,25."),
    ({"compliance_window_days": 40}, "fr", "La conformité des rapports compte les éléments mis à "
                                           "jour au cours de ce nombre de jours précédant la date "
                                           "de l'état. Ici\u00a0: 40 au lieu de 31."),
])
def test_a_changed_threshold_reads_in_the_language(changed, lang, sentence):
    assert changed_thresholds(Settings(**changed), lang) == [sentence]


@pytest.mark.parametrize("name", THRESHOLDS)
def test_every_quoted_threshold_has_french_help(name):
    (field,) = [f for f in fields(Settings) if f.name == name]
    assert translator("fr")(field.metadata["help"]) != field.metadata["help"]
