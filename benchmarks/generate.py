"""Seeded synthetic work plans, written as canonical CSV files, for the scale benchmarks.

Why: the import, metrics and page benchmarks need plans far larger than the
sample (5,000 and 50,000 items with years of weekly reports) that look like real
ones: items ahead, behind, stale, complete and not started; joint items reported
by both parties; slipped and completed milestones. Every value comes from a
`numpy.random.default_rng` with a fixed seed per size (never the clock), and the
work is vectorised (numpy + pyarrow) so the 5-million-update plan takes seconds.

Sizes: `toy` (the test), `S` (the sample plan of `analytics.sample`, exported),
`M` and `L`. Files: `benchmarks/data/<size>/{items,milestones,updates}.csv`
with the canonical columns of `analytics.writes`, plus `manifest.json`; an
existing set whose manifest matches is reused. Called by `benchmarks.run` and
usable alone: `python -m benchmarks.generate M`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from analytics import sample
from analytics.writes import ITEM_COLUMNS, MILESTONE_COLUMNS, UPDATE_COLUMNS

DATA_DIR = Path(__file__).resolve().parent / "data"
GENERATOR_VERSION = 1
CUTOFF = np.datetime64("2026-11-23", "D")       # a Monday: the latest weekly report
FILES = {"items": ITEM_COLUMNS, "milestones": MILESTONE_COLUMNS, "updates": UPDATE_COLUMNS}


@dataclass(frozen=True)
class Size:
    """How big a synthetic plan is; `seed` makes it reproducible."""

    name: str
    items: int
    updates: int
    milestones: int
    seed: int


SIZES = {
    "toy": Size("toy", items=40, updates=2_000, milestones=160, seed=7),
    "M": Size("M", items=5_000, updates=1_000_000, milestones=20_000, seed=42),
    "L": Size("L", items=50_000, updates=5_000_000, milestones=200_000, seed=4242),
}
SIZE_NAMES = ["toy", "S", "M", "L"]

RATES = np.array([1.2, 1.0, 1.0, 0.8, 0.55, 1.0, 1.1, 2.2])   # progress relative to plan
PARTIES = np.array(["India", "Canada", "Joint"])
NOTES = [text for mood in ("good", "slow", "done") for text in sample.NOTES[mood]]
MOOD_NOTES = {"good": (0, 6), "slow": (6, 12), "done": (12, 14)}
MILESTONE_LABELS = ["Scoping agreed", "Draft delivered", "Consultation complete",
                    "Pilot finished", "Sign-off", "Review published"]


def size_dir(name: str, root: Path = DATA_DIR) -> Path:
    return root / name


def ensure_plan(name: str, root: Path = DATA_DIR) -> Path:
    """The directory holding the CSV files of size `name`, generated when missing or stale."""
    directory = size_dir(name, root)
    manifest = _manifest(name)
    found = directory / "manifest.json"
    if found.exists() and json.loads(found.read_text()) == manifest and all(
        (directory / f"{kind}.csv").exists() for kind in FILES
    ):
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    tables = sample_tables() if name == "S" else synthetic_tables(SIZES[name])
    for kind, table in tables.items():
        write_csv(table, directory / f"{kind}.csv")
    found.write_text(json.dumps(manifest, indent=2) + "\n")
    return directory


def _manifest(name: str) -> dict:
    if name == "S":  # the sample plan changes with analytics/sample.py, not with a seed here
        source = hashlib.sha256(Path(sample.__file__).read_bytes()).hexdigest()[:16]
        spec = {"name": "S", "seed": sample.SEED, "sample_source": source}
    else:
        spec = asdict(SIZES[name])
    return {"generator_version": GENERATOR_VERSION, **spec}


def write_csv(table: pa.Table, path: Path) -> None:
    """Canonical CSV: a plain header line, ISO dates, fields quoted only when needed."""
    with open(path, "wb") as out:
        out.write((",".join(table.column_names) + "\n").encode())
        pcsv.write_csv(table, out, pcsv.WriteOptions(include_header=False, quoting_style="needed",
                                                     batch_size=65_536))


# -- S: the sample plan -------------------------------------------------------

def sample_tables() -> dict[str, pa.Table]:
    """The sample plan's final items and milestones and every status update."""
    latest: dict[str, pd.DataFrame] = {}
    updates = []
    for meta, frame in sample.sample_plan().uploads:
        if meta.kind == "updates":
            updates.append(frame)
        else:
            latest[meta.kind] = frame
    frames = {"items": latest["items"], "milestones": latest["milestones"],
              "updates": pd.concat(updates, ignore_index=True)}
    return {kind: pa.Table.from_pandas(frame[FILES[kind]], preserve_index=False)
            for kind, frame in frames.items()}


# -- synthetic plans ------------------------------------------------------------

def synthetic_tables(size: Size) -> dict[str, pa.Table]:
    rng = np.random.default_rng(size.seed)
    items = _items(size, rng)
    return {"items": items["table"], "milestones": _milestones(size, items, rng),
            "updates": _updates(size, items, rng)}


def _items(size: Size, rng: np.random.Generator) -> dict:
    """The items table plus the per-item arrays the updates and milestones need."""
    n = size.items
    not_started = rng.random(n) < 0.03
    weights = np.where(not_started, 0.0, rng.uniform(0.5, 1.5, n))
    counts = rng.multinomial(size.updates, weights / weights.sum())
    lag = np.where(rng.random(n) < 0.07, rng.integers(8, 30, n), 0)          # stale items
    first_report = CUTOFF - 7 * (lag + counts - 1)
    start = np.where(counts > 0, first_report - rng.integers(0, 7, n),
                     CUTOFF + rng.integers(7, 120, n))
    duration = np.maximum(28, np.round(np.maximum(counts, 8) * 7 * rng.uniform(0.7, 2.5, n)))
    duration = duration.astype("int64")
    due = start + duration
    domains = _names(_domain_names(n), rng.integers(0, len(_domain_names(n)), n))
    domain_index = pc.index_in(domains, pa.array(_domain_names(n))).to_numpy()
    codes = pa.array([sample.DOMAIN_CODES[i % 7] for i in domain_index])
    item_id = pc.binary_join_element_wise(codes, _numbered(np.arange(1, n + 1), 6), "-")
    lead = rng.choice(PARTIES, n, p=[0.35, 0.35, 0.30])
    owners = _owner_names(n)
    owner = _names(owners, rng.integers(0, len(owners), n))
    title = pc.binary_join_element_wise(pa.array(np.full(n, "Synthetic commitment")),
                                        item_id, " ")
    table = pa.table({
        "item_id": item_id, "domain": domains, "title": title, "lead_party": pa.array(lead),
        "owner": owner, "start_date": pa.array(start), "due_date": pa.array(due),
        "weight": pa.array(rng.choice([1, 1, 1, 2, 2, 3], n)),
        "description": pc.binary_join_element_wise(title, pa.array(np.full(n, "(synthetic plan)")),
                                                   " "),
    })
    return {"table": table, "counts": counts, "lag": lag, "start": start, "duration": duration,
            "rate": rng.choice(RATES, n), "optimist": rng.random(n) < 0.2, "lead": lead}


def _domain_names(n: int) -> list[str]:
    count = min(60, max(7, n // 200))
    return [f"{sample.DOMAINS[k % 7][0]}" + ("" if k < 7 else f" {k // 7 + 1}")
            for k in range(count)]


def _owner_names(n: int) -> list[str]:
    agencies = sample.OWNERS["India"] + sample.OWNERS["Canada"]
    count = min(500, max(16, n // 50))
    return [agencies[k % 16] + ("" if k < 16 else f" unit {k // 16 + 1}") for k in range(count)]


def _names(values: list[str], index: np.ndarray) -> pa.Array:
    return pa.array(values).take(pa.array(index))


def _numbered(numbers: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")


def _segments(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows grouped by item: each row's item index and its rank within the item."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offsets = np.cumsum(counts) - counts
    return owner, np.arange(counts.sum()) - offsets[owner]


def _updates(size: Size, items: dict, rng: np.random.Generator) -> pa.Table:
    counts = items["counts"]
    idx, rank = _segments(counts)
    as_of = CUTOFF - 7 * (items["lag"][idx] + counts[idx] - 1 - rank)
    elapsed = (as_of - items["start"][idx]).astype("int64")
    planned = np.clip(100.0 * elapsed / items["duration"][idx], 0, 100)
    actual = np.clip(np.floor(planned * items["rate"][idx] / 5) * 5, 0, 100)
    gap = actual - planned
    level = np.where(gap > -10, 0, np.where(gap > -25, 1, 2))              # green, amber, red
    level = np.where(items["optimist"][idx], np.maximum(level - 1, 0), level)
    status = np.array(["green", "amber", "red"])[level]
    status = np.where(actual >= 100, "complete", status)
    mood = np.where(actual >= 100, "done", np.where(level > 0, "slow", "good"))
    note = np.zeros(len(idx), dtype="int64")
    for name, (low, high) in MOOD_NOTES.items():
        chosen = mood == name
        note[chosen] = rng.integers(low, high, chosen.sum())
    lead = items["lead"][idx]
    party = np.where(lead != "Joint", lead, np.where(rank % 2 == 0, "India", "Canada"))
    table = items["table"]
    reported_by = np.where(lead != "Joint", "", np.char.add(party.astype(str), " desk"))
    reported_by = pc.if_else(pa.array(lead != "Joint"), table["owner"].take(pa.array(idx)),
                             pa.array(reported_by))
    return pa.table({
        "item_id": table["item_id"].take(pa.array(idx)), "as_of": pa.array(as_of),
        "percent_complete": pa.array(actual.astype("int64")), "status": pa.array(status),
        "note": _names(NOTES, note), "reported_by": reported_by, "party": pa.array(party),
    })


def _milestones(size: Size, items: dict, rng: np.random.Generator) -> pa.Table:
    n = size.items
    counts = rng.multinomial(size.milestones, np.full(n, 1.0 / n))
    idx, rank = _segments(counts)
    start, duration = items["start"][idx], items["duration"][idx]
    due = start + np.round(duration * (rank + 1) / counts[idx]).astype("int64")
    slipped = rng.random(len(idx)) < 0.3
    baseline = np.maximum(due - rng.integers(14, 60, len(idx)), start)
    done = (due <= CUTOFF) & (rng.random(len(idx)) < 0.85)
    completed = np.clip(due + rng.integers(-10, 13, len(idx)), start, CUTOFF)
    item_id = items["table"]["item_id"].take(pa.array(idx))
    labels = _names(MILESTONE_LABELS, rank % len(MILESTONE_LABELS))
    return pa.table({
        "milestone_id": pc.binary_join_element_wise(item_id, _numbered(rank + 1, 2), "-M"),
        "item_id": item_id,
        "title": pc.binary_join_element_wise(labels, item_id, ": "),
        "due_date": pa.array(due),
        "completed_date": pa.array(completed, mask=~done),
        "baseline_date": pa.array(baseline, mask=~slipped),
    })


def as_of_date(name: str) -> date:
    """The date the benchmarks compute metrics as of: the plan's latest report."""
    if name == "S":
        return date(2026, 11, 24)
    return CUTOFF.astype(object)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate",
                                     description="Write the synthetic plans' CSV files.")
    parser.add_argument("sizes", nargs="+", choices=SIZE_NAMES)
    parser.add_argument("--store", action="store_true",
                        help="also build <size>/plan.duckdb for the metrics and page benchmarks")
    args = parser.parse_args(argv)
    for name in args.sizes:
        directory = ensure_plan(name)
        print(f"{name}: {directory}")
        if args.store:
            from benchmarks.plan_db import ensure_plan_db

            print(f"{name}: {ensure_plan_db(directory)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
