"""A file refused before its rows are read says so in French (issue 18): each sentence of
analytics.ingest.xlsx and .structure, raised in English by the real readers, is read back by
`message_in` and written with the same values in French; the quote errors of a CSV's rows
too; and `workplan import --lang fr` prints the French sentence."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from analytics.cli import main
from analytics.i18n import NBSP
from analytics.ingest import ReadOptions, RefusedFileError, read_upload
from analytics.ingest.csvread import sniff_csv
from analytics.ingest.messages import column_in, message_in
from analytics.ingest.structure import MAX_QUOTE_ERRORS, MAX_SHAPE_ERRORS, Limits
from analytics.ingest.xlsx import check_archive, read_xlsx_sheet

BIG = 50 << 20          # an upload limit no test workbook comes near


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def workbook_bytes(rows: list[list], sheet: str = "Mars") -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb() -> bytes:
    """A workbook part of 2 MB of zeros: thousands to one when deflated."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/big.xml": bytes(2 << 20)})


def ratio_of_bomb() -> int:
    info = zipfile.ZipFile(io.BytesIO(bomb())).getinfo("xl/big.xml")
    return info.file_size // info.compress_size


def _refused(read) -> str:
    with pytest.raises(RefusedFileError) as refused:
        read()
    return str(refused.value)


def _upload(data: bytes, name: str, **options):
    return lambda: read_upload(data, name, "updates", ReadOptions(**options))


SHAPE_ROWS = MAX_SHAPE_ERRORS + 1

# (what is refused, how it is read, the English sentence, the French one)
CASES = [
    ("a zip that is not a workbook",
     _upload(zip_bytes({"notes.txt": b"hello"}), "march.xlsx"),
     "The zip file is not an Excel workbook; upload an .xlsx or CSV.",
     f"Le fichier zip n'est pas un classeur Excel{NBSP}; téléversez un fichier .xlsx ou CSV."),
    ("a damaged zip",
     _upload(b"PK\x03\x04" + bytes(100), "march.xlsx"),
     "The file is not a readable .xlsx workbook (the zip archive is damaged); save it again "
     "from Excel.",
     f"Le fichier n'est pas un classeur .xlsx lisible (l'archive zip est endommagée){NBSP}; "
     "enregistrez-le de nouveau à partir d'Excel."),
    ("a workbook of too many parts",
     lambda: check_archive(zip_bytes({f"p{i}.bin": b"" for i in range(1200)}), BIG),
     "The workbook has 1200 parts, more than the 500 a status sheet needs; refused as unsafe.",
     f"Le classeur compte 1{NBSP}200 parties, plus que les 500 dont une feuille de rapport "
     f"d'étape a besoin{NBSP}; il est refusé par mesure de sécurité."),
    ("a workbook that expands past the limit",
     lambda: check_archive(zip_bytes({"xl/big.xml": bytes(3 << 20)}), 1 << 20),
     "The workbook expands to 3 MB, over the 1 MB limit (a zip bomb or a very large sheet); "
     "refused.",
     "Une fois décompressé, le classeur fait 3 Mo, au-delà de la limite de 1 Mo (une bombe zip "
     f"ou une feuille très volumineuse){NBSP}; il est refusé."),
    ("a zip bomb",
     lambda: check_archive(bomb(), BIG),
     f"The workbook part xl/big.xml is compressed {ratio_of_bomb()}:1, a sign of a zip bomb; "
     "refused.",
     "La partie xl/big.xml du classeur est compressée dans un rapport de "
     + f"{ratio_of_bomb():,}".replace(",", NBSP)
     + f" pour 1, signe d'une bombe zip{NBSP}; le fichier est refusé."),
    ("an XML bomb",
     lambda: check_archive(zip_bytes({"[Content_Types].xml": b'<!DOCTYPE x [<!ENTITY a "a">]>'}),
                           BIG),
     "The workbook part [Content_Types].xml declares XML entities (a possible XML bomb); Excel "
     "never writes these, so the file is refused.",
     "La partie [Content_Types].xml du classeur déclare des entités XML (une bombe XML "
     f"possible){NBSP}; Excel n'en écrit jamais, le fichier est donc refusé."),
    ("a workbook with no such sheet",
     _upload(workbook_bytes([["Item ID"], ["A-1"]]), "march.xlsx", sheet="Avril"),
     "The workbook has no sheet 'Avril'; its sheets are: Mars.",
     f"Le classeur n'a pas de feuille «{NBSP}Avril{NBSP}»{NBSP}; ses feuilles sont{NBSP}: Mars."),
    ("an empty sheet",
     _upload(workbook_bytes([]), "march.xlsx"),
     "The sheet is empty; expected a header row and data rows.",
     f"La feuille est vide{NBSP}; une ligne d'en-tête et des lignes de données sont attendues."),
    ("a sheet whose header is too wide",
     lambda: read_xlsx_sheet(workbook_bytes([[None], ["a", "b", "c", "d"]]), BIG,
                             limits=Limits(max_columns=3)),
     "Row 2, the header, has more than 3 columns (setting WORKPLAN_MAX_COLUMNS); remove the "
     "extra columns.",
     "La ligne 2, l'en-tête, a plus de 3 colonnes (paramètre WORKPLAN_MAX_COLUMNS)"
     f"{NBSP}; supprimez les colonnes en trop."),
    ("a CSV whose header is too wide",
     lambda: sniff_csv(b"a,b,c,d\n1,2,3,4\n", limits=Limits(max_columns=3)),
     "Row 1, the header, has 4 columns; a sheet may have at most 3 (setting "
     "WORKPLAN_MAX_COLUMNS). Check the delimiter, or remove the extra columns.",
     f"La ligne 1, l'en-tête, a 4 colonnes{NBSP}; une feuille peut en avoir au plus 3 "
     "(paramètre WORKPLAN_MAX_COLUMNS). Vérifiez le délimiteur ou supprimez les colonnes en "
     "trop."),
    ("a delimiter of two bytes",
     lambda: sniff_csv("aéb\n1é2\n".encode(), delimiter="é"),
     "The delimiter 'é' cannot be used; choose one character such as , ; or tab.",
     f"Le délimiteur 'é' ne peut pas être utilisé{NBSP}; choisissez un seul caractère, par "
     f"exemple ,{NBSP}; ou la tabulation."),
    ("a CSV whose header line is too long",
     lambda: sniff_csv(b"a" * 3000 + b",b\n1,2\n", limits=Limits(max_line_bytes=1 << 10)),
     "Row 1, the header, is 3 KB long; a line may be at most 1 KB (setting "
     "WORKPLAN_MAX_LINE_KB).",
     f"La ligne 1, l'en-tête, fait 3 Ko{NBSP}; une ligne peut faire au plus 1 Ko (paramètre "
     "WORKPLAN_MAX_LINE_KB)."),
    ("a CSV with too many quote errors",
     lambda: sniff_csv(b"a,b\n" + b'x"y,1\n' * (MAX_QUOTE_ERRORS + 1)),
     "The file has more than 100 quote errors; it is not comma-separated text as read. Check "
     "the delimiter and the quotes.",
     f"Le fichier compte plus de 100 erreurs de guillemets{NBSP}; tel qu'il a été lu, ce n'est "
     "pas du texte séparé par des virgules. Vérifiez le délimiteur et les guillemets."),
    ("a CSV whose rows mostly differ from the header",
     lambda: sniff_csv(b"a,b,c\n" + b"1\n" * SHAPE_ROWS),
     "10,001 rows have a different number of fields from the header's 3 (the first, row 2, "
     "has 1); check the delimiter, or save the sheet again as CSV.",
     f"10{NBSP}001 lignes n'ont pas le même nombre de champs que l'en-tête, qui en a 3 (la "
     f"première, la ligne 2, en a 1){NBSP}; vérifiez le délimiteur ou enregistrez de nouveau la "
     "feuille en CSV."),
]


@pytest.mark.parametrize(("case", "read", "english", "french"), CASES, ids=[c[0] for c in CASES])
def test_a_refused_file_says_so_in_french(case, read, english, french):
    said = _refused(read)
    assert said == english
    assert message_in(said, "en") == english
    assert message_in(said, "fr") == french


def test_without_defusedxml_excel_is_refused_in_french(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    said = _refused(lambda: read_xlsx_sheet(workbook_bytes([["a"], ["1"]]), BIG))
    assert said == "Excel upload needs the defusedxml package; install it."
    assert message_in(said, "fr") == ("Le téléversement de fichiers Excel nécessite le paquet "
                                      f"defusedxml{NBSP}; installez-le.")


def test_what_openpyxl_says_of_a_damaged_workbook_stays_as_it_is_in_french():
    said = _refused(lambda: read_xlsx_sheet(zip_bytes({"[Content_Types].xml": b"<Types/>"}), BIG))
    detail = said.removeprefix("The workbook cannot be read: ")
    assert detail != said and detail
    assert message_in(said, "fr") == f"Le classeur ne peut pas être lu{NBSP}: {detail}"


def test_a_part_that_cannot_be_read_is_named_in_french():
    data = bytearray(zip_bytes({"[Content_Types].xml": b"<Types>abc</Types>"}, zipfile.ZIP_STORED))
    data[data.index(b"abc")] = ord("x")              # the stored bytes no longer match their CRC
    said = _refused(lambda: check_archive(bytes(data), BIG))
    detail = said.removeprefix("The workbook part [Content_Types].xml cannot be read (")
    detail = detail.removesuffix("); save the file again from Excel.")
    assert "CRC" in detail
    assert message_in(said, "fr") == (f"La partie [Content_Types].xml du classeur ne peut pas être "
                                      f"lue ({detail}){NBSP}; enregistrez de nouveau le fichier à "
                                      "partir d'Excel.")


QUOTE_ROWS = [
    (b'x"y,1\n', "a quote in the middle of a field; quote the whole field (\"...\") or remove the "
                 "quote",
     f"un guillemet au milieu d'un champ{NBSP}; mettez tout le champ entre guillemets (\"...\") "
     "ou supprimez le guillemet"),
    (b'"ab"c,2\n', "a quoted field goes on after its closing quote; inside a quoted field write a "
                   "quote twice (\"\")",
     f"un champ entre guillemets continue après son guillemet fermant{NBSP}; dans un champ entre "
     "guillemets, écrivez le guillemet deux fois (\"\")"),
    (b'"open,3\n', "a quote that is never closed", "un guillemet qui n'est jamais fermé"),
]


@pytest.mark.parametrize(("row", "english", "french"), QUOTE_ROWS)
def test_a_quote_error_in_a_row_says_so_in_french(row, english, french):
    errors = sniff_csv(b"a,b\n" + row).errors
    assert list(errors["row"]) == [2] and list(errors["column"]) == ["a"]
    assert list(errors["message"]) == [english]
    assert message_in(english, "fr") == french


def test_a_cell_under_no_header_is_named_in_french():
    errors = sniff_csv(b"a,\n1," + b"y" * 40 + b"\n", limits=Limits(max_cell_bytes=16)).errors
    assert list(errors["column"]) == ["(column 2, no header)"]
    assert column_in(errors["column"].iloc[0], "fr") == "(colonne 2, sans en-tête)"


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "workplan: The zip file is not an Excel workbook; upload an .xlsx or CSV."),
    ("fr", f"workplan: Le fichier zip n'est pas un classeur Excel{NBSP}; téléversez un fichier "
           ".xlsx ou CSV."),
])
def test_workplan_import_prints_a_refused_file_in_its_language(tmp_path, capsys, lang, said):
    sheet = tmp_path / "march.xlsx"
    sheet.write_bytes(zip_bytes({"notes.txt": b"hello"}))
    code = main(["--db", str(tmp_path / "w.duckdb"), "import", "updates", str(sheet),
                 "--lang", lang])
    assert code == 1
    assert capsys.readouterr().err.strip() == said
