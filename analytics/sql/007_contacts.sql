-- Work-Plan Pulse schema, version 7: whom to write to about each owner's items.
-- Idempotent: every statement can run again on an existing database.
-- Written only by analytics/contacts/ (`workplan contacts`, the Contacts page); read by the
-- reminder mail (analytics.contacts.plan_contacts). Every change is also a line in audit_log.
--
-- A plan's contact list is versioned: every change (a sheet imported, a row edited or removed
-- on the page, an import undone) is one row of contact_uploads and writes the whole list as it
-- stands after the change into contact_history, so undoing an import restores the list of the
-- version before it. contacts holds the current list. contact_uploads is its own table: the
-- `uploads` audit log allows items, milestones, updates and revert only.

-- One row per change to a plan's list. kind: import (a sheet; the sheet is the whole list),
-- edit or remove (one row, on the page), undo (an import taken back: reverted_at/by are set on
-- that import). rows: how many contacts the list holds after the change.
CREATE TABLE IF NOT EXISTS contact_uploads (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('import', 'edit', 'remove', 'undo')),
    filename    VARCHAR,                              -- import: the sheet's name
    sha256      VARCHAR,                              -- import: of the sheet's bytes
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,                   -- UTC
    rows        INTEGER NOT NULL DEFAULT 0 CHECK (rows >= 0),
    outcome     VARCHAR NOT NULL,                     -- what changed, in words
    reverted_at TIMESTAMP,                            -- import: when it was undone
    reverted_by VARCHAR
);

-- The current list: one row per owner of the plan (the owner spelt as in the items sheet).
-- upload_id: the change that last gave the row its values.
CREATE TABLE IF NOT EXISTS contacts (
    plan_id          INTEGER NOT NULL,
    owner            VARCHAR NOT NULL,
    email            VARCHAR NOT NULL,
    party            VARCHAR,                         -- NULL: any party
    escalation_email VARCHAR,                         -- NULL: nobody is copied
    upload_id        INTEGER NOT NULL,
    PRIMARY KEY (plan_id, owner)
);

-- The whole list after each change (append-only). row_number: the sheet's row of an import.
CREATE TABLE IF NOT EXISTS contact_history (
    plan_id          INTEGER NOT NULL,
    upload_id        INTEGER NOT NULL,
    row_number       INTEGER,
    owner            VARCHAR NOT NULL,
    email            VARCHAR NOT NULL,
    party            VARCHAR,
    escalation_email VARCHAR,
    recorded_at      TIMESTAMP NOT NULL               -- UTC
);

-- A plan's contact imports that can still be undone (not undone yet), newest first by id.
CREATE OR REPLACE MACRO undoable_contact_imports(plan) AS TABLE
SELECT * FROM contact_uploads WHERE plan_id = plan AND kind = 'import' AND reverted_at IS NULL;
