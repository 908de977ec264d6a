"""Roles, who may manage accounts, password hashing and the sign-in back-off
(analytics/auth.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics import auth
from analytics.plans import Plan

NOW = datetime(2026, 11, 24, 12, 0, 0)


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.mark.parametrize(("role", "action", "allowed"), [
    ("viewer", "view", True), ("viewer", "export", True), ("viewer", "upload", False),
    ("viewer", "revert", False), ("viewer", "manage_users", False),
    ("editor", "view", True), ("editor", "export", True), ("editor", "upload", True),
    ("editor", "revert", False), ("editor", "manage_users", False),
    ("admin", "view", True), ("admin", "export", True), ("admin", "upload", True),
    ("admin", "revert", True), ("admin", "manage_users", True),
    (None, "view", False), ("", "view", False), ("root", "upload", False), ("Admin", "revert", False),
])
def test_can_grants_each_role_exactly_its_actions(role, action, allowed):
    assert auth.can(role, action) is allowed


@pytest.mark.parametrize(("everywhere", "granted", "expected"), [
    ("viewer", None, "viewer"), (None, "editor", "editor"), ("viewer", "admin", "admin"),
    ("admin", "viewer", "admin"), ("editor", "editor", "editor"), (None, None, None),
])
def test_the_role_on_a_plan_is_the_higher_of_all_plans_and_grant(everywhere, granted, expected):
    assert auth.higher_role(everywhere, granted) == expected


@pytest.mark.parametrize(("rights", "plan_id", "allowed"), [
    (auth.Management("boss", accounts=True), None, True),
    (auth.Management("boss", accounts=True), 7, True),
    (auth.Management("ivy", plans=(Plan(1, "IC", "India Canada"),)), 1, True),
    (auth.Management("ivy", plans=(Plan(1, "IC", "India Canada"),)), 2, False),
    (auth.Management("ivy", plans=(Plan(1, "IC", "India Canada"),)), None, False),
    (auth.Management("eddie"), 1, False),
])
def test_management_allows_all_plans_admins_everything_and_plan_admins_their_plans(
        rights, plan_id, allowed):
    assert rights.allows(plan_id) is allowed
    if not allowed:
        with pytest.raises(auth.AuthError, match="Only an admin"):
            rights.check(plan_id)


def test_management_refuses_changes_to_the_actors_own_account():
    with pytest.raises(auth.AuthError, match="your own roles"):
        auth.Management("boss", accounts=True).check(None, " Boss ")
    auth.Management("boss", accounts=True).check(None, "ivy")


def test_can_refuses_an_unknown_action():
    with pytest.raises(ValueError, match="unknown action"):
        auth.can("admin", "delete_everything")


@given(st.sampled_from(auth.ROLES), st.sampled_from(auth.ROLES), st.sampled_from(list(auth.PERMISSIONS)))
def test_a_higher_role_can_do_everything_a_lower_one_can(lower, higher, action):
    if auth.ROLES.index(higher) >= auth.ROLES.index(lower) and auth.can(lower, action):
        assert auth.can(higher, action)


@pytest.mark.parametrize(("given_name", "stored"), [
    ("Priya", "priya"), ("  ops.lead@example.gov ", "ops.lead@example.gov"),
    ("a", "a"), ("j_smith+pulse", "j_smith+pulse"),
])
def test_normalised_name_trims_and_lowercases(given_name, stored):
    assert auth.normalised_name(given_name) == stored


@pytest.mark.parametrize("bad", ["", "   ", "-x", "has space", "<script>", "a'b", "x" * 255,
                                 "[x](javascript:alert(1))", "tab\tname"])
def test_normalised_name_refuses_unsafe_names(bad):
    with pytest.raises(auth.AuthError, match="not a valid user name"):
        auth.normalised_name(bad)


@pytest.mark.parametrize(("password", "problem"), [
    ("short", "at least 12"), ("x" * 11, "at least 12"), ("é" * 37, "at most 72 bytes"),
    (" leading space ok?", "space"), ("correct horse battery", None), ("x" * 72, None),
])
def test_password_problem(password, problem):
    found = auth.password_problem(password)
    assert (found is None) if problem is None else (problem in found)


def test_hash_then_match_and_mismatch():
    hashed = auth.hash_password("correct horse battery")
    assert hashed.startswith("$2b$04$")
    assert auth.password_matches("correct horse battery", hashed)
    assert not auth.password_matches("correct horse batterx", hashed)
    assert not auth.password_matches("", hashed)


def test_two_hashes_of_one_password_differ_by_salt():
    assert auth.hash_password("correct horse battery") != auth.hash_password("correct horse battery")


@pytest.mark.parametrize("stored", [None, "", "plain text", "$2b$04$short"])
def test_no_or_broken_hash_never_matches(stored):
    assert not auth.password_matches("correct horse battery", stored)


def test_over_long_password_never_matches_even_if_prefix_does():
    hashed = auth.hash_password("x" * 72)
    assert not auth.password_matches("x" * 73, hashed)


def test_hash_password_refuses_a_short_password():
    with pytest.raises(auth.AuthError, match="at least"):
        auth.hash_password("short")


@pytest.mark.parametrize(("failures", "seconds"), [
    (0, 0), (1, 0), (2, 0), (3, 5), (4, 10), (5, 20), (6, 40), (10, 640), (11, 900), (50, 900),
    (10_000, 900),
])
def test_lock_seconds_doubles_after_free_attempts_up_to_the_cap(failures, seconds):
    assert auth.lock_seconds(failures) == seconds


@given(st.integers(min_value=0, max_value=10_000))
def test_lock_seconds_never_decreases(failures):
    assert auth.lock_seconds(failures + 1) >= auth.lock_seconds(failures)


@pytest.mark.parametrize(("count", "age", "counted"), [
    (5, timedelta(minutes=1), 5), (5, timedelta(hours=23), 5),
    (5, timedelta(days=1, seconds=1), 0), (0, timedelta(0), 0),
])
def test_attempts_counted_forgets_after_a_day(count, age, counted):
    assert auth.attempts_counted(count, NOW - age, NOW) == counted


def test_attempts_counted_without_a_row_is_zero():
    assert auth.attempts_counted(7, None, NOW) == 0


@pytest.mark.parametrize(("until", "remaining"), [
    (None, 0), (NOW - timedelta(seconds=1), 0), (NOW, 0),
    (NOW + timedelta(seconds=4.2), 5), (NOW + timedelta(minutes=15), 900),
])
def test_seconds_remaining_rounds_up(until, remaining):
    assert auth.seconds_remaining(until, NOW) == remaining


def test_locked_until_after():
    assert auth.locked_until_after(2, NOW) is None
    assert auth.locked_until_after(4, NOW) == NOW + timedelta(seconds=10)


# -- against a store -------------------------------------------------------

def test_sign_in_with_the_right_password(fresh_store):
    auth.add_user(fresh_store, "Priya", "editor", "correct horse battery", by="test")
    result = auth.authenticate(fresh_store, " PRIYA ", "correct horse battery", now=NOW)
    assert result.ok and result.account.name == "priya" and result.account.role == "editor"
    assert auth.find_user(fresh_store, "priya").last_sign_in_at == NOW
    actions = fresh_store.cursor().execute("SELECT username, action FROM audit_log").fetchall()
    assert ("priya", "sign_in") in actions


@pytest.mark.parametrize(("name", "password"), [
    ("priya", "wrong password!!"), ("nobody", "correct horse battery"), ("", "x"), ("priya", ""),
])
def test_sign_in_refused(fresh_store, name, password):
    auth.add_user(fresh_store, "priya", "editor", "correct horse battery", by="test")
    result = auth.authenticate(fresh_store, name, password, now=NOW)
    assert not result.ok and result.message


def test_unknown_and_known_names_get_the_same_answer(fresh_store):
    auth.add_user(fresh_store, "priya", "editor", "correct horse battery", by="test")
    known = [auth.authenticate(fresh_store, "priya", "nope nope nope", now=NOW) for _ in range(4)]
    unknown = [auth.authenticate(fresh_store, "nobody", "nope nope nope", now=NOW) for _ in range(4)]
    assert [r.message for r in known] == [r.message for r in unknown]


def test_back_off_locks_after_three_failures_even_for_the_right_password(fresh_store):
    auth.add_user(fresh_store, "priya", "viewer", "correct horse battery", by="test")
    for _ in range(3):
        refused = auth.authenticate(fresh_store, "priya", "not the password", now=NOW)
    assert refused.retry_after == 5 and "wait 5 s" in refused.message
    during = auth.authenticate(fresh_store, "priya", "correct horse battery", now=NOW + timedelta(seconds=4))
    assert not during.ok and during.retry_after == 1
    after = auth.authenticate(fresh_store, "priya", "correct horse battery", now=NOW + timedelta(seconds=5))
    assert after.ok
    assert fresh_store.scalar("SELECT count(*) FROM sign_in_failures") == 0


def test_back_off_doubles_and_survives_a_new_store_connection(fresh_store, db_path):
    auth.add_user(fresh_store, "priya", "viewer", "correct horse battery", by="test")
    moment = NOW
    waits = []
    for _ in range(5):
        moment += timedelta(seconds=waits[-1] if waits else 0)
        waits.append(auth.authenticate(fresh_store, "priya", "not the password", now=moment).retry_after)
    assert waits == [0, 0, 5, 10, 20]
    fresh_store.close()
    from analytics.store import open_store
    with open_store(db_path) as again:
        later = moment + timedelta(seconds=19)
        assert auth.authenticate(again, "priya", "correct horse battery", now=later).retry_after == 1


def test_account_commands_round_trip(fresh_store):
    auth.add_user(fresh_store, "ops@example.gov", "viewer", by="cli:test")
    auth.add_user(fresh_store, "priya", "editor", "correct horse battery", by="cli:test")
    assert [(a.name, a.role, a.has_password) for a in auth.list_users(fresh_store)] == [
        ("ops@example.gov", "viewer", False), ("priya", "editor", True)]
    auth.set_role(fresh_store, "PRIYA", "admin", by="cli:test")
    assert auth.find_user(fresh_store, "OPS@example.gov").role == "viewer"
    assert auth.find_user(fresh_store, "priya").role == "admin"
    auth.set_password(fresh_store, "priya", "another long secret", by="cli:test")
    assert auth.authenticate(fresh_store, "priya", "another long secret", now=NOW).ok
    auth.remove_user(fresh_store, "ops@example.gov", by="cli:test")
    assert auth.find_user(fresh_store, "ops@example.gov") is None
    logged = [r[0] for r in fresh_store.cursor().execute(
        "SELECT action FROM audit_log WHERE username = 'cli:test' ORDER BY id").fetchall()]
    assert logged == ["user_add", "user_add", "user_grant", "user_set_password", "user_remove"]


def test_oidc_account_cannot_sign_in_with_a_password(fresh_store):
    auth.add_user(fresh_store, "ops@example.gov", "admin", by="test")
    assert not auth.authenticate(fresh_store, "ops@example.gov", "anything at all", now=NOW).ok


@pytest.mark.parametrize(("call", "message"), [
    (lambda s: auth.add_user(s, "priya", "viewer", by="t"), "already a user"),
    (lambda s: auth.add_user(s, "new", "root", by="t"), "not a role"),
    (lambda s: auth.remove_user(s, "ghost", by="t"), "no user"),
    (lambda s: auth.set_role(s, "ghost", "admin", by="t"), "no user"),
    (lambda s: auth.set_role(s, "priya", "owner", by="t"), "not a role"),
])
def test_account_commands_refuse_mistakes(fresh_store, call, message):
    auth.add_user(fresh_store, "priya", "viewer", by="t")
    with pytest.raises(auth.AuthError, match=message):
        call(fresh_store)


@pytest.mark.parametrize("email", [None, "", "<script>alert(1)</script>", "nobody@example.gov"])
def test_no_account_for_an_unknown_or_unsafe_email(fresh_store, email):
    assert auth.find_user(fresh_store, email or "") is None


def test_role_check_constraint_holds_in_the_database(fresh_store):
    import duckdb

    with pytest.raises(duckdb.ConstraintException):
        fresh_store.cursor().execute(
            "INSERT INTO users (name, role, created_at) VALUES ('x', 'root', now())")
