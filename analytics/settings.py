"""Every setting of Work-Plan Pulse, declared once.

Why: thresholds, paths and limits used to drift between the CLI, the app and the
docs. Each setting lives here with its environment variable, default and help
text; the README's configuration table is checked against this list by a test
(tests/unit/test_settings.py), so the two cannot disagree.

Callers: the CLI (`analytics.cli`), the Streamlit entry point and the metrics,
ingest and export modules. Read them with `Settings.from_env()`. The help of a threshold
the Metric definitions page quotes when it is changed is marked `N_` (French in analytics.po).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from analytics.i18n import N_

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "workplan.duckdb"


def _setting(env: str, default, help: str):
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field has an environment variable, a default and help."""

    db_path: str = _setting(
        "WORKPLAN_DB", str(DEFAULT_DB),
        "The store: a DuckDB file, or a `postgresql://` URL (shared by several processes; "
        "`sslmode` and other URL parameters pass through). The CLI's `--db` overrides it.",
    )
    plan: str = _setting(
        "WORKPLAN_PLAN", "",
        "The plan (its code) a `workplan` command is about when it has no `--plan`; empty = the "
        "store's only plan.",
    )
    auth: str = _setting(
        "WORKPLAN_AUTH", "none",
        "Sign-in mode of the dashboard: `none` (local only), `password` or `oidc`.",
    )
    red_variance_pp: float = _setting(
        "WORKPLAN_RED_VARIANCE_PP", -25.0,
        N_("An item or group is red when actual minus planned progress is at or below this (pp)."),
    )
    amber_variance_pp: float = _setting(
        "WORKPLAN_AMBER_VARIANCE_PP", -10.0,
        N_("An item or group is amber when actual minus planned progress is at or below this (pp)."),
    )
    red_spi: float = _setting(
        "WORKPLAN_RED_SPI", 0.80,
        N_("A group is red when its schedule performance SPI(t) is below this."),
    )
    amber_spi: float = _setting(
        "WORKPLAN_AMBER_SPI", 0.95,
        N_("A group is amber when its schedule performance SPI(t) is below this."),
    )
    red_share: float = _setting(
        "WORKPLAN_RED_SHARE", 0.25,
        N_("A group is red when its red items carry at least this share of its weight (0-1)."),
    )
    stale_days: int = _setting(
        "WORKPLAN_STALE_DAYS", 45,
        N_("A started, incomplete item is stale after more than this many days without an update."),
    )
    compliance_window_days: int = _setting(
        "WORKPLAN_COMPLIANCE_DAYS", 31,
        N_("Reporting compliance counts items with an update in this many days up to the as-of date."),
    )
    report_period: str = _setting(
        "WORKPLAN_REPORT_PERIOD", "monthly",
        "Reporting round period: `monthly` or `quarterly` (calendar months or quarters).",
    )
    report_due_day: int = _setting(
        "WORKPLAN_REPORT_DUE_DAY", 5,
        "Day of the month after a reporting period that its reports are due (1-31; the month's "
        "last day when shorter).",
    )
    due_soon_days: int = _setting(
        "WORKPLAN_DUE_SOON_DAYS", 30,
        "Milestones due within this many days after the as-of date are listed as due soon.",
    )
    max_upload_mb: int = _setting(
        "WORKPLAN_MAX_UPLOAD_MB", 50,
        "Largest status sheet accepted, in MB (also the uncompressed limit inside an .xlsx).",
    )
    max_columns: int = _setting(
        "WORKPLAN_MAX_COLUMNS", 200,
        "Widest sheet accepted, in columns; a wider header row refuses the file.",
    )
    max_line_kb: int = _setting(
        "WORKPLAN_MAX_LINE_KB", 1024,
        "Longest line of a CSV sheet accepted, in KB; a longer one is a row error.",
    )
    max_cell_kb: int = _setting(
        "WORKPLAN_MAX_CELL_KB", 32,
        "Largest cell accepted, in KB; a larger one is a row error naming its column.",
    )
    port: int = _setting(
        "PORT", 8501,
        "Port that `make run` serves the dashboard on (always bound to 127.0.0.1).",
    )
    cluster_port: int = _setting(
        "CLUSTER_PORT", 8080,
        "Port that `make cluster` serves nginx on, in front of the replicas (bound to 127.0.0.1).",
    )
    cookie_secret: str = _setting(
        "WORKPLAN_COOKIE_SECRET", "",
        "`server.cookieSecret` of every replica `make cluster` starts; empty = a random one made "
        "once and kept in data/cluster/cookie_secret. Never printed or logged.",
    )
    marking: str = _setting(
        "WORKPLAN_MARKING", "",
        "Handling marking (e.g. `PROTECTED B`, `RESTRICTED`) printed in the header and footer of "
        "every pack page and slide, on chart images and XLSX exports, and shown in the app; "
        "empty for none.",
    )
    browser_path: str = _setting(
        "BROWSER_PATH", "",
        "Chromium or Chrome binary used by kaleido for PNG/SVG/PDF exports; empty = search PATH.",
    )
    smtp_host: str = _setting(
        "WORKPLAN_SMTP_HOST", "",
        "Mail server that reminders and digests are sent through; empty = no mail is sent.",
    )
    smtp_port: int = _setting(
        "WORKPLAN_SMTP_PORT", 0,
        "Port of the mail server; 0 = the usual one for the security (25, 587 or 465).",
    )
    smtp_security: str = _setting(
        "WORKPLAN_SMTP_SECURITY", "starttls",
        "How the connection to the mail server is protected: `none`, `starttls` or `ssl`.",
    )
    smtp_user: str = _setting(
        "WORKPLAN_SMTP_USER", "",
        "User name to sign in to the mail server with; empty = no sign-in.",
    )
    smtp_password: str = field(default="", repr=False, metadata={   # never printed
        "env": "WORKPLAN_SMTP_PASSWORD",
        "help": "Password for `WORKPLAN_SMTP_USER`; never printed or logged.",
    })
    mail_from: str = _setting(
        "WORKPLAN_MAIL_FROM", "",
        "Sender address of every message (e.g. `Work-Plan Pulse <pulse@example.gov>`); "
        "required to send mail.",
    )
    escalate_after_days: int = _setting(
        "WORKPLAN_ESCALATE_AFTER_DAYS", 14,
        "A reminder to an owner more than this many days overdue copies their contact's "
        "escalation address.",
    )

    language: str = _setting(
        "WORKPLAN_LANGUAGE", "en",
        "Language of the dashboard, exports, briefing pack and e-mails when none is chosen: "
        "`en` or `fr` (the sidebar, `?lang=` and `--lang` override it).",
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Settings from the environment (or `environ`), then explicit overrides."""
        env = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, type(f.default), raw, f.metadata["env"])
        return replace(cls(**values), **overrides)


def _coerce(name: str, kind: type, raw: str, env: str):
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{env}={raw!r} is not a valid {kind.__name__} for {name}") from None


def settings_table() -> list[dict[str, str]]:
    """One row per setting (env, default, help) for docs and the README check."""
    rows = []
    for f in fields(Settings):
        default = f.default
        if f.name == "db_path":
            default = "data/workplan.duckdb"
        rows.append({"env": f.metadata["env"], "name": f.name,
                     "default": str(default), "help": f.metadata["help"]})
    return rows
