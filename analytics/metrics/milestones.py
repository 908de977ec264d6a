"""Milestones as of a date (done, overdue, slip against baseline) and their recorded history.

Why: slips are what counterparts ask about first. A milestone's baseline is the
first due date ever recorded for it (or an explicit baseline given in a file), so
every later re-plan shows as slip days. Figures use the current milestone
definitions (the `milestones` table) evaluated as of the date; the trend reads
every recorded version (`milestone_history`, non-reverted uploads).
Called by `groups.kpis`, the milestones page, exports and reports.
"""

from __future__ import annotations

import pandas as pd

from analytics.context import ViewContext
from analytics.metrics.queries import cached, context_key, filter_params, run
from analytics.store import Store

MILESTONE_COLUMNS = ["milestone_id", "item_id", "domain", "item_title", "title", "due_date",
                     "baseline_date", "completed_date", "done", "overdue", "slip_days", "slipped",
                     "due_soon", "days_overdue"]
TREND_COLUMNS = ["milestone_id", "title", "item_id", "domain", "recorded_at", "due_date"]


def milestone_frame(store: Store, ctx: ViewContext, as_of=None) -> pd.DataFrame:
    """milestone_metrics as of `as_of` (default ctx.as_of), cached per store state."""
    return cached(store, ctx.plan.id, ("milestones", *context_key(ctx, as_of)),
                  lambda: _query_milestones(store, ctx, as_of))


def _query_milestones(store: Store, ctx: ViewContext, as_of) -> pd.DataFrame:
    params = {"as_of": as_of or ctx.as_of, "soon": int(ctx.settings.due_soon_days),
              **filter_params(ctx)}
    frame = run(store, "milestones", params)
    for column in ("done", "overdue", "slipped", "due_soon"):
        frame[column] = frame[column].astype(bool)
    frame["completed_date"] = frame["completed_date"].astype(object).where(
        frame["completed_date"].notna(), None)
    return frame[MILESTONE_COLUMNS]


def milestone_counts(store: Store, ctx: ViewContext) -> dict[str, int]:
    """{"due_soon": n, "overdue": n} for the KPI cards: counted in DuckDB (no milestone rows)."""
    frame = cached(store, ctx.plan.id, ("milestone_counts", *context_key(ctx)),
                   lambda: run(store, "milestone_counts", {
                       "as_of": ctx.as_of, "soon": int(ctx.settings.due_soon_days),
                       **filter_params(ctx)}))
    row = frame.iloc[0]
    return {"due_soon": int(row["due_soon"]), "overdue": int(row["overdue"])}


def milestone_metrics(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """One row per milestone of the filtered items (domain order, then due date)."""
    return milestone_frame(store, ctx)


def milestone_trend(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """One row per recorded version of each milestone: its due date at each upload."""
    return run(store, "milestone_trend", filter_params(ctx))[TREND_COLUMNS]
