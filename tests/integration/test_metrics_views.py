"""The derived views of analytics.metrics on small hand-made plans and on the sample plan:
burn-up, compare two dates, parties (compliance, joint disagreements, reported vs computed),
freshness, milestones, update history, and the cache staying correct across writes."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics.context import Filters, ViewContext
from analytics.metrics import (
    HEALTH_ORDER,
    burn_up,
    compare_dates,
    data_current_to,
    freshness,
    group_metrics,
    item_metrics,
    joint_disagreements,
    kpis,
    metric_definitions_markdown,
    milestone_metrics,
    milestone_trend,
    reported_vs_computed,
    reporting_compliance,
    update_history,
)
from analytics.metrics.trends import week_ends
from analytics.writes import UploadMeta, revert_upload, write_upload
from tests.metrics_reference import build_plan

J1 = date(2026, 1, 1)


def d(n: int) -> date:
    return J1 + timedelta(days=n)


def upd(item, n, pct, **extra):
    return {"item_id": item, "as_of": d(n), "percent_complete": pct, **extra}


ITEMS = [
    {"item_id": "A", "start_date": d(0), "due_date": d(100), "lead_party": "India"},
    {"item_id": "B", "start_date": d(0), "due_date": d(50), "lead_party": "Canada",
     "weight": 3.0, "domain": "D2", "owner": "Owner B"},
    {"item_id": "J", "start_date": d(10), "due_date": d(200), "lead_party": "Joint"},
]


def test_week_ends_are_sundays_plus_as_of():
    ends = week_ends(date(2026, 1, 1), date(2026, 1, 20))       # a Thursday to a Tuesday
    assert ends == [date(2026, 1, 4), date(2026, 1, 11), date(2026, 1, 18), date(2026, 1, 20)]
    assert week_ends(date(2026, 1, 4), date(2026, 1, 11)) == [date(2026, 1, 4), date(2026, 1, 11)]
    assert week_ends(date(2026, 2, 1), date(2026, 1, 11)) == [date(2026, 1, 11)]


def test_burn_up_equals_group_metrics_at_every_week_end(sample_store):
    ctx = ViewContext(as_of=date(2026, 8, 12))
    curve = burn_up(sample_store, ctx, by="domain")
    for week_end in sorted(set(curve["week_end"]))[::5] + [ctx.as_of]:
        groups = group_metrics(sample_store, ViewContext(as_of=week_end), "domain")
        at = curve[curve["week_end"] == week_end].set_index("group")
        for row in groups.itertuples():
            for column in ("actual_pct", "planned_pct", "spi_t"):
                expected, got = getattr(row, column), at.loc[row.group, column]
                assert (got is None) == (expected is None), (week_end, column)
                if expected is not None:
                    assert got == pytest.approx(expected, abs=1e-9), (week_end, row.group, column)


def test_burn_up_with_ties_and_reverts(fresh_store):
    ids = build_plan(fresh_store, ITEMS, [[upd("A", 3, 10), upd("A", 9, 20)],
                                          [upd("A", 9, 40), upd("B", 12, 50)],
                                          [upd("A", 12, 90)]])
    revert_upload(fresh_store, ids[-1], by="test")
    ctx = ViewContext(as_of=d(20))
    curve = burn_up(fresh_store, ctx, by="item").set_index(["group", "week_end"])
    # A: 10 by Sunday Jan 4; 40 (later upload wins the tie on Jan 10) by Sunday Jan 11;
    # the reverted 90 never counts
    assert curve.loc[("A", date(2026, 1, 4)), "actual_pct"] == 10.0
    assert curve.loc[("A", date(2026, 1, 11)), "actual_pct"] == 40.0
    assert curve.loc[("A", d(20)), "actual_pct"] == 40.0
    assert curve.loc[("B", date(2026, 1, 18)), "actual_pct"] == 50.0
    assert curve.loc[("J", date(2026, 1, 4)), "planned_pct"] == 0.0


def test_burn_up_empty(fresh_store):
    frame = burn_up(fresh_store, ViewContext(as_of=d(0)))
    assert frame.empty and "week_end" in frame.columns


def test_compare_dates_finds_each_kind_of_change(fresh_store):
    build_plan(fresh_store, ITEMS,
               [[upd("A", 5, 5), upd("B", 5, 10, note="started")],
                [upd("A", 40, 45, note="caught up", party="India"), upd("B", 40, 30)]],
               [[{"milestone_id": "M1", "item_id": "A", "due_date": d(30),
                  "completed_date": d(35)},
                 {"milestone_id": "M2", "item_id": "B", "due_date": d(38)}]])
    result = compare_dates(fresh_store, ViewContext(as_of=d(60)), since=d(30))
    assert set(result.progress_deltas["item_id"]) == {"A", "B"}
    a = result.progress_deltas.set_index("item_id").loc["A"]
    assert (a["actual_before"], a["actual_after"], a["delta_pp"]) == (5.0, 45.0, 40.0)
    assert list(result.milestones_done["milestone_id"]) == ["M1"]
    assert list(result.newly_overdue["item_id"]) == ["B"]           # due day 50
    assert list(result.new_notes["note"]) == ["caught up"]
    changes = result.health_changes.set_index("item_id")
    # A: 5 % vs 30 % planned (red) -> 45 % vs 60 % (amber); B was red and stays red
    assert changes.loc["A", ["health_before", "health_after"]].tolist() == ["red", "amber"]
    assert "B" not in changes.index
    with pytest.raises(Exception, match="before"):
        compare_dates(fresh_store, ViewContext(as_of=d(30)), since=d(30))


def test_joint_disagreements_and_compliance_by_party(fresh_store):
    build_plan(fresh_store, ITEMS, [
        [upd("J", 40, 30, status="green", party="India"), upd("A", 45, 40, party="India")],
        [upd("J", 50, 30, status="amber", party="Canada"), upd("J", 20, 10, status="red",
                                                                party="Canada")],
    ])
    ctx = ViewContext(as_of=d(60))
    joint = joint_disagreements(fresh_store, ctx)
    assert list(joint.columns) == ["item_id", "title", "domain", "india_status", "india_as_of",
                                   "canada_status", "canada_as_of"]
    assert joint.iloc[0].to_dict() | {} == {"item_id": "J", "title": "Item J", "domain": "D1",
                                           "india_status": "green", "india_as_of": d(40),
                                           "canada_status": "amber", "canada_as_of": d(50)}
    # as of day 45 Canada's latest is still the red of day 20 (its day-50 report is later)
    assert joint_disagreements(fresh_store, ViewContext(as_of=d(45))).iloc[0]["canada_status"] == "red"
    assert joint_disagreements(fresh_store, ViewContext(as_of=d(30))).empty   # India not yet
    by_party = reporting_compliance(fresh_store, ctx, by="party").set_index("group")
    # India: leads A (reported day 45) + joint J (India reported day 40) -> 2 of 2
    # Canada: leads B (due day 50, never reported, eligible) + J (Canada day 50) -> 1 of 2
    assert by_party.loc["India"].to_dict() == {"eligible": 2, "reported": 2, "compliance": 1.0}
    assert by_party.loc["Canada"].to_dict() == {"eligible": 2, "reported": 1, "compliance": 0.5}
    overall = reporting_compliance(fresh_store, ctx, by="overall").iloc[0]
    assert (overall["eligible"], overall["reported"]) == (3, 2)
    assert kpis(fresh_store, ctx)["reporting_compliance"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(("as_of_day", "expected"), [
    (45, 1), (60, 1), (75, 1), (76, 0),     # window: as_of in (D - 31, D]
])
def test_compliance_window_is_31_days_up_to_d(fresh_store, as_of_day, expected):
    build_plan(fresh_store, [ITEMS[0]], [[upd("A", 45, 40)]])
    row = reporting_compliance(fresh_store, ViewContext(as_of=d(as_of_day)), by="overall").iloc[0]
    assert row["reported"] == expected and row["eligible"] == 1


def test_compliance_none_without_eligible_items(fresh_store):
    build_plan(fresh_store, [ITEMS[0]], [[upd("A", 5, 100)]])
    ctx = ViewContext(as_of=d(20))
    assert reporting_compliance(fresh_store, ctx, by="domain").iloc[0]["compliance"] is None
    assert kpis(fresh_store, ctx)["reporting_compliance"] is None


def test_reported_vs_computed_lists_greener_reports(fresh_store):
    build_plan(fresh_store, ITEMS, [[upd("A", 60, 10, status="green"),
                                     upd("B", 60, 100, status="complete"),
                                     upd("J", 60, 2, status="red", party="India")]])
    frame = reported_vs_computed(fresh_store, ViewContext(as_of=d(60)))
    assert list(frame["item_id"]) == ["A"]
    assert frame.iloc[0]["health"] == "red" and frame.iloc[0]["reason"].startswith("red: ")


def test_freshness_by_domain_and_owner(fresh_store):
    build_plan(fresh_store, ITEMS, [[upd("A", 10, 5), upd("J", 30, 5, party="Canada")]])
    frame = freshness(fresh_store, ViewContext(as_of=d(40))).set_index(["domain", "owner"])
    assert frame.loc[("D1", "Owner A")].to_dict() == {"items": 2, "eligible": 2,
                                                      "never_updated": 0, "days_since_update": 30}
    assert frame.loc[("D2", "Owner B"), "days_since_update"] is None
    assert frame.loc[("D2", "Owner B"), "never_updated"] == 1


def test_milestones_as_of_and_trend(fresh_store):
    build_plan(fresh_store, ITEMS, [], [
        [{"milestone_id": "M1", "item_id": "A", "due_date": d(30)},
         {"milestone_id": "M2", "item_id": "B", "due_date": d(70)}],
        [{"milestone_id": "M1", "item_id": "A", "due_date": d(45), "completed_date": d(44)}],
    ])
    rows = milestone_metrics(fresh_store, ViewContext(as_of=d(40))).set_index("milestone_id")
    m1 = rows.loc["M1"]
    assert (m1["done"], m1["overdue"], m1["slip_days"], m1["slipped"]) == (False, False, 15, True)
    assert rows.loc["M2", "due_soon"] and not rows.loc["M2", "overdue"]
    later = milestone_metrics(fresh_store, ViewContext(as_of=d(80))).set_index("milestone_id")
    assert later.loc["M1", "done"] and later.loc["M1", "slip_days"] == 14
    assert later.loc["M2", "overdue"] and later.loc["M2", "days_overdue"] == 10
    trend = milestone_trend(fresh_store, ViewContext(as_of=d(80)))
    assert list(trend[trend["milestone_id"] == "M1"]["due_date"]) == [d(30), d(45)]
    assert kpis(fresh_store, ViewContext(as_of=d(40)))["milestones_due_soon"] == 2   # d45, d70


def test_update_history_and_data_current_to(fresh_store):
    ids = build_plan(fresh_store, ITEMS, [[upd("A", 5, 5), upd("B", 7, 10)],
                                          [upd("A", 5, 6), upd("A", 90, 50)]])
    assert data_current_to(fresh_store, ViewContext(as_of=d(60))) == d(90)
    history = update_history(fresh_store, ViewContext(as_of=d(60)), "A")
    assert list(history["percent_complete"]) == [6.0]
    revert_upload(fresh_store, ids[-1], by="test")
    assert data_current_to(fresh_store, ViewContext(as_of=d(60))) == d(7)
    assert list(update_history(fresh_store, ViewContext(as_of=d(60)), "A")["percent_complete"]) == [5.0]


def test_filters_apply_to_every_view(sample_store):
    ctx = ViewContext(as_of=date(2026, 11, 24), filters=Filters(domains=("Fraud",)))
    assert set(item_metrics(sample_store, ctx)["domain"]) == {"Fraud"}
    assert list(group_metrics(sample_store, ctx, "domain")["group"]) == ["Fraud"]
    assert set(milestone_metrics(sample_store, ctx)["domain"]) == {"Fraud"}
    assert set(update_history(sample_store, ctx)["domain"]) == {"Fraud"}
    assert set(freshness(sample_store, ctx)["domain"]) == {"Fraud"}
    assert kpis(sample_store, ctx)["items"] == 8


def test_empty_database_gives_empty_frames(fresh_store):
    ctx = ViewContext(as_of=d(0))
    for frame in (item_metrics(fresh_store, ctx), group_metrics(fresh_store, ctx, "overall"),
                  milestone_metrics(fresh_store, ctx), freshness(fresh_store, ctx),
                  joint_disagreements(fresh_store, ctx), reported_vs_computed(fresh_store, ctx),
                  reporting_compliance(fresh_store, ctx), update_history(fresh_store, ctx),
                  milestone_trend(fresh_store, ctx), burn_up(fresh_store, ctx)):
        assert isinstance(frame, pd.DataFrame) and frame.empty and len(frame.columns)
    figures = kpis(fresh_store, ctx)
    assert figures["items"] == 0 and figures["actual_pct"] is None
    assert figures["reporting_compliance"] is None and data_current_to(fresh_store, ctx) is None


def test_uncommitted_what_if_is_seen_inside_and_forgotten_after(fresh_store):
    """The ingest preview reads metrics inside a transaction it rolls back: the cache must
    neither serve stale rows inside it nor keep the what-if rows after it."""
    from analytics.ingest.preview import _WithinTransaction

    build_plan(fresh_store, [ITEMS[0]], [[upd("A", 5, 5)]])
    ctx = ViewContext(as_of=d(10))
    assert item_metrics(fresh_store, ctx).iloc[0]["actual_pct"] == 5.0
    frame = pd.DataFrame([upd("A", 8, 80, status="green", party="India")])
    try:
        with fresh_store.transaction() as cur:
            write_upload(cur, frame, UploadMeta("updates", "u.csv", "preview"))
            inside = item_metrics(_WithinTransaction(fresh_store, cur), ctx)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert inside.iloc[0]["actual_pct"] == 80.0
    assert item_metrics(fresh_store, ctx).iloc[0]["actual_pct"] == 5.0
    build_plan(fresh_store, [ITEMS[0]], [[upd("A", 8, 60)]])
    assert item_metrics(fresh_store, ctx).iloc[0]["actual_pct"] == 60.0


def test_definitions_and_palette():
    text = metric_definitions_markdown()
    assert text.startswith("# Metric definitions") and "Worked example" in text
    assert HEALTH_ORDER == ["red", "amber", "green", "complete", "not_started"]
