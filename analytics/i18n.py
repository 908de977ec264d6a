"""English and French: the gettext catalogs and the Babel formats of dates and numbers.

Why: Canadian federal officials work and are briefed in English or French (issue 18), so
every word analytics/ writes for a view (verdicts, reasons, chart titles, table headers,
pack text, e-mails, file-name parts) and every page label is looked up here, in the view's
language (`ViewContext.lang`, a `lang` argument, or `pages/_i18n.py` for the pages).

Catalogs are gettext `.po` files under `analytics/locale/fr/LC_MESSAGES/`, one domain per
area (`analytics.po` for analytics/, `pages.po` for pages/ and dashboard.py); `translator`
chains every domain it finds. `make install` compiles them to `.mo` (`python -m
analytics.i18n`), and `translator` compiles a `.mo` that is missing or older than its `.po`
on the fly (Babel), so a fresh clone works; `.mo` files are not in git.

Mark strings so Babel can extract them (tests/unit/test_catalog_complete.py does):
`_("literal")` at use time, `N_("literal")` on module-level constants translated later;
never `_(f"...")`: write `_("{n} items late").format(n=n)`.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The Babel locale of each language: Canadian French (dates, decimal comma, spaces).
BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}
NBSP = "\u00a0"   # French typography: before ":" ";" "%" and inside « »


def N_(text: str) -> str:
    """Marks a module-level constant for extraction; translate it where it is used."""
    return text


def normalise_language(value: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """'fr', 'FR', 'fr-CA', 'fr_CA' -> 'fr'; 'en-GB' -> 'en'; anything else -> `default`."""
    if not value:
        return default
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else default


def _unchanged(text: str) -> str:
    return text


def catalog_paths(lang: str, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The `.po` catalogs of a language (one per domain), sorted by domain name."""
    return sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po"))


def compiled(po_path: Path) -> Path:
    """The `.mo` beside `po_path`, compiled first when it is missing or older than the `.po`.

    Written to a temporary file and renamed, so two processes compiling at once never leave
    a half-written catalog. Fuzzy entries are left out (they stay English)."""
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return mo_path
    with po_path.open("rb") as source:
        catalog = read_po(source)
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        os.replace(temporary, mo_path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return mo_path


def _mo_bytes(po_path: Path) -> bytes:
    """The compiled catalog of `po_path`: its `.mo` (compiled when stale), or compiled in
    memory when the folder cannot be written (a read-only install)."""
    try:
        return compiled(po_path).read_bytes()
    except OSError:
        with po_path.open("rb") as source:
            catalog = read_po(source)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        return buffer.getvalue()


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every language's `.mo` files, compiled where stale (what `make install` runs)."""
    return [compiled(po) for lang in LANGUAGES for po in catalog_paths(lang, locale_dir)]


@cache
def _catalogs(lang: str) -> gettext.NullTranslations | None:
    """Every catalog of `lang` chained (analytics.po first), None for English or none found."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return None
    chain: gettext.NullTranslations | None = None
    for po_path in catalog_paths(lang):
        domain = gettext.GNUTranslations(io.BytesIO(_mo_bytes(po_path)))
        if chain is None:
            chain = domain
        else:
            chain.add_fallback(domain)
    return chain


def translator(lang: str) -> Callable[[str], str]:
    """The gettext function of `lang`: English returns the text unchanged, an unknown code
    falls back to English, a string missing from every catalog stays English."""
    chain = _catalogs(lang)
    return chain.gettext if chain is not None else _unchanged


def context_translator(lang: str) -> Callable[[str, str], str]:
    """pgettext of `lang`: (context, text) -> text, for words that need another rendering in
    one place (msgctxt "card": a label that must fit a narrow KPI card)."""
    chain = _catalogs(lang)
    return chain.pgettext if chain is not None else (lambda _context, text: text)


def template_patterns(templates: tuple[str, ...], fields: Mapping[str, str],
                      default: str = ".*") -> tuple[tuple[re.Pattern, str], ...]:
    """(regular expression, template) of each English template, every {name} a named group
    matching `fields[name]` (`default` for a name not listed): how an English sentence
    written by a template is read back to be said in another language."""
    patterns = []
    for template in templates:
        pieces = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(piece) if i % 2 == 0
                        else f"(?P<{piece}>{fields.get(piece, default)})"
                        for i, piece in enumerate(pieces))
        patterns.append((re.compile(regex, re.DOTALL), template))
    return tuple(patterns)


def read_back(text: str, lang: str, patterns: tuple[tuple[re.Pattern, str], ...],
              value_in: Callable[[str, str, str], str]) -> str | None:
    """`text` said in `lang` by the first template of `patterns` that wrote it, each value
    rewritten by `value_in(name, value, lang)`; None when no template wrote it."""
    for pattern, template in patterns:
        match = pattern.fullmatch(text)
        if match:
            values = {key: value_in(key, value, lang) for key, value in match.groupdict().items()}
            return translator(lang)(template).format(**values)
    return None


def format_date(value: date | pd.Timestamp, lang: str) -> str:
    """'13 Mar 2028' in English (the project's reading date), '13 mars 2028' in French
    ('1er mars 2028' on the first of the month, as French usage writes it)."""
    day = pd.Timestamp(value).date()
    if normalise_language(lang) == "en":
        return f"{day.day} {day:%b %Y}"
    text = _babel_date(day, format="d MMMM y", locale=BABEL_LOCALES["fr"])
    return "1er" + text[1:] if day.day == 1 else text


def format_number(value: float, lang: str, digits: int = 0) -> str:
    """'1,204.5' in English, '1 204,5' in French (Babel's Canadian French grouping)."""
    if normalise_language(lang) == "en":
        return f"{float(value):,.{digits}f}"
    return format_decimal(round(float(value), digits), format=_pattern(digits),
                          locale=BABEL_LOCALES["fr"])


def format_percent(value: float, lang: str, digits: int = 1) -> str:
    """A value already in percent: '79.3%' in English, '79,3 %' (non-breaking space) in French."""
    if normalise_language(lang) == "en":
        return f"{float(value):.{digits}f}%"
    return f"{format_number(value, lang, digits)}{NBSP}%"


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent.parent)}")
