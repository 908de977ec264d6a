"""The one-pass import: a clean CSV is typed while parsed and written by one guarded INSERT.

Why: issue 5 asks a million-row updates file to import at 0.7x the speed of DuckDB
loading it with `read_csv`, with the same validation. The careful path
(`read_upload` + `commit_parsed`) types every cell, works out a message for every
problem and then writes the typed rows: three passes over the data. Most files
have no problem, so `clean_rows` and `commit_clean` first try one pass:

1. pyarrow converts the date and number columns while it parses (ISO dates and
   plain numbers only); one cell it cannot convert and this path gives up;
2. whole-column checks in numpy: keys unique, text trimmed, blank rows dropped;
3. inside the commit's transaction: the file is not a re-upload, every item
   exists, and a single INSERT ... SELECT types the statuses and checks every
   value with the rules of the careful path, raising on the first bad row.

Any doubt rolls the transaction back and returns None; `import_upload` then runs
the careful path, which reports every problem by row and column. For a file this
path accepts, the stored rows, the upload record, the audit line and the warnings
are exactly what the careful path gives (tests/integration/test_import_optimistic.py).

Called by `analytics.ingest.import_upload` (the CLI's `workplan import`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest import parse, reporting_party
from analytics.ingest.commit import (
    CommitResult,
    committed_result,
    duplicate_of,
    duplicate_result,
    unknown_item_count,
)
from analytics.ingest.csvread import CsvText, typed_sheet
from analytics.ingest.headers import HeaderMapping, map_headers
from analytics.ingest.raw import empty_columns
from analytics.ingest.validate import FRACTIONS_WARNING, KEYS, canonical_text
from analytics.store import Store
from analytics.writes import UploadMeta, write_rows

_names = itertools.count()


class _Declined(Exception):
    """Raised inside the transaction: roll back and leave the file to the careful path."""


@dataclass(frozen=True)
class CleanRows:
    """A file that passed every whole-column check, ready for the guarded INSERT."""

    rows: pa.Table                 # typed canonical columns + row_number, blank rows dropped
    item_ids: pa.Array             # distinct item ids (checked against the plan in the transaction)
    mapped: set[str]               # canonical columns present in the file
    warnings: list[str]


def commit_clean(store: Store, clean: CleanRows, kind: str, *, fractions: bool,
                 party: str | None = None, plan_id: int, filename: str, sha256: str,
                 by: str) -> CommitResult | None:
    """Commit the rows `clean_rows` accepted, or None when a row needs the careful path (an
    unknown item, a bad value, a report whose party cannot be decided); nothing is written
    then. `party` is the sheet's party (reporting_party decides each row's)."""
    meta = UploadMeta(kind=kind, filename=filename, uploaded_by=by, sha256=sha256, plan_id=plan_id)
    if kind == "updates":
        clean = with_reporting_parties(store, plan_id, clean, party)
        if clean is None:
            return None
    try:
        with store.transaction() as cur:
            earlier = duplicate_of(cur, plan_id, sha256)
            if earlier is not None:
                return duplicate_result(filename, earlier, clean.warnings)
            if kind != "items" and unknown_item_count(cur, plan_id, clean.item_ids):
                raise _Declined
            upload_id = _guarded_insert(cur, clean, meta, fractions)
            return committed_result(cur, meta, upload_id, clean.rows.num_rows, 0,
                                    warnings=clean.warnings, one_pass=True)
    except _Declined:
        return None


def with_reporting_parties(store: Store, plan_id: int, clean: CleanRows,
                           party: str | None) -> CleanRows | None:
    """The rows with each report's party decided; None when some row's party cannot be."""
    resolved = reporting_party.resolve(clean.rows.column("item_id"), clean.rows.column("party"),
                                       reporting_party.party_rule(store, plan_id, party))
    if not resolved.ok:
        return None
    return replace(clean, rows=reporting_party.with_party(clean.rows, resolved.party),
                   mapped=clean.mapped | {"party"})


def clean_rows(text: CsvText, kind: str, options) -> CleanRows | None:
    """The typed rows of a file whose header maps, whose cells pyarrow converts and whose
    keys are unique, with the careful path's warnings; None otherwise."""
    mapping = map_headers(kind, text.headers, options.mapping)
    if mapping.errors:
        return None
    sheet = typed_sheet(text, column_types(mapping))
    if sheet is None:
        return None
    rows = canonical_text(sheet.table, mapping)
    keys = distinct_keys(rows, kind) if rows.num_rows else None
    if keys is None:
        return None
    item_ids = keys if KEYS[kind][0] == "item_id" else pc.unique(rows.column("item_id"))
    warnings = map_headers(kind, text.headers, options.mapping, empty_columns(sheet)).warnings
    if kind == "updates" and fractions_suspected(rows.column("percent_complete"), options.fractions):
        warnings.append(FRACTIONS_WARNING)
    return CleanRows(rows, item_ids, set(mapping.columns), warnings)


def column_types(mapping: HeaderMapping) -> dict[int, pa.DataType]:
    """Arrow type per sheet column to read: the canonical columns, plus header-less ones
    (read as text so an empty one raises no warning, as in the careful path)."""
    types = {}
    for column, kind_of in parse.COLUMN_TYPES[mapping.kind].items():
        index = mapping.columns.get(column)
        if index is not None:
            types[index] = parse.ARROW_TYPES.get(kind_of, pa.string())
    for index, header in enumerate(mapping.headers):
        if not header.strip():
            types.setdefault(index, pa.string())
    return types


def _guarded_insert(cur, clean: CleanRows, meta: UploadMeta, fractions: bool) -> int:
    name = f"clean_rows_{next(_names)}"
    cur.register(name, clean.rows)  # lives as long as the transaction's cursor
    try:
        source = parse.guarded_select(meta.kind, name, clean.mapped, fractions=fractions)
        upload_id = write_rows(cur, source, meta, rows_accepted=clean.rows.num_rows, rows_rejected=0)
    except duckdb.Error:           # a bad row (or anything else): the careful path will say
        raise _Declined from None
    cur.unregister(name)
    return upload_id


def distinct_keys(rows: pa.Table, kind: str) -> pa.Array | None:
    """The distinct values of the first key column (item_id; milestone_id) when no two rows
    share the natural key (item_id; milestone_id; item_id, as_of and party), else None.

    Ids and parties are trimmed text and as_of a typed date, so equal text is an equal key.
    """
    codes, values = _codes(rows.column(KEYS[kind][0]))
    if len(KEYS[kind]) == 1:
        return values if len(values) == len(codes) else None
    dates = rows.column(KEYS[kind][1])
    if dates.null_count:                         # an empty as_of: a row error
        return None
    days = pc.cast(dates, pa.int32()).to_numpy(zero_copy_only=False)
    low, span = int(days.min()), int(days.max()) - int(days.min()) + 1
    combined, size = codes.astype(np.int64), len(values)
    for column in KEYS[kind][2:]:                # party: text codes (the empty cell is a value)
        more, distinct = _codes(rows.column(column))
        combined, size = combined * len(distinct) + more, size * len(distinct)
    width = np.int32 if size * span < 2**31 else np.int64
    keys = combined.astype(width, copy=False) * width(span) + (days - low).astype(width, copy=False)
    keys.sort()                                  # 0.1 s at 5M rows (np.unique's hashing: 10 s)
    return None if (keys[1:] == keys[:-1]).any() else values


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Dense integer codes of the values (one per distinct value) and the distinct values.

    Arrow encodes a chunked column with one growing dictionary, so a value keeps its code
    across chunks and the last chunk's dictionary holds every value.
    """
    encoded = pc.dictionary_encode(column)
    chunks = [c for c in encoded.chunks if len(c)]
    if not chunks:
        return np.zeros(0, dtype=np.int32), pa.array([], column.type)
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
    return codes, chunks[-1].dictionary


def fractions_suspected(percent: pa.ChunkedArray, fractions: bool) -> bool:
    """The careful path's test (validate._scan): every value in 0-1 and some strictly between
    (no value here was written with %, or pyarrow could not have typed it)."""
    if fractions or percent.null_count == len(percent):
        return False
    low, high = pc.min_max(percent).values()
    between = pc.sum(pc.and_(pc.greater(percent, 0), pc.less(percent, 1))).as_py() or 0
    return low.as_py() >= 0 and high.as_py() <= 1 and between > 0
