"""One mail message, built with the standard library's email package, and what it is for.

Why: reminders and digests are plain-text mail with attachments (the owner's pre-filled
sheet, the digest's PDF). `build_message` makes the EmailMessage (no home-made MIME);
`Outgoing` says which reminder or digest it is, the key of the sent-mail log.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr

KINDS = ("reminder", "digest")


@dataclass(frozen=True)
class Outgoing:
    """A message for the outbox: kind ('reminder' or 'digest'), key (e.g. the owner) and
    period (e.g. '2026-11') name it in the sent-mail log; one is sent once."""

    kind: str
    key: str
    period: str
    message: EmailMessage

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"mail kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not self.key or not self.period:
            raise ValueError("an outgoing message needs a key and a period")

    @property
    def label(self) -> str:
        return f"{self.kind} {self.key} {self.period}"


def build_message(*, sender: str, to: Sequence[str], cc: Sequence[str] = (), subject: str,
                  body: str, attachments: Sequence[tuple[str, bytes, str | None]] = ()
                  ) -> EmailMessage:
    """A plain-text message with attachments (filename, bytes, MIME type or None to guess).

    `sender` may be empty: the outbox then fills From with WORKPLAN_MAIL_FROM.
    """
    if not [a for a in to if a.strip()]:
        raise ValueError(f"the message {subject!r} has no recipient")
    msg = EmailMessage()
    if sender:
        msg["From"] = sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=_domain(sender))
    msg.set_content(body)
    for filename, data, mime in attachments:
        maintype, subtype = (mime or _guess(filename)).split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def recipients(msg: EmailMessage) -> list[str]:
    """Every address the message goes to (To, Cc, Bcc), in order."""
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in msg.get_all(name, [])]
    return [addr for _, addr in getaddresses(fields) if addr]


def _guess(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _domain(sender: str) -> str:
    """The sender's domain for the Message-ID (never socket.getfqdn(), which may wait on DNS)."""
    _, at, domain = parseaddr(sender)[1].rpartition("@")
    return domain if at and domain else "workplan-pulse.invalid"
