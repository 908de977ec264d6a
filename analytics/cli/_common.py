"""Helpers shared by the sub-command modules: the database path, the date flag, the user."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date

from analytics.settings import Settings
from analytics.store import Store, open_store


def db_path(args: argparse.Namespace) -> str:
    """`--db`, then WORKPLAN_DB, then data/workplan.duckdb."""
    return args.db or os.environ.get("WORKPLAN_DB") or Settings.from_env().db_path


def open_from_args(args: argparse.Namespace) -> Store:
    return open_store(db_path(args))


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
