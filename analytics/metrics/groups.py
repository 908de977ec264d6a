"""Group figures by domain, lead party, owner, item or the whole plan, and the KPI set.

Why: managers read the plan by domain and by party; the overview needs one line
for the whole plan. Group figures are weighted means of the item rows of
`item_metrics` (vectorised pandas over one SQL result), earned schedule comes
from `schedule` (vectorised over every group at once), health from `health`.
Called by the dashboard, the exports, the reports and `workplan metrics`.

A group whose items all weigh 0 has no weighted mean: its actual, planned,
variance, schedule figures and health are empty (None); item figures are defined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.metrics.health import group_health, group_reasons, reasons_in
from analytics.metrics.items import item_frame
from analytics.metrics.queries import cached_value, data_current_to
from analytics.metrics.schedule import (
    Curves,
    day_numbers,
    earned_schedule,
    planned_curves,
    schedule_figures,
    to_dates,
)
from analytics.store import Store

GROUPINGS = ("domain", "party", "owner", "item", "overall")
GROUP_COLUMNS = [
    "group", "items", "weight", "actual_pct", "planned_pct", "variance_pp", "spi_t", "sv_t_days",
    "forecast_finish", "planned_finish", "health", "green", "amber", "red", "complete",
    "not_started", "overdue", "stale", "milestones", "milestones_done", "milestones_overdue",
    "milestones_slipped",
]
EXTRA_COLUMNS = ["planned_start", "reason", "es_days"]
HEALTH_COUNTS = ["green", "amber", "red", "complete", "not_started"]
SUMMED = ["overdue", "stale", "milestones", "milestones_done", "milestones_overdue",
          "milestones_slipped"]


def group_keys(items: pd.DataFrame, by: str) -> pd.Series:
    """The group label of each item row for `by` (rows arrive in domain order)."""
    if by not in GROUPINGS:
        raise UsageError(f"Unknown grouping {by!r}; choose one of {', '.join(GROUPINGS)}.")
    column = {"domain": "domain", "party": "lead_party", "owner": "owner", "item": "item_id"}
    if by == "overall":
        return pd.Series("Overall", index=items.index, dtype=object)
    return items[column[by]].astype(object)


def group_order(items: pd.DataFrame, keys: pd.Series, by: str) -> list:
    """Domains in sort order, items in item order, parties and owners alphabetically."""
    return group_codes(keys, by)[0]


def group_codes(keys: pd.Series, by: str) -> tuple[list, np.ndarray]:
    """(groups in order, each row's group code): first appearance for domains and items
    (rows arrive in domain order), casefolded alphabetical for parties and owners."""
    codes, uniques = pd.factorize(keys.to_numpy(object))
    order = list(uniques)
    if by in ("party", "owner"):
        ranked = sorted(order, key=lambda name: (str(name).casefold(), str(name)))
        position = {name: index for index, name in enumerate(ranked)}
        codes = np.array([position[name] for name in order], dtype="int64")[codes]
        order = ranked
    return order, codes.astype("int64")


@dataclass(frozen=True)
class GroupStructure:
    """What a grouping of the filtered items is, independent of the as-of date: the groups,
    each item's group code, item and group dates (day numbers) and the planned curves."""

    order: list
    codes: np.ndarray
    start_day: np.ndarray
    due_day: np.ndarray
    group_start: np.ndarray
    group_finish: np.ndarray
    curves: Curves


def group_structure(items: pd.DataFrame, by: str) -> GroupStructure:
    """The GroupStructure of item rows (pure; `group_metrics` caches it per store state)."""
    order, codes = group_codes(group_keys(items, by), by)
    n = len(order)
    start_day = day_numbers(items["start_date"])
    due_day = day_numbers(items["due_date"])
    group_start = np.full(n, np.iinfo("int64").max)
    np.minimum.at(group_start, codes, start_day)
    group_finish = np.full(n, np.iinfo("int64").min)
    np.maximum.at(group_finish, codes, due_day)
    curves = planned_curves(codes, start_day, due_day, items["weight"].to_numpy("float64"), n)
    return GroupStructure(order, codes, start_day, due_day, group_start, group_finish, curves)


def cached_structure(store: Store, ctx: ViewContext, items: pd.DataFrame, by: str) -> GroupStructure:
    """group_structure of the filtered items, once per store state, filters and grouping
    (the items, their dates and weights do not change with the as-of date)."""
    return cached_value(store, ctx.plan.id, ("group_structure", by, ctx.filters),
                        lambda: group_structure(items, by))


def group_metrics(store: Store, ctx: ViewContext, by: str = "domain") -> pd.DataFrame:
    """One row per group: GROUP_COLUMNS in that order, then EXTRA_COLUMNS."""
    items = item_frame(store, ctx)
    if items.empty:
        return aggregate(items, by, ctx)
    return aggregate(items, by, ctx, cached_structure(store, ctx, items, by))


def aggregate(items: pd.DataFrame, by: str, ctx: ViewContext,
              structure: GroupStructure | None = None) -> pd.DataFrame:
    """Group figures from item rows (the pure part of `group_metrics`); `structure` is
    group_structure(items, by) when the caller has it cached."""
    group_keys(items.head(0), by)      # an unknown grouping is refused even with no items
    if items.empty:
        return pd.DataFrame({column: [] for column in GROUP_COLUMNS + EXTRA_COLUMNS})
    structure = structure or group_structure(items, by)
    frame = _sums(items, structure.codes, len(structure.order))
    frame.insert(0, "group", structure.order)
    _add_figures(frame, structure, ctx)
    _add_health(frame, red_items_by_group(items, structure.codes, len(structure.order)), ctx)
    return frame[GROUP_COLUMNS + EXTRA_COLUMNS]


def _sums(items: pd.DataFrame, codes: np.ndarray, n: int) -> pd.DataFrame:
    weight = items["weight"].to_numpy("float64")
    sums = {
        "items": np.bincount(codes, minlength=n),
        "weight": np.bincount(codes, weights=weight, minlength=n),
        "_wa": np.bincount(codes, weights=weight * items["actual_pct"].to_numpy("float64"), minlength=n),
        "_wp": np.bincount(codes, weights=weight * items["planned_pct"].to_numpy("float64"), minlength=n),
    }
    health = items["health"].to_numpy(object)
    sums["_red_weight"] = np.bincount(codes, weights=weight * (health == "red"), minlength=n)
    for rating in HEALTH_COUNTS:
        sums[rating] = np.bincount(codes, weights=(health == rating), minlength=n).astype("int64")
    for column in SUMMED:
        values = items[column].to_numpy("float64")
        sums[column] = np.bincount(codes, weights=values, minlength=n).astype("int64")
    return pd.DataFrame(sums)


def _add_figures(frame: pd.DataFrame, structure: GroupStructure, ctx: ViewContext) -> None:
    weighted = frame["weight"].to_numpy() > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        actual = np.where(weighted, frame["_wa"] / np.where(weighted, frame["weight"], 1), np.nan)
        planned = np.where(weighted, frame["_wp"] / np.where(weighted, frame["weight"], 1), np.nan)
    group_start, group_finish = structure.group_start, structure.group_finish
    es = earned_schedule(structure.curves, np.arange(len(frame)), actual)
    as_of_day = int(day_numbers([ctx.as_of])[0])
    figures = schedule_figures(es, group_start, group_finish, as_of_day, actual)
    frame["actual_pct"] = _nullable(actual)
    frame["planned_pct"] = _nullable(planned)
    frame["variance_pp"] = _nullable(actual - planned)
    frame["spi_t"] = _nullable(figures["spi_t"])
    frame["sv_t_days"] = _nullable(figures["sv_t_days"])
    frame["es_days"] = _nullable(es)
    frame["forecast_finish"] = to_dates(figures["forecast_day"])
    frame["planned_finish"] = to_dates(group_finish)
    frame["planned_start"] = to_dates(group_start)
    frame["_before_start"] = as_of_day < group_start
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["_red_share"] = np.where(weighted, frame["_red_weight"] / np.where(weighted, frame["weight"], 1),
                                       np.nan)


def red_items_by_group(items: pd.DataFrame, codes: np.ndarray, n: int) -> list[tuple[str, ...]]:
    """Each group's red items, furthest behind plan first (then by item id), by group code."""
    red = items["health"].to_numpy(object) == "red"
    listed: list[tuple[str, ...]] = [()] * n
    if red.any():
        chosen = pd.DataFrame({"code": codes[red], "item_id": items["item_id"].to_numpy(object)[red],
                               "variance": items["variance_pp"].to_numpy("float64")[red]})
        chosen = chosen.sort_values(["variance", "item_id"], kind="stable")
        for code, members in chosen.groupby("code", sort=False)["item_id"]:
            listed[int(code)] = tuple(members)
    return listed


def _add_health(frame: pd.DataFrame, red_items: list[tuple[str, ...]], ctx: ViewContext) -> None:
    """health and reason of every group by the group rule (analytics/metrics/health.py)."""
    inputs = pd.DataFrame({
        "actual_pct": frame["actual_pct"], "variance_pp": frame["variance_pp"],
        "spi_t": frame["spi_t"], "before_start": frame["_before_start"],
        "planned_start": frame["planned_start"], "planned_finish": frame["planned_finish"],
        "forecast_finish": frame["forecast_finish"], "red_share": frame["_red_share"],
        "red_items": pd.Series(red_items, dtype=object),
    })
    frame["health"] = group_health(inputs, ctx.settings)
    frame["reason"] = reasons_in(group_reasons(inputs, frame["health"], ctx.settings), ctx.lang)


def _nullable(values: np.ndarray) -> pd.Series:
    """Floats with None (not NaN) where undefined, so JSON says null and CSV says nothing."""
    values = np.asarray(values, dtype="float64")
    boxed = values.astype(object)
    boxed[np.isnan(values)] = None
    return pd.Series(boxed, dtype=object)


def kpis(store: Store, ctx: ViewContext) -> dict:
    """The overview's headline figures as one dict (see METRICS_API.md)."""
    from analytics.metrics.milestones import milestone_counts
    from analytics.metrics.parties import compliance_from_items

    items = item_frame(store, ctx)
    overall = (aggregate(items, "overall", ctx, cached_structure(store, ctx, items, "overall"))
               if len(items) else aggregate(items, "overall", ctx))
    row = overall.iloc[0].to_dict() if len(overall) else {}
    counts = items["health"].value_counts()
    milestones = milestone_counts(store, ctx)
    return {
        "as_of": ctx.as_of,
        "data_current_to": data_current_to(store, ctx),
        "items": int(len(items)),
        **{key: row.get(key) for key in ("actual_pct", "planned_pct", "variance_pp", "spi_t",
                                         "sv_t_days", "forecast_finish", "planned_finish")},
        "health": row.get("health"),
        "reason": row.get("reason"),
        "health_counts": {rating: int(counts.get(rating, 0)) for rating in HEALTH_COUNTS},
        "overdue_items": int(items["overdue"].sum()),
        "milestones_due_soon": milestones["due_soon"],
        "milestones_overdue": milestones["overdue"],
        "reporting_compliance": compliance_from_items(store, ctx, items),
    }


