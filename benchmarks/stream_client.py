"""A browser's first visit to a page, spoken in Streamlit's own protocol: the replica benchmark's
load client.

Why: 40 Playwright contexts of one Chromium on this machine's 2 cores time the browser, not
the replicas (one page alone takes seconds to draw its first chart; 40 take minutes while
the server is mostly idle). A session here is what the server sees of a browser: one
WebSocket to `/_stcore/stream`, the BackMsg the front end sends on first load (captured
from Chromium's frames with Playwright: `rerun_script` with the page's name, empty widget
states, no query string, the browser's context info, no cached messages), then the
ForwardMsgs of the script run. It times the first delta whose element is a Plotly chart
and the end of the run (`script_finished`). The page, its scripts and styles (static
files a browser caches or a proxy serves) are not fetched: the figure is the replica's
work for one session.

Used by `benchmarks.bench_postgres.measure_sessions`; `run_sessions([url], 1)` on a running
server is one visit.
"""

from __future__ import annotations

import asyncio
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

PAGE = "overview"
SESSION_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class SessionResult:
    """One session: seconds from opening the stream to the first chart and to the script's end
    (None when not reached), and why it failed (None when it did not)."""

    first_chart_s: float | None
    script_end_s: float | None
    error: str | None


def stream_url(base_url: str) -> str:
    """The WebSocket a page at `base_url` (http://host:port) opens."""
    return base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/_stcore/stream"


def first_load_request(base_url: str, page: str = PAGE):
    """The BackMsg Chromium sends when it opens `base_url/page`: run the page with no widget
    state, no query string and no cached messages (so the server never answers with a
    reference to a message the client would have to hold), in a UTC, en-US, light browser."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.widget_states.SetInParent()
    state.page_name = page
    info = state.context_info
    info.timezone = "UTC"
    info.timezone_offset = 0
    info.locale = "en-US"
    info.url = f"{base_url}/{page}"
    info.is_embedded = False
    info.color_scheme = "light"
    return msg


def is_plotly_chart(msg) -> bool:
    """Whether a ForwardMsg puts a Plotly chart in the page."""
    return (msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element"
            and msg.delta.new_element.WhichOneof("type") == "plotly_chart")


def is_script_end(msg) -> bool:
    """Whether a ForwardMsg ends the session's run (a run stopped for a rerun is not the end)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return (msg.WhichOneof("type") == "script_finished"
            and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY)


def failure_in(msg) -> str | None:
    """What a ForwardMsg says went wrong for the session (an error or exception shown in the
    page, a page the server does not have, a reference to a cached message), or None."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    kind = msg.WhichOneof("type")
    if kind == "ref_hash":
        return f"the server referred to cached message {msg.ref_hash}, though the client listed none"
    if kind == "page_not_found":
        return "page not found" + (f": {msg.page_not_found.page_name!r}" if msg.page_not_found.page_name else "")
    if kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
        return "the script did not compile"
    if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    if element.WhichOneof("type") == "exception":
        shown = element.exception
        return "the page showed an exception: " + ": ".join(t for t in (shown.type, shown.message) if t)
    if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
        return f"the page showed an error: {element.alert.body}"
    return None


async def first_load(base_url: str, page: str = PAGE,
                     timeout_s: float = SESSION_TIMEOUT_S) -> SessionResult:
    """One browser's first load of `page`, timed from opening the stream."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException
    from websockets.typing import Subprotocol

    began = time.perf_counter()
    chart_s = None
    try:
        async with asyncio.timeout(timeout_s):
            async with connect(stream_url(base_url), subprotocols=[Subprotocol("streamlit")],
                               max_size=None) as ws:
                await ws.send(first_load_request(base_url, page).SerializeToString())
                async for payload in ws:
                    elapsed = time.perf_counter() - began
                    msg = ForwardMsg.FromString(payload)
                    failure = failure_in(msg)
                    if failure:
                        return SessionResult(chart_s, None, failure)
                    if chart_s is None and is_plotly_chart(msg):
                        chart_s = elapsed
                    if is_script_end(msg):
                        missing = None if chart_s is not None else "the script finished without a Plotly chart"
                        return SessionResult(chart_s, elapsed, missing)
        return SessionResult(chart_s, None, "the server closed the stream before the script finished")
    except TimeoutError:
        return SessionResult(chart_s, None, f"no end of the script in {timeout_s:g} s")
    except (OSError, WebSocketException) as exc:
        return SessionResult(chart_s, None, f"{type(exc).__name__}: {exc}")


def run_sessions(urls: list[str], sessions: int, page: str = PAGE,
                 timeout_s: float = SESSION_TIMEOUT_S) -> list[SessionResult]:
    """`sessions` first loads opened at once, session k to `urls[k % len(urls)]`. Their event
    loop runs in a thread of its own, so a caller whose thread already runs one (Playwright's
    sync API in a test session) can call this too."""
    async def all_sessions() -> list[SessionResult]:
        return await asyncio.gather(*(first_load(urls[k % len(urls)], page, timeout_s)
                                      for k in range(sessions)))

    with ThreadPoolExecutor(max_workers=1) as loop_thread:
        return loop_thread.submit(asyncio.run, all_sessions()).result()


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank q-quantile (0 < q ≤ 1): the smallest value with at least q of the
    values at or below it."""
    if not values or not 0 < q <= 1:
        raise ValueError(f"percentile of {len(values)} values at q={q}")
    return sorted(values)[math.ceil(q * len(values)) - 1]


def summary(results: list[SessionResult]) -> dict:
    """p50 and p95 of the first chart and of the script's end over the sessions that got both,
    and the errors (one line each)."""
    ok = [r for r in results if r.error is None]
    errors = [f"session {k}: {r.error}" for k, r in enumerate(results) if r.error is not None]

    def quantile(field: str, q: float) -> float:
        return percentile([getattr(r, field) for r in ok], q) if ok else float("nan")

    return {"sessions": len(results), "ok": len(ok), "errors": errors,
            "chart_p50_s": quantile("first_chart_s", 0.5), "chart_p95_s": quantile("first_chart_s", 0.95),
            "end_p50_s": quantile("script_end_s", 0.5), "end_p95_s": quantile("script_end_s", 0.95)}
