"""`make bench`: generate the plans, measure every part at each size, write RESULTS.md.

Why: one command gives the numbers issue 8 asks for, on the machine at hand,
with DuckDB's own speed measured in the same run as the yardstick. For each
size: the updates import against DuckDB read_csv (alternating in one process),
all metrics against one scan,
the overview render server-side (AppTest) cold, warm and after an as-of change,
the first render in Chromium (BROWSER_SIZES), and peak memory. Each part runs in
a fresh process (`benchmarks.child`) so "cold" is cold and memory is its own.

Usage: `python -m benchmarks.run [--sizes S,M,L] [--out benchmarks/RESULTS.md]`.
The toy-size test calls `run_benchmarks(..., isolated=False)` in-process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import report
from benchmarks.child import PartFailed, _dispatch, run_part
from benchmarks.generate import DATA_DIR, SIZE_NAMES, as_of_date, ensure_plan
from benchmarks.plan_db import ensure_plan_db

HERE = Path(__file__).resolve().parent
BROWSER_SIZES = {"M", "L"}
IMPORT_ROUNDS = 3   # read_csv and import alternate in one process; the median round ratio counts
DEFAULT_SIZES = ["S", "M", "L"]


def _in_process(part: str, **kwargs) -> dict:
    result = _dispatch(part, {k: str(v) for k, v in kwargs.items()})
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def measure_size(size: str, data_root: Path, run: Callable[..., dict], *, browser: bool,
                 log: Callable[[str], None]) -> tuple[dict[str, float], dict, list[str]]:
    """(measure key -> value, details per metric and page, failures) for one plan size."""
    directory = ensure_plan(size, data_root)
    db_path = ensure_plan_db(directory)
    workdir = directory / "work"
    workdir.mkdir(exist_ok=True)
    csv_path = directory / "updates.csv"
    values: dict[str, float] = {}
    details: dict = {}
    failures: list[str] = []
    files = {"csv_path": csv_path, "workdir": workdir}
    parts = [("import", {**files, "rounds": IMPORT_ROUNDS}),
             ("metrics", {"db_path": db_path, "as_of": as_of_date(size)}),
             ("overview", {"db_path": db_path})]
    if size == PAGES_SIZE:
        parts.append(("pages", {"db_path": db_path}))
    if browser:
        parts.append(("browser", {"db_path": db_path, "workdir": workdir}))
    for part, kwargs in parts:
        log(f"[{size}] {part} ...")
        started = time.perf_counter()
        try:
            result = run(part, **kwargs)
        except (PartFailed, ImportError) as exc:
            failures.append(f"{size} {part}: {exc}")
            log(f"[{size}] {part} FAILED: {exc}")
            continue
        merge_best(values, EXTRACT[part](result))
        if part == "metrics":
            details["per_metric"] = result["per_metric_warm_s"]
        if part == "pages":
            details["pages"] = result["pages"]
        log(f"[{size}] {part} done in {time.perf_counter() - started:.1f} s")
    return values, details, failures


def merge_best(values: dict[str, float], new: dict[str, float]) -> None:
    """Add a part's figures; over repeated rounds keep the best throughput and the peak memory."""
    for key, value in new.items():
        if key in values and key.endswith(("_rows_per_s", "_peak_rss_mb")):
            value = max(values[key], value)
        values[key] = value


def _from_import(result: dict) -> dict:
    """The side-by-side run (`benchmarks.bench_import.side_by_side`): best throughputs, the
    median round ratio, and each part's own peak memory."""
    return {"updates_rows": result["rows"], "read_csv_rows_per_s": result["read_csv_rows_per_s"],
            "import_rows_per_s": result["import_rows_per_s"], "import_vs_read_csv": result["ratio"],
            "import_peak_rss_mb": result["import_peak_rss_mb"],
            "read_csv_peak_rss_mb": result["read_csv_peak_rss_mb"]}


def _from_metrics(result: dict) -> dict:
    keys = ("metrics_cold_s", "metrics_warm_s", "metrics_cached_s", "scan_warm_s",
            "metrics_vs_scan")
    return {key: result[key] for key in keys}


def _from_overview(result: dict) -> dict:
    return {"overview_cold_s": result["overview_cold_s"], "overview_warm_s": result["overview_warm_s"],
            "asof_change_s": result["asof_change_s"], "app_peak_rss_mb": result["peak_rss_mb"]}


def _from_browser(result: dict) -> dict:
    keys = ("browser_cold_s", "browser_warm_s", "server_peak_rss_mb")
    return {key: result[key] for key in keys}


EXTRACT = {"import": _from_import, "metrics": _from_metrics,
           "overview": _from_overview, "browser": _from_browser, "pages": lambda result: {}}
PAGES_SIZE = "S"  # every page's render time is measured on the sample plan


def plan_rows(directory: Path) -> dict[str, int]:
    """Rows per canonical CSV file (header excluded)."""
    counts = {}
    for kind in ("items", "milestones", "updates"):
        with open(directory / f"{kind}.csv", "rb") as handle:
            counts[kind] = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b"")) - 1
    return counts


def run_benchmarks(sizes: list[str], out: Path | None, *, data_root: Path = DATA_DIR,
                   isolated: bool = True, browser_sizes: set[str] = BROWSER_SIZES,
                   log: Callable[[str], None] = print) -> dict:
    """Measure every size; write the report to `out`; return rows, targets and failures."""
    run = run_part if isolated else _in_process
    info = report.machine()
    values, details, failures, rows_by_size = {}, {}, [], {}
    for size in sizes:
        values[size], details[size], failed = measure_size(
            size, data_root, run, browser=size in browser_sizes, log=log)
        failures += failed
        rows_by_size[size] = plan_rows(data_root / size)
    info["load average at end"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    shown = {size: details[size] for size in sizes
             if size == sizes[-1] or details[size].get("pages")}
    text = report.markdown(sizes, values, info, rows_by_size, failures, shown)
    if out is not None:
        report.write_report(out, text)
    rows = [{"size": size, "measure": m.key, "label": m.label, "unit": m.unit,
             "value": values[size][m.key]}
            for size in sizes for m in report.MEASURES if m.key in values[size]]
    return {"rows": rows, "targets": report.target_rows(values), "failures": failures,
            "markdown": text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES),
                        help=f"comma-separated, of {', '.join(SIZE_NAMES)} (default S,M,L)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                        help="markdown report (default benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZE_NAMES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZE_NAMES)}")
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    result = run_benchmarks(sizes, args.out, log=log)
    print(result["markdown"])
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
