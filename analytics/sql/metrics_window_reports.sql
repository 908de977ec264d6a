-- Which party reported on which filtered item within the compliance window:
-- as_of in ($as_of - $window days, $as_of], reverted uploads excluded; party may be NULL.
SELECT DISTINCT s.item_id, s.party
FROM status_updates AS s
JOIN uploads AS u ON u.id = s.upload_id
JOIN work_items AS i ON i.item_id = s.item_id
WHERE u.reverted_at IS NULL
  AND s.as_of > $as_of - CAST($window AS INTEGER) AND s.as_of <= $as_of
  AND (len($domains) = 0 OR list_contains($domains, i.domain))
  AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
  AND (len($owners) = 0 OR list_contains($owners, i.owner))
