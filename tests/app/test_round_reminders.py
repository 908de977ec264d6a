"""AppTest of the Reporting round page's "Send reminders" button: editors only, the mail
settings' sentence instead of the button when mail is not configured, the batch summary
after sending (aiosmtpd on 127.0.0.1, tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.contacts import set_contact
from pages._auth import User
from tests.app.test_round_page import stub_shared

ROUND = str(Path(__file__).resolve().parents[2] / "pages" / "round.py")
SENDER = "Work-Plan Pulse <pulse@example.gov>"


def _page(role: str) -> AppTest:
    at = AppTest.from_file(ROUND, default_timeout=60)
    at.session_state["user"] = User(name=f"{role}1", roles=((1, role),), plan_id=1)
    return at.run()


def _button(at: AppTest):
    return [b for b in at.button if b.key == "round_send_reminders"]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_the_button_needs_mail_settings_and_an_editor(sample_store, monkeypatch, role):
    stub_shared(monkeypatch, sample_store)
    at = _page(role)
    assert not at.exception and not _button(at)
    sentences = [i.value for i in at.info]
    assert any("Mail is not configured" in s for s in sentences) is (role == "editor")


def test_an_editor_sends_the_reminders_and_sees_the_summary(sample_store, monkeypatch, smtp_server):
    set_contact(sample_store, 1, "FINTRAC", "desk@fintrac.example.ca", None, None, by="test")
    stub_shared(monkeypatch, sample_store, smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                smtp_security="none", mail_from=SENDER)
    at = _page("editor")
    _button(at)[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["1 sent."]
    assert any("Canadian Anti-Fraud Centre" in w.value for w in at.warning)
    assert [m["To"] for m in smtp_server.messages] == ["desk@fintrac.example.ca"]
