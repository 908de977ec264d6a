"""The pre-filled status sheet of one owner for the reporting round, as XLSX or CSV.

Why: an agency sends a cleaner report, sooner, when it starts from its own items with its
last figures already in. The sheet holds one row per report the owner owes in the round
(analytics/reporting_round.py: each owed item, and for a joint item one row per party),
under exactly the columns the updates importer reads (analytics/writes.py UPDATE_COLUMNS),
each row pre-filled with that party's last report (its as_of, % complete, status, note,
reporter and party). So the file re-uploaded unchanged re-submits the same reports: each
row replaces an identical report of the same party and date (analytics/METRICS.md,
"Current report"), and no figure moves; the same bytes uploaded twice are a duplicate.
Rows of a joint item keep the order of the parties' reports, so that a tie between them
is broken the same way after the re-upload.

An owed report with no earlier report has nothing to pre-fill; the XLSX lists those on
its "Instructions" sheet (who, which plan, the period, the deadline, how to fill the rows
in) so the owner adds a row for each. The XLSX has data validation on status (the stored
codes, analytics/writes.py STATUSES) and on % complete (a decimal 0-100); its text cells
are stored as text, never formulas. The CSV neutralises cells a spreadsheet would read as
a formula (a leading `'`, as every CSV export does).

Called by the "Reporting round" page (pages/round.py) and `workplan sheet`.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.context import ViewContext, slugify
from analytics.errors import UsageError
from analytics.exports.tables import neutralised_text
from analytics.reporting_round import owed_reports, period_of
from analytics.store import Store
from analytics.writes import STATUSES, UPDATE_COLUMNS

SHEET_TITLE = "Reports"
SPARE_ROWS = 200            # rows below the pre-filled ones that keep the validation (new reports)
MISSING_COLUMNS = ["item_id", "party", "title", "start_date", "due_date"]
WIDTHS = {"item_id": 12, "as_of": 12, "percent_complete": 18, "status": 13, "note": 60,
          "reported_by": 30, "party": 12}


def owner_reports(store: Store, ctx: ViewContext, owner: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pre-filled rows under UPDATE_COLUMNS, owed reports without an earlier one) of `owner`.

    A UsageError when the plan has no such owner (names compare case-insensitively) or the
    owner owes no report in the round."""
    owed = owed_reports(store, ctx)
    name = _owner_name(store, ctx, owner)
    own = owed[owed["owner"] == name]
    if own.empty:
        period = period_of(ctx)
        raise UsageError(f"{name} owes no report for {period.label()} as of {ctx.as_of}; "
                         "no sheet was made.")
    known = own["as_of"].notna()
    rows = own.loc[known, UPDATE_COLUMNS].reset_index(drop=True)
    rows["percent_complete"] = rows["percent_complete"].map(_number)
    return rows, own.loc[~known, MISSING_COLUMNS].reset_index(drop=True)


def owner_sheet_csv(store: Store, ctx: ViewContext, owner: str) -> bytes:
    """The pre-filled rows as CSV (UTF-8 with a BOM for Excel, ISO dates)."""
    rows, _ = owner_reports(store, ctx, owner)
    text = rows.map(lambda v: v.isoformat() if isinstance(v, date)
                    else neutralised_text(v) if isinstance(v, str) else v)
    return text.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def owner_sheet_xlsx(store: Store, ctx: ViewContext, owner: str) -> bytes:
    """The pre-filled rows on a "Reports" sheet with data validation, then "Instructions"."""
    rows, missing = owner_reports(store, ctx, owner)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(UPDATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows.itertuples(index=False):
        sheet.append([None if _blank(v) else v for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"             # text, never a formula
    _validations(sheet, len(rows) + 1 + SPARE_ROWS)
    for index, column in enumerate(UPDATE_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = WIDTHS[column]
    sheet.freeze_panes = "A2"
    _instructions(workbook.create_sheet("Instructions"), ctx, rows["item_id"].iloc[0] if len(rows)
                  else None, _owner_name(store, ctx, owner), missing)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_file_name(ctx: ViewContext, owner: str, extension: str) -> str:
    """'report-sheet-cert-in_ic_2026-11-24.xlsx'."""
    return ctx.file_name(f"report-sheet-{slugify(owner)}", extension)


def instruction_lines(ctx: ViewContext, owner: str, example: str | None) -> list[str]:
    """What the Instructions sheet says, line by line."""
    period = period_of(ctx)
    lines = [
        f"Status report of {owner}",
        f"Plan: {ctx.plan.code} ({ctx.plan.title})",
        f"Reporting period: {period.label()} ({period.start} to {period.end})",
        f"Reports due: {period.due}",
        f"Prepared as of {ctx.as_of}" + (" (sample data)" if ctx.sample else ""),
        "",
        "How to fill it in:",
        f"1. The '{SHEET_TITLE}' sheet has one row per report you owe, with your last report "
        "filled in (a joint item has one row per party).",
        "2. For each row, set as_of to the date of your new report (for example today), then "
        "update percent_complete (a number from 0 to 100), status and note.",
        f"3. status is one of: {', '.join(STATUSES)}.",
        "4. Keep item_id and party as they are; reported_by is who reports.",
        "5. A row left unchanged re-submits your last report and changes nothing.",
        "6. For a report listed below as having no earlier report, add a row with its item_id "
        "and party.",
        "7. Upload the file on the dashboard's Upload page (status updates), or run "
        f"`workplan import updates FILE --plan {ctx.plan.code}`.",
    ]
    if example:
        lines.append(f"Example: item {example}, as_of {period.due}, percent_complete 60, "
                     "status green, note 'Draft agreed with counterparts'.")
    if ctx.settings.marking:
        lines.insert(0, ctx.settings.marking)
    return lines


def _instructions(sheet, ctx: ViewContext, example: str | None, owner: str,
                  missing: pd.DataFrame) -> None:
    sheet.column_dimensions["A"].width = 110
    for line in instruction_lines(ctx, owner, example):
        sheet.append([line])
    sheet["A1"].font = Font(bold=True)
    if len(missing):
        sheet.append([])
        sheet.append(["Reports owed with no earlier report (add a row for each):"])
        sheet.append(MISSING_COLUMNS)
        for row in missing.itertuples(index=False):
            sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"


def _validations(sheet, last_row: int) -> None:
    """A list on status, a decimal 0-100 on percent_complete, a date on as_of."""
    rules = [
        ("D", DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"',
                             allow_blank=True, error=f"Choose one of: {', '.join(STATUSES)}.")),
        ("C", DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                             allow_blank=True, error="Enter a number from 0 to 100.")),
        ("B", DataValidation(type="date", operator="greaterThan", formula1="1",
                             allow_blank=True, error="Enter a date, such as 2026-11-05.")),
    ]
    for column, rule in rules:
        rule.showErrorMessage = True
        rule.add(f"{column}2:{column}{last_row}")
        sheet.add_data_validation(rule)


def _owner_name(store: Store, ctx: ViewContext, owner: str) -> str:
    """The plan's spelling of `owner`, or a UsageError."""
    names = [row[0] for row in store.cursor().execute(
        "SELECT DISTINCT owner FROM view_items(?, [], [], []) ORDER BY 1", [ctx.plan.id]).fetchall()]
    for name in names:
        if name == owner or name.casefold() == (owner or "").strip().casefold():
            return name
    raise UsageError(f"Plan {ctx.plan.code} has no owner {owner!r}; `workplan round` lists "
                     "the owners.")


def _number(value: float):
    """45.0 -> 45 (as typed), 45.5 stays."""
    return int(value) if float(value).is_integer() else float(value)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""
