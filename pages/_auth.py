"""Who is using the dashboard and what they may do.

Why: every page must know the signed-in user's name (for the audit log) and role
(viewer, editor, admin) before showing anything. `dashboard.py` calls
`signed_in_user()` before building the navigation; when it returns None the
script stops after the sign-in form.

Mode `none` (WORKPLAN_AUTH=none, the local default) signs everyone in as the
local admin and shows a "local mode, no sign-in" note.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import streamlit as st

from analytics.settings import Settings
from analytics.store import Store

ROLES = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_upload(self) -> bool:
        return self.role in ("editor", "admin")

    @property
    def can_revert(self) -> bool:
        return self.role == "admin"


def signed_in_user(store: Store, settings: Settings) -> User | None:
    """The current user, or None after rendering the sign-in form."""
    if settings.auth == "none":
        st.sidebar.caption("Local mode, no sign-in.")
        return User(name=_local_name(), role="admin")
    st.error(f"Sign-in mode {settings.auth!r} is not available in this build.")
    return None


def _local_name() -> str:
    try:
        return f"local:{getpass.getuser()}"
    except Exception:
        return "local"
