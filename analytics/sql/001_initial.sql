-- Work-Plan Pulse schema, version 1.
-- Idempotent: every statement can run again on an existing database.
-- Analysts query these tables directly; their names and columns are an interface.

CREATE TABLE IF NOT EXISTS plan_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS data_version (
    version BIGINT NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS upload_id_seq START 1;

-- The audit log of every upload (and of every revert, as kind 'revert').
CREATE TABLE IF NOT EXISTS uploads (
    id                INTEGER PRIMARY KEY DEFAULT nextval('upload_id_seq'),
    kind              VARCHAR NOT NULL CHECK (kind IN ('items', 'milestones', 'updates', 'revert')),
    filename          VARCHAR NOT NULL,
    sha256            VARCHAR,
    uploaded_by       VARCHAR NOT NULL,
    uploaded_at       TIMESTAMP NOT NULL,            -- UTC
    rows_accepted     INTEGER NOT NULL DEFAULT 0 CHECK (rows_accepted >= 0),
    rows_rejected     INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    outcome           VARCHAR NOT NULL CHECK (outcome IN ('committed', 'partial', 'refused')),
    message           VARCHAR,
    reverts_upload_id INTEGER,                       -- set on kind = 'revert'
    reverted_at       TIMESTAMP,                     -- set when this upload was reverted
    reverted_by       VARCHAR
);

-- Rows refused by an upload committed with --skip-invalid (kept with the upload).
CREATE TABLE IF NOT EXISTS upload_rejects (
    upload_id   INTEGER NOT NULL,
    row_number  INTEGER,                             -- as seen in a spreadsheet, header = 1
    column_name VARCHAR,
    message     VARCHAR NOT NULL,
    raw         VARCHAR
);

CREATE TABLE IF NOT EXISTS domains (
    name        VARCHAR PRIMARY KEY,
    description VARCHAR,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

-- Current view of the plan: one row per item, rebuilt from work_item_history.
CREATE TABLE IF NOT EXISTS work_items (
    item_id           VARCHAR PRIMARY KEY,
    domain            VARCHAR NOT NULL,
    title             VARCHAR NOT NULL,
    lead_party        VARCHAR NOT NULL,
    owner             VARCHAR NOT NULL,
    start_date        DATE NOT NULL,
    due_date          DATE NOT NULL,
    baseline_due_date DATE NOT NULL,                 -- the first due date recorded
    weight            DOUBLE NOT NULL DEFAULT 1 CHECK (weight >= 0),
    description       VARCHAR,
    upload_id         INTEGER NOT NULL,
    CHECK (due_date >= start_date)
);

-- Every version of every item, as uploaded (append-only).
CREATE TABLE IF NOT EXISTS work_item_history (
    upload_id   INTEGER NOT NULL,
    row_number  INTEGER,
    recorded_at TIMESTAMP NOT NULL,
    item_id     VARCHAR NOT NULL,
    domain      VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    lead_party  VARCHAR NOT NULL,
    owner       VARCHAR NOT NULL,
    start_date  DATE NOT NULL,
    due_date    DATE NOT NULL,
    weight      DOUBLE NOT NULL DEFAULT 1 CHECK (weight >= 0),
    description VARCHAR
);

-- Current view of milestones, rebuilt from milestone_history.
CREATE TABLE IF NOT EXISTS milestones (
    milestone_id   VARCHAR PRIMARY KEY,
    item_id        VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    due_date       DATE NOT NULL,
    baseline_date  DATE NOT NULL,                    -- the first due date recorded
    completed_date DATE,
    upload_id      INTEGER NOT NULL
);

-- Every recorded version of every milestone and its dates (append-only);
-- the milestone trend chart reads due_date by recorded_at.
CREATE TABLE IF NOT EXISTS milestone_history (
    upload_id      INTEGER NOT NULL,
    row_number     INTEGER,
    recorded_at    TIMESTAMP NOT NULL,
    milestone_id   VARCHAR NOT NULL,
    item_id        VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    due_date       DATE NOT NULL,
    completed_date DATE,
    baseline_date  DATE                              -- as given in the file, if any
);

-- Status reports, append-only. The current view is current_status_updates.
CREATE TABLE IF NOT EXISTS status_updates (
    item_id          VARCHAR NOT NULL,
    as_of            DATE NOT NULL,
    percent_complete DOUBLE NOT NULL CHECK (percent_complete BETWEEN 0 AND 100),
    status           VARCHAR NOT NULL
                     CHECK (status IN ('green', 'amber', 'red', 'complete', 'not_started')),
    note             VARCHAR,
    reported_by      VARCHAR,
    party            VARCHAR,
    upload_id        INTEGER NOT NULL,
    row_number       INTEGER
);

-- Who did what: uploads, reverts, exports, sign-ins.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    id       BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    occurred_at TIMESTAMP NOT NULL,                  -- UTC
    username VARCHAR NOT NULL,
    action   VARCHAR NOT NULL,
    detail   VARCHAR
);

-- One row per (item, as_of): the report from the latest non-reverted upload.
CREATE OR REPLACE VIEW current_status_updates AS
SELECT item_id, as_of, percent_complete, status, note, reported_by, party, upload_id, row_number
FROM (
    SELECT s.*,
           row_number() OVER (PARTITION BY s.item_id, s.as_of
                              ORDER BY s.upload_id DESC, s.row_number DESC NULLS LAST) AS rn
    FROM status_updates AS s
    JOIN uploads AS u ON u.id = s.upload_id
    WHERE u.reverted_at IS NULL
)
WHERE rn = 1;
