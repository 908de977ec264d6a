"""analytics/charts/locale.py: French figures get a decimal comma and French month ticks.

Table-driven cases for the tick months, a hypothesis invariant over any span of dates, and
the figures of the registry built on the sample plan: every date axis of a French figure is
ticked with French month names, and an English figure is left to Plotly.
"""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.charts import CHARTS, build_chart
from analytics.charts.locale import MAX_TICKS, date_values, localised, month_label, month_ticks
from analytics.context import plan_view
from analytics.plans import resolve_plan
from analytics.sample import load_sample
from analytics.store import open_store


@pytest.mark.parametrize(("first", "last", "ticks"), [
    (date(2026, 3, 1), date(2026, 5, 20), [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]),
    (date(2026, 2, 14), date(2026, 11, 24),
     [date(2026, 3, 1), date(2026, 5, 1), date(2026, 7, 1), date(2026, 9, 1), date(2026, 11, 1)]),
    (date(2026, 1, 1), date(2028, 12, 31),
     [date(2026, 1, 1), date(2026, 7, 1), date(2027, 1, 1), date(2027, 7, 1), date(2028, 1, 1),
      date(2028, 7, 1)]),
    (date(2026, 5, 3), date(2026, 5, 20), [date(2026, 6, 1)]),      # within one month
])
def test_month_ticks(first, last, ticks):
    assert month_ticks(first, last) == ticks


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 1, 1)),
       st.integers(min_value=0, max_value=40_000))
def test_ticks_are_firsts_of_months_in_order_and_few(first, days):
    last = first + timedelta(days=days)
    ticks = month_ticks(first, last)
    assert 1 <= len(ticks) <= MAX_TICKS
    assert all(t.day == 1 for t in ticks) and ticks == sorted(set(ticks))
    assert ticks[0] >= first and (len(ticks) == 1 or ticks[-1] <= last)


@pytest.mark.parametrize(("day", "label"), [(date(2026, 3, 1), "mars 2026"),
                                           (date(2026, 7, 1), "juill. 2026"),
                                           (date(2027, 2, 1), "févr. 2027")])
def test_month_labels_are_babels(day, label):
    assert month_label(day, "fr") == label


def test_a_horizontal_bars_start_and_end_are_dates_of_its_axis():
    figure = go.Figure(go.Bar(y=["A"], x=[10 * 86_400_000], base=["2026-03-01"], orientation="h"))
    figure.add_trace(go.Scatter(x=[date(2026, 4, 1)], y=["A"]))
    assert sorted(date_values(figure)["xaxis"]) == [date(2026, 3, 1), date(2026, 3, 11),
                                                    date(2026, 4, 1)]
    assert "yaxis" not in date_values(figure)                      # categories, not dates


def test_english_is_left_to_plotly_and_french_gets_its_separators():
    figure = go.Figure(go.Scatter(x=["2026-01-05", "2026-09-30"], y=[0.5, 1.5]))
    assert localised(go.Figure(figure), "en").layout.separators is None
    french = localised(figure, "fr")
    assert french.layout.separators == ",\u00a0"
    assert french.layout.xaxis.ticktext == ("févr. 2026", "avr. 2026", "juin 2026", "août 2026")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("locale") / "s.duckdb") as store:
        load_sample(store)
        yield store


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_date_axis_of_a_french_chart_is_in_french(sample, name):
    plan = resolve_plan(sample, None)
    french = build_chart(name, sample, plan_view(sample, plan, lang="fr"))
    english = build_chart(name, sample, plan_view(sample, plan, lang="en"))
    for axis in date_values(french):
        texts = french.layout[axis].ticktext
        assert texts and all(any(c.isdigit() for c in t) for t in texts), (axis, texts)
        assert not any(m in " ".join(texts) for m in ("Jan ", "Feb ", "Apr ", "May ", "Aug "))
        assert english.layout[axis].ticktext is None
