"""What changed between two dates: health, progress, milestones, overdue items, notes.

Why: before a bilateral dialogue the question is "what moved since last time?".
Both dates are computed with the same item and milestone queries (so a change is
never an artefact of two definitions) and the differences taken in pandas.
Called by the what-changed page, the briefing pack and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.metrics.history import update_history
from analytics.metrics.items import item_frame
from analytics.metrics.milestones import milestone_frame
from analytics.store import Store


@dataclass(frozen=True)
class Comparison:
    """The differences between `since` and `as_of` (each a DataFrame, possibly empty)."""

    since: date
    as_of: date
    health_changes: pd.DataFrame     # item_id, title, domain, health_before, health_after, reason_after
    progress_deltas: pd.DataFrame    # item_id, title, domain, actual_before, actual_after, delta_pp
    milestones_done: pd.DataFrame    # milestone_id, item_id, title, domain, completed_date
    milestones_slipped: pd.DataFrame  # milestone_id, item_id, title, domain, due_date, baseline_date, slip_before, slip_after
    newly_overdue: pd.DataFrame      # item_id, title, domain, due_date, overdue_days, reason
    new_notes: pd.DataFrame          # item_id, title, as_of, party, status, note


def compare_dates(store: Store, ctx: ViewContext, since: date) -> Comparison:
    """Items and milestones that changed between `since` and ctx.as_of (since < as_of)."""
    if since >= ctx.as_of:
        raise UsageError(f"The earlier date {since} must be before the as-of date {ctx.as_of}.")
    before, after = item_frame(store, ctx, as_of=since), item_frame(store, ctx)
    items = after.merge(before[["item_id", "health", "actual_pct", "overdue"]], on="item_id",
                        how="left", suffixes=("", "_before"))
    changed = items[items["health"] != items["health_before"]]
    moved = items[items["actual_pct"] != items["actual_pct_before"]]
    overdue = items[items["overdue"] & ~items["overdue_before"].fillna(False).astype(bool)]
    notes = update_history(store, ctx, since=since)
    notes = notes[notes["note"].notna() & (notes["note"].astype(str).str.strip() != "")]
    return Comparison(
        since=since, as_of=ctx.as_of,
        health_changes=_frame(changed.rename(columns={"health": "health_after",
                                                      "reason": "reason_after"}),
                              ["item_id", "title", "domain", "health_before", "health_after",
                               "reason_after"]),
        progress_deltas=_frame(moved.assign(actual_before=moved["actual_pct_before"],
                                            actual_after=moved["actual_pct"],
                                            delta_pp=moved["actual_pct"] - moved["actual_pct_before"]),
                               ["item_id", "title", "domain", "actual_before", "actual_after",
                                "delta_pp"]),
        **_milestone_changes(store, ctx, since),
        newly_overdue=_frame(overdue, ["item_id", "title", "domain", "due_date", "overdue_days",
                                       "reason"]),
        new_notes=_frame(notes, ["item_id", "title", "as_of", "party", "status", "note"]),
    )


def largest_slips(slipped: pd.DataFrame) -> pd.DataFrame:
    """Milestones whose slip grew since the earlier date, most days first (column `moved`)."""
    if slipped.empty:
        return slipped.assign(moved=pd.Series(dtype="float"))
    before = pd.to_numeric(slipped["slip_before"], errors="coerce").fillna(0)
    moved = slipped.assign(moved=pd.to_numeric(slipped["slip_after"], errors="coerce") - before)
    return moved[moved["moved"] > 0].sort_values("moved", ascending=False, kind="stable")


def _milestone_changes(store: Store, ctx: ViewContext, since: date) -> dict[str, pd.DataFrame]:
    before, after = milestone_frame(store, ctx, as_of=since), milestone_frame(store, ctx)
    merged = after.merge(before[["milestone_id", "done", "slip_days", "slipped"]],
                         on="milestone_id", how="left", suffixes=("", "_before"))
    done = merged[merged["done"] & ~merged["done_before"].fillna(False).astype(bool)]
    slipped = merged[merged["slipped"]
                     & (~merged["slipped_before"].fillna(False).astype(bool)
                        | (merged["slip_days"] > merged["slip_days_before"].fillna(0)))]
    slipped = slipped.rename(columns={"slip_days": "slip_after", "slip_days_before": "slip_before"})
    return {
        "milestones_done": _frame(done, ["milestone_id", "item_id", "title", "domain",
                                         "completed_date"]),
        "milestones_slipped": _frame(slipped, ["milestone_id", "item_id", "title", "domain",
                                               "due_date", "baseline_date", "slip_before",
                                               "slip_after"]),
    }


def _frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].reset_index(drop=True)
