"""The PostgreSQL benchmark at toy size (40 items, 2,000 updates), so `make bench` cannot rot.

The full run (M plan, 1M updates, 40 browser sessions) takes minutes; here the same code runs
on the toy plan against the session's PostgreSQL server: the copy, the first load against the
DuckDB baseline, the refresh after an upload, and the section of RESULTS.md written and
replaced in place. Figures are checked for shape, never for speed.
"""

from __future__ import annotations

from benchmarks.bench_postgres import (
    SECTION_END,
    SECTION_START,
    markdown,
    run_postgres_benchmark,
    write_section,
)
from benchmarks.generate import ensure_plan
from benchmarks.plan_db import ensure_plan_db
from benchmarks.report import ANALYSIS_MARK


def test_load_and_refresh_at_toy_size(pg_url, tmp_path):
    db = ensure_plan_db(ensure_plan("toy", tmp_path / "data"))
    result = run_postgres_benchmark(db, pg_url, tmp_path, browser=False, rows=50, plan="toy",
                                    log=lambda _text: None)
    load, refresh = result["load"], result["refresh"]
    assert load["rounds"] == 3 and load["postgres_load_s"] > 0 and load["duckdb_read_s"] > 0
    assert load["postgres_tables_load_s"] > 0 and load["tables_load_ratio"] > 0
    assert 0 < refresh["upload_rows"] <= 40  # one report per reported item
    assert refresh["refresh_s"] > 0 and refresh["file_metrics_after_commit_s"] > 0
    path = tmp_path / "RESULTS.md"
    path.write_text(f"# Benchmark results\n{ANALYSIS_MARK}\nhand-written profile\n")
    write_section(path, markdown(result))
    write_section(path, markdown(result))
    text = path.read_text()
    assert text.count(SECTION_START) == text.count(SECTION_END) == 1
    assert "## PostgreSQL store" in text and text.endswith("hand-written profile\n")
