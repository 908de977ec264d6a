"""Server-side render time of every dashboard page (AppTest), cold and warm, against a baseline.

Why: issue 4 asks for a benchmark of page render time on the sample plan and
issue 8 for the overview at scale. Absolute seconds depend on the machine, so
each page is also given as a ratio against a baseline measured in the same
process: the first-run page `dashboard.py` shows on an empty database (the
whole Streamlit script machinery, sidebar and auth, with no plan queries).
"Cold" is a page's first render after `st.cache_data` is cleared (fresh
metric queries; for the overview, the default page, the session's first run);
"warm" is the median of five re-runs (cached metrics). Both ratios divide by
the baseline's warm render. The as-of change is a re-render of the overview
after moving the sidebar's as-of date back a week (new cache keys, so real
queries). The machine has two cores shared with other work: expect noise of
tens of milliseconds.

`measure_page_renders(db_path)` is called by `benchmarks.child` (part `pages`,
from `make bench`) and returns the overview keys `benchmarks.run` reads plus a
`pages` list with one row per page.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERVIEW = "pages/overview.py"
WARM_RUNS = 5


def page_paths() -> list[str]:
    """Every page `dashboard.py` registers, in its navigation order ("pages/items.py")."""
    import ast

    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", "") == "PAGES" for t in node.targets))
    return [entry[1] for entry in ast.literal_eval(pages)]


def _app(db_path: Path):
    from streamlit.testing.v1 import AppTest

    os.environ["WORKPLAN_DB"] = str(db_path)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _clear_data_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


def _checked_run(app) -> None:
    app.run()
    if app.exception:
        raise RuntimeError(f"page raised: {app.exception[0].value}")


def _warm_seconds(app) -> float:
    return statistics.median(_timed(lambda: _checked_run(app)) for _ in range(WARM_RUNS))


def render_times(db_path: Path, page: str) -> tuple[dict[str, float], object]:
    """({cold_s, warm_s}, the AppTest) of one page reached from the dashboard.

    The dashboard runs once first (as a visitor's first request does, which also
    registers the navigation), then st.cache_data is cleared and the page is timed.
    The overview is the default page, so its cold run is the first run itself.
    """
    _clear_data_caches()
    app = _app(db_path)
    if page == OVERVIEW:
        cold = _timed(lambda: _checked_run(app))
    else:
        _checked_run(app)
        _clear_data_caches()
        app.switch_page(page)
        cold = _timed(lambda: _checked_run(app))
    return {"cold_s": cold, "warm_s": _warm_seconds(app)}, app


def baseline_times() -> dict[str, float]:
    """The first-run page of an empty database: Streamlit, sign-in and navigation, no plan."""
    from analytics.store import open_store

    with tempfile.TemporaryDirectory() as directory:
        empty = Path(directory) / "empty.duckdb"
        open_store(empty).close()
        _checked_run(_app(empty))  # imports and the store, so the baseline is not the import
        app = _app(empty)
        cold = _timed(lambda: _checked_run(app))
        return {"cold_s": cold, "warm_s": _warm_seconds(app)}


def asof_change_seconds(app) -> float:
    """Warm re-render of the overview after moving the sidebar's as-of date one week back."""
    from pages._shared import ASOF_KEY

    widget = app.date_input(key=ASOF_KEY)
    earlier = widget.value - timedelta(days=7)
    widget.set_value(earlier)
    return _timed(lambda: _checked_run(app))


def measure_page_renders(db_path: Path) -> dict:
    """Overview cold/warm/as-of-change seconds, and each page's seconds and baseline ratios."""
    previous = os.environ.get("WORKPLAN_DB")
    try:
        return _measure(Path(db_path))
    finally:  # the toy benchmark test runs this in the pytest process
        if previous is None:
            os.environ.pop("WORKPLAN_DB", None)
        else:
            os.environ["WORKPLAN_DB"] = previous


def _measure(db_path: Path) -> dict:
    baseline = baseline_times()
    rows, overview = [], None
    for page in page_paths():
        times, app = render_times(db_path, page)
        if page == OVERVIEW:
            overview = {**times, "asof_change_s": asof_change_seconds(app)}
        rows.append({"page": page, **times,
                     "cold_vs_baseline": times["cold_s"] / baseline["warm_s"],
                     "warm_vs_baseline": times["warm_s"] / baseline["warm_s"]})
    if overview is None:
        raise RuntimeError(f"{OVERVIEW} is not among the dashboard's pages {page_paths()}")
    return {"overview_cold_s": overview["cold_s"], "overview_warm_s": overview["warm_s"],
            "asof_change_s": overview["asof_change_s"], "baseline_cold_s": baseline["cold_s"],
            "baseline_warm_s": baseline["warm_s"], "pages": rows}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Render every page of the dashboard with AppTest.")
    parser.add_argument("db_path", type=Path, help="an existing Work-Plan Pulse DuckDB file")
    db = parser.parse_args().db_path
    if not db.is_file():
        parser.error(f"{db} is not a database file")
    result = measure_page_renders(db)
    print(f"baseline (empty database, first-run page): cold {result['baseline_cold_s']:.2f} s, "
          f"warm {result['baseline_warm_s']:.2f} s; as-of change {result['asof_change_s']:.2f} s")
    for row in result["pages"]:
        print(f"{row['page']:<24} cold {row['cold_s']:6.2f} s ({row['cold_vs_baseline']:5.1f}x)"
              f"  warm {row['warm_s']:6.2f} s ({row['warm_vs_baseline']:5.1f}x)")
