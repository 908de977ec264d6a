"""Reminders of the reporting round against a real SMTP server (aiosmtpd on 127.0.0.1,
tests/conftest.py) on the sample plan: recipients, subject, body, the attached sheet
re-uploaded unchanged, escalation beyond the setting, no resend, the .eml dry run."""

from __future__ import annotations

import email
import email.policy
from datetime import date

import pandas as pd
import pytest

from analytics.cli import main
from analytics.contacts import set_contact
from analytics.context import plan_view
from analytics.errors import UsageError
from analytics.ingest import ReadOptions, import_upload
from analytics.metrics.items import item_metrics
from analytics.plans import plan_by_id
from analytics.reminders import reminder_messages
from analytics.reporting_round import reporting_round
from analytics.settings import Settings

SENDER = "Work-Plan Pulse <pulse@example.gov>"
OVERDUE = date(2026, 11, 24)      # October's reports were due 2026-11-05: 19 days overdue
DUE = date(2026, 11, 4)
FINTRAC = ("FINTRAC", "desk@fintrac.example.ca", "boss@fintrac.example.ca")
CAFC = ("Canadian Anti-Fraud Centre", "cafc@example.ca", None)


def _settings(port: int, **changes) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                    mail_from=SENDER, **changes)


def _ctx(store, as_of: date, settings: Settings):
    return plan_view(store, plan_by_id(store, 1), as_of, settings=settings)


def _contacts(store, *rows) -> None:
    for owner, mail, escalation in rows:
        set_contact(store, 1, owner, mail, None, escalation, by="test")


def _send(db, args: list[str], port: int, monkeypatch) -> int:
    for name, value in {"WORKPLAN_SMTP_HOST": "127.0.0.1", "WORKPLAN_SMTP_PORT": str(port),
                        "WORKPLAN_SMTP_SECURITY": "none", "WORKPLAN_MAIL_FROM": SENDER}.items():
        monkeypatch.setenv(name, value)
    return main(["--db", str(db), "remind", "--plan", "IC", "--by", "test", *args])


@pytest.fixture
def store(sample_store):
    _contacts(sample_store, FINTRAC)
    return sample_store


def test_each_owner_due_with_a_contact_gets_one_message_and_the_rest_are_listed(store, smtp_server):
    settings = _settings(smtp_server.port)
    messages, missing = reminder_messages(store, _ctx(store, OVERDUE, settings), settings)
    assert [m.key for m in messages] == ["FINTRAC"] and missing == ["Canadian Anti-Fraud Centre"]
    [out] = messages
    assert (out.kind, out.period) == ("reminder", "October 2026")
    assert out.message["Subject"] == "[IC] Status report due 2026-11-05: FINTRAC"


def test_the_message_arrives_with_items_deadline_contact_and_sheet(store, sample_db, smtp_server, monkeypatch):
    before = (item_metrics(store, _ctx(store, OVERDUE, Settings())),
              reporting_round(store, _ctx(store, OVERDUE, Settings())))
    assert _send(sample_db, ["--as-of", OVERDUE.isoformat()], smtp_server.port, monkeypatch) == 0
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["desk@fintrac.example.ca", "boss@fintrac.example.ca"]
    [msg] = smtp_server.messages
    assert msg["To"] == "desk@fintrac.example.ca" and msg["Cc"] == "boss@fintrac.example.ca"
    body = msg.get_body(("plain",)).get_content()
    owed = reporting_round(store, _ctx(store, OVERDUE, Settings())).set_index("owner")
    assert owed.loc["FINTRAC", "items_owed"] == 1
    for expected in ("CIS-07: Establish a 24/7 cyber incident contact point", "October 2026",
                     "Deadline: 2026-11-05", "19 days overdue", "Questions: " + SENDER,
                     "IC (India-Canada"):
        assert expected in body
    [sheet] = msg.iter_attachments()
    assert sheet.get_filename().endswith(".xlsx")
    result = import_upload(store, sheet.get_content(), sheet.get_filename(), "updates",
                           ReadOptions(plan_id=1), by="tester")
    assert result.outcome == "committed" and result.rows_rejected == 0, result.message
    pd.testing.assert_frame_equal(item_metrics(store, _ctx(store, OVERDUE, Settings())), before[0])
    pd.testing.assert_frame_equal(reporting_round(store, _ctx(store, OVERDUE, Settings())), before[1])


@pytest.mark.parametrize(("as_of", "escalate_after", "copied"), [
    (OVERDUE, 14, True),       # 19 days overdue > 14
    (OVERDUE, 19, False),      # not beyond the setting
    (OVERDUE, 30, False),
    (DUE, 0, False),           # due, not overdue
])
def test_escalation_is_copied_only_beyond_the_setting(store, as_of, escalate_after, copied):
    settings = Settings(mail_from=SENDER, escalate_after_days=escalate_after)
    [out], _ = reminder_messages(store, _ctx(store, as_of, settings), settings, owner="fintrac")
    assert (out.message["Cc"] == FINTRAC[2]) is copied and (out.message["Cc"] is None) is not copied


def test_a_second_run_sends_nothing(store, sample_db, smtp_server, monkeypatch, capsys):
    _contacts(store, CAFC)
    assert _send(sample_db, ["--as-of", OVERDUE.isoformat()], smtp_server.port, monkeypatch) == 0
    assert len(smtp_server.envelopes) == 2
    assert capsys.readouterr().out.strip().endswith("2 sent.")
    assert _send(sample_db, ["--as-of", OVERDUE.isoformat()], smtp_server.port, monkeypatch) == 0
    assert len(smtp_server.envelopes) == 2
    assert capsys.readouterr().out.strip().endswith("0 sent, 2 skipped (already sent).")


def test_dry_run_writes_eml_files_and_sends_nothing(store, sample_db, tmp_path, capsys):
    code = main(["--db", str(sample_db), "remind", "--plan", "IC", "--as-of",
                 OVERDUE.isoformat(), "--dry-run", str(tmp_path / "out"), "--by", "test"])
    assert code == 0
    [path] = sorted((tmp_path / "out").glob("*.eml"))
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "[IC] Status report due 2026-11-05: FINTRAC"
    out = capsys.readouterr().out
    assert "no contact: Canadian Anti-Fraud Centre" in out and "1 written as .eml." in out


def test_without_mail_settings_one_line_and_exit_1(store, sample_db, capsys):
    code = main(["--db", str(sample_db), "remind", "--plan", "IC", "--as-of", OVERDUE.isoformat()])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Mail is not configured" in err


def test_an_unknown_owner_is_refused(store):
    settings = Settings(mail_from=SENDER)
    with pytest.raises(UsageError, match="no owner 'Nobody'"):
        reminder_messages(store, _ctx(store, OVERDUE, settings), settings, owner="Nobody")


def test_an_unreachable_server_is_one_line(store, sample_db, refused_smtp_port, monkeypatch, capsys):
    code = _send(sample_db, ["--as-of", OVERDUE.isoformat()], refused_smtp_port, monkeypatch)
    err = capsys.readouterr().err
    assert code == 1 and "connection refused; nothing was sent." in err and "Traceback" not in err
