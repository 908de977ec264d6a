"""`workplan init`, `workplan demo` and `workplan parties`: create the database, load the
sample plan, and list or record the plan's parties (who may report)."""

from __future__ import annotations

import argparse

from analytics.cli._common import open_from_args, os_user
from analytics.errors import UsageError
from analytics.plan import JOINT, plan_parties
from analytics.sample import load_sample
from analytics.writes import record_parties

ORDER = 10


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="create the database and its tables (idempotent)",
                                 description="Create the DuckDB file and apply schema migrations.")
    init.set_defaults(func=run_init)
    demo = subparsers.add_parser("demo", help="load the sample India-Canada work plan",
                                 description="Load the deterministic sample plan (labelled sample data).")
    demo.add_argument("--replace", action="store_true",
                      help="replace whatever plan the database holds")
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
        print(f"{store.path}: schema version {store.schema_version()}, "
              f"{'empty' if store.is_empty() else 'holds a plan'}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        uploads = load_sample(store, replace=args.replace)
        items = store.scalar("SELECT count(*) FROM work_items")
        updates = store.scalar("SELECT count(*) FROM status_updates")
        print(f"{store.path}: loaded the sample plan ({items} items, {updates} status updates "
              f"in {uploads} uploads), data current to {store.data_current_to()}")
    return 0


def run_parties(args: argparse.Namespace) -> int:
    names = [name.strip() for name in args.names if name.strip()]
    if any(name == JOINT or "," in name for name in names):
        raise UsageError(f"A party is a name such as India, not {JOINT!r} or a list with commas.")
    with open_from_args(args) as store:
        if names:
            record_parties(store, list(dict.fromkeys(names)), by=args.by or os_user())
        for party in plan_parties(store):
            print(party)
    return 0
