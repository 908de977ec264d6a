"""The managers' digest on the sample plan: the verdict and reason, what changed since the
date, missing reports, the briefing-pack PDF on request, sent once per recipients and
period (aiosmtpd on 127.0.0.1, tests/conftest.py)."""

from __future__ import annotations

import email
import email.policy
import io
from datetime import date

import pytest
from pypdf import PdfReader

from analytics.cli import main
from analytics.context import plan_view
from analytics.digest import digest_message
from analytics.errors import UsageError
from analytics.metrics import group_metrics
from analytics.metrics.health import reason_words
from analytics.plans import plan_by_id
from analytics.settings import Settings

SENDER = "Work-Plan Pulse <pulse@example.gov>"
AS_OF, SINCE = date(2026, 11, 24), date(2026, 10, 1)
TO = ["heads@example.gov", "deputy@example.gov"]


@pytest.fixture
def ctx(sample_store):
    return plan_view(sample_store, plan_by_id(sample_store, 1), AS_OF, settings=Settings())


def _body(out) -> str:
    return out.message.get_body(("plain",)).get_content()


def _mail_env(monkeypatch, port: int) -> None:
    for name, value in {"WORKPLAN_SMTP_HOST": "127.0.0.1", "WORKPLAN_SMTP_PORT": str(port),
                        "WORKPLAN_SMTP_SECURITY": "none", "WORKPLAN_MAIL_FROM": SENDER}.items():
        monkeypatch.setenv(name, value)


def test_the_body_has_the_verdict_changes_and_missing_reports(sample_store, ctx):
    out = digest_message(sample_store, ctx, SINCE, TO, Settings(mail_from=SENDER))
    assert (out.kind, out.key, out.period) == (
        "digest", "deputy@example.gov,heads@example.gov", "2026-10-01..2026-11-24")
    body = _body(out)
    overall = group_metrics(sample_store, ctx, "overall").iloc[0]
    assert f"Verdict: Amber: {reason_words(overall['reason'])}" in body
    assert overall["health"] == "amber"
    sections = {title: body.split(title + ":\n", 1)[1].split("\n\n", 1)[0] for title in (
        "Newly red since 2026-10-01", "Milestones slipped since 2026-10-01",
        "Milestones done since 2026-10-01", "Missing reports")}
    assert sections["Newly red since 2026-10-01"].startswith("- CIS-07 (")
    assert "- LO-08-M1 (" in sections["Milestones slipped since 2026-10-01"]
    assert "slipped 67 days" in sections["Milestones slipped since 2026-10-01"]
    assert "- FRD-06-M3 (" in sections["Milestones done since 2026-10-01"]
    missing = sections["Missing reports"]
    assert "due 2026-11-05" in missing and "- FINTRAC (Canada): 1 of 1 item outstanding, overdue 19 days" in missing
    assert "Canadian Anti-Fraud Centre" in missing and "CERT-In" not in missing
    assert not list(out.message.iter_attachments())


def test_a_digest_needs_a_recipient_and_an_earlier_date(sample_store, ctx):
    with pytest.raises(UsageError, match="--to"):
        digest_message(sample_store, ctx, SINCE, [" "], Settings())
    with pytest.raises(UsageError, match="before"):
        digest_message(sample_store, ctx, AS_OF, TO, Settings())


def test_attach_pack_sends_the_briefing_pack_pdf_once(sample_db, smtp_server, monkeypatch, capsys):
    _mail_env(monkeypatch, smtp_server.port)
    args = ["--db", str(sample_db), "digest", "--plan", "IC", "--as-of", AS_OF.isoformat(),
            "--since", SINCE.isoformat(), "--to", TO[0], "--to", TO[1], "--attach-pack",
            "--by", "test"]
    assert main(args) == 0
    [envelope] = smtp_server.envelopes
    assert sorted(envelope.rcpt_tos) == sorted(TO)
    [msg] = smtp_server.messages
    assert msg["Subject"] == "[IC] Digest 2026-10-01 to 2026-11-24"
    [pack] = msg.iter_attachments()
    assert pack.get_content_type() == "application/pdf" and pack.get_filename().endswith(".pdf")
    reader = PdfReader(io.BytesIO(pack.get_content()))
    assert len(reader.pages) >= 1
    assert capsys.readouterr().out.strip().endswith("1 sent.")
    assert main(args) == 0                                   # the same recipients and period
    assert len(smtp_server.envelopes) == 1
    assert capsys.readouterr().out.strip().endswith("0 sent, 1 skipped (already sent).")


def test_dry_run_writes_the_digest_as_eml(sample_db, tmp_path, capsys):
    folder = tmp_path / "eml"
    assert main(["--db", str(sample_db), "digest", "--plan", "IC", "--as-of", AS_OF.isoformat(),
                 "--since", SINCE.isoformat(), "--to", TO[0], "--dry-run", str(folder)]) == 0
    [path] = folder.glob("*.eml")
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert "Missing reports:" in msg.get_body(("plain",)).get_content()
    assert "1 written as .eml." in capsys.readouterr().out


def test_without_mail_settings_one_line_and_exit_1(sample_db, capsys):
    code = main(["--db", str(sample_db), "digest", "--since", SINCE.isoformat(), "--to", TO[0]])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Mail is not configured" in err
