"""Loading the metrics SQL and binding a `ViewContext` to it.

Why: every metric starts from the same two questions asked of DuckDB (which items
pass the filters, and what is each one's latest update as of the date); the SQL
lives in `analytics/sql/metrics_*.sql` and its parameters are bound here, once,
so no query ever has a value pasted into its text. Called by the other modules
of `analytics.metrics`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import resources

import pandas as pd

from analytics.context import ViewContext
from analytics.plans import plan_current_to
from analytics.store import Store


@cache
def query_text(name: str) -> str:
    """The text of `analytics/sql/metrics_<name>.sql`."""
    return resources.files("analytics.sql").joinpath(f"metrics_{name}.sql").read_text("utf-8")


def filter_params(ctx: ViewContext) -> dict:
    """The plan and the item filters as bound parameters ($plan; $domains, $parties, $owners
    as lists): every metrics query starts from view_items($plan, $domains, $parties, $owners)."""
    return {"plan": ctx.plan.id, "domains": list(ctx.filters.domains), "parties": list(ctx.filters.parties),
            "owners": list(ctx.filters.owners)}


def context_params(ctx: ViewContext, as_of: date | None = None) -> dict:
    """Plan, date, filters and health thresholds of `ctx` as named parameters."""
    settings = ctx.settings
    return {"plan": ctx.plan.id, "as_of": as_of or ctx.as_of, **filter_params(ctx),
            "red": float(settings.red_variance_pp), "amber": float(settings.amber_variance_pp),
            "stale": int(settings.stale_days)}


def run(store: Store, name: str, params: dict) -> pd.DataFrame:
    """Run the named metrics query with named parameters, through Arrow."""
    return store.query_df(query_text(name), params)


def used_params(name: str, params: dict) -> dict:
    """Only the parameters that the query names (DuckDB refuses unused ones)."""
    text = query_text(name)
    return {key: value for key, value in params.items() if f"${key}" in text}


_CACHE: OrderedDict = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 256          # a few views of each of a portfolio's plans


def store_state(store: Store, plan_id: int) -> tuple:
    """What identifies the data a query of one plan sees: the file, the connection, the plan,
    its data version and its last upload id. Every write to the plan bumps its version and
    adds an upload (writes to other plans move neither), so an uncommitted what-if upload
    (the ingest preview) never shares a state with the commit that follows it."""
    rows = store.cursor().execute(
        "SELECT (SELECT data_version FROM plans WHERE id = $plan),"
        " (SELECT max(id) FROM uploads WHERE plan_id = $plan)", {"plan": plan_id}).fetchall()
    return (store.path, id(store._connection), plan_id, *rows[0])


def cached(store: Store, plan_id: int, key: tuple,
           compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`compute()` once per store state and key (a small LRU shared by every metric).

    The pages, the exports and the benchmark ask for the same item rows many times
    per view; this makes every metric after the first cost no extra scan. Frames are
    returned as shallow copies (pandas copy-on-write keeps the cached one intact).
    """
    return cached_value(store, plan_id, key, compute).copy(deep=False)


def cached_value(store: Store, plan_id: int, key: tuple, compute: Callable[[], object]) -> object:
    """`compute()` once per store state and key, returned as is: for values nobody mutates
    (frozen dataclasses of numpy arrays, such as a grouping's planned curves)."""
    full_key = (store_state(store, plan_id), key)
    with _CACHE_LOCK:
        if full_key in _CACHE:
            _CACHE.move_to_end(full_key)
            return _CACHE[full_key]
    value = compute()
    with _CACHE_LOCK:
        _CACHE[full_key] = value
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def context_key(ctx: ViewContext, as_of: date | None = None) -> tuple:
    """The parts of a ViewContext a query depends on."""
    settings = ctx.settings
    return (as_of or ctx.as_of, ctx.filters, settings.red_variance_pp,
            settings.amber_variance_pp, settings.stale_days, settings.due_soon_days,
            settings.compliance_window_days)


def data_current_to(store: Store, ctx: ViewContext) -> date | None:
    """The latest as_of among the plan's live reports ("data current to"); None when none."""
    return plan_current_to(store, ctx.plan.id)
