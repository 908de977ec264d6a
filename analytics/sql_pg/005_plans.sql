-- Work-Plan Pulse PostgreSQL schema, version 5: several plans in one store
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

CREATE TABLE IF NOT EXISTS plans (
    id                 INTEGER NOT NULL,
    code               TEXT NOT NULL,
    title              TEXT NOT NULL,
    parties            TEXT NOT NULL DEFAULT '',
    start_date         DATE,
    end_date           DATE,
    sample             BOOLEAN NOT NULL DEFAULT false,
    data_version       BIGINT NOT NULL DEFAULT 0,
    created_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (code)
);
