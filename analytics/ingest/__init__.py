"""Status-sheet import: read a CSV/Excel upload, check it, preview it, commit it.

Why: every month each agency sends a sheet made by someone who never read our
template. This package turns its bytes (never written to disk) into canonical,
typed rows with errors named by spreadsheet row and column, says what a commit
would change, and hands the rows to `analytics.writes` in one transaction.

Public API, used by the CLI (`analytics.cli.ingest`), the upload pages and the
benchmarks:

    parsed = read_upload(data, "march.xlsx", "updates", ReadOptions(), store=store)
    preview = preview_upload(store, parsed, ctx)
    result = commit_parsed(store, parsed, by="alice", skip_invalid=False)

or, without a preview (the CLI), in one pass when the file is clean:

    result = import_upload(store, data, "march.csv", "updates", ReadOptions(), by="alice")
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.errors import UsageError
from analytics.ingest import csvread, reporting_party, sniff, structure, xlsx
from analytics.ingest.headers import HeaderMapping, map_headers
from analytics.ingest.issues import (
    RefusedFileError,
    RefusedUploadError,
    combine,
    error_frame,
    errors_csv,
    format_error,
)
from analytics.ingest.messages import NO_DATA_ROWS
from analytics.ingest.raw import empty_columns
from analytics.ingest.unknown_items import KNOWN_ITEMS_SQL
from analytics.ingest.validate import canonical_text, check_rows, extra_cell_errors, typed_table
from analytics.plans import FIRST_PLAN
from analytics.settings import Settings
from analytics.store import Store
from analytics.writes import COLUMNS

KINDS = tuple(COLUMNS)
DATE_ORDERS = ("auto", "day-first", "month-first")

__all__ = ["KINDS", "ReadOptions", "ParsedUpload", "read_upload", "import_upload", "preview_upload",
           "commit_parsed", "CommitResult", "RefusedFileError", "RefusedUploadError",
           "errors_csv", "format_error", "sheet_names", "known_item_ids"]


@dataclass
class ReadOptions:
    """How to read one upload; every field has a safe default."""

    sheet: str | None = None                 # xlsx: sheet name (default: the first)
    delimiter: str | None = None             # csv: override the detected delimiter
    date_order: str = "auto"                 # auto | day-first | month-first
    fractions: bool = False                  # percent values are 0-1 fractions
    mapping: dict[str, str | None] = field(default_factory=dict)  # canonical -> header
    party: str | None = None                 # updates: the sheet's party (rows may name their own)
    plan_id: int = FIRST_PLAN.id             # the plan the sheet is for (analytics.plans)
    max_bytes: int | None = None             # default: settings.max_upload_mb


@dataclass
class ParsedUpload:
    """A read and checked upload: typed rows, errors, warnings and how it was read."""

    kind: str
    filename: str
    sha256: str
    size: int
    dialect: dict
    headers: list[str]
    mapping: dict[str, str | None]
    text: pa.Table | None                    # trimmed cell text per canonical column (None: header errors)
    errors: pd.DataFrame
    warnings: list[str]
    rows_read: int
    typed_sql: str = ""                      # SELECT list typing `text` (dates, percents, statuses)
    fractions_suspected: bool = False
    options: ReadOptions = field(default_factory=ReadOptions)
    _typed: pa.Table | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.text is not None and not len(self.errors)

    @property
    def table(self) -> pa.Table | None:
        """Typed canonical rows + row_number (invalid cells NULL); computed on first use."""
        if self.text is None:
            return None
        if self._typed is None:
            self._typed = typed_table(self.text, self.typed_sql)
        return self._typed

    def rejected_rows(self) -> pd.Series:
        """Row numbers with at least one error."""
        return self.errors["row"].dropna().drop_duplicates()

    def valid_table(self) -> pa.Table:
        """Typed rows without errors (no rows when the header itself is wrong)."""
        if self.text is None:
            return pa.table({"row_number": pa.array([], pa.int32())})
        return without_rows(self.table, self.rejected_rows())

    def error_lines(self, limit: int | None = None) -> list[str]:
        """'row N, column C: message' lines, at most `limit`."""
        frame = self.errors if limit is None else self.errors.head(limit)
        return [format_error(r, c, m) for r, c, m in
                zip(frame["row"], frame["column"], frame["message"], strict=True)]


def without_rows(table: pa.Table, rows: pd.Series) -> pa.Table:
    """`table` minus the given row numbers."""
    if not len(rows):
        return table
    mask = pc.invert(pc.is_in(table.column("row_number"),
                              value_set=pa.array(rows.astype("int64"), pa.int32())))
    return table.filter(mask)


def max_upload_bytes(options: ReadOptions | None = None) -> int:
    if options is not None and options.max_bytes:
        return options.max_bytes
    return Settings.from_env().max_upload_mb * 1_048_576


def read_upload(data: bytes, filename: str, kind: str, options: ReadOptions | None = None,
                *, store: Store | None = None) -> ParsedUpload:
    """Read and check an upload (the careful path). File-level problems raise RefusedFileError.

    With a `store`, item references of milestones and updates are checked against its plan.
    """
    options, digest, form = _opened(data, filename, kind, options)
    if form == "xlsx":
        raw = xlsx.read_xlsx_sheet(data, max_upload_bytes(options), options.sheet,
                                 structure.upload_limits())
    else:
        raw = csvread.read_csv_sheet(data, options.delimiter)
    return _parsed(raw, kind, filename, data, digest.result(), options, store)


def import_upload(store: Store, data: bytes, filename: str, kind: str,
                  options: ReadOptions | None = None, *, by: str,
                  skip_invalid: bool = False) -> CommitResult:
    """Read, check and commit one file without a preview (the CLI's `workplan import`).

    A clean CSV is committed in one pass (`optimistic`); anything else, and any doubt,
    goes through the careful path (`read_upload` + `commit_parsed`), with the same outcome.
    """
    options, digest, form = _opened(data, filename, kind, options)
    if form == "xlsx":
        raw = xlsx.read_xlsx_sheet(data, max_upload_bytes(options), options.sheet,
                                 structure.upload_limits())
    else:
        text = csvread.sniff_csv(data, options.delimiter)
        clean = optimistic.clean_rows(text, kind, options)      # parses while the hash runs
        result = None if clean is None else optimistic.commit_clean(
            store, clean, kind, fractions=options.fractions, party=options.party,
            plan_id=options.plan_id, filename=filename, sha256=digest.result(), by=by)
        if result is not None:
            return result
        raw = csvread.text_sheet(text)
    parsed = _parsed(raw, kind, filename, data, digest.result(), options, store)
    return commit_parsed(store, parsed, by=by, skip_invalid=skip_invalid)


def _opened(data: bytes, filename: str, kind: str, options: ReadOptions | None
            ) -> tuple[ReadOptions, Future, str]:
    """Checked options, the sha256 (hashing on a thread) and the file's form (csv or xlsx)."""
    options = options or ReadOptions()
    if kind not in KINDS:
        raise UsageError(f"Unknown import kind {kind!r}; expected one of {', '.join(KINDS)}.")
    if options.date_order not in DATE_ORDERS:
        raise UsageError(f"Unknown date order {options.date_order!r}; expected {', '.join(DATE_ORDERS)}.")
    sniff.check_size(data, max_upload_bytes(options))
    digest = _sha256_in_background(data)
    return options, digest, sniff.file_format(data, filename)


def _parsed(raw, kind: str, filename: str, data: bytes, sha256: str, options: ReadOptions,
            store: Store | None) -> ParsedUpload:
    mapping = map_headers(kind, raw.headers, options.mapping, empty_columns(raw))
    extra = combine(raw.errors, extra_cell_errors(raw.table, raw.headers))
    base = dict(kind=kind, filename=filename, sha256=sha256, size=len(data),
                headers=raw.headers, mapping=mapping.as_dict(), options=options)
    if mapping.errors:
        return ParsedUpload(**base, dialect=raw.dialect, text=None,
                            errors=combine(error_frame(mapping.errors), extra),
                            warnings=mapping.warnings, rows_read=raw.rows)
    return _checked(raw, mapping, extra, base, options, store)


def _checked(raw, mapping: HeaderMapping, extra, base: dict, options: ReadOptions,
             store: Store | None) -> ParsedUpload:
    text = canonical_text(raw.table, mapping)
    known = (known_item_ids(store, options.plan_id)
             if store is not None and mapping.kind != "items" else None)
    checked = check_rows(text, mapping.kind, date_order=options.date_order,
                         fractions=options.fractions, known_items=known)
    errors = [extra, checked.errors]
    if checked.rows == 0 and not len(raw.errors):
        errors.append(error_frame([{"row": None, "column": None, "value": None,
                                    "message": NO_DATA_ROWS}]))
    text, typed = checked.text, checked.typed
    if mapping.kind == "updates" and store is not None:
        text, typed, party_errors = _reporting_parties(store, options, text, typed)
        errors.append(party_errors)
    dialect = {**raw.dialect, "date_orders": checked.date_orders, "fractions": options.fractions}
    return ParsedUpload(**base, dialect=dialect, text=text, typed_sql=checked.typed_sql,
                        errors=combine(*errors), warnings=mapping.warnings + checked.warnings,
                        rows_read=checked.rows + int(raw.errors["row"].nunique()), _typed=typed,
                        fractions_suspected=checked.fractions_suspected)


def _reporting_parties(store: Store, options: ReadOptions, text: pa.Table, typed: pa.Table):
    """The rows with each report's party decided (reporting_party), and the party errors."""
    rule = reporting_party.party_rule(store, options.plan_id, options.party)
    resolved = reporting_party.resolve(text.column("item_id"), text.column("party"), rule)
    errors = reporting_party.party_errors(text, resolved, rule)
    text = reporting_party.with_party(text, pc.fill_null(resolved.party, ""))
    return text, reporting_party.with_party(typed, resolved.party), errors


def _sha256_in_background(data: bytes) -> Future:
    """sha256 of the upload, hashed on a thread while the file is parsed (hashlib drops the GIL)."""
    future: Future = Future()

    def run() -> None:
        future.set_result(hashlib.sha256(data).hexdigest())

    threading.Thread(target=run, daemon=True).start()
    return future


def known_item_ids(store: Store, plan_id: int) -> pa.Table:
    """The plan's item ids, as an Arrow table with one column item_id."""
    return store.cursor().sql(KNOWN_ITEMS_SQL, params={"plan": plan_id}).to_arrow_table()


def sheet_names(data: bytes, filename: str = "upload.xlsx") -> list[str]:
    """Sheet names of an .xlsx upload ([] for CSV)."""
    limit = max_upload_bytes()
    sniff.check_size(data, limit)
    if sniff.file_format(data, filename) != "xlsx":
        return []
    return xlsx.sheet_names(data, limit)


from analytics.ingest import optimistic  # noqa: E402
from analytics.ingest.commit import CommitResult, commit_parsed  # noqa: E402
from analytics.ingest.preview import preview_upload  # noqa: E402
