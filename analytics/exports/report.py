"""What goes into the briefing pack, gathered once for the PDF report and the PowerPoint deck.

Why: the two formats must tell the same story: plan name and as-of date, the
verdict (the group health of the view and of each domain, with its reason), the KPI
summary, every overview chart, a section per domain, the top risks with reasons,
what changed since a chosen date, and how fresh the data is. `gather()` runs the
metrics and renders the charts (PNG through the process's kaleido server, the
same figures the pages draw via `analytics.charts`); `report_pdf` and
`report_pptx` only lay it out. Without Chromium the pack still builds, with one
line saying the charts were left out.

Callers: `workplan report` (analytics/cli/exports.py) and `pages/report.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pandas as pd

from analytics import metrics
from analytics.charts import CHARTS, build_chart
from analytics.charts.palette import HEALTH_LABELS
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.exports import REPORT_FORMATS, ExportUnavailable
from analytics.exports.images import ImageServer, shared_server, static_bytes
from analytics.metrics.health import reason_words
from analytics.store import Store
from analytics.tables import top_risks

OVERVIEW_CHARTS = ("progress-by-domain", "health-by-domain", "burn-up", "milestone-trend",
                   "freshness-heatmap", "compliance-by-party")
DOMAIN_CHARTS = ("domain-burn-up",)
DOMAIN_CHART_SIZE = (900, 540)          # drawn beside the domain's numbers: taller than wide charts
CHANGE_ROWS = 12


@dataclass
class ChartImage:
    name: str
    title: str
    png: bytes

    @property
    def aspect(self) -> float:
        """Width over height, read from the PNG header (IHDR)."""
        width = int.from_bytes(self.png[16:20], "big")
        height = int.from_bytes(self.png[20:24], "big")
        return width / height if height else 16 / 9


@dataclass
class DomainSection:
    name: str
    facts: list[tuple[str, str]]
    risks: pd.DataFrame
    charts: list[ChartImage] = field(default_factory=list)
    health: str | None = None          # the domain's group health and its reason
    reason: str = ""


@dataclass
class Briefing:
    plan_title: str
    ctx: ViewContext
    since: date
    kpi_facts: list[tuple[str, str]]
    overview: list[ChartImage]
    domains: list[DomainSection]
    risks: pd.DataFrame
    changes: list[tuple[str, pd.DataFrame]]
    freshness_note: str
    charts_note: str = ""
    health: str | None = None          # the verdict: the view's group health and its reason
    reason: str = ""
    generated_at: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def build_report(store: Store, ctx: ViewContext, since: date, fmt: str,
                 server: ImageServer | None = None) -> bytes:
    """The briefing pack as PDF or PPTX bytes."""
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"A report is built as {' or '.join(REPORT_FORMATS)}, not {fmt}.")
    briefing = gather(store, ctx, since, server)
    if fmt == "pdf":
        from analytics.exports.report_pdf import pdf_bytes
        return pdf_bytes(briefing)
    from analytics.exports.report_pptx import pptx_bytes
    return pptx_bytes(briefing)


def gather(store: Store, ctx: ViewContext, since: date, server: ImageServer | None = None) -> Briefing:
    """Run the metrics and render the charts of one briefing pack."""
    if since >= ctx.as_of:
        raise UsageError(f"The comparison date {since} must be before the as-of date {ctx.as_of}.")
    server, charts_note = _image_server(ctx, server)
    kpis = metrics.kpis(store, ctx)
    items = metrics.item_metrics(store, ctx)
    return Briefing(
        plan_title=store.plan_info().get("title") or "Work plan",
        ctx=ctx, since=since,
        kpi_facts=kpi_facts(kpis),
        overview=_images(store, ctx, overview_chart_names(), server),
        domains=domain_sections(store, ctx, items, server),
        risks=top_risks(items),
        changes=change_tables(metrics.compare_dates(store, ctx, since)),
        freshness_note=freshness_note(kpis, items, ctx),
        charts_note=charts_note,
        health=kpis.get("health"), reason=kpis.get("reason") or "",
    )


def overview_chart_names() -> list[str]:
    """The charts of the overview page (by the registry), else the standard overview set."""
    names = [name for name, spec in CHARTS.items() if "overview" in str(spec.page).lower()]
    return names or [name for name in OVERVIEW_CHARTS if name in CHARTS]


def domain_sections(store: Store, ctx: ViewContext, items: pd.DataFrame,
                    server: ImageServer | None) -> list[DomainSection]:
    """One section per domain in view: its numbers, its risks, its charts."""
    groups = metrics.group_metrics(store, ctx, "domain")
    sections = []
    for row in groups.to_dict("records"):
        name = row["group"]
        domain_ctx = replace(ctx, filters=replace(ctx.filters, domains=(name,)))
        sections.append(DomainSection(
            name=name,
            facts=group_facts(row),
            risks=top_risks(items[items["domain"] == name], limit=5),
            charts=_images(store, domain_ctx, [n for n in DOMAIN_CHARTS if n in CHARTS], server,
                           size=DOMAIN_CHART_SIZE),
            health=row.get("health"), reason=row.get("reason") or "",
        ))
    return sections


def kpi_facts(kpis: dict) -> list[tuple[str, str]]:
    """The KPI summary as (label, value) lines."""
    counts = kpis.get("health_counts") or {}
    return [
        ("Overall health", verdict_text(kpis.get("health"), kpis.get("reason"))),
        ("Items", fmt_int(kpis.get("items"))),
        ("Progress", f"{fmt_pct(kpis.get('actual_pct'))} done vs {fmt_pct(kpis.get('planned_pct'))} "
                     f"planned ({fmt_pp(kpis.get('variance_pp'))})"),
        ("Health of items", " · ".join(f"{HEALTH_LABELS[k]} {counts.get(k, 0)}" for k in HEALTH_LABELS)),
        ("Schedule performance SPI(t)", fmt_num(kpis.get("spi_t"))),
        ("Schedule variance", fmt_days(kpis.get("sv_t_days"))),
        ("Forecast finish", f"{fmt_date(kpis.get('forecast_finish'))} "
                            f"(planned {fmt_date(kpis.get('planned_finish'))})"),
        ("Overdue items", fmt_int(kpis.get("overdue_items"))),
        ("Milestones overdue", fmt_int(kpis.get("milestones_overdue"))),
        ("Milestones due soon", fmt_int(kpis.get("milestones_due_soon"))),
        ("Reporting compliance", fmt_share(kpis.get("reporting_compliance"))),
        ("Data current to", fmt_date(kpis.get("data_current_to"))),
    ]


def group_facts(row: dict) -> list[tuple[str, str]]:
    """A domain's numbers as (label, value) lines."""
    return [
        ("Health", verdict_text(row.get("health"), row.get("reason"))),
        ("Items", f"{fmt_int(row.get('items'))} (red {fmt_int(row.get('red'))}, amber "
                  f"{fmt_int(row.get('amber'))}, complete {fmt_int(row.get('complete'))})"),
        ("Progress", f"{fmt_pct(row.get('actual_pct'))} done vs {fmt_pct(row.get('planned_pct'))} "
                     f"planned ({fmt_pp(row.get('variance_pp'))})"),
        ("SPI(t)", fmt_num(row.get("spi_t"))),
        ("Forecast finish", fmt_date(row.get("forecast_finish"))),
        ("Overdue items", fmt_int(row.get("overdue"))),
        ("Milestones done", f"{fmt_int(row.get('milestones_done'))} of {fmt_int(row.get('milestones'))}"
                            f" ({fmt_int(row.get('milestones_overdue'))} overdue, "
                            f"{fmt_int(row.get('milestones_slipped'))} slipped)"),
        ("Stale items", fmt_int(row.get("stale"))),
    ]


def verdict_text(health: str | None, reason: str | None) -> str:
    """'Amber: schedule efficiency 0.93 (forecast ...); 6 red items (...)' (the group rule)."""
    label = HEALTH_LABELS.get(health, str(health or "n/a"))
    words = reason_words(reason)
    return f"{label}: {words}" if words else label


def change_tables(comparison) -> list[tuple[str, pd.DataFrame]]:
    """What changed, as titled tables (each cut to the first CHANGE_ROWS rows)."""
    parts = [
        ("Health changed", comparison.health_changes),
        ("Progress since then", _biggest_moves(comparison.progress_deltas)),
        ("Milestones completed", comparison.milestones_done),
        ("Milestones slipped", comparison.milestones_slipped),
        ("Newly overdue items", comparison.newly_overdue),
        ("New notes", comparison.new_notes),
    ]
    return [(title, frame.head(CHANGE_ROWS).reset_index(drop=True)) for title, frame in parts]


def freshness_note(kpis: dict, items: pd.DataFrame, ctx: ViewContext) -> str:
    """One sentence on how current the figures are."""
    stale = int(items["stale"].fillna(False).astype(bool).sum()) if "stale" in items else 0
    return (f"Data current to {fmt_date(kpis.get('data_current_to'))} (latest status update); "
            f"figures are as of {ctx.as_of.isoformat()}. {stale} started, unfinished items have had no "
            f"update for more than {ctx.settings.stale_days} days; reporting compliance over the last "
            f"{ctx.settings.compliance_window_days} days is {fmt_share(kpis.get('reporting_compliance'))}.")


def _biggest_moves(deltas: pd.DataFrame) -> pd.DataFrame:
    if deltas.empty or "delta_pp" not in deltas:
        return deltas
    moved = deltas[deltas["delta_pp"].fillna(0) != 0]
    return moved.sort_values("delta_pp", ascending=False, key=lambda s: s.abs())


def _image_server(ctx: ViewContext, server: ImageServer | None) -> tuple[ImageServer | None, str]:
    if server is not None:
        return server, ""
    try:
        return shared_server(ctx.settings), ""
    except ExportUnavailable as exc:
        return None, f"Charts left out: {exc}"


def _images(store: Store, ctx: ViewContext, names: list[str], server: ImageServer | None,
            size: tuple[int, int] | None = None) -> list[ChartImage]:
    if server is None:
        return []
    images = []
    for name in names:
        fig = build_chart(name, store, ctx)
        if size is not None:
            fig.update_layout(width=size[0], height=size[1])
        images.append(ChartImage(name, CHARTS[name].title, static_bytes(fig, "png", ctx, server)))
    return images


# -- formatting ------------------------------------------------------------

def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_int(value) -> str:
    return "n/a" if _missing(value) else f"{int(value):,}"


def fmt_num(value) -> str:
    return "n/a" if _missing(value) else f"{float(value):.2f}"


def fmt_pct(value) -> str:
    return "n/a" if _missing(value) else f"{float(value):.1f}%"


def fmt_pp(value) -> str:
    return "n/a" if _missing(value) else f"{float(value):+.1f} pp".replace("-", "−")


def fmt_days(value) -> str:
    return "n/a" if _missing(value) else f"{float(value):+.0f} days".replace("-", "−")


def fmt_share(value) -> str:
    return "n/a" if _missing(value) else f"{float(value) * 100:.0f}%"


def fmt_date(value) -> str:
    if _missing(value):
        return "n/a"
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def fmt_cell(value) -> str:
    """A table cell as text for the PDF and the deck."""
    if _missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, date | pd.Timestamp):
        return fmt_date(value)
    return str(value)
