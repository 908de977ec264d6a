"""Accounts, roles and sign-in checks, kept in the DuckDB store.

Why: the plan covers security cooperation between two governments, so the
dashboard must know who is looking and what their role lets them do. This module
holds everything about that which is not Streamlit: the role permissions
(`can`), bcrypt password hashes checked with a constant-time compare, and the
back-off after repeated failed sign-ins, kept in the database so a page reload or
a new session does not reset it.

Roles are per plan: an account holds an all-plans role (`users.role`, the programme
office's role on every plan; NULL for none) and grants on single plans (`plan_roles`,
migration 006); its role on a plan is the higher of the two, and it sees only the plans
it holds a role on (`plan_roles`, `visible_plans`). Who may change accounts is decided
here too (`management`): an all-plans admin everything, an admin of a plan the grants on
that plan.

Callers: `pages/_auth.py` (the sign-in form, the oidc email lookup, each user's roles),
`pages/accounts.py` (the Accounts page) and `analytics/cli/users.py`
(`workplan user add|remove|list|grant|revoke|set-role|set-password`). A refused change is an
`AuthError` holding its English template and values: `str()` is the English the CLI prints,
`in_language(lang)` the same sentence for a page in the view's language.
"""

from __future__ import annotations

import functools
import hmac
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt

from analytics.errors import WorkplanError
from analytics.i18n import N_, translator
from analytics.plans import Plan, list_plans
from analytics.store import Store, utc_now
from analytics.writes import audit, record_audit

ROLES = ("viewer", "editor", "admin")
# The least role allowed to do each action; roles above it may do it too.
PERMISSIONS = {"view": "viewer", "export": "viewer", "upload": "editor", "write_notes": "editor",
               "revert": "admin", "manage_users": "admin"}

BCRYPT_ROUNDS = 12            # about 0.2 s per check on a small server
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_BYTES = 72       # bcrypt's limit; longer passwords are refused, never truncated
FREE_ATTEMPTS = 3             # failures before the first lock
BASE_LOCK_SECONDS = 5         # then 5 s, 10 s, 20 s, ... doubling
MAX_LOCK_SECONDS = 15 * 60
FAILURE_MEMORY = timedelta(days=1)   # a failure count older than this starts again at 0

_NAME = re.compile(r"^[a-z0-9][a-z0-9._@+\-]{0,253}$")
# What a refused sign-in says, each written once and translated into the sign-in page's
# language by `authenticate` (the lock sentence says how many seconds to wait).
FORM_INCOMPLETE = N_("Enter your user name and password.")
WRONG_CREDENTIALS = N_("Wrong user name or password.")
LOCKED_OUT = N_("Too many failed sign-ins: wait {seconds} s before trying again.")
# Each role as a person reads it (the codes stay in the store and on the command line).
ROLE_NAMES = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("admin")}
# What a refused account change says, each with the values it is filled with.
NOT_A_ROLE = N_("'{role}' is not a role; choose one of {roles}.")
NOT_A_USER_NAME = N_("'{name}' is not a valid user name: use 1-254 letters, digits and . _ @ + -, "
                     "starting with a letter or digit (for oidc, the email address).")
PASSWORD_TOO_SHORT = N_("The password must have at least {n} characters.")
PASSWORD_TOO_LONG = N_("The password must be at most {n} bytes (bcrypt's limit).")
PASSWORD_SPACES = N_("The password must not start or end with a space.")
USER_EXISTS = N_("There is already a user '{name}'; grant it a role instead.")
NO_SUCH_USER = N_("There is no user '{name}'; `workplan user list` shows them.")
NO_SUCH_PLAN = N_("There is no plan with id {plan_id}.")
NO_ALL_PLANS_ROLE = N_("{name} holds no all-plans role to revoke.")
NO_PLAN_ROLE = N_("{name} holds no role on {plan} to revoke.")
NO_PLAN_ROLE_ALL_PLANS_APPLY = N_("{name} holds no role on {plan} to revoke; its all-plans role "
                                  "({role}) applies there.")
ONLY_ALL_PLANS_ADMIN = N_("Only an admin of all plans may change accounts and all-plans roles.")
ONLY_PLAN_ADMIN = N_("Only an admin of that plan (or of all plans) may change roles on it.")
NOT_YOUR_OWN = N_("You cannot change your own roles or remove your own account; ask another admin.")


class AuthError(WorkplanError):
    """A bad user name, role or password given to an account command, or a change the actor
    may not make: `str()` in English (the CLI), `in_language(lang)` for a page.

    `role_keys`: the names of the values that are role codes, written as the language names
    the role ('viewer' is 'lecteur' in French)."""

    def __init__(self, template: str, *, role_keys: tuple[str, ...] = (), **values) -> None:
        self.template, self.role_keys, self.values = template, role_keys, values
        super().__init__(self.in_language("en"))

    def in_language(self, lang: str) -> str:
        """The sentence in `lang`, filled with the same values."""
        shown = {key: role_name(value, lang) if key in self.role_keys else value
                 for key, value in self.values.items()}
        return translator(lang)(self.template).format(**shown)


@dataclass(frozen=True)
class Grant:
    """A role on one plan, held in addition to the account's all-plans role."""

    plan_id: int
    plan_code: str
    role: str


@dataclass(frozen=True)
class Account:
    name: str
    role: str | None               # the all-plans role; None: roles on single plans only
    has_password: bool
    created_at: datetime
    last_sign_in_at: datetime | None = None
    grants: tuple[Grant, ...] = ()  # by plan code


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: the account, or the sentence to show."""

    account: Account | None
    message: str = ""
    retry_after: int = 0       # seconds until the next attempt is checked

    @property
    def ok(self) -> bool:
        return self.account is not None


# -- roles -----------------------------------------------------------------

def can(role: str | None, action: str) -> bool:
    """Whether `role` may do `action` (view, export, upload, revert, manage_users)."""
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {', '.join(PERMISSIONS)}")
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PERMISSIONS[action])


def higher_role(first: str | None, second: str | None) -> str | None:
    """The higher of two roles (None: no role)."""
    return max((r for r in (first, second) if r in ROLES), key=ROLES.index, default=None)


def role_name(role: str | None, lang: str = "en") -> str:
    """'viewer' as `lang` writes it ('lecteur'); an unknown code as it is."""
    return translator(lang)(ROLE_NAMES[role]) if role in ROLE_NAMES else str(role)


def checked_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(NOT_A_ROLE, role=role, roles=", ".join(ROLES))
    return role


def normalised_name(name: str) -> str:
    """The stored form of a user name or email: trimmed, lower-case, checked."""
    clean = (name or "").strip().lower()
    if not _NAME.match(clean):
        raise AuthError(NOT_A_USER_NAME, name=name)
    return clean


# -- passwords -------------------------------------------------------------

def password_error(password: str) -> AuthError | None:
    """Why `password` cannot be set (the AuthError `hash_password` raises), or None when it is
    acceptable."""
    if len(password) < MIN_PASSWORD_CHARS:
        return AuthError(PASSWORD_TOO_SHORT, n=MIN_PASSWORD_CHARS)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return AuthError(PASSWORD_TOO_LONG, n=MAX_PASSWORD_BYTES)
    if password != password.strip():
        return AuthError(PASSWORD_SPACES)
    return None


def password_problem(password: str, lang: str = "en") -> str | None:
    """Why `password` cannot be set, in `lang`, or None when it is acceptable."""
    error = password_error(password)
    return error.in_language(lang) if error else None


def hash_password(password: str, *, rounds: int | None = None) -> str:
    """A bcrypt hash of an acceptable password (raises AuthError otherwise)."""
    error = password_error(password)
    if error:
        raise error
    salt = bcrypt.gensalt(rounds or BCRYPT_ROUNDS)
    return bcrypt.hashpw(password.encode("utf-8"), salt).decode("ascii")


def password_matches(password: str, stored_hash: str | None) -> bool:
    """Check a password against a bcrypt hash, comparing in constant time.

    Without a hash (unknown name, oidc-only account) a dummy hash is checked so
    the answer takes as long as for a real account.
    """
    secret = password.encode("utf-8")
    if stored_hash is None or len(secret) > MAX_PASSWORD_BYTES:
        bcrypt.hashpw(secret[:MAX_PASSWORD_BYTES], _dummy_hash())
        return False
    expected = stored_hash.encode("ascii", "replace")
    try:
        computed = bcrypt.hashpw(secret, expected)
    except ValueError:          # not a bcrypt hash: never a match
        return False
    return hmac.compare_digest(computed, expected)


@functools.cache
def _dummy_hash() -> bytes:
    return bcrypt.hashpw(b"not a password of anyone", bcrypt.gensalt(BCRYPT_ROUNDS))


# -- back-off (pure) -------------------------------------------------------

def lock_seconds(failed_attempts: int) -> int:
    """How long no attempt is checked after this many consecutive failures."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    doublings = min(failed_attempts - FREE_ATTEMPTS, 20)
    return min(BASE_LOCK_SECONDS * 2 ** doublings, MAX_LOCK_SECONDS)


def attempts_counted(failed_attempts: int, last_failed_at: datetime | None, now: datetime) -> int:
    """Failures still counted at `now` (a day without failures starts again at 0)."""
    if last_failed_at is None or now - last_failed_at > FAILURE_MEMORY:
        return 0
    return failed_attempts


def locked_until_after(failed_attempts: int, now: datetime) -> datetime | None:
    seconds = lock_seconds(failed_attempts)
    return now + timedelta(seconds=seconds) if seconds else None


def seconds_remaining(locked_until: datetime | None, now: datetime) -> int:
    if locked_until is None or locked_until <= now:
        return 0
    return math.ceil((locked_until - now).total_seconds())


# -- sign-in ---------------------------------------------------------------

def authenticate(store: Store, name: str, password: str, *, now: datetime | None = None,
                 lang: str = "en") -> SignIn:
    """Check a user name and password, applying and recording the back-off; a refusal's
    sentence is in `lang` (the sign-in page's language)."""
    now = now or utc_now()
    _ = translator(lang)
    key = (name or "").strip().lower()[:254]
    if not key or not password:
        return SignIn(None, _(FORM_INCOMPLETE))
    admitted, wait = _claim_attempt(store, key, now)
    if not admitted:
        return SignIn(None, _wait_sentence(wait, lang), wait)
    row = _first_row(store.cursor(), "SELECT password_hash FROM users WHERE name = ?", [key])
    if password_matches(password, row[0] if row else None):
        return SignIn(_record_success(store, key, now))
    audit(store, key, "sign_in_failed", "wrong user name or password")
    message = _(WRONG_CREDENTIALS)
    return SignIn(None, f"{message} {_wait_sentence(wait, lang)}" if wait else message, wait)


def _wait_sentence(seconds: int, lang: str) -> str:
    return translator(lang)(LOCKED_OUT).format(seconds=seconds)


def _failure_row(cur_or_store, key: str, now: datetime) -> tuple[int, datetime | None]:
    cur = cur_or_store.cursor() if isinstance(cur_or_store, Store) else cur_or_store
    row = _first_row(cur, "SELECT failed_attempts, last_failed_at, locked_until"
                          " FROM sign_in_failures WHERE name = ?", [key])
    if row is None:
        return 0, None
    return attempts_counted(row[0], row[1], now), row[2]


def _record_success(store: Store, key: str, now: datetime) -> Account:
    with store.transaction() as cur:
        cur.execute("DELETE FROM sign_in_failures WHERE name = ?", [key])
        cur.execute("UPDATE users SET last_sign_in_at = ? WHERE name = ?", [now, key])
        record_audit(cur, key, "sign_in", "password")
    return find_user(store, key)


def _claim_attempt(store: Store, key: str, now: datetime) -> tuple[bool, int]:
    """(whether this attempt may check a password, seconds locked after it).

    Reading the lock and counting the attempt happen in one transaction, before any
    password is checked: the attempt counts as a failure until it succeeds (success clears
    the count). Writers run one at a time, so a burst of simultaneous sign-ins for one
    name gets at most FREE_ATTEMPTS password checks; the rest, the right password among
    them, are refused while the lock stands.
    """
    with store.transaction() as cur:
        attempts, locked_until = _failure_row(cur, key, now)
        wait = seconds_remaining(locked_until, now)
        if wait:
            return False, wait
        attempts += 1
        until = locked_until_after(attempts, now)
        cur.execute("DELETE FROM sign_in_failures WHERE name = ? OR last_failed_at < ?",
                    [key, now - FAILURE_MEMORY])
        cur.execute("INSERT INTO sign_in_failures VALUES (?, ?, ?, ?)", [key, attempts, now, until])
    return True, seconds_remaining(until, now)


# -- accounts --------------------------------------------------------------

_ACCOUNTS = ("SELECT name, role, password_hash IS NOT NULL, created_at, last_sign_in_at"
             " FROM users WHERE ? IS NULL OR name = ? ORDER BY name")
_GRANTS = ("SELECT g.name, g.plan_id, p.code, g.role FROM plan_roles AS g"
           " JOIN plans AS p ON p.id = g.plan_id WHERE ? IS NULL OR g.name = ? ORDER BY p.code")


def _accounts(store: Store, name: str | None = None) -> list[Account]:
    """Every account (or the one named), by name, each with its grants by plan code."""
    cur = store.cursor()
    grants: dict[str, list[Grant]] = {}
    for holder, plan_id, code, role in cur.execute(_GRANTS, [name, name]).fetchall():
        grants.setdefault(holder, []).append(Grant(plan_id, code, role))
    return [Account(*row, grants=tuple(grants.get(row[0], ())))
            for row in cur.execute(_ACCOUNTS, [name, name]).fetchall()]


def find_user(store: Store, name: str) -> Account | None:
    try:
        key = normalised_name(name)
    except AuthError:
        return None
    found = _accounts(store, key)
    return found[0] if found else None


def list_users(store: Store) -> list[Account]:
    return _accounts(store)


def add_user(store: Store, name: str, role: str, password: str | None = None, *,
             by: str, plan_id: int | None = None) -> Account:
    """Create an account (with a password for password mode, without for oidc) holding `role`
    on every plan, or with `plan_id` on that plan only (its all-plans role is then None)."""
    key, role = normalised_name(name), checked_role(role)
    hashed = hash_password(password) if password is not None else None
    with store.transaction() as cur:
        if _first_row(cur, "SELECT 1 FROM users WHERE name = ?", [key]):
            raise AuthError(USER_EXISTS, name=key)
        scope = _scope(cur, plan_id)
        cur.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                    [key, role if plan_id is None else None, hashed, utc_now()])
        if plan_id is not None:
            cur.execute("INSERT INTO plan_roles VALUES (?, ?, ?, ?, ?)",
                        [key, plan_id, role, by, utc_now()])
        record_audit(cur, by, "user_add", f"{key} as {role} on {scope}", plan_id=plan_id)
    return find_user(store, key)


def remove_user(store: Store, name: str, *, by: str) -> None:
    """Delete an account with its grants and its sign-in failures."""
    key = _existing(store, name)
    with store.transaction() as cur:
        cur.execute("DELETE FROM plan_roles WHERE name = ?", [key])
        cur.execute("DELETE FROM users WHERE name = ?", [key])
        cur.execute("DELETE FROM sign_in_failures WHERE name = ?", [key])
        record_audit(cur, by, "user_remove", key)


def set_role(store: Store, name: str, role: str, *, by: str) -> None:
    """The account's all-plans role (the single role of a store before per-plan roles)."""
    grant(store, name, role, plan_id=None, by=by)


def set_password(store: Store, name: str, password: str, *, by: str) -> None:
    key = _existing(store, name)
    hashed = hash_password(password)
    with store.transaction() as cur:
        cur.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?",
                    [hashed, utc_now(), key])
        cur.execute("DELETE FROM sign_in_failures WHERE name = ?", [key])
        record_audit(cur, by, "user_set_password", key)


# -- roles per plan --------------------------------------------------------

def grant(store: Store, name: str, role: str, *, plan_id: int | None, by: str) -> str:
    """Give the account `role` on one plan (`plan_id`), or as its all-plans role (None),
    replacing the one it held there; audited. Returns its role there now (a grant below the
    all-plans role leaves the higher one in force)."""
    key, role = _existing(store, name), checked_role(role)
    with store.transaction() as cur:
        scope = _scope(cur, plan_id)
        if plan_id is None:
            cur.execute("UPDATE users SET role = ?, updated_at = ? WHERE name = ?",
                        [role, utc_now(), key])
        else:
            cur.execute("INSERT OR REPLACE INTO plan_roles VALUES (?, ?, ?, ?, ?)",
                        [key, plan_id, role, by, utc_now()])
        record_audit(cur, by, "user_grant", f"{key} as {role} on {scope}", plan_id=plan_id)
    return role if plan_id is None else role_on(store, key, plan_id)


def revoke(store: Store, name: str, *, plan_id: int | None, by: str) -> None:
    """Take away the account's grant on one plan, or its all-plans role (None); audited.
    The account stays (`remove_user` deletes it)."""
    key = _existing(store, name)
    with store.transaction() as cur:
        scope = _scope(cur, plan_id)
        everywhere = _first_row(cur, "SELECT role FROM users WHERE name = ?", [key])[0]
        if plan_id is None:
            held = everywhere
            cur.execute("UPDATE users SET role = NULL, updated_at = ? WHERE name = ?",
                        [utc_now(), key])
        else:
            row = _first_row(cur, "SELECT role FROM plan_roles WHERE name = ? AND plan_id = ?",
                             [key, plan_id])
            held = row[0] if row else None
            cur.execute("DELETE FROM plan_roles WHERE name = ? AND plan_id = ?", [key, plan_id])
        if held is None and plan_id is None:
            raise AuthError(NO_ALL_PLANS_ROLE, name=key)
        if held is None and everywhere:
            raise AuthError(NO_PLAN_ROLE_ALL_PLANS_APPLY, role_keys=("role",), name=key,
                            plan=scope, role=everywhere)
        if held is None:
            raise AuthError(NO_PLAN_ROLE, name=key, plan=scope)
        record_audit(cur, by, "user_revoke", f"{key} as {held} on {scope}", plan_id=plan_id)


def plan_roles(store: Store, name: str) -> dict[int, str]:
    """{plan id: role} for every plan the account may see: on each plan, the higher of its
    all-plans role and its grant there. Empty for an unknown name."""
    account = find_user(store, name)
    if account is None:
        return {}
    granted = {g.plan_id: g.role for g in account.grants}
    roles = {p.id: higher_role(account.role, granted.get(p.id)) for p in list_plans(store)}
    return {plan_id: role for plan_id, role in roles.items() if role}


def role_on(store: Store, name: str, plan_id: int) -> str | None:
    """The account's role on one plan, or None when it may not see that plan."""
    return plan_roles(store, name).get(plan_id)


def visible_plans(store: Store, name: str) -> list[Plan]:
    """The plans the account holds a role on, by code (the picker, the portfolio, exports)."""
    roles = plan_roles(store, name)
    return [plan for plan in list_plans(store) if plan.id in roles]


def _scope(cur, plan_id: int | None) -> str:
    """'all plans', or the plan's code (an AuthError when there is no such plan)."""
    if plan_id is None:
        return "all plans"
    row = _first_row(cur, "SELECT code FROM plans WHERE id = ?", [plan_id])
    if row is None:
        raise AuthError(NO_SUCH_PLAN, plan_id=plan_id)
    return row[0]


# -- who may change accounts -----------------------------------------------

@dataclass(frozen=True)
class Management:
    """What one actor may change about accounts: everything (`accounts`: add, remove, reset
    passwords, all-plans roles, grants on every plan) or only the grants on `plans`."""

    actor: str
    accounts: bool = False
    plans: tuple[Plan, ...] = ()     # the plans whose grants it may change, by code

    @property
    def anything(self) -> bool:
        return self.accounts or bool(self.plans)

    def allows(self, plan_id: int | None) -> bool:
        """Whether it may change roles on that plan (None: accounts and all-plans roles)."""
        return self.accounts or any(plan.id == plan_id for plan in self.plans)

    def check(self, plan_id: int | None, target: str | None = None) -> None:
        """An AuthError unless `allows(plan_id)`; `target`, the account a role change or
        removal is about, may not be the actor's own (another admin changes that)."""
        if not self.allows(plan_id):
            raise AuthError(ONLY_ALL_PLANS_ADMIN if plan_id is None else ONLY_PLAN_ADMIN)
        if target is not None and _same_name(target, self.actor):
            raise AuthError(NOT_YOUR_OWN)


def management(store: Store, actor: str, *, local: bool = False) -> Management:
    """What `actor` (a signed-in account) may change: an all-plans admin everything, an
    admin of a plan that plan's grants, anyone else nothing. `local`: the local-mode user
    (WORKPLAN_AUTH=none), who holds the file and may change everything."""
    if local:
        return Management(actor, True, tuple(list_plans(store)))
    account = find_user(store, actor)
    roles = plan_roles(store, actor)
    administered = tuple(p for p in list_plans(store) if roles.get(p.id) == "admin")
    return Management(actor, account is not None and account.role == "admin", administered)


def may_manage(store: Store, actor: str, plan_id: int | None) -> bool:
    """Whether `actor` may change roles on that plan (None: accounts and all-plans roles)."""
    return management(store, actor).allows(plan_id)


def manages_accounts(store: Store, name: str) -> bool:
    """An admin of all plans or of some: the Accounts page is for them."""
    return management(store, name).anything


def account_rows(store: Store, rights: Management) -> list[dict]:
    """The Accounts page's table: each account's all-plans role and its grant on each plan
    `rights` covers (an admin of one plan is shown no other plan)."""
    rows = []
    for account in list_users(store):
        granted = {g.plan_id: g.role for g in account.grants}
        row = {"name": account.name, "password": "yes" if account.has_password else "no",
               "last_sign_in": account.last_sign_in_at, "all_plans": account.role or ""}
        rows.append(row | {plan.code: granted.get(plan.id, "") for plan in rights.plans})
    return rows


def _same_name(first: str, second: str) -> bool:
    return (first or "").strip().lower() == (second or "").strip().lower()


def _first_row(cur, sql: str, params: list) -> tuple | None:
    """The first row, fetching to the end (duckdb 2 keeps a fetchone() result open,
    which breaks the next `.sql()` on the same cursor)."""
    rows = cur.execute(sql, params).fetchall()
    return rows[0] if rows else None


def _existing(store: Store, name: str) -> str:
    key = normalised_name(name)
    if find_user(store, key) is None:
        raise AuthError(NO_SUCH_USER, name=key)
    return key
