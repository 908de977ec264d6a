"""Streamlit's file uploader with its own words in the page's language.

Why: `st.file_uploader` writes its button ("Upload") and its limits line ("50MB per file • CSV,
XLSX") in English whatever the page's language, and takes no argument to change them, so a
French upload page would ask for a file in English (issue 18). In a language other than
English this draws the uploader with those two texts replaced by ours, through a style on the
page: the English text is hidden (also from screen readers) and ours is drawn in its place
by CSS generated content, which browsers give screen readers as the button's name. A change
of Streamlit's markup shows in tests/browser/test_french_uploader.py.
"""

from __future__ import annotations

import streamlit as st

from analytics.i18n import DEFAULT_LANGUAGE, format_number
from pages._i18n import _, _p, current_language

# Each text's box: its own text element (the first child) is hidden, ours drawn after it.
BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
LIMITS = '[data-testid="stFileUploaderDropzoneInstructions"] > div'


def file_uploader(label: str, types: list[str], key: str):
    """`st.file_uploader(label, type=types, key=key)`, its own texts in the page's language."""
    lang = current_language()
    if lang != DEFAULT_LANGUAGE:
        st.html(f"<style>{uploader_style(lang, types)}</style>")
    return st.file_uploader(label, type=types, key=key)


def uploader_style(lang: str, types: list[str]) -> str:
    """The CSS that draws the button's word and the limits line in `lang`."""
    limit = format_number(st.get_option("server.maxUploadSize"), lang)
    limits = _("{size} MB per file • {types}").format(
        size=limit, types=", ".join(t.upper() for t in types))
    return (_replaced(BUTTON, _p("button", "Upload"))
            + _replaced(LIMITS, limits, "font-size:0.875rem;opacity:0.7;"))   # as Streamlit's


def _replaced(box: str, text: str, style: str = "") -> str:
    """Hide the text element in `box` and draw `text` in its place (display: none takes the
    English out of the accessibility tree too; generated content is in it)."""
    return f"{box} > :first-child{{display:none;}}{box}::after{{content:{css_string(text)};{style}}}"


def css_string(text: str) -> str:
    """`text` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'
