-- Work-Plan Pulse PostgreSQL schema, version 3: nothing to store (DuckDB's version 3 adds the report rules, macros only)
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

SELECT 1;
