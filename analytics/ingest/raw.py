"""The common shape of a read file: header names plus rows of strings with row numbers.

Why: CSV and Excel sheets are read by different code (`csvread`, `xlsx`) but
mapped, parsed and validated by the same code. Both produce a `RawSheet`:
columns `c0..cN` hold the cell text (never NULL; empty string for an empty
cell) and `row_number` the row a spreadsheet shows (header = row 1). Header
names stay out of the table so they never become SQL identifiers. `errors` are
the rows the reader refused as they stood (a ragged row, a bad quote, a cell over
the size limit): they are not in the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.issues import no_errors


@dataclass
class RawSheet:
    headers: list[str]
    table: pa.Table                      # c0..cN strings + row_number int32
    dialect: dict = field(default_factory=dict)
    errors: pd.DataFrame = field(default_factory=no_errors)   # rows refused as read (left out)

    @property
    def rows(self) -> int:
        return self.table.num_rows


def raw_table(columns: list[list[str]], rows: list[int]) -> pa.Table:
    """Build a RawSheet table from Python lists (the slow, exact readers)."""
    arrays = {f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)}
    arrays["row_number"] = pa.array(rows, pa.int32())
    return pa.table(arrays)


def empty_columns(raw: RawSheet) -> set[int]:
    """Indexes of header-less columns with no value in any row (a trailing delimiter's column)."""
    empty = set()
    present = set(raw.table.column_names)
    for index, header in enumerate(raw.headers):
        name = f"c{index}"
        if header.strip() or name not in present:
            continue
        lengths = pc.utf8_length(pc.utf8_trim_whitespace(raw.table.column(name)))
        if raw.table.num_rows == 0 or pc.max(lengths).as_py() == 0:
            empty.add(index)
    return empty
