"""`workplan metrics`: group figures as of a date, as a table, CSV or JSON.

Why: analysts and scripts need the dashboard's numbers without the dashboard, and
anyone must be able to recompute them by hand (analytics/METRICS.md). CSV and JSON
carry every figure unrounded (undefined values empty in CSV, null in JSON); the
table is rounded for people. Uses `analytics.metrics.group_metrics`; `--by plan` uses
`analytics.metrics.portfolio_metrics` (one row per plan of the store, the same columns, the
plan's code as the group: the CLI runs as the machine's operator, who sees every plan).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from datetime import date

import numpy as np
import pandas as pd

from analytics import formatting
from analytics.cli._common import iso_date, open_from_args, plan_from_args
from analytics.context import plan_view
from analytics.errors import UsageError, WorkplanError
from analytics.metrics import (
    GROUP_COLUMNS,
    GROUPINGS,
    data_current_to,
    group_metrics,
    portfolio_metrics,
)
from analytics.plans import list_plans, plan_is_empty
from analytics.settings import Settings
from analytics.store import Store

ORDER = 40
TABLE_COLUMNS = [  # (heading, column, format)
    ("group", "group", "text"), ("items", "items", "int"), ("actual %", "actual_pct", ".1f"),
    ("planned %", "planned_pct", ".1f"), ("var pp", "variance_pp", "+.1f"),
    ("spi_t", "spi_t", ".2f"), ("sv_t d", "sv_t_days", "+.1f"),
    ("forecast", "forecast_finish", "date"), ("planned", "planned_finish", "date"),
    ("health", "health", "text"), ("G", "green", "int"), ("A", "amber", "int"),
    ("R", "red", "int"), ("C", "complete", "int"), ("NS", "not_started", "int"),
    ("overdue", "overdue", "int"), ("stale", "stale", "int"), ("ms", "milestones", "int"),
    ("done", "milestones_done", "int"), ("ms late", "milestones_overdue", "int"),
    ("slipped", "milestones_slipped", "int"),
]


class EmptyPlanError(WorkplanError):
    """The database holds no work items: there is nothing to compute."""

    exit_code = 1


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "metrics", help="progress, schedule and health by domain, party, owner or item",
        description=(
            "Print group metrics as of a date (definitions: analytics/METRICS.md). "
            "CSV and JSON are unrounded, dates ISO, undefined values empty (CSV) or null "
            "(JSON), each group's health with its reason; the table is rounded and lists the "
            "reasons under it. An empty database prints one line on stderr and "
            "exits with status 1."),
    )
    parser.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                        help="the as-of date (default: the latest as_of in the database, "
                             "'data current to'; today when there are no status updates)")
    parser.add_argument("--by", choices=(*GROUPINGS, "plan"), default="domain",
                        help="grouping (default: domain; party = lead party; overall = whole "
                             "plan; plan = one row per plan, worst first, each as of its data "
                             "current to unless --as-of is given; not with --plan)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format (default: table)")
    parser.set_defaults(func=run_metrics)


def run_metrics(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        if store.is_empty():
            raise EmptyPlanError(f"{store.path} holds no work plan yet; load one with "
                                 "`workplan import` or try `workplan demo`.")
        if args.by == "plan":
            frame, title = plan_rows(store, args)
        else:
            frame, title = group_rows(store, args)
    write = {"csv": write_csv, "json": write_json, "table": write_table}[args.format]
    write(frame, sys.stdout, title=title)
    return 0


def group_rows(store: Store, args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    """The groups of the plan of --plan, and the table's title line."""
    plan = plan_from_args(store, args)
    if plan_is_empty(store, plan.id):
        raise EmptyPlanError(f"Plan {plan.code} holds no work items yet; import an items "
                             f"sheet with `workplan import items FILE --plan {plan.code}`.")
    ctx = plan_view(store, plan, args.as_of)
    current = data_current_to(store, ctx)
    return group_metrics(store, ctx, args.by), (
        f"Work plan metrics by {args.by}, {ctx.label()} (data current to "
        f"{current.isoformat() if current else 'no updates yet'})")


def plan_rows(store: Store, args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    """One row per plan of the store (the portfolio), and the table's title line."""
    if getattr(args, "plan", None):
        raise UsageError("--by plan gives one row per plan of the store; leave out --plan "
                         f"(or use --by overall --plan {args.plan} for that plan's row).")
    frame = portfolio_metrics(store, list_plans(store), Settings.from_env(), args.as_of)
    dates = ", ".join(
        f"{row.group} {formatting.iso_date(row.data_current_to, none='no updates yet')}"
        + (" (sample data)" if row.sample else "") for row in frame.itertuples(index=False))
    when = (f"as of {args.as_of.isoformat()}" if args.as_of
            else "each as of its data current to")
    return frame, f"Work plan metrics by plan, {when} (data current to: {dates})"


def csv_value(value) -> str:
    """Unrounded numbers (shortest exact repr), ISO dates, empty for undefined."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def json_value(value):
    """JSON-ready value: null for undefined, ISO dates, plain ints and floats."""
    if isinstance(value, str):
        return value
    if csv_value(value) == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    return str(value)


CSV_COLUMNS = GROUP_COLUMNS + ["reason"]


def write_csv(frame: pd.DataFrame, out, **_) -> None:
    write_columns_csv(frame, CSV_COLUMNS, out)


def write_columns_csv(frame: pd.DataFrame, columns: list[str], out) -> None:
    """`columns` of `frame` as CSV, values by `csv_value` (unrounded, ISO dates, empty)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in frame[columns].itertuples(index=False):
        writer.writerow([csv_value(value) for value in row])


def write_json(frame: pd.DataFrame, out, **_) -> None:
    columns = GROUP_COLUMNS + ["planned_start", "reason"]
    rows = [{column: json_value(value) for column, value in zip(columns, row, strict=True)}
            for row in frame[columns].itertuples(index=False)]
    json.dump(rows, out, indent=1)
    out.write("\n")


def write_aligned(frame: pd.DataFrame, columns: list[tuple[str, str, str]], out) -> None:
    """`frame` as an aligned text table: `columns` are (heading, column, format) with format
    'text' (left-aligned), 'int', 'date' or a float format such as '.1f' (`table_cell`)."""
    rows = [[table_cell(getattr(row, column), kind) for _, column, kind in columns]
            for row in frame.itertuples(index=False)]
    headings = [heading for heading, _, _ in columns]
    widths = [max(len(cell) for cell in column) for column in zip(headings, *rows, strict=True)]
    left = {i for i, (_, _, kind) in enumerate(columns) if kind == "text"}
    for line in [headings, *rows]:
        cells = [cell.ljust(w) if i in left else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(line, widths, strict=True))]
        out.write("  ".join(cells).rstrip() + "\n")


def table_cell(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if kind == "date":
        return value.isoformat()
    if kind == "text":
        text = str(value)
        return text if len(text) <= 40 else text[:39] + "…"
    if kind == "int":
        return str(int(value))
    return format(float(value), kind)


def write_table(frame: pd.DataFrame, out, *, title: str) -> None:
    out.write(title + "\n")
    write_aligned(frame, TABLE_COLUMNS, out)
    out.write("\nWhy:\n")
    for group, reason in zip(frame["group"], frame["reason"], strict=True):
        out.write(f"  {group}: {reason}\n")
