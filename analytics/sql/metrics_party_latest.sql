-- Joint items (lead_party = 'Joint') of the filtered set: each reporting party's latest report
-- as of $as_of (party_reports_as_of, migration 005); reports that name no party are left out.
-- party_rank orders parties by their first report in the store (for stable column order).
WITH items AS (
    SELECT item_id, domain, title, domain_order
    FROM view_items($plan, $domains, $parties, $owners)
    WHERE lead_party = 'Joint'
),
latest AS (
    SELECT p.item_id, p.party, p.status, p.as_of
    FROM party_reports_as_of($plan, $as_of) AS p
    WHERE p.party IS NOT NULL AND p.item_id IN (SELECT item_id FROM items)
),
ranks AS (
    SELECT party, row_number() OVER (ORDER BY min(upload_id), min(row_number), party) AS party_rank
    FROM plan_reports($plan)
    WHERE party IS NOT NULL AND item_id IN (SELECT item_id FROM items)
    GROUP BY party
)
SELECT l.item_id, i.domain, i.title, i.domain_order, l.party, r.party_rank, l.status, l.as_of
FROM latest AS l
JOIN items AS i ON i.item_id = l.item_id
JOIN ranks AS r ON r.party = l.party
ORDER BY i.domain_order, l.item_id, r.party_rank
