"""Atomic writes to the store: commit an upload's rows, revert an upload, audit.

Why: every change to the plan arrives as an upload (a file, the sample plan, a
revert) and must be all-or-nothing, traceable and undoable. This module is the
only code that writes plan data. The ingest layer validates a file into a
canonical frame and hands it here; the demo loader does the same.

Model: `work_item_history`, `milestone_history` and `status_updates` are
append-only. `work_items` and `milestones` are the current view, rebuilt for the
touched keys from the latest version in a live upload (the view `live_uploads`);
baselines are the first due date recorded. Which status report counts is decided by
the views and macros of analytics/sql/003_reports.sql, never here. Every report
is stored with the party that made it (the ingest layer works it out).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.errors import WorkplanError
from analytics.plans import FIRST_PLAN
from analytics.store import Store, bump_data_version, utc_now

ITEM_COLUMNS = ["item_id", "domain", "title", "lead_party", "owner",
                "start_date", "due_date", "weight", "description"]
MILESTONE_COLUMNS = ["milestone_id", "item_id", "title", "due_date",
                     "completed_date", "baseline_date"]
UPDATE_COLUMNS = ["item_id", "as_of", "percent_complete", "status",
                  "note", "reported_by", "party"]
COLUMNS = {"items": ITEM_COLUMNS, "milestones": MILESTONE_COLUMNS, "updates": UPDATE_COLUMNS}
STATUSES = ("green", "amber", "red", "complete", "not_started")

_names = itertools.count()


@dataclass(frozen=True)
class UploadMeta:
    """Who uploaded what; recorded in `uploads`."""

    kind: str
    filename: str
    uploaded_by: str
    sha256: str | None = None
    uploaded_at: datetime | None = None          # UTC; now when None
    message: str | None = None
    rejects: list[dict] | pd.DataFrame = field(default_factory=list)  # row_number, column_name, message, raw
    plan_id: int = FIRST_PLAN.id                 # the plan written to (analytics.plans)


def commit_upload(store: Store, frame: pd.DataFrame | pa.Table, meta: UploadMeta) -> int:
    """Write one validated upload in a single transaction; return its upload id."""
    with store.transaction() as cur:
        return write_upload(cur, frame, meta)


def write_upload(cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame | pa.Table,
                 meta: UploadMeta, rows_rejected: int | None = None) -> int:
    """The body of `commit_upload`, for callers that hold a transaction already.

    `rows_rejected` defaults to the number of rejects (pass it when a row has several).
    """
    if meta.kind not in COLUMNS:
        raise WorkplanError(f"Unknown upload kind {meta.kind!r}; expected one of {', '.join(COLUMNS)}.")
    table = canonical_table(frame, meta.kind)
    name = f"incoming_{next(_names)}"
    cur.register(name, table)
    # no `finally`: after a failed statement the transaction is aborted and unregistering would
    # raise over the real error; the rollback and the cursor's close drop the registration
    upload_id = write_rows(cur, name, meta, rows_accepted=table.num_rows, rows_rejected=rows_rejected)
    cur.unregister(name)
    return upload_id


def write_rows(cur: duckdb.DuckDBPyConnection, source: str, meta: UploadMeta, *,
               rows_accepted: int, rows_rejected: int | None = None) -> int:
    """Write rows that `source` (a registered table or a parenthesised SELECT built by our
    code, never from user text) yields with the canonical columns of meta.kind + row_number.

    The ingest layer uses it to type a million text rows inside the INSERT itself.
    """
    upload_id = _insert_upload(cur, meta, rows_accepted=rows_accepted, rows_rejected=rows_rejected)
    _WRITERS[meta.kind](cur, source, upload_id, meta.plan_id, meta.uploaded_at or utc_now())
    _insert_rejects(cur, upload_id, meta.plan_id, meta.rejects)
    bump_data_version(cur, meta.plan_id)
    return upload_id


def canonical_table(frame: pd.DataFrame | pa.Table, kind: str) -> pa.Table:
    """The frame's canonical columns (missing optional ones as NULL) plus row_number."""
    if isinstance(frame, pa.Table):
        return _canonical_arrow(frame, kind)
    frame = frame.copy()
    for column in COLUMNS[kind]:
        if column not in frame.columns:
            frame[column] = None
    if "row_number" not in frame.columns:
        frame["row_number"] = range(2, len(frame) + 2)
    frame = frame[COLUMNS[kind] + ["row_number"]]
    return pa.Table.from_pandas(frame, preserve_index=False)


def _canonical_arrow(table: pa.Table, kind: str) -> pa.Table:
    """Arrow-native `canonical_table` (no pandas round trip for million-row uploads)."""
    n = table.num_rows
    columns = {}
    for column in COLUMNS[kind]:
        columns[column] = (table.column(column) if column in table.column_names
                           else pa.nulls(n, pa.string()))
    columns["row_number"] = (table.column("row_number") if "row_number" in table.column_names
                             else pa.array(range(2, n + 2), pa.int32()))
    return pa.table(columns)


def record_refused(store: Store, meta: UploadMeta, rows_rejected: int) -> int:
    """Log a refused file in `uploads` (nothing else is written)."""
    with store.transaction() as cur:
        return write_refused(cur, meta, rows_rejected)


def write_refused(cur: duckdb.DuckDBPyConnection, meta: UploadMeta, rows_rejected: int) -> int:
    """The body of `record_refused`: the uploads row and the rejected rows, no plan data."""
    upload_id = _insert_upload(cur, meta, rows_accepted=0, rows_rejected=rows_rejected,
                               outcome="refused")
    _insert_rejects(cur, upload_id, meta.plan_id, meta.rejects)
    bump_data_version(cur, meta.plan_id)
    return upload_id


def revert_upload(store: Store, upload_id: int, *, by: str, plan_id: int | None = None) -> int:
    """Take an upload's rows out of the current view (history keeps them); return the revert's id.

    With `plan_id`, an upload of another plan is refused as if it did not exist (a user of
    one plan never touches another's uploads by guessing an id)."""
    with store.transaction() as cur:
        rows = cur.execute(
            "SELECT kind, outcome, reverted_at, plan_id FROM uploads"
            " WHERE id = ? AND (CAST(? AS INTEGER) IS NULL OR plan_id = ?)",
            [upload_id, plan_id, plan_id]).fetchall()
        row = rows[0] if rows else None
        if row is None:
            raise WorkplanError(f"There is no upload {upload_id} in this plan; "
                                "`workplan uploads` lists them.")
        kind, outcome, reverted_at, plan_id = row
        if kind == "revert":
            raise WorkplanError(f"Upload {upload_id} is itself a revert and cannot be reverted.")
        if outcome == "refused":
            raise WorkplanError(f"Upload {upload_id} was refused; it wrote nothing to revert.")
        if reverted_at is not None:
            raise WorkplanError(f"Upload {upload_id} was already reverted at {reverted_at:%Y-%m-%d %H:%M} UTC.")
        now = utc_now()
        revert_id = _insert_upload(
            cur,
            UploadMeta(kind="revert", filename=f"revert of upload {upload_id}", uploaded_by=by,
                       uploaded_at=now, message=f"reverted upload {upload_id} ({kind})",
                       plan_id=plan_id),
            rows_accepted=0, reverts=upload_id,
        )
        cur.execute("UPDATE uploads SET reverted_at = ?, reverted_by = ? WHERE id = ?",
                    [now, by, upload_id])
        if kind == "items":
            _rebuild_items(cur, upload_id, plan_id)
        elif kind == "milestones":
            _rebuild_milestones(cur, upload_id, plan_id)
        record_audit(cur, by, "revert", f"upload {revert_id} reverted upload {upload_id} ({kind})",
                     plan_id=plan_id)
        bump_data_version(cur, plan_id)
        return revert_id


def record_parties(store: Store, plan_id: int, parties: list[str], *, by: str) -> None:
    """Record the plan's parties (`plans.parties`), audited."""
    with store.transaction() as cur:
        cur.execute("UPDATE plans SET parties = ? WHERE id = ?", [",".join(parties), plan_id])
        record_audit(cur, by, "parties", ", ".join(parties), plan_id=plan_id)
        bump_data_version(cur, plan_id)


def record_audit(cur: duckdb.DuckDBPyConnection, username: str, action: str,
                 detail: str | None = None, *, plan_id: int | None = None) -> None:
    """Append one line to `audit_log` (uploads, reverts, exports, sign-ins), naming the plan it
    was about when there is one. Its id is the next after the highest, not from a sequence:
    a sequence lives in one database, and a PostgreSQL store's copies are several."""
    cur.execute("INSERT INTO audit_log (id, occurred_at, username, action, detail, plan_id)"
                " SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ? FROM audit_log",
                [utc_now(), username, action, detail, plan_id])


def audit(store: Store, username: str, action: str, detail: str | None = None, *,
          plan_id: int | None = None) -> None:
    with store.transaction() as cur:
        record_audit(cur, username, action, detail, plan_id=plan_id)


# -- internals -------------------------------------------------------------

def _insert_upload(cur, meta: UploadMeta, *, rows_accepted: int, rows_rejected: int | None = None,
                   outcome: str | None = None, reverts: int | None = None) -> int:
    """The uploads row of a write; returns its id.

    Ids are the next after the highest (writers run one at a time, see Store.transaction),
    not from upload_id_seq: a sequence value taken by a transaction that rolls back (an
    import that fell back to the careful path, a crash) would leave a gap in the audit log.
    """
    rejected = len(meta.rejects) if rows_rejected is None else rows_rejected
    if outcome is None:
        outcome = "partial" if rejected else "committed"
    _ensure_plan(cur, meta.plan_id)
    return cur.execute(
        "INSERT INTO uploads (id, plan_id, kind, filename, sha256, uploaded_by, uploaded_at,"
        " rows_accepted, rows_rejected, outcome, message, reverts_upload_id)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM uploads), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        [meta.plan_id, meta.kind, meta.filename, meta.sha256, meta.uploaded_by, meta.uploaded_at or utc_now(),
         rows_accepted, rejected, outcome, meta.message, reverts],
    ).fetchall()[0][0]


def _ensure_plan(cur, plan_id: int) -> None:
    """Refuse a write to a plan that does not exist, except the first write to a store that
    holds no plan at all: that one creates plan 1, `main` (single-plan use needs no plan
    command; analytics.plans.plan_for_import is the same rule for a named plan)."""
    if cur.execute("SELECT 1 FROM plans WHERE id = ?", [plan_id]).fetchall():
        return
    if plan_id == FIRST_PLAN.id and not cur.execute("SELECT 1 FROM plans LIMIT 1").fetchall():
        cur.execute("INSERT INTO plans (id, code, title, created_at) VALUES (?, ?, ?, ?)",
                    [FIRST_PLAN.id, FIRST_PLAN.code, FIRST_PLAN.title, utc_now()])
        return
    raise WorkplanError(f"There is no plan {plan_id} in this store; nothing was written.")


def _insert_rejects(cur, upload_id: int, plan_id: int,
                    rejects: Iterable[dict] | pd.DataFrame) -> None:
    """Rejected rows as dicts or a DataFrame (row_number, column_name, message, raw)."""
    if isinstance(rejects, pd.DataFrame):
        if not len(rejects):
            return
        table = pa.table({
            "row_number": pa.array(rejects["row_number"].astype("Int64"), pa.int64()),
            "column_name": pa.array(rejects["column_name"].astype(object), pa.string()),
            "message": pa.array(rejects["message"].astype(object), pa.string()),
            "raw": pa.array(rejects["raw"].astype(object), pa.string()),
        })
        name = f"rejects_{next(_names)}"
        cur.register(name, table)
        try:
            cur.execute(f"INSERT INTO upload_rejects SELECT ?, ?, row_number, column_name, message,"
                        f" raw FROM {name}", [plan_id, upload_id])
        finally:
            cur.unregister(name)
        return
    rows = [[plan_id, upload_id, r.get("row_number"), r.get("column_name"), r["message"],
             r.get("raw")] for r in rejects]
    if rows:
        cur.executemany("INSERT INTO upload_rejects VALUES (?, ?, ?, ?, ?, ?)", rows)


def _write_items(cur, name: str, upload_id: int, plan_id: int, at: datetime) -> None:
    cur.execute(
        "INSERT INTO work_item_history SELECT ?, ?, row_number, ?, item_id, domain, title,"
        " lead_party, owner, CAST(start_date AS DATE), CAST(due_date AS DATE),"
        f" coalesce(CAST(weight AS DOUBLE), 1), description FROM {name}",
        [plan_id, upload_id, at],
    )
    cur.execute(
        "INSERT INTO domains (plan_id, name, description, sort_order)"
        " SELECT $plan, domain, NULL,"
        "        (SELECT coalesce(max(sort_order), 0) FROM plan_domains($plan))"
        "        + row_number() OVER (ORDER BY first_row)"
        f" FROM (SELECT domain, min(row_number) AS first_row FROM {name} GROUP BY domain)"
        " WHERE domain NOT IN (SELECT name FROM plan_domains($plan))", {"plan": plan_id}
    )
    _rebuild_items(cur, upload_id, plan_id)


def _rebuild_items(cur, upload_id: int, plan_id: int) -> None:
    """Recompute the current row of every item of the plan that the upload touched."""
    touched = "SELECT DISTINCT item_id FROM work_item_history WHERE upload_id = $upload"
    params = {"upload": upload_id, "plan": plan_id}
    cur.execute(f"DELETE FROM work_items WHERE plan_id = $plan AND item_id IN ({touched})", params)
    cur.execute(
        "INSERT INTO work_items (plan_id, item_id, domain, title, lead_party, owner, start_date,"
        " due_date, baseline_due_date, weight, description, upload_id)"
        " SELECT $plan, item_id, domain, title, lead_party, owner, start_date, due_date, baseline,"
        "        weight, description, upload_id FROM ("
        "   SELECT h.*,"
        "     first_value(h.due_date) OVER (PARTITION BY h.item_id"
        "       ORDER BY h.upload_id, h.row_number NULLS FIRST"
        "       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS baseline,"
        "     row_number() OVER (PARTITION BY h.item_id"
        "       ORDER BY h.upload_id DESC, h.row_number DESC NULLS LAST) AS rn"
        "   FROM work_item_history AS h JOIN plan_uploads($plan) AS u ON u.id = h.upload_id"
        f"  WHERE h.plan_id = $plan AND h.item_id IN ({touched})"
        " ) WHERE rn = 1",
        params,
    )


def _write_milestones(cur, name: str, upload_id: int, plan_id: int, at: datetime) -> None:
    cur.execute(
        "INSERT INTO milestone_history SELECT ?, ?, row_number, ?, milestone_id, item_id, title,"
        " CAST(due_date AS DATE), CAST(completed_date AS DATE), CAST(baseline_date AS DATE)"
        f" FROM {name}",
        [plan_id, upload_id, at],
    )
    _rebuild_milestones(cur, upload_id, plan_id)


def _rebuild_milestones(cur, upload_id: int, plan_id: int) -> None:
    touched = "SELECT DISTINCT milestone_id FROM milestone_history WHERE upload_id = $upload"
    params = {"upload": upload_id, "plan": plan_id}
    cur.execute(f"DELETE FROM milestones WHERE plan_id = $plan AND milestone_id IN ({touched})",
                params)
    cur.execute(
        "INSERT INTO milestones (plan_id, milestone_id, item_id, title, due_date, baseline_date,"
        " completed_date, upload_id)"
        " SELECT $plan, milestone_id, item_id, title, due_date,"
        "        coalesce(first_baseline, first_due), completed_date, upload_id FROM ("
        "   SELECT h.*,"
        "     first_value(h.due_date) OVER w_all AS first_due,"
        "     first_value(h.baseline_date IGNORE NULLS) OVER w_all AS first_baseline,"
        "     row_number() OVER (PARTITION BY h.milestone_id"
        "       ORDER BY h.upload_id DESC, h.row_number DESC NULLS LAST) AS rn"
        "   FROM milestone_history AS h JOIN plan_uploads($plan) AS u ON u.id = h.upload_id"
        f"  WHERE h.plan_id = $plan AND h.milestone_id IN ({touched})"
        "   WINDOW w_all AS (PARTITION BY h.milestone_id ORDER BY h.upload_id, h.row_number NULLS FIRST"
        "       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
        " ) WHERE rn = 1",
        params,
    )


def _write_updates(cur, name: str, upload_id: int, plan_id: int, at: datetime) -> None:
    """Append the reports; one without a party stops the write (the ingest layer decides
    every report's party, analytics/ingest/reporting_party.py, so none arrives without)."""
    cur.execute(
        "INSERT INTO status_updates SELECT ?, item_id, CAST(as_of AS DATE),"
        " CAST(percent_complete AS DOUBLE), status, note, reported_by,"
        " CASE WHEN coalesce(trim(party), '') = ''"
        "      THEN error('a status report on item ' || item_id || ' names no party')"
        "      ELSE party END, ?, row_number"
        f" FROM {name}",
        [plan_id, upload_id],
    )


_WRITERS = {"items": _write_items, "milestones": _write_milestones, "updates": _write_updates}
