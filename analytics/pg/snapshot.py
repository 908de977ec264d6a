"""A compact snapshot of a PostgreSQL store, from which a process loads its in-memory copy.

Why: a process's first load read every row of every table through PostgreSQL (COPY over
ADBC). On an M plan that is a million status rows; PostgreSQL alone takes 0.4 s to send
them on 2 cores, so a replica started 6x slower than DuckDB reading the same rows from a
file. So the store keeps, beside its tables, one snapshot (`copy_snapshot`): each store
table as a zstd Parquet file written by DuckDB (about 4 MB for the M plan), all at one
change-log position. A process loads it, checks each table's rows against the count the
snapshot recorded, replays the change-log entries after it (the replay `refresh()` uses),
and checks each table's row count against PostgreSQL's.

The tables stay the system of record. A process does not use the snapshot, and loads the
tables instead, when there is none, when another schema version wrote it, when the change
log has been pruned past it, or when a row count differs. A new snapshot is written by a
process that loaded the tables, and by one that loaded or wrote while the change log after
the snapshot held more than SNAPSHOT_STALE_BYTES (`snapshot_due`). Pruning keeps the entries
after the snapshot (`KEPT_FOR_SNAPSHOT`), so a day-old snapshot is still one to start from.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

from analytics.pg.changes import quoted, store_tables
from analytics.pg.replay import apply_to_duckdb, logged_changes
from analytics.store import latest_schema_version

LOG = logging.getLogger(__name__)
SNAPSHOT_LOCK = 0x57505350          # pg_advisory lock key of snapshot writers ("WPSP")
SNAPSHOT_STALE_BYTES = 16 * 2**20  # change-log bytes after the snapshot past which one is written
_READ = "SELECT table_name, through_seq, schema_version, row_count, parquet FROM copy_snapshot"
# The change log's part a pruning keeps whatever its age: the entries after the snapshot of this
# schema (%s: the schema version), which a process loading from it replays.
KEPT_FOR_SNAPSHOT = ("seq > coalesce((SELECT max(through_seq) FROM copy_snapshot"
                     " WHERE schema_version = %s), 9223372036854775807)")


def loaded_from_snapshot(mirror: duckdb.DuckDBPyConnection, pg: psycopg.Connection) -> bool:
    """Fill the (migrated) `mirror` from the snapshot and the change log after it, in one DuckDB
    transaction; False, with the mirror as it was, when the snapshot cannot be used. The caller
    keeps writers out (the shared writer lock)."""
    with pg.cursor(binary=True) as cur:                 # bytea as bytes, not hex text
        parts = cur.execute(_READ).fetchall()
    cur = mirror.cursor()
    names = store_tables(cur)
    seq = _usable_position(pg, parts, names)
    if seq is None:
        cur.close()
        return False
    try:
        cur.execute("BEGIN TRANSACTION")
        with tempfile.TemporaryDirectory(prefix="workplan-snapshot-") as folder:
            for name, _, _, _, parquet in parts:
                path = Path(folder) / "table.parquet"
                path.write_bytes(parquet)
                cur.execute(f"DELETE FROM {quoted(name)}")
                cur.execute(f"INSERT INTO {quoted(name)} BY NAME SELECT * FROM read_parquet($path)",
                            {"path": str(path)})
        intact = row_counts(cur, names) == {part[0]: part[3] for part in parts}
        _, changes = logged_changes(pg, seq)
        apply_to_duckdb(cur, changes)
        if not intact or row_counts(cur, names) != postgres_row_counts(pg, names):
            LOG.warning("the snapshot of the store does not match its tables; loading the tables")
            cur.execute("ROLLBACK")
            return False
        cur.execute("COMMIT")
    except duckdb.Error as exc:
        cur.execute("ROLLBACK")
        LOG.warning("the snapshot of the store cannot be read (%s); loading the tables", exc)
        return False
    finally:
        cur.close()
    return True


def snapshot_due(pg: psycopg.Connection) -> bool:
    """Whether the store's snapshot (of this schema) is behind the change log by more than
    SNAPSHOT_STALE_BYTES of logged rows; False when there is none."""
    return pg.execute(
        "SELECT coalesce(sum(octet_length(rows_arrow)), 0) > %s FROM change_log WHERE seq >"
        " (SELECT max(through_seq) FROM copy_snapshot WHERE schema_version = %s)",
        [SNAPSHOT_STALE_BYTES, latest_schema_version()]).fetchone()[0]


def _usable_position(pg: psycopg.Connection, parts: list[tuple], names: list[str]) -> int | None:
    """The change-log position of the snapshot `parts`, or None when it cannot be used."""
    if sorted(part[0] for part in parts) != sorted(names):
        return None
    positions = {part[1] for part in parts}
    versions = {part[2] for part in parts}
    if len(positions) != 1 or versions != {latest_schema_version()}:
        return None
    [seq] = positions
    pruned = pg.execute("SELECT through_seq FROM change_log_pruned").fetchone()[0]
    return seq if pruned <= seq else None


def write_snapshot(pg: psycopg.Connection, tables: list[tuple[str, int, bytes]], seq: int) -> None:
    """Make `tables` (`parquet_tables` of a copy holding the store as at change-log position
    `seq`) the store's snapshot, in one PostgreSQL transaction (a savepoint inside the caller's),
    unless another process wrote a later one. A failure is logged, not raised: the snapshot
    only makes the next load faster."""
    version = latest_schema_version()
    rows = [(name, seq, version, count, parquet) for name, count, parquet in tables]
    try:
        with pg.transaction():
            pg.execute("SELECT pg_advisory_xact_lock(%s)", [SNAPSHOT_LOCK])
            newest = pg.execute("SELECT max(through_seq) FROM copy_snapshot"
                                " WHERE schema_version = %s", [version]).fetchone()[0]
            if newest is not None and newest > seq:
                return
            pg.execute("DELETE FROM copy_snapshot")
            with pg.cursor() as cur:
                cur.executemany("INSERT INTO copy_snapshot (table_name, through_seq,"
                                " schema_version, row_count, parquet) VALUES (%s, %s, %s, %s, %s)",
                                rows)
    except psycopg.Error as exc:
        LOG.warning("could not write the snapshot of the store: %s", str(exc).strip())


def parquet_tables(mirror: duckdb.DuckDBPyConnection) -> list[tuple[str, int, bytes]]:
    """(table, rows, zstd Parquet bytes) of every store table of `mirror` (a process's copy, or
    an embedded file being copied into PostgreSQL), read in one DuckDB transaction so that they
    agree with one another."""
    cur = mirror.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        with tempfile.TemporaryDirectory(prefix="workplan-snapshot-") as folder:
            path = Path(folder) / "table.parquet"
            tables = []
            for name in store_tables(cur):
                [(count,)] = cur.execute(
                    f"COPY (SELECT * FROM {quoted(name)}) TO $path"
                    " (FORMAT parquet, COMPRESSION zstd)", {"path": str(path)}).fetchall()
                tables.append((name, count, path.read_bytes()))
        cur.execute("COMMIT")
        return tables
    finally:
        cur.close()


def row_counts(cur: duckdb.DuckDBPyConnection, names: Sequence[str]) -> dict[str, int]:
    """Rows in each of the tables `names` (of our schema) of a DuckDB copy."""
    query = " UNION ALL ".join(f"SELECT ? AS t, count(*) FROM {quoted(name)}" for name in names)
    return dict(cur.execute(query, list(names)).fetchall())


def postgres_row_counts(pg: psycopg.Connection, names: Sequence[str]) -> dict[str, int]:
    """Rows in each of the tables `names` (of our schema) in PostgreSQL."""
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT %s::text, count(*) FROM {}").format(sql.Identifier(name)) for name in names)
    return dict(pg.execute(query, list(names)).fetchall())
