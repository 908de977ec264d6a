"""The portfolio at scale: 20 plans of 2,500 items (1M status updates in all) in one store.

Why: the issue asks that the Portfolio page stay fast when a store holds many large plans
(warm under 1 s server-side; first render in Chromium within 1.5x of one plan's Overview)
and that an upload to one plan leave the other plans' cached views warm. This builds that
store once (seeded per plan, so verdicts differ: red, amber and green plans), then runs
each part in a fresh process, on a copy of the store:

- server: `portfolio_metrics` over every plan cold, then warm (median of 5); then rounds of
  (warm, a 100-row upload to one plan, again), the keys of the metrics LRU
  (`analytics.metrics.queries`) before and after naming the plans recomputed;
- pages: the Portfolio page (AppTest) cold, warm and after an upload, against one plan's
  Overview warm in the same process;
- browser: Chromium through Playwright against `streamlit run`: from navigation until
  /portfolio shows every verdict line and its table, against /overview?plan=CODE until
  its first chart is drawn, each visit in a fresh browser context, alternating, median of
  3 rounds; and each page's first visit on a fresh server.

Targets are reported met / not met, never asserted. `make bench` runs it after
`benchmarks.run`; the toy test (tests/integration/test_bench_portfolio_toy.py) runs it at
2 plans x 20 items. Usage: `python -m benchmarks.bench_portfolio [--plans 20 --items 2500
--updates 1000000] [--out benchmarks/RESULTS.md]`. The store is cached under
`benchmarks/data/portfolio-<plans>x<items>/` (git-ignored) while its manifest matches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks import generate
from benchmarks.bench_browser import running_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR_VERSION = 1
MARKER = "PORTFOLIO-RESULT "
SECTION_START = "<!-- portfolio: written by `python -m benchmarks.bench_portfolio`, replaced on each run -->"
SECTION_END = "<!-- portfolio: end -->"
WARM_RUNS = 5
BROWSER_ROUNDS = 3
UPLOAD_ROWS = 100
UPLOAD_ROUNDS = 3
CLEAN_EVERY = 5          # every 5th plan is on track (no red item), so some verdicts are green
WARM_TARGET_S = 1.0
BROWSER_TARGET_RATIO = 1.5


@dataclass(frozen=True)
class PortfolioSize:
    """How big the synthetic portfolio is; `seed` (with the plan's number) makes it reproducible."""

    plans: int = 20
    items: int = 2_500
    updates: int = 1_000_000         # in all, shared equally by the plans
    milestones_per_item: int = 4
    seed: int = 2026

    def code(self, k: int) -> str:
        return f"P{k + 1:02d}"


# -- the store ---------------------------------------------------------------------------

def plan_tables(size: PortfolioSize, k: int) -> dict:
    """Items, milestones and updates of plan k: the generator of `benchmarks.generate` with the
    plan's own seed, and its own pace (every item's progress rate times a factor of 0.6 to
    1.5; an on-track plan has no slow or stale item)."""
    spec = generate.Size(size.code(k), items=size.items, updates=size.updates // size.plans,
                         milestones=size.items * size.milestones_per_item, seed=size.seed + k)
    rng = np.random.default_rng(spec.seed)
    items = generate._items(spec, rng)
    factor = np.random.default_rng([size.seed, k]).uniform(0.6, 1.5)
    items["rate"] = items["rate"] * factor
    if k % CLEAN_EVERY == CLEAN_EVERY - 1:      # ahead enough to finish before the due date
        items["rate"] = np.maximum(items["rate"], 1.4)
        items["lag"] = np.zeros_like(items["lag"])
    return {"items": items["table"], "milestones": generate._milestones(spec, items, rng),
            "updates": generate._updates(spec, items, rng)}


def ensure_portfolio_db(size: PortfolioSize, root: Path, log: Callable[[str], None]) -> Path:
    """`<root>/portfolio-<plans>x<items>/portfolio.duckdb`, built when missing or stale."""
    directory = root / f"portfolio-{size.plans}x{size.items}"
    path, stamp = directory / "portfolio.duckdb", directory / "manifest.json"
    manifest = json.dumps({"generator_version": [GENERATOR_VERSION, generate.GENERATOR_VERSION],
                           **asdict(size)}, indent=2)
    if path.exists() and stamp.exists() and stamp.read_text() == manifest:
        return path
    directory.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal"), stamp):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    build_store(size, path)
    stamp.write_text(manifest)
    log(f"built {path} in {time.perf_counter() - started:.1f} s")
    return path


def build_store(size: PortfolioSize, path: Path) -> None:
    from analytics.plans import add_plan
    from analytics.store import open_store
    from analytics.writes import UploadMeta, commit_upload
    from benchmarks.plan_db import UPLOADED_AT

    with open_store(path) as store:
        for k in range(size.plans):
            plan = add_plan(store, size.code(k), title=f"Synthetic plan {k + 1}", by="benchmark")
            for kind, table in plan_tables(size, k).items():
                commit_upload(store, table, UploadMeta(
                    kind=kind, filename=f"{kind}.csv", uploaded_by="benchmark",
                    uploaded_at=UPLOADED_AT[kind], message="synthetic plan", plan_id=plan.id))
        store.cursor().execute("CHECKPOINT")


def working_copy(db_path: Path, name: str) -> Path:
    """A copy of the cached store that a part may write to (the upload), under work/."""
    target = db_path.parent / "work" / name
    target.parent.mkdir(exist_ok=True)
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    shutil.copyfile(db_path, target)
    return target


# -- server side: portfolio_metrics and the metrics cache --------------------------------

def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def cache_keys() -> set:
    """The keys of the metrics LRU; a key starts with store_state (path, connection, plan, ...)."""
    from analytics.metrics import queries

    with queries._CACHE_LOCK:
        return set(queries._CACHE)


def next_week_upload(store, plan, rows: int):
    """`rows` reports on the plan's first items, a week after its data-current-to date: each
    item's latest report moved on 5 points, by the same party and reporter."""
    return store.query_df(
        "SELECT item_id, CAST(max(as_of) + INTERVAL 7 DAY AS DATE) AS as_of,"
        " least(100, arg_max(percent_complete, as_of) + 5) AS percent_complete,"
        " arg_max(status, as_of) AS status, 'benchmark: one more week' AS note,"
        " arg_max(reported_by, as_of) AS reported_by, arg_max(party, as_of) AS party"
        " FROM plan_reports($plan) GROUP BY item_id ORDER BY item_id LIMIT $rows",
        {"plan": plan.id, "rows": rows})


def measure_server(db_path: Path, warm_runs: int = WARM_RUNS, upload_rows: int = UPLOAD_ROWS) -> dict:
    """portfolio_metrics cold and warm; then an upload to one plan and which plans recompute."""
    from analytics.metrics.portfolio import portfolio_metrics
    from analytics.plans import list_plans
    from analytics.settings import Settings
    from analytics.store import open_store

    with open_store(db_path) as store:
        plans, settings = list_plans(store), Settings.from_env()
        frame = None

        def run() -> None:
            nonlocal frame
            frame = portfolio_metrics(store, plans, settings)

        cold = _timed(run)
        warm = statistics.median(_timed(run) for _ in range(warm_runs))
        per_plan = Counter(key[0][2] for key in cache_keys())
        result = {"plans": len(plans), "cold_s": cold, "warm_s": warm, "warm_vs_cold": warm / cold,
                  "cache_entries_per_plan": max(per_plan.values()) if per_plan else 0,
                  "health": dict(Counter(frame["health"].fillna("none")))}
        return {**result, **measure_isolation(store, plans, run, upload_rows)}


def measure_isolation(store, plans, run: Callable[[], None], rows: int,
                      rounds: int = UPLOAD_ROUNDS) -> dict:
    """Rounds of: the portfolio warm (timed), `rows` updates committed to one plan (another
    each round, from the middle one), the portfolio again (timed); the plans whose cache
    entries are new were recomputed, and entries gone were evicted. Each round's two runs
    are next to each other in time, so their ratio is what a shared machine lets us compare."""
    from analytics.writes import UploadMeta, commit_upload

    by_id = {plan.id: plan.code for plan in plans}
    run()                                        # every plan's views warm
    measured = []
    for r in range(rounds):
        target = plans[(len(plans) // 2 + r) % len(plans)]
        warm = _timed(run)
        before = cache_keys()
        upload = next_week_upload(store, target, rows)
        commit_upload(store, upload, UploadMeta(kind="updates", filename="week.csv",
                                                uploaded_by="benchmark", plan_id=target.id))
        after_s = _timed(run)
        after = cache_keys()
        measured.append({"plan": target.code, "rows": len(upload), "warm_s": warm,
                         "after_s": after_s, "ratio": after_s / warm,
                         "recomputed": sorted({by_id[key[0][2]] for key in after - before}),
                         "new": len(after - before), "evicted": len(before - after)})
    return {"upload_rounds": measured,
            "upload_plans": [m["plan"] for m in measured],
            "upload_rows": min(m["rows"] for m in measured),
            "after_upload_s": statistics.median(m["after_s"] for m in measured),
            "after_upload_vs_warm": statistics.median(m["ratio"] for m in measured),
            "recomputed_plans": [m["recomputed"] for m in measured],
            "recomputed_entries": sum(m["new"] for m in measured),
            "evicted_entries": sum(m["evicted"] for m in measured)}


# -- server side: the pages under AppTest ------------------------------------------------

def measure_pages(db_path: Path, code: str, warm_runs: int = 3) -> dict:
    """The Portfolio page and the Overview of plan `code`, server-side (AppTest), in one process:
    the portfolio cold (after st.cache_data.clear), warm, and re-run after an upload to plan
    `code` (the page's cache is keyed on every plan's data version, so it asks
    portfolio_metrics again); the Overview warm is the baseline."""
    import streamlit as st

    from analytics.plans import plan_by_code
    from analytics.store import open_store
    from analytics.writes import UploadMeta, commit_upload
    from benchmarks.bench_app import _app, _import_everything, _navigation_mode, _run_checked

    with _navigation_mode():
        _import_everything()
        st.cache_data.clear()
        portfolio = _app(db_path)
        portfolio.switch_page("pages/portfolio.py")
        cold = _run_checked(portfolio)
        verdicts = sum("-badge[" in block.value for block in portfolio.markdown)
        warm = statistics.median(_run_checked(portfolio) for _ in range(warm_runs))
        overview = _app(db_path)
        overview.query_params["plan"] = code
        overview.switch_page("pages/overview.py")
        _run_checked(overview)                  # its charts' queries
        overview_warm = statistics.median(_run_checked(overview) for _ in range(warm_runs))
        with open_store(db_path) as store:
            plan = plan_by_code(store, code)
            commit_upload(store, next_week_upload(store, plan, UPLOAD_ROWS), UploadMeta(
                kind="updates", filename="week.csv", uploaded_by="benchmark", plan_id=plan.id))
        after_upload = _run_checked(portfolio)
    return {"page_cold_s": cold, "page_warm_s": warm, "page_verdicts": verdicts,
            "page_after_upload_s": after_upload, "overview_warm_s": overview_warm,
            "page_warm_vs_overview_warm": warm / overview_warm}


# -- browser -------------------------------------------------------------------------------

def portfolio_drawn(plans: int) -> str:
    """JS: every plan's verdict line (its Open button) and the portfolio table are drawn."""
    return ("() => document.querySelectorAll('[class*=\"st-key-portfolio_open_\"] button').length"
            f" >= {plans} && !!document.querySelector('[data-testid=\"stDataFrame\"]"
            " [data-testid=\"data-grid-canvas\"]')")


OVERVIEW_DRAWN = "() => !!document.querySelector('[data-testid=\"stPlotlyChart\"] .main-svg')"


def render_seconds(browser, url: str, drawn: str, timeout_ms: float = 300_000) -> dict:
    """Seconds from navigation (fresh context) until `drawn` holds, then until the script ended."""
    from benchmarks.bench_browser import SCRIPT_DONE

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(f"() => ({drawn})() || !!document.querySelector("
                               "'[data-testid=\"stException\"]')", timeout=timeout_ms)
        shown = time.perf_counter() - started
        page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms)
        done = time.perf_counter() - started
        error = page.query_selector('[data-testid="stException"]')
        if error:
            raise RuntimeError(f"{url} showed an exception: {error.inner_text().strip()[:200]}")
        return {"shown_s": shown, "done_s": done}
    finally:
        context.close()


def measure_browser(db_path: Path, code: str, plans: int, workdir: Path,
                    rounds: int = BROWSER_ROUNDS, browser=None) -> dict:
    """/portfolio against /overview?plan=CODE in Chromium: each page's first visit on a fresh
    server, then `rounds` rounds of both on a warm server, each visit in a fresh context, the
    order alternating from round to round (medians; the ratio is the median of the rounds')."""
    from benchmarks.bench_browser import peak_rss_mb

    if browser is None:
        return _with_chromium(lambda chromium: measure_browser(db_path, code, plans, workdir,
                                                                rounds, chromium))
    pages = {"portfolio": ("/portfolio", portfolio_drawn(plans)),
             "overview": (f"/overview?plan={code}", OVERVIEW_DRAWN)}

    def visit(url: str, name: str) -> dict:
        path, drawn = pages[name]
        return render_seconds(browser, url + path, drawn)

    with running_server(db_path, workdir / "streamlit-portfolio.log") as (url, _):
        fresh_portfolio = visit(url, "portfolio")["shown_s"]
    with running_server(db_path, workdir / "streamlit-overview.log") as (url, pid):
        fresh_overview = visit(url, "overview")["shown_s"]
        visit(url, "portfolio")                      # now both are warm on this server
        order = list(pages)
        timings = [{name: visit(url, name) for name in (order if r % 2 == 0 else order[::-1])}
                   for r in range(rounds)]
        rss = peak_rss_mb(pid)
    return {"portfolio_fresh_server_s": fresh_portfolio, "overview_fresh_server_s": fresh_overview,
            "server_peak_rss_mb": rss, **_summary(timings)}


def _with_chromium(measure: Callable[[object], dict]) -> dict:
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            return measure(chromium)
        finally:
            chromium.close()


def _summary(timings: list[dict]) -> dict:
    median = lambda name, key: statistics.median(t[name][key] for t in timings)  # noqa: E731
    return {"portfolio_s": median("portfolio", "shown_s"), "overview_s": median("overview", "shown_s"),
            "portfolio_done_s": median("portfolio", "done_s"),
            "overview_done_s": median("overview", "done_s"),
            "ratio": statistics.median(t["portfolio"]["shown_s"] / t["overview"]["shown_s"]
                                       for t in timings),
            "rounds": len(timings)}


# -- running the parts ---------------------------------------------------------------------

PARTS = {"server": lambda a: measure_server(Path(a["db_path"])),
         "pages": lambda a: measure_pages(Path(a["db_path"]), a["code"]),
         "browser": lambda a: measure_browser(Path(a["db_path"]), a["code"], int(a["plans"]),
                                              Path(a["workdir"]))}


def run_part(part: str, args: dict, isolated: bool) -> dict:
    """The part's result, from a fresh `python -m benchmarks.bench_portfolio --part` process
    when `isolated` (with WORKPLAN_AUTH=none, for it and the servers it starts; peak RSS from
    os.wait4), else in this process (the toy test, whose environment has no WORKPLAN_*)."""
    if not isolated:
        return PARTS[part](args)
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_portfolio", "--part", part,
                                json.dumps(args)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "WORKPLAN_AUTH": "none"})
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if os.waitstatus_to_exitcode(status) != 0 or not lines:
        raise RuntimeError(f"part {part} exited with status {os.waitstatus_to_exitcode(status)}")
    return {**json.loads(lines[-1][len(MARKER):]), "peak_rss_mb": usage.ru_maxrss / 1024}


def run_portfolio_benchmark(size: PortfolioSize, *, data_root: Path, isolated: bool = True,
                            browser: bool = True, log: Callable[[str], None] = print) -> dict:
    """Build (or reuse) the store, run every part; the results, the targets and any failures
    (also written to result.json next to the store)."""
    from benchmarks.report import machine

    info = machine()
    db_path = ensure_portfolio_db(size, data_root, log)
    args = {"code": size.code(0), "plans": size.plans, "workdir": str(db_path.parent / "work")}
    result = {"size": asdict(size), "machine": info, "failures": []}
    for part in ("server", "pages", "browser") if browser else ("server", "pages"):
        log(f"[portfolio] {part} ...")
        started = time.perf_counter()
        try:
            result[part] = run_part(part, {**args, "db_path": str(working_copy(db_path, f"{part}.duckdb"))},
                                    isolated)
        except Exception as exc:  # noqa: BLE001 - a failed part is reported, the others still run
            result["failures"].append(f"{part}: {exc}")
            log(f"[portfolio] {part} FAILED: {exc}")
            continue
        log(f"[portfolio] {part} done in {time.perf_counter() - started:.1f} s")
    info["load average at end"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    result["targets"] = target_rows(result)
    (db_path.parent / "result.json").write_text(json.dumps(result, indent=2, default=str))
    return result


def target_rows(result: dict) -> list[dict]:
    """(target, measured text, met) for each target whose part ran."""
    rows = []
    server, pages, browser = (result.get(part) for part in ("server", "pages", "browser"))
    if server:
        rows.append((f"portfolio_metrics over {server['plans']} plans warm under 1 s",
                     f"{server['warm_s']:.3f} s", server["warm_s"] < WARM_TARGET_S))
        counts = sorted({len(plans) for plans in server["recomputed_plans"]})
        rows.append(("an upload to one plan recomputes only that plan",
                     f"{' or '.join(map(str, counts))} of {server['plans']} plans recomputed"
                     f" (each of {len(server['upload_plans'])} uploads)",
                     all(recomputed == [plan] for recomputed, plan
                         in zip(server["recomputed_plans"], server["upload_plans"], strict=True))))
    if pages:
        rows.append(("Portfolio page warm under 1 s, server-side (AppTest)",
                     f"{pages['page_warm_s']:.3f} s", pages["page_warm_s"] < WARM_TARGET_S))
    if browser:
        rows.append(("Portfolio first render in Chromium within 1.5x of one plan's Overview",
                     f"{browser['ratio']:.2f}x", browser["ratio"] <= BROWSER_TARGET_RATIO))
    return [{"target": text, "measured": measured, "met": met} for text, measured, met in rows]


# -- the report ----------------------------------------------------------------------------

def markdown(result: dict) -> str:
    size = result["size"]
    lines = [SECTION_START, "## Portfolio", "",
             "Written by `python -m benchmarks.bench_portfolio` (in `make bench`); see its docstring for "
             "what each figure means. Each part ran in a fresh process on a copy of the cached store.", "",
             "| machine | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in result["machine"].items()]
    lines += ["", f"Store: {size['plans']} plans x {size['items']:,} items, "
              f"{size['updates'] // size['plans']:,} status updates and "
              f"{size['items'] * size['milestones_per_item']:,} milestones each "
              f"({size['updates']:,} updates in all), seeded per plan.", ""]
    lines += _figures(result) + ["", "| target | measured | met |", "|---|---:|---|"]
    lines += [f"| {row['target']} | {row['measured']} | {'yes' if row['met'] else '**no**'} |"
              for row in result["targets"]]
    lines += [f"\nFailed: {failure}" for failure in result["failures"]]
    return "\n".join(lines + ["", SECTION_END])


def _figures(result: dict) -> list[str]:
    rows, server, pages, browser = [], result.get("server"), result.get("pages"), result.get("browser")
    if server:
        recomputed = "; ".join(
            f"upload to {m['plan']}: {len(m['recomputed'])} of {server['plans']} "
            f"({', '.join(m['recomputed']) or 'none'})" for m in server["upload_rounds"])
        recomputed += (f"; {server['recomputed_entries']} cache entries new,"
                       f" {server['evicted_entries']} evicted")
        rows += [("plans by verdict", ", ".join(f"{n} {h}" for h, n in sorted(server["health"].items()))),
                 ("portfolio_metrics, every plan: cold (fresh process)", _s(server["cold_s"])),
                 (f"portfolio_metrics: warm (median of {WARM_RUNS})", _s(server["warm_s"])),
                 ("warm / cold", f"{server['warm_vs_cold']:.3f}x"),
                 ("metrics cache entries per plan (the LRU holds 256 in all)",
                  str(server["cache_entries_per_plan"])),
                 (f"after a {server['upload_rows']}-row upload to one plan (median of "
                  f"{len(server['upload_rounds'])}, a plan each)", _s(server["after_upload_s"])),
                 ("after the upload / warm just before it (median of the rounds' ratios)",
                  f"{server['after_upload_vs_warm']:.2f}x"),
                 ("plans recomputed after each upload", recomputed),
                 ("server part peak RSS", f"{server.get('peak_rss_mb', 0):,.0f} MiB")]
    if pages:
        rows += [("Portfolio page, AppTest: cold", _s(pages["page_cold_s"])),
                 ("Portfolio page, AppTest: warm (median of 3)", _s(pages["page_warm_s"])),
                 ("Portfolio page, AppTest: after an upload to the first plan",
                  _s(pages["page_after_upload_s"])),
                 ("the first plan's Overview, AppTest: warm", _s(pages["overview_warm_s"])),
                 ("Portfolio warm / Overview warm (AppTest)", f"{pages['page_warm_vs_overview_warm']:.2f}x")]
    if browser:
        rows += [("Chromium, fresh context: /portfolio until every verdict line and the table show",
                  _s(browser["portfolio_s"])),
                 ("Chromium, fresh context: the first plan's /overview until its first chart shows",
                  _s(browser["overview_s"])),
                 (f"portfolio / overview (median of {browser['rounds']} alternating rounds)",
                  f"{browser['ratio']:.2f}x"),
                 ("until the script finished: portfolio, overview",
                  f"{_s(browser['portfolio_done_s'])}, {_s(browser['overview_done_s'])}"),
                 ("first visit on a fresh server (one each): portfolio, overview",
                  f"{_s(browser['portfolio_fresh_server_s'])}, {_s(browser['overview_fresh_server_s'])}"),
                 ("`streamlit run` server peak RSS (VmHWM)", f"{browser['server_peak_rss_mb']:,.0f} MiB")]
    return ["| measure | value |", "|---|---:|"] + [f"| {label} | {value} |" for label, value in rows]


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def write_section(path: Path, section: str, start: str = SECTION_START,
                  end: str = SECTION_END) -> None:
    """Replace the section between `start` and `end` of `path` (the portfolio's by default), or
    add it right after the analysis mark, which `benchmarks.run` keeps across its re-runs; at
    the end when there is no mark. Other benchmarks' sections use their own marks."""
    from benchmarks.report import ANALYSIS_MARK

    text = path.read_text() if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    elif ANALYSIS_MARK in text:
        text = text.replace(ANALYSIS_MARK, f"{ANALYSIS_MARK}\n{section}\n", 1)
    else:
        text = f"{text.rstrip()}\n\n{section}\n" if text else f"{section}\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_portfolio",
                                     description=__doc__.split("\n")[0])
    default = PortfolioSize()
    parser.add_argument("--plans", type=int, default=default.plans)
    parser.add_argument("--items", type=int, default=default.items, help="per plan")
    parser.add_argument("--updates", type=int, default=default.updates, help="in all")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                        help="markdown file whose Portfolio section is written (default RESULTS.md)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where the store is cached")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--part", nargs=2, metavar=("PART", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.part:
        part, part_args = args.part
        print(MARKER + json.dumps(PARTS[part](json.loads(part_args)), default=str), flush=True)
        return 0
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    size = PortfolioSize(plans=args.plans, items=args.items, updates=args.updates)
    result = run_portfolio_benchmark(size, data_root=args.data, browser=not args.no_browser, log=log)
    section = markdown(result)
    write_section(args.out, section)
    print(section)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
