"""The reporting round: for a reporting period, which owner owes which report, and how late it is.

Why: before each dialogue the programme office chases the agencies whose monthly status
reports have not come in. This module answers, as of a date D, for the round being
collected: every owner, the items they owe a report on, their last report, and a state
(reported, due, overdue with days, not due), worst first. Called by the "Reporting round"
page (pages/round.py), `workplan round` and the pre-filled sheet per owner
(analytics/owner_sheet.py). Definitions: analytics/METRICS.md, "Reporting round".

The round as of D is for the **last complete period before D** (WORKPLAN_REPORT_PERIOD:
`monthly`, calendar months, or `quarterly`, calendar quarters): as of 2026-11-24 the
monthly round is October 2026. Its reports are **due** on day WORKPLAN_REPORT_DUE_DAY (5)
of the month after the period (2026-11-05; the month's last day when it is shorter). The
period containing D is not used: its due date always lies after D, so nothing could ever
be overdue.

- An owner **owes** a report on each of their items that is **started** by the end of the
  period (start_date <= period end) and **incomplete** as of D (the actual % of the item's
  report that counts is below 100). An item led by one party is owed by that party; a
  **joint** item is owed by **every** party of the plan (each party's latest report via
  `party_reports_as_of`).
- An owed item is **reported** when every party that owes it has a report dated in the
  period or later (period start <= as_of <= D).
- State per owner: `not_due` when nothing is owed; `reported` when every owed item is
  reported; else `due` while D <= the due date, `overdue` after it (days_overdue = D − due
  date, 0 otherwise).
- The owner's **party** is the lead party of most of their single-party items (A–Z between
  equals), `Joint` for an owner of joint items only; **last_report** is the latest as_of
  (<= D) of any report on any of their items, empty when none.
- Worst first: overdue, due, reported, not due; then the most owed items not reported, the
  oldest last report (none first), the owner A–Z.

The round is always about the whole plan (the view's item filters do not apply); a party
filter keeps the owners of that party.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from analytics.context import Filters, ViewContext
from analytics.errors import UsageError
from analytics.i18n import N_, translator
from analytics.metrics.items import item_frame
from analytics.metrics.queries import cached, context_key
from analytics.plans import JOINT, plan_parties
from analytics.store import Store

PERIODS = {"monthly": 1, "quarterly": 3}          # months per period
STATES = ("overdue", "due", "reported", "not_due")  # worst first
CHASED = STATES[:2]                                  # owners the secretariat chases
STATE_LABELS = {"overdue": N_("Overdue"), "due": N_("Due"), "reported": N_("Reported"),
                "not_due": N_("Not due")}
# "Due" alone is a date column's header elsewhere ("Échéance"); a round's state has its own msgid.
DUE_STATE = N_("Due (report expected)")
ROUND_COLUMNS = ["owner", "party", "items_owed", "items_reported", "last_report", "due_date",
                 "state", "days_overdue"]
ITEM_KEYS = ["item_id", "title", "owner", "lead_party", "domain_order", "start_date", "due_date"]
OWED_COLUMNS = ["item_id", "title", "owner", "lead_party", "party", "domain_order", "start_date",
                "due_date", "as_of", "percent_complete", "status", "note", "reported_by",
                "report_rank", "reported"]

# Each party's latest report on each item of the plan as of $as_of (the rule of migration 005).
PARTY_REPORTS_SQL = (
    "SELECT item_id, party, as_of, percent_complete, status, note, reported_by, report_rank"
    " FROM party_reports_as_of($plan, $as_of) WHERE party IS NOT NULL")


def state_label(state: str, lang: str = "en") -> str:
    """A round's state in words: 'Not due', in French 'Non exigible' ('Due': 'Attendu')."""
    if lang == "en" or state not in STATE_LABELS:
        return STATE_LABELS.get(state, state)
    return translator(lang)(DUE_STATE if state == "due" else STATE_LABELS[state])


@dataclass(frozen=True)
class ReportingPeriod:
    """The period a round collects reports for, and when they are due."""

    kind: str              # monthly | quarterly
    start: date
    end: date
    due: date

    def label(self, lang: str = "en") -> str:
        """'October 2026' or '2026 Q3' ('octobre 2026' or 'T3 2026' in French)."""
        quarter = (self.start.month - 1) // 3 + 1
        if lang == "fr":
            from babel.dates import format_date

            if self.kind == "quarterly":
                return f"T{quarter} {self.start.year}"
            return format_date(self.start, format="MMMM y", locale="fr_CA")
        if self.kind == "quarterly":
            return f"{self.start.year} Q{quarter}"
        return f"{calendar.month_name[self.start.month]} {self.start.year}"


def reporting_period(as_of: date, kind: str = "monthly", due_day: int = 5) -> ReportingPeriod:
    """The last complete period before `as_of`, due on `due_day` of the month after it."""
    months = PERIODS.get(kind)
    if months is None:
        raise UsageError(f"WORKPLAN_REPORT_PERIOD={kind!r} is not a reporting period; "
                         f"expected one of {', '.join(PERIODS)}.")
    if not 1 <= int(due_day) <= 31:
        raise UsageError(f"WORKPLAN_REPORT_DUE_DAY={due_day} is not a day of the month (1-31).")
    current_start = date(as_of.year, (as_of.month - 1) // months * months + 1, 1)
    end = current_start - timedelta(days=1)
    start = date(end.year, (end.month - 1) // months * months + 1, 1)
    last = calendar.monthrange(current_start.year, current_start.month)[1]
    return ReportingPeriod(kind, start, end, current_start.replace(day=min(int(due_day), last)))


def period_of(ctx: ViewContext) -> ReportingPeriod:
    """The round's period as of the view's date, by its settings."""
    return reporting_period(ctx.as_of, ctx.settings.report_period, ctx.settings.report_due_day)


def owed_reports(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """One row per owed (item, party) of the round, with that party's latest report as of D
    (empty report columns when it has none) and whether it falls in the round (OWED_COLUMNS).
    Computed once per plan state, date and period settings: the round, each owner's sheet,
    the reminders and the digest all start from it."""
    whole = replace(ctx, filters=Filters())
    key = ("owed_reports", *context_key(whole), ctx.settings.report_period,
           ctx.settings.report_due_day)
    return cached(store, ctx.plan.id, key, lambda: _owed_reports(store, whole))


def _owed_reports(store: Store, ctx: ViewContext) -> pd.DataFrame:
    period = period_of(ctx)
    items = _whole_plan_items(store, ctx)
    owed = items.loc[(items["start_date"] <= period.end) & (items["actual_pct"] < 100), ITEM_KEYS]
    if owed.empty:
        return pd.DataFrame({column: [] for column in OWED_COLUMNS})
    parties = [p for p in plan_parties(store, ctx.plan.id) if p != JOINT]
    pairs = owed.assign(party=[parties if lead == JOINT else [lead] for lead in owed["lead_party"]])
    pairs = pairs.explode("party").dropna(subset=["party"])
    reports = store.query_df(PARTY_REPORTS_SQL, {"plan": ctx.plan.id, "as_of": ctx.as_of})
    frame = pairs.merge(reports, on=["item_id", "party"], how="left")
    frame["reported"] = frame["as_of"].map(lambda d: d is not None and d == d and d >= period.start)
    frame = frame.sort_values(["domain_order", "item_id", "report_rank"], kind="stable",
                              na_position="first")
    return frame[OWED_COLUMNS].reset_index(drop=True)


def reporting_round(store: Store, ctx: ViewContext, party: str | None = None) -> pd.DataFrame:
    """One row per owner of the plan (ROUND_COLUMNS), worst first; see the module docstring.
    `party` keeps the owners of that party (case-insensitive)."""
    period = period_of(ctx)
    items = _whole_plan_items(store, ctx)
    if items.empty:
        return pd.DataFrame({column: [] for column in ROUND_COLUMNS})
    owed = owed_reports(store, ctx)
    per_item = owed.groupby(["owner", "item_id"], sort=False)["reported"].all().reset_index()
    counts = per_item.groupby("owner").agg(items_owed=("item_id", "size"),
                                           items_reported=("reported", "sum"))
    rows = []
    for owner, own in items.groupby("owner", sort=False):
        owed_n, done = (int(v) for v in counts.loc[owner]) if owner in counts.index else (0, 0)
        state = _state(owed_n, done, ctx.as_of, period.due)
        last = own["last_update"].dropna()
        rows.append({"owner": owner, "party": owner_party(own["lead_party"]),
                     "items_owed": owed_n, "items_reported": done,
                     "last_report": max(last) if len(last) else None, "due_date": period.due,
                     "state": state,
                     "days_overdue": (ctx.as_of - period.due).days if state == "overdue" else 0})
    frame = pd.DataFrame(rows, columns=ROUND_COLUMNS)
    if party:
        frame = frame[frame["party"].str.casefold() == party.casefold()]
    return worst_first(frame)


def owners_of(frame: pd.DataFrame) -> list[str]:
    """The owners of a round who owe something, worst first (the page's sheet picker)."""
    return frame.loc[frame["items_owed"] > 0, "owner"].tolist()


def owner_party(leads: pd.Series) -> str:
    """The lead party of most of an owner's single-party items (A–Z between equals), else Joint."""
    single = leads[leads != JOINT]
    if single.empty:
        return JOINT
    counts = single.value_counts()
    return sorted(counts[counts == counts.max()].index, key=str.casefold)[0]


def worst_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Overdue, due, reported, not due; then most outstanding, oldest last report, owner A–Z."""
    keys = pd.DataFrame({
        "state": frame["state"].map(STATES.index),
        "outstanding": -(frame["items_owed"] - frame["items_reported"]),
        "never": frame["last_report"].notna(),
        "last": frame["last_report"].map(lambda d: d.toordinal() if d is not None else 0),
        "owner": frame["owner"].str.casefold(),
    }, index=frame.index)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _state(owed: int, reported: int, as_of: date, due: date) -> str:
    if owed == 0:
        return "not_due"
    if reported >= owed:
        return "reported"
    return "due" if as_of <= due else "overdue"


def _whole_plan_items(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The plan's item rows as of D without the view's filters (cached by item_frame)."""
    return item_frame(store, replace(ctx, filters=Filters()))
