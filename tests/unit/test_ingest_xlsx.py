"""Excel uploads: real date cells, percent cells, sheet choice, and zip/XML bombs refused safely."""

import io
import resource
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from analytics.ingest import ReadOptions, RefusedFileError, read_upload, sheet_names


def workbook_bytes(sheets: dict[str, list[list]], percent_cells: bool = False) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if percent_cells:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
                cell.number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UPDATES = [["Item ID", "As of", "% Complete", "RAG", "Comments"],
           ["A-1", datetime(2026, 3, 4), 45, "G", "real date cell"],
           [None, None, None, None, None],
           ["A-2", date(2026, 10, 31), 12.5, "Amber", None]]


def test_real_date_cells_and_blank_rows_keep_excel_row_numbers():
    p = read_upload(workbook_bytes({"Status": UPDATES}), "s.xlsx", "updates")
    assert p.ok, p.error_lines()
    rows = p.table.to_pylist()
    assert [r["row_number"] for r in rows] == [2, 4]
    assert [r["as_of"] for r in rows] == [date(2026, 3, 4), date(2026, 10, 31)]
    assert [r["percent_complete"] for r in rows] == [45, 12.5]
    assert not any("ambiguous" in w for w in p.warnings)   # real dates are never ambiguous


def test_percent_formatted_cells_are_read_as_percent():
    rows = [UPDATES[0], ["A-1", date(2026, 10, 31), 0.45, "G", None]]
    p = read_upload(workbook_bytes({"S": rows}, percent_cells=True), "s.xlsx", "updates")
    assert p.table.to_pylist()[0]["percent_complete"] == 45
    assert not p.fractions_suspected


def test_first_sheet_by_default_or_the_chosen_one():
    other = [UPDATES[0], ["B-9", date(2026, 1, 1), 10, "R", None]]
    data = workbook_bytes({"Cover": other, "Status": UPDATES})
    assert sheet_names(data, "s.xlsx") == ["Cover", "Status"]
    assert read_upload(data, "s.xlsx", "updates").table.to_pylist()[0]["item_id"] == "B-9"
    chosen = read_upload(data, "s.xlsx", "updates", ReadOptions(sheet="Status"))
    assert chosen.table.to_pylist()[0]["item_id"] == "A-1"
    with pytest.raises(RefusedFileError, match="no sheet 'Nope'"):
        read_upload(data, "s.xlsx", "updates", ReadOptions(sheet="Nope"))


def test_a_zip_bomb_is_refused_from_its_declared_sizes_without_inflating_it():
    data = workbook_bytes({"Status": UPDATES})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        with bomb.open("xl/media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(200):                       # 200 MB of zeros, ~200 KB compressed
                member.write(chunk)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(RefusedFileError, match="zip bomb"):
        read_upload(buffer.getvalue(), "bomb.xlsx", "updates")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100


def test_a_workbook_that_inflates_beyond_the_limit_is_refused():
    data = workbook_bytes({"Status": UPDATES})
    with pytest.raises(RefusedFileError):
        read_upload(data, "s.xlsx", "updates", ReadOptions(max_bytes=2_000))


def test_billion_laughs_xml_bomb_is_refused():
    data = workbook_bytes({"Status": UPDATES})
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">'
                        for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
              "</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as bomb:
        for item in source.infolist():
            body = laughs.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            bomb.writestr(item, body)
    with pytest.raises(RefusedFileError, match="XML"):
        read_upload(buffer.getvalue(), "laughs.xlsx", "updates")


@pytest.mark.parametrize("data, name, fragment", [
    (b"PK\x03\x04" + bytes(100), "x.xlsx", "damaged"),
    (b"item_id,as_of\n", "x.xlsx", "not an Excel workbook"),
])
def test_broken_workbooks_are_refused(data, name, fragment):
    with pytest.raises(RefusedFileError, match=fragment):
        read_upload(data, name, "updates")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(RefusedFileError, match="not an Excel workbook"):
        read_upload(buffer.getvalue(), "x.xlsx", "updates")
