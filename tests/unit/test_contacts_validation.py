"""The checks of a contact row and of a contacts sheet's header, rows and preview (no store)."""

import pandas as pd
import pytest

from analytics.contacts.checks import check_contact, check_email, check_owner, check_party
from analytics.contacts.sheet import checked_rows, compare, map_contact_headers
from analytics.ingest.issues import format_error

OWNERS = ["Ministry of Home Affairs", "CAFC", "RCMP Federal Policing"]
PARTIES = ["India", "Canada"]


@pytest.mark.parametrize("address", [
    "desk@mha.gov.in", "first.last+tag@agency.gc.ca", "o'neil@example.org", "A_B-c@sub.dom-ain.io",
    "  padded@example.com  ",
])
def test_plain_addresses_are_accepted(address):
    assert check_email(address, required=True) == (address.strip(), None)


@pytest.mark.parametrize("address", [
    "desk", "desk@", "@mha.gov.in", "desk@mha", "desk@mha.", "desk@.gov.in", "desk@@mha.gov.in",
    "de sk@mha.gov.in", ".desk@mha.gov.in", "desk.@mha.gov.in", "de..sk@mha.gov.in",
    "Desk <desk@mha.gov.in>", "desk@mha.gov.in, other@mha.gov.in", "desk@-mha.gov.in",
    "desk@mha.gov.1n", "desk@mha_gov.in", "x" * 250 + "@mha.gov.in",
])
def test_malformed_addresses_are_refused_with_an_example(address):
    value, message = check_email(address, required=True)
    assert value is None and "is not an email address" in message
    assert "desk@agency.gov" in message


def test_an_address_is_required_but_an_escalation_address_is_not():
    assert check_email("  ", required=True) == (None, "an email address is required")
    assert check_email("", required=False) == (None, None)


@pytest.mark.parametrize(("given", "stored"), [
    ("Ministry of Home Affairs", "Ministry of Home Affairs"),
    ("ministry of  home affairs ", "Ministry of Home Affairs"),
    ("cafc", "CAFC"),
])
def test_an_owner_is_stored_as_the_items_spell_it(given, stored):
    assert check_owner(given, OWNERS) == (stored, None)


@pytest.mark.parametrize(("given", "hint"), [
    ("CAFCC", "did you mean CAFC?"),
    ("Home Affairs", "did you mean Ministry of Home Affairs?"),
    ("RCMP", "did you mean RCMP Federal Policing?"),
    ("Department of Nothing", "use an owner named"),
])
def test_an_unknown_owner_names_the_closest_owner(given, hint):
    value, message = check_owner(given, OWNERS)
    assert value is None and message.startswith(f"unknown owner '{given}'")
    assert hint in message


def test_an_owner_is_required_and_a_plan_without_items_says_so():
    assert check_owner(" ", OWNERS)[1].startswith("an owner is required")
    assert "no items yet" in check_owner("CAFC", [])[1]


@pytest.mark.parametrize(("given", "expected"), [
    ("india", ("India", None)), (" Canada ", ("Canada", None)), ("", (None, None)),
])
def test_a_party_is_one_of_the_plans_or_empty(given, expected):
    assert check_party(given, PARTIES) == expected


def test_an_unknown_party_lists_the_plans_parties():
    assert check_party("Mars", PARTIES)[1] == ("unknown party 'Mars'; the plan's parties are "
                                               "India, Canada (or leave it empty)")


def test_a_row_reports_every_problem_in_column_order():
    row, problems = check_contact({"owner": "nobody", "email": "x", "party": "Mars",
                                   "escalation_email": "y@"}, OWNERS, PARTIES)
    assert [f for f, _ in problems] == ["owner", "email", "party", "escalation_email"]
    assert row == {"owner": None, "email": None, "party": None, "escalation_email": None,
                   "language": "en"}


@pytest.mark.parametrize(("headers", "fields"), [
    (["owner", "email", "party", "escalation_email"],
     {"owner": 0, "email": 1, "party": 2, "escalation_email": 3}),
    (["Agency", "E-mail", "Escalation"], {"owner": 0, "email": 1, "escalation_email": 2}),
    (["Desk", "Notes", "EMAIL", "CC"], {"owner": 0, "email": 2, "escalation_email": 3}),
    (["  Owner ", "Email Address", "Party"], {"owner": 0, "email": 1, "party": 2}),
])
def test_header_synonyms(headers, fields):
    found, errors, _ = map_contact_headers(headers)
    assert (found, errors) == (fields, [])


def test_header_problems_are_row_1_errors_and_other_columns_are_ignored_with_a_warning():
    found, errors, warnings = map_contact_headers(["Agency", "Desk", "Notes"])
    lines = [format_error(e["row"], e["column"], e["message"]) for e in errors]
    assert lines == ["row 1, column Desk: columns 'Agency' and 'Desk' both mean owner; keep one "
                     "or correct the mapping.",
                     "row 1, column email: required column email is missing (a header such as "
                     "'email', 'e-mail', 'email address')."]
    assert warnings == ["Column 'Notes' is not one we import; it was ignored."]


def test_rows_are_checked_blank_rows_skipped_and_a_second_row_for_an_owner_names_the_first():
    cells = {"owner": ["cafc", "", "CAFC", "nobody"],
             "email": ["a@cafc.ca", "", "b@cafc.ca", "c@x.org"]}
    rows, errors = checked_rows(cells, [2, 3, 4, 5], OWNERS, PARTIES)
    assert rows.to_dict("records") == [{"row_number": 2, "owner": "CAFC", "email": "a@cafc.ca",
                                        "party": None, "escalation_email": None,
                                        "language": "en"}]
    lines = [format_error(r, c, m) for r, c, m in zip(errors["row"], errors["column"],
                                                      errors["message"], strict=True)]
    assert lines[0] == "row 4, column owner: owner 'CAFC' is already on row 2; give each owner one row"
    assert lines[1].startswith("row 5, column owner: unknown owner 'nobody'")
    assert len(lines) == 2


def test_the_preview_names_new_changed_and_removed_contacts():
    current = pd.DataFrame([["CAFC", "a@cafc.ca", None, None], ["RCMP Federal Policing", "r@rcmp.ca",
                            "Canada", None]], columns=["owner", "email", "party", "escalation_email"])
    rows = pd.DataFrame([[2, "CAFC", "new@cafc.ca", "Canada", None],
                         [3, "Ministry of Home Affairs", "d@mha.gov.in", "India", None]],
                        columns=["row_number", "owner", "email", "party", "escalation_email"])
    preview = compare(current, rows)
    assert preview.new["owner"].tolist() == ["Ministry of Home Affairs"]
    assert preview.changed.to_dict("records") == [
        {"owner": "CAFC", "field": "email", "before": "a@cafc.ca", "after": "new@cafc.ca"},
        {"owner": "CAFC", "field": "party", "before": "-", "after": "Canada"}]
    assert preview.table("changed", "fr")["field"].tolist() == ["Courriel", "Partie"]
    assert preview.removed["owner"].tolist() == ["RCMP Federal Policing"]
    assert preview.summary_lines() == ["1 new contact(s): Ministry of Home Affairs.",
                                       "1 changed: CAFC.", "1 removed: RCMP Federal Policing."]
    assert compare(current, current.assign(row_number=[2, 3])).summary_lines() == [
        "No change: the sheet holds the list as it is."]
