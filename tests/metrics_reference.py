"""Test support for the metrics engine: plan builders and an independent reference.

Why: "the headline numbers computed a second way". `reference_items` and
`reference_groups` recompute the definitions of analytics/METRICS.md from the raw
tables with plain Python (no SQL windows, no vectorised curves; earned schedule in exact
rational arithmetic), so the engine's SQL and numpy can be compared
with them on the sample plan and on random plans. `build_plan` writes a plan
through `analytics.writes.commit_upload`, the same path real uploads take.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pandas as pd

from analytics.writes import UploadMeta, commit_upload

T0 = datetime(2026, 1, 1, 9)


def build_plan(store, items: list[dict], updates: list[list[dict]] | list[dict] = (),
               milestones: list[list[dict]] | list[dict] = ()) -> list[int]:
    """Commit items, then each batch of updates and milestones (a list of dicts is one batch)."""
    ids = []
    clock = iter(T0 + timedelta(hours=k) for k in range(10_000))
    defaults = {"lead_party": "India", "owner": "Owner A", "domain": "D1", "weight": 1.0,
                "description": None}
    frame = pd.DataFrame([{**defaults, "title": f"Item {row['item_id']}", **row} for row in items])
    ids.append(commit_upload(store, frame, UploadMeta("items", "items.csv", "test",
                                                      uploaded_at=next(clock))))
    leads = dict(zip(frame["item_id"], frame["lead_party"], strict=True))
    for kind, batches in (("updates", updates), ("milestones", milestones)):
        if batches and isinstance(batches[0], dict):
            batches = [batches]
        for batch in batches:
            # a report names its party; as an upload would, an item led by one party gets it
            rows = [({"status": "green", "note": None, "reported_by": "r", **row,
                      "party": reporting_party(leads, row)}
                     if kind == "updates" else {"title": f"M {row['milestone_id']}",
                                                 "completed_date": None, "baseline_date": None,
                                                 **row})
                    for row in batch]
            ids.append(commit_upload(store, pd.DataFrame(rows),
                                     UploadMeta(kind, f"{kind}.csv", "test", uploaded_at=next(clock))))
    return ids


def reporting_party(leads: dict, row: dict) -> str | None:
    """The row's own party, else the lead party of an item led by one party."""
    if row.get("party"):
        return row["party"]
    lead = leads.get(row["item_id"])
    return lead if lead not in (None, "Joint") else None


# -- the reference implementation ------------------------------------------------

def planned(start: date, due: date, t: float | date) -> float:
    """P(t) of METRICS.md; t may be a date or a fractional day number relative to `start`."""
    if isinstance(t, date):
        t = (t - start).days
    span = (due - start).days
    if t <= 0:
        return 0.0
    if t >= span:
        return 100.0
    return 100 * t / span


def raw_tables(store) -> dict[str, pd.DataFrame]:
    return {name: store.query_df(f"SELECT * FROM {name}")
            for name in ("work_items", "status_updates", "uploads", "milestones")}


def latest_updates(tables, as_of: date) -> dict[str, dict]:
    """item_id -> the report that counts as of the date, with `last_update` (plain Python).

    Each party's latest report (greatest as_of, then upload, then row); a joint item takes the
    lowest percent among them (ties: the latest), any other item the latest, the lead party's
    on a shared date. last_update is the latest as_of among the parties' reports.
    """
    live = set(tables["uploads"].loc[tables["uploads"]["reverted_at"].isna(), "id"])
    leads = dict(zip(tables["work_items"]["item_id"], tables["work_items"]["lead_party"],
                     strict=True))
    best: dict[tuple, tuple] = {}
    for row in tables["status_updates"].to_dict("records"):
        if row["upload_id"] not in live or row["as_of"] > as_of:
            continue
        rank = (row["as_of"], row["upload_id"], -1 if pd.isna(row["row_number"]) else row["row_number"])
        key = (row["item_id"], row["party"] or "")
        if key not in best or rank > best[key][0]:
            best[key] = (rank, row)
    per_item: dict[str, list] = {}
    for (item_id, _), (rank, row) in best.items():
        per_item.setdefault(item_id, []).append((rank, row))
    chosen = {}
    for item_id, reports in per_item.items():
        if leads.get(item_id) == "Joint":
            low = min(row["percent_complete"] for _, row in reports)
            _, row = max((r for r in reports if r[1]["percent_complete"] == low),
                         key=lambda r: r[0])
        else:
            newest = max(rank[0] for rank, _ in reports)
            on_day = [r for r in reports if r[0][0] == newest]
            by_lead = [r for r in on_day if r[1]["party"] == leads.get(item_id)]
            _, row = max(by_lead or on_day, key=lambda r: r[0])
        chosen[item_id] = {**row, "last_update": max(rank[0] for rank, _ in reports)}
    return chosen


def reference_items(store, as_of: date, red=-25.0, amber=-10.0, stale_days=45) -> pd.DataFrame:
    tables = raw_tables(store)
    latest = latest_updates(tables, as_of)
    rows = []
    for item in tables["work_items"].to_dict("records"):
        update = latest.get(item["item_id"])
        actual = float(update["percent_complete"]) if update else 0.0
        plan = planned(item["start_date"], item["due_date"], as_of)
        variance = actual - plan
        overdue = as_of > item["due_date"] and actual < 100
        stale = (item["start_date"] <= as_of and actual < 100
                 and (update is None or (as_of - update["last_update"]).days > stale_days))
        if actual >= 100:
            health = "complete"
        elif as_of < item["start_date"] and actual == 0:
            health = "not_started"
        elif overdue or variance <= red:
            health = "red"
        elif variance <= amber or stale:
            health = "amber"
        else:
            health = "green"
        ms = tables["milestones"][tables["milestones"]["item_id"] == item["item_id"]]
        done = [c is not None and not pd.isna(c) and c <= as_of for c in ms["completed_date"]]
        rows.append({**item, "actual_pct": actual, "planned_pct": plan, "variance_pp": variance,
                     "overdue": overdue, "stale": stale, "health": health,
                     "last_update": update["last_update"] if update else None,
                     "milestones": len(ms), "milestones_done": sum(done)})
    return pd.DataFrame(rows)


def earned_schedule_exact(items: pd.DataFrame) -> Fraction | None:
    """ES in exact rational arithmetic: walk the breakpoints, solve inside the crossing segment.

    EV is the exact weighted mean of the items' actual_pct (the definition, not a float sum).
    """
    weights = [Fraction(w) for w in items["weight"]]
    weight = sum(weights)
    if weight <= 0:
        return None
    ev = sum(w * Fraction(a) for w, a in zip(weights, items["actual_pct"], strict=True)) / weight
    if ev <= 0:
        return Fraction(0)
    start = min(items["start_date"])
    spans = [((s - start).days, (e - start).days) for s, e in zip(items["start_date"],
                                                                   items["due_date"], strict=True)]

    def p(a: int, b: int, t: Fraction, right: bool) -> Fraction:
        if t < a or (t == a and not right) or (t == a == b and not right):
            return Fraction(0)
        if t >= b:
            return Fraction(100)
        return Fraction(100) * (t - a) / (b - a)

    def pv(t: Fraction, right: bool = False) -> Fraction:
        return sum(w * p(a, b, t, right) for w, (a, b) in zip(weights, spans, strict=True)) / weight

    points = sorted({x for span in spans for x in span})
    previous = None
    for b in points:
        b = Fraction(b)
        if previous is not None and pv(previous, right=True) >= ev:
            return previous                       # reached at (just after) the previous point
        if pv(b) >= ev:
            if previous is None:
                return b
            low = pv(previous, right=True)
            return previous + (ev - low) / (pv(b) - low) * (b - previous)
        previous = b
    return previous if pv(previous, right=True) >= ev else None


def earned_schedule_bisection(items: pd.DataFrame, ev: float) -> float | None:
    """Smallest t >= 0 with PV(S + t) >= EV, by bisection on the exact PV (to 1e-10 days)."""
    weight = items["weight"].sum()
    if weight <= 0:
        return None
    if ev <= 0:
        return 0.0
    start = min(items["start_date"])
    rows = list(zip(items["start_date"], items["due_date"], items["weight"], strict=True))

    def pv(t: float) -> float:
        return sum(w * planned(s, e, t - (s - start).days) for s, e, w in rows) / weight

    lo, hi = 0.0, float((max(items["due_date"]) - start).days) + 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if pv(mid) >= ev - 1e-9:
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-10:
            break
    return hi


def reference_group(items: pd.DataFrame, as_of: date, red=-25.0, amber=-10.0, red_spi=0.80,
                    amber_spi=0.95, red_items_share=0.25) -> dict:
    """Group figures of METRICS.md for one group's reference item rows."""
    weight = items["weight"].sum()
    start, finish = min(items["start_date"]), max(items["due_date"])
    result = {"items": len(items), "weight": weight, "planned_finish": finish,
              "planned_start": start}
    any_red = bool((items["health"] == "red").any())
    if weight <= 0:
        health = "not_started" if as_of < start else "amber" if any_red else None
        return {**result, "actual_pct": None, "planned_pct": None, "variance_pp": None,
                "spi_t": None, "sv_t_days": None, "forecast_finish": None, "health": health}
    actual = (items["weight"] * items["actual_pct"]).sum() / weight
    plan = (items["weight"] * items["planned_pct"]).sum() / weight
    es = float(earned_schedule_exact(items))
    elapsed = (as_of - start).days
    spi = es / elapsed if elapsed > 0 else None
    forecast = None
    if spi and actual < 100:
        offset = (finish - start).days / spi
        if abs(offset * 2 - round(offset * 2)) < 1e-7:   # METRICS.md: within 1e-7 of a half day
            offset = round(offset * 2) / 2             # is that half (ES here is a bisection)
        forecast = start + timedelta(days=round(offset))
    red_share = items.loc[items["health"] == "red", "weight"].sum() / weight
    defined = spi is not None
    if actual >= 100:
        health = "complete"
    elif as_of < start:
        health = "not_started"
    elif actual - plan <= red or (defined and spi < red_spi) or red_share >= red_items_share:
        health = "red"
    elif actual - plan <= amber or (defined and spi < amber_spi) or any_red:
        health = "amber"
    else:
        health = "green"
    return {**result, "actual_pct": actual, "planned_pct": plan, "variance_pp": actual - plan,
            "spi_t": spi, "sv_t_days": es - elapsed if elapsed > 0 else None,
            "forecast_finish": forecast, "health": health}
