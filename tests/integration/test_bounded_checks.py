"""Checking a sheet costs time linear in its size, whatever its shape.

Each hostile shape of benchmarks/hostile.py (rows of 20,000 commas, one long line,
2 MB cells, nothing but quotes, a stray quote per row, a wide header, one field per
line) is checked at two sizes in this process; four times the bytes must cost well
under sixteen times the time (a quadratic check would). The absolute target, 50 MB
within 30 s and 1 GB, is measured by `python -m benchmarks.bench_hostile` (make bench).
"""

from __future__ import annotations

import time

import pytest

from benchmarks.hostile import SHAPES, checked

SMALL, LARGE = 2 << 20, 8 << 20


def seconds(data: bytes) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        checked(data)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_four_times_the_bytes_costs_far_less_than_sixteen_times_the_time(shape):
    small, large = SHAPES[shape](SMALL)[:SMALL], SHAPES[shape](LARGE)[:LARGE]
    checked(small)                                         # imports and first calls
    ratio = seconds(large) / max(seconds(small), 1e-3)
    assert ratio < 8, f"{shape}: 4x the bytes took {ratio:.1f}x the time"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_ends_in_an_answer_not_a_crash(shape):
    outcome = checked(SHAPES[shape](SMALL)[:SMALL])
    assert outcome.startswith("refused: ") or "row(s) read" in outcome
