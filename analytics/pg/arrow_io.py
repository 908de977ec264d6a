"""Rows between PostgreSQL and Arrow, in bulk.

Why: the in-memory DuckDB copy of a PostgreSQL store is loaded and kept up to date as
Arrow tables (DuckDB reads Arrow without a copy), and what a write changed goes back
to PostgreSQL the same way. Reading uses the ADBC PostgreSQL driver (COPY in binary,
typed columns, no Python loop per row); writing uses psycopg 3's COPY with the rows
written as CSV by Arrow's C++ writer (NULL is an empty field, an empty string a quoted
one, so the two stay apart).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import adbc_driver_postgresql.dbapi as adbc
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import sql

_CSV = pacsv.WriteOptions(include_header=False, quoting_style="needed")


def fetch_arrow(url: str, query: str) -> pa.Table:
    """The result of `query` (our own SQL, no user values) as an Arrow table."""
    with adbc.connect(url) as connection, connection.cursor() as cur:
        return _without_metadata(stream_arrow_on(cur, query).read_all())


def stream_arrow_on(cur, query: str) -> pa.RecordBatchReader:
    """The result of `query` on an open ADBC cursor as a stream of record batches, read as
    the consumer asks for them (valid until the cursor runs another query)."""
    cur.execute(query)
    return cur.fetch_record_batch()


def open_arrow_reader(url: str):
    """An ADBC connection for several `stream_arrow_on` reads (close it when done)."""
    return adbc.connect(url)


def copy_arrow(cur: psycopg.Cursor, table: str, data: pa.Table) -> None:
    """Append the rows of `data` to `table` (a name from our schema) with COPY; the columns
    are the Arrow schema's names."""
    if not data.num_rows:
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, data.column_names)))
    with cur.copy(statement) as copy:
        for chunk in csv_chunks(data):
            copy.write(chunk)


def csv_chunks(data: pa.Table, rows_per_chunk: int = 100_000) -> Iterable[bytes]:
    """The rows as CSV bytes in chunks (bounded memory for a million-row upload)."""
    for start in range(0, data.num_rows, rows_per_chunk):
        buffer = io.BytesIO()
        pacsv.write_csv(data.slice(start, rows_per_chunk), buffer, _CSV)
        yield buffer.getvalue()


def _without_metadata(table: pa.Table) -> pa.Table:
    """Drop the driver's per-field metadata (PostgreSQL type names), which DuckDB ignores but
    Arrow compares in equality checks."""
    return table.replace_schema_metadata(None).cast(
        pa.schema([field.remove_metadata() for field in table.schema]))
