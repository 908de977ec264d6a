"""Import throughput: `workplan import updates` against DuckDB's own read_csv, same file.

Why: issue 5 requires the import (read, validate, commit) of a 1,000,000-row
updates CSV to run at >= 0.7x the throughput of DuckDB loading the same file
with `CREATE TABLE AS SELECT * FROM read_csv(...)`, with peak memory recorded.
`measure_import(csv_path, workdir)` is called by `benchmarks.child` (one fresh
process per part); `python -m benchmarks.bench_import [ROWS]` generates a seeded
file and prints the figures (import and baseline each in a fresh process).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics.cli.ingest import import_path
from analytics.ingest import ReadOptions
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload

SEED = 42
STATUSES = ["green", "amber", "red", "complete", "not_started"]


def measure_import(csv_path: Path, workdir: Path) -> dict:
    """Seconds and rows/s of the `workplan import updates` path into a store holding the items."""
    csv_path, workdir = Path(csv_path), Path(workdir)
    db = workdir / "import_bench.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    with open_store(db) as store:
        commit_upload(store, _items_for(csv_path), UploadMeta(kind="items", filename="items.csv",
                                                              uploaded_by="benchmark"))
        store.cursor().execute("CHECKPOINT")
        started = time.perf_counter()
        # The size limit is a setting (WORKPLAN_MAX_UPLOAD_MB); raised here to fit the file.
        options = ReadOptions(max_bytes=max(csv_path.stat().st_size, 50 << 20))
        result = import_path(store, str(csv_path), "updates", options, by="benchmark")
        store.cursor().execute("CHECKPOINT")
        seconds = time.perf_counter() - started
    db.unlink(missing_ok=True)
    if result.outcome != "committed":
        raise RuntimeError(f"import did not commit: {result.message}")
    rows = result.rows_accepted
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_read_csv(csv_path: Path, workdir: Path) -> dict:
    """DuckDB's CREATE TABLE AS SELECT * FROM read_csv into a new database file."""
    target = Path(workdir) / "read_csv_bench.duckdb"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute("CREATE TABLE status_updates AS SELECT * FROM read_csv(?)", [str(csv_path)])
    con.execute("CHECKPOINT")
    rows = con.execute("SELECT count(*) FROM status_updates").fetchall()[0][0]
    con.close()
    seconds = time.perf_counter() - started
    target.unlink(missing_ok=True)
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _items_for(csv_path: Path) -> pa.Table:
    """The items the updates refer to: items.csv beside the file, else one per distinct item_id."""
    beside = csv_path.with_name("items.csv")
    if beside.exists():
        types = {"start_date": pa.date32(), "due_date": pa.date32(), "weight": pa.float64()}
        return pacsv.read_csv(beside, convert_options=pacsv.ConvertOptions(column_types=types))
    ids = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(
        include_columns=["item_id"], column_types={"item_id": pa.string()})).column("item_id").unique()
    n = len(ids)
    return pa.table({"item_id": ids, "domain": ["Benchmark"] * n, "title": ids,
                     "lead_party": ["Joint"] * n, "owner": ["Owner"] * n,
                     "start_date": [date(2024, 1, 1)] * n, "due_date": [date(2027, 12, 31)] * n})


def generate_updates_csv(path: Path, rows: int = 1_000_000, items: int = 5_000) -> None:
    """A seeded updates CSV: weekly reports per item with notes (quotes, commas) and parties."""
    rng = random.Random(SEED)
    start = date(2026, 11, 23) - timedelta(weeks=rows // items + 1)
    notes = ["On track", "Waiting for sign-off, see minutes", 'Partner said "next month"',
             "", "Slipped; resourcing", "Données reçues"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("item_id,as_of,percent_complete,status,note,reported_by,party\n")
        for n in range(rows):
            item, week = n % items, n // items
            note = rng.choice(notes)
            note = f'"{note.replace(chr(34), chr(34) * 2)}"' if ("," in note or '"' in note) else note
            out.write(f"IT-{item:05d},{start + timedelta(weeks=week)},{min(100, week * 0.5):g},"
                      f"{rng.choice(STATUSES)},{note},Reporter {item % 97},"
                      f"{'India' if item % 2 else 'Canada'}\n")


def _in_fresh_process(part: str, csv_path: Path, workdir: Path) -> dict:
    code = (f"import json, sys; from pathlib import Path; from benchmarks.bench_import import {part};"
            f" print(json.dumps({part}(Path(sys.argv[1]), Path(sys.argv[2]))))")
    out = subprocess.run([sys.executable, "-c", code, str(csv_path), str(workdir)], check=True,
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "updates.csv"
        generate_updates_csv(csv_path, rows)
        size_mb = csv_path.stat().st_size / 1_048_576
        baseline = _in_fresh_process("measure_read_csv", csv_path, workdir)
        imported = _in_fresh_process("measure_import", csv_path, workdir)
    ratio = imported["rows_per_s"] / baseline["rows_per_s"]
    print(f"file: {rows:,} rows, {size_mb:.1f} MB")
    print(f"DuckDB read_csv -> table: {baseline['seconds']:.2f} s, {baseline['rows_per_s']:,.0f} rows/s, "
          f"peak RSS {baseline['peak_rss_mb']:.0f} MiB")
    print(f"workplan import updates:  {imported['seconds']:.2f} s, {imported['rows_per_s']:,.0f} rows/s, "
          f"peak RSS {imported['peak_rss_mb']:.0f} MiB")
    print(f"ratio import / read_csv: {ratio:.2f} (target >= 0.7)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
