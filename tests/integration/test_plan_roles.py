"""Roles per plan (migration 006, analytics/auth.py): grants, the role that counts on each
plan, the plans an account sees, revokes, who may change what, the audit log, and a store
upgraded from one plan."""

from __future__ import annotations

import duckdb
import pytest

from analytics import auth
from analytics.plans import add_plan
from analytics.store import latest_schema_version, migrate, migration_files, open_store


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def plans(fresh_store) -> dict[str, int]:
    """{code: id} of three plans, added out of code order."""
    return {code: add_plan(fresh_store, code, title=f"Plan {code}", by="test").id
            for code in ("IC", "CE", "TR")}


def audit_lines(store) -> list[tuple]:
    return store.cursor().execute("SELECT username, action, detail, plan_id FROM audit_log"
                                  " WHERE action LIKE 'user%' ORDER BY id").fetchall()


def test_grants_give_roles_on_single_plans(fresh_store, plans):
    auth.add_user(fresh_store, "alice", "editor", by="test", plan_id=plans["IC"])
    auth.grant(fresh_store, "alice", "viewer", plan_id=plans["CE"], by="boss")
    assert auth.plan_roles(fresh_store, "alice") == {plans["IC"]: "editor", plans["CE"]: "viewer"}
    assert auth.role_on(fresh_store, "ALICE", plans["IC"]) == "editor"
    assert auth.role_on(fresh_store, "alice", plans["TR"]) is None
    assert [p.code for p in auth.visible_plans(fresh_store, "alice")] == ["CE", "IC"]
    account = auth.find_user(fresh_store, "alice")
    assert account.role is None
    assert [(g.plan_code, g.role) for g in account.grants] == [("CE", "viewer"), ("IC", "editor")]


def test_an_all_plans_role_covers_every_plan_and_plans_added_later(fresh_store, plans):
    auth.add_user(fresh_store, "office", "viewer", by="test")
    auth.grant(fresh_store, "office", "admin", plan_id=plans["CE"], by="test")
    later = add_plan(fresh_store, "ZZ", title="Later", by="test")
    assert auth.plan_roles(fresh_store, "office") == {
        plans["IC"]: "viewer", plans["CE"]: "admin", plans["TR"]: "viewer", later.id: "viewer"}
    assert len(auth.visible_plans(fresh_store, "office")) == 4


def test_a_grant_below_the_all_plans_role_is_kept_but_the_higher_counts(fresh_store, plans):
    auth.add_user(fresh_store, "office", "admin", by="test")
    assert auth.grant(fresh_store, "office", "viewer", plan_id=plans["IC"], by="test") == "admin"
    auth.revoke(fresh_store, "office", plan_id=None, by="test")
    assert auth.plan_roles(fresh_store, "office") == {plans["IC"]: "viewer"}


def test_granting_again_replaces_and_revoke_removes(fresh_store, plans):
    auth.add_user(fresh_store, "alice", "viewer", by="test", plan_id=plans["IC"])
    auth.grant(fresh_store, "alice", "admin", plan_id=plans["IC"], by="test")
    assert fresh_store.scalar("SELECT count(*) FROM plan_roles") == 1
    assert auth.role_on(fresh_store, "alice", plans["IC"]) == "admin"
    auth.revoke(fresh_store, "alice", plan_id=plans["IC"], by="test")
    assert auth.plan_roles(fresh_store, "alice") == {}
    assert auth.visible_plans(fresh_store, "alice") == []
    assert auth.find_user(fresh_store, "alice") is not None      # the account stays


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, p: auth.revoke(s, "alice", plan_id=p["CE"], by="t"), "no role on CE to revoke"),
    (lambda s, p: auth.revoke(s, "alice", plan_id=None, by="t"), "no all-plans role"),
    (lambda s, p: auth.revoke(s, "office", plan_id=p["IC"], by="t"), "all-plans role (editor)"),
    (lambda s, p: auth.grant(s, "alice", "owner", plan_id=p["IC"], by="t"), "not a role"),
    (lambda s, p: auth.grant(s, "ghost", "viewer", plan_id=p["IC"], by="t"), "no user"),
    (lambda s, p: auth.grant(s, "alice", "viewer", plan_id=99, by="t"), "no plan with id 99"),
    (lambda s, p: auth.add_user(s, "new", "viewer", by="t", plan_id=99), "no plan with id 99"),
])
def test_mistakes_are_refused_and_change_nothing(fresh_store, plans, call, message):
    auth.add_user(fresh_store, "alice", "viewer", by="test", plan_id=plans["IC"])
    auth.add_user(fresh_store, "office", "editor", by="test")
    before = fresh_store.cursor().execute("SELECT * FROM plan_roles").fetchall()
    with pytest.raises(auth.AuthError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(fresh_store, plans)
    assert fresh_store.cursor().execute("SELECT * FROM plan_roles").fetchall() == before
    assert auth.find_user(fresh_store, "new") is None


def test_removing_an_account_removes_its_grants(fresh_store, plans):
    auth.add_user(fresh_store, "alice", "viewer", by="test", plan_id=plans["IC"])
    auth.grant(fresh_store, "alice", "editor", plan_id=plans["CE"], by="test")
    auth.remove_user(fresh_store, "alice", by="test")
    assert fresh_store.scalar("SELECT count(*) FROM plan_roles") == 0
    auth.add_user(fresh_store, "alice", "viewer", by="test")      # a new account starts clean
    assert auth.find_user(fresh_store, "alice").grants == ()


def test_every_change_is_audited_with_its_plan(fresh_store, plans):
    ic, ce = plans["IC"], plans["CE"]
    auth.add_user(fresh_store, "alice", "editor", by="boss", plan_id=ic)
    auth.grant(fresh_store, "alice", "viewer", plan_id=ce, by="boss")
    auth.grant(fresh_store, "alice", "viewer", plan_id=None, by="boss")
    auth.revoke(fresh_store, "alice", plan_id=ce, by="ivy")
    auth.revoke(fresh_store, "alice", plan_id=None, by="boss")
    auth.remove_user(fresh_store, "alice", by="boss")
    assert audit_lines(fresh_store) == [
        ("boss", "user_add", "alice as editor on IC", ic),
        ("boss", "user_grant", "alice as viewer on CE", ce),
        ("boss", "user_grant", "alice as viewer on all plans", None),
        ("ivy", "user_revoke", "alice as viewer on CE", ce),
        ("boss", "user_revoke", "alice as viewer on all plans", None),
        ("boss", "user_remove", "alice", None),
    ]


def test_who_may_manage_what(fresh_store, plans):
    auth.add_user(fresh_store, "boss", "admin", by="test")
    auth.add_user(fresh_store, "ivy", "admin", by="test", plan_id=plans["IC"])
    auth.grant(fresh_store, "ivy", "editor", plan_id=plans["CE"], by="test")
    auth.add_user(fresh_store, "eddie", "editor", by="test")
    assert auth.may_manage(fresh_store, "boss", None) and auth.may_manage(fresh_store, "boss", plans["TR"])
    assert auth.may_manage(fresh_store, "ivy", plans["IC"])
    assert not auth.may_manage(fresh_store, "ivy", plans["CE"])    # only an editor there
    assert not auth.may_manage(fresh_store, "ivy", None)           # no accounts, no all-plans roles
    assert [auth.manages_accounts(fresh_store, n) for n in ("boss", "ivy", "eddie", "ghost")] == [
        True, True, False, False]
    rights = auth.management(fresh_store, "ivy")
    assert [p.code for p in rights.plans] == ["IC"] and not rights.accounts
    with pytest.raises(auth.AuthError, match="admin of that plan"):
        rights.check(plans["CE"])
    with pytest.raises(auth.AuthError, match="admin of all plans"):
        rights.check(None)
    with pytest.raises(auth.AuthError, match="your own roles"):
        rights.check(plans["IC"], "IVY")
    rights.check(plans["IC"], "eddie")


def test_local_mode_manages_everything(fresh_store, plans):
    rights = auth.management(fresh_store, "local:someone", local=True)
    assert rights.accounts and [p.code for p in rights.plans] == ["CE", "IC", "TR"]
    assert not auth.management(fresh_store, "local:someone").anything


def test_the_accounts_table_shows_only_the_plans_an_admin_manages(fresh_store, plans):
    auth.add_user(fresh_store, "boss", "admin", "correct horse battery", by="test")
    auth.add_user(fresh_store, "ivy", "admin", by="test", plan_id=plans["IC"])
    auth.add_user(fresh_store, "vera", "viewer", by="test", plan_id=plans["CE"])
    everything = auth.account_rows(fresh_store, auth.management(fresh_store, "boss"))
    assert [(r["name"], r["password"], r["all_plans"], r["CE"], r["IC"], r["TR"])
            for r in everything] == [("boss", "yes", "admin", "", "", ""),
                                     ("ivy", "no", "", "", "admin", ""),
                                     ("vera", "no", "", "viewer", "", "")]
    one_plan = auth.account_rows(fresh_store, auth.management(fresh_store, "ivy"))
    assert all(set(r) == {"name", "password", "last_sign_in", "all_plans", "IC"} for r in one_plan)


def test_a_role_outside_the_three_is_refused_by_the_database(fresh_store, plans):
    with pytest.raises(duckdb.ConstraintException):
        fresh_store.cursor().execute("INSERT INTO plan_roles VALUES ('x', 1, 'root', 't', now())")


def single_plan_store(path) -> None:
    """A database as a one-plan release (schema version 4) left it: an upload, two accounts."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMP NOT NULL)")
    for version, name, sql in migration_files():
        if version <= 4:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO data_version VALUES (0)")
    con.execute("INSERT INTO uploads (id, kind, filename, uploaded_by, uploaded_at, outcome)"
                " VALUES (1, 'items', 'i.csv', 't', now(), 'committed')")
    con.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES"
                " ('priya', 'editor', NULL, now()), ('lead', 'admin', NULL, now())")
    con.close()


def test_a_store_upgraded_from_one_plan_keeps_every_role(tmp_path):
    db_path = tmp_path / "v5.duckdb"           # a DuckDB file of an earlier release
    single_plan_store(db_path)
    with open_store(db_path) as store:
        assert store.schema_version() == latest_schema_version()
        assert [(a.name, a.role, a.grants) for a in auth.list_users(store)] == [
            ("lead", "admin", ()), ("priya", "editor", ())]
        assert auth.plan_roles(store, "priya") == {1: "editor"}
        assert [p.code for p in auth.visible_plans(store, "lead")] == ["main"]
        assert auth.may_manage(store, "lead", 1) and auth.may_manage(store, "lead", None)
        assert migrate(store.cursor()) == latest_schema_version()   # a second run: no change
        auth.add_user(store, "ivy", "viewer", by="test", plan_id=1)    # role may now be NULL
        assert (auth.find_user(store, "ivy").role, auth.plan_roles(store, "ivy")) == (None, {1: "viewer"})


def test_migration_006_runs_twice(fresh_store):
    sql = next(text for version, _, text in migration_files() if version == 6)
    fresh_store.cursor().execute(sql)
    auth.add_user(fresh_store, "alice", "viewer", by="test")
    fresh_store.cursor().execute(sql)
    assert auth.find_user(fresh_store, "alice").role == "viewer"
