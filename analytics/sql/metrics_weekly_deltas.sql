-- Burn-up support: per group and week end, the change in the group's weighted progress sum.
-- bucket = the first week end (Sunday) on or after a report's as_of, over ALL the data (no
-- as-of date: the result is cached per store state, filters and grouping, and `burn_up` uses
-- the buckets before its as-of date; the as-of point itself comes from the item rows).
-- An item's progress steps at each date one of its parties reports (current_reports): at such
-- a date each party's latest current report stands, and counting_order picks the one that
-- counts, exactly as item_reports_as_of does for one date (migration 005). Items with one
-- reporting party skip the step join (their current reports are their steps). Per item and
-- bucket the last step wins; its delta is its percent minus the item's previous bucket's (0
-- before any). Summing a group's w * delta up to a week end gives sum(w * A) as of that week
-- end. $by picks the group column (bound value).
WITH items AS (
    SELECT item_id, weight, lead_party,
           CASE $by WHEN 'domain' THEN domain WHEN 'party' THEN lead_party
                    WHEN 'owner' THEN owner WHEN 'item' THEN item_id ELSE 'Overall' END AS grp
    FROM view_items($plan, $domains, $parties, $owners)
),
reports AS (
    SELECT c.item_id, c.party_key, c.party, c.as_of, c.percent_complete, c.report_rank
    FROM plan_current_reports($plan) AS c
    WHERE c.item_id IN (SELECT item_id FROM items)
),
shared AS (   -- items reported by more than one party
    SELECT item_id FROM reports GROUP BY item_id HAVING count(DISTINCT party_key) > 1
),
single AS (
    SELECT item_id, as_of AS step, percent_complete FROM reports
    WHERE item_id NOT IN (SELECT item_id FROM shared)
),
several AS (
    SELECT * FROM reports WHERE item_id IN (SELECT item_id FROM shared)
),
steps AS (
    SELECT DISTINCT s.item_id, s.as_of AS step, p.party_key
    FROM several AS s JOIN (SELECT DISTINCT item_id, party_key FROM several) AS p
         ON p.item_id = s.item_id
),
standing AS (
    -- each party's latest current report at each step of the item
    SELECT t.item_id, t.step, r.party, r.as_of, r.percent_complete, r.report_rank
    FROM steps AS t ASOF JOIN several AS r
         ON r.item_id = t.item_id AND r.party_key = t.party_key AND t.step >= r.as_of
),
picked AS (
    SELECT s.item_id, s.step,
           arg_min(s.percent_complete,
                   counting_order(i.lead_party, s.party, s.percent_complete, s.as_of,
                                  s.report_rank))
               AS percent_complete
    FROM standing AS s JOIN items AS i ON i.item_id = s.item_id
    GROUP BY s.item_id, s.step
),
last_in_bucket AS (
    SELECT item_id,
           step + CAST((7 - isodow(step)) % 7 AS INTEGER) AS bucket,
           arg_max(percent_complete, step) AS percent_complete
    FROM (SELECT * FROM single UNION ALL SELECT * FROM picked)
    GROUP BY ALL
),
deltas AS (
    SELECT item_id, bucket,
           percent_complete - coalesce(lag(percent_complete) OVER (PARTITION BY item_id
                                                                   ORDER BY bucket), 0.0) AS delta
    FROM last_in_bucket
)
SELECT i.grp, d.bucket, sum(i.weight * d.delta) AS weighted_delta
FROM deltas AS d JOIN items AS i ON i.item_id = d.item_id
GROUP BY i.grp, d.bucket
