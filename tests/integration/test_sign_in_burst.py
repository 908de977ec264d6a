"""The sign-in back-off holds under a burst: simultaneous attempts for one name get at most
FREE_ATTEMPTS password checks, and the right password is refused while the lock stands.

Twelve threads start together on one store (as twelve browser sessions of one server
would); bcrypt checks are counted (and slowed, to widen any race).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import analytics.auth as auth
from analytics.auth import FREE_ATTEMPTS, add_user, authenticate

PASSWORD = "correct horse battery staple"


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """Every password checked, in order (each check takes 50 ms)."""
    seen: list[str] = []
    real = auth.password_matches

    def counted(password, stored_hash):
        seen.append(password)
        time.sleep(0.05)
        return real(password, stored_hash)

    monkeypatch.setattr(auth, "password_matches", counted)
    return seen


def burst(store, passwords: list[str]) -> list:
    start = threading.Barrier(len(passwords))

    def attempt(password):
        start.wait()
        return authenticate(store, "priya", password)

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def test_twelve_at_once_get_at_most_three_checks(fresh_store, checks):
    add_user(fresh_store, "priya", "editor", PASSWORD, by="admin")
    results = burst(fresh_store, [f"guess number {k}" for k in range(12)])
    assert len(checks) <= FREE_ATTEMPTS
    assert all(result.account is None for result in results)
    assert sum("Too many failed sign-ins" in result.message for result in results) >= 12 - 3


def test_the_right_password_inside_a_burst_is_refused_while_locked(fresh_store, checks):
    add_user(fresh_store, "priya", "editor", PASSWORD, by="admin")
    burst(fresh_store, [f"guess number {k}" for k in range(FREE_ATTEMPTS)])
    checked_before = len(checks)
    results = burst(fresh_store, [*(f"again {k}" for k in range(11)), PASSWORD])
    assert len(checks) == checked_before                       # the lock stands: no check
    assert all(result.account is None and result.retry_after > 0 for result in results)
