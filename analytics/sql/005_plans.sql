-- Work-Plan Pulse schema, version 5: several work plans in one store.
-- Every plan table carries plan_id (a row of `plans`); item, milestone and domain names are
-- unique within a plan, not across plans. A database built by version 4 becomes plan 1
-- (code 'main', its title, parties and sample flag from plan_info) with nothing lost.
-- Re-runnable: each table is rebuilt from itself (columns added IF NOT EXISTS first), so a
-- second run gives the same database.
--
-- The rules every figure shares are written once, here, as views and macros the metric
-- queries build on (definitions: analytics/METRICS.md, "Items"); version 3 held their
-- single-plan form. The plan scope is the first argument of every macro. No other SQL file
-- may restate these rules (tests/unit/test_sql_rules.py checks it).

-- One row per plan. parties: the plan's parties in order, comma-separated. data_version: bumped
-- by every committed write to the plan (its cached views key on it; other plans keep theirs).
CREATE TABLE IF NOT EXISTS plans (
    id           INTEGER PRIMARY KEY,
    code         VARCHAR NOT NULL UNIQUE,
    title        VARCHAR NOT NULL,
    parties      VARCHAR NOT NULL DEFAULT '',
    start_date   DATE,
    end_date     DATE,
    sample       BOOLEAN NOT NULL DEFAULT false,
    data_version BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL                   -- UTC
);

CREATE TABLE IF NOT EXISTS plan_info (key VARCHAR PRIMARY KEY, value VARCHAR);

-- One-off: a store that already holds a plan (any upload, or recorded plan facts) gets plan 1.
INSERT INTO plans (id, code, title, parties, sample, data_version, created_at)
SELECT 1, 'main',
       coalesce((SELECT value FROM plan_info WHERE key = 'title'), 'Work plan'),
       coalesce((SELECT value FROM plan_info WHERE key = 'parties'), ''),
       coalesce((SELECT value FROM plan_info WHERE key = 'sample'), '') = 'true',
       coalesce((SELECT max(version) FROM data_version), 0),
       coalesce((SELECT min(uploaded_at) FROM uploads), now()::TIMESTAMP)
WHERE NOT EXISTS (SELECT 1 FROM plans)
  AND (EXISTS (SELECT 1 FROM uploads) OR EXISTS (SELECT 1 FROM plan_info));
DROP TABLE plan_info;

-- Each table gains plan_id (existing rows: plan 1), then is rebuilt with the plan in its key.
ALTER TABLE domains ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE domains_v5 (
    plan_id     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    description VARCHAR,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, name)
);
INSERT INTO domains_v5 SELECT plan_id, name, description, sort_order FROM domains;
DROP TABLE domains;
ALTER TABLE domains_v5 RENAME TO domains;

ALTER TABLE work_items ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE work_items_v5 (
    plan_id           INTEGER NOT NULL,
    item_id           VARCHAR NOT NULL,
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
    PRIMARY KEY (plan_id, item_id),
    CHECK (due_date >= start_date)
);
INSERT INTO work_items_v5
SELECT plan_id, item_id, domain, title, lead_party, owner, start_date, due_date,
       baseline_due_date, weight, description, upload_id
FROM work_items;
DROP TABLE work_items;
ALTER TABLE work_items_v5 RENAME TO work_items;

ALTER TABLE work_item_history ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE work_item_history_v5 (
    plan_id     INTEGER NOT NULL,
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
INSERT INTO work_item_history_v5
SELECT plan_id, upload_id, row_number, recorded_at, item_id, domain, title, lead_party, owner,
       start_date, due_date, weight, description
FROM work_item_history;
DROP TABLE work_item_history;
ALTER TABLE work_item_history_v5 RENAME TO work_item_history;

ALTER TABLE milestones ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE milestones_v5 (
    plan_id        INTEGER NOT NULL,
    milestone_id   VARCHAR NOT NULL,
    item_id        VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    due_date       DATE NOT NULL,
    baseline_date  DATE NOT NULL,                    -- the first due date recorded
    completed_date DATE,
    upload_id      INTEGER NOT NULL,
    PRIMARY KEY (plan_id, milestone_id)
);
INSERT INTO milestones_v5
SELECT plan_id, milestone_id, item_id, title, due_date, baseline_date, completed_date, upload_id
FROM milestones;
DROP TABLE milestones;
ALTER TABLE milestones_v5 RENAME TO milestones;

ALTER TABLE milestone_history ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE milestone_history_v5 (
    plan_id        INTEGER NOT NULL,
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
INSERT INTO milestone_history_v5
SELECT plan_id, upload_id, row_number, recorded_at, milestone_id, item_id, title, due_date,
       completed_date, baseline_date
FROM milestone_history;
DROP TABLE milestone_history;
ALTER TABLE milestone_history_v5 RENAME TO milestone_history;

ALTER TABLE status_updates ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE status_updates_v5 (
    plan_id          INTEGER NOT NULL,
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
INSERT INTO status_updates_v5
SELECT plan_id, item_id, as_of, percent_complete, status, note, reported_by, party, upload_id,
       row_number
FROM status_updates ORDER BY rowid;
DROP TABLE status_updates;
ALTER TABLE status_updates_v5 RENAME TO status_updates;

ALTER TABLE uploads ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE uploads_v5 (
    id                INTEGER PRIMARY KEY,           -- the next after the highest, in any plan
    plan_id           INTEGER NOT NULL,
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
INSERT INTO uploads_v5
SELECT id, plan_id, kind, filename, sha256, uploaded_by, uploaded_at, rows_accepted,
       rows_rejected, outcome, message, reverts_upload_id, reverted_at, reverted_by
FROM uploads;
DROP TABLE uploads;
ALTER TABLE uploads_v5 RENAME TO uploads;

ALTER TABLE upload_rejects ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE upload_rejects_v5 (
    plan_id     INTEGER NOT NULL,
    upload_id   INTEGER NOT NULL,
    row_number  INTEGER,                             -- as seen in a spreadsheet, header = 1
    column_name VARCHAR,
    message     VARCHAR NOT NULL,
    raw         VARCHAR
);
INSERT INTO upload_rejects_v5
SELECT plan_id, upload_id, row_number, column_name, message, raw FROM upload_rejects;
DROP TABLE upload_rejects;
ALTER TABLE upload_rejects_v5 RENAME TO upload_rejects;

ALTER TABLE briefing_notes ADD COLUMN IF NOT EXISTS plan_id INTEGER DEFAULT 1;
CREATE OR REPLACE TABLE briefing_notes_v5 (
    plan_id      INTEGER NOT NULL,
    meeting_date DATE NOT NULL,
    key_messages VARCHAR NOT NULL DEFAULT '',
    decisions    VARCHAR NOT NULL DEFAULT '',
    updated_by   VARCHAR NOT NULL,
    updated_at   TIMESTAMP NOT NULL,                  -- UTC
    PRIMARY KEY (plan_id, meeting_date)
);
INSERT INTO briefing_notes_v5
SELECT plan_id, meeting_date, key_messages, decisions, updated_by, updated_at FROM briefing_notes;
DROP TABLE briefing_notes;
ALTER TABLE briefing_notes_v5 RENAME TO briefing_notes;

-- The audit log names the plan an action was about (NULL: accounts, sign-ins, the store).
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS plan_id INTEGER;

-- ---------------------------------------------------------------------------------------
-- The rules every figure shares. The plan scope: a row belongs to plan p when plan_id = p.

-- The items a view shows: the plan's items passing the filters (an empty list = no filter on
-- that field), each with its domain's sort order.
CREATE OR REPLACE MACRO view_items(plan, domains, parties, owners) AS TABLE
SELECT i.*, coalesce(d.sort_order, 0) AS domain_order
FROM work_items AS i
LEFT JOIN domains AS d ON d.plan_id = i.plan_id AND d.name = i.domain
WHERE i.plan_id = plan
  AND (len(domains) = 0 OR list_contains(domains, i.domain))
  AND (len(parties) = 0 OR list_contains(parties, i.lead_party))
  AND (len(owners) = 0 OR list_contains(owners, i.owner));

-- The plan's current milestones, and its domains.
CREATE OR REPLACE MACRO plan_milestones(plan) AS TABLE
SELECT * FROM milestones WHERE plan_id = plan;

CREATE OR REPLACE MACRO plan_domains(plan) AS TABLE
SELECT * FROM domains WHERE plan_id = plan;

-- Which of two reports by the same party on the same item is the newer: the later as_of, then
-- the later upload, then the later row of the file, packed into one HUGEINT
-- (days << 64 | upload_id << 32 | row_number + 2^31) so one arg_max picks the winner.
CREATE OR REPLACE MACRO report_rank(as_of, upload_id, row_number) AS
    CAST(date_diff('day', DATE '1970-01-01', as_of) AS HUGEINT) * 18446744073709551616
    + CAST(upload_id AS HUGEINT) * 4294967296
    + (coalesce(row_number, -2147483648) + 2147483648);

-- Uploads that count: every upload not reverted (reports, item and milestone versions of a
-- reverted upload never count), in every plan; plan_uploads(p) is one plan's.
CREATE OR REPLACE VIEW live_uploads AS
SELECT * FROM uploads WHERE reverted_at IS NULL;

CREATE OR REPLACE MACRO plan_uploads(plan) AS TABLE
SELECT * FROM live_uploads WHERE plan_id = plan;

-- The plan's recorded milestone versions from live uploads (the milestone trend).
CREATE OR REPLACE MACRO plan_milestone_versions(plan) AS TABLE
SELECT h.* FROM milestone_history AS h
WHERE h.plan_id = plan AND h.upload_id IN (SELECT id FROM plan_uploads(plan));

-- Reports that count: every report of a live upload, in every plan. report_id is the row's
-- rowid (a winner is fetched back by it); party_key is the party, '' when none.
CREATE OR REPLACE VIEW live_reports AS
SELECT s.rowid AS report_id, s.plan_id, s.item_id, s.as_of, s.percent_complete, s.status, s.note,
       s.reported_by, s.party, coalesce(s.party, '') AS party_key, s.upload_id, s.row_number,
       report_rank(s.as_of, s.upload_id, s.row_number) AS report_rank
FROM status_updates AS s
WHERE s.upload_id IN (SELECT id FROM live_uploads);

CREATE OR REPLACE MACRO plan_reports(plan) AS TABLE
SELECT * FROM live_reports WHERE plan_id = plan;

-- The current report per (item, party, as_of): the newest live one. A re-upload by the same
-- party for the same date replaces; another party's report on that date stands beside it.
CREATE OR REPLACE VIEW current_reports AS
SELECT * FROM live_reports
QUALIFY row_number() OVER (PARTITION BY plan_id, item_id, party_key, as_of
                           ORDER BY report_rank DESC) = 1;

CREATE OR REPLACE MACRO plan_current_reports(plan) AS TABLE
SELECT * FROM plan_reports(plan)
QUALIFY row_number() OVER (PARTITION BY item_id, party_key, as_of ORDER BY report_rank DESC) = 1;

-- The same, with the columns analysts query (an interface since version 1; plan_id since 5).
CREATE OR REPLACE VIEW current_status_updates AS
SELECT plan_id, item_id, as_of, percent_complete, status, note, reported_by, party, upload_id,
       row_number
FROM current_reports;

-- Each party's latest report on each item of the plan as of d.
CREATE OR REPLACE MACRO party_reports_as_of(plan, d) AS TABLE
SELECT l.*
FROM plan_reports(plan) AS l
SEMI JOIN (SELECT arg_max(report_id, report_rank) AS winner
           FROM plan_reports(plan) WHERE as_of <= d GROUP BY item_id, party_key) AS w
     ON w.winner = l.report_id;

-- Among one item's party reports (each party's latest as of a date), the one that gives the
-- item its progress is the smallest key: for a joint item (lead party 'Joint') the lowest
-- percent complete (a joint commitment is as far along as the less advanced party says);
-- otherwise, and between equal percents, the latest as_of, the lead party's report on a
-- shared date, the newest.
CREATE OR REPLACE MACRO counting_order(lead_party, party, percent_complete, as_of, report_rank) AS
    {'lowest': CASE WHEN lead_party = 'Joint' THEN percent_complete ELSE 0.0 END,
     'newest': -date_diff('day', DATE '1970-01-01', as_of),
     'lead': CASE WHEN party = lead_party THEN 0 ELSE 1 END,
     'latest': -report_rank};

-- Each reported item of the plan as of d: the report that counts (report_id), the latest as_of
-- among its parties' reports (last_update, for staleness) and how many parties have reported.
CREATE OR REPLACE MACRO item_reports_as_of(plan, d) AS TABLE
SELECT p.item_id,
       arg_min(p.report_id, counting_order(i.lead_party, p.party, p.percent_complete, p.as_of,
                                           p.report_rank)) AS report_id,
       max(p.as_of) AS last_update,
       count(*) AS parties_reporting
FROM party_reports_as_of(plan, d) AS p
JOIN work_items AS i ON i.plan_id = p.plan_id AND i.item_id = p.item_id
GROUP BY p.item_id;
