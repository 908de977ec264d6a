"""`workplan round` and `workplan sheet`: the reporting round, and an owner's pre-filled sheet.

Why: the programme office chases late reports from a terminal or a script as well as from
the "Reporting round" page. `round` prints every owner with the reports they owe in the
round, their last report and their state, worst first (analytics/reporting_round.py);
`sheet` writes one owner's pre-filled status sheet (analytics/owner_sheet.py) as .xlsx or
.csv, by the file name's extension. Exit codes: 0 done, 2 usage (unknown owner, an owner
who owes nothing, a bad extension or setting).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analytics.cli._common import iso_date, open_from_args, plan_from_args
from analytics.cli.metrics import write_aligned, write_columns_csv
from analytics.context import plan_view
from analytics.errors import UsageError
from analytics.owner_sheet import owner_sheet_csv, owner_sheet_xlsx
from analytics.reporting_round import ROUND_COLUMNS, period_of, reporting_round

ORDER = 35
# (heading, column, kind) of the table output
TABLE_COLUMNS = [("owner", "owner", "text"), ("party", "party", "text"),
                 ("owed", "items_owed", "int"), ("reported", "items_reported", "int"),
                 ("last report", "last_report", "date"), ("due", "due_date", "date"),
                 ("state", "state", "text"), ("days overdue", "days_overdue", "int")]
SHEET_WRITERS = {".xlsx": owner_sheet_xlsx, ".csv": owner_sheet_csv}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "round", help="who owes a status report in the reporting round, worst first",
        description="Every owner with the reports they owe for the last complete reporting "
                    "period (WORKPLAN_REPORT_PERIOD, due on WORKPLAN_REPORT_DUE_DAY of the next "
                    "month), their last report and state: overdue, due, reported, not due.")
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="the date (default: the plan's data current to)")
    parser.add_argument("--party", default=None, help="only the owners of this party")
    parser.add_argument("--format", choices=("table", "csv"), default="table",
                        help="output format (default: table)")
    parser.set_defaults(func=run_round)
    sheet = subparsers.add_parser(
        "sheet", help="write an owner's pre-filled status sheet (.xlsx or .csv)",
        description="One row per report the owner owes in the round, pre-filled with the last "
                    "report; re-uploaded unchanged it changes nothing.")
    sheet.add_argument("--owner", required=True, help="the owner (as in the plan's items)")
    sheet.add_argument("--out", required=True, help="the file to write: NAME.xlsx or NAME.csv")
    sheet.add_argument("--as-of", type=iso_date, default=None,
                       help="the date (default: the plan's data current to)")
    sheet.set_defaults(func=run_sheet)


def run_round(args: argparse.Namespace) -> int:
    store = open_from_args(args)
    ctx = plan_view(store, plan_from_args(store, args), args.as_of)
    frame = reporting_round(store, ctx, args.party)
    if args.format == "csv":
        write_columns_csv(frame, ROUND_COLUMNS, sys.stdout)
        return 0
    period = period_of(ctx)
    title = (f"Reporting round of {ctx.plan.code}, {period.label()} (due {period.due}), "
             f"as of {ctx.as_of}" + (f", party {args.party}" if args.party else ""))
    write_table(frame, sys.stdout, title=title)
    return 0


def run_sheet(args: argparse.Namespace) -> int:
    writer = SHEET_WRITERS.get(Path(args.out).suffix.lower())
    if writer is None:
        raise UsageError(f"--out {args.out}: the file name must end in .xlsx or .csv.")
    store = open_from_args(args)
    ctx = plan_view(store, plan_from_args(store, args), args.as_of)
    data = writer(store, ctx, args.owner)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"Cannot write {args.out}: {exc.strerror or exc}.") from None
    print(f"wrote {args.out}: the pre-filled sheet of {args.owner} for {period_of(ctx).label()}")
    return 0


def write_table(frame: pd.DataFrame, out, *, title: str) -> None:
    out.write(title + "\n")
    if frame.empty:
        out.write("No owners.\n")
        return
    write_aligned(frame, TABLE_COLUMNS, out)
