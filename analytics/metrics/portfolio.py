"""The portfolio: one row per work plan, worst first, each plan rated by the group rule.

Why: a programme office that runs several plans in one store first asks which plan needs
attention. Each row is that plan's whole-plan group row (`group_metrics(..., "overall")`,
its `group` being the plan's code), with the plan's title, the date it is computed as of,
its data-current-to date, its reporting compliance (from `kpis`) and how many days its
forecast finish lies after its planned finish. Nothing is computed another way than on the
plan's own Overview: a plan's row equals its own overall row. Each plan is computed as of
its own data-current-to date unless one date is given for all (analytics/METRICS.md,
"Portfolio"). Called by `workplan metrics --by plan`, the portfolio exports
(analytics/exports/portfolio.py) and the Portfolio page.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.context import ViewContext, plan_view
from analytics.metrics.groups import (
    EXTRA_COLUMNS,
    GROUP_COLUMNS,
    HEALTH_COUNTS,
    SUMMED,
    group_metrics,
    kpis,
)
from analytics.metrics.health import HEALTH_ORDER, NO_ITEMS
from analytics.metrics.queries import cached, context_key
from analytics.plans import Plan
from analytics.settings import Settings
from analytics.store import Store

PLAN_COLUMNS = ["title", "sample", "as_of", "data_current_to", "reporting_compliance",
                "forecast_slip_days"]
PORTFOLIO_COLUMNS = GROUP_COLUMNS + EXTRA_COLUMNS + PLAN_COLUMNS


def portfolio_metrics(store: Store, plans: list[Plan], settings: Settings,
                      as_of: date | None = None) -> pd.DataFrame:
    """One row per plan (PORTFOLIO_COLUMNS), worst first: health (red, amber, green, complete,
    not started, none), then the lowest schedule efficiency, then furthest behind plan."""
    if not plans:
        return pd.DataFrame({column: [] for column in PORTFOLIO_COLUMNS})
    rows = [plan_row(store, plan_view(store, plan, as_of, settings=settings)) for plan in plans]
    return worst_plans_first(pd.concat(rows, ignore_index=True))


def plan_row(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The plan's overall group row (one row, its dtypes kept: undefined figures are None)
    with `group` = the plan's code, then the PLAN_COLUMNS; computed once per plan state and
    view (a portfolio warm after an upload to one plan recomputes that plan's row only)."""
    return cached(store, ctx.plan.id, ("portfolio_row", ctx.plan, *context_key(ctx)),
                  lambda: _plan_row(store, ctx))


def _plan_row(store: Store, ctx: ViewContext) -> pd.DataFrame:
    row = group_metrics(store, ctx, "overall")
    if row.empty:
        row = pd.DataFrame([empty_row()])
    headline = kpis(store, ctx)
    slip = forecast_slip_days(row["forecast_finish"].iloc[0], row["planned_finish"].iloc[0])
    row = row.assign(group=ctx.plan.code, title=ctx.plan.title, sample=ctx.plan.sample,
                     as_of=ctx.as_of, data_current_to=headline["data_current_to"],
                     reporting_compliance=headline["reporting_compliance"],
                     forecast_slip_days=pd.Series([slip], dtype=object))
    return row[PORTFOLIO_COLUMNS]


def empty_row() -> dict:
    """The overall row of a plan with no work items: counts 0, figures and health empty."""
    row = dict.fromkeys(GROUP_COLUMNS + EXTRA_COLUMNS)
    row.update(dict.fromkeys(["items", *HEALTH_COUNTS, *SUMMED], 0), weight=0.0, reason=NO_ITEMS)
    return row


def forecast_slip_days(forecast_finish: date | None, planned_finish: date | None) -> int | None:
    """Days from the planned to the forecast finish (negative: early); None without both."""
    if forecast_finish is None or planned_finish is None:
        return None
    return (forecast_finish - planned_finish).days


def worst_plans_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by health in HEALTH_ORDER (none last), then spi_t and variance_pp ascending
    (undefined last), then code."""
    rank = {status: k for k, status in enumerate(HEALTH_ORDER)}
    keyed = frame.assign(_rank=frame["health"].map(rank).fillna(len(rank)),
                         _spi=pd.to_numeric(frame["spi_t"], errors="coerce"),
                         _variance=pd.to_numeric(frame["variance_pp"], errors="coerce"))
    keyed = keyed.sort_values(["_rank", "_spi", "_variance", "group"], kind="stable",
                              na_position="last")
    return keyed.drop(columns=["_rank", "_spi", "_variance"]).reset_index(drop=True)
