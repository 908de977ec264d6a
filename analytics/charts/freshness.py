"""Freshness and reporting-compliance figures: who has gone quiet, and which party reports.

Why: before a dialogue meeting the question is not only "how far along are we" but
"can we trust these numbers": an owner who has not reported for two months makes
every figure of their domain stale. The data-freshness page, the chart exports
and the CLI draw these two figures through the same builders (registered in
`analytics.charts.CHARTS` as `freshness-heatmap` and `compliance-by-party`).

Builders are pure: they take the frames `analytics.metrics.freshness` and
`analytics.metrics.reporting_compliance` return, plus the `ViewContext`; the
`build_*` functions run those queries themselves for the registry.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.palette import HEALTH_COLORS, base_layout, empty_figure, plain
from analytics.context import ViewContext
from analytics.i18n import N_, format_percent, translator
from analytics.store import Store

FRESHNESS_TITLE = N_("Days since last update by domain and owner")
COMPLIANCE_TITLE = N_("Reporting compliance by party")
NEVER_COLOR = HEALTH_COLORS["not_started"]   # started items that never reported
IDLE_COLOR = "#EEEEEE"                        # no started, incomplete item: nothing to report
# Sequential, colour-blind safe (light = recent, dark = quiet for long); numbers are printed in each cell.
FRESHNESS_SCALE = [[0.0, "#FFF7EC"], [0.35, "#FDBB84"], [0.7, "#E34A33"], [1.0, "#7F0000"]]
NEVER, IDLE = "never", "n/a"


def cell_text(row) -> str:
    """'92', '92 +1 never', 'never' (no eligible item ever reported) or 'n/a' (none eligible)."""
    eligible = int(getattr(row, "eligible", row.items))
    never = int(getattr(row, "never_updated", 0))
    days = _days(row.days_since_update)
    if eligible == 0:
        return IDLE
    if days is None:
        return NEVER
    return f"{days:.0f}" + (f" +{never} never" if never else "")


def freshness_matrix(frame: pd.DataFrame) -> tuple[list[str], list[str], list[list[float | None]],
                                                   list[list[str]]]:
    """(domains, owners, days grid, cell text) for the heatmap; '' where a pair has no items."""
    domains = list(dict.fromkeys(frame["domain"]))
    owners = sorted(set(frame["owner"]), key=str.casefold)
    cells = {(row.domain, row.owner): row for row in frame.itertuples(index=False)}
    days: list[list[float | None]] = []
    text: list[list[str]] = []
    for domain in domains:
        row_cells = [cells.get((domain, owner)) for owner in owners]
        days.append([None if cell is None else _days(cell.days_since_update) for cell in row_cells])
        text.append(["" if cell is None else cell_text(cell) for cell in row_cells])
    return domains, owners, days, text


def _days(value) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def freshness_heatmap(frame: pd.DataFrame, ctx: ViewContext) -> go.Figure:
    """Heatmap of days since the last update: rows are domains, columns owners."""
    stale = ctx.settings.stale_days
    if frame.empty:
        return empty_figure(FRESHNESS_TITLE, ctx, N_("No items in this view."))
    _ = translator(ctx.lang)
    figure = go.Figure()
    domains, owners, days, text = freshness_matrix(frame)
    items = {(r.domain, r.owner): int(r.items) for r in frame.itertuples(index=False)}
    hover = [[f"{plain(d)}<br>{plain(o)}<br>{items[(d, o)]} item(s)<br>days since update: {text[i][j]}"
              if (d, o) in items else "" for j, o in enumerate(owners)]
             for i, d in enumerate(domains)]
    top = max([v for row in days for v in row if v is not None] + [2 * stale])
    figure.add_trace(go.Heatmap(
        z=days, x=[plain(o) for o in owners], y=[plain(d) for d in domains], text=text, texttemplate="%{text}", hovertext=hover,
        hoverinfo="text", colorscale=FRESHNESS_SCALE, zmin=0, zmax=top, xgap=2, ygap=2,
        colorbar={"title": {"text": _("days")}, "thickness": 12}, hoverongaps=False,
    ))
    grey = [[{NEVER: 1, IDLE: 0}.get(t) for t in row] for row in text]
    if any(v is not None for row in grey for v in row):
        figure.add_trace(go.Heatmap(
            z=grey, x=[plain(o) for o in owners], y=[plain(d) for d in domains], hovertext=hover, hoverinfo="text",
            text=[[t if t in (NEVER, IDLE) else "" for t in row] for row in text],
            texttemplate="%{text}", colorscale=[[0, IDLE_COLOR], [1, NEVER_COLOR]], zmin=0,
            zmax=1, showscale=False, xgap=2, ygap=2, hoverongaps=False,
        ))
    base_layout(figure, FRESHNESS_TITLE, ctx, height=max(380, 330 + 45 * len(domains)),
                subtitle=_("started, incomplete items; stale after {stale} days; 'never' = no "
                           "update yet; 'n/a' = nothing in progress").format(stale=stale))
    figure.update_xaxes(tickangle=-35, type="category", showgrid=False)
    figure.update_yaxes(autorange="reversed", type="category", showgrid=False)
    return figure


def compliance_by_party(frame: pd.DataFrame, ctx: ViewContext) -> go.Figure:
    """Bars of the share of eligible items each party reported on in the window, labelled."""
    if frame.empty:
        return empty_figure(COMPLIANCE_TITLE, ctx,
                            N_("No started, incomplete items to report on in this view."))
    _ = translator(ctx.lang)
    figure = go.Figure()
    percent = [None if _days(c) is None else 100 * float(c) for c in frame["compliance"]]
    labels = [(_("no eligible items") if p is None else
               f"{format_percent(p, ctx.lang, 0)} ({int(r)}/{int(e)})")
              for p, r, e in zip(percent, frame["reported"], frame["eligible"], strict=True)]
    figure.add_trace(go.Bar(
        x=[str(g) for g in frame["group"]], y=[p or 0 for p in percent], text=labels,
        textposition="outside", cliponaxis=False, marker_color=HEALTH_COLORS["complete"],
        hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    window = ctx.settings.compliance_window_days
    base_layout(figure, COMPLIANCE_TITLE, ctx, height=380, legend=None,
                subtitle=_("eligible items with an update in the {window} days up to the as-of "
                           "date").format(window=window))
    figure.update_layout(bargap=0.45)
    figure.update_yaxes(title_text=_("% of eligible items reported"), range=[0, 112],
                        ticksuffix="%")
    figure.update_xaxes(type="category", showgrid=False)
    return figure


def freshness_frame(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The domain x owner frame the heatmap is drawn from."""
    from analytics import metrics

    return metrics.freshness(store, ctx)


def compliance_frame(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """Reporting compliance by party: what the compliance bars are drawn from."""
    from analytics import metrics

    return metrics.reporting_compliance(store, ctx, by="party")


def build_freshness_heatmap(store: Store, ctx: ViewContext) -> go.Figure:
    """Registry entry: query `freshness` and draw the heatmap."""
    return freshness_heatmap(freshness_frame(store, ctx), ctx)


def build_compliance_by_party(store: Store, ctx: ViewContext) -> go.Figure:
    """Registry entry: query `reporting_compliance` by party and draw the bars."""
    return compliance_by_party(compliance_frame(store, ctx), ctx)
