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
from analytics.i18n import N_
from analytics.settings import Settings
from pages._auth import current_user, page_guard, role_name
from pages._i18n import _, current_language
from pages._shared import get_store, md_escape
from pages._tables import show_table

ALL_PLANS = N_("All plans")
MESSAGE_KEY = "accounts_message"
TABLE_FIRST = ("name", "all_plans")
# The table's own columns as headers (the plan codes are their own headers).
TABLE_LABELS = {"name": N_("Name"), "password": N_("Password"), "last_sign_in": N_("Last sign in"),
                "all_plans": ALL_PLANS}
YES_NO = {"yes": N_("yes"), "no": N_("no")}


def act(rights: auth.Management, plan_id: int | None, done: str, change, target=None) -> None:
    """Check the right, make the change, and rerun with `done` shown; or show the error."""
    try:
        rights.check(plan_id, target)
        change()
    except WorkplanError as exc:
        st.error(md_escape(refusal(exc)))
        return
    st.session_state[MESSAGE_KEY] = done
    st.rerun()


def refusal(exc: WorkplanError) -> str:
    """Why a change was refused, in the view's language: an account rule (analytics.auth) is
    translated, any other error is shown as it came."""
    return exc.in_language(current_language()) if isinstance(exc, auth.AuthError) else str(exc)


def scopes(rights: auth.Management) -> dict[str, int | None]:
    """{choice label: plan id}: all plans (for an all-plans admin), then each plan it manages."""
    everything = {_(ALL_PLANS): None} if rights.accounts else {}
    return everything | {f"{p.code} ({p.title})": p.id for p in rights.plans}


def role_picker(key: str) -> str:
    """The role chosen (its code), offered by name in the view's language; the names are the
    options, as with `scopes`, so a widget's value is the text it shows."""
    codes = {role_name(role): role for role in auth.ROLES}
    return codes[st.selectbox(_("Role"), list(codes), key=key)]


def add_form(store, rights, settings: Settings, on: dict) -> None:
    with st.form("accounts_add", clear_on_submit=True):
        st.subheader(_("Add an account"))
        name = st.text_input(_("User name (the email address for oidc sign-in)"), key="add_name")
        password = (st.text_input(_("Password (at least 12 characters)"), type="password",
                                  key="add_password") if settings.auth != "oidc" else "")
        scope = st.selectbox(_("Role on"), list(on), key="add_scope")
        role = role_picker("add_role")
        if not st.form_submit_button(_("Add account")):
            return
    given = password if settings.auth == "password" else (password or None)
    done = _("Added {name} as {role} on {scope}.").format(
        name=name.strip().lower(), role=role_name(role), scope=scope)
    act(rights, None, done,
        lambda: auth.add_user(store, name, role, given, by=rights.actor, plan_id=on[scope]))


def remove_form(store, rights, names: list[str]) -> None:
    st.subheader(_("Remove an account"))
    name = st.selectbox(_("Account to remove"), names, key="remove_name")
    confirm = st.checkbox(_("Yes, remove {name} and all its roles").format(name=md_escape(name)),
                          key="remove_confirm")
    if st.button(_("Remove account"), disabled=not confirm, key="remove_button"):
        act(rights, None, _("Removed {name} and its roles.").format(name=name),
            lambda: auth.remove_user(store, name, by=rights.actor), target=name)


def password_form(store, rights, names: list[str]) -> None:
    with st.form("accounts_password", clear_on_submit=True):
        st.subheader(_("Reset a password"))
        name = st.selectbox(_("Account"), names, key="password_name")
        password = st.text_input(_("New password (at least 12 characters)"), type="password",
                                 key="password_new")
        if not st.form_submit_button(_("Reset password")):
            return
    act(rights, None, _("Password of {name} replaced.").format(name=name),
        lambda: auth.set_password(store, name, password, by=rights.actor))


def grant_form(store, rights, names: list[str], on: dict) -> None:
    with st.form("accounts_grant"):
        st.subheader(_("Grant a role"))
        name = st.selectbox(_("Account"), names, key="grant_name")
        scope = st.selectbox(_("Role on"), list(on), key="grant_scope")
        role = role_picker("grant_role")
        if not st.form_submit_button(_("Grant role")):
            return
    done = _("{name} is now {role} on {scope}.").format(name=name, role=role_name(role),
                                                        scope=scope)
    act(rights, on[scope], done,
        lambda: auth.grant(store, name, role, plan_id=on[scope], by=rights.actor), target=name)


def revoke_form(store, rights, names: list[str], on: dict) -> None:
    with st.form("accounts_revoke"):
        st.subheader(_("Revoke a role"))
        name = st.selectbox(_("Account"), names, key="revoke_name")
        scope = st.selectbox(_("Role on"), list(on), key="revoke_scope")
        if not st.form_submit_button(_("Revoke role")):
            return
    act(rights, on[scope], _("Revoked the role of {name} on {scope}.").format(name=name, scope=scope),
        lambda: auth.revoke(store, name, plan_id=on[scope], by=rights.actor), target=name)


def shown_rows(rows: list[dict]) -> pd.DataFrame:
    """The account rows with roles and yes/no in the view's language (the codes stay in the
    rows the forms read)."""
    frame = pd.DataFrame(rows)
    role_columns = [c for c in frame.columns if c not in ("name", "password", "last_sign_in")]
    for column in role_columns:
        frame[column] = [role_name(value) if value else value for value in frame[column]]
    frame["password"] = [_(YES_NO[value]) if value in YES_NO else value
                         for value in frame["password"]]
    return frame


def main() -> None:
    page_guard()
    st.title(_("Accounts"))
    store, user, settings = get_store(), current_user(), Settings.from_env()
    rights = auth.management(store, user.name, local=settings.auth == "none") if user else None
    if rights is None or not rights.anything:
        st.error(_("Only an admin of a plan or of all plans may manage accounts."))
        st.stop()
    if MESSAGE_KEY in st.session_state:
        st.success(md_escape(st.session_state.pop(MESSAGE_KEY)))
    rows = auth.account_rows(store, rights)
    if rows:
        labels = {column: _(label) for column, label in TABLE_LABELS.items()}
        show_table(shown_rows(rows), key="accounts_table", first=TABLE_FIRST,
                   labels=labels | {plan.code: plan.code for plan in rights.plans})
    else:
        st.text(_("No accounts yet."))
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
