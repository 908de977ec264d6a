"""A contacts sheet (CSV or .xlsx) read, checked and compared with the plan's list.

Why: the sheet is the whole list, so before anything is written the admin must see every
problem (row and column: an unknown owner, a malformed address, an owner twice) and what a
commit would do (contacts new, changed and removed). The file is read by the upload readers
of analytics.ingest (size, structure and cell limits, XLSX safety), so a contacts sheet is
refused for exactly what a status sheet would be; rows are checked by
analytics.contacts.checks. Called by `read_contacts` callers: `workplan contacts import`
and the Contacts page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from analytics.contacts.checks import (
    CONTACT_TEMPLATES,
    FIELDS,
    HEADER_FIELDS,
    OWNER_TWICE,
    REQUIRED,
    SYNONYMS,
    TOO_MANY_ROWS,
    check_contact,
)
from analytics.contacts.lists import CONTACT_COLUMNS, plan_contacts, plan_owners
from analytics.errors import UsageError
from analytics.formatting import column_label
from analytics.i18n import N_, format_number, translator
from analytics.ingest import csvread, max_upload_bytes, sniff, structure, xlsx
from analytics.ingest.headers import normalise
from analytics.ingest.issues import RefusedFileError, combine, error_frame, format_error
from analytics.ingest.messages import (
    NO_DATA_ROWS,
    NOT_IMPORTED,
    REQUIRED_MISSING,
    TWO_COLUMNS,
)
from analytics.ingest.preview import ROWS_READ
from analytics.ingest.validate import extra_cell_errors
from analytics.plans import plan_parties
from analytics.store import Store

MAX_ROWS = 5000                     # a list has one row per owner; more is not a contacts sheet
ROW_COLUMNS = ["row_number", *CONTACT_COLUMNS]
NO_CHANGE = N_("No change: the sheet holds the list as it is.")
CHANGES = (("new", N_("{n} new contact(s): {names}.")), ("changed", N_("{n} changed: {names}.")),
           ("removed", N_("{n} removed: {names}.")))


@dataclass
class ContactPreview:
    """What committing the sheet would do to the plan's list."""

    new: pd.DataFrame                 # owner, email, party, escalation_email
    changed: pd.DataFrame             # owner, field, before, after: one row per changed field
    removed: pd.DataFrame             # owner, email, party, escalation_email (gone from the list)

    @property
    def any(self) -> bool:
        return bool(len(self.new) or len(self.changed) or len(self.removed))

    def summary_lines(self, lang: str = "en") -> list[str]:
        """What the commit would do, in `lang` (English in the audit log)."""
        _ = translator(lang)
        if not self.any:
            return [_(NO_CHANGE)]
        lines = []
        for name, template in CHANGES:
            frame = getattr(self, name)
            owners = frame["owner"].drop_duplicates()
            if len(owners):
                names = ", ".join(owners.head(10)) + (", ..." if len(owners) > 10 else "")
                lines.append(_(template).format(n=_figure(len(owners), lang), names=names))
        return lines

    def table(self, name: str, lang: str = "en") -> pd.DataFrame:
        """The `name` table ('new', 'changed', 'removed') as the page shows it: a changed
        field named in `lang` ('Courriel')."""
        frame = getattr(self, name)
        if name != "changed":
            return frame
        return frame.assign(field=[column_label(f, lang) for f in frame["field"]])


@dataclass
class ParsedContacts:
    """A read contacts sheet: its rows as they would be stored, its errors and its preview."""

    filename: str
    sha256: str
    plan_id: int
    rows: pd.DataFrame                # row_number + CONTACT_COLUMNS, the valid rows
    errors: pd.DataFrame              # row, column, message, value (analytics.ingest.issues)
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0
    preview: ContactPreview | None = None     # None when the sheet has errors

    @property
    def ok(self) -> bool:
        return not len(self.errors)

    def error_lines(self, lang: str = "en") -> list[str]:
        """'row N, column C: message' lines, in `lang` (read back by CONTACT_TEMPLATES)."""
        return [format_error(r, c, m, lang, CONTACT_TEMPLATES) for r, c, m in
                zip(self.errors["row"], self.errors["column"], self.errors["message"], strict=True)]

    def summary_lines(self, lang: str = "en") -> list[str]:
        """Rows read, valid and in error, then what the commit would do, in `lang`."""
        head = [translator(lang)(ROWS_READ).format(
            read=_figure(self.rows_read, lang), valid=_figure(len(self.rows), lang),
            errors=_figure(len(self.errors), lang))]
        return head + (self.preview.summary_lines(lang) if self.preview is not None else [])


def _figure(n: int, lang: str) -> str:
    return str(n) if lang == "en" else format_number(n, lang)


def read_contacts(data: bytes, filename: str, store: Store, plan_id: int, *,
                  sheet: str | None = None) -> ParsedContacts:
    """Read and check a contacts sheet for the plan; nothing is written. A file that cannot
    be read at all raises RefusedFileError (one sentence)."""
    limit = max_upload_bytes()
    sniff.check_size(data, limit)
    if sniff.file_format(data, filename) == "xlsx":
        raw = xlsx.read_xlsx_sheet(data, limit, sheet, structure.upload_limits())
    elif sheet is not None:
        raise UsageError(f"--sheet is for .xlsx workbooks; {filename} is a CSV file.")
    else:
        raw = csvread.read_csv_sheet(data)
    if raw.rows > MAX_ROWS:
        raise RefusedFileError(TOO_MANY_ROWS.format(n=f"{raw.rows:,}", m=f"{MAX_ROWS:,}"))
    digest = hashlib.sha256(data).hexdigest()
    columns, header_errors, warnings = map_contact_headers(raw.headers)
    errors = [raw.errors, extra_cell_errors(raw.table, raw.headers), error_frame(header_errors)]
    base = dict(filename=filename, sha256=digest, plan_id=plan_id, warnings=warnings)
    if header_errors:
        return ParsedContacts(**base, rows=_no_rows(), errors=combine(*errors), rows_read=raw.rows)
    cells = {f: raw.table.column(f"c{i}").to_pylist() for f, i in columns.items()}
    numbers = raw.table.column("row_number").to_pylist()
    rows, row_errors = checked_rows(cells, numbers, plan_owners(store, plan_id),
                                    plan_parties(store, plan_id))
    errors.append(row_errors)
    if not len(rows) and not len(row_errors) and not len(raw.errors):
        errors.append(error_frame([{"row": None, "column": None, "value": None,
                                    "message": NO_DATA_ROWS}]))
    parsed = ParsedContacts(**base, rows=rows, errors=combine(*errors),
                            rows_read=len({n for n, _ in filled_rows(cells, numbers)}
                                          | set(raw.errors["row"].dropna())))
    if parsed.ok:
        parsed.preview = compare(plan_contacts(store, plan_id), rows)
    return parsed


def map_contact_headers(headers: list[str]) -> tuple[dict[str, int], list[dict], list[str]]:
    """{field: column index}, header errors (row 1) and warnings about ignored columns."""
    found: dict[str, int] = {}
    errors, ignored = [], []
    for index, header in enumerate(headers):
        name = HEADER_FIELDS.get(normalise(header))
        if name is None:
            if header.strip():
                ignored.append(header.strip())
        elif name in found:
            both = f"{headers[found[name]]!r} and {header!r}"
            errors.append({"row": 1, "column": header, "value": header,
                           "message": TWO_COLUMNS.format(names=both, column=name)})
        else:
            found[name] = index
    for name in REQUIRED:
        if name not in found:
            errors.append({"row": 1, "column": name, "value": None,
                           "message": REQUIRED_MISSING.format(
                               column=name, headers=", ".join(map(repr, SYNONYMS[name][:3])))})
    warnings = [NOT_IMPORTED.format(header=repr(h)) for h in ignored]
    return found, errors, warnings


def checked_rows(cells: dict[str, list[str]], numbers: list[int], owners: list[str],
                 parties: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The valid rows (row_number + CONTACT_COLUMNS) and the errors of the others. A blank
    row is skipped; an owner on a second row is an error naming the first."""
    rows, errors, first_row = [], [], {}
    for number, values in filled_rows(cells, numbers):
        row, problems = check_contact(values, owners, parties)
        owner = row["owner"]
        if owner is not None and owner in first_row:
            problems.insert(0, ("owner", OWNER_TWICE.format(value=owner, row=first_row[owner])))
        elif owner is not None:
            first_row[owner] = number
        errors += [{"row": number, "column": f, "message": m, "value": values[f]}
                   for f, m in problems]
        if not problems:
            rows.append({"row_number": number, **row})
    return pd.DataFrame(rows, columns=ROW_COLUMNS), error_frame(errors)


def filled_rows(cells: dict[str, list[str]], numbers: list[int]) -> Iterator[tuple[int, dict]]:
    """(row number, {field: text}) of every row with a value in some field: a blank row (also
    a row the reader refused, which it leaves blank) is no contact."""
    for i, number in enumerate(numbers):
        values = {f: (cells[f][i] or "") if f in cells else "" for f in FIELDS}
        if any(v.strip() for v in values.values()):
            yield number, values


def compare(current: pd.DataFrame, rows: pd.DataFrame) -> ContactPreview:
    """New, changed and removed contacts when `rows` replaces `current` (a frame without a
    language column is in English)."""
    current, rows = (f if "language" in f else f.assign(language="en") for f in (current, rows))
    before = {r.owner: r for r in current.itertuples(index=False)}
    after = {r.owner: r for r in rows[CONTACT_COLUMNS].itertuples(index=False)}
    new = rows.loc[~rows["owner"].isin(list(before)), CONTACT_COLUMNS].reset_index(drop=True)
    removed = current.loc[~current["owner"].isin(list(after))].reset_index(drop=True)
    changed = [{"owner": owner, **change} for owner, row in after.items() if owner in before
               for change in changed_fields(before[owner], row)]
    return ContactPreview(new=new, removed=removed,
                          changed=pd.DataFrame(changed, columns=["owner", "field", "before", "after"]))


def changed_fields(old, new) -> list[dict]:
    """{field, before, after} of each field that differs ('-' for an empty value)."""
    def shown(value) -> str:
        return "-" if value is None or pd.isna(value) or value == "" else str(value)

    return [{"field": f, "before": shown(getattr(old, f)), "after": shown(getattr(new, f))}
            for f in CONTACT_COLUMNS[1:] if shown(getattr(old, f)) != shown(getattr(new, f))]


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=ROW_COLUMNS)
