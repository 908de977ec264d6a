"""What changed between two dates: the page read before a bilateral dialogue meeting.

Why: delegations meet every few weeks and ask "what moved since last time?".
This page compares the plan as of two dates (default: the sidebar's as-of date,
which defaults to the data-current-to date, and 30 days earlier) through
`analytics.metrics.compare_dates`, leads with a count summary, then lists
health changes, progress deltas, milestones newly done or slipped, items newly
overdue and new notes. Registered in `dashboard.py`; notes and titles are shown
only inside `st.dataframe` (plain text).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import streamlit as st

from analytics.i18n import N_
from pages._downloads import table_downloads
from pages._i18n import _
from pages._shared import cached_compare_dates, current_context, get_store, md_escape
from pages._tables import REPORT_LABELS, show_table

DEFAULT_GAP_DAYS = 30
# (attribute of Comparison, count label, section heading, export name, an empty section's line);
# the words are translated where they are shown.
SECTIONS = [
    ("health_changes", N_("Health changed"), N_("Items that changed health"), "health-changes",
     N_("No item changed health.")),
    ("progress_deltas", N_("Progress moved"), N_("Progress deltas"), "progress-deltas",
     N_("No item's progress moved.")),
    ("milestones_done", N_("Milestones done"), N_("Milestones newly done"), "milestones-done",
     N_("No milestone was completed.")),
    ("milestones_slipped", N_("Milestones slipped"), N_("Milestones newly slipped or slipped further"),
     "milestones-slipped", N_("No milestone slipped.")),
    ("newly_overdue", N_("Newly overdue"), N_("Items newly overdue"), "newly-overdue",
     N_("No item became overdue.")),
    ("new_notes", N_("New notes"), N_("New notes"), "new-notes", N_("No new status notes.")),
]

store = get_store()
ctx = current_context(store)
st.title(_("What changed"))

# Keys carry the sidebar's as-of date, so moving it resets both dates to their defaults.
from_col, to_col = st.columns(2)
until = to_col.date_input(_("To"), value=ctx.as_of, key=f"changes_to_{ctx.as_of}")
since = from_col.date_input(_("From"), value=until - timedelta(days=DEFAULT_GAP_DAYS),
                            max_value=until, key=f"changes_from_{ctx.as_of}_{until}")
if since >= until:
    st.warning(_("Choose a 'From' date before the 'To' date."))
    st.stop()

view = replace(ctx, as_of=until)
comparison = cached_compare_dates(store, view, since)
frames = {attribute: getattr(comparison, attribute) for attribute, *_rest in SECTIONS}

st.caption(_("From {since} to {until} · {view}.").format(
    since=since.isoformat(), until=view.as_of.isoformat(), view=md_escape(view.label())))
for column, (attribute, label, *_rest) in zip(st.columns(len(SECTIONS)), SECTIONS, strict=True):
    column.metric(_(label), len(frames[attribute]))

for attribute, _label, heading, name, nothing in SECTIONS:
    st.subheader(_(heading))
    frame = frames[attribute]
    if frame.empty:
        st.caption(_(nothing))
        continue
    show_table(frame, key=f"changes_{attribute}", labels=REPORT_LABELS)
    table_downloads(frame, name, view, key=f"changes_{attribute}_dl")
