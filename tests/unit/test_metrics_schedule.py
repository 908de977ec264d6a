"""Earned schedule and group figures: hand-computed cases and properties against a bisection.

The planned curve PV is piecewise linear; ES is found by interpolation inside the
crossing segment. Cases below are worked by hand (see analytics/METRICS.md), and a
Hypothesis property compares ES with a bisection on the exact PV function.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.context import ViewContext
from analytics.metrics.groups import aggregate
from analytics.metrics.schedule import day_numbers, earned_schedule, planned_curves
from tests.metrics_reference import earned_schedule_bisection

J1 = date(2026, 1, 1)


def d(n: int) -> date:
    return J1 + timedelta(days=n)


def es_of(items: list[tuple[int, int, float]], ev: float) -> float:
    """ES for one group of (start day, due day, weight) items."""
    start = np.array([s for s, _, _ in items], dtype="int64")
    due = np.array([e for _, e, _ in items], dtype="int64")
    weight = np.array([w for _, _, w in items], dtype="float64")
    curves = planned_curves(np.zeros(len(items), dtype="int64"), start, due, weight, 1)
    return float(earned_schedule(curves, np.array([0]), np.array([ev]))[0])


@pytest.mark.parametrize(("items", "ev", "expected"), [
    # A: days 0-10, B: days 10-30 -> PV = 5t to day 10, then 50 + 2.5(t - 10)
    ([(0, 10, 1), (10, 30, 1)], 60.0, 14.0),
    ([(0, 10, 1), (10, 30, 1)], 25.0, 5.0),
    ([(0, 10, 1), (10, 30, 1)], 50.0, 10.0),
    ([(0, 10, 1), (10, 30, 1)], 100.0, 30.0),
    ([(0, 10, 1), (10, 30, 1)], 0.0, 0.0),
    # plateau at 50 between day 10 and day 20: ES is the start of the plateau
    ([(0, 10, 1), (20, 30, 1)], 50.0, 10.0),
    ([(0, 10, 1), (20, 30, 1)], 55.0, 21.0),
    # B is due on its start day 5: PV jumps from 25 to 75 just after day 5
    ([(0, 10, 1), (5, 5, 1)], 60.0, 5.0),
    ([(0, 10, 1), (5, 5, 1)], 80.0, 6.0),
    ([(0, 10, 1), (5, 5, 1)], 25.0, 5.0),
    # weights 3:1 -> PV = 8.75t on [0,10], then 75 + 1.25t
    ([(0, 10, 3), (0, 20, 1)], 70.0, 8.0),
    ([(0, 10, 3), (0, 20, 1)], 90.0, 12.0),
    # a zero-weight item due last does not move PV: it reaches 100 on day 10
    ([(0, 10, 1), (0, 40, 0)], 100.0, 10.0),
    # weights that do not sum exactly in binary: EV = 100 still finds the finish
    ([(0, 7, 0.1), (3, 11, 0.2), (2, 13, 0.7)], 100.0, 13.0),
])
def test_earned_schedule_by_hand(items, ev, expected):
    assert es_of(items, ev) == pytest.approx(expected, abs=1e-9)


def test_zero_weight_group_has_no_earned_schedule():
    assert np.isnan(es_of([(0, 10, 0)], 0.0))


item_strategy = st.tuples(st.integers(0, 60), st.integers(0, 60),
                          st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])).map(
    lambda t: (t[0], t[0] + t[1], t[2]))


@given(st.lists(item_strategy, min_size=1, max_size=8), st.floats(0, 100))
def test_earned_schedule_matches_bisection(items, ev):
    frame = pd.DataFrame({"start_date": [d(s) for s, _, _ in items],
                          "due_date": [d(e) for _, e, _ in items],
                          "weight": [w for _, _, w in items]})
    expected = earned_schedule_bisection(frame, ev)
    got = es_of(items, ev)
    if expected is None:
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-6)


def item_rows(rows: list[dict]) -> pd.DataFrame:
    """Minimal item frame for `aggregate` (health etc. filled for the counts)."""
    frame = pd.DataFrame(rows)
    defaults = {"domain": "D1", "lead_party": "India", "owner": "O", "health": "green",
                "overdue": False, "stale": False, "milestones": 0, "milestones_done": 0,
                "milestones_overdue": 0, "milestones_slipped": 0}
    for column, value in defaults.items():
        if column not in frame:
            frame[column] = value
    if "variance_pp" not in frame:
        frame["variance_pp"] = frame["actual_pct"] - frame["planned_pct"]
    return frame


def test_worked_example_of_metrics_md():
    # A (days 0-10) reports 100 %, B (days 10-30) 20 %, D = day 20
    items = item_rows([
        {"item_id": "A", "start_date": d(0), "due_date": d(10), "weight": 1.0,
         "actual_pct": 100.0, "planned_pct": 100.0, "health": "complete"},
        {"item_id": "B", "start_date": d(10), "due_date": d(30), "weight": 1.0,
         "actual_pct": 20.0, "planned_pct": 50.0, "health": "red"},
    ])
    row = aggregate(items, "overall", ViewContext(as_of=d(20))).iloc[0]
    assert (row["actual_pct"], row["planned_pct"], row["variance_pp"]) == (60.0, 75.0, -15.0)
    assert row["spi_t"] == pytest.approx(0.7) and row["sv_t_days"] == pytest.approx(-6.0)
    assert row["forecast_finish"] == d(43)                 # 30 / 0.7 = 42.86 -> 43 days
    assert row["planned_finish"] == d(30) and row["health"] == "red"
    assert row["reason"] == ("red: schedule efficiency 0.70 (forecast 2026-02-13, 13 days late);"
                             " red items carry 50% of the weight (B)")
    assert (row["complete"], row["red"], row["green"]) == (1, 1, 0)


@pytest.mark.parametrize(("as_of", "actuals", "expected"), [
    (d(-5), (0.0, 0.0), dict(health="not_started", spi_t=None, sv_t_days=None,
                             forecast_finish=None)),
    (d(0), (0.0, 0.0), dict(health="green", spi_t=None, forecast_finish=None)),   # AT = 0
    (d(20), (0.0, 0.0), dict(spi_t=0.0, sv_t_days=-20.0, forecast_finish=None, health="red")),
    (d(20), (100.0, 100.0), dict(health="complete", forecast_finish=None, spi_t=1.5)),
])
def test_group_edge_cases(as_of, actuals, expected):
    items = item_rows([
        {"item_id": "A", "start_date": d(0), "due_date": d(10), "weight": 1.0,
         "actual_pct": actuals[0], "planned_pct": 0.0},
        {"item_id": "B", "start_date": d(10), "due_date": d(30), "weight": 1.0,
         "actual_pct": actuals[1], "planned_pct": 0.0},
    ])
    items["planned_pct"] = [min(100.0, max(0.0, 100 * (as_of - d(0)).days / 10)),
                            min(100.0, max(0.0, 100 * (as_of - d(10)).days / 20))]
    row = aggregate(items, "overall", ViewContext(as_of=as_of)).iloc[0]
    for column, value in expected.items():
        assert row[column] == (pytest.approx(value) if isinstance(value, float) else value), column


def test_zero_weight_group_is_undefined_but_counted():
    items = item_rows([
        {"item_id": "A", "domain": "Z", "start_date": d(0), "due_date": d(10), "weight": 0.0,
         "actual_pct": 50.0, "planned_pct": 100.0, "health": "red"},
        {"item_id": "B", "domain": "W", "start_date": d(0), "due_date": d(10), "weight": 1.0,
         "actual_pct": 50.0, "planned_pct": 100.0, "health": "red"},
    ])
    rows = aggregate(items, "domain", ViewContext(as_of=d(20))).set_index("group")
    zero = rows.loc["Z"]
    assert zero["items"] == 1 and zero["red"] == 1 and zero["weight"] == 0
    assert all(zero[c] is None for c in ("actual_pct", "planned_pct", "variance_pp", "spi_t",
                                         "sv_t_days", "forecast_finish"))
    # no progress figures, but a red item still makes the group amber (never undefined or green)
    assert zero["health"] == "amber" and zero["reason"] == "amber: 1 red item (A)"
    assert rows.loc["W", "actual_pct"] == 50.0
    overall = aggregate(items, "overall", ViewContext(as_of=d(20))).iloc[0]
    assert overall["actual_pct"] == 50.0 and overall["planned_finish"] == d(10)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50), st.integers(0, 4),
                          st.integers(0, 100), st.sampled_from(["D1", "D2", "D3"])),
                min_size=1, max_size=12),
       st.integers(-10, 120), st.randoms(use_true_random=False))
def test_group_properties(rows, as_of_day, rng):
    as_of = d(as_of_day)
    frame = item_rows([
        {"item_id": f"I{k}", "domain": dom, "start_date": d(s), "due_date": d(s + span),
         "weight": float(w), "actual_pct": float(a),
         "planned_pct": min(100.0, max(0.0, 100 * (as_of_day - s) / span))}
        for k, (s, span, w, a, dom) in enumerate(rows)])
    ctx = ViewContext(as_of=as_of)
    overall = aggregate(frame, "overall", ctx).iloc[0]
    total = frame["weight"].sum()
    # the overall figure is the weighted mean of its items
    if total > 0:
        assert overall["actual_pct"] == pytest.approx((frame.weight * frame.actual_pct).sum() / total)
        assert overall["planned_pct"] == pytest.approx((frame.weight * frame.planned_pct).sum() / total)
    else:
        assert overall["actual_pct"] is None
    # ... and of its domains, weighted by domain weight
    domains = aggregate(frame, "domain", ctx)
    weighted = domains[domains["weight"] > 0]
    if total > 0:
        mean = sum(r.weight * r.actual_pct for r in weighted.itertuples()) / total
        assert overall["actual_pct"] == pytest.approx(mean)
    # row order does not matter
    shuffled = frame.sample(frac=1, random_state=rng.randint(0, 10**6)).reset_index(drop=True)
    again = aggregate(shuffled, "domain", ctx).set_index("group").sort_index()
    pd.testing.assert_frame_equal(domains.set_index("group").sort_index(), again,
                                  check_exact=False, rtol=1e-9)
    # behind plan in percent means behind schedule in time
    for row in domains.itertuples():
        if row.spi_t is not None and row.actual_pct < row.planned_pct - 1e-6:
            assert row.spi_t < 1


def test_day_numbers_of_dates():
    assert list(day_numbers([date(1970, 1, 2), date(2026, 1, 1)])) == [1, 20454]
