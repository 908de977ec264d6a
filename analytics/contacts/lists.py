"""Reading a plan's contacts: the current list, the owners it may name, its change log.

Why: the reminder mail (analytics/mail.py), the reporting round, the Contacts page and
`workplan contacts list` all read the same list; the owners a contact may name are the
owners of the plan's items, read through the plan scope (view_items, migration 005).
"""

from __future__ import annotations

import pandas as pd

from analytics.store import Store

CONTACT_COLUMNS = ["owner", "email", "party", "escalation_email", "language"]
CHANGE_COLUMNS = ["id", "kind", "filename", "uploaded_by", "uploaded_at", "rows", "outcome",
                  "reverted_at", "reverted_by"]


def plan_contacts(store: Store, plan_id: int) -> pd.DataFrame:
    """The plan's contacts by owner: owner, email, party, escalation_email (an empty party or
    escalation address is None), language ('en' or 'fr': what their mail is written in)."""
    frame = store.query_df(
        "SELECT owner, email, party, escalation_email, coalesce(language, 'en') AS language"
        " FROM contacts WHERE plan_id = ?"
        " ORDER BY lower(owner), owner", [plan_id]).astype(object)
    return frame.where(frame.notna(), None)


def plan_owners(store: Store, plan_id: int) -> list[str]:
    """The owners of the plan's items, A-Z: the names a contact may be for."""
    rows = store.cursor().execute(
        "SELECT DISTINCT owner FROM view_items(?, [], [], []) ORDER BY lower(owner), owner",
        [plan_id]).fetchall()
    return [row[0] for row in rows]


def contact_changes(store: Store, plan_id: int) -> pd.DataFrame:
    """Every change to the plan's list, newest first (imports, edits, removals, undos)."""
    return store.query_df(
        f"SELECT {', '.join(CHANGE_COLUMNS)} FROM contact_uploads WHERE plan_id = ?"
        " ORDER BY id DESC", [plan_id])


def contact_of(contacts: pd.DataFrame, owner: str) -> dict:
    """The owner's row of a `plan_contacts` frame as a dict ({} when it has none)."""
    rows = contacts[contacts["owner"] == owner].to_dict("records")
    return rows[0] if rows else {}


def undoable_import(store: Store, plan_id: int) -> tuple[int, str] | None:
    """(version, file name) of the import `undo_contacts` would take back, or None."""
    return last_import(store.cursor(), plan_id)


def last_import(cur, plan_id: int) -> tuple[int, str] | None:
    """The plan's last import not yet undone, read on `cur` (a transaction's, for the undo)."""
    rows = cur.execute(
        "SELECT id, filename FROM undoable_contact_imports(?) ORDER BY id DESC LIMIT 1",
        [plan_id]).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None
