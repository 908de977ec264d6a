"""Server-side render time of the overview (AppTest): cold, warm, and after an as-of change.

Why: the overview is what every manager opens first, and moving the sidebar's
as-of date is the most common interaction; both must feel instant at 50,000
items. This drives `dashboard.py` (whose default page is the overview) through
`streamlit.testing.v1.AppTest`, so it times the whole script: store, sign-in,
sidebar, header, metrics, charts and tables, but not the browser.

- cold: the first render after `st.cache_data` is cleared, in a process whose
  modules were already imported by a render of an empty database (so import
  time is not counted as rendering);
- warm: the median of re-runs with the caches full;
- as-of change: the median of re-renders after moving the as-of date back one,
  two and three weeks (new cache keys, so the metrics are really recomputed).

Called by `benchmarks.child` (part `overview`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_RUNS = 3


@contextmanager
def _navigation_mode() -> Iterator[None]:
    """Keep AppTest in `st.navigation` mode on every run, as a running server is.

    AppTest resets `PagesManager.uses_pages_directory` before each run, and the
    `pages/` folder would then make a re-run execute a page file on its own
    (legacy multipage mode), skipping dashboard.py; tests/app/conftest.py does
    the same for the app tests. Restored on exit, so an in-process run leaks nothing.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    saved_db = os.environ.get("WORKPLAN_DB")
    try:
        yield
    finally:
        PagesManager.__init__ = original
        if saved_db is None:
            os.environ.pop("WORKPLAN_DB", None)
        else:
            os.environ["WORKPLAN_DB"] = saved_db


def _app(db_path: Path):
    from streamlit.testing.v1 import AppTest

    os.environ["WORKPLAN_DB"] = str(db_path)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)


def _run_checked(app) -> float:
    started = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"the overview raised: {app.exception[0].value}")
    return seconds


def _import_everything() -> None:
    """Render once on an empty database: imports and resource caches, no plan queries."""
    from analytics.store import open_store

    with tempfile.TemporaryDirectory() as directory:
        empty = Path(directory) / "empty.duckdb"
        open_store(empty).close()
        _run_checked(_app(empty))


def measure_overview(db_path: Path) -> dict:
    """Seconds: overview cold, warm, and re-render after an as-of change (warm app)."""
    import streamlit as st

    from pages._shared import ASOF_KEY

    with _navigation_mode():
        _import_everything()
        st.cache_data.clear()
        app = _app(Path(db_path))
        cold = _run_checked(app)
        warm = statistics.median(_run_checked(app) for _ in range(WARM_RUNS))
        latest = app.date_input(key=ASOF_KEY).value
        changes = []
        for weeks in range(1, WARM_RUNS + 1):
            app.date_input(key=ASOF_KEY).set_value(latest - timedelta(weeks=weeks))
            changes.append(_run_checked(app))
    return {"overview_cold_s": cold, "overview_warm_s": warm,
            "asof_change_s": statistics.median(changes), "as_of": latest.isoformat()}
