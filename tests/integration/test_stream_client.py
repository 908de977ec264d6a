"""The protocol load client against a real `streamlit run server.py` on the demo plans.

Why: the replica figures of benchmarks/bench_postgres.py are only worth something if a
protocol session is a browser's first load as the server sees it: the overview runs, a
Plotly chart arrives, the script ends without an error. A page the server does not have,
and one without a chart, must be counted as errors, not timed. The last test runs the
benchmark's own measure on two replicas of one PostgreSQL store (one session each), so it
cannot rot.
Figures are checked for shape, never for speed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.bench_browser import running_server
from benchmarks.bench_postgres import on_replicas, protocol_sessions, session_rows
from benchmarks.stream_client import run_sessions


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """A store holding the two demo plans, made by `workplan --db X demo`."""
    path = tmp_path_factory.mktemp("stream") / "demo.duckdb"
    workplan = Path(sys.executable).with_name("workplan")
    subprocess.run([str(workplan), "--db", str(path), "demo"], check=True, capture_output=True,
                   timeout=120)
    return path


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory) -> Iterator[str]:
    """A server on its own copy of the demo store (it holds the file while it runs)."""
    directory = tmp_path_factory.mktemp("server")
    store = shutil.copy(demo_db, directory / "demo.duckdb")
    with running_server(store, directory / "streamlit.log") as (url, _pid):
        yield url


def test_one_session_reaches_a_plotly_chart_and_the_end_of_the_overview(server):
    [result] = run_sessions([server], 1)
    assert result.error is None
    assert 0 < result.first_chart_s < result.script_end_s


@pytest.mark.parametrize(("page", "error"), [
    ("nowhere", "page not found"),
    ("", "the script finished without a Plotly chart"),       # the home page has no chart
])
def test_a_session_that_gets_no_chart_is_an_error(server, page, error):
    [result] = run_sessions([server], 1, page=page)
    assert result.error == error and result.first_chart_s is None


def test_sessions_at_once_on_two_replicas_half_each(demo_db, pg_url, tmp_path):
    from analytics.pg.copy import copy_file_to_postgres

    copy_file_to_postgres(demo_db, pg_url)         # replicas share a PostgreSQL store
    result = on_replicas(pg_url, tmp_path, 2, "protocol", protocol_sessions, 2)
    assert (result["sessions"], result["ok"], result["errors"]) == (2, 2, [])
    assert result["chart_p50_s"] <= result["chart_p95_s"] <= result["end_p95_s"]
    assert len(result["replica_cpu_s"]) == 2 and all(s > 0 for s in result["replica_cpu_s"])
    assert result["client_cpu_s"] > 0 and result["wall_s"] >= result["end_p95_s"]
    rows = session_rows({"protocol": {"replicas_2": result}})
    assert [row.split("|")[1].strip() for row in rows] == [
        "2 protocol sessions, replicas 2: first chart p50 / p95; script end p50 / p95; errors",
        "2 protocol sessions, replicas 2: CPU of each replica during the run; of the client; wall"]
    assert rows[0].endswith("; 0 |")
