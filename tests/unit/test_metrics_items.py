"""Item rules of analytics/METRICS.md, one table row per rule and edge case.

Each case builds a one-item plan through commit_upload into a fresh store and
checks the item's row of `item_metrics` as of a date. The item runs 100 days
(2026-01-01 to 2026-04-11) unless a case says otherwise, so planned = days elapsed.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.context import ViewContext
from analytics.metrics import ITEM_COLUMNS, item_metrics
from analytics.writes import revert_upload
from tests.metrics_reference import build_plan

START, DUE = date(2026, 1, 1), date(2026, 4, 11)
ITEM = {"item_id": "X", "start_date": START, "due_date": DUE}


def day(n: int) -> date:
    return date.fromordinal(START.toordinal() + n)


def upd(n: int, pct: float, **extra) -> dict:
    return {"item_id": "X", "as_of": day(n), "percent_complete": pct, **extra}


CASES = [
    # name, item overrides, update batches, as-of day, expected
    ("no updates", {}, [], 20,
     dict(actual_pct=0.0, planned_pct=20.0, health="amber", stale=True, last_update=None,
          reason="amber: 20 pp behind plan; no update yet")),
    ("update after D is ignored", {}, [[upd(25, 50)]], 20,
     dict(actual_pct=0.0, health="amber", last_update=None)),
    ("update on D counts", {}, [[upd(20, 15)]], 20,
     dict(actual_pct=15.0, variance_pp=-5.0, health="green", reason="", stale=False,
          days_since_update=0)),
    ("latest of several", {}, [[upd(5, 5), upd(15, 12), upd(30, 40)]], 20,
     dict(actual_pct=12.0, last_update=day(15), days_since_update=5)),
    ("variance exactly -10 is amber", {}, [[upd(40, 30)]], 40,
     dict(variance_pp=-10.0, health="amber", reason="amber: 10 pp behind plan")),
    ("variance -9.5 is green", {}, [[upd(40, 30.5)]], 40, dict(health="green", reason="")),
    ("variance exactly -25 is red", {}, [[upd(40, 15)]], 40,
     dict(health="red", reason="red: 25 pp behind plan")),
    ("variance -24.5 is amber", {}, [[upd(40, 15.5)]], 40,
     dict(health="amber", reason="amber: 24.5 pp behind plan")),
    ("overdue", {}, [[upd(131, 95)]], 131,
     dict(overdue=True, overdue_days=31, planned_pct=100.0, health="red",
          reason="red: overdue by 31 days")),
    ("overdue, behind and stale", {}, [[upd(70, 50)]], 131,
     dict(overdue=True, overdue_days=31, stale=True, health="red",
          reason="red: overdue by 31 days; 50 pp behind plan; no update for 61 days")),
    ("stale after 46 days", {}, [[upd(10, 60)]], 56,
     dict(stale=True, health="amber", reason="amber: no update for 46 days")),
    ("not stale at 45 days", {}, [[upd(10, 60)]], 55, dict(stale=False, health="green")),
    ("complete past due", {}, [[upd(90, 100)]], 200,
     dict(health="complete", overdue=False, overdue_days=0, stale=False,
          reason="complete: reported 100% complete")),
    ("D before start", {"start_date": day(10)}, [], 5,
     dict(planned_pct=0.0, health="not_started", stale=False,
          reason="not_started: starts on 2026-01-11")),
    ("early progress before start", {"start_date": day(10)}, [[upd(3, 10)]], 5,
     dict(actual_pct=10.0, variance_pp=10.0, health="green")),
    ("due = start, on the day", {"start_date": day(20), "due_date": day(20)}, [], 20,
     dict(planned_pct=0.0, overdue=False, health="amber", reason="amber: no update yet")),
    ("due = start, the day after", {"start_date": day(20), "due_date": day(20)}, [[upd(21, 0)]], 21,
     dict(planned_pct=100.0, overdue=True, overdue_days=1, health="red",
          reason="red: overdue by 1 day; 100 pp behind plan")),
    ("zero-weight item still rated", {"weight": 0.0}, [[upd(50, 20)]], 50,
     dict(weight=0.0, actual_pct=20.0, variance_pp=-30.0, health="red")),
    ("tie on as_of: later upload wins", {}, [[upd(20, 10)], [upd(20, 30)]], 20,
     dict(actual_pct=30.0)),
    ("tie on as_of within a file: last row wins", {}, [[upd(20, 10), upd(20, 35)]], 20,
     dict(actual_pct=35.0)),
    ("latest report's status and note", {},
     [[upd(10, 5, status="red", note="old", party="India"),
       upd(18, 20, status="complete", note="new", party="Canada", reported_by="Ann")]], 20,
     dict(reported_status="complete", note="new", party="Canada", reported_by="Ann")),
]


@pytest.mark.parametrize(("overrides", "batches", "as_of", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_item_rule(fresh_store, overrides, batches, as_of, expected):
    build_plan(fresh_store, [{**ITEM, **overrides}], batches)
    row = item_metrics(fresh_store, ViewContext(as_of=day(as_of))).iloc[0].to_dict()
    for column, value in expected.items():
        got = row[column]
        if value is None:
            assert got is None or got != got, column           # None or NaN/NA
        else:
            assert got == value, (column, got, value)


def test_reverted_upload_does_not_count(fresh_store):
    ids = build_plan(fresh_store, [ITEM], [[upd(10, 10)], [upd(20, 80)]])
    ctx = ViewContext(as_of=day(20))
    assert item_metrics(fresh_store, ctx).iloc[0]["actual_pct"] == 80.0
    revert_upload(fresh_store, ids[-1], by="test")
    row = item_metrics(fresh_store, ctx).iloc[0]
    assert (row["actual_pct"], row["last_update"]) == (10.0, day(10))


def test_reverted_tie_falls_back_to_earlier_upload(fresh_store):
    ids = build_plan(fresh_store, [ITEM], [[upd(20, 10)], [upd(20, 30)]])
    revert_upload(fresh_store, ids[-1], by="test")
    assert item_metrics(fresh_store, ViewContext(as_of=day(20))).iloc[0]["actual_pct"] == 10.0


def test_empty_store_gives_empty_frame_with_columns(fresh_store):
    frame = item_metrics(fresh_store, ViewContext(as_of=day(0)))
    assert frame.empty and list(frame.columns) == ITEM_COLUMNS


def test_milestone_counts_per_item(fresh_store):
    milestones = [
        {"milestone_id": "M1", "item_id": "X", "due_date": day(10), "completed_date": day(8)},
        {"milestone_id": "M2", "item_id": "X", "due_date": day(15)},
        {"milestone_id": "M3", "item_id": "X", "due_date": day(40), "completed_date": day(45)},
    ]
    build_plan(fresh_store, [ITEM], [], [milestones,
               [{"milestone_id": "M2", "item_id": "X", "due_date": day(25)}]])
    row = item_metrics(fresh_store, ViewContext(as_of=day(20))).iloc[0]
    # M1 done; M2 re-planned from day 15 to day 25 (slipped 10, not yet overdue); M3 open
    assert (row["milestones"], row["milestones_done"], row["milestones_overdue"],
            row["milestones_slipped"]) == (3, 1, 0, 1)
    later = item_metrics(fresh_store, ViewContext(as_of=day(50))).iloc[0]
    # M2 overdue; M3 done 5 days late -> slipped
    assert (later["milestones_done"], later["milestones_overdue"],
            later["milestones_slipped"]) == (2, 1, 2)


@pytest.mark.parametrize(("domains", "parties", "owners", "expected"), [
    ((), (), (), ["A", "B", "C"]),
    (("D1",), (), (), ["A", "B"]),
    ((), ("Canada",), (), ["B", "C"]),
    (("D1",), ("Canada",), ("Owner B",), ["B"]),
    (("nowhere",), (), (), []),
])
def test_filters_restrict_items(fresh_store, domains, parties, owners, expected):
    from analytics.context import Filters

    build_plan(fresh_store, [
        {**ITEM, "item_id": "A"},
        {**ITEM, "item_id": "B", "lead_party": "Canada", "owner": "Owner B"},
        {**ITEM, "item_id": "C", "domain": "D2", "lead_party": "Canada"},
    ])
    ctx = ViewContext(as_of=day(20), filters=Filters(domains, parties, owners))
    assert list(item_metrics(fresh_store, ctx)["item_id"]) == expected
