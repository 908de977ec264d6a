"""Contacts: whom the reminders about each owner's items go to, kept by an admin.

Why: reminder emails go to each owner's (agency's or desk's) address and copy an escalation
address when a report is long overdue. An admin of the plan sees the list, loads a sheet
(the sheet is the whole list: a preview says which contacts are new, changed and removed
before Commit), undoes the last import, and adds, changes or removes one owner's contact.
All reading, checking and writing is `analytics.contacts` (every change audited with the
admin's name); file text is shown through st.text and tables only. Every sentence (a
change's result or refusal, a sheet's problems) is in the session's language. Registered in
`dashboard.py`.
"""

from __future__ import annotations

import streamlit as st

from analytics import contacts
from analytics.contacts.checks import CONTACT_TEMPLATES
from analytics.errors import WorkplanError
from analytics.i18n import N_
from analytics.ingest import sheet_names
from analytics.ingest.issues import readable_errors
from analytics.ingest.messages import message_in
from analytics.plans import plan_parties
from pages._auth import current_user
from pages._i18n import _, current_language
from pages._shared import current_context, get_store, md_escape
from pages._tables import show_table
from pages._uploader import file_uploader

MESSAGE_KEY = "contacts_message"
GENERATION_KEY = "contacts_generation"     # a new file uploader after each commit
ANY_PARTY = N_("(any party)")               # kept in English, shown in the view's language
# (preview attribute, table caption)
PREVIEW_TABLES = (("new", N_("New")), ("changed", N_("Changed")), ("removed", N_("Removed")))


def attempt(change) -> None:
    """Make the change and rerun with its message shown; or show the error."""
    try:
        result = change()
    except WorkplanError as exc:
        st.error(md_escape(str(exc)))
        return
    st.session_state[MESSAGE_KEY] = result.message
    if result.upload_id is not None:
        st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1
    st.rerun()


def upload_section(store, plan_id: int, user) -> None:
    st.subheader(_("Load a contacts sheet"))
    st.caption(_("Columns owner, email, party, escalation_email; the sheet replaces the whole list."))
    generation = st.session_state.get(GENERATION_KEY, 0)
    file = file_uploader(_("Contacts sheet (CSV or .xlsx)"), ["csv", "txt", "xlsx"],
                         key=f"contacts_file_{generation}")
    if file is None:
        return
    data, lang = file.getvalue(), current_language()
    try:
        sheet = (st.selectbox(_("Sheet"), sheet_names(data, file.name), key="contacts_sheet")
                 if file.name.lower().endswith(".xlsx") else None)
        parsed = contacts.read_contacts(data, file.name, store, plan_id, sheet=sheet)
    except WorkplanError as exc:
        st.error(md_escape(message_in(str(exc), lang, CONTACT_TEMPLATES)))
        return
    for warning in parsed.warnings:
        st.text(_("Warning: {warning}").format(warning=message_in(warning, lang, CONTACT_TEMPLATES)))
    st.text("\n".join(parsed.summary_lines(lang)))
    if not parsed.ok:
        show_table(readable_errors(parsed.errors, lang=lang, templates=CONTACT_TEMPLATES),
                   key="contacts_errors")
    else:
        for name, label in PREVIEW_TABLES:
            frame = parsed.preview.table(name, lang)
            if len(frame):
                st.caption(_(label))
                show_table(frame, key=f"contacts_preview_{name}")
    ready = parsed.ok and parsed.preview.any
    if st.button(_("Commit"), key="contacts_commit", disabled=not ready):
        attempt(lambda: contacts.commit_contacts(store, plan_id, parsed, by=user.name, lang=lang))


def edit_section(store, plan_id: int, listed, user) -> None:
    st.subheader(_("Add, change or remove one contact"))
    owners = contacts.plan_owners(store, plan_id)
    if not owners:
        st.text(_("The plan has no items yet; contacts are for the owners of its items."))
        return
    owner = st.selectbox(_("Owner"), owners, key="contacts_edit_owner")
    now, slot = contacts.contact_of(listed, owner), owners.index(owner)
    parties = [ANY_PARTY, *plan_parties(store, plan_id)]
    any_party = _(ANY_PARTY)        # drawn now: AppTest formats choices outside the run
    lang = current_language()
    with st.form(f"contacts_edit_{slot}"):
        email = st.text_input(_("Email"), value=now.get("email") or "", key=f"contacts_email_{slot}")
        party = st.selectbox(_("Party"), parties, key=f"contacts_party_{slot}",
                             format_func=lambda name: any_party if name == ANY_PARTY else name,
                             index=parties.index(now["party"]) if now.get("party") in parties else 0)
        escalation = st.text_input(_("Escalation email (copied when long overdue)"),
                                   value=now.get("escalation_email") or "",
                                   key=f"contacts_escalation_{slot}")
        if st.form_submit_button(_("Save contact")):
            attempt(lambda: contacts.set_contact(store, plan_id, owner, email,
                                                 None if party == ANY_PARTY else party,
                                                 escalation, by=user.name, lang=lang))
    if now:
        confirm = st.checkbox(_("Yes, remove the contact of {owner}").format(owner=md_escape(owner)),
                              key="contacts_remove_confirm")
        if st.button(_("Remove contact"), key="contacts_remove", disabled=not confirm):
            attempt(lambda: contacts.remove_contact(store, plan_id, owner, by=user.name,
                                                    lang=lang))


def undo_section(store, plan_id: int, user) -> None:
    found, lang = contacts.undoable_import(store, plan_id), current_language()
    if found is None:
        return
    st.subheader(_("Undo the last import"))
    question = _("Yes, restore the list as it was before import {id} ({file}); edits made "
                 "since then are undone too")
    confirm = st.checkbox(question.format(id=found[0], file=md_escape(found[1])),
                          key="contacts_undo_confirm")
    if st.button(_("Undo last import"), key="contacts_undo", disabled=not confirm):
        attempt(lambda: contacts.undo_contacts(store, plan_id, by=user.name, lang=lang))


def main() -> None:
    store = get_store()
    ctx = current_context(store)
    st.title(_("Contacts"))
    user = current_user()
    if user is None or not user.can("manage_users"):
        st.error(_("Only an admin of this plan may see and change its contacts."))
        st.stop()
    if MESSAGE_KEY in st.session_state:
        st.success(md_escape(st.session_state.pop(MESSAGE_KEY)))
    plan_id = ctx.plan.id
    listed = contacts.plan_contacts(store, plan_id)
    if len(listed):
        show_table(listed, key="contacts_table")
    else:
        st.text(_("No contacts yet: load a sheet or add one below."))
    upload_section(store, plan_id, user)
    edit_section(store, plan_id, listed, user)
    undo_section(store, plan_id, user)


main()
