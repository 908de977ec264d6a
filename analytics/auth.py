"""Accounts, roles and sign-in checks, kept in the DuckDB store.

Why: the plan covers security cooperation between two governments, so the
dashboard must know who is looking and what their role lets them do. This module
holds everything about that which is not Streamlit: the role permissions
(`can`), bcrypt password hashes checked with a constant-time compare, and the
back-off after repeated failed sign-ins, kept in the database so a page reload or
a new session does not reset it.

Callers: `pages/_auth.py` (the sign-in form and the oidc email-to-role mapping)
and `analytics/cli/users.py` (`workplan user add|remove|list|set-role`).
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


class AuthError(WorkplanError):
    """A bad user name, role or password given to an account command."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    has_password: bool
    created_at: datetime
    last_sign_in_at: datetime | None = None


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


def checked_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"{role!r} is not a role; choose one of {', '.join(ROLES)}.")
    return role


def normalised_name(name: str) -> str:
    """The stored form of a user name or email: trimmed, lower-case, checked."""
    clean = (name or "").strip().lower()
    if not _NAME.match(clean):
        raise AuthError(
            f"{name!r} is not a valid user name: use 1-254 letters, digits and . _ @ + -, "
            "starting with a letter or digit (for oidc, the email address)."
        )
    return clean


# -- passwords -------------------------------------------------------------

def password_problem(password: str) -> str | None:
    """Why `password` cannot be set, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"The password must have at least {MIN_PASSWORD_CHARS} characters."
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return f"The password must be at most {MAX_PASSWORD_BYTES} bytes (bcrypt's limit)."
    if password != password.strip():
        return "The password must not start or end with a space."
    return None


def hash_password(password: str, *, rounds: int | None = None) -> str:
    """A bcrypt hash of an acceptable password (raises AuthError otherwise)."""
    problem = password_problem(password)
    if problem:
        raise AuthError(problem)
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

def authenticate(store: Store, name: str, password: str, *, now: datetime | None = None) -> SignIn:
    """Check a user name and password, applying and recording the back-off."""
    now = now or utc_now()
    key = (name or "").strip().lower()[:254]
    if not key or not password:
        return SignIn(None, "Enter your user name and password.")
    admitted, wait = _claim_attempt(store, key, now)
    if not admitted:
        return SignIn(None, _wait_sentence(wait), wait)
    row = _first_row(store.cursor(), "SELECT password_hash FROM users WHERE name = ?", [key])
    if password_matches(password, row[0] if row else None):
        return SignIn(_record_success(store, key, now))
    audit(store, key, "sign_in_failed", "wrong user name or password")
    message = "Wrong user name or password."
    return SignIn(None, f"{message} {_wait_sentence(wait)}" if wait else message, wait)


def _wait_sentence(seconds: int) -> str:
    return f"Too many failed sign-ins: wait {seconds} s before trying again."


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

def find_user(store: Store, name: str) -> Account | None:
    try:
        key = normalised_name(name)
    except AuthError:
        return None
    row = _first_row(store.cursor(), "SELECT name, role, password_hash IS NOT NULL, created_at,"
                     " last_sign_in_at FROM users WHERE name = ?", [key])
    return Account(*row) if row else None


def role_for_email(store: Store, email: str | None) -> str | None:
    """The role of an oidc-signed-in email, or None when it has no account."""
    account = find_user(store, email or "")
    return account.role if account else None


def list_users(store: Store) -> list[Account]:
    rows = store.cursor().execute(
        "SELECT name, role, password_hash IS NOT NULL, created_at, last_sign_in_at"
        " FROM users ORDER BY name").fetchall()
    return [Account(*row) for row in rows]


def add_user(store: Store, name: str, role: str, password: str | None = None, *,
             by: str) -> Account:
    """Create an account (with a password for password mode, without for oidc)."""
    key, role = normalised_name(name), checked_role(role)
    hashed = hash_password(password) if password is not None else None
    with store.transaction() as cur:
        if _first_row(cur, "SELECT 1 FROM users WHERE name = ?", [key]):
            raise AuthError(f"There is already a user {key!r}; `workplan user set-role` changes a role.")
        cur.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                    [key, role, hashed, utc_now()])
        record_audit(cur, by, "user_add", f"{key} as {role}")
    return find_user(store, key)


def remove_user(store: Store, name: str, *, by: str) -> None:
    key = _existing(store, name)
    with store.transaction() as cur:
        cur.execute("DELETE FROM users WHERE name = ?", [key])
        cur.execute("DELETE FROM sign_in_failures WHERE name = ?", [key])
        record_audit(cur, by, "user_remove", key)


def set_role(store: Store, name: str, role: str, *, by: str) -> None:
    key, role = _existing(store, name), checked_role(role)
    with store.transaction() as cur:
        cur.execute("UPDATE users SET role = ?, updated_at = ? WHERE name = ?", [role, utc_now(), key])
        record_audit(cur, by, "user_set_role", f"{key} to {role}")


def set_password(store: Store, name: str, password: str, *, by: str) -> None:
    key = _existing(store, name)
    hashed = hash_password(password)
    with store.transaction() as cur:
        cur.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?",
                    [hashed, utc_now(), key])
        cur.execute("DELETE FROM sign_in_failures WHERE name = ?", [key])
        record_audit(cur, by, "user_set_password", key)


def _first_row(cur, sql: str, params: list) -> tuple | None:
    """The first row, fetching to the end (duckdb 2 keeps a fetchone() result open,
    which breaks the next `.sql()` on the same cursor)."""
    rows = cur.execute(sql, params).fetchall()
    return rows[0] if rows else None


def _existing(store: Store, name: str) -> str:
    key = normalised_name(name)
    if find_user(store, key) is None:
        raise AuthError(f"There is no user {key!r}; `workplan user list` shows them.")
    return key
