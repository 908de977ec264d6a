"""Moving a whole store between an embedded DuckDB file and PostgreSQL.

Why: a programme office that outgrows one process moves its file into PostgreSQL
(`workplan copy --to postgresql://...`), and can take a PostgreSQL store back into a
file (`workplan copy --from URL --to FILE`) for a backup or a laptop. Every table moves
as it is (all plans, uploads, history, accounts, audit). The target must be empty, and
the copy is one transaction there: all of it lands or none, with the store's snapshot
(analytics.pg.snapshot) written from the file, so the first process to start loads that.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import psycopg
import pyarrow as pa

from analytics.errors import UsageError
from analytics.pg.arrow_io import copy_arrow
from analytics.pg.changes import store_tables
from analytics.pg.schema import migrate_postgres
from analytics.pg.snapshot import parquet_tables, postgres_row_counts, row_counts, write_snapshot
from analytics.pg.store import WRITER_LOCK, open_postgres_store
from analytics.pg.url import redacted
from analytics.store import Store, open_store

HOLDS_DATA = ("plans", "users", "work_items", "uploads", "audit_log")


def store_contents(store: Store) -> dict[str, pa.Table]:
    """Every table of `store`, as Arrow."""
    cur = store.cursor()
    return {name: cur.sql(f'SELECT * FROM "{name}"').to_arrow_table()
            for name in store_tables(cur)}


def copy_file_to_postgres(path: str | Path, url: str) -> dict[str, int]:
    """Copy the DuckDB store at `path` into the empty PostgreSQL store at `url`; return the
    rows copied per table."""
    with open_store(path) as source:
        tables = store_contents(source)
        snapshot = parquet_tables(source.cursor())
    with psycopg.connect(url) as pg:
        migrate_postgres(pg)
        with pg.transaction(), pg.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
            _refuse_unless_empty(postgres_row_counts(pg, HOLDS_DATA).values(), redacted(url))
            cur.execute("DELETE FROM data_version")
            cur.execute("DELETE FROM copy_snapshot")        # one left by an earlier store
            for name, rows in tables.items():
                copy_arrow(cur, name, rows)
            cur.execute("SELECT coalesce(max(seq), 0) FROM change_log")
            write_snapshot(pg, snapshot, cur.fetchone()[0])   # the first process starts from it
    return {name: rows.num_rows for name, rows in tables.items()}


def copy_postgres_to_file(url: str, path: str | Path) -> dict[str, int]:
    """Copy the PostgreSQL store at `url` into the DuckDB file `path` (new or empty)."""
    with open_postgres_store(url) as source:
        tables = store_contents(source)
    with open_store(path) as target, target.transaction() as cur:
        _refuse_unless_empty(row_counts(cur, HOLDS_DATA).values(), str(path))
        for name, rows in tables.items():
            cur.execute(f'DELETE FROM "{name}"')
            cur.register("_copied", rows)
            cur.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _copied')
            cur.unregister("_copied")
    return {name: rows.num_rows for name, rows in tables.items()}


def _refuse_unless_empty(counts: Iterable[int], where: str) -> None:
    if any(counts):
        raise UsageError(f"{where} already holds a store (plans, accounts or uploads); copy into "
                         "an empty database. Nothing was copied.")
