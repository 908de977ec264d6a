"""The protocol load client's pure parts: the request it sends, how it reads ForwardMsgs, the
quantiles and the summary of the replica benchmark (benchmarks/stream_client.py).

The request must be what Chromium sends on first load (captured from its WebSocket frames),
or the figure would time another run than a browser's; the quantiles are the p50 / p95 of
RESULTS.md, so they are checked on hand-counted cases.
"""

from __future__ import annotations

import math

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.stream_client import (
    SessionResult,
    failure_in,
    first_load_request,
    is_plotly_chart,
    is_script_end,
    percentile,
    stream_url,
    summary,
)


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([5.0], 0.5, 5.0),
    ([5.0], 0.95, 5.0),
    ([1.0, 2.0], 0.5, 1.0),                    # nearest rank: ceil(0.5 * 2) = 1st
    ([1.0, 2.0], 0.95, 2.0),
    ([4.0, 1.0, 3.0, 2.0], 0.5, 2.0),          # unsorted input; 2nd of 4
    ([4.0, 1.0, 3.0, 2.0], 0.75, 3.0),
    ([1.0, 2.0, 3.0, 4.0, 5.0], 0.5, 3.0),
    ([float(k) for k in range(1, 41)], 0.5, 20.0),   # 40 sessions: the 20th
    ([float(k) for k in range(1, 41)], 0.95, 38.0),  # and the 38th
    ([float(k) for k in range(1, 21)], 0.95, 19.0),  # 20 sessions (a replica's half)
    ([3.0, 3.0, 1.0], 1.0, 3.0),
])
def test_percentile_is_the_nearest_rank(values, q, expected):
    assert percentile(values, q) == expected


@pytest.mark.parametrize(("values", "q"), [([], 0.5), ([1.0], 0.0), ([1.0], 1.5)])
def test_percentile_refuses_what_has_no_quantile(values, q):
    with pytest.raises(ValueError):
        percentile(values, q)


@pytest.mark.parametrize(("base", "expected"), [
    ("http://127.0.0.1:8501", "ws://127.0.0.1:8501/_stcore/stream"),
    ("https://pulse.example.org", "wss://pulse.example.org/_stcore/stream"),
])
def test_stream_url(base, expected):
    assert stream_url(base) == expected


def test_first_load_request_is_what_chromium_sends():
    sent = BackMsg.FromString(first_load_request("http://127.0.0.1:8501", "overview").SerializeToString())
    assert sent.WhichOneof("type") == "rerun_script"
    state = sent.rerun_script
    assert state.page_name == "overview" and state.page_script_hash == "" and state.query_string == ""
    assert state.HasField("widget_states") and not state.widget_states.widgets
    assert list(state.cached_message_hashes) == []     # so no ref_hash can come back
    info = state.context_info
    assert (info.timezone, info.timezone_offset, info.locale, info.url, info.color_scheme) == (
        "UTC", 0, "en-US", "http://127.0.0.1:8501/overview", "light")
    assert info.HasField("is_embedded") and not info.is_embedded


def _element(kind: str) -> ForwardMsg:
    msg = ForwardMsg()
    getattr(msg.delta.new_element, kind).SetInParent()
    return msg


def _finished(status) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg


def _exception() -> ForwardMsg:
    msg = _element("exception")
    msg.delta.new_element.exception.type = "RuntimeError"
    msg.delta.new_element.exception.message = "store gone"
    return msg


def _alert(format_, body: str) -> ForwardMsg:
    msg = _element("alert")
    msg.delta.new_element.alert.format = format_
    msg.delta.new_element.alert.body = body
    return msg


def _ref() -> ForwardMsg:
    msg = ForwardMsg()
    msg.ref_hash = "abc"
    return msg


def _not_found(name: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.page_not_found.SetInParent()
    msg.page_not_found.page_name = name
    return msg


@pytest.mark.parametrize(("msg", "chart", "end", "failure"), [
    (_element("plotly_chart"), True, False, None),
    (_element("vega_lite_chart"), False, False, None),
    (_element("metric"), False, False, None),
    (_finished(ForwardMsg.FINISHED_SUCCESSFULLY), False, True, None),
    (_finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), False, False, None),
    (_finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR), False, False, "the script did not compile"),
    (_exception(), False, False, "the page showed an exception: RuntimeError: store gone"),
    (_alert(Alert.ERROR, "The database is in use"), False, False,
     "the page showed an error: The database is in use"),
    (_alert(Alert.WARNING, "3 items have no owner"), False, False, None),
    (_alert(Alert.INFO, "No reports yet"), False, False, None),
    (_ref(), False, False, "the server referred to cached message abc, though the client listed none"),
    (_not_found("nowhere"), False, False, "page not found: 'nowhere'"),
    (_not_found(""), False, False, "page not found"),      # what st.navigation's server sends
])
def test_forward_messages_read(msg, chart, end, failure):
    assert is_plotly_chart(msg) is chart
    assert is_script_end(msg) is end
    assert failure_in(msg) == failure


def test_summary_takes_quantiles_over_the_sessions_without_errors():
    results = [SessionResult(0.1 * k, 0.2 * k, None) for k in range(1, 21)]
    results.insert(3, SessionResult(None, None, "no end of the script in 300 s"))
    result = summary(results)
    assert (result["sessions"], result["ok"]) == (21, 20)
    assert result["errors"] == ["session 3: no end of the script in 300 s"]
    assert result["chart_p50_s"] == pytest.approx(1.0) and result["chart_p95_s"] == pytest.approx(1.9)
    assert result["end_p50_s"] == pytest.approx(2.0) and result["end_p95_s"] == pytest.approx(3.8)


def test_summary_of_sessions_that_all_failed():
    result = summary([SessionResult(None, None, "ConnectionRefusedError: refused")])
    assert result["ok"] == 0 and len(result["errors"]) == 1
    assert all(math.isnan(result[k]) for k in ("chart_p50_s", "chart_p95_s", "end_p50_s", "end_p95_s"))
