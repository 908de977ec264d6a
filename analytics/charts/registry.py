"""The chart registry: every named figure of the dashboard, buildable without Streamlit.

Why: the same figure appears on a page, as a PNG/SVG/PDF/HTML download, in the
`workplan export` CLI and in the PDF/PPTX briefing pack. Each is registered here
once with its slug (used in file names and on the command line), its title, a
`build(store, ctx)` function that runs its own metric queries, and the page that
shows it. Pages that already hold the metric frames call the pure builders in
`analytics.charts.progress`, `.milestones` and `.freshness` directly.

Domain charts (domain-burn-up, spi-trend, milestone-timeline) describe the items
the filters select: the CLI's `--domain X` becomes `ctx.filters.domains`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from analytics.charts import freshness, milestones, progress
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.i18n import N_
from analytics.store import Store


@dataclass(frozen=True)
class ChartSpec:
    name: str                                            # slug: "progress-by-domain"
    title: str                                           # "Progress by domain"
    build: Callable[[Store, ViewContext], go.Figure]     # runs the metrics queries itself
    page: str                                            # the page that shows it


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in (
    ChartSpec(N_("progress-by-domain"), progress.PROGRESS_TITLE, progress.build_progress_by_domain,
              "overview"),
    ChartSpec(N_("health-by-domain"), progress.HEALTH_TITLE, progress.build_health_by_domain,
              "overview"),
    ChartSpec(N_("burn-up"), N_("Overall burn-up"), progress.build_burn_up, "overview"),
    ChartSpec(N_("domain-burn-up"), N_("Domain burn-up"), progress.build_domain_burn_up, "domain"),
    ChartSpec(N_("spi-trend"), N_("SPI(t) trend"), progress.build_spi_trend, "domain"),
    ChartSpec(N_("milestone-timeline"), N_("Milestone timeline"), milestones.build_milestone_timeline,
              "milestones"),
    ChartSpec(N_("milestone-trend"), N_("Milestone trend"), milestones.build_milestone_trend,
              "milestones"),
    ChartSpec(N_("freshness-heatmap"), freshness.FRESHNESS_TITLE, freshness.build_freshness_heatmap,
              "freshness"),
    ChartSpec(N_("compliance-by-party"), freshness.COMPLIANCE_TITLE,
              freshness.build_compliance_by_party, "freshness"),
)}


def build_chart(name: str, store: Store, ctx: ViewContext) -> go.Figure:
    """The named figure for this view; UsageError naming the known charts otherwise."""
    spec = CHARTS.get(name)
    if spec is None:
        raise UsageError(f"Unknown chart {name!r}; choose one of: {', '.join(CHARTS)}.")
    return spec.build(store, ctx)
