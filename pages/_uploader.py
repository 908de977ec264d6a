"""Streamlit's file uploader with its own words in the page's language.

Why: `st.file_uploader` writes its button ("Upload") and its limits line ("50MB per file • CSV,
XLSX") in English whatever the page's language, and takes no argument to change them
(streamlit/streamlit#13500), so a French upload page would ask for a file in English (issue
18). A small script on the page puts our words in those two places: it rewrites the text of
Streamlit's own text nodes (so the button's accessible name is ours too), again whenever
Streamlit draws the uploader anew, and puts Streamlit's words back in English. A change of
Streamlit's markup shows in tests/browser/test_french_uploader.py.
"""

from __future__ import annotations

import json
from string import Template

import streamlit as st

from analytics.i18n import DEFAULT_LANGUAGE, format_number
from pages._i18n import _, _p, current_language

BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
LIMITS = '[data-testid="stFileUploaderDropzoneInstructions"] span'
# window.workplanUploader: the words to show ({button, limits}), null for Streamlit's own. One
# observer per document applies them to every uploader drawn: the first of the element's text
# nodes (React may write a line as several) gets the words, the others none; the element
# keeps Streamlit's words in a data attribute to put back. Text nodes are rewritten in place,
# never replaced, so React's own nodes stay where it left them.
_SCRIPT = Template("""<script>(() => {
  window.workplanUploader = $words;
  const apply = () => {
    for (const [selector, key] of [[$button, "button"], [$limits, "limits"]]) {
      for (const element of document.querySelectorAll(selector)) {
        const texts = [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE);
        if (!texts.length || texts.length !== element.childNodes.length) continue;
        if (element.dataset.streamlitWords === undefined)
          element.dataset.streamlitWords = element.textContent;
        const words = window.workplanUploader;
        const wanted = words ? words[key] : element.dataset.streamlitWords;
        texts.forEach((node, i) => {
          const value = i === 0 ? wanted : "";
          if (node.nodeValue !== value) node.nodeValue = value;
        });
      }
    }
  };
  if (!window.workplanUploaderObserver) {
    window.workplanUploaderObserver = new MutationObserver(apply);
    window.workplanUploaderObserver.observe(document.body,
                                            {subtree: true, childList: true, characterData: true});
  }
  apply();
})();</script>""")


def file_uploader(label: str, types: list[str], key: str):
    """`st.file_uploader(label, type=types, key=key)`, its own texts in the page's language."""
    st.html(uploader_script(current_language(), types), unsafe_allow_javascript=True)
    return st.file_uploader(label, type=types, key=key)


def uploader_script(lang: str, types: list[str]) -> str:
    """The script that shows the uploader's button and limits line in `lang`."""
    return _SCRIPT.substitute(words=json.dumps(uploader_words(lang, types)),
                              button=json.dumps(BUTTON), limits=json.dumps(LIMITS))


def uploader_words(lang: str, types: list[str]) -> dict[str, str] | None:
    """{button, limits} in `lang`; None in English, where Streamlit's own words stay."""
    if lang == DEFAULT_LANGUAGE:
        return None
    limit = format_number(st.get_option("server.maxUploadSize"), lang)
    return {"button": _p("button", "Upload"),
            "limits": _("{size} MB per file • {types}").format(
                size=limit, types=", ".join(t.upper() for t in types))}
