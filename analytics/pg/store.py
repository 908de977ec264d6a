"""A store whose system of record is PostgreSQL, read through an in-memory DuckDB copy.

Why: several app replicas and the CLI must share one store. PostgreSQL holds it; each
process keeps a DuckDB copy in memory, so every figure is computed by the same DuckDB
SQL as on the embedded file (no metric is written twice). `PgStore` is a `Store` whose
connection is that copy:
- the copy is loaded at start from the store's snapshot and the change log after it
  (analytics.pg.snapshot), or from every table when the snapshot cannot be used;
- reads (`cursor()`, `query_df`, ...) run on the copy;
- `refresh()` (once per app rerun, and at the start of every write) replays the
  change-log entries other processes wrote since, or reloads everything when the log
  has been pruned past this copy;
- `transaction()` takes PostgreSQL's writer lock, catches up, runs the caller's DuckDB
  statements on the copy, then ships what they changed (analytics.pg.changes) to
  PostgreSQL and the change log in ONE PostgreSQL transaction. PostgreSQL commits
  first: if it fails or the process dies, nothing is written anywhere.
Writers on all processes take the same advisory lock, so two writers at once run one
after the other, each on the other's result: no lost update.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from analytics.errors import StoreError
from analytics.pg.arrow_io import open_arrow_reader, stream_arrow_on
from analytics.pg.changes import store_tables, transaction_changes
from analytics.pg.replay import apply_to_duckdb, logged_changes, write_to_postgres
from analytics.pg.snapshot import (
    KEPT_FOR_SNAPSHOT,
    loaded_from_snapshot,
    parquet_tables,
    snapshot_due,
    write_snapshot,
)
from analytics.pg.url import redacted
from analytics.store import Store, latest_schema_version, migrate

LOG = logging.getLogger(__name__)
# The pool logs every failed reconnection; where logging is not configured (the CLI) that
# would print them over the one sentence a StoreError gives. A configured app still gets them.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
WRITER_LOCK = 0x57504C53            # pg_advisory lock key every writer takes ("WPLS")
POOL_TIMEOUT = 5.0                  # seconds to wait for a connection before saying so
CHANGE_LOG_KEPT = "1 day"           # entries older than this are pruned by the next write
CONNECT_TIMEOUT = 5


class PgStore(Store):
    """A PostgreSQL store seen through this process's in-memory DuckDB copy."""

    def __init__(self, url: str, pool: ConnectionPool, mirror: duckdb.DuckDBPyConnection):
        super().__init__(redacted(url), connection=mirror)
        self.url = url
        self._pool = pool
        self._pool_lock = threading.Lock()
        self._seq = 0

    # -- keeping the copy current ----------------------------------------
    def refresh(self) -> bool:
        """Bring the copy up to date with PostgreSQL; True when anything changed. A writer
        of this process holding the copy makes this a no-op (its commit brings it along)."""
        if not self._write_lock.acquire(blocking=False):
            return False
        try:
            with self._connection_to_postgres() as pg:
                return self._catch_up(pg)
        finally:
            self._write_lock.release()

    def _catch_up(self, pg: psycopg.Connection) -> bool:
        head, pruned = pg.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM change_log),"
            " (SELECT through_seq FROM change_log_pruned)").fetchone()
        if head == self._seq:
            return False
        if pruned > self._seq:
            self._reload(pg)
            return True
        seq, changes = logged_changes(pg, self._seq)
        cur = self._connection.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            apply_to_duckdb(cur, changes)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()
        self._seq = seq
        return True

    def _reload(self, pg: psycopg.Connection) -> str:
        """Replace the whole copy by what PostgreSQL holds (writers wait meanwhile), from the
        store's snapshot when it can be used, else from the tables; say which. A copy loaded
        from the tables, or from a snapshot far behind, is written as the new snapshot."""
        pg.execute("SELECT pg_advisory_lock_shared(%s)", [WRITER_LOCK])
        try:
            seq = pg.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            from_snapshot = loaded_from_snapshot(self._connection, pg)
            if not from_snapshot:
                load_copy(self._connection, self.url)
            self._seq = seq
        finally:
            pg.execute("SELECT pg_advisory_unlock_shared(%s)", [WRITER_LOCK])
        if not from_snapshot or snapshot_due(pg):
            self._write_snapshot()
        return "the snapshot" if from_snapshot else "the tables"

    def _write_snapshot(self) -> None:
        """Write the copy as the store's snapshot, on a connection of its own (the caller's may
        be in a writer's transaction). The caller holds the copy still (the write lock, or the
        store not yet shared). Best effort: the snapshot only makes the next load faster."""
        try:
            with self._connection_to_postgres() as own:
                write_snapshot(own, parquet_tables(self._connection), self._seq)
        except StoreError as exc:
            LOG.warning("could not write the store's snapshot: %s", exc)

    def _snapshot_if_due(self, pg: psycopg.Connection) -> None:
        """After a commit: a new snapshot when the change log after the store's one is long.
        The write has landed whatever happens here."""
        try:
            due = snapshot_due(pg)
        except psycopg.Error as exc:
            LOG.warning("could not check the store's snapshot: %s", _first_line(exc))
            return
        if due:
            self._write_snapshot()

    # -- writes ------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write: BEGIN on the copy, then one PostgreSQL transaction for what it changed."""
        with self._write_lock, self._connection_to_postgres() as pg:
            pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
            self._catch_up(pg)
            cur = self._connection.cursor()
            outside = self._connection.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield cur
                    seq = write_to_postgres(pg, cur, transaction_changes(cur, outside))
                    _prune_change_log(pg)
                    pg.commit()
                except BaseException:
                    _rollback(cur)
                    pg.rollback()
                    raise
                cur.execute("COMMIT")
                self._seq = seq or self._seq
                self._snapshot_if_due(pg)
            finally:
                cur.close()
                outside.close()

    @contextmanager
    def _connection_to_postgres(self) -> Iterator[psycopg.Connection]:
        """A pooled connection; an unreachable server becomes one StoreError sentence."""
        try:
            with self._pooled_connection() as pg:
                yield pg
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise unreachable(self.path, exc) from None
        except psycopg.Error as exc:
            raise StoreError(f"The database {self.path} refused the change: "
                             f"{_first_line(exc)}. Nothing was written.") from None

    @contextmanager
    def _pooled_connection(self) -> Iterator[psycopg.Connection]:
        """A connection of the pool. A pool that has been failing to reconnect waits longer
        after each failure (1, 2, 4 ... s), so a server back after a while would be seen
        only minutes later: when the pool has none to give but the server answers, this
        process starts a fresh pool and takes its connection."""
        pool = self._pool
        try:
            connection = pool.getconn(timeout=POOL_TIMEOUT)
        except PoolTimeout as exc:
            cause = _pool_cause(pool, exc)
            if cause is not exc:
                raise cause from None
            with self._pool_lock:                 # one thread replaces the stuck pool
                if self._pool is pool:
                    LOG.info("the database %s answers again; reconnecting", self.path)
                    pool.close()
                    self._pool = new_pool(self.url)
                    self._pool.open(wait=True, timeout=POOL_TIMEOUT)
                pool = self._pool
            connection = pool.getconn(timeout=POOL_TIMEOUT)
        try:
            with connection:
                yield connection
        finally:
            pool.putconn(connection)

    def close(self) -> None:
        self._pool.close()
        super().close()


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def _prune_change_log(pg: psycopg.Connection) -> None:
    """Drop change-log entries older than CHANGE_LOG_KEPT, but those after the store's snapshot;
    a copy older than what is dropped reloads."""
    gone = pg.execute(
        "WITH gone AS (DELETE FROM change_log"
        " WHERE logged_at < (now() AT TIME ZONE 'utc') - %s::interval"
        f" AND NOT ({KEPT_FOR_SNAPSHOT}) RETURNING seq)"
        " SELECT max(seq) FROM gone", [CHANGE_LOG_KEPT, latest_schema_version()]).fetchone()[0]
    if gone is not None:
        pg.execute("UPDATE change_log_pruned SET through_seq = greatest(through_seq, %s)",
                   [gone])


def load_copy(mirror: duckdb.DuckDBPyConnection, url: str) -> None:
    """Fill the (migrated) DuckDB `mirror` with every table of the PostgreSQL store, in one
    transaction. Each table is streamed: DuckDB inserts a batch while PostgreSQL sends the next,
    and no whole table is held twice (as Arrow and in DuckDB) in memory."""
    cur = mirror.cursor()
    try:
        with open_arrow_reader(url) as reader, reader.cursor() as source:
            cur.execute("BEGIN TRANSACTION")
            for name in store_tables(cur):
                cur.execute(f'DELETE FROM "{name}"')
                cur.register("_loaded", stream_arrow_on(source, f'SELECT * FROM "{name}"'))
                cur.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _loaded')
                cur.unregister("_loaded")
            cur.execute("COMMIT")
    except BaseException:
        _rollback(cur)
        raise
    finally:
        cur.close()


def unreachable(where: str, exc: BaseException) -> StoreError:
    """'The database postgresql://app:***@db/pulse cannot be reached: ...' in one line."""
    reason = _first_line(exc)
    return StoreError(f"The database {where} cannot be reached: {reason}. Check that the "
                      "server is running and the URL in WORKPLAN_DB; the dashboard retries "
                      "by itself.")


def new_pool(url: str) -> ConnectionPool:
    """The (not yet opened) pool of connections to `url`, each checked before it is lent."""
    return ConnectionPool(url, min_size=1, max_size=4, open=False, name="workplan",
                          check=ConnectionPool.check_connection,
                          kwargs={"connect_timeout": CONNECT_TIMEOUT,
                                  "application_name": "workplan"})


def open_postgres_store(url: str) -> PgStore:
    """Connect, apply the PostgreSQL migrations, and load this process's copy."""
    from analytics.pg.schema import migrate_postgres

    where = redacted(url)
    pool = new_pool(url)
    started = time.monotonic()
    try:
        pool.open(wait=True, timeout=POOL_TIMEOUT)
        with pool.connection() as pg:
            migrate_postgres(pg)
    except (PoolTimeout, psycopg.OperationalError) as exc:
        pool.close()
        raise unreachable(where, _pool_cause(pool, exc)) from None
    except psycopg.Error as exc:
        pool.close()
        raise StoreError(f"The database {where} cannot be used: {_first_line(exc)}") from None
    mirror = duckdb.connect(":memory:")
    migrate(mirror)
    store = PgStore(url, pool, mirror)
    with store._connection_to_postgres() as pg:
        source = store._reload(pg)
    LOG.info("loaded %s into memory from %s in %.2f s", where, source, time.monotonic() - started)
    return store


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _pool_cause(pool: ConnectionPool, exc: BaseException) -> BaseException:
    """The pool's own timeout hides why it could not connect: try once to get the reason."""
    if not isinstance(exc, PoolTimeout):
        return exc
    try:
        psycopg.connect(pool.conninfo, connect_timeout=CONNECT_TIMEOUT).close()
    except psycopg.Error as cause:
        return cause
    return exc
