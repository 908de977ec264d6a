"""Shared fixtures: a fresh database per test, the sample plan, a clean environment.

`fresh_store` gives an empty, migrated store in a temporary file; `sample_store`
gives a private copy of a database holding the sample plan (built once per test
session, copied per test so tests never see each other's writes).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from analytics.sample import load_sample
from analytics.store import open_store

CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "project", deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("project")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Keep a developer's own WORKPLAN_* settings out of test runs."""
    import os

    for name in list(os.environ):
        if name.startswith("WORKPLAN_") or name in ("BROWSER_PATH",):
            monkeypatch.delenv(name, raising=False)


# The store, ingest, metrics, auth and CLI tests run on both stores: in these modules the
# store fixtures below (db_path, fresh_store, sample_db, sample_store) give a DuckDB file
# and, in a second run of each test, a PostgreSQL database (analytics/pg/).
BOTH_STORES = {
    "test_import_commit", "test_import_readiness", "test_import_templates",
    "test_import_optimistic", "test_metrics_reference", "test_metrics_views",
    "test_plan_roles", "test_sign_in_burst", "test_cli_import", "test_cli_metrics",
    "test_cli_users", "test_cli_plans", "test_cli_export", "test_contacts",
    "test_briefing_notes", "test_portfolio", "test_plan_isolation",
    "test_upload_flow", "test_direct_urls",          # browser: the app served on each store
}


def pytest_generate_tests(metafunc):
    if "store_kind" in metafunc.fixturenames:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        metafunc.parametrize("store_kind", ["duckdb", "postgres"] if module in BOTH_STORES
                             else ["duckdb"])


@pytest.fixture
def db_path(tmp_path, store_kind, request):
    """Where a new store goes: a DuckDB file path, or an empty PostgreSQL database's URL."""
    if store_kind == "postgres":
        return request.getfixturevalue("pg_url")
    return tmp_path / "workplan.duckdb"


@pytest.fixture
def fresh_store(db_path):
    store = open_store(db_path)
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample_db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with open_store(path) as store:
        load_sample(store)
        store.cursor().execute("CHECKPOINT")
    return path


@pytest.fixture(scope="session")
def sample_postgres_template(sample_db_file, postgres_server) -> str:
    """A PostgreSQL database holding the sample store, cloned per test (CREATE ... TEMPLATE)."""
    from analytics.pg.copy import copy_file_to_postgres

    url = postgres_server.create_database("sample_template")
    copy_file_to_postgres(sample_db_file, url)
    return "sample_template"


@pytest.fixture
def sample_db(sample_db_file, tmp_path, store_kind, request):
    """A private copy of the sample store: a DuckDB file's path, or a PostgreSQL URL."""
    if store_kind == "postgres":
        server = request.getfixturevalue("postgres_server")
        template = request.getfixturevalue("sample_postgres_template")
        name = f"sample_{os.getpid()}_{next(_DATABASES)}"
        request.addfinalizer(lambda: server.drop_database(name))
        return server.create_database(name, template=template)
    path = tmp_path / "sample.duckdb"
    shutil.copy(sample_db_file, path)
    return path


@pytest.fixture
def sample_store(sample_db):
    store = open_store(sample_db)
    yield store
    store.close()


# -- PostgreSQL: a real server in a temporary folder (Debian's postgresql) -------------------

@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """One PostgreSQL server on 127.0.0.1 for the whole session, stopped at the end."""
    from analytics.pg.local_server import LocalPostgres

    server = LocalPostgres(tmp_path_factory.mktemp("postgres"))
    server.initdb()
    server.start()
    yield server
    server.stop()


_DATABASES = itertools.count()


@pytest.fixture
def pg_url(postgres_server) -> Iterator[str]:
    """The URL of a fresh, empty database on the session's server, dropped after the test."""
    name = f"test_{os.getpid()}_{next(_DATABASES)}"
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium under Playwright for the whole session (browser tests and the chart
    layout checks share it: a second sync Playwright cannot start while one is open)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


# -- mail: a real SMTP server on loopback (aiosmtpd) ---------------------------------------

def _free_loopback_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """What an aiosmtpd server on 127.0.0.1 received (`envelopes`, `messages`). Addresses in
    `refuse` are answered 550; `users` (name -> password) may sign in (AUTH over plain TCP)."""

    def __init__(self, port: int):
        self.host, self.port = "127.0.0.1", port
        self.envelopes: list = []
        self.refuse: set[str] = set()
        self.users: dict[str, str] = {}
        self.signed_in: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        name = auth_data.login.decode()
        ok = self.users.get(name) == auth_data.password.decode()
        if ok:
            self.signed_in.append(name)
        return AuthResult(success=ok, handled=False)   # a failure: the server answers 535

    @property
    def messages(self) -> list:
        import email
        import email.policy

        return [email.message_from_bytes(e.content.replace(b"\r\n", b"\n"),   # as stored
                                         policy=email.policy.default)
                for e in self.envelopes]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, collecting what it gets."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(_free_loopback_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port,
                            authenticator=sink.authenticate, auth_require_tls=False)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def refused_smtp_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused."""
    return _free_loopback_port()
