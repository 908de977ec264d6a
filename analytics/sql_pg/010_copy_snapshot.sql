-- Work-Plan Pulse PostgreSQL schema, version 10: a compact snapshot of every store table, from which a process loads its copy
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.
-- Written and read by analytics/pg/snapshot.py. The store's tables stay the system of record:
-- one row per store table, all at one change-log position (`through_seq`), the table as a
-- zstd Parquet file written by DuckDB; a process that cannot use it loads the tables.
CREATE TABLE IF NOT EXISTS copy_snapshot (
    table_name      TEXT PRIMARY KEY,
    through_seq     BIGINT NOT NULL,
    schema_version  INTEGER NOT NULL,
    row_count       BIGINT NOT NULL,
    written_at      TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    parquet         BYTEA NOT NULL
);
-- Parquet is compressed already: keep PostgreSQL from compressing it again on every write.
ALTER TABLE copy_snapshot ALTER COLUMN parquet SET STORAGE EXTERNAL;
