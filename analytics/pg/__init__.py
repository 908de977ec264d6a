"""PostgreSQL as the shared store, for when one process is not enough.

Why: one DuckDB file has one writer process, so the dashboard, the CLI and a second
replica cannot share it. With `WORKPLAN_DB=postgresql://...` PostgreSQL is the system
of record and every write is one PostgreSQL transaction; each process keeps an
in-memory DuckDB copy of the store (`store.PgStore`) so every figure is still computed
by the same DuckDB SQL. Modules: `url` (telling and redacting URLs), `schema`
(PostgreSQL migrations, analytics/sql_pg/), `arrow_io` (rows in and out as Arrow),
`store` (the store), `copy` (moving a store between the two), `local_server` (a
throw-away server for tests and `make cluster`).
"""
