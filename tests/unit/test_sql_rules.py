"""The rules every figure shares are written once, in migration 005, and never restated.

"Not reverted", the current report per (item, party, as_of), the report that counts for
an item, the view filters and the plan scope live in analytics/sql/005_plans.sql as views
and macros; a query file or Python module that spells one out again would drift from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES_FILE = ROOT / "analytics" / "sql" / "005_plans.sql"
# (what the rule is, a pattern that restates it)
RESTATEMENTS = [
    ("not reverted", re.compile(r"reverted_at\s+IS\s+(NOT\s+)?NULL", re.I)),
    ("the view filters", re.compile(r"list_contains\s*\(\s*\$?(domains|parties|owners)", re.I)),
    ("the report order", re.compile(r"HUGEINT|18446744073709551616", re.I)),
    ("the current report", re.compile(
        r"PARTITION\s+BY\s+[\w.]*item_id\s*,\s*([\w.]*party_key\s*,\s*)?[\w.]*as_of", re.I)),
    ("the report that counts", re.compile(r"'lowest'\s*:|CASE\s+WHEN\s+joint", re.I)),
]
# The plan's rows are read through the macros of 005 (view_items, plan_milestones,
# plan_reports, plan_current_reports, party_reports_as_of, item_reports_as_of,
# plan_milestone_versions, plan_uploads, plan_domains), never from the tables or the
# all-plan views themselves: a query that did would mix plans.
BASE_READ = re.compile(
    r"\b(FROM|JOIN)\s+(work_items|milestones|milestone_history|work_item_history|domains|"
    r"uploads|live_uploads|live_reports|current_reports|current_status_updates)\b", re.I)


def sources() -> list[Path]:
    """The query files and modules (earlier migrations are history: 001 defined the first
    current-report view, 003 the single-plan rules that 005 replaced)."""
    sql = ROOT / "analytics" / "sql"
    return sorted(sql.glob("metrics_*.sql")) + sorted((ROOT / "analytics").rglob("*.py"))


@pytest.mark.parametrize(("rule", "pattern"), RESTATEMENTS, ids=[r for r, _ in RESTATEMENTS])
def test_no_query_restates_a_shared_rule(rule, pattern):
    offenders = [str(path.relative_to(ROOT)) for path in sources()
                 if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == [], f"{rule} is restated in {offenders}; build on 005_plans.sql"


@pytest.mark.parametrize(("rule", "pattern"), RESTATEMENTS, ids=[r for r, _ in RESTATEMENTS])
def test_the_rules_file_defines_each_rule(rule, pattern):
    assert pattern.search(RULES_FILE.read_text(encoding="utf-8")), rule


def test_metric_queries_read_a_plan_only_through_the_plan_scope():
    sql = sorted((ROOT / "analytics" / "sql").glob("metrics_*.sql"))
    offenders = {str(path.relative_to(ROOT)): BASE_READ.findall(path.read_text(encoding="utf-8"))
                 for path in sql}
    assert {path: found for path, found in offenders.items() if found} == {}
