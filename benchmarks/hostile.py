"""Hostile sheets of a given size: the shapes that used to stall or crash a check.

Why: checking a sheet must cost time linear in its size whatever its shape. The
test of that (tests/integration/test_bounded_checks.py) and the 50 MB benchmark
(benchmarks/bench_hostile.py) draw the same shapes from here.
"""

from __future__ import annotations

HEADER = b"item_id,as_of,percent_complete,status,note,reported_by,party\n"
ROW = b'CYP-01,2026-11-30,45,green,"a note, with a comma",MHA desk,India\n'


def _fill(unit: bytes, size: int) -> bytes:
    return unit * max(1, (size - len(HEADER)) // len(unit))


SHAPES = {
    "a clean sheet": lambda size: HEADER + _fill(ROW, size),
    "rows of 20,000 commas": lambda size: HEADER + _fill(b"," * 20_000 + b"\n", size),
    "rows of 10,000 values": lambda size: HEADER + _fill(b"x," * 10_000 + b"\n", size),
    "one line": lambda size: HEADER + b"x" * (size - len(HEADER)),
    "one cell of 2 MB per row": lambda size: HEADER + _fill(
        b'CYP-01,2026-11-30,45,green,"' + b"y" * (2 << 20) + b'",A,India\n', size),
    "quotes only": lambda size: HEADER + _fill(b'"' * 999 + b"\n", size),
    "a stray quote in every row": lambda size: HEADER + _fill(
        b'CYP-01,2026-11-30,45,green,a 5" screen,A,India\n', size),
    "a wide header": lambda size: b",".join(b"c%d" % k for k in range(50_000)) + b"\n"
                                  + _fill(b"1\n", size - 400_000),
    "one field per line": lambda size: HEADER + _fill(b"x\n", size),
}


def hostile_sheets(size: int) -> dict[str, bytes]:
    """Each shape as the bytes of a CSV of about `size` bytes."""
    return {name: make(size) for name, make in SHAPES.items()}


def checked(data: bytes) -> str:
    """Check one sheet as the upload page does; 'n row error(s)' or 'refused: ...'."""
    from analytics.ingest import RefusedFileError, read_upload

    try:
        parsed = read_upload(data, "hostile.csv", "updates")
    except RefusedFileError as exc:
        return f"refused: {str(exc)[:60]}"
    return f"{len(parsed.errors)} row error(s), {parsed.rows_read} row(s) read"
