"""Run one benchmark part in its own process and report its result and peak memory.

Why: "cold" must mean a fresh process (no warm caches, no imported modules left
from an earlier part), and peak memory must be that part's alone. `run_part`
starts `python -m benchmarks.child PART JSON`, reads the one result line the
child prints, and takes the child's peak RSS from `os.wait4`'s rusage (Linux
reports ru_maxrss in KiB). Called by `benchmarks.run`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

MARKER = "BENCH-RESULT "
ROOT = Path(__file__).resolve().parent.parent


class PartFailed(RuntimeError):
    """A benchmark part exited without a result; the message says how."""


def run_part(part: str, **kwargs) -> dict:
    """The part's result dict plus `peak_rss_mb` of the process that ran it."""
    with tempfile.TemporaryFile() as err_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.child", part, json.dumps(kwargs, default=str)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err_file, text=True,
        )
        output = process.stdout.read()
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        stderr = err_file.read().decode(errors="replace")
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if process.returncode != 0 or not lines:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        raise PartFailed(f"{part} exited with code {process.returncode}: {tail}")
    result = json.loads(lines[-1][len(MARKER):])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    return result


def _dispatch(part: str, args: dict) -> dict:
    if part == "hostile":
        import time

        from benchmarks.hostile import checked
        data = Path(args["csv_path"]).read_bytes()
        started = time.perf_counter()
        outcome = checked(data)
        return {"seconds": time.perf_counter() - started, "outcome": outcome}
    if part == "read_csv":
        from benchmarks.baselines import read_csv_into_table
        return read_csv_into_table(Path(args["csv_path"]), Path(args["workdir"]))
    if part == "import":
        from benchmarks.bench_import import side_by_side
        return side_by_side(Path(args["csv_path"]), Path(args["workdir"]), int(args.get("rounds", 3)))
    if part == "metrics":
        from benchmarks.bench_metrics import measure_metrics
        return measure_metrics(Path(args["db_path"]), date.fromisoformat(args["as_of"]))
    if part == "overview":
        from benchmarks.bench_app import measure_overview
        return measure_overview(Path(args["db_path"]))
    if part == "pages":
        from benchmarks.bench_pages import measure_page_renders
        return measure_page_renders(Path(args["db_path"]))
    if part == "browser":
        from benchmarks.bench_browser import measure_first_render
        return measure_first_render(Path(args["db_path"]), Path(args["workdir"]))
    raise SystemExit(f"unknown benchmark part {part!r}")


def main(argv: list[str]) -> int:
    part, args = argv[0], json.loads(argv[1])
    result = _dispatch(part, args)
    sys.stdout.write(MARKER + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
