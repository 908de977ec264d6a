"""Download controls under every chart and table: PNG, SVG, PDF, HTML / CSV, XLSX.

Why: managers take charts and tables into meetings. Every page calls
`chart_downloads` after `st.plotly_chart` and `table_downloads` after
`st.dataframe`; the bytes come from `analytics.exports` (the same code as the CLI).

Cost: the files are generated only when a button is clicked (a callable as
`data`, Streamlit's deferred download), so a rerun does not render four images
per chart. One kaleido/Chromium per process lives in `st.cache_resource` and is
started by the first static export. Without Chromium, one caption line replaces
the PNG/SVG/PDF buttons; HTML, CSV and XLSX still work. Each click is written to
the audit log with the signed-in user (the button's `on_click`).
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.context import ViewContext
from analytics.errors import WorkplanError
from analytics.exports import MIME_TYPES, STATIC_FORMATS, TABLE_FORMATS
from analytics.exports.images import (
    ImageServer,
    find_browser,
    html_bytes,
    static_bytes,
    unavailable_message,
)
from analytics.exports.tables import csv_bytes, xlsx_bytes
from analytics.writes import audit
from pages._i18n import _


@st.cache_resource(show_spinner=False, on_release=ImageServer.close)
def image_server(browser: str) -> ImageServer:
    """The process's kaleido server for `browser` (Chromium starts on the first render)."""
    return ImageServer(browser)


def chart_downloads(fig: go.Figure, name: str, ctx: ViewContext, *, key: str) -> None:
    """A compact "Download" menu for one chart: PNG, SVG, PDF and interactive HTML."""
    browser = find_browser(ctx.settings)
    with st.popover(_("Download"), icon=":material/download:", key=f"{key}_menu"):
        if browser is None:
            st.caption(unavailable_message(ctx.settings))
        else:
            server = image_server(browser)
            for fmt in STATIC_FORMATS:
                _button(fmt, partial(static_bytes, fig, fmt, ctx, server), "chart", name, ctx,
                        key=f"{key}_{fmt}")
        _button("html", partial(html_bytes, fig, ctx), "chart", name, ctx, key=f"{key}_html")


def table_downloads(df: pd.DataFrame, name: str, ctx: ViewContext, *, key: str) -> None:
    """CSV and XLSX buttons for one table (formula injection neutralised)."""
    makers = {"csv": partial(csv_bytes, df), "xlsx": partial(xlsx_bytes, df, ctx, table_title(name))}
    with st.popover(_("Download"), icon=":material/download:", key=f"{key}_menu"):
        for fmt in TABLE_FORMATS:
            _button(fmt, makers[fmt], "table", name, ctx, key=f"{key}_{fmt}")


def table_title(name: str) -> str:
    """'update-history' -> 'Update history' (the XLSX sheet name and header)."""
    return name.replace("-", " ").strip().capitalize() or "Table"


def _button(fmt: str, make, kind: str, name: str, ctx: ViewContext, *, key: str) -> None:
    st.download_button(
        fmt.upper(), data=make, file_name=ctx.file_name(name, fmt), mime=MIME_TYPES[fmt],
        key=key, on_click=_audit_export, args=(kind, name, fmt, ctx.label()),
        width="stretch",
    )


def _audit_export(kind: str, name: str, fmt: str, label: str) -> None:
    """Record one download of the chosen plan's view (runs at the start of the rerun the click
    causes)."""
    from pages._auth import current_user

    user = current_user()
    record_export(f"{kind} {name} {fmt} ({label})", plan_id=user.plan_id if user else None)


def record_export(detail: str, *, plan_id: int | None) -> None:
    """One 'export' line in the audit log by the signed-in user (plan_id None: about every
    plan, as the portfolio's); a failure to record is a toast, never a lost download."""
    from pages._auth import current_user
    from pages._shared import get_store

    user = current_user()
    try:
        audit(get_store(), user.name if user else "anonymous", "export", detail, plan_id=plan_id)
    except WorkplanError as exc:
        st.toast(_("The export was not recorded in the audit log: {error}").format(error=exc))
