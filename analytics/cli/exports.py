"""`workplan export` (one chart or table, or the portfolio of every plan, to a file) and
`workplan report` (the briefing pack).

Why: briefing notes are often assembled by script, or on a machine without the
dashboard open. The CLI writes the same bytes as the download buttons (same
`analytics.exports` code, same file-name context) and records each export in the
audit log. `export portfolio` is about every plan of the store (the CLI runs as the
machine's operator), each as of its data current to unless --as-of is given. Exit codes:
0 written, 2 usage error (unknown name, wrong format, unknown domain, no Chromium for a
static image).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from analytics.cli._common import (
    add_lang_flag,
    iso_date,
    lang_from_args,
    open_from_args,
    os_user,
    plan_from_args,
)
from analytics.context import Filters, ViewContext, plan_view
from analytics.errors import UsageError
from analytics.exports import CHART_FORMATS, REPORT_FORMATS, TABLE_FORMATS
from analytics.plans import list_plans
from analytics.store import Store
from analytics.writes import audit

ORDER = 40
DEFAULT_SINCE_DAYS = 30


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="export one chart (png/svg/pdf/html) or table (csv/xlsx), or the "
                       "portfolio of every plan (csv/xlsx/pdf/pptx), to a file",
        description="`workplan export --list` lists every export; `workplan export chart NAME "
                    "--format png --out FILE` writes one; `workplan export portfolio --format "
                    "pdf --out FILE` writes one row per plan, worst first (one page or slide).")
    export.add_argument("--list", action="store_true", help="print one line per export and stop")
    export.add_argument("kind", nargs="?", choices=("chart", "table", "portfolio"),
                        help="chart, table or portfolio")
    export.add_argument("name", nargs="?", help="the chart or table name (see --list)")
    export.add_argument("--format", choices=sorted({*CHART_FORMATS, *TABLE_FORMATS,
                                                    *REPORT_FORMATS}),
                        help="charts: png, svg, pdf, html; tables: csv, xlsx; "
                             "portfolio: csv, xlsx, pdf, pptx")
    export.add_argument("--out", help="output file")
    _context_flags(export)
    export.set_defaults(func=run_export)

    report = subparsers.add_parser(
        "report", help="build the briefing pack (PDF report or PowerPoint deck)",
        description="Executive summary (verdict, the key messages and decisions sought saved "
                    "for the meeting, domains worst first, top risks, what changed), figures, "
                    "overview charts, a page per domain, top risks, what changed since a date "
                    "and a data-freshness note; WORKPLAN_MARKING on every page.")
    report.add_argument("--format", required=True, choices=REPORT_FORMATS)
    report.add_argument("--out", required=True, help="output file")
    report.add_argument("--since", type=iso_date, default=None,
                        help=f"compare with this date (default: as-of minus {DEFAULT_SINCE_DAYS} days)")
    report.add_argument("--meeting", type=iso_date, default=None,
                        help="the meeting whose key messages and decisions the pack opens with "
                             "(default: the latest meeting with saved notes; see `workplan notes`)")
    _context_flags(report)
    report.set_defaults(func=run_report)


def _context_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="the date the export describes (default: the latest update)")
    parser.add_argument("--domain", action="append", default=[],
                        help="only this domain (repeat for several)")
    parser.add_argument("--by", default=None, help="who is exporting (default: your OS user name)")
    add_lang_flag(parser)


def run_export(args: argparse.Namespace) -> int:
    if args.list:
        for line in export_lines():
            print(line)
        return 0
    if args.kind == "portfolio":
        return run_portfolio_export(args)
    if not (args.kind and args.name and args.format and args.out):
        raise UsageError("export needs KIND NAME --format FORMAT --out FILE (or --list).")
    writable_target(args.out)
    store = open_from_args(args)
    ctx = context_from_args(store, args)
    data = export_bytes(store, ctx, args.kind, args.name, args.format)
    write_file(args.out, data)
    audit(store, args.by or os_user(), "export",
          f"{args.kind} {args.name} {args.format} ({ctx.label()}) -> {Path(args.out).name}",
          plan_id=ctx.plan.id)
    print(f"wrote {args.out} ({len(data):,} bytes; {ctx.label()})")
    return 0


def run_portfolio_export(args: argparse.Namespace) -> int:
    """`workplan export portfolio`: every plan of the store, one row each, worst first."""
    from analytics.exports.portfolio import PORTFOLIO_FORMATS, portfolio_bytes, portfolio_label
    from analytics.metrics import portfolio_metrics
    from analytics.settings import Settings

    if args.name or args.domain or getattr(args, "plan", None):
        raise UsageError("export portfolio takes no name, --domain or --plan: it is about "
                         "every plan of the store.")
    if not (args.format and args.out):
        raise UsageError("export portfolio needs --format FORMAT --out FILE.")
    if args.format not in PORTFOLIO_FORMATS:
        raise UsageError(f"The portfolio exports as {', '.join(PORTFOLIO_FORMATS)}, "
                         f"not {args.format}.")
    writable_target(args.out)
    store = open_from_args(args)
    plans = list_plans(store)
    if not plans:
        raise UsageError(f"{store.path} holds no plan yet; load one with `workplan import` "
                         "or try `workplan demo`.")
    settings = Settings.from_env()
    frame = portfolio_metrics(store, plans, settings, args.as_of)
    data = portfolio_bytes(frame, args.format, settings, args.as_of, lang=lang_from_args(args))
    write_file(args.out, data)
    label = portfolio_label(frame, args.as_of)
    codes = ", ".join(frame["group"])
    audit(store, args.by or os_user(), "export",
          f"portfolio {args.format} ({label}: {codes}) -> {Path(args.out).name}")
    print(f"wrote {args.out} ({len(data):,} bytes; portfolio of {label})")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from analytics.briefing_notes import saved_notes
    from analytics.exports.report import build_report

    writable_target(args.out)
    store = open_from_args(args)
    ctx = context_from_args(store, args)
    since = args.since or ctx.as_of - timedelta(days=DEFAULT_SINCE_DAYS)
    if since >= ctx.as_of:
        raise UsageError(f"--since {since} must be before the as-of date {ctx.as_of}.")
    notes = saved_notes(store, ctx.plan.id, args.meeting)
    if args.meeting is not None and notes is None:
        raise UsageError(f"No key messages are saved for the meeting of {args.meeting}; "
                         "see `workplan notes`.")
    data = build_report(store, ctx, since, args.format, notes=notes)
    write_file(args.out, data)
    audit(store, args.by or os_user(), "export",
          f"report {args.format} since {since} ({ctx.label()}) -> {Path(args.out).name}",
          plan_id=ctx.plan.id)
    opened = f"; opens with the notes of the meeting of {notes.meeting}" if notes else ""
    print(f"wrote {args.out} ({len(data):,} bytes; {ctx.label()}; changes since {since}{opened})")
    return 0


def export_lines() -> list[str]:
    """'chart NAME' and 'table NAME', one per export, then 'portfolio'."""
    from analytics.charts import CHARTS
    from analytics.tables import TABLES

    return [f"chart {name}" for name in CHARTS] + [f"table {name}" for name in TABLES] + [
        "portfolio"]


def export_bytes(store: Store, ctx: ViewContext, kind: str, name: str, fmt: str) -> bytes:
    """The file contents of one chart or table export."""
    if kind == "chart":
        from analytics.charts import build_chart
        from analytics.exports.images import chart_bytes

        if fmt not in CHART_FORMATS:
            raise UsageError(f"A chart exports as {', '.join(CHART_FORMATS)}, not {fmt}.")
        return chart_bytes(build_chart(name, store, ctx), fmt, ctx, ctx.settings)
    from analytics.exports.tables import csv_bytes, xlsx_bytes
    from analytics.tables import TABLES, build_table

    if fmt not in TABLE_FORMATS:
        raise UsageError(f"A table exports as {', '.join(TABLE_FORMATS)}, not {fmt}.")
    frame = build_table(name, store, ctx)
    return csv_bytes(frame, ctx.lang) if fmt == "csv" else xlsx_bytes(frame, ctx, TABLES[name].title)


def context_from_args(store: Store, args: argparse.Namespace) -> ViewContext:
    """The ViewContext of --plan, --as-of and --domain, with the plan's sample flag."""
    plan = plan_from_args(store, args)
    domains = tuple(args.domain)
    known = [row[0] for row in store.cursor().execute(
        "SELECT name FROM plan_domains(?) ORDER BY sort_order, name", [plan.id]).fetchall()]
    unknown = [d for d in domains if d not in known]
    if unknown:
        raise UsageError(f"Unknown domain {unknown[0]!r}; domains: {', '.join(known) or 'none yet'}.")
    return plan_view(store, plan, args.as_of, Filters(domains=domains), lang=lang_from_args(args))


def writable_target(path: str) -> Path:
    """`path` as a Path, checked before any work: its folder must exist, it must not be one."""
    target = Path(path)
    if not target.parent.is_dir():
        raise UsageError(f"The folder {target.parent} does not exist.")
    if target.is_dir():
        raise UsageError(f"{target} is a folder; --out needs a file name.")
    return target


def write_file(path: str, data: bytes) -> None:
    """Write `data` to `path` all at once (a temporary file renamed), so no half files."""
    target = writable_target(path)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

