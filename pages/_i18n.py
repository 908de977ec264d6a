"""The language of this session's pages, and `_()` to write a page's words in it.

Why: officials read the dashboard in English or French. The language comes from the URL
(`?lang=fr`, so a shared link keeps it), else the choice kept in the session (the sidebar's,
or the sign-in page's), else `WORKPLAN_LANGUAGE`. The view context carries it to analytics/,
so charts, reasons, exports and the pack come out in the same language (analytics.i18n).

oidc sign-in leaves the app for the identity provider, and Streamlit (1.67) brings the browser
back to the app's root, without `?lang=` and in a new session: `language_memory` lets the
browser tab keep the choice over that round trip (sessionStorage, no cookie).
"""

from __future__ import annotations

import json
from string import Template

import streamlit as st

from analytics.i18n import LANGUAGES, context_translator, normalise_language, translator
from analytics.settings import Settings

LANG_KEY = "lang"          # widget key = URL query parameter
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
TAB_MEMORY = "workplan_lang"    # the sessionStorage key of the tab's language
CHOSEN_KEY = "lang_chosen"      # session: the language picker was used in this session
# A run whose language was chosen (the picker, ?lang=): the tab keeps it.
_REMEMBER = Template("<script>try { sessionStorage.setItem($key, $lang); } catch (e) {}</script>")
# A new session with no choice (back at the root from the identity provider): open the page
# again at ?lang= with the language the tab kept, when it is not the one shown.
_RECALL = Template("""<script>try {
  const kept = sessionStorage.getItem($key), url = new URL(window.location.href);
  if ($languages.includes(kept) && kept !== $lang && !url.searchParams.has($param)) {
    url.searchParams.set($param, kept);
    window.location.replace(url.href);
  }
} catch (e) {}</script>""")


# <html lang> of the page: a screen reader reads the page in this language (WCAG 3.1.1).
_PAGE_LANGUAGE = Template("<script>document.documentElement.lang = $lang;</script>")


def page_language() -> str:
    """The script that sets the document's language to this session's (Streamlit's page says
    lang="en" whatever it shows). Render with `st.html(..., unsafe_allow_javascript=True)`."""
    return _PAGE_LANGUAGE.substitute(lang=json.dumps(current_language()))


def current_language() -> str:
    """'en' or 'fr' for this session (an unknown code in the URL falls back to English)."""
    chosen = st.session_state.get(LANG_KEY)
    if chosen in LANGUAGES:
        return chosen
    asked = st.query_params.get(LANG_KEY)
    return normalise_language(asked or Settings.from_env().language)


def language_memory() -> str:
    """The script that keeps the language in the browser tab over an oidc sign-in.

    `st.login` sends the browser to the identity provider, whose answer Streamlit's
    /oauth2callback redirects to the app's root: the `?lang=` query and the session (with the
    sign-in page's choice) are both gone, and Python cannot write a cookie. So every run with a
    chosen language (?lang= in the URL, or the picker used) writes it to the tab's
    sessionStorage, and a session without one reads it back: the page reloads at ?lang=fr.
    Render with `st.html(..., unsafe_allow_javascript=True)`.
    """
    values = {"key": json.dumps(TAB_MEMORY), "lang": json.dumps(current_language()),
              "param": json.dumps(LANG_KEY), "languages": json.dumps(list(LANGUAGES))}
    chosen = LANG_KEY in st.query_params or st.session_state.get(CHOSEN_KEY, False)
    return (_REMEMBER if chosen else _RECALL).substitute(values)


def _(text: str) -> str:
    """`text` (a plain literal, so Babel extracts it) in the session's language."""
    return translator(current_language())(text)


def _p(context: str, text: str) -> str:
    """`text` in the session's language as written for `context` (msgctxt in pages.po), e.g.
    _p("card", "Schedule efficiency"): the short French a KPI card's width allows."""
    return context_translator(current_language())(context, text)


def _mark_chosen() -> None:
    st.session_state[CHOSEN_KEY] = True


def language_picker(where=st.sidebar) -> str:
    """The language choice, kept in the URL as ?lang=; returns the language.

    `where`: the sidebar on every signed-in page; the top of the sign-in page
    (pages/_auth.py), so an official switches before signing in. One widget key in both, so
    the choice made signed out is the one the sidebar shows after signing in.
    """
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = current_language()
    lang = where.selectbox(_("Language"), LANGUAGES, key=LANG_KEY,
                           format_func=LANGUAGE_NAMES.get, on_change=_mark_chosen)
    if lang == "en" and LANG_KEY in st.query_params:
        del st.query_params[LANG_KEY]
    elif lang != "en":
        st.query_params[LANG_KEY] = lang
    return lang
