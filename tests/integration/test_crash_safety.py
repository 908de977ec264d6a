"""A process killed with SIGKILL in the middle of an import leaves all of the upload or none.

Each test runs the import in a child process (the real `commit_upload` on a real
DuckDB file), kills it with SIGKILL, then opens the database in this process and
checks that it opens and that every upload is whole: its rows are all there or
it does not exist.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload

ROWS = 400_000

# The child writes a big updates upload; with HOOK set it stops inside the
# transaction (after the rows are inserted, before COMMIT) and says so.
CHILD = textwrap.dedent("""
    import os, sys, time
    import numpy as np, pandas as pd
    import analytics.writes as writes
    from analytics.store import open_store

    db, rows, uploads, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if mode == "hook":
        def stop_inside_transaction(cur, upload_id, plan_id, rejects):
            print("INSIDE", cur.execute("SELECT count(*) FROM status_updates").fetchall()[0][0],
                  flush=True)
            time.sleep(120)
        writes._insert_rejects = stop_inside_transaction
    n = np.arange(rows)
    frame = pd.DataFrame({
        "item_id": pd.Series(n % 500).map("IT-{:03d}".format),
        "as_of": pd.Timestamp("2026-12-01").date(),
        "percent_complete": (n % 101).astype(float),
        "status": "green",
        "note": "a long enough note to make the rows take some space on disk",
        "party": "India",
    })
    store = open_store(db)
    print("READY", flush=True)
    for i in range(uploads):
        writes.commit_upload(store, frame, writes.UploadMeta("updates", f"big-{i}.csv", "child"))
        print("COMMITTED", i, flush=True)
    if mode == "after-commit":
        time.sleep(120)      # killed before close: the committed upload lives only in the WAL
""")


def start_child(db: Path, rows: int, uploads: int, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(rows), str(uploads), mode],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])


def read_until(child: subprocess.Popen, word: str) -> str:
    for line in child.stdout:
        if line.startswith(word):
            return line
    raise AssertionError(f"child ended (code {child.wait()}) before printing {word}")


def kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    child.stdout.close()


def assert_every_upload_is_whole(db: Path) -> list[tuple[str, int]]:
    """Open the database; return (filename, rows) of its uploads, each checked whole."""
    with open_store(db) as store:
        uploads = store.cursor().execute(
            "SELECT u.filename, u.rows_accepted, count(s.item_id) FROM uploads AS u"
            " LEFT JOIN status_updates AS s ON s.upload_id = u.id GROUP BY ALL ORDER BY 1"
        ).fetchall()
        orphans = store.scalar("SELECT count(*) FROM status_updates"
                               " WHERE upload_id NOT IN (SELECT id FROM uploads)")
        version = store.data_version()
    assert orphans == 0
    for filename, accepted, found in uploads:
        assert found == accepted == ROWS, f"{filename}: {found} of {accepted} rows"
    assert version == len(uploads)
    return [(filename, found) for filename, _, found in uploads]


def test_killed_inside_the_transaction_leaves_nothing(db_path):
    open_store(db_path).close()
    child = start_child(db_path, ROWS, 1, "hook")
    inside = read_until(child, "INSIDE")
    assert int(inside.split()[1]) == ROWS        # the rows were written, not yet committed
    kill(child)
    assert assert_every_upload_is_whole(db_path) == []


def test_killed_after_commit_keeps_the_whole_upload(db_path):
    child = start_child(db_path, ROWS, 1, "after-commit")
    read_until(child, "COMMITTED")
    kill(child)
    assert assert_every_upload_is_whole(db_path) == [("big-0.csv", ROWS)]


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.75, 1.6])
def test_killed_at_any_moment_of_an_endless_series_of_imports(db_path, delay):
    child = start_child(db_path, ROWS, 1_000_000, "plain")
    read_until(child, "READY")
    time.sleep(delay)
    kill(child)
    assert_every_upload_is_whole(db_path)


def test_database_accepts_new_uploads_after_a_crash(db_path):
    open_store(db_path).close()
    child = start_child(db_path, ROWS, 1, "hook")
    read_until(child, "INSIDE")
    kill(child)
    with open_store(db_path) as store:
        frame = pd.DataFrame({"item_id": ["IT-001"], "as_of": ["2026-12-02"],
                              "percent_complete": [5.0], "status": ["amber"],
                              "party": ["Canada"]})
        upload = commit_upload(store, frame, UploadMeta("updates", "after.csv", "test"))
        assert store.scalar("SELECT count(*) FROM status_updates WHERE upload_id = ?", [upload]) == 1


# -- the same through `workplan import` ----------------------------------------

CLI_CHILD = textwrap.dedent("""
    import sys, time
    import analytics.writes as writes
    from analytics.cli import main

    def stop_inside_transaction(cur, upload_id, plan_id, rejects):
        print("INSIDE", flush=True)
        time.sleep(120)
    writes._insert_rejects = stop_inside_transaction
    sys.exit(main(sys.argv[1:]))
""")


def updates_csv(db: Path, path: Path, rows: int) -> Path:
    """A valid updates sheet for the plan in `db`: daily reports from 2027 on."""
    with open_store(db) as store:
        items = [r[0] for r in store.cursor().execute("SELECT item_id FROM work_items").fetchall()]
    days = pd.date_range("2027-01-01", periods=rows // len(items) + 1, freq="D").date
    frame = pd.DataFrame({"item_id": list(items) * len(days),
                          "as_of": [d for d in days for _ in items]}).head(rows)
    frame["percent_complete"] = 50
    frame["status"] = "Green"
    frame["note"] = "steady progress, see annex"
    frame["party"] = "India"
    frame.to_csv(path, index=False)
    return path


def plan_counts(db: Path) -> tuple[int, int]:
    with open_store(db) as store:
        return (store.scalar("SELECT count(*) FROM uploads"),
                store.scalar("SELECT count(*) FROM status_updates"))


def test_workplan_import_killed_inside_the_transaction_leaves_nothing(sample_db, tmp_path):
    sheet = updates_csv(sample_db, tmp_path / "updates.csv", 100_000)
    before = plan_counts(sample_db)
    child = subprocess.Popen(
        [sys.executable, "-c", CLI_CHILD, "--db", str(sample_db), "import", "updates", str(sheet)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    read_until(child, "INSIDE")
    kill(child)
    assert plan_counts(sample_db) == before


@pytest.mark.parametrize("delay", [0.4, 1.2, 2.5])
def test_workplan_import_killed_at_any_moment_is_all_or_nothing(sample_db, tmp_path, delay):
    sheet = updates_csv(sample_db, tmp_path / "updates.csv", 400_000)
    uploads, updates = plan_counts(sample_db)
    workplan = Path(sys.executable).with_name("workplan")
    child = subprocess.Popen([str(workplan), "--db", str(sample_db), "import", "updates", str(sheet)],
                             stdout=subprocess.PIPE, text=True)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    after = plan_counts(sample_db)
    assert after in [(uploads, updates), (uploads + 1, updates + 400_000)]
