"""Errors and warnings about an uploaded file, in the form a person reads them.

Why: every problem must name the row as the user sees it in a spreadsheet
(header = row 1) and the column, say what was expected, and be downloadable as
a CSV. Row errors are collected in a DataFrame (row, column, message, value) so
a million-row file with many errors stays vectorised; a problem with the file
as a whole raises `RefusedFileError` (exit code 1 in the CLI).

Used by every module of `analytics.ingest`, the CLI and the upload page.
"""

from __future__ import annotations

import pandas as pd

from analytics.errors import WorkplanError
from analytics.i18n import N_, translator
from analytics.ingest.headers import FIELD_LABELS, field_label, normalise
from analytics.ingest.messages import TEMPLATES, column_in, message_in

ERROR_COLUMNS = ["row", "column", "message", "value"]
ERROR_HEADINGS = {"row": N_("Row"), "column": N_("Column"), "message": N_("Problem"),
                  "value": N_("Value in the file")}
# Where an error is, in words: "row 7, column as_of: ..." (French: the column's label).
AT_ROW = N_("row {row}")
AT_COLUMN = N_("column {column}")
AT_PLACE = N_("{where}: {message}")


class RefusedFileError(WorkplanError):
    """The file cannot be imported at all (empty, binary, too large, a bomb, unreadable)."""

    exit_code = 1


class RefusedUploadError(WorkplanError):
    """The file was read but has row errors, so nothing was written (CLI exit 1)."""

    exit_code = 1

    def __init__(self, message: str, errors: pd.DataFrame):
        super().__init__(message)
        self.errors = errors


def no_errors() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series(dtype="Int64"), "column": pd.Series(dtype=object),
                         "message": pd.Series(dtype=object), "value": pd.Series(dtype=object)})


def error_frame(rows: list[dict]) -> pd.DataFrame:
    """A frame of errors from dicts with keys row, column, message, value."""
    if not rows:
        return no_errors()
    frame = pd.DataFrame(rows, columns=ERROR_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def combine(*frames: pd.DataFrame) -> pd.DataFrame:
    """All errors, ordered by row then column."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return no_errors()
    out = pd.concat(frames, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    return out.sort_values(["row", "column"], na_position="first", kind="stable").reset_index(drop=True)


def format_error(row, column, message: str, lang: str = "en",
                 templates: tuple[str, ...] = TEMPLATES) -> str:
    """'row 7, column as_of: message' (the CLI's and the error CSV's wording), in French
    'ligne 7, colonne « En date du » : message' (the message read back by `templates`); a
    message about a whole row that names it ('row 13 has 8 fields; ...') is printed as it is."""
    _ = translator(lang)
    where = []
    if row is not None and not pd.isna(row):
        if (column is None or pd.isna(column)) and message.startswith(f"row {int(row)} "):
            return message_in(message, lang, templates)
        where.append(_(AT_ROW).format(row=int(row)))
    if column is not None and not (isinstance(column, float) and pd.isna(column)):
        where.append(_(AT_COLUMN).format(column=column if lang == "en" else column_in(column, lang)))
    said = message_in(message, lang, templates)
    return _(AT_PLACE).format(where=", ".join(where), message=said) if where else said


def errors_by_field(errors: pd.DataFrame, mapping: dict[str, str | None] | None = None,
                    lang: str = "en", templates: tuple[str, ...] = TEMPLATES) -> pd.DataFrame:
    """The errors with each column named as its field's label, and the file's own header when it
    differs ('% complete (Done so far)'), and each message, in `lang` (read back by `templates`,
    messages.message_in); the page heads them with ERROR_HEADINGS."""
    mapping = mapping or {}

    def where(column) -> object:
        if column not in FIELD_LABELS:
            return column_in(column, lang)
        label, header = field_label(column, lang), mapping.get(column)
        return label if not header or normalise(header) == normalise(label) else f"{label} ({header})"

    out = errors[ERROR_COLUMNS].copy()
    named = {c: where(c) for c in out["column"].dropna().unique()}
    out["column"] = out["column"].map(lambda c: named.get(c, c))
    if lang != "en":
        said = {m: message_in(m, lang, templates) for m in out["message"].dropna().unique()}
        out["message"] = out["message"].map(lambda m: said.get(m, m))
    return out


def readable_errors(errors: pd.DataFrame, mapping: dict[str, str | None] | None = None,
                    lang: str = "en", templates: tuple[str, ...] = TEMPLATES) -> pd.DataFrame:
    """`errors_by_field` headed in words: Row, Column, Problem, Value in the file (in `lang`)."""
    said = translator(lang)
    headings = {column: said(heading) for column, heading in ERROR_HEADINGS.items()}
    return errors_by_field(errors, mapping, lang, templates).rename(columns=headings)


def errors_csv(errors: pd.DataFrame) -> bytes:
    """The downloadable error CSV (UTF-8 with BOM so Excel opens it correctly)."""
    return errors[ERROR_COLUMNS].to_csv(index=False).encode("utf-8-sig")
