"""`workplan import`, `workplan uploads`, `workplan revert`, `workplan template`.

Why: scripts and analysts load monthly status sheets without the dashboard,
with the same checks, the same all-or-nothing commit and the same audit trail.
Exit codes: 0 done (one-line summary), 1 file refused (each error printed as
`row N, column C: message`, nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from analytics.cli._common import (
    add_lang_flag,
    db_path,
    import_plan_from_args,
    lang_from_args,
    open_from_args,
    os_user,
    plan_from_args,
)
from analytics.errors import UsageError
from analytics.i18n import N_, translator
from analytics.ingest import KINDS, ReadOptions, import_upload, preview_upload, read_upload
from analytics.ingest.commit import CommitResult
from analytics.ingest.history import uploads_frame
from analytics.ingest.messages import message_in
from analytics.ingest.templates import template_bytes
from analytics.pg.url import is_postgres_url
from analytics.plans import FIRST_PLAN, list_plans
from analytics.store import Store
from analytics.writes import revert_upload

ORDER = 20
MAX_PRINTED_ERRORS = 1000
LISTED = ["id", "kind", "file", "by", "at", "accepted", "rejected", "outcome", "reverted"]
WARNING = N_("warning: {message}")
DRY_RUN = N_("Dry run: nothing was written.")
# The line under the first MAX_PRINTED_ERRORS errors: one sentence per grammatical number.
ONE_MORE_ERROR = N_("... and 1 more error")
MORE_ERRORS = N_("... and {n} more errors")


def register(subparsers) -> None:
    imp = subparsers.add_parser("import", help="import a status sheet (CSV or .xlsx)",
                                description="Check a sheet and commit it in one transaction; "
                                            "any row error refuses the whole file.")
    imp.add_argument("kind", choices=KINDS, help="what the sheet holds")
    imp.add_argument("file", help="a .csv/.tsv/.txt or .xlsx file")
    imp.add_argument("--sheet", help="xlsx sheet name (default: the first sheet)")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="commit the valid rows and keep the rejected ones with the upload")
    imp.add_argument("--dry-run", action="store_true", help="check and preview; write nothing")
    imp.add_argument("--by", default=None, help="who is importing (default: your OS user name)")
    order = imp.add_mutually_exclusive_group()
    order.add_argument("--day-first", dest="date_order", action="store_const", const="day-first",
                       help="read ambiguous slash dates as dd/mm/yyyy")
    order.add_argument("--month-first", dest="date_order", action="store_const", const="month-first",
                       help="read ambiguous slash dates as mm/dd/yyyy")
    imp.add_argument("--fractions", action="store_true",
                     help="percent values are fractions (0.45 means 45%%)")
    imp.add_argument("--delimiter", help="CSV delimiter (default: detected; 'tab' for tab)")
    imp.add_argument("--party", metavar="NAME",
                     help="updates: the party the sheet is from, for rows whose own party column "
                          "is empty (default: the lead party of an item led by one party; a "
                          "joint item's row needs one or the other)")
    add_lang_flag(imp)          # the language of the error, warning and preview lines
    imp.set_defaults(func=run_import, date_order="auto")

    uploads = subparsers.add_parser("uploads", help="list every upload (the audit trail)")
    uploads.set_defaults(func=run_uploads)

    revert = subparsers.add_parser("revert", help="take an upload's rows out of the current view")
    revert.add_argument("upload_id", type=int, help="the id shown by `workplan uploads`")
    revert.add_argument("--by", default=None, help="who is reverting (default: your OS user name)")
    revert.set_defaults(func=run_revert)

    template = subparsers.add_parser(
        "template", help="write a blank template with example rows",
        description="With a database (--db or WORKPLAN_DB) that exists, the milestone and update "
                    "examples are rows of its plan, so the template imports as it is.")
    template.add_argument("kind", choices=KINDS)
    template.add_argument("--out", required=True, help="output file, .csv or .xlsx")
    template.set_defaults(func=run_template)



def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"There is no file {path}.")
    return file.read_bytes()


def import_path(store: Store, path: str, kind: str, options: ReadOptions, *, by: str,
                skip_invalid: bool = False, lang: str = "en") -> CommitResult:
    """Read, check and commit one file: the `workplan import` path (also benchmarked)."""
    result = import_upload(store, read_file(path), Path(path).name, kind, options, by=by,
                           skip_invalid=skip_invalid)
    _print_warnings(result.warnings, lang)
    return result


def _print_warnings(warnings: list[str], lang: str) -> None:
    _ = translator(lang)
    for warning in warnings:
        print(_(WARNING).format(message=message_in(warning, lang)), file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    options = ReadOptions(sheet=args.sheet, delimiter=args.delimiter, date_order=args.date_order,
                          fractions=args.fractions, party=args.party)
    by, lang = args.by or os_user(), lang_from_args(args)
    with open_from_args(args) as store:
        if args.dry_run:
            # a dry run writes nothing, not even the first plan of a new store
            plan = plan_from_args(store, args) if list_plans(store) else FIRST_PLAN
            return _dry_run(store, args, replace(options, plan_id=plan.id), lang)
        plan = import_plan_from_args(store, args, by)
        result = import_path(store, args.file, args.kind, replace(options, plan_id=plan.id),
                             by=by, skip_invalid=args.skip_invalid, lang=lang)
        if result.outcome == "refused":
            _print_errors(result.errors, lang)
            print(f"workplan: {message_in(result.message, lang)}", file=sys.stderr)
            return 1
        print(f"{plan.code}: {message_in(result.message, lang)}")
        return 0


def _dry_run(store: Store, args: argparse.Namespace, options: ReadOptions, lang: str) -> int:
    parsed = read_upload(read_file(args.file), Path(args.file).name, args.kind, options, store=store)
    _print_warnings(parsed.warnings, lang)
    _print_errors(parsed.errors, lang)
    for line in preview_upload(store, parsed).summary_lines(lang):
        print(line)
    print(translator(lang)(DRY_RUN))
    return 1 if len(parsed.errors) and not args.skip_invalid else 0


def _print_errors(errors, lang: str = "en") -> None:
    from analytics.ingest import format_error

    for r, c, m in zip(errors["row"].head(MAX_PRINTED_ERRORS), errors["column"].head(MAX_PRINTED_ERRORS),
                       errors["message"].head(MAX_PRINTED_ERRORS), strict=True):
        print(format_error(r, c, m, lang), file=sys.stderr)
    if len(errors) > MAX_PRINTED_ERRORS:
        print(more_errors_line(len(errors) - MAX_PRINTED_ERRORS, lang), file=sys.stderr)


def more_errors_line(more: int, lang: str = "en") -> str:
    """'... and 1 more error', '... and 12 more errors' ('… et 12 autres erreurs')."""
    template = ONE_MORE_ERROR if more == 1 else MORE_ERRORS
    return translator(lang)(template).format(n=more)


def run_uploads(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        frame = uploads_frame(store, plan_from_args(store, args).id)[LISTED]
    if not len(frame):
        print("No uploads yet.")
        return 0
    print(frame.to_string(index=False))
    return 0


def run_revert(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plan = plan_from_args(store, args)
        revert_id = revert_upload(store, args.upload_id, by=args.by or os_user(), plan_id=plan.id)
    print(f"Reverted upload {args.upload_id} (recorded as upload {revert_id}).")
    return 0


def run_template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(f"--out must end in .csv or .xlsx, not {out.name!r}.")
    target = db_path(args)
    store = open_from_args(args) if is_postgres_url(target) or Path(target).is_file() else None
    plan = plan_from_args(store, args) if store is not None and list_plans(store) else None
    out.write_bytes(template_bytes(args.kind, suffix.lstrip("."), store, plan and plan.id))
    print(f"Wrote the {args.kind} template to {out}.")
    return 0
