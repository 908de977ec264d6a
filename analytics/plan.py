"""Facts about the plan a store holds: who its parties are and what marks a joint item.

Why: every status report must say which party made it, and a party the plan does
not know must be refused with the known ones listed. The parties are those the
plan records (plan_info key `parties`, comma-separated, as the sample plan and
`workplan demo` set it) together with every lead party of an item other than
`Joint`; an item whose lead party is `Joint` is reported on by each party (the SQL
rules in analytics/sql/003_reports.sql use the same word).
Called by the ingest layer (party of each report), the upload page and the CLI.
"""

from __future__ import annotations

from analytics.store import Store

JOINT = "Joint"


def plan_parties(store: Store) -> list[str]:
    """The plan's parties: the recorded ones in their order, then other lead parties A-Z."""
    recorded = [name.strip() for name in (store.plan_info().get("parties") or "").split(",")]
    leads = [row[0] for row in store.cursor().execute(
        "SELECT DISTINCT lead_party FROM work_items WHERE lead_party <> ? ORDER BY 1",
        [JOINT]).fetchall()]
    parties = [name for name in recorded if name]
    known = {name.casefold() for name in parties}
    return parties + [name for name in leads if name.casefold() not in known]
