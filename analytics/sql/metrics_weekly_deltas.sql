-- Burn-up support: for each filtered item, the change in its actual progress at each week end.
-- bucket = the first week end (Sunday) on or after the update's as_of, capped at $as_of.
-- Within a bucket the latest update wins (greatest as_of, then latest upload, then last row;
-- reverted uploads excluded); delta = its percent minus the previous bucket's (0 before any).
-- Summing deltas up to a week end gives the item's actual progress as of that week end.
WITH items AS (
    SELECT i.item_id FROM work_items AS i
    WHERE (len($domains) = 0 OR list_contains($domains, i.domain))
      AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
      AND (len($owners) = 0 OR list_contains($owners, i.owner))
),
updates AS (
    SELECT s.item_id, s.as_of, s.percent_complete, s.upload_id, s.row_number,
           least(s.as_of + CAST((7 - isodow(s.as_of)) % 7 AS INTEGER), $as_of) AS bucket
    FROM status_updates AS s
    JOIN uploads AS u ON u.id = s.upload_id
    WHERE u.reverted_at IS NULL AND s.as_of <= $as_of
      AND s.item_id IN (SELECT item_id FROM items)
),
last_in_bucket AS (
    SELECT item_id, bucket, percent_complete FROM updates
    QUALIFY row_number() OVER (PARTITION BY item_id, bucket
                               ORDER BY as_of DESC, upload_id DESC, row_number DESC NULLS LAST) = 1
)
SELECT item_id, bucket,
       percent_complete - coalesce(lag(percent_complete) OVER (PARTITION BY item_id ORDER BY bucket),
                                   0.0) AS delta
FROM last_in_bucket
