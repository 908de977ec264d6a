"""The work plans a store holds: which exist, which one a command or a page is about, and
each plan's parties, data version and "data current to".

Why: a programme office runs several plans in one store (the `plans` table, migration
005); every figure, upload, export and pack is about exactly one of them. This module
is the one place that turns a plan code (a `--plan` flag, `$WORKPLAN_PLAN`, `?plan=` in
the URL) into a `Plan`, creates and removes plans (audited), and answers the per-plan
facts pages and caches key on. A store with no plan gets one the first time something is
imported (`plan_for_import`), so single-plan use needs no plan command at all.

A plan's parties are those it records (`plans.parties`, comma-separated) together with
every lead party of its items other than `Joint`; an item whose lead party is `Joint`
is reported on by each party (the SQL rules of migration 005 use the same word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb

from analytics.errors import UsageError, WorkplanError
from analytics.settings import Settings
from analytics.store import Store, bump_store_version, utc_now

JOINT = "Joint"
DEFAULT_CODE = "main"              # the plan a store gets at its first import, when none is named
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$")
# Tables whose rows belong to a plan (plan_id), children first: the order `remove_plan` empties.
# The plan's grants (plan_roles) go with it, so a later plan given the same id inherits none,
# but they are not data that stops a removal.
GRANTS_TABLE = "plan_roles"
PLAN_TABLES = ("status_updates", "milestone_history", "milestones", "work_item_history",
               "work_items", "domains", "upload_rejects", "briefing_notes", "uploads",
               "contact_history", "contacts", "contact_uploads", "sent_mail", GRANTS_TABLE)
_COLUMNS = "id, code, title, parties, start_date, end_date, sample"


@dataclass(frozen=True)
class Plan:
    """One work plan: its key, short code (in URLs, flags and file names) and title."""

    id: int
    code: str
    title: str
    parties: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    sample: bool = False


# The plan a single-plan store holds (a store migrated from version 4 is plan 1, `main`):
# the default of a ViewContext built without a plan (tests, one-plan scripts).
FIRST_PLAN = Plan(1, DEFAULT_CODE, "Work plan")


def _plan(row: tuple) -> Plan:
    pid, code, title, parties, start, end, sample = row
    return Plan(pid, code, title, tuple(p.strip() for p in (parties or "").split(",") if p.strip()),
                start, end, bool(sample))


def list_plans(store: Store) -> list[Plan]:
    """Every plan, by code."""
    rows = store.cursor().execute(f"SELECT {_COLUMNS} FROM plans ORDER BY code").fetchall()
    return [_plan(row) for row in rows]


def plan_by_code(store: Store, code: str) -> Plan | None:
    """The plan with this code (case-insensitive), or None."""
    rows = store.cursor().execute(
        f"SELECT {_COLUMNS} FROM plans WHERE lower(code) = lower(?)", [code]).fetchall()
    return _plan(rows[0]) if rows else None


def plan_by_id(store: Store, plan_id: int) -> Plan | None:
    rows = store.cursor().execute(f"SELECT {_COLUMNS} FROM plans WHERE id = ?",
                                  [plan_id]).fetchall()
    return _plan(rows[0]) if rows else None


def check_code(code: str) -> str:
    """The code, or a UsageError saying what a plan code may be."""
    if not _CODE.match(code or ""):
        raise UsageError(f"{code!r} is not a plan code: use 1 to 24 letters, digits, '-' or '_', "
                         "starting with a letter or digit (for example IC or trade-2026).")
    return code


def choices_text(plans: list[Plan]) -> str:
    """'IC (India-Canada ...), TR (Trade ...)' for messages that list the plans."""
    return ", ".join(f"{p.code} ({p.title})" for p in plans)


def resolve_plan(store: Store, code: str | None = None,
                 environ: dict[str, str] | None = None) -> Plan:
    """The plan a command is about: `code`, else $WORKPLAN_PLAN, else the only plan.

    With several plans and no choice, or an unknown code, a UsageError listing the plans.
    """
    wanted = code or Settings.from_env(environ).plan or None
    plans = list_plans(store)
    if wanted:
        plan = plan_by_code(store, wanted)
        if plan is None:
            listed = f"; the plans are {choices_text(plans)}" if plans else "; there is none yet"
            raise UsageError(f"There is no plan {wanted!r}{listed}. "
                             "`workplan plan add CODE --title ...` creates one.")
        return plan
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise UsageError("This store holds no plan yet: import an items sheet "
                         "(`workplan import items FILE`) or run `workplan plan add CODE --title ...`.")
    raise UsageError(f"This store holds {len(plans)} plans; choose one with --plan CODE "
                     f"(or set WORKPLAN_PLAN): {choices_text(plans)}.")


def plan_for_import(store: Store, code: str | None = None, *, by: str,
                    environ: dict[str, str] | None = None) -> Plan:
    """The plan an import writes to: as `resolve_plan`, except that a store with no plan (or
    none with the code asked for, when the store is empty) gets one, audited: code `main`, or
    the one given."""
    wanted = code or Settings.from_env(environ).plan or None
    if not list_plans(store):
        return add_plan(store, wanted or DEFAULT_CODE, title="Work plan", by=by)
    return resolve_plan(store, code, environ=environ)


def add_plan(store: Store, code: str, *, title: str, parties: tuple[str, ...] | list[str] = (),
             start_date: date | None = None, end_date: date | None = None, sample: bool = False,
             by: str) -> Plan:
    """Create a plan (audited); a UsageError when the code is taken or malformed."""
    with store.transaction() as cur:
        return write_plan(cur, code, title=title, parties=parties, start_date=start_date,
                          end_date=end_date, sample=sample, by=by)


def write_plan(cur: duckdb.DuckDBPyConnection, code: str, *, title: str,
               parties: tuple[str, ...] | list[str] = (), start_date: date | None = None,
               end_date: date | None = None, sample: bool = False, by: str) -> Plan:
    """The body of `add_plan`, for callers that hold a transaction (the demo loader)."""
    from analytics.writes import record_audit

    check_code(code)
    if not (title or "").strip():
        raise UsageError("A plan needs a title (--title).")
    if start_date and end_date and end_date < start_date:
        raise UsageError(f"The plan ends ({end_date}) before it starts ({start_date}).")
    taken = cur.execute("SELECT code FROM plans WHERE lower(code) = lower(?)", [code]).fetchall()
    if taken:
        raise UsageError(f"There is already a plan {taken[0][0]!r}.")
    names = [p.strip() for p in parties if p.strip()]
    plan_id = cur.execute(
        "INSERT INTO plans (id, code, title, parties, start_date, end_date, sample, created_at)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM plans), ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [code, title.strip(), ",".join(names), start_date, end_date, sample, utc_now()],
    ).fetchall()[0][0]
    record_audit(cur, by, "plan add", f"{code}: {title.strip()}", plan_id=plan_id)
    bump_store_version(cur)
    return Plan(plan_id, code, title.strip(), tuple(names), start_date, end_date, sample)


def plan_row_counts(store: Store, plan: Plan) -> dict[str, int]:
    """How many rows of each plan table belong to the plan (tables are ours, not user text)."""
    cur = store.cursor()
    return {table: cur.execute(f"SELECT count(*) FROM {table} WHERE plan_id = ?",
                               [plan.id]).fetchall()[0][0] for table in PLAN_TABLES}


def remove_plan(store: Store, code: str, *, force: bool = False, by: str) -> dict[str, int]:
    """Delete a plan and, with `force`, its data (audited); return the rows removed per table.

    Refused while the plan holds any data (items, reports, uploads, notes) unless `force`;
    grants on the plan are removed with it either way.
    """
    plan = resolve_plan(store, code)
    counts = plan_row_counts(store, plan)
    held = {table: n for table, n in counts.items() if n and table != GRANTS_TABLE}
    if held and not force:
        listed = ", ".join(f"{n} {table}" for table, n in held.items())
        raise WorkplanError(f"Plan {plan.code} holds data ({listed}); nothing was removed. "
                            "Add --force to remove the plan and all its data.")
    from analytics.writes import record_audit

    with store.transaction() as cur:
        delete_plan(cur, plan.id)
        detail = f"{plan.code}: {plan.title}" + (f" with {sum(held.values())} rows" if held else "")
        record_audit(cur, by, "plan remove", detail, plan_id=plan.id)
        bump_store_version(cur)
    return counts


def delete_plan(cur: duckdb.DuckDBPyConnection, plan_id: int) -> None:
    """Inside a write transaction: the plan's rows of every plan table, then the plan."""
    for table in PLAN_TABLES:
        cur.execute(f"DELETE FROM {table} WHERE plan_id = ?", [plan_id])
    cur.execute("DELETE FROM plans WHERE id = ?", [plan_id])


def plan_parties(store: Store, plan_id: int) -> list[str]:
    """The plan's parties: the recorded ones in their order, then other lead parties A-Z."""
    stored = plan_by_id(store, plan_id)
    recorded = list(stored.parties if stored else ())
    leads = [row[0] for row in store.cursor().execute(
        "SELECT DISTINCT lead_party FROM view_items(?, [], [], []) WHERE lead_party <> ?"
        " ORDER BY 1", [plan_id, JOINT]).fetchall()]
    known = {name.casefold() for name in recorded}
    return recorded + [name for name in leads if name.casefold() not in known]


def plan_data_version(store: Store, plan_id: int) -> int:
    """The plan's data version: bumped by every committed write to it (caches key on it)."""
    return int(store.scalar("SELECT data_version FROM plans WHERE id = ?", [plan_id]) or 0)


def plan_item_count(store: Store, plan_id: int) -> int:
    """How many work items the plan holds now."""
    return int(store.scalar("SELECT count(*) FROM work_items WHERE plan_id = ?", [plan_id]))


def plan_is_empty(store: Store, plan_id: int) -> bool:
    return not plan_item_count(store, plan_id)


def plan_current_to(store: Store, plan_id: int) -> date | None:
    """The latest as_of among the plan's live reports ("data current to")."""
    return store.scalar("SELECT max(as_of) FROM plan_reports(?)", [plan_id])
