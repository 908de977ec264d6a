"""Commit a checked upload: all-or-nothing, or valid rows only, in one transaction, audited.

Why: nothing may be half-loaded. A file with any row error is refused whole
unless the user chose to commit only the valid rows, in which case the rejected
rows are kept with the upload. A file already imported (same sha256, not
reverted) is a no-op that names the earlier upload. References to items are
checked again inside the transaction, because the plan may have changed since
the preview. Every outcome (committed, partial, refused) is in `uploads` and
`audit_log` with the user's name.

Called by `analytics.ingest.commit_parsed` users: the CLI and the upload page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.issues import combine, no_errors
from analytics.ingest.messages import (
    ALREADY_IMPORTED,
    IMPORTED,
    IMPORTED_SOME,
    REFUSED_EMPTY,
    REFUSED_HEADER,
    REFUSED_ROWS,
)
from analytics.ingest.unknown_items import KNOWN_ITEMS_SQL, unknown_item_errors
from analytics.store import Store
from analytics.writes import UploadMeta, record_audit, write_refused, write_upload


@dataclass(frozen=True)
class CommitResult:
    """What a commit did; `message` is the one-line summary shown to the user."""

    upload_id: int | None
    outcome: str                      # committed | partial | refused | duplicate
    rows_accepted: int
    rows_rejected: int
    message: str
    duplicate_of: int | None = None
    errors: pd.DataFrame = field(default_factory=no_errors)
    warnings: list[str] = field(default_factory=list)   # about the file, shown before the outcome
    one_pass: bool = False                              # committed by analytics.ingest.optimistic

    @property
    def written(self) -> bool:
        return self.outcome in ("committed", "partial")


def commit_parsed(store: Store, parsed, *, by: str, skip_invalid: bool = False) -> CommitResult:
    """Write `parsed` (a ParsedUpload) as one upload; see module docstring."""
    plan_id = parsed.options.plan_id
    with store.transaction() as cur:
        earlier = duplicate_of(cur, plan_id, parsed.sha256)
        if earlier is not None:
            return duplicate_result(parsed.filename, earlier, parsed.warnings)
        errors = combine(parsed.errors, _reference_errors(cur, parsed))
        bad_rows = errors["row"].dropna().drop_duplicates()
        rejected = int(len(bad_rows))
        valid = _valid_rows(parsed.text, bad_rows)
        refuse = parsed.text is None or valid.num_rows == 0 or (len(errors) and not skip_invalid)
        meta = UploadMeta(kind=parsed.kind, filename=parsed.filename, uploaded_by=by,
                          sha256=parsed.sha256, rejects=_rejects(errors), plan_id=plan_id)
        if refuse:
            upload_id = write_refused(cur, meta, rejected)
            record_audit(cur, by, "upload refused",
                         f"upload {upload_id}: {parsed.kind} {parsed.filename}, {len(errors)} error(s)",
                         plan_id=plan_id)
            return CommitResult(upload_id, "refused", 0, rejected, errors=errors,
                                message=_refused_message(parsed, errors, valid.num_rows),
                                warnings=list(parsed.warnings))
        upload_id = write_upload(cur, _valid_rows(parsed.table, bad_rows), meta, rejected)
        return committed_result(cur, meta, upload_id, valid.num_rows, rejected, errors=errors,
                                warnings=parsed.warnings)


def committed_result(cur, meta: UploadMeta, upload_id: int, accepted: int, rejected: int, *,
                     errors: pd.DataFrame | None = None, warnings: list[str] | None = None,
                     one_pass: bool = False) -> CommitResult:
    """Audit a written upload and say what was imported (both import paths end here)."""
    record_audit(cur, meta.uploaded_by, "upload",
                 f"upload {upload_id}: {meta.kind} {meta.filename} sha256 {meta.sha256[:12]},"
                 f" {accepted} accepted, {rejected} rejected", plan_id=meta.plan_id)
    message = (IMPORTED_SOME if rejected else IMPORTED).format(
        n=accepted, kind=meta.kind, file=meta.filename, id=upload_id, rejected=rejected)
    return CommitResult(upload_id, "partial" if rejected else "committed", accepted, rejected,
                        message=message, errors=no_errors() if errors is None else errors,
                        warnings=list(warnings or []), one_pass=one_pass)


def duplicate_result(filename: str, earlier: tuple, warnings: list[str] | None = None) -> CommitResult:
    """The no-op answer for bytes already imported as a live upload."""
    upload_id, first_name, who, when = earlier
    return CommitResult(
        None, "duplicate", 0, 0, duplicate_of=upload_id, warnings=list(warnings or []),
        message=ALREADY_IMPORTED.format(file=filename, id=upload_id, name=first_name, who=who,
                                        when=f"{when:%Y-%m-%d %H:%M}"))


def duplicate_of(cur, plan_id: int, sha256: str) -> tuple | None:
    """(id, filename, by, at) of a live earlier upload of the same bytes to the plan, if any
    (the same sheet sent to another plan is not a duplicate)."""
    rows = cur.execute(
        "SELECT id, filename, uploaded_by, uploaded_at FROM plan_uploads(?) WHERE sha256 = ?"
        " AND outcome IN ('committed', 'partial') ORDER BY id LIMIT 1",
        [plan_id, sha256],
    ).fetchall()
    return rows[0] if rows else None


def _reference_errors(cur, parsed) -> pd.DataFrame:
    """Rows whose item_id is not (any longer) in the plan, checked inside the transaction."""
    if parsed.text is None or parsed.kind == "items" or not parsed.text.num_rows:
        return no_errors()
    plan_id = parsed.options.plan_id
    if not unknown_item_count(cur, plan_id, pc.unique(parsed.text.column("item_id"))):
        return no_errors()
    cur.register("incoming_refs", parsed.text.select(["row_number", "item_id"]))
    try:
        frame = unknown_item_errors(cur, "SELECT row_number, item_id FROM incoming_refs",
                                    KNOWN_ITEMS_SQL, {"plan": plan_id})
    finally:
        cur.unregister("incoming_refs")
    if not len(frame):
        return no_errors()
    known = parsed.errors[parsed.errors["column"] == "item_id"]
    seen = set(zip(known["row"].astype("Int64"), known["message"], strict=True))
    keep = [(r, m) not in seen for r, m in zip(frame["row"], frame["message"], strict=True)]
    return frame[keep]


def unknown_item_count(cur, plan_id: int, distinct_ids: pa.Array) -> int:
    """How many of these distinct ids are neither empty nor items of the plan (a few thousand
    distinct ids are checked instead of a million rows; rows are looked at only when some are)."""
    cur.register("incoming_ids", pa.table({"item_id": distinct_ids}))
    try:
        return cur.execute("SELECT count(*) FROM incoming_ids WHERE item_id <> ''"
                           f" AND item_id NOT IN ({KNOWN_ITEMS_SQL})",
                           {"plan": plan_id}).fetchall()[0][0]
    finally:
        cur.unregister("incoming_ids")


def _valid_rows(table: pa.Table | None, bad_rows: pd.Series) -> pa.Table:
    if table is None:
        return pa.table({"row_number": pa.array([], pa.int32())})
    if not len(bad_rows):
        return table
    mask = pc.invert(pc.is_in(table.column("row_number"),
                              value_set=pa.array(bad_rows.astype("int64"), pa.int32())))
    return table.filter(mask)


def _rejects(errors: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"row_number": errors["row"], "column_name": errors["column"],
                         "message": errors["message"], "raw": errors["value"]})


def _refused_message(parsed, errors: pd.DataFrame, valid: int) -> str:
    if parsed.text is None:
        return REFUSED_HEADER.format(file=parsed.filename, n=len(errors))
    if valid == 0 and not len(errors):
        return REFUSED_EMPTY.format(file=parsed.filename)
    return REFUSED_ROWS.format(file=parsed.filename, n=len(errors),
                               rows=errors["row"].dropna().nunique())
