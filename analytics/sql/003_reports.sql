-- Work-Plan Pulse schema, version 3: every report names its party, and the rules every figure
-- shares are written once, here, as views and macros that the metric queries build on
-- (definitions: analytics/METRICS.md, "Items"). Idempotent: every statement can run again.
-- No other SQL file may restate these rules (tests/unit/test_sql_rules.py checks it).

-- One-off: a report stored without a party on an item led by one party was that party's report.
-- Reports on joint items keep an empty party (such a report counts as a party of its own).
UPDATE status_updates SET party = w.lead_party
FROM work_items AS w
WHERE status_updates.item_id = w.item_id
  AND coalesce(trim(status_updates.party), '') = ''
  AND w.lead_party <> 'Joint';

-- The items a view shows: the filters (an empty list = no filter on that field), each item with
-- its domain's sort order.
CREATE OR REPLACE MACRO view_items(domains, parties, owners) AS TABLE
SELECT i.*, coalesce(d.sort_order, 0) AS domain_order
FROM work_items AS i LEFT JOIN domains AS d ON d.name = i.domain
WHERE (len(domains) = 0 OR list_contains(domains, i.domain))
  AND (len(parties) = 0 OR list_contains(parties, i.lead_party))
  AND (len(owners) = 0 OR list_contains(owners, i.owner));

-- Which of two reports by the same party on the same item is the newer: the later as_of, then
-- the later upload, then the later row of the file, packed into one HUGEINT
-- (days << 64 | upload_id << 32 | row_number + 2^31) so one arg_max picks the winner.
CREATE OR REPLACE MACRO report_rank(as_of, upload_id, row_number) AS
    CAST(date_diff('day', DATE '1970-01-01', as_of) AS HUGEINT) * 18446744073709551616
    + CAST(upload_id AS HUGEINT) * 4294967296
    + (coalesce(row_number, -2147483648) + 2147483648);

-- Uploads that count: every upload not reverted (reports, item and milestone versions of a
-- reverted upload never count).
CREATE OR REPLACE VIEW live_uploads AS
SELECT * FROM uploads WHERE reverted_at IS NULL;

-- Reports that count: every report of a live upload. report_id is the
-- row's rowid (a winner is fetched back by it); party_key is the party, '' when none.
CREATE OR REPLACE VIEW live_reports AS
SELECT s.rowid AS report_id, s.item_id, s.as_of, s.percent_complete, s.status, s.note,
       s.reported_by, s.party, coalesce(s.party, '') AS party_key, s.upload_id, s.row_number,
       report_rank(s.as_of, s.upload_id, s.row_number) AS report_rank
FROM status_updates AS s
WHERE s.upload_id IN (SELECT id FROM live_uploads);

-- The current report per (item, party, as_of): the newest live one. A re-upload by the same
-- party for the same date replaces; another party's report on that date stands beside it.
CREATE OR REPLACE VIEW current_reports AS
SELECT * FROM live_reports
QUALIFY row_number() OVER (PARTITION BY item_id, party_key, as_of ORDER BY report_rank DESC) = 1;

-- The same, with the columns analysts query (an interface since version 1).
CREATE OR REPLACE VIEW current_status_updates AS
SELECT item_id, as_of, percent_complete, status, note, reported_by, party, upload_id, row_number
FROM current_reports;

-- Each party's latest report on each item as of d.
CREATE OR REPLACE MACRO party_reports_as_of(d) AS TABLE
SELECT l.*
FROM live_reports AS l
SEMI JOIN (SELECT arg_max(report_id, report_rank) AS winner
           FROM live_reports WHERE as_of <= d GROUP BY item_id, party_key) AS w
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

-- Each reported item as of d: the report that counts (report_id), the latest as_of among its
-- parties' reports (last_update, for staleness) and how many parties have reported.
CREATE OR REPLACE MACRO item_reports_as_of(d) AS TABLE
SELECT p.item_id,
       arg_min(p.report_id, counting_order(i.lead_party, p.party, p.percent_complete, p.as_of,
                                           p.report_rank)) AS report_id,
       max(p.as_of) AS last_update,
       count(*) AS parties_reporting
FROM party_reports_as_of(d) AS p JOIN work_items AS i ON i.item_id = p.item_id
GROUP BY p.item_id;
