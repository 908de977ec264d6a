"""Overview: where the whole plan stands against schedule, and why, in one screen.

Why: the page a manager opens first. One verdict line (the health of the plan, or
of the filtered view, with its reason, by the group rule), KPI cards (progress against plan, SPI(t),
forecast against planned finish, items by computed health, overdue items,
milestones due soon, reporting compliance), progress and health mix by domain,
the overall burn-up and the red items with their reasons. All figures come from
`analytics.metrics` through the cached loaders in `pages._shared`, for the
sidebar's as-of date and filters. Registered in `dashboard.py`.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.alternatives import (
    burn_up_alternative,
    health_by_domain_alternative,
    progress_by_domain_alternative,
)
from analytics.charts.palette import HEALTH_ORDER, health_label
from analytics.charts.progress import burn_up, health_by_domain, progress_by_domain
from analytics.formatting import counted, iso_date, long_date, pct, share
from analytics.i18n import N_, translator
from analytics.tables import worst_first
from pages._charts import show_chart
from pages._downloads import chart_downloads, table_downloads
from pages._i18n import _, _p
from pages._shared import (
    cached_burn_up,
    cached_group_metrics,
    cached_item_metrics,
    cached_kpis,
    current_context,
    efficiency_metric,
    get_store,
    progress_delta,
    progress_metric,
    verdict_line,
)
from pages._tables import show_table

RISK_COLUMNS = ["item_id", "title", "reason", "owner", "due_date", "note", "variance_pp",
                "actual_pct", "planned_pct", "domain", "lead_party", "last_update"]
RISK_LABELS = {"reason": N_("Why it is red")}


def finish_delta(kpi: dict, lang: str = "en") -> str | None:
    """'+158 days late' / '12 days early' / 'on time' against the planned finish, in `lang`."""
    forecast, planned = kpi["forecast_finish"], kpi["planned_finish"]
    if not forecast or not planned:
        return None
    _ = translator(lang)
    days = (forecast - planned).days
    if days > 0:
        return _("+{days} late").format(days=counted(days, "day", lang))
    if days < 0:
        return _("{days} early").format(days=counted(-days, "day", lang))
    return _("on time")


store = get_store()
ctx = current_context(store)
st.title(_("Overview"))
kpi = cached_kpis(store, ctx)
verdict_line(ctx.filters.scope(ctx.lang), kpi["health"], kpi["reason"], key="overview_verdict")

cards = st.columns(4)
progress_metric(cards[0], kpi, delta=progress_delta(kpi),
                help=_("Weighted actual % complete; planned {planned}. The delta is actual minus "
                       "planned.").format(planned=pct(kpi["planned_pct"], lang=ctx.lang)))
efficiency_metric(cards[1], kpi)
late = bool(kpi["forecast_finish"] and kpi["planned_finish"]
            and kpi["forecast_finish"] > kpi["planned_finish"])
cards[2].metric(_("Forecast finish"), long_date(kpi["forecast_finish"], lang=ctx.lang),
                delta=finish_delta(kpi, ctx.lang), delta_color="red" if late else "green",
                delta_arrow="off",
                help=_("Planned finish {date}, stretched by the schedule efficiency SPI(t).")
                .format(date=iso_date(kpi["planned_finish"])))
cards[3].metric(_("Reporting compliance"), share(kpi["reporting_compliance"], lang=ctx.lang),
                help=_("Started, incomplete items with an update in the last {days} days.")
                .format(days=ctx.settings.compliance_window_days))
counts = st.columns(2 + len(HEALTH_ORDER))
counts[0].metric(_p("card", "Overdue items"), kpi["overdue_items"],
                 help=_("Incomplete items past their current due date."))
counts[1].metric(_p("card", "Milestones due"), kpi["milestones_due_soon"],
                 help=_("Open milestones due in the {days} days after the as-of date.")
                 .format(days=ctx.settings.due_soon_days))
for column, status in zip(counts[2:], HEALTH_ORDER, strict=True):
    column.metric(health_label(status, ctx.lang), kpi["health_counts"][status],
                  help=_("Items whose computed health is {health}.")
                  .format(health=health_label(status, ctx.lang).lower()))

domains = cached_group_metrics(store, ctx, "domain")
figure = progress_by_domain(domains, ctx)
show_chart(figure, progress_by_domain_alternative(domains, ctx), key="overview_progress")
chart_downloads(figure, "progress-by-domain", ctx, key="overview_progress_dl")
left, right = st.columns(2)
with left:
    figure = health_by_domain(domains, ctx)
    show_chart(figure, health_by_domain_alternative(domains, ctx), key="overview_health")
    chart_downloads(figure, "health-by-domain", ctx, key="overview_health_dl")
with right:
    weeks = cached_burn_up(store, ctx, "overall")
    figure = burn_up(weeks, ctx)
    show_chart(figure, burn_up_alternative(weeks, ctx), key="overview_burn_up")
    chart_downloads(figure, "burn-up", ctx, key="overview_burn_up_dl")

st.subheader(_("Top risks: red items and why"))
items = cached_item_metrics(store, ctx)
risks = worst_first(items[items["health"] == "red"])[RISK_COLUMNS]  # furthest behind first
if risks.empty:
    st.caption(_("No red items in this view."))
else:
    show_table(risks, key="overview_risks", labels=RISK_LABELS)
    table_downloads(risks, "top-risks", ctx, key="overview_risks_dl")
