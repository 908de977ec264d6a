"""Portfolio: every plan the signed-in user may see, worst first, one click from its Overview.

Why: a programme office running several plans asks first which one needs attention. One
verdict line per plan (its health by the group rule, with the reason) with a button that
opens that plan's Overview, then the table (progress against plan, schedule efficiency,
forecast slip, red and overdue items, overdue milestones, reporting compliance, data
current to) and the portfolio as CSV, XLSX, a one-page PDF and a one-slide deck. Each plan
is shown as of its own data-current-to date. Rows come from
`analytics.metrics.portfolio_metrics`, files from `analytics.exports.portfolio`.
Registered in `dashboard.py` (first when the user sees more than one plan).
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from analytics.exports import MIME_TYPES
from analytics.exports.portfolio import (
    PORTFOLIO_FORMATS,
    portfolio_bytes,
    portfolio_file_name,
    portfolio_label,
)
from analytics.formatting import share
from analytics.i18n import N_
from analytics.metrics import portfolio_metrics
from analytics.metrics.health import reason_in
from analytics.plans import Plan, plan_data_version
from analytics.settings import Settings
from analytics.store import Store
from pages._auth import page_guard
from pages._downloads import record_export
from pages._i18n import _, current_language
from pages._shared import PLAN_KEY, get_store, md_escape, verdict_markdown, viewer_plans
from pages._tables import show_table

# The verdict lines above the table carry each plan's title and reason.
TABLE_COLUMNS = ["group", "health", "actual_pct", "variance_pp", "spi_t",
                 "forecast_slip_days", "red", "overdue", "milestones_overdue",
                 "reporting_compliance", "data_current_to"]
LABELS = {"group": N_("Plan"), "spi_t": N_("SPI(t)"), "red": N_("Red items"),
          "overdue": N_("Overdue"), "forecast_slip_days": N_("Slip (days)"),
          "milestones_overdue": N_("Late milestones"), "reporting_compliance": N_("Compliance"),
          "data_current_to": N_("Data current to")}
FIGURE_TYPES = {"actual_pct": "float64", "variance_pp": "float64",
                "spi_t": "float64", "forecast_slip_days": "Int64"}
OVERVIEW = "pages/overview.py"
OPENING_KEY = "portfolio_opening"


@st.cache_data(show_spinner=False, max_entries=32)
def portfolio(_store: Store, path: str, versions: tuple[tuple[Plan, int], ...],
              settings: tuple, today: date) -> pd.DataFrame:
    """The portfolio rows, once per store, plans and their data versions, settings and day
    (a plan without status updates is shown as of today)."""
    return portfolio_metrics(_store, [plan for plan, _ in versions], Settings(*settings))


def choose_plan(code: str) -> None:
    """An Open button's callback: the sidebar's plan picker takes `code` (a callback runs
    before the picker is drawn, the only time its key may be set); the run it causes then
    opens that plan's Overview (`st.switch_page` needs the navigation, which a callback
    has not got yet)."""
    st.session_state[PLAN_KEY] = code
    st.session_state[OPENING_KEY] = code


def record_download(fmt: str, detail: str) -> None:
    """Audit one download, about every plan shown (the click's rerun runs this first)."""
    record_export(f"portfolio {fmt} ({detail})", plan_id=None)


def downloads(frame: pd.DataFrame, settings: Settings, lang: str) -> None:
    """CSV, XLSX, PDF and PPTX of the portfolio in `lang`, made when clicked (the audit line
    stays English)."""
    detail = f"{portfolio_label(frame, None)}: {', '.join(frame['group'])}"
    with st.popover(_("Download"), icon=":material/download:", key="portfolio_dl_menu"):
        for fmt in PORTFOLIO_FORMATS:
            st.download_button(fmt.upper(),
                               data=partial(portfolio_bytes, frame, fmt, settings, lang=lang),
                               file_name=portfolio_file_name(frame, fmt, None, lang),
                               mime=MIME_TYPES[fmt], key=f"portfolio_dl_{fmt}",
                               on_click=record_download, args=(fmt, detail), width="stretch")


page_guard()
if opening := st.session_state.pop(OPENING_KEY, None):
    st.switch_page(OVERVIEW, query_params={PLAN_KEY: opening})
store = get_store()
settings = Settings.from_env()
lang = current_language()
plans = viewer_plans(store)
st.title(_("Portfolio"))
if not plans:
    st.info(_("Your account has no role on any plan yet; ask an administrator for one."))
    st.stop()
frame = portfolio(store, store.path, tuple((p, plan_data_version(store, p.id)) for p in plans),
                  astuple(settings), date.today())
st.caption(_("{portfolio}. Worst first: health, then the lowest schedule efficiency. **Open** "
             "shows that plan's Overview.").format(portfolio=md_escape(portfolio_label(frame, None, lang))))

for row in frame.to_dict("records"):
    verdict, action = st.columns([6, 1], vertical_alignment="center")
    verdict.markdown(verdict_markdown(f"{row['group']} · {row['title']}", row["health"],
                                      reason_in(row["reason"], lang)))
    action.button(_("Open {plan}").format(plan=row["group"]), key=f"portfolio_open_{row['group']}",
                  icon=":material/open_in_new:",
                  help=_("Open the Overview of {plan}").format(plan=row["group"]), width="stretch",
                  on_click=choose_plan, args=(row["group"],))

st.subheader(_("All plans"))
table = frame[TABLE_COLUMNS].astype(FIGURE_TYPES).assign(  # None -> empty numeric cells
    reporting_compliance=[share(value, lang=lang) for value in frame["reporting_compliance"]])
show_table(table, key="portfolio_table", first=("group", "health"), labels=LABELS)
downloads(frame, settings, lang)
