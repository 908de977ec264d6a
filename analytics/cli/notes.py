"""`workplan notes`: the key messages and decisions sought of a meeting, shown, drafted or saved.

Why: the pack opens with what the programme office wants officials to take away and to
decide (analytics/briefing_notes.py). An editor writes them on the Briefing pack page;
this command does the same from a script or a terminal: `show` prints a meeting's notes,
`draft` prints a draft built from what changed, `save` stores them (audited). Text files
hold one bullet per line. Exit codes: 0 done, 2 usage error (a meeting that can no longer
be changed, too many or too long lines, no notes saved).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.briefing_notes import BriefingNotes, draft_for, save_notes, saved_notes
from analytics.cli._common import iso_date, open_from_args, os_user, plan_from_args
from analytics.context import plan_view
from analytics.errors import UsageError

ORDER = 45


def register(subparsers) -> None:
    notes = subparsers.add_parser(
        "notes", help="show, draft or save a meeting's key messages and decisions sought",
        description="`workplan notes show [--meeting DATE]`, `workplan notes draft [--since DATE]`, "
                    "`workplan notes save --meeting DATE --key-messages FILE --decisions FILE`.")
    notes.add_argument("action", choices=("show", "draft", "save"))
    notes.add_argument("--meeting", type=iso_date, default=None,
                       help="the meeting date (show: default the latest; save: required)")
    notes.add_argument("--key-messages", default=None, help="save: text file, one message per line")
    notes.add_argument("--decisions", default=None, help="save: text file, one decision per line")
    notes.add_argument("--since", type=iso_date, default=None,
                       help="draft: changes since this date (default: the latest meeting before "
                            "the as-of date, else as-of minus 30 days)")
    notes.add_argument("--as-of", type=iso_date, default=None,
                       help="draft: the date the draft describes (default: the latest update)")
    notes.add_argument("--by", default=None, help="save: who writes (default: your OS user name)")
    notes.set_defaults(func=run_notes)


def run_notes(args: argparse.Namespace) -> int:
    store = open_from_args(args)
    plan = plan_from_args(store, args)
    if args.action == "show":
        notes = saved_notes(store, plan.id, args.meeting)
        if notes is None:
            raise UsageError("No key messages are saved" + (
                f" for the meeting of {args.meeting}." if args.meeting else " yet."))
        print(notes_text(notes))
        return 0
    if args.action == "draft":
        ctx = plan_view(store, plan, args.as_of)
        since, messages, decisions = draft_for(store, ctx, args.since)
        print(f"Draft from the changes since {since.isoformat()}")
        print(notes_text(BriefingNotes(ctx.as_of, messages, decisions)))
        return 0
    if args.meeting is None or not (args.key_messages or args.decisions):
        raise UsageError("save needs --meeting DATE and --key-messages FILE and/or --decisions FILE.")
    saved = save_notes(store, plan.id, args.meeting, read_text(args.key_messages), read_text(args.decisions),
                       by=args.by or os_user())
    print(f"saved the notes of the meeting of {saved.meeting}: {len(saved.key_messages)} key "
          f"message(s), {len(saved.decisions)} decision(s) sought")
    return 0


def read_text(path: str | None) -> str:
    if path is None:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read {path}: {exc}.") from None


def notes_text(notes: BriefingNotes) -> str:
    lines = [f"Meeting of {notes.meeting.isoformat()}", "Key messages:"]
    lines += [f"- {m}" for m in notes.key_messages] or ["(none)"]
    lines += ["Decisions sought:"] + ([f"- {d}" for d in notes.decisions] or ["(none)"])
    if notes.updated_by:
        lines.append(f"(saved by {notes.updated_by} at {notes.updated_at:%Y-%m-%d %H:%M} UTC)")
    return "\n".join(lines)
