"""The reporting round: periods and due dates, who owes what, each owner's state, worst first.

A tiny plan is built per test in a fresh store (analytics/METRICS.md, "Reporting round");
Hypothesis checks the period rule for any date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.context import Filters, ViewContext
from analytics.errors import UsageError
from analytics.plans import add_plan
from analytics.reporting_round import (
    ROUND_COLUMNS,
    STATES,
    owed_reports,
    owner_party,
    reporting_period,
    reporting_round,
    worst_first,
)
from analytics.settings import Settings
from analytics.writes import UploadMeta, commit_upload

ITEMS = [  # item_id, lead_party, owner, start, due
    ("A-1", "India", "MHA", date(2026, 1, 1), date(2026, 12, 31)),
    ("A-2", "India", "MHA", date(2026, 2, 1), date(2026, 12, 31)),
    ("B-1", "Canada", "RCMP", date(2026, 1, 1), date(2026, 12, 31)),
    ("J-1", "Joint", "NIA", date(2026, 1, 1), date(2026, 12, 31)),
    ("L-1", "Canada", "CBSA", date(2026, 11, 1), date(2027, 6, 30)),   # starts after October
    ("C-1", "India", "CBI", date(2026, 1, 1), date(2026, 12, 31)),     # complete
]


@pytest.fixture
def plan(fresh_store):
    plan = add_plan(fresh_store, "T", title="Test plan", parties=("India", "Canada"), by="t")
    frame = pd.DataFrame([{"item_id": i, "domain": "D", "title": f"Item {i}", "lead_party": lead,
                           "owner": owner, "start_date": s, "due_date": e}
                          for i, lead, owner, s, e in ITEMS])
    commit_upload(fresh_store, frame, UploadMeta("items", "items.csv", "t", plan_id=plan.id))
    return fresh_store, plan


def report(store, plan, rows: list[tuple]) -> None:
    """(item_id, as_of, percent, party) reports, one upload."""
    frame = pd.DataFrame([{"item_id": i, "as_of": d, "percent_complete": pct, "status": "green",
                           "party": party, "reported_by": "x"} for i, d, pct, party in rows])
    commit_upload(store, frame, UploadMeta("updates", "u.csv", "t", plan_id=plan.id))


def ctx_of(plan, as_of: date, **settings) -> ViewContext:
    return ViewContext(as_of=as_of, plan=plan, settings=Settings(**settings))


@pytest.mark.parametrize(("as_of", "kind", "due_day", "start", "end", "due"), [
    (date(2026, 11, 24), "monthly", 5, date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 5)),
    (date(2026, 11, 1), "monthly", 5, date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 5)),
    (date(2026, 10, 31), "monthly", 5, date(2026, 9, 1), date(2026, 9, 30), date(2026, 10, 5)),
    (date(2026, 1, 15), "monthly", 10, date(2025, 12, 1), date(2025, 12, 31), date(2026, 1, 10)),
    (date(2026, 3, 2), "monthly", 31, date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 31)),
    (date(2026, 2, 20), "monthly", 31, date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 28)),
    (date(2026, 11, 24), "quarterly", 5, date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 5)),
    (date(2026, 2, 1), "quarterly", 15, date(2025, 10, 1), date(2025, 12, 31), date(2026, 1, 15)),
])
def test_the_round_is_the_last_complete_period_due_in_the_month_after(as_of, kind, due_day,
                                                                       start, end, due):
    period = reporting_period(as_of, kind, due_day)
    assert (period.start, period.end, period.due) == (start, end, due)


@pytest.mark.parametrize(("kind", "due_day", "message"), [
    ("weekly", 5, "WORKPLAN_REPORT_PERIOD='weekly'"), ("monthly", 0, "WORKPLAN_REPORT_DUE_DAY=0"),
    ("monthly", 32, "WORKPLAN_REPORT_DUE_DAY=32")])
def test_a_bad_setting_is_a_usage_error_naming_it(kind, due_day, message):
    with pytest.raises(UsageError, match=message):
        reporting_period(date(2026, 11, 24), kind, due_day)


def test_labels_say_the_month_or_the_quarter():
    assert reporting_period(date(2026, 11, 24)).label() == "October 2026"
    assert reporting_period(date(2026, 11, 24), "quarterly").label() == "2026 Q3"


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.sampled_from(["monthly", "quarterly"]),
       st.integers(1, 31))
def test_the_period_ends_before_the_date_and_is_due_in_the_month_after(as_of, kind, due_day):
    period = reporting_period(as_of, kind, due_day)
    months = 1 if kind == "monthly" else 3
    assert period.start.day == 1 and period.start <= period.end < as_of
    assert (period.end + timedelta(days=1)).month == (period.start.month + months - 1) % 12 + 1
    assert (as_of - period.end).days <= 31 * months          # the last complete period
    after = period.end + timedelta(days=1)
    assert (period.due.year, period.due.month) == (after.year, after.month)
    assert period.due.day == min(due_day, calendar.monthrange(after.year, after.month)[1])


@pytest.mark.parametrize(("reports", "as_of", "expected"), [
    # nobody reported in October, before the due date: due; after it: overdue by 19 days
    ([], date(2026, 11, 3), {"MHA": ("due", 2, 0), "RCMP": ("due", 1, 0), "NIA": ("due", 1, 0)}),
    ([], date(2026, 11, 24), {"MHA": ("overdue", 2, 0), "RCMP": ("overdue", 1, 0)}),
    # a report dated in the period counts; one before it does not; one after it (<= D) does
    ([("A-1", date(2026, 10, 15), 40, "India"), ("A-2", date(2026, 9, 30), 10, "India")],
     date(2026, 11, 24), {"MHA": ("overdue", 2, 1)}),
    ([("A-1", date(2026, 10, 15), 40, "India"), ("A-2", date(2026, 11, 10), 10, "India")],
     date(2026, 11, 24), {"MHA": ("reported", 2, 2)}),
    # a report dated after D is not seen
    ([("B-1", date(2026, 11, 20), 40, "Canada")], date(2026, 11, 3), {"RCMP": ("due", 1, 0)}),
    # a joint item is owed by both parties: one party's report is not enough
    ([("J-1", date(2026, 10, 20), 40, "India")], date(2026, 11, 24), {"NIA": ("overdue", 1, 0)}),
    ([("J-1", date(2026, 10, 20), 40, "India"), ("J-1", date(2026, 10, 21), 30, "Canada")],
     date(2026, 11, 24), {"NIA": ("reported", 1, 1)}),
    # an item started after the period and a complete item are owed by nobody
    ([], date(2026, 11, 24), {"CBSA": ("not_due", 0, 0), "CBI": ("not_due", 0, 0)}),
])
def test_states_per_owner(plan, reports, as_of, expected):
    store, p = plan
    report(store, p, [("C-1", date(2026, 9, 1), 100, "India"), *reports])
    frame = reporting_round(store, ctx_of(p, as_of)).set_index("owner")
    for owner, (state, owed, done) in expected.items():
        row = frame.loc[owner]
        assert (row["state"], row["items_owed"], row["items_reported"]) == (state, owed, done)
        assert row["days_overdue"] == ((as_of - date(2026, 11, 5)).days if state == "overdue" else 0)
        assert row["due_date"] == date(2026, 11, 5)


def test_rows_are_worst_first_with_party_and_last_report(plan):
    store, p = plan
    report(store, p, [("C-1", date(2026, 9, 1), 100, "India"), ("B-1", date(2026, 10, 2), 5, "Canada"),
                      ("A-1", date(2026, 8, 1), 5, "India")])
    frame = reporting_round(store, ctx_of(p, date(2026, 11, 24)))
    assert list(frame.columns) == ROUND_COLUMNS
    assert frame["owner"].tolist() == ["MHA", "NIA", "RCMP", "CBSA", "CBI"]  # none first
    assert frame["state"].tolist() == ["overdue", "overdue", "reported", "not_due", "not_due"]
    assert frame.set_index("owner")["party"].to_dict() == {
        "MHA": "India", "NIA": "Joint", "RCMP": "Canada", "CBI": "India", "CBSA": "Canada"}
    assert frame.set_index("owner")["last_report"].to_dict() == {
        "MHA": date(2026, 8, 1), "NIA": None, "RCMP": date(2026, 10, 2), "CBI": date(2026, 9, 1),
        "CBSA": None}


def test_the_party_filter_and_the_view_filters(plan):
    store, p = plan
    ctx = ctx_of(p, date(2026, 11, 24))
    assert reporting_round(store, ctx, "canada")["owner"].tolist() == ["RCMP", "CBSA"]
    filtered = ViewContext(as_of=ctx.as_of, plan=p, filters=Filters(owners=("MHA",)))
    pd.testing.assert_frame_equal(reporting_round(store, filtered), reporting_round(store, ctx))


def test_quarterly_rounds_follow_the_setting(plan):
    store, p = plan
    report(store, p, [("B-1", date(2026, 6, 30), 5, "Canada"), ("A-1", date(2026, 7, 1), 5, "India"),
                      ("A-2", date(2026, 9, 30), 5, "India")])
    ctx = ctx_of(p, date(2026, 11, 24), report_period="quarterly", report_due_day=20)
    frame = reporting_round(store, ctx).set_index("owner")
    assert (frame.loc["RCMP", "state"], frame.loc["RCMP", "due_date"],
            frame.loc["RCMP", "days_overdue"]) == ("overdue", date(2026, 10, 20), 35)
    assert frame.loc["MHA", "state"] == "reported"             # July 1 and September 30: in Q3


def test_owed_reports_list_each_party_of_a_joint_item(plan):
    store, p = plan
    report(store, p, [("J-1", date(2026, 10, 20), 40, "India")])
    owed = owed_reports(store, ctx_of(p, date(2026, 11, 24)))
    joint = owed[owed["item_id"] == "J-1"].set_index("party")
    assert sorted(joint.index) == ["Canada", "India"]
    assert joint.loc["India", "as_of"] == date(2026, 10, 20) and joint.loc["India", "reported"]
    assert pd.isna(joint.loc["Canada", "as_of"]) and not joint.loc["Canada", "reported"]


def test_an_empty_plan_has_an_empty_round(fresh_store):
    p = add_plan(fresh_store, "E", title="Empty", by="t")
    frame = reporting_round(fresh_store, ctx_of(p, date(2026, 11, 24)))
    assert frame.empty and list(frame.columns) == ROUND_COLUMNS


@pytest.mark.parametrize(("leads", "expected"), [
    (["India", "India", "Canada"], "India"), (["Canada", "India"], "Canada"),
    (["Joint", "Joint"], "Joint"), (["Joint", "Canada"], "Canada")])
def test_owner_party(leads, expected):
    assert owner_party(pd.Series(leads)) == expected


@given(st.lists(st.tuples(st.sampled_from(STATES), st.integers(0, 5), st.integers(0, 5),
                          st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 12, 31)))),
                max_size=12))
def test_worst_first_orders_by_state_then_outstanding(rows):
    frame = pd.DataFrame([{"owner": f"o{n}", "state": s, "items_owed": owed + done,
                           "items_reported": done, "last_report": last}
                          for n, (s, owed, done, last) in enumerate(rows)],
                         columns=["owner", "state", "items_owed", "items_reported", "last_report"])
    ordered = worst_first(frame)
    keys = [(STATES.index(r.state), -(r.items_owed - r.items_reported))
            for r in ordered.itertuples()]
    assert keys == sorted(keys) and sorted(ordered["owner"]) == sorted(frame["owner"])
