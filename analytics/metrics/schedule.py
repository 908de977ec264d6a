"""Planned curves and earned schedule, vectorised over every group at once.

Why: a manager asks "how many days ahead or behind are we?", which percentages
cannot answer. Earned schedule (ISO 21508; PMI practice standard) turns the
group's planned curve PV(t) into time: ES is the moment the plan said we would be
where we are now. PV is piecewise linear (breakpoints at item starts and dues),
so ES is found exactly by interpolating inside the segment where PV crosses EV;
no per-item Python loop, so 50,000 items or 50,000 groups cost the same.
Called by `groups` (spi_t, forecast) and `trends` (burn-up, spi_t over time).

Conventions (analytics/METRICS.md): an item whose due date equals its start is
planned 0 % up to and including that day and 100 % after it, so PV may jump at
such a day; ES is then the day of the jump (the smallest t, as an infimum).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

EPOCH = date(1970, 1, 1)
TOLERANCE = 1e-9        # pp: float noise between SQL and numpy sums of the same figures
SNAP_DAYS = 1e-7        # an ES this close to a whole day is that day
HALF_SNAP = 1e-7        # a forecast offset this close to a half day is that half


def day_numbers(values) -> np.ndarray:
    """Dates (datetime.date objects or datetime64) as integer days since 1970-01-01."""
    return pd.to_datetime(pd.Series(values)).to_numpy("datetime64[D]").astype("int64")


def to_date(day: float | int | None) -> date | None:
    return None if day is None or pd.isna(day) else EPOCH + timedelta(days=int(day))


def to_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (NaN = undefined) as an object array of datetime.date / None, vectorised."""
    days = np.asarray(days, dtype="float64")
    stamps = np.where(np.isnan(days), np.iinfo("int64").min, np.nan_to_num(days)).astype("int64")
    return stamps.astype("datetime64[D]").astype(object)


@dataclass(frozen=True)
class Curves:
    """Every group's PV curve: rows sorted by (group code, breakpoint day).

    left[j] is PV at the breakpoint itself, right[j] just after it (they differ only
    where zero-duration items jump); values in percent of the group's weight.
    """

    codes: np.ndarray         # group code per breakpoint row
    days: np.ndarray          # breakpoint day numbers
    left: np.ndarray
    right: np.ndarray
    slope: np.ndarray         # pp per day after the breakpoint
    starts: np.ndarray        # first row of each group (index = group code)
    ends: np.ndarray          # one past the last row of each group
    total_weight: np.ndarray  # per group code


def planned_curves(codes: np.ndarray, start: np.ndarray, due: np.ndarray,
                   weight: np.ndarray, n_groups: int) -> Curves:
    """PV(t) of each group from its items (code, start day, due day, weight)."""
    weight = weight.astype("float64")
    total = np.bincount(codes, weights=weight, minlength=n_groups)
    span = (due - start).astype("float64")
    ramp = span > 0
    rate = np.where(ramp, 100.0 * weight / np.where(ramp, span, 1.0), 0.0)
    events = pd.DataFrame({
        "code": np.concatenate([codes, codes]),
        "day": np.concatenate([start, due]),
        "dslope": np.concatenate([rate, -rate]),
        "jump": np.concatenate([np.where(ramp, 0.0, 100.0 * weight), np.zeros(len(codes))]),
    })
    points = events.groupby(["code", "day"], sort=True).sum().reset_index()
    code = points["code"].to_numpy()
    day = points["day"].to_numpy()
    slope = points.groupby("code")["dslope"].cumsum().to_numpy().copy()
    first = np.r_[True, code[1:] != code[:-1]]
    prev_slope = np.where(first, 0.0, np.r_[0.0, slope[:-1]])
    gap = np.where(first, 0, np.r_[0, np.diff(day)]).astype("float64")
    jump = points["jump"].to_numpy()
    right = pd.Series(prev_slope * gap + jump).groupby(code).cumsum().to_numpy()
    left = right - jump
    starts = np.searchsorted(code, np.arange(n_groups), side="left")
    ends = np.searchsorted(code, np.arange(n_groups), side="right")
    last = np.maximum(ends - 1, 0)
    slope[last[np.bincount(code, minlength=n_groups) > 0]] = 0.0     # flat after the finish
    # PV in percent; dividing by the group's final value (not its summed weight) makes a
    # weighted group end at exactly 100, whatever float noise the slopes accumulated
    end_value = right[last][code] if len(code) else right
    norm = np.where((total[code] > 0) & (end_value > 0),
                    100.0 / np.where(end_value > 0, end_value, 1.0), np.nan)
    return Curves(code, day, left * norm, right * norm, slope * norm, starts, ends, total)


def earned_schedule(curves: Curves, codes: np.ndarray, ev: np.ndarray) -> np.ndarray:
    """ES in days after the group start: smallest t >= 0 with PV(S + t) >= EV (NaN if undefined).

    One (group code, EV) pair per element; exact interpolation inside the segment.
    """
    n = len(codes)
    result = np.full(n, np.nan)
    if not n or not len(curves.days):
        return result
    ev = np.asarray(ev, dtype="float64")
    starts, ends = curves.starts[codes], curves.ends[codes]
    valid = (curves.total_weight[codes] > 0) & ~np.isnan(ev) & (ends > starts)
    target = np.minimum(ev, 100.0) - TOLERANCE
    # first breakpoint (within the group) whose right value reaches EV: rows are sorted and
    # right is non-decreasing within a group, so a per-pair binary search is a bisection
    lo, hi = starts.copy(), ends.copy()
    for _ in range(int(np.ceil(np.log2(max(2, (ends - starts).max() + 1)))) + 1):
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi) // 2
        mid_c = np.clip(mid, 0, len(curves.days) - 1)
        reached = curves.right[mid_c] >= target
        hi = np.where(active & reached, mid, hi)
        lo = np.where(active & ~reached, mid + 1, lo)
    found = np.clip(lo, 0, len(curves.days) - 1)
    group_start = curves.days[np.clip(starts, 0, len(curves.days) - 1)].astype("float64")
    prev = np.clip(found - 1, 0, len(curves.days) - 1)
    has_prev = found > starts
    left, prev_right = curves.left[found], curves.right[prev]
    rise = left - prev_right
    inside = has_prev & (left >= target) & (rise > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.clip((ev - prev_right) / np.where(rise > 0, rise, 1.0), 0.0, 1.0)
    span = curves.days[found] - curves.days[prev]
    at = np.where(inside, curves.days[prev] + fraction * span, curves.days[found])
    # float noise must not move an exact whole day (ties in forecast rounding depend on it)
    whole = np.round(at)
    at = np.where(np.abs(at - whole) < SNAP_DAYS, whole, at)
    es = at - group_start
    es = np.where(ev <= 0, 0.0, es)
    return np.where(valid & (lo < ends), es, np.where(valid & (ev <= 0), 0.0, np.nan))


def schedule_figures(es: np.ndarray, start: np.ndarray, finish: np.ndarray, as_of_day: np.ndarray,
                     actual: np.ndarray) -> dict[str, np.ndarray]:
    """spi_t, sv_t_days and forecast finish (day number) from ES and the group's dates."""
    at = (as_of_day - start).astype("float64")
    defined = (at > 0) & ~np.isnan(es)
    with np.errstate(invalid="ignore", divide="ignore"):
        spi = np.where(defined, es / np.where(at > 0, at, 1.0), np.nan)
        sv = np.where(defined, es - at, np.nan)
        planned_duration = (finish - start).astype("float64")
        forecastable = defined & (spi > 0) & ~(actual >= 100)
        offset = planned_duration / np.where(forecastable, spi, 1.0)
        # float noise in ES (1e-13 days) must not push an exact half across: PD / spi of
        # 12.50000000001 is 12.5, which rounds to even like the exact figure
        halves = np.round(offset * 2)
        offset = np.where(np.abs(offset * 2 - halves) < HALF_SNAP, halves / 2, offset)
        offset = np.round(offset)                                                 # half to even
    forecast = np.where(forecastable, start + offset, np.nan)
    return {"spi_t": spi, "sv_t_days": sv, "forecast_day": forecast}
