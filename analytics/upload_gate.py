"""Which browser sessions may send files to the server: signed in, with a role that uploads.

Why: Streamlit stores a file sent to `/_stcore/upload_file/<session>/<file>` for any
live session, signed in or not, and `/_stcore/metrics` answers anyone; before sign-in
nothing may cost the server more than a page. The sign-in code (pages/_auth.py) says
which sessions may upload; the ASGI middleware of server.py asks before Streamlit sees
an upload, and refuses the metrics route outright. A plain, thread-safe registry of
session ids (no Streamlit import), bounded so abandoned sessions cannot grow it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_SESSIONS = 10_000
_allowed: OrderedDict[str, None] = OrderedDict()
_lock = threading.Lock()


def allow_uploads(session_id: str, allowed: bool) -> None:
    """Record whether the session may upload (called on every run of the entry script)."""
    with _lock:
        if not allowed:
            _allowed.pop(session_id, None)
            return
        _allowed[session_id] = None
        _allowed.move_to_end(session_id)
        while len(_allowed) > MAX_SESSIONS:
            _allowed.popitem(last=False)


def may_upload(session_id: str) -> bool:
    with _lock:
        return session_id in _allowed


def refusal(path: str) -> str | None:
    """Why a request for `path` is refused before Streamlit sees it (None: let it through)."""
    if path.rstrip("/").endswith("/_stcore/metrics") or "/_stcore/metrics/" in path:
        return "metrics are not served"
    marker = "/_stcore/upload_file/"
    if marker in path:
        session_id = path.split(marker, 1)[1].split("/", 1)[0]
        if not may_upload(session_id):
            return "uploads need a signed-in editor or admin"
    return None
