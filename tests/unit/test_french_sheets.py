"""French status sheets: header synonyms, statuses and decimal commas read like the English ones."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.ingest import ReadOptions, read_upload
from analytics.ingest.headers import FRENCH_SYNONYMS, SYNONYMS, _lookup, map_headers, normalise
from analytics.ingest.parse import FRENCH_STATUS_WORDS, STATUS_WORDS
from analytics.writes import COLUMNS

UPDATES_FR = ["Identifiant", "Date du rapport", "% achevé", "État"]


def updates(rows: list[str], sep: str = ";", headers: list[str] = UPDATES_FR, **options):
    text = "\n".join([sep.join(headers), *rows]) + "\n"
    return read_upload(text.encode(), "u.csv", "updates", ReadOptions(**options))


def one_row(cells: str, sep: str = ";"):
    parsed = updates([cells], sep)
    assert parsed.ok, parsed.error_lines()
    return parsed.table.to_pylist()[0]


@pytest.mark.parametrize("kind, header, expected", [
    ("updates", "Identifiant", "item_id"), ("updates", "IDENTIFIANT", "item_id"),
    ("updates", "% achevé", "percent_complete"), ("updates", "% Acheve", "percent_complete"),
    ("updates", "Pourcentage achevé", "percent_complete"), ("updates", "Avancement (%)", "percent_complete"),
    ("updates", "État", "status"), ("updates", "etat", "status"), ("updates", "Statut", "status"),
    ("updates", "Commentaires", "note"), ("updates", "Date du rapport", "as_of"),
    ("updates", "date  du   RAPPORT", "as_of"), ("updates", "Signalé par", "reported_by"),
    ("updates", "Partie", "party"), ("updates", "Pays", "party"),
    ("items", "Identifiant", "item_id"), ("items", "Domaine", "domain"), ("items", "Titre", "title"),
    ("items", "Intitulé", "title"), ("items", "Partie responsable", "lead_party"),
    ("items", "Partie", "lead_party"), ("items", "Responsable", "owner"),
    ("items", "Date de début", "start_date"), ("items", "Échéance", "due_date"),
    ("items", "ÉCHÉANCE", "due_date"), ("items", "Date d'échéance", "due_date"),
    ("items", "Date d’échéance", "due_date"), ("items", "Pondération", "weight"),
    ("items", "Description", "description"),
    ("milestones", "Identifiant du jalon", "milestone_id"), ("milestones", "Identifiant", "milestone_id"),
    ("milestones", "Identifiant de l'élément", "item_id"), ("milestones", "Jalon", "title"),
    ("milestones", "Échéance", "due_date"), ("milestones", "Date d'achèvement", "completed_date"),
    ("milestones", "Date de référence", "baseline_date"),
])
def test_french_headers_map_to_canonical_columns(kind, header, expected):
    assert map_headers(kind, [header]).header_for(expected) == header


@pytest.mark.parametrize("kind, headers", [
    ("items", ["Identifiant", "Domaine", "Intitulé", "Partie responsable", "Responsable",
               "Date de début", "Échéance", "Pondération", "Description"]),
    ("milestones", ["Identifiant du jalon", "Identifiant de l'élément", "Jalon", "Date d'échéance",
                    "Date d'achèvement", "Date de référence"]),
    ("updates", ["Identifiant", "Date du rapport", "Pourcentage achevé", "État", "Commentaires",
                 "Signalé par", "Partie"]),
])
def test_a_french_sheet_maps_every_column_without_warnings(kind, headers):
    mapping = map_headers(kind, headers)
    assert not mapping.errors and not mapping.warnings
    assert set(mapping.columns) == set(COLUMNS[kind])


@pytest.mark.parametrize("kind", ["items", "milestones", "updates"])
def test_each_french_synonym_means_its_own_column_and_english_keeps_its_meaning(kind):
    table = _lookup(kind)
    for canonical, words in FRENCH_SYNONYMS[kind].items():
        for word in words:
            assert table[normalise(word)] == canonical, (kind, word)
    english = {}
    for canonical in COLUMNS[kind]:
        for word in [canonical, *SYNONYMS[kind].get(canonical, [])]:
            english.setdefault(normalise(word), canonical)
    assert {key: table[key] for key in english} == english


@pytest.mark.parametrize("header, normal", [
    ("État", "etat"), ("Échéance", "echeance"), ("% achevé", "percentacheve"),
    ("Date d’échéance", "datedecheance"), ("Item ID", "itemid"), ("Cœur", "coeur"),
    ("E\u0301tat", "etat"),                             # a decomposed accent (macOS)
])
def test_normalise_ignores_accents_case_and_punctuation(header, normal):
    assert normalise(header) == normal


@pytest.mark.parametrize("cell, status", [
    ("vert", "green"), ("Vert", "green"), ("VERTE", "green"), ("En bonne voie", "green"),
    ("jaune", "amber"), ("Ambre", "amber"), ("À risque", "amber"), ("a risque", "amber"),
    ("rouge", "red"), ("ROUGE", "red"), ("En retard", "red"),
    ("terminé", "complete"), ("Terminé", "complete"), ("TERMINÉ", "complete"), ("termine", "complete"),
    ("achevé", "complete"), ("Achevee", "complete"), ("Te\u0301rmine\u0301", "complete"),
    ("non commencé", "not_started"), ("Non commence", "not_started"), ("NON-COMMENCÉ", "not_started"),
    ("pas commencé", "not_started"), ("Pas  Commencé", "not_started"), ("pas_commence", "not_started"),
])
def test_french_statuses(cell, status):
    assert one_row(f"A;2026-10-31;45;{cell}")["status"] == status


def test_french_status_words_do_not_clash_with_english_ones():
    english = {w: s for s, words in STATUS_WORDS.items() for w in words}
    for status, words in FRENCH_STATUS_WORDS.items():
        for word in words:
            assert english.get(word, status) == status, word


def test_an_unknown_french_status_is_an_error_naming_row_and_column():
    parsed = updates(["A;2026-10-31;45;violet"])
    assert parsed.error_lines()[0].startswith("row 2, column status: 'violet' is not a status")


@pytest.mark.parametrize("cell, expected", [
    ("79,5", 79.5), ("79,5 %", 79.5), ("79,5%", 79.5), ("79,5\u00a0%", 79.5), ("79,5\u202f%", 79.5),
    ("0,25", 0.25), ("100", 100.0), (",5", 0.5),
])
def test_decimal_comma_percents(cell, expected):
    assert one_row(f"A;2026-10-31;{cell};vert")["percent_complete"] == expected


def test_quoted_decimal_comma_in_a_comma_delimited_file():
    assert one_row('A,2026-10-31,"79,5",vert', sep=",")["percent_complete"] == 79.5


@pytest.mark.parametrize("cell, fragment", [
    ("79,5,1", "'79,5,1' is not a percentage"), ("7 9,5", "'7 9,5' is not a percentage"),
    ("1.234,5", "'1.234,5' is not a percentage"), ("150,5", "'150,5' is outside 0-100"),
    ("soixante", "'soixante' is not a percentage"),
])
def test_malformed_decimal_commas_are_row_and_column_errors(cell, fragment):
    parsed = updates([f"A;2026-10-31;{cell};vert"])
    assert len(parsed.error_lines()) == 1
    assert parsed.error_lines()[0].startswith("row 2, column percent_complete: ") and fragment in parsed.error_lines()[0]


ITEMS_FR = "Identifiant;Domaine;Intitulé;Partie responsable;Responsable;Date de début;Échéance;Pondération\n"


@pytest.mark.parametrize("cell, expected", [("1,5", 1.5), ("0,25", 0.25), ("2", 2.0), ("", 1.0)])
def test_decimal_comma_weights(cell, expected):
    text = ITEMS_FR + f"I-1;Fraude;Partager;Canada;GRC;2028-01-01;13/03/2028;{cell}\n"
    parsed = read_upload(text.encode(), "i.csv", "items")
    assert parsed.ok, parsed.error_lines()
    assert parsed.table.to_pylist()[0]["weight"] == expected


@pytest.mark.parametrize("cell", ["1,5,2", "1.2,5", "lourd"])
def test_malformed_weights_are_row_and_column_errors(cell):
    text = ITEMS_FR + f"I-1;Fraude;Partager;Canada;GRC;2028-01-01;13/03/2028;{cell}\n"
    parsed = read_upload(text.encode(), "i.csv", "items")
    assert [line.split(":")[0] for line in parsed.error_lines()] == ["row 2, column weight"]


def test_day_first_french_dates_are_read_day_first():
    row = read_upload((ITEMS_FR + "I-1;Fraude;Partager;Canada;GRC;01/02/2028;13/03/2028;1\n").encode(),
                      "i.csv", "items").table.to_pylist()[0]
    assert (row["start_date"], row["due_date"]) == (date(2028, 2, 1), date(2028, 3, 13))


def test_a_windows_1252_french_sheet_keeps_its_accented_headers_and_statuses():
    text = ("Identifiant;Date du rapport;% achevé;État\nA;13/03/2028;79,5 %;Terminé\n").encode("cp1252")
    parsed = read_upload(text, "u.csv", "updates")
    assert parsed.ok, parsed.error_lines()
    row = parsed.table.to_pylist()[0]
    assert (row["as_of"], row["percent_complete"], row["status"]) == (date(2028, 3, 13), 79.5, "complete")


@settings(max_examples=60, deadline=None)
@given(whole=st.integers(min_value=0, max_value=99), decimals=st.integers(min_value=0, max_value=999),
       places=st.integers(min_value=1, max_value=3), sign=st.sampled_from(["", "%", " %", "\u00a0%"]))
def test_a_decimal_comma_number_parses_to_the_same_value_as_with_a_point(whole, decimals, places, sign):
    fraction = str(decimals % 10 ** places).zfill(places)
    with_point = float(f"{whole}.{fraction}")
    assert one_row(f"A;2026-10-31;{whole},{fraction}{sign};vert")["percent_complete"] == with_point
