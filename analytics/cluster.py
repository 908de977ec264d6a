"""`make cluster`: PostgreSQL, several app replicas and nginx in front, as a team would run them.

Why: one DuckDB file serves one process; a ministry serving many officials runs several
Streamlit replicas on one PostgreSQL store (analytics.pg) behind a proxy. This module starts
that whole arrangement on one machine and stops all of it on Ctrl-C:
- the store: `$WORKPLAN_DB` when it is a postgresql:// URL, else a local PostgreSQL cluster
  under data/cluster/postgres (analytics.pg.local_server), loaded with the sample plans
  when it is empty (`workplan --db URL demo`);
- replicas: `streamlit run server.py` on free loopback ports, all with the same
  `server.cookieSecret` (`$WORKPLAN_COOKIE_SECRET`, else one kept in data/cluster/) and the
  same `server.maxUploadSize` as nginx's upload limit (`WORKPLAN_MAX_UPLOAD_MB`);
- nginx (Debian's /usr/sbin/nginx, in the foreground) from deploy/nginx.conf.template, with
  its pid, logs and temporary files under data/cluster/nginx, on 127.0.0.1:$CLUSTER_PORT.
The browser test (tests/browser/test_cluster.py) uses the same functions on free ports.
Never imports streamlit: the replicas are subprocesses.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from analytics.errors import WorkplanError
from analytics.pg.url import is_postgres_url, redacted
from analytics.settings import PROJECT_ROOT, Settings

CLUSTER_DIR = PROJECT_ROOT / "data" / "cluster"
TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf.template"
NGINX = "/usr/sbin/nginx"
LOCAL_POSTGRES_PORT = 54329   # the local server's port, kept between runs (the printed URL stays)
DATABASE = "workplan"          # the database `make cluster` creates on its local server
REPLICAS = 2
START_TIMEOUT = 90.0           # seconds a replica or nginx may take to answer /_stcore/health
STOP_TIMEOUT = 10.0            # seconds a process may take to stop before it is killed
HEALTH_EVERY = 10.0            # seconds between the runner's health checks of each replica


class ClusterError(WorkplanError):
    """A part of the cluster did not start or stopped: one sentence naming it."""

    exit_code = 1


# -- ports, health, processes -------------------------------------------------------

def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_healthy(base_url: str, timeout: float = 2.0) -> bool:
    """True when `base_url`/_stcore/health answers 200."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_healthy(base_url: str, process: subprocess.Popen, name: str,
                       timeout: float = START_TIMEOUT) -> None:
    """Wait for `base_url`/_stcore/health; a ClusterError when the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{name} exited with code {process.returncode} while starting;"
                               " see its log.")
        if is_healthy(base_url):
            return
        time.sleep(0.2)
    raise ClusterError(f"{name} did not answer {base_url}/_stcore/health within {timeout:.0f} s.")


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the runner dies, even by SIGKILL (Linux), so
    no replica or nginx outlives it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)          # PR_SET_PDEATHSIG


def spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `command` in its own process group (Ctrl-C reaches the runner, which stops it in
    order) with stdout and stderr appended to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def stop(process: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds; returns once the process is gone."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the cookie secret -------------------------------------------------------------

def cookie_secret(folder: Path, settings: Settings) -> str:
    """`WORKPLAN_COOKIE_SECRET`, else the secret kept in `folder`/cookie_secret (made once,
    readable by its owner only), so every replica and every restart signs cookies alike."""
    if settings.cookie_secret:
        return settings.cookie_secret
    path = folder / "cookie_secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


# -- replicas ----------------------------------------------------------------------

def replica_command(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "server.py"),
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def replica_environment(db: str, secret: str, upload_mb: int,
                        extra: dict[str, str] | None = None) -> dict[str, str]:
    """The replica's environment: the store, and the cookie secret and upload limit as
    Streamlit settings (in the environment, not on the command line `ps` shows)."""
    return {**os.environ, **(extra or {}), "WORKPLAN_DB": db,
            "STREAMLIT_SERVER_COOKIE_SECRET": secret,
            "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": str(upload_mb)}


# -- nginx ---------------------------------------------------------------------------

def nginx_config(template: str, *, prefix: Path, listen_port: int, replica_ports: list[int],
                 upload_mb: int, cookie_flags: str = "") -> str:
    """The template with its {{fields}} filled in; a ClusterError for an unknown field."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                        for port in replica_ports)
    values = {"prefix": str(prefix), "listen": f"127.0.0.1:{listen_port}", "servers": servers,
              "upload_mb": str(upload_mb), "upload_body_mb": str(upload_mb + 1),
              "cookie_flags": cookie_flags}

    def field(match: re.Match) -> str:
        if match.group(1) not in values:
            raise ClusterError(f"The nginx template has an unknown field {{{{{match.group(1)}}}}}.")
        return values[match.group(1)]

    return re.sub(r"\{\{(\w+)\}\}", field, template)


def nginx_command(prefix: Path, config: Path) -> list[str]:
    return [NGINX, "-p", f"{prefix}/", "-c", str(config), "-e", str(prefix / "error.log")]


def write_nginx_config(prefix: Path, listen_port: int, replica_ports: list[int],
                       upload_mb: int) -> Path:
    """Render deploy/nginx.conf.template into `prefix`/nginx.conf (and its temp folders)."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / name).mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(TEMPLATE.read_text(), prefix=prefix, listen_port=listen_port,
                                   replica_ports=replica_ports, upload_mb=upload_mb))
    return config


def check_nginx_config(prefix: Path, config: Path) -> None:
    """`nginx -t`: a ClusterError with nginx's own first complaint when the config is bad."""
    result = subprocess.run([*nginx_command(prefix, config), "-t", "-q"], capture_output=True,
                            text=True)
    if result.returncode:
        lines = [line for line in result.stderr.splitlines() if "emerg" in line or "crit" in line]
        raise ClusterError(f"nginx refused {config}: {(lines or result.stderr.splitlines() or ['?'])[0]}")


# -- the store -------------------------------------------------------------------------

def load_demo_when_empty(db: str) -> bool:
    """Load the sample plans with `workplan --db DB demo` when the store holds no plan's
    items yet (migrating it on the way); True when it did."""
    from analytics.store import open_store

    with open_store(db) as store:
        empty = store.is_empty()
    if not empty:
        return False
    result = subprocess.run([sys.executable, "-m", "analytics", "--db", db, "demo"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    if result.returncode:
        raise ClusterError(f"Loading the sample plans into {redacted(db)} failed: "
                           f"{(result.stderr.strip().splitlines() or ['?'])[-1]}")
    return True


def database_exists(url: str, name: str) -> bool:
    """True when the server at `url` holds a database called `name`."""
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone() is not None


@contextmanager
def local_postgres(folder: Path) -> Iterator[str]:
    """A PostgreSQL server kept in `folder` (initdb the first time), started for the
    duration; yields the URL of its `workplan` database."""
    from analytics.pg.local_server import LocalPostgres

    server = LocalPostgres(folder, port=LOCAL_POSTGRES_PORT)
    server.initdb()                       # once: a folder holding a cluster is kept
    server.start()
    try:
        if not database_exists(server.url(), DATABASE):
            server.create_database(DATABASE)
        yield server.url(dbname=DATABASE)
    finally:
        server.stop()


# -- the cluster -----------------------------------------------------------------------

class Cluster:
    """Replicas of the app on one store, and nginx in front; `start()` then `close()` (or use
    it as a context manager). Every process it starts is stopped by `close()`."""

    def __init__(self, db: str, folder: Path, *, listen_port: int, replicas: int = REPLICAS,
                 settings: Settings | None = None, env: dict[str, str] | None = None):
        self.db = db
        self.folder = folder
        self.listen_port = listen_port
        self.settings = settings or Settings.from_env()
        self.env = env or {}
        self.replica_ports = [free_port() for _ in range(replicas)]
        self.replicas: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self._secret = cookie_secret(folder, self.settings)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    @property
    def prefix(self) -> Path:
        return self.folder / "nginx"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def replica_url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

    def replica_log(self, port: int) -> Path:
        return self.folder / "logs" / f"replica-{port}.log"

    def start_replica(self, port: int) -> subprocess.Popen:
        environment = replica_environment(self.db, self._secret, self.settings.max_upload_mb,
                                          self.env)
        self.replicas[port] = spawn(replica_command(port), self.replica_log(port), environment)
        return self.replicas[port]

    def start(self) -> Cluster:
        try:
            for port in self.replica_ports:           # all at once: they start in parallel
                self.start_replica(port)
            for port, process in self.replicas.items():
                wait_until_healthy(self.replica_url(port), process, f"The replica on port {port}")
            config = write_nginx_config(self.prefix, self.listen_port, self.replica_ports,
                                        self.settings.max_upload_mb)
            check_nginx_config(self.prefix, config)
            self.nginx = spawn(nginx_command(self.prefix, config), self.prefix / "nginx.out")
            wait_until_healthy(self.url, self.nginx, "nginx")
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Stop nginx first (no new requests), then every replica."""
        if self.nginx is not None:
            stop(self.nginx)
        for process in self.replicas.values():
            process.terminate()
        for process in self.replicas.values():
            stop(process)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check(self, last_health: dict[int, bool]) -> None:
        """One round of supervision: a replica that exited is restarted, an unhealthy one is
        reported once (`last_health` remembers); nginx gone stops the cluster."""
        if self.nginx is not None and self.nginx.poll() is not None:
            raise ClusterError(f"nginx exited with code {self.nginx.returncode}; see "
                               f"{self.prefix / 'error.log'}.")
        for port, process in list(self.replicas.items()):
            if process.poll() is not None:
                say(f"The replica on port {port} exited with code {process.returncode}; "
                    "restarting it.")
                wait_until_healthy(self.replica_url(port), self.start_replica(port),
                                   f"The replica on port {port}")
            healthy = is_healthy(self.replica_url(port))
            if healthy != last_health.get(port, True):
                say(f"The replica on port {port} is {'healthy again' if healthy else 'not healthy'}"
                    " (/_stcore/health).")
            last_health[port] = healthy


def say(line: str) -> None:
    print(f"[cluster] {line}", flush=True)


def supervise(cluster: Cluster) -> None:
    """Watch the cluster until Ctrl-C (KeyboardInterrupt) or a ClusterError."""
    health: dict[int, bool] = {}
    next_health = 0.0
    while True:
        if time.monotonic() >= next_health:
            cluster.check(health)
            next_health = time.monotonic() + HEALTH_EVERY
        time.sleep(1.0)
        if cluster.nginx is not None and cluster.nginx.poll() is not None:
            cluster.check(health)


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m analytics.cluster",
                                     description="PostgreSQL, app replicas and nginx; Ctrl-C stops all.")
    parser.add_argument("--replicas", type=int, default=REPLICAS, help="app replicas (default 2)")
    parser.add_argument("--port", type=int, default=settings.cluster_port,
                        help="nginx's port on 127.0.0.1 (default $CLUSTER_PORT, else 8080)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)   # even when started in the background
    try:
        with ExitStack() as stack:
            try:
                if is_postgres_url(settings.db_path):
                    db = settings.db_path
                else:
                    say(f"Starting PostgreSQL in {CLUSTER_DIR / 'postgres'} ...")
                    db = stack.enter_context(local_postgres(CLUSTER_DIR / "postgres"))
                say(f"Store: {redacted(db)}")
                if load_demo_when_empty(db):
                    say("The store was empty: loaded the sample plans (workplan demo).")
                say(f"Starting {args.replicas} replicas and nginx ...")
                cluster = stack.enter_context(Cluster(db, CLUSTER_DIR, listen_port=args.port,
                                                      replicas=args.replicas, settings=settings).start())
                ports = ", ".join(str(port) for port in cluster.replica_ports)
                say(f"Serving {cluster.url} (replicas on 127.0.0.1 ports {ports}; logs in "
                    f"{CLUSTER_DIR}). Ctrl-C stops all.")
                supervise(cluster)
            except KeyboardInterrupt:
                signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C: still clean up
                say("Stopping nginx, the replicas and PostgreSQL ...")
    except WorkplanError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return error.exit_code
    say("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
