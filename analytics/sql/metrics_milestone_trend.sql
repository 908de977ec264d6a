-- Every recorded version of the filtered items' milestones (non-reverted uploads), oldest first:
-- the milestone trend chart plots due_date against recorded_at.
WITH items AS (
    SELECT i.item_id, i.domain, coalesce(d.sort_order, 0) AS domain_order
    FROM work_items AS i LEFT JOIN domains AS d ON d.name = i.domain
    WHERE (len($domains) = 0 OR list_contains($domains, i.domain))
      AND (len($parties) = 0 OR list_contains($parties, i.lead_party))
      AND (len($owners) = 0 OR list_contains($owners, i.owner))
)
SELECT h.milestone_id, h.title, h.item_id, i.domain, h.recorded_at, h.due_date
FROM milestone_history AS h
JOIN uploads AS u ON u.id = h.upload_id
JOIN items AS i ON i.item_id = h.item_id
WHERE u.reverted_at IS NULL
ORDER BY i.domain_order, h.milestone_id, h.recorded_at, h.upload_id, h.row_number
