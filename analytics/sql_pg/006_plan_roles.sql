-- Work-Plan Pulse PostgreSQL schema, version 6: roles per plan
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

CREATE TABLE IF NOT EXISTS plan_roles (
    name               TEXT NOT NULL,
    plan_id            INTEGER NOT NULL,
    role               TEXT NOT NULL,
    granted_by         TEXT NOT NULL,
    granted_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (name, plan_id)
);
