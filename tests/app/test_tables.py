"""pages/_tables.py: every table of every page headed in words, health as coloured words.

The helper is checked on small frames (headers, order, words, colours through the
Styler, widths and formats); then every page of the sample plan is opened with
AppTest and each st.dataframe it draws is read back: no header is a column name
('reason_after') or starts in lowercase, no cell shows a health code ('not_started').
"""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest

from analytics.charts.palette import HEALTH_COLORS, HEALTH_LABELS, HEALTH_ORDER, ink_on
from pages._tables import (
    KEY_COLUMNS,
    WIDTHS,
    WRAPPED_ROW_HEIGHT,
    headers,
    ordered_columns,
    table_view,
)
from tests.app.conftest import ROOT

PAGES = sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py")
               if not path.name.startswith("_"))
# Tables each page shows on the sample plan (at least).
TABLES = {"pages/overview.py": 1, "pages/domain.py": 1, "pages/milestones.py": 2,
          "pages/items.py": 2, "pages/changes.py": 6, "pages/freshness.py": 2,
          "pages/uploads.py": 1}
CODE = re.compile(rf"^({'|'.join(HEALTH_ORDER)})(: |$)")
WORDS = set(HEALTH_LABELS.values()) | {"—"}


def items_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "variance_pp": [-41.04, 2.0, None], "domain": ["Fraud", "Fraud", "Cyber"],
        "note": ["Waiting on clearances.", None, "Done."], "due_date": [date(2026, 12, 6)] * 3,
        "owner": ["Health Canada"] * 3, "reason": ["red: 41 pp behind plan", "", None],
        "health": ["red", "green", "not_started"], "title": ["Exchange strategies"] * 3,
        "item_id": ["CYP-04", "FRD-01", "CIS-01"], "reported_status": ["green", None, "amber"],
        "kind": ["updates"] * 3,
    })


def test_headers_are_words_and_key_columns_come_first():
    styler, config, _ = table_view(items_frame())
    shown = styler.data
    assert list(shown.columns) == ["Item", "Title", "Health", "Reason", "Owner", "Due",
                                   "Latest comment", "Variance (pp)", "Domain",
                                   "Reported status", "Kind"]
    assert list(shown["Health"]) == ["Red", "Green", "Not started"]
    assert list(shown["Reported status"]) == ["Green", "—", "Amber"]
    assert shown["Reason"].tolist()[:2] == ["41 pp behind plan", ""]  # the word is in Health
    assert list(shown["Kind"]) == ["Updates"] * 3
    assert config["Item"]["width"] == WIDTHS["item_id"]
    assert config["Variance (pp)"]["type_config"]["format"] == "%+.1f"
    assert config["Due"]["type_config"]["type"] == "date"


@pytest.mark.parametrize(("column", "values", "shown"), [
    ("variance_pp", [-41.04, 2.0, 0.04, None], ["−41,0", "+2,0", "0,0", "—"]),
    ("actual_pct", [1204.56, 9.0, 79.34, None], ["1\u00a0204,6", "9,0", "79,3", "—"]),
    ("spi_t", [0.934, 1.0, 1.2, 0.5], ["0,93", "1,00", "1,20", "0,50"]),
    ("slip_days", [-23, 4, 0, 12], ["−23", "+4", "0", "+12"]),
    ("weight", [1.5, 2.25, 10.0, 0.0], ["1,5", "2,2", "10,0", "0,0"]),
])
def test_numbers_in_french_have_a_decimal_comma_and_stay_numbers(column, values, shown):
    frame = pd.DataFrame({"item_id": ["A", "B", "C", "D"], column: values})
    styler, config, _ = table_view(frame, lang="fr")
    header = list(styler.data.columns)[-1]
    cells = [line.split("|")[-1] for line in styler.to_string(delimiter="|").splitlines()[1:]]
    assert [c.replace("\u202f", "\u00a0") for c in cells] == shown
    assert pd.api.types.is_numeric_dtype(styler.data[header])   # sorted as numbers
    assert config[header]["type_config"].get("format") is None   # the Styler's, not Streamlit's
    english, config = table_view(frame)[:2]
    assert config[list(english.data.columns)[-1]]["type_config"]["format"].startswith("%")


def test_health_cells_carry_the_palette_colour_and_readable_ink():
    styler, _, _ = table_view(items_frame())
    styler._compute()  # what Streamlit sends: the CSS of each styled cell
    styled = {cell: dict(rules) for cell, rules in styler.ctx.items() if rules}
    health, reported = (list(styler.data.columns).index(c) for c in ("Health", "Reported status"))
    codes = {(0, health): "red", (1, health): "green", (2, health): "not_started",
             (0, reported): "green", (2, reported): "amber"}
    assert styled == {cell: {"background-color": HEALTH_COLORS[code],
                             "color": ink_on(HEALTH_COLORS[code])}
                      for cell, code in codes.items()}
    assert styled[(0, health)]["color"] == "#FFFFFF"  # white on dark red, black on light amber
    assert styled[(2, reported)]["color"] == "#000000"


def test_order_labels_and_duplicates():
    assert ordered_columns(["domain", "note", "item_id"]) == ["item_id", "note", "domain"]
    assert ordered_columns(["a", "b", "c"], first=["c", "x"]) == ["c", "a", "b"]
    assert headers(["overdue_days", "days_overdue"]) == {"overdue_days": "Days overdue",
                                                         "days_overdue": "Days overdue (2)"}
    assert headers(["reason"], {"reason": "Why it is red"}) == {"reason": "Why it is red"}
    assert set(KEY_COLUMNS) <= set(WIDTHS) | {"health", "health_before", "health_after", "status"}


def test_long_text_wraps_and_short_text_keeps_one_line():
    assert table_view(items_frame())[2] is None  # every cell fits one line of its column
    long = items_frame().assign(note="Counterpart availability limited this month.")
    assert table_view(long)[2] == WRAPPED_ROW_HEIGHT
    assert table_view(pd.DataFrame({"item_id": []}))[2] is None


def test_key_columns_fit_beside_the_sidebar_at_1366_px():
    """Item, title, health, reason, owner, due and latest comment, plus a row-selection column,
    within the ~900 px a table gets in the main area (tests/browser screenshots show it)."""
    _, config, _ = table_view(items_frame())
    key = ["Item", "Title", "Health", "Reason", "Owner", "Due", "Latest comment"]
    assert sum(config[header]["width"] for header in key) + 33 <= 900


def readable(at) -> list[str]:
    """Every header or health cell of the run's tables that a person could not read."""
    problems = []
    for table in at.dataframe:
        frame = table.value
        labels = [c.get("label") for c in json.loads(table.proto.columns or "{}").values()]
        for header in [*frame.columns, *filter(None, labels)]:
            if "_" in str(header) or str(header)[:1].islower():
                problems.append(f"{table.key}: header {header!r}")
        for column in frame.columns:
            cells = frame[column].dropna().astype(str)
            problems += [f"{table.key}/{column}: {cell!r}" for cell in cells if CODE.match(cell)]
            if column in ("Health", "Reported status") or str(column).startswith("Health ") \
                    or str(column).endswith(" status"):
                problems += [f"{table.key}/{column}: {cell!r}" for cell in cells
                             if cell not in WORDS]
    return problems


@pytest.mark.parametrize("page", PAGES)
def test_every_table_of_every_page_is_headed_and_filled_in_words(sample_db, dashboard_app, page):
    at = dashboard_app(sample_db, page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/items.py":  # the update history table too
        at.selectbox(key="items_pick").set_value("DRG-01").run()
    assert len(at.dataframe) >= TABLES.get(page, 0)
    assert readable(at) == []


def test_tables_with_health_colour_their_cells(sample_db, dashboard_app):
    at = dashboard_app(sample_db, "pages/items.py")
    at.run()
    (table,) = at.dataframe
    assert f"background-color: {HEALTH_COLORS['red']}" in table.proto.arrow_data.styler.styles
    assert list(table.value.columns[:7]) == ["Item", "Title", "Health", "Reason", "Owner", "Due",
                                             "Latest comment"]
