"""Sign-in through pages/_auth.py in every mode, with AppTest.

`guarded_page` is the smallest page that follows the dashboard's rule: call
`signed_in_user` first, stop on None, then show data (a table, a chart, a
download). The same checks run against `dashboard.py` itself in
`test_dashboard_requires_sign_in_*` below.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.store import open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
OIDC_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                         "cookie_secret": "x" * 32, "client_id": "pulse", "client_secret": "s",
                         "server_metadata_url": "https://login.example.gov/.well-known/openid-configuration"}}


def guarded_page():
    import pandas as pd
    import streamlit as st

    from analytics.settings import Settings
    from analytics.store import open_store
    from pages._auth import signed_in_user

    settings = Settings.from_env()
    store = open_store(settings.db_path)
    try:
        user = signed_in_user(store, settings)
        if user is None:
            st.stop()
        st.dataframe(pd.DataFrame({"item": ["CT-01"], "percent": [40]}), key="plan_table")
        st.line_chart(pd.DataFrame({"percent": [10, 20, 40]}))
        st.download_button("Download", b"a,b\n", file_name="x.csv", key="plan_download")
        st.text(f"role={user.role} upload={user.can_upload} revert={user.can_revert}")
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def accounts(db_path, monkeypatch):
    """A database with a viewer, an editor (password) and an oidc admin; WORKPLAN_DB set."""
    with open_store(db_path) as store:
        auth.add_user(store, "vera", "viewer", PASSWORD, by="test")
        auth.add_user(store, "eddie", "editor", PASSWORD, by="test")
        auth.add_user(store, "lead@example.gov", "admin", by="test")
    monkeypatch.setenv("WORKPLAN_DB", str(db_path))
    return db_path


def app(mode: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("WORKPLAN_AUTH", mode)
    return AppTest.from_function(guarded_page, default_timeout=30)


def shows_data(at: AppTest) -> bool:
    return bool(at.dataframe or at.get("vega_lite_chart") or at.get("download_button"))


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.form_submit_button[0].click().run()


def audit_actions(db: Path) -> list[tuple[str, str]]:
    with open_store(db) as store:
        return store.cursor().execute("SELECT username, action FROM audit_log ORDER BY id").fetchall()


# -- password mode -------------------------------------------------------------

def test_password_mode_shows_only_the_form_before_sign_in(accounts, monkeypatch):
    at = app("password", monkeypatch).run()
    assert not at.exception
    assert not shows_data(at)
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert at.text_input(key="sign_in_password").proto.type == at.text_input(
        key="sign_in_password").proto.PASSWORD
    assert [b.label for b in at.form_submit_button] == ["Sign in"]


def test_wrong_password_is_refused(accounts, monkeypatch):
    at = sign_in(app("password", monkeypatch).run(), "vera", "not the password")
    assert not at.exception and not shows_data(at)
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert ("vera", "sign_in_failed") in audit_actions(accounts)


def test_right_password_shows_data_with_the_role(accounts, monkeypatch):
    at = sign_in(app("password", monkeypatch).run(), "Vera", PASSWORD)
    assert not at.exception and shows_data(at)
    assert "role=viewer upload=False revert=False" in [t.value for t in at.text]
    assert "Signed in as vera" in [t.value for t in at.sidebar.text]
    assert ("vera", "sign_in") in audit_actions(accounts)


def test_back_off_refuses_even_the_right_password(accounts, monkeypatch):
    at = app("password", monkeypatch).run()
    for _ in range(3):
        at = sign_in(at, "eddie", "not the password")
    assert "wait 5 s" in at.error[0].value
    at = sign_in(at, "eddie", PASSWORD)
    assert not shows_data(at) and "Too many failed sign-ins" in at.error[0].value
    fresh = sign_in(app("password", monkeypatch).run(), "eddie", PASSWORD)   # a new session
    assert not shows_data(fresh) and "Too many failed sign-ins" in fresh.error[0].value


def test_sign_out_returns_to_the_form(accounts, monkeypatch):
    at = sign_in(app("password", monkeypatch).run(), "eddie", PASSWORD)
    assert "role=editor upload=True revert=False" in [t.value for t in at.text]
    at = at.sidebar.button(key="sign_out").click().run()
    assert not at.exception and not shows_data(at) and at.form_submit_button
    assert ("eddie", "sign_out") in audit_actions(accounts)


def test_role_change_and_removal_apply_at_the_next_run(accounts, monkeypatch):
    at = sign_in(app("password", monkeypatch).run(), "eddie", PASSWORD)
    with open_store(accounts) as store:
        auth.set_role(store, "eddie", "admin", by="test")
    at.run()
    assert "role=admin upload=True revert=True" in [t.value for t in at.text]
    with open_store(accounts) as store:
        auth.remove_user(store, "eddie", by="test")
    at.run()
    assert not shows_data(at) and at.form_submit_button


def test_oidc_only_account_cannot_use_the_password_form(accounts, monkeypatch):
    at = sign_in(app("password", monkeypatch).run(), "lead@example.gov", "")
    assert not shows_data(at) and at.error


# -- mode none and unknown modes ---------------------------------------------------

def test_local_mode_is_admin_with_a_visible_note(accounts, monkeypatch):
    at = app("none", monkeypatch).run()
    assert not at.exception and shows_data(at)
    assert "Local mode, no sign-in." in [c.value for c in at.sidebar.caption]
    assert "role=admin upload=True revert=True" in [t.value for t in at.text]


def test_local_mode_refuses_a_public_address(accounts, monkeypatch):
    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = app("none", monkeypatch).run()
    finally:
        config.set_option("server.address", previous)
    assert not at.exception and not shows_data(at)
    assert "only serves 127.0.0.1" in at.error[0].value


def test_unknown_mode_shows_nothing(accounts, monkeypatch):
    at = app("ldap", monkeypatch).run()
    assert not at.exception and not shows_data(at)
    assert "WORKPLAN_AUTH must be one of" in at.error[0].value


# -- oidc ----------------------------------------------------------------------

def test_oidc_without_secrets_explains_and_shows_nothing(accounts, monkeypatch):
    at = app("oidc", monkeypatch).run()
    assert not at.exception and not shows_data(at)
    assert "[auth] section" in at.error[0].value


def oidc_app(monkeypatch, user: dict) -> AppTest:
    at = app("oidc", monkeypatch)
    at.secrets = OIDC_SECRETS
    at.user = user
    return at.run()


def test_oidc_before_sign_in_offers_the_button_only(accounts, monkeypatch):
    at = oidc_app(monkeypatch, {"is_logged_in": False})
    assert not at.exception and not shows_data(at)
    assert [b.label for b in at.button] == ["Sign in"]


def test_oidc_known_email_gets_its_role(accounts, monkeypatch):
    at = oidc_app(monkeypatch, {"is_logged_in": True, "email": "Lead@Example.gov",
                                "email_verified": True})
    assert not at.exception and shows_data(at)
    assert "role=admin upload=True revert=True" in [t.value for t in at.text]
    assert ("lead@example.gov", "sign_in") in audit_actions(accounts)


@pytest.mark.parametrize("user", [
    {"is_logged_in": True, "email": "stranger@example.gov"},
    {"is_logged_in": True, "email": "lead@example.gov", "email_verified": False},
    {"is_logged_in": True},
    {"is_logged_in": True, "email": "<script>alert(1)</script>"},
])
def test_oidc_unknown_or_unverified_email_gets_no_access(accounts, monkeypatch, user):
    at = oidc_app(monkeypatch, user)
    assert not at.exception and not shows_data(at)
    assert "no access" in at.error[0].value
    assert not [m for m in at.markdown if "<script>" in m.value]


# -- dashboard.py itself ---------------------------------------------------------

@pytest.fixture
def dashboard_db(sample_db, monkeypatch):
    with open_store(sample_db) as store:
        auth.add_user(store, "vera", "viewer", PASSWORD, by="test")
        auth.add_user(store, "eddie", "editor", PASSWORD, by="test")
    monkeypatch.setenv("WORKPLAN_DB", str(sample_db))
    monkeypatch.setenv("WORKPLAN_AUTH", "password")
    return sample_db


def dashboard() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()


def test_dashboard_requires_sign_in_in_password_mode(dashboard_db):
    at = dashboard()
    assert not at.exception and not shows_data(at) and not at.metric
    assert [b.label for b in at.form_submit_button] == ["Sign in"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/overview.py")


def test_dashboard_viewer_has_no_upload_page_even_by_path(dashboard_db):
    at = sign_in(dashboard(), "vera", PASSWORD)
    assert not at.exception and shows_data(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/upload.py")
    assert not at.get("file_uploader")


def test_dashboard_editor_reaches_the_upload_page(dashboard_db):
    at = sign_in(dashboard(), "eddie", PASSWORD)
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    assert at.get("file_uploader")


def test_only_a_signed_in_editor_s_session_may_send_files(accounts, monkeypatch):
    import pages._auth as pages_auth

    calls: list[bool] = []
    monkeypatch.setattr(pages_auth, "allow_uploads", lambda session, allowed: calls.append(allowed))
    at = app("password", monkeypatch).run()
    assert calls[-1] is False                            # the sign-in form: no uploads
    at = sign_in(at, "vera", PASSWORD)
    assert calls[-1] is False                            # a viewer
    at = at.sidebar.button(key="sign_out").click().run()
    at = sign_in(at, "eddie", PASSWORD)
    assert calls[-1] is True                             # an editor
    at.sidebar.button(key="sign_out").click().run()
    assert calls[-1] is False
