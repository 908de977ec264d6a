"""Every column of every store table keeps its type through the snapshot's Parquet.

A PostgreSQL store's processes load their copies from Parquet files DuckDB wrote
(analytics/pg/snapshot.py). Parquet has no type for some of DuckDB's (HUGEINT becomes DOUBLE,
losing digits), so a migration that adds such a column must fail here, not in production.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from analytics.pg.changes import quoted
from analytics.pg.snapshot import parquet_tables
from analytics.store import migrate


def column_types(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in
            con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]


def test_every_store_column_keeps_its_type_through_parquet():
    mirror = duckdb.connect(":memory:")
    migrate(mirror)
    tables = parquet_tables(mirror)
    assert len(tables) > 15
    with tempfile.TemporaryDirectory() as folder:
        for name, rows, parquet in tables:
            path = Path(folder) / f"{name}.parquet"
            path.write_bytes(parquet)
            expected = column_types(mirror, quoted(name))
            assert column_types(mirror, f"read_parquet('{path}')") == expected, name
            assert rows == mirror.execute(f"SELECT count(*) FROM {quoted(name)}").fetchall()[0][0]
