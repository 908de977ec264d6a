"""The snapshot a PostgreSQL store keeps for its processes' first load, on a real server.

A process loads its copy from the snapshot and the change log after it when it can, and from
the tables otherwise; either way its copy is exactly what PostgreSQL's tables hold. A
snapshot that does not fit the store (pruned log, other schema, a row count that differs,
a part missing or unreadable) is not used and is written anew from the tables.
"""

from __future__ import annotations

import logging

import psycopg
import pytest

from analytics import auth
from analytics.pg import snapshot
from analytics.pg import store as pg_store
from analytics.pg.changes import store_tables
from analytics.store import latest_schema_version, open_store
from analytics.writes import UploadMeta, commit_upload, revert_upload
from tests.integration.test_postgres_store import assert_same_as_postgres, ic_id, ic_items, updates


@pytest.fixture
def demo_url(pg_url) -> str:
    """The demo store in PostgreSQL, with no snapshot yet."""
    from analytics.cli import main

    assert main(["--db", pg_url, "demo"]) == 0
    with psycopg.connect(pg_url) as pg:
        pg.execute("DELETE FROM copy_snapshot")
    return pg_url


def loaded_from(url: str, caplog) -> str:
    """Open and close a store on `url`; return where its copy came from, checking it whole."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=pg_store.LOG.name), open_store(url) as store:
        assert_same_as_postgres(store, url)
    [said] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("loaded ")]
    return said.split(" from ")[1].split(" in ")[0]


def snapshot_position(url: str) -> tuple[set[int], int, int]:
    """(the snapshot's change-log positions, its parts, the change log's head)."""
    with psycopg.connect(url) as pg:
        positions = {seq for (seq,) in pg.execute("SELECT DISTINCT through_seq FROM copy_snapshot")}
        parts = pg.execute("SELECT count(*) FROM copy_snapshot").fetchone()[0]
        head = pg.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
    return positions, parts, head


def write_twice(url: str) -> None:
    """An upload and its revert, from a process of their own (change-log entries)."""
    with open_store(url) as store:
        meta = UploadMeta("updates", "dec.csv", "ed", plan_id=ic_id(store))
        commit_upload(store, updates(ic_items(store)[:4], 71.0), meta)
        commit_upload(store, updates(ic_items(store)[4:9], 12.0), meta)
        revert_upload(store, store.scalar("SELECT max(id) FROM uploads"), by="ed",
                      plan_id=ic_id(store))


def test_a_process_that_finds_no_snapshot_loads_the_tables_and_writes_one(demo_url, caplog):
    assert loaded_from(demo_url, caplog) == "the tables"
    positions, parts, head = snapshot_position(demo_url)
    with open_store(demo_url) as store:
        assert parts == len(store_tables(store.cursor()))
    assert positions == {head}
    assert loaded_from(demo_url, caplog) == "the snapshot"


def test_the_snapshot_and_the_log_after_it_give_the_tables_rows(demo_url, caplog):
    assert loaded_from(demo_url, caplog) == "the tables"
    write_twice(demo_url)
    positions, _, head = snapshot_position(demo_url)
    assert max(positions) < head                    # the writes are in the log, after it
    assert loaded_from(demo_url, caplog) == "the snapshot"   # ... and replayed: same rows


def _prune_the_log(pg):
    pg.execute("UPDATE change_log_pruned SET through_seq = (SELECT max(seq) FROM change_log)")


UNUSABLE = {
    "the log pruned past it": _prune_the_log,
    "another schema version": lambda pg: pg.execute(
        "UPDATE copy_snapshot SET schema_version = schema_version - 1"),
    "a row count that differs": lambda pg: pg.execute(
        "DELETE FROM status_updates WHERE ctid = (SELECT min(ctid) FROM status_updates)"),
    "parts at two positions": lambda pg: pg.execute(
        "UPDATE copy_snapshot SET through_seq = through_seq - 1 WHERE table_name = 'plans'"),
    "a part missing": lambda pg: pg.execute("DELETE FROM copy_snapshot WHERE table_name = 'users'"),
    "a part that lost rows": lambda pg: pg.execute(
        "UPDATE copy_snapshot SET row_count = row_count + 1 WHERE table_name = 'work_items'"),
    "an unreadable part": lambda pg: pg.execute(
        "UPDATE copy_snapshot SET parquet = 'not parquet'::bytea WHERE table_name = 'milestones'"),
}


@pytest.mark.parametrize("spoilt", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_a_snapshot_that_does_not_fit_is_not_used_and_is_written_anew(demo_url, caplog, spoilt):
    assert loaded_from(demo_url, caplog) == "the tables"
    write_twice(demo_url)
    with psycopg.connect(demo_url) as pg:
        spoilt(pg)
    assert loaded_from(demo_url, caplog) == "the tables"
    positions, _, head = snapshot_position(demo_url)
    assert positions == {head}
    assert loaded_from(demo_url, caplog) == "the snapshot"


def test_a_snapshot_far_behind_is_written_anew_by_the_next_load(demo_url, caplog, monkeypatch):
    assert loaded_from(demo_url, caplog) == "the tables"
    write_twice(demo_url)                          # (each write finds its snapshot not yet due)
    assert max(snapshot_position(demo_url)[0]) < snapshot_position(demo_url)[2]
    monkeypatch.setattr(snapshot, "SNAPSHOT_STALE_BYTES", 0)
    assert loaded_from(demo_url, caplog) == "the snapshot"
    positions, _, head = snapshot_position(demo_url)
    assert positions == {head}


def test_a_writer_brings_a_snapshot_far_behind_up_to_date(demo_url, caplog, monkeypatch):
    assert loaded_from(demo_url, caplog) == "the tables"
    monkeypatch.setattr(snapshot, "SNAPSHOT_STALE_BYTES", 0)
    write_twice(demo_url)
    positions, _, head = snapshot_position(demo_url)
    assert positions == {head}
    assert loaded_from(demo_url, caplog) == "the snapshot"


def _age_the_log(pg):
    pg.execute("UPDATE change_log SET logged_at = logged_at - interval '2 days'")


def test_pruning_keeps_the_entries_after_the_snapshot(demo_url, caplog):
    assert loaded_from(demo_url, caplog) == "the tables"
    write_twice(demo_url)
    with psycopg.connect(demo_url) as pg:
        _age_the_log(pg)
    write_twice(demo_url)                          # its writes prune the log
    [kept_from] = snapshot_position(demo_url)[0]
    with psycopg.connect(demo_url) as pg:
        first = pg.execute("SELECT min(seq) FROM change_log").fetchone()[0]
        pruned = pg.execute("SELECT through_seq FROM change_log_pruned").fetchone()[0]
    assert first == kept_from + 1 and pruned == kept_from
    assert loaded_from(demo_url, caplog) == "the snapshot"


def test_with_no_snapshot_pruning_drops_every_old_entry_and_a_copy_behind_reloads(demo_url):
    with open_store(demo_url) as behind:
        with psycopg.connect(demo_url) as pg:
            pg.execute("DELETE FROM copy_snapshot")
        write_twice(demo_url)                      # its load writes a snapshot ...
        with psycopg.connect(demo_url) as pg:
            pg.execute("DELETE FROM copy_snapshot")      # ... taken away again
            _age_the_log(pg)
            head = pg.execute("SELECT max(seq) FROM change_log").fetchone()[0]
        with open_store(demo_url) as writer, psycopg.connect(demo_url) as pg:
            pg.execute("DELETE FROM copy_snapshot")
            pg.commit()
            auth.add_user(writer, "late", "viewer", "a long password 1", by="admin")
            pruned = pg.execute("SELECT through_seq FROM change_log_pruned").fetchone()[0]
            assert pruned == head                  # every entry older than a day is gone
        assert behind.refresh()                   # older than the pruned log: reloads
        assert_same_as_postgres(behind, demo_url)


def test_a_role_that_may_not_write_the_snapshot_still_loads(demo_url, postgres_server, caplog):
    role = f"snapshot_reader_{abs(hash(demo_url)) % 10_000}"
    database = demo_url.rsplit("/", 1)[1]
    with psycopg.connect(demo_url, autocommit=True) as pg:
        pg.execute(f"DROP ROLE IF EXISTS {role}")
        for statement in (f"CREATE ROLE {role} LOGIN",
                          f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
                          f" TO {role}",
                          f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
                          f"REVOKE INSERT, DELETE ON copy_snapshot FROM {role}"):
            pg.execute(statement)
    try:
        url = postgres_server.url(database, user=role)
        with caplog.at_level(logging.WARNING, logger="analytics.pg.snapshot"):
            assert loaded_from(url, caplog) == "the tables"
        assert any("could not write the snapshot" in r.getMessage() for r in caplog.records)
        assert snapshot_position(demo_url)[1] == 0
    finally:
        with psycopg.connect(demo_url, autocommit=True) as pg:
            pg.execute(f"DROP OWNED BY {role}")
            pg.execute(f"DROP ROLE {role}")


def test_the_snapshot_records_this_release_s_schema(demo_url, caplog):
    loaded_from(demo_url, caplog)
    with psycopg.connect(demo_url) as pg:
        versions = {v for (v,) in pg.execute("SELECT DISTINCT schema_version FROM copy_snapshot")}
    assert versions == {latest_schema_version()}


def test_a_writer_whose_copy_the_log_has_left_behind_reloads_and_writes(demo_url, caplog):
    """A write that finds the log pruned past its copy reloads it (the tables, since the snapshot
    is as old), writes a new snapshot on a connection of its own, and its write still lands."""
    with open_store(demo_url) as writer:
        write_twice(demo_url)
        with psycopg.connect(demo_url) as pg:
            _prune_the_log(pg)
        before = snapshot_position(demo_url)[2]
        commit_upload(writer, updates(ic_items(writer)[:3], 33.0),
                      UploadMeta("updates", "late.csv", "ed", plan_id=ic_id(writer)))
        assert_same_as_postgres(writer, demo_url)
    positions, _, head = snapshot_position(demo_url)
    assert positions == {before} and head > before
    assert loaded_from(demo_url, caplog) == "the snapshot"


def test_a_store_copied_from_a_file_starts_from_the_snapshot_the_copy_wrote(sample_db, pg_url,
                                                                              caplog):
    from analytics.cli import main

    assert main(["--db", str(sample_db), "copy", "--to", pg_url]) == 0
    positions, parts, head = snapshot_position(pg_url)
    assert positions == {head} and parts > 15
    assert loaded_from(pg_url, caplog) == "the snapshot"
