-- Work-Plan Pulse PostgreSQL schema, version 9: the language each owner is written to (`en` or `fr`)
-- The same version numbers and names as the DuckDB migrations in analytics/sql/; tables only
-- (macros and views stay DuckDB-side: figures are computed in each process's DuckDB copy).
-- Idempotent: every statement can run again. Applied by analytics/pg/schema.py.

ALTER TABLE contacts ADD COLUMN IF NOT EXISTS language TEXT DEFAULT 'en';
ALTER TABLE contact_history ADD COLUMN IF NOT EXISTS language TEXT DEFAULT 'en';
