"""Exceptions that carry a message meant for a person.

Why: the CLI and the app must never show a traceback for a user mistake or a
refused file. Anything raised as a `WorkplanError` is printed as one clear line
(CLI, exit code 2 for usage, 1 for refused input) or shown as an error box.
"""

from __future__ import annotations


class WorkplanError(Exception):
    """A problem the user can fix; `str(error)` is the sentence to show."""

    exit_code = 2


class UsageError(WorkplanError):
    """A command was called wrongly (bad flag value, unknown name)."""


class StoreLockedError(WorkplanError):
    """Another process holds the DuckDB file's write lock."""


class StoreError(WorkplanError):
    """The database file cannot be opened or used: damaged, on a full disk, not a store."""

    exit_code = 1
