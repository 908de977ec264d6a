"""Who reports and whether to believe it: compliance, freshness, reported vs computed, joint items.

Why: in a bilateral plan each side reports its own view. Before a dialogue the
questions are which owners went quiet (freshness), which party reports on time
(compliance), where a reported status is greener than the numbers say, and where
India and Canada report different statuses for the same joint item.
Called by the freshness-and-parties page, `groups.kpis`, exports and reports.

Reporting compliance: among started (start <= D), incomplete (actual < 100) items,
the share with an update whose as_of lies in (D - window, D], window =
settings.compliance_window_days (31: D and the 30 days before it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.context import ViewContext, slugify
from analytics.metrics.groups import group_codes, group_keys
from analytics.metrics.health import greener
from analytics.metrics.items import item_frame
from analytics.metrics.queries import cached, context_key, filter_params, run
from analytics.metrics.schedule import day_numbers
from analytics.plans import JOINT
from analytics.store import Store

COMPLIANCE_COLUMNS = ["group", "eligible", "reported", "compliance"]
FRESHNESS_COLUMNS = ["domain", "owner", "items", "eligible", "never_updated", "days_since_update"]
RVC_COLUMNS = ["item_id", "title", "domain", "owner", "lead_party", "reported_status", "health",
               "reason", "last_update"]


def _eligible(items: pd.DataFrame, ctx: ViewContext) -> pd.Series:
    """Started (start <= D) and incomplete (actual < 100) items."""
    return (items["start_date"] <= ctx.as_of) & (items["actual_pct"] < 100)


def _reported(items: pd.DataFrame, ctx: ViewContext) -> pd.Series:
    """Items whose latest update (as of D) falls in the window, so some update does."""
    # last_update > as_of - window  <=>  days_since_update (= as_of - last_update) < window
    days = items["days_since_update"].to_numpy("float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        reported = days < int(ctx.settings.compliance_window_days)
    return pd.Series(reported, index=items.index)


def compliance_from_items(store: Store, ctx: ViewContext, items: pd.DataFrame) -> float | None:
    """Overall reporting compliance (0..1), None when no item is started and incomplete."""
    eligible = _eligible(items, ctx)
    if not eligible.any():
        return None
    return float((eligible & _reported(items, ctx)).sum() / eligible.sum())


def reporting_compliance(store: Store, ctx: ViewContext, by: str = "party") -> pd.DataFrame:
    """group, eligible, reported, compliance (None when nothing is eligible)."""
    items = item_frame(store, ctx)
    if items.empty:
        return pd.DataFrame({column: [] for column in COMPLIANCE_COLUMNS})
    if by == "party":
        return _compliance_by_party(store, ctx, items)
    eligible = _eligible(items, ctx).to_numpy(bool)
    reported = _reported(items, ctx).to_numpy(bool)
    order, codes = group_codes(group_keys(items, by), by)
    counts = np.bincount(codes, weights=eligible, minlength=len(order)).astype("int64")
    done = np.bincount(codes, weights=eligible & reported, minlength=len(order)).astype("int64")
    rows = [{"group": group, "eligible": int(count), "reported": int(hits),
             "compliance": int(hits) / int(count) if count else None}
            for group, count, hits in zip(order, counts, done, strict=True)]
    return pd.DataFrame(rows, columns=COMPLIANCE_COLUMNS)


def _compliance_by_party(store: Store, ctx: ViewContext, items: pd.DataFrame) -> pd.DataFrame:
    """Each party: items it leads (any report counts) plus joint items (its own report counts)."""
    # a party reported on a joint item within (D - window, D] exactly when its latest report
    # as of D (the rows joint_disagreements reads, cached) falls in that window
    latest = party_latest(store, ctx)
    since = int(day_numbers([ctx.as_of])[0]) - int(ctx.settings.compliance_window_days)
    reports = latest.loc[day_numbers(latest["as_of"]) > since, ["item_id", "party"]]
    eligible = _eligible(items, ctx).to_numpy(bool)
    reported = _reported(items, ctx).to_numpy(bool)
    lead = items["lead_party"].to_numpy(object)
    joint = lead == JOINT
    led = eligible & ~joint
    led_size = pd.Series(lead[led]).value_counts()
    led_done = pd.Series(lead[led & reported]).value_counts()
    joint_ids = items["item_id"].to_numpy(object)[eligible & joint]
    in_joint = reports["item_id"].isin(joint_ids).to_numpy(bool)
    # reports are distinct (item_id, party) pairs, so counting rows counts items
    joint_reported = pd.Series(reports["party"].to_numpy(object)[in_joint]).value_counts()
    leads = sorted(set(lead[~joint]), key=str.casefold)
    parties = leads + sorted(set(reports["party"].to_numpy(object)) - set(leads), key=str.casefold)
    rows = []
    for party in parties:
        count = int(led_size.get(party, 0)) + len(joint_ids)
        done = int(led_done.get(party, 0)) + int(joint_reported.get(party, 0))
        rows.append({"group": party, "eligible": count, "reported": done,
                     "compliance": done / count if count else None})
    return pd.DataFrame(rows, columns=COMPLIANCE_COLUMNS)


def freshness(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """Per (domain, owner): days since update, the max over started, incomplete items that
    have an update (None when none has); `never_updated` counts those without any."""
    items = item_frame(store, ctx)
    if items.empty:
        return pd.DataFrame({column: [] for column in FRESHNESS_COLUMNS})
    eligible = _eligible(items, ctx)
    frame = items.assign(
        _eligible=eligible.astype(int),
        _never=(eligible & items["last_update"].isna()).astype(int),
        _days=items["days_since_update"].astype("float64").where(eligible),
    )
    grouped = frame.groupby(["domain_order", "domain", "owner"], sort=True).agg(
        items=("item_id", "size"), eligible=("_eligible", "sum"),
        never_updated=("_never", "sum"), days_since_update=("_days", "max")).reset_index()
    days = grouped["days_since_update"]
    grouped["days_since_update"] = days.astype("Int64").astype(object).where(days.notna(), None)
    return grouped[FRESHNESS_COLUMNS]


def reported_vs_computed(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """Items whose latest reported status sounds greener than their computed health."""
    items = item_frame(store, ctx)
    has_report = items["reported_status"].notna()
    chosen = items[has_report & greener(items["reported_status"], items["health"])]
    return chosen[RVC_COLUMNS].reset_index(drop=True)


def party_latest(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """Each reporting party's latest update (as of D) on each filtered joint item (cached)."""
    return cached(store, ctx.plan.id, ("party_latest", *context_key(ctx)),
                  lambda: run(store, "party_latest", {"as_of": ctx.as_of, **filter_params(ctx)}))


def joint_disagreements(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """Joint items whose parties' latest statuses (as of D) differ: <party>_status, <party>_as_of."""
    latest = party_latest(store, ctx)
    parties = list(dict.fromkeys(latest.sort_values("party_rank", kind="stable")["party"]))
    columns = ["item_id", "title", "domain"]
    for party in parties:
        columns += [f"{_slug(party)}_status", f"{_slug(party)}_as_of"]
    distinct = latest.groupby("item_id", sort=False)["status"].transform("nunique")
    disagree = latest[distinct > 1]
    if disagree.empty:
        return pd.DataFrame({column: [] for column in columns})
    wide = disagree.pivot(index="item_id", columns="party", values=["status", "as_of"])
    frame = disagree.drop_duplicates("item_id")[["item_id", "title", "domain"]].set_index("item_id")
    for party in parties:
        frame[f"{_slug(party)}_status"] = (wide["status"][party] if party in wide["status"]
                                           else None)
        frame[f"{_slug(party)}_as_of"] = wide["as_of"][party] if party in wide["as_of"] else None
    frame = frame.reset_index()[columns].astype(object)
    return frame.where(frame.notna(), None)


def _slug(party: str) -> str:
    return slugify(party).replace("-", "_")
