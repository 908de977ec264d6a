"""AppTest of pages/accounts.py: who may use it, and every change it makes, audited.

The page file is run on its own (AppTest.from_file) with its store and signed-in user
set as the dashboard would: `pages._shared.get_store` returns the test's store and
`pages._auth.current_user` the signed-in user (only its name is read; the rights come
from analytics.auth).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.plans import add_plan
from pages import _auth
from pages._shared import md_escape

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = str(ROOT / "pages" / "accounts.py")
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def store(fresh_store, monkeypatch):
    """Plans IC and CE; boss (admin of all plans), ivy (admin of IC), vera (viewer of CE)."""
    monkeypatch.setenv("WORKPLAN_AUTH", "password")
    ic = add_plan(fresh_store, "IC", title="India Canada", by="test")
    ce = add_plan(fresh_store, "CE", title="Cyber Exchange", by="test")
    auth.add_user(fresh_store, "boss", "admin", PASSWORD, by="test")
    auth.add_user(fresh_store, "ivy", "admin", PASSWORD, by="test", plan_id=ic.id)
    auth.add_user(fresh_store, "vera", "viewer", PASSWORD, by="test", plan_id=ce.id)
    shared = types.ModuleType("pages._shared")
    shared.get_store = lambda: fresh_store
    shared.md_escape = md_escape
    monkeypatch.setitem(sys.modules, "pages._shared", shared)
    return fresh_store


def page(monkeypatch, name: str, lang: str | None = None) -> AppTest:
    """The page as `name` sees it, at ?lang=`lang` when given."""
    monkeypatch.setattr(_auth, "current_user", lambda: types.SimpleNamespace(name=name))
    at = AppTest.from_file(ACCOUNTS, default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at: AppTest) -> dict[str, dict]:
    frame = at.dataframe[0].value
    return {row["Name"]: row for row in frame.to_dict("records")}


def audit_lines(store) -> list[tuple]:
    return store.cursor().execute(
        "SELECT username, action, detail, plan_id FROM audit_log"
        " WHERE username <> 'test' ORDER BY id").fetchall()


def plan_id(store, code: str) -> int:
    return store.scalar("SELECT id FROM plans WHERE code = ?", [code])


def test_an_all_plans_admin_sees_every_account_and_plan(store, monkeypatch):
    at = page(monkeypatch, "boss")
    rows = table(at)
    assert set(rows) == {"boss", "ivy", "vera"}
    assert rows["boss"]["All plans"] == "admin"
    assert (rows["ivy"]["IC"], rows["ivy"]["CE"]) == ("admin", "")
    assert rows["vera"]["CE"] == "viewer"
    assert at.selectbox(key="grant_scope").options == [
        "All plans", "CE (Cyber Exchange)", "IC (India Canada)"]
    assert at.form_submit_button  # add, grant, revoke, reset password
    assert at.button(key="remove_button").disabled


def test_add_an_account_with_a_role_on_one_plan(store, monkeypatch):
    at = page(monkeypatch, "boss")
    at.text_input(key="add_name").input("Priya")
    at.text_input(key="add_password").input(PASSWORD)
    at.selectbox(key="add_scope").select("IC (India Canada)")
    at.selectbox(key="add_role").select("editor")
    at.button(key="FormSubmitter:accounts_add-Add account").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == md_escape("Added priya as editor on IC (India Canada).")
    assert table(at)["priya"]["IC"] == "editor"
    assert auth.plan_roles(store, "priya") == {plan_id(store, "IC"): "editor"}
    assert auth.authenticate(store, "priya", PASSWORD).ok
    assert ("boss", "user_add", "priya as editor on IC", plan_id(store, "IC")) in audit_lines(store)


def test_grant_and_revoke_on_a_plan(store, monkeypatch):
    at = page(monkeypatch, "boss")
    at.selectbox(key="grant_name").select("vera")
    at.selectbox(key="grant_scope").select("IC (India Canada)")
    at.selectbox(key="grant_role").select("editor")
    at.button(key="FormSubmitter:accounts_grant-Grant role").click().run()
    assert at.success[0].value == md_escape("vera is now editor on IC (India Canada).")
    assert table(at)["vera"]["IC"] == "editor"
    at.selectbox(key="revoke_name").select("vera")
    at.selectbox(key="revoke_scope").select("CE (Cyber Exchange)")
    at.button(key="FormSubmitter:accounts_revoke-Revoke role").click().run()
    assert not at.error
    assert auth.plan_roles(store, "vera") == {plan_id(store, "IC"): "editor"}
    ic, ce = plan_id(store, "IC"), plan_id(store, "CE")
    assert audit_lines(store) == [("boss", "user_grant", "vera as editor on IC", ic),
                                  ("boss", "user_revoke", "vera as viewer on CE", ce)]


def test_remove_needs_the_confirmation(store, monkeypatch):
    at = page(monkeypatch, "boss")
    at.selectbox(key="remove_name").select("vera").run()
    assert at.button(key="remove_button").disabled
    at.checkbox(key="remove_confirm").check().run()
    at.button(key="remove_button").click().run()
    assert at.success[0].value == md_escape("Removed vera and its roles.")
    assert auth.find_user(store, "vera") is None
    assert store.scalar("SELECT count(*) FROM plan_roles WHERE name = 'vera'") == 0
    assert audit_lines(store) == [("boss", "user_remove", "vera", None)]


def test_reset_a_password(store, monkeypatch):
    at = page(monkeypatch, "boss")
    at.selectbox(key="password_name").select("ivy")
    at.text_input(key="password_new").input("another long secret")
    at.button(key="FormSubmitter:accounts_password-Reset password").click().run()
    assert at.success[0].value == md_escape("Password of ivy replaced.")
    assert auth.authenticate(store, "ivy", "another long secret").ok


@pytest.mark.parametrize(("fill", "submit", "message"), [
    ({"add_name": "boss", "add_password": PASSWORD}, "accounts_add-Add account", "already a user"),
    ({"add_name": "new", "add_password": "short"}, "accounts_add-Add account", "at least 12"),
    ({"add_name": "bad name", "add_password": PASSWORD}, "accounts_add-Add account",
     "not a valid user name"),
    ({"password_new": "short"}, "accounts_password-Reset password", "at least 12"),
])
def test_a_refused_change_is_one_error_message(store, monkeypatch, fill, submit, message):
    at = page(monkeypatch, "boss")
    for key, value in fill.items():
        at.text_input(key=key).input(value)
    at.button(key=f"FormSubmitter:{submit}").click().run()
    assert not at.exception and not at.success
    assert len(at.error) == 1 and md_escape(message) in at.error[0].value


@pytest.mark.parametrize(("fill", "submit", "message"), [
    ({"password_new": "short"}, "accounts_password-Réinitialiser le mot de passe",
     "Le mot de passe doit compter au moins 12 caractères."),
    ({"add_name": "new", "add_password": "short"}, "accounts_add-Ajouter le compte",
     "Le mot de passe doit compter au moins 12 caractères."),
    ({"add_name": "new", "add_password": " padded password "}, "accounts_add-Ajouter le compte",
     "Le mot de passe ne doit ni commencer ni se terminer par une espace."),
    ({"add_name": "boss", "add_password": PASSWORD}, "accounts_add-Ajouter le compte",
     "Il existe déjà un utilisateur «\u00a0boss\u00a0»\u00a0; attribuez-lui plutôt un rôle."),
])
def test_a_french_page_refuses_in_french(store, monkeypatch, fill, submit, message):
    at = page(monkeypatch, "boss", lang="fr")
    for key, value in fill.items():
        at.text_input(key=key).input(value)
    at.button(key=f"FormSubmitter:{submit}").click().run()
    assert not at.exception and not at.success
    assert [e.value for e in at.error] == [md_escape(message)]
    assert auth.authenticate(store, "boss", PASSWORD).ok and auth.find_user(store, "new") is None


def test_a_french_revoke_names_the_all_plans_role_in_french(store, monkeypatch):
    auth.grant(store, "vera", "viewer", plan_id=None, by="test")
    at = page(monkeypatch, "boss", lang="fr")
    at.selectbox(key="revoke_name").select("vera")
    at.selectbox(key="revoke_scope").select("IC (India Canada)")
    at.button(key="FormSubmitter:accounts_revoke-Retirer le rôle").click().run()
    assert [e.value for e in at.error] == [md_escape(
        "vera ne détient aucun rôle pour IC à retirer\u00a0; son rôle sur tous les plans "
        "(lecteur) s'y applique.")]


def test_an_admin_cannot_change_their_own_roles(store, monkeypatch):
    at = page(monkeypatch, "boss")
    at.selectbox(key="revoke_name").select("boss")
    at.button(key="FormSubmitter:accounts_revoke-Revoke role").click().run()
    assert "cannot change your own roles" in at.error[0].value
    assert auth.find_user(store, "boss").role == "admin"


def test_a_plan_admin_manages_only_their_plan(store, monkeypatch):
    at = page(monkeypatch, "ivy")
    rows = table(at)
    assert "CE" not in rows["vera"] and rows["ivy"]["IC"] == "admin"
    assert at.selectbox(key="grant_scope").options == ["IC (India Canada)"]
    assert not [b for b in at.button if b.key == "remove_button"]
    assert not [t for t in at.text_input if t.key in ("add_name", "password_new")]
    at.selectbox(key="grant_name").select("vera")
    at.selectbox(key="grant_role").select("viewer")
    at.button(key="FormSubmitter:accounts_grant-Grant role").click().run()
    assert not at.error
    assert auth.role_on(store, "vera", plan_id(store, "IC")) == "viewer"
    assert audit_lines(store)[-1][:2] == ("ivy", "user_grant")


@pytest.mark.parametrize("name", ["vera", "nobody"])
def test_others_are_refused(store, monkeypatch, name):
    at = page(monkeypatch, name)
    assert at.error[0].value == "Only an admin of a plan or of all plans may manage accounts."
    assert not at.dataframe and not at.form_submit_button


def test_local_mode_may_change_everything(store, monkeypatch):
    monkeypatch.setenv("WORKPLAN_AUTH", "none")
    at = page(monkeypatch, "local:someone")
    assert at.selectbox(key="add_scope").options[0] == "All plans"
    at.text_input(key="add_name").input("ops")
    at.button(key="FormSubmitter:accounts_add-Add account").click().run()
    assert not at.error
    added = auth.find_user(store, "ops")
    assert (added.role, added.has_password) == ("viewer", False)   # no password: none given
    assert audit_lines(store)[-1][:2] == ("local:someone", "user_add")
