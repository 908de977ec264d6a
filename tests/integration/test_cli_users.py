"""`workplan user add|remove|list|grant|revoke|set-role|set-password` end to end on a real
database."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import auth
from analytics.cli import main
from analytics.plans import add_plan
from analytics.store import open_store


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


def run(db: Path, *args: str, stdin: str = "") -> int:
    """Run the CLI in this process with `stdin` as standard input."""
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--db", str(db), "user", *args])
    finally:
        sys.stdin = sys.__stdin__


def test_add_list_set_role_remove(db_path, capsys):
    assert run(db_path, "add", "Priya", "--role", "editor", "--password-stdin",
               stdin="correct horse battery\n") == 0
    assert run(db_path, "add", "ops@example.gov", "--role", "viewer", "--no-password") == 0
    assert run(db_path, "set-role", "priya", "admin") == 0
    assert run(db_path, "list") == 0
    out = capsys.readouterr().out
    assert "added priya as editor on all plans, with a password" in out
    assert "added ops@example.gov as viewer on all plans, without a password (oidc)" in out
    table = out[out.index("name "):].splitlines()[1:]
    listing = [(line.split()[:2], line.split("never")[1].strip()) for line in table]
    assert listing == [(["ops@example.gov", "no"], "all plans: viewer"),
                       (["priya", "yes"], "all plans: admin")]
    assert run(db_path, "remove", "ops@example.gov") == 0
    with open_store(db_path) as store:
        assert [a.name for a in auth.list_users(store)] == ["priya"]
        assert auth.authenticate(store, "priya", "correct horse battery").ok
        actions = store.cursor().execute(
            "SELECT action FROM audit_log WHERE username LIKE 'cli%' ORDER BY id").fetchall()
    assert [a[0] for a in actions] == ["user_add", "user_add", "user_grant", "user_remove"]


def test_oidc_mode_needs_no_password(db_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKPLAN_AUTH", "oidc")
    assert run(db_path, "add", "Lead@Example.gov", "--role", "admin") == 0
    assert "lead@example.gov as admin on all plans, without a password" in capsys.readouterr().out


def test_prompt_asks_twice_at_a_terminal(db_path, monkeypatch):
    answers = iter(["correct horse battery", "correct horse battery"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["--db", str(db_path), "user", "add", "priya", "--role", "viewer"]) == 0
    with open_store(db_path) as store:
        assert auth.authenticate(store, "priya", "correct horse battery").ok


def test_set_password_replaces_the_old_one(db_path):
    run(db_path, "add", "priya", "--role", "viewer", "--password-stdin", stdin="first long secret\n")
    assert run(db_path, "set-password", "priya", "--password-stdin", stdin="second long secret\n") == 0
    with open_store(db_path) as store:
        assert not auth.authenticate(store, "priya", "first long secret").ok
        assert auth.authenticate(store, "priya", "second long secret").ok


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("add", "x", "--role", "viewer", "--password-stdin"), "short\n", "at least 12"),
    (("add", "x", "--role", "viewer"), "", "no terminal to prompt"),
    (("add", "bad name", "--role", "viewer", "--no-password"), "", "not a valid user name"),
    (("add", "priya", "--role", "viewer", "--no-password"), "", "already a user"),
    (("remove", "ghost"), "", "no user 'ghost'"),
    (("set-role", "ghost", "admin"), "", "no user 'ghost'"),
])
def test_mistakes_are_one_line_and_exit_2(db_path, capsys, args, stdin, message):
    run(db_path, "add", "priya", "--role", "viewer", "--no-password")
    capsys.readouterr()
    assert run(db_path, *args, stdin=stdin) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.fixture
def two_plans(db_path) -> dict[str, int]:
    with open_store(db_path) as store:
        return {code: add_plan(store, code, title=title, by="test").id
                for code, title in (("IC", "India Canada"), ("CE", "Cyber Exchange"))}


def test_roles_per_plan(db_path, two_plans, capsys):
    assert run(db_path, "add", "alice", "--role", "editor", "--plan", "IC", "--no-password") == 0
    assert run(db_path, "grant", "alice", "--plan", "ce", "--role", "viewer") == 0
    assert run(db_path, "add", "office", "--role", "admin", "--no-password") == 0
    assert run(db_path, "grant", "office", "--plan", "IC", "--role", "viewer") == 0
    assert run(db_path, "list") == 0
    out = capsys.readouterr().out
    assert "added alice as editor on IC, without a password (oidc)" in out
    assert "alice is now viewer on CE\n" in out
    assert "office is now viewer on IC (its all-plans role admin is higher and applies there)" in out
    lines = {line.split()[0]: line for line in out[out.index("name "):].splitlines()[1:]}
    assert lines["alice"].endswith("all plans: -  CE: viewer, IC: editor")
    assert lines["office"].endswith("all plans: admin  IC: viewer")
    with open_store(db_path) as store:
        assert auth.plan_roles(store, "alice") == {two_plans["IC"]: "editor",
                                                   two_plans["CE"]: "viewer"}


def test_grant_and_revoke_without_a_plan_act_on_the_all_plans_role(db_path, two_plans, capsys,
                                                                   monkeypatch):
    monkeypatch.setenv("WORKPLAN_PLAN", "IC")     # not read: no --plan means every plan
    run(db_path, "add", "alice", "--role", "viewer", "--plan", "IC", "--no-password")
    assert run(db_path, "grant", "alice", "--role", "editor") == 0
    assert run(db_path, "revoke", "alice", "--plan", "IC") == 0
    with open_store(db_path) as store:
        assert auth.plan_roles(store, "alice") == {two_plans["IC"]: "editor",
                                                   two_plans["CE"]: "editor"}
    assert run(db_path, "revoke", "alice") == 0
    assert run(db_path, "set-role", "alice", "admin", "--plan", "CE") == 0
    out = capsys.readouterr().out
    assert "alice is now editor on all plans" in out and "revoked the role of alice on IC" in out
    assert "revoked the role of alice on all plans" in out and "alice is now admin on CE" in out
    with open_store(db_path) as store:
        assert auth.plan_roles(store, "alice") == {two_plans["CE"]: "admin"}
        plans = store.cursor().execute("SELECT action, plan_id FROM audit_log WHERE action LIKE"
                                       " 'user_%' ORDER BY id").fetchall()
    assert plans == [("user_add", two_plans["IC"]), ("user_grant", None),
                     ("user_revoke", two_plans["IC"]), ("user_revoke", None),
                     ("user_grant", two_plans["CE"])]


@pytest.mark.parametrize(("args", "message"), [
    (("grant", "alice", "--plan", "XX", "--role", "viewer"),
     "There is no plan 'XX'; the plans are CE (Cyber Exchange), IC (India Canada)."),
    (("add", "bob", "--plan", "XX", "--role", "viewer", "--no-password"), "no plan 'XX'"),
    (("revoke", "alice", "--plan", "CE"), "alice holds no role on CE to revoke."),
    (("revoke", "alice"), "alice holds no all-plans role to revoke."),
    (("grant", "ghost", "--role", "viewer"), "no user 'ghost'"),
])
def test_plan_mistakes_are_one_line_and_exit_2(db_path, two_plans, capsys, args, message):
    run(db_path, "add", "alice", "--role", "viewer", "--plan", "IC", "--no-password")
    capsys.readouterr()
    assert run(db_path, *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    with open_store(db_path) as store:
        assert auth.find_user(store, "bob") is None


def test_the_installed_command_reads_the_password_from_stdin(db_path):
    workplan = Path(sys.executable).with_name("workplan")
    added = subprocess.run([str(workplan), "--db", str(db_path), "user", "add", "priya", "--role",
                            "editor", "--password-stdin"], input="correct horse battery\n",
                           capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    bad_role = subprocess.run([str(workplan), "--db", str(db_path), "user", "set-role", "priya", "boss"],
                              capture_output=True, text=True, timeout=60)
    assert bad_role.returncode == 2 and "invalid choice: 'boss'" in bad_role.stderr
    assert "correct horse battery" not in added.stdout + added.stderr
