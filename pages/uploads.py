"""Upload history: every upload with who, when, file, sha256, counts and outcome; rejects; revert.

Why: every change to the plan must be traceable and undoable. Every signed-in
user sees the audit list and the rows an upload rejected; admins can revert an
upload (its rows leave the current view, history keeps them, the revert is
audited). Registered in `dashboard.py`; data comes from `analytics.ingest.history`.
"""

from __future__ import annotations

import streamlit as st

from analytics.errors import WorkplanError
from analytics.ingest.history import can_be_reverted, rejected_rows, uploads_frame
from analytics.ingest.issues import readable_errors
from analytics.ingest.messages import message_in
from analytics.settings import Settings
from analytics.writes import revert_upload
from pages._downloads import table_downloads
from pages._i18n import _, current_language
from pages._shared import chosen_plan, current_context, get_store
from pages._tables import show_table

# When, what and with what outcome first; the file's fingerprint last.
UPLOAD_FIRST = ["id", "at", "kind", "file", "outcome", "accepted", "rejected", "by", "message",
                "reverted", "reverted_by"]


def current_user(store):
    user = st.session_state.get("user")
    if user is None:
        from pages._auth import signed_in_user
        user = signed_in_user(store, Settings.from_env())
    return user


def revert_controls(store, uploads, upload_id: int, user) -> None:
    if not user.can_revert or not can_be_reverted(uploads, upload_id):
        return
    confirm = st.checkbox(
        _("Yes, revert upload {id}: its rows leave the current view").format(id=upload_id),
        key="revert_confirm")
    if st.button(_("Revert upload {id}").format(id=upload_id), disabled=not confirm,
                 key="revert_button"):
        try:
            revert_id = revert_upload(store, upload_id, by=user.name, plan_id=user.plan_id)
        except WorkplanError as exc:
            st.text(str(exc))
            return
        done = _("Reverted upload {id} (recorded as upload {revert_id}).")
        st.session_state["uploads_message"] = done.format(id=upload_id, revert_id=revert_id)
        st.rerun()


def main() -> None:
    st.title(_("Upload history"))
    store = get_store()
    user = current_user(store)
    if user is None:
        st.stop()
    if "uploads_message" in st.session_state:
        st.text(st.session_state.pop("uploads_message"))
    plan = chosen_plan(store)
    uploads = uploads_frame(store, plan.id) if plan else None
    if uploads is None or not len(uploads):
        st.text(_("No uploads yet."))
        return
    ctx = current_context(store)
    said = uploads["message"].map(lambda message: message_in(message, ctx.lang))
    show_table(uploads.assign(message=said), key="uploads_table", first=UPLOAD_FIRST)
    table_downloads(uploads, "uploads", ctx, key="uploads_table_dl")
    upload_id = st.selectbox(_("Upload"), uploads["id"].tolist(), key="uploads_pick")
    rejects = rejected_rows(store, ctx.plan.id, upload_id)
    if len(rejects):
        st.caption(_("Rows rejected by upload {id}").format(id=upload_id))
        show_table(readable_errors(rejects, lang=current_language()),   # as the upload page
                   key="uploads_rejects")                               # lists them
        table_downloads(rejects, f"upload-{upload_id}-rejected-rows", ctx, key="uploads_rejects_dl")
    revert_controls(store, uploads, upload_id, user)


main()
