"""The SMTP settings as one checked value, and the sentence that says what is missing.

Why: the six WORKPLAN_SMTP_* / WORKPLAN_MAIL_FROM settings are declared in
analytics/settings.py; sending needs them complete and consistent. `mail_configured` is
what the page and the CLI show (None when mail can leave); `MailSettings.from_settings`
is what the outbox connects with. The password is never part of a repr or a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import parseaddr

from analytics.errors import WorkplanError
from analytics.settings import Settings

SECURITIES = ("none", "starttls", "ssl")
USUAL_PORT = {"none": 25, "starttls": 587, "ssl": 465}
TIMEOUT_S = 30.0                    # connect and each SMTP command


class MailError(WorkplanError):
    """Mail cannot be sent (not configured, server unreachable, sign-in refused)."""

    exit_code = 1


@dataclass(frozen=True)
class MailSettings:
    """What the outbox connects with; built only from complete settings."""

    host: str
    port: int
    security: str
    user: str
    password: str = field(repr=False)
    mail_from: str
    timeout: float = TIMEOUT_S

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def from_settings(cls, settings: Settings) -> MailSettings:
        """The mail settings; a MailError with `mail_configured`'s sentence when incomplete."""
        problem = mail_configured(settings)
        if problem:
            raise MailError(problem)
        security = settings.smtp_security.strip().lower()
        return cls(host=settings.smtp_host.strip(),
                   port=settings.smtp_port or USUAL_PORT[security], security=security,
                   user=settings.smtp_user, password=settings.smtp_password,
                   mail_from=settings.mail_from.strip())


def mail_configured(settings: Settings) -> str | None:
    """None when mail can be sent; else one sentence saying what is missing or wrong."""
    if not settings.smtp_host.strip():
        return ("Mail is not configured: set WORKPLAN_SMTP_HOST and WORKPLAN_MAIL_FROM "
                "(and WORKPLAN_SMTP_USER / WORKPLAN_SMTP_PASSWORD if the server needs a "
                "sign-in); no mail is sent.")
    if not settings.mail_from.strip():
        return "Mail is not configured: WORKPLAN_MAIL_FROM is not set; no mail is sent."
    if "@" not in parseaddr(settings.mail_from)[1]:
        return (f"WORKPLAN_MAIL_FROM={settings.mail_from!r} is not an email address; "
                "no mail is sent.")
    if settings.smtp_security.strip().lower() not in SECURITIES:
        return (f"WORKPLAN_SMTP_SECURITY={settings.smtp_security!r} is not one of none, "
                "starttls or ssl; no mail is sent.")
    if not 0 <= settings.smtp_port <= 65535:
        return f"WORKPLAN_SMTP_PORT={settings.smtp_port} is not a port (1-65535); no mail is sent."
    if settings.smtp_password and not settings.smtp_user:
        return ("WORKPLAN_SMTP_PASSWORD is set but WORKPLAN_SMTP_USER is not; set both or "
                "neither; no mail is sent.")
    return None
