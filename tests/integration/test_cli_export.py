"""`workplan export` and `workplan report` on the sample plan: every export, valid files,
context in the output, audit rows, one-line errors."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from xml.etree import ElementTree

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics.charts import CHARTS
from analytics.cli import main
from analytics.formatting import column_label
from analytics.store import open_store
from analytics.tables import TABLES

CHART_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<svg", "html": b"<!doctype html>"}


def export(db, *args) -> int:
    return main(["--db", str(db), *args])


def audit_rows(db) -> list[tuple[str, str]]:
    with open_store(db) as store:
        return store.cursor().execute(
            "SELECT username, detail FROM audit_log WHERE action = 'export' ORDER BY id").fetchall()


def test_list_names_every_chart_and_table(capsys):
    assert main(["export", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"chart {n}" for n in CHARTS] + [f"table {n}" for n in TABLES] + ["portfolio"]
    assert {"table items", "table update-history", "chart burn-up"} <= set(lines)


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_exports_as_png(sample_db, tmp_path, name, capsys):
    out = tmp_path / f"{name}.png"
    assert export(sample_db, "export", "chart", name, "--format", "png", "--out", str(out),
                  "--domain", "Fraud") == 0
    assert out.read_bytes().startswith(CHART_MAGIC["png"])
    assert "as of 2026-11-24 · domain: Fraud · sample data" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["svg", "pdf", "html"])
def test_chart_formats(sample_db, tmp_path, fmt):
    out = tmp_path / f"chart.{fmt}"
    assert export(sample_db, "export", "chart", "progress-by-domain", "--format", fmt,
                  "--out", str(out), "--as-of", "2026-10-31") == 0
    data = out.read_bytes()
    assert data.startswith(CHART_MAGIC[fmt])
    if fmt == "svg":
        assert ElementTree.fromstring(data).tag.endswith("svg") and b"2026-10-31" in data
    if fmt == "pdf":
        assert len(PdfReader(io.BytesIO(data)).pages) == 1
    if fmt == "html":
        assert b"cdn.plot.ly" not in data and b"as of 2026-10-31" in data


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_exports_as_csv_and_xlsx(sample_db, tmp_path, name):
    csv_out, xlsx_out = tmp_path / f"{name}.csv", tmp_path / f"{name}.xlsx"
    assert export(sample_db, "export", "table", name, "--format", "csv", "--out", str(csv_out)) == 0
    assert export(sample_db, "export", "table", name, "--format", "xlsx", "--out", str(xlsx_out)) == 0
    rows = list(csv.reader(io.StringIO(csv_out.read_bytes().decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(xlsx_out)[TABLES[name].title[:31]]
    assert len(rows) == sheet.max_row >= 2
    # the CSV keeps column names (for machines); the XLSX says them in words (for people)
    assert [column_label(c) for c in rows[0]] == [str(cell.value) for cell in sheet[1]]


def test_update_history_carries_the_notes(sample_db, tmp_path):
    out = tmp_path / "history.csv"
    assert export(sample_db, "export", "table", "update-history", "--format", "csv",
                  "--out", str(out), "--domain", "Fraud") == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows and {"item_id", "as_of", "percent_complete", "status", "note"} <= set(rows[0])
    assert any(row["note"] for row in rows)


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_report(sample_db, tmp_path, fmt, capsys):
    out = tmp_path / f"briefing.{fmt}"
    assert export(sample_db, "report", "--format", fmt, "--out", str(out),
                  "--since", "2026-10-01", "--by", "analyst") == 0
    if fmt == "pdf":
        assert len(PdfReader(out).pages) > 10
    else:
        assert Presentation(str(out)).slides[0].shapes.title.text.startswith("India-Canada")
    assert "changes since 2026-10-01" in capsys.readouterr().out
    [(user, detail)] = audit_rows(sample_db)
    assert user == "analyst" and detail.startswith(f"report {fmt} since 2026-10-01")


def test_exports_are_audited_with_context(sample_db, tmp_path):
    out = tmp_path / "items.xlsx"
    assert export(sample_db, "export", "table", "items", "--format", "xlsx", "--out", str(out),
                  "--by", "someone", "--as-of", "2026-09-30") == 0
    assert audit_rows(sample_db) == [
        ("someone", "table items xlsx (IC · as of 2026-09-30 · sample data) -> items.xlsx")]
    with open_store(sample_db) as store:
        assert store.scalar("SELECT plan_id FROM audit_log WHERE action = 'export'") == 1


@pytest.mark.parametrize("args", [
    ["export", "chart", "nope", "--format", "png", "--out", "{tmp}/x.png"],
    ["export", "table", "items", "--format", "png", "--out", "{tmp}/x.png"],
    ["export", "chart", "burn-up", "--format", "csv", "--out", "{tmp}/x.csv"],
    ["export", "table", "items", "--format", "csv", "--out", "{tmp}/x.csv", "--domain", "Nope"],
    ["export", "table", "items", "--format", "csv", "--out", "{tmp}/no/such/dir/x.csv"],
    ["export", "chart", "burn-up"],
    ["report", "--format", "pdf", "--out", "{tmp}/r.pdf", "--since", "2026-12-01"],
    ["report", "--format", "docx", "--out", "{tmp}/r.docx"],
])
def test_mistakes_give_one_line_and_exit_2(sample_db, tmp_path, args):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run([sys.executable, "-m", "analytics", "--db", str(sample_db), *argv],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob("r.*"))


def test_static_export_without_chromium_is_one_line(sample_db, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(sample_db), "export", "chart", "burn-up",
         "--format", "png", "--out", str(tmp_path / "x.png")],
        capture_output=True, text=True, timeout=120,
        env={"PATH": "/nonexistent", "BROWSER_PATH": str(tmp_path / "no-chromium")})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"workplan: PNG, SVG and PDF exports need Chrome or Chromium, but BROWSER_PATH="
        f"{tmp_path / 'no-chromium'} is not an executable file; HTML, CSV and XLSX still work."]
