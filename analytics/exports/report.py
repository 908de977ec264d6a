"""What goes into the briefing pack, gathered once for the PDF report and the PowerPoint deck.

Why: the two formats must tell the same story, in the order an official reads it: the
executive summary (the verdict with its reason, the key messages and decisions sought
saved for the meeting, where the plan stands in words, domains worst first, the top
risks with the latest agency comment, what changed in sentences; `summary.py`), the
figures, every overview chart, a section per domain (its verdict, figures, chart and
items at risk), the top risks, what changed since a chosen date as tables, and how
fresh the data is. The handling marking (WORKPLAN_MARKING) goes on every page. `gather()` runs the
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
from analytics.briefing_notes import BriefingNotes
from analytics.charts import CHARTS, build_chart
from analytics.charts.alternatives import chart_alternative
from analytics.charts.palette import HEALTH_LABELS
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.exports import REPORT_FORMATS, ExportUnavailable
from analytics.exports.images import ImageServer, shared_server, static_bytes
from analytics.exports.summary import (
    ExecutiveSummary,
    domain_notes,
    executive_summary,
    risks_with_comments,
)
from analytics.formatting import (
    count,
    iso_date,
    pct,
    pp,
    ratio,
    schedule_sentence,
    share,
    signed_days,
)
from analytics.i18n import N_, translator
from analytics.metrics.health import reason_words
from analytics.store import Store

OVERVIEW_CHARTS = ("progress-by-domain", "health-by-domain", "burn-up", "milestone-trend",
                   "freshness-heatmap", "compliance-by-party")
DOMAIN_CHARTS = ("domain-burn-up",)
DOMAIN_CHART_SIZE = (900, 540)          # drawn beside the domain's numbers: taller than wide charts
CHANGE_ROWS = 12
DOMAIN_RISKS = 5
TOP_RISKS = 10


@dataclass
class ChartImage:
    name: str
    title: str
    png: bytes
    alt_text: str = ""      # the chart's summary sentence (analytics.charts.alternatives)

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
    notes: str = ""                    # the same facts in sentences (speaker notes)


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
    summary: ExecutiveSummary
    notes: BriefingNotes | None = None   # key messages and decisions sought of the meeting
    charts_note: str = ""
    generated_at: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


    @property
    def marking(self) -> str:
        return self.ctx.settings.marking

    @property
    def health(self) -> str | None:
        return self.summary.health

    @property
    def reason(self) -> str:
        return self.summary.reason


def build_report(store: Store, ctx: ViewContext, since: date, fmt: str,
                 server: ImageServer | None = None, notes: BriefingNotes | None = None) -> bytes:
    """The briefing pack as PDF or PPTX bytes, opening with `notes` (a meeting's key messages
    and decisions sought; `briefing_notes.saved_notes`) when given."""
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"A report is built as {' or '.join(REPORT_FORMATS)}, not {fmt}.")
    briefing = gather(store, ctx, since, server, notes)
    if fmt == "pdf":
        from analytics.exports.report_pdf import pdf_bytes
        return pdf_bytes(briefing)
    from analytics.exports.report_pptx import pptx_bytes
    return pptx_bytes(briefing)


def gather(store: Store, ctx: ViewContext, since: date, server: ImageServer | None = None,
           notes: BriefingNotes | None = None) -> Briefing:
    """Run the metrics and render the charts of one briefing pack."""
    if since >= ctx.as_of:
        raise UsageError(f"The comparison date {since} must be before the as-of date {ctx.as_of}.")
    server, charts_note = _image_server(ctx, server)
    kpis = metrics.kpis(store, ctx)
    items = metrics.item_metrics(store, ctx)
    groups = metrics.group_metrics(store, ctx, "domain")
    comparison = metrics.compare_dates(store, ctx, since)
    return Briefing(
        plan_title=ctx.plan.title,
        ctx=ctx, since=since,
        kpi_facts=kpi_facts(kpis, ctx.lang),
        overview=_images(store, ctx, overview_chart_names(), server),
        domains=domain_sections(store, ctx, groups, items, server),
        risks=risks_with_comments(items, TOP_RISKS),
        changes=change_tables(comparison, ctx.lang),
        freshness_note=freshness_note(kpis, items, ctx),
        summary=executive_summary(ctx.filters.scope(ctx.lang), kpis, groups, items, comparison,
                                  ctx.lang),
        notes=notes, charts_note=charts_note,
    )


def overview_chart_names() -> list[str]:
    """The charts of the overview page (by the registry), else the standard overview set."""
    names = [name for name, spec in CHARTS.items() if "overview" in str(spec.page).lower()]
    return names or [name for name in OVERVIEW_CHARTS if name in CHARTS]


def domain_sections(store: Store, ctx: ViewContext, groups: pd.DataFrame, items: pd.DataFrame,
                    server: ImageServer | None) -> list[DomainSection]:
    """One section per domain in view (plan order): its verdict, numbers, risks and charts."""
    sections = []
    for row in groups.to_dict("records"):
        name = row["group"]
        domain_ctx = replace(ctx, filters=replace(ctx.filters, domains=(name,)))
        risks = risks_with_comments(items[items["domain"] == name], DOMAIN_RISKS)
        health, reason = row.get("health"), row.get("reason") or ""
        sections.append(DomainSection(
            name=name,
            facts=group_facts(row, ctx.lang),
            risks=risks,
            charts=_images(store, domain_ctx, [n for n in DOMAIN_CHARTS if n in CHARTS], server,
                           size=DOMAIN_CHART_SIZE),
            health=health, reason=reason,
            notes=domain_notes(name, health, reason, row, risks, ctx.lang),
        ))
    return sections


def kpi_facts(kpis: dict, lang: str = "en") -> list[tuple[str, str]]:
    """The KPI summary as (label, value) lines."""
    _ = translator(lang)
    counts = kpis.get("health_counts") or {}
    return [
        (_("Overall health"), verdict_text(kpis.get("health"), kpis.get("reason"), lang)),
        (_("Items"), count(kpis.get("items"), lang=lang)),
        (_("Progress"), progress_fact(kpis, lang)),
        (_("Health of items"), " · ".join(f"{_(HEALTH_LABELS[k])} {counts.get(k, 0)}"
                                          for k in HEALTH_LABELS)),
        (_("Schedule efficiency SPI(t)"), ratio(kpis.get("spi_t"), lang=lang)),
        (_("Schedule variance SV(t)"), signed_days(kpis.get("sv_t_days"), lang=lang)),
        (_("Forecast finish"), _("{forecast} (planned {planned})").format(
            forecast=iso_date(kpis.get("forecast_finish")),
            planned=iso_date(kpis.get("planned_finish")))),
        (_("Overdue items"), count(kpis.get("overdue_items"), lang=lang)),
        (_("Milestones overdue"), count(kpis.get("milestones_overdue"), lang=lang)),
        (_("Milestones due soon"), count(kpis.get("milestones_due_soon"), lang=lang)),
        (_("Reporting compliance"), share(kpis.get("reporting_compliance"), lang=lang)),
        (_("Data current to"), iso_date(kpis.get("data_current_to"))),
    ]


def progress_fact(figures: dict, lang: str = "en") -> str:
    """'72.4% done vs 78.1% planned (−5.7 pp)'."""
    return translator(lang)("{actual} done vs {planned} planned ({variance})").format(
        actual=pct(figures.get("actual_pct"), lang=lang),
        planned=pct(figures.get("planned_pct"), lang=lang),
        variance=pp(figures.get("variance_pp"), lang=lang))


def group_facts(row: dict, lang: str = "en") -> list[tuple[str, str]]:
    """A domain's numbers as (label, value) lines."""
    _ = translator(lang)
    return [
        (_("Items"), _("{items} (red {red}, amber {amber}, complete {complete})").format(
            **{key: count(row.get(key), lang=lang) for key in ("items", "red", "amber",
                                                                "complete")})),
        (_("Progress"), progress_fact(row, lang)),
        (_("Schedule"), _("efficiency {spi}; {schedule}").format(
            spi=ratio(row.get("spi_t"), lang=lang), schedule=schedule_sentence(row, lang))),
        (_("Overdue items"), count(row.get("overdue"), lang=lang)),
        (_("Milestones done"), _("{done} of {milestones} ({overdue} overdue, {slipped} slipped)")
         .format(done=count(row.get("milestones_done"), lang=lang),
                 milestones=count(row.get("milestones"), lang=lang),
                 overdue=count(row.get("milestones_overdue"), lang=lang),
                 slipped=count(row.get("milestones_slipped"), lang=lang))),
        (_("Stale items"), count(row.get("stale"), lang=lang)),
    ]


def verdict_text(health: str | None, reason: str | None, lang: str = "en") -> str:
    """'Amber: schedule efficiency 0.93 (forecast ...); 6 red items (...)' (the group rule)."""
    _ = translator(lang)
    label = _(HEALTH_LABELS[health]) if health in HEALTH_LABELS else str(health or "n/a")
    words = reason_words(reason)
    return _("{health}: {why}").format(health=label, why=words) if words else label


# The titles of the pack's what-changed tables.
CHANGE_TITLES = (N_("Health changed"), N_("Progress since then"), N_("Milestones completed"),
                 N_("Milestones slipped"), N_("Newly overdue items"), N_("New notes"))


def change_tables(comparison, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """What changed, as titled tables (each cut to the first CHANGE_ROWS rows)."""
    _ = translator(lang)
    frames = (comparison.health_changes, _biggest_moves(comparison.progress_deltas),
              comparison.milestones_done, comparison.milestones_slipped,
              comparison.newly_overdue, comparison.new_notes)
    return [(_(title), frame.head(CHANGE_ROWS).reset_index(drop=True))
            for title, frame in zip(CHANGE_TITLES, frames, strict=True)]


def freshness_note(kpis: dict, items: pd.DataFrame, ctx: ViewContext) -> str:
    """One sentence on how current the figures are."""
    stale = int(items["stale"].fillna(False).astype(bool).sum()) if "stale" in items else 0
    return translator(ctx.lang)(
        "Data current to {current} (latest status update); figures are as of {as_of}. {stale} "
        "started, unfinished items have had no update for more than {stale_days} days; reporting "
        "compliance over the last {window} days is {compliance}.").format(
        current=iso_date(kpis.get("data_current_to")), as_of=ctx.as_of.isoformat(), stale=stale,
        stale_days=ctx.settings.stale_days, window=ctx.settings.compliance_window_days,
        compliance=share(kpis.get("reporting_compliance"), lang=ctx.lang))


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
        return None, translator(ctx.lang)("Charts left out: {reason}").format(reason=exc)


def _images(store: Store, ctx: ViewContext, names: list[str], server: ImageServer | None,
            size: tuple[int, int] | None = None) -> list[ChartImage]:
    if server is None:
        return []
    images = []
    for name in names:
        fig = build_chart(name, store, ctx)
        if size is not None:
            fig.update_layout(width=size[0], height=size[1])
        title = translator(ctx.lang)(CHARTS[name].title)
        images.append(ChartImage(name, title, static_bytes(fig, "png", ctx, server),
                                 alt_text=chart_alternative(name, store, ctx).summary))
    return images
