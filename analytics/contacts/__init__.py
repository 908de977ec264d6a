"""Contacts: whom to write to about each owner's items, per plan.

Why: reminders go to each owner's (agency's or desk's) `email`, copying its
`escalation_email` when a report is long overdue; the list is a plan's, imported from a
sheet (the sheet is the whole list) or edited one row at a time by an admin, every change
audited and an import undoable. This package hands the names on:

    contacts = plan_contacts(store, plan_id)          # owner, email, party, escalation_email
    parsed = read_contacts(data, "contacts.xlsx", store, plan_id)   # rows, errors, preview
    result = commit_contacts(store, plan_id, parsed, by="alice")
    undo_contacts(store, plan_id, by="alice")           # back to the list before the last import
    set_contact(store, plan_id, "MHA", "desk@mha.gov.in", "India", None, by="alice")
    remove_contact(store, plan_id, "MHA", by="alice")
    # each change takes lang="fr" for its result.message and refusals; parsed.error_lines("fr")

The messages a sheet's checks write stay English and are read back in French with
`analytics.ingest.messages.message_in(message, "fr", checks.CONTACT_TEMPLATES)`.

Used by `workplan contacts` (analytics/cli/contacts.py), the Contacts page and the
reminder mail (analytics/mail.py).
"""

from analytics.contacts.changes import (
    ContactsResult,
    commit_contacts,
    remove_contact,
    set_contact,
    undo_contacts,
)
from analytics.contacts.lists import (
    CONTACT_COLUMNS,
    contact_changes,
    contact_of,
    plan_contacts,
    plan_owners,
    undoable_import,
)
from analytics.contacts.sheet import ContactPreview, ParsedContacts, read_contacts

__all__ = ["CONTACT_COLUMNS", "ContactPreview", "ContactsResult", "ParsedContacts",
           "commit_contacts", "contact_changes", "contact_of", "plan_contacts", "plan_owners", "read_contacts",
           "remove_contact", "set_contact", "undo_contacts", "undoable_import"]
