"""The page text itself in French with `?lang=fr` (issue 18): KPI cards and their help, captions,
controls, table headers and messages of the Overview, Domain, Items and Briefing pack pages,
with French dates and numbers ('91 %', '67,4 %', '19 mars 2028'), on the sample plan."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.i18n import NBSP

CARDS_IN_FRENCH = {"Fin prévue", "Conformité des rapports", "En retard",
                   "Jalons dus", "Rouge", "Jaune", "Vert", "Terminé", "Non commencé"}
# Characters a KPI card's delta shows at four cards a row before it is cut with '…' (29 were
# seen in the French screenshot: '−3,3 pts de pourcentage par r…').
CARD_DELTA_ROOM = 26


def french_page(dashboard_app, db, page: str):
    """`page` run once with ?lang=fr; no exception."""
    at = dashboard_app(db, page)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at) -> dict:
    return {metric.label: metric for metric in at.metric}


def test_the_overview_cards_are_in_french(sample_db, dashboard_app):
    at = french_page(dashboard_app, sample_db, "pages/overview.py")
    shown = cards(at)
    assert CARDS_IN_FRENCH <= set(shown)
    assert shown["Conformité des rapports"].value == f"91{NBSP}%"
    assert "31 derniers jours" in shown["Conformité des rapports"].help
    finish = shown["Fin prévue"]
    assert (finish.value, finish.delta) == ("19 mars 2028", "+54 jours de retard")
    assert shown["Rouge"].help == "Éléments dont l'état de santé calculé est rouge."
    assert [s.value for s in at.subheader] == [f"Principaux risques{NBSP}: éléments au rouge et pourquoi"]
    risks = at.dataframe[-1]  # the top-risks table, after the charts' data
    assert list(risks.value.columns[:4]) == ["Élément", "Titre", "Pourquoi il est au rouge",
                                             "Responsable"]


@pytest.mark.parametrize(("lang", "label", "delta", "planned"), [
    ("en", "Progress", "−3.3 pp vs planned 82.2%", "planned 82.2%."),
    ("fr", "Avancement", "−3,3 pts de pourcentage", f"prévu{NBSP}: 82,2{NBSP}%."),
])
def test_the_progress_card_delta_fits_the_card(sample_db, dashboard_app, lang, label, delta,
                                               planned):
    """The French delta is the card's short one (msgctxt "card"): 'par rapport aux 82,2 %
    prévus' no longer runs past the card's width; the help gives the planned figure."""
    at = dashboard_app(sample_db, "pages/overview.py")
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    card = cards(at)[label]
    assert card.delta == delta and len(card.delta) <= CARD_DELTA_ROOM
    assert planned in card.help


def test_the_domain_cards_write_percent_and_dates_in_french(sample_db, dashboard_app):
    at = french_page(dashboard_app, sample_db, "pages/domain.py")
    assert at.selectbox(key="domain_pick").label == "Domaine"
    shown = cards(at)
    assert f"prévu{NBSP}: 67,4{NBSP}%" in at.metric[0].help  # the progress card's help
    assert shown["Fin prévue"].value == "10 août 2027"
    assert shown["Éléments au rouge"].help == f"8 éléments{NBSP}; 1 au jaune."
    assert "Éléments" in [s.value for s in at.subheader]


def test_the_items_explorer_is_in_french(sample_db, dashboard_app):
    at = french_page(dashboard_app, sample_db, "pages/items.py")
    assert "56 éléments affichés sur 56." in [c.value for c in at.caption]
    assert at.text_input(key="items_search").label == "Rechercher un titre ou un identifiant"
    sort = at.selectbox(key="items_sort")
    assert sort.label == "Trier par" and "Écart (plus grand retard d'abord)" in sort.options
    assert sort.value == "Variance (furthest behind first)"  # the widget's value stays the same
    (table,) = at.dataframe
    assert list(table.value.columns[:4]) == ["Élément", "Titre", "État de santé", "Raison"]
    assert "Rouge" in set(table.value["État de santé"])
    at.selectbox(key="items_pick").set_value("DRG-01").run()
    assert "Historique des mises à jour" in [s.value for s in at.subheader]
    history = at.dataframe[-1]
    assert {"État déclaré", "Commentaire"} <= set(history.value.columns)


def test_the_briefing_page_saves_notes_in_french(sample_db, dashboard_app):
    at = french_page(dashboard_app, sample_db, "pages/report.py")
    assert [s.value for s in at.subheader] == ["Messages clés et décisions demandées",
                                               "Produire la trousse"]
    assert {b.label for b in at.button} >= {"Produire le rapport PDF",
                                            "Produire la présentation PowerPoint",
                                            "Enregistrer les notes"}
    at.date_input(key="notes_meeting").set_value(date(2026, 11, 26)).run()
    at.text_area(key="notes_key_messages").input("Le plan est au jaune.").run()
    at.text_area(key="notes_decisions").input("Approuver le plan de redressement.").run()
    at.button(key="notes_save").click().run()
    assert at.success[0].value == ("1 message(s) clé(s) et 1 décision(s) enregistrés pour la "
                                   "réunion du 2026-11-26.")
    at.run()
    assert any(c.value.startswith("Notes enregistrées par ") for c in at.caption)
