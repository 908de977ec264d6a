"""Mail in the owner's language: a reminder to a contact whose language is `fr` is French, one
to an English contact is unchanged; the contacts sheet's `langue` column is read."""

from __future__ import annotations

from datetime import date

from analytics.contacts import plan_contacts, set_contact
from analytics.context import plan_view
from analytics.i18n import NBSP
from analytics.plans import plan_by_id
from analytics.reminders import reminder_messages
from analytics.reporting_round import reporting_period
from analytics.settings import Settings

SETTINGS = Settings(mail_from="Work-Plan Pulse <pulse@example.gov>")
OVERDUE = date(2026, 11, 24)      # October's reports were due 2026-11-05: 19 days overdue


def reminders(store):
    ctx = plan_view(store, plan_by_id(store, 1), OVERDUE, settings=SETTINGS)
    return {m.key: m for m in reminder_messages(store, ctx, SETTINGS).messages}


def test_a_french_contact_gets_a_french_reminder(sample_store):
    set_contact(sample_store, 1, "FINTRAC", "desk@fintrac.example.ca", None, None, by="test",
                language="fr")
    set_contact(sample_store, 1, "Canadian Anti-Fraud Centre", "cafc@example.ca", None, None,
                by="test")
    sent = reminders(sample_store)
    french, english = sent["FINTRAC"].message, sent["Canadian Anti-Fraud Centre"].message
    assert french["Subject"] == f"[IC] Rapport d'étape attendu le 2026-11-05{NBSP}: FINTRAC"
    body = french.get_body(("plain",)).get_content()
    assert "Chères et chers collègues de FINTRAC," in body
    assert "pour la période de octobre 2026" in body
    assert "attendu le 5 novembre 2026 et accuse 19 jours de retard" in body
    assert f"Échéance{NBSP}: 2026-11-05" in body and "Dear colleagues" not in body
    assert english["Subject"] == "[IC] Status report due 2026-11-05: Canadian Anti-Fraud Centre"
    assert "It was due on 05 November 2026 and is 19 days overdue." in (
        english.get_body(("plain",)).get_content())
    assert sent["FINTRAC"].period == "October 2026"       # the send-once key stays the same


def test_editing_a_contact_keeps_its_language(sample_store):
    set_contact(sample_store, 1, "FINTRAC", "a@fintrac.example.ca", None, None, by="t", language="fr")
    set_contact(sample_store, 1, "FINTRAC", "b@fintrac.example.ca", None, None, by="t")
    assert plan_contacts(sample_store, 1).loc[0, "language"] == "fr"


def test_period_labels_in_french():
    assert reporting_period(OVERDUE).label("fr") == "octobre 2026"
    assert reporting_period(OVERDUE, "quarterly").label("fr").startswith("T")


def test_the_sheet_reads_a_language_column_and_refuses_an_unknown_one():
    from analytics.contacts.checks import check_language
    from analytics.contacts.sheet import map_contact_headers

    fields = map_contact_headers(["Owner", "Email", "Langue"])[0]
    assert set(fields) == {"owner", "email", "language"}
    assert [check_language(v)[0] for v in ("", "fr", "FR-ca", "Français", "English")] == [
        "en", "fr", "fr", "fr", "en"]
    value, message = check_language("de")
    assert value is None and "write en or fr" in message


def test_a_digest_in_french(sample_store):
    from analytics.digest import digest_message

    ctx = plan_view(sample_store, plan_by_id(sample_store, 1), OVERDUE, settings=SETTINGS,
                    lang="fr")
    out = digest_message(sample_store, ctx, date(2026, 10, 1), ["heads@example.gov"], SETTINGS)
    assert out.message["Subject"] == "[IC] Résumé du 2026-10-01 au 2026-11-24"
    body = out.message.get_body(("plain",)).get_content()
    assert f"Évaluation{NBSP}: Jaune{NBSP}: indice de performance du calendrier" in body
    assert f"Jalons reportés depuis le 2026-10-01{NBSP}:" in body and "Verdict" not in body
