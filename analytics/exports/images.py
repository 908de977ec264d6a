"""Static chart images (PNG, SVG, PDF) through one persistent kaleido, and standalone HTML.

Why: kaleido 1.x drives a headless Chrome/Chromium; starting one costs about two
seconds, rendering a figure on a running one about 0.15 s. So each process keeps
ONE `ImageServer` (Streamlit holds it in `st.cache_resource`; the CLI and the
report builders use `shared_server()`), started lazily on the first static export.

We run kaleido's own `Kaleido` object on a private event-loop thread rather than
`kaleido.start_sync_server()`: the sync server waits on its result queue without a
timeout (a crashed Chromium would hang the caller) and mixes up results when two
threads call it at once (Streamlit generates downloads on worker threads). Here every
render is serialised by a lock and bounded by a timeout.

HTML needs no browser: plotly.js is embedded (`include_plotlyjs=True`) and the one
network address in plotly.js (the topojson URL used only by geo maps) is blanked,
so the file opens offline and never contacts a CDN.

Callers: `pages/_downloads.py`, `analytics/cli/exports.py`, `report_pdf`, `report_pptx`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from analytics.charts.layout import title_states
from analytics.charts.palette import plain
from analytics.context import ViewContext
from analytics.exports import STATIC_FORMATS, ExportUnavailable
from analytics.settings import Settings

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FALLBACK_BROWSER = "/usr/bin/chromium"
WIDTH, HEIGHT = 1366, 768
START_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 60
_CDN_TOPOJSON = 'dflt:"https://cdn.plot.ly/un/"'
_OFFLINE_TOPOJSON = 'dflt:"topojson/"'


def find_browser(settings: Settings) -> str | None:
    """Path of the Chrome/Chromium kaleido should drive: BROWSER_PATH, PATH, /usr/bin/chromium."""
    if settings.browser_path:
        path = Path(settings.browser_path)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    fallback = Path(FALLBACK_BROWSER)
    return str(fallback) if fallback.is_file() and os.access(fallback, os.X_OK) else None


def unavailable_message(settings: Settings) -> str:
    """The one sentence shown when static images cannot be made."""
    if settings.browser_path:
        return (f"PNG, SVG and PDF exports need Chrome or Chromium, but BROWSER_PATH="
                f"{settings.browser_path} is not an executable file; HTML, CSV and XLSX still work.")
    return ("PNG, SVG and PDF exports need Chrome or Chromium: install it (apt-get install chromium) "
            "or set BROWSER_PATH; HTML, CSV and XLSX exports still work.")


class ImageServer:
    """One headless Chromium (via kaleido) kept open for every static export of a process."""

    def __init__(self, browser: str):
        self.browser = browser
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self.render_timeout: float = RENDER_TIMEOUT_S

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def render(self, fig: go.Figure, fmt: str, *, width: int = WIDTH, height: int = HEIGHT,
               scale: float = 1) -> bytes:
        """Bytes of `fig` as png, svg or pdf; starts the browser on first use."""
        if fmt not in STATIC_FORMATS:
            raise ValueError(f"not a static format: {fmt}")
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:
            kaleido = self._started()
            try:
                return self._run(kaleido.calc_fig(fig, opts=opts), self.render_timeout)
            except TimeoutError:
                self._discard()            # a hung Chromium: the next export starts a new one
                raise ExportUnavailable(f"The chart renderer did not answer within "
                                        f"{self.render_timeout:g} s; try the export again.") from None

    def close(self) -> None:
        """Stop Chromium and the loop thread (safe to call twice)."""
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        """Close the browser (best effort) and forget it; the caller holds the lock."""
        if self._kaleido is not None and self._loop is not None:
            try:
                self._run(self._kaleido.__aexit__(None, None, None), 30)
            except Exception:  # noqa: BLE001 - closing a dead browser must not raise
                pass
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._kaleido = None
        self._loop = None

    def _started(self):
        if self._kaleido is None:
            import kaleido

            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="kaleido-loop", daemon=True).start()

            async def open_kaleido():
                instance = kaleido.Kaleido(path=self.browser, n=1, mathjax=False,
                                           timeout=RENDER_TIMEOUT_S)
                await instance.__aenter__()
                return instance

            try:
                self._kaleido = self._run(open_kaleido(), START_TIMEOUT_S)
            except Exception as exc:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._loop = None
                raise ExportUnavailable(
                    f"Chromium at {self.browser} did not start for image exports ({exc}); "
                    "HTML, CSV and XLSX exports still work.") from exc
        return self._kaleido

    def _run(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise


_shared: ImageServer | None = None
_shared_lock = threading.Lock()


def shared_server(settings: Settings) -> ImageServer:
    """This process's ImageServer (created once); raises ExportUnavailable without a browser."""
    global _shared
    browser = find_browser(settings)
    if browser is None:
        raise ExportUnavailable(unavailable_message(settings))
    with _shared_lock:
        if _shared is None or _shared.browser != browser:
            _shared = ImageServer(browser)
        return _shared


MARKING_STRIP = 22           # px added above and below a chart for the handling marking


def with_context(fig: go.Figure, ctx: ViewContext) -> go.Figure:
    """A copy of `fig` that states `ctx.label()` (added when the title lacks it) and carries the
    handling marking (WORKPLAN_MARKING) in a strip above and below the chart."""
    out = go.Figure(fig)
    if not title_states(out.layout.title.text or "", ctx.label()):
        out.add_annotation(text=ctx.label(), xref="paper", yref="paper", x=1, y=0,
                           xanchor="right", yanchor="top", yshift=-40, showarrow=False,
                           font={"size": 11, "color": "#555555"})
        bottom = out.layout.margin.b if out.layout.margin.b is not None else 80
        out.update_layout(margin={"b": max(bottom, 90)})
    if ctx.settings.marking:
        marked(out, ctx.settings.marking)
    return out


def marked(fig: go.Figure, marking: str) -> None:
    """The marking, bold and centred, in a strip added at the top and at the bottom of `fig`."""
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 80
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 80
    for y, anchor, shift in ((1, "bottom", top), (0, "top", -bottom)):
        fig.add_annotation(text=f"<b>{plain(marking)}</b>", xref="paper", yref="paper", x=0.5,
                           y=y, xanchor="center", yanchor=anchor, yshift=shift, showarrow=False,
                           font={"size": 12, "color": "#000000"})
    fig.update_layout(margin={"t": top + MARKING_STRIP, "b": bottom + MARKING_STRIP})
    if fig.layout.title.yref == "container":          # a title pinned to the top moves down too
        fig.update_layout(title_pad_t=(fig.layout.title.pad.t or 0) + MARKING_STRIP)
    if fig.layout.height:
        fig.update_layout(height=fig.layout.height + 2 * MARKING_STRIP)


def static_bytes(fig: go.Figure, fmt: str, ctx: ViewContext, server: ImageServer, *,
                 scale: float | None = None) -> bytes:
    """PNG (at twice the size, for slides), SVG or PDF of `fig` with the context stamped."""
    stamped = with_context(fig, ctx)
    width = int(stamped.layout.width or WIDTH)
    height = int(stamped.layout.height or HEIGHT)
    chosen = scale if scale is not None else (2 if fmt == "png" else 1)
    return server.render(stamped, fmt, width=width, height=height, scale=chosen)


def html_bytes(fig: go.Figure, ctx: ViewContext) -> bytes:
    """A standalone interactive HTML page: plotly.js embedded, no CDN, context in the page title."""
    stamped = with_context(fig, ctx)
    html = stamped.to_html(include_plotlyjs=True, full_html=True, include_mathjax=False,
                           config={"displaylogo": False, "topojsonURL": "topojson/"})
    html = html.replace(_CDN_TOPOJSON, _OFFLINE_TOPOJSON)
    title = (stamped.layout.title.text or "Chart").replace("<", "&lt;").replace(">", "&gt;")
    html = html.replace("<head>", f"<head><title>{title}</title>", 1)
    return html.encode("utf-8")


def chart_bytes(fig: go.Figure, fmt: str, ctx: ViewContext, settings: Settings,
                server: ImageServer | None = None) -> bytes:
    """Any chart format; static ones use `server` or this process's shared server."""
    if fmt == "html":
        return html_bytes(fig, ctx)
    if fmt not in STATIC_FORMATS:
        raise ValueError(f"unknown chart format: {fmt}")
    return static_bytes(fig, fmt, ctx, server or shared_server(settings))
