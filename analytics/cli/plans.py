"""`workplan plan add|list|remove`: the work plans a store holds.

Why: a programme office keeps several plans in one store, and whoever holds the file creates,
lists and removes them from a shell (analytics.plans does the work and writes the audit log).
`add` and `remove` name their plan as CODE, so their `--plan` is hidden and may only repeat
CODE; `list --plan CODE` lists that plan alone. `remove` refuses a plan that still holds data
unless `--force`, and prints what it removed.
"""

from __future__ import annotations

import argparse
import csv
import sys

from analytics.cli._common import iso_date, open_from_args, os_user
from analytics.errors import UsageError
from analytics.plans import (
    GRANTS_TABLE,
    Plan,
    add_plan,
    list_plans,
    plan_current_to,
    plan_item_count,
    remove_plan,
    resolve_plan,
)
from analytics.store import Store

ORDER = 15
CSV_COLUMNS = ["code", "title", "parties", "start_date", "end_date", "items", "data_current_to",
               "sample"]


def register(subparsers) -> None:
    plan = subparsers.add_parser("plan", help="add, list or remove work plans",
                                 description="Manage the work plans this store holds.")
    commands = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    commands.required = True

    add = commands.add_parser("add", help="create an empty plan",
                              description="Create a plan (audited); import its sheets with "
                                          "`workplan import KIND FILE --plan CODE`.")
    add.add_argument("code", metavar="CODE", help="short code: letters, digits, '-' or '_'")
    add.add_argument("--title", required=True, help="the plan's title")
    add.add_argument("--parties", default="", metavar="NAMES",
                     help="its parties, comma-separated (e.g. India,Canada)")
    add.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help="the plan's start")
    add.add_argument("--end", type=iso_date, metavar="YYYY-MM-DD", help="the plan's end")
    add.add_argument("--by", default=None, help="who adds it (default: your OS user name)")
    _hidden_plan_flag(add)
    add.set_defaults(func=run_add)

    listing = commands.add_parser("list", help="list the plans, their items and data dates",
                                  description="One line per plan: code, title, parties, items "
                                              "and data current to; or CSV with --format csv.")
    listing.add_argument("--format", choices=("table", "csv"), default="table",
                         help="output format (default: table)")
    listing.add_argument("--plan", metavar="CODE", default=None, help="list this plan only")
    listing.set_defaults(func=run_list)

    remove = commands.add_parser("remove", help="delete a plan (with --force, and its data)",
                                 description="Delete a plan (audited). Refused while it holds "
                                             "items, reports, uploads or notes, unless --force, "
                                             "which deletes them too; other plans are untouched.")
    remove.add_argument("code", metavar="CODE", help="the plan's code")
    remove.add_argument("--force", action="store_true", help="remove the plan's data as well")
    remove.add_argument("--by", default=None, help="who removes it (default: your OS user name)")
    _hidden_plan_flag(remove)
    remove.set_defaults(func=run_remove)


def _hidden_plan_flag(parser: argparse.ArgumentParser) -> None:
    """A `--plan` that add_plan_flag leaves alone: CODE names the plan here."""
    parser.add_argument("--plan", metavar="CODE", default=None, help=argparse.SUPPRESS)


def _same_plan(args: argparse.Namespace) -> None:
    if args.plan and args.plan.casefold() != args.code.casefold():
        raise UsageError(f"`workplan plan {args.plan_command}` names its plan as CODE "
                         f"({args.code}); --plan {args.plan} says another.")


def run_add(args: argparse.Namespace) -> int:
    _same_plan(args)
    parties = [name.strip() for name in args.parties.split(",") if name.strip()]
    with open_from_args(args) as store:
        plan = add_plan(store, args.code, title=args.title, parties=parties,
                        start_date=args.start, end_date=args.end, by=args.by or os_user())
    print(f"added plan {plan.code} ({plan.title}){_parties_text(plan)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plans = [resolve_plan(store, args.plan)] if args.plan else list_plans(store)
        rows = [_row(store, plan) for plan in plans]
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return 0
    if not rows:
        print("no plans yet; `workplan plan add CODE --title TITLE` creates one, and so does "
              "the first `workplan import items FILE`")
    width = max((len(row["code"]) for row in rows), default=0)
    for row in rows:
        current = (f"data current to {row['data_current_to']}" if row["data_current_to"]
                   else "no reports yet")
        parties = f" [{row['parties'].replace(',', ', ')}]" if row["parties"] else ""
        sample = ", sample data" if row["sample"] == "true" else ""
        print(f"{row['code']:<{width}}  {row['title']}{parties}: {row['items']} items, "
              f"{current}{sample}")
    return 0


def _row(store: Store, plan: Plan) -> dict[str, str | int]:
    """The plan's CSV row (dates ISO, empty when unset)."""
    current = plan_current_to(store, plan.id)
    return {"code": plan.code, "title": plan.title, "parties": ",".join(plan.parties),
            "start_date": _iso(plan.start_date), "end_date": _iso(plan.end_date),
            "items": plan_item_count(store, plan.id), "data_current_to": _iso(current),
            "sample": "true" if plan.sample else "false"}


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _parties_text(plan: Plan) -> str:
    return f", parties {', '.join(plan.parties)}" if plan.parties else ""


def run_remove(args: argparse.Namespace) -> int:
    _same_plan(args)
    with open_from_args(args) as store:
        plan = resolve_plan(store, args.code)
        counts = remove_plan(store, plan.code, force=args.force, by=args.by or os_user())
    grants = counts.pop(GRANTS_TABLE)
    removed = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
    print(f"removed plan {plan.code} ({plan.title})"
          + (f" and its data: {removed}" if removed else "; it held no data")
          + (f"; {grants} grant{'s' if grants != 1 else ''} on it" if grants else ""))
    return 0
