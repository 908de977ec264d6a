"""The contacts checks' messages, each written in English and read back in French with its
values filled (CONTACT_TEMPLATES), unchanged in English; a header problem is the import's own
sentence (analytics.ingest.messages), and a refused sheet's line is in the reader's language."""

import pandas as pd
import pytest

from analytics.contacts.changes import refused_sheet
from analytics.contacts.checks import (
    CONTACT_TEMPLATES,
    TOO_MANY_ROWS,
    check_email,
    check_language,
    check_owner,
    check_party,
)
from analytics.contacts.sheet import ParsedContacts, checked_rows, map_contact_headers
from analytics.ingest import messages
from analytics.ingest.issues import error_frame
from analytics.ingest.messages import message_in

NB = "\u00a0"
OWNERS = ["Ministry of Home Affairs", "CAFC", "CAFD", "RCMP Federal Policing"]
PARTIES = ["India", "Canada"]


def header_messages(headers: list[str]) -> list[str]:
    _, errors, warnings = map_contact_headers(headers)
    return [e["message"] for e in errors] + warnings


def twice_message() -> str:
    _, errors = checked_rows({"owner": ["cafc", "CAFC"], "email": ["a@cafc.ca", "b@cafc.ca"]},
                             [2, 3], OWNERS, PARTIES)
    return errors["message"].iloc[0]


# (the English message a check writes, its French)
CASES = [
    (check_email(" ", required=True)[1], "une adresse courriel est obligatoire"),
    (check_email("desk@", required=True)[1],
     f"«{NB}desk@{NB}» n'est pas une adresse courriel{NB}; inscrivez une seule adresse, par "
     "exemple bureau@organisme.gc.ca"),
    (check_owner(" ", OWNERS)[1],
     "un responsable est obligatoire (tel qu'il figure dans la colonne des responsables de la "
     "feuille des éléments)"),
    (check_owner("CAFC", [])[1],
     f"responsable inconnu «{NB}CAFC{NB}»{NB}; le plan n'a pas encore d'éléments, importez-les "
     "d'abord"),
    (check_owner("CAFCC", OWNERS)[1],
     f"responsable inconnu «{NB}CAFCC{NB}»{NB}; vouliez-vous dire CAFC{NB}? Sinon, utilisez un "
     "responsable nommé dans la feuille des éléments du plan"),
    (check_owner("CAF", OWNERS)[1],
     f"responsable inconnu «{NB}CAF{NB}»{NB}; vouliez-vous dire CAFC ou CAFD{NB}? Sinon, utilisez "
     "un responsable nommé dans la feuille des éléments du plan"),
    (check_owner("Department of Nothing", OWNERS)[1],
     f"responsable inconnu «{NB}Department of Nothing{NB}»{NB}; utilisez un responsable nommé "
     "dans la feuille des éléments du plan"),
    (check_party("Mars", PARTIES)[1],
     f"partie inconnue «{NB}Mars{NB}»{NB}; les parties du plan sont India, Canada (ou laissez la "
     "cellule vide)"),
    (check_party("Mars", [])[1],
     f"partie inconnue «{NB}Mars{NB}»{NB}; le plan n'a aucune partie enregistrée (laissez la "
     "cellule vide)"),
    (check_language("Klingon")[1],
     f"«{NB}Klingon{NB}» n'est pas une langue de correspondance{NB}; inscrivez en ou fr (ou "
     "laissez la cellule vide pour en)"),
    (twice_message(),
     f"le responsable «{NB}CAFC{NB}» figure déjà à la ligne 2{NB}; donnez une seule ligne à "
     "chaque responsable"),
    (header_messages(["Agency", "Desk", "Email"])[0],
     f"les colonnes 'Agency' et 'Desk' désignent toutes deux «{NB}Responsable{NB}»{NB}; gardez-en "
     "une ou corrigez la correspondance."),
    (header_messages(["owner"])[0],
     f"la colonne obligatoire «{NB}email{NB}» est absente (un en-tête tel que 'email', 'e-mail', "
     "'email address')."),
    (header_messages(["owner", "email", "Notes"])[0],
     f"La colonne 'Notes' n'est pas importée{NB}; elle a été ignorée."),
    (TOO_MANY_ROWS.format(n="5,001", m="5,000"),
     f"La feuille compte 5{NB}001 lignes{NB}; une feuille de personnes-ressources compte une "
     f"ligne par responsable (au plus 5{NB}000)."),
]


@pytest.mark.parametrize(("english", "french"), CASES)
def test_each_contacts_message_reads_back_in_french_and_stays_english(english, french):
    assert message_in(english, "fr", CONTACT_TEMPLATES) == french
    assert message_in(english, "en", CONTACT_TEMPLATES) == english


@pytest.mark.parametrize(("headers", "said"), [
    (["Agency", "Desk", "Email"], messages.TWO_COLUMNS.format(names="'Agency' and 'Desk'",
                                                              column="owner")),
    (["owner"], messages.REQUIRED_MISSING.format(column="email",
                                                 headers="'email', 'e-mail', 'email address'")),
    (["owner", "email", "Notes"], messages.NOT_IMPORTED.format(header="'Notes'")),
])
def test_a_header_problem_is_the_imports_own_sentence(headers, said):
    assert header_messages(headers) == [said]


def test_error_lines_are_in_the_readers_language():
    errors = error_frame([{"row": 2, "column": "party", "value": "Mars",
                           "message": check_party("Mars", PARTIES)[1]}])
    parsed = ParsedContacts("c.csv", "0" * 64, 1, pd.DataFrame(), errors)
    assert parsed.error_lines() == ["row 2, column party: unknown party 'Mars'; the plan's "
                                    "parties are India, Canada (or leave it empty)"]
    assert parsed.error_lines("fr") == [
        f"ligne 2, colonne «{NB}Partie{NB}»{NB}: partie inconnue «{NB}Mars{NB}»{NB}; les parties "
        "du plan sont India, Canada (ou laissez la cellule vide)"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "contacts.csv has 1,204 error(s); nothing was written."),
    ("fr", f"contacts.csv contient 1{NB}204 erreur(s){NB}; rien n'a été écrit."),
])
def test_a_refused_sheet_is_said_in_the_readers_language(lang, expected):
    assert refused_sheet("contacts.csv", 1204, lang) == expected
