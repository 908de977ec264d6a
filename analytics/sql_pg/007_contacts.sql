-- Work-Plan Pulse PostgreSQL schema, version 7: the owners' contact list
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

CREATE TABLE IF NOT EXISTS contact_uploads (
    id                 INTEGER NOT NULL,
    plan_id            INTEGER NOT NULL,
    kind               TEXT NOT NULL,
    filename           TEXT,
    sha256             TEXT,
    uploaded_by        TEXT NOT NULL,
    uploaded_at        TIMESTAMP NOT NULL,
    rows               INTEGER NOT NULL DEFAULT 0,
    outcome            TEXT NOT NULL,
    reverted_at        TIMESTAMP,
    reverted_by        TEXT,
    PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS contacts (
    plan_id            INTEGER NOT NULL,
    owner              TEXT NOT NULL,
    email              TEXT NOT NULL,
    party              TEXT,
    escalation_email   TEXT,
    upload_id          INTEGER NOT NULL,
    PRIMARY KEY (plan_id, owner)
);

CREATE TABLE IF NOT EXISTS contact_history (
    plan_id            INTEGER NOT NULL,
    upload_id          INTEGER NOT NULL,
    row_number         INTEGER,
    owner              TEXT NOT NULL,
    email              TEXT NOT NULL,
    party              TEXT,
    escalation_email   TEXT,
    recorded_at        TIMESTAMP NOT NULL
);
