"""The upload gate: which requests server.py refuses before Streamlit sees them."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from analytics import upload_gate
from analytics.upload_gate import allow_uploads, may_upload, refusal


@pytest.fixture(autouse=True)
def _empty_registry(monkeypatch):
    monkeypatch.setattr(upload_gate, "_allowed", upload_gate.OrderedDict())


@pytest.mark.parametrize(("path", "refused"), [
    ("/_stcore/metrics", True), ("/_stcore/metrics/", True), ("/app/_stcore/metrics", True),
    ("/_stcore/upload_file/s1/f1", True), ("/_stcore/health", False), ("/overview", False),
    ("/_stcore/stream", False), ("/media/abc.png", False),
])
def test_what_is_refused_for_a_session_that_is_not_signed_in(path, refused):
    assert (refusal(path) is not None) is refused


def test_a_signed_in_uploader_may_upload_until_signed_out():
    allow_uploads("s1", True)
    assert may_upload("s1") and refusal("/_stcore/upload_file/s1/f1") is None
    assert refusal("/_stcore/upload_file/s2/f1") is not None          # another session
    allow_uploads("s1", False)
    assert not may_upload("s1")


def test_the_registry_is_bounded(monkeypatch):
    monkeypatch.setattr(upload_gate, "MAX_SESSIONS", 3)
    for k in range(5):
        allow_uploads(f"s{k}", True)
    assert [may_upload(f"s{k}") for k in range(5)] == [False, False, True, True, True]


def _run_alone(coroutine):
    """Run a coroutine on its own loop in its own thread (a browser test's loop may be running)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def test_the_middleware_answers_403_and_passes_the_rest():
    from server import Gate

    passed, sent = [], []

    async def inner(scope, receive, send):
        passed.append(scope["path"])

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    gate = Gate(inner)
    for path in ("/_stcore/upload_file/x/y", "/overview"):
        _run_alone(gate({"type": "http", "path": path, "headers": []}, receive, send))
    assert passed == ["/overview"]
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 403
