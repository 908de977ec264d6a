"""Mail messages and settings: what build_message makes, and when mail counts as configured."""

from __future__ import annotations

import email
import email.policy

import pytest

from analytics.mail import MailError, MailSettings, Outgoing, build_message, mail_configured
from analytics.mail.message import recipients
from analytics.settings import Settings, settings_table

READY = {"smtp_host": "127.0.0.1", "mail_from": "Pulse <pulse@example.gov>"}
SHEET = bytes(range(256)) * 8                       # every byte value, as an .xlsx would carry


def _message(**changes):
    values = {"sender": "Pulse <pulse@example.gov>", "to": ["ravi@example.gov"],
              "cc": ["desk@example.gov"], "subject": "Status report due 2026-11-30",
              "body": "Dear Ravi,\n\nyour sheet is attached.\n",
              "attachments": [("IC-ravi-2026-11.xlsx", SHEET, None)]}
    return build_message(**(values | changes))


def test_build_message_has_the_headers_body_and_attachment_bytes():
    parsed = email.message_from_bytes(_message().as_bytes(), policy=email.policy.default)
    assert (parsed["From"], parsed["To"], parsed["Cc"]) == (
        "Pulse <pulse@example.gov>", "ravi@example.gov", "desk@example.gov")
    assert parsed["Subject"] == "Status report due 2026-11-30"
    assert parsed["Message-ID"].endswith("@example.gov>") and parsed["Date"]
    assert parsed.get_body(("plain",)).get_content() == "Dear Ravi,\n\nyour sheet is attached.\n"
    [part] = parsed.iter_attachments()
    assert part.get_filename() == "IC-ravi-2026-11.xlsx"
    assert part.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert part.get_content() == SHEET


@pytest.mark.parametrize(("filename", "mime", "expected"), [
    ("digest.pdf", None, "application/pdf"),
    ("notes.csv", "text/csv", "text/csv"),
    ("blob.unknownext", None, "application/octet-stream"),
])
def test_attachment_types_are_given_or_guessed(filename, mime, expected):
    msg = _message(attachments=[(filename, b"1,2\n", mime)])
    [part] = msg.iter_attachments()
    assert part.get_content_type() == expected


def test_unicode_subject_and_body_survive():
    msg = _message(subject="Rapport d'étape — Sécurité", body="Bonjour Zoë ✓\n", attachments=[])
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Rapport d'étape — Sécurité"
    assert parsed.get_content() == "Bonjour Zoë ✓\n"


def test_recipients_are_to_and_cc_and_a_message_needs_one():
    assert recipients(_message(to=["a@x.org", "b@x.org"])) == [
        "a@x.org", "b@x.org", "desk@example.gov"]
    with pytest.raises(ValueError, match="no recipient"):
        _message(to=[])


def test_without_a_sender_there_is_no_from_header():
    assert "From" not in _message(sender="")


@pytest.mark.parametrize(("kind", "key", "period"), [
    ("newsletter", "ravi", "2026-11"), ("reminder", "", "2026-11"), ("digest", "all", ""),
])
def test_outgoing_refuses_an_unknown_kind_or_an_empty_name(kind, key, period):
    with pytest.raises(ValueError):
        Outgoing(kind, key, period, _message())


@pytest.mark.parametrize(("changes", "says"), [
    ({}, "Mail is not configured: set WORKPLAN_SMTP_HOST"),
    ({"smtp_host": "mail.example.gov"}, "WORKPLAN_MAIL_FROM is not set"),
    (READY | {"mail_from": "pulse"}, "is not an email address"),
    (READY | {"smtp_security": "tls"}, "not one of none, starttls or ssl"),
    (READY | {"smtp_port": 70000}, "is not a port"),
    (READY | {"smtp_password": "hunter2-hunter2"}, "WORKPLAN_SMTP_USER is not"),
])
def test_mail_configured_says_what_is_missing(changes, says):
    problem = mail_configured(Settings(**changes))
    assert says in problem and problem.endswith("no mail is sent.")
    assert "hunter2" not in problem
    with pytest.raises(MailError, match="no mail is sent"):
        MailSettings.from_settings(Settings(**changes))


@pytest.mark.parametrize(("security", "port", "expected"), [
    ("none", 0, 25), ("starttls", 0, 587), ("ssl", 0, 465), ("SSL", 2465, 2465),
])
def test_port_zero_is_the_usual_port_of_the_security(security, port, expected):
    config = MailSettings.from_settings(Settings(**READY, smtp_security=security,
                                                 smtp_port=port))
    assert mail_configured(Settings(**READY, smtp_security=security)) is None
    assert config.port == expected and config.security == security.lower()


def test_the_password_is_never_in_a_repr_or_the_settings_table():
    settings = Settings.from_env({"WORKPLAN_SMTP_PASSWORD": "hunter2-hunter2",
                                  "WORKPLAN_SMTP_USER": "pulse", **{
                                      "WORKPLAN_SMTP_HOST": "127.0.0.1",
                                      "WORKPLAN_MAIL_FROM": "pulse@example.gov"}})
    assert settings.smtp_password == "hunter2-hunter2"
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in repr(MailSettings.from_settings(settings))
    assert "hunter2" not in str(settings_table())
