"""DuckDB's own speed on the same data: the yardsticks our import and metrics are held to.

Why: "fast" means nothing without a reference measured on the same machine in
the same run. Two baselines:
- `read_csv_into_table`: DuckDB's `read_csv` of the updates CSV into a table in a
  fresh database file (committed and checkpointed), the ceiling for an import;
- `one_scan`: a single aggregate over `status_updates` (latest report per item as
  of a date), the least work any metric must do.
Called by `benchmarks.bench_metrics` and `benchmarks.child`.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import duckdb

ONE_SCAN_SQL = (
    "SELECT item_id, max(as_of) AS last_update,"
    " arg_max(percent_complete, as_of) AS actual_pct, arg_max(status, as_of) AS status"
    " FROM status_updates WHERE as_of <= ? GROUP BY item_id"
)


def read_csv_into_table(csv_path: Path, workdir: Path) -> dict:
    """Seconds and rows/s for DuckDB to load `csv_path` into a table of a new database file."""
    target = Path(workdir) / "duckdb_read_csv.duckdb"
    for stale in (target, target.with_name(target.name + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute("SET enable_progress_bar = false")      # drawing it costs the baseline time
    con.execute("CREATE TABLE status_updates AS SELECT * FROM read_csv(?)", [str(csv_path)])
    con.execute("CHECKPOINT")
    rows = con.execute("SELECT count(*) FROM status_updates").fetchone()[0]
    con.close()
    seconds = time.perf_counter() - started
    target.unlink(missing_ok=True)
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds}


def one_scan(con: duckdb.DuckDBPyConnection, as_of: date, repeats: int = 3) -> dict:
    """Cold (first) and warm (median of `repeats`) seconds of ONE_SCAN_SQL."""
    times = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        con.execute(ONE_SCAN_SQL, [as_of]).fetchall()
        times.append(time.perf_counter() - started)
    return {"cold_s": times[0], "warm_s": statistics.median(times[1:])}
