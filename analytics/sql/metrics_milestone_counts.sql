-- Milestone counts of the filtered items as of $as_of for the KPI cards (the same definitions
-- as metrics_milestones.sql, counted in DuckDB instead of listing every milestone):
-- overdue: not done and due_date < as_of; due_soon: not done and as_of <= due_date <= as_of + $soon.
WITH items AS (
    SELECT item_id
    FROM view_items($plan, $domains, $parties, $owners)
),
rated AS (
    SELECT m.due_date, coalesce(m.completed_date <= $as_of, false) AS done
    FROM plan_milestones($plan) AS m
    WHERE m.item_id IN (SELECT item_id FROM items)
)
SELECT count(*) FILTER (WHERE NOT done AND due_date >= $as_of
                              AND due_date <= $as_of + CAST($soon AS INTEGER)) AS due_soon,
       count(*) FILTER (WHERE NOT done AND due_date < $as_of) AS overdue
FROM rated
