"""Key messages and decisions sought for a meeting: saved, audited, and drafted from the data.

Why: the pack an official reads opens with what the programme office wants them to take
away and to decide, and that is a person's judgement, not a figure. An editor writes
both on the Briefing pack page (or with `workplan notes`), one bullet per line, for a
meeting date; the notes of the latest meeting stay editable until notes for a later one
are saved, and every save is a line in the audit log. `draft_notes` offers a starting
point built from what changed: items newly red, the largest milestone slips, milestones
done since the last meeting, and a decision asked for each red item.

Callers: `pages/report.py`, `analytics/cli/exports.py` (`workplan notes`, `workplan report`),
`analytics.exports.report.gather`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from analytics import metrics
from analytics.context import ViewContext
from analytics.errors import UsageError
from analytics.formatting import counted, long_date
from analytics.i18n import translator
from analytics.metrics.compare import Comparison, largest_slips
from analytics.metrics.health import item_list, reason_words
from analytics.plans import plan_by_id
from analytics.store import Store, utc_now
from analytics.tables import top_risks
from analytics.writes import record_audit

MAX_BULLETS = 12
MAX_BULLET_CHARS = 400
DRAFT_ITEMS = 3
DRAFT_SINCE_DAYS = 30
_BULLET_MARK = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class BriefingNotes:
    meeting: date
    key_messages: tuple[str, ...]
    decisions: tuple[str, ...]
    updated_by: str = ""
    updated_at: datetime | None = None

    @property
    def empty(self) -> bool:
        return not (self.key_messages or self.decisions)


def bullets(text: str) -> tuple[str, ...]:
    """One bullet per non-empty line, list marks ('- ', '• ', '1. ') and control characters gone."""
    lines = (_BULLET_MARK.sub("", _CONTROL.sub("", line)).strip() for line in str(text).splitlines())
    return tuple(line for line in lines if line)


def as_text(lines: tuple[str, ...] | list[str]) -> str:
    """Bullets as the text an editor edits (one per line)."""
    return "\n".join(lines)


def latest_meeting(store: Store, plan_id: int) -> date | None:
    """The date of the plan's latest meeting with saved notes."""
    return store.scalar("SELECT max(meeting_date) FROM briefing_notes WHERE plan_id = ?",
                        [plan_id])


def saved_notes(store: Store, plan_id: int, meeting: date | None = None) -> BriefingNotes | None:
    """The notes of the plan's `meeting` (default: its latest meeting), or None."""
    meeting = meeting or latest_meeting(store, plan_id)
    if meeting is None:
        return None
    row = store.cursor().execute(
        "SELECT meeting_date, key_messages, decisions, updated_by, updated_at"
        " FROM briefing_notes WHERE plan_id = ? AND meeting_date = ?", [plan_id, meeting]
    ).fetchall()
    if not row:
        return None
    meeting_date, messages, decisions, by, at = row[0]
    return BriefingNotes(meeting_date, bullets(messages), bullets(decisions), by, at)


def editable(store: Store, plan_id: int, meeting: date) -> str | None:
    """Why notes for the plan's `meeting` can no longer be saved (None: they can)."""
    latest = latest_meeting(store, plan_id)
    if latest is not None and meeting < latest:
        return (f"The notes for the meeting of {meeting.isoformat()} can no longer be changed: "
                f"notes for the later meeting of {latest.isoformat()} are saved.")
    return None


def save_notes(store: Store, plan_id: int, meeting: date, key_messages: str, decisions: str, *,
               by: str) -> BriefingNotes:
    """Save (or replace) the notes of the plan's `meeting` in one transaction, audited."""
    messages, asks = bullets(key_messages), bullets(decisions)
    _check(messages, "key messages")
    _check(asks, "decisions sought")
    if plan_by_id(store, plan_id) is None:
        raise UsageError(f"There is no plan {plan_id}; nothing was saved.")
    reason = editable(store, plan_id, meeting)
    if reason:
        raise UsageError(reason)
    at = utc_now()
    with store.transaction() as cur:
        cur.execute("DELETE FROM briefing_notes WHERE plan_id = ? AND meeting_date = ?",
                    [plan_id, meeting])
        cur.execute("INSERT INTO briefing_notes VALUES (?, ?, ?, ?, ?, ?)",
                    [plan_id, meeting, as_text(messages), as_text(asks), by, at])
        record_audit(cur, by, "briefing notes",
                     f"meeting {meeting.isoformat()}: {len(messages)} key message(s), "
                     f"{len(asks)} decision(s) sought", plan_id=plan_id)
    return BriefingNotes(meeting, messages, asks, by, at)


def _check(lines: tuple[str, ...], what: str) -> None:
    if len(lines) > MAX_BULLETS:
        raise UsageError(f"At most {MAX_BULLETS} {what}, one per line; there are {len(lines)}.")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_BULLET_CHARS:
            raise UsageError(f"{what.capitalize()}, line {number}: {len(line)} characters; "
                             f"at most {MAX_BULLET_CHARS} per line.")


def previous_meeting(store: Store, plan_id: int, before: date) -> date | None:
    """The plan's latest meeting with saved notes before `before` (what a draft compares with)."""
    return store.scalar("SELECT max(meeting_date) FROM briefing_notes"
                        " WHERE plan_id = ? AND meeting_date < ?", [plan_id, before])


def draft_for(store: Store, ctx: ViewContext, since: date | None = None) -> tuple[
        date, tuple[str, ...], tuple[str, ...]]:
    """(since, key messages, decisions) drafted for the view, compared with `since` (default:
    the previous meeting, else DRAFT_SINCE_DAYS before the as-of date)."""
    since = since or previous_meeting(store, ctx.plan.id, ctx.as_of) or ctx.as_of - timedelta(days=DRAFT_SINCE_DAYS)
    items = metrics.item_metrics(store, ctx)
    red = top_risks(items[items["health"] == "red"], limit=len(items))
    messages, decisions = draft_notes(metrics.compare_dates(store, ctx, since), red, ctx.lang)
    return since, messages, decisions


def draft_notes(comparison: Comparison, red_items: pd.DataFrame, lang: str = "en"
                ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(key messages, decisions sought) built from what changed and from the red items, in
    `lang`."""
    _ = translator(lang)
    since = comparison.since.isoformat()
    messages: list[str] = []
    turned = comparison.health_changes
    newly_red = turned[turned["health_after"] == "red"] if not turned.empty else turned
    for row in newly_red.head(DRAFT_ITEMS).itertuples():
        messages.append(_("{item} ({title}) turned red since {since}: {reason}.").format(
            item=row.item_id, title=row.title, since=since,
            reason=_words(row.reason_after, lang)))
    for row in largest_slips(comparison.milestones_slipped).head(DRAFT_ITEMS).itertuples():
        due = f"{row.due_date:%d %b %Y}" if lang == "en" else long_date(row.due_date, lang=lang)
        messages.append(_("Milestone {milestone} ({title}) slipped {days} since {since}; now due "
                          "{due}.").format(milestone=row.milestone_id, title=row.title,
                                           days=counted(int(round(row.moved)), "day", lang),
                                           since=since, due=due))
    done = comparison.milestones_done
    if not done.empty:
        names = item_list(tuple(f"{r.milestone_id} ({r.title})" for r in done.itertuples()),
                          limit=DRAFT_ITEMS, lang=lang)
        messages.append(_("{milestones} done since {since}: {names}.").format(
            milestones=counted(len(done), "milestone", lang), since=since, names=names))
    decisions = [_("Agree a recovery plan and date for {item} ({title}), led by {owner}: "
                   "{reason}.").format(item=row.item_id, title=row.title, owner=row.owner,
                                       reason=_words(row.reason, lang))
                 for row in red_items.head(DRAFT_ITEMS).itertuples()]
    return tuple(messages), tuple(decisions)


def _words(reason, lang: str = "en") -> str:
    return reason_words(reason) or translator(lang)("no reason recorded")
