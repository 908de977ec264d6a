"""Shared by every page: the store, the chosen plan, the view (as-of date and filters) and
cached metric loaders.

Why: each page must show the same view the sidebar describes, open the DuckDB
file once per process, and not repeat a metric query on every rerun. The
sidebar widgets (in `dashboard.py`) keep their values in `st.session_state`
under the keys below, which are also the URL query parameters; pages call
`current_context(store)` to turn them into a `ViewContext` of the chosen plan, and
the `cached_*` wrappers to run `analytics.metrics` once per (database, plan, plan's
data version, view). An upload bumps its plan's data version, so its figures show at
once and the other plans' cached views stay warm.
"""

from __future__ import annotations

import re
from dataclasses import astuple
from datetime import date

import streamlit as st

from analytics import formatting
from analytics.context import Filters, ViewContext
from analytics.formatting import missing
from analytics.lockdown import open_locked_store
from analytics.plans import FIRST_PLAN, Plan, list_plans, plan_current_to, plan_data_version
from analytics.settings import Settings
from analytics.store import Store
from pages._auth import current_user, page_guard
from pages._i18n import _, _p, current_language

# Sidebar widget keys = URL query parameter names
# (?plan=IC&as_of=2026-10-31&domain=Fraud&party=India).
PLAN_KEY = "plan"
ASOF_KEY = "as_of"
DOMAIN_KEY = "domain"
PARTY_KEY = "party"
OWNER_KEY = "owner"
FILTER_KEYS = (DOMAIN_KEY, PARTY_KEY, OWNER_KEY)


@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    """One open store per database path and process (tests use several paths)."""
    return open_locked_store(path)  # opened, migrated, then DuckDB locked down (analytics/lockdown.py)


def get_store() -> Store:
    """The process's store for WORKPLAN_DB (raises StoreLockedError/StoreError)."""
    return _store_at(str(Settings.from_env().db_path))


@st.cache_data(show_spinner=False, max_entries=64)
def _store_plans(_store: Store, path: str, version: int) -> list[Plan]:
    """Every plan of one store version (a plan added or removed moves the store's version)."""
    return list_plans(_store)


def store_plans(store: Store) -> list[Plan]:
    return _store_plans(store, store.path, store.data_version())


def viewer_plans(store: Store) -> list[Plan]:
    """The plans the signed-in user may see (a role on them), oldest first (the first is the
    one shown until the picker chooses another): the picker's choices, the portfolio's rows.
    Nobody signed in sees none."""
    user = current_user()
    if user is None:
        return []
    return sorted((plan for plan in store_plans(store) if user.sees(plan.id)),
                  key=lambda plan: plan.id)


def chosen_plan(store: Store) -> Plan | None:
    """The plan the sidebar's picker (or the URL) chose, among those the user may see; the
    first of them when none is chosen; None when the user may see no plan."""
    plans = viewer_plans(store)
    code = st.session_state.get(PLAN_KEY)
    return next((p for p in plans if p.code == code), plans[0] if plans else None)


def target_plan(store: Store) -> Plan | None:
    """The plan an upload goes to: the chosen one; on a store with no plan at all, plan 1
    (`main`), which the first import creates (analytics.writes); None when the user may see
    no plan of a store that has some."""
    if not store_plans(store):
        return FIRST_PLAN
    return chosen_plan(store)


@st.cache_data(show_spinner=False, max_entries=256)
def _plan_facts(_store: Store, path: str, plan: Plan, version: int) -> dict:
    """Data-current-to date and the filter choices of one plan's data version."""
    options = {
        DOMAIN_KEY: _column(_store, "SELECT name FROM plan_domains($plan) WHERE name IN "
                                    "(SELECT domain FROM view_items($plan, [], [], []))"
                                    " ORDER BY sort_order, name", plan.id),
        PARTY_KEY: _column(_store, "SELECT DISTINCT lead_party FROM view_items($plan, [], [], [])"
                                   " ORDER BY 1", plan.id),
        OWNER_KEY: _column(_store, "SELECT DISTINCT owner FROM view_items($plan, [], [], [])"
                                   " ORDER BY 1", plan.id),
    }
    return {"title": plan.title, "code": plan.code, "sample": plan.sample,
            "data_current_to": plan_current_to(_store, plan.id), "options": options}


def _column(store: Store, sql: str, plan_id: int) -> list[str]:
    return [row[0] for row in store.cursor().execute(sql, {"plan": plan_id}).fetchall()
            if row[0] is not None]


def plan_facts(store: Store, plan: Plan) -> dict:
    """{'title', 'code', 'sample', 'data_current_to', 'options': {domain, party, owner: [..]}}."""
    return _plan_facts(store, store.path, plan, plan_data_version(store, plan.id))


def default_as_of(store: Store, plan: Plan) -> date:
    """The plan's data-current-to date (today when it has no status update yet)."""
    return plan_facts(store, plan)["data_current_to"] or date.today()


def current_context(store: Store) -> ViewContext:
    """The view the sidebar describes (plan, as-of date, filters, sample flag)."""
    page_guard()  # a page run without dashboard.py's sign-in stops here (pages/_auth.py)
    plan = target_plan(store)      # a store with no plan yet: an empty view of plan 1
    if plan is None:
        st.info(_("Your account has no role on any plan yet; ask an administrator for one."))
        st.stop()
    state = st.session_state
    as_of = state.get(ASOF_KEY) or default_as_of(store, plan)
    filters = Filters(tuple(state.get(DOMAIN_KEY) or ()), tuple(state.get(PARTY_KEY) or ()),
                      tuple(state.get(OWNER_KEY) or ()))
    return ViewContext(as_of=as_of, filters=filters, settings=Settings.from_env(),
                       sample=plan.sample, plan=plan, lang=current_language())


# -- cached metric loaders ----------------------------------------------------

def _view_key(store: Store, ctx: ViewContext) -> tuple:
    """Plain, hashable values that decide a metric's result: the plan and its data version
    (not the store's: an upload to another plan leaves this view cached)."""
    f = ctx.filters
    return (store.path, ctx.plan, plan_data_version(store, ctx.plan.id), ctx.as_of, f.domains,
            f.parties, f.owners, ctx.sample, astuple(ctx.settings), ctx.lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _metric(_store: Store, name: str, key: tuple, args: tuple):
    from analytics import metrics
    from analytics.settings import Settings as _Settings

    _, plan, _, as_of, domains, parties, owners, sample, settings, lang = key
    ctx = ViewContext(as_of, Filters(domains, parties, owners), _Settings(*settings), sample,
                      plan, lang)
    return getattr(metrics, name)(_store, ctx, *args)


def _cached(name: str, store: Store, ctx: ViewContext, *args):
    return _metric(store, name, _view_key(store, ctx), args)


def cached_kpis(store: Store, ctx: ViewContext) -> dict:
    return _cached("kpis", store, ctx)


def cached_item_metrics(store: Store, ctx: ViewContext):
    return _cached("item_metrics", store, ctx)


def cached_group_metrics(store: Store, ctx: ViewContext, by: str):
    return _cached("group_metrics", store, ctx, by)


def cached_burn_up(store: Store, ctx: ViewContext, by: str = "overall"):
    return _cached("burn_up", store, ctx, by)


def cached_milestone_metrics(store: Store, ctx: ViewContext):
    return _cached("milestone_metrics", store, ctx)


def cached_milestone_trend(store: Store, ctx: ViewContext):
    return _cached("milestone_trend", store, ctx)


def cached_compare_dates(store: Store, ctx: ViewContext, since: date):
    return _cached("compare_dates", store, ctx, since)


def cached_reported_vs_computed(store: Store, ctx: ViewContext):
    return _cached("reported_vs_computed", store, ctx)


def cached_joint_disagreements(store: Store, ctx: ViewContext):
    return _cached("joint_disagreements", store, ctx)


def cached_reporting_compliance(store: Store, ctx: ViewContext, by: str = "party"):
    return _cached("reporting_compliance", store, ctx, by)


def cached_freshness(store: Store, ctx: ViewContext):
    return _cached("freshness", store, ctx)


def cached_update_history(store: Store, ctx: ViewContext, item_id: str | None = None):
    return _cached("update_history", store, ctx, item_id)


# -- formatting shared by pages and their tests ---------------------------------

# Streamlit badge colour and icon of each health (the icon carries it without colour too).
# Amber is Streamlit's (light) yellow badge, so it stands apart from the dark red one for
# colour-blind readers and in greyscale, as in the charts and the pack.
VERDICT_BADGES = {"red": ("red", ":material/error:"), "amber": ("yellow", ":material/warning:"),
                  "green": ("green", ":material/check_circle:"),
                  "complete": ("blue", ":material/task_alt:"),
                  "not_started": ("gray", ":material/schedule:")}


def verdict_markdown(scope: str, health: str | None, reason: str | None) -> str:
    """':yellow-badge[:material/warning: Amber] **The whole plan**: schedule efficiency ...'."""
    from analytics.charts.palette import health_label
    from analytics.metrics.health import reason_words

    color, icon = VERDICT_BADGES.get(health or "", ("gray", ":material/help:"))
    label = health_label(health, current_language()) if health else _("No verdict")
    return (f":{color}-badge[{icon} {label}] **{md_escape(scope)}:** "
            f"{md_escape(reason_words(reason))}")


def verdict_line(scope: str, health: str | None, reason: str | None, key: str) -> None:
    """One line: the group health as a coloured label, then its reason (METRICS.md)."""
    with st.container(key=key):
        st.markdown(verdict_markdown(scope, health, reason))


def progress_delta(kpi: dict) -> str | None:
    """'−9.6 pp vs planned 82.3%' for a progress card (None when nothing is planned yet); as
    the card's width allows (msgctxt "card"): French '−9,6 pts de pourcentage', the card's
    help giving the planned figure."""
    if missing(kpi["variance_pp"]):
        return None
    lang = current_language()
    return _p("card", "{variance} vs planned {planned}").format(
        variance=formatting.pp(kpi["variance_pp"], lang=lang),
        planned=formatting.pct(kpi["planned_pct"], lang=lang))


def progress_metric(column, kpi: dict, *, delta: str | None, help: str) -> None:
    """The progress card: actual % over `delta` (actual minus planned), red with the arrow
    down when behind plan, green when ahead. The colour is set, not read from the text:
    Streamlit takes a delta without an ASCII '-' as a rise, and the pp figure is written
    with a true minus sign ('−3.3 pp')."""
    variance = None if missing(kpi["variance_pp"]) else round(float(kpi["variance_pp"]), 1)
    behind, ahead = variance is not None and variance < 0, variance is not None and variance > 0
    column.metric(_("Progress"), formatting.pct(kpi["actual_pct"], lang=current_language()),
                  delta=delta,
                  delta_color="red" if behind else "green",
                  delta_arrow="down" if behind else "up" if ahead else "off", help=help)


def efficiency_metric(column, kpi: dict) -> None:
    """The schedule efficiency card: '0.94' over 'about 18 days behind' (red, arrow down),
    SPI(t) and SV(t) explained in its help."""
    behind = not missing(kpi["sv_t_days"]) and round(float(kpi["sv_t_days"])) < 0
    lang = current_language()
    status = None if missing(kpi["sv_t_days"]) else formatting.schedule_status(kpi["sv_t_days"], lang)
    column.metric(_p("card", "Schedule efficiency"), formatting.ratio(kpi["spi_t"], lang=lang), delta=status,
                  delta_color="red" if behind else "green", delta_arrow="down" if behind else "off",
                  help=_("SPI(t), the schedule performance index (time): the time the work done "
                         "should have taken, divided by the time it took. 1.00 is on plan, below 1 "
                         "behind. Below it, the schedule variance SV(t) in days."))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """User text made literal inside st.markdown/st.caption (every markdown sign escaped)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
