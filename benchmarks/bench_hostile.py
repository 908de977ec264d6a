"""`python -m benchmarks.bench_hostile`: check each hostile 50 MB sheet in a fresh process.

Why: issue 13 asks that a 50 MB sheet of any shape is checked or refused within 30 s
and 1 GB of memory. Each shape of benchmarks/hostile.py is written to a file and
checked (`read_upload`, as the upload page does) in its own process, so the peak
memory is that check's alone (`benchmarks.child`); a clean sheet of the same size
is the baseline the ratios are taken against. Writes a markdown table (`--out`).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.child import run_part
from benchmarks.hostile import SHAPES

SIZE = 50 << 20
TARGET_S, TARGET_MB = 30.0, 1024.0


def measure(size: int = SIZE) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, make in SHAPES.items():
            path = Path(folder) / "sheet.csv"
            path.write_bytes(make(size)[:size])
            result = run_part("hostile", csv_path=path)
            rows.append({"shape": name, "mb": path.stat().st_size / (1 << 20), **result})
    return rows


def markdown(rows: list[dict]) -> str:
    base = next(r for r in rows if r["shape"] == "a clean sheet")
    lines = ["| shape | MB | check s | / clean sheet | peak RSS MiB | outcome | within 30 s, 1 GB |",
             "|---|---:|---:|---:|---:|---|---|"]
    for r in rows:
        met = r["seconds"] <= TARGET_S and r["peak_rss_mb"] <= TARGET_MB
        lines.append(f"| {r['shape']} | {r['mb']:.0f} | {r['seconds']:.2f} | "
                     f"{r['seconds'] / base['seconds']:.2f}x | {r['peak_rss_mb']:.0f} | "
                     f"{r['outcome']} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="benchmarks/HOSTILE.md")
    parser.add_argument("--mb", type=int, default=SIZE >> 20)
    args = parser.parse_args()
    rows = measure(args.mb << 20)
    text = ("# Hostile sheets\n\nWritten by `python -m benchmarks.bench_hostile` (part of `make bench`)"
            ": each shape checked in a fresh process.\n\n" + markdown(rows))
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(r["seconds"] <= TARGET_S and r["peak_rss_mb"] <= TARGET_MB for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
