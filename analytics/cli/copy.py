"""`workplan copy`: move a whole store from the DuckDB file into PostgreSQL, or back.

    workplan copy --to postgresql://app@db/pulse        (from --db / $WORKPLAN_DB)
    workplan copy --from postgresql://app@db/pulse --to backup.duckdb
"""

from __future__ import annotations

import argparse

from analytics.cli._common import db_path
from analytics.errors import UsageError
from analytics.pg.url import is_postgres_url, redacted

ORDER = 12


def register(subparsers) -> None:
    copy = subparsers.add_parser(
        "copy", help="copy a whole store between the DuckDB file and PostgreSQL",
        description="Copy every table (all plans, uploads, history, accounts, audit) into an "
                    "empty store, in one transaction. `--to URL` copies the DuckDB file "
                    "(--db, else $WORKPLAN_DB) into PostgreSQL; `--from URL --to FILE` copies "
                    "a PostgreSQL store into a DuckDB file.")
    copy.add_argument("--to", required=True, metavar="URL_OR_FILE",
                      help="the empty store to fill: a postgresql:// URL, or a DuckDB file with --from")
    copy.add_argument("--from", dest="source", metavar="URL",
                      help="a PostgreSQL store to copy into the file given by --to")
    copy.set_defaults(func=run_copy)


def run_copy(args: argparse.Namespace) -> int:
    from analytics.pg.copy import copy_file_to_postgres, copy_postgres_to_file

    if args.source:
        if not is_postgres_url(args.source) or is_postgres_url(args.to):
            raise UsageError("--from takes a postgresql:// URL and --to then a DuckDB file.")
        counts = copy_postgres_to_file(args.source, args.to)
        source, target = redacted(args.source), args.to
    else:
        if not is_postgres_url(args.to):
            raise UsageError("--to takes a postgresql:// URL (or use --from URL --to FILE).")
        source = db_path(args)
        if is_postgres_url(source):
            raise UsageError("--db must be the DuckDB file to copy from.")
        counts = copy_file_to_postgres(source, args.to)
        target = redacted(args.to)
    print(f"Copied {sum(counts.values()):,} rows in {len(counts)} tables from {source} to {target}.")
    return 0
