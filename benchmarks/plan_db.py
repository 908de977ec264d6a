"""A DuckDB store holding a generated plan, built quickly for the metrics and page benchmarks.

Why: the metrics and dashboard benchmarks need a store with millions of status
updates; going through file validation each time would measure the import
again. This loads the canonical CSV files with pyarrow's reader and writes them
with `analytics.writes.commit_upload` (the same atomic write path every upload
uses: items, then milestones, then updates), into
`benchmarks/data/<size>/plan.duckdb`, reused while the CSV manifest is unchanged.
Called by `benchmarks.run` and the toy benchmark test.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv

from analytics.plans import add_plan
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload
from benchmarks.generate import FILES

DATE_COLUMNS = {"start_date", "due_date", "as_of", "completed_date", "baseline_date"}
NUMBER_COLUMNS = {"weight", "percent_complete"}
UPLOADED_AT = {"items": datetime(2026, 1, 5, 9), "milestones": datetime(2026, 1, 5, 10),
               "updates": datetime(2026, 11, 24, 9)}


def ensure_plan_db(directory: Path) -> Path:
    """`directory/plan.duckdb` holding the plan of the CSV files in `directory`."""
    path = directory / "plan.duckdb"
    stamp = directory / "plan.duckdb.manifest"
    manifest = (directory / "manifest.json").read_text()
    if path.exists() and stamp.exists() and stamp.read_text() == manifest:
        return path
    for stale in (path, directory / "plan.duckdb.wal", stamp):
        stale.unlink(missing_ok=True)
    load_plan(directory, path, title=f"Synthetic plan {json.loads(manifest)['name']}")
    stamp.write_text(manifest)
    return path


def read_canonical(path: Path, kind: str) -> pa.Table:
    """A canonical CSV file as an Arrow table with typed dates and numbers."""
    types = {c: pa.date32() if c in DATE_COLUMNS else pa.float64() if c in NUMBER_COLUMNS
             else pa.string() for c in FILES[kind]}
    return pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(column_types=types))


def load_plan(directory: Path, path: Path, *, title: str, code: str = "SYN") -> None:
    """Add plan `code` to the store at `path` and write the CSV files of `directory` to it."""
    with open_store(path) as store:
        plan = add_plan(store, code, title=title, by="benchmark")
        for kind in FILES:
            table = read_canonical(directory / f"{kind}.csv", kind)
            meta = UploadMeta(kind=kind, filename=f"{kind}.csv", uploaded_by="benchmark",
                              uploaded_at=UPLOADED_AT[kind], message="synthetic plan",
                              plan_id=plan.id)
            commit_upload(store, table, meta)
        store.cursor().execute("CHECKPOINT")
