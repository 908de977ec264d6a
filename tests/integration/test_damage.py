"""Damage and faults: a damaged WAL loses no committed upload; a damaged database file or a
full disk gives one sentence naming the file and the cause, writes nothing half, and the
retry works once space is free.

The full disk is real: a small tmpfs mounted in a private mount namespace
(`unshare -rm`, or a plain mount when running as root) holds the database while the
CLI imports into it, in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli import main
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload

ROOT = Path(__file__).resolve().parents[2]


def plan_and_upload(db: Path) -> int:
    with open_store(db) as store:
        reports = pd.DataFrame({"item_id": ["CT-01", "CT-02"], "as_of": ["2026-12-01"] * 2,
                                "percent_complete": [50.0, 60.0], "status": ["green", "amber"],
                                "party": ["India", "Canada"]})
        commit_upload(store, reports, UploadMeta("updates", "dec.csv", "test"))
        return store.scalar("SELECT count(*) FROM status_updates")


@pytest.mark.parametrize("damage", ["deleted", "truncated", "corrupted"])
def test_a_committed_upload_survives_a_damaged_wal(sample_db, damage):
    rows = plan_and_upload(sample_db)
    wal = Path(f"{sample_db}.wal")
    if damage == "deleted":
        wal.unlink(missing_ok=True)
    elif damage == "truncated":
        wal.write_bytes(wal.read_bytes()[:7] if wal.exists() else b"")
    else:
        wal.write_bytes(os.urandom(4096))
    with open_store(sample_db) as store:
        assert store.scalar("SELECT count(*) FROM status_updates") == rows
        assert store.scalar("SELECT count(*) FROM uploads WHERE filename = 'dec.csv'") == 1


def test_each_commit_leaves_nothing_in_the_wal(sample_db):
    plan_and_upload(sample_db)
    wal = Path(f"{sample_db}.wal")
    assert not wal.exists() or wal.stat().st_size == 0


def cli(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_a_truncated_database_file_is_one_sentence_naming_it(sample_db, capsys):
    size = sample_db.stat().st_size
    with open(sample_db, "r+b") as file:
        file.truncate(size // 2)
    code, err = cli(capsys, "--db", str(sample_db), "metrics")
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert str(sample_db) in err and "damaged" in err and "Traceback" not in err


def test_a_file_that_is_no_database_is_one_sentence(tmp_path, capsys):
    path = tmp_path / "notes.duckdb"
    path.write_bytes(os.urandom(8192))
    code, err = cli(capsys, "--db", str(path), "metrics")
    assert code in (1, 2) and len(err.strip().splitlines()) == 1
    assert str(path) in err and "not a DuckDB database" in err


def test_a_damaged_block_is_one_sentence(sample_db, capsys):
    size = sample_db.stat().st_size
    with open(sample_db, "r+b") as file:             # every block after the first quarter
        for offset in range(size // 4, size - 4096, 262144):
            file.seek(offset)
            file.write(os.urandom(4096))
    code, err = cli(capsys, "--db", str(sample_db), "metrics", "--by", "item")
    assert code in (1, 2) and len(err.strip().splitlines()) == 1, err
    assert str(sample_db) in err and "Traceback" not in err


FULL_DISK = textwrap.dedent("""
    set -e
    mount -t tmpfs -o size=12m tmpfs "$SMALL"
    cp "$SAMPLE" "$SMALL/plan.duckdb"
    head -c 100000000 /dev/zero > "$SMALL/filler" 2>/dev/null || true
    set +e
    "$PYTHON" -m analytics --db "$SMALL/plan.duckdb" import updates "$SHEET" > "$OUT/full.out" 2> "$OUT/full.err"
    echo $? > "$OUT/full.code"
    "$PYTHON" -m analytics --db "$SMALL/plan.duckdb" uploads > "$OUT/after.out" 2>&1
    rm "$SMALL/filler"
    "$PYTHON" -m analytics --db "$SMALL/plan.duckdb" import updates "$SHEET" > "$OUT/retry.out" 2> "$OUT/retry.err"
    echo $? > "$OUT/retry.code"
""")


def namespace_prefix() -> list[str]:
    """How to run a shell that may mount a tmpfs of its own."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-rm", "true"]).returncode == 0:
        return ["unshare", "-rm"]
    if os.geteuid() == 0 and shutil.which("unshare"):
        return ["unshare", "-m"]
    pytest.fail("a full-disk test needs unshare (util-linux) or root to mount a small tmpfs")


def test_a_full_disk_during_an_import_is_one_sentence_and_the_retry_works(sample_db, tmp_path):
    sheet = tmp_path / "big.csv"
    rows = [f"LO-0{1 + k % 8},{2027 + k // 3000}-{1 + k // 250 % 12:02d}-{1 + k % 28:02d},50,green,"
            f"\"{'steady progress, see the annex ' * 4}\",MHA desk,India" for k in range(60000)]
    sheet.write_text("item_id,as_of,percent_complete,status,note,reported_by,party\n"
                     + "\n".join(dict.fromkeys(rows)) + "\n")
    small, out = tmp_path / "small", tmp_path / "out"
    small.mkdir()
    out.mkdir()
    env = {**os.environ, "SMALL": str(small), "SAMPLE": str(sample_db), "SHEET": str(sheet),
           "OUT": str(out), "PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}
    subprocess.run([*namespace_prefix(), "sh", "-c", FULL_DISK], env=env, check=True, timeout=600)
    err = (out / "full.err").read_text()
    assert (out / "full.code").read_text().strip() == "1", err
    assert len(err.strip().splitlines()) == 1 and "the disk holding it is full" in err
    assert "plan.duckdb" in err and "Nothing was written" in err
    assert "big.csv" not in (out / "after.out").read_text()          # no upload recorded
    assert (out / "retry.code").read_text().strip() == "0", (out / "retry.err").read_text()
    assert "Imported" in (out / "retry.out").read_text()
