"""Read one sheet of an uploaded .xlsx safely, in memory, into a RawSheet.

Why: an .xlsx is a zip of XML files, so a hostile or broken one can be a zip
bomb (tiny file, gigabytes inflated) or an XML bomb (entity expansion). Before
openpyxl sees the bytes we check the archive's member count, declared
uncompressed sizes and compression ratios, and refuse XML that declares a
DTD or entities; openpyxl then parses through defusedxml in read-only mode.
Real date cells become ISO dates and percent-formatted cells "45%", so the
shared parser reads them exactly like CSV text.

Called by `analytics.ingest.read_upload`; `sheet_names()` by the upload page.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

import openpyxl

from analytics.ingest import messages as say
from analytics.ingest.issues import RefusedFileError, error_frame
from analytics.ingest.raw import RawSheet, raw_table
from analytics.ingest.structure import Limits, upload_limits

MAX_MEMBERS = 500
MAX_RATIO = 200          # uncompressed / compressed, per member


def check_archive(data: bytes, max_bytes: int) -> None:
    """Refuse zip bombs and XML bombs before any XML is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise RefusedFileError(say.DAMAGED_ZIP) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise RefusedFileError(say.TOO_MANY_PARTS.format(n=len(members), m=MAX_MEMBERS))
        total = sum(m.file_size for m in members)
        if total > max_bytes:
            raise RefusedFileError(say.EXPANDS_TO.format(size=f"{total / 1_048_576:.0f} MB",
                                                         max=f"{max_bytes / 1_048_576:.0f} MB"))
        for m in members:
            if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                raise RefusedFileError(say.PART_RATIO.format(
                    part=m.filename, n=m.file_size // max(m.compress_size, 1)))
        if "[Content_Types].xml" not in archive.namelist():
            raise RefusedFileError(say.ZIP_NOT_WORKBOOK)
        for m in members:
            if m.filename.endswith((".xml", ".rels")):
                _refuse_dtd(m.filename, _read_limited(archive, m, max_bytes))


def _read_limited(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """A member's bytes, never more than the limit even if its header lies about its size."""
    try:
        with archive.open(member) as stream:
            data = stream.read(max_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise RefusedFileError(say.PART_UNREADABLE.format(part=member.filename,
                                                          detail=exc)) from None
    if len(data) > max_bytes:
        raise RefusedFileError(say.EXPANDS_BEYOND)
    return data


def _refuse_dtd(name: str, xml: bytes) -> None:
    head = xml[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in xml.lower():
        raise RefusedFileError(say.XML_ENTITIES.format(part=name))


def sheet_names(data: bytes, max_bytes: int) -> list[str]:
    """The workbook's sheet names, in order."""
    workbook = _open(data, max_bytes)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_xlsx_sheet(data: bytes, max_bytes: int, sheet: str | None = None,
                    limits: Limits | None = None) -> RawSheet:
    """The chosen (default: first) sheet as a RawSheet; row numbers are Excel's. A row with a
    cell over the size limit, or a value past the widest sheet accepted, is left out and
    named in the RawSheet's errors; a header row wider than that refuses the file."""
    limits = limits or upload_limits()
    workbook = _open(data, max_bytes)
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise RefusedFileError(say.NO_SUCH_SHEET.format(value=sheet, sheets=", ".join(names)))
        worksheet = workbook[sheet or names[0]]
        headers, columns, rows, errors = _cells(worksheet, limits)
    finally:
        workbook.close()
    dialect = {"format": "xlsx", "sheet": sheet or names[0], "sheets": names}
    return RawSheet(headers=headers, table=raw_table(columns, rows), dialect=dialect,
                    errors=error_frame(errors))


def _open(data: bytes, max_bytes: int):
    if not openpyxl.DEFUSEDXML:
        raise RefusedFileError(say.NO_DEFUSEDXML)
    check_archive(data, max_bytes)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except RefusedFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise RefusedFileError(say.WORKBOOK_UNREADABLE.format(detail=_problem(exc))) from None


def _cells(worksheet, limits: Limits) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    headers: list[str] | None = None
    header_row = 0
    columns: list[list[str]] = []
    rows: list[int] = []
    errors: list[dict] = []
    try:
        for row in worksheet.iter_rows(max_col=limits.max_columns + 1):
            values = [cell_text(c) for c in row]
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            if headers is None:
                if any(v.strip() for v in values):
                    if len(values) > limits.max_columns and values[limits.max_columns].strip():
                        raise RefusedFileError(say.SHEET_HEADER_TOO_WIDE.format(
                            row=number or 1, n=limits.max_columns))
                    headers = [v.strip() for v in values[:limits.max_columns]]
                    header_row = number or 1
                    columns = [[] for _ in headers]
                continue
            if not any(v.strip() for v in values):
                continue
            number = number or header_row + len(rows) + 1
            problem = _oversized(values, headers, limits)
            if problem is not None:
                errors.append({"row": number, "column": problem[0], "message": problem[1],
                               "value": None})
                continue
            for i, col in enumerate(columns):
                col.append(values[i] if i < len(values) else "")
            rows.append(number)
    except RefusedFileError:
        raise
    except Exception as exc:
        raise RefusedFileError(say.SHEET_UNREADABLE.format(detail=_problem(exc))) from None
    if headers is None:
        raise RefusedFileError(say.EMPTY_SHEET)
    return headers, columns, rows, errors


def _problem(exc: Exception) -> str:
    """'KeyError: ...': what openpyxl said about a damaged workbook, cut to 200 characters."""
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _oversized(values: list[str], headers: list[str], limits: Limits) -> tuple[str, str] | None:
    """(column, message) of a row's first cell over the size limit or past the widest sheet."""
    if len(values) > limits.max_columns and values[limits.max_columns].strip():
        return (say.NO_HEADER_COLUMN.format(n=limits.max_columns + 1),
                say.PAST_WIDEST_SHEET.format(n=limits.max_columns))
    for index, value in enumerate(values):
        if len(value.encode("utf-8")) > limits.max_cell_bytes:
            name = headers[index] if index < len(headers) and headers[index] else \
                say.NO_HEADER_COLUMN.format(n=index + 1)
            return name, say.CELL_TOO_LONG.format(size=f"{len(value.encode('utf-8')) >> 10} KB",
                                                  max=f"{limits.max_cell_bytes >> 10} KB")
    return None


def cell_text(cell) -> str:
    """A cell as the text the shared parser reads: ISO dates, '45%' for percent cells."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return _number(round(value * 100, 9)) + "%"
        return _number(value)
    return str(value)


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
