"""The import's messages in French: each English template read back and written in French,
naming the row and the column by its French field label; English unchanged (issue 18)."""

from __future__ import annotations

import pytest

from analytics.ingest import ReadOptions, RefusedFileError, read_upload
from analytics.ingest.headers import map_headers
from analytics.ingest.issues import errors_by_field, format_error
from analytics.ingest.messages import (
    ACCEPTED_STATUS_TEXT,
    DATE_EXAMPLES,
    DAY_FIRST,
    FIELD_LABELS,
    TEMPLATES,
    field_label,
    message_in,
)
from analytics.reporting_round import STATE_LABELS, STATES, state_label
from analytics.writes import COLUMNS

NBSP = "\u00a0"
SAMPLE_VALUES = {"column": "as_of", "value": "31/02/2026", "n": "8", "row": "3", "more": "2",
                 "rows": "4, 5", "date": "2026-03-01", "date2": "2026-04-01", "form": DAY_FIRST,
                 "examples": DATE_EXAMPLES, "statuses": ACCEPTED_STATUS_TEXT,
                 "columns": "item_id, as_of and party", "example": "'03/04/2026'",
                 "names": "'Due' and 'Deadline'", "ids": "CYP-04 or CYP-40", "known": "India, Canada",
                 "header": "'Colour'", "headers": "'as of', 'as of date', 'date'", "m": "7",
                 "id": "12", "rejected": "1", "kind": "updates", "size": "1.5 MB",
                 "max": "64 KB", "when": "2026-11-02 09:30", "file": "march.csv",
                 "name": "march.csv", "who": "alice",
                 "places": "row 3 (byte 17, 0xE9), row 4 (byte 30, 0xE8)",
                 "part": "xl/worksheets/sheet1.xml", "detail": "KeyError: 'xl/workbook.xml'",
                 "sheets": "Mars, Avril", "count": "12,345"}


def bad_percent_upload():
    sheet = b"item_id,as_of,percent_complete,status\nA-1,2026-03-31,45,G\nA-2,2026-03-31,120,G\n"
    return read_upload(sheet, "march.csv", "updates", ReadOptions())


def test_a_bad_cell_names_its_row_and_french_column():
    parsed = bad_percent_upload()
    row, column, message = parsed.errors.iloc[0][["row", "column", "message"]]
    assert format_error(row, column, message) == (
        "row 3, column percent_complete: '120' is outside 0-100; expected a number from 0 to 100")
    assert format_error(row, column, message, "fr") == (
        f"ligne 3, colonne «{NBSP}% achevé{NBSP}»{NBSP}: «{NBSP}120{NBSP}» n'est pas un "
        f"pourcentage entre 0 et 100{NBSP}; un nombre de 0 à 100 est attendu")


def test_the_error_table_in_french_keeps_english_messages_in_english():
    parsed = bad_percent_upload()
    english = errors_by_field(parsed.errors, parsed.mapping)
    assert list(english["column"]) == ["% complete"]
    assert list(english["message"]) == list(parsed.errors["message"])
    french = errors_by_field(parsed.errors, parsed.mapping, "fr")
    assert french["column"].iloc[0].startswith("% achevé")
    assert french["message"].iloc[0].startswith(f"«{NBSP}120{NBSP}» n'est pas un pourcentage")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_is_read_back_and_written_in_french(template):
    english = template.format(**SAMPLE_VALUES)
    assert message_in(english, "en") == english
    french = message_in(english, "fr")
    assert french != english and "{" not in french


def test_a_message_no_template_knows_stays_as_it_is():
    assert message_in("something else entirely", "fr") == "something else entirely"


def test_french_numbers_dates_and_columns_in_a_message():
    english = "due date 2026-03-01 is before start date 2026-04-01"
    assert message_in(english, "fr") == "l'échéance du 1er mars 2026 précède la date de début du 1er avril 2026"
    same = message_in("the same item_id, as_of and party as row 2 but different values; keep "
                      "one of the two rows", "fr")
    assert f"«{NBSP}Identifiant de l'élément{NBSP}», «{NBSP}En date du{NBSP}» et «{NBSP}Partie{NBSP}»" in same


def test_field_labels_in_french():
    assert field_label("percent_complete") == "% complete"
    assert field_label("percent_complete", "fr") == "% achevé"
    assert field_label("item_id", "fr") == "Identifiant de l'élément"
    assert field_label("not_a_field", "fr") == "not_a_field"
    assert all(field_label(column, "fr") != label for column, label in FIELD_LABELS.items()
               if column != "description")


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_every_french_label_is_a_header_the_import_recognises(kind):
    labels = [field_label(column, "fr") for column in COLUMNS[kind]]
    mapping = map_headers(kind, labels)
    assert mapping.as_dict() == dict(zip(COLUMNS[kind], labels, strict=True))


def test_a_commit_message_in_french():
    english = "Imported 1204 updates row(s) from march.csv as upload 12; 3 invalid row(s) kept as rejects."
    assert message_in(english, "fr") == (
        f"1{NBSP}204 ligne(s) de type «{NBSP}mises à jour{NBSP}» importée(s) de march.csv comme "
        f"téléversement 12{NBSP}; 3 ligne(s) non valide(s) conservée(s) comme rejets.")


def test_a_refused_file_in_french():
    with pytest.raises(RefusedFileError) as refused:
        read_upload(b"\x00\x01\x02 binary", "march.csv", "updates", ReadOptions())
    assert str(refused.value).startswith("The file is not text")
    assert message_in(str(refused.value), "fr").startswith(f"Le fichier n'est pas du texte{NBSP}:")


def test_round_states_in_french():
    assert [state_label(s) for s in STATES] == [STATE_LABELS[s] for s in STATES]
    assert [state_label(s, "fr") for s in STATES] == [
        "En retard", "Attendu", "Rapport reçu", "Non exigible"]
