"""What the benchmark measures, its targets, and the markdown table of RESULTS.md.

Why: the runner collects numbers; this module names them once (label, unit),
states the targets of issue 8 as data, judges them, and writes the report with
the machine it ran on. The analysis section a person writes under ANALYSIS_MARK
in RESULTS.md (profiles, causes of misses) is kept when the file is rewritten.
Called by `benchmarks.run`.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ANALYSIS_MARK = "<!-- analysis below is written by hand and kept across runs -->"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str


MEASURES = [
    Measure("updates_rows", "updates CSV rows", "rows"),
    Measure("import_rows_per_s", "import of the updates CSV (`workplan import` path)", "rows/s"),
    Measure("read_csv_rows_per_s", "DuckDB `read_csv` into a table, same file, same run", "rows/s"),
    Measure("import_vs_read_csv", "import / DuckDB read_csv throughput", "x"),
    Measure("import_peak_rss_mb", "import peak RSS", "MiB"),
    Measure("read_csv_peak_rss_mb", "DuckDB read_csv peak RSS", "MiB"),
    Measure("metrics_cold_s", "all metrics, every group, as of the latest date: cold", "s"),
    Measure("metrics_warm_s", "all metrics, every group: warm (a new as-of date each run)", "s"),
    Measure("metrics_cached_s", "all metrics, every group: same view again (metrics cache)", "s"),
    Measure("scan_warm_s", "one DuckDB scan of status_updates: warm", "s"),
    Measure("metrics_vs_scan", "all metrics warm / one scan warm", "x"),
    Measure("overview_cold_s", "overview render, server-side (AppTest): cold", "s"),
    Measure("overview_warm_s", "overview render, server-side (AppTest): warm", "s"),
    Measure("asof_change_s", "overview re-render after an as-of change: warm", "s"),
    Measure("app_peak_rss_mb", "app process peak RSS (AppTest process)", "MiB"),
    Measure("browser_cold_s", "overview first render in Chromium (fresh server)", "s"),
    Measure("browser_warm_s", "overview render in Chromium, second visit", "s"),
    Measure("server_peak_rss_mb", "`streamlit run` server peak RSS (VmHWM)", "MiB"),
]
MEASURE_KEYS = [m.key for m in MEASURES]


@dataclass(frozen=True)
class Target:
    key: str
    sizes: tuple[str, ...]
    op: str              # ">=" or "<"
    threshold: float
    text: str

    def met(self, value: float) -> bool:
        return value >= self.threshold if self.op == ">=" else value < self.threshold


TARGETS = [
    Target("import_vs_read_csv", ("M", "L"), ">=", 0.7,
           "import >= 0.7x DuckDB read_csv throughput (files of 1M+ rows)"),
    Target("metrics_vs_scan", ("L",), "<", 10, "metrics at L within 10x of one scan"),
    Target("metrics_warm_s", ("L",), "<", 1.0, "metrics at L under 1 s warm"),
    Target("overview_warm_s", ("L",), "<", 2.0, "overview at L under 2 s warm (server-side)"),
    Target("asof_change_s", ("M",), "<", 0.5, "as-of change at M under 0.5 s warm"),
    Target("app_peak_rss_mb", ("L",), "<", 1536, "app memory at L under 1.5 GB (AppTest process)"),
    Target("server_peak_rss_mb", ("L",), "<", 1536, "app memory at L under 1.5 GB (real server)"),
]


def machine() -> dict[str, str]:
    """CPU, cores, memory and library versions of the machine running the benchmark."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal:")), 0)
    info = {"date": date.today().isoformat(), "CPU": cpu, "cores": str(os.cpu_count()),
            "memory": f"{mem_kb / 1024 / 1024:.1f} GiB", "OS": platform.platform(),
            "python": platform.python_version(),
            "load average at start (1, 5, 15 min)": ", ".join(f"{x:.1f}" for x in os.getloadavg())}
    for package in ("duckdb", "streamlit", "pandas", "pyarrow", "numpy", "playwright"):
        info[package] = importlib.metadata.version(package)
    return info


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def target_rows(values: dict[str, dict[str, float]]) -> list[dict]:
    """One row per (target, size) that was measured: text, size, value, met."""
    rows = []
    for target in TARGETS:
        for size in target.sizes:
            value = values.get(size, {}).get(target.key)
            if value is not None:
                rows.append({"target": target.text, "size": size, "key": target.key,
                             "value": value, "met": target.met(value)})
    return rows


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit in ("rows", "rows/s"):
        return f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:,.0f}"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def markdown(sizes: list[str], values: dict[str, dict[str, float]], info: dict[str, str],
             plan_rows: dict[str, dict[str, int]], failures: list[str],
             details: dict[str, dict[str, float]]) -> str:
    lines = ["# Benchmark results", "",
             "Written by `make bench` (`python -m benchmarks.run`); see benchmarks/README.md for "
             "what each number means.", "",
             "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += ["", "## Plans", "", "| size | items | milestones | status updates |",
              "|---|---:|---:|---:|"]
    lines += [f"| {s} | {plan_rows[s]['items']:,} | {plan_rows[s]['milestones']:,} | "
              f"{plan_rows[s]['updates']:,} |" for s in sizes if s in plan_rows]
    lines += ["", "## Results", "", "| measure | unit | " + " | ".join(sizes) + " |",
              "|---|---|" + "---:|" * len(sizes)]
    for m in MEASURES:
        cells = [fmt(values.get(s, {}).get(m.key), m.unit) for s in sizes]
        if any(c != "–" for c in cells):
            lines.append(f"| {m.label} | {m.unit} | " + " | ".join(cells) + " |")
    lines += ["", "## Targets", "", "| target | size | measured | met |", "|---|---|---:|---|"]
    units = {m.key: m.unit for m in MEASURES}
    for row in target_rows(values):
        unit = units[row["key"]]
        shown = fmt(row["value"], unit) + ("" if unit == "x" else f" {unit}")
        lines.append(f"| {row['target']} | {row['size']} | {shown} | {'yes' if row['met'] else '**no**'} |")
    for size, detail in details.items():
        lines += _detail_tables(size, detail)
    if failures:
        lines += ["", "## Parts that did not run", ""] + [f"- {text}" for text in failures]
    return "\n".join(lines) + "\n"


def _detail_tables(size: str, detail: dict) -> list[str]:
    """Warm seconds per metric (largest size) and per page render (sample plan)."""
    lines = []
    if detail.get("pages"):
        lines += ["", f"## Page render times, server-side AppTest ({size})", "",
                  "Ratios are against the empty-database first-run page rendered warm in the same "
                  "process.", "", "| page | cold s | warm s | cold / baseline | warm / baseline |",
                  "|---|---:|---:|---:|---:|"]
        lines += [f"| {row['page']} | {row['cold_s']:.3f} | {row['warm_s']:.3f} | "
                  f"{row['cold_vs_baseline']:.1f}x | {row['warm_vs_baseline']:.1f}x |"
                  for row in detail["pages"]]
    if detail.get("per_metric"):
        lines += ["", f"## Warm seconds per metric ({size})", "", "| metric | s |", "|---|---:|"]
        lines += [f"| {name} | {seconds:.3f} |" for name, seconds in detail["per_metric"].items()]
    return lines


def write_report(path: Path, text: str) -> None:
    """Write `text`, keeping the hand-written analysis under ANALYSIS_MARK if present."""
    kept = ""
    if path.exists():
        old = path.read_text()
        if ANALYSIS_MARK in old:
            kept = old[old.index(ANALYSIS_MARK):]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + ("\n" + kept if kept else ""))
