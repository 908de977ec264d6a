-- Work-Plan Pulse schema, version 6: a role per plan.
-- An account's role may differ by plan: a grant in plan_roles gives it a role on one plan;
-- users.role becomes its all-plans role (the programme office's role on every plan, today's
-- and tomorrow's), NULL when it holds grants only. An account's role on a plan is the higher
-- of the two. Existing accounts keep their role as their all-plans role, so a store upgraded
-- from one plan gives everyone the role they had.
-- Idempotent: every statement can run again on an existing database.
-- Written only by analytics/auth.py (the `workplan user` commands and the Accounts page).

ALTER TABLE users ALTER COLUMN role DROP NOT NULL;

-- One row per (account, plan) grant. No foreign keys (DuckDB cannot cascade a delete):
-- analytics/auth.py removes an account's grants with the account, and deleting a plan
-- removes its grants (plan_roles is one of analytics.plans.PLAN_TABLES).
CREATE TABLE IF NOT EXISTS plan_roles (
    name       VARCHAR NOT NULL,                      -- users.name
    plan_id    INTEGER NOT NULL,                      -- plans.id
    role       VARCHAR NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    granted_by VARCHAR NOT NULL,
    granted_at TIMESTAMP NOT NULL,                    -- UTC
    PRIMARY KEY (name, plan_id)
);
