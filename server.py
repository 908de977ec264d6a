"""Work-Plan Pulse as an ASGI app: the dashboard behind a gate for uploads and metrics.

Why: Streamlit accepts file uploads for any live session and serves /_stcore/metrics
to anyone. This app wraps dashboard.py (`st.App`) with a middleware that refuses
uploads from sessions that are not signed in as an editor or admin, and the metrics
route for everyone (analytics/upload_gate.py decides). Serve it with
`streamlit run server.py` (what `make run` does); AppTest runs dashboard.py itself.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse

from analytics.upload_gate import refusal


class Gate:
    """ASGI middleware: a 403 for a refused request, everything else passed on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            reason = refusal(scope.get("path", ""))
            if reason is not None:
                await PlainTextResponse(f"Forbidden: {reason}.", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def leave_pages_directory_mode() -> None:
    """Tell Streamlit, before the first session, that dashboard.py navigates (st.navigation).

    Until a process has seen its first `st.navigation` call, Streamlit treats pages/ as a
    legacy multipage folder and runs a requested page file on its own, without dashboard.py
    and its sign-in. dashboard.py switches that off in its first run and reruns
    (`pages._auth.page_guard`), but sessions opened at the same moment as the first one
    were already running a page file on its own: they showed an empty page and the folder's
    file list. Set here, at import, no session ever starts in that mode."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


leave_pages_directory_mode()
app = st.App("dashboard.py", middleware=[Middleware(Gate)])
