"""Every chart of the dashboard, drawn one way: `show_chart(figure, alternative, key=...)`.

Why: a chart alone is a picture a screen reader cannot read (WCAG 2.1 AA, issue 18). Under
each figure this shows its summary sentence as visible text and its data as a table behind
a "Chart data" expander; both come from `analytics.charts.alternatives`, computed from the
frame the figure is drawn from. Pages call this instead of `st.plotly_chart`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from analytics.charts.alternatives import ChartAlternative
from analytics.i18n import N_
from pages._i18n import _
from pages._shared import md_escape

CHART_DATA = N_("Chart data")


def show_chart(figure: go.Figure, alternative: ChartAlternative, *, key: str) -> None:
    """The figure, its summary sentence, and its data table inside an expander."""
    st.plotly_chart(figure, key=key)
    st.caption(md_escape(alternative.summary))
    with st.expander(_(CHART_DATA)):
        if alternative.table.empty:
            st.caption(_("No data in this view."))
        else:
            st.dataframe(alternative.table, hide_index=True, key=f"{key}_data")
