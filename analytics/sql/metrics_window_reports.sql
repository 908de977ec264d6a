-- Which party reported on which filtered JOINT item (lead_party = 'Joint') within the
-- compliance window: as_of in ($as_of - $window days, $as_of], reverted uploads excluded.
-- (Items led by one party count any report; they are rated from the item query.)
SELECT DISTINCT s.item_id, s.party
FROM status_updates AS s
JOIN work_items AS i ON i.item_id = s.item_id
WHERE s.as_of > $as_of - CAST($window AS INTEGER) AND s.as_of <= $as_of
  AND s.party IS NOT NULL
  AND i.lead_party = 'Joint'
  AND s.upload_id NOT IN (SELECT id FROM uploads WHERE reverted_at IS NOT NULL)
  AND (len($domains) = 0 OR list_contains($domains, i.domain))
  AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
  AND (len($owners) = 0 OR list_contains($owners, i.owner))
