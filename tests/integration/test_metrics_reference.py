"""The headline numbers computed a second way: the engine (DuckDB SQL + numpy) against the
plain-Python reference of tests/metrics_reference.py, on the sample plan and on random plans
committed through the real upload path (ties, reverts, zero weights, zero-length items)."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.context import ViewContext
from analytics.metrics import group_metrics, item_metrics, kpis
from analytics.settings import Settings
from analytics.store import open_store
from analytics.writes import revert_upload
from tests.metrics_reference import build_plan, reference_group, reference_items

FLOATS = ["actual_pct", "planned_pct", "variance_pp", "spi_t", "sv_t_days"]
BY_COLUMN = {"domain": "domain", "party": "lead_party", "owner": "owner", "item": "item_id"}


def assert_same(engine_value, reference_value, what):
    if reference_value is None:
        assert engine_value is None or engine_value != engine_value, what
    elif isinstance(reference_value, float):
        assert engine_value == pytest.approx(reference_value, rel=1e-9, abs=1e-7), what
    else:
        assert engine_value == reference_value, what


def compare_all(store, as_of: date):
    ctx = ViewContext(as_of=as_of)
    reference = reference_items(store, as_of).set_index("item_id")
    engine = item_metrics(store, ctx).set_index("item_id")
    assert sorted(engine.index) == sorted(reference.index)
    for item_id, row in engine.iterrows():
        ref = reference.loc[item_id]
        for column in ("actual_pct", "planned_pct", "variance_pp", "health", "overdue", "stale",
                       "milestones", "milestones_done"):
            assert_same(row[column], ref[column], (item_id, column))
        assert_same(row["last_update"], ref["last_update"], (item_id, "last_update"))
    for by in ("domain", "party", "owner", "item", "overall"):
        groups = group_metrics(store, ctx, by).set_index("group")
        keys = reference["domain"] * 0 + "Overall" if by == "overall" else (
            reference.index.to_series() if by == "item" else reference[BY_COLUMN[by]])
        assert sorted(groups.index) == sorted(set(keys))
        for key, members in reference.reset_index().groupby(keys.to_numpy()):
            expected = reference_group(members, as_of)
            for column in FLOATS + ["forecast_finish", "planned_finish", "health", "items"]:
                value = expected[column]
                assert_same(groups.loc[key, column],
                            float(value) if isinstance(value, int) and column != "items" else value,
                            (by, key, column))
            counts = members["health"].value_counts()
            for rating in ("green", "amber", "red", "complete", "not_started"):
                assert groups.loc[key, rating] == counts.get(rating, 0)


@pytest.mark.parametrize("as_of", [date(2026, 1, 15), date(2026, 3, 31), date(2026, 7, 4),
                                   date(2026, 11, 24), date(2027, 12, 31)])
def test_sample_plan_matches_reference(sample_store, as_of):
    compare_all(sample_store, as_of)


def random_plan(rng: random.Random):
    base = date(2026, 1, 1)
    items = []
    for k in range(rng.randint(1, 9)):
        start = base + timedelta(days=rng.randint(0, 60))
        items.append({"item_id": f"I{k:02d}", "domain": rng.choice(["D1", "D2", "D3"]),
                      "lead_party": rng.choice(["India", "Canada", "Joint"]),
                      "owner": rng.choice(["O1", "O2"]),
                      "start_date": start,
                      "due_date": start + timedelta(days=rng.choice([0, 1, 7, 30, 90, 200])),
                      "weight": rng.choice([0.0, 0.5, 1.0, 1.0, 2.0, 3.0])})
    batches = []
    for _ in range(rng.randint(0, 4)):
        batch = []
        for _ in range(rng.randint(1, 8)):
            item = rng.choice(items)
            batch.append({"item_id": item["item_id"],
                          "as_of": base + timedelta(days=rng.randint(0, 150)),
                          "percent_complete": float(rng.choice([0, 5, 10, 25, 50, 75, 90, 100,
                                                                rng.randint(0, 100)])),
                          "status": rng.choice(["green", "amber", "red", "complete"]),
                          # None: the item's lead party (a joint item's row names its party)
                          "party": rng.choice(["India", "Canada"] if item["lead_party"] == "Joint"
                                              else ["India", "Canada", None])})
        batches.append(batch)
    milestones = [{"milestone_id": f"M{k}", "item_id": rng.choice(items)["item_id"],
                   "due_date": base + timedelta(days=rng.randint(0, 150)),
                   "completed_date": rng.choice([None, base + timedelta(days=rng.randint(0, 150))])}
                  for k in range(rng.randint(0, 4))]
    return items, batches, milestones


@settings(max_examples=25)
@given(st.randoms(use_true_random=False), st.integers(-10, 170), st.booleans())
def test_random_plans_match_reference(rng, as_of_day, revert_one):
    items, batches, milestones = random_plan(rng)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "p.duckdb") as store:
        ids = build_plan(store, items, batches, milestones if milestones else ())
        update_ids = ids[1:1 + len(batches)]
        if revert_one and update_ids:
            revert_upload(store, rng.choice(update_ids), by="test")
        compare_all(store, date(2026, 1, 1) + timedelta(days=as_of_day))


@settings(max_examples=15)
@given(st.randoms(use_true_random=False), st.integers(0, 170))
def test_results_do_not_depend_on_row_order(rng, as_of_day):
    items, batches, _ = random_plan(rng)
    as_of = ViewContext(as_of=date(2026, 1, 1) + timedelta(days=as_of_day))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, order in enumerate((items, list(reversed(items)))):
            with open_store(Path(tmp) / f"p{k}.duckdb") as store:
                build_plan(store, order, batches)
                results.append((item_metrics(store, as_of).sort_values("item_id")
                                .reset_index(drop=True),
                                group_metrics(store, as_of, "party")))
    pd.testing.assert_frame_equal(results[0][0], results[1][0])
    pd.testing.assert_frame_equal(results[0][1], results[1][1], check_exact=False, rtol=1e-12)


def test_kpis_agree_with_overall_row(sample_store):
    ctx = ViewContext(as_of=date(2026, 11, 24))
    figures = kpis(sample_store, ctx)
    overall = group_metrics(sample_store, ctx, "overall").iloc[0]
    for key in ("actual_pct", "planned_pct", "variance_pp", "spi_t", "sv_t_days",
                "forecast_finish", "planned_finish", "health"):
        assert figures[key] == overall[key]
    assert figures["items"] == overall["items"]
    assert sum(figures["health_counts"].values()) == figures["items"]
    assert figures["overdue_items"] == overall["overdue"]
    assert figures["data_current_to"] == date(2026, 11, 24)
    assert 0 <= figures["reporting_compliance"] <= 1


RANK = {"green": 0, "amber": 1, "red": 2}
TIGHTER = {"red_variance_pp": 5.0, "amber_variance_pp": 5.0, "red_spi": 0.05, "amber_spi": 0.05,
           "red_share": -0.1}


@settings(max_examples=20)
@given(st.sampled_from([date(2026, 4, 30), date(2026, 8, 31), date(2026, 11, 24)]),
       st.sampled_from(["domain", "party", "owner", "overall"]),
       st.sampled_from(sorted(TIGHTER)), st.floats(0.2, 3.0))
def test_on_the_sample_plan_tightening_a_threshold_never_makes_a_group_greener(
        sample_store, as_of, by, name, factor):
    """Item health (SQL) and group health together: a tighter threshold (variance and SPI(t)
    raised, red share lowered) turns no group greener, and no group with a red item is green."""
    base = Settings()
    tighter = Settings(**{name: getattr(base, name) + TIGHTER[name] * factor})
    before = group_metrics(sample_store, ViewContext(as_of=as_of, settings=base), by)
    after = group_metrics(sample_store, ViewContext(as_of=as_of, settings=tighter), by)
    for old, new in zip(before.to_dict("records"), after.to_dict("records"), strict=True):
        assert old["group"] == new["group"]
        if old["health"] in RANK and new["health"] in RANK:
            assert RANK[new["health"]] >= RANK[old["health"]], (old, new)
        for row in (old, new):
            assert not (row["red"] and row["health"] == "green"), row
