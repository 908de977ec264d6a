"""Whether a checked upload can be committed, and why not, in a sentence for the page.

Why: a greyed-out Commit button says nothing; the editor must read what turns it off
(header problems, rows with errors, no data rows) and what to do, and be told before
clicking when the same file is already imported (committing it again writes nothing).
The rules are those of `analytics.ingest.commit`: a file with any error is committed
only as its valid rows, on request.

Each sentence is defined once in English (N_) and given in the page's language (`lang`).
Called by the upload page.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.i18n import N_, format_number, translator
from analytics.ingest.commit import duplicate_of
from analytics.store import Store

HEADER_PROBLEMS = N_("Commit is off: the header row has {problems}; choose the file's column for "
                     "each field under Columns, or fix the header.")
NO_DATA_ROWS = N_("Commit is off: the file has no data rows.")
FILE_PROBLEMS = N_("Commit is off: the file has {problems} listed below; fix the file and upload "
                   "it again.")
EVERY_ROW_BAD = {1: N_("Commit is off: every row has an error ({rows}); fix it and upload the "
                       "file again."),
                 2: N_("Commit is off: every row has an error ({rows}); fix them and upload the "
                       "file again.")}
SOME_ROWS_BAD = {1: N_("Commit is off: {rows} has an error; fix it and upload the file again, or "
                       "commit the {good} with 'Commit valid rows only' (the others are kept as "
                       "rejects)."),
                 2: N_("Commit is off: {rows} have errors; fix them and upload the file again, or "
                       "commit the {good} with 'Commit valid rows only' (the others are kept as "
                       "rejects).")}
ALREADY_IMPORTED = N_("Nothing new to commit: this file was already imported as upload {id} "
                      "({name}, by {who} at {when} UTC); committing it again writes nothing.")
NOUNS = {"problem": (N_("{n} problem"), N_("{n} problems")), "row": (N_("{n} row"), N_("{n} rows")),
         "good row": (N_("{n} good row"), N_("{n} good rows"))}


@dataclass(frozen=True)
class CommitReadiness:
    commit: bool                  # the Commit button is on
    valid_rows: int               # rows "Commit valid rows only" would write
    commit_valid: bool            # that button is offered
    reason: str | None = None     # why Commit is off
    note: str | None = None       # something to know before committing (a re-upload)


def commit_readiness(parsed, store: Store | None = None, lang: str = "en") -> CommitReadiness:
    """What the page's commit buttons may do for `parsed` (a ParsedUpload), said in `lang`."""
    rejected = int(len(parsed.rejected_rows()))
    valid = max(parsed.rows_read - rejected, 0)
    partial = bool(len(parsed.errors)) and valid > 0 and parsed.text is not None
    if parsed.ok:
        return CommitReadiness(True, valid, False, note=_already_imported(store, parsed, lang))
    return CommitReadiness(False, valid, partial, reason=_reason(parsed, rejected, valid, lang))


def _reason(parsed, rejected: int, valid: int, lang: str) -> str:
    _ = translator(lang)
    if parsed.text is None:
        return _(HEADER_PROBLEMS).format(problems=_count(len(parsed.errors), "problem", lang))
    if parsed.rows_read == 0:
        return _(NO_DATA_ROWS)
    if rejected == 0:
        return _(FILE_PROBLEMS).format(problems=_count(len(parsed.errors), "problem", lang))
    number = 1 if rejected == 1 else 2
    if valid == 0:
        return _(EVERY_ROW_BAD[number]).format(rows=_count(rejected, "row", lang))
    return _(SOME_ROWS_BAD[number]).format(rows=_count(rejected, "row", lang),
                                           good=_count(valid, "good row", lang))


def _already_imported(store: Store | None, parsed, lang: str) -> str | None:
    if store is None:
        return None
    earlier = duplicate_of(store.cursor(), parsed.options.plan_id, parsed.sha256)
    if earlier is None:
        return None
    upload_id, name, who, when = earlier
    return translator(lang)(ALREADY_IMPORTED).format(id=upload_id, name=name, who=who,
                                                     when=f"{when:%Y-%m-%d %H:%M}")


def _count(n: int, noun: str, lang: str) -> str:
    """'1,204 rows' ('1 204 lignes'); one in the singular, as French writes it for 0 and 1 too."""
    singular, plural = NOUNS[noun]
    one = n == 1 if lang == "en" else n <= 1
    figure = f"{n:,}" if lang == "en" else format_number(n, lang)
    return translator(lang)(singular if one else plural).format(n=figure)
