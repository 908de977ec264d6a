"""The embedded DuckDB store: opening the file, schema migrations, cursors, transactions.

Why: DuckDB allows one read-write process per file, and a connection must not be
shared between threads. A `Store` is the one connection of a process (the app
keeps it in `st.cache_resource`, the CLI opens it per command); each thread asks
it for a `cursor()`; every multi-statement write runs inside `transaction()`,
which folds the WAL into the file after each commit (CHECKPOINT). A damaged file,
a full or read-only disk become one sentence naming the file (`store_problem`).

Schema lives in `analytics/sql/NNN_*.sql`, applied in order by `migrate()` and
recorded in `schema_version`; each file is idempotent.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from analytics.errors import StoreError, StoreLockedError

LOG = logging.getLogger(__name__)
CHECKPOINT_ATTEMPTS = 4          # a checkpoint waits out readers for up to 0.3 s
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files(package: str = "analytics.sql") -> list[tuple[int, str, str]]:
    """(version, file name, SQL text) of every schema migration in `package`, in order
    (analytics.sql for DuckDB, analytics.sql_pg for PostgreSQL)."""
    found = []
    for entry in resources.files(package).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_schema_version() -> int:
    return migration_files()[-1][0]


def utc_now() -> datetime:
    """Naive UTC timestamp, the form stored in TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """One DuckDB database for this process; a cursor per thread."""

    def __init__(self, path: str | Path, *, connection: duckdb.DuckDBPyConnection):
        self.path = str(path)
        self._connection = connection
        self._local = threading.local()
        self._write_lock = threading.RLock()

    # -- connections -----------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (created on first use)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._connection.cursor()
            self._local.cursor = cur
        return cur

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """BEGIN ... COMMIT on a fresh cursor; ROLLBACK on any exception.

        Writers in this process run one after the other (a lock), so two
        simultaneous imports never interleave their transactions.
        """
        with self._write_lock, explained(self.path):
            cur = self._connection.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield cur
                except BaseException:
                    _rollback(cur)
                    raise
                cur.execute("COMMIT")
                self._checkpoint(cur)
            finally:
                cur.close()

    def _checkpoint(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Fold the WAL into the database file, so a committed write no longer depends on
        the WAL (a damaged or deleted WAL loses nothing). A checkpoint that fails leaves
        the commit in the WAL, where DuckDB replays it; the next commit tries again."""
        for attempt in range(CHECKPOINT_ATTEMPTS):
            try:
                cur.execute("CHECKPOINT")
                return
            except duckdb.TransactionException as exc:     # a reader mid-query (app sessions)
                if attempt == CHECKPOINT_ATTEMPTS - 1:
                    LOG.warning("CHECKPOINT of %s after a commit: %s", self.path,
                                str(exc).splitlines()[0])
                time.sleep(0.02 * 2 ** attempt)
            except duckdb.Error as exc:
                LOG.warning("CHECKPOINT of %s failed after a commit: %s", self.path,
                            str(exc).splitlines()[0])
                return

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- queries ---------------------------------------------------------
    def query_df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run a read query on this thread's cursor; results through Arrow."""
        with explained(self.path):
            return self.cursor().sql(sql, params=params).to_arrow_table().to_pandas()

    def scalar(self, sql: str, params: list | dict | None = None):
        with explained(self.path):
            rows = self.cursor().execute(sql, params or []).fetchall()  # fetchone leaves the
        return rows[0][0] if rows else None              # result open and breaks a later .sql()

    def data_version(self) -> int:
        """A counter bumped by every committed write to any plan and by every change to the
        list of plans; what is cached across plans keys on it (one plan's views key on
        its own version, analytics.plans.plan_data_version)."""
        return int(self.scalar("SELECT max(version) FROM data_version") or 0)

    def schema_version(self) -> int:
        return int(self.scalar("SELECT max(version) FROM schema_version") or 0)

    def refresh(self) -> bool:
        """Bring what this process reads up to date with other processes' writes; True when
        anything changed. One file has one writer process, so nothing to do here (a
        PostgreSQL store, analytics.pg.store.PgStore, replays the others' changes)."""
        return False

    def is_empty(self) -> bool:
        """No plan holds any item yet."""
        return not self.scalar("SELECT count(*) FROM work_items")


# What a DuckDB error says about the file, in words for the person who can fix it.
CAUSES = (
    ("no space left on device", "the disk holding it is full",
     "Nothing was written; free some space and try again."),
    ("disk quota exceeded", "the disk quota is used up",
     "Nothing was written; free some space and try again."),
    ("read-only file system", "the disk holding it is read-only",
     "Nothing was written; move the database to a writable disk."),
    ("permission denied", "this program may not read or write it",
     "Give the user running Work-Plan Pulse access to the file and its folder."),
    ("corrupt database file", "it is damaged (a block fails its checksum)",
     "Restore it from a backup; `workplan demo` can build a new sample database."),
    ("could not read enough bytes", "it is damaged (shorter than its contents say: truncated)",
     "Restore it from a backup; `workplan demo` can build a new sample database."),
    ("not a valid duckdb database file", "it is not a DuckDB database (damaged, or another file)",
     "Restore it from a backup, or point WORKPLAN_DB at the right file."),
    ("database has been invalidated", "an earlier failure left it unusable in this process",
     "Restart the dashboard (or run the command again)."),
)


def store_problem(exc: BaseException, path: str | Path) -> StoreError | None:
    """A StoreError naming the file and the cause, when `exc` is a damaged file, a full or
    read-only disk or a permission problem; None for any other error."""
    text = str(exc).lower()
    for sign, cause, advice in CAUSES:
        if sign in text:
            return StoreError(f"The database {path} cannot be used: {cause}. {advice}")
    return None


@contextmanager
def explained(path: str | Path) -> Iterator[None]:
    """Turn a DuckDB error about the file or the disk into one sentence (a StoreError)."""
    try:
        yield
    except duckdb.Error as exc:
        problem = store_problem(exc, path)
        if problem is None:
            raise
        raise problem from None


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK, unless the failed statement already ended the transaction (a failed COMMIT)."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def bump_data_version(cur: duckdb.DuckDBPyConnection, plan_id: int) -> None:
    """Call inside a write transaction to a plan so its cached views see the change (the
    other plans keep theirs); the store-wide version moves too."""
    cur.execute("UPDATE plans SET data_version = data_version + 1 WHERE id = ?", [plan_id])
    bump_store_version(cur)


def bump_store_version(cur: duckdb.DuckDBPyConnection) -> None:
    """Call inside a write transaction that changes the list of plans (what is cached across
    plans, such as the plan picker's choices, keys on it)."""
    cur.execute("UPDATE data_version SET version = version + 1")


def migrate(connection: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the database's schema_version; return the version."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    current = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version"
                                 ).fetchall()[0][0]      # fetchone() would leave it open
    for version, name, sql in migration_files():
        if version <= current:
            continue
        connection.execute("BEGIN TRANSACTION")
        try:
            connection.execute(sql)
            connection.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, utc_now()]
            )
            connection.execute(
                "INSERT INTO data_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM data_version)"
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        current = version
    return current


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, turning lock conflicts into one clear sentence."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            holder = re.search(r"PID (\d+)", text)
            who = f" (process {holder.group(1)})" if holder else ""
            raise StoreLockedError(
                f"The database {path} is in use by another program{who}; "
                "stop it (for example the running dashboard) or choose another file with --db."
            ) from None
        raise store_problem(exc, path) or StoreError(
            f"Cannot open the database {path}: {text.splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise store_problem(exc, path) or StoreError(
            f"Cannot open the database {path}: {str(exc).splitlines()[0]}") from None


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at `path`: a DuckDB file, or a
    postgresql:// URL (analytics.pg: PostgreSQL read through an in-memory DuckDB copy)."""
    from analytics.pg.url import is_postgres_url

    if is_postgres_url(path):
        from analytics.pg.store import open_postgres_store

        return open_postgres_store(str(path))
    connection = connect(path, read_only=read_only)
    if not read_only:
        try:
            migrate(connection)
        except duckdb.Error as exc:
            connection.close()
            raise store_problem(exc, path) or StoreError(
                f"{path} is not a Work-Plan Pulse database that can be upgraded: "
                f"{str(exc).splitlines()[0]}"
            ) from None
    return Store(path, connection=connection)
