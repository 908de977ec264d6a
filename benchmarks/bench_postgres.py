"""`make bench`'s PostgreSQL figures (issue 16), each a ratio against a baseline in the same process.

Why: the shared store must not make a replica much slower than the embedded file. Three measures:
1. first load: `open_store(url)` of a PostgreSQL store holding the plan (put there once with
   `workplan copy --to`) against DuckDB reading the same rows from the embedded file (the file
   ATTACHed read-only in an in-memory DuckDB, CREATE TABLE AS of every store table: the same
   rows end up in memory); alternating, median of rounds (target within 3x). Measured twice:
   from the store's snapshot (analytics/pg/snapshot.py: how a replica starts), and with no
   usable snapshot (every table read, then the snapshot written);
2. refresh after a 5,000-row upload: two replicas on one URL, one commits, the other's
   `refresh()` plus the first metrics call (overall and by domain), against the metrics call
   after the same commit on a DuckDB file (target under 1 s);
3. 40 concurrent sessions on one replica and on two (half the sessions to each), each
   measure on fresh replicas, with each replica's CPU seconds during the run:
   - through the protocol client (`benchmarks/stream_client.py`: a session is the
     WebSocket and the BackMsg a browser sends on first load of /overview), p50 and p95
     of the first Plotly chart's delta and of the script's end, errors: the replicas' work,
     since the client costs a few milliseconds of CPU a session;
   - through 40 contexts of one Chromium (time until the first chart's element is in the
     page), p50, p95 and errors: end to end, but on a machine of 2 cores it times the
     browser more than the replicas.

Usage: `python -m benchmarks.bench_postgres [--size M] [--out benchmarks/RESULTS.md]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from benchmarks.bench_portfolio import _timed, next_week_upload
from benchmarks.stream_client import percentile, run_sessions, summary

HERE = Path(__file__).resolve().parent
SECTION_START = "<!-- postgres: written by `python -m benchmarks.bench_postgres`, replaced on each run -->"
SECTION_END = "<!-- postgres: end -->"
LOAD_ROUNDS = 3
UPLOAD_ROWS = 5_000
SESSIONS = 40
LOAD_TARGET_RATIO = 3.0
REFRESH_TARGET_S = 1.0


def duckdb_read_seconds(db_path: Path) -> float:
    """Seconds for an in-memory DuckDB to hold every store table of the file (the baseline)."""
    import duckdb

    from analytics.pg.changes import store_tables

    with duckdb.connect(str(db_path), read_only=True) as source:
        names = store_tables(source.cursor())
    started = time.perf_counter()
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{db_path}' AS src (READ_ONLY)")
        for name in names:
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src."{name}"')
    finally:
        con.close()
    return time.perf_counter() - started


def measure_load(db_path: Path, url: str, rounds: int = LOAD_ROUNDS) -> dict:
    """open_store(url) from the store's snapshot (a replica's start) and from the tables (no
    usable snapshot: the first start after `workplan copy --to` or a pruned log, which also
    writes the snapshot), against the DuckDB baseline; medians of `rounds`, DuckDB first in every
    other round (the tables' load always before the snapshot's, which it writes)."""
    from analytics.store import open_store

    def pg(without_snapshot: bool) -> float:
        if without_snapshot:
            _drop_snapshot(url)
        started = time.perf_counter()
        open_store(url).close()
        return time.perf_counter() - started

    times = {"tables": [], "snapshot": [], "duckdb": []}
    runs = [("tables", lambda: pg(True)), ("snapshot", lambda: pg(False)),
            ("duckdb", lambda: duckdb_read_seconds(db_path))]
    for r in range(rounds):
        for name, run in runs if r % 2 == 0 else runs[2:] + runs[:2]:
            times[name].append(run())
    snapshot, tables, duck = (statistics.median(times[k]) for k in ("snapshot", "tables", "duckdb"))
    return {"rounds": rounds, "postgres_load_s": snapshot, "postgres_tables_load_s": tables,
            "duckdb_read_s": duck, "load_ratio": snapshot / duck, "tables_load_ratio": tables / duck}


def _drop_snapshot(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as pg:
        pg.execute("DELETE FROM copy_snapshot")


def _metrics_seconds(store, plan) -> float:
    from analytics.context import ViewContext
    from analytics.metrics.groups import group_metrics

    as_of = store.scalar("SELECT max(as_of) FROM plan_reports($plan)", {"plan": plan.id})
    ctx = ViewContext(as_of=as_of, plan=plan)
    return _timed(lambda: (group_metrics(store, ctx, "overall"), group_metrics(store, ctx, "domain")))


def _upload(store, plan, rows: int) -> int:
    from analytics.writes import UploadMeta, commit_upload

    upload = next_week_upload(store, plan, rows)
    commit_upload(store, upload, UploadMeta(kind="updates", filename="week.csv",
                                            uploaded_by="benchmark", plan_id=plan.id))
    return len(upload)


def measure_refresh(db_path: Path, url: str, workdir: Path, rows: int = UPLOAD_ROWS) -> dict:
    """Replica B's refresh() and first metrics after replica A's upload; the file baseline."""
    from analytics.pg.store import open_postgres_store
    from analytics.plans import list_plans
    from analytics.store import open_store

    copy = workdir / "refresh.duckdb"
    shutil.copyfile(db_path, copy)
    with open_store(copy) as store:
        plan = list_plans(store)[0]
        _metrics_seconds(store, plan)
        uploaded = _upload(store, plan, rows)
        file_s = _metrics_seconds(store, plan)
    copy.unlink()
    with open_postgres_store(url) as writer, open_postgres_store(url) as reader:
        plan = list_plans(reader)[0]
        _metrics_seconds(reader, plan)
        _upload(writer, plan, rows)
        refresh_s = _timed(reader.refresh)
        metrics_s = _metrics_seconds(reader, plan)
    return {"upload_rows": uploaded, "refresh_s": refresh_s, "metrics_after_refresh_s": metrics_s,
            "refresh_total_s": refresh_s + metrics_s, "file_metrics_after_commit_s": file_s,
            "refresh_ratio": (refresh_s + metrics_s) / file_s}


# The first chart's element, as soon as the server's delta puts it in the page (attached):
# Plotly's own drawing is the browser's work, and 40 contexts of one Chromium share the same
# 2 cores as the replicas here, so waiting for the drawn SVG would time the client.
CHART = '[data-testid="stPlotlyChart"]'
SESSION_TIMEOUT_MS = 600_000


def sessions_first_chart(urls: list[str], sessions: int,
                         timeout_ms: float = SESSION_TIMEOUT_MS) -> dict:
    """`sessions` contexts of one Chromium opened at once, spread over `urls`: seconds from
    navigation to the first chart of each, and the sessions that failed."""
    return asyncio.run(_sessions(urls, sessions, timeout_ms))


async def _sessions(urls: list[str], sessions: int, timeout_ms: float) -> dict:
    from playwright.async_api import async_playwright

    from benchmarks.bench_browser import CHROMIUM, CHROMIUM_ARGS

    seconds: list[float] = []
    errors: list[str] = []

    async def one(browser, k: int) -> None:
        context = await browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            page = await context.new_page()
            began = time.perf_counter()
            await page.goto(urls[k % len(urls)] + "/overview", timeout=timeout_ms)
            await page.wait_for_selector(CHART, state="attached", timeout=timeout_ms)
            seconds.append(time.perf_counter() - began)
        except Exception as exc:  # noqa: BLE001 - every failure is counted as an error
            errors.append(f"session {k}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            await context.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(one(browser, k) for k in range(sessions)))
        finally:
            await browser.close()
    return {"sessions": sessions, "ok": len(seconds), "errors": errors,
            "p50_s": percentile(seconds, 0.5) if seconds else float("nan"),
            "p95_s": percentile(seconds, 0.95) if seconds else float("nan")}


def protocol_sessions(urls: list[str], sessions: int) -> dict:
    """`sessions` first loads of /overview through the protocol client, spread over `urls`:
    the summary and the client's own CPU seconds."""
    began = time.process_time()
    result = summary(run_sessions(urls, sessions))
    result["client_cpu_s"] = time.process_time() - began
    return result


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a running process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def on_replicas(store: Path | str, workdir: Path, replicas: int, name: str,
                measure: Callable[[list[str], int], dict], sessions: int) -> dict:
    """`measure(urls, sessions)` on `replicas` fresh streamlit processes of the store, with
    the wall seconds it took and each replica's CPU seconds during it."""
    from benchmarks.bench_browser import running_server

    with ExitStack() as stack:
        servers = [stack.enter_context(running_server(store, workdir / f"{name}-{replicas}-replica{k}.log"))
                   for k in range(replicas)]
        before = [cpu_seconds(pid) for _, pid in servers]
        began = time.perf_counter()
        result = measure([url for url, _ in servers], sessions)
        result["wall_s"] = time.perf_counter() - began
        result["replica_cpu_s"] = [cpu_seconds(pid) - cpu for (_, pid), cpu in zip(servers, before, strict=True)]
    return result


def measure_sessions(url: str, workdir: Path, sessions: int = SESSIONS, *,
                     chromium: bool = True) -> dict:
    """One replica, then two (each its own streamlit process; half the sessions to each),
    fresh for each measure: through the protocol client, then (`chromium`) through Chromium."""
    clients = {"protocol": protocol_sessions}
    if chromium:
        clients["chromium"] = sessions_first_chart
    return {client: {f"replicas_{replicas}": on_replicas(url, workdir, replicas, client, measure, sessions)
                     for replicas in (1, 2)}
            for client, measure in clients.items()}


def _cpu(value: dict) -> str:
    return " + ".join(f"{s:.1f} s" for s in value["replica_cpu_s"])


def session_rows(sessions: dict) -> list[str]:
    """The sessions' rows of the table: Chromium's (end to end), then the protocol client's."""
    rows = []
    for key, value in sessions.get("chromium", {}).items():
        label = f"{value['sessions']} Chromium sessions, {key.replace('_', ' ')}"
        rows += [f"| {label}: first chart p50 / p95; errors "
                 f"| {value['p50_s']:.1f} s / {value['p95_s']:.1f} s; {len(value['errors'])} |",
                 f"| {label}: CPU of each replica during the run; wall "
                 f"| {_cpu(value)}; {value['wall_s']:.1f} s |"]
    for key, value in sessions.get("protocol", {}).items():
        label = f"{value['sessions']} protocol sessions, {key.replace('_', ' ')}"
        rows += [f"| {label}: first chart p50 / p95; script end p50 / p95; errors "
                 f"| {value['chart_p50_s']:.2f} s / {value['chart_p95_s']:.2f} s; "
                 f"{value['end_p50_s']:.2f} s / {value['end_p95_s']:.2f} s; {len(value['errors'])} |",
                 f"| {label}: CPU of each replica during the run; of the client; wall "
                 f"| {_cpu(value)}; {value['client_cpu_s']:.2f} s; {value['wall_s']:.1f} s |"]
    return rows


def markdown(result: dict) -> str:
    """The PostgreSQL section of RESULTS.md."""
    load, refresh = result["load"], result["refresh"]
    lines = [SECTION_START, "## PostgreSQL store (issue 16)", "",
             f"Plan: {result['plan']}; machine load at start: {result['uptime']}.", "",
             "| measure | value |", "|---|---:|",
             f"| first load, `open_store(url)` from the store's snapshot (median of {load['rounds']}) | {load['postgres_load_s']:.2f} s |",
             f"| DuckDB: ATTACH the file read-only, CREATE TABLE AS every store table in memory | {load['duckdb_read_s']:.2f} s |",
             f"| ratio (target ≤ {LOAD_TARGET_RATIO:g}x) | {load['load_ratio']:.1f}x |",
             f"| first load with no usable snapshot: every table, then the snapshot written | {load['postgres_tables_load_s']:.2f} s ({load['tables_load_ratio']:.1f}x) |",
             f"| refresh() after a {refresh['upload_rows']:,}-row upload on the other replica | {refresh['refresh_s']:.3f} s |",
             f"| first metrics (overall, by domain) after it | {refresh['metrics_after_refresh_s']:.3f} s |",
             f"| the same metrics after the commit on the DuckDB file | {refresh['file_metrics_after_commit_s']:.3f} s |",
             f"| refresh + metrics (target < {REFRESH_TARGET_S:g} s); ratio to the file | {refresh['refresh_total_s']:.3f} s; {refresh['refresh_ratio']:.1f}x |"]
    lines += session_rows(result.get("sessions", {}))
    return "\n".join([*lines, "", SECTION_END])


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of `path` (bench_portfolio's writer, with our marks)."""
    from benchmarks import bench_portfolio

    bench_portfolio.write_section(path, section, SECTION_START, SECTION_END)


def run_postgres_benchmark(db_path: Path, url: str, workdir: Path, *, browser: bool = True,
                           sessions: int = SESSIONS, rows: int = UPLOAD_ROWS, plan: str = "M",
                           log: Callable[[str], None] = print) -> dict:
    """Copy the file's store into the empty PostgreSQL database at `url`, then measure."""
    from analytics.pg.copy import copy_file_to_postgres

    result = {"plan": plan, "uptime": ", ".join(f"{x:.1f}" for x in os.getloadavg())}
    log("copy to PostgreSQL ...")
    copy_file_to_postgres(db_path, url)
    log("first load ...")
    result["load"] = measure_load(db_path, url)
    log("refresh ...")
    result["refresh"] = measure_refresh(db_path, url, workdir, rows)
    if browser:
        log("sessions ...")
        result["sessions"] = measure_sessions(url, workdir, sessions)
    return result


def main(argv: list[str] | None = None) -> int:
    from analytics.pg.local_server import LocalPostgres
    from benchmarks.generate import DATA_DIR, ensure_plan
    from benchmarks.plan_db import ensure_plan_db

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_postgres")
    parser.add_argument("--size", default="M")
    parser.add_argument("--browser-size", default="S", help="plan size of the sessions part")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalPostgres(Path(tmp) / "pg")
        server.initdb()
        server.start()
        try:
            db = ensure_plan_db(ensure_plan(args.size, DATA_DIR))
            result = run_postgres_benchmark(db, server.create_database("bench"), Path(tmp),
                                            browser=False, plan=args.size, log=log)
            small = ensure_plan_db(ensure_plan(args.browser_size, DATA_DIR))
            small_url = server.create_database("bench_sessions")
            from analytics.pg.copy import copy_file_to_postgres
            copy_file_to_postgres(small, small_url)
            log("sessions ...")
            result["sessions"] = measure_sessions(small_url, Path(tmp))
        finally:
            server.stop()
    text = markdown(result)
    print(text)
    if args.out:
        write_section(args.out, text)
    return 1 if any(s["errors"] for client in result["sessions"].values()
                    for s in client.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
