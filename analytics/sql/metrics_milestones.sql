-- Milestones of the filtered items as of $as_of (current definitions from `milestones`).
-- done: completed_date <= as_of; overdue: not done and due_date < as_of;
-- slip_days: (completed_date if done else due_date) - baseline_date; slipped: slip_days > 0;
-- due_soon: not done and as_of <= due_date <= as_of + $soon days.
WITH items AS (
    SELECT item_id, domain, title, domain_order
    FROM view_items($plan, $domains, $parties, $owners)
),
rated AS (
    SELECT m.milestone_id, m.item_id, i.domain, i.title AS item_title, m.title, m.due_date,
           m.baseline_date, m.completed_date, i.domain_order,
           coalesce(m.completed_date <= $as_of, false) AS done
    FROM plan_milestones($plan) AS m JOIN items AS i ON i.item_id = m.item_id
)
SELECT milestone_id, item_id, domain, item_title, title, due_date, baseline_date, completed_date,
       done,
       (NOT done AND due_date < $as_of) AS overdue,
       date_diff('day', baseline_date, CASE WHEN done THEN completed_date ELSE due_date END)
           AS slip_days,
       date_diff('day', baseline_date, CASE WHEN done THEN completed_date ELSE due_date END) > 0
           AS slipped,
       (NOT done AND due_date >= $as_of AND due_date <= $as_of + CAST($soon AS INTEGER)) AS due_soon,
       CASE WHEN NOT done AND due_date < $as_of THEN date_diff('day', due_date, $as_of) ELSE 0 END
           AS days_overdue
FROM rated
ORDER BY domain_order, domain, due_date, milestone_id
