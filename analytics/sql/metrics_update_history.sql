-- Current status updates (one per item and as_of: the latest non-reverted upload wins, as in
-- the view current_status_updates) of the filtered items with $since < as_of <= $as_of
-- ($since NULL = from the beginning), optionally one item. Filters apply before the
-- per-(item, as_of) choice so one item's history never reads the whole table.
SELECT s.item_id, i.title, i.domain, s.as_of, s.percent_complete, s.status, s.note,
       s.reported_by, s.party, s.upload_id
FROM status_updates AS s
JOIN work_items AS i ON i.item_id = s.item_id
WHERE s.as_of <= $as_of
  AND ($since IS NULL OR s.as_of > $since)
  AND ($item_id IS NULL OR s.item_id = $item_id)
  AND s.upload_id NOT IN (SELECT id FROM uploads WHERE reverted_at IS NOT NULL)
  AND (len($domains) = 0 OR list_contains($domains, i.domain))
  AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
  AND (len($owners) = 0 OR list_contains($owners, i.owner))
QUALIFY row_number() OVER (PARTITION BY s.item_id, s.as_of
                           ORDER BY s.upload_id DESC, s.row_number DESC NULLS LAST) = 1
ORDER BY s.as_of DESC, s.item_id, s.upload_id DESC
