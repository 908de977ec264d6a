"""The PostgreSQL store on a real server: every write lands whole in PostgreSQL and reaches
every other process's copy; writers at once serialise; a killed writer leaves nothing.

Each "process" here is a `PgStore` of its own (its own in-memory copy and pool), as two
app replicas or a replica and the CLI would be; the crash tests use a real child process.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from analytics import auth
from analytics.cli import main
from analytics.pg.arrow_io import fetch_arrow
from analytics.pg.changes import store_tables
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload, revert_upload

ROOT = Path(__file__).resolve().parents[2]


def table_rows(store, url: str, name: str) -> tuple[list, list]:
    """(the copy's rows, PostgreSQL's rows) of one table, in one order."""
    def ordered(table):
        return sorted(table.to_pylist(), key=lambda row: tuple(map(repr, row.values())))
    mine = store.cursor().sql(f'SELECT * FROM "{name}"').to_arrow_table()
    theirs = fetch_arrow(url, f'SELECT * FROM "{name}"')
    return ordered(mine), ordered(theirs)


def assert_same_as_postgres(store, url: str) -> None:
    for name in store_tables(store.cursor()):
        mine, theirs = table_rows(store, url, name)
        assert mine == theirs, f"{name} differs from PostgreSQL"


def updates(item_ids, percent: float, as_of: str = "2026-12-01", party: str = "India"):
    return pd.DataFrame({"item_id": list(item_ids), "as_of": pd.Timestamp(as_of).date(),
                         "percent_complete": percent, "status": "green", "note": "on track",
                         "party": party})


@pytest.fixture
def demo_url(pg_url) -> str:
    assert main(["--db", pg_url, "demo"]) == 0
    return pg_url


@pytest.fixture
def two_copies(demo_url):
    """Two open stores on the same PostgreSQL database (two replicas)."""
    first, second = open_store(demo_url), open_store(demo_url)
    yield first, second
    first.close()
    second.close()


def ic_items(store) -> list[str]:
    return [row[0] for row in store.cursor().execute(
        "SELECT item_id FROM work_items WHERE plan_id = (SELECT id FROM plans WHERE code = 'IC')"
        " ORDER BY item_id").fetchall()]


def ic_id(store) -> int:
    return store.scalar("SELECT id FROM plans WHERE code = 'IC'")


def test_the_demo_lands_in_postgres_and_a_new_copy_loads_it_whole(demo_url):
    with open_store(demo_url) as store:
        assert store.scalar("SELECT count(*) FROM plans") == 2
        assert store.scalar("SELECT count(*) FROM status_updates") > 500
        assert_same_as_postgres(store, demo_url)


WRITES = {
    "an upload": lambda s: commit_upload(s, updates(ic_items(s)[:5], 55.0), UploadMeta(
        "updates", "dec.csv", "ed", plan_id=ic_id(s))),
    "a revert": lambda s: revert_upload(s, s.scalar("SELECT max(id) FROM uploads WHERE plan_id ="
                                                    " (SELECT id FROM plans WHERE code = 'IC')"),
                                        by="ed", plan_id=ic_id(s)),
    "an account": lambda s: auth.add_user(s, "vera", "viewer", "a long password 1", by="admin"),
    "a grant": lambda s: auth.grant(s, "vera", "editor", plan_id=ic_id(s), by="admin"),
    "a failed sign-in": lambda s: auth.authenticate(s, "vera", "wrong password"),
    "a removed account": lambda s: auth.remove_user(s, "vera", by="admin"),
    "a plan removed": lambda s: main(["--db", s.url, "plan", "remove", "CE", "--force"]),
}


def test_every_kind_of_write_reaches_postgres_and_the_other_copy(two_copies, demo_url):
    writer, reader = two_copies
    for what, write in WRITES.items():
        write(writer)
        writer.refresh()                       # the CLI's write came from a third process
        assert_same_as_postgres(writer, demo_url)
        assert reader.refresh(), f"the other copy saw no change after {what}"
        assert_same_as_postgres(reader, demo_url)
    assert writer.scalar("SELECT count(*) FROM plans") == 1
    assert reader.data_version() == writer.data_version()


def test_a_writer_builds_on_the_other_copy_s_write_it_has_not_seen(two_copies, demo_url):
    first, second = two_copies
    one = commit_upload(first, updates(ic_items(first)[:3], 60.0),
                        UploadMeta("updates", "a.csv", "ann", plan_id=ic_id(first)))
    two = commit_upload(second, updates(ic_items(second)[3:6], 61.0),   # second never refreshed
                        UploadMeta("updates", "b.csv", "bob", plan_id=ic_id(second)))
    assert two == one + 1
    assert_same_as_postgres(second, demo_url)
    first.refresh()
    assert_same_as_postgres(first, demo_url)


def test_two_writers_at_once_both_land(two_copies, demo_url):
    stores = two_copies
    start = threading.Barrier(2)
    ids, failures = {}, []

    def write(index: int) -> None:
        store = stores[index]
        start.wait()
        try:
            for n in range(5):
                ids[(index, n)] = commit_upload(store, updates(ic_items(store)[:4], 50.0 + n),
                                                UploadMeta("updates", f"w{index}-{n}.csv",
                                                           f"writer{index}", plan_id=ic_id(store)))
        except Exception as exc:   # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(set(ids.values())) == 10
    for store in stores:
        store.refresh()
        assert_same_as_postgres(store, demo_url)
    with psycopg.connect(demo_url) as pg:
        rows = pg.execute("SELECT count(*) FROM status_updates WHERE upload_id = ANY(%s)",
                          [list(ids.values())]).fetchone()[0]
    assert rows == 10 * 4


# The child imports a big upload through the PostgreSQL store. In "shipped" mode it stops
# after every row is in PostgreSQL's transaction, before COMMIT, and says so; in "copy"
# mode it is killed while PostgreSQL is still taking the rows (COPY).
CHILD = textwrap.dedent("""
    import sys, time
    import numpy as np, pandas as pd
    import analytics.pg.store as pg_store
    from analytics.store import open_store
    from analytics.writes import UploadMeta, commit_upload

    url, mode = sys.argv[1], sys.argv[2]
    if mode == "shipped":
        def stop_before_commit(pg):
            print("SHIPPED", flush=True)
            time.sleep(120)
        pg_store._prune_change_log = stop_before_commit
    store = open_store(url)
    items = [r[0] for r in store.cursor().execute(
        "SELECT item_id FROM work_items ORDER BY item_id").fetchall()]
    n = np.arange(300_000)
    frame = pd.DataFrame({"item_id": pd.Series(n % len(items)).map(items.__getitem__),
                          "as_of": pd.Timestamp("2026-12-01").date(),
                          "percent_complete": (n % 101).astype(float), "status": "green",
                          "note": "a note long enough to take some time to copy", "party": "India"})
    plan = store.scalar("SELECT id FROM plans WHERE code = 'IC'")
    print("READY", flush=True)
    commit_upload(store, frame, UploadMeta("updates", "big.csv", "child", plan_id=plan))
    print("COMMITTED", flush=True)
""")


def _child(url: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, url, mode], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _copying(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as pg:
        return bool(pg.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%%'"
                               " AND application_name = 'workplan'").fetchone()[0])


def _wait_for(condition, timeout: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the child never got there"
        time.sleep(0.01)


@pytest.mark.parametrize("mode", ["shipped", "copy"])
def test_a_writer_killed_mid_commit_leaves_nothing(demo_url, mode):
    with psycopg.connect(demo_url) as pg:
        before = pg.execute("SELECT count(*), (SELECT count(*) FROM status_updates),"
                            " (SELECT count(*) FROM change_log) FROM uploads").fetchone()
    child = _child(demo_url, mode)
    try:
        assert child.stdout.readline().strip() == "READY"
        if mode == "shipped":
            assert child.stdout.readline().strip() == "SHIPPED"
        else:
            _wait_for(lambda: _copying(demo_url))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    with psycopg.connect(demo_url) as pg:
        after = pg.execute("SELECT count(*), (SELECT count(*) FROM status_updates),"
                           " (SELECT count(*) FROM change_log) FROM uploads").fetchone()
    assert after == before
    with open_store(demo_url) as store:             # the next process opens and writes
        assert_same_as_postgres(store, demo_url)
        commit_upload(store, updates(ic_items(store)[:2], 70.0),
                      UploadMeta("updates", "after.csv", "ed", plan_id=ic_id(store)))


def test_a_server_that_goes_away_is_one_sentence_and_the_store_recovers(tmp_path):
    from analytics.pg.local_server import LocalPostgres

    server = LocalPostgres(tmp_path / "pg")
    server.initdb()
    server.start()
    try:
        with psycopg.connect(server.url(), autocommit=True) as pg:
            pg.execute("CREATE ROLE app LOGIN PASSWORD 'hunter2-secret' SUPERUSER")
        url = server.url(user="app").replace("app@", "app:hunter2-secret@")
        assert main(["--db", url, "demo"]) == 0
        store = open_store(url)
        server.stop()
        assert not server.is_running()
        with pytest.raises(Exception) as gone:
            store.refresh()
        sentence = str(gone.value)
        assert "cannot be reached" in sentence and "hunter2" not in sentence
        assert "\n" not in sentence
        err = io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "stderr", err)
            assert main(["--db", url, "metrics", "--plan", "IC"]) == 1
        assert "cannot be reached" in err.getvalue() and "hunter2" not in err.getvalue()
        assert len(err.getvalue().strip().splitlines()) == 1
        server.start()
        store.refresh()
        assert_writes_land_again(store, url, 71.0)
    finally:
        server.stop()


def assert_writes_land_again(store, url: str, percent: float) -> None:
    """After the server is back: an upload lands in PostgreSQL and the copy; then close."""
    commit_upload(store, updates(ic_items(store)[:2], percent),
                  UploadMeta("updates", "back.csv", "ed", plan_id=ic_id(store)))
    assert_same_as_postgres(store, url)
    store.close()


def test_a_server_back_after_a_long_outage_is_used_at_once(tmp_path, monkeypatch):
    """The pool waits longer after each failed reconnection (1, 2, 4 ... s): after a long
    outage its next attempt may be a minute away. A server that answers again is used at the
    next refresh all the same. (The first wait is made 60 s here: the same state, at once.)"""
    from psycopg_pool.base import AttemptWithBackoff

    from analytics.pg.local_server import LocalPostgres

    server = LocalPostgres(tmp_path / "pg")
    server.initdb()
    server.start()
    try:
        url = server.url()
        assert main(["--db", url, "demo"]) == 0
        store = open_store(url)
        monkeypatch.setattr(AttemptWithBackoff, "INITIAL_DELAY", 60.0)
        server.stop()
        with pytest.raises(Exception, match="cannot be reached"):
            store.refresh()
        server.start()
        store.refresh()                             # within POOL_TIMEOUT, not a minute later
        assert_writes_land_again(store, url, 72.0)
    finally:
        server.stop()


def test_the_app_works_as_a_role_that_cannot_change_the_schema(postgres_server):
    """The README's roles: the owner runs `workplan init`, the app role only reads and writes."""
    admin = postgres_server.url()
    with psycopg.connect(admin, autocommit=True) as pg:
        for statement in ("DROP DATABASE IF EXISTS pulse WITH (FORCE)",
                          "DROP ROLE IF EXISTS pulse_app", "DROP ROLE IF EXISTS pulse_owner",
                          "CREATE ROLE pulse_owner LOGIN", "CREATE DATABASE pulse OWNER pulse_owner",
                          "CREATE ROLE pulse_app LOGIN"):
            pg.execute(statement)
    with psycopg.connect(postgres_server.url("pulse"), autocommit=True) as pg:
        for statement in (
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                "GRANT CONNECT ON DATABASE pulse TO pulse_app",
                "GRANT USAGE ON SCHEMA public TO pulse_app",
                "ALTER DEFAULT PRIVILEGES FOR ROLE pulse_owner IN SCHEMA public"
                " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pulse_app",
                "ALTER DEFAULT PRIVILEGES FOR ROLE pulse_owner IN SCHEMA public"
                " GRANT USAGE, SELECT ON SEQUENCES TO pulse_app"):
            pg.execute(statement)
    app = postgres_server.url("pulse", user="pulse_app")
    code = main(["--db", app, "init"])
    assert code == 1                                    # may not create the schema: one sentence
    owner = postgres_server.url("pulse", user="pulse_owner")
    assert main(["--db", owner, "demo"]) == 0
    with open_store(app) as store:
        commit_upload(store, updates(ic_items(store)[:3], 64.0),
                      UploadMeta("updates", "app.csv", "ed", plan_id=ic_id(store)))
        assert_same_as_postgres(store, app)
    with psycopg.connect(app) as pg, pytest.raises(psycopg.errors.InsufficientPrivilege):
        pg.execute("CREATE TABLE sneaky (x int)")


def test_sslmode_in_the_url_reaches_every_connection(pg_url):
    """`?sslmode=` passes through to psycopg's pool and to the Arrow (ADBC) reads: the test
    server has no TLS, so `disable` works end to end and `require` is refused by both, with
    one sentence that keeps the parameter in the URL it names."""
    assert main(["--db", f"{pg_url}?sslmode=disable", "demo"]) == 0
    with open_store(f"{pg_url}?sslmode=disable") as store:
        assert store.cursor().execute("SELECT count(*) FROM work_items").fetchone()[0] > 0
    with pytest.raises(Exception) as refused:
        open_store(f"{pg_url}?sslmode=require")
    sentence = str(refused.value)
    assert "SSL" in sentence and "sslmode=require" in sentence and "\n" not in sentence
    with pytest.raises(Exception, match="SSL"):
        fetch_arrow(f"{pg_url}?sslmode=require", "SELECT 1")
