-- Work-Plan Pulse PostgreSQL schema, version 2: accounts and sign-in throttling
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

CREATE TABLE IF NOT EXISTS users (
    name               TEXT NOT NULL,
    role               TEXT,
    password_hash      TEXT,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP,
    last_sign_in_at    TIMESTAMP,
    PRIMARY KEY (name)
);

CREATE TABLE IF NOT EXISTS sign_in_failures (
    name               TEXT NOT NULL,
    failed_attempts    INTEGER NOT NULL DEFAULT 0,
    last_failed_at     TIMESTAMP NOT NULL,
    locked_until       TIMESTAMP,
    PRIMARY KEY (name)
);
