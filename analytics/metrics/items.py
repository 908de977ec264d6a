"""Item-level metrics as of a date: one DuckDB query for every item at once.

Why: every figure on the dashboard (group sums, health counts, risks, exports)
starts from the same per-item row: actual and planned progress, variance, the
latest report, health with its reason, overdue and stale flags, milestone counts.
Computing it in one SQL statement (analytics/sql/metrics_items.sql) keeps the
latest-update-as-of-D rule in one place and makes 50,000 items cost one scan.
Called by `groups`, `parties`, `compare`, the pages, the exports and the ingest preview.
"""

from __future__ import annotations

import pandas as pd

from analytics.context import ViewContext
from analytics.metrics.health import reasons_in
from analytics.metrics.queries import cached, context_key, context_params, run
from analytics.store import Store

ITEM_COLUMNS = [
    "item_id", "domain", "title", "lead_party", "owner", "start_date", "due_date",
    "baseline_due_date", "weight", "actual_pct", "planned_pct", "variance_pp", "last_update",
    "days_since_update", "reported_status", "reported_by", "party", "note", "health", "reason",
    "overdue", "overdue_days", "stale", "milestones", "milestones_done", "milestones_overdue",
    "milestones_slipped",
]


def item_metrics(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """One row per filtered item (domain order, then item_id); see ITEM_COLUMNS."""
    frame = item_frame(store, ctx)
    return frame[ITEM_COLUMNS]


def item_frame(store: Store, ctx: ViewContext, as_of=None) -> pd.DataFrame:
    """item_metrics plus helper columns (domain_order) for the group aggregations (cached,
    in English; the reasons are written in the view's language on a copy)."""
    frame = cached(store, ctx.plan.id, ("items", *context_key(ctx, as_of)),
                   lambda: _query_items(store, ctx, as_of))
    if ctx.lang == "en":
        return frame
    return frame.assign(reason=reasons_in(frame["reason"], ctx.lang))


def _query_items(store: Store, ctx: ViewContext, as_of) -> pd.DataFrame:
    frame = run(store, "items", context_params(ctx, as_of))
    frame["days_since_update"] = frame["days_since_update"].astype("Int64")
    for column in ("overdue", "stale"):
        frame[column] = frame[column].astype(bool)
    for column in ("last_update",):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
