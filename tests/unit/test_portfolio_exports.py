"""The portfolio's files from a portfolio frame: CSV/XLSX columns, a PDF of one page and a deck
of one slide with 2 and 20 plans (every plan's code and verdict word in the text, the marking
on the page), titles and file names that say the portfolio's date; the same files in French
(words, reasons, dates and numbers; the PDF tagged as French) with no English left."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics.charts.palette import HEALTH_LABELS
from analytics.exports.portfolio import (
    CELL_MARGIN_X,
    EMU_PER_PT,
    SLIDE_TABLE_BOTTOM,
    SLIDE_WIDTH_SLACK,
    export_table,
    portfolio_bytes,
    portfolio_file_name,
    portfolio_label,
    portfolio_title,
    summary_rows,
    text_widths,
)
from analytics.formatting import column_label
from analytics.metrics.health import reason_in
from analytics.metrics.portfolio import PORTFOLIO_COLUMNS, empty_row
from analytics.settings import Settings

SETTINGS = Settings(marking="PROTECTED B")
CURRENT = date(2026, 11, 24)
REASONS = {
    "red": "red: 31 pp behind plan; schedule efficiency 0.72 (forecast 2028-08-03, 256 days "
           "late); red items carry 40% of the weight (IMM-02, IMM-05, IMM-07, CYP-01, CYP-09 "
           "and 4 more)",
    "amber": "amber: schedule efficiency 0.91 (forecast 2027-05-13, 40 days late); 2 red items "
             "(CYP-03, CYP-04)",
    "green": "green: 6 pp behind plan, within the amber threshold of 10 pp",
    "complete": "complete: every weighted item is complete",
    "not_started": "not_started: starts on 2027-01-18",
}
TITLES = ["India-Canada shared work plan on security and law-enforcement cooperation",
          "Trade", "Clean energy partnership: hydrogen, critical minerals and grid "
          "interconnection 2026-2030"]


def portfolio(n: int, *, sample: bool = False, current: date = CURRENT) -> pd.DataFrame:
    """n plans with every health, long titles and long reasons (seeded)."""
    rng = random.Random(42)
    rows = []
    for k in range(n):
        health = list(REASONS)[k % len(REASONS)]
        row = {**empty_row(), "group": f"P{k:02d}", "title": rng.choice(TITLES), "items": 56,
               "weight": 94.0, "actual_pct": 78.9, "planned_pct": 82.2, "variance_pp": -3.3,
               "spi_t": 0.93, "forecast_finish": date(2028, 3, 19),
               "planned_finish": date(2028, 1, 25), "health": health, "red": 6, "overdue": 2,
               "milestones_overdue": 4, "reason": REASONS[health], "sample": sample,
               "as_of": current, "data_current_to": current, "reporting_compliance": 0.91,
               "forecast_slip_days": 54}
        rows.append(row)
    return pd.DataFrame(rows, columns=PORTFOLIO_COLUMNS)


def test_csv_and_xlsx_carry_every_column_plan_first():
    frame = portfolio(3)
    rows = list(csv.reader(io.StringIO(portfolio_bytes(frame, "csv", SETTINGS)
                                       .decode("utf-8-sig"), newline="")))
    assert rows[0] == list(export_table(frame).columns)
    assert rows[0][:4] == ["plan", "title", "health", "reason"]
    assert sorted(rows[0]) == sorted(["plan" if c == "group" else c for c in PORTFOLIO_COLUMNS])
    assert [row[0] for row in rows[1:]] == ["P00", "P01", "P02"]
    book = openpyxl.load_workbook(io.BytesIO(portfolio_bytes(frame, "xlsx", SETTINGS)))
    sheet = book["Portfolio"]
    assert [str(cell.value) for cell in sheet[1]] == [column_label(c) for c in rows[0]]
    assert [cell.value for cell in sheet[2]][2:4] == ["Red", REASONS["red"]]
    about = dict(book["About"].values)
    assert about["Context"] == "3 plans · each as of its data current to (latest 2026-11-24)"
    assert about["Handling"] == "PROTECTED B" and "PROTECTED B" in sheet.oddHeader.center.text


@pytest.mark.parametrize("n", [1, 2, 20])
def test_pdf_is_one_page_naming_every_plan_and_verdict(n):
    frame = portfolio(n)
    reader = PdfReader(io.BytesIO(portfolio_bytes(frame, "pdf", SETTINGS)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.count("PROTECTED B") == 2            # header and footer
    assert "Portfolio: data current to 24 Nov 2026" in text and "Not shown" not in text
    for row in frame.to_dict("records"):
        assert row["group"] in text
        assert HEALTH_LABELS[row["health"]] in text  # the word, not only the colour


@pytest.mark.parametrize("n", [1, 2, 20])
def test_pptx_is_one_slide_whose_table_ends_above_the_footer(n):
    frame = portfolio(n)
    deck = Presentation(io.BytesIO(portfolio_bytes(frame, "pptx", SETTINGS)))
    (slide,) = deck.slides
    assert slide.shapes.title.text == "Portfolio: data current to 24 Nov 2026"
    table, bottom = slide_table(slide)
    assert len(table.rows) == n + 1 and table.cell(0, 0).text == "Plan"
    assert bottom <= SLIDE_TABLE_BOTTOM
    assert [table.cell(r + 1, 1).text for r in range(n)] == [
        HEALTH_LABELS[h] for h in frame["health"]]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert texts.count("PROTECTED B") == 2 and not any("Not shown" in t for t in texts)
    notes = slide.notes_slide.notes_text_frame.text.splitlines()
    assert len(notes) == n and notes[0].startswith("P00 (")
    assert words_fit(table)


def words_fit(table) -> bool:
    """Every word of every cell is narrower than its column at the cell's size (no word is
    broken inside), by the widths the layout measures with."""
    widths = text_widths()
    for row in table.rows:
        for c, column in enumerate(table.columns):
            room = (column.width - 2 * CELL_MARGIN_X) / EMU_PER_PT * SLIDE_WIDTH_SLACK
            for run in (run for p in row.cells[c].text_frame.paragraphs for run in p.runs):
                if widths.lines(run.text, room, run.font.size.pt, bool(run.font.bold)) is None:
                    return False
    return True


def slide_table(slide):
    """The slide's table and where it ends."""
    (shape,) = [shape for shape in slide.shapes if shape.has_table]
    return shape.table, shape.top + sum(row.height for row in shape.table.rows)


def test_too_many_plans_show_the_worst_and_say_how_many_more():
    frame = portfolio(60)
    text = PdfReader(io.BytesIO(portfolio_bytes(frame, "pdf", SETTINGS))).pages[0].extract_text()
    shown = [code for code in frame["group"] if f"{code} · " in text]
    assert shown == list(frame["group"][:len(shown)]) and 30 < len(shown) < 60
    assert f"Not shown: {60 - len(shown)} more plans, the healthiest" in text
    (slide,) = Presentation(io.BytesIO(portfolio_bytes(frame, "pptx", SETTINGS))).slides
    table, bottom = slide_table(slide)
    rows = len(table.rows) - 1
    assert 20 < rows < 60 and bottom <= SLIDE_TABLE_BOTTOM
    assert table.cell(rows, 0).text.startswith(f"P{rows - 1:02d} · ")
    assert any(shape.text_frame.text.startswith(f"Not shown: {60 - rows} more plans")
               for shape in slide.shapes if shape.has_text_frame)
    assert len(slide.notes_slide.notes_text_frame.text.splitlines()) == 60


def test_a_plan_without_verdict_and_an_empty_portfolio():
    frame = portfolio(2)
    frame.loc[1, ["health", "actual_pct", "spi_t", "forecast_slip_days", "data_current_to"]] = None
    frame.loc[1, "reason"] = "no work items yet"
    cells = summary_rows(frame).iloc[1]
    assert (cells["health"], cells["progress"], cells["slip"], cells["current_to"]) == (
        "—", "—", "—", "no updates yet")
    assert len(PdfReader(io.BytesIO(portfolio_bytes(frame, "pdf", SETTINGS))).pages) == 1
    empty = portfolio(0)
    assert "No plan to show." in PdfReader(io.BytesIO(
        portfolio_bytes(empty, "pdf", SETTINGS))).pages[0].extract_text()
    assert len(Presentation(io.BytesIO(portfolio_bytes(empty, "pptx", SETTINGS))).slides) == 1


def test_short_cells_keep_the_first_condition_without_details():
    cells = summary_rows(portfolio(2), short=True)
    assert list(cells["reason"]) == ["31 pp behind plan; …", "schedule efficiency 0.91; …"]
    assert cells["progress"][0] == "78.9% (−3.3\u00a0pp)"
    assert all(len(plan.split(" · ", 1)[1]) <= 28 for plan in cells["plan"])


def test_titles_and_file_names_say_the_portfolios_date():
    frame = portfolio(2, sample=True)
    assert portfolio_file_name(frame, "pdf", None) == "portfolio_2026-11-24_sample-data.pdf"
    assert portfolio_file_name(portfolio(2), "xlsx", date(2026, 12, 1)) == (
        "portfolio_2026-12-01.xlsx")
    assert portfolio_title(frame, date(2026, 12, 1)) == "Portfolio as of 1 Dec 2026"
    frame.loc[1, "data_current_to"] = date(2026, 10, 31)
    assert portfolio_title(frame, None) == "Portfolio: each plan as of its data current to"
    frame.loc[:, "data_current_to"] = None
    assert portfolio_title(frame, None) == "Portfolio: each plan as of its data current to"


def test_an_unknown_format_is_a_usage_error():
    from analytics.errors import UsageError

    with pytest.raises(UsageError, match="csv, xlsx, pdf, pptx"):
        portfolio_bytes(portfolio(1), "png", SETTINGS)



# -- French ------------------------------------------------------------------

NBSP = "\u00a0"
FRENCH_HEADERS = ["Plan", "État de santé", "Raison", "Avancement réel et prévu", "IPC(t)",
                  "Glissement prévu", "Éléments rouges / en retard", "Jalons en retard",
                  "Conformité des rapports", "Données à jour au"]
FRENCH_HEALTH = ["Rouge", "Jaune", "Vert", "Terminé", "Non commencé"]
# English words of the layouts that must not be left in the French files.
ENGLISH = ["Portfolio", "Health", "Reason", "Progress vs planned", "Forecast slip",
           "Overdue milestones", "Reporting compliance", "Data current to", "worst first",
           "generated", "each as of", "plans, the healthiest", "No plan to show", " days",
           "Amber", "Not started", "behind plan", "schedule efficiency"]


def plain(text: str) -> str:
    """`text` with every run of spaces, non-breaking spaces and line breaks (cells wrap) as one
    space."""
    return " ".join(text.replace(NBSP, " ").split())


def test_french_pdf_page_is_french_throughout_and_tagged_french():
    reader = PdfReader(io.BytesIO(portfolio_bytes(portfolio(5), "pdf", SETTINGS, lang="fr")))
    assert len(reader.pages) == 1
    text = plain(reader.pages[0].extract_text())
    assert "Portefeuille : données à jour au 24 novembre 2026" in text
    assert "5 plans · chacun à la date de ses données (la plus récente : 24 novembre 2026)" in text
    assert "du plus préoccupant au moins préoccupant" in text and "produit le" in text
    for words in ["Avancement réel et prévu", "Glissement prévu", "Conformité des rapports", "Rouge", "Jaune", "Vert",
                  "Terminé", "78,9 %", "0,93", "+54 jours", "91 %",
                  "indice de performance du calendrier 0,91", "commence le 18 janvier 2027"]:
        assert words in text, words
    assert not [word for word in ENGLISH if word in text]
    assert text.count("PROTECTED B") == 2            # the marking as configured
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert plain(reader.metadata.title) == "Portefeuille : données à jour au 24 novembre 2026"
    english = PdfReader(io.BytesIO(portfolio_bytes(portfolio(5), "pdf", SETTINGS)))
    assert english.trailer["/Root"]["/Lang"] == "en"


def test_french_slide_is_french_throughout():
    frame = portfolio(5)
    (slide,) = Presentation(io.BytesIO(portfolio_bytes(frame, "pptx", SETTINGS, lang="fr"))).slides
    assert slide.shapes.title.text == f"Portefeuille{NBSP}: données à jour au 24 novembre 2026"
    table, bottom = slide_table(slide)
    assert [table.cell(0, c).text for c in range(len(table.columns))] == FRENCH_HEADERS
    assert [table.cell(r + 1, 1).text for r in range(5)] == FRENCH_HEALTH
    row = [table.cell(1, c).text for c in range(len(table.columns))]
    assert row[4:] == ["0,93", "+54 jours", "6 / 2", "4", f"91{NBSP}%", "2026-11-24"]
    assert row[3].startswith(f"78,9{NBSP}%") and "−3,3" in row[3]
    assert bottom <= SLIDE_TABLE_BOTTOM and words_fit(table)
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    texts += [table.cell(r, c).text for r in range(len(table.rows))
              for c in range(len(table.columns))]
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.splitlines()[0].startswith("P00 (") and f"{NBSP}: Rouge (31 pts" in notes
    assert not [word for word in ENGLISH if any(word in t for t in texts + [notes])]
    assert any(t.startswith("Portefeuille · 5 plans · chacun") for t in texts)


def test_french_page_and_slide_say_how_many_plans_are_left_out():
    frame = portfolio(60)
    text = plain(PdfReader(io.BytesIO(portfolio_bytes(frame, "pdf", SETTINGS, lang="fr")))
                 .pages[0].extract_text())
    shown = [code for code in frame["group"] if f"{code} · " in text]
    assert 30 < len(shown) < 60
    assert f"Non affichés : {60 - len(shown)} autres plans, les moins préoccupants" in text
    (slide,) = Presentation(io.BytesIO(portfolio_bytes(frame, "pptx", SETTINGS, lang="fr"))).slides
    table, bottom = slide_table(slide)
    rows = len(table.rows) - 1
    assert bottom <= SLIDE_TABLE_BOTTOM
    assert any(shape.text_frame.text.startswith(f"Non affichés{NBSP}: {60 - rows} autres plans")
               for shape in slide.shapes if shape.has_text_frame)
    empty = portfolio(0)
    assert "Aucun plan à afficher." in PdfReader(io.BytesIO(
        portfolio_bytes(empty, "pdf", SETTINGS, lang="fr"))).pages[0].extract_text()


def test_french_cells_titles_labels_and_file_names():
    frame = portfolio(2, sample=True)
    french = frame.assign(reason=[reason_in(r, "fr") for r in frame["reason"]])
    cells = summary_rows(french, short=True, lang="fr")
    assert cells["reason"][0] == f"31 pts de pourcentage derrière le plan{NBSP}; …"
    assert cells["progress"][0] == f"78,9{NBSP}% (−3,3{NBSP}pts de pourcentage)"
    assert cells["plan"][0].endswith(" (données d'exemple)")
    assert portfolio_file_name(frame, "pdf", None, "fr") == (
        "portefeuille_2026-11-24_donnees-d-exemple.pdf")
    assert portfolio_title(frame, date(2026, 12, 1), "fr") == "Portefeuille au 1er décembre 2026"
    assert portfolio_label(frame, date(2026, 12, 1), "fr") == (
        "2 plans · au 1er décembre 2026 · comprend des données d'exemple")
    book = openpyxl.load_workbook(io.BytesIO(portfolio_bytes(frame, "xlsx", SETTINGS, lang="fr")))
    assert dict(book["À propos"].values)["Contexte"] == (
        f"2 plans · chacun à la date de ses données (la plus récente{NBSP}: 24 novembre 2026) · "
        "comprend des données d'exemple")
