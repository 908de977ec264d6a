"""Many sessions reading while an import commits; imports one after the other; a second process.

The dashboard serves every session from one Store: each session thread reads on
its own cursor while an upload commits on another. Readers must see the plan
before or after the upload, never part of it, and never fail.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import analytics.writes as writes
from analytics.lockdown import open_locked_store
from analytics.writes import UploadMeta, commit_upload

READERS = 20

# One figure in one statement: what the overview shows (latest percent per item,
# domain averages) folded into a few numbers.
FIGURE_SQL = """
WITH latest AS (
    SELECT item_id, arg_max(percent_complete, as_of) AS pct, count(*) AS reports
    FROM current_status_updates GROUP BY item_id
)
SELECT count(*) AS items, round(sum(pct), 6) AS pct_sum, sum(reports) AS reports,
       (SELECT count(*) FROM uploads) AS uploads
FROM latest
"""


def december_updates(store, rows_per_item: int = 400) -> pd.DataFrame:
    """Every item gets reports dated across December 2026 (a big, figure-changing upload)."""
    items = [r[0] for r in store.cursor().execute("SELECT item_id FROM work_items").fetchall()]
    days = pd.date_range("2026-12-01", periods=rows_per_item, freq="h")
    frame = pd.DataFrame({"item_id": np.repeat(items, rows_per_item),
                          "as_of": np.tile(days.date, len(items))})
    frame = frame.drop_duplicates(["item_id", "as_of"])
    frame["percent_complete"] = 99.0
    frame["status"] = "green"
    frame["party"] = "India"
    return frame


def figure(store) -> tuple:
    return tuple(store.cursor().execute(FIGURE_SQL).fetchall()[0])


def figure_in_two_statements(store) -> tuple:
    """Two statements in one read transaction still see one snapshot."""
    cur = store.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        first = cur.execute("SELECT count(*) FROM current_status_updates").fetchall()[0][0]
        time.sleep(0.001)
        second = cur.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
    finally:
        cur.execute("COMMIT")
    return first, second


def test_twenty_readers_see_before_or_after_never_between(sample_db):
    store = open_locked_store(sample_db)
    try:
        frame = december_updates(store)
        before = {("one statement", figure(store)),
                  ("two statements", figure_in_two_statements(store))}
        done = threading.Event()
        seen: list[set] = [set() for _ in range(READERS)]

        def read(slot: int) -> int:
            reads = 0
            while not done.is_set() or reads < 3:
                seen[slot].add(("one statement", figure(store)))
                seen[slot].add(("two statements", figure_in_two_statements(store)))
                reads += 1
            return reads

        with ThreadPoolExecutor(READERS) as pool:
            futures = [pool.submit(read, slot) for slot in range(READERS)]
            time.sleep(0.2)
            commit_upload(store, frame, UploadMeta("updates", "december.csv", "editor"))
            time.sleep(0.2)
            done.set()
            reads = sum(f.result() for f in futures)     # re-raises any reader's error
        after = {("one statement", figure(store)),
                 ("two statements", figure_in_two_statements(store))}
        assert not before & after
        observed = set().union(*seen)
        assert observed <= before | after, observed - (before | after)
        assert before <= observed and after <= observed and reads >= READERS * 3
    finally:
        store.close()


def test_two_simultaneous_imports_run_one_after_the_other(sample_db, monkeypatch):
    store = open_locked_store(sample_db)
    spans: list[tuple[float, float]] = []
    real_writer = writes._WRITERS["updates"]

    def timed_writer(cur, name, upload_id, plan_id, at):
        start = time.monotonic()
        real_writer(cur, name, upload_id, plan_id, at)
        time.sleep(0.2)                     # widen the window in which they could overlap
        spans.append((start, time.monotonic()))

    monkeypatch.setitem(writes._WRITERS, "updates", timed_writer)
    try:
        version = store.data_version()
        frames = [december_updates(store, 50).assign(percent_complete=p) for p in (40.0, 60.0)]
        barrier = threading.Barrier(2)

        def upload(i: int) -> int:
            barrier.wait()
            return commit_upload(store, frames[i], UploadMeta("updates", f"sheet-{i}.csv", f"user{i}"))

        with ThreadPoolExecutor(2) as pool:
            ids = list(pool.map(upload, range(2)))
        assert len(set(ids)) == 2
        (a_start, a_end), (b_start, b_end) = sorted(spans)
        assert a_end <= b_start, "the two transactions overlapped"
        assert store.data_version() == version + 2
        rows = store.scalar("SELECT count(*) FROM status_updates WHERE upload_id IN (?, ?)", ids)
        assert rows == sum(len(f) for f in frames)
    finally:
        store.close()


def test_a_second_process_gets_one_clear_sentence(sample_db):
    store = open_locked_store(sample_db)        # as the running dashboard holds it
    try:
        result = subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(sample_db), "init"],
            capture_output=True, text=True, cwd=Path(__file__).parents[2], timeout=60)
    finally:
        store.close()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(sample_db) in lines[0] and "in use by another program" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
