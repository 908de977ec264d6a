"""The upload, Contacts and Reporting round pages with ?lang=fr: labels, choices, buttons and
the page's own messages in French, while the choices keep their English values (what the
code compares and the English tests pick)."""

from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.context import ViewContext
from analytics.ingest.templates import template_bytes
from analytics.plans import FIRST_PLAN, list_plans, plan_by_id
from pages._auth import User
from pages._shared import md_escape

PAGES = Path(__file__).resolve().parents[2] / "pages"
AS_OF = date(2026, 11, 24)


def stub_shared(monkeypatch, store) -> None:
    """The pages' `pages._shared`: this test's store and its plan 1, a French view."""
    shared = types.ModuleType("pages._shared")
    shared.get_store = lambda: store
    shared.md_escape = md_escape
    shared.store_plans = list_plans
    shared.chosen_plan = lambda s: plan_by_id(s, 1)
    shared.target_plan = lambda s: plan_by_id(s, 1) or FIRST_PLAN
    shared.current_context = lambda s: ViewContext(as_of=AS_OF, plan=shared.target_plan(s),
                                                   lang="fr")
    monkeypatch.setitem(sys.modules, "pages._shared", shared)


def french_page(name: str, role: str) -> AppTest:
    """The page run once with ?lang=fr by a user with `role` on plan 1; no exception."""
    at = AppTest.from_file(str(PAGES / name), default_timeout=30)
    at.query_params["lang"] = "fr"
    at.session_state["user"] = User(f"{role}-1", everywhere=None, roles=((1, role),), plan_id=1)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def fresh_pages(fresh_store, monkeypatch):
    stub_shared(monkeypatch, fresh_store)
    return fresh_store


@pytest.fixture
def sample_pages(sample_store, monkeypatch):
    stub_shared(monkeypatch, sample_store)
    return sample_store


def test_the_upload_page_in_french_previews_and_commits(fresh_pages):
    at = french_page("upload.py", "editor")
    assert at.title[0].value == "Téléverser une fiche d'état"
    kind = at.selectbox(key="upload_kind")
    assert kind.label == "Contenu de la fiche"
    assert kind.options == ["éléments", "jalons", "mises à jour"]
    assert at.get("download_button")[0].proto.label == "Modèle «\u00a0éléments\u00a0» (.csv)"
    kind.select("items").run()                                   # picked by its English value
    at.file_uploader(key="upload_file_0").set_value(
        ("items.csv", template_bytes("items", "csv"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert {"Colonnes", "Aperçu"} <= {s.value for s in at.subheader}
    assert at.selectbox(key="upload_delimiter").options[0] == "Détecter"
    assert at.radio(key="upload_date_order").label == "Dates avec barres obliques"
    assert "Premières lignes telles qu'elles seront enregistrées\u00a0: 3" in [
        c.value for c in at.caption]
    commit = at.button(key="commit")
    assert commit.label == "Enregistrer"
    commit.click().run()
    assert [s.value for s in at.success] == ["Enregistré."]
    assert fresh_pages.scalar("SELECT count(*) FROM work_items") == 3


def test_the_contacts_page_in_french(sample_pages):
    at = french_page("contacts.py", "admin")
    assert at.title[0].value == "Personnes-ressources"
    assert {"Charger une fiche de personnes-ressources",
            "Ajouter, modifier ou supprimer une personne-ressource"} <= {s.value for s in at.subheader}
    assert at.text_input(key="contacts_email_0").label == "Courriel"
    party = at.selectbox(key="contacts_party_0")
    assert party.label == "Partie" and party.options[0] == "(toute partie)"
    assert party.value == "(any party)"                          # the value the page compares
    assert "Enregistrer la personne-ressource" in [b.label for b in at.button]


def test_the_reporting_round_in_french(sample_pages):
    at = french_page("round.py", "editor")
    assert at.title[0].value == "Cycle de rapports"
    caption = at.caption[0].value
    assert "rapports pour la période octobre 2026" in caption
    assert "échéance le 2026-11-05" in caption and "L'ensemble du plan" in caption
    party = at.selectbox(key="round_party")
    assert party.label == "Partie" and party.options[0] == "Toutes les parties"
    assert at.selectbox(key="round_owner").label == "Fiche préremplie pour"
    assert "Fiche XLSX" in [b.proto.label for b in at.get("download_button")]
    assert "Rappels" in [s.value for s in at.subheader]
    party.select("India").run()
    assert not at.exception and at.selectbox(key="round_party").value == "India"


def test_a_bad_row_in_french_names_its_row_and_column(fresh_pages):
    at = french_page("upload.py", "editor")
    at.selectbox(key="upload_kind").select("items").run()
    at.file_uploader(key="upload_file_0").set_value(
        ("items.csv", template_bytes("items", "csv"), "text/csv")).run()
    at.button(key="commit").click().run()
    at = french_page("upload.py", "editor")
    at.selectbox(key="upload_kind").select("updates").run()
    sheet = "Identifiant,Date du rapport,% achevé,État\nFR-02,2026-10-31,120,vert\n".encode()
    at.file_uploader(key="upload_file_0").set_value(("bad.csv", sheet, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = next(d.value for d in at.dataframe if "Problème" in d.value.columns)
    assert list(errors.columns) == ["Ligne", "Colonne", "Problème", "Valeur dans le fichier"]
    assert list(errors["Ligne"]) == [2] and list(errors["Colonne"]) == ["% achevé"]
    assert list(errors["Problème"]) == [
        "«\u00a0120\u00a0» n'est pas un pourcentage entre 0 et 100\u00a0; un nombre de 0 à 100 "
        "est attendu"]
    assert "1 ligne(s) lue(s), 0 valide(s), 1 erreur(s)." in at.text[0].value
    assert at.caption[-1].value.startswith("Enregistrement impossible\u00a0: chaque ligne a une "
                                           "erreur (1 ligne)")
