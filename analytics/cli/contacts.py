"""`workplan contacts import|list|undo`: each owner's contact addresses for a plan's reminders.

Why: the reminder mail writes to the address of each owner (agency or desk) and copies an
escalation address when a report is long overdue; the list comes from a sheet like the
other uploads, with the same checks, preview (`--dry-run`), audit and undo. The sheet is
the whole list: an import replaces it. `undo` restores the list as it stood before the
last import not yet undone (edits made since then go with it; the history keeps every
version). `--lang fr` (default $WORKPLAN_LANGUAGE) writes the errors, warnings, preview and
result in French. Exit codes: 0 done, 1 sheet refused (each error printed as
`row N, column C: message`, nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.cli._common import (
    add_lang_flag,
    lang_from_args,
    open_from_args,
    os_user,
    plan_from_args,
)
from analytics.cli.ingest import DRY_RUN, WARNING, read_file
from analytics.contacts import commit_contacts, plan_contacts, read_contacts, undo_contacts
from analytics.contacts.changes import refused_sheet
from analytics.contacts.checks import CONTACT_TEMPLATES
from analytics.i18n import N_, translator
from analytics.ingest.messages import message_in

ORDER = 25
FORMATS = ("table", "csv")
NO_CONTACTS = N_("No contacts for plan {plan} yet; `workplan contacts import FILE` loads them.")


def register(subparsers) -> None:
    contacts = subparsers.add_parser(
        "contacts", help="import, list or undo the owners' contact list",
        description="`workplan contacts import FILE [--dry-run]` replaces the plan's list with "
                    "the sheet (columns owner, email, party, escalation_email, language); `list` prints "
                    "it; `undo` restores the list before the last import.")
    actions = contacts.add_subparsers(dest="contacts_command", metavar="ACTION")
    actions.required = True
    imp = actions.add_parser("import", help="replace the list with a sheet (CSV or .xlsx)")
    imp.add_argument("file", help="a .csv or .xlsx sheet: owner, email, party, escalation_email, "
                                  "language (en or fr, optional)")
    imp.add_argument("--sheet", help="xlsx sheet name (default: the first sheet)")
    imp.add_argument("--dry-run", action="store_true", help="check and preview; write nothing")
    imp.add_argument("--by", default=None, help="who is importing (default: your OS user name)")
    imp.set_defaults(func=run_import, templates=CONTACT_TEMPLATES)   # main's error, read back
    listing = actions.add_parser("list", help="print the plan's contacts")
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(func=run_list)
    undo = actions.add_parser("undo", help="restore the list as it was before the last import")
    undo.add_argument("--by", default=None, help="who is undoing (default: your OS user name)")
    undo.set_defaults(func=run_undo)
    for action in (imp, listing, undo):
        add_lang_flag(action)       # the language of the lines the action writes


def run_import(args: argparse.Namespace) -> int:
    lang = lang_from_args(args)
    _ = translator(lang)
    with open_from_args(args) as store:
        plan = plan_from_args(store, args)
        parsed = read_contacts(read_file(args.file), Path(args.file).name, store, plan.id,
                               sheet=args.sheet)
        for warning in parsed.warnings:
            print(_(WARNING).format(message=message_in(warning, lang, CONTACT_TEMPLATES)),
                  file=sys.stderr)
        for line in parsed.error_lines(lang):
            print(line, file=sys.stderr)
        if args.dry_run:
            print("\n".join(parsed.summary_lines(lang)))
            print(_(DRY_RUN))
            return 0 if parsed.ok else 1
        if not parsed.ok:
            print(f"workplan: {refused_sheet(args.file, len(parsed.errors), lang)}", file=sys.stderr)
            return 1
        result = commit_contacts(store, plan.id, parsed, by=args.by or os_user(), lang=lang)
    print(f"{plan.code}: {result.message}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plan = plan_from_args(store, args)
        frame = plan_contacts(store, plan.id)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
        return 0
    if not len(frame):
        print(translator(lang_from_args(args))(NO_CONTACTS).format(plan=plan.code))
        return 0
    print(frame.fillna("-").to_string(index=False))
    return 0


def run_undo(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        plan = plan_from_args(store, args)
        result = undo_contacts(store, plan.id, by=args.by or os_user(), lang=lang_from_args(args))
    print(f"{plan.code}: {result.message}")
    return 0
