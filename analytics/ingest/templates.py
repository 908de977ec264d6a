"""Blank templates with example rows for each kind of upload, as CSV or .xlsx.

Why: agencies are far likelier to send a clean sheet when they start from one
that shows the columns, the accepted statuses and the date form. The upload
page offers them for download and `workplan template KIND --out FILE` writes
them. The example rows are a valid import of their own (tested): the items
template's rows are a plan, and the milestones and updates templates refer to
it. Given the store (the upload page), the milestones and updates examples are
instead rows of the plan being reported on: its real item ids and parties, the
date its data is current to and each party's latest progress, so the template
of the sample plan imports with no error (tested).
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd

from analytics.plans import JOINT, plan_current_to, plan_parties
from analytics.store import Store
from analytics.writes import COLUMNS

EXAMPLE_NOTE = "Example: one line on this month's progress"

EXAMPLES = {
    "items": [
        ["LO-01", "Liaison officers", "Nominate liaison officers", "Joint",
         "Ministry of Home Affairs", date(2026, 2, 15), date(2026, 5, 31), 1,
         "Each side names its officers"],
        ["FR-02", "Fraud", "Share fraud typologies", "Canada", "Canadian Anti-Fraud Centre",
         date(2026, 3, 1), date(2026, 12, 15), 2, ""],
        ["FR-03", "Fraud", "Coordinate call-centre takedowns", "India", "CBI",
         date(2026, 4, 1), date(2027, 3, 31), 1, ""],
    ],
    "milestones": [
        ["LO-01-M1", "LO-01", "Names exchanged", date(2026, 4, 15), date(2026, 4, 10), ""],
        ["FR-02-M1", "FR-02", "First typology report", date(2026, 9, 30), "", ""],
    ],
    "updates": [
        ["LO-01", date(2026, 10, 31), 80, "Green", "Officers named; posting in progress",
         "Ministry of Home Affairs", "India"],
        ["LO-01", date(2026, 10, 31), 70, "Amber", "Canada's officer still to be named",
         "Public Safety Canada", "Canada"],
        ["FR-02", date(2026, 10, 31), 35, "Amber", "Data-sharing agreement pending", "CAFC",
         "Canada"],
        ["FR-03", date(2026, 10, 31), 40, "Green", "First takedown coordinated", "CBI", ""],
    ],
}


def template_frame(kind: str, store: Store | None = None, plan_id: int | None = None
                   ) -> pd.DataFrame:
    """The example rows of `kind` under the canonical headers (of the plan, when a store and
    a plan are given)."""
    rows = plan_examples(store, plan_id, kind) if store is not None and plan_id else None
    return pd.DataFrame(rows or EXAMPLES[kind], columns=COLUMNS[kind])


def plan_examples(store: Store, plan_id: int, kind: str) -> list[list] | None:
    """Milestone or update rows about the plan's own items (None: items, or no plan yet).

    The first joint item gets one report from each of two parties (the party column filled),
    the first item led by one party a report with the party column empty (its lead's).
    """
    if kind == "items":
        return None
    as_of = plan_current_to(store, plan_id) or date.today()
    items = _example_items(store, plan_id, as_of)
    if not items:
        return None
    if kind == "milestones":
        return [[_new_milestone_id(store, plan_id, item_id), item_id, "Example milestone", due,
                 as_of if n else "", ""] for n, (item_id, _, _, due) in enumerate(items)]
    parties = plan_parties(store, plan_id)
    rows = []
    for item_id, lead, owner, _ in items:
        for party in (parties[:2] if lead == JOINT else [""]):
            pct, status = _latest_report(store, plan_id, item_id, party or lead, as_of)
            rows.append([item_id, as_of, pct, status, EXAMPLE_NOTE, owner, party])
    return rows or None


def _example_items(store: Store, plan_id: int, as_of: date) -> list[tuple]:
    """(item_id, lead_party, owner, due_date) of the first joint item and the first item led
    by one party, items still open on `as_of` first."""
    return store.cursor().execute(
        "SELECT item_id, lead_party, owner, due_date FROM view_items($plan, [], [], [])"
        " QUALIFY row_number() OVER (PARTITION BY lead_party = $joint"
        "                            ORDER BY due_date < $as_of, item_id) = 1"
        " ORDER BY lead_party <> $joint, item_id",
        {"plan": plan_id, "joint": JOINT, "as_of": as_of}).fetchall()


def _latest_report(store: Store, plan_id: int, item_id: str, party: str, as_of: date) -> tuple:
    """The party's latest progress and status on the item by `as_of` (0, Not started if none),
    so the example row is neither a regression nor a jump."""
    found = store.cursor().execute(
        "SELECT percent_complete, status FROM plan_current_reports(?) WHERE item_id = ?"
        " AND party_key = ? AND as_of <= ? ORDER BY as_of DESC, report_rank DESC LIMIT 1",
        [plan_id, item_id, party, as_of]).fetchall()
    pct, status = found[0] if found else (0, "not_started")
    return (int(pct) if float(pct).is_integer() else pct), status.replace("_", " ").capitalize()


def _new_milestone_id(store: Store, plan_id: int, item_id: str) -> str:
    """'CYP-04-M3': the item's next milestone id not yet in the plan."""
    taken = {r[0] for r in store.cursor().execute(
        "SELECT milestone_id FROM plan_milestones(?) WHERE starts_with(milestone_id, ?)",
        [plan_id, item_id]).fetchall()}
    return next(f"{item_id}-M{n}" for n in range(1, len(taken) + 2) if f"{item_id}-M{n}" not in taken)


def template_bytes(kind: str, fmt: str, store: Store | None = None,
                   plan_id: int | None = None) -> bytes:
    """The template as 'csv' (UTF-8 with BOM, ISO dates) or 'xlsx' (real date cells); with a
    store and a plan, its milestone and update examples are rows of that plan
    (`plan_examples`)."""
    frame = template_frame(kind, store, plan_id)
    if fmt == "csv":
        text = frame.map(lambda v: v.isoformat() if isinstance(v, date) else v)
        return text.to_csv(index=False).encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"unknown template format {fmt!r}")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
