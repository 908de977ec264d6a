"""Each contacts change says what it did, or why it refused, in the reader's language (`lang`),
with its values filled, while what it stores stays English; `workplan contacts --lang fr`
(or WORKPLAN_LANGUAGE=fr) writes its warnings, errors, preview and result in French."""

import pytest

from analytics.contacts import (
    commit_contacts,
    read_contacts,
    remove_contact,
    set_contact,
    undo_contacts,
)
from analytics.errors import WorkplanError
from analytics.ingest import ReadOptions, import_upload
from analytics.plans import add_plan
from analytics.store import open_store
from tests.integration.test_contacts import run

NB = "\u00a0"
ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "I-1,Fraud,Share typologies,Canada,CAFC,2026-01-01,2026-06-30\n"
         "I-2,Cyber,Joint exercise,India,Ministry of Home Affairs,2026-01-01,2026-09-30\n")
SHEET = b"Agency,Email,Party\ncafc,fraud@cafc.ca,Canada\nMinistry of Home Affairs,desk@mha.gov.in,\n"


@pytest.fixture
def plan(fresh_store):
    """Plan 1 with two owners, CAFC and Ministry of Home Affairs."""
    import_upload(fresh_store, ITEMS.encode(), "items.csv", "items", ReadOptions(), by="setup")
    return fresh_store


def sheet(store, data: bytes = SHEET, plan_id: int = 1):
    return read_contacts(data, "contacts.csv", store, plan_id)


def imported(store, lang: str):
    return commit_contacts(store, 1, sheet(store), by="alice", lang=lang)


def imported_twice(store, lang: str):
    imported(store, "en")
    return imported(store, lang)


def undone(store, lang: str):
    imported(store, "en")
    return undo_contacts(store, 1, by="alice", lang=lang)


def saved(store, lang: str):
    return set_contact(store, 1, "CAFC", "fraud@cafc.ca", "Canada", None, by="erin", lang=lang)


def saved_twice(store, lang: str):
    saved(store, "en")
    return saved(store, lang)


def removed(store, lang: str):
    saved(store, "en")
    return remove_contact(store, 1, "CAFC", by="erin", lang=lang)


def items_changed(store, lang: str):
    """A sheet read for the plan, then CAFC's item given to another owner before the commit."""
    parsed = sheet(store)
    import_upload(store, ITEMS.replace(",CAFC,", ",RCMP,").encode(), "items2.csv", "items",
                  ReadOptions(), by="setup")
    return commit_contacts(store, 1, parsed, by="alice", lang=lang)


def other_plan(store, lang: str):
    add_plan(store, "TR", title="Trade", by="setup")
    return commit_contacts(store, 2, sheet(store), by="alice", lang=lang)


# (the change, what it says in English, in French)
SAID = [
    (imported,
     "Imported 2 contact(s) from contacts.csv (version 1): 2 new contact(s): CAFC, Ministry of "
     "Home Affairs.",
     f"2 personne(s)-ressource(s) importée(s) de contacts.csv (version 1){NB}: 2 nouvelle(s) "
     f"personne(s)-ressource(s){NB}: CAFC, Ministry of Home Affairs."),
    (imported_twice, "contacts.csv: no change; nothing was written.",
     f"contacts.csv{NB}: aucun changement{NB}; rien n'a été écrit."),
    (undone, "Undid contacts import 1 (contacts.csv): the list is back to 0 contact(s).",
     f"Importation de personnes-ressources 1 (contacts.csv) annulée{NB}: la liste compte de "
     "nouveau 0 personne(s)-ressource(s)."),
    (saved, "Saved the contact of CAFC.", "La personne-ressource de CAFC a été enregistrée."),
    (saved_twice, "CAFC: no change.", f"CAFC{NB}: aucun changement."),
    (removed, "Removed the contact of CAFC.", "La personne-ressource de CAFC a été supprimée."),
]
REFUSED = [
    (other_plan, "The sheet was checked for another plan; read it again for this one.",
     f"La feuille a été vérifiée pour un autre plan{NB}; lisez-la de nouveau pour celui-ci."),
    (lambda store, lang: commit_contacts(store, 1, sheet(store, b"owner,email\nCAFC,a@cafc\n"),
                                         by="alice", lang=lang),
     "contacts.csv has 1 error(s); nothing was written.",
     f"contacts.csv contient 1 erreur(s){NB}; rien n'a été écrit."),
    (items_changed,
     "contacts.csv no longer fits the plan (its items changed since the sheet was read); nothing "
     "was written.",
     "contacts.csv ne correspond plus au plan (ses éléments ont changé depuis la lecture de la "
     f"feuille){NB}; rien n'a été écrit."),
    (lambda store, lang: undo_contacts(store, 1, by="alice", lang=lang),
     "There is no contacts import to undo in this plan.",
     "Ce plan n'a aucune importation de personnes-ressources à annuler."),
    (lambda store, lang: set_contact(store, 1, "CAFC", "x", "Mars", None, by="erin", lang=lang),
     "column email: 'x' is not an email address; write one plain address such as "
     "desk@agency.gov; column party: unknown party 'Mars'; the plan's parties are Canada, India "
     "(or leave it empty); nothing was written.",
     f"colonne «{NB}email{NB}»{NB}: «{NB}x{NB}» n'est pas une adresse courriel{NB}; inscrivez une "
     f"seule adresse, par exemple bureau@organisme.gc.ca{NB}; colonne «{NB}Partie{NB}»{NB}: partie "
     f"inconnue «{NB}Mars{NB}»{NB}; les parties du plan sont Canada, India (ou laissez la cellule "
     f"vide){NB}; rien n'a été écrit."),
    (lambda store, lang: remove_contact(store, 1, "CAFC", by="erin", lang=lang),
     "'CAFC' has no contact in this plan; nothing was removed.",
     f"«{NB}CAFC{NB}» n'a aucune personne-ressource dans ce plan{NB}; rien n'a été supprimé."),
    (lambda store, lang: set_contact(store, 99, "CAFC", "a@cafc.ca", None, None, by="erin",
                                     lang=lang),
     "There is no plan 99 in this store; nothing was written.",
     f"Il n'existe aucun plan 99 dans cette base de données{NB}; rien n'a été écrit."),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("change", "english", "french"), SAID)
def test_a_change_says_what_it_did_in_the_readers_language(plan, change, english, french, lang):
    assert change(plan, lang).message == {"en": english, "fr": french}[lang]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("change", "english", "french"), REFUSED)
def test_a_refusal_is_in_the_readers_language(plan, change, english, french, lang):
    with pytest.raises(WorkplanError) as caught:
        change(plan, lang)
    assert str(caught.value) == {"en": english, "fr": french}[lang]


def test_what_a_french_change_stores_stays_english(plan):
    imported(plan, "fr")
    undo_contacts(plan, 1, by="alice", lang="fr")
    assert plan.cursor().execute(
        "SELECT outcome FROM contact_uploads ORDER BY id").fetchall() == [
        ("2 new contact(s): CAFC, Ministry of Home Affairs.",),
        ("undid import 1 (contacts.csv); 2 removed: CAFC, Ministry of Home Affairs.",)]
    assert plan.scalar("SELECT detail FROM audit_log WHERE action = 'contacts import'") == (
        "contacts.csv: 2 new contact(s): CAFC, Ministry of Home Affairs. (version 1)")


# -- the command line --------------------------------------------------------

@pytest.fixture
def cli_db(db_path, tmp_path):
    with open_store(db_path) as store:
        import_upload(store, ITEMS.encode(), "items.csv", "items", ReadOptions(), by="setup")
    (tmp_path / "contacts.csv").write_text("Agency,Email,Party,Notes\ncafc,fraud@cafc.ca,Canada,\n"
                                           "Ministry of Home Affairs,desk@mha.gov.in,,desk\n")
    (tmp_path / "bad.csv").write_text("owner,email\nCAFC,a@cafc\nNobody,b@x.org\n")
    return db_path


def test_cli_with_lang_fr_writes_french(capsys, cli_db, tmp_path):
    sheet_path = str(tmp_path / "contacts.csv")
    code, out, err = run(capsys, cli_db, "contacts", "import", sheet_path, "--dry-run",
                         "--lang", "fr")
    assert code == 0 and out.splitlines() == [
        "2 ligne(s) lue(s), 2 valide(s), 0 erreur(s).",
        f"2 nouvelle(s) personne(s)-ressource(s){NB}: CAFC, Ministry of Home Affairs.",
        f"Essai à blanc{NB}: rien n'a été écrit."]
    assert err == f"avertissement{NB}: La colonne 'Notes' n'est pas importée{NB}; elle a été ignorée.\n"
    code, out, _ = run(capsys, cli_db, "contacts", "list", "--lang", "fr")
    assert code == 0 and out == (f"Le plan main n'a pas encore de personnes-ressources{NB}; "
                                 "`workplan contacts import FICHIER` les charge.\n")
    code, out, _ = run(capsys, cli_db, "contacts", "import", sheet_path, "--by", "alice",
                       "--lang", "fr")
    assert code == 0 and out == (
        f"main: 2 personne(s)-ressource(s) importée(s) de contacts.csv (version 1){NB}: "
        f"2 nouvelle(s) personne(s)-ressource(s){NB}: CAFC, Ministry of Home Affairs.\n")
    code, out, _ = run(capsys, cli_db, "contacts", "undo", "--lang", "fr")
    assert code == 0 and out == (
        f"main: Importation de personnes-ressources 1 (contacts.csv) annulée{NB}: la liste "
        "compte de nouveau 0 personne(s)-ressource(s).\n")
    code, _, err = run(capsys, cli_db, "contacts", "undo", "--lang", "fr")
    assert code == 2 and err == ("workplan: Ce plan n'a aucune importation de "
                                 "personnes-ressources à annuler.\n")


def test_cli_refuses_a_bad_sheet_in_french_by_default_from_workplan_language(
        capsys, cli_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKPLAN_LANGUAGE", "fr")
    bad = str(tmp_path / "bad.csv")
    code, out, err = run(capsys, cli_db, "contacts", "import", bad)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"ligne 2, colonne «{NB}email{NB}»{NB}: «{NB}a@cafc{NB}» n'est pas une adresse "
        f"courriel{NB}; inscrivez une seule adresse, par exemple bureau@organisme.gc.ca",
        f"ligne 3, colonne «{NB}Responsable{NB}»{NB}: responsable inconnu «{NB}Nobody{NB}»{NB}; "
        "utilisez un responsable nommé dans la feuille des éléments du plan",
        f"workplan: {bad} contient 2 erreur(s){NB}; rien n'a été écrit."]
    code, _, err = run(capsys, cli_db, "contacts", "import", bad, "--lang", "en")
    assert err.splitlines()[-1] == f"workplan: {bad} has 2 error(s); nothing was written."


@pytest.mark.parametrize(("sheet", "said"), [
    ("", "Le fichier est vide\u00a0; une ligne d'en-tête et au moins une ligne de données sont "
         "attendues."),
    ("owner,email\n" + "x,a@b.ca\n" * 5001, "La feuille compte 5\u00a0001 lignes"),
])
def test_cli_a_file_refused_whole_is_said_in_french(capsys, cli_db, tmp_path, sheet, said):
    path = tmp_path / "refused.csv"
    path.write_text(sheet)
    code, out, err = run(capsys, cli_db, "contacts", "import", str(path), "--lang", "fr")
    assert code != 0 and out == ""
    assert err.startswith(f"workplan: {said}"), err
