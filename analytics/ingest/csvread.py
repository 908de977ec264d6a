"""Parse CSV bytes into a table with spreadsheet row numbers, in memory.

Why: a million-row status file must parse at DuckDB speed and never touch the
disk (uploads stay in memory; the app's DuckDB is locked down). pyarrow's
multi-threaded CSV reader does the parsing, keeping blank lines as empty rows so
every row keeps the number a spreadsheet shows (quoted newlines included).

Before either reading, `structure.scan` checks every record's shape (fields against
the header, quotes, line and cell sizes); the rows it refuses are emptied and named
in `CsvText.errors`, so no value is ever read into the wrong column.

Two readings of the same `CsvText`:
- `text_sheet`: every cell as a string; if pyarrow still finds an irregular record,
  the csv module reads the file (exact but slower). The careful path
  (`analytics.ingest.read_upload`) always reads this way.
- `typed_sheet`: chosen columns converted by pyarrow itself (ISO dates, plain
  numbers) while it parses, or None as soon as one cell does not convert. The
  one-pass import (`analytics.ingest.optimistic`) tries this first.

Called by `analytics.ingest`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics.ingest.issues import no_errors
from analytics.ingest.raw import RawSheet, raw_table
from analytics.ingest.sniff import detect_delimiter, first_record, header_fields, to_utf8
from analytics.ingest.structure import Limits, scan, upload_limits

BLOCK_SIZE = 1 << 20                # more blocks: both cores parse (measured at 1M rows)


@dataclass(frozen=True)
class CsvText:
    """A CSV upload as UTF-8 bytes, and what was detected about it. `body` has the text of
    every row the structure scan refused removed (line ends kept); `errors` says why."""

    body: bytes
    encoding: str
    delimiter: str
    headers: list[str]
    header_line: int                # 0-based line of the header record (blank lines before it)
    errors: pd.DataFrame = field(default_factory=no_errors)

    @property
    def dialect(self) -> dict:
        return {"format": "csv", "encoding": self.encoding, "delimiter": self.delimiter}

    @property
    def quoted(self) -> bool:
        """Whether any field may be quoted (and so may hold a newline)."""
        return self.body.find(b'"') != -1


def sniff_csv(data: bytes, delimiter: str | None = None, limits: Limits | None = None) -> CsvText:
    """Encoding, delimiter, header and record structure of a CSV upload."""
    body, encoding = to_utf8(data)
    sep = detect_delimiter(body, delimiter)
    line, _ = first_record(body)
    headers = header_fields(body, sep)
    structure = scan(body, sep, headers, limits or upload_limits())
    return CsvText(body=structure.cleaned, encoding=encoding, delimiter=sep, headers=headers,
                   header_line=line, errors=structure.errors)


def read_csv_sheet(data: bytes, delimiter: str | None = None) -> RawSheet:
    """The file's header and rows as strings; see RawSheet."""
    return text_sheet(sniff_csv(data, delimiter))


def text_sheet(text: CsvText) -> RawSheet:
    """Every cell as a string (never NULL), with spreadsheet row numbers."""
    names = [f"c{i}" for i in range(len(text.headers))]
    table = _parse(text, names, {n: pa.string() for n in names})
    table = _exact_parse(text.body, text.delimiter) if table is None else _numbered(table)
    return RawSheet(headers=text.headers, table=table, dialect=text.dialect, errors=text.errors)


def typed_sheet(text: CsvText, types: dict[int, pa.DataType]) -> RawSheet | None:
    """Columns `types` (index -> Arrow type) converted while parsing, or None.

    None when a cell does not convert (a date that is not yyyy-mm-dd, '45%', 'N/A'),
    when a row has more or fewer fields than the header, or when the header is not a
    plain first line. Only the given columns are read; an empty cell of a typed column
    is NULL, of a string column ''.
    """
    first_line = text.body[:text.body.find(b"\n") + 1]
    if text.header_line != 0 or first_line.count(b'"') % 2 or len(text.errors):
        return None                  # a quoted newline in the header, or refused rows
    names = [f"c{i}" for i in range(len(text.headers))]
    table = _parse(text, names, {f"c{i}": t for i, t in types.items()}, skip_header=True)
    if table is None:
        return None
    rows = np.arange(2, table.num_rows + 2, dtype=np.int32)
    table = table.append_column("row_number", pa.array(rows, pa.int32()))
    return RawSheet(headers=text.headers, table=table, dialect=text.dialect)


def _numbered(table: pa.Table) -> pa.Table:
    """Drop the header row (and blank lines before it); add spreadsheet row numbers.

    pyarrow keeps blank lines as all-empty rows (ignore_empty_lines=False), so the
    n-th record is the n-th row: quoted newlines and blank lines keep numbers exact.
    """
    head = table.slice(0, 1000).to_pylist()
    header = next((i for i, row in enumerate(head) if any((v or "").strip() for v in row.values())), 0)
    rows = np.arange(header + 2, table.num_rows + 1, dtype=np.int32)
    return table.slice(header + 1).append_column("row_number", pa.array(rows, pa.int32()))


def _parse(text: CsvText, names: list[str], types: dict[str, pa.DataType], *,
           skip_header: bool = False) -> pa.Table | None:
    """pyarrow's parse of the columns in `types`, or None when a row has a different number
    of fields than the header or a cell does not convert to its type.

    Quoted newlines need pyarrow's slower quote-aware block splitting; a file without a
    single quote character cannot have them, and is split at every newline.
    """
    skipped = []

    def on_invalid(row) -> str:
        skipped.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(text.body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK_SIZE,
                                           skip_rows=1 if skip_header else 0),
            parse_options=pacsv.ParseOptions(delimiter=text.delimiter,
                                             newlines_in_values=text.quoted,
                                             ignore_empty_lines=False, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=list(types), null_values=[""],
                strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=False),
        )
    except pa.ArrowInvalid:
        return None
    if skipped:
        return None
    return table


def _exact_parse(body: bytes, sep: str) -> pa.Table:
    """The csv module's reading of an irregular file: ragged rows padded, blank rows numbered."""
    records = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=sep))
    numbered = [(i, r) for i, r in enumerate(records) if any(f.strip() for f in r)]
    data = numbered[1:]
    width = max((len(r) for _, r in numbered), default=1)
    columns = [[r[c] if c < len(r) else "" for _, r in data] for c in range(width)]
    rows = [i + 1 for i, _ in data]
    return raw_table(columns, rows)
