-- Current reports (one per item, party and as_of: current_reports, migration 005) of the
-- filtered items with $since < as_of <= $as_of ($since NULL = from the beginning), optionally
-- one item.
SELECT s.item_id, i.title, i.domain, s.as_of, s.percent_complete, s.status, s.note,
       s.reported_by, s.party, s.upload_id
FROM plan_current_reports($plan) AS s
JOIN view_items($plan, $domains, $parties, $owners) AS i ON i.item_id = s.item_id
WHERE s.as_of <= $as_of
  AND ($since IS NULL OR s.as_of > $since)
  AND ($item_id IS NULL OR s.item_id = $item_id)
ORDER BY s.as_of DESC, s.item_id, s.party_key, s.upload_id DESC
