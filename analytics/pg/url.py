"""Telling a PostgreSQL URL from a file path, and writing it without its password.

Why: `WORKPLAN_DB` and `--db` take either; every message, log line and page that names
the store must never show the URL's password.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: object) -> bool:
    """True when `target` is a postgresql:// (or postgres://) URL rather than a file path."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def redacted(url: str) -> str:
    """The URL with any password replaced by '***' (query parameters such as sslmode kept)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:                                  # an IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}{port}", parts.path, parts.query,
                       parts.fragment))
