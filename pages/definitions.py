"""Metric definitions: what every figure on the dashboard means, then how it is computed.

Why: a number a manager cannot explain in a meeting is a number they will not use.
The page opens with a one-screen summary in plain words and keeps the formulas,
thresholds and setting names in an expander below it. Both parts are sections of
analytics/METRICS.md (`analytics.metrics.definitions`), so the dashboard, the README
and the CLI say the same thing. Registered in `dashboard.py`'s `st.navigation`.
"""

from __future__ import annotations

import streamlit as st

from analytics.metrics.definitions import changed_thresholds, definitions
from analytics.settings import Settings
from pages._auth import page_guard
from pages._i18n import _, current_language

page_guard()  # a first request for /definitions still gets the sidebar and sign-in
text = definitions(current_language())
st.title(text.title)
st.markdown(text.brief)
changed = changed_thresholds(Settings.from_env(), current_language())
if changed:
    st.caption(_("This dashboard is set up with other thresholds than the ones quoted above: "
                 "{changes}").format(changes=" ".join(changed)))
with st.expander(_("Formulas, thresholds and setting names")):
    st.markdown(text.full)
