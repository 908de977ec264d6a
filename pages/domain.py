"""Domain drill-down: one domain's KPIs, burn-up, SPI(t) trend, items and milestone timeline.

Why: after the overview points at a domain that is behind, its lead wants the
verdict on it (its group health and reason, as on the overview's bars) and the
detail: how its progress developed against the plan, whether its schedule
performance is recovering, which items drag it down and why, and which
milestones moved. The domain is picked here, with the page's one Domain control
(it opens on the first domain the sidebar's filter names, else the plan's first);
the sidebar shows its domain filter disabled on this page (dashboard.py), while
its as-of date, lead-party and owner filters still apply. Registered in `dashboard.py`.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics.charts.alternatives import (
    burn_up_alternative,
    milestone_timeline_alternative,
    spi_trend_alternative,
)
from analytics.charts.milestones import milestone_timeline
from analytics.charts.progress import DOMAIN_BURN_UP_TITLE, burn_up, spi_trend
from analytics.formatting import iso_date, long_date, pct, pp
from analytics.tables import worst_first
from pages._charts import show_chart
from pages._downloads import chart_downloads, table_downloads
from pages._i18n import _
from pages._shared import (
    DOMAIN_KEY,
    cached_burn_up,
    cached_item_metrics,
    cached_kpis,
    cached_milestone_metrics,
    current_context,
    efficiency_metric,
    get_store,
    plan_facts,
    progress_metric,
    verdict_line,
)
from pages._tables import show_table

PICK_KEY = "domain_pick"
FOLLOWED_KEY = "domain_followed"  # the sidebar's domains when the page last ran
ITEM_COLUMNS = ["item_id", "title", "health", "reason", "owner", "due_date", "note", "actual_pct",
                "planned_pct", "variance_pp", "reported_status", "last_update", "lead_party"]


def pick_domain(ctx, choices: list[str]) -> None:
    """Set the page's Domain control before it is drawn: a link's ?domain_pick= or the user's
    pick stays; the page opens on the first domain the sidebar's filter names, and turns to
    it again when that filter changed (on another page); else the plan's first domain."""
    state = st.session_state
    named = tuple(domain for domain in ctx.filters.domains if domain in choices)
    if state.get(PICK_KEY) not in choices:
        state.pop(PICK_KEY, None)
    changed = state.get(FOLLOWED_KEY, named) != named
    if named and (changed or (PICK_KEY not in state and PICK_KEY not in st.query_params)):
        state[PICK_KEY] = named[0]
    state[FOLLOWED_KEY] = named


store = get_store()
ctx = current_context(store)
st.title(_("Domain drill-down"))
choices = plan_facts(store, ctx.plan)["options"][DOMAIN_KEY]
pick_domain(ctx, choices)
domain = st.selectbox(_("Domain"), choices, key=PICK_KEY, bind="query-params", width=420)
if domain is None:
    st.info(_("No domain in this view."))
    st.stop()
view = replace(ctx, filters=replace(ctx.filters, domains=(domain,)))
kpi = cached_kpis(store, view)
verdict_line(view.filters.scope(view.lang), kpi["health"], kpi["reason"], key="domain_verdict")

cards = st.columns([1.1, 0.9, 1.4, 0.8, 0.9, 1.1])
progress_metric(cards[0], kpi, delta=pp(kpi["variance_pp"], none=None, lang=view.lang),
                help=_("Weighted actual % complete; planned {planned}. The delta is actual minus "
                       "planned.").format(planned=pct(kpi["planned_pct"], lang=view.lang)))
efficiency_metric(cards[1], kpi)
cards[2].metric(_("Forecast finish"), long_date(kpi["forecast_finish"], lang=view.lang),
                help=_("Planned finish {date}.").format(date=iso_date(kpi["planned_finish"])))
cards[3].metric(_("Items red"), kpi["health_counts"]["red"],
                help=_("{items} items; {amber} amber.").format(
                    items=kpi["items"], amber=kpi["health_counts"]["amber"]))
cards[4].metric(_("Overdue items"), kpi["overdue_items"])
cards[5].metric(_("Milestones overdue"), kpi["milestones_overdue"],
                help=_("{n} more due in the next {days} days.").format(
                    n=kpi["milestones_due_soon"], days=ctx.settings.due_soon_days))

weeks = cached_burn_up(store, view, "overall")
left, right = st.columns(2)
with left:
    figure = burn_up(weeks, view, title=DOMAIN_BURN_UP_TITLE)
    show_chart(figure, burn_up_alternative(weeks, view, title=DOMAIN_BURN_UP_TITLE),
               key="domain_burn_up")
    chart_downloads(figure, "domain-burn-up", view, key="domain_burn_up_dl")
with right:
    figure = spi_trend(weeks, view)
    show_chart(figure, spi_trend_alternative(weeks, view), key="domain_spi")
    chart_downloads(figure, "spi-trend", view, key="domain_spi_dl")

st.subheader(_("Items"))
items = cached_item_metrics(store, view)
table = worst_first(items)[ITEM_COLUMNS]  # red first, then amber, ...; furthest behind first
show_table(table, key="domain_items")
table_downloads(table, "items", view, key="domain_items_dl")

milestones = cached_milestone_metrics(store, view)
figure = milestone_timeline(milestones, items, view, include_done=True)
show_chart(figure, milestone_timeline_alternative(milestones, items, view, include_done=True),
           key="domain_timeline")
chart_downloads(figure, "milestone-timeline", view, key="domain_timeline_dl")
