"""Chart builders and the registry, on small hand-made frames shaped like analytics.metrics output.

Checks what a reader relies on: the view label in every title, the palette
used for health, a text label on every bar (never "-0 pp"), baseline-to-current
slips drawn only for moved milestones, a timeline that opens on open milestones
with rows that keep their height, trend lines only for moved milestones (extended
to the as-of date), a message instead of an exception for empty frames, and the
registry's names.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.charts import CHARTS, build_chart
from analytics.charts.milestones import (
    item_label,
    milestone_timeline,
    milestone_trend,
    spread,
    translucent,
)
from analytics.charts.palette import (
    HEALTH_COLORS,
    HEALTH_LABELS,
    HEALTH_ORDER,
    health_label,
    plain,
    titled,
)
from analytics.charts.progress import burn_up, health_by_domain, progress_by_domain, spi_trend
from analytics.context import Filters, ViewContext
from analytics.errors import UsageError

CTX = ViewContext(as_of=date(2026, 10, 31), sample=True)
LABEL = "as of 2026-10-31 · sample data"
GROUPS = pd.DataFrame({
    "group": ["Fraud", "Cybersecurity policy"], "items": [3, 2],
    "actual_pct": [40.0, None], "planned_pct": [60.0, 10.0], "variance_pp": [-20.0, None],
    "health": ["amber", "not_started"],
    "red": [1, 0], "amber": [1, 0], "green": [0, 0], "complete": [1, 0], "not_started": [0, 2],
})
WEEKS = pd.DataFrame({
    "group": ["Overall"] * 3,
    "week_end": [date(2026, 10, 17), date(2026, 10, 24), date(2026, 10, 31)],
    "actual_pct": [10.0, 20.0, 30.0], "planned_pct": [15.0, 25.0, 40.0],
    "spi_t": [None, 0.8, 0.75],
})
ITEMS = pd.DataFrame({
    "item_id": ["FRD-01", "FRD-02"], "title": ["Typologies", "Takedowns <b>now</b>"],
    "start_date": [date(2026, 3, 1), date(2026, 4, 1)],
    "due_date": [date(2026, 12, 1), date(2027, 2, 1)],
    "baseline_due_date": [date(2026, 12, 1), date(2026, 11, 1)],
    "health": ["green", "red"],
})
MILESTONES = pd.DataFrame({
    "milestone_id": ["FRD-01-M1", "FRD-02-M1", "FRD-02-M2"],
    "item_id": ["FRD-01", "FRD-02", "FRD-02"], "title": ["Scoping", "Draft", "Final"],
    "due_date": [date(2026, 5, 1), date(2026, 9, 1), date(2027, 1, 15)],
    "baseline_date": [date(2026, 5, 1), date(2026, 7, 1), date(2027, 1, 15)],
    "done": [True, False, False], "overdue": [False, True, False],
    "slipped": [False, True, False], "slip_days": [0, 62, 0],
})
TREND = pd.DataFrame({
    "milestone_id": ["M1", "M1", "M2", "M2"], "title": ["Draft", "Draft", "Final", "Final"],
    "item_id": ["I1"] * 4, "domain": ["Fraud"] * 4,
    "recorded_at": [datetime(2026, 2, 20), datetime(2026, 6, 20)] * 2,
    "due_date": [date(2026, 7, 1), date(2026, 9, 1), date(2027, 1, 15), date(2027, 1, 15)],
})


def title(figure: go.Figure) -> str:
    return figure.layout.title.text


def test_palette_covers_every_health_with_distinct_colours_and_labels():
    assert HEALTH_ORDER == ["red", "amber", "green", "complete", "not_started"]
    assert set(HEALTH_COLORS) == set(HEALTH_LABELS) == set(HEALTH_ORDER)
    assert len(set(HEALTH_COLORS.values())) == len(HEALTH_ORDER)
    assert health_label("not_started") == "Not started" and health_label(None) == "—"


@pytest.mark.parametrize(("ctx", "expected"), [
    (CTX, "Progress by domain — main · as of 2026-10-31 · sample data"),
    (ViewContext(date(2026, 1, 5), Filters(domains=("A<b>",))),
     "Progress by domain — main · as of 2026-01-05 · domain: A&lt;b&gt;"),
])
def test_titled_states_the_view_with_user_text_escaped(ctx, expected):
    assert titled("Progress by domain", ctx) == expected


def test_progress_bars_carry_percent_health_and_variance_labels():
    figure = progress_by_domain(GROUPS, CTX)
    planned, actual = figure.data
    assert list(planned.text) == ["planned 60%", "planned 10%"]
    assert list(actual.text) == ["40% · Amber (−20 pp)", "0% · Not started"]
    assert list(actual.marker.color) == [HEALTH_COLORS["amber"], HEALTH_COLORS["not_started"]]
    assert LABEL in title(figure)


@pytest.mark.parametrize(("variance", "label"), [(-0.4, "(0 pp)"), (-0.0, "(0 pp)"),
                                                 (0.4, "(0 pp)"), (-0.6, "(−1 pp)"),
                                                 (2.5, "(+2 pp)")])
def test_progress_labels_never_print_minus_zero(variance, label):
    groups = GROUPS.assign(variance_pp=[variance, None])
    assert progress_by_domain(groups, CTX).data[1].text[0].endswith(label)


def test_health_mix_stacks_one_labelled_trace_per_health():
    figure = health_by_domain(GROUPS, CTX)
    assert [trace.name for trace in figure.data] == [HEALTH_LABELS[h] for h in HEALTH_ORDER]
    red = figure.data[0]
    assert list(red.x) == [1, 0] and list(red.text) == ["1", ""]
    assert red.marker.color == HEALTH_COLORS["red"]
    assert figure.layout.barmode == "stack" and LABEL in title(figure)


def test_burn_up_names_planned_and_actual_with_their_as_of_values():
    figure = burn_up(WEEKS, CTX)
    assert [trace.name for trace in figure.data] == ["Planned (40%)", "Actual (30%)"]
    assert list(figure.data[1].y) == [10.0, 20.0, 30.0]
    assert figure.data[0].line.dash == "dash"


def test_spi_trend_marks_the_on_schedule_line_and_the_last_value():
    figure = spi_trend(WEEKS, CTX)
    assert list(figure.data[0].y) == [None, 0.8, 0.75]
    assert figure.layout.shapes[0].y0 == 1.0
    assert any(note.text == "SPI(t) 0.75" for note in figure.layout.annotations)


@pytest.mark.parametrize("builder", [progress_by_domain, health_by_domain, burn_up, spi_trend])
def test_empty_frames_give_a_titled_message(builder):
    empty = pd.DataFrame(columns=list(GROUPS.columns if "domain" in builder.__name__
                                      else WEEKS.columns))
    figure = builder(empty, CTX)
    assert not figure.data and LABEL in title(figure)
    assert figure.layout.annotations[0].text.startswith("No ")


def test_timeline_draws_items_by_health_and_slips_only_for_moved_milestones():
    figure = milestone_timeline(MILESTONES, ITEMS, CTX, include_done=True)
    traces = {trace.name: trace for trace in figure.data}
    assert list(traces["Item: Red"].text) == ["Red"]
    assert traces["Item: Red"].marker.color == translucent(HEALTH_COLORS["red"], 0.45)
    assert list(traces["Milestone slip"].x) == [date(2026, 7, 1), date(2026, 9, 1), None]
    assert list(traces["Milestone overdue"].x) == [date(2026, 9, 1)]
    assert list(traces["Milestone done"].x) == [date(2026, 5, 1)]
    assert list(traces["Item baseline due date"].x) == [date(2026, 11, 1)]
    assert "FRD-02 · Takedowns &lt;b&gt;now&lt;/b&gt;" in traces["Item: Red"].y[0]
    assert LABEL in title(figure)


def test_timeline_opens_on_open_milestones_and_the_items_that_have_one():
    figure = milestone_timeline(MILESTONES, ITEMS, CTX)
    traces = {trace.name: trace for trace in figure.data}
    rows = {label for trace in figure.data for label in trace.y if label}
    assert rows == {item_label("FRD-02", "Takedowns <b>now</b>")}     # FRD-01's one is done
    assert "Milestone done" not in traces and list(traces["Milestone overdue"].x) == [
        date(2026, 9, 1)]
    assert "open milestones: 1 of 2 items have one" in title(figure)
    slip_hover = traces["Milestone overdue"].customdata[0][2]
    assert slip_hover == " (moved +62 days from baseline)"


def test_timeline_rows_keep_their_height_however_many_items():
    many = pd.DataFrame({
        "item_id": [f"I-{n:02d}" for n in range(40)], "title": ["Item"] * 40,
        "start_date": [date(2026, 3, 1)] * 40, "due_date": [date(2026, 12, 1)] * 40,
        "baseline_due_date": [date(2026, 12, 1)] * 40, "health": ["green"] * 40,
    })
    overdue = MILESTONES.iloc[[1]]
    open_ones = pd.concat([overdue.assign(item_id=i, milestone_id=f"{i}-M1")
                           for i in many["item_id"]])
    heights = [milestone_timeline(open_ones[open_ones["item_id"].isin(many["item_id"][:n])],
                                  many, CTX).layout.height for n in (10, 40)]
    assert (heights[1] - heights[0]) / 30 >= 22


def test_timeline_with_every_milestone_done_says_so():
    done = MILESTONES.assign(done=True, overdue=False)
    figure = milestone_timeline(done, ITEMS, CTX)
    assert not figure.data
    assert figure.layout.annotations[0].text.startswith("Every milestone in this view is done")
    assert milestone_timeline(done, ITEMS, CTX, include_done=True).data


def test_trend_draws_only_moved_milestones_up_to_the_as_of_date():
    figure = milestone_trend(TREND, CTX)
    lines = [trace for trace in figure.data if trace.name == "M1"]
    assert len(lines) == 1 and not any(trace.name == "M2" for trace in figure.data)
    assert list(lines[0].x)[-1] == CTX.as_of and list(lines[0].y)[-1] == date(2026, 9, 1)
    assert [note.text for note in figure.layout.annotations] == ["M1"]
    assert "1 milestones whose due date moved; 1 unchanged" in title(figure)


def test_trend_without_moves_says_so():
    figure = milestone_trend(TREND[TREND["milestone_id"] == "M2"], CTX)
    assert figure.layout.annotations[0].text == "None of the 1 milestones in this view has moved."


@given(st.lists(st.integers(-400, 400), min_size=1, max_size=15), st.integers(1, 40))
def test_spread_keeps_order_and_a_minimum_gap(values, gap):
    placed = spread(sorted(values), gap)
    assert len(placed) == len(values)
    assert all(b - a >= gap - 1e-9 for a, b in zip(placed, placed[1:], strict=False))


def test_spread_leaves_uncrowded_labels_in_place():
    assert spread([0, 50, 100], 10) == [0, 50, 100]


@pytest.mark.parametrize(("item_id", "title_text", "expected"), [
    ("A-1", "Short", "A-1 · Short"),
    ("A-1", "x" * 60, "A-1 · " + "x" * 31 + "…"),
])
def test_item_labels_are_short(item_id, title_text, expected):
    assert item_label(item_id, title_text) == expected


def test_plain_escapes_tags():
    assert plain("<script>&") == "&lt;script&gt;&amp;"


REQUIRED = ["progress-by-domain", "health-by-domain", "burn-up", "domain-burn-up", "spi-trend",
            "milestone-timeline", "milestone-trend", "freshness-heatmap", "compliance-by-party"]


def test_registry_names_and_unknown_names():
    assert set(REQUIRED) <= set(CHARTS)
    assert all(spec.name == name and spec.title and spec.page for name, spec in CHARTS.items())
    with pytest.raises(UsageError, match="Unknown chart 'nope'"):
        build_chart("nope", None, CTX)


@pytest.mark.parametrize("name", REQUIRED)
def test_every_registered_chart_builds_on_the_sample_and_on_an_empty_store(
        name, sample_store, tmp_path):
    from analytics.store import open_store

    view = ViewContext(date(2026, 10, 31), Filters(domains=("Fraud",)), sample=True)
    figure = build_chart(name, sample_store, view)
    assert "as of 2026-10-31 · domain: Fraud · sample data" in title(figure)
    assert figure.data
    with open_store(tmp_path / "empty.duckdb") as empty:
        assert "as of 2026-10-31" in title(build_chart(name, empty, view))


def test_domain_charts_follow_the_domain_filter(sample_store):
    fraud = ViewContext(date(2026, 10, 31), Filters(domains=("Fraud",)))
    everything = ViewContext(date(2026, 10, 31))
    fraud_rows = build_chart("milestone-timeline", sample_store, fraud).data[0].y
    assert all(label.startswith("FRD-") for label in fraud_rows)
    assert (build_chart("domain-burn-up", sample_store, fraud).data[1].y
            != build_chart("domain-burn-up", sample_store, everything).data[1].y)
