"""Work-Plan Pulse: the Streamlit entry point (`streamlit run dashboard.py`).

Why: every page needs the same things before it draws anything: the store
opened once per process, a signed-in user, the chosen plan (a picker over the plans
the user holds a role on), the plan's header ("data current to", the sample-data
banner) and one shared sidebar (plan, as-of date, domain, lead party and owner
filters) whose values persist across pages and live in the URL, so a link reproduces
the view, page and plan included. This script does those, builds the navigation
(the Portfolio first when the user sees several plans; upload pages only for roles
that may upload to the chosen plan) and runs the chosen page. An empty store or plan
gets a first-run page explaining how to load data.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb
import streamlit as st

from analytics.errors import WorkplanError
from analytics.i18n import N_, format_date
from analytics.plans import Plan, plan_is_empty
from analytics.settings import Settings
from analytics.store import store_problem
from pages._auth import page_guard, remember_user, role_name, signed_in_user
from pages._i18n import _, current_language, language_picker, page_language
from pages._shared import (
    ASOF_KEY,
    DOMAIN_KEY,
    OWNER_KEY,
    PARTY_KEY,
    PLAN_KEY,
    default_as_of,
    get_store,
    md_escape,
    plan_facts,
    viewer_plans,
)

LOG = logging.getLogger("workplan.dashboard")
# A local favicon: without one, each page's Material icon becomes the favicon, which the
# browser fetches from fonts.gstatic.com (no request may leave the machine).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
# Style rules that bring Streamlit's defaults to WCAG 2.1 AA (caption contrast); see the file.
ACCESSIBILITY_CSS = Path(__file__).resolve().parent / "assets" / "accessibility.css"

# With st.navigation the files in pages/ are NOT discovered automatically: every page is
# registered here, explicitly, in the order the sidebar shows them. The title is also the
# page's own heading (tests/browser/test_direct_urls.py checks both).
# (section, file, title, icon, url_path, permission needed to see it)
PORTFOLIO = (N_("Portfolio"), "pages/portfolio.py", N_("Portfolio"), ":material/stacked_bar_chart:",
             "portfolio", "view")      # first, when the user sees more than one plan
ACCOUNTS = (N_("Administration"), "pages/accounts.py", N_("Accounts"), ":material/manage_accounts:",
            "accounts", "manage_users")   # for admins of all plans or of some
PAGES = [
    (N_("Progress"), "pages/overview.py", N_("Overview"), ":material/dashboard:", "overview", "view"),
    (N_("Progress"), "pages/domain.py", N_("Domain drill-down"), ":material/account_tree:", "domain",
     "view"),
    (N_("Progress"), "pages/milestones.py", N_("Milestones"), ":material/flag:", "milestones", "view"),
    (N_("Progress"), "pages/items.py", N_("Items explorer"), ":material/list_alt:", "items", "view"),
    (N_("Before a meeting"), "pages/changes.py", N_("What changed"), ":material/compare_arrows:",
     "changes", "view"),
    (N_("Before a meeting"), "pages/freshness.py", N_("Data freshness and parties"),
     ":material/update:", "freshness", "view"),
    (N_("Before a meeting"), "pages/report.py", N_("Briefing pack"), ":material/picture_as_pdf:", "report", "export"),
    (N_("Before a meeting"), "pages/round.py", N_("Reporting round"), ":material/assignment_late:", "round",
     "view"),
    (N_("About the figures"), "pages/definitions.py", N_("Metric definitions"), ":material/menu_book:",
     "definitions", "view"),
    (N_("Data"), "pages/upload.py", N_("Upload a status sheet"), ":material/upload_file:", "upload",
     "upload"),
    (N_("Data"), "pages/uploads.py", N_("Upload history"), ":material/history:", "uploads", "view"),
    (N_("Data"), "pages/contacts.py", N_("Contacts"), ":material/contact_mail:", "contacts",
     "manage_users"),
]
DATA_SECTION = N_("Data")  # upload pages: shown on an empty database too, so editors can load data
REFUSED_LINK_KEY = "plan_link_refused"  # the link named a plan the user may not open
PINNED_KEY = "as_of_pinned"  # the user chose the as-of date (or the URL did): it does not follow
SAMPLE_BADGE = N_("Sample data: the demonstration plan from `workplan demo`, not real reporting")
FILTER_LABELS = {DOMAIN_KEY: (N_("Domain"), N_("All domains")),
                 PARTY_KEY: (N_("Lead party"), N_("All parties")),
                 OWNER_KEY: (N_("Owner"), N_("All owners"))}
# Pages that pick their own domain (one Domain control on the page): there the sidebar shows its
# domain filter disabled, with a note, and keeps its value for the other pages.
PICKS_OWN_DOMAIN = {"domain"}
# Pages about no one plan: no plan header, as-of date or filters above them.
ACROSS_PLANS = {PORTFOLIO[4], ACCOUNTS[4]}
OWN_DOMAIN_NOTE = N_("This page shows the domain picked on it; the Domain filter applies to the "
                     "other pages.")


def navigation(user, empty: bool, several: bool = False, accounts: bool = False
               ) -> dict[str, list]:
    """Sections of st.Page the user may see; on an empty plan only first-run and data pages.
    `several`: the user sees more than one plan (the Portfolio comes first); `accounts`: the
    user administers accounts of some plan (the Accounts page comes last).

    Every listed page is served at its own URL (/overview, /start). Streamlit serves the
    default page at the root URL only and answers a link to its url_path with a "Page not
    found" dialog, so the default page is a hidden stand-in at the root; so are the pages
    an empty database does not offer yet (a link to /overview then opens "Get started").
    `open_first_page` turns a stand-in into the first listed page.
    """
    sections: dict[str, list] = {}
    stand_ins = [st.Page(_stand_in, title=_("Work-Plan Pulse"), url_path="", default=True,
                         visibility="hidden")]
    listed = ([PORTFOLIO] if several else []) + PAGES + ([ACCOUNTS] if accounts else [])
    hidden = [page for page in (PORTFOLIO, ACCOUNTS) if page not in listed]
    if empty:
        sections[_("Start")] = [st.Page(first_run, title=_("Get started"),
                                        icon=":material/rocket_launch:",
                                     url_path="start")]
    for section, path, title, icon, url_path, permission in listed:
        if section == PORTFOLIO[0] or section == ACCOUNTS[0]:
            sections.setdefault(_(section), []).append(
                st.Page(path, title=_(title), icon=icon, url_path=url_path))
            continue
        if not user.can(permission):
            continue
        if empty and section != DATA_SECTION:
            stand_ins.append(st.Page(_stand_in, title=title, url_path=url_path,
                                     visibility="hidden"))
            continue
        sections.setdefault(_(section), []).append(
            st.Page(path, title=_(title), icon=icon, url_path=url_path))
    stand_ins += [st.Page(_stand_in, title=title, url_path=url_path, visibility="hidden")
                  for _, _, title, _, url_path, _ in hidden]
    next(iter(sections.values())).extend(stand_ins)  # hidden: the sidebar lists none of them
    return sections


def _stand_in() -> None:
    """A hidden page: `open_first_page` switches away before it would run."""


def open_first_page(page, sections: dict[str, list]) -> None:
    """On a stand-in page, switch to the first listed page, keeping the query string."""
    if page.visibility == "hidden":
        first = next(p for pages in sections.values() for p in pages if p.visibility == "visible")
        params = {name: st.query_params.get_all(name) for name in st.query_params}
        st.switch_page(first, query_params=params)


def first_run() -> None:
    """What an empty store or plan shows: how to load a plan."""
    st.title(_("Welcome to Work-Plan Pulse"))
    st.markdown(_(
        "This work plan holds no items yet. Load them in any of these ways:\n\n"
        "1. **Upload status sheets** on the *Upload* page (editors and administrators): the "
        "items sheet first, then milestones and status updates, as CSV or Excel. The page "
        "offers blank templates.\n"
        "2. **From a terminal**: `workplan template items --out items.xlsx` writes a template; "
        "`workplan import items items.xlsx` (then `milestones` and `updates`) loads it.\n"
        "3. **Explore with the sample plan**: `workplan demo` loads the India-Canada sample "
        "work plan (labelled as sample data everywhere); then reload this page."
    ))
    st.caption(_("`make run` loads the sample plan automatically when no database file exists."))


def plan_picker(plans: list[Plan]) -> Plan | None:
    """The plan this run is about, among those the user may see: the picker's value (shown
    when there are several), first set from ?plan=CODE; kept in the URL. A code the user may
    not open is never named back: the first plan is shown with one line saying so."""
    state = st.session_state
    by_code = {plan.code.casefold(): plan for plan in plans}
    if not plans:
        state.pop(PLAN_KEY, None)
        st.query_params.pop(PLAN_KEY, None)
        return None
    if (state.get(PLAN_KEY) or "").casefold() not in by_code:
        wanted = st.query_params.get(PLAN_KEY, "")
        found = by_code.get(wanted.casefold())
        if wanted and found is None:
            state[REFUSED_LINK_KEY] = plans[0].code     # said once the page is open
        state[PLAN_KEY] = (found or plans[0]).code
    if len(plans) > 1:
        titles = {plan.code: f"{plan.code} · {plan.title}" for plan in plans}
        st.sidebar.selectbox(_("Plan"), list(titles), key=PLAN_KEY, format_func=titles.get,
                             on_change=plan_changed,
                             help=_("Every page, export and pack is for this plan."))
    st.query_params[PLAN_KEY] = state[PLAN_KEY]
    return by_code[state[PLAN_KEY].casefold()]


def plan_changed() -> None:
    """Another plan: its own filters (none yet) and its own data-current-to date."""
    for key in (DOMAIN_KEY, PARTY_KEY, OWNER_KEY):
        st.session_state.pop(key, None)
        st.query_params.pop(key, None)
    st.session_state.pop(ASOF_KEY, None)
    st.session_state[PINNED_KEY] = False
    st.query_params.pop(ASOF_KEY, None)


def sidebar(store, plan: Plan, url_path: str) -> None:
    """As-of date and filters; widget keys are the URL query parameters, read on first load
    and written on change (the filters through Streamlit's query-parameter binding). On a
    page that picks its own domain (`url_path` in PICKS_OWN_DOMAIN) the domain filter is
    disabled: one Domain control per page.

    The as-of date follows the data: until the user picks a date (or opens a link with
    one), it is the data-current-to date, and moves with it when an upload is committed
    or reverted. A picked date stays (and is in the URL, so a shared link keeps it).
    """
    facts = plan_facts(store, plan)
    bar = st.sidebar
    state = st.session_state
    latest = default_as_of(store, plan)
    if ASOF_KEY not in state:
        chosen = date_from_url()
        state[ASOF_KEY] = chosen or latest
        state[PINNED_KEY] = chosen is not None
    elif not state.get(PINNED_KEY) and state[ASOF_KEY] != latest:
        state[ASOF_KEY] = latest
    bar.date_input(_("As of"), key=ASOF_KEY, on_change=pin_as_of,
                   help=_("Every figure is recomputed as of this date. Until you pick one, it is "
                          "the date the data is current to, and follows new uploads."))
    if state.get(PINNED_KEY) and state.get(ASOF_KEY):
        st.query_params[ASOF_KEY] = state[ASOF_KEY].isoformat()
    else:
        st.query_params.pop(ASOF_KEY, None)
    own_domain = url_path in PICKS_OWN_DOMAIN
    for key, (label, placeholder) in FILTER_LABELS.items():
        disabled = own_domain and key == DOMAIN_KEY
        if state.get(key):           # a value of another plan (a link, the picker) is dropped
            state[key] = [value for value in state[key] if value in facts["options"][key]]
        bar.multiselect(_(label), facts["options"][key], key=key, bind="query-params",
                        placeholder=_(placeholder), disabled=disabled)
        if disabled:
            bar.caption(_(OWN_DOMAIN_NOTE))
    bar.caption(_current_to_text(facts["data_current_to"]))


def pin_as_of() -> None:
    """The user picked a date: it stays when new data arrives."""
    st.session_state[PINNED_KEY] = True


def follow_latest(latest: date) -> None:
    """Back to the data-current-to date, following new uploads again."""
    st.session_state[ASOF_KEY] = latest
    st.session_state[PINNED_KEY] = False
    st.query_params.pop(ASOF_KEY, None)


def date_from_url() -> date | None:
    """The ?as_of= date of the link that opened the app (None when absent or not a date)."""
    try:
        return date.fromisoformat(st.query_params.get(ASOF_KEY, ""))
    except ValueError:
        return None


def header(store, plan: Plan) -> None:
    """Plan code, title and data date above every page; a banner when the sample plan is
    shown, and one line, with a way back, when the view is of a date before the data's."""
    facts = plan_facts(store, plan)
    marking = Settings.from_env().marking
    if marking:
        with st.container(key="marking"):
            st.markdown(f"**{md_escape(marking)}**", text_alignment="center")
    line = (f"**{md_escape(facts['code'])}** {md_escape(facts['title'])} · "
            f"{_current_to_text(facts['data_current_to'])}")
    if facts["sample"]:
        line = f":orange-badge[{_(SAMPLE_BADGE)}] {line}"
    st.caption(line)
    as_of, current = st.session_state.get(ASOF_KEY), facts["data_current_to"]
    if as_of and current and as_of < current:
        with st.container(key="as_of_banner", horizontal=True, vertical_alignment="center"):
            st.markdown(":material/history: "
                        + _("Viewing the plan as of {as_of}. Data current to {current}.")
                        .format(as_of=_day(as_of), current=_day(current)))
            st.button(_("Show {date}").format(date=_day(current)), key="as_of_latest",
                      on_click=follow_latest, args=(current,), type="tertiary",
                      icon=":material/update:")


def _current_to_text(value: date | None) -> str:
    """'Data current to 2026-11-24' ('Données à jour au 24 novembre 2026'), or no update yet."""
    if value is None:
        return _("Data current to no status update yet")
    return _("Data current to {date}").format(date=_day(value))


def _day(value: date) -> str:
    """A sidebar or header date: ISO in English (as the URL writes it), '24 novembre 2026' in
    French."""
    lang = current_language()
    return value.isoformat() if lang == "en" else format_date(value, lang)


def main() -> None:
    st.set_page_config(layout="wide", page_title="Work-Plan Pulse", page_icon=str(FAVICON))
    page_guard()
    settings = Settings.from_env()
    try:
        store = get_store()
        store.refresh()             # a PostgreSQL store replays other processes' writes
    except WorkplanError as exc:
        message = str(exc)
        unavailable(message)
    user = signed_in_user(store, settings)
    if user is None:
        accessibility_style()
        st.stop()
    plans = viewer_plans(store)
    plan = plan_picker(plans)
    language_picker()
    user = remember_user(user.on_plan(plan.id if plan else None))
    if plan is not None:
        st.sidebar.caption(_("Your role on {plan}: {role}").format(plan=plan.code,
                                                                    role=role_name(user.role)))
    empty = plan is None or plan_is_empty(store, plan.id)
    sections = navigation(user, empty, several=len(plans) > 1,
                          accounts=user.can_somewhere("manage_users"))
    page = st.navigation(sections, expanded=True)     # every page listed, no "View more"
    open_first_page(page, sections)
    accessibility_style()
    if REFUSED_LINK_KEY in st.session_state:
        shown = st.session_state.pop(REFUSED_LINK_KEY)
        st.sidebar.warning(_("The link names a plan you cannot open; showing {plan} instead.")
                           .format(plan=shown))
    try:
        if not empty and page.url_path not in ACROSS_PLANS:
            sidebar(store, plan, page.url_path)
            header(store, plan)
        page.run()
    except (WorkplanError, duckdb.Error) as exc:
        st.error(problem_sentence(exc, store.path))


def accessibility_style() -> None:
    """assets/accessibility.css on this page: style only, so Streamlit sends it to the event
    container (no space taken); and the document's language set to the session's. Called
    after the run's st.navigation, which would clear them."""
    st.html(ACCESSIBILITY_CSS)
    st.html(page_language(), unsafe_allow_javascript=True)


def unavailable(message: str) -> None:
    """`message` (the database cannot be reached) at whatever page's URL was asked for, and
    nothing else (no navigation, so the sidebar lists no module of pages/ as Streamlit's
    folder mode would), then stop. The address stays the user's page, so the next rerun once
    the database is back shows that page again, not the default one."""
    paths = ["", "start", *(page[4] for page in (PORTFOLIO, *PAGES, ACCOUNTS))]
    st.navigation([st.Page(lambda: st.error(message), title=_("Database unavailable"),
                           url_path=path, default=not path) for path in paths],
                  position="hidden").run()
    st.stop()


def problem_sentence(exc: BaseException, path: str) -> str:
    """What to show for an error a page could not handle: the user's sentence, the file or
    disk problem in words, else one line (the traceback goes to the server log only)."""
    if isinstance(exc, WorkplanError):
        return str(exc)
    LOG.exception("database error on a page")
    problem = store_problem(exc, path)
    return str(problem) if problem else _("The database gave an unexpected error (logged for the "
                                          "administrator); nothing was changed.")


main()
