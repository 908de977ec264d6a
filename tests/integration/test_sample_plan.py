"""The sample plan: deterministic, realistic, and holding every situation the metrics handle."""

from datetime import date

from analytics.plans import plan_by_id
from analytics.sample import DOMAINS, sample_plan


def test_sample_plan_is_deterministic():
    first, second = sample_plan(), sample_plan()
    assert [m.sha256 for m, _ in first.uploads] == [m.sha256 for m, _ in second.uploads]


def test_sample_plan_shape(sample_store):
    q = sample_store.scalar
    assert 40 <= q("SELECT count(*) FROM work_items") <= 80
    assert q("SELECT count(DISTINCT domain) FROM work_items") == len(DOMAINS) == 7
    assert {r[0] for r in sample_store.cursor().execute(
        "SELECT DISTINCT lead_party FROM work_items").fetchall()} == {"India", "Canada", "Joint"}
    assert q("SELECT min(as_of) FROM status_updates") >= date(2026, 2, 1)
    assert q("SELECT max(as_of) FROM status_updates") <= date(2026, 11, 30)
    assert q("SELECT count(DISTINCT party) FROM status_updates") == 2
    assert q("SELECT count(DISTINCT month(as_of)) FROM status_updates") == 10
    plan = plan_by_id(sample_store, 1)
    assert plan.code == "IC" and plan.sample is True


def test_sample_plan_has_the_situations_managers_ask_about(sample_store):
    q = sample_store.scalar
    assert q("SELECT count(*) FROM milestones WHERE due_date > baseline_date") >= 3
    assert q("SELECT count(*) FROM work_items WHERE due_date > baseline_due_date") >= 1
    assert q("SELECT count(*) FROM current_status_updates WHERE status = 'complete'") >= 3
    assert q("SELECT count(*) FROM work_items WHERE start_date > DATE '2026-11-24'") >= 1
    stale = q("""SELECT count(*) FROM (SELECT item_id, max(as_of) AS last, max(percent_complete) AS pct
                 FROM current_status_updates GROUP BY item_id)
                 WHERE pct < 100 AND last < DATE '2026-11-24' - INTERVAL 45 DAY""")
    assert stale >= 1
    disagreeing = q("""
        WITH latest AS (
            SELECT s.item_id, s.party, arg_max(s.status, s.as_of) AS status
            FROM current_status_updates s JOIN work_items w USING (item_id)
            WHERE w.lead_party = 'Joint' GROUP BY ALL)
        SELECT count(*) FROM (SELECT item_id FROM latest GROUP BY item_id
                              HAVING count(DISTINCT status) > 1)""")
    assert disagreeing >= 1
    assert q("SELECT count(DISTINCT note) FROM status_updates") >= 10
