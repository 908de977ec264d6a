"""Contacts of a plan: a sheet imported (CSV and XLSX), refused, replaced and undone; one
row edited and removed; every change audited; the list per plan; `workplan contacts`."""

import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.cli import main
from analytics.contacts import (
    commit_contacts,
    contact_changes,
    plan_contacts,
    read_contacts,
    remove_contact,
    set_contact,
    undo_contacts,
    undoable_import,
)
from analytics.errors import WorkplanError
from analytics.ingest import ReadOptions, import_upload
from analytics.ingest.issues import RefusedFileError, RefusedUploadError
from analytics.plans import add_plan
from analytics.store import migration_files, open_store

ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "I-1,Fraud,Share typologies,Canada,CAFC,2026-01-01,2026-06-30\n"
         "I-2,Cyber,Joint exercise,Joint,Ministry of Home Affairs,2026-01-01,2026-09-30\n"
         "I-3,Fraud,Trace proceeds,India,RCMP Federal Policing,2026-02-01,2026-12-31\n")
SHEET = ("Agency,E-mail,Party,CC\n"
         "cafc,fraud@cafc.ca,canada,\n"
         "Ministry of Home Affairs,desk@mha.gov.in,India,js@mha.gov.in\n")
OWNERS = ["CAFC", "Ministry of Home Affairs", "RCMP Federal Policing"]


@pytest.fixture
def small_plan(fresh_store):
    """A store whose plan 1 (`main`) has three items with three owners."""
    import_upload(fresh_store, ITEMS.encode(), "items.csv", "items", ReadOptions(), by="setup")
    return fresh_store


def imported(store, text: str, by: str = "alice", plan_id: int = 1, name: str = "contacts.csv"):
    return commit_contacts(store, plan_id, read_contacts(text.encode(), name, store, plan_id), by)


def counts(store) -> tuple:
    return tuple(store.scalar(f"SELECT count(*) FROM {t}") for t in
                 ("contacts", "contact_history", "contact_uploads", "audit_log"))


def test_a_sheet_becomes_the_plans_list_spelt_as_the_items_and_audited(small_plan):
    result = imported(small_plan, SHEET)
    assert result.upload_id == 1
    assert plan_contacts(small_plan, 1).to_dict("records") == [
        {"owner": "CAFC", "email": "fraud@cafc.ca", "party": "Canada", "escalation_email": None,
         "language": "en"},
        {"owner": "Ministry of Home Affairs", "email": "desk@mha.gov.in", "party": "India",
         "escalation_email": "js@mha.gov.in", "language": "en"}]
    assert small_plan.cursor().execute(
        "SELECT username, action, detail, plan_id FROM audit_log WHERE action LIKE 'contacts%'"
    ).fetchall() == [("alice", "contacts import", "contacts.csv: 2 new contact(s): CAFC, "
                      "Ministry of Home Affairs. (version 1)", 1)]
    change = contact_changes(small_plan, 1).iloc[0]
    assert (change["kind"], change["filename"], change["rows"], change["uploaded_by"]) == \
        ("import", "contacts.csv", 2, "alice")
    assert small_plan.scalar("SELECT list(row_number ORDER BY row_number) FROM contact_history") == [2, 3]


def test_an_xlsx_sheet_is_read_from_the_chosen_sheet(small_plan):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Contacts")
    for row in [["Desk", "Email", "Escalation"], ["RCMP Federal Policing", "ops@rcmp.ca", "chief@rcmp.ca"]]:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    parsed = read_contacts(data.getvalue(), "contacts.xlsx", small_plan, 1, sheet="Contacts")
    assert parsed.ok, parsed.error_lines()
    commit_contacts(small_plan, 1, parsed, by="alice")
    assert plan_contacts(small_plan, 1)["escalation_email"].tolist() == ["chief@rcmp.ca"]
    with pytest.raises(RefusedFileError, match="no sheet 'Other'"):
        read_contacts(data.getvalue(), "contacts.xlsx", small_plan, 1, sheet="Other")


@pytest.mark.parametrize(("sheet", "lines"), [
    ("owner,email\nCAFC,fraud@cafc.ca\nHome Affairs,x@mha.gov.in\n",
     ["row 3, column owner: unknown owner 'Home Affairs'; did you mean Ministry of Home Affairs? "
      "Otherwise use an owner named in the plan's items sheet"]),
    ("owner,email,escalation_email\nCAFC,fraud@cafc,\nRCMP Federal Policing,ops@rcmp.ca,boss\n",
     ["row 2, column email: 'fraud@cafc' is not an email address; write one plain address such "
      "as desk@agency.gov",
      "row 3, column escalation_email: 'boss' is not an email address; write one plain address "
      "such as desk@agency.gov"]),
    ("owner,email\nCAFC,a@cafc.ca\nRCMP Federal Policing,ops@rcmp.ca\ncafc,b@cafc.ca\n",
     ["row 4, column owner: owner 'CAFC' is already on row 2; give each owner one row"]),
    ("owner,email,party\nCAFC,a@cafc.ca,EU\n",
     ["row 2, column party: unknown party 'EU'; the plan's parties are Canada, India (or leave "
      "it empty)"]),
    ("owner,address\nCAFC,a@cafc.ca\n",
     ["row 1, column email: required column email is missing (a header such as 'email', "
      "'e-mail', 'email address')."]),
    ("owner,email\n", ["the file has a header row but no data rows"]),
])
def test_a_bad_sheet_is_refused_with_row_and_column_and_nothing_is_written(small_plan, sheet, lines):
    imported(small_plan, SHEET)
    before = counts(small_plan)
    parsed = read_contacts(sheet.encode(), "bad.csv", small_plan, 1)
    assert not parsed.ok and parsed.error_lines() == lines and parsed.preview is None
    with pytest.raises(RefusedUploadError, match="nothing was written"):
        commit_contacts(small_plan, 1, parsed, by="alice")
    assert counts(small_plan) == before


@pytest.mark.parametrize(("sheet", "read"), [
    ("owner,email\nCAFC,a@cafc.ca\nRCMP Federal Policing,ops@rcmp.ca\n", 2),
    ("owner,email\nCAFC,a@cafc.ca\nRCMP Federal Policing\n", 2),              # too few fields
    ("owner,email\nCAFC,a@cafc.ca\nRCMP Federal Policing,ops@rcmp.ca,x\n", 2),   # too many
    ("owner,email\nCAFC,a@cafc.ca\n\n,\nRCMP Federal Policing,ops@rcmp.ca\n", 2),  # blank rows
])
def test_rows_read_counts_each_row_of_the_sheet_once(small_plan, sheet, read):
    assert read_contacts(sheet.encode(), "c.csv", small_plan, 1).rows_read == read


def test_a_file_the_readers_refuse_is_one_sentence(small_plan):
    with pytest.raises(RefusedFileError, match="empty"):
        read_contacts(b"", "c.csv", small_plan, 1)
    with pytest.raises(WorkplanError, match="--sheet is for .xlsx"):
        read_contacts(SHEET.encode(), "c.csv", small_plan, 1, sheet="Contacts")


def test_a_second_sheet_replaces_the_list_and_keeps_who_set_unchanged_rows(small_plan):
    imported(small_plan, SHEET)
    second = ("owner,email\nCAFC,fraud@cafc.ca\nRCMP Federal Policing,ops@rcmp.ca\n")
    parsed = read_contacts(second.encode(), "second.csv", small_plan, 1)
    assert parsed.summary_lines() == [
        "2 row(s) read, 2 valid, 0 error(s).", "1 new contact(s): RCMP Federal Policing.",
        "1 changed: CAFC.", "1 removed: Ministry of Home Affairs."]
    assert parsed.preview.changed.to_dict("records") == [
        {"owner": "CAFC", "field": "party", "before": "Canada", "after": "-"}]
    commit_contacts(small_plan, 1, parsed, by="bob")
    assert small_plan.cursor().execute(
        "SELECT owner, upload_id FROM contacts ORDER BY owner").fetchall() == [
        ("CAFC", 2), ("RCMP Federal Policing", 2)]
    same = imported(small_plan, "owner,email\nCAFC,fraud@cafc.ca\nRCMP Federal Policing,ops@rcmp.ca\n")
    assert same.upload_id is None and "no change; nothing was written" in same.message
    set_contact(small_plan, 1, "CAFC", "new@cafc.ca", None, None, by="bob")
    assert dict(small_plan.cursor().execute("SELECT owner, upload_id FROM contacts").fetchall()) == {
        "CAFC": 3, "RCMP Federal Policing": 2}


def test_undo_restores_the_list_before_each_import_in_turn(small_plan):
    imported(small_plan, SHEET)
    first = plan_contacts(small_plan, 1)
    imported(small_plan, "owner,email\nRCMP Federal Policing,ops@rcmp.ca\n", name="second.csv")
    set_contact(small_plan, 1, "CAFC", "x@cafc.ca", "Canada", "", by="carol")
    assert undoable_import(small_plan, 1) == (2, "second.csv")
    result = undo_contacts(small_plan, 1, by="dave")
    assert "Undid contacts import 2 (second.csv)" in result.message
    assert plan_contacts(small_plan, 1).equals(first)       # the edit after it went with it
    assert undoable_import(small_plan, 1) == (1, "contacts.csv")
    undo_contacts(small_plan, 1, by="dave")
    assert plan_contacts(small_plan, 1).empty
    with pytest.raises(WorkplanError, match="no contacts import to undo"):
        undo_contacts(small_plan, 1, by="dave")
    changes = contact_changes(small_plan, 1)
    assert changes["kind"].tolist() == ["undo", "undo", "edit", "import", "import"]
    assert changes.set_index("id").loc[[1, 2], "reverted_by"].tolist() == ["dave", "dave"]
    assert small_plan.scalar("SELECT count(*) FROM audit_log WHERE action = 'contacts undo'") == 2


def test_one_row_is_added_changed_and_removed_audited(small_plan):
    set_contact(small_plan, 1, "rcmp federal policing", "ops@rcmp.ca", "canada", None, by="erin")
    set_contact(small_plan, 1, "RCMP Federal Policing", "ops@rcmp.ca", "Canada", "c@rcmp.ca", by="erin")
    assert plan_contacts(small_plan, 1).to_dict("records") == [
        {"owner": "RCMP Federal Policing", "email": "ops@rcmp.ca", "party": "Canada",
         "escalation_email": "c@rcmp.ca", "language": "en"}]
    remove_contact(small_plan, 1, "RCMP Federal Policing", by="erin")
    assert plan_contacts(small_plan, 1).empty
    assert [r[0] for r in small_plan.cursor().execute(
        "SELECT action FROM audit_log WHERE username = 'erin' ORDER BY id").fetchall()] == [
        "contacts edit", "contacts edit", "contacts remove"]


def test_a_bad_edit_names_the_column_and_writes_nothing(small_plan):
    before = counts(small_plan)
    with pytest.raises(WorkplanError) as caught:
        set_contact(small_plan, 1, "CAFC", "not-an-address", "Mars", None, by="erin")
    assert str(caught.value).startswith("column email: 'not-an-address' is not an email address")
    assert "column party: unknown party 'Mars'" in str(caught.value)
    with pytest.raises(WorkplanError, match="unknown owner 'Nobody'"):
        set_contact(small_plan, 1, "Nobody", "a@b.org", None, None, by="erin")
    with pytest.raises(WorkplanError, match="has no contact"):
        remove_contact(small_plan, 1, "CAFC", by="erin")
    assert counts(small_plan) == before


def test_contacts_belong_to_their_plan(small_plan):
    imported(small_plan, SHEET)
    other = add_plan(small_plan, "TR", title="Trade", by="setup")
    assert plan_contacts(small_plan, other.id).empty
    parsed = read_contacts(SHEET.encode(), "c.csv", small_plan, other.id)
    assert parsed.error_lines()[0].endswith("the plan has no items yet, import them first")
    with pytest.raises(WorkplanError, match="another plan"):
        commit_contacts(small_plan, other.id, read_contacts(SHEET.encode(), "c.csv", small_plan, 1),
                        by="alice")
    with pytest.raises(WorkplanError, match="no contacts import to undo"):
        undo_contacts(small_plan, other.id, by="alice")
    assert len(plan_contacts(small_plan, 1)) == 2


def test_a_sheet_longer_than_any_contact_list_is_refused_before_its_rows_are_checked(small_plan):
    text = "owner,email\n" + "CAFC,a@cafc.ca\n" * 5001
    with pytest.raises(RefusedFileError, match="5,001 rows; a contacts sheet has one row per owner"):
        read_contacts(text.encode(), "long.csv", small_plan, 1)


def test_removing_a_plan_removes_its_contacts(small_plan):
    from analytics.plans import remove_plan

    imported(small_plan, SHEET)
    remove_plan(small_plan, "main", force=True, by="setup")
    assert counts(small_plan)[:3] == (0, 0, 0)


def test_the_migration_runs_again_without_change(small_plan):
    imported(small_plan, SHEET)
    sql = next(text for version, _, text in migration_files() if version == 7)
    small_plan.cursor().execute(sql)
    assert len(plan_contacts(small_plan, 1)) == 2


addresses = st.from_regex(r"[a-z0-9]{1,8}(\.[a-z0-9]{1,5})?@[a-z]{1,8}\.(gov|ca|in|org)", fullmatch=True)


@settings(max_examples=25)
@given(st.lists(st.tuples(st.sampled_from(OWNERS), addresses, st.sampled_from(["", "India", "Canada"]),
                          st.one_of(st.just(""), addresses)), min_size=1, max_size=3,
                unique_by=lambda row: row[0]))
def test_any_valid_sheet_round_trips_and_undo_empties_it(small_plan, rows):
    text = "owner,email,party,escalation_email\n" + "".join(",".join(r) + "\n" for r in rows)
    imported(small_plan, text)
    got = {r["owner"]: r for r in plan_contacts(small_plan, 1).to_dict("records")}
    assert {o: (e, p or None, x or None) for o, e, p, x in rows} == {
        o: (r["email"], r["party"], r["escalation_email"]) for o, r in got.items()}
    undo_contacts(small_plan, 1, by="alice")
    assert plan_contacts(small_plan, 1).empty


# -- the command line --------------------------------------------------------

def run(capsys, db, *argv):
    code = main(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli_db(db_path, tmp_path):
    with open_store(db_path) as store:
        import_upload(store, ITEMS.encode(), "items.csv", "items", ReadOptions(), by="setup")
    (tmp_path / "contacts.csv").write_text(SHEET)
    (tmp_path / "bad.csv").write_text("owner,email\nCAFC,a@cafc\ncafc,b@cafc.ca\n")
    return db_path


def test_cli_import_dry_run_list_and_undo(capsys, cli_db, tmp_path):
    sheet = str(tmp_path / "contacts.csv")
    code, out, _ = run(capsys, cli_db, "contacts", "import", sheet, "--dry-run")
    assert code == 0 and out.splitlines() == [
        "2 row(s) read, 2 valid, 0 error(s).", "2 new contact(s): CAFC, Ministry of Home Affairs.",
        "Dry run: nothing was written."]
    code, out, _ = run(capsys, cli_db, "contacts", "list")
    assert code == 0 and out.startswith("No contacts for plan main yet")
    code, out, _ = run(capsys, cli_db, "contacts", "import", sheet, "--by", "alice", "--plan", "main")
    assert code == 0 and out == ("main: Imported 2 contact(s) from contacts.csv (version 1): "
                                 "2 new contact(s): CAFC, Ministry of Home Affairs.\n")
    code, out, _ = run(capsys, cli_db, "contacts", "list", "--format", "csv")
    assert out.splitlines() == ["owner,email,party,escalation_email,language",
                                "CAFC,fraud@cafc.ca,Canada,,en",
                                "Ministry of Home Affairs,desk@mha.gov.in,India,js@mha.gov.in,en"]
    code, out, _ = run(capsys, cli_db, "contacts", "list")
    assert "fraud@cafc.ca" in out and "js@mha.gov.in" in out
    code, out, _ = run(capsys, cli_db, "contacts", "undo", "--by", "alice")
    assert code == 0 and out == ("main: Undid contacts import 1 (contacts.csv): the list is back "
                                 "to 0 contact(s).\n")
    code, _, err = run(capsys, cli_db, "contacts", "undo")
    assert code == 2 and err == "workplan: There is no contacts import to undo in this plan.\n"


def test_cli_refuses_a_bad_sheet_with_each_error_and_exit_1(capsys, cli_db, tmp_path):
    code, out, err = run(capsys, cli_db, "contacts", "import", str(tmp_path / "bad.csv"))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "row 2, column email: 'a@cafc' is not an email address; write one plain address such as "
        "desk@agency.gov",
        "row 3, column owner: owner 'CAFC' is already on row 2; give each owner one row",
        f"workplan: {tmp_path / 'bad.csv'} has 2 error(s); nothing was written."]
    code, _, err = run(capsys, cli_db, "contacts", "import", str(tmp_path / "bad.csv"), "--dry-run")
    assert code == 1
    code, _, err = run(capsys, cli_db, "contacts", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and err == f"workplan: There is no file {tmp_path / 'missing.csv'}.\n"
    code, _, err = run(capsys, cli_db, "contacts", "list", "--plan", "XX")
    assert code == 2 and err.startswith("workplan: There is no plan 'XX'")
    with open_store(cli_db) as store:
        assert store.scalar("SELECT count(*) FROM contact_uploads") == 0
