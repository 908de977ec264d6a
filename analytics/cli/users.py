"""`workplan user add|remove|list|grant|revoke|set-role|set-password`: manage dashboard accounts.

Why: accounts live in the DuckDB store (analytics/auth.py), and whoever runs the
server, holding the file, manages them from a shell (admins can also use the app's
Accounts page). An account holds an all-plans role and roles on single plans:
`--plan CODE` makes `add`, `grant` and `revoke` act on that plan, without it they act
on the all-plans role. In password mode an account needs a password (prompted for, or
one line on stdin with --password-stdin); in oidc mode NAME is the email address the
identity provider returns and no password is stored (--no-password, implied when
WORKPLAN_AUTH=oidc). Every change is written to the audit log as `cli:<os user>`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from analytics import auth
from analytics.cli._common import open_from_args
from analytics.errors import UsageError
from analytics.plans import resolve_plan
from analytics.settings import Settings
from analytics.store import Store

ORDER = 80
PLAN_HELP = "the plan the role is on (default: every plan, the all-plans role)"


def register(subparsers) -> None:
    user = subparsers.add_parser("user", help="manage dashboard accounts and roles",
                                 description="Manage the accounts that may sign in to the dashboard.")
    commands = user.add_subparsers(dest="user_command", metavar="ACTION")
    commands.required = True

    add = commands.add_parser("add", help="create an account",
                              description="Create an account (NAME is the email in oidc mode) "
                                          "with a role on every plan, or with --plan on one.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=auth.ROLES)
    add.add_argument("--plan", metavar="CODE", help=PLAN_HELP)
    source = add.add_mutually_exclusive_group()
    source.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of stdin instead of prompting")
    source.add_argument("--no-password", action="store_true",
                        help="no password (oidc sign-in only; implied by WORKPLAN_AUTH=oidc)")
    add.set_defaults(func=run_add)

    remove = commands.add_parser("remove", help="delete an account and its roles")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(func=run_remove)

    listing = commands.add_parser("list", help="list accounts and their roles")
    listing.set_defaults(func=run_list)

    grant = commands.add_parser("grant", help="give an account a role on a plan or on all plans",
                                description="Give NAME a role on one plan (--plan) or on every "
                                            "plan; its role on a plan is the higher of the two.")
    grant.add_argument("name", metavar="NAME")
    grant.add_argument("--role", required=True, choices=auth.ROLES)
    grant.add_argument("--plan", metavar="CODE", help=PLAN_HELP)
    grant.set_defaults(func=run_grant)

    revoke = commands.add_parser("revoke", help="take an account's role on a plan or on all plans")
    revoke.add_argument("name", metavar="NAME")
    revoke.add_argument("--plan", metavar="CODE", help=PLAN_HELP)
    revoke.set_defaults(func=run_revoke)

    role = commands.add_parser("set-role", help="change an account's role (as grant)")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", metavar="ROLE", choices=auth.ROLES)
    role.add_argument("--plan", metavar="CODE", help=PLAN_HELP)
    role.set_defaults(func=run_grant)

    password = commands.add_parser("set-password", help="replace an account's password")
    password.add_argument("name", metavar="NAME")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of stdin instead of prompting")
    password.set_defaults(func=run_set_password)


def plan_scope(store: Store, args: argparse.Namespace) -> tuple[int | None, str]:
    """(plan id, its code) of --plan, or (None, 'all plans') without it; $WORKPLAN_PLAN is
    not read here (a role given without --plan is the all-plans role). An unknown code is a
    UsageError listing the plans."""
    if not args.plan:
        return None, "all plans"
    plan = resolve_plan(store, args.plan)
    return plan.id, plan.code


def run_add(args: argparse.Namespace) -> int:
    without = args.no_password or (Settings.from_env().auth == "oidc" and not args.password_stdin)
    password = None if without else password_from(args)
    with open_from_args(args) as store:
        plan_id, scope = plan_scope(store, args)
        account = auth.add_user(store, args.name, args.role, password, by=cli_user(),
                                plan_id=plan_id)
    kind = "with a password" if account.has_password else "without a password (oidc)"
    print(f"added {account.name} as {args.role} on {scope}, {kind}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        auth.remove_user(store, args.name, by=cli_user())
    print(f"removed {auth.normalised_name(args.name)} and its roles")
    return 0


def roles_text(account: auth.Account) -> str:
    """'all plans: -  IC: editor, CE: viewer'."""
    grants = ", ".join(f"{g.plan_code}: {g.role}" for g in account.grants)
    return f"all plans: {account.role or '-'}" + (f"  {grants}" if grants else "")


def run_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        accounts = auth.list_users(store)
    if not accounts:
        print("no accounts; `workplan user add NAME --role viewer|editor|admin` creates one")
        return 0
    print(f"{'name':<32} {'password':<8} {'created (UTC)':<16} {'last sign-in':<16} roles")
    for a in accounts:
        last = f"{a.last_sign_in_at:%Y-%m-%d %H:%M}" if a.last_sign_in_at else "never"
        print(f"{a.name:<32} {'yes' if a.has_password else 'no':<8} "
              f"{a.created_at:%Y-%m-%d %H:%M} {last:<16} {roles_text(a)}")
    return 0


def run_grant(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plan_id, scope = plan_scope(store, args)
        now = auth.grant(store, args.name, args.role, plan_id=plan_id, by=cli_user())
    name = auth.normalised_name(args.name)
    higher = f" (its all-plans role {now} is higher and applies there)" if now != args.role else ""
    print(f"{name} is now {args.role} on {scope}{higher}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plan_id, scope = plan_scope(store, args)
        auth.revoke(store, args.name, plan_id=plan_id, by=cli_user())
    print(f"revoked the role of {auth.normalised_name(args.name)} on {scope}")
    return 0


def run_set_password(args: argparse.Namespace) -> int:
    password = password_from(args)
    with open_from_args(args) as store:
        auth.set_password(store, args.name, password, by=cli_user())
    print(f"password of {auth.normalised_name(args.name)} replaced")
    return 0


def password_from(args: argparse.Namespace) -> str:
    """The new password: one line of stdin, or typed twice at a terminal prompt."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise UsageError("no terminal to prompt for the password; pass it with --password-stdin")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise UsageError("the two passwords differ; nothing was changed")
    problem = auth.password_problem(password)
    if problem:
        raise UsageError(problem)
    return password


def cli_user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"
