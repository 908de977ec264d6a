"""Mail for reminders and digests: SMTP settings, messages, and an outbox that sends each
message once.

Why: the reporting round (analytics/reporting_round.py) reminds owners and the digest goes
to readers; both need mail that leaves only when SMTP is configured, is never sent twice for
the same owner and period, and is audited. Callers build `Outgoing` messages with
`build_message` and hand them to `send_batch`; the page and the CLI show
`mail_configured(settings)` when it is not None. This package never imports streamlit.
"""

from analytics.mail.config import MailError, MailSettings, mail_configured
from analytics.mail.message import Outgoing, build_message
from analytics.mail.outbox import BatchResult, send_batch, sent_log

__all__ = ["BatchResult", "MailError", "MailSettings", "Outgoing", "build_message",
           "mail_configured", "send_batch", "sent_log"]
