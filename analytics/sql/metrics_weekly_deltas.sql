-- Burn-up support: per group and week end, the change in the group's weighted progress sum.
-- bucket = the first week end (Sunday) on or after an update's as_of, over ALL the data (no
-- as-of date: the result is cached per store state, filters and grouping, and `burn_up` uses
-- the buckets before its as-of date; the as-of point itself comes from the item rows).
-- Per item and bucket the latest update wins (greatest as_of, then latest upload, then last
-- row, packed into one HUGEINT order key; reverted uploads excluded); its delta is its percent
-- minus the item's previous bucket's (0 before any). Summing a group's w * delta up to a
-- week end gives sum(w * A) as of that week end. $by picks the group column (bound value).
WITH items AS (
    SELECT i.item_id, i.weight,
           CASE $by WHEN 'domain' THEN i.domain WHEN 'party' THEN i.lead_party
                    WHEN 'owner' THEN i.owner WHEN 'item' THEN i.item_id ELSE 'Overall' END AS grp
    FROM work_items AS i
    WHERE (len($domains) = 0 OR list_contains($domains, i.domain))
      AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
      AND (len($owners) = 0 OR list_contains($owners, i.owner))
),
last_in_bucket AS (
    SELECT s.item_id,
           s.as_of + CAST((7 - isodow(s.as_of)) % 7 AS INTEGER) AS bucket,
           arg_max(s.percent_complete,
                   CAST(date_diff('day', DATE '1970-01-01', s.as_of) AS HUGEINT) * 18446744073709551616
                   + CAST(s.upload_id AS HUGEINT) * 4294967296
                   + (coalesce(s.row_number, -2147483648) + 2147483648)) AS percent_complete
    FROM status_updates AS s
    WHERE s.upload_id NOT IN (SELECT id FROM uploads WHERE reverted_at IS NOT NULL)
      AND s.item_id IN (SELECT item_id FROM items)
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
