"""DuckDB lockdown for the dashboard process.

Why: the dashboard runs SQL on behalf of people who may be signed in from
anywhere. Our SQL binds every value as a parameter, but as a second wall the app
process's DuckDB is told, right after opening, that it may touch no file but its
own database, WAL and temp directory, may not install or load extensions, and may
not change its settings again. A query that tries `read_csv('/etc/passwd')`,
`COPY ... TO`, `ATTACH`, `INSTALL` or `SET` then fails with a permission error.

Caller: `pages/_shared.get_store()` through `open_locked_store()`. The CLI does
not lock down (an analyst at a shell already has the file system).

Order matters (checked on duckdb 2.0.1): `allowed_directories` can only be set
while external access is still enabled, so it comes first; turning external
access off then adds the database file, its WAL files and the temp directory to
the allowed paths automatically; `lock_configuration` comes last. The settings
belong to the database instance, so every cursor of the store is covered.

Consequence for other modules: with external access off, DuckDB no longer scans
pandas frames by their Python variable name; register Arrow tables
(`cursor.register(name, table)`) instead.
"""

from __future__ import annotations

from pathlib import Path

from analytics.store import Store, open_store

LOCKDOWN_SETTINGS = (
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET enable_external_access = false",
    "SET lock_configuration = true",
)


def allowed_directories(store: Store, extra: tuple[str | Path, ...] = ()) -> list[str]:
    """The folders the app's DuckDB may use: its temp directory (plus `extra`)."""
    temp = store.scalar("SELECT current_setting('temp_directory')")
    folders = [str(temp)] if temp else []
    return folders + [str(Path(path).resolve()) for path in extra]


def lock_down(store: Store, extra_directories: tuple[str | Path, ...] = ()) -> None:
    """Restrict the store's DuckDB instance to its own files; lock its settings."""
    cur = store.cursor()
    if is_locked(store):
        return
    # A list literal of string constants; the values are our own paths, quoted here
    # because SET does not take bound parameters.
    folders = ", ".join(_quoted(path) for path in allowed_directories(store, extra_directories))
    cur.execute(f"SET allowed_directories = [{folders}]")
    for statement in LOCKDOWN_SETTINGS:
        cur.execute(statement)


def is_locked(store: Store) -> bool:
    return bool(store.scalar("SELECT current_setting('lock_configuration')"))


def open_locked_store(path: str | Path) -> Store:
    """Open (creating and migrating if needed) the store, then lock it down."""
    store = open_store(path)
    try:
        lock_down(store)
    except BaseException:
        store.close()
        raise
    return store


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
