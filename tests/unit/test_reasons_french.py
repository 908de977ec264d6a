"""Health reasons in French: every part the item rule (SQL) and the group rule write."""

import pytest

from analytics.charts.palette import health_label
from analytics.i18n import NBSP
from analytics.metrics.health import reason_in, reason_words


def fr(text: str) -> str:
    """The expected French with its non-breaking spaces written as plain ones."""
    return text.replace(" :", NBSP + ":").replace(" ;", NBSP + ";").replace(" %", NBSP + "%")


@pytest.mark.parametrize("english, french", [
    ("red: overdue by 20 days; 40 pp behind plan",
     "rouge : en retard de 20 jours ; 40 pts de pourcentage derrière le plan"),
    ("red: overdue by 1 day", "rouge : en retard de 1 jour"),
    ("amber: 12.5 pp behind plan; no update for 50 days",
     "jaune : 12,5 pts de pourcentage derrière le plan ; aucune mise à jour de l'état depuis 50 jours"),
    ("amber: no update yet", "jaune : aucune mise à jour de l'état pour l'instant"),
    ("complete: reported 100% complete", "terminé : déclaré achevé à 100 %"),
    ("not_started: starts on 2027-03-01", "non commencé : commence le 1er mars 2027"),
    ("amber: schedule efficiency 0.91 (forecast 2027-05-14, 48 days late); 2 red items (CYP-03, CYP-04)",
     "jaune : indice de performance du calendrier 0,91 (prévision : 14 mai 2027, 48 jours de retard) ; "
     "2 éléments rouges (CYP-03, CYP-04)"),
    ("red: schedule efficiency 0.00 (no forecast: nothing earned yet)",
     "rouge : indice de performance du calendrier 0,00 (aucune prévision : aucune valeur acquise pour "
     "l'instant)"),
    ("green: schedule efficiency 0.97 (forecast 2027-05-14, on time), above the amber threshold of 0.95",
     "vert : indice de performance du calendrier 0,97 (prévision : 14 mai 2027, dans les délais), "
     "au-dessus du seuil jaune de 0,95"),
    ("green: schedule efficiency 1.02 (forecast 2027-05-14, 1 day early), above the amber threshold of 0.95",
     "vert : indice de performance du calendrier 1,02 (prévision : 14 mai 2027, 1 jour d'avance), "
     "au-dessus du seuil jaune de 0,95"),
    ("green: 4.5 pp behind plan, within the amber threshold of 10 pp",
     "vert : 4,5 pts de pourcentage derrière le plan, en deçà du seuil jaune de 10 pts de pourcentage"),
    ("red: red items carry 30% of the weight (A-1, A-2, A-3, A-4, A-5 and 2 more)",
     "rouge : les éléments rouges représentent 30 % de la pondération (A-1, A-2, A-3, A-4, A-5 et 2 autres)"),
    ("amber: 1 red item (CYP-03)", "jaune : 1 élément rouge (CYP-03)"),
    ("green: on plan", "vert : conforme au plan"),
    ("complete: every weighted item is complete", "terminé : tous les éléments pondérés sont terminés"),
    ("no weighted items: figures undefined", "aucun élément pondéré : chiffres non définis"),
    ("no work items yet", "aucun élément de travail pour l'instant"),   # a plan without items
])
def test_reason_in_french(english, french):
    assert reason_in(english, "fr") == fr(french)
    assert reason_in(english, "en") == english


def test_reason_words_drops_the_french_health_word_too():
    assert reason_words(reason_in("red: overdue by 2 days", "fr")) == "en retard de 2 jours"
    assert reason_words("red: overdue by 2 days") == "overdue by 2 days"


def test_an_unknown_part_is_kept_as_it_is():
    assert reason_in("red: something new", "fr") == fr("rouge : something new")
    assert reason_in(None, "fr") is None and reason_in("", "fr") == ""


@pytest.mark.parametrize("status, english, french", [
    ("red", "Red", "Rouge"), ("amber", "Amber", "Jaune"), ("not_started", "Not started", "Non commencé"),
    (None, "—", "—"),
])
def test_health_label_in_both_languages(status, english, french):
    assert health_label(status) == english and health_label(status, "fr") == french
