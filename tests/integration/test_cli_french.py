"""`workplan report --lang fr` and `workplan export ... --lang fr` on the sample plan: the pack's
text, the CSV and XLSX headers and the file names in French; WORKPLAN_LANGUAGE as the default."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from analytics.cli import main
from analytics.context import plan_view
from analytics.i18n import NBSP
from analytics.plans import resolve_plan
from analytics.store import open_store


def run(db, *args) -> int:
    return main(["--db", str(db), *args])


def csv_header(path) -> list[str]:
    return next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_report_in_french_is_a_french_pdf(sample_db, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    assert run(sample_db, "report", "--format", "pdf", "--out", str(out), "--lang", "fr") == 0
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for phrase in ("Sommaire — au 24 novembre 2026", "Indice de performance du calendrier",
                   "Où en est le plan", "Principaux risques", "pts de pourcentage derrière le plan",
                   "données d'exemple"):
        assert phrase in text, phrase
    assert "Executive summary" not in text and "Top risks" not in text
    assert "au 24 novembre 2026" in capsys.readouterr().out


def test_report_without_lang_stays_english(sample_db, tmp_path):
    out = tmp_path / "pack.pdf"
    assert run(sample_db, "report", "--format", "pdf", "--out", str(out)) == 0
    first = PdfReader(out).pages[0].extract_text()
    assert "Executive summary — as of 24 Nov 2026" in first and "Sommaire" not in first


def test_csv_export_in_french_has_french_headers(sample_db, tmp_path):
    out = tmp_path / "items.csv"
    assert run(sample_db, "export", "table", "items", "--format", "csv", "--out", str(out),
               "--lang", "fr") == 0
    header = csv_header(out)
    assert {"Élément", "Domaine", "Responsable", "État de santé", "Raison"} <= set(header)
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    reasons = [r["Raison"] for r in rows if r["Raison"]]
    assert reasons and all(not r.startswith(("red:", "amber:")) for r in reasons)
    assert any(r.startswith(f"rouge{NBSP}:") for r in reasons)


def test_csv_export_in_english_keeps_column_names(sample_db, tmp_path):
    out = tmp_path / "items.csv"
    assert run(sample_db, "export", "table", "items", "--format", "csv", "--out", str(out)) == 0
    assert csv_header(out)[:3] == ["item_id", "domain", "title"]


def test_workplan_language_is_the_default(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKPLAN_LANGUAGE", "fr")
    out = tmp_path / "risks.csv"
    assert run(sample_db, "export", "table", "top-risks", "--format", "csv", "--out", str(out)) == 0
    assert csv_header(out)[0] == "Élément"
    assert run(sample_db, "export", "table", "top-risks", "--format", "csv", "--out", str(out),
               "--lang", "en") == 0
    assert csv_header(out)[0] == "item_id"


def test_xlsx_export_in_french(sample_db, tmp_path):
    out = tmp_path / "domains.xlsx"
    assert run(sample_db, "export", "table", "domain-progress", "--format", "xlsx",
               "--out", str(out), "--lang", "fr") == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Avancement par domaine", "À propos"]
    headers = [c.value for c in next(book["Avancement par domaine"].iter_rows(max_row=1))]
    assert "Indice de performance du calendrier" in headers and "État de santé" in headers
    about = {row[0]: row[1] for row in book["À propos"].iter_rows(values_only=True)}
    assert about["Données"] == "données d'exemple"


def test_file_names_in_french_are_ascii_slugs(sample_db):
    with open_store(sample_db) as store:
        ctx = plan_view(store, resolve_plan(store, None), date(2026, 11, 24), lang="fr")
    code = ctx.plan.code.lower()
    assert ctx.file_name("progress-by-domain", "png") == (
        f"avancement-par-domaine_{code}_2026-11-24_donnees-d-exemple.png")
    assert ctx.file_name("briefing-pack", "pdf").startswith("trousse-d-information_")
    assert ctx.file_name("top-risks", "csv").startswith("principaux-risques_")


def test_an_unknown_language_is_refused_in_one_line(sample_db, tmp_path, capsys):
    out = tmp_path / "x.csv"
    with pytest.raises(SystemExit) as exit_:
        run(sample_db, "export", "table", "items", "--format", "csv", "--out", str(out),
            "--lang", "de")
    assert exit_.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err and not out.exists()


def test_portfolio_csv_in_french(sample_db, tmp_path):
    out = tmp_path / "portfolio.csv"
    assert run(sample_db, "export", "portfolio", "--format", "csv", "--out", str(out),
               "--lang", "fr") == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows and {"Plan", "Titre", "État de santé", "Raison"} <= set(rows[0])
    assert rows[0]["État de santé"] in {"Rouge", "Jaune", "Vert", "Terminé", "Non commencé"}
    assert "indice de performance du calendrier" in rows[0]["Raison"] or "pts de" in rows[0]["Raison"]
