"""AppTest of the Reporting round page on the sample plan: the table worst first, the party
filter, the table downloads and an owner's pre-filled sheets."""

from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.context import Filters, ViewContext
from analytics.plans import plan_by_id
from analytics.reporting_round import owners_of, reporting_round
from analytics.settings import Settings

ROUND = str(Path(__file__).resolve().parents[2] / "pages" / "round.py")
AS_OF = date(2026, 11, 24)


def stub_shared(monkeypatch, store, filters: Filters | None = None, **settings) -> ViewContext:
    ctx = ViewContext(as_of=AS_OF, plan=plan_by_id(store, 1) or ViewContext(AS_OF).plan,
                      filters=filters or Filters(), settings=Settings(**settings), sample=True)
    shared = types.ModuleType("pages._shared")
    shared.get_store = lambda: store
    shared.current_context = lambda _store: ctx
    monkeypatch.setitem(sys.modules, "pages._shared", shared)
    return ctx


def frame(at: AppTest):
    return next(d.value for d in at.dataframe)


@pytest.fixture
def page(sample_store, monkeypatch):
    ctx = stub_shared(monkeypatch, sample_store, Filters(owners=("FINTRAC",)))
    return AppTest.from_file(ROUND, default_timeout=30).run(), ctx


def test_the_round_is_shown_worst_first_for_the_whole_plan(page, sample_store):
    at, ctx = page
    assert not at.exception
    assert "reports for October 2026" in at.caption[0].value and "due 2026-11-05" in at.caption[0].value
    expected = reporting_round(sample_store, ctx)
    shown = frame(at)
    assert len(shown) == len(expected) > 1                      # the owner filter does not apply
    assert shown.iloc[0].tolist()[:2] == expected.iloc[0].tolist()[:2]
    assert "Overdue" in shown.to_string()
    assert at.get("popover")                                    # the table's Download menu


def test_the_party_filter_keeps_that_partys_owners(page, sample_store):
    at, ctx = page
    at.selectbox(key="round_party").select("India").run()
    assert not at.exception
    shown = frame(at)
    assert len(shown) == len(reporting_round(sample_store, ctx, "India"))
    assert set(shown.iloc[:, 1]) == {"India"}


def test_an_owners_sheet_is_offered_as_xlsx_and_csv(page, sample_store):
    at, ctx = page
    owners = owners_of(reporting_round(sample_store, ctx))
    assert at.selectbox(key="round_owner").options == owners
    at.selectbox(key="round_owner").select(owners[1]).run()
    assert not at.exception
    keys = {button.proto.id for button in at.get("download_button")}
    assert any("round_sheet_xlsx" in key for key in keys)
    assert any("round_sheet_csv" in key for key in keys)


def test_an_empty_store_and_a_bad_setting_say_so(fresh_store, sample_store, monkeypatch):
    stub_shared(monkeypatch, fresh_store)
    at = AppTest.from_file(ROUND, default_timeout=30).run()
    assert not at.exception and at.text[0].value == "This plan has no work items yet."
    stub_shared(monkeypatch, sample_store, report_period="weekly")
    at = AppTest.from_file(ROUND, default_timeout=30).run()
    assert not at.exception and "WORKPLAN_REPORT_PERIOD='weekly'" in at.error[0].value
