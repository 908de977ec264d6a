"""Whether a checked upload can be committed, and why not, in a sentence for the page.

Why: a greyed-out Commit button says nothing; the editor must read what turns it off
(header problems, rows with errors, no data rows) and what to do, and be told before
clicking when the same file is already imported (committing it again writes nothing).
The rules are those of `analytics.ingest.commit`: a file with any error is committed
only as its valid rows, on request.

Called by the upload page.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.ingest.commit import duplicate_of
from analytics.store import Store


@dataclass(frozen=True)
class CommitReadiness:
    commit: bool                  # the Commit button is on
    valid_rows: int               # rows "Commit valid rows only" would write
    commit_valid: bool            # that button is offered
    reason: str | None = None     # why Commit is off
    note: str | None = None       # something to know before committing (a re-upload)


def commit_readiness(parsed, store: Store | None = None) -> CommitReadiness:
    """What the page's commit buttons may do for `parsed` (a ParsedUpload)."""
    rejected = int(len(parsed.rejected_rows()))
    valid = max(parsed.rows_read - rejected, 0)
    partial = bool(len(parsed.errors)) and valid > 0 and parsed.text is not None
    if parsed.ok:
        return CommitReadiness(True, valid, False, note=_already_imported(store, parsed))
    return CommitReadiness(False, valid, partial, reason=_reason(parsed, rejected, valid))


def _reason(parsed, rejected: int, valid: int) -> str:
    if parsed.text is None:
        return (f"Commit is off: the header row has {_count(len(parsed.errors), 'problem')}; "
                "choose the file's column for each field under Columns, or fix the header.")
    if parsed.rows_read == 0:
        return "Commit is off: the file has no data rows."
    if rejected == 0:
        return (f"Commit is off: the file has {_count(len(parsed.errors), 'problem')} "
                "listed below; fix the file and upload it again.")
    them = "it" if rejected == 1 else "them"
    if valid == 0:
        return (f"Commit is off: every row has an error ({_count(rejected, 'row')}); fix {them} "
                "and upload the file again.")
    rows = f"{_count(rejected, 'row')} {'has an error' if rejected == 1 else 'have errors'}"
    return (f"Commit is off: {rows}; fix {them} and upload the file again, or commit the "
            f"{_count(valid, 'good row')} with 'Commit valid rows only' (the others are kept "
            "as rejects).")


def _already_imported(store: Store | None, parsed) -> str | None:
    if store is None:
        return None
    earlier = duplicate_of(store.cursor(), parsed.options.plan_id, parsed.sha256)
    if earlier is None:
        return None
    upload_id, name, who, when = earlier
    return (f"Nothing new to commit: this file was already imported as upload {upload_id} "
            f"({name}, by {who} at {when:%Y-%m-%d %H:%M} UTC); committing it again writes nothing.")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
