"""`workplan init` and `workplan demo`: create the database and load the sample plan."""

from __future__ import annotations

import argparse

from analytics.cli._common import open_from_args
from analytics.sample import load_sample

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
