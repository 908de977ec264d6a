"""Every user-facing string has a French entry: the catalog-completeness check of issue 18.

Strings are found as Babel finds them (`_("...")` and `N_("...")` with a literal, the PDF's
`pdf._("...")` too): those in analytics/ must be in analytics.po, those in pages/ and
dashboard.py in pages.po. An entry missing, empty or fuzzy fails, and the failure lists every such string at
once (file and line of its first use), so a translator fixes them in one pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "analytics" / "locale" / "fr" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None}
AREAS = {
    "analytics.po": [ROOT / "analytics"],
    "pages.po": [ROOT / "pages", ROOT / "dashboard.py"],
}


def marked_strings(paths: list[Path], root: Path = ROOT) -> dict[str, str]:
    """msgid -> 'file:line' of its first use, for every marked literal under `paths`."""
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py")))
    found: dict[str, str] = {}
    for file in files:
        for lineno, message, _comments, _context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.setdefault(msgid, f"{file.relative_to(root)}:{lineno}")
    return found


def untranslated(path: Path, strings: dict[str, str]) -> list[str]:
    """One line per string with no usable French entry (missing, empty or fuzzy) in `path`."""
    entries = {}
    if path.exists():
        with path.open("rb") as handle:
            entries = {m.id: m for m in read_po(handle) if m.id}
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


def test_the_check_lists_every_missing_empty_and_fuzzy_entry(tmp_path):
    (tmp_path / "demo.py").write_text('_("late")\nN_("milestone")\n_("due date")\n_("owner")\n',
                                      encoding="utf-8")
    catalog = tmp_path / "demo.po"
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "late"\nmsgstr "en retard"\n\n#, fuzzy\nmsgid "milestone"\nmsgstr "jalon"\n\n'
        'msgid "owner"\nmsgstr ""\n', encoding="utf-8")
    strings = marked_strings([tmp_path], root=tmp_path)
    assert untranslated(catalog, strings) == ["demo.py:2: fuzzy entry for 'milestone'",
                                              "demo.py:3: no entry for 'due date'",
                                              "demo.py:4: empty entry for 'owner'"]
