"""Every user-facing string has a French entry: the catalog-completeness check of issue 18.

Strings are found as Babel finds them (`_("...")` and `N_("...")` with a literal, the PDF's
`pdf._("...")` too), and in `translator(lang)("...")`: those in analytics/ must be in analytics.po, those in pages/ and
dashboard.py in pages.po. An entry missing, empty or fuzzy fails, and the failure lists every such string at
once (file and line of its first use), so a translator fixes them in one pass. An entry no
code asks for fails too: a sentence since reworded, or a string translated without being
marked (which Babel would not extract).

A string never marked is never extracted, so the pages are also read for text handed to a
Streamlit element as a bare literal (`st.caption("...")`, `help="..."`, an f-string with
words in it): every such literal must go through `_()`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "analytics" / "locale" / "fr" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "_p": ((1, "c"), 2)}     # _p(context, text): msgctxt
AREAS = {
    "analytics.po": [ROOT / "analytics"],
    "pages.po": [ROOT / "pages", ROOT / "dashboard.py"],
}


def marked_strings(paths: list[Path], root: Path = ROOT) -> dict[str | tuple[str, str], str]:
    """msgid (or (msgctxt, msgid) for `_p`) -> 'file:line' of its first use, for every marked
    literal under `paths`."""
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py")))
    found: dict[str | tuple[str, str], str] = {}
    for file in files:
        for lineno, message, _comments, context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    key = (context, msgid) if context else msgid
                    found.setdefault(key, f"{file.relative_to(root)}:{lineno}")
        for lineno, msgid in translated_on_the_spot(file):
            found.setdefault(msgid, f"{file.relative_to(root)}:{lineno}")
    return found


def translated_on_the_spot(file: Path) -> list[tuple[int, str]]:
    """(line, literal) of every `translator(lang)("literal")`, which Babel's keywords miss."""
    return [(call.lineno, call.args[0].value)
            for call in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Call)
            and isinstance(call.func.func, ast.Name) and call.func.func.id == "translator"
            and call.args and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)]


def untranslated(path: Path, strings: dict) -> list[str]:
    """One line per string with no usable French entry (missing, empty or fuzzy) in `path`."""
    entries = {}
    if path.exists():
        with path.open("rb") as handle:
            entries = {((m.context, m.id) if m.context else m.id): m for m in read_po(handle) if m.id}
    problems = []
    for msgid, where in sorted(strings.items(), key=lambda kv: kv[1]):
        entry = entries.get(msgid)
        if entry is None:
            problems.append(f"{where}: no entry for {msgid!r}")
        elif not entry.string:
            problems.append(f"{where}: empty entry for {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy entry for {msgid!r}")
    return problems


@pytest.mark.parametrize("catalog_name", sorted(AREAS))
def test_every_marked_string_has_a_french_entry(catalog_name):
    strings = marked_strings(AREAS[catalog_name])
    assert strings, f"no marked string found for {catalog_name}"
    problems = untranslated(CATALOGS / catalog_name, strings)
    assert not problems, (f"{len(problems)} string(s) without French in {catalog_name}:\n"
                          + "\n".join(problems))


def unused(path: Path, strings: dict) -> list[str]:
    """The entries of `path` no marked string asks for: left over from a sentence since
    changed or removed, or a string translated without being marked (which Babel misses)."""
    with path.open("rb") as handle:
        return sorted(repr((m.context, m.id) if m.context else m.id) for m in read_po(handle)
                      if m.id and ((m.context, m.id) if m.context else m.id) not in strings)


@pytest.mark.parametrize("catalog_name", sorted(AREAS))
def test_every_french_entry_is_asked_for(catalog_name):
    left = unused(CATALOGS / catalog_name, marked_strings(AREAS[catalog_name]))
    assert not left, (f"{len(left)} entr(ies) of {catalog_name} no code marks (mark the string "
                      "where it is used, or remove the entry):\n" + "\n".join(left))


def test_the_check_lists_every_missing_empty_and_fuzzy_entry(tmp_path):
    (tmp_path / "demo.py").write_text('_("late")\nN_("milestone")\n_("due date")\n_("owner")\n'
                                      'translator(lang)("baseline")\n', encoding="utf-8")
    catalog = tmp_path / "demo.po"
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "late"\nmsgstr "en retard"\n\n#, fuzzy\nmsgid "milestone"\nmsgstr "jalon"\n\n'
        'msgid "owner"\nmsgstr ""\n', encoding="utf-8")
    strings = marked_strings([tmp_path], root=tmp_path)
    assert untranslated(catalog, strings) == ["demo.py:2: fuzzy entry for 'milestone'",
                                              "demo.py:3: no entry for 'due date'",
                                              "demo.py:4: empty entry for 'owner'",
                                              "demo.py:5: no entry for 'baseline'"]
    catalog.write_text(catalog.read_text(encoding="utf-8")
                       + '\nmsgid "overdue"\nmsgstr "en retard"\n', encoding="utf-8")
    assert unused(catalog, strings) == ["'overdue'"]


# Streamlit elements whose arguments a reader sees, and the keywords that carry text.
ELEMENTS = {"title", "header", "subheader", "caption", "write", "markdown", "info", "warning",
            "error", "success", "button", "download_button", "selectbox", "multiselect", "radio",
            "checkbox", "text_input", "number_input", "date_input", "file_uploader", "metric",
            "expander", "tabs", "toggle", "form_submit_button", "page_link", "link_button",
            "popover", "status", "toast", "spinner", "text_area", "slider", "select_slider",
            "exception", "Page"}
TEXT_KEYWORDS = {"label", "help", "placeholder", "body", "caption", "title", "text"}
LOGGERS = {"LOG", "log", "logger", "logging"}
ICON = re.compile(r"^\s*:material/\w+:\s*$")


def _literals(node: ast.AST):
    """The string literals (and f-strings) an argument is made of."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) or isinstance(node, ast.JoinedStr):
        yield node
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _literals(element)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)


def _words(literal: ast.AST) -> str:
    """The literal's own text (an f-string's fixed parts), '' when it holds no words."""
    parts = ([literal.value] if isinstance(literal, ast.Constant)
             else [v.value for v in literal.values if isinstance(v, ast.Constant)])
    text = "".join(parts)
    return "" if ICON.match(text) or not re.search(r"[A-Za-z]{2}", text) else text


def bare_texts(paths: list[Path], root: Path = ROOT) -> list[str]:
    """'file:line: element: text' for every literal with words handed to a Streamlit element
    without `_()` (a page_link's first argument is a page path, not text)."""
    found = []
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py")))
    for file in files:
        for call in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ELEMENTS):
                continue
            if isinstance(call.func.value, ast.Name) and call.func.value.id in LOGGERS:
                continue
            args = call.args[1:] if call.func.attr == "page_link" else call.args
            args = [*args, *(k.value for k in call.keywords if k.arg in TEXT_KEYWORDS)]
            found += [f"{file.relative_to(root)}:{literal.lineno}: {call.func.attr}: {words!r}"
                      for arg in args for literal in _literals(arg) if (words := _words(literal))]
    return found


def test_page_text_goes_through_the_catalog():
    bare = bare_texts(AREAS["pages.po"])
    assert not bare, f"{len(bare)} text(s) on the pages not marked with _():\n" + "\n".join(bare)


def test_the_page_check_finds_bare_text_and_lets_marked_text_pass(tmp_path):
    (tmp_path / "page.py").write_text(
        'st.caption("Data current")\n'
        'st.button(_("Commit"), help="Writes the rows")\n'
        'col.metric(label=f"{n} items late", value=n)\n'
        'st.markdown(f"**{name}**")\n'
        'st.page_link("pages/uploads.py", label=_("History"), icon=":material/history:")\n'
        'LOG.exception("reading failed")\n', encoding="utf-8")
    assert bare_texts([tmp_path], root=tmp_path) == [
        "page.py:1: caption: 'Data current'",
        "page.py:2: button: 'Writes the rows'",
        "page.py:3: metric: ' items late'",
    ]
