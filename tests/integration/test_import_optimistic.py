"""The one-pass import (`import_upload`) ends exactly where the careful path ends.

Every file goes into two fresh databases holding the same plan: once through
`import_upload` (the CLI's path: one pass when the file is clean) and once through
`read_upload` + `commit_parsed` (the careful path the upload page uses). The
outcome, message, warnings, errors and every table must be the same; a table of
files says which ones the one pass takes, and Hypothesis writes many more.
"""

from __future__ import annotations

import csv
import io
import itertools
from contextlib import contextmanager
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.ingest import ReadOptions, commit_parsed, import_upload, read_upload
from analytics.plans import FIRST_PLAN
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload, record_parties

ITEM_IDS = ["I-1", "I-2", "I-3"]
PLAN = pd.DataFrame([{"item_id": i, "domain": "Fraud", "title": f"Item {i}", "lead_party": "Canada",
                      "owner": "RCMP", "start_date": date(2025, 1, 1), "due_date": date(2027, 12, 31)}
                     for i in ITEM_IDS])
DUMPS = {
    "uploads": "SELECT id, kind, filename, sha256, uploaded_by, rows_accepted, rows_rejected, outcome,"
               " message, reverts_upload_id FROM uploads ORDER BY id",
    "upload_rejects": "SELECT * FROM upload_rejects ORDER BY ALL",
    "status_updates": "SELECT * FROM status_updates ORDER BY ALL",
    "work_item_history": "SELECT * EXCLUDE (recorded_at) FROM work_item_history ORDER BY ALL",
    "work_items": "SELECT * FROM work_items ORDER BY ALL",
    "milestone_history": "SELECT * EXCLUDE (recorded_at) FROM milestone_history ORDER BY ALL",
    "milestones": "SELECT * FROM milestones ORDER BY ALL",
    "domains": "SELECT * FROM domains ORDER BY ALL",
    "audit_log": "SELECT username, action, detail FROM audit_log ORDER BY id",
    "data_version": "SELECT * FROM data_version",
}
_files = itertools.count()


@contextmanager
def planned_store(directory):
    """A new database holding the three-item plan (upload 1)."""
    store = open_store(directory / f"db{next(_files)}.duckdb")
    try:
        commit_upload(store, PLAN, UploadMeta(kind="items", filename="plan.csv", uploaded_by="setup"))
        record_parties(store, FIRST_PLAN.id, ["India", "Canada"], by="setup")
        yield store
    finally:
        store.close()


def dump(store) -> dict:
    return {name: store.cursor().execute(sql).fetchall() for name, sql in DUMPS.items()}


def both_ways(directory, data: bytes, kind: str, options: ReadOptions | None = None,
              filename: str = "sheet.csv"):
    """(one-pass result, careful result) after importing `data` into two planned stores,
    with their databases checked equal."""
    with planned_store(directory) as fast_store, planned_store(directory) as careful_store:
        fast = import_upload(fast_store, data, filename, kind, options, by="tester")
        parsed = read_upload(data, filename, kind, options, store=careful_store)
        careful = commit_parsed(careful_store, parsed, by="tester")
        assert dump(fast_store) == dump(careful_store)
    assert (fast.outcome, fast.message, fast.warnings, fast.upload_id, fast.rows_accepted) == \
           (careful.outcome, careful.message, careful.warnings, careful.upload_id, careful.rows_accepted)
    assert fast.errors.astype(object).fillna("").values.tolist() == \
           careful.errors.astype(object).fillna("").values.tolist()
    return fast, careful


UPDATES = "item_id,as_of,percent_complete,status,note,reported_by,party\n"
CASES = [
    # (why, kind, file text, one pass expected)
    ("canonical updates", "updates", UPDATES + "I-1,2026-10-31,45,green,On track,Ann,India\n"
                                                "I-2,2026-10-31,12.5,amber,,,\n", True),
    ("status synonyms, quoted notes with commas and newlines", "updates",
     UPDATES + 'I-1,2026-10-31,45,G,"Waiting, see ""minutes""\nsecond line",Ann,India\n'
               "I-1,2026-11-30,50,On track,,,\n", True),
    ("only the required columns, in another order, with synonyms", "updates",
     "RAG,% Complete,Item ID,As of\nRed,10,I-3,2026-09-30\n", True),
    ("an unknown column is ignored with a warning", "updates",
     "item_id,as_of,percent_complete,status,Country code\nI-1,2026-10-31,45,green,IN\n", True),
    ("a trailing delimiter gives an empty header-less column", "updates",
     "item_id,as_of,percent_complete,status,\nI-1,2026-10-31,45,green,\n", True),
    ("blank lines and all-empty rows are skipped", "updates",
     UPDATES + "I-1,2026-10-31,45,green,,,\n\n,,,,,,\nI-2,2026-10-31,5,red,,,\n", True),
    ("all values within 0-1 are flagged as possible fractions", "updates",
     UPDATES + "I-1,2026-10-31,0.5,green,,,\nI-2,2026-10-31,0.25,green,,,\n", True),
    ("spaces around values are trimmed", "updates",
     UPDATES + "  I-1 ,2026-10-31, 45 , green ,  a note  ,Ann,India\n", True),
    ("items with weights and descriptions", "items",
     "item_id,domain,title,lead_party,owner,start_date,due_date,weight,description\n"
     "I-9,Cyber,New item,Canada,CCCS,2026-01-01,2026-12-31,,\nI-1,Fraud,Renamed,Joint,RCMP,"
     "2025-01-01,2028-03-31,2.5,Moved\n", True),
    ("milestones with optional dates", "milestones",
     "milestone_id,item_id,title,due_date,completed_date,baseline_date\n"
     "M-1,I-1,Kick-off,2026-03-01,2026-03-05,\nM-2,I-2,Report,2026-12-01,,2026-10-01\n", True),
    # the careful path decides the rest
    ("day-first dates", "updates", UPDATES + "I-1,31/10/2026,45,green,,,\n", False),
    ("a percent sign", "updates", UPDATES + "I-1,2026-10-31,45%,green,,,\n", False),
    ("an empty required cell", "updates", UPDATES + "I-1,2026-10-31,,green,,,\n", False),
    ("an out-of-range percent", "updates", UPDATES + "I-1,2026-10-31,120,green,,,\n", False),
    ("an unknown status", "updates", UPDATES + "I-1,2026-10-31,45,purple,,,\n", False),
    ("an unknown item", "updates", UPDATES + "I-7,2026-10-31,45,green,,,\n", False),
    ("an exact duplicate row", "updates", UPDATES + "I-1,2026-10-31,45,green,,,\n" * 2, False),
    ("the same key with different values", "updates",
     UPDATES + "I-1,2026-10-31,45,green,,,\nI-1,2026-10-31,50,green,,,\n", False),
    ("a year out of range", "updates", UPDATES + "I-1,1899-12-31,45,green,,,\n", False),
    ("N/A in a number column", "updates", UPDATES + "I-1,2026-10-31,N/A,green,,,\n", False),
    ("a row with an extra value", "updates", UPDATES + "I-1,2026-10-31,45,green,,,,x\n", False),
    ("a missing required column", "updates", "item_id,as_of,status\nI-1,2026-10-31,green\n", False),
    ("due before start", "items",
     "item_id,domain,title,lead_party,owner,start_date,due_date\nI-9,D,T,India,O,2026-05-01,2026-01-01\n",
     False),
    ("a negative weight", "items",
     "item_id,domain,title,lead_party,owner,start_date,due_date,weight\n"
     "I-9,D,T,India,O,2026-01-01,2026-05-01,-1\n", False),
    ("a milestone of an unknown item", "milestones",
     "milestone_id,item_id,title,due_date\nM-1,I-8,T,2026-03-01\n", False),
    ("blank lines before the header", "updates", "\n\n" + UPDATES + "I-1,2026-10-31,45,green,,,\n", False),
    ("only a header", "updates", UPDATES, False),
]


@pytest.mark.parametrize(("why", "kind", "text", "one_pass"), CASES, ids=[c[0] for c in CASES])
def test_both_paths_agree(tmp_path, why, kind, text, one_pass):
    fast, _ = both_ways(tmp_path, text.encode(), kind)
    assert fast.one_pass is one_pass, why


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_dialects_take_the_one_pass_and_agree(tmp_path, encoding, delimiter):
    text = (UPDATES + "I-1,2026-10-31,45,green,Données reçues,Zoë,Canada\r\n").replace(",", delimiter)
    fast, _ = both_ways(tmp_path, text.encode(encoding), "updates")
    assert fast.one_pass


def test_fractions_option_scales_in_both_paths(tmp_path):
    fast, _ = both_ways(tmp_path, (UPDATES + "I-1,2026-10-31,0.455,green,,,\n").encode(), "updates",
                        ReadOptions(fractions=True))
    assert fast.one_pass


def test_a_reupload_is_a_duplicate_in_both_paths(tmp_path):
    data = (UPDATES + "I-1,2026-10-31,45,green,,,\n").encode()
    with planned_store(tmp_path) as store:
        first = import_upload(store, data, "a.csv", "updates", by="t")
        again = import_upload(store, data, "b.csv", "updates", by="t")
        careful = commit_parsed(store, read_upload(data, "c.csv", "updates", store=store), by="t")
    assert first.one_pass and again.outcome == careful.outcome == "duplicate"
    assert again.duplicate_of == careful.duplicate_of == first.upload_id


def test_a_fallback_leaves_no_gap_in_upload_ids(tmp_path):
    with planned_store(tmp_path) as store:
        refused = import_upload(store, (UPDATES + "I-1,2026-10-31,120,green,,,\n").encode(),
                                "bad.csv", "updates", by="t")
        ok = import_upload(store, (UPDATES + "I-1,2026-10-31,45,green,,,\n").encode(),
                           "ok.csv", "updates", by="t")
        ids = [r[0] for r in store.cursor().execute("SELECT id FROM uploads ORDER BY id").fetchall()]
    assert (refused.outcome, refused.upload_id, ok.upload_id) == ("refused", 2, 3)
    assert ids == [1, 2, 3]


note = st.one_of(st.just(""), st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
                 st.sampled_from(['a, b', 'say "x"', "two\nlines", " padded ", "\u00a0nbsp"]))
percent = st.one_of(st.integers(0, 100).map(str), st.floats(0, 100).map(lambda f: f"{f:.3f}"),
                    st.sampled_from(["0.5", "1e1", ".5", "100.0", "45%", "45,5", " 7 ", "abc", "-1",
                                     "101", "nan", ""]))
status = st.sampled_from(["green", "amber", "red", "complete", "not_started", "G", "Amber",
                          "On track", "done", "Not started", "purple", ""])
as_of = st.one_of(st.dates(date(1890, 1, 1), date(2210, 1, 1)).map(date.isoformat),
                  st.sampled_from(["31/10/2026", "2026-02-30", "31 Oct 2026", ""]))
row = st.tuples(st.sampled_from([*ITEM_IDS, "I-9", ""]), as_of, percent, status, note, note,
                st.sampled_from(["India", "Canada", ""]))
dialect = st.sampled_from([(",", "utf-8", "\n"), (";", "utf-8-sig", "\r\n"), ("\t", "utf-16", "\r\n"),
                           (",", "cp1252", "\r\n")])


def updates_file(rows, delimiter, encoding, newline, quote_all) -> bytes | None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(UPDATES.strip().split(","))
    writer.writerows(rows)
    try:
        return out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return None


@settings(max_examples=25)
@given(rows=st.lists(row, min_size=1, max_size=8), dialect=dialect, quote_all=st.booleans())
def test_any_updates_file_ends_the_same_both_ways(tmp_path, rows, dialect, quote_all):
    data = updates_file(rows, *dialect, quote_all)
    if data is not None:                          # None: a note cp1252 cannot encode
        both_ways(tmp_path, data, "updates")


clean_row = st.tuples(st.sampled_from(ITEM_IDS), st.dates(date(2024, 1, 1), date(2028, 12, 31)),
                      st.integers(0, 1000).map(lambda n: f"{n / 10:g}"),
                      st.sampled_from(["green", "amber", "red", "complete", "not_started"]),
                      st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                              max_size=20),
                      st.just("Desk"), st.sampled_from(["India", "Canada", ""]))


@settings(max_examples=20)
@given(rows=st.lists(clean_row, min_size=1, max_size=12, unique_by=lambda r: (r[0], r[1])),
       quote_all=st.booleans())
def test_any_clean_updates_file_takes_the_one_pass(tmp_path, rows, quote_all):
    rows = [(r[0], r[1].isoformat(), *r[2:]) for r in rows]
    fast, _ = both_ways(tmp_path, updates_file(rows, ",", "utf-8", "\n", quote_all), "updates")
    assert fast.one_pass and fast.rows_accepted == len(rows)
