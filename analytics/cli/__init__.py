"""The `workplan` command line (also `python -m analytics`).

Why: analysts and scripts load data, compute metrics and build exports without
the dashboard. Each sub-command lives in its own module in this package with a
`register(subparsers)` function; `main()` discovers them, so adding a command is
adding a module. Every user mistake or refused file ends as one clear line on
stderr and an exit code (2 for usage, 1 for refused input), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import duckdb

from analytics.cli._common import add_plan_flag, db_path, lang_from_args
from analytics.errors import WorkplanError
from analytics.ingest.messages import TEMPLATES, message_in
from analytics.store import store_problem


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake as one line and exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workplan",
        description="Work-Plan Pulse: load, check and report on a multi-domain work plan.",
    )
    parser.add_argument("--db", metavar="PATH",
                        help="DuckDB file (default: $WORKPLAN_DB, else data/workplan.duckdb)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module in command_modules():
        module.register(subparsers)
    add_plan_flag(parser)        # every sub-command accepts --plan CODE after its name
    return parser


def command_modules() -> list:
    """Every module of this package that defines `register`, in ORDER then name."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkplanError as exc:
        print(f"workplan: {said_in_language(exc, args)}", file=sys.stderr)
        return exc.exit_code
    except duckdb.Error as exc:        # a file or disk problem outside a write (a damaged block)
        problem = store_problem(exc, db_path(args))
        print(f"workplan: {problem or f'database error: {str(exc).splitlines()[0]}'}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("workplan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: still one line, never a traceback
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"workplan: unexpected error: {type(exc).__name__}: {first}", file=sys.stderr)
        return 1


def said_in_language(exc: WorkplanError, args: argparse.Namespace) -> str:
    """The error's sentence in the command's --lang (read back by the templates the command
    registered, the import's by default); English for a command without --lang."""
    if not hasattr(args, "lang"):
        return str(exc)
    return message_in(str(exc), lang_from_args(args), getattr(args, "templates", TEMPLATES))
