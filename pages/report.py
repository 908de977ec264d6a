"""Briefing pack: the PDF report and the PowerPoint deck, one click each.

Why: before a meeting a manager needs a finished document, not a live app. The
pack describes the sidebar's view (as-of date and filters) and compares it with
a chosen earlier date. Building takes a few seconds (the charts are rendered by
the process's kaleido server), so each format is built on its own button and
then offered for download; a built file is kept for the same view only.
Registered in `dashboard.py`; content and layout live in `analytics.exports.report*`.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from analytics.errors import WorkplanError
from analytics.exports import MIME_TYPES, REPORT_FORMATS
from analytics.exports.images import find_browser, unavailable_message
from analytics.exports.report import build_report
from analytics.writes import audit
from pages._auth import current_user
from pages._downloads import image_server
from pages._shared import current_context, get_store, md_escape

DEFAULT_SINCE_DAYS = 30
LABELS = {"pdf": "PDF report", "pptx": "PowerPoint deck"}

store = get_store()
ctx = current_context(store)
st.title("Briefing pack")
st.caption(f"Describes the view in the sidebar: {md_escape(ctx.label())}.")

since = st.date_input("Show what changed since", value=ctx.as_of - timedelta(days=DEFAULT_SINCE_DAYS),
                      max_value=ctx.as_of - timedelta(days=1), key=f"report_since_{ctx.as_of}")
browser = find_browser(ctx.settings)
if browser is None:
    st.caption(unavailable_message(ctx.settings) + " The pack is built without charts.")
st.markdown("Contents: title page, KPI summary, every overview chart, a page per domain, top "
            "risks with reasons, what changed since the date above, and a data-freshness note.")

view_key = (store.path, store.data_version(), ctx, since)
for fmt, column in zip(REPORT_FORMATS, st.columns(len(REPORT_FORMATS)), strict=True):
    state_key = f"report_built_{fmt}"
    if column.button(f"Build {LABELS[fmt]}", key=f"report_build_{fmt}", type="primary"):
        user = current_user()
        try:
            with st.spinner(f"Building the {LABELS[fmt]}…"):
                data = build_report(store, ctx, since, fmt,
                                    server=image_server(browser) if browser else None)
            audit(store, user.name if user else "anonymous", "export",
                  f"report {fmt} since {since} ({ctx.label()})")
        except WorkplanError as exc:
            column.error(str(exc))
        else:
            st.session_state[state_key] = (view_key, data)
    built = st.session_state.get(state_key)
    if built and built[0] == view_key:
        column.download_button(
            f"Download {LABELS[fmt]} ({len(built[1]) / 1e6:.1f} MB)", data=built[1],
            file_name=ctx.file_name("briefing", fmt), mime=MIME_TYPES[fmt],
            key=f"report_download_{fmt}", on_click="ignore", icon=":material/download:")
