"""The exportable tables, by name: what `workplan export table NAME` and the report draw on.

Why: a table a manager downloads from a page, from the CLI or inside a briefing
pack must be the same table. Each `TableSpec` builds its frame from
`analytics.metrics` (or, for uploads, the store) for one `ViewContext`; floats
are rounded to two decimals for reading, dates stay dates.

Callers: `analytics/cli/exports.py` (export table, --list), the report builders
(`analytics.exports.report_pdf` / `report_pptx` use `top_risks`), and pages that
want a named table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics import metrics
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.i18n import N_
from analytics.metrics.health import HEALTH_ORDER
from analytics.store import Store

ITEM_EXPORT_COLUMNS = [
    "item_id", "domain", "title", "lead_party", "owner", "start_date", "due_date",
    "baseline_due_date", "weight", "actual_pct", "planned_pct", "variance_pp", "health",
    "reason", "reported_status", "last_update", "days_since_update", "overdue", "overdue_days",
    "stale", "milestones", "milestones_done", "milestones_overdue", "milestones_slipped",
    "reported_by", "party", "note",
]
RISK_COLUMNS = ["item_id", "title", "domain", "owner", "lead_party", "health", "actual_pct",
                "planned_pct", "variance_pp", "overdue_days", "days_since_update", "reason"]
RISK_RANK = {"red": 0, "amber": 1}
TOP_RISKS = 10


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    build: Callable[[Store, ViewContext], pd.DataFrame]


def items_table(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """One row per work item with progress, health and the latest note."""
    frame = metrics.item_metrics(store, ctx)
    return rounded(frame[[c for c in ITEM_EXPORT_COLUMNS if c in frame.columns]])


def top_risks(items: pd.DataFrame, limit: int = TOP_RISKS) -> pd.DataFrame:
    """Red then amber items, worst variance and longest overdue first, with their reasons."""
    at_risk = items[items["health"].isin(list(RISK_RANK))].copy()
    at_risk["_rank"] = at_risk["health"].map(RISK_RANK)
    at_risk["_overdue"] = pd.to_numeric(at_risk["overdue_days"], errors="coerce").fillna(0)
    at_risk = at_risk.sort_values(["_rank", "variance_pp", "_overdue", "item_id"],
                                  ascending=[True, True, False, True])
    columns = [c for c in RISK_COLUMNS if c in at_risk.columns]
    return rounded(at_risk[columns].head(limit).reset_index(drop=True))


def worst_first(groups: pd.DataFrame) -> pd.DataFrame:
    """Groups by health (red, amber, green, complete, not started), then furthest behind plan."""
    rank = {status: k for k, status in enumerate(HEALTH_ORDER)}
    order = groups.assign(_rank=groups["health"].map(rank).fillna(len(rank)),
                          _variance=pd.to_numeric(groups["variance_pp"], errors="coerce"))
    order = order.sort_values(["_rank", "_variance"], kind="stable", na_position="last")
    return order.drop(columns=["_rank", "_variance"]).reset_index(drop=True)


def top_risks_table(store: Store, ctx: ViewContext) -> pd.DataFrame:
    return top_risks(metrics.item_metrics(store, ctx))


def group_table(by: str) -> Callable[[Store, ViewContext], pd.DataFrame]:
    """Progress, schedule and health rolled up by domain, party or owner."""
    def build(store: Store, ctx: ViewContext) -> pd.DataFrame:
        return rounded(metrics.group_metrics(store, ctx, by))
    build.__name__ = f"{by}_progress"
    return build


def uploads_table(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """Every upload of the view's plan, newest first: who, when, what was accepted or refused,
    reverts."""
    return store.query_df(
        "SELECT id, kind, filename, uploaded_by, uploaded_at, rows_accepted, rows_rejected,"
        " outcome, message, reverts_upload_id, reverted_at, reverted_by"
        " FROM uploads WHERE plan_id = ? ORDER BY id DESC", [ctx.plan.id])


def from_metrics(function_name: str) -> Callable[[Store, ViewContext], pd.DataFrame]:
    """A builder calling `analytics.metrics.<function_name>(store, ctx)`, rounded."""
    def build(store: Store, ctx: ViewContext) -> pd.DataFrame:
        return rounded(getattr(metrics, function_name)(store, ctx))
    build.__name__ = function_name
    return build


def rounded(frame: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Float columns rounded for reading; everything else untouched."""
    floats = frame.select_dtypes(include="float").columns
    if len(floats) == 0:
        return frame.reset_index(drop=True)
    out = frame.copy()
    out[floats] = out[floats].round(digits)
    return out.reset_index(drop=True)


TABLES: dict[str, TableSpec] = {spec.name: spec for spec in [
    TableSpec(N_("items"), N_("Work items"), items_table),
    TableSpec(N_("update-history"), N_("Status update history"), from_metrics("update_history")),
    TableSpec(N_("domain-progress"), N_("Progress by domain"), group_table("domain")),
    TableSpec(N_("party-progress"), N_("Progress by lead party"), group_table("party")),
    TableSpec(N_("owner-progress"), N_("Progress by owner"), group_table("owner")),
    TableSpec(N_("milestones"), N_("Milestones"), from_metrics("milestone_metrics")),
    TableSpec(N_("top-risks"), N_("Top risks"), top_risks_table),
    TableSpec(N_("reported-vs-computed"), N_("Reported status greener than computed health"),
              from_metrics("reported_vs_computed")),
    TableSpec(N_("joint-disagreements"), N_("Joint items where the parties disagree"),
              from_metrics("joint_disagreements")),
    TableSpec(N_("uploads"), N_("Uploads"), uploads_table),
]}


def build_table(name: str, store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The named table for `ctx`; UsageError naming the known tables otherwise."""
    spec = TABLES.get(name)
    if spec is None:
        raise UsageError(f"Unknown table {name!r}; known tables: {', '.join(TABLES)}.")
    return spec.build(store, ctx)
