"""Blank templates with example rows for each kind of upload, as CSV or .xlsx.

Why: agencies are far likelier to send a clean sheet when they start from one
that shows the columns, the accepted statuses and the date form. The upload
page offers them for download and `workplan template KIND --out FILE` writes
them. The example rows are a valid import of their own (tested).
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd

from analytics.writes import COLUMNS

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


def template_frame(kind: str) -> pd.DataFrame:
    """The example rows of `kind` under the canonical headers."""
    return pd.DataFrame(EXAMPLES[kind], columns=COLUMNS[kind])


def template_bytes(kind: str, fmt: str) -> bytes:
    """The template as 'csv' (UTF-8 with BOM, ISO dates) or 'xlsx' (real date cells)."""
    frame = template_frame(kind)
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
