"""`workplan import|uploads|revert|template`: exit codes, one-line summaries, error lines."""

import pytest

from analytics.cli import main
from analytics.store import open_store

ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "I-1,Fraud,Share typologies,Canada,CAFC,2026-01-01,2026-06-30\n")


def run(capsys, db, *argv):
    code = main(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def files(tmp_path):
    (tmp_path / "items.csv").write_text(ITEMS)
    (tmp_path / "ok.csv").write_text("item_id;as_of;percent_complete;status\nI-1;03/04/2026;45,5;G\n")
    (tmp_path / "bad.csv").write_text("item_id,as_of,percent_complete,status\n"
                                      "I-1,2026-10-31,45,green\nI-1,2026-11-30,120,Purple\n")
    return tmp_path


def test_import_prints_a_one_line_summary_and_exits_0(capsys, db_path, files):
    code, out, _ = run(capsys, db_path, "import", "items", str(files / "items.csv"), "--by", "alice")
    assert code == 0 and out == "main: Imported 1 items row(s) from items.csv as upload 1.\n"
    code, out, err = run(capsys, db_path, "import", "updates", str(files / "ok.csv"), "--month-first")
    assert code == 0 and out.startswith("main: Imported 1 updates row(s)")
    with open_store(db_path) as store:
        assert str(store.scalar("SELECT as_of FROM status_updates")) == "2026-03-04"
        assert store.scalar("SELECT percent_complete FROM status_updates") == 45.5


def test_refused_file_prints_each_error_and_exits_1_writing_nothing(capsys, db_path, files):
    run(capsys, db_path, "import", "items", str(files / "items.csv"))
    code, out, err = run(capsys, db_path, "import", "updates", str(files / "bad.csv"))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "row 3, column percent_complete: '120' is outside 0-100; expected a number from 0 to 100"
    assert lines[1].startswith("row 3, column status: 'Purple' is not a status; expected one of: G, A, R")
    assert "nothing was written" in lines[-1]
    with open_store(db_path) as store:
        assert store.scalar("SELECT count(*) FROM status_updates") == 0


def test_skip_invalid_and_dry_run(capsys, db_path, files):
    run(capsys, db_path, "import", "items", str(files / "items.csv"))
    code, out, _ = run(capsys, db_path, "import", "updates", str(files / "bad.csv"), "--dry-run")
    assert code == 1 and "Dry run: nothing was written." in out
    code, out, _ = run(capsys, db_path, "import", "updates", str(files / "bad.csv"), "--skip-invalid")
    assert code == 0 and "1 invalid row(s) kept as rejects" in out
    code, out, _ = run(capsys, db_path, "uploads")
    assert "partial" in out and "bad.csv" in out


def test_uploads_lists_and_revert_reverts(capsys, db_path, files):
    run(capsys, db_path, "import", "items", str(files / "items.csv"), "--by", "alice")
    run(capsys, db_path, "import", "updates", str(files / "ok.csv"), "--by", "alice")
    code, out, _ = run(capsys, db_path, "revert", "2", "--by", "bob")
    assert code == 0 and out == "Reverted upload 2 (recorded as upload 3).\n"
    code, out, _ = run(capsys, db_path, "uploads")
    header = out.splitlines()[0].split()
    assert header == ["id", "kind", "file", "by", "at", "accepted", "rejected", "outcome", "reverted"]
    code, _, err = run(capsys, db_path, "revert", "2")
    assert code == 2 and "already reverted" in err


@pytest.mark.parametrize("argv, fragment", [
    (["import", "updates", "missing.csv"], "There is no file"),
    (["import", "bogus", "x.csv"], "invalid choice"),
    (["import", "updates", "x.csv", "--day-first", "--month-first"], "not allowed"),
    (["template", "items", "--out", "x.txt"], ".csv or .xlsx"),
    (["revert", "99"], "holds no plan yet"),
])
def test_usage_errors_exit_2(capsys, db_path, argv, fragment):
    with pytest.raises(SystemExit) as exit_info:
        code = main(["--db", str(db_path), *argv])
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert fragment in capsys.readouterr().err


def test_reverting_an_upload_that_does_not_exist_is_a_usage_error(capsys, db_path, files):
    run(capsys, db_path, "import", "items", str(files / "items.csv"))
    code, out, err = run(capsys, db_path, "revert", "99")
    assert code == 2 and out == "" and "no upload 99" in err


def test_empty_and_binary_files_are_refused_with_exit_1(capsys, db_path, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "junk.csv").write_bytes(bytes(range(256)) * 10)
    for name, fragment in (("empty.csv", "empty"), ("junk.csv", "binary")):
        code, _, err = run(capsys, db_path, "import", "updates", str(tmp_path / name))
        assert code == 1 and fragment in err


@pytest.mark.parametrize("kind", ["items", "milestones", "updates"])
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_templates_are_written_and_import_cleanly_in_order(capsys, db_path, tmp_path, kind, ext):
    for step in ["items", "milestones", "updates"][: ["items", "milestones", "updates"].index(kind) + 1]:
        path = tmp_path / f"{step}.{ext}"
        code, out, _ = run(capsys, db_path, "template", step, "--out", str(path))
        assert code == 0 and path.exists()
        code, out, err = run(capsys, db_path, "import", step, str(path))
        assert code == 0, err
