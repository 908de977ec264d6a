"""Making a set of row changes in PostgreSQL, in the change log, and in a DuckDB copy.

Why: a write on one process must land in PostgreSQL (the system of record) and reach
every other process's in-memory copy. The writer makes the change in PostgreSQL and
appends it to `change_log` in the same transaction; each process replays the log
entries it has not seen into its copy (removed rows first, then added ones).
"""

from __future__ import annotations

import io

import duckdb
import psycopg
import pyarrow as pa
from psycopg import sql

from analytics.pg.arrow_io import copy_arrow
from analytics.pg.changes import TableChange, match_condition, table_columns

OPS = (("delete", "removed"), ("insert", "added"))


def write_to_postgres(pg: psycopg.Connection, mirror: duckdb.DuckDBPyConnection,
                      changes: list[TableChange]) -> int:
    """Make `changes` in PostgreSQL and log them; return the last change-log sequence number
    written (0 when nothing changed). Runs inside the caller's PostgreSQL transaction."""
    last = 0
    with pg.cursor() as cur:
        for change in changes:
            if change.removed.num_rows:
                _delete_rows(cur, change.table, table_columns(mirror, change.table),
                             change.removed)
            copy_arrow(cur, change.table, change.added)
        for change in changes:
            for op, part in OPS:
                rows = getattr(change, part)
                if rows.num_rows:
                    cur.execute("INSERT INTO change_log (table_name, op, rows_arrow)"
                                " VALUES (%s, %s, %s) RETURNING seq",
                                [change.table, op, ipc_bytes(rows)])
                    last = cur.fetchone()[0]
    return last


def _delete_rows(cur: psycopg.Cursor, table: str, columns, rows: pa.Table) -> None:
    cur.execute(sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {}) ON COMMIT DROP").format(
        sql.Identifier(f"_removed_{table}"), sql.Identifier(table)))
    copy_arrow(cur, f"_removed_{table}", rows)
    cur.execute(sql.SQL("DELETE FROM {} AS t USING {} AS r WHERE {}").format(
        sql.Identifier(table), sql.Identifier(f"_removed_{table}"),
        sql.SQL(match_condition(columns, "t", "r"))))
    cur.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(f"_removed_{table}")))


def logged_changes(pg: psycopg.Connection, after_seq: int) -> tuple[int, list[TableChange]]:
    """The change-log entries after `after_seq`, in order, and the last sequence number."""
    with pg.cursor() as cur:
        cur.execute("SELECT seq, table_name, op, rows_arrow FROM change_log WHERE seq > %s"
                    " ORDER BY seq", [after_seq])
        entries = cur.fetchall()
    changes = []
    for _, table, op, payload in entries:
        rows = read_ipc(payload)
        empty = rows.slice(0, 0)
        changes.append(TableChange(table, rows, empty) if op == "delete"
                       else TableChange(table, empty, rows))
    return (entries[-1][0] if entries else after_seq), changes


def apply_to_duckdb(cur: duckdb.DuckDBPyConnection, changes: list[TableChange]) -> None:
    """Replay `changes` (in order) on a DuckDB cursor inside the caller's transaction."""
    for change in changes:
        if change.removed.num_rows:
            cur.register("_removed_rows", change.removed)
            cur.execute(f'DELETE FROM "{change.table}" AS t USING _removed_rows AS r WHERE '
                        + match_condition(table_columns(cur, change.table), "t", "r"))
            cur.unregister("_removed_rows")
        if change.added.num_rows:
            cur.register("_added_rows", change.added)
            cur.execute(f'INSERT INTO "{change.table}" BY NAME SELECT * FROM _added_rows')
            cur.unregister("_added_rows")


def ipc_bytes(rows: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, rows.schema) as writer:
        writer.write_table(rows)
    return sink.getvalue()


def read_ipc(payload: bytes) -> pa.Table:
    return pa.ipc.open_stream(bytes(payload)).read_all()
