"""Header matching: case/spacing/punctuation, synonyms, unknown, missing and duplicated columns."""

import pytest

from analytics.ingest import read_upload
from analytics.ingest.headers import map_headers


@pytest.mark.parametrize("header, expected", [
    ("Item ID", "item_id"), ("item_id", "item_id"), ("  ITEM-id ", "item_id"),
    ("% Complete", "percent_complete"), ("Progress", "percent_complete"),
    ("Percent complete", "percent_complete"), ("RAG", "status"), ("RAG status", "status"),
    ("As of", "as_of"), ("Reporting date", "as_of"), ("Comments", "note"),
    ("Reported by", "reported_by"), ("Country", "party"),
])
def test_update_headers_and_synonyms_map_to_canonical_columns(header, expected):
    base = {"item_id": "Item ID", "as_of": "As of", "percent_complete": "% Complete", "status": "RAG"}
    base[expected] = header
    mapping = map_headers("updates", list(base.values()))
    assert not mapping.errors
    assert mapping.header_for(expected) == header


@pytest.mark.parametrize("kind, headers", [
    ("items", ["ID", "Workstream", "Name", "Lead", "Agency", "Start", "Deadline"]),
    ("milestones", ["Milestone ID", "Item ID", "Milestone", "Due date", "Completed", "Baseline"]),
])
def test_items_and_milestones_synonyms_cover_required_columns(kind, headers):
    mapping = map_headers(kind, headers)
    assert not mapping.errors


def test_unknown_column_is_ignored_with_a_warning():
    mapping = map_headers("updates", ["Item ID", "As of", "% Complete", "RAG", "Budget code"])
    assert not mapping.errors
    assert any("Budget code" in w and "ignored" in w for w in mapping.warnings)


def test_missing_required_column_is_an_error_naming_it():
    mapping = map_headers("updates", ["Item ID", "As of", "RAG"])
    assert [e["column"] for e in mapping.errors] == ["percent_complete"]
    assert "required column percent_complete is missing" in mapping.errors[0]["message"]
    assert mapping.errors[0]["row"] == 1


def test_duplicated_column_is_an_error():
    mapping = map_headers("updates", ["Item ID", "As of", "% Complete", "Progress", "RAG"])
    assert len(mapping.errors) == 1
    assert "'% Complete' and 'Progress' both mean percent_complete" in mapping.errors[0]["message"]
    assert not any("Progress" in w for w in mapping.warnings)    # an error, not "ignored"


def test_override_corrects_the_mapping():
    headers = ["Ref", "Week", "Done so far", "Colour"]
    assert map_headers("updates", headers).errors
    fixed = map_headers("updates", headers, {"as_of": "Week", "percent_complete": "Done so far",
                                             "status": "Colour"})
    assert not fixed.errors
    assert fixed.as_dict()["percent_complete"] == "Done so far"


def test_header_errors_refuse_the_file_with_row_1():
    parsed = read_upload(b"Item ID,As of,RAG\nA,2026-01-01,G\n", "x.csv", "updates")
    assert parsed.text is None and not parsed.ok
    assert parsed.error_lines() == [
        "row 1, column percent_complete: required column percent_complete is missing "
        "(a header such as 'percent complete', '% complete', 'percent')."]


@pytest.mark.parametrize("kind", ["items", "milestones", "updates"])
def test_every_field_has_a_label_in_words_that_maps_back_to_it(kind):
    from analytics.ingest.headers import FIELD_LABELS, field_label
    from analytics.writes import COLUMNS

    labels = [field_label(column) for column in COLUMNS[kind]]
    assert all(column in FIELD_LABELS for column in COLUMNS[kind])
    assert not any("_" in label for label in labels)
    mapping = map_headers(kind, labels)
    assert not mapping.errors and not mapping.warnings
    assert mapping.as_dict() == dict(zip(COLUMNS[kind], labels, strict=True))
