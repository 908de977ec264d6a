"""`workplan init`, `workplan demo` and `workplan parties`: create the database, load the
sample plans (analytics.sample), and list or record a plan's parties (who may report)."""

from __future__ import annotations

import argparse

from analytics.cli._common import open_from_args, os_user, plan_from_args
from analytics.errors import UsageError
from analytics.plans import JOINT, list_plans, plan_current_to, plan_item_count, plan_parties
from analytics.sample import load_demo
from analytics.writes import record_parties

ORDER = 10


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="create the database and its tables (idempotent)",
                                 description="Create the DuckDB file and apply schema migrations.")
    init.set_defaults(func=run_init)
    demo = subparsers.add_parser(
        "demo", help="load the sample plans (India-Canada security, Canada-EU clean energy)",
        description="Load the deterministic sample plans, labelled sample data: the India-Canada "
                    "security work plan (code IC, amber) and the smaller Canada-EU clean "
                    "energy and critical minerals plan (code CE, green), so the portfolio has "
                    "two plans to compare. A plan of either code that is not sample data is "
                    "never overwritten.")
    demo.add_argument("--replace", action="store_true",
                      help="replace the sample plans' data (other plans are left alone)")
    demo.set_defaults(func=run_demo)
    parties = subparsers.add_parser(
        "parties", help="list or record the plan's parties (who may report)",
        description="Without names: print the plan's parties, one per line (the recorded ones, "
                    "then every other lead party). With names: record them as the plan's "
                    "parties (audited), e.g. `workplan parties India Canada`.")
    parties.add_argument("names", nargs="*", metavar="NAME", help="a party of the plan")
    parties.add_argument("--by", default=None, help="who records them (default: your OS user name)")
    parties.set_defaults(func=run_parties)


def run_init(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plans = list_plans(store)
        held = ", ".join(p.code for p in plans) if plans else "no plan yet"
        print(f"{store.path}: schema version {store.schema_version()}, {held}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        for plan in load_demo(store, replace=args.replace):
            items = plan_item_count(store, plan.id)
            updates = store.scalar("SELECT count(*) FROM status_updates WHERE plan_id = ?",
                                   [plan.id])
            uploads = store.scalar("SELECT count(*) FROM uploads WHERE plan_id = ?", [plan.id])
            print(f"{store.path}: loaded the sample plan {plan.code} ({items} items, {updates} "
                  f"status updates in {uploads} uploads), data current to "
                  f"{plan_current_to(store, plan.id)}")
    return 0


def run_parties(args: argparse.Namespace) -> int:
    names = [name.strip() for name in args.names if name.strip()]
    if any(name == JOINT or "," in name for name in names):
        raise UsageError(f"A party is a name such as India, not {JOINT!r} or a list with commas.")
    with open_from_args(args) as store:
        plan = plan_from_args(store, args)
        if names:
            record_parties(store, plan.id, list(dict.fromkeys(names)), by=args.by or os_user())
        for party in plan_parties(store, plan.id):
            print(party)
    return 0
