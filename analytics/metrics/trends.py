"""Burn-up: each group's actual and planned progress at every week end, and spi_t over time.

Why: a single as-of figure cannot show whether a domain is catching up or falling
further behind. Re-running the item query for every week would cost one scan per
week, so actual progress comes from ONE query of per-week changes
(analytics/sql/metrics_weekly_deltas.sql) summed cumulatively, planned progress is
evaluated analytically with numpy (items x week ends), and earned schedule reuses
the vectorised curves of `schedule`. Called by the overview and drill-down pages,
the exports and the reports.

Week ends are Sundays from the plan start (earliest start of the items shown) to
the as-of date, plus the as-of date itself when it is not a Sunday.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.context import ViewContext
from analytics.metrics.groups import cached_structure, group_keys
from analytics.metrics.items import item_frame
from analytics.metrics.queries import cached, data_current_to, filter_params, run
from analytics.metrics.schedule import day_numbers, earned_schedule, to_date
from analytics.store import Store

BURN_UP_COLUMNS = ["group", "week_end", "actual_pct", "planned_pct", "spi_t", "sv_t_days"]


def week_ends(plan_start: date, as_of: date) -> list[date]:
    """Sundays from plan_start (inclusive) to as_of, plus as_of itself."""
    first = plan_start + timedelta(days=(6 - plan_start.weekday()) % 7)
    days = []
    current = first
    while current < as_of:
        days.append(current)
        current += timedelta(days=7)
    days.append(as_of)
    return days


def burn_up(store: Store, ctx: ViewContext, by: str = "overall") -> pd.DataFrame:
    """group, week_end, actual_pct, planned_pct, spi_t, sv_t_days (long form, one row per pair)."""
    items = item_frame(store, ctx)
    group_keys(items.head(0), by)      # an unknown grouping is refused even with no items
    if items.empty:
        return pd.DataFrame({column: [] for column in BURN_UP_COLUMNS})
    structure = cached_structure(store, ctx, items, by)
    order, codes = structure.order, structure.codes
    weeks = week_ends(min(items["start_date"]), ctx.as_of)
    week_days = day_numbers(weeks)
    weight = items["weight"].to_numpy("float64")
    total = np.bincount(codes, weights=weight, minlength=len(order))
    actual = _actual_by_week(store, ctx, by, order, week_days)
    # the as-of point: Σ w·A of the item rows already computed for this date
    actual[:, -1] = np.bincount(codes, weights=weight * items["actual_pct"].to_numpy("float64"),
                                minlength=len(order))
    start, due = structure.start_day, structure.due_day
    planned = _planned_sums(store, ctx, by, (codes, start, due, weight), week_days, len(order))
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = (total > 0)[:, None]
        actual = np.where(weighted, actual / np.where(weighted, total[:, None], 1), np.nan)
        planned = np.where(weighted, planned / np.where(weighted, total[:, None], 1), np.nan)
    spi, sv = _schedule_by_week(structure, actual, week_days)
    frame = pd.DataFrame({
        "group": np.repeat(np.array(order, dtype=object), len(weeks)),
        "week_end": weeks * len(order),
        "actual_pct": actual.ravel(), "planned_pct": planned.ravel(),
        "spi_t": spi.ravel(), "sv_t_days": sv.ravel(),
    })
    for column in ("actual_pct", "planned_pct", "spi_t", "sv_t_days"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _actual_by_week(store, ctx, by, order, week_days) -> np.ndarray:
    """Σ w·A per group (rows) at each week end before the as-of date (columns; the last
    column, the as-of date itself, is left for the caller to fill from the item rows).

    The weekly changes do not depend on the as-of date, so they are queried once per
    store state, filters and grouping over all the data (an as-of change costs no scan);
    only buckets (Sundays) before the as-of date are used here.
    """
    params = {"by": by, **filter_params(ctx)}
    deltas = cached(store, ctx.plan.id, ("weekly_deltas", by, ctx.filters),
                    lambda: run(store, "weekly_deltas", params))
    sums = np.zeros((len(order), len(week_days)))
    if deltas.empty:
        return sums
    bucket = day_numbers(deltas["bucket"])
    before = bucket < week_days[-1]
    code = pd.Categorical(deltas["grp"].to_numpy(object)[before], categories=order).codes
    column = np.searchsorted(week_days, bucket[before], side="left")
    np.add.at(sums, (code, column), deltas["weighted_delta"].to_numpy("float64")[before])
    return np.cumsum(sums, axis=1)


def _planned_sums(store, ctx, by, item_arrays, week_days, n) -> np.ndarray:
    """Σ w·P(t) per group at each week end: the Sundays (independent of the as-of date) are
    computed once per store state, filters and grouping up to the latest of the data's date
    and the as-of date, and sliced; only the as-of column is computed for each date."""
    codes, start, due, weight = item_arrays
    result = np.zeros((n, len(week_days)))
    if len(week_days) > 1:
        # week_days[:-1] are the Sundays from the first one to the as-of date: a prefix of
        # the Sundays from the first one to the horizon
        horizon = max(ctx.as_of, data_current_to(store, ctx) or ctx.as_of)
        first = int(week_days[0])
        sundays = day_numbers(week_ends(to_date(first), horizon)[:-1])
        cached_weeks = cached(store, ctx.plan.id, ("planned_weeks", by, ctx.filters, first, horizon),
                              lambda: pd.DataFrame(_planned_by_week(codes, start, due, weight,
                                                                    sundays, n)))
        result[:, :-1] = cached_weeks.to_numpy("float64")[:, :len(week_days) - 1]
    result[:, -1:] = _planned_by_week(codes, start, due, weight, week_days[-1:], n)
    return result


def _planned_by_week(codes, start, due, weight, week_days, n) -> np.ndarray:
    """Σ w·P(t) per group at each week end, evaluated item by item with numpy."""
    t = week_days[None, :]
    s, e = start[:, None], due[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        ramp = 100.0 * (t - s) / np.where(e > s, e - s, 1)
    planned = np.where(t <= s, 0.0, np.where(t >= e, 100.0, ramp))
    sums = np.zeros((n, len(week_days)))
    np.add.at(sums, codes, weight[:, None] * planned)
    return sums


def _schedule_by_week(structure, actual, week_days):
    """spi_t and sv_t_days per group and week end (NaN where undefined)."""
    n, group_start = len(structure.order), structure.group_start
    # one earned-schedule evaluation for every (group, week end) pair at once
    es = earned_schedule(structure.curves, np.repeat(np.arange(n), len(week_days)), actual.ravel())
    es = es.reshape(actual.shape)
    elapsed = (week_days[None, :] - group_start[:, None]).astype("float64")
    defined = elapsed > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        spi = np.where(defined, es / np.where(defined, elapsed, 1.0), np.nan)
    sv = np.where(defined, es - elapsed, np.nan)
    return spi, sv
