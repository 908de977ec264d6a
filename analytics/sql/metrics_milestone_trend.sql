-- Every recorded version of the filtered items' milestones (live uploads), oldest first:
-- the milestone trend chart plots due_date against recorded_at.
WITH items AS (
    SELECT item_id, domain, domain_order
    FROM view_items($plan, $domains, $parties, $owners)
)
SELECT h.milestone_id, h.title, h.item_id, i.domain, h.recorded_at, h.due_date
FROM plan_milestone_versions($plan) AS h
JOIN items AS i ON i.item_id = h.item_id
ORDER BY i.domain_order, h.milestone_id, h.recorded_at, h.upload_id, h.row_number
