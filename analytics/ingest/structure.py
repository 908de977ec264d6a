"""The record structure of a CSV body, checked before any cell is parsed.

Why: a sheet must never shift a value into another column. A row with more or fewer
fields than the header (a stray comma in a note), a quote that opens in the middle
of a field or never closes (which would swallow the rest of the file into one
note), a cell or a line over its size limit: each is a row error naming the row
(and the column where it can), and the row is emptied before the parse, so no other
message about it is guessed from shifted values. The scan costs time linear in the
file: numpy works on the positions of the quote, delimiter and line-end bytes.

Quoting follows RFC 4180: a quote opens a field only at the field's start, a doubled
quote inside a quoted field is a quote, and a closing quote is followed by a
delimiter, a line end or the end of the file. After a quote error the scan resumes
at the line end after the offending quote, so one bad quote costs one row.

Called by `analytics.ingest.csvread` (both readings of a CSV upload).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.ingest import messages as say
from analytics.ingest.issues import RefusedFileError, no_errors
from analytics.settings import Settings

QUOTE, NEWLINE, RETURN = ord('"'), ord("\n"), ord("\r")
BLANK_BYTES = (ord(" "), ord("\t"), RETURN, NEWLINE)
MAX_QUOTE_ERRORS = 100         # then the file is refused whole: it is not CSV as read
MAX_SHAPE_ERRORS = 10_000      # rows with the wrong field count, before the file is refused whole
WINDOW = 1 << 20               # quotes checked at a time while looking for the next bad one
CHUNK = 1 << 22                # positions handled at a time (memory stays well under 1 GB)


@dataclass(frozen=True)
class Limits:
    """Sizes past which a sheet's header, line or cell is refused (settings)."""

    max_columns: int = 200
    max_line_bytes: int = 1 << 20
    max_cell_bytes: int = 32 << 10


def upload_limits() -> Limits:
    """The Limits the settings give (WORKPLAN_MAX_COLUMNS, _LINE_KB, _CELL_KB)."""
    settings = Settings.from_env()
    return Limits(max_columns=settings.max_columns, max_line_bytes=settings.max_line_kb << 10,
                  max_cell_bytes=settings.max_cell_kb << 10)


@dataclass(frozen=True)
class Structure:
    """Row errors (row, column, message, value) and the body with every refused record's
    text removed (line ends kept, so the rows after it keep their numbers)."""

    errors: pd.DataFrame
    cleaned: bytes


@dataclass(frozen=True)
class _Scan:
    data: np.ndarray
    sep: int
    quotes: np.ndarray


def scan(body: bytes, delimiter: str, headers: list[str], limits: Limits) -> Structure:
    """The structure of `body` (UTF-8; `headers` = the header record's fields)."""
    if len(headers) > limits.max_columns:
        raise RefusedFileError(say.HEADER_TOO_WIDE.format(row=1, n=f"{len(headers):,}",
                                                          m=limits.max_columns))
    sep = delimiter.encode("utf-8")
    if len(sep) != 1 or sep[0] in (QUOTE, NEWLINE, RETURN):
        raise RefusedFileError(say.BAD_DELIMITER.format(value=repr(delimiter)))
    data = np.frombuffer(body, dtype=np.uint8)
    s = _Scan(data, sep[0], _positions(data, QUOTE))
    segments, quote_problems = _quoted_segments(s)
    starts, ends, refused_at = _records(s, segments)
    delimiters = _outside_quotes(s, _positions(data, s.sep), segments)
    fields = np.ones(len(starts), dtype=np.int32)
    for low in range(0, len(delimiters), CHUNK):
        fields += np.bincount(_record_of(starts, delimiters[low:low + CHUNK]),
                              minlength=len(starts)).astype(np.int32)
    content = _has_content(s, starts, ends)
    filled = np.flatnonzero(content)
    header = int(filled[0]) if len(filled) else 0
    if ends[header] - starts[header] > limits.max_line_bytes:
        raise RefusedFileError(say.HEADER_TOO_LONG.format(
            row=header + 1, size=_size(ends[header] - starts[header]),
            max=_size(limits.max_line_bytes)))
    refused = np.zeros(len(starts), dtype=bool)
    refused[refused_at] = True
    frames = [_quote_errors(starts, quote_problems, headers)]
    after_header = np.zeros(len(starts), dtype=bool)
    after_header[header + 1:] = True
    checked = ~refused & after_header & content
    blank = ~content & after_header                   # only delimiters: no data
    del content
    too_long = checked & ((ends - starts) > limits.max_line_bytes)
    frames.append(_row_errors(too_long, lambda rows: [
        say.LINE_TOO_LONG.format(row=r + 1, size=_size(ends[r] - starts[r]),
                                 max=_size(limits.max_line_bytes)) for r in rows]))
    checked &= ~too_long
    wrong = checked & (fields != len(headers))
    _refuse_when_most_rows_differ(wrong, fields, len(headers))
    frames.append(_row_errors(wrong, lambda rows: [
        say.WRONG_FIELD_COUNT.format(row=r + 1, n=fields[r], m=len(headers))
        for r in rows]))   # printed as is
    checked &= ~wrong
    big = _cell_errors(starts, ends, delimiters, checked, headers, limits)
    frames.append(big)
    errors = pd.concat([f for f in frames if len(f)] or [no_errors()], ignore_index=True)
    errors["row"] = errors["row"].astype("Int64")
    errors = errors.sort_values("row", kind="stable").reset_index(drop=True)
    emptied = refused | too_long | wrong | blank
    if len(big):
        emptied[big["row"].to_numpy(np.int64) - 1] = True
    return Structure(errors=errors, cleaned=_emptied(body, starts, ends, np.flatnonzero(emptied)))


def _positions(data: np.ndarray, byte: int) -> np.ndarray:
    """Where `byte` occurs, as int32 offsets (found a slice at a time: no int64 copy of a
    50 MB file's worth of positions)."""
    parts = [np.flatnonzero(data[low:low + CHUNK] == byte).astype(np.int32) + np.int32(low)
             for low in range(0, len(data), CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _in_chunks(values: np.ndarray, function) -> np.ndarray:
    """function(values[a:b]) over slices, concatenated (bounds the temporaries' memory)."""
    parts = [function(values[low:low + CHUNK]) for low in range(0, len(values), CHUNK)]
    return np.concatenate(parts) if parts else function(values[:0])


def _quoted_segments(s: _Scan) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, str]]]:
    """Stretches (start, end, index of their first quote) of the body whose quotes pair up,
    refused stretches (start, end, -1) each holding one record with a quote error, and the
    errors as (record start, field index, message)."""
    segments, problems = [], []
    position, size = 0, len(s.data)
    while position < size:
        first = int(np.searchsorted(s.quotes, position))
        problem = _first_quote_problem(s, first, position)
        if problem is None:
            break
        field_start, offending, message = problem
        record_start, column = _record_start(s, first, position, field_start)
        problems.append((record_start, column, message))
        if len(problems) > MAX_QUOTE_ERRORS:
            raise RefusedFileError(say.TOO_MANY_QUOTE_ERRORS.format(n=MAX_QUOTE_ERRORS))
        line_end = _after_next_newline(s.data, offending)
        segments += [(position, record_start, first), (record_start, line_end, -1)]
        position = line_end
    if position < size or not segments:
        segments.append((position, size, int(np.searchsorted(s.quotes, position))))
    return segments, problems


def _first_quote_problem(s: _Scan, first: int, origin: int) -> tuple[int, int, str] | None:
    """(where the bad field starts, the offending quote, message) of the first misplaced quote
    from quote index `first` (counted from there, at `origin`); None when they all pair up."""
    quotes, data = s.quotes, s.data
    bounds = np.array([s.sep, NEWLINE, RETURN], dtype=np.uint8)
    low, window = first, 4096                                # windows grow: a near error is cheap
    while low < len(quotes):
        high = min(low + window + 1, len(quotes))            # one more: who follows the last
        q = quotes[low:high]
        opening = (np.arange(low, high) - first) % 2 == 0
        before = np.where(q > origin, data[np.maximum(q - 1, 0)], NEWLINE)
        after = np.where(q + 1 < len(data), data[np.minimum(q + 1, len(data) - 1)], NEWLINE)
        glued_after = np.r_[q[1:] == q[:-1] + 1, False]
        glued_before = np.r_[low > first and quotes[low - 1] == q[0] - 1, q[1:] == q[:-1] + 1]
        opens_ok = np.isin(before, bounds) | glued_before
        closes_ok = np.isin(after, bounds) | glued_after
        bad = (opening & ~opens_ok) | (~opening & ~closes_ok)
        checked = bad[:window] if high < len(quotes) else bad
        base, low, window = low, low + window, min(window * 8, WINDOW)
        if checked.any():
            hit = int(np.argmax(checked))
            if opening[hit]:
                return int(q[hit]), int(q[hit]), say.QUOTE_IN_FIELD
            return int(quotes[base + hit - 1]), int(q[hit]), say.TEXT_AFTER_QUOTE
    if (len(quotes) - first) % 2:
        return int(quotes[-1]), int(quotes[-1]), say.QUOTE_NOT_CLOSED
    return None


def _record_start(s: _Scan, first: int, origin: int, field_start: int) -> tuple[int, int]:
    """Start of the record holding `field_start` and that field's index, from `origin` on
    (the quotes before it pair up, counted from quote index `first`)."""
    stretch = s.data[origin:field_start]
    newlines = np.flatnonzero(stretch == NEWLINE) + origin
    outside = newlines[(np.searchsorted(s.quotes, newlines) - first) % 2 == 0]
    start = int(outside[-1]) + 1 if len(outside) else origin
    delimiters = np.flatnonzero(s.data[start:field_start] == s.sep) + start
    column = int(np.count_nonzero((np.searchsorted(s.quotes, delimiters) - first) % 2 == 0))
    return start, column


def _after_next_newline(data: np.ndarray, position: int) -> int:
    """Just after the first line end at or after `position` (looked for in growing steps)."""
    step = 4096
    while position < len(data):
        found = np.flatnonzero(data[position:position + step] == NEWLINE)
        if len(found):
            return position + int(found[0]) + 1
        position, step = position + step, step * 2
    return len(data)


def _outside_quotes(s: _Scan, positions: np.ndarray, segments: list[tuple[int, int, int]]
                    ) -> np.ndarray:
    """The positions (delimiters or line ends) outside quoted fields of the paired stretches."""
    good = [(a, b, q) for a, b, q in segments if q >= 0]
    starts = np.array([a for a, _, _ in good], dtype=np.int64)
    ends = np.array([b for _, b, _ in good], dtype=np.int64)
    bases = np.array([q for _, _, q in good], dtype=np.int64)

    def outside(chunk: np.ndarray) -> np.ndarray:
        segment = np.maximum(np.searchsorted(starts, chunk, side="right") - 1, 0)
        inside = (chunk >= starts[segment]) & (chunk < ends[segment])
        parity = (np.searchsorted(s.quotes, chunk) - bases[segment]) % 2
        return chunk[inside & (parity == 0)]

    return _in_chunks(positions, outside)


def _records(s: _Scan, segments: list[tuple[int, int, int]]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end (line end excluded) of every record, and which records were refused.

    A record ends at a line end outside quotes; a refused stretch is one record, ending at
    its last line end. Built straight from the line ends (no copy of 26M cut points).
    """
    size = len(s.data)
    line_ends = _outside_quotes(s, _positions(s.data, NEWLINE), segments)
    refused = np.array([(a, b) for a, b, q in segments if q < 0], dtype=np.int64).reshape(-1, 2)
    closing = refused[:, 1] - 1
    closing = closing[(closing >= 0) & (s.data[np.maximum(closing, 0)] == NEWLINE)]
    if len(closing):                                 # np.unique hashes: 35 s at 26M values
        line_ends = np.sort(np.concatenate([line_ends, closing.astype(line_ends.dtype)]))
    offset = np.int32 if size < 2**31 else np.int64
    starts = np.empty(len(line_ends) + 1, dtype=offset)
    starts[0] = 0
    starts[1:] = line_ends + 1
    ends = np.empty(len(line_ends) + 1, dtype=offset)
    ends[:-1] = line_ends
    ends[-1] = size
    del line_ends
    if len(starts) > 1 and starts[-1] == size:       # nothing after the last line end
        starts, ends = starts[:-1], ends[:-1]
    return starts, ends, np.searchsorted(starts, refused[:, 0])


def _has_content(s: _Scan, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per record, whether some byte is neither blank nor the delimiter (records are contiguous:
    what lies between one's end and the next one's start is its line end). A uint8 maximum
    per record: no wider copy of the body."""
    if not len(s.data):
        return np.zeros(len(starts), dtype=bool)
    is_content = np.ones(256, dtype=np.uint8)
    is_content[[*BLANK_BYTES, s.sep]] = 0
    found = np.maximum.reduceat(is_content[s.data], np.minimum(starts, len(s.data) - 1)) > 0
    found[ends <= starts] = False                    # an empty record sees its neighbour byte
    return found


def _refuse_when_most_rows_differ(wrong: np.ndarray, fields: np.ndarray, expected: int) -> None:
    """More than MAX_SHAPE_ERRORS rows with the wrong number of fields is no sheet with a few
    bad rows but a file read with the wrong delimiter (or no sheet): one sentence, not a
    million row errors."""
    count = int(np.count_nonzero(wrong))
    if count <= MAX_SHAPE_ERRORS:
        return
    first = int(np.argmax(wrong))
    raise RefusedFileError(say.MOST_ROWS_DIFFER.format(count=f"{count:,}", m=expected,
                                                       row=first + 1, n=int(fields[first])))


def _quote_errors(starts: np.ndarray, problems: list[tuple[int, int, str]],
                  headers: list[str]) -> pd.DataFrame:
    rows = [int(np.searchsorted(starts, start)) + 1 for start, _, _ in problems]
    return pd.DataFrame({"row": rows, "column": [_column_name(headers, c) for _, c, _ in problems],
                         "message": [m for _, _, m in problems], "value": [None] * len(rows)})


def _row_errors(mask: np.ndarray, messages) -> pd.DataFrame:
    rows = np.flatnonzero(mask)
    return pd.DataFrame({"row": rows + 1, "column": [None] * len(rows),
                         "message": messages(rows), "value": [None] * len(rows)})


def _record_of(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return (np.searchsorted(starts, positions, side="right") - 1).astype(np.int32)


def _cell_errors(starts, ends, delimiters, checked, headers, limits) -> pd.DataFrame:
    """Cells over the size limit, in the records that passed the other checks (only records
    longer than the limit can hold one, so only their delimiters are looked at)."""
    long_rows = checked & ((ends - starts) > limits.max_cell_bytes)
    if not long_rows.any():
        return no_errors()
    rows = np.flatnonzero(long_rows)
    record = _in_chunks(delimiters, lambda chunk: _record_of(starts, chunk))
    keep = long_rows[record]
    bounds = np.concatenate([starts[rows] - 1, delimiters[keep], ends[rows]])
    owner = np.concatenate([rows, record[keep], rows])
    order = np.lexsort((bounds, owner))
    bounds, owner = bounds[order], owner[order]
    same = owner[1:] == owner[:-1]
    size = bounds[1:] - bounds[:-1] - 1
    column = np.arange(len(owner)) - np.searchsorted(owner, owner)
    over = same & (size > limits.max_cell_bytes)
    at = np.flatnonzero(over)
    return pd.DataFrame({
        "row": owner[at] + 1,
        "column": [_column_name(headers, int(c)) for c in column[at]],
        "message": [say.CELL_TOO_LONG.format(size=_size(n), max=_size(limits.max_cell_bytes))
                    for n in size[at]],
        "value": [None] * len(at)})


def _column_name(headers: list[str], index: int) -> str:
    if index < len(headers) and headers[index].strip():
        return headers[index].strip()
    return say.NO_HEADER_COLUMN.format(n=index + 1)


def _size(count) -> str:
    count = int(count)
    if count >= 1 << 20:
        return f"{count / (1 << 20):.1f} MB"
    if count >= 1 << 10:
        return f"{count / (1 << 10):.0f} KB"
    return f"{count} bytes"


def _emptied(body: bytes, starts: np.ndarray, ends: np.ndarray, rows: np.ndarray) -> bytes:
    """`body` without the text of the given records (their line ends stay)."""
    if not len(rows):
        return body
    change = np.zeros(len(body) + 1, dtype=np.int8)
    np.add.at(change, starts[rows], 1)
    np.add.at(change, ends[rows], -1)
    drop = np.cumsum(change[:-1], dtype=np.int8) > 0
    return np.frombuffer(body, dtype=np.uint8)[~drop].tobytes()
