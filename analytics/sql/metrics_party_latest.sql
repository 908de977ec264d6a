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
    SELECT s.item_id, s.party, s.as_of, s.upload_id, s.row_number, s.rowid
    FROM status_updates AS s
    WHERE s.party IS NOT NULL
      AND s.upload_id NOT IN (SELECT id FROM uploads WHERE reverted_at IS NOT NULL)
      AND s.item_id IN (SELECT item_id FROM items)
),
ranks AS (
    SELECT party, row_number() OVER (ORDER BY min(upload_id), min(row_number), party) AS party_rank
    FROM current GROUP BY party
),
winners AS (
    -- per (item, party): greatest as_of, then latest upload, then last row (one HUGEINT key)
    SELECT arg_max(c.rowid,
                   CAST(date_diff('day', DATE '1970-01-01', c.as_of) AS HUGEINT) * 18446744073709551616
                   + CAST(c.upload_id AS HUGEINT) * 4294967296
                   + (coalesce(c.row_number, -2147483648) + 2147483648)) AS winner
    FROM current AS c
    WHERE c.as_of <= $as_of
    GROUP BY c.item_id, c.party
),
latest AS (
    SELECT s.item_id, s.party, s.status, s.as_of
    FROM status_updates AS s JOIN winners AS w ON w.winner = s.rowid
)
SELECT l.item_id, i.domain, i.title, i.domain_order, l.party, r.party_rank, l.status, l.as_of
FROM latest AS l
JOIN items AS i ON i.item_id = l.item_id
JOIN ranks AS r ON r.party = l.party
ORDER BY i.domain_order, l.item_id, r.party_rank
