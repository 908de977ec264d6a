-- Work-Plan Pulse PostgreSQL schema, version 8: the log of reminders and digests sent
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

CREATE TABLE IF NOT EXISTS sent_mail (
    plan_id            INTEGER NOT NULL,
    kind               TEXT NOT NULL,
    key                TEXT NOT NULL,
    period             TEXT NOT NULL,
    recipients         TEXT NOT NULL,
    subject            TEXT NOT NULL,
    message_id         TEXT,
    sent_at            TIMESTAMP NOT NULL,
    outcome            TEXT NOT NULL,
    error              TEXT,
    sent_mark          BOOLEAN,
    UNIQUE (plan_id, kind, key, period, sent_mark)
);
