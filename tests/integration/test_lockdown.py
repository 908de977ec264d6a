"""The app process's DuckDB lockdown (analytics/lockdown.py) holds, and the app still works."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.lockdown import is_locked, lock_down, open_locked_store
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload, revert_upload


@pytest.fixture
def locked_store(sample_db):
    store = open_locked_store(sample_db)
    yield store
    store.close()


def refused_statements(folder: Path) -> list[str]:
    return [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM '/etc/passwd'",
        f"SELECT * FROM read_csv('{folder}/planted.csv')",
        "SELECT * FROM read_parquet('https://example.com/x.parquet')",
        "COPY work_items TO '/tmp/workplan-stolen.csv'",
        f"COPY work_items TO '{folder}/stolen.csv'",
        f"COPY (SELECT 1) TO '{folder}/evil.duckdb'",
        "ATTACH '/tmp/workplan-other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET memory_limit = '10GB'",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "PRAGMA enable_profiling",
        "SET autoload_known_extensions = true",
    ]


def test_every_escape_is_refused(locked_store, sample_db):
    folder = Path(sample_db).parent
    (folder / "planted.csv").write_text("a,b\n1,2\n")
    cur = locked_store.cursor()
    for sql in refused_statements(folder):
        with pytest.raises(duckdb.Error, match="disabled|locked|Permission|does not exist"):
            cur.execute(sql).fetchall()
    assert not Path("/tmp/workplan-stolen.csv").exists()
    assert not (folder / "stolen.csv").exists() and not (folder / "evil.duckdb").exists()


def test_lockdown_covers_every_cursor_and_thread(locked_store):
    errors = []

    def read_passwd():
        try:
            locked_store.cursor().execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
        except duckdb.Error as exc:
            errors.append(type(exc).__name__)

    thread = threading.Thread(target=read_passwd)
    thread.start()
    thread.join()
    assert errors == ["PermissionException"]
    with locked_store.transaction() as cur, pytest.raises(duckdb.Error):
        cur.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()


@pytest.mark.parametrize(("setting", "value"), [
    ("enable_external_access", False), ("autoinstall_known_extensions", False),
    ("autoload_known_extensions", False), ("lock_configuration", True),
])
def test_settings_are_in_force(locked_store, setting, value):
    assert locked_store.scalar(f"SELECT current_setting('{setting}')") is value


def test_only_the_temp_directory_is_allowed(locked_store, sample_db):
    allowed = locked_store.scalar("SELECT current_setting('allowed_directories')")
    assert allowed == [f"{sample_db}.tmp/"]
    paths = set(locked_store.scalar("SELECT current_setting('allowed_paths')"))
    assert {str(sample_db), f"{sample_db}.wal"} <= paths


def test_the_app_still_reads_writes_reverts_and_spills(locked_store, sample_db):
    before = locked_store.scalar("SELECT count(*) FROM current_status_updates")
    frame = pd.DataFrame({"item_id": ["CT-01", "CT-02"], "as_of": ["2026-12-01"] * 2,
                          "percent_complete": [50.0, 60.0], "status": ["green", "amber"],
                          "party": ["India", "Canada"]})
    upload = commit_upload(locked_store, frame, UploadMeta("updates", "dec.csv", "priya"))
    assert locked_store.scalar("SELECT count(*) FROM current_status_updates") == before + 2
    revert_upload(locked_store, upload, by="admin")
    assert locked_store.scalar("SELECT count(*) FROM current_status_updates") == before
    fraud = locked_store.query_df("SELECT item_id FROM work_items WHERE domain = ?", ["Fraud"])
    assert len(fraud) == locked_store.scalar("SELECT count(*) FROM work_items WHERE domain = 'Fraud'")
    locked_store.cursor().execute(
        "CREATE TEMP TABLE big AS SELECT range AS n, md5(range::VARCHAR) AS h FROM range(300000)")
    assert locked_store.scalar("SELECT count(DISTINCT h) FROM big") == 300000
    locked_store.close()
    with open_store(sample_db) as again:
        assert again.scalar("SELECT count(*) FROM uploads WHERE filename = 'dec.csv'") == 1


def test_locking_twice_is_harmless(locked_store):
    lock_down(locked_store)
    assert is_locked(locked_store)


def test_a_cli_store_in_the_same_process_on_another_file_is_not_locked(locked_store, tmp_path):
    with open_store(tmp_path / "other.duckdb") as other:
        assert not is_locked(other)


def test_pandas_frames_are_not_scanned_by_name_once_locked(locked_store):
    frame = pd.DataFrame({"a": [1]})  # noqa: F841 - DuckDB would look it up by name
    with pytest.raises(duckdb.CatalogException):
        locked_store.cursor().execute("SELECT * FROM frame").fetchall()


@pytest.mark.parametrize("payload", [
    "'); DROP TABLE work_items; --",
    "x' OR '1'='1",
    "<script>alert(1)</script>",
    "=HYPERLINK(\"http://evil\")",
    "$(rm -rf /)",
])
def test_uploaded_values_are_stored_verbatim_never_run(locked_store, payload):
    items = locked_store.scalar("SELECT count(*) FROM work_items")
    frame = pd.DataFrame({"item_id": ["CT-01"], "as_of": ["2026-12-02"], "percent_complete": [10.0],
                          "status": ["red"], "note": [payload], "reported_by": [payload],
                          "party": ["India"],
                          payload: ["extra column named like an attack"]})
    upload = commit_upload(locked_store, frame, UploadMeta("updates", payload, payload))
    stored = locked_store.cursor().execute(
        "SELECT note, reported_by FROM status_updates WHERE upload_id = ?", [upload]).fetchone()
    assert stored == (payload, payload)
    assert locked_store.scalar("SELECT count(*) FROM work_items") == items
