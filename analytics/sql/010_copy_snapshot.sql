-- Work-Plan Pulse schema, version 10: nothing changes in the embedded store.
-- Version 10 of a PostgreSQL store adds `copy_snapshot` (analytics/sql_pg/010_copy_snapshot.sql),
-- which only a PostgreSQL store has: each process there loads its in-memory copy from it. This
-- file keeps the two sets of migrations at the same version numbers and names.
SELECT 1;
