-- Joint items (lead_party = 'Joint') of the filtered set: each reporting party's latest update
-- as of $as_of (greatest as_of, then latest upload, then last row; reverted uploads excluded).
-- party_rank orders parties by their first report in the store (for stable column order).
WITH items AS (
    SELECT i.item_id, i.domain, i.title, coalesce(d.sort_order, 0) AS domain_order
    FROM work_items AS i LEFT JOIN domains AS d ON d.name = i.domain
    WHERE i.lead_party = 'Joint'
      AND (len($domains) = 0 OR list_contains($domains, i.domain))
      AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
      AND (len($owners) = 0 OR list_contains($owners, i.owner))
),
current AS (
    SELECT s.* FROM status_updates AS s JOIN uploads AS u ON u.id = s.upload_id
    WHERE u.reverted_at IS NULL AND s.party IS NOT NULL
      AND s.item_id IN (SELECT item_id FROM items)
),
ranks AS (
    SELECT party, row_number() OVER (ORDER BY min(upload_id), min(row_number), party) AS party_rank
    FROM current GROUP BY party
)
SELECT c.item_id, i.domain, i.title, i.domain_order, c.party, r.party_rank,
       c.status, c.as_of
FROM current AS c
JOIN items AS i ON i.item_id = c.item_id
JOIN ranks AS r ON r.party = c.party
WHERE c.as_of <= $as_of
QUALIFY row_number() OVER (PARTITION BY c.item_id, c.party
                           ORDER BY c.as_of DESC, c.upload_id DESC, c.row_number DESC NULLS LAST) = 1
ORDER BY i.domain_order, c.item_id, r.party_rank
