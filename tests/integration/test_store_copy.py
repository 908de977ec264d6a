"""`workplan copy` moves a whole store into PostgreSQL and back without changing a row, and
the two stores' schemas are the same tables and columns (the contract that catches a
migration added to one store only)."""

from __future__ import annotations

import io
import sys

import psycopg
import pytest

from analytics import auth
from analytics.cli import main
from analytics.pg.changes import store_tables
from analytics.pg.copy import store_contents
from analytics.pg.schema import POSTGRES_ONLY_TABLES
from analytics.store import migration_files, open_store
from analytics.writes import revert_upload

PG_TYPES = {"VARCHAR": "text", "INTEGER": "integer", "BIGINT": "bigint",
            "DOUBLE": "double precision", "DATE": "date",
            "TIMESTAMP": "timestamp without time zone", "BOOLEAN": "boolean"}


def sorted_rows(table):
    return sorted(table.to_pylist(), key=lambda row: tuple(map(repr, row.values())))


def run(argv) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", out)
        code = main(argv)
    return code, out.getvalue()


@pytest.fixture
def busy_store(sample_db):
    """The sample store plus an account, a plan role, an audit row and a reverted upload."""
    with open_store(sample_db) as store:
        auth.add_user(store, "vera", "viewer", "a long password 1", by="admin")
        plan = store.scalar("SELECT id FROM plans ORDER BY id LIMIT 1")
        auth.grant(store, "vera", "editor", plan_id=plan, by="admin")
        last = store.scalar("SELECT max(id) FROM uploads WHERE plan_id = ?", [plan])
        revert_upload(store, last, by="admin", plan_id=plan)
    return sample_db


def password_url(pg_url: str, postgres_server) -> str:
    with psycopg.connect(postgres_server.url(), autocommit=True) as pg:
        pg.execute("DROP ROLE IF EXISTS mover")
        pg.execute("CREATE ROLE mover LOGIN SUPERUSER PASSWORD 'copy-secret-99'")
    return pg_url.replace("postgres@", "mover:copy-secret-99@")


def test_a_store_copied_to_postgres_and_back_is_the_same_in_every_table(
        busy_store, pg_url, postgres_server, tmp_path):
    url = password_url(pg_url, postgres_server)
    code, said = run(["--db", str(busy_store), "copy", "--to", url])
    assert code == 0, said
    assert "copy-secret-99" not in said and "mover:***@" in said
    back = tmp_path / "back.duckdb"
    code, said = run(["copy", "--from", url, "--to", str(back)])
    assert code == 0, said
    with open_store(busy_store) as original, open_store(back) as returned:
        before, after = store_contents(original), store_contents(returned)
    assert before.keys() == after.keys()
    for name in before:
        assert before[name].schema == after[name].schema, name
        assert sorted_rows(before[name]) == sorted_rows(after[name]), name
    with open_store(url) as through_postgres:
        assert sorted_rows(store_contents(through_postgres)["uploads"]) == \
            sorted_rows(before["uploads"])


def test_copying_into_a_store_that_holds_data_is_refused_and_writes_nothing(sample_db, pg_url,
                                                                              tmp_path):
    assert run(["--db", str(sample_db), "copy", "--to", pg_url])[0] == 0
    with psycopg.connect(pg_url) as pg:
        before = pg.execute("SELECT count(*) FROM status_updates").fetchone()[0]
    code, said = run(["--db", str(sample_db), "copy", "--to", pg_url])
    assert code == 2 and "already holds a store" in said and len(said.strip().splitlines()) == 1
    with psycopg.connect(pg_url) as pg:
        assert pg.execute("SELECT count(*) FROM status_updates").fetchone()[0] == before
    code, said = run(["copy", "--from", pg_url, "--to", str(sample_db)])
    assert code == 2 and "already holds a store" in said


def test_the_two_stores_have_the_same_tables_and_columns(pg_url, fresh_store):
    with open_store(pg_url):
        pass                                    # migrated
    duck = fresh_store.cursor()
    expected = {}
    for name in store_tables(duck):
        expected[name] = [(c, PG_TYPES[t], n) for c, t, n in duck.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_name = ? ORDER BY ordinal_position", [name]).fetchall()]
    with psycopg.connect(pg_url) as pg:
        found = {}
        for name, column, kind, nullable in pg.execute(
                "SELECT table_name, column_name, data_type, is_nullable"
                " FROM information_schema.columns WHERE table_schema = 'public'"
                " ORDER BY table_name, ordinal_position").fetchall():
            if name not in ("schema_version", *POSTGRES_ONLY_TABLES):
                found.setdefault(name, []).append((column, kind, nullable))
    assert found == expected


def test_every_migration_exists_for_both_stores_under_the_same_number_and_name():
    duck = [name for _, name, _ in migration_files("analytics.sql")]
    postgres = [name for _, name, _ in migration_files("analytics.sql_pg")]
    assert duck == postgres
