"""Items explorer: every item with its latest status; pick one to read its full update history.

Why: the overview and domain pages summarise; a manager preparing a question for
an owner needs the item itself: its latest reported status and note, computed
health and reason, and every update it ever received. Registered in
`dashboard.py`'s `st.navigation`; the sidebar filters and as-of date come from
`pages._shared.current_context`. Notes, titles and owners are user text and are
shown only inside `st.dataframe` (plain text).
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.palette import HEALTH_ORDER, health_label
from analytics.i18n import N_, translator
from pages._downloads import table_downloads
from pages._i18n import _
from pages._shared import (
    cached_item_metrics,
    cached_update_history,
    current_context,
    get_store,
    md_escape,
)
from pages._tables import REPORT_LABELS, show_table

ITEM_COLUMNS = ["item_id", "title", "health", "reason", "owner", "due_date", "note", "actual_pct",
                "planned_pct", "variance_pp", "reported_status", "last_update", "days_since_update",
                "lead_party", "domain"]
HISTORY_COLUMNS = ["as_of", "status", "percent_complete", "note", "party", "reported_by",
                   "upload_id"]
# The sort choices (the widget's values, shown translated) and their pandas sort.
SORTS = {N_("Variance (furthest behind first)"): (["variance_pp"], [True]),
         N_("Days since last update (longest first)"): (["days_since_update"], [False]),
         N_("Due date (soonest first)"): (["due_date"], [True]),
         N_("Item id"): (["item_id"], [True])}

store = get_store()
ctx = current_context(store)
st.title(_("Items explorer"))
st.caption(_("Every item's latest status, {view}. Click a row, or pick an item below, to read "
             "its update history.").format(view=md_escape(ctx.label())))

items = cached_item_metrics(store, ctx)
search_col, health_col, sort_col = st.columns([2, 2, 2])
search = search_col.text_input(_("Search title or id"), key="items_search").strip()
health = health_col.multiselect(_("Health"), HEALTH_ORDER,
                                format_func=lambda code: health_label(code, ctx.lang),
                                placeholder=_("All"), key="items_health")
sort = sort_col.selectbox(_("Sort by"), list(SORTS), format_func=translator(ctx.lang),
                          key="items_sort")

shown = items
if search:
    hits = (items["title"].str.contains(search, case=False, regex=False)
            | items["item_id"].str.contains(search, case=False, regex=False))
    shown = shown[hits.fillna(False)]
if health:
    shown = shown[shown["health"].isin(health)]
by, ascending = SORTS[sort]
shown = shown.sort_values(by, ascending=ascending, na_position="last", kind="stable")
shown = shown[ITEM_COLUMNS].reset_index(drop=True)

st.caption(_("{shown} of {total} items shown.").format(shown=len(shown), total=len(items)))
event = show_table(shown, key="items_table", on_select="rerun", selection_mode="single-row")
table_downloads(shown, "items", ctx, key="items_table_dl")

# A clicked row chooses the item once; the selectbox stays free to change afterwards.
rows = list(event.selection.rows) if event is not None else []
clicked = shown["item_id"].iloc[rows[0]] if rows and rows[0] < len(shown) else None
if clicked is not None and clicked != st.session_state.get("items_clicked"):
    st.session_state["items_pick"] = clicked
st.session_state["items_clicked"] = clicked

titles = dict(zip(items["item_id"], items["title"], strict=True))
if st.session_state.get("items_pick") not in titles:
    st.session_state.pop("items_pick", None)
picked = st.selectbox(_("Update history of"), list(titles), index=None, key="items_pick",
                      format_func=lambda item: f"{item} · {titles[item]}",
                      placeholder=_("Choose an item"))
if picked is not None:
    st.subheader(_("Update history"))
    st.text(f"{picked} · {titles[picked]}")
    history = cached_update_history(store, ctx, picked)
    if history.empty:
        st.info(_("No status update recorded for this item up to {date}.")
                .format(date=ctx.as_of.isoformat()))
    else:
        history = history.sort_values("as_of", ascending=False)[HISTORY_COLUMNS]
        show_table(history, key="items_history", first=HISTORY_COLUMNS,
                   labels=REPORT_LABELS)
        table_downloads(history, f"update-history-{picked}", ctx, key="items_history_dl")
