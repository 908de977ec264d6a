"""Accounts: who may sign in, and their role on each plan, changed from the app.

Why: the CLI cannot open the database while the app runs, so without this page a role
change needed a restart. An admin of all plans adds and removes accounts, resets
passwords and grants or revokes roles on any plan or on all plans; an admin of a plan
grants and revokes roles on the plans they administer, and sees only those plans.
What the signed-in user may change is decided by `analytics.auth.management` and
checked again before every change; every change goes through `analytics.auth`, is
audited with the signed-in admin's name and answers with one message, never a
traceback. Registered in `dashboard.py` (Administration, "Accounts", /accounts).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import auth
from analytics.errors import WorkplanError
from analytics.settings import Settings
from pages._auth import current_user, page_guard
from pages._i18n import _
from pages._shared import get_store, md_escape
from pages._tables import show_table

ALL_PLANS = "All plans"
MESSAGE_KEY = "accounts_message"
TABLE_FIRST = ("name", "all_plans")


def act(rights: auth.Management, plan_id: int | None, done: str, change, target=None) -> None:
    """Check the right, make the change, and rerun with `done` shown; or show the error."""
    try:
        rights.check(plan_id, target)
        change()
    except WorkplanError as exc:
        st.error(md_escape(str(exc)))
        return
    st.session_state[MESSAGE_KEY] = done
    st.rerun()


def scopes(rights: auth.Management) -> dict[str, int | None]:
    """{choice label: plan id}: all plans (for an all-plans admin), then each plan it manages."""
    everything = {ALL_PLANS: None} if rights.accounts else {}
    return everything | {f"{p.code} ({p.title})": p.id for p in rights.plans}


def add_form(store, rights, settings: Settings, on: dict) -> None:
    with st.form("accounts_add", clear_on_submit=True):
        st.subheader("Add an account")
        name = st.text_input("User name (the email address for oidc sign-in)", key="add_name")
        password = (st.text_input("Password (at least 12 characters)", type="password",
                                  key="add_password") if settings.auth != "oidc" else "")
        scope = st.selectbox("Role on", list(on), key="add_scope")
        role = st.selectbox("Role", auth.ROLES, key="add_role")
        if not st.form_submit_button("Add account"):
            return
    given = password if settings.auth == "password" else (password or None)
    act(rights, None, f"Added {name.strip().lower()} as {role} on {scope}.",
        lambda: auth.add_user(store, name, role, given, by=rights.actor, plan_id=on[scope]))


def remove_form(store, rights, names: list[str]) -> None:
    st.subheader("Remove an account")
    name = st.selectbox("Account to remove", names, key="remove_name")
    confirm = st.checkbox(f"Yes, remove {md_escape(name)} and all its roles", key="remove_confirm")
    if st.button("Remove account", disabled=not confirm, key="remove_button"):
        act(rights, None, f"Removed {name} and its roles.",
            lambda: auth.remove_user(store, name, by=rights.actor), target=name)


def password_form(store, rights, names: list[str]) -> None:
    with st.form("accounts_password", clear_on_submit=True):
        st.subheader("Reset a password")
        name = st.selectbox("Account", names, key="password_name")
        password = st.text_input("New password (at least 12 characters)", type="password",
                                 key="password_new")
        if not st.form_submit_button("Reset password"):
            return
    act(rights, None, f"Password of {name} replaced.",
        lambda: auth.set_password(store, name, password, by=rights.actor))


def grant_form(store, rights, names: list[str], on: dict) -> None:
    with st.form("accounts_grant"):
        st.subheader("Grant a role")
        name = st.selectbox("Account", names, key="grant_name")
        scope = st.selectbox("Role on", list(on), key="grant_scope")
        role = st.selectbox("Role", auth.ROLES, key="grant_role")
        if not st.form_submit_button("Grant role"):
            return
    act(rights, on[scope], f"{name} is now {role} on {scope}.",
        lambda: auth.grant(store, name, role, plan_id=on[scope], by=rights.actor), target=name)


def revoke_form(store, rights, names: list[str], on: dict) -> None:
    with st.form("accounts_revoke"):
        st.subheader("Revoke a role")
        name = st.selectbox("Account", names, key="revoke_name")
        scope = st.selectbox("Role on", list(on), key="revoke_scope")
        if not st.form_submit_button("Revoke role"):
            return
    act(rights, on[scope], f"Revoked the role of {name} on {scope}.",
        lambda: auth.revoke(store, name, plan_id=on[scope], by=rights.actor), target=name)


def main() -> None:
    page_guard()
    st.title(_("Accounts"))
    store, user, settings = get_store(), current_user(), Settings.from_env()
    rights = auth.management(store, user.name, local=settings.auth == "none") if user else None
    if rights is None or not rights.anything:
        st.error("Only an admin of a plan or of all plans may manage accounts.")
        st.stop()
    if MESSAGE_KEY in st.session_state:
        st.success(md_escape(st.session_state.pop(MESSAGE_KEY)))
    rows = auth.account_rows(store, rights)
    if rows:
        show_table(pd.DataFrame(rows), key="accounts_table", first=TABLE_FIRST,
                   labels={plan.code: plan.code for plan in rights.plans})
    else:
        st.text("No accounts yet.")
    names, on = [row["name"] for row in rows], scopes(rights)
    if names:
        grant_form(store, rights, names, on)
        revoke_form(store, rights, names, on)
    if rights.accounts:
        add_form(store, rights, settings, on)
        if names:
            remove_form(store, rights, names)
            if settings.auth != "oidc":
                password_form(store, rights, names)


main()
