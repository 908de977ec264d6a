"""The oidc round trip keeps the language in the browser tab (pages._i18n.language_memory).

Why: after `st.login` the identity provider's answer comes back to the app's root without
`?lang=` and in a new session, so the language chosen on the sign-in page would be lost. The
scripts `language_memory` writes run here in Chromium, on pages served as the app would serve
them: the sign-in page at ?lang=fr writes the choice to the tab, the page back at the root reads
it and reopens at ?lang=fr. (AppTest, tests/app/test_french_sign_in.py, checks which script
each run of the app writes; JavaScript runs only in a browser.)
"""

from __future__ import annotations

import types
from urllib.parse import parse_qs, urlparse

import pytest

from pages import _i18n

pytestmark = pytest.mark.browser
ROOT = "http://pulse.test/"


def script(monkeypatch, query: dict, session: dict) -> str:
    """What `language_memory` writes for a run with that URL query and session state."""
    monkeypatch.setattr(_i18n, "st", types.SimpleNamespace(query_params=query,
                                                           session_state=session))
    monkeypatch.setenv("WORKPLAN_LANGUAGE", "en")
    return _i18n.language_memory()


@pytest.fixture
def app_pages(browser, monkeypatch):
    """A tab on pages whose only content is the app's script for that URL: ?lang= as given;
    /english, the picker set to English; the root, a new session with no choice."""
    scripts = {"fr": script(monkeypatch, {"lang": "fr"}, {}),
               "english": script(monkeypatch, {}, {"lang": "en", _i18n.CHOSEN_KEY: True}),
               "root": script(monkeypatch, {}, {})}

    def serve(route):
        url = urlparse(route.request.url)
        chosen = parse_qs(url.query).get("lang", [None])[0]
        body = scripts[chosen or url.path.strip("/") or "root"]
        route.fulfill(status=200, content_type="text/html", body=f"<html><body>{body}</body></html>")

    context = browser.new_context()
    context.route(f"{ROOT}**", serve)
    yield context
    context.close()


def settled_url(tab, url: str) -> str:
    tab.goto(url)
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(200)        # a reload the script asked for has started by now
    tab.wait_for_load_state("load")
    return tab.url


def test_back_at_the_root_the_tab_reopens_in_the_language_chosen(app_pages):
    tab = app_pages.new_page()
    assert settled_url(tab, f"{ROOT}?lang=fr") == f"{ROOT}?lang=fr"    # the sign-in page
    assert settled_url(tab, ROOT) == f"{ROOT}?lang=fr"                 # back from the provider


def test_a_new_tab_without_a_choice_stays_at_the_root(app_pages):
    app_pages.new_page().goto(f"{ROOT}?lang=fr")         # another tab's choice is its own
    assert settled_url(app_pages.new_page(), ROOT) == ROOT


def test_choosing_english_again_is_kept_too(app_pages):
    tab = app_pages.new_page()
    settled_url(tab, f"{ROOT}?lang=fr")
    settled_url(tab, f"{ROOT}english")                    # the picker back to English
    assert settled_url(tab, ROOT) == ROOT
