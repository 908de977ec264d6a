"""Briefing pack: the meeting's key messages and decisions, then the PDF report and the deck.

Why: before a meeting a manager needs a finished document, not a live app, and it
must open with what officials should take away and decide. An editor writes the key
messages and decisions sought for the meeting date here (a draft built from the data
is one click away), saved with the plan and audited (analytics/briefing_notes.py);
a viewer reads them. The pack describes the sidebar's view (as-of date and filters),
compares it with a chosen earlier date and opens with the saved notes. Building takes a
few seconds (the charts are rendered by the process's kaleido server), so each format
is built on its own button and then offered for download; a built file is kept for the
same view only. Registered in `dashboard.py`; content and layout in `analytics.exports.report*`.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from analytics.briefing_notes import (
    as_text,
    draft_for,
    editable,
    latest_meeting,
    save_notes,
    saved_notes,
)
from analytics.errors import WorkplanError
from analytics.exports import MIME_TYPES, REPORT_FORMATS
from analytics.exports.images import find_browser, unavailable_message
from analytics.exports.report import build_report
from analytics.i18n import N_, format_number
from analytics.plans import plan_data_version
from analytics.writes import audit
from pages._auth import current_user
from pages._downloads import image_server
from pages._i18n import _
from pages._shared import current_context, get_store, md_escape

DEFAULT_SINCE_DAYS = 30
# Each format's build button, its spinner and its download button ({size} in MB).
BUILD = {"pdf": N_("Build PDF report"), "pptx": N_("Build PowerPoint deck")}
BUILDING = {"pdf": N_("Building the PDF report…"), "pptx": N_("Building the PowerPoint deck…")}
DOWNLOAD = {"pdf": N_("Download PDF report ({size} MB)"),
            "pptx": N_("Download PowerPoint deck ({size} MB)")}
MESSAGES_KEY, DECISIONS_KEY = "notes_key_messages", "notes_decisions"


def load_notes_into_editor(meeting, notes) -> None:
    """Fill the two text areas with the meeting's saved notes (once per meeting chosen)."""
    if st.session_state.get("notes_loaded_for") == meeting:
        return
    st.session_state[MESSAGES_KEY] = as_text(notes.key_messages) if notes else ""
    st.session_state[DECISIONS_KEY] = as_text(notes.decisions) if notes else ""
    st.session_state["notes_loaded_for"] = meeting


def use_draft() -> None:
    """Button callback: the draft from the data replaces the text in both areas."""
    since, messages, decisions = draft_for(store, ctx)
    st.session_state[MESSAGES_KEY] = as_text(messages)
    st.session_state[DECISIONS_KEY] = as_text(decisions)
    st.session_state["notes_draft_since"] = since


def notes_section(meeting, user, notes):
    """Editors write the meeting's notes, viewers read them; the notes as they now stand."""
    if notes is not None:
        st.caption(_("Saved by {name} at {when} UTC.").format(
            name=md_escape(notes.updated_by), when=f"{notes.updated_at:%Y-%m-%d %H:%M}"))
    locked = editable(store, ctx.plan.id, meeting)
    if user is None or not user.can("write_notes") or locked:
        if locked:
            st.info(locked)
        for heading, lines in ((_("Key messages"), notes.key_messages if notes else ()),
                               (_("Decisions sought"), notes.decisions if notes else ())):
            st.markdown("**" + heading + "**")  # a translated heading, in bold
            st.markdown("\n".join(f"- {md_escape(line)}" for line in lines)
                        or _("_None saved._"))
        return notes
    load_notes_into_editor(meeting, notes)
    left, right = st.columns(2)
    left.text_area(_("Key messages (one per line)"), key=MESSAGES_KEY, height=180)
    right.text_area(_("Decisions sought (one per line)"), key=DECISIONS_KEY, height=180)
    draft, save = st.columns([1, 1])
    draft.button(_("Use a draft from the data"), key="notes_draft", on_click=use_draft,
                 help=_("Items newly red, the largest milestone slips and the milestones done "
                        "since the previous meeting; a recovery decision for each red item."))
    if st.session_state.get("notes_draft_since"):
        st.caption(_("Draft from the changes since {date}; edit it, then save.")
                   .format(date=st.session_state["notes_draft_since"]))
    if save.button(_("Save the notes"), key="notes_save", type="primary"):
        try:
            saved = save_notes(store, ctx.plan.id, meeting, st.session_state[MESSAGES_KEY],
                               st.session_state[DECISIONS_KEY], by=user.name)
        except WorkplanError as exc:
            st.error(str(exc))
        else:
            st.success(_("Saved {messages} key message(s) and {decisions} decision(s) for the "
                         "meeting of {date}.").format(messages=len(saved.key_messages),
                                                      decisions=len(saved.decisions),
                                                      date=saved.meeting))
            return saved
    return notes


store = get_store()
ctx = current_context(store)
user = current_user()
st.title(_("Briefing pack"))
st.caption(_("Describes the view in the sidebar: {view}.").format(view=md_escape(ctx.label())))

st.subheader(_("Key messages and decisions sought"))
meeting = st.date_input(_("Meeting date"), value=latest_meeting(store, ctx.plan.id) or ctx.as_of,
                        key="notes_meeting")
notes = notes_section(meeting, user, saved_notes(store, ctx.plan.id, meeting))

st.subheader(_("Build the pack"))
since = st.date_input(_("Show what changed since"), value=ctx.as_of - timedelta(days=DEFAULT_SINCE_DAYS),
                      max_value=ctx.as_of - timedelta(days=1), key=f"report_since_{ctx.as_of}")
browser = find_browser(ctx.settings)
if browser is None:
    st.caption(unavailable_message(ctx.settings) + " " + _("The pack is built without charts."))
st.markdown(_("Contents: the executive summary (verdict, the key messages and decisions saved for "
              "the meeting above, where the plan stands, domains worst first, top risks with the "
              "latest comment, what changed), the figures, every overview chart, a page per "
              "domain, top risks, what changed since the date above, and a data-freshness note."))

view_key = (store.path, plan_data_version(store, ctx.plan.id), ctx, since, notes)
for fmt, column in zip(REPORT_FORMATS, st.columns(len(REPORT_FORMATS)), strict=True):
    state_key = f"report_built_{fmt}"
    if column.button(_(BUILD[fmt]), key=f"report_build_{fmt}", type="primary"):
        try:
            with st.spinner(_(BUILDING[fmt])):
                data = build_report(store, ctx, since, fmt,
                                    server=image_server(browser) if browser else None,
                                    notes=notes)
            audit(store, user.name if user else "anonymous", "export",
                  f"report {fmt} since {since} ({ctx.label()})", plan_id=ctx.plan.id)
        except WorkplanError as exc:
            column.error(str(exc))
        else:
            st.session_state[state_key] = (view_key, data)
    built = st.session_state.get(state_key)
    if built and built[0] == view_key:
        column.download_button(
            _(DOWNLOAD[fmt]).format(size=format_number(len(built[1]) / 1e6, ctx.lang, 1)),
            data=built[1],
            file_name=ctx.file_name(N_("briefing"), fmt), mime=MIME_TYPES[fmt],
            key=f"report_download_{fmt}", on_click="ignore", icon=":material/download:")
