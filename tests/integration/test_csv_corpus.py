"""A corpus of CSV shapes with the outcome each must have: exact values, or refusal by row and column.

Why: a sheet must never be accepted with a value moved into another column. The
cases in tests/data/csv_corpus/ follow the public corpora that caught such bugs
(csv-spectrum, the W3C CSVW tests, CPython's csv tests, HPI's Pollock benchmark)
plus hostile files; `cases.json` names each file's source and expected outcome.
Every file goes through both import paths (`import_upload`, which tries the one
pass first, and `read_upload` + `commit_parsed`) into a store holding a small plan.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.ingest import RefusedFileError, commit_parsed, import_upload, read_upload
from analytics.plans import FIRST_PLAN
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload, record_parties

CORPUS = Path(__file__).resolve().parents[1] / "data" / "csv_corpus"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
PLAN = pd.DataFrame([{"item_id": f"A-{k}", "domain": "Fraud", "title": f"Item {k}",
                      "lead_party": "India" if k == 1 else "Canada", "owner": "O",
                      "start_date": date(2026, 1, 1), "due_date": date(2027, 1, 1)}
                     for k in range(1, 1002)])


@pytest.fixture
def plan(tmp_path):
    def make(name: str):
        store = open_store(tmp_path / f"{name}.duckdb")
        commit_upload(store, PLAN, UploadMeta(kind="items", filename="plan.csv", uploaded_by="t"))
        record_parties(store, FIRST_PLAN.id, ["India", "Canada"], by="t")
        return store
    return make


def stored(store) -> list[dict]:
    frame = store.query_df("SELECT item_id, as_of, percent_complete, status, note, reported_by,"
                           " party FROM status_updates ORDER BY row_number")
    frame["as_of"] = frame["as_of"].map(lambda d: d.isoformat())
    return [{k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
             for k, v in row.items()} for row in frame.to_dict("records")]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_file_has_its_expected_outcome_on_both_paths(case, plan):
    data = (CORPUS / case["file"]).read_bytes()
    careful, one_pass = plan("careful"), plan("one_pass")
    try:
        if case["outcome"] == "refused file":
            for store in (careful, one_pass):
                with pytest.raises(RefusedFileError) as refused:
                    read_upload(data, case["file"], "updates", store=store)
                assert case["message"] in str(refused.value)
                with pytest.raises(RefusedFileError):
                    import_upload(store, data, case["file"], "updates", by="t")
                assert stored(store) == []
            return
        parsed = read_upload(data, case["file"], "updates", store=careful)
        careful_result = commit_parsed(careful, parsed, by="t")
        fast_result = import_upload(one_pass, data, case["file"], "updates", by="t")
        if case["outcome"] == "ok":
            assert parsed.ok, parsed.error_lines()
            assert careful_result.outcome == fast_result.outcome == "committed"
            assert stored(careful) == stored(one_pass) == case["rows"]
            return
        assert careful_result.outcome == fast_result.outcome == "refused"
        for want in case["errors"]:
            assert any(row == want["row"] and column == want["column"] and want["message"] in message
                       for row, column, message in zip(parsed.errors["row"], parsed.errors["column"],
                                                       parsed.errors["message"], strict=True)), (
                want, parsed.error_lines())
        assert set(parsed.errors["row"]) == {want["row"] for want in case["errors"]}
        if "valid_rows" in case:
            assert parsed.valid_table().num_rows == case["valid_rows"]
        assert stored(careful) == stored(one_pass) == []
    finally:
        careful.close()
        one_pass.close()


def test_the_corpus_covers_every_promise():
    sources = " ".join(case["source"] for case in CASES)
    for corpus in ("csv-spectrum", "CSVW", "CPython", "Pollock", "hostile"):
        assert corpus in sources
    outcomes = {case["outcome"] for case in CASES}
    assert outcomes == {"ok", "refused", "refused file"}
