"""A throw-away PostgreSQL server in a folder, from Debian's postgresql package.

Why: the tests need a real server they own, and `make cluster` needs one when no
`WORKPLAN_DB` URL is given. initdb refuses to run as root, so as root the server's
programs run as the `postgres` user (`runuser`). It listens on 127.0.0.1 only, with
trust authentication for local connections, and keeps its socket in its folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from analytics.errors import WorkplanError


def postgres_bin(program: str) -> str:
    """Path of a PostgreSQL server program (newest version installed)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))
    if found:
        return found[-1]
    on_path = shutil.which(program)
    if on_path:
        return on_path
    raise WorkplanError(f"PostgreSQL's {program} was not found; install Debian's postgresql "
                        "package (apt-get install postgresql).")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _let_others_through(folder: Path) -> None:
    """Add the search (x) bit for others to `folder` and its parents, so the postgres user
    can reach its data folder inside root's private temporary folders (nothing is made
    readable or writable)."""
    for path in (folder, *folder.parents):
        mode = path.stat().st_mode
        if not mode & 0o001:
            path.chmod(mode | 0o001)


class LocalPostgres:
    """A PostgreSQL cluster in `folder`, serving 127.0.0.1:`port`."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = Path(folder).resolve()
        self.data = self.folder / "data"
        self.port = port or free_port()

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def initdb(self) -> None:
        """Create the cluster (once; a folder that holds one is kept)."""
        if (self.data / "PG_VERSION").exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            _let_others_through(self.folder.parent)
        done = self._run(postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres",
                         "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        if done.returncode:
            raise WorkplanError(f"initdb in {self.data} failed: {done.stderr.strip()}")

    def start(self) -> None:
        if self.is_running():
            return
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=on -c max_connections=200")
        done = self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options,
                         "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start")
        if done.returncode:
            raise WorkplanError(f"PostgreSQL in {self.data} did not start: "
                                f"{done.stderr.strip() or done.stdout.strip()}")

    def stop(self) -> None:
        if self.is_running():
            self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists() and not self._run(
            postgres_bin("pg_ctl"), "-D", str(self.data), "status").returncode

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database `name` (from `template` when given); return its URL."""
        with psycopg.connect(self.url(), autocommit=True) as pg:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            pg.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as pg:
            pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
