"""Before commit: the first rows as they will be stored, why Commit is off, and 'did you mean' on both paths."""

from datetime import date

import pytest

from analytics.cli import main
from analytics.ingest import ReadOptions, commit_parsed, read_upload
from analytics.ingest.issues import errors_by_field, readable_errors
from analytics.ingest.preview import TABLE_LABELS, parsed_rows
from analytics.ingest.readiness import commit_readiness
from analytics.plans import FIRST_PLAN
from analytics.writes import record_parties

ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "CYP-04,Cyber,Dialogue,India,CERT-In,2026-02-01,2026-12-31\n"
         "CIS-01,Cyber,Sharing,Joint,CBI,2026-02-01,2026-12-31\n")
HEADER = "item_id,as_of,percent_complete,status,party\n"


def check(store, text: str, party: str | None = None, **mapping):
    options = ReadOptions(party=party, mapping=mapping)
    return read_upload(text.encode(), "u.csv", "updates", options, store=store)


@pytest.fixture
def plan(fresh_store):
    parsed = read_upload(ITEMS.encode(), "items.csv", "items", store=fresh_store)
    commit_parsed(fresh_store, parsed, by="t")
    record_parties(fresh_store, FIRST_PLAN.id, ["India", "Canada"], by="t")
    return fresh_store


def test_parsed_rows_are_typed_with_each_reports_party(plan):
    parsed = check(plan, "Item ID,Date,Done,RAG,Country,Remarks\n"
                         "CYP-04,31/10/2026,45%,on track,,fine\n"
                         "CIS-01,31 Oct 2026,0.5,ns,canada,\n"
                         "CIS-01,2026-10-31,7,Purple,,\n" +
                         "".join(f"CYP-04,2026-{m:02d}-01,{m},G,,\n" for m in range(1, 10)),
                   percent_complete="Done")
    rows = parsed_rows(parsed)
    assert len(rows) == 10 and rows["row"].tolist() == list(range(2, 12))
    assert list(rows.columns) == ["row", "item_id", "as_of", "percent_complete", "status", "note",
                                  "party", "check"]
    first = rows.iloc[0]
    assert (first["as_of"], first["percent_complete"], first["status"], first["party"]) == \
        (date(2026, 10, 31), 45.0, "green", "India")          # CYP-04's lead party
    assert rows.iloc[1]["party"] == "Canada" and rows.iloc[1]["status"] == "not_started"
    assert rows["check"].tolist()[:4] == ["", "", "Error in Status, Party", ""]
    assert [TABLE_LABELS[c] for c in rows.columns] == ["Row", "Item ID", "As of", "% complete",
                                                       "Status", "Note", "Party", "Check"]


def test_parsed_rows_of_a_wrong_header_are_none(plan):
    assert parsed_rows(check(plan, "a,b\n1,2\n")) is None


@pytest.mark.parametrize("text, reason", [
    ("a,b\n1,2\n", "Commit is off: the header row has 4 problems; choose the file's column"),
    (HEADER, "Commit is off: the file has no data rows."),
    (HEADER + "CYP-04,2026-10-31,450,G,\n", "Commit is off: every row has an error (1 row); fix it"),
    (HEADER + "CYP-04,2026-10-31,45,G,\nXX,2026-10-31,5,G,\nYY,2026-10-31,5,G,\n",
     "Commit is off: 2 rows have errors; fix them and upload the file again, or commit the 1 good "
     "row with 'Commit valid rows only'"),
])
def test_the_reason_commit_is_off(plan, text, reason):
    ready = commit_readiness(check(plan, text), plan)
    assert not ready.commit and ready.reason.startswith(reason)
    assert ready.commit_valid == ("1 good row" in reason)


def test_a_clean_file_can_be_committed_and_a_repeat_says_nothing_is_new(plan):
    parsed = check(plan, HEADER + "CYP-04,2026-10-31,45,G,\n")
    ready = commit_readiness(parsed, plan)
    assert ready.commit and ready.reason is None and ready.note is None and ready.valid_rows == 1
    commit_parsed(plan, parsed, by="t")
    again = commit_readiness(check(plan, HEADER + "CYP-04,2026-10-31,45,G,\n"), plan)
    assert again.commit and again.note.startswith("Nothing new to commit: this file was already "
                                                  "imported as upload 2 (u.csv, by t at ")


def test_errors_name_the_field_and_the_files_own_header(plan):
    parsed = check(plan, "Ref,Date,Done so far,RAG\nCYP-04,2026-10-31,450,G\n",
                   percent_complete="Done so far")
    shown = errors_by_field(parsed.errors, parsed.mapping)
    assert list(shown.columns) == ["row", "column", "message", "value"]
    assert shown["column"].tolist() == ["% complete (Done so far)"]
    assert parsed.errors["column"].tolist() == ["percent_complete"]       # the CLI's and the CSV's
    assert list(readable_errors(parsed.errors, parsed.mapping).columns) == [
        "Row", "Column", "Problem", "Value in the file"]


TYPOS = HEADER + "cyp-4,2026-10-31,45,G,\nCYP04,2026-10-31,45,G,\nCIS-1,2026-10-31,45,G,India\n"
SUGGESTED = ["unknown item 'cyp-4'; did you mean CYP-04? Otherwise import it in an items file first",
             "unknown item 'CYP04'; did you mean CYP-04? Otherwise import it in an items file first",
             "unknown item 'CIS-1'; did you mean CIS-01? Otherwise import it in an items file first"]


def test_did_you_mean_on_the_careful_path_and_again_inside_the_commit(plan):
    parsed = check(plan, TYPOS)
    assert parsed.errors["message"].tolist() == SUGGESTED and parsed.errors["row"].tolist() == [2, 3, 4]
    unchecked = read_upload(TYPOS.encode(), "u.csv", "updates")       # no store: checked at commit
    result = commit_parsed(plan, unchecked, by="t")
    assert result.outcome == "refused"
    assert result.errors[result.errors["column"] == "item_id"]["message"].tolist() == SUGGESTED


def test_did_you_mean_in_the_cli(plan, db_path, tmp_path, capsys):
    plan.close()
    (tmp_path / "typos.csv").write_text(TYPOS)
    for extra in ([], ["--dry-run"]):
        code = main(["--db", str(db_path), "import", "updates", str(tmp_path / "typos.csv"), *extra])
        err = capsys.readouterr().err
        assert code == 1
        assert "row 2, column item_id: unknown item 'cyp-4'; did you mean CYP-04?" in err
        assert "row 4, column item_id: unknown item 'CIS-1'; did you mean CIS-01?" in err

