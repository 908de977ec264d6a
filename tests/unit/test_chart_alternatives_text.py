"""Text alternatives of the charts: each summary sentence on small hand-made frames shaped like
`analytics.metrics` output (empty ones included), and each table's readable headers.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from analytics.charts import CHARTS, alternatives
from analytics.context import ViewContext

CTX = ViewContext(as_of=date(2026, 11, 24))
LEAD = "as of 24 Nov 2026: "


def groups(*rows) -> pd.DataFrame:
    """Domain rows: (name, actual, planned, health, red, amber, green, complete, not_started)."""
    columns = ["group", "actual_pct", "planned_pct", "health", "red", "amber", "green",
               "complete", "not_started"]
    frame = pd.DataFrame(list(rows), columns=columns)
    frame["variance_pp"] = frame["actual_pct"] - frame["planned_pct"]
    frame["reason"] = ""
    return frame


SIX = groups(("Fraud", 40.0, 62.0, "red", 3, 0, 1, 0, 0), ("Cyber", 70.0, 70.2, "green", 0, 0, 4, 0, 0),
             ("Drugs", 55.0, 60.0, "amber", 0, 2, 2, 0, 0), ("Liaison", 80.0, 75.0, "green", 0, 0, 3, 1, 0),
             ("Crime", 30.0, 40.0, "amber", 1, 1, 1, 0, 0), ("Visas", 10.0, 20.0, "amber", 0, 1, 0, 0, 2))
WEEKS = pd.DataFrame({"week_end": [date(2026, 11, 15), date(2026, 11, 22)],
                      "actual_pct": [60.0, 63.0], "planned_pct": [65.0, 70.25],
                      "spi_t": [0.8, 0.9123]})


@pytest.mark.parametrize(("frame", "expected"), [
    (SIX, "Progress by domain " + LEAD + "Fraud is furthest behind plan (40% done against 62% "
          "planned); 2 of 6 domains are on plan."),
    (SIX.iloc[[1, 3]], "Progress by domain " + LEAD + "2 of 2 domains are on plan."),
    (SIX.iloc[[4]], "Progress by domain " + LEAD + "Crime is furthest behind plan (30% done "
                    "against 40% planned); 0 of 1 domain is on plan."),
    (SIX.iloc[0:0], "Progress by domain " + LEAD + "no items in this view."),
])
def test_progress_by_domain_summary(frame, expected):
    assert alternatives.progress_by_domain_summary(frame, CTX) == expected


@pytest.mark.parametrize(("frame", "expected"), [
    (SIX, "Health mix by domain " + LEAD + "22 items: 4 red, 4 amber, 11 green, 1 complete, "
          "2 not started; Fraud has the most red items (3)."),
    (SIX.iloc[[1]], "Health mix by domain " + LEAD + "4 items: 0 red, 0 amber, 4 green, "
                    "0 complete, 0 not started."),
    (SIX.iloc[0:0], "Health mix by domain " + LEAD + "no items in this view."),
])
def test_health_by_domain_summary(frame, expected):
    assert alternatives.health_by_domain_summary(frame, CTX) == expected


@pytest.mark.parametrize(("frame", "expected"), [
    (WEEKS, "Burn-up: actual against planned progress " + LEAD + "in the week ending "
            "22 Nov 2026, 63.0% done against 70.2% planned, over 2 weeks."),
    (WEEKS.iloc[::-1], "Burn-up: actual against planned progress " + LEAD + "in the week ending "
                       "22 Nov 2026, 63.0% done against 70.2% planned, over 2 weeks."),
    (WEEKS.iloc[0:0], "Burn-up: actual against planned progress " + LEAD
                      + "no progress recorded up to this date."),
])
def test_burn_up_summary(frame, expected):
    assert alternatives.burn_up_summary(frame, CTX) == expected


@pytest.mark.parametrize(("frame", "expected"), [
    (WEEKS, "Schedule performance SPI(t) over time " + LEAD + "SPI(t) 0.91 in the week ending "
            "22 Nov 2026 (below 1.0: behind schedule); lowest 0.80, highest 0.91."),
    (WEEKS.assign(spi_t=[1.0, 1.2]), "Schedule performance SPI(t) over time " + LEAD
     + "SPI(t) 1.20 in the week ending 22 Nov 2026 (above 1.0: ahead of schedule); "
       "lowest 1.00, highest 1.20."),
    (WEEKS.assign(spi_t=[None, None]), "Schedule performance SPI(t) over time " + LEAD
     + "no schedule performance to show up to this date."),
    (WEEKS.iloc[0:0], "Schedule performance SPI(t) over time " + LEAD
     + "no schedule performance to show up to this date."),
])
def test_spi_trend_summary(frame, expected):
    assert alternatives.spi_trend_summary(frame, CTX) == expected


MILESTONES = pd.DataFrame({
    "milestone_id": ["A-M1", "A-M2", "B-M1", "C-M1"], "title": ["a1", "a2", "b1", "c1"],
    "item_id": ["A", "A", "B", "C"],
    "due_date": [date(2026, 10, 1), date(2027, 1, 1), date(2026, 12, 1), date(2026, 9, 1)],
    "baseline_date": [date(2026, 10, 1), date(2026, 12, 1), date(2026, 12, 1), date(2026, 9, 1)],
    "slip_days": [0, 31, 0, 0], "done": [False, False, False, True],
    "overdue": [True, False, False, False], "slipped": [False, True, False, False]})
ITEMS = pd.DataFrame({"item_id": ["A", "B", "C"]})


@pytest.mark.parametrize(("frame", "include_done", "expected"), [
    (MILESTONES, False, "3 open milestones on 2 items: 1 overdue, 1 slipped from their baseline."),
    (MILESTONES, True, "4 milestones on 3 items: 1 overdue, 1 slipped from their baseline, "
                       "1 done."),
    (MILESTONES.iloc[[3]], False, "no open milestones in this view."),
    (MILESTONES.iloc[0:0], True, "no milestones in this view."),
])
def test_milestone_timeline_summary(frame, include_done, expected):
    text = alternatives.milestone_timeline_summary(frame, ITEMS, CTX, include_done=include_done)
    assert text == "Milestone timeline: baseline against current dates " + LEAD + expected
    table = alternatives.milestone_timeline_table(frame, ITEMS, CTX, include_done=include_done)
    assert len(table) == len(frame) - (0 if include_done else int(frame["done"].sum()))


def trend(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"milestone_id": m, "title": m.lower(), "recorded_at": datetime(2026, month, 1),
                          "due_date": due} for m, month, due in rows],
                        columns=["milestone_id", "title", "recorded_at", "due_date"])


TREND = trend(("A-M1", 3, date(2026, 12, 1)), ("A-M1", 6, date(2027, 1, 15)),
              ("B-M1", 3, date(2026, 10, 1)), ("B-M1", 6, date(2026, 9, 21)),
              ("C-M1", 3, date(2026, 8, 1)), ("C-M1", 6, date(2026, 8, 1)))


@pytest.mark.parametrize(("frame", "expected"), [
    (TREND, "2 of 3 milestones had their due date moved; the largest move is A-M1, 45 days later."),
    (TREND.iloc[2:], "1 of 2 milestones had their due date moved; the largest move is B-M1, "
                     "10 days earlier."),
    (TREND.iloc[4:], "0 of 1 milestone had their due date moved."),
    (TREND.iloc[0:0], "no milestone dates recorded in this view."),
])
def test_milestone_trend_summary(frame, expected):
    text = alternatives.milestone_trend_summary(frame, CTX)
    assert text == "Milestone trend: due dates as recorded at each import " + LEAD + expected


FRESH = pd.DataFrame({"domain": ["Fraud", "Fraud", "Cyber", "Cyber"],
                      "owner": ["RCMP", "CBI", "RCMP", "CERT-In"], "items": [2, 1, 1, 1],
                      "eligible": [2, 1, 0, 1], "never_updated": [0, 0, 0, 1],
                      "days_since_update": [12, 80, 200, None]})


@pytest.mark.parametrize(("frame", "expected"), [
    (FRESH, "the longest silence is CBI in Fraud (80 days); 1 of 4 domain and owner pairs is "
            "past the 45-day stale limit; 1 never reported."),
    (FRESH.iloc[[3]], "0 of 1 domain and owner pair is past the 45-day stale limit; "
                      "1 never reported."),
    (FRESH.iloc[0:0], "no items in this view."),
])
def test_freshness_heatmap_summary(frame, expected):
    text = alternatives.freshness_heatmap_summary(frame, CTX)
    assert text == "Days since last update by domain and owner " + LEAD + expected


COMPLIANCE = pd.DataFrame({"group": ["Canada", "India"], "eligible": [21, 0],
                           "reported": [19, 0], "compliance": [19 / 21, None]})


@pytest.mark.parametrize(("frame", "expected"), [
    (COMPLIANCE, "Canada 90% (19 of 21 items), India no eligible items."),
    (COMPLIANCE.iloc[0:0], "no started, incomplete items to report on in this view."),
])
def test_compliance_by_party_summary(frame, expected):
    text = alternatives.compliance_by_party_summary(frame, CTX)
    assert text == "Reporting compliance by party " + LEAD + expected


@pytest.mark.parametrize(("table", "headers"), [
    (alternatives.progress_by_domain_table(SIX, CTX),
     ["Domain", "Planned %", "Actual %", "Variance (pp)", "Health", "Reason"]),
    (alternatives.health_by_domain_table(SIX, CTX),
     ["Domain", "Health", "Red", "Amber", "Green", "Complete", "Not started"]),
    (alternatives.burn_up_table(WEEKS, CTX), ["Week ending", "Planned %", "Actual %"]),
    (alternatives.spi_trend_table(WEEKS, CTX), ["Week ending", "Schedule efficiency"]),
    (alternatives.milestone_trend_table(TREND, CTX),
     ["Milestone", "Title", "First recorded due", "Latest recorded due", "Moved (days)"]),
    (alternatives.freshness_heatmap_table(FRESH, CTX),
     ["Domain", "Owner", "Items", "Days since update"]),
    (alternatives.compliance_by_party_table(COMPLIANCE, CTX),
     ["Party", "Eligible items", "Items reported", "Reported (%)"]),
])
def test_tables_have_readable_headers(table, headers):
    assert list(table.columns) == headers


def test_tables_put_health_and_cells_in_words():
    assert list(alternatives.progress_by_domain_table(SIX, CTX)["Health"])[:3] == [
        "Red", "Green", "Amber"]
    assert list(alternatives.freshness_heatmap_table(FRESH, CTX)["Days since update"]) == [
        "12", "80", "n/a", "never"]
    assert list(alternatives.milestone_timeline_table(MILESTONES, ITEMS, CTX,
                                                      include_done=True)["State"]) == [
        "Overdue", "Slipped", "On baseline", "Done"]


def test_every_registered_chart_has_an_alternative():
    assert set(alternatives.REGISTERED) == set(CHARTS)


def test_registered_alternative_reads_the_charts_data(sample_store):
    ctx = ViewContext(as_of=date(2026, 10, 31))
    for name in CHARTS:
        alternative = alternatives.chart_alternative(name, sample_store, ctx)
        assert alternative.summary.endswith(".") and "as of 31 Oct 2026" in alternative.summary
        assert not alternative.table.empty, name


FR = ViewContext(as_of=date(2026, 11, 24), lang="fr")
NBSP = "\u00a0"


@pytest.mark.parametrize(("summary", "expected"), [
    (alternatives.progress_by_domain_summary(SIX, FR),
     f"Avancement par domaine au 24 novembre 2026{NBSP}: Fraud accuse le plus grand retard sur le "
     f"plan (40{NBSP}% réalisé contre 62{NBSP}% prévu){NBSP}; domaines conformes au plan{NBSP}: 2 sur 6."),
    (alternatives.spi_trend_summary(WEEKS, FR),
     f"Indice de performance du calendrier IPC(t) dans le temps au 24 novembre 2026{NBSP}: IPC(t) de "
     f"0,91 pour la semaine se terminant le 22 novembre 2026 (sous 1,0{NBSP}: en retard sur le "
     f"calendrier){NBSP}; minimum 0,80, maximum 0,91."),
    (alternatives.compliance_by_party_summary(COMPLIANCE.iloc[0:0], FR),
     f"Conformité des rapports par partie au 24 novembre 2026{NBSP}: aucun élément commencé et "
     "inachevé à déclarer dans cette vue."),
])
def test_summaries_in_french(summary, expected):
    assert summary == expected


def test_tables_in_french():
    assert list(alternatives.burn_up_table(WEEKS, FR).columns) == ["Fin de semaine", "% prévu",
                                                                   "% réel"]
    assert list(alternatives.milestone_timeline_table(MILESTONES, ITEMS, FR)["État"]) == [
        "En retard", "Décalé", "Conforme à la date de référence"]
