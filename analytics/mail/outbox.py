"""Sending a batch of messages, each once, with the sent-mail log and the audit log.

Why: a reporting round mails every owner; a crash or a lost connection half-way must not
make the rerun mail the same owners again. `send_batch` skips every message the sent-mail
log (migration 008) already holds as sent, then sends the rest one by one, logging each in
its own transaction right after the server accepted it, so a rerun sends only what is
missing. Every message sent or failed is a line in audit_log (`mail_sent`, `mail_failed`).
The one window left: a crash after the server accepted a message and before its log line
commits sends that one message again on the rerun.

`dry_run_dir` writes each message as an .eml file instead (the same skipping, nothing
logged as sent, one `mail_dry_run` audit line). Callers: analytics/reporting_round.py and
the digest, through the CLI and the page.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

from analytics.mail.config import MailError, MailSettings
from analytics.mail.message import Outgoing, recipients
from analytics.settings import Settings
from analytics.store import Store, utc_now
from analytics.writes import record_audit

_SENDING = threading.Lock()          # one batch at a time per process: check-then-send is safe


@dataclass
class BatchResult:
    """What a batch did: sent, skipped (already sent), failed (with why), .eml files written."""

    sent: list[Outgoing] = field(default_factory=list)
    skipped: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """One sentence for the CLI and the page."""
        parts = [f"{len(self.written)} written as .eml" if self.written else
                 f"{len(self.sent)} sent"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped (already sent)")
        if self.failed:
            parts.append(f"{len(self.failed)} failed: " + "; ".join(
                f"{out.label}: {error}" for out, error in self.failed))
        return ", ".join(parts) + "."


def send_batch(store: Store, plan_id: int, messages: Iterable[Outgoing], settings: Settings,
               *, dry_run_dir: Path | None = None, by: str) -> BatchResult:
    """Send (or, with `dry_run_dir`, write as .eml) every message not yet sent.

    Raises MailError when mail is not configured (nothing sent) or the server cannot be
    reached (nothing sent; each message logged and audited as failed), and when the
    connection is lost half-way (those sent are logged; a rerun sends the rest).
    A message the server refuses is logged as failed and the batch goes on.
    """
    with _SENDING:
        result = BatchResult()
        pending = _not_yet_sent(store, plan_id, messages, result)
        if dry_run_dir is not None:
            result.written = _write_eml(store, plan_id, pending, Path(dry_run_dir),
                                        settings.mail_from.strip(), by)
            return result
        config = MailSettings.from_settings(settings)
        if pending:
            _send(store, plan_id, pending, config, by, result)
        return result


def sent_log(store: Store, plan_id: int, *, kind: str | None = None,
             period: str | None = None) -> pd.DataFrame:
    """The plan's sent-mail log, newest first (optionally one kind and/or period)."""
    return store.query_df(
        "SELECT kind, key, period, recipients, subject, message_id, sent_at, outcome, error"
        " FROM sent_mail WHERE plan_id = $plan AND ($kind IS NULL OR kind = $kind)"
        " AND ($period IS NULL OR period = $period) ORDER BY sent_at DESC, key",
        {"plan": plan_id, "kind": kind, "period": period})


def already_sent(store: Store, plan_id: int, out: Outgoing) -> bool:
    return bool(store.scalar(
        "SELECT count(*) FROM sent_mail WHERE plan_id = ? AND kind = ? AND key = ?"
        " AND period = ? AND outcome = 'sent'", [plan_id, out.kind, out.key, out.period]))


# -- sending -----------------------------------------------------------------

def _not_yet_sent(store, plan_id, messages, result) -> list[Outgoing]:
    pending, seen = [], set()
    for out in messages:
        name = (out.kind, out.key, out.period)
        if name in seen or already_sent(store, plan_id, out):
            result.skipped.append(out)
        else:
            seen.add(name)
            pending.append(out)
    return pending


def _send(store, plan_id, pending, config: MailSettings, by, result: BatchResult) -> None:
    try:
        smtp = _open(config)
    except MailError as exc:
        _log(store, plan_id, [(out, "failed", exc.cause) for out in pending], by)
        raise
    with _closing(smtp):
        for out in pending:
            _fill_sender(out.message, config.mail_from)
            try:
                refused = smtp.send_message(out.message, from_addr=config.mail_from,
                                            to_addrs=recipients(out.message))
            except smtplib.SMTPResponseException as exc:   # (SMTPException is an OSError)
                if exc.smtp_code == 421:                 # the server is closing the channel
                    _lost(store, plan_id, out, config, _reply(exc), by, result, pending)
                else:
                    _fail(store, plan_id, out, _reply(exc), by, result)
            except smtplib.SMTPRecipientsRefused as exc:
                _fail(store, plan_id, out, _refused(exc.recipients), by, result)
            except smtplib.SMTPServerDisconnected as exc:
                _lost(store, plan_id, out, config, _cause(exc, config), by, result, pending)
            except smtplib.SMTPException as exc:         # e.g. needs SMTPUTF8 it lacks
                _fail(store, plan_id, out, str(exc), by, result)
            except OSError as exc:                       # the socket: reset, timeout
                _lost(store, plan_id, out, config, _cause(exc, config), by, result, pending)
            else:
                _log(store, plan_id, [(out, "sent", _refused(refused) if refused else None)], by)
                result.sent.append(out)


def _fail(store, plan_id, out, error, by, result) -> None:
    _log(store, plan_id, [(out, "failed", error)], by)
    result.failed.append((out, error))


def _lost(store, plan_id, out, config, error, by, result, pending) -> None:
    """Log the message being sent as failed and stop the batch with one sentence."""
    _fail(store, plan_id, out, error, by, result)
    raise MailError(
        f"Lost the mail server {config.server} after {len(result.sent)} of {len(pending)} "
        f"messages ({error}); those sent are logged, the other "
        f"{len(pending) - len(result.sent)} were not sent: run it again to send them.")


def _fill_sender(msg: EmailMessage, mail_from: str) -> None:
    if mail_from and "From" not in msg:
        msg["From"] = mail_from


def _open(config: MailSettings) -> smtplib.SMTP:
    """A connected (and, as configured, encrypted and signed-in) SMTP session."""
    context = ssl.create_default_context()
    stage = "connect"
    try:
        if config.security == "ssl":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                    context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise _problem(config, stage, exc) from None
    try:
        if config.security == "starttls":
            stage = "starttls"
            smtp.starttls(context=context)
        if config.user:
            stage = "login"
            smtp.login(config.user, config.password)
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        raise _problem(config, stage, exc) from None
    return smtp


@contextmanager
def _closing(smtp: smtplib.SMTP) -> Iterator[None]:
    try:
        yield
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _problem(config: MailSettings, stage: str, exc: BaseException) -> MailError:
    """The one sentence for a session that could not be opened (nothing was sent)."""
    if stage == "starttls" and isinstance(exc, smtplib.SMTPNotSupportedError):
        cause = "it does not offer STARTTLS (WORKPLAN_SMTP_SECURITY)"
    elif stage == "login" and isinstance(exc, smtplib.SMTPNotSupportedError):
        cause = "it does not accept a sign-in here (AUTH); unset WORKPLAN_SMTP_USER or use TLS"
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        cause = f"it refused the sign-in of {config.user} ({_reply(exc)})"
    else:
        cause = _cause(exc, config)
    verb = "Cannot reach" if stage == "connect" else "Cannot use"
    error = MailError(f"{verb} the mail server {config.server}: {cause}; nothing was sent.")
    error.cause = cause
    return error


def _cause(exc: BaseException, config: MailSettings) -> str:
    """What went wrong with the connection, in words (never the password)."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return f"no answer within {config.timeout:g} s"
    if isinstance(exc, socket.gaierror):
        return f"the host name {config.host} cannot be resolved"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"the TLS handshake failed ({exc.reason or exc})"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "it closed the connection"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"it answered {_reply(exc)}"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
        else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


def _refused(refused: dict) -> str:
    return "refused " + ", ".join(
        f"{addr} ({code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply})"
        for addr, (code, reply) in refused.items())


# -- logging -----------------------------------------------------------------

def _log(store: Store, plan_id: int, rows: list[tuple[Outgoing, str, str | None]],
         by: str) -> None:
    """Log and audit messages sent or failed, in one transaction."""
    with store.transaction() as cur:
        for out, outcome, error in rows:
            to = ", ".join(recipients(out.message))
            cur.execute(
                "INSERT INTO sent_mail (plan_id, kind, key, period, recipients, subject,"
                " message_id, sent_at, outcome, error, sent_mark)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [plan_id, out.kind, out.key, out.period, to, str(out.message["Subject"] or ""),
                 out.message["Message-ID"], utc_now(), outcome, error,
                 True if outcome == "sent" else None])
            detail = f"{out.label} to {to}: {out.message['Subject']}"
            record_audit(cur, by, f"mail_{outcome}",
                         detail + (f" ({error})" if error else ""), plan_id=plan_id)


# -- dry run -----------------------------------------------------------------

def _write_eml(store, plan_id, pending, folder: Path, mail_from: str, by) -> list[Path]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for number, out in enumerate(pending, start=1):
            _fill_sender(out.message, mail_from)
            path = folder / f"{number:03d}-{out.kind}-{_slug(out.key)}-{_slug(out.period)}.eml"
            path.write_bytes(out.message.as_bytes())
            paths.append(path)
    except OSError as exc:
        raise MailError(f"Cannot write the messages to {folder}: "
                        f"{exc.strerror or exc}; nothing was sent.") from None
    with store.transaction() as cur:
        record_audit(cur, by, "mail_dry_run",
                     f"{len(paths)} messages written to {folder}, none sent", plan_id=plan_id)
    return paths


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.@_-]+", "_", text).strip("._")[:60] or "x"
