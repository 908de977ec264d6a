"""`workplan init` and `workplan demo` through the real console entry point."""

import subprocess
import sys

import pytest

from analytics.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args],
                          capture_output=True, text=True, timeout=120)


def test_init_then_demo_then_refuse_then_replace(db_path, capsys):
    assert main(["--db", str(db_path), "init"]) == 0
    assert "schema version" in capsys.readouterr().out
    assert main(["--db", str(db_path), "demo"]) == 0
    assert "data current to 2026-11-24" in capsys.readouterr().out
    assert main(["--db", str(db_path), "demo"]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["--db", str(db_path), "demo", "--replace"]) == 0


def test_db_path_comes_from_the_environment(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("WORKPLAN_DB", str(path))
    assert main(["init"]) == 0
    assert path.exists() and str(path) in capsys.readouterr().out


@pytest.mark.parametrize("args", [["frobnicate"], ["demo", "--nope"], []])
def test_usage_mistakes_give_one_line_and_exit_2(args, db_path):
    result = run("--db", str(db_path), *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["init", "--help"], ["demo", "--help"]])
def test_help_everywhere(args):
    result = run(*args)
    assert result.returncode == 0 and "usage:" in result.stdout
