"""The sign-in page offers the language choice (issue 18), with AppTest on `dashboard.py`.

A French-speaking official opens the dashboard without `?lang=fr`: the sign-in page's own
Language choice translates it at once, a refused sign-in (wrong password, the back-off after
repeated failures) is told in French, and the choice is the one the sidebar shows after the
sign-in, with `?lang=fr` still in the URL.
"""

from __future__ import annotations

import pytest

from analytics import auth
from analytics.store import open_store

PASSWORD = "correct horse battery"
OIDC_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                         "cookie_secret": "x" * 32, "client_id": "pulse", "client_secret": "s",
                         "server_metadata_url": "https://login.example.gov/.well-known/openid-configuration"}}


@pytest.fixture
def signed_out(sample_db, dashboard_app, monkeypatch):
    """The dashboard in password mode on the sample plan, with a viewer account, not yet run."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    monkeypatch.setenv("WORKPLAN_AUTH", "password")
    with open_store(sample_db) as store:
        auth.add_user(store, "vera", "viewer", PASSWORD, by="test")
    return dashboard_app(sample_db)


def in_french(at):
    """The sign-in page after choosing Français on it."""
    at.run()
    at.selectbox(key="lang").set_value("fr").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at, name: str, password: str):
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at = at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def lang_param(at) -> str | None:
    value = at.query_params.get("lang")
    return value[0] if isinstance(value, list) else value


def test_the_sign_in_page_offers_the_language_choice(signed_out):
    at = signed_out.run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.main.selectbox(key="lang")      # on the page, not in a sidebar shown later
    assert (choice.label, choice.value, choice.options) == ("Language", "en",
                                                            ["English", "Français"])
    assert at.form_submit_button[0].label == "Sign in"


def test_choosing_french_translates_the_sign_in_page_at_once(signed_out):
    at = in_french(signed_out)
    assert at.title[0].value == "Work-Plan Pulse"
    assert at.selectbox(key="lang").label == "Langue"
    assert [box.label for box in at.text_input] == ["Nom d'utilisateur", "Mot de passe"]
    assert at.form_submit_button[0].label == "Se connecter"
    assert lang_param(at) == "fr"


def test_a_failed_sign_in_is_told_in_french(signed_out):
    at = sign_in(in_french(signed_out), "vera", "not the password")
    assert [e.value for e in at.error] == ["Nom d'utilisateur ou mot de passe incorrect."]
    assert at.form_submit_button[0].label == "Se connecter"


def test_the_back_off_is_told_in_french(signed_out):
    at = in_french(signed_out)
    for _ in range(3):
        at = sign_in(at, "vera", "not the password")
    assert at.error[0].value == ("Nom d'utilisateur ou mot de passe incorrect. Trop de tentatives "
                                 "de connexion infructueuses\u00a0: attendez 5\u00a0s avant de "
                                 "réessayer.")
    at = sign_in(at, "vera", PASSWORD)          # locked: even the right password waits
    assert at.error[0].value.startswith("Trop de tentatives de connexion infructueuses\u00a0:")


def test_an_empty_form_is_told_in_french(signed_out):
    at = sign_in(in_french(signed_out), "", "")
    assert [e.value for e in at.error] == ["Entrez votre nom d'utilisateur et votre mot de passe."]


def test_the_choice_is_kept_after_signing_in(signed_out):
    at = sign_in(in_french(signed_out), "vera", PASSWORD)
    assert "Session ouverte\u00a0: vera" in [t.value for t in at.sidebar.text]
    assert at.sidebar.selectbox(key="lang").value == "fr"
    assert "lang" not in {box.key for box in at.main.selectbox}       # the sidebar's only
    assert lang_param(at) == "fr"
    assert at.sidebar.button(key="sign_out").label == "Se déconnecter"


def test_english_stays_english_without_a_choice(signed_out):
    at = sign_in(signed_out.run(), "vera", "not the password")
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert lang_param(at) is None


def test_the_oidc_sign_in_page_offers_the_language_choice(sample_db, dashboard_app, monkeypatch):
    monkeypatch.setenv("WORKPLAN_AUTH", "oidc")
    at = dashboard_app(sample_db)
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": False}
    at = in_french(at)
    assert at.button(key="oidc_sign_in").label == "Se connecter"
    assert lang_param(at) == "fr"


def memory_script(tree) -> str:
    """The one language-memory script (pages._i18n.language_memory) under `tree`, which must be
    allowed to run."""
    scripts = [h for h in tree.get("html") if "sessionStorage" in h.value]
    assert len(scripts) == 1 and scripts[0].proto.unsafe_allow_javascript
    return scripts[0].value


def oidc_app(sample_db, dashboard_app, monkeypatch, user: dict):
    monkeypatch.setenv("WORKPLAN_AUTH", "oidc")
    at = dashboard_app(sample_db)
    at.secrets = OIDC_SECRETS
    at.user = user
    return at


def test_the_oidc_sign_in_page_keeps_the_choice_in_the_tab(sample_db, dashboard_app, monkeypatch):
    at = oidc_app(sample_db, dashboard_app, monkeypatch, {"is_logged_in": False})
    first = memory_script(at.run().main)        # a new session, nothing chosen: read it back
    assert "window.location.replace" in first and "setItem" not in first
    at = in_french(at)
    assert memory_script(at.main) == ('<script>try { sessionStorage.setItem("workplan_lang", '
                                      '"fr"); } catch (e) {}</script>')


def test_back_from_the_provider_the_tab_s_choice_is_read(sample_db, dashboard_app, monkeypatch):
    """The first run after the round trip (signed in, no ?lang=, a new session) reads the
    tab's language back; once the language is in the URL, it is written again."""
    with open_store(sample_db) as store:
        auth.add_user(store, "vera@example.gov", "viewer", by="test")
    signed_in = {"is_logged_in": True, "email": "vera@example.gov", "email_verified": True}
    at = oidc_app(sample_db, dashboard_app, monkeypatch, signed_in).run()
    assert not at.exception, [e.value for e in at.exception]
    script = memory_script(at.sidebar)
    assert 'const kept = sessionStorage.getItem("workplan_lang")' in script
    assert 'kept !== "en"' in script and 'url.searchParams.set("lang", kept)' in script
    reloaded = oidc_app(sample_db, dashboard_app, monkeypatch, signed_in)
    reloaded.query_params["lang"] = "fr"          # the page the script opened
    reloaded = reloaded.run()
    assert "Session ouverte\u00a0: vera@example.gov" in [t.value for t in reloaded.sidebar.text]
    assert 'sessionStorage.setItem("workplan_lang", "fr")' in memory_script(reloaded.sidebar)


def test_password_mode_needs_no_memory(signed_out):
    at = in_french(signed_out)
    assert not [h for h in at.get("html") if "sessionStorage" in h.value]
