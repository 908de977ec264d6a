"""`workplan import` of French sheets (semicolon CSV and .xlsx) into a fresh store."""

from datetime import date

import openpyxl
import pytest

from analytics.cli import main
from analytics.store import open_store

ITEMS_HEADER = ["Identifiant", "Domaine", "Intitulé", "Partie responsable", "Responsable",
                "Date de début", "Échéance", "Pondération", "Description"]
ITEMS_ROWS = [
    ["I-1", "Fraude", "Partager les typologies", "Canada", "GRC", "15/01/2028", "13/03/2028", "1,5",
     "Échange d'information"],
    ["I-2", "Cybersécurité", "Exercice conjoint", "Inde", "CERT-In", "01/02/2028", "30/06/2028", "",
     ""],
]
UPDATES_HEADER = ["Identifiant", "Date du rapport", "% achevé", "État", "Commentaires",
                  "Signalé par", "Partie"]
UPDATES_ROWS = [
    ["I-1", "13/03/2028", "79,5 %", "Vert", "En bonne voie", "Amélie", "Canada"],
    ["I-2", "13/03/2028", "12,25", "ambre", "", "", "Inde"],
    ["I-2", "20/03/2028", "100", "Terminé", "Achevé", "", "Inde"],
]
MILESTONES_CSV = ("Identifiant du jalon;Identifiant de l'élément;Jalon;Échéance;Date d'achèvement\n"
                  "M-1;I-1;Atelier;28/02/2028;27/02/2028\n")


def cli(capsys, db, *argv) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def semicolon_csv(path, header, rows):
    path.write_text("\n".join(";".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def workbook(path, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Feuille1"
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(params=["csv", "xlsx"])
def french_files(request, tmp_path):
    write = semicolon_csv if request.param == "csv" else workbook
    return (write(tmp_path / f"elements.{request.param}", ITEMS_HEADER, ITEMS_ROWS),
            write(tmp_path / f"etat.{request.param}", UPDATES_HEADER, UPDATES_ROWS))


def test_french_items_and_updates_import_with_their_values(capsys, db_path, french_files):
    items, updates = french_files
    code, out, err = cli(capsys, db_path, "import", "items", str(items), "--by", "amelie")
    assert code == 0, err
    assert out == f"main: Imported 2 items row(s) from {items.name} as upload 1.\n"
    code, out, err = cli(capsys, db_path, "import", "updates", str(updates), "--by", "amelie")
    assert code == 0, err
    assert out.startswith("main: Imported 3 updates row(s)")
    with open_store(db_path) as store:
        stored_items = store.query_df(
            "SELECT item_id, domain, title, lead_party, owner, start_date, due_date, weight, description"
            " FROM work_items ORDER BY item_id").to_dict("records")
        stored_updates = store.query_df(
            "SELECT item_id, as_of, percent_complete, status, note, reported_by, party"
            " FROM status_updates ORDER BY item_id, as_of").to_dict("records")
    assert [(r["item_id"], r["domain"], r["title"], r["lead_party"], r["owner"]) for r in stored_items] == [
        ("I-1", "Fraude", "Partager les typologies", "Canada", "GRC"),
        ("I-2", "Cybersécurité", "Exercice conjoint", "Inde", "CERT-In")]
    assert [(r["start_date"], r["due_date"]) for r in stored_items] == [
        (date(2028, 1, 15), date(2028, 3, 13)), (date(2028, 2, 1), date(2028, 6, 30))]
    assert [r["weight"] for r in stored_items] == [1.5, 1.0]
    assert stored_items[0]["description"] == "Échange d'information"
    assert [(r["item_id"], r["as_of"], r["percent_complete"], r["status"]) for r in stored_updates] == [
        ("I-1", date(2028, 3, 13), 79.5, "green"), ("I-2", date(2028, 3, 13), 12.25, "amber"),
        ("I-2", date(2028, 3, 20), 100.0, "complete")]
    assert [(r["note"], r["reported_by"], r["party"]) for r in stored_updates][0] == (
        "En bonne voie", "Amélie", "Canada")


def test_french_milestones_import(capsys, db_path, tmp_path):
    semicolon_csv(tmp_path / "elements.csv", ITEMS_HEADER, ITEMS_ROWS)
    (tmp_path / "jalons.csv").write_text(MILESTONES_CSV, encoding="utf-8")
    assert cli(capsys, db_path, "import", "items", str(tmp_path / "elements.csv"))[0] == 0
    code, _, err = cli(capsys, db_path, "import", "milestones", str(tmp_path / "jalons.csv"))
    assert code == 0, err
    with open_store(db_path) as store:
        row = store.query_df("SELECT milestone_id, item_id, title, due_date, completed_date"
                             " FROM milestones").to_dict("records")[0]
    assert (row["milestone_id"], row["item_id"], row["title"]) == ("M-1", "I-1", "Atelier")
    assert (row["due_date"], row["completed_date"]) == (date(2028, 2, 28), date(2028, 2, 27))


def test_a_malformed_decimal_comma_refuses_the_file_naming_row_and_column(capsys, db_path, tmp_path):
    semicolon_csv(tmp_path / "elements.csv", ITEMS_HEADER, ITEMS_ROWS)
    bad = semicolon_csv(tmp_path / "etat.csv", UPDATES_HEADER,
                        [UPDATES_ROWS[0], ["I-2", "13/03/2028", "12,2,5", "rouge", "", "", "Inde"]])
    cli(capsys, db_path, "import", "items", str(tmp_path / "elements.csv"))
    code, out, err = cli(capsys, db_path, "import", "updates", str(bad))
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("row 3, column percent_complete: '12,2,5' is not a percentage")
    with open_store(db_path) as store:
        assert store.scalar("SELECT count(*) FROM status_updates") == 0


def test_the_result_line_is_in_the_language_asked_for(capsys, db_path, tmp_path):
    items = semicolon_csv(tmp_path / "elements.csv", ITEMS_HEADER, ITEMS_ROWS)
    code, out, err = cli(capsys, db_path, "import", "items", str(items), "--lang", "fr")
    assert code == 0, err
    assert out == ("main: 2 ligne(s) de type « éléments » importée(s) de elements.csv comme "
                   "téléversement 1.\n".replace("« ", "«\u00a0").replace(" »", "\u00a0»"))
    bad = semicolon_csv(tmp_path / "etat.csv", UPDATES_HEADER,
                        [["I-2", "13/03/2028", "12,2,5", "rouge", "", "", "Inde"]])
    code, out, err = cli(capsys, db_path, "import", "updates", str(bad), "--lang", "fr")
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == ("workplan: etat.csv a été refusé\u00a0: 1 erreur(s) dans 1 "
                                    "ligne(s)\u00a0; rien n'a été écrit. Corrigez-les, ou "
                                    "enregistrez seulement les lignes valides.")
