"""The scale benchmark at a toy size, so `make bench` cannot rot between runs.

The full run (S, M, L) takes minutes and is not part of `make test`; here the
same runner measures a 40-item plan in-process and every result row must be
present, named and positive. The generator is checked for determinism and for
files the import accepts (unique keys, canonical columns).
"""

from __future__ import annotations

import filecmp

import duckdb
import pytest

from analytics.writes import ITEM_COLUMNS, MILESTONE_COLUMNS, UPDATE_COLUMNS
from benchmarks.bench_import import side_by_side
from benchmarks.child import run_part
from benchmarks.generate import SIZES, ensure_plan
from benchmarks.report import ANALYSIS_MARK, MEASURE_KEYS, write_report
from benchmarks.run import run_benchmarks

BROWSER_KEYS = {"browser_cold_s", "browser_warm_s", "server_peak_rss_mb"}


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    result = run_benchmarks(["toy"], root / "RESULTS.md", data_root=root / "data",
                            isolated=False, browser_sizes=set(), log=lambda _text: None)
    return root, result


def test_toy_run_measures_every_part(toy_run):
    _, result = toy_run
    assert result["failures"] == []
    assert {row["measure"] for row in result["rows"]} == set(MEASURE_KEYS) - BROWSER_KEYS


def test_toy_rows_have_fields_and_positive_values(toy_run):
    _, result = toy_run
    for row in result["rows"]:
        assert set(row) == {"size", "measure", "label", "unit", "value"}
        assert row["size"] == "toy" and row["label"] and row["unit"]
        assert row["value"] > 0, row
    values = {row["measure"]: row["value"] for row in result["rows"]}
    assert values["updates_rows"] == SIZES["toy"].updates


def test_import_and_read_csv_alternate_in_one_process(tmp_path):
    directory = ensure_plan("toy", tmp_path)
    result = side_by_side(directory / "updates.csv", tmp_path, rounds=2)
    assert len(result["ratios"]) == len(result["import_seconds"]) == len(result["read_csv_seconds"]) == 2
    for ratio, read_s, import_s in zip(result["ratios"], result["read_csv_seconds"],
                                       result["import_seconds"], strict=True):
        assert ratio == pytest.approx(read_s / import_s)
    assert result["ratio"] == pytest.approx(sum(result["ratios"]) / 2)
    assert result["path"] == "one-pass"           # the generator writes clean files
    assert result["import_peak_rss_mb"] > 10 and result["read_csv_peak_rss_mb"] > 10


def test_toy_report_is_written(toy_run):
    root, result = toy_run
    text = (root / "RESULTS.md").read_text()
    assert text == result["markdown"]
    assert "| measure | unit | toy |" in text and "## Machine" in text and "duckdb" in text


def test_report_keeps_hand_written_analysis(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(f"old table\n{ANALYSIS_MARK}\nprofile: metrics spent 80% in X\n")
    write_report(path, "new table\n")
    assert path.read_text() == f"new table\n\n{ANALYSIS_MARK}\nprofile: metrics spent 80% in X\n"


def test_generator_is_deterministic(tmp_path):
    first, second = ensure_plan("toy", tmp_path / "a"), ensure_plan("toy", tmp_path / "b")
    for name in ("items.csv", "milestones.csv", "updates.csv"):
        assert filecmp.cmp(first / name, second / name, shallow=False), name


@pytest.mark.parametrize("size", ["toy", "S"])
def test_generated_files_are_canonical_with_unique_keys(tmp_path, size):
    directory = ensure_plan(size, tmp_path)
    for name, columns, key in [("items", ITEM_COLUMNS, "item_id"),
                               ("milestones", MILESTONE_COLUMNS, "milestone_id"),
                               ("updates", UPDATE_COLUMNS, "item_id, as_of")]:
        path = str(directory / f"{name}.csv")
        with duckdb.connect() as con:
            header = con.execute("SELECT * FROM read_csv(?) LIMIT 0", [path]).description
            total, distinct = con.execute(
                f"SELECT count(*), count(DISTINCT ({key})) FROM read_csv(?)", [path]).fetchone()
        assert [column[0] for column in header] == columns
        assert total == distinct > 0


def test_a_part_runs_in_its_own_process_with_its_peak_memory(tmp_path):
    directory = ensure_plan("toy", tmp_path)
    result = run_part("read_csv", csv_path=directory / "updates.csv", workdir=tmp_path)
    assert result["rows"] == SIZES["toy"].updates
    assert result["rows_per_s"] > 0 and result["peak_rss_mb"] > 10
