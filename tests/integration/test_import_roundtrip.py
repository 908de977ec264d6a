"""Hypothesis: any valid generated updates file round-trips exactly; one bad row changes nothing."""

import csv
import io
import itertools
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.ingest import ReadOptions, commit_parsed, read_upload
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload

LEADS = {"I-1": "India", "I-2": "Canada", "I-3": "Joint"}
ITEM_IDS = list(LEADS)
note = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs", "Cc")),
                                    min_size=1, max_size=30).map(str.strip).filter(bool))
row = st.fixed_dictionaries({
    "item_id": st.sampled_from(ITEM_IDS),
    "as_of": st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    "percent_complete": st.integers(0, 1000).map(lambda n: n / 10),
    "status": st.sampled_from(["green", "amber", "red", "complete", "not_started"]),
    "note": note,
    "party": st.one_of(st.none(), st.sampled_from(["India", "Canada", "canada"])),
}).filter(lambda r: r["party"] or LEADS[r["item_id"]] != "Joint")   # a joint row names its party
files = st.lists(row, min_size=1, max_size=15, unique_by=lambda r: (r["item_id"], r["as_of"]))
dialects = st.sampled_from([(",", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-16")])


BATCH = itertools.count()


def to_csv(rows, sep, encoding) -> bytes:
    """The rows as a CSV; a Batch column (ignored on import) keeps every file's sha256 new."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(["Item ID", "As of", "% Complete", "RAG", "Comments", "Country", "Batch"])
    batch = next(BATCH)
    for r in rows:
        writer.writerow([r["item_id"], r["as_of"].isoformat(), f"{r['percent_complete']:g}",
                         r["status"], r["note"] or "", r["party"] or "", batch])
    return out.getvalue().encode(encoding)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("rt") / "rt.duckdb")
    items = [{"item_id": i, "domain": "D", "title": i, "lead_party": lead, "owner": "O",
              "start_date": date(2024, 1, 1), "due_date": date(2028, 12, 31)}
             for i, lead in LEADS.items()]
    commit_upload(store, pd.DataFrame(items), UploadMeta(kind="items", filename="i", uploaded_by="t"))
    yield store
    store.close()


def stored(store, upload_id=None):
    where = "" if upload_id is None else " WHERE upload_id = ?"
    return sorted(store.cursor().execute(
        "SELECT item_id, as_of, percent_complete, status, note, party FROM status_updates" + where,
        [] if upload_id is None else [upload_id]).fetchall(), key=none_first)


def none_first(row: tuple) -> tuple:
    """A sort key for rows whose optional cells may be None."""
    return tuple((value is not None, value) for value in row)


@settings(max_examples=30)
@given(rows=files, dialect=dialects)
def test_any_valid_file_round_trips_exactly(store, rows, dialect):
    parsed = read_upload(to_csv(rows, *dialect), "gen.csv", "updates", ReadOptions(), store=store)
    assert parsed.ok, parsed.error_lines()
    result = commit_parsed(store, parsed, by="h")
    assert result.outcome == "committed"
    # a row's own party (as the plan spells it), else the item's lead party
    expected = sorted(((r["item_id"], r["as_of"], r["percent_complete"], r["status"], r["note"],
                        (r["party"] or LEADS[r["item_id"]]).capitalize()) for r in rows),
                      key=none_first)
    assert stored(store, result.upload_id) == expected


MUTATIONS = {
    "percent": ("percent_complete", "101"), "status": ("status", "purple"),
    "date": ("as_of", "2026-02-30"), "item": ("item_id", "NOPE"), "empty": ("item_id", ""),
}


@settings(max_examples=30)
@given(rows=files, which=st.integers(0, 14), mutation=st.sampled_from(sorted(MUTATIONS)))
def test_one_invalid_row_leaves_the_database_unchanged(store, rows, which, mutation):
    column, bad = MUTATIONS[mutation]
    target = which % len(rows)
    data = to_csv(rows, ",", "utf-8").decode().split("\r\n")
    cells = next(csv.reader([data[target + 1]]))
    cells[["item_id", "as_of", "percent_complete", "status"].index(column)] = bad
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    data[target + 1] = buf.getvalue()
    before = stored(store), store.scalar("SELECT count(*) FROM status_updates")
    parsed = read_upload("\r\n".join(data).encode(), "bad.csv", "updates", store=store)
    result = commit_parsed(store, parsed, by="h")
    assert result.outcome == "refused"
    assert int(parsed.errors["row"].min()) == target + 2
    assert (stored(store), store.scalar("SELECT count(*) FROM status_updates")) == before
