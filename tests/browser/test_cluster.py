"""Two app replicas behind nginx on one PostgreSQL store, driven through the proxy.

Why: `make cluster` promises that a browser stays on one replica (sticky route cookie),
that the WebSocket is forwarded, that an editor's upload on one replica reaches a viewer
on the other at the next rerun within 2 s, and that sign-in throttling counts across
replicas. This starts the cluster with analytics.cluster's own functions on free ports
(PostgreSQL from the `pg_url` fixture, the sample plans, password mode) and checks each.
"""

from __future__ import annotations

import re
import subprocess
import sys

import psycopg
import pytest

from analytics.cluster import Cluster, free_port, load_demo_when_empty
from analytics.settings import PROJECT_ROOT, Settings
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ACCOUNTS = (("vera", "viewer"), ("eddie", "editor"), ("tess", "viewer"))
SHEET = ("item_id,as_of,percent_complete,status,note\n"
         "CIS-03,2026-11-30,100,complete,Indicator exchange automated\n")


@pytest.fixture
def cluster(pg_url, tmp_path):
    load_demo_when_empty(pg_url)
    for name, role in ACCOUNTS:
        subprocess.run([sys.executable, "-m", "analytics", "--db", pg_url, "user", "add", name,
                        "--role", role, "--password-stdin"], input=f"{PASSWORD}\n", text=True,
                       check=True, cwd=PROJECT_ROOT, capture_output=True)
    running = Cluster(pg_url, tmp_path / "cluster", listen_port=free_port(),
                      settings=Settings.from_env(), env={"WORKPLAN_AUTH": "password"}).start()
    yield running
    running.close()
    processes = [running.nginx, *running.replicas.values()]
    assert all(process.poll() is not None for process in processes)   # nothing left behind


def route_to(cluster: Cluster, port: int) -> str:
    """A route cookie value that nginx hashes to the replica on `port`."""
    for n in range(200):
        value = f"browser-{n}"
        response = _health(cluster, value)
        if response.headers["X-Upstream"] == f"127.0.0.1:{port}":
            return value
    raise AssertionError(f"no route cookie reaches port {port}")


def _health(cluster: Cluster, route: str):
    import urllib.request

    request = urllib.request.Request(f"{cluster.url}/_stcore/health",
                                     headers={"Cookie": f"pulse_route={route}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response


class Pinned:
    """A browser context whose route cookie leads to one replica; it records which replica
    answered every response and the WebSockets it opened."""

    def __init__(self, browser, cluster: Cluster, port: int):
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.context.add_cookies([{"name": "pulse_route", "value": route_to(cluster, port),
                                   "url": cluster.url}])
        self.upstreams: set[str] = set()
        self.frames = {"received": 0}
        self.sockets: list[str] = []
        self.page = self.context.new_page()
        self.page.on("response", self._response)
        self.page.on("websocket", self._websocket)

    def _response(self, response) -> None:
        upstream = response.headers.get("x-upstream")
        if upstream:
            self.upstreams.add(upstream)

    def _websocket(self, socket) -> None:
        self.sockets.append(socket.url)
        socket.on("framereceived", lambda _: self.frames.update(received=self.frames["received"] + 1))

    def close(self) -> None:
        self.context.close()


def fill_sign_in(page, name: str, password: str) -> None:
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)


def sign_in(page, name: str, password: str) -> None:
    fill_sign_in(page, name, password)
    page.get_by_role("button", name="Sign in").click()


def pick(page, key: str, option: str) -> None:
    combo = page.locator(f".st-key-{key} input")
    combo.wait_for(timeout=30_000)
    combo.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def failures(url: str, name: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT failed_attempts FROM sign_in_failures WHERE name = %s",
                                 [name]).fetchone()
    return row[0] if row else 0


def wait_for_failures(url: str, name: str, count: int, page) -> None:
    """Wait (polling PostgreSQL, 15 s at most) until `name` has `count` counted failures."""
    for _ in range(75):
        if failures(url, name) >= count:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{name} has {failures(url, name)} failures, not {count}")


def stream_lines(cluster: Cluster, ports: set[int], browser) -> list[str]:
    """The access log's /_stcore/stream lines, once they name every port (10 s at most)."""
    page = browser.new_page()
    try:
        for _ in range(50):
            lines = [line for line in cluster.access_log.read_text().splitlines()
                     if "/_stcore/stream" in line]
            seen = {int(m.group(1)) for line in lines
                    if (m := re.search(r"upstream=127\.0\.0\.1:(\d+)$", line))}
            if ports <= seen:
                return lines
            page.wait_for_timeout(200)
    finally:
        page.close()
    raise AssertionError(f"no WebSocket line for every replica {ports}: {lines}")


def test_sticky_replicas_share_uploads_and_sign_in_throttling(cluster, browser, pg_url, tmp_path):
    port_a, port_b = cluster.replica_ports
    sheet = tmp_path / "canada-2026-11.csv"
    sheet.write_text(SHEET)

    # A browser without a route cookie is given one by nginx.
    fresh = browser.new_context()
    fresh.new_page().goto(cluster.url)
    assert "pulse_route" in {cookie["name"] for cookie in fresh.cookies()}
    fresh.close()

    editor, viewer = Pinned(browser, cluster, port_a), Pinned(browser, cluster, port_b)
    try:
        viewer.page.goto(f"{cluster.url}/overview?plan=IC")
        sign_in(viewer.page, "vera", PASSWORD)
        sidebar = viewer.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Data current to 2026-11-24").wait_for(timeout=60_000)
        wait_for_app(viewer.page)

        editor.page.goto(f"{cluster.url}/upload?plan=IC")
        sign_in(editor.page, "eddie", PASSWORD)
        wait_for_app(editor.page, timeout=60_000)
        pick(editor.page, "upload_kind", "updates")
        pick(editor.page, "upload_party", "Canada")
        editor.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(sheet))
        editor.page.get_by_text("row(s) read").wait_for(timeout=30_000)
        wait_for_app(editor.page)
        editor.page.locator(".st-key-commit button").click()
        editor.page.get_by_text("Committed.").wait_for(timeout=30_000)

        # The viewer's next rerun (a click in the navigation) shows the new data within 2 s.
        viewer.page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").first.click()
        sidebar.get_by_text("Data current to 2026-11-30").wait_for(timeout=2_000)

        # (a) each browser stayed on its replica, and its WebSocket came through nginx
        assert editor.upstreams == {f"127.0.0.1:{port_a}"}, editor.upstreams
        assert viewer.upstreams == {f"127.0.0.1:{port_b}"}, viewer.upstreams
        for pinned in (editor, viewer):
            assert any(url.endswith("/_stcore/stream") for url in pinned.sockets)
            assert pinned.frames["received"] > 0           # frames flow only after the 101
    finally:
        editor.close()
        viewer.close()

    # The access log (written when each WebSocket closes): both upgrades were a 101, one from
    # each replica.
    streams = stream_lines(cluster, {port_a, port_b}, browser)
    assert all(" 101 " in line for line in streams), streams

    # (c) sign-in throttling counts across replicas: two failures on A, one on B: locked on both.
    on_a, on_b = Pinned(browser, cluster, port_a), Pinned(browser, cluster, port_b)
    try:
        for pinned in (on_a, on_b):
            pinned.page.goto(cluster.url)
            pinned.page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        for count in (1, 2):
            sign_in(on_a.page, "tess", "not the password")
            wait_for_failures(pg_url, "tess", count, on_a.page)
        wait_for_app(on_a.page)
        fill_sign_in(on_a.page, "tess", PASSWORD)                        # ready to try again
        sign_in(on_b.page, "tess", "not the password")
        on_b.page.get_by_text("Too many failed sign-ins").wait_for(timeout=5_000)
        on_a.page.get_by_role("button", name="Sign in").click()          # the right password
        on_a.page.get_by_text("Too many failed sign-ins").wait_for(timeout=5_000)
        assert on_a.page.get_by_text("Signed in as tess").count() == 0
        assert on_a.upstreams == {f"127.0.0.1:{port_a}"}
        assert on_b.upstreams == {f"127.0.0.1:{port_b}"}
    finally:
        on_a.close()
        on_b.close()
