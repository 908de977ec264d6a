-- Item-level metrics as of a date: one row per (filtered) item.
-- Parameters: $as_of (DATE), $domains, $parties, $owners (VARCHAR[]; empty = all),
-- $red, $amber (variance thresholds, pp), $stale (days).
-- Definitions: analytics/METRICS.md. The report that counts comes from item_reports_as_of
-- (migration 005). Health rules, first match wins:
-- complete, not_started, red (overdue or variance <= $red), amber (variance <= $amber or stale), green.
WITH items AS (
    SELECT item_id, domain, title, lead_party, owner, start_date, due_date, baseline_due_date,
           weight, domain_order
    FROM view_items($plan, $domains, $parties, $owners)
),
latest AS (
    -- the report that counts for each item as of $as_of (item_reports_as_of, migration 005)
    SELECT r.item_id, r.last_update, s.percent_complete, s.status, s.note, s.reported_by, s.party
    FROM item_reports_as_of($plan, $as_of) AS r JOIN status_updates AS s ON s.rowid = r.report_id
),
ms AS (
    SELECT item_id,
           count(*) AS milestones,
           count(*) FILTER (WHERE completed_date <= $as_of) AS milestones_done,
           count(*) FILTER (WHERE (completed_date IS NULL OR completed_date > $as_of)
                                  AND due_date < $as_of) AS milestones_overdue,
           count(*) FILTER (WHERE CASE WHEN completed_date <= $as_of THEN completed_date
                                       ELSE due_date END > baseline_date) AS milestones_slipped
    FROM plan_milestones($plan)
    WHERE item_id IN (SELECT item_id FROM items)
    GROUP BY item_id
),
figures AS (
    SELECT i.*,
           coalesce(l.percent_complete, 0.0) AS actual_pct,
           CASE WHEN $as_of <= i.start_date THEN 0.0
                WHEN $as_of >= i.due_date THEN 100.0
                ELSE 100.0 * date_diff('day', i.start_date, $as_of)
                     / date_diff('day', i.start_date, i.due_date)
           END AS planned_pct,
           l.last_update,
           date_diff('day', l.last_update, $as_of) AS days_since_update,
           l.status AS reported_status, l.reported_by, l.party, l.note,
           coalesce(ms.milestones, 0) AS milestones,
           coalesce(ms.milestones_done, 0) AS milestones_done,
           coalesce(ms.milestones_overdue, 0) AS milestones_overdue,
           coalesce(ms.milestones_slipped, 0) AS milestones_slipped
    FROM items AS i
    LEFT JOIN latest AS l ON l.item_id = i.item_id
    LEFT JOIN ms ON ms.item_id = i.item_id
),
flags AS (
    SELECT *,
           actual_pct - planned_pct AS variance_pp,
           ($as_of > due_date AND actual_pct < 100) AS overdue,
           CASE WHEN $as_of > due_date AND actual_pct < 100
                THEN date_diff('day', due_date, $as_of) ELSE 0 END AS overdue_days,
           (start_date <= $as_of AND actual_pct < 100
            AND (last_update IS NULL OR days_since_update > $stale)) AS stale
    FROM figures
),
rated AS (
    SELECT *,
           CASE WHEN actual_pct >= 100 THEN 'complete'
                WHEN $as_of < start_date AND actual_pct = 0 THEN 'not_started'
                WHEN overdue OR variance_pp <= $red THEN 'red'
                WHEN variance_pp <= $amber OR stale THEN 'amber'
                ELSE 'green'
           END AS health,
           CASE WHEN variance_pp <= $amber
                THEN CASE WHEN round(-variance_pp, 1) = round(-variance_pp)
                          THEN CAST(CAST(round(-variance_pp) AS BIGINT) AS VARCHAR)
                          ELSE printf('%.1f', -variance_pp) END || ' pp behind plan'
           END AS behind_text,
           CASE WHEN overdue THEN 'overdue by ' || overdue_days || ' day'
                                  || CASE WHEN overdue_days = 1 THEN '' ELSE 's' END END
               AS overdue_text,
           CASE WHEN stale AND last_update IS NULL THEN 'no update yet'
                WHEN stale THEN 'no update for ' || days_since_update || ' days' END
               AS stale_text
    FROM flags
)
SELECT item_id, domain, title, lead_party, owner, start_date, due_date, baseline_due_date,
       weight, actual_pct, planned_pct, variance_pp, last_update,
       days_since_update, reported_status, reported_by, party, note, health,
       CASE health
           WHEN 'green' THEN ''
           WHEN 'complete' THEN 'complete: reported 100% complete'
           WHEN 'not_started' THEN 'not_started: starts on ' || strftime(start_date, '%Y-%m-%d')
           ELSE health || ': ' || concat_ws('; ', overdue_text, behind_text, stale_text)
       END AS reason,
       overdue, overdue_days, stale,
       milestones, milestones_done, milestones_overdue, milestones_slipped,
       domain_order
FROM rated
ORDER BY domain_order, domain, item_id
