"""The language of this session's pages, and `_()` to write a page's words in it.

Why: officials read the dashboard in English or French. The language comes from the URL
(`?lang=fr`, so a shared link keeps it), else the choice kept in the session (the sidebar's,
or the sign-in page's), else `WORKPLAN_LANGUAGE`. The view context carries it to analytics/,
so charts, reasons, exports and the pack come out in the same language (analytics.i18n).
"""

from __future__ import annotations

import streamlit as st

from analytics.i18n import LANGUAGES, context_translator, normalise_language, translator
from analytics.settings import Settings

LANG_KEY = "lang"          # widget key = URL query parameter
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def current_language() -> str:
    """'en' or 'fr' for this session (an unknown code in the URL falls back to English)."""
    chosen = st.session_state.get(LANG_KEY)
    if chosen in LANGUAGES:
        return chosen
    asked = st.query_params.get(LANG_KEY)
    return normalise_language(asked or Settings.from_env().language)


def _(text: str) -> str:
    """`text` (a plain literal, so Babel extracts it) in the session's language."""
    return translator(current_language())(text)


def _p(context: str, text: str) -> str:
    """`text` in the session's language as written for `context` (msgctxt in pages.po), e.g.
    _p("card", "Schedule efficiency"): the short French a KPI card's width allows."""
    return context_translator(current_language())(context, text)


def language_picker(where=st.sidebar) -> str:
    """The language choice, kept in the URL as ?lang=; returns the language.

    `where`: the sidebar on every signed-in page; the top of the sign-in page
    (pages/_auth.py), so an official switches before signing in. One widget key in both, so
    the choice made signed out is the one the sidebar shows after signing in.
    """
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = current_language()
    lang = where.selectbox(_("Language"), LANGUAGES, key=LANG_KEY,
                           format_func=LANGUAGE_NAMES.get)
    if lang == "en" and LANG_KEY in st.query_params:
        del st.query_params[LANG_KEY]
    elif lang != "en":
        st.query_params[LANG_KEY] = lang
    return lang
