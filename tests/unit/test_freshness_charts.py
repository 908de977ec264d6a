"""Freshness heatmap and compliance-by-party figures drawn from hand-made metric frames.

The frames have the shapes `analytics.metrics.freshness` and
`reporting_compliance` return (METRICS_API.md), including a never-updated group,
a pair with no items, a party with nothing eligible and empty frames.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.charts import CHARTS, build_chart
from analytics.charts.freshness import (
    cell_text,
    compliance_by_party,
    freshness_heatmap,
    freshness_matrix,
)
from analytics.context import Filters, ViewContext

CTX = ViewContext(as_of=date(2026, 10, 31), filters=Filters(domains=("Fraud",)), sample=True)
FRESHNESS = pd.DataFrame({
    "domain": ["Liaison officers", "Liaison officers", "Fraud", "Fraud"],
    "owner": ["RCMP Federal Policing", "CERT-In", "FINTRAC", "CERT-In"],
    "items": [2, 1, 3, 1],
    "eligible": [2, 1, 3, 0],
    "never_updated": [0, 1, 1, 0],
    "days_since_update": [12, None, 80, None],
})
COMPLIANCE = pd.DataFrame({
    "group": ["Canada", "India", "Joint"],
    "eligible": [10, 8, 0],
    "reported": [9, 4, 0],
    "compliance": [0.9, 0.5, None],
})


def heatmap_traces(figure):
    return [trace for trace in figure.data if trace.type == "heatmap"]


def test_matrix_keeps_domain_order_sorts_owners_and_marks_gaps():
    domains, owners, days, text = freshness_matrix(FRESHNESS)
    assert domains == ["Liaison officers", "Fraud"]
    assert owners == ["CERT-In", "FINTRAC", "RCMP Federal Policing"]
    assert days == [[None, None, 12.0], [None, 80.0, None]]
    assert text == [["never", "", "12"], ["n/a", "80 +1 never", ""]]


def test_heatmap_cells_and_title_state_the_view():
    figure = freshness_heatmap(FRESHNESS, CTX)
    main, grey = heatmap_traces(figure)
    assert list(main.y) == ["Liaison officers", "Fraud"]
    assert [list(row) for row in main.z] == [[None, None, 12.0], [None, 80.0, None]]
    assert [list(row) for row in grey.text] == [["never", "", ""], ["n/a", "", ""]]
    assert [list(row) for row in grey.z] == [[1, None, None], [0, None, None]]
    assert CTX.label() in figure.layout.title.text
    assert "stale after 45 days" in figure.layout.title.text
    assert main.zmax == 90  # twice the stale threshold, since no cell exceeds it


def test_heatmap_without_never_or_idle_groups_has_one_trace():
    frame = FRESHNESS.dropna()
    assert len(heatmap_traces(freshness_heatmap(frame, CTX))) == 1


@pytest.mark.parametrize("builder", [freshness_heatmap, compliance_by_party])
def test_empty_frames_give_a_titled_figure_with_a_message(builder):
    empty = pd.DataFrame(columns=list(FRESHNESS.columns if builder is freshness_heatmap
                                      else COMPLIANCE.columns))
    figure = builder(empty, CTX)
    assert not figure.data
    assert CTX.label() in figure.layout.title.text
    assert figure.layout.annotations[0].text.startswith("No ")


def test_compliance_bars_carry_percent_and_counts():
    figure = compliance_by_party(COMPLIANCE, CTX)
    (bars,) = figure.data
    assert list(bars.x) == ["Canada", "India", "Joint"]
    assert list(bars.y) == [90.0, 50.0, 0]
    assert list(bars.text) == ["90% (9/10)", "50% (4/8)", "no eligible items"]
    assert CTX.label() in figure.layout.title.text and "31 days" in figure.layout.title.text


@pytest.mark.parametrize(("eligible", "never", "days", "text"), [
    (3, 0, 12, "12"), (3, 2, 12, "12 +2 never"), (3, 3, None, "never"), (0, 0, None, "n/a"),
    (1, 0, 0, "0"),
])
def test_cell_text(eligible, never, days, text):
    frame = pd.DataFrame([{"items": 3, "eligible": eligible, "never_updated": never,
                           "days_since_update": days}], dtype=object)
    assert cell_text(next(frame.itertuples(index=False))) == text


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["x", "y", "z", "w"]),
                          st.integers(0, 9), st.one_of(st.none(), st.integers(0, 400))),
                unique_by=lambda row: row[:2], min_size=1))
def test_heatmap_shows_every_group_exactly_once(rows):
    frame = pd.DataFrame(rows, columns=["domain", "owner", "eligible", "days_since_update"])
    frame["items"] = frame["eligible"] + 1
    figure = freshness_heatmap(frame, CTX)
    texts = [t for row in heatmap_traces(figure)[0].text for t in row if t]
    assert len(texts) == len(frame)
    numbers = frame[(frame["eligible"] > 0) & frame["days_since_update"].notna()]
    assert sorted(t for t in texts if t not in ("never", "n/a")) == sorted(
        str(int(d)) for d in numbers["days_since_update"])


@pytest.mark.parametrize("name", ["freshness-heatmap", "compliance-by-party"])
def test_registered_charts_build_on_the_sample_plan(name, sample_store):
    assert CHARTS[name].name == name
    ctx = ViewContext(as_of=date(2026, 11, 24), sample=True)
    figure = build_chart(name, sample_store, ctx)
    assert figure.data and ctx.label() in figure.layout.title.text
