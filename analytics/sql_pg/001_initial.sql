-- Work-Plan Pulse PostgreSQL schema, version 1: the plan's items, milestones, status reports, uploads and audit log, and the change log the processes share
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.
-- No PostgreSQL store existed before version 9, so each table is created here in the shape it
-- has at the latest version (plan_id included; DuckDB's plan_info, dropped by its 005, is not
-- needed). audit_log.id has no sequence: ids are the next after the highest (analytics/writes.py).

CREATE TABLE IF NOT EXISTS data_version (
    version            BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS uploads (
    id                 INTEGER NOT NULL,
    plan_id            INTEGER NOT NULL,
    kind               TEXT NOT NULL,
    filename           TEXT NOT NULL,
    sha256             TEXT,
    uploaded_by        TEXT NOT NULL,
    uploaded_at        TIMESTAMP NOT NULL,
    rows_accepted      INTEGER NOT NULL DEFAULT 0,
    rows_rejected      INTEGER NOT NULL DEFAULT 0,
    outcome            TEXT NOT NULL,
    message            TEXT,
    reverts_upload_id  INTEGER,
    reverted_at        TIMESTAMP,
    reverted_by        TEXT,
    PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS upload_rejects (
    plan_id            INTEGER NOT NULL,
    upload_id          INTEGER NOT NULL,
    row_number         INTEGER,
    column_name        TEXT,
    message            TEXT NOT NULL,
    raw                TEXT
);

CREATE TABLE IF NOT EXISTS domains (
    plan_id            INTEGER NOT NULL,
    name               TEXT NOT NULL,
    description        TEXT,
    sort_order         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, name)
);

CREATE TABLE IF NOT EXISTS work_items (
    plan_id            INTEGER NOT NULL,
    item_id            TEXT NOT NULL,
    domain             TEXT NOT NULL,
    title              TEXT NOT NULL,
    lead_party         TEXT NOT NULL,
    owner              TEXT NOT NULL,
    start_date         DATE NOT NULL,
    due_date           DATE NOT NULL,
    baseline_due_date  DATE NOT NULL,
    weight             DOUBLE PRECISION NOT NULL DEFAULT 1,
    description        TEXT,
    upload_id          INTEGER NOT NULL,
    PRIMARY KEY (plan_id, item_id)
);

CREATE TABLE IF NOT EXISTS work_item_history (
    plan_id            INTEGER NOT NULL,
    upload_id          INTEGER NOT NULL,
    row_number         INTEGER,
    recorded_at        TIMESTAMP NOT NULL,
    item_id            TEXT NOT NULL,
    domain             TEXT NOT NULL,
    title              TEXT NOT NULL,
    lead_party         TEXT NOT NULL,
    owner              TEXT NOT NULL,
    start_date         DATE NOT NULL,
    due_date           DATE NOT NULL,
    weight             DOUBLE PRECISION NOT NULL DEFAULT 1,
    description        TEXT
);

CREATE TABLE IF NOT EXISTS milestones (
    plan_id            INTEGER NOT NULL,
    milestone_id       TEXT NOT NULL,
    item_id            TEXT NOT NULL,
    title              TEXT NOT NULL,
    due_date           DATE NOT NULL,
    baseline_date      DATE NOT NULL,
    completed_date     DATE,
    upload_id          INTEGER NOT NULL,
    PRIMARY KEY (plan_id, milestone_id)
);

CREATE TABLE IF NOT EXISTS milestone_history (
    plan_id            INTEGER NOT NULL,
    upload_id          INTEGER NOT NULL,
    row_number         INTEGER,
    recorded_at        TIMESTAMP NOT NULL,
    milestone_id       TEXT NOT NULL,
    item_id            TEXT NOT NULL,
    title              TEXT NOT NULL,
    due_date           DATE NOT NULL,
    completed_date     DATE,
    baseline_date      DATE
);

CREATE TABLE IF NOT EXISTS status_updates (
    plan_id            INTEGER NOT NULL,
    item_id            TEXT NOT NULL,
    as_of              DATE NOT NULL,
    percent_complete   DOUBLE PRECISION NOT NULL,
    status             TEXT NOT NULL,
    note               TEXT,
    reported_by        TEXT,
    party              TEXT,
    upload_id          INTEGER NOT NULL,
    row_number         INTEGER
);

CREATE TABLE IF NOT EXISTS audit_log (
    id                 BIGINT NOT NULL,
    occurred_at        TIMESTAMP NOT NULL,
    username           TEXT NOT NULL,
    action             TEXT NOT NULL,
    detail             TEXT,
    plan_id            INTEGER,
    PRIMARY KEY (id)
);
INSERT INTO data_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM data_version);

-- What each write changed, as Arrow rows, so every process's in-memory copy can replay it
-- (analytics/pg/replay.py). Entries older than a day are pruned; a copy older than
-- change_log_pruned.through_seq reloads everything.
CREATE TABLE IF NOT EXISTS change_log (
    seq                BIGSERIAL PRIMARY KEY,
    logged_at          TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    table_name         TEXT NOT NULL,
    op                 TEXT NOT NULL CHECK (op IN ('delete', 'insert')),
    rows_arrow         BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS change_log_pruned (
    through_seq        BIGINT NOT NULL
);
INSERT INTO change_log_pruned SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM change_log_pruned);
