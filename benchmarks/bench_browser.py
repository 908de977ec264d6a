"""First render of the overview in real Chromium, and the app server's peak memory.

Why: AppTest times the script, not what a manager waits for: the websocket, the
front end drawing charts and tables. This starts `streamlit run server.py` on
a free loopback port against the benchmark store (as tests/browser/conftest.py
does), opens it in Debian's Chromium through Playwright, and times from
navigation until the overview's content is drawn and the script has finished.
The first visit runs the script cold (empty caches); a second visit in a new
tab is the warm figure. The server's peak RSS (VmHWM from /proc) is the app
process memory. Called by `benchmarks.child` (part `browser`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.conftest import wait_for_health

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
# The last three keep pages that are not in front running at full speed: several contexts
# of one browser are "background" pages, whose timers Chromium otherwise slows to once a
# second (the sessions benchmark then timed the throttling, not the app).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-background-timer-throttling",
                 "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]
CONTENT = ('[data-testid="stMetric"], [data-testid="stPlotlyChart"],'
           ' [data-testid="stDataFrame"], [data-testid="stException"]')
SCRIPT_DONE = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_path: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "WORKPLAN_DB": str(db_path)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_for_health(url, process)
    return process, url


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _render_seconds(browser, url: str, timeout_ms: float = 180_000) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
        page.wait_for_selector(CONTENT, timeout=timeout_ms)
        page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms)
        seconds = time.perf_counter() - started
        shown = page.query_selector('[data-testid="stException"]')
        if shown:
            first = (shown.inner_text().strip().splitlines() or [""])[0]
            raise RuntimeError(f"the overview showed an exception in the browser: {first}")
        return seconds
    finally:
        context.close()


def measure_first_render(db_path: Path, workdir: Path) -> dict:
    """Cold and warm seconds to a drawn overview in Chromium; the server's peak RSS."""
    from playwright.sync_api import sync_playwright

    workdir.mkdir(parents=True, exist_ok=True)
    with running_server(db_path, workdir / "streamlit.log") as (url, pid):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                 headless=True)
            try:
                cold = _render_seconds(browser, url)
                warm = _render_seconds(browser, url)
            finally:
                browser.close()
        return {"browser_cold_s": cold, "browser_warm_s": warm,
                "server_peak_rss_mb": peak_rss_mb(pid)}


@contextmanager
def running_server(db_path: Path, log_path: Path) -> Iterator[tuple[str, int]]:
    """(URL, pid) of `streamlit run server.py` on the store, stopped on exit."""
    process, url = start_server(db_path, log_path)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
