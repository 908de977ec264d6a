"""What a write transaction changed in the in-memory DuckDB copy, as rows to ship.

Why: every write in analytics/ (an upload, a revert, an account change) is DuckDB SQL run
on a store's cursor inside `transaction()`. On a PostgreSQL store that cursor is the
process's in-memory DuckDB copy; before it commits, this module works out which rows
the transaction removed and which it added, per table, so the same change can be made
in PostgreSQL in one transaction and replayed by the other processes. An UPDATE is a
removed old row and an added new one.

How: DuckDB numbers the rows a transaction inserts from `LOCAL_ROW_ID` up (its
transaction-local storage) and keeps the row id of every row it does not touch, so a
second cursor outside the transaction still sees the rows as they were. Added rows are
those at or above `LOCAL_ROW_ID`; removed or changed rows are the (row id, row hash)
pairs of before that are gone after. Append-only tables are compared by row count
first, so an upload's million status rows cost no hashing.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

LOCAL_ROW_ID = 36028797018960000       # DuckDB's MAX_ROW_ID: transaction-local rows start here

# Tables our code only ever appends to (and deletes from when a plan is removed); a test
# checks that no UPDATE statement in analytics/ names them.
APPEND_ONLY = frozenset({"status_updates", "work_item_history", "milestone_history",
                         "upload_rejects", "audit_log", "contact_history", "sent_mail"})
MIRROR_ONLY = frozenset({"schema_version"})     # each store keeps its own


@dataclass(frozen=True)
class TableChange:
    """Rows removed from and added to one table by one transaction."""

    table: str
    removed: pa.Table
    added: pa.Table


def store_tables(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The base tables a store is made of (the same in both stores), in name order."""
    rows = cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        " AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
    return [name for (name,) in rows if name not in MIRROR_ONLY]


def table_columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, bool]]:
    """(column name, nullable) of `table`, in order."""
    return [(name, nullable == "YES") for name, nullable in cur.execute(
        "SELECT column_name, is_nullable FROM information_schema.columns"
        " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def transaction_changes(inside: duckdb.DuckDBPyConnection,
                        outside: duckdb.DuckDBPyConnection) -> list[TableChange]:
    """What the open transaction on `inside` changed, seen against `outside` (a cursor of
    the same database that is not in the transaction); tables with no change left out."""
    changes = []
    for table in store_tables(inside):
        change = _table_change(inside, outside, table)
        if change.removed.num_rows or change.added.num_rows:
            changes.append(change)
    return changes


def _table_change(inside, outside, table: str) -> TableChange:
    columns = ", ".join(quoted(name) for name, _ in table_columns(inside, table))
    added = inside.sql(f"SELECT {columns} FROM {quoted(table)} WHERE rowid >= {LOCAL_ROW_ID}"
                       ).to_arrow_table()
    kept = _count(inside, table, f"rowid < {LOCAL_ROW_ID}")
    if table in APPEND_ONLY and kept == _count(outside, table):
        return TableChange(table, added.slice(0, 0), added)
    hashed = f"SELECT rowid AS r, hash({columns}) AS h FROM {quoted(table)}"
    before = outside.sql(hashed).to_arrow_table()
    inside.register("_rows_before", before)
    try:
        gone = inside.sql(f"SELECT r FROM _rows_before ANTI JOIN ({hashed}"
                          f" WHERE rowid < {LOCAL_ROW_ID}) USING (r, h)").to_arrow_table()
        changed = inside.sql(f"SELECT {columns} FROM {quoted(table)} WHERE rowid IN"
                             f" (SELECT r FROM ({hashed} WHERE rowid < {LOCAL_ROW_ID})"
                             f" ANTI JOIN _rows_before USING (r, h))").to_arrow_table()
    finally:
        inside.unregister("_rows_before")
    removed = _rows_by_id(outside, table, columns, gone)
    return TableChange(table, removed, pa.concat_tables([changed, added]))


def _rows_by_id(cur, table: str, columns: str, ids: pa.Table) -> pa.Table:
    cur.register("_row_ids", ids)
    try:
        return cur.sql(f"SELECT {columns} FROM {quoted(table)}"
                       " WHERE rowid IN (SELECT r FROM _row_ids)").to_arrow_table()
    finally:
        cur.unregister("_row_ids")


def _count(cur, table: str, where: str = "true") -> int:
    return cur.execute(f"SELECT count(*) FROM {quoted(table)} WHERE {where}").fetchall()[0][0]


def quoted(name: str) -> str:
    """An identifier from our own schema (never user text), quoted for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def match_condition(columns: list[tuple[str, bool]], left: str, right: str) -> str:
    """`left` row equals `right` row: `=` on NOT NULL columns (so both databases can hash-join),
    IS NOT DISTINCT FROM on nullable ones. Same text in DuckDB and PostgreSQL."""
    return " AND ".join(
        f"{left}.{quoted(name)} IS NOT DISTINCT FROM {right}.{quoted(name)}" if nullable
        else f"{left}.{quoted(name)} = {right}.{quoted(name)}"
        for name, nullable in columns)
