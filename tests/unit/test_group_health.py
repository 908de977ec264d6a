"""The group health rule of analytics/METRICS.md: every rule and reason, and its invariants.

Table-driven cases call `group_health` / `group_reasons` on one group's figures;
Hypothesis checks, over random groups and thresholds, that a group with a red
item is never green and that tightening any threshold never makes a group greener.
"""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.metrics.health import GroupFigures, group_health, group_reasons, reason_words
from analytics.settings import Settings

NAN = math.nan
START, FINISH = date(2026, 2, 9), date(2027, 11, 21)
BASE = GroupFigures(actual_pct=50.0, variance_pp=0.0, spi_t=1.0, before_start=False,
                    planned_start=START, planned_finish=FINISH, forecast_finish=FINISH,
                    red_share=0.0, red_items=())


def late(days: int) -> date:
    return FINISH + timedelta(days=days)


def rated(figures: GroupFigures, settings: Settings | None = None) -> tuple[str | None, str]:
    settings = settings or Settings()
    frame = pd.DataFrame([asdict(figures)])
    frame["red_items"] = [figures.red_items]
    health = group_health(frame, settings)
    return health.iloc[0], group_reasons(frame, health, settings).iloc[0]


CASES = [
    ("complete wins over everything", dict(actual_pct=100.0, variance_pp=-40.0, spi_t=0.5),
     "complete", "complete: every weighted item is complete"),
    ("not started before the group's start", dict(before_start=True, actual_pct=0.0, spi_t=NAN,
                                                  forecast_finish=None),
     "not_started", "not_started: starts on 2026-02-09"),
    ("red on variance", dict(variance_pp=-30.0), "red", "red: 30 pp behind plan"),
    ("red on variance at the threshold", dict(variance_pp=-25.0), "red", "red: 25 pp behind plan"),
    ("red on schedule efficiency", dict(spi_t=0.70, forecast_finish=late(275)),
     "red", "red: schedule efficiency 0.70 (forecast 2028-08-22, 275 days late)"),
    ("red on the weight of red items", dict(red_share=0.25, red_items=("CYP-03", "CYP-04")),
     "red", "red: red items carry 25% of the weight (CYP-03, CYP-04)"),
    ("red lists every red condition in order",
     dict(variance_pp=-31.0, spi_t=0.72, forecast_finish=late(256), red_share=0.4,
          red_items=("IMM-02", "IMM-05")),
     "red", "red: 31 pp behind plan; schedule efficiency 0.72 (forecast 2028-08-03, 256 days "
            "late); red items carry 40% of the weight (IMM-02, IMM-05)"),
    ("amber on variance", dict(variance_pp=-10.0), "amber", "amber: 10 pp behind plan"),
    ("amber on schedule efficiency (the 48-days-late headline)",
     dict(variance_pp=-6.0, spi_t=0.91, forecast_finish=late(48)),
     "amber", "amber: schedule efficiency 0.91 (forecast 2028-01-08, 48 days late)"),
    ("amber on one red item", dict(red_share=0.1, red_items=("TOC-02",)),
     "amber", "amber: 1 red item (TOC-02)"),
    ("amber lists every amber condition in order",
     dict(variance_pp=-12.5, spi_t=0.91, forecast_finish=late(40), red_share=0.2,
          red_items=("CYP-03", "CYP-04")),
     "amber", "amber: 12.5 pp behind plan; schedule efficiency 0.91 (forecast 2027-12-31, "
              "40 days late); 2 red items (CYP-03, CYP-04)"),
    ("amber names five red items, then how many more",
     dict(red_share=0.2, red_items=tuple(f"X-{k}" for k in range(7))),
     "amber", "amber: 7 red items (X-0, X-1, X-2, X-3, X-4 and 2 more)"),
    ("spi undefined is no condition", dict(spi_t=NAN, forecast_finish=None),
     "green", "green: on plan"),
    ("spi 0 has no forecast", dict(variance_pp=-5.0, spi_t=0.0, forecast_finish=None),
     "red", "red: schedule efficiency 0.00 (no forecast: nothing earned yet)"),
    ("green on plan", dict(variance_pp=2.0, spi_t=1.05), "green", "green: on plan"),
    ("green names its nearest miss (variance)", dict(variance_pp=-6.0, spi_t=0.99,
                                                     forecast_finish=late(7)),
     "green", "green: 6 pp behind plan, within the amber threshold of 10 pp"),
    ("green names its nearest miss (schedule)", dict(variance_pp=-2.0, spi_t=0.96,
                                                     forecast_finish=late(26)),
     "green", "green: schedule efficiency 0.96 (forecast 2027-12-17, 26 days late), above the "
              "amber threshold of 0.95"),
    ("no weighted items and no red item: no verdict",
     dict(actual_pct=NAN, variance_pp=NAN, spi_t=NAN, forecast_finish=None, red_share=NAN),
     None, "no weighted items: figures undefined"),
    ("no weighted items but a red item: amber",
     dict(actual_pct=NAN, variance_pp=NAN, spi_t=NAN, forecast_finish=None, red_share=NAN,
          red_items=("Z-1",)),
     "amber", "amber: 1 red item (Z-1)"),
]


@pytest.mark.parametrize(("case", "changes", "health", "reason"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_and_its_reason(case, changes, health, reason):
    assert rated(replace(BASE, **changes)) == (health, reason)


def test_thresholds_are_settings():
    figures = replace(BASE, spi_t=0.85, forecast_finish=late(100))
    assert rated(figures)[0] == "amber"
    assert rated(figures, Settings(red_spi=0.9))[0] == "red"
    assert rated(figures, Settings(amber_spi=0.8, red_spi=0.5))[0] == "green"
    shared = replace(BASE, red_share=0.3, red_items=("A",))
    assert rated(shared, Settings(red_share=0.5))[0] == "amber"


def test_reason_words_drop_the_leading_health():
    assert reason_words("amber: 1 red item (A)") == "1 red item (A)"
    assert reason_words("no weighted items: figures undefined") == \
        "no weighted items: figures undefined"
    assert reason_words(None) == ""


RANK = {"green": 0, "amber": 1, "red": 2}
figures = st.builds(
    GroupFigures,
    actual_pct=st.floats(0, 99.9),
    variance_pp=st.floats(-60, 40),
    spi_t=st.one_of(st.just(NAN), st.floats(0, 1.6)),
    before_start=st.just(False),
    planned_start=st.just(START), planned_finish=st.just(FINISH),
    forecast_finish=st.one_of(st.none(), st.dates(FINISH, date(2030, 1, 1))),
    red_share=st.floats(0, 1),
    red_items=st.lists(st.sampled_from(["A", "B", "C"]), max_size=3, unique=True).map(tuple),
).filter(lambda g: (g.red_share > 0) == bool(g.red_items))
thresholds = st.fixed_dictionaries({
    "red_variance_pp": st.floats(-40, -15), "amber_variance_pp": st.floats(-15, 0),
    "red_spi": st.floats(0.5, 0.85), "amber_spi": st.floats(0.85, 1.0),
    "red_share": st.floats(0.05, 1.0),
})


@given(figures, thresholds)
def test_a_group_with_a_red_item_is_never_green(group, limits):
    health, reason = rated(group, Settings(**limits))
    if group.red_items:
        assert health in ("amber", "red")
        if health == "amber" or group.red_share >= limits["red_share"]:   # a condition held
            assert all(item in reason for item in group.red_items)
    assert reason.startswith(f"{health}: ")


@given(figures, thresholds, st.sampled_from(["red_variance_pp", "amber_variance_pp", "red_spi",
                                            "amber_spi", "red_share"]),
       st.floats(0.001, 0.5))
def test_tightening_a_threshold_never_makes_a_group_greener(group, limits, name, step):
    # variance and SPI(t) thresholds are raised; the red share is lowered (a smaller share
    # of red weight then suffices): each asks more of the group
    tighter = dict(limits)
    tighter[name] = limits[name] - step if name == "red_share" else limits[name] + step * (
        20 if name.endswith("_pp") else 1)
    before, _ = rated(group, Settings(**limits))
    after, _ = rated(group, Settings(**tighter))
    assert RANK[after] >= RANK[before]
