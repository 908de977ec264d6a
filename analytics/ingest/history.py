"""The audit trail of uploads, as tables for the CLI and the uploads page.

Why: a manager must find any upload (who, when, which file, its sha256, how many
rows were accepted or rejected, whether it was reverted), read the rows it
rejected, and undo it. Called by `workplan uploads` and `pages/uploads.py`.
"""

from __future__ import annotations

import pandas as pd

from analytics.store import Store

UPLOAD_COLUMNS = ["id", "kind", "file", "by", "at", "accepted", "rejected", "outcome",
                  "reverted", "reverted_by", "sha256", "message"]


def uploads_frame(store: Store, plan_id: int) -> pd.DataFrame:
    """Every upload of the plan, newest first (times UTC, as text)."""
    return store.query_df(
        "SELECT id, kind, filename AS file, uploaded_by AS \"by\","
        " strftime(uploaded_at, '%Y-%m-%d %H:%M') AS \"at\", rows_accepted AS accepted,"
        " rows_rejected AS rejected, outcome,"
        " coalesce(strftime(reverted_at, '%Y-%m-%d %H:%M'), '') AS reverted,"
        " coalesce(reverted_by, '') AS reverted_by, coalesce(sha256, '') AS sha256,"
        " coalesce(message, '') AS message FROM uploads WHERE plan_id = ? ORDER BY id DESC",
        [plan_id])


def rejected_rows(store: Store, plan_id: int, upload_id: int) -> pd.DataFrame:
    """The rows an upload of the plan rejected: row, column, message, value."""
    return store.query_df(
        "SELECT row_number AS \"row\", column_name AS \"column\", message, raw AS value"
        " FROM upload_rejects WHERE plan_id = ? AND upload_id = ? ORDER BY row_number, column_name",
        [plan_id, upload_id])


def can_be_reverted(frame: pd.DataFrame, upload_id: int) -> bool:
    """True for a committed or partial data upload not yet reverted."""
    row = frame[frame["id"] == upload_id]
    return bool(len(row)) and row["kind"].iloc[0] != "revert" and \
        row["outcome"].iloc[0] in ("committed", "partial") and not row["reverted"].iloc[0]
