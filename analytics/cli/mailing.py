"""`workplan remind` and `workplan digest`: the reporting round's reminders and the managers'
digest, by mail.

Why: both run from cron or a systemd timer as well as by hand (README, "Reminders and
digests"). `remind` mails each owner who is due or overdue their pre-filled sheet
(analytics/reminders.py); `digest` mails a summary since a date (analytics/digest.py).
The outbox (analytics/mail) sends each message once per owner (or recipients) and period,
so a second run sends nothing new. `--dry-run DIR` writes the messages as .eml files
instead. Exit codes: 0 done, 1 mail not configured, unreachable or a message refused,
2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.cli._common import (
    add_lang_flag,
    iso_date,
    lang_from_args,
    open_from_args,
    os_user,
    plan_from_args,
)
from analytics.context import plan_view
from analytics.digest import digest_message
from analytics.mail import BatchResult, MailError, mail_configured, send_batch
from analytics.reminders import reminder_messages
from analytics.reporting_round import period_of
from analytics.settings import Settings

ORDER = 36


def register(subparsers) -> None:
    remind = subparsers.add_parser(
        "remind", help="mail each owner due or overdue in the round their pre-filled sheet",
        description="One email per owner who is due or overdue in the reporting round, with "
                    "their pre-filled sheet; more than WORKPLAN_ESCALATE_AFTER_DAYS overdue "
                    "copies the escalation contact. Nothing is sent twice per owner and period.")
    remind.add_argument("--owner", default=None, help="only this owner")
    _common_flags(remind)
    remind.set_defaults(func=run_remind)
    digest = subparsers.add_parser(
        "digest", help="mail managers a summary of the plan since a date",
        description="The plan's verdict and reason, items newly red, milestones slipped and "
                    "done since --since, and missing reports; once per recipients and period.")
    digest.add_argument("--since", type=iso_date, required=True,
                        help="the earlier date (YYYY-MM-DD) to compare with")
    digest.add_argument("--to", action="append", required=True, metavar="ADDRESS",
                        help="a recipient (repeat for more)")
    add_lang_flag(digest)
    digest.add_argument("--attach-pack", action="store_true",
                        help="attach the briefing-pack PDF")
    _common_flags(digest)
    digest.set_defaults(func=run_digest)


def _common_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="the date (default: the plan's data current to)")
    parser.add_argument("--dry-run", metavar="DIR", default=None,
                        help="write the messages as .eml files into DIR instead of sending")
    parser.add_argument("--by", default=None, help="who sends, for the audit log (default: OS user)")


def run_remind(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not _can_send(settings, args):
        return 1
    store = open_from_args(args)
    ctx = plan_view(store, plan_from_args(store, args), args.as_of, settings=settings)
    messages, missing = reminder_messages(store, ctx, settings, args.owner)
    for owner in missing:
        print(f"no contact: {owner} (add one with `workplan contacts`); not reminded")
    if not messages:
        print(f"No reminder to send for {period_of(ctx).label()} as of {ctx.as_of}.")
        return 0
    return _send(store, ctx.plan.id, messages, settings, args)


def run_digest(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not _can_send(settings, args):
        return 1
    store = open_from_args(args)
    ctx = plan_view(store, plan_from_args(store, args), args.as_of, settings=settings,
                    lang=lang_from_args(args))
    message = digest_message(store, ctx, args.since, args.to, settings, args.attach_pack)
    return _send(store, ctx.plan.id, [message], settings, args)


def _can_send(settings: Settings, args: argparse.Namespace) -> bool:
    problem = None if args.dry_run else mail_configured(settings)
    if problem:
        print(f"workplan: {problem}", file=sys.stderr)
    return problem is None


def _send(store, plan_id: int, messages, settings: Settings, args: argparse.Namespace) -> int:
    try:
        result = send_batch(store, plan_id, messages, settings, by=args.by or os_user(),
                            dry_run_dir=Path(args.dry_run) if args.dry_run else None)
    except MailError as exc:
        print(f"workplan: {exc}", file=sys.stderr)
        return 1
    print_outcomes(result)
    print(result.summary())
    return 1 if result.failed else 0


def print_outcomes(result: BatchResult) -> None:
    """One line per message: sent, written, skipped or failed."""
    for out in result.sent:
        print(f"sent: {out.label} to {out.message['To']}"
              + (f", cc {out.message['Cc']}" if out.message["Cc"] else ""))
    for path in result.written:
        print(f"written: {path}")
    for out in result.skipped:
        print(f"skipped (already sent): {out.label}")
    for out, error in result.failed:
        print(f"failed: {out.label}: {error}")
