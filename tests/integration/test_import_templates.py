"""The templates offered for a plan import into it cleanly: the sample plan's, and an empty plan's chain."""

import io

import openpyxl
import pytest

from analytics.cli import main
from analytics.ingest import ReadOptions, commit_parsed, preview_upload, read_upload
from analytics.ingest.templates import template_bytes, template_frame
from analytics.plans import FIRST_PLAN, plan_current_to, plan_parties

IC = 1                      # the sample plan's id in the sample store


@pytest.mark.parametrize("kind", ["milestones", "updates"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sample_plans_template_imports_with_no_error(sample_store, kind, fmt):
    data = template_bytes(kind, fmt, sample_store, IC)
    parsed = read_upload(data, f"{kind}_template.{fmt}", kind, ReadOptions(), store=sample_store)
    assert parsed.ok and not parsed.warnings, parsed.error_lines()
    preview = preview_upload(sample_store, parsed)
    assert preview.rows_valid == parsed.rows_read >= 2
    assert not len(preview.regressions) and not len(preview.jumps)
    assert commit_parsed(sample_store, parsed, by="t").outcome == "committed"


def test_the_sample_plans_updates_template_uses_its_items_parties_and_date(sample_store):
    frame = template_frame("updates", sample_store, IC)
    items = set(sample_store.query_df("SELECT item_id FROM work_items")["item_id"])
    assert set(frame["item_id"]) <= items
    assert set(frame["party"]) - {""} <= set(plan_parties(sample_store, IC))
    assert "" in set(frame["party"])                         # a row that takes its item's lead party
    assert set(frame["as_of"]) == {plan_current_to(sample_store, IC)}


def test_the_cli_template_of_the_sample_plan_imports_with_no_error(sample_db, tmp_path, capsys):
    assert main(["--db", str(sample_db), "template", "updates", "--out",
                 str(tmp_path / "updates.csv")]) == 0
    code = main(["--db", str(sample_db), "import", "updates", str(tmp_path / "updates.csv"), "--dry-run"])
    out = capsys.readouterr()
    assert code == 0 and out.err == "" and "3 row(s) read, 3 valid, 0 error(s)." in out.out


def test_an_empty_plan_gets_the_examples_that_chain_with_the_items_template(fresh_store):
    for kind in ("items", "milestones", "updates"):
        assert template_frame(kind, fresh_store, FIRST_PLAN.id).values.tolist() == template_frame(kind).values.tolist()
    for kind in ("items", "milestones", "updates"):      # each next template: rows of that plan
        data = template_bytes(kind, "xlsx", fresh_store, FIRST_PLAN.id)
        assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row >= 3
        parsed = read_upload(data, f"{kind}.xlsx", kind, store=fresh_store)
        assert commit_parsed(fresh_store, parsed, by="t").outcome == "committed", parsed.error_lines()
