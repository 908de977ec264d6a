"""Changing a plan's contact list: commit a sheet, undo the last import, edit or remove a row.

Why: every change is one transaction that writes the new current list (`contacts`), the
whole list as it now stands (`contact_history`, one version per change, a row of
`contact_uploads`) and an audit line, so the list can be traced and an import undone.
A sheet is checked again inside the commit's transaction against the plan's owners and
parties as they are then; a sheet with any error writes nothing.

Undo takes back the last import not yet undone: the list returns to the version just
before that import (edits made on the page since then are taken back with it; the
history keeps every version). The undo is itself a version, so it is audited and listed.

What is stored (the outcome of a version, the audit line) stays English; the sentence a change
returns, and the WorkplanError it raises, are in the reader's `lang` (English by default).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.contacts.checks import CONTACT_TEMPLATES, check_contact
from analytics.contacts.lists import CONTACT_COLUMNS, last_import, plan_owners
from analytics.contacts.sheet import ContactPreview, ParsedContacts, checked_rows, compare
from analytics.errors import WorkplanError
from analytics.i18n import N_, format_number, translator
from analytics.ingest.issues import RefusedUploadError, format_error
from analytics.plans import plan_parties
from analytics.store import Store, bump_data_version, utc_now
from analytics.writes import record_audit

# What a change says it did, and why it refused, defined once in English (analytics.po).
IMPORTED = N_("Imported {n} contact(s) from {file} (version {version}): {outcome}")
UNDONE = N_("Undid contacts import {id} ({file}): the list is back to {n} contact(s).")
SAVED = N_("Saved the contact of {owner}.")
REMOVED = N_("Removed the contact of {owner}.")
SHEET_UNCHANGED = N_("{file}: no change; nothing was written.")
CONTACT_UNCHANGED = N_("{owner}: no change.")
OTHER_PLAN = N_("The sheet was checked for another plan; read it again for this one.")
SHEET_REFUSED = N_("{file} has {n} error(s); nothing was written.")
NO_LONGER_FITS = N_("{file} no longer fits the plan (its items changed since the sheet was "
                    "read); nothing was written.")
NOTHING_TO_UNDO = N_("There is no contacts import to undo in this plan.")
EDIT_REFUSED = N_("{problems}; nothing was written.")
NO_CONTACT = N_("'{owner}' has no contact in this plan; nothing was removed.")
NO_PLAN = N_("There is no plan {plan_id} in this store; nothing was written.")


@dataclass(frozen=True)
class ContactsResult:
    """A committed change: its version (contact_uploads.id), what it did, in words."""

    upload_id: int | None             # None: nothing to change, nothing written
    preview: ContactPreview
    message: str


def commit_contacts(store: Store, plan_id: int, parsed: ParsedContacts, by: str, *,
                    lang: str = "en") -> ContactsResult:
    """Replace the plan's list with the sheet's rows (one transaction, audited). A sheet with
    errors raises RefusedUploadError; a sheet equal to the list writes nothing. The result's
    sentence and a refusal are in `lang`."""
    _ = translator(lang)
    if parsed.plan_id != plan_id:
        raise WorkplanError(_(OTHER_PLAN))
    if not parsed.ok:
        raise RefusedUploadError(refused_sheet(parsed.filename, len(parsed.errors), lang),
                                 parsed.errors)
    with store.transaction() as cur:
        _plan_or_refuse(cur, plan_id, lang)
        rows = _recheck(store, plan_id, parsed, lang)
        preview = compare(_current(cur, plan_id), rows)
        if not preview.any:
            return ContactsResult(None, preview, _(SHEET_UNCHANGED).format(file=parsed.filename))
        outcome = "; ".join(preview.summary_lines())
        version = _write_version(cur, plan_id, rows, kind="import", by=by, outcome=outcome,
                                 filename=parsed.filename, sha256=parsed.sha256)
        record_audit(cur, by, "contacts import",
                     f"{parsed.filename}: {outcome} (version {version})", plan_id=plan_id)
    return ContactsResult(version, preview, _(IMPORTED).format(
        n=format_number(len(rows), lang), file=parsed.filename, version=version,
        outcome="; ".join(preview.summary_lines(lang))))


def refused_sheet(filename: str, errors: int, lang: str = "en") -> str:
    """'contacts.csv has 2 error(s); nothing was written.', in `lang`."""
    return translator(lang)(SHEET_REFUSED).format(file=filename, n=format_number(errors, lang))


def undo_contacts(store: Store, plan_id: int, by: str, *, lang: str = "en") -> ContactsResult:
    """Restore the list as it stood before the last import not yet undone (audited); the
    result's sentence and a refusal are in `lang`."""
    _ = translator(lang)
    with store.transaction() as cur:
        _plan_or_refuse(cur, plan_id, lang)
        found = last_import(cur, plan_id)
        if found is None:
            raise WorkplanError(_(NOTHING_TO_UNDO))
        undone, filename = found
        restored = _version_before(cur, plan_id, undone)
        preview = compare(_current(cur, plan_id), restored)
        outcome = f"undid import {undone} ({filename}); " + "; ".join(preview.summary_lines())
        version = _write_version(cur, plan_id, restored, kind="undo", by=by, outcome=outcome)
        cur.execute("UPDATE contact_uploads SET reverted_at = ?, reverted_by = ? WHERE id = ?",
                    [utc_now(), by, undone])
        record_audit(cur, by, "contacts undo", f"{outcome} (version {version})", plan_id=plan_id)
    return ContactsResult(version, preview, _(UNDONE).format(
        id=undone, file=filename, n=format_number(len(restored), lang)))


def set_contact(store: Store, plan_id: int, owner: str, email: str, party: str | None,
                escalation_email: str | None, by: str, language: str | None = None, *,
                lang: str = "en") -> ContactsResult:
    """Add or change one owner's contact (audited); a bad value raises a WorkplanError naming
    the column. `language` (the contact's mail) None keeps the owner's language (English for
    a new contact); `lang` is the reader's, for the result's sentence and a refusal."""
    _ = translator(lang)
    values = {"owner": owner, "email": email, "party": party or "",
              "escalation_email": escalation_email or "", "language": language or ""}
    with store.transaction() as cur:
        _plan_or_refuse(cur, plan_id, lang)
        row, problems = check_contact(values, plan_owners(store, plan_id),
                                        plan_parties(store, plan_id))
        if problems:
            raise WorkplanError(_(EDIT_REFUSED).format(problems=_("; ").join(
                format_error(None, f, m, lang, CONTACT_TEMPLATES)
                for f, m in problems)))
        current = _current(cur, plan_id)
        if language is None:
            known = current.loc[current["owner"] == row["owner"], "language"]
            row["language"] = known.iloc[0] if len(known) else "en"
        rows = pd.concat([current[current["owner"] != row["owner"]], pd.DataFrame([row])],
                         ignore_index=True)
        preview = compare(current, rows)
        if not preview.any:
            return ContactsResult(None, preview, _(CONTACT_UNCHANGED).format(owner=row["owner"]))
        outcome = "; ".join(preview.summary_lines())
        version = _write_version(cur, plan_id, rows, kind="edit", by=by, outcome=outcome)
        record_audit(cur, by, "contacts edit", f"{outcome} (version {version})", plan_id=plan_id)
    return ContactsResult(version, preview, _(SAVED).format(owner=row["owner"]))


def remove_contact(store: Store, plan_id: int, owner: str, by: str, *, lang: str = "en"
                   ) -> ContactsResult:
    """Take one owner off the list (audited); an owner not on it raises a WorkplanError. The
    result's sentence and a refusal are in `lang`."""
    _ = translator(lang)
    with store.transaction() as cur:
        _plan_or_refuse(cur, plan_id, lang)
        current = _current(cur, plan_id)
        if owner not in set(current["owner"]):
            raise WorkplanError(_(NO_CONTACT).format(owner=owner))
        rows = current[current["owner"] != owner]
        preview = compare(current, rows)
        outcome = "; ".join(preview.summary_lines())
        version = _write_version(cur, plan_id, rows, kind="remove", by=by, outcome=outcome)
        record_audit(cur, by, "contacts remove", f"{outcome} (version {version})", plan_id=plan_id)
    return ContactsResult(version, preview, _(REMOVED).format(owner=owner))


# -- internals -------------------------------------------------------------

def _plan_or_refuse(cur: duckdb.DuckDBPyConnection, plan_id: int, lang: str) -> None:
    if not cur.execute("SELECT 1 FROM plans WHERE id = ?", [plan_id]).fetchall():
        raise WorkplanError(translator(lang)(NO_PLAN).format(plan_id=plan_id))


def _recheck(store: Store, plan_id: int, parsed: ParsedContacts, lang: str) -> pd.DataFrame:
    """The sheet's rows checked again against the owners and parties as they are now (the
    store's writers run one at a time, so nothing changes them before the commit)."""
    cells = {f: [v if isinstance(v, str) else "" for v in parsed.rows[f]] for f in CONTACT_COLUMNS}
    rows, errors = checked_rows(cells, list(parsed.rows["row_number"]),
                                plan_owners(store, plan_id), plan_parties(store, plan_id))
    if len(errors):
        raise RefusedUploadError(translator(lang)(NO_LONGER_FITS).format(file=parsed.filename),
                                 errors)
    return rows


def _current(cur, plan_id: int) -> pd.DataFrame:
    return _frame(cur.execute(
        "SELECT owner, email, party, escalation_email, coalesce(language, 'en') FROM contacts"
        " WHERE plan_id = ? ORDER BY lower(owner), owner", [plan_id]).fetchall())


def _version_before(cur, plan_id: int, version: int) -> pd.DataFrame:
    """The whole list as the last change before `version` left it (empty when none)."""
    return _frame(cur.execute(
        "SELECT owner, email, party, escalation_email, coalesce(language, 'en'), row_number"
        " FROM contact_history"
        " WHERE plan_id = $plan AND upload_id = (SELECT max(id) FROM contact_uploads"
        "   WHERE plan_id = $plan AND id < $version)"
        " ORDER BY lower(owner), owner", {"plan": plan_id, "version": version}).fetchall(),
        numbered=True)


def _frame(rows: list[tuple], numbered: bool = False) -> pd.DataFrame:
    columns = CONTACT_COLUMNS + (["row_number"] if numbered else [])
    return pd.DataFrame(rows, columns=columns).astype(object)


def _write_version(cur, plan_id: int, rows: pd.DataFrame, *, kind: str, by: str, outcome: str,
                   filename: str | None = None, sha256: str | None = None) -> int:
    """Record one change: its contact_uploads row, the whole list in contact_history, the
    current list in contacts (a row keeps the version that last changed it)."""
    now = utc_now()
    version = cur.execute(
        "INSERT INTO contact_uploads (id, plan_id, kind, filename, sha256, uploaded_by,"
        " uploaded_at, rows, outcome)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM contact_uploads), ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id", [plan_id, kind, filename, sha256, by, now, len(rows), outcome],
    ).fetchall()[0][0]
    kept = {r[0]: (tuple(r[1:5]), r[5]) for r in cur.execute(
        "SELECT owner, email, party, escalation_email, coalesce(language, 'en'), upload_id"
        " FROM contacts WHERE plan_id = ?", [plan_id]).fetchall()}
    listed = [_values(row) for row in rows.to_dict("records")]
    cur.execute("DELETE FROM contacts WHERE plan_id = ?", [plan_id])
    if listed:
        cur.executemany(
            "INSERT INTO contacts (plan_id, owner, email, party, escalation_email, language,"
            " upload_id) VALUES (?, ?, ?, ?, ?, ?, ?)", [
                [plan_id, *values[:5], _set_by(kept.get(values[0]), values[1:5], version)]
                for values in listed])
        cur.executemany(
            "INSERT INTO contact_history (plan_id, upload_id, row_number, owner, email, party,"
            " escalation_email, language, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                [plan_id, version, values[5], *values[:5], now] for values in listed])
    bump_data_version(cur, plan_id)
    return version


def _values(row: dict) -> tuple:
    """owner, email, party, escalation_email (empty as None), language ('en' when empty),
    row_number (None for an edit)."""
    def value(name):
        item = row.get(name)
        return None if item is None or (not isinstance(item, str) and pd.isna(item)) or item == "" \
            else item

    number = value("row_number")
    return (row["owner"], row["email"], value("party"), value("escalation_email"),
            value("language") or "en", None if number is None else int(number))


def _set_by(kept: tuple | None, values: tuple, version: int) -> int:
    return kept[1] if kept is not None and kept[0] == tuple(values) else version
