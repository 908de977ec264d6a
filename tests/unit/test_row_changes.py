"""What a DuckDB transaction changed (analytics.pg.changes), the basis of PostgreSQL writes.

The PostgreSQL store ships exactly these rows, so they must be exact: every insert,
update (as a removed old row and an added new one) and delete, and nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from analytics.pg.changes import APPEND_ONLY, LOCAL_ROW_ID, transaction_changes
from analytics.pg.replay import apply_to_duckdb, ipc_bytes, read_ipc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database():
    connection = duckdb.connect(":memory:")
    connection.execute("CREATE TABLE users (name VARCHAR PRIMARY KEY, role VARCHAR, n INTEGER)")
    connection.execute("CREATE TABLE audit_log (id BIGINT, detail VARCHAR)")   # append-only
    connection.execute("INSERT INTO users VALUES ('ann', 'viewer', 1), ('bob', NULL, 2),"
                       " ('cy', 'admin', 3)")
    connection.execute("INSERT INTO audit_log VALUES (1, 'a'), (2, NULL)")
    yield connection
    connection.close()


def changes_of(database, *statements):
    inside, outside = database.cursor(), database.cursor()
    inside.execute("BEGIN TRANSACTION")
    for statement in statements:
        inside.execute(statement)
    found = {c.table: (sorted(c.removed.to_pylist(), key=str), sorted(c.added.to_pylist(), key=str))
             for c in transaction_changes(inside, outside)}
    inside.execute("ROLLBACK")
    return found


CASES = [
    ("nothing", [], {}),
    ("insert", ["INSERT INTO users VALUES ('dee', 'editor', 4)"],
     {"users": ([], [{"name": "dee", "role": "editor", "n": 4}])}),
    ("update a column", ["UPDATE users SET role = 'editor' WHERE name = 'bob'"],
     {"users": ([{"name": "bob", "role": None, "n": 2}], [{"name": "bob", "role": "editor", "n": 2}])}),
    ("update the key", ["UPDATE users SET name = 'ann2' WHERE name = 'ann'"],
     {"users": ([{"name": "ann", "role": "viewer", "n": 1}],
                [{"name": "ann2", "role": "viewer", "n": 1}])}),
    ("delete", ["DELETE FROM users WHERE n > 2"],
     {"users": ([{"name": "cy", "role": "admin", "n": 3}], [])}),
    ("insert then delete the same row", ["INSERT INTO users VALUES ('x', 'y', 9)",
                                         "DELETE FROM users WHERE name = 'x'"], {}),
    ("update to the same value", ["UPDATE users SET n = n WHERE name = 'ann'"], {}),
    ("append", ["INSERT INTO audit_log VALUES (3, 'c')"],
     {"audit_log": ([], [{"id": 3, "detail": "c"}])}),
    ("delete from an append-only table", ["DELETE FROM audit_log WHERE detail IS NULL"],
     {"audit_log": ([{"id": 2, "detail": None}], [])}),
    ("several tables", ["INSERT INTO audit_log VALUES (3, 'c')", "DELETE FROM users"],
     {"audit_log": ([], [{"id": 3, "detail": "c"}]),
      "users": ([{"name": "ann", "role": "viewer", "n": 1}, {"name": "bob", "role": None, "n": 2},
                 {"name": "cy", "role": "admin", "n": 3}], [])}),
]


@pytest.mark.parametrize(("statements", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_transaction_changes_are_exactly_what_changed(database, statements, expected):
    assert changes_of(database, *statements) == expected


def test_replaying_the_changes_on_a_copy_gives_the_same_tables(database):
    copy = duckdb.connect(":memory:")
    for table in ("users", "audit_log"):
        copy.execute(database.execute("SELECT sql FROM duckdb_tables() WHERE table_name = ?",
                                      [table]).fetchall()[0][0])
        rows = database.sql(f"SELECT * FROM {table}").to_arrow_table()
        copy.register("rows", rows)
        copy.execute(f"INSERT INTO {table} SELECT * FROM rows")
        copy.unregister("rows")
    inside, outside = database.cursor(), database.cursor()
    inside.execute("BEGIN TRANSACTION")
    inside.execute("UPDATE users SET role = 'editor', name = 'bo' WHERE name = 'bob'")
    inside.execute("INSERT INTO audit_log VALUES (3, ''), (4, NULL)")
    inside.execute("DELETE FROM users WHERE name = 'cy'")
    changes = transaction_changes(inside, outside)
    inside.execute("COMMIT")
    shipped = [type(c)(c.table, read_ipc(ipc_bytes(c.removed)), read_ipc(ipc_bytes(c.added)))
               for c in changes]
    apply_to_duckdb(copy.cursor(), shipped)
    for table in ("users", "audit_log"):
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert copy.execute(query).fetchall() == database.execute(query).fetchall()


def test_rows_inserted_in_a_transaction_are_numbered_from_local_row_id(database):
    """The constant is DuckDB's; a DuckDB release that changed it must fail here."""
    cur = database.cursor()
    cur.execute("BEGIN TRANSACTION")
    cur.execute("INSERT INTO audit_log VALUES (9, 'z')")
    assert cur.execute("SELECT min(rowid) FROM audit_log WHERE id = 9").fetchall()[0][0] \
        == LOCAL_ROW_ID
    cur.execute("ROLLBACK")


def test_no_code_updates_an_append_only_table():
    """Append-only tables are compared by row count only; an UPDATE of one would be missed."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "analytics").rglob("*.py"))
    code += "\n".join(p.read_text(encoding="utf-8")
                      for p in (ROOT / "analytics" / "sql").glob("[0-9]*.sql")
                      if int(p.name[:3]) > 5)   # 005 rebuilt the tables before this existed
    updated = set(re.findall(r"UPDATE\s+([a-z_]+)", code))
    assert not updated & APPEND_ONLY
