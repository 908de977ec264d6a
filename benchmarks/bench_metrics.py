"""Time every metric for every group as of a date, against one DuckDB scan of status_updates.

Why: the dashboard's overview, the exports and the CLI all call `analytics.metrics`;
if the whole set is not a small multiple of the unavoidable scan, the pages
will not be instant at 50,000 items. "Cold" is the first run on a freshly
opened store (new process, empty DuckDB buffers); "warm" is the median of the
next runs on the same store. Called by `benchmarks.child` (part `metrics`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from analytics.context import ViewContext
from analytics.store import Store, open_store
from benchmarks.baselines import one_scan


def metric_suite() -> dict[str, Callable[[Store, ViewContext], object]]:
    """Every metric the pages show, by name: all groups, items, milestones, KPIs."""
    from analytics import metrics

    suite: dict[str, Callable[[Store, ViewContext], object]] = {
        "kpis": metrics.kpis,
        "item_metrics": metrics.item_metrics,
    }
    for by in ("domain", "party", "owner", "item", "overall"):
        suite[f"group_metrics[{by}]"] = lambda store, ctx, by=by: metrics.group_metrics(store, ctx, by)
    suite.update({
        "milestone_metrics": metrics.milestone_metrics,
        "reporting_compliance": metrics.reporting_compliance,
        "freshness": metrics.freshness,
        "joint_disagreements": metrics.joint_disagreements,
        "reported_vs_computed": metrics.reported_vs_computed,
    })
    return suite


def run_suite(store: Store, ctx: ViewContext) -> dict[str, float]:
    """Seconds per metric for one pass over the suite."""
    timings = {}
    for name, compute in metric_suite().items():
        started = time.perf_counter()
        compute(store, ctx)
        timings[name] = time.perf_counter() - started
    return timings


def measure_metrics(db_path: Path, as_of: date, repeats: int = 3) -> dict:
    """Cold, warm and cached seconds of the whole suite, one scan, and their ratio (warm).

    analytics.metrics keeps a small cache per store state and view, so a pass over
    the same view twice measures the cache. Warm passes therefore move the as-of
    date back one week each (as a manager does): DuckDB and the process are warm,
    the figures are recomputed. `metrics_cached_s` is the same view again.
    """
    with open_store(db_path) as store:
        dates = [as_of - timedelta(weeks=k) for k in range(repeats + 1)]
        passes = [run_suite(store, ViewContext(as_of=day)) for day in dates]
        cached = sum(run_suite(store, ViewContext(as_of=as_of)).values())
        scan = one_scan(store.cursor(), as_of, repeats)
    totals = [sum(p.values()) for p in passes]
    warm = statistics.median(totals[1:])
    per_metric = {name: statistics.median(p[name] for p in passes[1:]) for name in passes[0]}
    return {
        "metrics_cold_s": totals[0], "metrics_warm_s": warm, "metrics_cached_s": cached,
        "scan_cold_s": scan["cold_s"], "scan_warm_s": scan["warm_s"],
        "metrics_vs_scan": warm / scan["warm_s"],
        "per_metric_warm_s": per_metric,
    }
