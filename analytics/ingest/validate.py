"""Turn a mapped sheet into typed canonical rows plus row errors, in one DuckDB pass per check.

Why: the rules for a good row (values parse, keys are unique, an item's due date
is not before its start, updates and milestones refer to known items) must run
on a million rows at DuckDB speed and report every problem by spreadsheet row
and column. The cells are registered as an Arrow table in a private in-memory
DuckDB with external access off; SQL uses only our canonical column names.

Called by `analytics.ingest.read_upload` (file checks) and `analytics.ingest.commit`
(references re-checked inside the commit's transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest import messages as say
from analytics.ingest import parse
from analytics.ingest.headers import HeaderMapping
from analytics.ingest.issues import combine, error_frame, no_errors
from analytics.ingest.messages import FRACTIONS_WARNING, sql_literal, sql_message
from analytics.ingest.unknown_items import unknown_item_errors
from analytics.writes import COLUMNS

# The natural key of a row: two rows of one file with the same key are one row twice (dropped)
# or a conflict (an error). Two parties may report the same item on the same date.
KEYS = {"items": ["item_id"], "milestones": ["milestone_id"],
        "updates": ["item_id", "as_of", "party"]}
OPTIONAL_KEYS = {"party"}            # may be empty (the party then comes from the sheet or lead)


@dataclass
class Checked:
    text: pa.Table                               # trimmed canonical text + row_number (duplicates dropped)
    errors: pd.DataFrame
    typed_sql: str                               # SELECT list turning `text` into typed columns
    warnings: list[str] = field(default_factory=list)
    date_orders: dict[str, str] = field(default_factory=dict)
    fractions_suspected: bool = False
    duplicates_dropped: int = 0
    rows: int = 0                                # non-blank rows read
    typed: pa.Table | None = None                # typed rows of `text` (same SELECT as typed_sql)


def typed_select(kind: str, orders: dict[str, str], fractions: bool) -> str:
    """'row_number, item_id, <date SQL> AS as_of, ...': the typed canonical columns of `kind`."""
    values = [f"{parse.value_sql(c, t, order=orders.get(c, 'dmy'), fractions=fractions)} AS {c}"
              for c, t in parse.COLUMN_TYPES[kind].items()]
    return ", ".join(["row_number", *values])


def typed_table(text: pa.Table, typed_sql: str) -> pa.Table:
    """The typed rows of `text` as Arrow (for previews and display; commits type in the store)."""
    con = private_connection()
    try:
        con.register("raw", text)
        return con.sql(f"SELECT {typed_sql} FROM raw").to_arrow_table()
    finally:
        con.close()


def private_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that can read registered tables only."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    return con


def canonical_text(raw: pa.Table, mapping: HeaderMapping) -> pa.Table:
    """Trimmed text of each canonical column ('' when unmapped) and row_number; blank rows dropped.

    A column the reader already typed (`csvread.typed_sheet`: dates, numbers) is kept as
    it is; its NULLs are its empty cells.
    """
    arrays, mapped = {}, []
    for column in COLUMNS[mapping.kind]:
        index = mapping.columns.get(column)
        if index is None or f"c{index}" not in raw.column_names:
            arrays[column] = empty_strings(raw.num_rows)
            continue
        cells = raw.column(f"c{index}")
        arrays[column] = _trimmed(cells) if pa.types.is_string(cells.type) else cells
        mapped.append(column)
    arrays["row_number"] = raw.column("row_number")
    table = pa.table(arrays)
    filled = _filled_rows(table, mapped)
    return table if filled is None else table.filter(pa.array(filled))


def empty_strings(n: int) -> pa.Array:
    """n empty strings, built from zeroed offsets (no Python list of a million '')."""
    return pa.StringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, dtype=np.int32)),
                                       pa.py_buffer(b""))


def _filled_rows(table: pa.Table, columns: list[str]) -> np.ndarray | None:
    """Which rows have a value in some column; None when every row has (a blank row is
    empty in the first column too, so that column alone usually settles it)."""
    if not columns or _nonempty(table.column(columns[0])).all():
        return None
    filled = np.zeros(table.num_rows, dtype=bool)
    for column in columns:
        filled |= _nonempty(table.column(column))
    return None if filled.all() else filled


def _nonempty(column: pa.ChunkedArray) -> np.ndarray:
    """Per row: the cell has a value (a non-empty string, a non-NULL typed value)."""
    if not pa.types.is_string(column.type):
        return pc.is_valid(column).to_numpy(zero_copy_only=False)
    parts = [np.diff(_offsets(chunk)) > 0 for chunk in column.chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _offsets(chunk: pa.StringArray) -> np.ndarray:
    return np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]


def _edge_bytes(data: np.ndarray) -> np.ndarray:
    """Per byte: it may begin or end a value needing a trim (an ASCII space or control, or
    any non-ASCII byte, part of a UTF-8 sequence that may be a Unicode space). One uint8
    comparison: bytes 33-127 wrap to 0-94 after subtracting 33, every other byte above."""
    return (data - np.uint8(33)) >= 95


def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The column without surrounding whitespace (NULLs as '').

    Reads the Arrow offsets with numpy: when no value starts or ends with a space,
    tab, newline or a non-ASCII byte (a possible Unicode space) nothing is copied.
    """
    column = pc.fill_null(column, "") if column.null_count else column
    if any(_needs_trim(chunk) for chunk in column.chunks):
        return pc.utf8_trim_whitespace(column)
    return column


def _needs_trim(chunk: pa.StringArray) -> bool:
    """Whether some value of the chunk starts or ends with an edge byte. An empty value
    looks at its neighbours' first and last bytes, which are checked anyway."""
    data = chunk.buffers()[2]
    if data is None or not data.size:
        return False
    edges = _edge_bytes(np.frombuffer(data, dtype=np.uint8))
    if not edges.any():                       # ids, statuses, dates: no space at all
        return False
    offsets = _offsets(chunk).astype(np.intp)
    firsts = edges[np.minimum(offsets[:-1], len(edges) - 1)]
    lasts = edges[np.maximum(offsets[1:] - 1, 0)]
    return bool(firsts.any() or lasts.any())


def extra_cell_errors(raw: pa.Table, headers: list[str]) -> pd.DataFrame:
    """Rows with values beyond the header's last column (a stray delimiter or decimal comma)."""
    present = set(raw.column_names)
    extra = [f"c{i}" for i in range(len(headers), raw.num_columns) if f"c{i}" in present]
    frames = []
    for name in extra:
        text = pc.utf8_trim_whitespace(raw.column(name))
        mask = pc.greater(pc.utf8_length(text), 0)
        if pc.any(mask).as_py():
            rows = pc.filter(raw.column("row_number"), mask).to_pylist()
            values = pc.filter(text, mask).to_pylist()
            frames.append(error_frame([
                {"row": r, "column": say.NO_HEADER_COLUMN.format(n=int(name[1:]) + 1),
                 "message": say.EXTRA_CELLS.format(n=len(headers)), "value": v} for r, v in zip(rows, values, strict=True)]))
    return combine(*frames)


def check_rows(text: pa.Table, kind: str, *, date_order: str = "auto", fractions: bool = False,
               known_items: pa.Table | None = None) -> Checked:
    """Parse and validate canonical text rows; see module docstring.

    The typed values are computed in one parallel pass and kept (without the cell text)
    in table `checked`; error messages are worked out only for files that have errors.
    """
    types = parse.COLUMN_TYPES[kind]
    con = private_connection()
    try:
        con.register("raw", text)
        dates = [c for c, t in types.items() if t in ("date", "optional_date")]
        orders, warnings = parse.date_orders(con, dates, date_order)
        sql = typed_select(kind, orders, fractions)
        originals = ", ".join(f"{c} AS r_{c}" for c in types)
        con.execute(f"CREATE VIEW parsed AS SELECT {originals}, {sql} FROM raw")
        _materialise(con, kind, types, orders)
        bad, suspected, repeated = _scan(con, kind, fractions)
        dropped, dup_errors, dup_warnings = _duplicates(con, kind, repeated)
        errors = [_value_errors(con, types, orders) if bad else no_errors(), dup_errors]
        warnings += dup_warnings
        errors.append(_rule_errors(con, kind))
        if known_items is not None and "item_id" in types and kind != "items" \
                and not _all_known(text.column("item_id"), known_items):
            errors.append(reference_errors(con, known_items))
        typed = _typed_rows(con, text, kind)
        if dropped:
            gone = con.sql("SELECT row_number FROM dropped").to_arrow_table().column(0)
            keep = pc.invert(pc.is_in(text.column("row_number"), value_set=gone))
            text, typed = text.filter(keep), typed.filter(keep)
        if suspected:
            warnings.append(FRACTIONS_WARNING)
        return Checked(text=text, errors=combine(*errors), typed_sql=sql, warnings=warnings,
                       rows=text.num_rows + dropped, date_orders=orders,
                       fractions_suspected=suspected, duplicates_dropped=dropped, typed=typed)
    finally:
        con.close()


TEXT_TYPES = ("id", "text", "optional")


def _computed(types: dict[str, str]) -> list[str]:
    """Columns whose typed value DuckDB computes (dates, numbers, statuses); the others are text."""
    return [c for c, t in types.items() if t not in TEXT_TYPES]


def _typed_rows(con, text: pa.Table, kind: str) -> pa.Table:
    """The typed canonical rows: row_number, computed values from `checked`, and the text
    columns taken from `text` without copying (an optional empty cell becomes NULL).

    Exporting only the small computed columns from DuckDB is what keeps this cheap; the
    rows of `checked` are in the order of `text` (insertion order), which is verified.
    """
    types = parse.COLUMN_TYPES[kind]
    computed = con.sql(f"SELECT {', '.join(['row_number', *_computed(types)])} FROM checked"
                       ).to_arrow_table()
    if not computed.column("row_number").equals(text.column("row_number")):
        computed = computed.sort_by("row_number")
    columns = {"row_number": text.column("row_number")}
    for column, kind_of in types.items():
        if kind_of in ("id", "text"):
            columns[column] = text.column(column)
        elif kind_of == "optional":
            columns[column] = _empty_as_null(text.column(column))
        else:
            columns[column] = computed.column(column)
    return pa.table(columns)


def _empty_as_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The string column with '' as NULL; the data buffers are shared, only a validity
    bitmap is built (from the offsets)."""
    chunks = []
    for chunk in column.chunks:
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        offsets = _offsets(chunk)
        valid = np.diff(offsets) > 0
        if valid.all():
            chunks.append(chunk)
            continue
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        chunks.append(pa.StringArray.from_buffers(len(chunk), pa.py_buffer(offsets),
                                                  chunk.buffers()[2], bitmap))
    return pa.chunked_array(chunks, pa.string())


def _materialise(con, kind: str, types: dict[str, str], orders: dict[str, str]) -> None:
    """Table `checked`, in one parallel pass over the cells: row_number, the computed values,
    e_<column> (the cell is empty), pct_sign (percent written with %), key_hash. No cell
    text is copied; `flagged` (a view) then decides each row's `bad` from these alone."""
    computed = _computed(types)
    empties = [f"r_{c} = '' AS e_{c}" for c, t in types.items() if parse.error_sql(c, t)]
    sign = "contains(r_percent_complete, '%')" if kind == "updates" else "false"
    con.execute(f"CREATE TABLE checked AS SELECT {', '.join(['row_number', *computed, *empties])},"
                f" {sign} AS pct_sign, hash({', '.join(KEYS[kind])}) AS key_hash FROM parsed")
    # An error's presence depends only on emptiness and the typed value, so the error SQL
    # runs on a stand-in text ('' when empty, 'x' otherwise) and the typed columns.
    flags = [parse.error_sql(c, t, order=orders.get(c, "dmy")) for c, t in types.items()]
    any_error = " OR ".join(f"({f}) IS NOT NULL" for f in flags if f) or "false"
    stand_in = ", ".join(f"CASE WHEN e_{c} THEN '' ELSE 'x' END AS r_{c}"
                         for c, t in types.items() if parse.error_sql(c, t))
    con.execute(f"CREATE VIEW flagged AS SELECT *, {any_error} AS bad FROM"
                f" (SELECT *, {stand_in} FROM checked)")


def _scan(con, kind: str, fractions: bool) -> tuple[int, bool, bool]:
    """One pass over `checked`: rows with a value error, whether percents look like
    fractions, and whether some key appears twice (compared by hash; `_duplicates`
    then looks exactly)."""
    pct = "percent_complete IS NOT NULL AND NOT pct_sign"
    if kind == "updates":
        extra = (f", min(percent_complete) FILTER ({pct}), max(percent_complete) FILTER ({pct}),"
                 f" count(*) FILTER ({pct} AND percent_complete > 0 AND percent_complete < 1)")
    else:
        extra = ", NULL, NULL, 0"
    bad, low, high, between, rows, distinct = con.execute(
        f"SELECT count(*) FILTER (bad){extra}, count(*), count(DISTINCT key_hash)"
        " FROM flagged").fetchall()[0]
    suspected = (not fractions and high is not None and low >= 0 and high <= 1 and between > 0)
    return bad, suspected, distinct < rows


def _value_errors(con, types: dict[str, str], orders: dict[str, str]) -> pd.DataFrame:
    parts = []
    for column, kind_of in types.items():
        sql = parse.error_sql(column, kind_of, order=orders.get(column, "dmy"))
        if sql:
            parts.append(f"SELECT row_number AS row, '{column}' AS \"column\", {sql} AS message,"
                         f" r_{column} AS value FROM parsed")
    if not parts:
        return no_errors()
    query = (f"SELECT * FROM ({' UNION ALL '.join(parts)}) WHERE message IS NOT NULL"
             " AND row NOT IN (SELECT row_number FROM dropped)")
    return _frame(con, query)


def _duplicates(con, kind: str, repeated: bool) -> tuple[int, pd.DataFrame, list[str]]:
    """Exact duplicate rows (dropped, with a warning) and same-key rows that differ (errors)."""
    keys = KEYS[kind]
    key_list = ", ".join(keys)
    raw_list = ", ".join(f"r_{c}" for c in parse.COLUMN_TYPES[kind])
    con.execute("CREATE TABLE dropped (row_number INTEGER, same_as INTEGER)")
    if not repeated:
        return 0, no_errors(), []
    con.execute(f"CREATE TABLE dupkeys AS SELECT {key_list} FROM parsed"
                f" GROUP BY ALL HAVING count(*) > 1")
    join = " AND ".join(f"p.{k} IS NOT DISTINCT FROM d.{k}" for k in keys)
    con.execute(
        "CREATE TABLE dupset AS SELECT row_number, first_key, first_same,"
        f" {' AND '.join(f'{k} IS NOT NULL' for k in keys if k not in OPTIONAL_KEYS)}"
        f" AND {keys[0]} <> '' AS key_ok FROM ("
        f" SELECT p.*, min(row_number) OVER (PARTITION BY {key_list}) AS first_key,"
        f"  min(row_number) OVER (PARTITION BY {key_list}, {raw_list}) AS first_same"
        f" FROM parsed AS p SEMI JOIN dupkeys AS d ON {join})")
    con.execute("INSERT INTO dropped SELECT row_number, first_same FROM dupset"
                " WHERE first_same <> row_number")
    dropped = con.execute("SELECT count(*), string_agg(row_number::VARCHAR, ', ' ORDER BY row_number)"
                          " FROM (SELECT * FROM dropped ORDER BY row_number LIMIT 20)").fetchall()[0]
    total = con.execute("SELECT count(*) FROM dropped").fetchall()[0][0]
    warnings = []
    if total:
        more = total - dropped[0]
        template = say.MORE_DUPLICATES_IGNORED if more else say.DUPLICATES_IGNORED
        warnings.append(template.format(n=total, rows=dropped[1], more=more))
    label = ", ".join(keys[:-1]) + " and " + keys[-1] if len(keys) > 1 else keys[0]
    errors = _frame(con,
        f"SELECT row_number AS row, '{keys[0]}' AS \"column\","
        f" {sql_message(say.SAME_KEY, columns=sql_literal(label), row='first_key')}"
        " AS message, NULL::VARCHAR AS value FROM dupset"
        " WHERE key_ok AND first_same = row_number AND first_key <> row_number")
    return total, errors, warnings


def _rule_errors(con, kind: str) -> pd.DataFrame:
    if kind != "items":
        return no_errors()
    return _frame(con,
        "SELECT row_number AS row, 'due_date' AS \"column\","
        f" {sql_message(say.DUE_BEFORE_START, date='due_date', date2='start_date')} AS message,"
        " r_due_date AS value FROM parsed WHERE due_date < start_date"
        " AND row_number NOT IN (SELECT row_number FROM dropped)")


def _all_known(item_ids: pa.ChunkedArray, known_items: pa.Table) -> bool:
    """True when every distinct non-empty id is a known item (rows are then not looked at)."""
    ids = pc.unique(item_ids)
    ids = ids.filter(pc.not_equal(ids, ""))
    return bool(pc.all(pc.is_in(ids, value_set=known_items.column("item_id").combine_chunks())
                       ).as_py() is not False)


def reference_errors(con, known_items: pa.Table) -> pd.DataFrame:
    """Rows whose item_id is not an item of the plan (`known_items` has column item_id), each
    naming the closest known id when one is close (`unknown_items`)."""
    con.register("known_items", known_items)
    try:
        return unknown_item_errors(
            con, "SELECT row_number, item_id FROM parsed"
                 " WHERE row_number NOT IN (SELECT row_number FROM dropped)",
            "SELECT item_id FROM known_items")
    finally:
        con.unregister("known_items")


def _frame(con, query: str) -> pd.DataFrame:
    frame = con.sql(query).to_arrow_table().to_pandas()
    if not len(frame):
        return no_errors()
    frame["row"] = frame["row"].astype("Int64")
    return frame
