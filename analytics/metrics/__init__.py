"""The metrics engine: every figure the dashboard, exports, reports and CLI show.

Why: managers act on these numbers in front of their counterparts, so each is
defined once (analytics/METRICS.md, rendered in the app) and computed once here,
with the heavy lifting (latest update per item as of a date, group sums) in
DuckDB SQL. Pages, exports, benchmarks and the ingest preview code against the
names re-exported below (function names, arguments and columns are a contract).

All functions take a `Store`, then a `ViewContext` (as-of date, filters, settings).
"""

from __future__ import annotations

from importlib import resources

from analytics.metrics.compare import Comparison, compare_dates
from analytics.metrics.groups import GROUP_COLUMNS, GROUPINGS, group_metrics, kpis
from analytics.metrics.health import HEALTH_ORDER
from analytics.metrics.history import update_history
from analytics.metrics.items import ITEM_COLUMNS, item_metrics
from analytics.metrics.milestones import milestone_metrics, milestone_trend
from analytics.metrics.parties import (
    freshness,
    joint_disagreements,
    reported_vs_computed,
    reporting_compliance,
)
from analytics.metrics.portfolio import portfolio_metrics
from analytics.metrics.queries import data_current_to
from analytics.metrics.trends import burn_up


def metric_definitions_markdown(lang: str = "en") -> str:
    """The metric definitions as shown on the definitions page: analytics/METRICS.md, or
    its translation METRICS.<lang>.md (FileNotFoundError for a language not translated)."""
    name = "METRICS.md" if lang == "en" else f"METRICS.{lang}.md"
    return resources.files("analytics").joinpath(name).read_text(encoding="utf-8")


__all__ = [
    "Comparison", "burn_up", "compare_dates", "update_history",
    "GROUP_COLUMNS", "GROUPINGS", "HEALTH_ORDER", "ITEM_COLUMNS", "data_current_to", "freshness",
    "group_metrics", "item_metrics", "joint_disagreements", "kpis", "metric_definitions_markdown",
    "milestone_metrics", "milestone_trend", "reported_vs_computed", "reporting_compliance",
    "portfolio_metrics",
]
