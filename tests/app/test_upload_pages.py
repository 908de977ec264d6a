"""AppTest: upload a sheet through st.file_uploader, correct the mapping, preview, commit,
then find it in the history, read its rejects and revert it."""

import sys
import types
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.context import ViewContext
from analytics.ingest.templates import template_bytes
from analytics.plans import FIRST_PLAN, list_plans, plan_by_id
from pages._auth import User
from pages._shared import md_escape

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = str(ROOT / "pages" / "upload.py")
UPLOADS = str(ROOT / "pages" / "uploads.py")
ITEMS = template_bytes("items", "csv")


@pytest.fixture
def store(fresh_store, monkeypatch):
    """The pages' get_store() returns this test's store."""
    shared = types.ModuleType("pages._shared")
    shared.get_store = lambda: fresh_store
    # the store's one plan (plan 1 `main`, created by the first upload)
    shared.store_plans = list_plans
    shared.md_escape = md_escape
    shared.chosen_plan = lambda store: plan_by_id(store, 1)
    shared.target_plan = lambda store: plan_by_id(store, 1) or FIRST_PLAN
    shared.current_context = lambda store: ViewContext(as_of=date(2026, 11, 24),
                                                       plan=shared.target_plan(store))
    monkeypatch.setitem(sys.modules, "pages._shared", shared)
    return fresh_store


def page(path: str, role: str = "admin") -> AppTest:
    at = AppTest.from_file(path, default_timeout=30)
    at.session_state["user"] = User("editor-ed", everywhere=role, roles=((1, role),))
    return at.run()


def upload(at: AppTest, name: str, data: bytes, kind: str, party: str | None = None) -> AppTest:
    at.selectbox(key="upload_kind").select(kind).run()
    if party is not None:
        at.selectbox(key="upload_party").select(party).run()
    generation = at.session_state["upload_generation"] if "upload_generation" in at.session_state else 0
    at.file_uploader(key=f"upload_file_{generation}").set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def frame(at: AppTest, column: str):
    """The first st.dataframe on the page that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_items_upload_preview_and_commit(store):
    at = upload(page(UPLOAD), "items.csv", ITEMS, "items")
    assert "3 row(s) read, 3 valid, 0 error(s)." in at.text[0].value
    assert "3 new item(s)." in at.text[0].value
    at.button(key="commit").click().run()
    assert not at.exception
    assert at.success[0].value == "Committed."
    assert "Imported 3 items row(s) from items.csv" in at.text[0].value
    assert not any("row(s) read" in t.value for t in at.text)    # a fresh uploader, no old preview
    assert store.scalar("SELECT count(*) FROM work_items") == 3
    assert store.scalar("SELECT uploaded_by FROM uploads") == "editor-ed"
    again = upload(at, "items.csv", ITEMS, "items")                # the same file a second time
    again.button(key="commit").click().run()
    assert again.info[0].value.startswith("Already imported") and "as upload 1" in again.text[0].value


def test_mapping_step_corrects_an_unrecognised_header(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    sheet = b"Ref,Week,Done so far,RAG\nLO-01,2026-10-31,45,G\n"
    at = upload(page(UPLOAD), "odd.csv", sheet, "updates", party="India")
    assert at.button(key="commit").disabled
    assert "Commit is off: the header row has 2 problems" in at.caption[-1].value
    errors = frame(at, "Problem")
    assert "required column as_of is missing" in " ".join(errors["Problem"])
    assert {"As of", "% complete"} <= set(errors["Column"])
    suffix = next(b.key for b in at.selectbox if (b.key or "").startswith("map_updates_as_of_"))
    at.selectbox(key=suffix).select("Week").run()
    pct = suffix.replace("as_of", "percent_complete")
    at.selectbox(key=pct).select("Done so far").run()
    assert not at.exception and not at.button(key="commit").disabled
    at.button(key="commit").click().run()
    assert store.scalar("SELECT percent_complete FROM status_updates") == 45


def test_errors_are_listed_downloadable_and_valid_rows_can_be_committed(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    sheet = (b"item_id,as_of,percent_complete,status,note\n"
             b"LO-01,2026-10-31,45,G,<script>alert(1)</script>\nFR-02,2026-10-31,450,Purple,x\n")
    at = upload(page(UPLOAD), "mixed.csv", sheet, "updates", party="Canada")
    errors = frame(at, "Problem")
    assert list(errors.columns) == ["Row", "Column", "Problem", "Value in the file"]
    assert list(errors["Row"]) == [3, 3] and list(errors["Column"]) == ["% complete", "Status"]
    assert at.button(key="commit").disabled
    assert at.caption[-1].value.startswith("Commit is off: 1 row has an error; fix it")
    assert "commit the 1 good row with 'Commit valid rows only'" in at.caption[-1].value
    assert at.get("download_button")                       # the error CSV and the templates
    at.button(key="commit_valid").click().run()
    assert not at.exception
    assert store.scalar("SELECT outcome FROM uploads ORDER BY id DESC LIMIT 1") == "partial"
    assert store.scalar("SELECT note FROM status_updates") == "<script>alert(1)</script>"


def test_mapping_selectboxes_are_labelled_in_words(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    at = upload(page(UPLOAD), "u.csv", b"item_id,as_of,percent_complete,status\nLO-01,2026-10-31,45,G\n",
                "updates", party="India")
    labels = {b.key: b.label for b in at.selectbox
              if (b.key or "").startswith("map_updates_")}
    assert sorted(labels.values()) == sorted(["Item ID", "As of", "% complete", "Status", "Note",
                                              "Reported by", "Party"])
    assert not any("_" in label for label in labels.values())


def test_the_first_rows_are_previewed_as_they_will_be_stored(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    sheet = (b"Item,Date,% done,RAG,Country\nLO-01,31/10/2026,45%,G,canada\n"
             b"FR-03,31 Oct 2026,12.5,Not started,\nFR-02,2026-10-31,450,A,\n")
    at = upload(page(UPLOAD), "typed.csv", sheet, "updates")
    rows = frame(at, "Check")
    assert list(rows.columns) == ["Row", "Item ID", "As of", "% complete", "Status", "Party", "Check"]
    assert rows["As of"].tolist() == [date(2026, 10, 31)] * 3
    assert rows["% complete"].tolist() == [45.0, 12.5, 450.0]         # out of range: an error
    assert rows["Status"].tolist() == ["Green", "Not started", "Amber"]
    assert rows["Party"].tolist() == ["Canada", "India", "Canada"]   # own column, FR-03's and FR-02's lead
    assert rows["Check"].tolist() == ["", "", "Error in % complete"]


def test_an_unknown_item_id_names_the_closest_known_one(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    sheet = b"item_id,as_of,percent_complete,status\nlo-1,2026-10-31,45,G\nFR02,2026-10-31,5,G\n"
    at = upload(page(UPLOAD), "typos.csv", sheet, "updates", party="India")
    problems = frame(at, "Problem")["Problem"].tolist()
    assert problems == ["unknown item 'lo-1'; did you mean LO-01? Otherwise import it in an items file first",
                        "unknown item 'FR02'; did you mean FR-02? Otherwise import it in an items file first"]
    assert at.caption[-1].value.startswith("Commit is off: every row has an error (2 rows); fix them")


def test_a_file_already_imported_says_so_before_commit(store):
    at = upload(page(UPLOAD), "items.csv", ITEMS, "items")
    at.button(key="commit").click().run()
    again = upload(at, "items.csv", ITEMS, "items")
    assert not again.button(key="commit").disabled
    assert again.caption[-1].value.startswith("Nothing new to commit: this file was already imported as upload 1")


def test_the_templates_offered_are_rows_of_the_plan(sample_store, monkeypatch):
    shared = types.ModuleType("pages._shared")
    shared.get_store = lambda: sample_store
    shared.store_plans = list_plans
    shared.md_escape = md_escape
    shared.target_plan = lambda store: plan_by_id(store, 1)
    monkeypatch.setitem(sys.modules, "pages._shared", shared)
    at = page(UPLOAD)
    at.selectbox(key="upload_kind").select("updates").run()
    data = template_bytes("updates", "csv", sample_store, 1)
    assert b"CIS-02" in data and b"LO-01" not in data
    at.file_uploader(key="upload_file_0").set_value(("updates_template.csv", data, "text/csv")).run()
    assert not at.exception
    assert "0 error(s)" in at.text[0].value and not at.button(key="commit").disabled


def test_change_tables_are_headed_in_words():
    from analytics.ingest.preview import TABLE_LABELS
    from pages._tables import table_view

    changes = pd.DataFrame({"item_id": ["CYP-04"], "title": ["Dialogue"], "health_before": ["not_started"],
                            "health_after": ["red"], "reason": ["red: overdue by 3 days"]})
    shown = table_view(changes, (), TABLE_LABELS)[0].data
    assert list(shown.columns) == ["Item ID", "Title", "Health before", "Health after", "Reason"]
    assert shown.iloc[0].tolist() == ["CYP-04", "Dialogue", "Not started", "Red", "overdue by 3 days"]
    moves = pd.DataFrame(columns=["row", "item_id", "party", "as_of", "previous_as_of", "previous_pct",
                                  "percent_complete", "delta_pp", "due_before", "due_after", "baseline"])
    assert list(table_view(moves, (), TABLE_LABELS)[0].data.columns) == [
        "Row", "Item ID", "Party", "As of", "Previous report", "Previous %", "% complete",
        "Change (pp)", "Due before", "Due after", "Baseline"]


def test_history_lists_rejects_and_admin_reverts(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    sheet = b"item_id,as_of,percent_complete,status\nLO-01,2026-10-31,45,G\nXX,2026-10-31,5,G\n"
    upload(page(UPLOAD), "u.csv", sheet, "updates", party="India").button(
        key="commit_valid").click().run()
    at = page(UPLOADS)
    table = frame(at, "SHA-256")
    ids = [r[0] for r in store.cursor().execute("SELECT id FROM uploads ORDER BY id DESC").fetchall()]
    assert list(table["Upload"]) == ids and list(table["Outcome"]) == ["Partial", "Committed"]
    assert table["SHA-256"].str.len().eq(64).all()
    rejects = frame(at, "Value in the file")
    assert list(rejects["Row"]) == [3] and "unknown item 'XX'" in rejects["Problem"].iloc[0]
    assert list(rejects["Column"]) == ["Item ID"]
    offered = {b.key for b in at.get("download_button")}
    assert {"uploads_table_dl_csv", "uploads_table_dl_xlsx", "uploads_rejects_dl_csv",
            "uploads_rejects_dl_xlsx"} <= offered
    assert at.button(key="revert_button").disabled
    at.checkbox(key="revert_confirm").check().run()
    at.button(key="revert_button").click().run()
    assert not at.exception
    assert f"Reverted upload {ids[0]}" in at.text[0].value
    assert store.scalar("SELECT count(*) FROM current_status_updates") == 0
    assert store.scalar("SELECT count(*) FROM status_updates") == 1


def test_editors_cannot_revert_and_viewers_cannot_upload(store):
    upload(page(UPLOAD), "items.csv", ITEMS, "items").button(key="commit").click().run()
    editor = page(UPLOADS, role="editor")
    assert not editor.exception and not editor.get("checkbox")
    viewer = page(UPLOAD, role="viewer")
    assert not viewer.get("file_uploader") and viewer.error
    history = page(UPLOADS, role="viewer")
    assert frame(history, "SHA-256")["File"].tolist() == ["items.csv"] and not history.get("button")


def test_a_refused_file_shows_a_message_not_a_traceback(store):
    at = upload(page(UPLOAD), "junk.csv", bytes(range(256)) * 8, "updates")
    assert at.error and "binary" in at.text[0].value


def test_an_unexpected_failure_while_checking_is_a_clear_message(store, monkeypatch):
    import analytics.ingest

    def broken(*args, **kwargs):
        raise MemoryError("the check ran out of memory")

    monkeypatch.setattr(analytics.ingest, "read_upload", broken)
    at = upload(page(UPLOAD), "big.csv", b"item_id,as_of\nA,2026-01-01\n", "updates")
    assert not at.exception
    assert "could not be checked" in at.error[0].value and "nothing was written" in at.error[0].value
