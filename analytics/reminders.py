"""The reminder mail of the reporting round: one message per owner who is due or overdue.

Why: the programme office chases late status reports by mail, each owner with their own
pre-filled sheet (analytics/owner_sheet.py) so that the answer is a re-upload. This module
turns the round (analytics/reporting_round.py) and the plan's contacts (analytics/contacts)
into `Outgoing` messages for the outbox (analytics/mail), which sends each once per owner
and period. Called by `workplan remind` (analytics/cli/mailing.py) and the "Send reminders"
button of the Reporting round page.

- To: the owner's contact `email`; Cc: its `escalation_email` when the owner is more than
  WORKPLAN_ESCALATE_AFTER_DAYS overdue (and the contact has one).
- An owner who is due or overdue but has no contact gets no message and is returned by
  name, so the caller says so instead of dropping them.
- The body is plain text: the plan, the period, the items still owed (id and title), the
  deadline and whom to ask (WORKPLAN_MAIL_FROM); the sheet is attached as XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from analytics.contacts import contact_of, plan_contacts
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.formatting import counted
from analytics.i18n import format_date, normalise_language, translator
from analytics.mail import Outgoing, build_message
from analytics.owner_sheet import owner_sheet_xlsx, sheet_file_name
from analytics.reporting_round import (
    CHASED,
    ReportingPeriod,
    owed_reports,
    period_of,
    reporting_round,
)
from analytics.settings import Settings
from analytics.store import Store

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Reminders:
    """The messages to send and the chased owners who have no contact to send them to."""

    messages: list[Outgoing] = field(default_factory=list)
    missing_contacts: list[str] = field(default_factory=list)

    def __iter__(self):                 # messages, missing = reminder_messages(...)
        return iter((self.messages, self.missing_contacts))


def reminder_messages(store: Store, ctx: ViewContext, settings: Settings,
                      owner: str | None = None) -> Reminders:
    """A reminder per owner due or overdue in the round as of ctx.as_of (only `owner`, by
    name case-insensitively, when given: a UsageError when the plan has no such owner)."""
    period = period_of(ctx)
    chased = _chased(reporting_round(store, ctx), owner, ctx)
    if chased.empty:
        return Reminders()
    contacts = plan_contacts(store, ctx.plan.id)
    outstanding = owed_reports(store, ctx)
    outstanding = outstanding[~outstanding["reported"].astype(bool)]
    result = Reminders()
    for row in chased.itertuples(index=False):
        contact = contact_of(contacts, row.owner)
        if not contact.get("email"):
            result.missing_contacts.append(row.owner)
            continue
        items = outstanding[outstanding["owner"] == row.owner].drop_duplicates("item_id")
        owner_ctx = replace(ctx, lang=normalise_language(contact.get("language")))
        result.messages.append(_reminder(store, owner_ctx, settings, period, row, contact, items))
    return result


def reminder_subject(ctx: ViewContext, period: ReportingPeriod, owner: str) -> str:
    """'[IC] Status report due 2026-11-05: CERT-In' (in the view's language)."""
    return translator(ctx.lang)("[{plan}] Status report due {due}: {owner}").format(
        plan=ctx.plan.code, due=period.due.isoformat(), owner=owner)


def reminder_body(ctx: ViewContext, period: ReportingPeriod, row, items: pd.DataFrame,
                  settings: Settings) -> str:
    """The plain-text body: plan, period, items owed, deadline, whom to ask (in ctx.lang)."""
    _, lang = translator(ctx.lang), ctx.lang
    due = f"{period.due:%d %B %Y}" if lang == "en" else format_date(period.due, lang)
    late = (_("It was due on {due} and is {days} overdue.").format(
        due=due, days=counted(int(row.days_overdue), "day", lang))
        if row.state == "overdue" else _("It is due by {due}.").format(due=due))
    lines = [_("Dear colleagues of {owner},").format(owner=row.owner), "",
             _("Your status report on the plan {code} ({title}) for {period} ({start} to {end}) "
               "has not come in yet. {late}").format(
                 code=ctx.plan.code, title=ctx.plan.title, period=period.label(lang),
                 start=period.start, end=period.end, late=late), "",
             _("Items still owed ({n}):").format(n=len(items))]
    lines += [f"- {item.item_id}: {item.title}" for item in items.itertuples(index=False)]
    lines += ["", _("The attached sheet holds one row per report you owe, with your last figures "
                    "filled in. Update each row (as of date, % complete, status, note) and send it "
                    "back or upload it; the Instructions sheet says how."), "",
              _("Deadline: {date}").format(date=period.due.isoformat()),
              _("Questions: {whom}").format(whom=settings.mail_from.strip()
                                            or _("the programme office")), "",
              _("Work-Plan Pulse, as of {date}").format(date=ctx.as_of.isoformat())]
    return "\n".join(lines) + "\n"


def _reminder(store, ctx, settings, period, row, contact: dict, items) -> Outgoing:
    escalate = row.days_overdue > settings.escalate_after_days and contact.get("escalation_email")
    message = build_message(
        sender=settings.mail_from.strip(), to=[contact["email"]],
        cc=[contact["escalation_email"]] if escalate else [],
        subject=reminder_subject(ctx, period, row.owner),
        body=reminder_body(ctx, period, row, items, settings),
        attachments=[(sheet_file_name(ctx, row.owner, "xlsx"),
                      owner_sheet_xlsx(store, ctx, row.owner), XLSX_MIME)])
    return Outgoing("reminder", row.owner, period.label(), message)


def _chased(frame: pd.DataFrame, owner: str | None, ctx: ViewContext) -> pd.DataFrame:
    chased = frame[frame["state"].isin(CHASED)]
    if owner is None:
        return chased
    if not (frame["owner"].str.casefold() == owner.casefold()).any():
        raise UsageError(f"The plan {ctx.plan.code} has no owner {owner!r}; nothing was sent.")
    return chased[chased["owner"].str.casefold() == owner.casefold()]
