-- Current status updates (one per item and as_of; reverted uploads excluded) of the filtered
-- items with $since < as_of <= $as_of ($since NULL = from the beginning), optionally one item.
SELECT c.item_id, i.title, i.domain, c.as_of, c.percent_complete, c.status, c.note,
       c.reported_by, c.party, c.upload_id
FROM current_status_updates AS c
JOIN work_items AS i ON i.item_id = c.item_id
WHERE c.as_of <= $as_of
  AND ($since IS NULL OR c.as_of > $since)
  AND ($item_id IS NULL OR c.item_id = $item_id)
  AND (len($domains) = 0 OR list_contains($domains, i.domain))
  AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
  AND (len($owners) = 0 OR list_contains($owners, i.owner))
ORDER BY c.as_of DESC, c.item_id, c.upload_id DESC
