"""Row errors for item ids the plan does not know, naming the closest known id ("did you mean CYP-04?").

Why: an agency's sheet says 'cyp-4' or 'CYP04' far more often than it names a truly new
item, and "unknown item" alone sends the user hunting through the plan. The rows are
found by DuckDB; suggestions are worked out in Python only for the first
`MAX_SUGGESTED` distinct unknown ids, so a million-row file of unknown ids costs no more
than a short one. An id matches when it is the same ignoring case, punctuation and
leading zeros ('cyp-4' is CYP-04); otherwise the most similar ids by difflib's ratio
are named, and none when more than `MAX_NAMED` are equally close.

Called by `analytics.ingest.validate` (the file's check) and `analytics.ingest.commit`
(the check again inside the commit's transaction), so the CLI and the page say the same.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import pandas as pd
import pyarrow as pa

from analytics.ingest.issues import no_errors
from analytics.ingest.messages import UNKNOWN_ITEM, UNKNOWN_ITEM_CLOSE, sql_message

MAX_SUGGESTED = 100          # distinct unknown ids that get a suggestion (the first by row)
MAX_NAMED = 3                # known ids named in one suggestion
CUTOFF = 0.75                # difflib ratio below which an id is not "close"
MAX_ID_LENGTH = 60           # longer values are not ids anyone mistyped
FUZZY_BUDGET = 200_000       # similarity comparisons per check (about 0.03 s per 1,000)


def loose_key(item_id: str) -> str:
    """'cyp-4', 'CYP-04' and 'CYP04' -> 'cyp4': case, punctuation and leading zeros ignored."""
    text = re.sub(r"[^0-9a-z]+", "", str(item_id).casefold())
    return re.sub(r"\d+", lambda m: m.group().lstrip("0") or "0", text)


class KnownIds:
    """The plan's item ids, indexed for `closest`."""

    def __init__(self, ids: list[str]):
        self.by_key: dict[str, list[str]] = {}
        for item_id in ids:
            self.by_key.setdefault(loose_key(item_id), []).append(item_id)

    def closest(self, value: str, fuzzy: bool = True) -> list[str]:
        """The known ids `value` most likely means ([] when none is close); without `fuzzy`
        only an id equal but for case, punctuation and leading zeros."""
        if not value or len(value) > MAX_ID_LENGTH:
            return []
        key = loose_key(value)
        if key in self.by_key:
            return sorted(self.by_key[key])[:MAX_NAMED]
        if not fuzzy:
            return []
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        best, found = CUTOFF, []
        for candidate, ids in self.by_key.items():
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < best or matcher.quick_ratio() < best:
                continue
            ratio = matcher.ratio()
            if ratio > best:
                best, found = ratio, list(ids)
            elif ratio == best:
                found += ids
        return sorted(found) if 0 < len(found) <= MAX_NAMED else []


def unknown_item_message(value: str, suggestions: list[str]) -> str:
    """The row's message: "unknown item 'cyp-4'; did you mean CYP-04? Otherwise import it ..."."""
    shown = value[:MAX_ID_LENGTH]
    if not suggestions:
        return UNKNOWN_ITEM.format(value=shown)
    names = " or ".join([", ".join(suggestions[:-1]), suggestions[-1]] if len(suggestions) > 1
                        else suggestions)
    return UNKNOWN_ITEM_CLOSE.format(value=shown, ids=names)


# The item ids an upload to plan $plan may name (the plan scope: view_items, migration 005).
KNOWN_ITEMS_SQL = "SELECT item_id FROM view_items($plan, [], [], [])"


def unknown_item_errors(con, rows_sql: str, known_sql: str,
                        params: dict | None = None) -> pd.DataFrame:
    """Errors (row, column item_id, message, value) for the rows of `rows_sql` (row_number,
    item_id) whose non-empty item_id is not among the ids of `known_sql` (item_id), whose
    parameters are `params` (if any)."""
    unknown = (f"SELECT row_number, item_id FROM ({rows_sql}) WHERE item_id <> ''"
               f" AND item_id NOT IN ({known_sql})")
    firsts = [r[0] for r in con.sql(
        f"SELECT item_id FROM ({unknown}) GROUP BY item_id ORDER BY min(row_number)"
        f" LIMIT {MAX_SUGGESTED}", params=params).fetchall()]
    if not firsts:
        return no_errors()
    known = KnownIds([r[0] for r in con.sql(known_sql, params=params).fetchall()])
    fuzzy = FUZZY_BUDGET // max(1, len(known.by_key))     # a huge plan: the first few only
    messages = pa.table({"item_id": pa.array(firsts, pa.string()), "message": [
        unknown_item_message(v, known.closest(v, fuzzy=i < fuzzy)) for i, v in enumerate(firsts)]})
    con.register("unknown_item_messages", messages)
    try:
        frame = con.sql(
            f"SELECT u.row_number AS row, 'item_id' AS \"column\", coalesce(m.message,"
            f"  {sql_message(UNKNOWN_ITEM, value='left(u.item_id, 60)')})"
            " AS message, u.item_id AS value"
            f" FROM ({unknown}) AS u LEFT JOIN unknown_item_messages AS m USING (item_id)"
            " ORDER BY u.row_number", params=params).to_arrow_table().to_pandas()
    finally:
        con.unregister("unknown_item_messages")
    frame["row"] = frame["row"].astype("Int64")
    return frame
