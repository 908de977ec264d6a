"""Helpers shared by the sub-command modules: the database path, the plan, the date flag, the
language flag, the user."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date

from analytics.i18n import LANGUAGES, normalise_language
from analytics.plans import Plan, plan_for_import, resolve_plan
from analytics.settings import Settings
from analytics.store import Store, open_store


def db_path(args: argparse.Namespace) -> str:
    """`--db`, then WORKPLAN_DB, then data/workplan.duckdb."""
    return args.db or os.environ.get("WORKPLAN_DB") or Settings.from_env().db_path


def open_from_args(args: argparse.Namespace) -> Store:
    return open_store(db_path(args))


def plan_from_args(store: Store, args: argparse.Namespace) -> Plan:
    """`--plan CODE`, then $WORKPLAN_PLAN, then the store's only plan (analytics.plans)."""
    return resolve_plan(store, getattr(args, "plan", None))


def import_plan_from_args(store: Store, args: argparse.Namespace, by: str) -> Plan:
    """As `plan_from_args`, except that a store with no plan gets one (code `main`, or the
    --plan given): the first import of a new store needs no plan command."""
    return plan_for_import(store, getattr(args, "plan", None), by=by)


def add_plan_flag(parser: argparse.ArgumentParser) -> None:
    """`--plan CODE` on `parser` and on every sub-command below it that has not got one."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in actions:
        for child in action.choices.values():
            add_plan_flag(child)
    if not actions and "--plan" not in parser._option_string_actions:
        parser.add_argument("--plan", metavar="CODE", default=None,
                            help="the plan (default: $WORKPLAN_PLAN, else the only plan; "
                                 "`workplan plan list` lists them)")


def add_lang_flag(parser: argparse.ArgumentParser) -> None:
    """`--lang en|fr` on `parser`: the language of the words the command writes."""
    parser.add_argument("--lang", choices=LANGUAGES, type=str.lower, default=None,
                        help="language of the text written: en or fr (default: "
                             "$WORKPLAN_LANGUAGE, else en)")


def lang_from_args(args: argparse.Namespace) -> str:
    """`--lang`, then WORKPLAN_LANGUAGE, then English."""
    return normalise_language(getattr(args, "lang", None) or Settings.from_env().language)


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def os_user() -> str:
    """The OS user name, the default `--by` of commands that write."""
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"
