"""Which party made each status report in a sheet, decided before anything is written.

Why: a joint item keeps each party's report (analytics/METRICS.md), so a report
without a party cannot be placed. The party of a row is, in this order: the row's
own party column; the sheet's party (the upload page's choice or `--party`); the
lead party of an item led by one party. A joint item's row that still has none,
and a party the plan does not know, are row errors. Party names are matched
without regard to case and stored as the plan spells them.

Vectorised over Arrow columns, so the careful path (`analytics.ingest._checked`)
and the one-pass import (`optimistic.commit_clean`) apply the same rule to a
million rows. Both get the plan's items and parties from `party_rule(store, plan_id)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.errors import UsageError
from analytics.ingest.issues import error_frame, no_errors
from analytics.ingest.messages import JOINT_ITEM, UNKNOWN_PARTY
from analytics.plans import JOINT, plan_parties
from analytics.store import Store


@dataclass(frozen=True)
class PartyRule:
    """What deciding a report's party needs: the plan's parties, the sheet's party (None: the
    rows' own column only) and each item's lead party."""

    parties: tuple[str, ...]
    sheet_party: str | None
    leads: pa.Table                   # item_id, lead_party


@dataclass(frozen=True)
class Resolved:
    """Per row: the party (null where none could be decided) and what went wrong."""

    party: pa.Array
    unknown: np.ndarray               # the row names a party the plan does not know
    joint_unplaced: np.ndarray        # a joint item's row with no party from row or sheet

    @property
    def ok(self) -> bool:
        return not (self.unknown.any() or self.joint_unplaced.any())


def party_rule(store: Store, plan_id: int, sheet_party: str | None = None) -> PartyRule:
    """The rule for a sheet uploaded to plan `plan_id`; a sheet party the plan does not know
    is a usage error listing the known ones."""
    parties = tuple(plan_parties(store, plan_id))
    chosen = None
    if sheet_party is not None and sheet_party.strip():
        chosen = canonical_party(sheet_party.strip(), parties)
        if chosen is None:
            raise UsageError(f"The plan has no party {sheet_party.strip()!r}; "
                             f"its parties are {known_text(parties)}.")
    leads = store.cursor().sql("SELECT item_id, lead_party FROM view_items(?, [], [], [])",
                               params=[plan_id]).to_arrow_table()
    return PartyRule(parties, chosen, leads)


def canonical_party(name: str, parties: tuple[str, ...]) -> str | None:
    """The plan's spelling of `name` (case-insensitive); any name when no party is known."""
    if not parties:
        return name
    return {party.casefold(): party for party in parties}.get(name.casefold())


def known_text(parties: tuple[str, ...]) -> str:
    """'India, Canada (another: `workplan parties`)' for messages."""
    known = ", ".join(parties) if parties else "(none yet)"
    return f"{known} (record another with `workplan parties`)"


def resolve(item_ids: pa.ChunkedArray | pa.Array, given: pa.ChunkedArray | pa.Array,
            rule: PartyRule) -> Resolved:
    """The party of each row (`given`: the trimmed party cells, '' or null when empty)."""
    given = pc.fill_null(_combined(given), "")
    named = pc.not_equal(given, "").to_numpy(zero_copy_only=False)
    if rule.parties:
        spelled = pa.array(list(rule.parties), pa.string())
        position = pc.index_in(pc.utf8_lower(given), value_set=pc.utf8_lower(spelled))
        own = pc.take(spelled, position)
        unknown = named & pc.is_null(position).to_numpy(zero_copy_only=False)
    else:                                     # nothing to check against: names stand as given
        own = given
        unknown = np.zeros(len(given), dtype=bool)
    lead = pc.take(rule.leads.column("lead_party").combine_chunks(),
                   pc.index_in(_combined(item_ids),
                               value_set=rule.leads.column("item_id").combine_chunks()))
    joint = pc.fill_null(pc.equal(lead, JOINT), False)
    if rule.sheet_party is not None:
        fallback = pa.array(np.full(len(given), rule.sheet_party, dtype=object), pa.string())
    else:
        fallback = pc.if_else(joint, pa.scalar(None, pa.string()), lead)
    nothing = pa.scalar(None, pa.string())
    party = pc.if_else(pa.array(named), pc.if_else(pa.array(unknown), nothing, own), fallback)
    joint_unplaced = (~named & joint.to_numpy(zero_copy_only=False)
                      & pc.is_null(party).to_numpy(zero_copy_only=False))
    return Resolved(party, unknown, joint_unplaced)


def party_errors(rows: pa.Table, resolved: Resolved, rule: PartyRule) -> pd.DataFrame:
    """Row errors (column party) for unknown parties and joint rows with no party."""
    if resolved.ok:
        return no_errors()
    numbers = rows.column("row_number").to_numpy(zero_copy_only=False)
    given = pc.fill_null(_combined(rows.column("party")), "").to_numpy(zero_copy_only=False)
    known = known_text(rule.parties)
    found = [{"row": int(row), "column": "party", "value": value,
              "message": UNKNOWN_PARTY.format(value=repr(value[:60]), known=known)}
             for row, value in zip(numbers[resolved.unknown], given[resolved.unknown],
                                   strict=True)]
    found += [{"row": int(row), "column": "party", "value": None, "message": JOINT_ITEM}
              for row in numbers[resolved.joint_unplaced]]
    return error_frame(sorted(found, key=lambda error: error["row"]))


def with_party(table: pa.Table, party: pa.Array) -> pa.Table:
    """`table` with its party column replaced (same position)."""
    index = table.column_names.index("party")
    return table.set_column(index, "party", party)


def _combined(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
