"""Every sentence the import writes about a file's rows and columns, defined once in English,
and the same sentence in the reader's language.

Why: the checks that find a bad cell run in DuckDB over a million rows, so they write their
messages there, in English; the error CSV, the rejects kept with an upload and the CLI keep
that English. The upload pages (and `workplan import --lang fr`) show each message in the
view's language: the English is read back with the template that wrote it
(`analytics.i18n.read_back`, which also reads the health reasons back) and the
template's French entry in analytics.po is filled with the same values, each column named by
its field label in that language ("% achevé"). `sql_message` writes a template as a DuckDB
expression, so the SQL that finds a problem and its translation share one definition.

Written by analytics.ingest (sniff, structure, xlsx, parse, validate, headers, unknown_items,
reporting_party, commit); read back by `issues.format_error` / `issues.errors_by_field`, the
upload and contacts pages and `workplan import --lang`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from analytics.i18n import (
    N_,
    format_date,
    format_number,
    read_back,
    template_patterns,
    translator,
)

# Each canonical field as the upload page names it ("% complete", not percent_complete): the
# mapping step's labels and the headers of the parsed-rows preview. Every label is also a
# header `map_headers` recognises for its field (tested).
# The French labels (analytics.po) are French headers `map_headers` recognises too ("% achevé").
FIELD_LABELS = {
    "item_id": N_("Item ID"), "milestone_id": N_("Milestone ID"), "domain": N_("Domain"),
    "title": N_("Title"), "lead_party": N_("Lead party"), "owner": N_("Owner"),
    "start_date": N_("Start date"), "due_date": N_("Due date"), "weight": N_("Weight"),
    "description": N_("Description"), "completed_date": N_("Completed date"),
    "baseline_date": N_("Baseline date"), "as_of": N_("As of"),
    "percent_complete": N_("% complete"), "status": N_("Status"), "note": N_("Note"),
    "reported_by": N_("Reported by"), "party": N_("Party"),
}


def field_label(column: str, lang: str = "en") -> str:
    """'% complete' for 'percent_complete', '% achevé' in French (a name without a label is
    returned as it is)."""
    return translator(lang)(FIELD_LABELS[column]) if column in FIELD_LABELS else column


DATE_EXAMPLES = N_("2026-10-31, 31/10/2026 or 31 Oct 2026")
ACCEPTED_STATUS_TEXT = N_("G, A, R, Green, Amber, Red, On track, At risk, Off track, Complete, "
                          "Completed, Done, Blue, Not started")
DAY_FIRST = N_("day-first (dd/mm/yyyy)")
MONTH_FIRST = N_("month-first (mm/dd/yyyy)")

# -- cell values (analytics.ingest.parse) ---------------------------------------------------
EMPTY_DATE = N_("{column} is empty; expected a date such as {examples}")
BAD_DATE_FORM = N_("'{value}' is not a valid {form} date")
NOT_A_DATE = N_("'{value}' is not a date; expected {examples}")
DATE_OUT_OF_RANGE = N_("'{value}' is outside the years 1900-2200")
EMPTY_PERCENT = N_("{column} is empty; expected a number from 0 to 100")
NOT_A_PERCENT = N_("'{value}' is not a percentage; expected a number from 0 to 100 such as 45, "
                   "45% or 45.5")
PERCENT_OUT_OF_RANGE = N_("'{value}' is outside 0-100; expected a number from 0 to 100")
EMPTY_STATUS = N_("{column} is empty; expected one of: {statuses}")
NOT_A_STATUS = N_("'{value}' is not a status; expected one of: {statuses}")
NOT_A_WEIGHT = N_("'{value}' is not a weight; expected a number of 0 or more (empty means 1)")
EMPTY_TEXT = N_("{column} is empty; a value is required")
AMBIGUOUS_DATES = N_("Column {column}: every slash date is ambiguous (such as {example}); they "
                     "were read day-first (dd/mm/yyyy). Choose month-first if that is wrong.")
# -- rows (analytics.ingest.validate, the package) ------------------------------------------
EXTRA_CELLS = N_("the row has more values than the header has columns ({n}); check for a stray "
                 "delimiter or a decimal comma in a comma-separated file")
NO_HEADER_COLUMN = N_("(column {n}, no header)")
FRACTIONS_WARNING = N_("Every percent_complete value lies between 0 and 1: these may be "
                       "fractions (0.45 meaning 45%). If so, choose 'values are fractions' (CLI "
                       "--fractions).")
DUPLICATES_IGNORED = N_("{n} exact duplicate row(s) were ignored (rows {rows}): each repeats an "
                        "earlier row.")
MORE_DUPLICATES_IGNORED = N_("{n} exact duplicate row(s) were ignored (rows {rows} and {more} "
                             "more): each repeats an earlier row.")
SAME_KEY = N_("the same {columns} as row {row} but different values; keep one of the two rows")
DUE_BEFORE_START = N_("due date {date} is before start date {date2}")
NO_DATA_ROWS = N_("the file has a header row but no data rows")
UNKNOWN_ITEM = N_("unknown item '{value}'; import it in an items file first")
UNKNOWN_ITEM_CLOSE = N_("unknown item '{value}'; did you mean {ids}? Otherwise import it in an "
                        "items file first")
UNKNOWN_PARTY = N_("unknown party {value}; the plan's parties are {known}")
JOINT_ITEM = N_("joint item: say which party reports it (fill the party column, or choose the "
                "sheet's party)")
# -- the header (analytics.ingest.headers) --------------------------------------------------
TWO_COLUMNS = N_("columns {names} both mean {column}; keep one or correct the mapping.")
NO_HEADER = N_("Column {n} has no header; its values were ignored.")
NOT_IMPORTED = N_("Column {header} is not one we import; it was ignored.")
REQUIRED_MISSING = N_("required column {column} is missing (a header such as {headers}).")
NO_SUCH_COLUMN = N_("the file has no column {header}.")
# -- the file's lines and cells (analytics.ingest.structure, xlsx) ---------------------------
LINE_TOO_LONG = N_("row {row} is {size} long; a line may be at most {max} (setting "
                   "WORKPLAN_MAX_LINE_KB)")
WRONG_FIELD_COUNT = N_("row {row} has {n} fields; the header has {m} (a stray delimiter, or a "
                       "value holding one that is not quoted?)")
CELL_TOO_LONG = N_("the cell is {size} long; a cell may be at most {max} (setting "
                   "WORKPLAN_MAX_CELL_KB)")
PAST_WIDEST_SHEET = N_("a value past the widest sheet accepted, {n} columns")
# -- a commit (analytics.ingest.commit) -----------------------------------------------------
IMPORTED = N_("Imported {n} {kind} row(s) from {file} as upload {id}.")
IMPORTED_SOME = N_("Imported {n} {kind} row(s) from {file} as upload {id}; {rejected} invalid "
                   "row(s) kept as rejects.")
ALREADY_IMPORTED = N_("{file} was already imported as upload {id} ({name}, by {who} at {when} "
                      "UTC); nothing was written.")
REFUSED_HEADER = N_("{file} was refused: its header row has {n} problem(s); nothing was written.")
REFUSED_EMPTY = N_("{file} was refused: it has no data rows; nothing was written.")
REFUSED_ROWS = N_("{file} was refused: {n} error(s) in {rows} row(s); nothing was written. Fix "
                  "them, or commit only the valid rows.")
# -- a file refused as a whole (analytics.ingest.sniff) --------------------------------------
EMPTY_FILE = N_("The file is empty; expected a header row and at least one data row.")
TOO_BIG = N_("The file is {size}, over the {max} limit (setting WORKPLAN_MAX_UPLOAD_MB); split it "
             "into smaller files.")
OLD_EXCEL = N_("Old Excel 97-2003 (.xls) files are not supported; save the sheet as .xlsx or CSV "
               "and upload that.")
NOT_A_WORKBOOK = N_("{file} is named .xlsx but is not an Excel workbook (it is not a zip "
                    "archive); save it again from Excel.")
BAD_UTF16 = N_("The file starts like UTF-16 text but is not valid UTF-16; save it again as CSV "
               "UTF-8.")
BINARY = N_("The file is not text: it looks like binary data. Expected a CSV (comma, semicolon or "
            "tab separated) or an .xlsx workbook.")
BAD_UTF8_BYTE = N_("The file says it is UTF-8 but byte {n} is not valid UTF-8; save it again as "
                   "CSV UTF-8.")
BAD_UTF8 = N_("The file is UTF-8 text with bytes that are not valid UTF-8 at {places}; reading it "
              "another way would garble its accented letters. Fix those characters or save the "
              "file again as CSV UTF-8.")
BAD_BYTE_AT = N_("row {row} (byte {n}, {code})")          # one of the {places}
NO_HEADER_ROW = N_("The file has no header row: every line is blank.")
BAD_DELIMITER = N_("The delimiter {value} cannot be used; choose one character such as , ; or "
                   "tab.")
# -- a workbook refused as a whole (analytics.ingest.xlsx) ---------------------------------
DAMAGED_ZIP = N_("The file is not a readable .xlsx workbook (the zip archive is damaged); save it "
                 "again from Excel.")
TOO_MANY_PARTS = N_("The workbook has {n} parts, more than the {m} a status sheet needs; refused as "
                    "unsafe.")
EXPANDS_TO = N_("The workbook expands to {size}, over the {max} limit (a zip bomb or a very large "
                "sheet); refused.")
PART_RATIO = N_("The workbook part {part} is compressed {n}:1, a sign of a zip bomb; refused.")
ZIP_NOT_WORKBOOK = N_("The zip file is not an Excel workbook; upload an .xlsx or CSV.")
PART_UNREADABLE = N_("The workbook part {part} cannot be read ({detail}); save the file again from "
                     "Excel.")
EXPANDS_BEYOND = N_("The workbook expands beyond the upload limit; refused.")
XML_ENTITIES = N_("The workbook part {part} declares XML entities (a possible XML bomb); Excel "
                  "never writes these, so the file is refused.")
NO_SUCH_SHEET = N_("The workbook has no sheet '{value}'; its sheets are: {sheets}.")
NO_DEFUSEDXML = N_("Excel upload needs the defusedxml package; install it.")
WORKBOOK_UNREADABLE = N_("The workbook cannot be read: {detail}")
SHEET_UNREADABLE = N_("The sheet cannot be read: {detail}")
SHEET_HEADER_TOO_WIDE = N_("Row {row}, the header, has more than {n} columns (setting "
                           "WORKPLAN_MAX_COLUMNS); remove the extra columns.")
EMPTY_SHEET = N_("The sheet is empty; expected a header row and data rows.")
# -- a CSV refused as a whole, and its quote errors (analytics.ingest.structure) ------------
HEADER_TOO_WIDE = N_("Row {row}, the header, has {n} columns; a sheet may have at most {m} (setting "
                     "WORKPLAN_MAX_COLUMNS). Check the delimiter, or remove the extra columns.")
HEADER_TOO_LONG = N_("Row {row}, the header, is {size} long; a line may be at most {max} (setting "
                     "WORKPLAN_MAX_LINE_KB).")
TOO_MANY_QUOTE_ERRORS = N_("The file has more than {n} quote errors; it is not comma-separated text "
                           "as read. Check the delimiter and the quotes.")
MOST_ROWS_DIFFER = N_("{count} rows have a different number of fields from the header's {m} (the "
                      "first, row {row}, has {n}); check the delimiter, or save the sheet again as "
                      "CSV.")
QUOTE_IN_FIELD = N_("a quote in the middle of a field; quote the whole field (\"...\") or remove "
                    "the quote")
TEXT_AFTER_QUOTE = N_("a quoted field goes on after its closing quote; inside a quoted field write "
                      "a quote twice (\"\")")
QUOTE_NOT_CLOSED = N_("a quote that is never closed")
KIND_WORDS = (N_("items"), N_("milestones"), N_("updates"))       # the {kind} of a message
SIZE_UNITS = {"MB": N_("MB"), "KB": N_("KB"), "bytes": N_("bytes")}

TEMPLATES = (EMPTY_DATE, BAD_DATE_FORM, NOT_A_DATE, DATE_OUT_OF_RANGE, EMPTY_PERCENT,
             NOT_A_PERCENT, PERCENT_OUT_OF_RANGE, EMPTY_STATUS, NOT_A_STATUS, NOT_A_WEIGHT,
             EMPTY_TEXT, AMBIGUOUS_DATES, EXTRA_CELLS, FRACTIONS_WARNING, DUPLICATES_IGNORED,
             MORE_DUPLICATES_IGNORED, SAME_KEY, DUE_BEFORE_START, NO_DATA_ROWS, UNKNOWN_ITEM,
             UNKNOWN_ITEM_CLOSE, UNKNOWN_PARTY, JOINT_ITEM, TWO_COLUMNS, NO_HEADER, NOT_IMPORTED,
             REQUIRED_MISSING, NO_SUCH_COLUMN, LINE_TOO_LONG, WRONG_FIELD_COUNT, CELL_TOO_LONG,
             PAST_WIDEST_SHEET, IMPORTED, IMPORTED_SOME, ALREADY_IMPORTED, REFUSED_HEADER,
             REFUSED_EMPTY, REFUSED_ROWS, EMPTY_FILE, TOO_BIG, OLD_EXCEL, NOT_A_WORKBOOK,
             BAD_UTF16, BINARY, BAD_UTF8_BYTE, BAD_UTF8, NO_HEADER_ROW, BAD_DELIMITER,
             DAMAGED_ZIP, TOO_MANY_PARTS, EXPANDS_TO, PART_RATIO, ZIP_NOT_WORKBOOK,
             PART_UNREADABLE, EXPANDS_BEYOND, XML_ENTITIES, NO_SUCH_SHEET, NO_DEFUSEDXML,
             WORKBOOK_UNREADABLE, SHEET_UNREADABLE, SHEET_HEADER_TOO_WIDE, EMPTY_SHEET,
             HEADER_TOO_WIDE, HEADER_TOO_LONG, TOO_MANY_QUOTE_ERRORS, MOST_ROWS_DIFFER,
             QUOTE_IN_FIELD, TEXT_AFTER_QUOTE, QUOTE_NOT_CLOSED)
QUOTED = N_("'{name}'")                         # a column named in a list of columns
_FIELD = {"column": r"[a-z_]+", "n": r"[\d,]+", "row": r"\d+", "more": r"[\d,]+",
          "count": r"[\d,]+",
          "m": r"[\d,]+", "id": r"\d+", "rejected": r"[\d,]+", "kind": "items|milestones|updates",
          "size": r"[\d.]+ (?:MB|KB|bytes)", "max": r"[\d.]+ (?:MB|KB|bytes)",
          "when": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "rows": r"[\d, ]+", "date": r"\d{4}-\d{2}-\d{2}", "date2": r"\d{4}-\d{2}-\d{2}",
          "form": f"{re.escape(DAY_FIRST)}|{re.escape(MONTH_FIRST)}",
          "examples": re.escape(DATE_EXAMPLES), "statuses": re.escape(ACCEPTED_STATUS_TEXT),
          "columns": r"[a-z_]+(?:, [a-z_]+)*(?: and [a-z_]+)?"}
_FIXED = ("form", "examples", "statuses", "kind")   # values that are words of their own


def sql_literal(text: str) -> str:
    """'it''s' for it's: a Python string as a DuckDB string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def sql_message(template: str, **values: str) -> str:
    """The DuckDB expression writing `template`, each {name} replaced by the SQL expression
    `values[name]` (a constant goes through `sql_literal`)."""
    pieces = re.split(r"\{(\w+)\}", template)
    parts = [sql_literal(piece) if i % 2 == 0 else f"({values[piece]})"
             for i, piece in enumerate(pieces) if i % 2 or piece]
    return " || ".join(parts)


@cache
def _patterns(templates: tuple[str, ...]) -> tuple[tuple[re.Pattern, str], ...]:
    return template_patterns(templates, _FIELD)


def message_in(message, lang: str, templates: tuple[str, ...] = TEMPLATES):
    """The import's English `message` in `lang` ("'120' is outside 0-100; ..." ->
    "« 120 » n'est pas un pourcentage entre 0 et 100 ; ..."), read back by one of `templates`
    (another sheet's, the contacts sheet's, adds its own); unchanged in English, and a message
    no template knows stays as it is."""
    if lang == "en" or not isinstance(message, str) or not message:
        return message
    said = read_back(message, lang, _patterns(templates), _value_in)
    return message if said is None else said


def column_in(column, lang: str):
    """A column of an error as `lang` names it: its field label ('% achevé'), or '(colonne 9,
    sans en-tête)'; anything else (a file's own header) as it is."""
    if not isinstance(column, str):
        return column
    if column in FIELD_LABELS:
        return field_label(column, lang)
    match = re.fullmatch(r"\(column (\d+), no header\)", column)
    if match and lang != "en":
        return translator(lang)(NO_HEADER_COLUMN).format(n=match.group(1))
    return column


def _value_in(key: str, value: str, lang: str) -> str:
    """A value read from an English message, written for `lang`."""
    _ = translator(lang)
    if key in _FIXED:
        return _(value)
    if key == "column":
        return column_in(value, lang)
    if key == "columns":
        names = [_(QUOTED).format(name=column_in(name, lang)) for name in re.split(r", | and ", value)]
        return listed(names, N_("{items} and {last}"), lang)
    if key in ("n", "m", "more", "rejected", "count"):
        return format_number(int(value.replace(",", "")), lang)
    if key in ("size", "max"):
        figure, unit = value.split(" ")
        digits = len(figure.partition(".")[2])
        return f"{format_number(float(figure), lang, digits)} {_(SIZE_UNITS[unit])}"
    if key in ("date", "date2"):
        return format_date(date.fromisoformat(value), lang)
    if key == "places":
        return re.sub(r"row (\d+) \(byte (\d+), (0x[0-9A-F]{2})\)", lambda m: _(BAD_BYTE_AT).format(
            row=m.group(1), n=m.group(2), code=m.group(3)), value)
    if key == "names":
        first, sep, last = value.rpartition(" and ")
        return _("{items} and {last}").format(items=first, last=last) if sep else value
    if key == "ids":
        first, sep, last = value.rpartition(" or ")
        return _("{items} or {last}").format(items=first, last=last) if sep else value
    return value


def listed(words: list[str], template: str, lang: str) -> str:
    """'a, b and c' (or the template's French, 'a, b et c')."""
    if len(words) < 2:
        return "".join(words)
    return translator(lang)(template).format(items=", ".join(words[:-1]), last=words[-1])
