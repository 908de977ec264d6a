"""The outbox against a real SMTP server (aiosmtpd on a free loopback port, tests/conftest.py):
what arrives, the no-resend rule across a crash, a refused connection, the .eml dry run."""

from __future__ import annotations

import email
import email.policy
import smtplib

import pytest

from analytics.mail import MailError, Outgoing, build_message, send_batch, sent_log
from analytics.plans import add_plan
from analytics.settings import Settings

SENDER = "Work-Plan Pulse <pulse@example.gov>"
OWNERS = ["ravi", "priya", "anand", "claire", "marc"]
SHEET = b"PK\x03\x04" + bytes(range(256)) * 4     # an .xlsx-like payload, every byte value


@pytest.fixture
def plan(fresh_store):
    return add_plan(fresh_store, "IC", title="India-Canada security work plan", by="test")


def _settings(port: int, **changes) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                    mail_from=SENDER, **changes)


def _reminder(owner: str, period: str = "2026-11") -> Outgoing:
    msg = build_message(
        sender=SENDER, to=[f"{owner}@example.gov"], cc=["desk@example.gov"],
        subject=f"IC status report for {period}: {owner}",
        body=f"Dear {owner},\n\nplease return the attached sheet.\n",
        attachments=[(f"IC-{owner}-{period}.xlsx", SHEET + owner.encode(), None)])
    return Outgoing("reminder", owner, period, msg)


def _audit(store, action: str) -> list[str]:
    return [r[0] for r in store.cursor().execute(
        "SELECT detail FROM audit_log WHERE action = ? ORDER BY id", [action]).fetchall()]


def _sent_keys(store, plan) -> list[str]:
    log = sent_log(store, plan.id)
    return sorted(log.loc[log["outcome"] == "sent", "key"])


def test_messages_arrive_with_recipients_subject_body_and_attachment(
        fresh_store, plan, smtp_server):
    result = send_batch(fresh_store, plan.id, [_reminder("ravi"), _reminder("priya")],
                        _settings(smtp_server.port), by="cli:test")
    assert [o.key for o in result.sent] == ["ravi", "priya"] and result.summary() == "2 sent."
    first = smtp_server.envelopes[0]
    assert first.mail_from == "pulse@example.gov"
    assert first.rcpt_tos == ["ravi@example.gov", "desk@example.gov"]
    msg = smtp_server.messages[0]
    assert msg["Subject"] == "IC status report for 2026-11: ravi" and msg["From"] == SENDER
    assert msg.get_body(("plain",)).get_content() == (
        "Dear ravi,\n\nplease return the attached sheet.\n")
    [part] = msg.iter_attachments()
    assert part.get_filename() == "IC-ravi-2026-11.xlsx"
    assert part.get_content() == SHEET + b"ravi"
    log = sent_log(fresh_store, plan.id)
    assert sorted(log["outcome"]) == ["sent", "sent"]
    assert set(log["message_id"]) == {m["Message-ID"] for m in smtp_server.messages}
    assert len(_audit(fresh_store, "mail_sent")) == 2
    assert "reminder ravi 2026-11 to ravi@example.gov, desk@example.gov" in \
        _audit(fresh_store, "mail_sent")[0]


def test_nothing_is_sent_twice_for_the_same_owner_and_period(fresh_store, plan, smtp_server):
    settings = _settings(smtp_server.port)
    send_batch(fresh_store, plan.id, [_reminder("ravi")], settings, by="test")
    again = send_batch(fresh_store, plan.id, [_reminder("ravi"), _reminder("ravi"),
                                              _reminder("ravi", "2026-12")], settings, by="test")
    assert [o.period for o in again.sent] == ["2026-12"] and len(again.skipped) == 2
    assert again.summary() == "1 sent, 2 skipped (already sent)."
    assert [m["Subject"] for m in smtp_server.messages] == [
        "IC status report for 2026-11: ravi", "IC status report for 2026-12: ravi"]


def test_a_rerun_after_a_crash_half_way_sends_only_what_is_missing(
        fresh_store, plan, smtp_server, monkeypatch):
    real_send = smtplib.SMTP.send_message
    calls = []

    def crash_before_the_third(self, msg, *args, **kwargs):
        calls.append(msg["Subject"])
        if len(calls) == 3:
            raise KeyboardInterrupt("the process is killed")
        return real_send(self, msg, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", crash_before_the_third)
    settings = _settings(smtp_server.port)
    with pytest.raises(KeyboardInterrupt):
        send_batch(fresh_store, plan.id, [_reminder(o) for o in OWNERS], settings, by="test")
    assert len(smtp_server.envelopes) == 2
    assert _sent_keys(fresh_store, plan) == ["priya", "ravi"]

    monkeypatch.setattr(smtplib.SMTP, "send_message", real_send)
    rerun = send_batch(fresh_store, plan.id, [_reminder(o) for o in OWNERS], settings, by="test")
    assert [o.key for o in rerun.sent] == ["anand", "claire", "marc"]
    assert [o.key for o in rerun.skipped] == ["ravi", "priya"]
    received = [e.rcpt_tos[0] for e in smtp_server.envelopes]
    assert sorted(received) == sorted(f"{o}@example.gov" for o in OWNERS)   # each exactly once
    assert len(_audit(fresh_store, "mail_sent")) == 5


def test_a_refused_connection_is_one_line_and_nothing_is_marked_sent(
        fresh_store, plan, refused_smtp_port):
    with pytest.raises(MailError) as raised:
        send_batch(fresh_store, plan.id, [_reminder("ravi"), _reminder("priya")],
                   _settings(refused_smtp_port), by="test")
    assert str(raised.value) == (f"Cannot reach the mail server 127.0.0.1:{refused_smtp_port}: "
                                 "connection refused; nothing was sent.")
    log = sent_log(fresh_store, plan.id)
    assert list(log["outcome"]) == ["failed", "failed"]
    assert set(log["error"]) == {"connection refused"}
    assert len(_audit(fresh_store, "mail_failed")) == 2


def test_a_refused_recipient_fails_that_message_only_and_is_sent_on_the_rerun(
        fresh_store, plan, smtp_server):
    smtp_server.refuse = {"priya@example.gov", "desk@example.gov"}
    settings = _settings(smtp_server.port)
    only_priya = Outgoing("reminder", "priya", "2026-11", build_message(
        sender=SENDER, to=["priya@example.gov"], subject="IC report", body="Hello\n"))
    result = send_batch(fresh_store, plan.id, [only_priya, _reminder("ravi")], settings,
                        by="test")
    assert [o.key for o in result.sent] == ["ravi"]
    [(failed, error)] = result.failed
    assert failed.key == "priya" and "priya@example.gov (550" in error
    ravi = sent_log(fresh_store, plan.id).set_index("key").loc["ravi"]
    assert "refused desk@example.gov (550" in ravi["error"]       # sent to the others

    smtp_server.refuse = set()
    again = send_batch(fresh_store, plan.id, [only_priya, _reminder("ravi")], settings, by="test")
    assert [o.key for o in again.sent] == ["priya"] and [o.key for o in again.skipped] == ["ravi"]


def test_a_connection_lost_half_way_stops_with_one_line(fresh_store, plan, smtp_server):
    accepted = []

    async def close_after_two(server, session, envelope):
        if len(accepted) == 2:
            return "421 4.3.2 Service shutting down"
        accepted.append(envelope)
        return "250 OK"

    smtp_server.handle_DATA = close_after_two
    with pytest.raises(MailError, match=r"Lost the mail server 127\.0\.0\.1:\d+ after 2 of 5 "
                                        r"messages \(421 .*\).*the other 3 were not sent"):
        send_batch(fresh_store, plan.id, [_reminder(o) for o in OWNERS],
                   _settings(smtp_server.port), by="test")
    assert _sent_keys(fresh_store, plan) == ["priya", "ravi"]


def test_login_when_a_user_is_set_and_a_refused_sign_in_hides_the_password(
        fresh_store, plan, smtp_server):
    smtp_server.users = {"pulse": "correct-horse-battery"}
    good = _settings(smtp_server.port, smtp_user="pulse", smtp_password="correct-horse-battery")
    assert len(send_batch(fresh_store, plan.id, [_reminder("ravi")], good, by="t").sent) == 1
    assert smtp_server.signed_in == ["pulse"]

    bad = _settings(smtp_server.port, smtp_user="pulse", smtp_password="wrong-horse-battery")
    with pytest.raises(MailError, match=r"refused the sign-in of pulse \(535") as raised:
        send_batch(fresh_store, plan.id, [_reminder("priya")], bad, by="t")
    assert "horse" not in str(raised.value) and "nothing was sent" in str(raised.value)
    assert _sent_keys(fresh_store, plan) == ["ravi"]


def test_without_smtp_settings_no_mail_leaves(fresh_store, plan, smtp_server):
    with pytest.raises(MailError, match="Mail is not configured"):
        send_batch(fresh_store, plan.id, [_reminder("ravi")], Settings(), by="test")
    assert smtp_server.envelopes == [] and sent_log(fresh_store, plan.id).empty


def test_the_dry_run_writes_eml_files_and_sends_nothing(fresh_store, plan, smtp_server, tmp_path):
    settings = _settings(smtp_server.port)
    send_batch(fresh_store, plan.id, [_reminder("ravi")], settings, by="test")
    out = tmp_path / "outbox"
    result = send_batch(fresh_store, plan.id, [_reminder(o) for o in OWNERS[:3]], Settings(),
                        dry_run_dir=out, by="test")        # needs no mail server at all
    assert [p.name for p in result.written] == [
        "001-reminder-priya-2026-11.eml", "002-reminder-anand-2026-11.eml"]
    assert [o.key for o in result.skipped] == ["ravi"]
    assert result.summary() == "2 written as .eml, 1 skipped (already sent)."
    parsed = email.message_from_bytes(result.written[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "priya@example.gov" and parsed["Cc"] == "desk@example.gov"
    [part] = parsed.iter_attachments()
    assert part.get_content() == SHEET + b"priya"
    assert len(smtp_server.envelopes) == 1 and _sent_keys(fresh_store, plan) == ["ravi"]
    assert _audit(fresh_store, "mail_dry_run") == [f"2 messages written to {out}, none sent"]

    real = send_batch(fresh_store, plan.id, [_reminder(o) for o in OWNERS[:3]], settings, by="t")
    assert [o.key for o in real.sent] == ["priya", "anand"]


def test_a_dry_run_into_a_file_is_one_line(fresh_store, plan, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    with pytest.raises(MailError, match=f"Cannot write the messages to {blocker}: .*nothing"):
        send_batch(fresh_store, plan.id, [_reminder("ravi")], Settings(), dry_run_dir=blocker,
                   by="test")


def test_each_plan_has_its_own_log(fresh_store, plan, smtp_server):
    other = add_plan(fresh_store, "CE", title="Canada-EU clean energy", by="test")
    settings = _settings(smtp_server.port)
    send_batch(fresh_store, plan.id, [_reminder("ravi")], settings, by="test")
    result = send_batch(fresh_store, other.id, [_reminder("ravi")], settings, by="test")
    assert len(result.sent) == 1 and len(smtp_server.envelopes) == 2
