"""The import's fast paths give exactly what the plain ones give.

`check_rows` materialises the typed rows once (computed columns from DuckDB, text
columns shared with the cell table) instead of typing the text again with
`typed_sql`; the commit checks item references on distinct ids first. These tests
prove both shortcuts equal the plain computation.
"""

from datetime import date

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.ingest import ReadOptions, read_upload
from analytics.ingest.validate import _all_known, _empty_as_null, typed_table

UPDATES = "item_id,as_of,percent_complete,status,note,reported_by,party\n"
ITEMS = "item_id,domain,title,lead_party,owner,start_date,due_date,weight,description\n"
MILESTONES = "milestone_id,item_id,title,due_date,completed_date,baseline_date\n"

CASES = [
    ("updates", UPDATES + "I-1,2026-01-31,45,green,,Ann,India\nI-2,31/01/2026,45%,G, ,,\n"
                          "I-3,Jan 31 2026,0.5,done,\"a, b\",,Canada\n"),
    ("updates", UPDATES + "I-1,2026-01-31,45,green,n,,\nI-1,2026-01-31,45,green,n,,\n"
                          "I-2,2026-02-30,101,purple,,,\n"),
    ("items", ITEMS + "I-1,Fraud,T,India,MHA,2026-01-01,2026-12-31,,\n"
                      "I-2,Cyber,T2,Canada,RCMP,01/02/2026,2026-01-01,2.5,desc\n"),
    ("milestones", MILESTONES + "M-1,I-1,T,2026-03-01,,\nM-2,I-2,T,2026-03-01,2026-02-01,2026-01-01\n"),
]


@pytest.mark.parametrize(("kind", "text"), CASES)
def test_materialised_typed_rows_equal_typing_the_text_again(kind, text):
    parsed = read_upload(text.encode(), "f.csv", kind, ReadOptions())
    assert parsed._typed is not None
    assert parsed.table.equals(typed_table(parsed.text, parsed.typed_sql))


cell = st.one_of(st.just(""), st.just(" "), st.sampled_from(["45", "45%", "abc", "0.5"]),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8))
rows = st.lists(st.tuples(st.sampled_from(["I-1", "I-2", ""]), st.dates(date(1890, 1, 1), date(2300, 1, 1)),
                          cell, st.sampled_from(["g", "Amber", "x", ""]), cell, cell),
                min_size=1, max_size=12)


@given(rows=rows)
def test_any_file_types_the_same_both_ways(rows):
    lines = [",".join(['"' + str(v).replace('"', '""') + '"' for v in r]) for r in rows]
    data = ("item_id,as_of,percent_complete,status,note,party\n" + "\n".join(lines)).encode()
    parsed = read_upload(data, "f.csv", "updates", ReadOptions())
    if parsed.text is not None:
        assert parsed.table.equals(typed_table(parsed.text, parsed.typed_sql))


@pytest.mark.parametrize("offset", [0, 1, 3])
def test_empty_cells_become_null_in_sliced_chunks(offset):
    values = ["a", "", "b", "", "", "ccc", ""]
    column = pa.chunked_array([pa.array(values).slice(offset), pa.array(["", "d"])])
    expected = [v or None for v in values[offset:]] + [None, "d"]
    assert _empty_as_null(column).to_pylist() == expected


@pytest.mark.parametrize(("ids", "known", "expected"), [
    (["I-1", "I-2", "I-1"], ["I-1", "I-2", "I-3"], True),
    (["I-1", "", "I-2"], ["I-1", "I-2"], True),
    (["I-1", "I-9"], ["I-1", "I-2"], False),
    ([""], ["I-1"], True),
])
def test_all_known_checks_distinct_ids(ids, known, expected):
    assert _all_known(pa.chunked_array([pa.array(ids, pa.string())]),
                      pa.table({"item_id": pa.array(known, pa.string())})) is expected
