"""'did you mean CYP-04?': the closest known item id for an unknown one (analytics.ingest.unknown_items)."""

import duckdb
import pyarrow as pa
import pytest

from analytics.ingest.unknown_items import (
    MAX_SUGGESTED,
    KnownIds,
    loose_key,
    unknown_item_errors,
    unknown_item_message,
)

PLAN = KnownIds([f"{prefix}-{n:02d}" for prefix in ("CYP", "CIS", "TOC", "LO") for n in range(1, 9)])


@pytest.mark.parametrize("value, expected", [
    ("cyp-4", ["CYP-04"]), ("CYP-4", ["CYP-04"]), ("CYP04", ["CYP-04"]), ("cyp 04", ["CYP-04"]),
    ("CPY-04", ["CYP-04"]),                      # two letters swapped
    ("CYP-004", ["CYP-04"]), ("lo1", ["LO-01"]),
    ("TOC-9", []),                               # TOC-01 ... TOC-08 are all as close: none named
    ("ZZZ-77", []), ("", []), ("x" * 61, []),
])
def test_closest_known_ids(value, expected):
    assert PLAN.closest(value) == expected


def test_loose_key_ignores_case_punctuation_and_leading_zeros():
    assert loose_key("CYP-04") == loose_key("cyp4") == loose_key("Cyp_004") == "cyp4"
    assert loose_key("A-0") == "a0" and loose_key("9" * 5000) == "9" * 5000   # no int() of huge runs


def test_ids_equal_but_for_case_are_all_named():
    assert KnownIds(["CYP-04", "CYP04", "cyp-4", "CYP-05"]).closest("Cyp 4") == ["CYP-04", "CYP04", "cyp-4"]


@pytest.mark.parametrize("suggestions, expected", [
    ([], "unknown item 'X-1'; import it in an items file first"),
    (["X-01"], "unknown item 'X-1'; did you mean X-01? Otherwise import it in an items file first"),
    (["X-01", "X-10"], "unknown item 'X-1'; did you mean X-01 or X-10? Otherwise import it in an "
                       "items file first"),
    (["A", "B", "C"], "unknown item 'X-1'; did you mean A, B or C? Otherwise import it in an items "
                      "file first"),
])
def test_messages(suggestions, expected):
    assert unknown_item_message("X-1", suggestions) == expected


def test_errors_name_each_row_and_suggest_for_a_bounded_number_of_distinct_ids():
    con = duckdb.connect()
    ids = ["cyp-4", "", "CYP-01"] + [f"cyp-{n}" for n in range(100, 100 + MAX_SUGGESTED)] + ["cis-3"] * 3
    con.register("rows", pa.table({"row_number": pa.array(range(2, len(ids) + 2), pa.int32()),
                                   "item_id": ids}))
    con.register("known", pa.table({"item_id": ["CYP-01", "CYP-04", "CIS-03"]}))
    errors = unknown_item_errors(con, "SELECT * FROM rows", "SELECT item_id FROM known")
    assert errors["row"].tolist()[:2] == [2, 5] and list(errors.columns) == ["row", "column", "message", "value"]
    assert set(errors["column"]) == {"item_id"} and len(errors) == len(ids) - 2
    by_value = dict(zip(errors["value"], errors["message"], strict=False))
    assert "did you mean CYP-04?" in by_value["cyp-4"]
    # 'cis-3' is past the first MAX_SUGGESTED distinct unknown ids: the plain message, every row
    assert by_value["cis-3"] == "unknown item 'cis-3'; import it in an items file first"
    assert (errors["value"] == "cis-3").sum() == 3
