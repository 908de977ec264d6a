-- Work-Plan Pulse PostgreSQL schema, version 4: a meeting's key messages and decisions sought
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

CREATE TABLE IF NOT EXISTS briefing_notes (
    plan_id            INTEGER NOT NULL,
    meeting_date       DATE NOT NULL,
    key_messages       TEXT NOT NULL DEFAULT '',
    decisions          TEXT NOT NULL DEFAULT '',
    updated_by         TEXT NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, meeting_date)
);
