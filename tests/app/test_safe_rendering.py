"""User-supplied text never reaches the page as markdown or HTML.

Titles, owners, descriptions, milestone titles, notes and reporter names are
loaded with script and javascript-link payloads, then every page of the
dashboard is run with AppTest. The element tree may carry a payload only inside
elements that show text as text (dataframes, st.text, code, JSON, chart data,
widget options); no markdown-rendering element (markdown, caption, title,
headers, alerts, metrics, toasts) and no label, help text or expander/tab title
may contain it unescaped (every markdown sign backslash-escaped, as
`pages._shared.md_escape` does, shows the text literally).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.plans import plan_current_to
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
PAYLOADS = ["<script>alert(1)</script>", "[x](javascript:alert(1))",
            "<img src=x onerror=alert(2)>",
            '[sign in again](https://evil.example/) <a href="https://evil.example/">login</a>']
# A payload still active as markdown/HTML: a tag, a call or a link target not backslash-escaped.
ACTIVE = re.compile(r"(?<!\\)<(script|img|a )|alert\(\d\)|javascript:|\]\(https:")
# Plotly reads a few tags (<b>, <a href>, <br>, ...) in any text of a figure; payloads must be
# entities there (&lt;a href...).
PLOTLY_ACTIVE = re.compile(r"<(script|img|a )", re.IGNORECASE)
# Element types whose text Streamlit renders as markdown or HTML.
MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader", "error", "warning",
                  "info", "success", "exception", "toast", "metric", "latex", "html", "badge"}
# Fields of any element or block that are rendered as markdown (labels, help, titles).
MARKDOWN_FIELDS = ("label", "help", "placeholder", "title", "caption")
# Our own scripts (pages/_i18n.page_language, pages/_uploader.uploader_script) begin so.
OUR_SCRIPTS = ("<script>document.documentElement.lang = ", "<script>(() => {\n  window.workplanUploader = ")
# Elements that show their content as text: a payload in them is inert.
TEXT_TYPES = {"text", "code", "json", "dataframe", "arrow_data_frame", "table", "plotly_chart",
              "vega_lite_chart"}


def load_payloads(db: Path) -> None:
    """Put a payload in every user-supplied text of a few items, milestones and updates."""
    with open_store(db) as store:
        items = store.query_df("SELECT * FROM work_items ORDER BY item_id LIMIT 4")
        milestones = store.query_df("SELECT * FROM milestones ORDER BY milestone_id LIMIT 4")
        as_of = plan_current_to(store, 1)
        for column in ("title", "owner", "description"):
            items[column] = PAYLOADS
        milestones["title"] = PAYLOADS
        commit_upload(store, items.drop(columns=["plan_id", "baseline_due_date", "upload_id"]),
                      UploadMeta("items", PAYLOADS[0], PAYLOADS[1]))
        commit_upload(store, milestones.drop(columns=["plan_id", "upload_id"]),
                      UploadMeta("milestones", "m.csv", "test"))
        updates = pd.DataFrame({"item_id": items["item_id"], "as_of": [as_of] * 4,
                                "percent_complete": [10.0, 20.0, 30.0, 40.0],
                                "status": ["red", "amber", "green", "red"],
                                "note": PAYLOADS, "reported_by": PAYLOADS, "party": ["India"] * 4})
        commit_upload(store, updates, UploadMeta("updates", PAYLOADS[2], PAYLOADS[3]))
        with store.transaction() as cur:                     # the plan's title is user text too
            cur.execute("UPDATE plans SET title = ? WHERE id = 1", [PAYLOADS[3]])


def markdown_texts(node) -> list[str]:
    """Every string in the tree that Streamlit would render as markdown or HTML."""
    found = []
    proto = getattr(node, "proto", None)
    kind = getattr(node, "type", "")
    if proto is not None:
        if kind == "html" and ours(proto.body):
            pass
        elif kind in MARKDOWN_TYPES:
            found.append(str(proto))
        elif kind not in TEXT_TYPES:
            found += [str(getattr(proto, f)) for f in MARKDOWN_FIELDS
                      if f in proto.DESCRIPTOR.fields_by_name]
            found.append(_block_titles(proto))
    for child in getattr(node, "children", {}).values():
        found += markdown_texts(child)
    return found


def ours(body: str) -> bool:
    """True for a script of our own (the document's language, the uploader's words): the
    shapes pages write, holding no payload."""
    return (body.startswith(OUR_SCRIPTS) and not any(p in body for p in PAYLOADS)
            and "alert(" not in body)


def _block_titles(proto) -> str:
    """Expander and tab titles of a block (its children are walked separately)."""
    parts = []
    for name in ("expandable", "tab", "popover", "dialog"):
        if name in proto.DESCRIPTOR.fields_by_name and proto.HasField(name):
            parts.append(str(getattr(proto, name)))
    return " ".join(parts)


def leaks(at: AppTest) -> list[str]:
    """Payloads active as markdown/HTML in the page, or as tags in a Plotly figure."""
    return ([t for t in markdown_texts(at._tree) if ACTIVE.search(t)]
            + [t for t in figure_strings(at._tree) if PLOTLY_ACTIVE.search(t)])


def figure_strings(node) -> list[str]:
    """Every string inside every Plotly figure of the tree (titles, ticks, hover, text)."""
    found = []
    if getattr(node, "type", "") == "plotly_chart":
        found += list(_strings(json.loads(node.proto.spec)))
    for child in getattr(node, "children", {}).values():
        found += figure_strings(child)
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def plain_texts(at: AppTest) -> str:
    """Everything shown as text: dataframes' data and st.text values."""
    frames = " ".join(df.value.astype(str).to_csv() for df in at.dataframe)
    return frames + " ".join(t.value for t in at.text)


def page_files() -> list[Path]:
    """The pages dashboard.py registers (its PAGES list), read without running it."""
    tree = ast.parse(DASHBOARD.read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES")
    return [ROOT / ast.literal_eval(page.elts[1]) for page in pages.elts]   # (section, file, ...)


@pytest.fixture
def payload_db(sample_db, monkeypatch):
    load_payloads(sample_db)
    monkeypatch.setenv("WORKPLAN_DB", str(sample_db))
    monkeypatch.setenv("WORKPLAN_AUTH", "none")
    return sample_db


def test_payloads_are_in_the_database(payload_db):
    with open_store(payload_db) as store:
        titles = {r[0] for r in store.cursor().execute("SELECT title FROM work_items").fetchall()}
        notes = {r[0] for r in store.cursor().execute(
            "SELECT note FROM current_status_updates").fetchall()}
    assert set(PAYLOADS) <= titles and set(PAYLOADS) <= notes


def test_the_walker_catches_markdown_and_spares_text():
    def page():
        import pandas as pd
        import plotly.graph_objects as go
        import streamlit as st

        st.text("<script>alert(1)</script>")
        st.dataframe(pd.DataFrame({"note": ["[x](javascript:alert(1))"]}))
        st.caption("[x](javascript:alert(1))")
        with st.expander("<script>alert(1)</script>"):
            st.write("inside")
        st.plotly_chart(go.Figure(go.Bar(x=['<a href="https://evil.example/">x</a>', "&lt;a ok"],
                                         y=[1, 2])))
    at = AppTest.from_function(page).run()
    texts = markdown_texts(at._tree)
    assert sum("javascript:" in t for t in texts) == 1 and sum("<script>" in t for t in texts) == 1
    assert len(leaks(at)) == 3
    assert "javascript:alert(1)" in plain_texts(at) and "<script>" in plain_texts(at)


@pytest.mark.parametrize("page", page_files(), ids=lambda p: p.stem)
def test_no_page_renders_a_payload_as_markdown(payload_db, page):
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
    assert not at.exception
    at.switch_page(str(page.relative_to(ROOT))).run()
    assert not at.exception, [e.value for e in at.exception]
    assert leaks(at) == []


def test_payloads_do_reach_the_page_as_text(payload_db):
    """The check above is not vacuous: the payloads are on some page, as plain text."""
    shown = ""
    for page in page_files():
        at = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
        at.switch_page(str(page.relative_to(ROOT))).run()
        shown += plain_texts(at)
    assert all(p in shown for p in PAYLOADS[:2])


@pytest.mark.parametrize("page", page_files(), ids=lambda p: p.stem)
def test_a_payload_chosen_as_a_filter_is_not_rendered_as_markdown(payload_db, page):
    """Filters echo owner and domain names into captions and titles ("owner: ...")."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.query_params["owner"] = [PAYLOADS[1], PAYLOADS[0]]
    at.run()
    assert at.sidebar.multiselect(key="owner").value == [PAYLOADS[1], PAYLOADS[0]]
    at.switch_page(str(page.relative_to(ROOT))).run()
    assert not at.exception, [e.value for e in at.exception]
    assert leaks(at) == []
