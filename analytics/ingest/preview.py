"""What committing an upload would change, computed before anything is written.

Why: a manager must see, before committing, the new items, how many updates
arrive (how many replace the same party's earlier report, and how many stand beside
another party's report on the same item and date), whose computed health would
change, where progress goes down (a regression) or jumps by more than 50
points, and whether percent values look like fractions. Counts come from
DuckDB queries against the store with the upload's valid rows registered as an
Arrow table; health before and after comes from `analytics.metrics.item_metrics`,
the "after" computed inside a transaction that is always rolled back.

`parsed_rows` gives the first rows as they will be stored (typed values, each report's
party decided); `TABLE_LABELS` heads the columns of these frames on the page.

Called by the upload page and `workplan import --dry-run`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.i18n import N_, format_number, translator
from analytics.ingest.headers import FIELD_LABELS
from analytics.ingest.messages import field_label
from analytics.store import Store
from analytics.writes import COLUMNS, UploadMeta, write_upload

JUMP_PP = 50.0
PREVIEW_ROWS = 10
# Headers of the preview's tables: each field as the mapping step names it ("% complete"),
# and names the upload gives its own sense ("before" is the plan now, "after" the plan with
# the upload); any other name is headed by analytics.formatting.column_label.
# Each is a msgid, translated when the table is drawn (pages._tables.show_table).
TABLE_LABELS = {**FIELD_LABELS, "row": N_("Row"), "health_before": N_("Health before"),
                "health_after": N_("Health after"), "due_before": N_("Due before"),
                "due_after": N_("Due after"), "check": N_("Check")}
# The preview's sentences (the CLI's --dry-run and the page), in English; French in analytics.po.
ROWS_READ = N_("{read} row(s) read, {valid} valid, {errors} error(s).")
NEW_KEYS = {"items": N_("{n} new item(s)."), "milestones": N_("{n} new milestone(s).")}
CHANGED_KEYS = {"items": N_("{n} existing item(s) get new values."),
                "milestones": N_("{n} existing milestone(s) get new values.")}
DATE_CHANGES = N_("{n} due date(s) change (the first date stays the baseline).")
UPDATES = N_("{new} new status update(s), {replacing} replacing the same party's earlier report "
             "for the same item and date.")
BESIDE = N_("{n} new report(s) from {party} on an item and date another party has reported: "
            "both reports are kept.")
HEALTH_CHANGES = N_("{n} item(s) change computed health.")
REGRESSIONS = N_("{n} regression(s): progress lower than the same party's previous report on "
                 "the item.")
JUMPS = N_("{n} jump(s) of more than {points} points.")
ERROR_IN = N_("Error in {fields}")


@dataclass
class Preview:
    rows_read: int
    rows_valid: int
    error_count: int
    warnings: list[str]
    new_keys: pd.DataFrame = field(default_factory=pd.DataFrame)      # new items / milestones
    changed: int = 0                                                 # existing keys given new values
    date_changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # key, title, due_before, due_after
    updates_new: int = 0
    updates_replacing: int = 0                                       # same item, party and date
    updates_beside: dict[str, int] = field(default_factory=dict)     # party -> reports beside
                                                                     # another party's that date
    regressions: pd.DataFrame = field(default_factory=pd.DataFrame)
    jumps: pd.DataFrame = field(default_factory=pd.DataFrame)
    health_changes: pd.DataFrame | None = None                       # None: metrics unavailable
    fractions_suspected: bool = False
    date_orders: dict = field(default_factory=dict)

    def summary_lines(self, lang: str = "en") -> list[str]:
        """Plain sentences for the CLI's --dry-run and the page's caption, in `lang`."""
        _, n = translator(lang), lambda value: _count(value, lang)
        lines = [_(ROWS_READ).format(read=n(self.rows_read), valid=n(self.rows_valid),
                                     errors=n(self.error_count))]
        if len(self.new_keys):
            lines.append(_(NEW_KEYS[self._kind()]).format(n=n(len(self.new_keys))))
        if self.changed:
            lines.append(_(CHANGED_KEYS[self._kind()]).format(n=n(self.changed)))
        if len(self.date_changes):
            lines.append(_(DATE_CHANGES).format(n=n(len(self.date_changes))))
        if self.updates_new or self.updates_replacing:
            lines.append(_(UPDATES).format(new=n(self.updates_new),
                                           replacing=n(self.updates_replacing)))
        for party, count in self.updates_beside.items():
            lines.append(_(BESIDE).format(n=n(count), party=party))
        if self.health_changes is not None and len(self.health_changes):
            lines.append(_(HEALTH_CHANGES).format(n=n(len(self.health_changes))))
        if len(self.regressions):
            lines.append(_(REGRESSIONS).format(n=n(len(self.regressions))))
        if len(self.jumps):
            lines.append(_(JUMPS).format(n=n(len(self.jumps)), points=f"{JUMP_PP:.0f}"))
        return lines

    def _kind(self) -> str:
        return "milestones" if "milestone_id" in self.new_keys.columns else "items"


def _count(n: int, lang: str) -> str:
    """'1204' as the English sentences have always written it, '1 204' in French."""
    return str(n) if lang == "en" else format_number(n, lang)


def preview_upload(store: Store, parsed, ctx=None) -> Preview:
    """The Preview of `parsed` (a ParsedUpload) against the store's current plan."""
    valid = parsed.valid_table() if parsed.table is not None else None
    preview = Preview(rows_read=parsed.rows_read, rows_valid=0 if valid is None else valid.num_rows,
                      error_count=len(parsed.errors), warnings=list(parsed.warnings),
                      fractions_suspected=parsed.fractions_suspected,
                      date_orders=dict(parsed.dialect.get("date_orders", {})))
    if valid is None or not valid.num_rows:
        return preview
    cur = store.cursor()
    cur.register("preview_rows", valid)
    plan = {"plan": parsed.options.plan_id}
    try:
        if parsed.kind == "items":
            _items(cur, preview, plan)
        elif parsed.kind == "milestones":
            _milestones(cur, preview, plan)
        else:
            _updates(cur, preview, plan)
    finally:
        cur.unregister("preview_rows")
    preview.health_changes = health_changes(store, parsed, valid, ctx)
    return preview


def parsed_rows(parsed, limit: int = PREVIEW_ROWS, lang: str = "en") -> pd.DataFrame | None:
    """The first `limit` rows as they will be stored: sheet row, the typed value of each field
    the file has (dates, numbers, statuses; an updates row's party as decided) and a check
    column naming the fields in error in `lang` ('' for a good row). None when the header is
    wrong."""
    table = parsed.table
    if table is None:
        return None
    head = table.slice(0, limit)
    fields = [c for c in COLUMNS[parsed.kind]
              if parsed.mapping.get(c) or (parsed.kind == "updates" and c == "party")]
    frame = head.select(["row_number", *fields]).to_pandas()
    frame.insert(0, "row", frame.pop("row_number").astype("Int64"))
    errors = parsed.errors.dropna(subset=["row"])
    errors = errors[errors["row"].isin(frame["row"])]
    order = {c: k for k, c in enumerate(COLUMNS[parsed.kind])}
    named = errors.groupby("row")["column"].agg(lambda cs: ", ".join(dict.fromkeys(
        field_label(str(c), lang) for c in sorted(cs, key=lambda c: order.get(c, len(order))))))
    error_in = translator(lang)(ERROR_IN)
    frame["check"] = ["" if r not in named.index else error_in.format(fields=named[r])
                      for r in frame["row"]]
    return frame


def _df(cur, sql: str, params: dict) -> pd.DataFrame:
    return cur.sql(sql, params=params).to_arrow_table().to_pandas()


def _items(cur, preview: Preview, plan: dict) -> None:
    preview.new_keys = _df(cur, "SELECT item_id, title, domain FROM preview_rows"
                                " WHERE item_id NOT IN (SELECT item_id FROM view_items($plan, [], [], [])) ORDER BY row_number", plan)
    preview.changed = cur.execute(
        "SELECT count(*) FROM preview_rows AS p JOIN view_items($plan, [], [], []) AS w USING (item_id)"
        " WHERE (p.domain, p.title, p.lead_party, p.owner, p.start_date, p.due_date, p.weight,"
        "        coalesce(p.description, '')) IS DISTINCT FROM"
        "       (w.domain, w.title, w.lead_party, w.owner, w.start_date, w.due_date, w.weight,"
        "        coalesce(w.description, ''))", plan).fetchall()[0][0]
    preview.date_changes = _df(cur,
        "SELECT p.item_id, p.title, w.due_date AS due_before, p.due_date AS due_after,"
        " w.baseline_due_date AS baseline FROM preview_rows AS p JOIN view_items($plan, [], [], []) AS w USING (item_id)"
        " WHERE p.due_date <> w.due_date ORDER BY p.row_number", plan)


def _milestones(cur, preview: Preview, plan: dict) -> None:
    preview.new_keys = _df(cur, "SELECT milestone_id, item_id, title FROM preview_rows WHERE"
                                " milestone_id NOT IN (SELECT milestone_id FROM plan_milestones($plan)) ORDER BY row_number", plan)
    preview.changed = cur.execute(
        "SELECT count(*) FROM preview_rows AS p JOIN plan_milestones($plan) AS m USING (milestone_id)"
        " WHERE (p.item_id, p.title, p.due_date, p.completed_date) IS DISTINCT FROM"
        "       (m.item_id, m.title, m.due_date, m.completed_date)", plan).fetchall()[0][0]
    preview.date_changes = _df(cur,
        "SELECT p.milestone_id, p.title, m.due_date AS due_before, p.due_date AS due_after,"
        " m.baseline_date AS baseline FROM preview_rows AS p JOIN plan_milestones($plan) AS m USING (milestone_id)"
        " WHERE p.due_date <> m.due_date ORDER BY p.row_number", plan)


PREVIEW_REPORTS = "WITH preview_reports AS (SELECT *, coalesce(party, '') AS party_key FROM preview_rows)"


def _updates(cur, preview: Preview, plan: dict) -> None:
    """Replacing (same item, party and date), beside another party's report, and each
    party's regressions and jumps against its own earlier reports (current_reports)."""
    preview.updates_replacing = cur.execute(
        f"{PREVIEW_REPORTS} SELECT count(*) FROM preview_reports AS p SEMI JOIN plan_current_reports($plan) AS c"
        " ON c.item_id = p.item_id AND c.party_key = p.party_key AND c.as_of = p.as_of", plan
    ).fetchall()[0][0]
    preview.updates_new = preview.rows_valid - preview.updates_replacing
    preview.updates_beside = dict(cur.execute(
        f"{PREVIEW_REPORTS} SELECT p.party_key, count(*) FROM preview_reports AS p"
        " WHERE EXISTS (SELECT 1 FROM plan_current_reports($plan) AS c WHERE c.item_id = p.item_id"
        "   AND c.as_of = p.as_of AND c.party_key <> p.party_key)"
        " AND NOT EXISTS (SELECT 1 FROM plan_current_reports($plan) AS c WHERE c.item_id = p.item_id"
        "   AND c.as_of = p.as_of AND c.party_key = p.party_key)"
        " GROUP BY 1 ORDER BY 1", plan).fetchall())
    moves = _df(cur,
        f"{PREVIEW_REPORTS}, combined AS ("
        "  SELECT item_id, party_key, as_of, percent_complete, row_number FROM preview_reports"
        "  UNION ALL SELECT c.item_id, c.party_key, c.as_of, c.percent_complete, NULL"
        "  FROM plan_current_reports($plan) AS c ANTI JOIN preview_reports AS p"
        "  ON p.item_id = c.item_id AND p.party_key = c.party_key AND p.as_of = c.as_of),"
        " ordered AS (SELECT *, lag(percent_complete) OVER w AS previous_pct,"
        "  lag(as_of) OVER w AS previous_as_of FROM combined"
        "  WINDOW w AS (PARTITION BY item_id, party_key ORDER BY as_of, row_number NULLS FIRST))"
        " SELECT row_number AS \"row\", item_id, nullif(party_key, '') AS party, as_of,"
        "  previous_as_of, previous_pct, percent_complete,"
        "  percent_complete - previous_pct AS delta_pp FROM ordered"
        " WHERE row_number IS NOT NULL AND previous_pct IS NOT NULL"
        "  AND (percent_complete < previous_pct OR percent_complete - previous_pct > $jump)"
        " ORDER BY row_number", {**plan, "jump": JUMP_PP})
    preview.regressions = moves[moves["delta_pp"] < 0].reset_index(drop=True)
    preview.jumps = moves[moves["delta_pp"] > JUMP_PP].reset_index(drop=True)


class _Rollback(Exception):
    """Raised to end the what-if transaction without keeping anything."""


def health_changes(store: Store, parsed, valid: pa.Table, ctx=None) -> pd.DataFrame | None:
    """Items whose computed health differs after the upload (None when metrics are unavailable)."""
    try:
        from analytics.metrics import item_metrics
    except ImportError:
        return None
    ctx = _context(store, parsed.options.plan_id, valid, ctx)
    before = item_metrics(store, ctx)
    holder: dict = {}
    try:
        with store.transaction() as cur:
            write_upload(cur, valid, UploadMeta(kind=parsed.kind, filename=parsed.filename,
                                                uploaded_by="preview", sha256=None,
                                                plan_id=parsed.options.plan_id))
            holder["after"] = item_metrics(_WithinTransaction(store, cur), ctx)
            raise _Rollback
    except _Rollback:
        pass
    after = holder["after"]
    merged = after[["item_id", "title", "health", "reason"]].merge(
        before[["item_id", "health"]], on="item_id", how="left", suffixes=("_after", "_before"))
    changed = merged[merged["health_before"].astype(object).fillna("(new)")
                     != merged["health_after"].astype(object)]
    return changed[["item_id", "title", "health_before", "health_after", "reason"]].reset_index(drop=True)


def _context(store: Store, plan_id: int, valid: pa.Table, ctx):
    from analytics.context import ViewContext
    from analytics.plans import plan_by_id, plan_current_to

    latest = plan_current_to(store, plan_id)
    if "as_of" in valid.column_names and valid.num_rows:
        incoming = pc.max(valid.column("as_of")).as_py()
        latest = incoming if latest is None else max(latest, incoming)
    if ctx is None:
        plan = plan_by_id(store, plan_id)
        return ViewContext(as_of=latest or date.today(), **({"plan": plan} if plan else {}))
    if latest is not None and latest > ctx.as_of:
        from dataclasses import replace
        return replace(ctx, as_of=latest)
    return ctx


class _WithinTransaction(Store):
    """The store seen from inside an open transaction (reads see its uncommitted rows)."""

    def __init__(self, store: Store, cur):
        super().__init__(store.path, connection=store._connection)
        self._cur = cur

    def cursor(self):
        return self._cur
