"""Loading the metrics SQL and binding a `ViewContext` to it.

Why: every metric starts from the same two questions asked of DuckDB (which items
pass the filters, and what is each one's latest update as of the date); the SQL
lives in `analytics/sql/metrics_*.sql` and its parameters are bound here, once,
so no query ever has a value pasted into its text. Called by the other modules
of `analytics.metrics`.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import pandas as pd

from analytics.context import ViewContext
from analytics.store import Store


@cache
def query_text(name: str) -> str:
    """The text of `analytics/sql/metrics_<name>.sql`."""
    return resources.files("analytics.sql").joinpath(f"metrics_{name}.sql").read_text("utf-8")


def filter_params(ctx: ViewContext) -> dict:
    """The item filters as bound list parameters ($domains, $parties, $owners)."""
    return {"domains": list(ctx.filters.domains), "parties": list(ctx.filters.parties),
            "owners": list(ctx.filters.owners)}


def context_params(ctx: ViewContext, as_of: date | None = None) -> dict:
    """Date, filters and health thresholds of `ctx` as named parameters."""
    settings = ctx.settings
    return {"as_of": as_of or ctx.as_of, **filter_params(ctx),
            "red": float(settings.red_variance_pp), "amber": float(settings.amber_variance_pp),
            "stale": int(settings.stale_days)}


def run(store: Store, name: str, params: dict) -> pd.DataFrame:
    """Run the named metrics query with named parameters, through Arrow."""
    return store.query_df(query_text(name), params)


def used_params(name: str, params: dict) -> dict:
    """Only the parameters that the query names (DuckDB refuses unused ones)."""
    text = query_text(name)
    return {key: value for key, value in params.items() if f"${key}" in text}


def data_current_to(store: Store) -> date | None:
    """The latest as_of among current status updates ("data current to"); None when empty."""
    return store.data_current_to()
