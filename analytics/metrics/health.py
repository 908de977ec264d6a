"""Health ratings of groups, their reasons, and how green a reported status is.

Why: a red or amber flag is only useful with its reason ("red: overdue by 31
days"), and the same thresholds must rate an item, a domain and the whole plan.
Item health is computed in SQL (analytics/sql/metrics_items.sql, where the rules
and reasons for items live); this module rates groups from their variance, lists
the palette order, and ranks statuses for "reported greener than computed".
Called by `groups`, `parties`, `compare` and the dashboard (HEALTH_ORDER).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.settings import Settings

HEALTH_ORDER = ["red", "amber", "green", "complete", "not_started"]

# How good a status sounds: lower is greener. A report of "not started" sounds as good as
# "green" (nothing is claimed to be wrong); "complete" is the greenest claim.
GREENNESS = {"complete": 0, "green": 1, "not_started": 1, "amber": 2, "red": 3}


def pp_text(behind: float) -> str:
    """'17' for 17.0, '21.6' for 21.64 (pp figures in reasons)."""
    rounded = round(behind, 1)
    return f"{rounded:.0f}" if rounded == round(rounded) else f"{rounded:.1f}"


def group_health(actual: pd.Series, variance: pd.Series, before_start: pd.Series,
                 settings: Settings) -> pd.Series:
    """complete / not_started / red / amber / green per group (None when actual is undefined)."""
    actual_v = actual.to_numpy("float64", na_value=np.nan)
    variance_v = variance.to_numpy("float64", na_value=np.nan)
    choices = np.select(
        [actual_v >= 100, before_start.to_numpy(bool), np.isnan(actual_v),
         variance_v <= settings.red_variance_pp, variance_v <= settings.amber_variance_pp],
        ["complete", "not_started", "", "red", "amber"], default="green")
    return pd.Series(np.where(choices == "", None, choices), index=actual.index, dtype=object)


def group_reason(health: pd.Series, variance: pd.Series, planned_start: pd.Series) -> pd.Series:
    """'red: 30 pp behind plan', 'not_started: starts on 2026-12-01', '' when green."""
    reasons = pd.Series("", index=health.index, dtype=object)
    behind = health.isin(["red", "amber"])
    reasons[behind] = [f"{rating}: {pp_text(-var)} pp behind plan"
                       for rating, var in zip(health[behind], variance[behind], strict=True)]
    waiting = health == "not_started"
    reasons[waiting] = [f"not_started: starts on {start.isoformat()}"
                        for start in planned_start[waiting]]
    reasons[health == "complete"] = "complete: every weighted item is complete"
    reasons[health.isna()] = "no weighted items: figures undefined"
    return reasons


def greener(reported: pd.Series, computed: pd.Series) -> pd.Series:
    """True where the reported status sounds better than the computed health."""
    rank_reported = reported.map(GREENNESS)
    rank_computed = computed.map(GREENNESS)
    return (rank_reported < rank_computed).fillna(False).astype(bool)
