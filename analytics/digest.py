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
from analytics.formatting import counted
from analytics.mail import Outgoing, build_message
from analytics.metrics.compare import Comparison, largest_slips
from analytics.metrics.health import reason_words
from analytics.reporting_round import CHASED, STATE_LABELS, period_of, reporting_round
from analytics.settings import Settings
from analytics.store import Store

NONE = "- none"


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

        attachments.append((ctx.file_name("briefing-pack", "pdf"),
                            build_report(store, ctx, since, "pdf"), "application/pdf"))
    message = build_message(
        sender=settings.mail_from.strip(), to=recipients,
        subject=f"[{ctx.plan.code}] Digest {since.isoformat()} to {ctx.as_of.isoformat()}",
        body=digest_body(store, ctx, comparison), attachments=attachments)
    return Outgoing("digest", ",".join(recipients), f"{since.isoformat()}..{ctx.as_of.isoformat()}",
                    message)


def digest_body(store: Store, ctx: ViewContext, comparison: Comparison) -> str:
    """Verdict, newly red, slips, milestones done and missing reports, as plain text."""
    since = comparison.since.isoformat()
    lines = [f"{ctx.plan.code}: {ctx.plan.title}", f"As of {ctx.as_of.isoformat()}, "
             f"changes since {since}.", "", f"Verdict: {verdict_line(store, ctx)}", ""]
    for title, section in ((f"Newly red since {since}", newly_red_lines(comparison)),
                           (f"Milestones slipped since {since}", slip_lines(comparison)),
                           (f"Milestones done since {since}", done_lines(comparison)),
                           ("Missing reports", missing_report_lines(store, ctx))):
        lines += [f"{title}:", *(section or [NONE]), ""]
    lines.append("Work-Plan Pulse")
    return "\n".join(lines) + "\n"


def verdict_line(store: Store, ctx: ViewContext) -> str:
    """'Amber: schedule efficiency 0.93 ...' for the whole view (the group rule)."""
    overall = metrics.group_metrics(store, ctx, "overall")
    if overall.empty:
        return "No verdict: the plan has no work items."
    row = overall.iloc[0]
    return verdict_text(row["health"], row["reason"])


def newly_red_lines(comparison: Comparison) -> list[str]:
    turned = comparison.health_changes
    red = turned[turned["health_after"] == "red"] if not turned.empty else turned
    return [f"- {r.item_id} ({r.title}): {reason_words(r.reason_after) or 'no reason recorded'}"
            for r in red.itertuples()]


def slip_lines(comparison: Comparison) -> list[str]:
    return [f"- {r.milestone_id} ({r.title}) slipped {counted(int(round(r.moved)), 'day')}; "
            f"now due {r.due_date:%d %b %Y}"
            for r in largest_slips(comparison.milestones_slipped).itertuples()]


def done_lines(comparison: Comparison) -> list[str]:
    return [f"- {r.milestone_id} ({r.title}) done {r.completed_date}"
            for r in comparison.milestones_done.itertuples()]


def missing_report_lines(store: Store, ctx: ViewContext) -> list[str]:
    """The owners due or overdue in the round, worst first."""
    period = period_of(ctx)
    frame = reporting_round(store, ctx)
    chased = frame[frame["state"].isin(CHASED)]
    lines = [f"- {r.owner} ({r.party}): {r.items_owed - r.items_reported} of "
             f"{counted(int(r.items_owed), 'item')} outstanding, {STATE_LABELS[r.state].lower()}"
             + (f" {counted(int(r.days_overdue), 'day')}" if r.state == "overdue" else "")
             for r in chased.itertuples()]
    if lines:
        lines.insert(0, f"Reports for {period.label()}, due {period.due.isoformat()}:")
    return lines
