"""The cluster's nginx config and cookie secret (analytics/cluster.py), without starting anything.

Why: a template field left unfilled or a config nginx refuses would only show when someone
runs `make cluster`; the cookie secret must be the same for every replica and every restart.
"""

from __future__ import annotations

import re
import stat

import pytest

from analytics.cluster import (
    TEMPLATE,
    ClusterError,
    check_nginx_config,
    cookie_secret,
    nginx_config,
    write_nginx_config,
)
from analytics.settings import Settings


def test_the_rendered_template_is_accepted_by_nginx(tmp_path):
    config = write_nginx_config(tmp_path, 18080, [18081, 18082], 50)
    text = config.read_text()
    assert not re.search(r"\{\{\w+\}\}", text)            # every field filled in
    assert "server 127.0.0.1:18081 max_fails=1" in text and "server 127.0.0.1:18082" in text
    assert "listen 127.0.0.1:18080;" in text
    assert "client_max_body_size 51m;" in text            # 50 MB file + the multipart envelope
    assert "hash $pulse_route consistent;" in text
    check_nginx_config(tmp_path, config)                  # nginx -t: no exception


def test_an_unknown_field_or_a_bad_config_is_one_sentence(tmp_path):
    with pytest.raises(ClusterError, match=r"unknown field \{\{nope\}\}"):
        nginx_config("listen {{nope}};", prefix=tmp_path, listen_port=1, replica_ports=[2],
                     upload_mb=1)
    config = tmp_path / "nginx.conf"
    config.write_text(TEMPLATE.read_text().replace("worker_processes 1;", "worker_processes x;"))
    with pytest.raises(ClusterError, match="nginx refused"):
        check_nginx_config(tmp_path, config)


def test_the_cookie_secret_is_made_once_and_kept_private(tmp_path):
    settings = Settings.from_env({})
    first = cookie_secret(tmp_path, settings)
    assert len(first) >= 48 and cookie_secret(tmp_path, settings) == first
    assert stat.S_IMODE((tmp_path / "cookie_secret").stat().st_mode) == 0o600
    chosen = Settings.from_env({"WORKPLAN_COOKIE_SECRET": "from-the-environment"})
    assert cookie_secret(tmp_path, chosen) == "from-the-environment"
