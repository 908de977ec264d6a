"""The managers' digest: one plain-text mail on where the plan stands and what moved.

Why: managers who do not open the dashboard still need, before a dialogue, the plan's
verdict and what changed since a date. The digest is built only from existing analytics:
the whole-plan verdict (group_metrics "overall", the group rule), compare_dates (items
newly red, milestones slipped, milestones done; read as in analytics/briefing_notes.py
draft_notes) and the reporting round (owners whose reports are missing), with the
briefing-pack PDF attached on request. Called by `workplan digest`
(analytics/cli/mailing.py); the outbox sends it once per recipients and period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from analytics import metrics
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.exports.report import verdict_text
from analytics.formatting import counted, long_date
from analytics.i18n import N_, translator
from analytics.mail import Outgoing, build_message
from analytics.metrics.compare import Comparison, largest_slips
from analytics.metrics.health import reason_words
from analytics.reporting_round import CHASED, STATE_LABELS, period_of, reporting_round
from analytics.settings import Settings
from analytics.store import Store

NONE = N_("- none")
# A round state in a digest line: 'FINTRAC (Canada): 2 of 3 items outstanding, overdue 19 days'.
ROUND_STATES = {state: label.lower() for state, label in STATE_LABELS.items()}
_ROUND_STATE_WORDS = (N_("overdue"), N_("due"), N_("reported"), N_("not due"))


def digest_message(store: Store, ctx: ViewContext, since: date, to: Sequence[str],
                   settings: Settings, attach_pack: bool = False) -> Outgoing:
    """The digest of the view since `since` to `to` (with the briefing-pack PDF when asked)."""
    recipients = sorted({address.strip() for address in to if address.strip()})
    if not recipients:
        raise UsageError("A digest needs at least one --to address; nothing was sent.")
    comparison = metrics.compare_dates(store, ctx, since)
    attachments = []
    if attach_pack:
        from analytics.exports.report import build_report

        attachments.append((ctx.file_name(N_("briefing-pack"), "pdf"),
                            build_report(store, ctx, since, "pdf"), "application/pdf"))
    message = build_message(
        sender=settings.mail_from.strip(), to=recipients,
        subject=translator(ctx.lang)("[{plan}] Digest {since} to {as_of}").format(
            plan=ctx.plan.code, since=since.isoformat(), as_of=ctx.as_of.isoformat()),
        body=digest_body(store, ctx, comparison), attachments=attachments)
    return Outgoing("digest", ",".join(recipients), f"{since.isoformat()}..{ctx.as_of.isoformat()}",
                    message)


def digest_body(store: Store, ctx: ViewContext, comparison: Comparison) -> str:
    """Verdict, newly red, slips, milestones done and missing reports, as plain text."""
    _, lang = translator(ctx.lang), ctx.lang
    since = comparison.since.isoformat()
    lines = [f"{ctx.plan.code}: {ctx.plan.title}",
             _("As of {as_of}, changes since {since}.").format(as_of=ctx.as_of.isoformat(),
                                                               since=since), "",
             _("Verdict: {verdict}").format(verdict=verdict_line(store, ctx)), ""]
    for title, section in ((_("Newly red since {since}"), newly_red_lines(comparison, lang)),
                           (_("Milestones slipped since {since}"), slip_lines(comparison, lang)),
                           (_("Milestones done since {since}"), done_lines(comparison, lang)),
                           (_("Missing reports"), missing_report_lines(store, ctx))):
        lines += [_("{title}:").format(title=title.format(since=since)),
                  *(section or [_(NONE)]), ""]
    lines.append("Work-Plan Pulse")
    return "\n".join(lines) + "\n"


def verdict_line(store: Store, ctx: ViewContext) -> str:
    """'Amber: schedule efficiency 0.93 ...' for the whole view (the group rule)."""
    overall = metrics.group_metrics(store, ctx, "overall")
    if overall.empty:
        return translator(ctx.lang)("No verdict: the plan has no work items.")
    row = overall.iloc[0]
    return verdict_text(row["health"], row["reason"], ctx.lang)


def newly_red_lines(comparison: Comparison, lang: str = "en") -> list[str]:
    _ = translator(lang)
    turned = comparison.health_changes
    red = turned[turned["health_after"] == "red"] if not turned.empty else turned
    return [_("- {item} ({title}): {reason}").format(
        item=r.item_id, title=r.title,
        reason=reason_words(r.reason_after) or _("no reason recorded"))
        for r in red.itertuples()]


def slip_lines(comparison: Comparison, lang: str = "en") -> list[str]:
    _ = translator(lang)
    return [_("- {milestone} ({title}) slipped {days}; now due {due}").format(
        milestone=r.milestone_id, title=r.title, days=counted(int(round(r.moved)), "day", lang),
        due=f"{r.due_date:%d %b %Y}" if lang == "en" else long_date(r.due_date, lang=lang))
        for r in largest_slips(comparison.milestones_slipped).itertuples()]


def done_lines(comparison: Comparison, lang: str = "en") -> list[str]:
    _ = translator(lang)
    return [_("- {milestone} ({title}) done {date}").format(
        milestone=r.milestone_id, title=r.title, date=r.completed_date)
        for r in comparison.milestones_done.itertuples()]


def missing_report_lines(store: Store, ctx: ViewContext) -> list[str]:
    """The owners due or overdue in the round, worst first."""
    _, lang = translator(ctx.lang), ctx.lang
    period = period_of(ctx)
    frame = reporting_round(store, ctx)
    chased = frame[frame["state"].isin(CHASED)]
    lines = [_("- {owner} ({party}): {missing} of {items} outstanding, {state}").format(
        owner=r.owner, party=r.party, missing=r.items_owed - r.items_reported,
        items=counted(int(r.items_owed), "item", lang), state=_(ROUND_STATES[r.state]))
        + (f" {counted(int(r.days_overdue), 'day', lang)}" if r.state == "overdue" else "")
        for r in chased.itertuples()]
    if lines:
        lines.insert(0, _("Reports for {period}, due {due}:").format(
            period=period.label(lang), due=period.due.isoformat()))
    return lines
