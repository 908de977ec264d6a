"""Metric definitions: how every figure on the dashboard is computed.

Why: a number a manager cannot explain in a meeting is a number they will not
use. The text comes from `analytics.metrics.metric_definitions_markdown()`
(written by the project, with the configured thresholds, not user data), so the
dashboard, the README and the briefing pack say the same thing. Registered in
`dashboard.py`'s `st.navigation`.
"""

from __future__ import annotations

import streamlit as st

from analytics.metrics import metric_definitions_markdown
from pages._shared import run_through_entry_point

run_through_entry_point()  # a first request for /definitions still gets the sidebar and sign-in
st.markdown(metric_definitions_markdown())  # opens with its own "# Metric definitions" heading
