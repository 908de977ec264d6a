"""PostgreSQL schema migrations: analytics/sql_pg/NNN_name.sql, at DuckDB's version numbers.

Why: `workplan init` and the app at start bring a PostgreSQL store to the latest schema,
as `analytics.store.migrate` does for a DuckDB file. Several processes may start at
once, so the migrations run under an advisory lock, each file in its own transaction
with its row in `schema_version`. A role that may not change the schema (what the
app should connect as) gets one sentence saying to run `workplan init` as the owner.
"""

from __future__ import annotations

import psycopg

from analytics.errors import StoreError
from analytics.store import migration_files, utc_now

PACKAGE = "analytics.sql_pg"
MIGRATION_LOCK = 0x57504D47          # pg_advisory lock key of migrations ("WPMG")
# Tables only a PostgreSQL store has: what its processes share to keep their copies current
# (analytics/pg/replay.py, analytics/pg/snapshot.py). They are never copied between stores.
POSTGRES_ONLY_TABLES = ("change_log", "change_log_pruned", "copy_snapshot")


def latest_postgres_schema_version() -> int:
    return migration_files(PACKAGE)[-1][0]


def postgres_schema_version(pg: psycopg.Connection) -> int:
    exists = pg.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return pg.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate_postgres(pg: psycopg.Connection) -> int:
    """Apply every migration newer than the store's version; return the version."""
    try:
        current = postgres_schema_version(pg)
        pg.commit()
        if current >= latest_postgres_schema_version():
            return current
        with pg.transaction():
            pg.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
            pg.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                       " name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)")
            current = postgres_schema_version(pg)
            for version, name, text in migration_files(PACKAGE):
                if version <= current:
                    continue
                pg.execute(text)
                pg.execute("INSERT INTO schema_version VALUES (%s, %s, %s)",
                           [version, name, utc_now()])
                current = version
        return current
    except psycopg.errors.InsufficientPrivilege:
        pg.rollback()
        raise StoreError(
            "The database's schema is older than this release and this account may not change "
            "it; run `workplan init` with the schema owner's URL, then start again.") from None
