"""Milestones: which slipped, which are overdue, which are due soon, and how their dates moved.

Why: milestones are what the two governments committed to in the dialogue; a
moved date is news. The timeline shows each item with an open milestone (all items
behind a toggle): its bar, its milestones and a line from each baseline date to the
current date (slips visible at a glance);
the trend shows each moved milestone's due date as recorded at successive
imports; the lists name overdue and due-soon milestones. For the sidebar's
as-of date and filters; registered in `dashboard.py`.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.alternatives import (
    milestone_timeline_alternative,
    milestone_trend_alternative,
)
from analytics.charts.milestones import milestone_timeline, milestone_trend
from analytics.i18n import N_
from pages._charts import show_chart
from pages._downloads import chart_downloads, table_downloads
from pages._i18n import _
from pages._shared import (
    cached_item_metrics,
    cached_milestone_metrics,
    cached_milestone_trend,
    current_context,
    get_store,
)
from pages._tables import show_table

LIST_COLUMNS = ["milestone_id", "title", "item_id", "item_title", "domain", "due_date",
                "baseline_date", "slip_days"]
SLIPPED_OR_MOVED = N_(
    "**Slipped**: the current due date is later than the baseline date agreed in the plan. "
    "**Due date moved** (the trend chart): the due date changed between two imports, in either "
    "direction.")
# Shown first: the milestone, its date and how late or near it is; then its item.
MILESTONE_FIRST = ["milestone_id", "title", "due_date", "days_overdue", "days_to_due", "slip_days"]


def milestone_list(frame, flag: str, extra: str, ascending: bool):
    """Milestones where `flag` is true, with `extra` first among the numbers, sorted by it."""
    chosen = frame[frame[flag].fillna(False).astype(bool)]
    return (chosen.sort_values([extra, "due_date"], ascending=[ascending, True], kind="stable")
            [LIST_COLUMNS + [extra]].reset_index(drop=True))


def show_list(frame, heading: str, name: str, nothing: str) -> None:
    st.subheader(heading)
    if frame.empty:
        st.caption(nothing)
        return
    show_table(frame, key=f"milestones_{name}", first=MILESTONE_FIRST)
    table_downloads(frame, name, ctx, key=f"milestones_{name}_dl")


store = get_store()
ctx = current_context(store)
st.title(_("Milestones"))
milestones = cached_milestone_metrics(store, ctx)
flags = {column: int(milestones[column].fillna(False).astype(bool).sum())
         for column in ("done", "overdue", "due_soon", "slipped")}
cards = st.columns(5)
cards[0].metric(_("Milestones"), len(milestones))
cards[1].metric(_("Done"), flags["done"])
cards[2].metric(_("Overdue"), flags["overdue"], help=_("Not done and past their current due date."))
cards[3].metric(_("Due soon"), flags["due_soon"],
                help=_("Not done, due in the {days} days after the as-of date.")
                .format(days=ctx.settings.due_soon_days))
cards[4].metric(_("Slipped"), flags["slipped"], help=_("Current due date later than the baseline."))

st.caption(_(SLIPPED_OR_MOVED))
show_done = st.toggle(_("Show completed milestones"), key="milestones_show_done",
                      help=_("The timeline opens on the open milestones (overdue, slipped or on "
                             "their baseline) and the items that have one."))
items = cached_item_metrics(store, ctx)
figure = milestone_timeline(milestones, items, ctx, include_done=show_done)
show_chart(figure, milestone_timeline_alternative(milestones, items, ctx, include_done=show_done),
           key="milestones_timeline")
chart_downloads(figure, "milestone-timeline", ctx, key="milestones_timeline_dl")

trend = cached_milestone_trend(store, ctx)
figure = milestone_trend(trend, ctx)
show_chart(figure, milestone_trend_alternative(trend, ctx), key="milestones_trend")
chart_downloads(figure, "milestone-trend", ctx, key="milestones_trend_dl")

soon = milestones.assign(days_to_due=[(d - ctx.as_of).days if d is not None and d == d else None
                                      for d in milestones["due_date"]])
show_list(milestone_list(milestones, "overdue", "days_overdue", ascending=False),
          _("Overdue milestones"), "overdue-milestones", _("No milestone is overdue."))
show_list(milestone_list(soon, "due_soon", "days_to_due", ascending=True),
          _("Due in the next {days} days").format(days=ctx.settings.due_soon_days),
          "due-soon-milestones", _("No milestone is due soon."))
