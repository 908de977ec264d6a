"""AppTest of the Contacts page: admins only; a sheet previewed and committed, a bad sheet's
errors by row and column with Commit off, one row added, changed and removed, an import undone."""

import sys
import types
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.contacts import plan_contacts
from analytics.context import ViewContext
from analytics.ingest import ReadOptions, import_upload
from analytics.plans import plan_by_id
from pages._auth import User
from pages._shared import md_escape

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "contacts.py")
ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "I-1,Fraud,Share typologies,Canada,CAFC,2026-01-01,2026-06-30\n"
         "I-2,Cyber,Joint exercise,India,Ministry of Home Affairs,2026-01-01,2026-09-30\n")
SHEET = b"Agency,Email,Party\ncafc,fraud@cafc.ca,Canada\nMinistry of Home Affairs,desk@mha.gov.in,\n"


@pytest.fixture
def store(fresh_store, monkeypatch):
    """A plan with two owners; the page's get_store() and current_context() are this test's."""
    import_upload(fresh_store, ITEMS.encode(), "items.csv", "items", ReadOptions(), by="setup")
    shared = types.ModuleType("pages._shared")
    shared.get_store = lambda: fresh_store
    shared.md_escape = md_escape
    shared.current_context = lambda store: ViewContext(as_of=date(2026, 11, 24),
                                                       plan=plan_by_id(store, 1))
    monkeypatch.setitem(sys.modules, "pages._shared", shared)
    return fresh_store


def page(role: str = "admin", lang: str = "en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    if lang != "en":
        at.query_params["lang"] = lang
    at.session_state["user"] = User("admin-a", everywhere=None, roles=((1, role),), plan_id=1)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, data: bytes, name: str = "contacts.csv") -> AppTest:
    generation = at.session_state["contacts_generation"] if "contacts_generation" in at.session_state else 0
    at.file_uploader(key=f"contacts_file_{generation}").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def said(at: AppTest) -> str:
    """The page's success message as written (the page escapes it for Markdown)."""
    return at.success[0].value if at.success else ""


def texts(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_an_admin_sees_the_page(store, role):
    at = page(role)
    assert at.error[0].value == "Only an admin of this plan may see and change its contacts."
    assert not at.dataframe and not at.get("file_uploader")


def test_a_sheet_is_previewed_then_committed(store):
    at = upload(page(), SHEET)
    assert "2 new contact(s): CAFC, Ministry of Home Affairs." in texts(at)
    assert not at.button(key="contacts_commit").disabled
    at.button(key="contacts_commit").click().run()
    assert not at.exception
    assert said(at).startswith(md_escape("Imported 2 contact(s) from contacts.csv (version 1)"))
    assert plan_contacts(store, 1)["email"].tolist() == ["fraud@cafc.ca", "desk@mha.gov.in"]
    assert store.scalar("SELECT uploaded_by FROM contact_uploads") == "admin-a"
    assert store.scalar("SELECT username FROM audit_log WHERE action = 'contacts import'") == "admin-a"
    assert "row(s) read" not in texts(at)               # a fresh uploader after the commit
    again = upload(at, SHEET)                              # the same sheet: nothing to commit
    assert "No change: the sheet holds the list as it is." in texts(again)
    assert again.button(key="contacts_commit").disabled


def test_a_bad_sheet_lists_its_errors_and_commit_is_off(store):
    at = upload(page(), b"owner,email\nCAFC,fraud@cafc\nNobody,x@y.org\ncafc,a@cafc.ca\n")
    errors = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert errors["Row"].tolist() == [2, 3, 4]
    assert errors["Problem"].iloc[0].startswith("'fraud@cafc' is not an email address")
    assert errors["Problem"].iloc[2] == "owner 'CAFC' is already on row 2; give each owner one row"
    assert at.button(key="contacts_commit").disabled
    assert plan_contacts(store, 1).empty


def test_one_contact_is_added_changed_and_removed(store):
    at = page()
    at.selectbox(key="contacts_edit_owner").select("CAFC").run()
    at.text_input(key="contacts_email_0").input("fraud@cafc.ca")
    at.selectbox(key="contacts_party_0").select("Canada")
    at.button(key="FormSubmitter:contacts_edit_0-Save contact").click().run()
    assert not at.exception and said(at) == md_escape("Saved the contact of CAFC.")
    assert plan_contacts(store, 1).to_dict("records") == [
        {"owner": "CAFC", "email": "fraud@cafc.ca", "party": "Canada", "escalation_email": None,
         "language": "en"}]
    assert at.text_input(key="contacts_email_0").value == "fraud@cafc.ca"      # the form shows it
    assert at.selectbox(key="contacts_party_0").value == "Canada"
    at.text_input(key="contacts_escalation_0").input("not an address")
    at.button(key="FormSubmitter:contacts_edit_0-Save contact").click().run()
    assert at.error[0].value.startswith(md_escape("column escalation_email: 'not an address'"))
    assert plan_contacts(store, 1)["escalation_email"].tolist() == [None]
    assert at.button(key="contacts_remove").disabled
    at.checkbox(key="contacts_remove_confirm").check().run()
    at.button(key="contacts_remove").click().run()
    assert said(at) == md_escape("Removed the contact of CAFC.") and plan_contacts(store, 1).empty
    assert store.scalar("SELECT count(*) FROM audit_log WHERE username = 'admin-a'"
                        " AND action IN ('contacts edit', 'contacts remove')") == 2


def test_the_last_import_is_undone(store):
    at = upload(page(), SHEET)
    at.button(key="contacts_commit").click().run()
    at.checkbox(key="contacts_undo_confirm").check().run()
    at.button(key="contacts_undo").click().run()
    assert not at.exception
    assert said(at).startswith(md_escape("Undid contacts import 1 (contacts.csv)"))
    assert plan_contacts(store, 1).empty
    assert "contacts_undo_confirm" not in [c.key for c in at.checkbox]     # nothing left to undo


def test_in_french_a_sheet_is_committed_and_undone_with_french_sentences(store):
    nb = "\u00a0"
    at = upload(page(lang="fr"), SHEET)
    assert f"2 nouvelle(s) personne(s)-ressource(s){nb}: CAFC, Ministry of Home Affairs." in texts(at)
    at.button(key="contacts_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert said(at) == md_escape(f"2 personne(s)-ressource(s) importée(s) de contacts.csv "
                                 f"(version 1){nb}: 2 nouvelle(s) personne(s)-ressource(s){nb}: CAFC, "
                                 "Ministry of Home Affairs.")
    assert plan_contacts(store, 1)["owner"].tolist() == ["CAFC", "Ministry of Home Affairs"]
    at.text_input(key="contacts_email_0").input("fraud@cafc.ca")
    at.text_input(key="contacts_escalation_0").input("not an address")
    at.button(key="FormSubmitter:contacts_edit_0-Enregistrer la personne-ressource").click().run()
    assert at.error[0].value == md_escape(
        f"colonne «{nb}escalation_email{nb}»{nb}: «{nb}not an address{nb}» n'est pas une "
        f"adresse courriel{nb}; inscrivez une seule adresse, par exemple "
        f"bureau@organisme.gc.ca{nb}; rien n'a été écrit.")
    at.checkbox(key="contacts_undo_confirm").check().run()
    at.button(key="contacts_undo").click().run()
    assert said(at) == md_escape(f"Importation de personnes-ressources 1 (contacts.csv) "
                                 f"annulée{nb}: la liste compte de nouveau 0 "
                                 "personne(s)-ressource(s).")
    assert plan_contacts(store, 1).empty
