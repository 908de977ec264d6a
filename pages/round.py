"""Reporting round: every owner with the reports they owe, their last report and state.

Why: before each dialogue the programme office chases the agencies whose reports for the
last period have not come in. The page shows the round as of the sidebar's date (the
whole plan: the sidebar's item filters do not apply), worst first, with a party filter,
the table's CSV/XLSX downloads and each owner's pre-filled status sheet (XLSX and CSV)
to send them, and for editors and admins a "Send reminders" button that mails each owner
due or overdue their sheet (`analytics.reminders`, sent once per owner and period by
`analytics.mail`). Rows come from `analytics.reporting_round`, sheets from
`analytics.owner_sheet`. Registered in `dashboard.py`.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics.errors import WorkplanError
from analytics.exports import MIME_TYPES
from analytics.formatting import iso_date
from analytics.i18n import N_
from analytics.mail import mail_configured, send_batch
from analytics.owner_sheet import owner_sheet_csv, owner_sheet_xlsx, sheet_file_name
from analytics.reminders import reminder_messages
from analytics.reporting_round import (
    ROUND_COLUMNS,
    owners_of,
    period_of,
    reporting_round,
    state_label,
)
from pages._auth import current_user
from pages._downloads import table_downloads
from pages._i18n import _
from pages._shared import current_context, get_store
from pages._tables import show_table

ALL_PARTIES = N_("All parties")             # kept in English, shown in the view's language
SHEETS = {"xlsx": owner_sheet_xlsx, "csv": owner_sheet_csv}


def sheet_downloads(store, ctx, owners: list[str]) -> None:
    """An owner picker and the owner's pre-filled sheet as XLSX and CSV (made on click)."""
    if not owners:
        st.text(_("No owner owes a report in this round, so there is no sheet to send."))
        return
    owner = st.selectbox(_("Pre-filled sheet for"), owners, key="round_owner")
    columns = st.columns(len(SHEETS))
    for column, (fmt, make) in zip(columns, SHEETS.items(), strict=True):
        column.download_button(
            _("{format} sheet").format(format=fmt.upper()), data=partial(make, store, ctx, owner),
            file_name=sheet_file_name(ctx, owner, fmt), mime=MIME_TYPES[fmt],
            key=f"round_sheet_{fmt}", width="stretch")


def send_reminders(store, ctx) -> None:
    """For editors and admins: mail each owner due or overdue their sheet (once per period)."""
    user = current_user()
    if user is None or not user.can("upload"):
        return
    st.subheader(_("Reminders"))
    problem = mail_configured(ctx.settings)
    if problem:
        st.info(problem)
        return
    if not st.button(_("Send reminders"), key="round_send_reminders"):
        return
    try:
        messages, missing = reminder_messages(store, ctx, ctx.settings)
        result = send_batch(store, ctx.plan.id, messages, ctx.settings, by=user.name)
    except WorkplanError as exc:
        st.error(str(exc))
        return
    if missing:
        st.warning(_("No contact, not reminded: {owners} (see the Contacts page).").format(
            owners=", ".join(missing)))
    st.success(result.summary())


def main() -> None:
    store = get_store()
    ctx = current_context(store)      # first: a page run without dashboard.py reruns through it
    st.title(_("Reporting round"))
    try:
        period = period_of(ctx)
        everyone = reporting_round(store, ctx)
    except WorkplanError as exc:
        st.error(str(exc))
        return
    about = _("{plan}: reports for {period} ({start} to {end}), due {due}; as of {as_of}.").format(
        plan=ctx.plan.code, period=period.label(ctx.lang), start=iso_date(period.start),
        end=iso_date(period.end), due=iso_date(period.due), as_of=iso_date(ctx.as_of))
    scope = _("The whole plan (the sidebar's filters do not apply).")
    st.caption(" ".join((about, scope)))
    if everyone.empty:
        st.text(_("This plan has no work items yet."))
        return
    parties = sorted(set(everyone["party"]), key=str.casefold)
    all_parties = _(ALL_PARTIES)        # drawn now: AppTest formats choices outside the run
    party = st.selectbox(_("Party"), [ALL_PARTIES, *parties], key="round_party",
                         format_func=lambda name: all_parties if name == ALL_PARTIES else name)
    frame = everyone if party == ALL_PARTIES else reporting_round(store, ctx, party)
    shown = frame.assign(state=frame["state"].map(lambda state: state_label(state, ctx.lang)))
    show_table(shown, key="round_table", first=ROUND_COLUMNS)
    table_downloads(frame, "reporting-round", ctx, key="round_table_dl")
    sheet_downloads(store, ctx, owners_of(frame))
    send_reminders(store, ctx)


main()
